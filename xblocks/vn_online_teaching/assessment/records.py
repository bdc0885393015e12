"""What every assessment records module shares: the test as the block configures it, the one
permission check of a request, the sitting's row and its lock, deadlines decided on the server,
and the audit entry and integrity event a change writes.

The records modules (``attempts`` for the student's attempt, ``sitting`` for the board's actions,
``marking`` for scores) are the only code that writes the assessment models; ``evidence`` reads
them. Each change runs in one transaction that locks the row it changes first: the sitting for
sitting-wide changes, then the attempt for one student's (SQLite: IMMEDIATE transactions;
MariaDB: row locks), and appends its audit entry in the same transaction (docs/audit-policy.md).
A student's own saves and the browser's signals append none: like a check-in
(docs/decisions/0005-a-check-in-is-its-own-record.md), each is its own record, and the answer
sheet enters the audit chain when the attempt is finalised. A save in the common case is one
statement of its own (answer_rows.py): it reads the attempt's row under a shared lock rather
than locking it in a transaction.

Permissions are checked here once per request: a staff write asks ``authorize`` and records the
role it returns; a student acts on their own attempt when they are on the roster of the test's
class (``require_learner``), as a check-in does.
"""
import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Sum

from ..core import audit, clock, config, roles
from ..core.errors import Forbidden, NotFound, RequestError
from ..core.i18n import N_
from ..core.models import Learner
from . import blueprint as blueprints
from . import grades, questions, states, timing  # noqa: F401 - grades: the gradebook follows every attempt written
from .models import Accommodation, Attempt, IntegrityEvent, Sitting
from .problems import Invalid

OBJECT_SITTING = "assessment_sitting"
OBJECT_ATTEMPT = "assessment_attempt"
CLIENT, SERVER = "client", "server"
OPEN_STATES = frozenset({states.IN_PROGRESS, states.REOPENED})  # the clock may still end them
EXTRA_TIME, REOPEN = "extra_time", "reopen"  # kinds of accommodation


@dataclass(frozen=True)
class Test:
    """A periodic test as its block is configured (a snapshot of its fields, built by the block
    for each request): the keys, the class and subject, the planned window, the time limit in
    minutes, the mode, the access code's hash (``hash_code``; "" for none), the grace in seconds
    (None: the school's ``ASSESSMENT_GRACE_SECONDS``), and what papers are drawn from. ``bank``
    (questions.Question items) and ``blueprint`` (blueprint.Blueprint) may be given as functions
    returning them: they are read (once per Test) only when a paper is drawn or the sitting's copy
    is brought up to date (``sitting_for``), never for a student's save. ``stored_bank`` and
    ``stored_blueprint`` (or functions returning them) are the same as the block stores them (a
    list of question dicts, a blueprint dict): given, the sitting's copy is taken and compared
    from them without reading every question (None: made from ``bank`` and ``blueprint``)."""

    usage_key: str
    course_key: str
    org: str
    class_name: str
    subject: str
    opens: dt.datetime
    closes: dt.datetime
    minutes: int
    mode: str = timing.AT_SCHOOL
    code_hash: str = ""
    grace_seconds: int | None = None
    bank: object = field(default=(), compare=False, repr=False)
    blueprint: object = field(default=None, compare=False, repr=False)
    title: str = ""
    stored_bank: object = field(default=None, compare=False, repr=False)
    stored_blueprint: object = field(default=None, compare=False, repr=False)

    def _once(self, name, make):
        """``make()`` the first time, kept on this Test after (a bank of a few hundred questions
        takes tens of milliseconds to read, and a start reads it twice: sitting, then paper)."""
        if name not in self.__dict__:
            object.__setattr__(self, name, make())
        return self.__dict__[name]

    def questions(self):
        return self._once("_questions", lambda: tuple(self.bank() if callable(self.bank) else self.bank))

    def plan(self):
        return self._once("_plan", lambda: self.blueprint() if callable(self.blueprint) else self.blueprint)

    def grace(self):
        seconds = self.grace_seconds
        return config.get("ASSESSMENT_GRACE_SECONDS", self.org) if seconds is None else seconds


# Who is asking ----------------------------------------------------------------------------------

def place_of(test):
    return roles.Place(org=test.org, course_key=test.course_key, subject=test.subject, class_name=test.class_name)


def authorize(actor, action, test):
    """The role in which ``actor`` may do ``action`` at the test, or Forbidden (one grant read)."""
    return roles.authorize(actor, action, place_of(test))


def permitted(actor, test, actions):
    """The subset of ``actions`` ``actor`` may take at the test, from one read of their grants."""
    if actor.is_anonymous:
        return frozenset()
    place = place_of(test)
    grants = roles.grants_at(actor, place)
    return frozenset(a for a in actions if roles.decide(grants, a, place, actor.user_key))


def configured(test):
    if not test.class_name:
        raise RequestError("not_configured", N_("Set the class of this block in Studio first."))


def learner_of(test, user_key):
    """The learner's roster row in the test's class, or None (the one roster rule of the feature)."""
    if not user_key or not test.class_name:
        return None
    return Learner.objects.filter(org=test.org, class_name=test.class_name, user_key=user_key).first()


