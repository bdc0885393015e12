"""A student's check-in: the window on the server's clock, the rotating code, the networks, and
the student's own view of the block's lessons.

A whole class checks in within the same minute, so the common case costs one locked read and one
insert (``check_in``). The new mark is itself the record of the check-in (time, status, address,
browser): it writes no ``MarkChange`` and no audit entry, which docs/audit-policy.md keeps for
staff changes and security events; the audit chain takes the roll when the teacher confirms the
logbook entry (``class_records.save_entry``).
"""
import datetime as dt
import functools
import hashlib
import hmac

from django.conf import settings
from django.db import connection, transaction

from ..core import clock, config, roles
from ..core.errors import Conflict, Forbidden, NotFound, RequestError
from ..core.i18n import N_
from ..core.models import Learner
from . import roll
from .marks import state
from .models import CodeAttempt, Lesson, Mark, MarkChange
from .records import MANAGE, authorize, get_lesson, record, refuse_cancelled
from .timetable import lesson_data, lessons

WRONG_CODE_WINDOW = dt.timedelta(minutes=10)
# Wrong codes from one address in that window before its guessers must wait (see _check_code): a
# security bound beside the code's length, not a school's choice; a class behind one school
# router mistypes far fewer.


def window_of(lesson, org):
    """When students may check in to ``lesson`` (school settings); None when the lesson is so close
    to the ends of the calendar (a row from before dates were checked) that it has no window."""
    try:
        return roll.window(lesson.starts_at, lesson.ends_at, config.get("CHECKIN_OPEN_BEFORE_MIN", org),
                           config.get("CHECKIN_GRACE_MIN", org), config.get("CHECKIN_CLOSE_AFTER_MIN", org))
    except OverflowError:
        return None


def checkin_state(lesson, org, now):
    """"cancelled", "not_open", "open" or "closed" for a student's check-in at ``now``."""
    if lesson.cancelled_at is not None:
        return "cancelled"
    window = window_of(lesson, org)
    if window is None:
        return "closed"
    if now < window.opens:
        return "not_open"
    return "open" if now <= window.closes else "closed"


# The rotating code ---------------------------------------------------------------------------

def _code_secret(lesson):
    """The lesson's code key: its own salt under the site's secret, so a copy of the database
    alone does not give the codes."""
    key = settings.SECRET_KEY.encode("utf-8")
    return hmac.new(key, f"vnot-checkin:{lesson.pk}:{lesson.code_salt}".encode("utf-8"), hashlib.sha256).hexdigest()


def current_code(lesson, now=None):
    """The code to show the class now, and the seconds until it changes (the caller checked who
    asks: ``code_for_teacher``, or a roll call of someone who may manage the lesson)."""
    now = now or clock.now()
    return {"code": roll.code_for(_code_secret(lesson), now), "seconds_left": roll.seconds_left(now),
            "step": roll.CODE_STEP_SECONDS}


def code_for_teacher(where, actor, lesson_id):
    """The rotating code to show the class, for the teachers who may take the lesson's roll."""
    authorize(actor, MANAGE, where)
    return current_code(get_lesson(where.usage_key, lesson_id))


# The student's own records -------------------------------------------------------------------

def own_record(mark, org, already=False):
    """A student's own mark as plain data (what the student may see of it)."""
    return {
        "lesson": mark.lesson_id, "status": mark.status, "source": mark.source, "location": mark.location,
        "remark": mark.remark,
        "checked_in_at": clock.display(mark.checked_in_at, org) if mark.checked_in_at else "",
        "already": already,
    }


def own_lessons(where, user_key, now=None):
    """The block's lessons with the student's own mark only, and the check-in state of each."""
    now = now or clock.now()
    own = {m.lesson_id: m for m in Mark.objects.filter(lesson__usage_key=where.usage_key, user_key=user_key)}
    out = []
    for lesson in lessons(where.usage_key):
        mark = own.get(lesson.pk)
        out.append(dict(lesson_data(lesson, where.org), state=checkin_state(lesson, where.org, now),
                        ended=lesson.ends_at < now, mine=own_record(mark, where.org) if mark else None))
    return out


