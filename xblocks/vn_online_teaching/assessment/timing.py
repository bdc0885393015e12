"""When a periodic test may be taken, and until when: pure rules over aware instants, in UTC.

Integrity starts with time decided by the server (docs/circular-09.md, periodic assessment): the
browser shows a countdown, but whether a sitting is open, when an attempt's time is up, whether a
save still counts and when an abandoned attempt is finalised are decided here from the server's
clock (``core.clock.now``), never from the device's. The school's zone matters only to show the
instants (``core.clock.display``).

- A sitting has a window (opens, closes) that the board may change: open it early, close it
  early, extend it. The changes are kept as records and folded over the planned window, so the
  window in force can always be recomputed and explained.
- An attempt's deadline is ``min(start + time limit + extra time, close)``: extra time granted to
  one student (an accommodation, with a reason) cannot carry an attempt past the window; the board
  extends the window when it must. After a reopening (a lost connection), the deadline is the
  reopening plus the minutes the board gave back, whatever the window.
- Grace: a save that arrives up to ``ASSESSMENT_GRACE_SECONDS`` after the deadline still counts (the
  answer was typed in time and the network was slow); the deadline shown does not move. Later
  saves are refused and recorded; the attempt is finalised by the server once the grace is over,
  whether or not the browser is still there.
- A remote sitting opens only for a student named in a recorded decision of the head of school.
"""
import datetime as dt
from dataclasses import dataclass

from ..core.errors import Conflict, RequestError
from ..core.i18n import N_

UTC = dt.timezone.utc
ZERO = dt.timedelta(0)
SECOND = dt.timedelta(seconds=1)

NOT_OPEN, OPEN, CLOSED = "not_open", "open", "closed"
WINDOW_LABELS = {NOT_OPEN: N_("Not open yet"), OPEN: N_("Open"), CLOSED: N_("Closed")}

AT_SCHOOL, REMOTE = "at_school", "remote"
MODES = {
    AT_SCHOOL: N_("At school"),
    REMOTE: N_("Remote, by decision of the head of school"),
}

# The board's changes to a sitting's window.
OPEN_NOW, CLOSE_NOW, EXTEND = "open_now", "close_now", "extend"
CHANGE_LABELS = {OPEN_NOW: N_("Open now"), CLOSE_NOW: N_("Close now"), EXTEND: N_("Extend")}

ACCEPT, REFUSE_LATE = "accept", "refuse_late"


def utc(moment):
    """``moment`` in UTC. A naive instant is a programming error here: it could mean any zone."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("timing needs aware datetimes")
    return moment.astimezone(UTC)


@dataclass(frozen=True)
class Window:
    """When a sitting accepts attempts: from ``opens`` (included) to ``closes`` (excluded)."""

    opens: dt.datetime
    closes: dt.datetime

    def __post_init__(self):
        object.__setattr__(self, "opens", utc(self.opens))
        object.__setattr__(self, "closes", utc(self.closes))

    def state(self, now):
        """NOT_OPEN, OPEN or CLOSED at ``now``. A window closed before it opened (a sitting
        closed early before its time) is closed."""
        now = utc(now)
        if now >= self.closes:
            return CLOSED
        return OPEN if now >= self.opens else NOT_OPEN


@dataclass(frozen=True)
class Change:
    """One decision of the board about a window: ``kind`` taken at ``at``; an extension also names
    the new close, ``until``."""

    kind: str
    at: dt.datetime
    until: dt.datetime = None


def check_window(opens, closes):
    """A planned window as the author sets it, or a translated 400: it must close after it opens."""
    if utc(closes) <= utc(opens):
        raise RequestError("bad_window", N_("The test must close after it opens."), field="closes")
    return Window(opens, closes)


def apply_change(window, change):
    """The window after one change. Opening early moves the opening to the decision; closing early
    moves the close to it; an extension moves the close to ``until`` (also reopening a window that
    had closed)."""
    at = utc(change.at)
    if change.kind == OPEN_NOW:
        return Window(min(window.opens, at), window.closes)
    if change.kind == CLOSE_NOW:
        return Window(window.opens, min(window.closes, at))
    if change.kind == EXTEND:
        return Window(window.opens, max(window.closes, utc(change.until)))
    raise ValueError(f"unknown window change {change.kind!r}")


def effective_window(window, changes=()):
    """The window in force: the planned one with the board's changes applied in order."""
    for change in sorted(changes, key=lambda c: utc(c.at)):
        window = apply_change(window, change)
    return window


def check_change(window, change, now):
    """Refuse, with a translated 409 or 400, a change that makes no sense at ``now`` in the window
    in force: opening a sitting that is open or over, closing one that is not open, an extension
    that does not end later than the current close and than now."""
    if change.kind not in CHANGE_LABELS:
        raise RequestError("bad_choice", N_("Unknown action."), field="kind")
    state = window.state(now)
    if change.kind == OPEN_NOW and state != NOT_OPEN:
        raise Conflict("already_open", N_("This test is already open or has closed."))
    if change.kind == CLOSE_NOW and state != OPEN:
        raise Conflict("not_open", N_("This test is not open."))
    if change.kind == EXTEND and (change.until is None or utc(change.until) <= max(window.closes, utc(now))):
        raise RequestError("bad_window", N_("The new closing time must be later than the current one and "
                                            "than now."), field="until")
    return apply_change(window, change)


@dataclass(frozen=True)
class Deadline:
    """An attempt's deadline: ``at`` is what the student is shown and when time is up; saves are
    accepted until ``accept_until`` (``at`` plus the grace for network delay)."""

    at: dt.datetime
    accept_until: dt.datetime