def require_learner(test, actor):
    """The student's permission to act on their own attempt: being on the class's roster."""
    if actor.is_anonymous:
        raise Forbidden()
    configured(test)
    if learner_of(test, actor.user_key) is None:
        raise Forbidden(N_("You are not on the roster of class {class_name}."), class_name=test.class_name)


def require_reason(reason):
    """The reason a decision of the board needs, stripped, or a translated 400."""
    reason = (reason or "").strip()
    if not reason:
        raise RequestError("required", N_("Please write the reason."), field="reason")
    return reason


def learners_named(test, user_keys):
    """``user_keys`` checked against the class roster: the keys, or a translated 400 naming one
    that is not a learner of the class."""
    keys = list(dict.fromkeys(k for k in user_keys if k))
    known = set(Learner.objects.filter(org=test.org, class_name=test.class_name, user_key__in=keys)
                .values_list("user_key", flat=True))
    for key in keys:
        if key not in known:
            raise RequestError("not_learner", N_("{user} is not a learner of class {class_name}."), field="students",
                               user=key[:60], class_name=test.class_name)
    return keys


# The sitting ------------------------------------------------------------------------------------

def sitting_values(test):
    return {"course_key": test.course_key, "org": test.org, "class_name": test.class_name,
            "subject": test.subject, "title": test.title[:255], "opens": timing.utc(test.opens),
            "closes": timing.utc(test.closes), "minutes": test.minutes, "grace_seconds": test.grace(),
            "mode": test.mode}


# The sitting's copy of the bank is read only by the archive (export.py): every other read leaves
# it in the database, so a student's save does not carry a bank of a few hundred questions.
LARGE = ("bank",)


def _stored(value):
    return value() if callable(value) else value


def _content_values(test):
    """The bank and blueprint papers are drawn from now, as the sitting keeps them (the stored
    forms, answer keys included), and the bank's SHA-256 over its canonical JSON; None when the
    block holds a question or blueprint that no longer reads (the copy then stays as it was, and
    only drawing a paper is refused, as before)."""
    bank, plan = _stored(test.stored_bank), _stored(test.stored_blueprint)
    try:
        if bank is None:
            bank = [questions.to_dict(question) for question in test.questions()]
        if plan is None:
            plan = test.plan()
            plan = blueprints.to_dict(plan) if plan is not None else {}
    except Invalid:
        return None
    bank, plan = list(bank), dict(plan or {})
    return {"bank": bank, "bank_hash": hashlib.sha256(audit.canonical_json(bank)).hexdigest(), "blueprint": plan}


def _content_changes(sitting, test):
    """The names of the sitting's bank and blueprint fields set to the block's, when they differ:
    the bank is compared by its hash, so an unchanged bank is neither read back nor rewritten."""
    content = _content_values(test)
    if content is None:
        return []
    changed = [name for name in ("bank_hash", "blueprint") if getattr(sitting, name) != content[name]]
    if "bank_hash" in changed:
        changed.append("bank")
    for name in changed:
        setattr(sitting, name, content[name])
    return changed


def sitting_of(test):
    """The test's sitting as stored (no lock; its bank left unread), or None before anyone started or acted."""
    return Sitting.objects.defer(*LARGE).filter(usage_key=test.usage_key).first()


def ensure_sitting(test, check=None):
    """Before the transaction of a change that a whole class may make at the same moment (the
    students pressing "start"): create the test's sitting row in a short transaction of its own
    when it does not exist yet, once ``check()`` has raised the refusals the change makes of a
    sitting not started yet (a refused request writes nothing). Never called inside that
    transaction: on MariaDB a locking read of a row that is not there locks the gap where it
    would go, and two requests that both found it missing then deadlock on their inserts. Created
    first, the row is there to be locked; a request creating it at the same moment only meets the
    unique key.

    Without ``check`` nothing is created here: the change's own transaction creates the row
    (``sitting_for``), so a refusal raised in it takes the row back with everything else. That is
    the way of the staff's actions, which no crowd makes at once."""
    if check is None or Sitting.objects.filter(usage_key=test.usage_key).exists():
        return
    check()
    try:
        with transaction.atomic():
            Sitting.objects.create(usage_key=test.usage_key, **sitting_values(test), **(_content_values(test) or {}))
    except IntegrityError:
        pass  # another request created it: the same row


def sitting_for(test, now):
    """The test's sitting row, locked until the end of the transaction: created on first use, and
    made equal to the block's settings when the author changed them (the deadlines of attempts
    still open follow), and to its bank and blueprint. Every start (the one moment a paper is
    drawn) and every act of the board pass here, so the sitting's copy is what the latest paper
    was drawn from; a student's save does not (``current_sitting``), and needs not. Call inside
    the transaction of the change (after ``ensure_sitting`` for a change a crowd makes at once):
    a row created here goes if the change is refused."""
    assert transaction.get_connection().in_atomic_block, "lock a sitting inside its transaction"
    values = sitting_values(test)
    sitting = Sitting.objects.select_for_update().defer(*LARGE).filter(usage_key=test.usage_key).first()
    if sitting is None:
        try:
            with transaction.atomic():
                return Sitting.objects.create(usage_key=test.usage_key, **values, **(_content_values(test) or {}))
        except IntegrityError:  # created by another request at once (MariaDB): take that one
            sitting = Sitting.objects.select_for_update().defer(*LARGE).get(usage_key=test.usage_key)
    changed = [name for name, value in values.items() if getattr(sitting, name) != value]
    for name in changed:
        setattr(sitting, name, values[name])
    content = _content_changes(sitting, test)
    if changed or content:
        sitting.save(update_fields=[*changed, *content, "updated_at"])
    if changed:
        refresh_deadlines(sitting, now)
    return sitting


