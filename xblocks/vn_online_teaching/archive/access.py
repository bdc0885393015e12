"""Who may export, download and verify a school's record packages, place a legal hold and record a
disposal (read by core/registry.py; ``manage.py vnot_rules`` prints the whole matrix).

The records officer (văn thư, cán bộ lưu trữ) and the principal hold every archive action, for the
whole school (their grants carry no subject). A package holds every learner's records, so
teachers do not: a school may let the course team (Open edX course staff and admins) export,
download or verify the packages of their own course with the setting
ARCHIVE_COURSE_STAFF_ACTIONS. Holds and disposals are the school's legal acts and stay with the
records officer and the principal whatever the setting says.
"""
from ..core import config, roles
from ..core.actors import INSTRUCTOR, STAFF
from ..core.errors import Forbidden
from ..core.registry import Action
from ..core.roles import PRINCIPAL, RECORDS_OFFICER

EXPORT = "archive.export"
DOWNLOAD = "archive.download"
VERIFY = "archive.verify"
HOLD = "archive.hold"
DISPOSE = "archive.dispose"

KEEPERS = {PRINCIPAL, RECORDS_OFFICER}
COURSE_STAFF = "course_staff"  # the role recorded when the school's setting let the course team act
COURSE_STAFF_MAY = (EXPORT, DOWNLOAD, VERIFY)  # never HOLD or DISPOSE

ACTIONS = {
    EXPORT: Action(KEEPERS, doc="Export a course's or the school's records as a signed archive package"),
    DOWNLOAD: Action(KEEPERS, doc="Download an archive package"),
    VERIFY: Action(KEEPERS, doc="Verify an archive package (fixity, signature, audit segment)"),
    HOLD: Action(KEEPERS, doc="Place or release a legal hold on records"),
    DISPOSE: Action(KEEPERS, doc="Record a disposal decision and delete the records it covers"),
}
ALL = tuple(ACTIONS)


def _course_staff_may(actor, action, org):
    allowed = config.get("ARCHIVE_COURSE_STAFF_ACTIONS", org) or ()
    return action in COURSE_STAFF_MAY and action in allowed and actor.platform_role in (STAFF, INSTRUCTOR)


def authorize(actor, action, place):
    """The role in which ``actor`` takes ``action`` at ``place`` (a school role, or "course_staff"
    where the school allows it), or Forbidden."""
    try:
        return roles.authorize(actor, action, place)
    except Forbidden:
        if not actor.is_anonymous and _course_staff_may(actor, action, place.org):
            return COURSE_STAFF
        raise


def permitted(actor, place, actions=ALL):
    """The subset of ``actions`` ``actor`` may take at ``place`` (what the block's page shows)."""
    if actor.is_anonymous:
        return frozenset()
    grants = roles.grants_at(actor, place)
    return frozenset(a for a in actions
                     if roles.decide(grants, a, place, actor.user_key) or _course_staff_may(actor, a, place.org))