# Check-in ------------------------------------------------------------------------------------

def check_in(where, actor, lesson_id, *, code="", ip="", user_agent=""):
    """A student checks in. Decided on the server's clock: present until the grace time, late
    after, refused outside the window; with the lesson's rules: only with the current rotating
    code, only from the listed networks (None: any network; a list, even empty: only those).
    Checking in again returns the record already made (``already``). ``where`` needs only the
    block's keys (``BlockKeys``): the lesson carries its class and its rules. The roster is the
    permission: only a learner of the lesson's class checks in. A refusal inside the transaction
    writes nothing, except a wrong code (recorded to slow guessing down)."""
    if actor.is_anonymous:
        raise Forbidden()
    now = clock.now()
    failure = None
    with transaction.atomic():
        lesson = _check_in_read(where, actor.user_key, lesson_id)
        if lesson is None:
            raise NotFound()
        if not lesson.on_roster:
            raise Forbidden(N_("You are not on the roster of class {class_name}."), class_name=lesson.class_name)
        mark = Mark.objects.get(pk=lesson.mark_pk) if lesson.mark_pk else None
        if mark is not None and (mark.status or mark.checked_in_at):
            return own_record(mark, where.org, already=True)
        refuse_cancelled(lesson)
        window = _open_window(lesson, where.org, now)
        if lesson.networks is not None and not _address_in(ip, lesson.networks):
            raise RequestError("network", N_("Check-in is only possible from the school's network."), status=403)
        if lesson.require_code:
            failure = _check_code(where, actor, lesson, code, ip, now)
        if failure is None:
            mark = _write(lesson, actor, mark, window.status_at(now), ip, user_agent, now)
    if failure is not None:
        raise failure  # after the transaction: the wrong attempt stays recorded
    return own_record(mark, where.org)


def _open_window(lesson, org, now):
    """The lesson's window, or the refusal that says when it opens or closed."""
    window = window_of(lesson, org)
    if window is None:
        raise Conflict("closed", N_("Check-in is closed. Your teacher takes the roll."))
    if now < window.opens:
        raise Conflict("not_open", N_("Check-in opens at {time}."), time=clock.to_school(window.opens, org).strftime("%H:%M"))
    if now > window.closes:
        raise Conflict("closed", N_("Check-in closed at {time}. Ask your teacher to mark you."),
                       time=clock.to_school(window.closes, org).strftime("%H:%M"))
    return window


def _write(lesson, actor, mark, status, ip, user_agent, now):
    """The check-in's mark: a new one (the common case, its own record), or an empty mark filled."""
    values = {"status": status, "checked_in_status": status, "source": "checkin", "checked_in_at": now,
              "ip": (ip or "")[:45], "user_agent": (user_agent or "")[:300], "updated_by": actor.user_key}
    if mark is None:
        return Mark.objects.create(lesson=lesson, user_key=actor.user_key, **values)
    # An empty mark left by an import or a teacher's cleared status: its remark or minutes stay,
    # so this change is kept as it was.
    before = state(mark)
    for name, value in values.items():
        setattr(mark, name, value)
    mark.save(update_fields=[*values, "updated_at"])
    MarkChange.objects.create(mark=mark, at=now, by_key=actor.user_key, by_name=actor.display_name,
                              source="checkin", before=before, after=state(mark))
    return mark


def _address_in(ip, entries):
    """Is ``ip`` in one of the lesson's networks? An empty list (every entry was bad) admits nobody."""
    networks = roll.parse_networks(roll.network_rule(entries) or ())
    return bool(networks) and roll.address_allowed(ip, networks)


def _check_in_read(where, user_key, lesson_id):
    """The lesson of this block, locked, with ``on_roster`` (is the student on its class's roster)
    and ``mark_pk`` (their mark, if any): one statement, or None.

    The one statement of the package not built by the ORM at each call: building the same query
    with ``annotate(Exists(...), Subquery(...))`` cost more than the database running it (1.9 ms
    of a 3.4 ms check-in, measured by bench/checkin.py), on the path a whole class takes in the
    same minute. The text is built once per database from the models' own table and column
    names; its roster condition is ``learners.roster_rows``'s (the check-in tests pin both)."""
    sql = _check_in_sql(connection.vendor, connection.features.has_select_for_update)
    return next(iter(Lesson.objects.raw(sql, [where.org, user_key, user_key, lesson_id, where.usage_key])), None)