def current_sitting(test, now):
    """The sitting for a student's request that does not change it (None before any attempt):
    read without a lock, and locked only when the block's settings moved since (rare: the author
    changed the test)."""
    sitting = sitting_of(test)
    if sitting is None:
        return None
    values = sitting_values(test)
    if any(getattr(sitting, name) != value for name, value in values.items()):
        sitting = sitting_for(test, now)
    return sitting


def window_of(sitting):
    """The window in force: the planned one with the board's changes applied in order."""
    planned = timing.Window(sitting.opens, sitting.closes)
    return timing.effective_window(planned, [timing.Change(c.kind, c.at, c.until) for c in sitting.changes.all()])


def decisions_of(sitting):
    """The head of school's decisions for the sitting, as the timing rules read them."""
    return [timing.RemoteDecision(d.reason, frozenset(d.students), sitting.usage_key, d.decided_by, d.decided_at)
            for d in sitting.decisions.all()]


# Deadlines ---------------------------------------------------------------------------------------

def extra_minutes(sitting, user_key):
    """The extra time granted to one student for the sitting, in minutes."""
    return (Accommodation.objects.filter(sitting=sitting, user_key=user_key, kind=EXTRA_TIME)
            .aggregate(total=Sum("minutes"))["total"] or 0)



def deadline_of(attempt, sitting, window=None, extra=None):
    """The attempt's deadline (timing.deadline): ``min(start + limit + extra time, close)``, or
    after a reopening the reopening plus the minutes it gave back."""
    window = window or window_of(sitting)
    extra = extra_minutes(sitting, attempt.user_key) if extra is None else extra
    reopening = None
    if attempt.reopened_at is not None:
        reopening = timing.Reopening(attempt.reopened_at, dt.timedelta(minutes=attempt.reopen_minutes or 0))
    return timing.deadline(attempt.started_at, dt.timedelta(minutes=sitting.minutes), window.closes,
                           dt.timedelta(minutes=extra), dt.timedelta(seconds=sitting.grace_seconds), reopening)


def set_deadline(attempt, limit):
    attempt.deadline_at, attempt.accept_until = limit.at, limit.accept_until


def refresh_deadlines(sitting, now):
    """Decide again the deadline of every attempt of the sitting the clock may still end (the
    window, the limit or the grace changed); call with the sitting locked."""
    window = window_of(sitting)
    extras = dict(Accommodation.objects.filter(sitting=sitting, kind=EXTRA_TIME).values("user_key")
                  .annotate(total=Sum("minutes")).values_list("user_key", "total"))
    for attempt in Attempt.objects.select_for_update().filter(sitting=sitting, state__in=OPEN_STATES):
        set_deadline(attempt, deadline_of(attempt, sitting, window, extras.get(attempt.user_key, 0)))
        attempt.save(update_fields=["deadline_at", "accept_until", "updated_at"])


# Attempts ----------------------------------------------------------------------------------------

def attempt_of(usage_key, user_key, lock=False, paper=True):
    """The student's attempt at the test, or None; ``lock``: locked until the transaction's end;
    ``paper`` False: the delivered paper is read only if something asks for it."""
    rows = Attempt.objects.select_for_update() if lock else Attempt.objects
    rows = rows if paper else rows.defer("paper")
    return rows.filter(usage_key=usage_key, user_key=user_key).first()


def student_attempt(test, user_key, lock=False):
    """A student's attempt named by staff: the attempt, or NotFound."""
    attempt = attempt_of(test.usage_key, user_key, lock=lock)
    if attempt is None:
        raise NotFound(N_("This student has not started the test."))
    return attempt


# Records of what happened ------------------------------------------------------------------------

def event(sitting, user_key, kind, now, attempt=None, source=SERVER, client_at=None, **data):
    """An integrity event at the server's time ``now`` (its own record: no audit entry)."""
    return IntegrityEvent.objects.create(sitting=sitting, attempt=attempt, user_key=user_key, kind=kind,
                                         source=source, at=now, client_at=client_at, data=data)


def record(action, where, actor, role, object_type, object_id, **data):
    """The audit entry of one change (call inside its transaction). ``where`` is the test or its
    sitting (both carry the keys); every entry names the block (``usage_key``)."""
    return audit.append(action, object_type=object_type, object_id=object_id, actor=actor, actor_role=role,
                        org=where.org, course_key=where.course_key, data=dict(usage_key=where.usage_key, **data))


def iso(moment):
    return clock.iso(moment) if moment else ""
