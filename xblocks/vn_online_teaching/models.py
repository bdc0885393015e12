"""Every model of the package, so Django finds them in one app (``vn_online_teaching``)."""
from .archive.models import ArchiveJob, Disposal, LegalHold  # noqa: F401
from .assessment.models import (Accommodation, Answer, Attempt, EssayMark, IntegrityEvent, RemoteDecision,  # noqa: F401
                                ScoreHistory, Sitting, SittingChange)
from .attendance.models import CodeAttempt, Lesson, LogbookEntry, Mark, MarkChange, MeetingReport  # noqa: F401
from .core.models import AuditEntry, AuditHead, Learner, RoleAssignment  # noqa: F401
from .material.models import ApprovedVersion, Attachment, MaterialDecision, MaterialState  # noqa: F401