@functools.cache
def _check_in_sql(vendor, for_update):
    quote = connection.ops.quote_name

    def col(model, name):
        return quote(model._meta.get_field(name).column)

    return (
        f"SELECT l.*, EXISTS(SELECT 1 FROM {quote(Learner._meta.db_table)} r WHERE r.{col(Learner, 'org')} = %s"
        f" AND r.{col(Learner, 'class_name')} = l.{col(Lesson, 'class_name')} AND r.{col(Learner, 'user_key')} = %s)"
        f" AS on_roster, (SELECT m.{col(Mark, 'id')} FROM {quote(Mark._meta.db_table)} m"
        f" WHERE m.{col(Mark, 'lesson')} = l.{col(Lesson, 'id')} AND m.{col(Mark, 'user_key')} = %s) AS mark_pk"
        f" FROM {quote(Lesson._meta.db_table)} l WHERE l.{col(Lesson, 'id')} = %s AND l.{col(Lesson, 'usage_key')} = %s"
        + (" FOR UPDATE" if for_update else ""))


def _check_code(where, actor, lesson, code, ip, now):
    """None when the code is right; otherwise the error to answer (a wrong code is recorded).

    Why guessing stays expensive with no lesson-wide lock-out: a code has six digits and changes
    every 30 seconds, and two codes are accepted at a time (the current one and the one before),
    so one guess succeeds with a chance of 2 in 1,000,000. Only learners on the lesson's roster
    reach this point, each with at most CHECKIN_MAX_WRONG_CODES wrong codes per 10 minutes, while
    the window is open about 30 minutes: a class of 40 all guessing at that pace makes some 600
    guesses, about one chance in a thousand that one of them gets in without the code. A limit
    per lesson added nothing to that, but let a handful of students lock the whole class out even
    with the right code, so there is none.

    What could multiply the guesses is one device holding several classmates' accounts, so wrong
    codes are also counted per address: past CHECKIN_MAX_WRONG_CODES_ADDRESS from one address,
    a student who has typed a wrong code must wait, while a student who has not (a classmate
    behind the same school router, typing the right code) is never refused by it. Counting and
    recording happen under the lesson's lock, so attempts at once are counted exactly."""
    if not str(code or "").strip():
        return RequestError("code_required", N_("Type the code your teacher shows."), field="code")
    since = now - WRONG_CODE_WINDOW
    ip = (ip or "")[:45]
    mine = CodeAttempt.objects.filter(lesson=lesson, user_key=actor.user_key, at__gt=since).count()
    per_student = config.get("CHECKIN_MAX_WRONG_CODES", where.org)
    if mine >= per_student:
        return RequestError("too_many_codes", N_("Too many wrong codes. Wait a few minutes or ask your teacher to "
                                                 "mark you."), status=429)
    from_here = CodeAttempt.objects.filter(lesson=lesson, ip=ip, at__gt=since).count()
    per_address = config.get("CHECKIN_MAX_WRONG_CODES_ADDRESS", where.org)
    if mine and from_here >= per_address:
        return RequestError("too_many_codes_here", N_("Too many wrong codes were typed from this network. Wait a few "
                                                      "minutes or ask your teacher to mark you."), status=429)
    if roll.code_ok(_code_secret(lesson), code, now):
        return None
    CodeAttempt.objects.create(lesson=lesson, user_key=actor.user_key, ip=ip, at=now)
    if mine + 1 == per_student:
        record("attendance.code_limit", where, actor, roles.STUDENT, lesson.pk, user=actor.user_key,
               wrong_codes=mine + 1)  # a security event (docs/audit-policy.md)
    if from_here + 1 == per_address:
        record("attendance.code_limit_address", where, actor, roles.STUDENT, lesson.pk, address=ip,
               wrong_codes=from_here + 1)
    return RequestError("wrong_code", N_("This code is not right. Type the code your teacher shows now."), field="code")


