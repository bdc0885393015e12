"""Records of periodic_assessment: the sitting, each student's attempt with the paper delivered to
them, every answer saved, the integrity signals and events, and the board's decisions.

Written only by the assessment records modules (``attempts``, ``sitting``, ``marking``) and read
through ``evidence``. A test's configuration (bank, blueprint, window, limit, mode, access code)
is the block's (``records.Test``); the ``Sitting`` row keeps what the server decides a sitting by,
so the deadline of every attempt can be decided, and an abandoned attempt finalised, without the
block (``manage.py finalise_attempts``), and a copy of the bank and blueprint, so the archive holds
what the papers were drawn from without the block (docs/circular-09.md, records archive).

Keys are strings as everywhere in the package (docs/decisions/0002-keys.md). A saved answer and a
client signal are each their own record, like a check-in (docs/decisions/0005-a-check-in-is-its-
own-record.md): they append nothing to the audit chain; the answer sheet's hash and the events'
hash enter it when the attempt is finalised.
"""
from django.db import models


class Sitting(models.Model):
    """One periodic test's sitting: the planned window, time limit, grace and mode as the block was
    last seen with (kept equal to it by ``records.sitting_for``), the bank and blueprint papers are
    drawn from, and the answer keys corrected after the sitting. Every sitting-wide change locks
    this row."""

    usage_key = models.CharField(max_length=255, unique=True)
    course_key = models.CharField(max_length=255, db_index=True)
    org = models.CharField(max_length=255, db_index=True)
    class_name = models.CharField(max_length=20)
    subject = models.CharField(max_length=100, blank=True, default="")
    title = models.CharField(max_length=255, blank=True, default="")
    opens = models.DateTimeField()
    closes = models.DateTimeField()
    minutes = models.PositiveSmallIntegerField()
    grace_seconds = models.PositiveIntegerField(default=0)
    mode = models.CharField(max_length=16)
    # {bank question id: the question with its corrected key} (questions.to_dict), applied when
    # scoring: the delivered papers themselves stay as delivered.
    corrections = models.JSONField(default=dict, blank=True)
    # What papers are drawn from, as it stood when the sitting was last brought up to date (every
    # start, every act of the board): the blueprint (blueprint.to_dict; {} when none is set) and
    # the bank with its answer keys (questions.to_dict each). Staff-only: nothing a student is
    # sent reads them. ``bank_hash`` is the SHA-256 of the bank's canonical JSON (the archive's
    # bank file, byte for byte): compared instead of the bank, so an unchanged bank is never
    # rewritten, and "" until a sitting made before these columns is first brought up to date.
    # Readers that do not need the bank defer it (``records.sitting_of``): it may be large.
    blueprint = models.JSONField(default=dict, blank=True)
    bank = models.JSONField(default=list, blank=True)
    bank_hash = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "vn_online_teaching"


class Attempt(models.Model):
    """A student's one attempt at a sitting (one row per test and student, whatever happens at
    once): its state (states.py), the exact paper delivered (paper.to_dict, drawn from ``seed``),
    the deadline decided on the server, the device it is bound to, and at the end the answer
    sheet's hash and the result."""

    sitting = models.ForeignKey(Sitting, on_delete=models.PROTECT, related_name="attempts")
    usage_key = models.CharField(max_length=255)
    user_key = models.CharField(max_length=255)
    state = models.CharField(max_length=24, db_index=True)
    mode = models.CharField(max_length=16)
    seed = models.CharField(max_length=64)
    paper = models.JSONField()
    paper_hash = models.CharField(max_length=64)
    started_at = models.DateTimeField()
    # What the student is shown, and until when a save still counts (plus the grace).
    deadline_at = models.DateTimeField()
    accept_until = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopen_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    # The browser the attempt is bound to: the hash of the token it was given; "" once released.
    device_hash = models.CharField(max_length=64, blank=True, default="")
    device_salt = models.CharField(max_length=32, blank=True, default="")
    device_bound_at = models.DateTimeField(null=True, blank=True)
    ip = models.CharField(max_length=45, blank=True, default="")
    last_ip = models.CharField(max_length=45, blank=True, default="")
    user_agent = models.CharField(max_length=300, blank=True, default="")
    # The highest save number and the number of saves, filled when the attempt is finalised (a
    # save in progress writes only its own row: saving.py; saving.last_seq counts them meanwhile).
    last_seq = models.PositiveIntegerField(default=0)
    saves = models.PositiveIntegerField(default=0)
    signals = models.PositiveIntegerField(default=0)
    sheet_hash = models.CharField(max_length=64, blank=True, default="")
    result = models.JSONField(null=True, blank=True)  # scoring.Result.as_record()
    published_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "vn_online_teaching"
        constraints = [models.UniqueConstraint(fields=["usage_key", "user_key"], name="vnot_attempt_unique")]
        # What the periodic job looks for: attempts still open whose time and grace are over.
        indexes = [models.Index(fields=["state", "accept_until"], name="vnot_attempt_due")]


class Answer(models.Model):
    """One save of one answer, at the server's time: the client numbers its saves per attempt
    (``seq``), so the same save twice is one row, and the answer of a position is its row with the
    highest ``seq``. ``response`` is what the student gave, in the letters shown to them (the
    delivered paper maps it to the bank: paper.map_answer_to_bank)."""

    attempt = models.ForeignKey(Attempt, on_delete=models.PROTECT, related_name="answers")
    seq = models.PositiveIntegerField()
    position = models.PositiveSmallIntegerField()
    question_id = models.CharField(max_length=40)
    response = models.JSONField(null=True, blank=True)
    saved_at = models.DateTimeField()

    class Meta:
        app_label = "vn_online_teaching"
        constraints = [models.UniqueConstraint(fields=["attempt", "seq"], name="vnot_answer_seq")]
        indexes = [models.Index(fields=["attempt", "position", "seq"], name="vnot_answer_position")]