@dataclass(frozen=True)
class Reopening:
    """The board reopened an attempt at ``at`` (after a lost connection) giving ``granted`` time."""

    at: dt.datetime
    granted: dt.timedelta


def deadline(start, limit, closes, extra=ZERO, grace=ZERO, reopening=None):
    """The deadline of an attempt started at ``start`` with time limit ``limit`` and ``extra`` time
    in a window closing at ``closes``: ``min(start + limit + extra, closes)``. After a
    ``reopening``, its moment plus the time it gave back (the board reopened the attempt, maybe
    after the window closed, for this student alone)."""
    if min(limit, extra, grace) < ZERO or (reopening and reopening.granted < ZERO):
        raise ValueError("durations cannot be negative")
    if reopening is not None:
        at = utc(reopening.at) + reopening.granted
    else:
        at = min(utc(start) + limit + extra, utc(closes))
    return Deadline(at, at + grace)


@dataclass(frozen=True)
class SaveDecision:
    """Whether a save counts, and how long after the shown deadline it came (zero when before),
    for the record."""

    outcome: str
    late_by: dt.timedelta

    @property
    def accepted(self):
        return self.outcome == ACCEPT


def save_decision(now, limit):
    """ACCEPT a save that reaches the server by ``limit.accept_until``, otherwise REFUSE_LATE."""
    now = utc(now)
    late_by = max(ZERO, now - limit.at)
    return SaveDecision(ACCEPT if now <= limit.accept_until else REFUSE_LATE, late_by)


class TimeUp(Conflict):
    """A save refused because it came after the deadline and its grace (it is recorded)."""

    def __init__(self):
        super().__init__("time_up", N_("Time is up: this answer reached the server after the deadline and was "
                                       "not saved. The answers saved before the deadline are kept."))


def remaining_seconds(now, limit):
    """Whole seconds left until the shown deadline, never negative (the countdown's start)."""
    return max(ZERO, limit.at - utc(now)) // SECOND


def finalise_due(now, limit):
    """Must the server finalise the attempt now? Once the grace after the deadline is over: a save
    can no longer count, so nothing the student does can change the attempt."""
    return utc(now) > limit.accept_until


def check_minutes(minutes, maximum, field="minutes"):
    """A time limit chosen by the author: whole minutes from 1 to ``maximum``
    (``ASSESSMENT_MAX_MINUTES``), or a translated 400."""
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= maximum:
        raise RequestError("out_of_range", N_("The time limit must be between 1 and {maximum} minutes."),
                           field=field, maximum=maximum)
    return dt.timedelta(minutes=minutes)


def check_extra_time(granted, already, maximum, field="minutes"):
    """Extra time for one student: ``granted`` whole minutes (at least 1) on top of ``already``
    granted, at most ``maximum`` in all (``ASSESSMENT_MAX_EXTRA_MINUTES``), or a translated 400."""
    if isinstance(granted, bool) or not isinstance(granted, int) or granted < 1 or already + granted > maximum:
        raise RequestError("out_of_range", N_("Extra time must be at least 1 minute and at most {maximum} "
                                              "minutes in all for one student."), field=field, maximum=maximum)
    return dt.timedelta(minutes=granted)


@dataclass(frozen=True)
class RemoteDecision:
    """The head of school's decision that named students may sit one periodic test remotely,
    because they cannot come to school for a reason beyond their control: why, who, which test,
    who decided and when. Kept as a record; without one a remote sitting does not open."""

    reason: str
    student_keys: frozenset
    test_key: str
    decided_by: str
    decided_at: dt.datetime

    def covers(self, student_key, test_key):
        return test_key == self.test_key and student_key in self.student_keys


def check_remote_decision(reason, student_keys, test_key, decided_by, decided_at):
    """A decision as recorded, or a translated 400: it needs a reason and at least one student."""
    reason = (reason or "").strip()
    if not reason:
        raise RequestError("required", N_("Write the reason for the decision (why these students cannot come to "
                                          "school)."), field="reason")
    students = frozenset(k for k in student_keys if k)
    if not students:
        raise RequestError("required", N_("Choose the students the decision is for."), field="students")
    return RemoteDecision(reason, students, test_key, decided_by, utc(decided_at))


class RemoteNotDecided(RequestError):
    status = 403

    def __init__(self):
        super().__init__("remote_not_decided", N_("This test is taken at school. Taking it remotely needs a "
                                                  "decision of the head of school, and none names you."))


class RemoteWithoutDecision(RequestError):
    status = 409

    def __init__(self):
        super().__init__("remote_without_decision", N_("A remote sitting cannot open before the head of school's "
                                                       "decision is recorded."))


def check_mode(mode, test_key, decisions=()):
    """May a sitting in ``mode`` open? At school always; remote only when a decision of the head
    of school for this test is recorded (a translated 409 otherwise)."""
    if mode not in MODES:
        raise RequestError("bad_choice", N_("Unknown mode."), field="mode")
    if mode == REMOTE and not any(d.test_key == test_key for d in decisions):
        raise RemoteWithoutDecision()


def check_start(window, now, mode, student_key, test_key, decisions=()):
    """May ``student_key`` start (or resume) test ``test_key`` at ``now``? None, or a translated
    error: not open yet, closed, or remote without a decision of the head of school naming them."""
    check_mode(mode, test_key, decisions)
    state = window.state(now)
    if state == NOT_OPEN:
        raise Conflict("not_open", N_("This test is not open yet."))
    if state == CLOSED:
        raise Conflict("closed", N_("This test is closed."))
    if mode == REMOTE and not any(d.covers(student_key, test_key) for d in decisions):
        raise RemoteNotDecided()