class IntegrityEvent(models.Model):
    """Something the integrity analysis reads: a signal the browser sent (``source`` "client": the
    page hidden, a paste, a second tab …) or an event the server saw ("server": a refused device, a
    wrong access code, a changed address, a late save). ``at`` is the server's time; ``client_at``
    what the browser said, kept apart. Nothing is sanctioned from these rows automatically."""

    sitting = models.ForeignKey(Sitting, on_delete=models.PROTECT, related_name="events")
    attempt = models.ForeignKey(Attempt, null=True, blank=True, on_delete=models.PROTECT, related_name="events")
    user_key = models.CharField(max_length=255)
    kind = models.CharField(max_length=32)
    source = models.CharField(max_length=8)
    at = models.DateTimeField()
    client_at = models.DateTimeField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        app_label = "vn_online_teaching"
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["sitting", "kind", "at"], name="vnot_event_kind_time"),
                   models.Index(fields=["sitting", "user_key", "kind", "at"], name="vnot_event_user_kind")]


class RemoteDecision(models.Model):
    """The head of school's decision that the named students may sit this test remotely: why, who,
    who decided (in which role) and when (docs/circular-09.md, periodic assessment)."""

    sitting = models.ForeignKey(Sitting, on_delete=models.PROTECT, related_name="decisions")
    reason = models.TextField()
    students = models.JSONField(default=list)  # user keys
    decided_by = models.CharField(max_length=255)
    decided_by_name = models.CharField(max_length=255, blank=True, default="")
    role = models.CharField(max_length=32)
    decided_at = models.DateTimeField()

    class Meta:
        app_label = "vn_online_teaching"
        ordering = ["decided_at", "pk"]


class StaffAct(models.Model):
    """Who did it (their key, name as shown then, the role they acted in) and when: the columns
    every staff-made assessment record carries, said once."""

    by_key = models.CharField(max_length=255)
    by_name = models.CharField(max_length=255, blank=True, default="")
    role = models.CharField(max_length=32)
    at = models.DateTimeField()

    class Meta:
        abstract = True
        app_label = "vn_online_teaching"


class Accommodation(StaffAct):
    """Extra time for one student, or an attempt reopened after a lost connection, granted by the
    board with a reason."""

    sitting = models.ForeignKey(Sitting, on_delete=models.PROTECT, related_name="accommodations")
    attempt = models.ForeignKey(Attempt, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    user_key = models.CharField(max_length=255)
    kind = models.CharField(max_length=16)  # extra_time, reopen
    minutes = models.PositiveSmallIntegerField()
    reason = models.TextField()

    class Meta:
        app_label = "vn_online_teaching"
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["sitting", "user_key"], name="vnot_accommodation_user")]


class SittingChange(StaffAct):
    """The board opened the sitting early, closed it early or extended it (timing.Change), with a
    reason; the window in force is the planned one with these applied in order."""

    sitting = models.ForeignKey(Sitting, on_delete=models.PROTECT, related_name="changes")
    kind = models.CharField(max_length=16)
    until = models.DateTimeField(null=True, blank=True)
    reason = models.TextField()

    class Meta:
        app_label = "vn_online_teaching"
        ordering = ["at", "pk"]


class EssayMark(StaffAct):
    """A teacher's mark of one essay of an attempt; a re-mark is a new row (the latest counts)."""

    attempt = models.ForeignKey(Attempt, on_delete=models.PROTECT, related_name="essay_marks")
    question_id = models.CharField(max_length=40)
    points = models.CharField(max_length=16)  # exact decimal text ("2.75")
    comment = models.TextField(blank=True, default="")
    reason = models.TextField(blank=True, default="")

    class Meta:
        app_label = "vn_online_teaching"
        ordering = ["at", "pk"]


class ScoreHistory(StaffAct):
    """An attempt scored again (a mark, a re-mark, a corrected key): the result before and after
    and the questions whose points changed (scoring.Rescore.as_record)."""

    attempt = models.ForeignKey(Attempt, on_delete=models.PROTECT, related_name="score_history")
    kind = models.CharField(max_length=16)  # mark, remark, correct_key
    reason = models.TextField(blank=True, default="")
    change = models.JSONField()

    class Meta:
        app_label = "vn_online_teaching"
        ordering = ["at", "pk"]


class IntegrityDecision(StaffAct):
    """A teacher's decision on one attempt after reading its integrity report (integrity/decisions.py):
    accept it, annul it or allow a retake (with the minutes given back, counted from the decision,
    or until a new closing time), always with a reason; the attempt's state before and after.
    Never written automatically: a signal is a reason to look, not a sanction."""

    sitting = models.ForeignKey(Sitting, on_delete=models.PROTECT, related_name="integrity_decisions")
    attempt = models.ForeignKey(Attempt, on_delete=models.PROTECT, related_name="integrity_decisions")
    user_key = models.CharField(max_length=255)
    verdict = models.CharField(max_length=16)  # accept, invalidate, retake
    reason = models.TextField()
    minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    until = models.DateTimeField(null=True, blank=True)
    state_before = models.CharField(max_length=24)
    state_after = models.CharField(max_length=24)

    class Meta:
        app_label = "vn_online_teaching"
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["sitting", "user_key"], name="vnot_integrity_decision_user")]
