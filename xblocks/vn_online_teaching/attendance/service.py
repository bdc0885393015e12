"""The attendance records: the only code that reads or writes the attendance models.

Every change runs in one transaction that first locks the lesson's row, so all writes to one
lesson's marks queue behind each other on every database (SQLite: IMMEDIATE transactions;
MariaDB: the row lock), then changes the records, keeps the mark's history (``MarkChange``) and
appends to the audit log; a student's first check-in is the one exception, its mark being its own
record (see ``check_in``). A hundred check-ins of one student at once therefore make one mark, and
the unique key (lesson, learner) guarantees it even if a writer forgot the lock.

The functions return plain data (dicts, lists, codes rather than labels), so the block, the class
logbook and the exports can all read the same records. Permissions for changes are checked here
as well as in the block (``_authorize``); reading functions leave that to their caller.
"""
import datetime as dt
import functools
import hashlib
import hmac
import secrets
import uuid
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Count, Q

from ..core import audit, clock, config, i18n, roles
from ..core.errors import Conflict, Forbidden, NotFound, RequestError
from ..core.i18n import N_
from ..core.models import Learner
from ..core.text import fold
from . import roll, schedule
from .importers import ReportError, Thresholds, parse_report, summarize
from .models import CodeAttempt, Lesson, Mark, MarkChange, MeetingReport

OBJECT_TYPE = "attendance_lesson"
MANAGE = "attendance.manage"
VIEW_STAFF = "attendance.view_staff"
MAX_PERIOD = 15
WRONG_CODE_WINDOW = dt.timedelta(minutes=10)
WEEKDAYS = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"),
            N_("Sunday"))
SOURCES = {"checkin": N_("Student check-in"), "teacher": N_("Teacher"), "import": N_("Meeting report")}
MARK_FIELDS = ("status", "remark", "location")
LOCATIONS = ("", roll.IN_ROOM, roll.ONLINE)

# The importers' error codes (their interface) and the sentences a teacher reads.
REPORT_ERRORS = {
    "empty_file": N_("The file is empty."),
    "too_large": N_("The file is larger than {limit_mb} MB."),
    "binary_file": N_("The file is not a text report (CSV)."),
    "unknown_format": N_("This is not a Zoom, Teams or Google Meet attendance report that can be read."),
    "format_mismatch": N_("The file is not a {expected} attendance report."),
    "no_participants": N_("The report lists no participants."),
    "bad_row": N_("Row {row} cannot be read (column “{column}”: “{value}”)."),
    "ambiguous_dates": N_("The dates in the file (such as {example}) may be day-first or month-first, "
                          "and the lesson date {lesson_date} does not decide which."),
    "date_mismatch": N_("The report is of {file_date}, not of the lesson's day {lesson_date}."),
    "bad_lesson_window": N_("The lesson must end after it starts."),
}
REPORT_FORMATS = ("auto", "zoom", "teams", "meet")


@dataclass(frozen=True)
class BlockKeys:
    """The block the records belong to, by its keys only. What a student's check-in needs: the
    lesson carries its class, and reading the block's class and subject settings would cost a
    field-store read each on the hottest path of the block."""

    usage_key: str
    course_key: str
    org: str


@dataclass(frozen=True)
class Where(BlockKeys):
    """The block's keys, the class and subject it is set up for (what staff views and role checks
    need), and its check-in settings (what a new lesson starts with): ``networks`` None for any
    network, otherwise the tuple of allowed networks."""

    class_name: str
    subject: str
    require_code: bool = False
    networks: tuple | None = None


def place_of(where):
    return roles.Place(org=where.org, course_key=where.course_key, subject=where.subject,
                       class_name=where.class_name)


def _authorize(actor, action, where):
    """The role in which ``actor`` may do ``action`` here, or Forbidden."""
    place = place_of(where)
    if not roles.may(actor, action, place):
        raise Forbidden()
    return roles.role_for(actor, action, place)


def _configured(where):
    if not where.class_name:
        raise RequestError("not_configured", N_("Set the class of this block in Studio first."))


# Settings ------------------------------------------------------------------------------------

def lesson_minutes(org):
    """The default length of a lesson: 35 minutes in primary, 45 in secondary (school setting)."""
    lengths = config.get("PERIOD_MINUTES", org)
    return int(lengths.get(config.get("SCHOOL_LEVEL", org), 45))


def holidays(org):
    """The school's holidays as dates (entries that are not dates are ignored)."""
    out = set()
    for value in config.get("HOLIDAYS", org) or ():
        if isinstance(value, dt.date):
            out.add(value)
            continue
        try:
            out.add(dt.date.fromisoformat(str(value)))
        except ValueError:
            continue
    return out


def thresholds(org):
    return Thresholds(present_ratio=float(config.get("IMPORT_PRESENT_SHARE", org)),
                      grace_minutes=float(config.get("IMPORT_GRACE_MIN", org)),
                      late_ratio=float(config.get("IMPORT_LATE_SHARE", org)))


def window_of(lesson, org):
    return roll.window(lesson.starts_at, lesson.ends_at, config.get("CHECKIN_OPEN_BEFORE_MIN", org),
                       config.get("CHECKIN_GRACE_MIN", org), config.get("CHECKIN_CLOSE_AFTER_MIN", org))


# Roster --------------------------------------------------------------------------------------

def sort_key(full_name):
    """Vietnamese class lists are ordered by given name (the last word), then the full name."""
    words = fold(full_name).split()
    return (words[-1] if words else "", fold(full_name))


def class_learners(org, class_name):
    """The learners of a class who have an account, in class-list order. A lesson's roll is
    always that of the class the lesson was planned for (``Lesson.class_name``), so changing the
    block's class later does not rewrite the records of earlier lessons."""
    if not class_name:
        return []
    rows = Learner.objects.filter(org=org, class_name=class_name).exclude(user_key="")
    return sorted(rows, key=lambda learner: sort_key(learner.full_name))


def _roster_rows(org, class_name, user_key):
    """The one rule for "this learner is on this class's roster" (the check-in's statement,
    ``_check_in_sql``, says the same in SQL: change both together)."""
    return Learner.objects.filter(org=org, class_name=class_name, user_key=user_key)


def learner_of(org, class_name, user_key):
    if not user_key or not class_name:
        return None
    return _roster_rows(org, class_name, user_key).first()


# Lessons -------------------------------------------------------------------------------------

def lessons(usage_key):
    return list(Lesson.objects.filter(usage_key=usage_key).order_by("starts_at", "period", "pk"))


def get_lesson(usage_key, lesson_id):
    lesson = Lesson.objects.filter(usage_key=usage_key, pk=lesson_id).first()
    if lesson is None:
        raise NotFound()
    return lesson


def _locked(lesson):
    """The lesson's row, locked until the end of the transaction: every write to one lesson's
    marks takes this lock first, so they queue instead of racing."""
    return Lesson.objects.select_for_update().get(pk=lesson.pk)


def lesson_data(lesson, org):
    """One lesson as plain data, its times in school time."""
    start = clock.to_school(lesson.starts_at, org)
    end = clock.to_school(lesson.ends_at, org)
    return {
        "id": lesson.pk, "date": lesson.date.isoformat(), "date_display": start.strftime("%d/%m/%Y"),
        "weekday": WEEKDAYS[lesson.date.weekday()], "period": lesson.period,
        "start": start.strftime("%H:%M"), "end": end.strftime("%H:%M"),
        "length": int((lesson.ends_at - lesson.starts_at).total_seconds() // 60),
        "starts_at": clock.iso(lesson.starts_at), "ends_at": clock.iso(lesson.ends_at),
        "half_day": roll.half_day(start), "class_name": lesson.class_name, "subject": lesson.subject,
        "title": lesson.title, "syllabus_no": lesson.syllabus_no, "platform": lesson.platform,
        "platform_label": schedule.PLATFORMS.get(lesson.platform, lesson.platform), "link": lesson.link,
        "mode": lesson.mode, "mode_label": schedule.MODES.get(lesson.mode, lesson.mode), "series": lesson.series,
        "cancelled": lesson.cancelled_at is not None, "cancel_reason": lesson.cancel_reason,
        "teacher": lesson.created_by_name, "require_code": lesson.require_code,
    }


def checkin_state(lesson, org, now):
    """"cancelled", "not_open", "open" or "closed" for a student's check-in at ``now``."""
    if lesson.cancelled_at is not None:
        return "cancelled"
    window = window_of(lesson, org)
    if now < window.opens:
        return "not_open"
    return "open" if now <= window.closes else "closed"


def _clean_link(link):
    link = (link or "").strip()
    if link and not link.lower().startswith(("https://", "http://")):
        raise RequestError("bad_link", N_("Links must be full web addresses starting with https:// or http://."),
                           field="link")
    return link


def _clean_period(period):
    if not isinstance(period, int) or isinstance(period, bool) or not 1 <= period <= MAX_PERIOD:
        raise RequestError("bad_period", N_("The period must be a number from 1 to {limit}."), field="period",
                           limit=MAX_PERIOD)
    return period


def _choice(value, choices, field):
    if value not in choices:
        raise RequestError("bad_choice", N_("The field {field} has a value that is not allowed."), field=field)
    return value


def _lesson_values(data, org):
    """Model values of a lesson from the form: date, period, start, length (minutes; 0 or missing:
    the school's period length), title, syllabus_no, platform, link, mode, and require_code when
    the form sends it."""
    zone = clock.school_zone(org)
    day = schedule.parse_date(data.get("date"), "date")
    start = schedule.parse_time(data.get("start"), "start")
    length = data.get("length") or lesson_minutes(org)
    slot = schedule.slot(day, start, length, zone)
    return {
        "date": day, "period": _clean_period(data.get("period")), "starts_at": slot.starts_at, "ends_at": slot.ends_at,
        "title": (data.get("title") or "").strip(), "syllabus_no": (data.get("syllabus_no") or "").strip(),
        "platform": _choice(data.get("platform") or "meet", schedule.PLATFORMS, "platform"),
        "link": _clean_link(data.get("link")), "mode": _choice(data.get("mode") or "online", schedule.MODES, "mode"),
        **({"require_code": bool(data["require_code"])} if data.get("require_code") is not None else {}),
    }


def _check_in_rules(where, values):
    """A new lesson's check-in rules: the form's code choice, else the block's; the block's networks."""
    return {"require_code": values.get("require_code", where.require_code),
            "networks": list(where.networks) if where.networks is not None else None}


def _taken(usage_key, day, period, exclude=None):
    """Is there already a lesson (not cancelled) of this block on ``day`` in ``period``?"""
    qs = Lesson.objects.filter(usage_key=usage_key, date=day, period=period, cancelled_at__isnull=True)
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return qs.exists()


def _duplicate(day, period):
    return Conflict("duplicate_lesson", N_("There is already a lesson on {date}, period {period}."),
                    date=day.strftime("%d/%m/%Y"), period=period)


def _audit_values(values):
    return {k: (clock.iso(v) if isinstance(v, dt.datetime) else v.isoformat() if isinstance(v, dt.date) else v)
            for k, v in values.items()}


def create_lesson(where, actor, data):
    """Plan one lesson of the block's class; returns the Lesson. Planning exactly the same lesson
    again returns it (a retried request); another lesson in the same period is refused."""
    role = _authorize(actor, MANAGE, where)
    _configured(where)
    values = _lesson_values(data, where.org)
    rules = _check_in_rules(where, values)
    values["require_code"] = rules["require_code"]  # part of what a retried request must repeat
    networks = rules["networks"]
    with transaction.atomic():
        if _taken(where.usage_key, values["date"], values["period"]):
            same = Lesson.objects.filter(usage_key=where.usage_key, cancelled_at__isnull=True,
                                         created_by=actor.user_key, **values).first()
            if same is not None:
                return same  # the same request again (a retry after a lost answer): the same lesson
            raise _duplicate(values["date"], values["period"])
        lesson = Lesson.objects.create(
            usage_key=where.usage_key, course_key=where.course_key, org=where.org, class_name=where.class_name,
            subject=where.subject, code_salt=secrets.token_hex(16), created_by=actor.user_key,
            created_by_name=actor.display_name, networks=networks, **values)
        audit.append("attendance.lesson_create", object_type=OBJECT_TYPE, object_id=lesson.pk, actor=actor,
                      actor_role=role, org=where.org, course_key=where.course_key,
                      data=dict(_audit_values(values), usage_key=where.usage_key, class_name=where.class_name,
                                subject=where.subject, networks=networks))
    return lesson


def _next_syllabus_no(first, index):
    """Syllabus numbers (tiết PPCT) count up through a series when the first one is a number."""
    return str(int(first) + index) if first.isdigit() else first


def create_series(where, actor, data):
    """Plan the lessons on ``weekdays`` (0 = Monday) from ``first`` to ``until`` at one period,
    skipping the school's holidays, the dates in ``skip`` and periods that already have a lesson.

    Returns (created lessons, skipped dates)."""
    role = _authorize(actor, MANAGE, where)
    _configured(where)
    zone = clock.school_zone(where.org)
    first = schedule.parse_date(data.get("first"), "first")
    until = schedule.parse_date(data.get("until"), "until")
    start = schedule.parse_time(data.get("start"), "start")
    period = _clean_period(data.get("period"))
    skip = holidays(where.org) | {schedule.parse_date(d, "skip") for d in data.get("skip") or ()}
    weekdays = sorted(set(data.get("weekdays") or ()))
    slots = schedule.weekly(first, until, weekdays, start, data.get("length") or lesson_minutes(where.org), zone,
                            holidays=skip)
    if not slots:
        raise RequestError("no_lessons", N_("No lesson falls on the chosen days."), field="weekdays")
    base = _lesson_values(dict(data, date=first.isoformat(), period=period), where.org)
    series = str(uuid.uuid4())
    created, skipped = [], []
    with transaction.atomic():
        for slot in slots:
            if _taken(where.usage_key, slot.date, period):
                skipped.append(slot.date)
                continue
            created.append(Lesson.objects.create(
                usage_key=where.usage_key, course_key=where.course_key, org=where.org, class_name=where.class_name,
                subject=where.subject, date=slot.date, period=period, starts_at=slot.starts_at, ends_at=slot.ends_at,
                title=base["title"], syllabus_no=_next_syllabus_no(base["syllabus_no"], len(created)),
                platform=base["platform"], link=base["link"], mode=base["mode"], series=series,
                **_check_in_rules(where, base), code_salt=secrets.token_hex(16), created_by=actor.user_key,
                created_by_name=actor.display_name))
        if not created:
            raise Conflict("all_taken", N_("Every chosen day already has a lesson in this period."))
        audit.append("attendance.series_create", object_type=OBJECT_TYPE, object_id=created[0].pk, actor=actor,
                     actor_role=role, org=where.org, course_key=where.course_key,
                     data={"usage_key": where.usage_key, "series": series, "lessons": [x.pk for x in created],
                           "weekdays": weekdays, "first": first.isoformat(), "until": until.isoformat(),
                           "period": period, "skipped": [d.isoformat() for d in skipped],
                           **_check_in_rules(where, base)})
    return created, skipped


def apply_check_in_rules(where, actor, role=""):
    """The block's check-in settings were saved: every lesson of the block not yet over takes
    them (a lesson over keeps the rules its students met). Audited when a lesson changed.
    Returns the number of lessons changed."""
    rules = _check_in_rules(where, {})
    with transaction.atomic():
        pending = Lesson.objects.select_for_update().filter(usage_key=where.usage_key, ends_at__gt=clock.now())
        changed = [x.pk for x in pending if (x.require_code, x.networks) != (rules["require_code"], rules["networks"])]
        if changed:
            Lesson.objects.filter(pk__in=changed).update(updated_at=clock.now(), **rules)
            audit.append("attendance.checkin_rules", object_type=OBJECT_TYPE, object_id=changed[0], actor=actor,
                         actor_role=role, org=where.org, course_key=where.course_key,
                         data=dict(rules, usage_key=where.usage_key, lessons=changed))
    return len(changed)


def edit_lesson(where, actor, lesson_id, data, reason=""):
    """Change a lesson's date, time or details; audited with what changed and why."""
    role = _authorize(actor, MANAGE, where)
    lesson = get_lesson(where.usage_key, lesson_id)
    values = _lesson_values(data, where.org)
    with transaction.atomic():
        lesson = _locked(lesson)
        if lesson.cancelled_at is not None:
            raise Conflict("cancelled", N_("This lesson was cancelled."))
        changed = {k: v for k, v in values.items() if getattr(lesson, k) != v}
        if not changed:
            return lesson
        if ("date" in changed or "period" in changed) and _taken(where.usage_key, values["date"], values["period"],
                                                                 exclude=lesson.pk):
            raise _duplicate(values["date"], values["period"])
        before = _audit_values({k: getattr(lesson, k) for k in changed})
        for k, v in changed.items():
            setattr(lesson, k, v)
        lesson.save()
        audit.append("attendance.lesson_edit", object_type=OBJECT_TYPE, object_id=lesson.pk, actor=actor,
                     actor_role=role, org=where.org, course_key=where.course_key,
                     data={"usage_key": where.usage_key, "before": before, "after": _audit_values(changed),
                           "reason": (reason or "").strip()})
    return lesson


def cancel_lesson(where, actor, lesson_id, reason):
    """Cancel a lesson with a reason; its marks stay as they are (evidence) but are not counted."""
    role = _authorize(actor, MANAGE, where)
    reason = (reason or "").strip()
    if not reason:
        raise RequestError("required", N_("The field {field} must not be empty."), field="reason")
    lesson = get_lesson(where.usage_key, lesson_id)
    with transaction.atomic():
        lesson = _locked(lesson)
        if lesson.cancelled_at is not None:
            raise Conflict("cancelled", N_("This lesson was cancelled."))
        lesson.cancelled_at = clock.now()
        lesson.cancel_reason = reason
        lesson.save(update_fields=["cancelled_at", "cancel_reason", "updated_at"])
        audit.append("attendance.lesson_cancel", object_type=OBJECT_TYPE, object_id=lesson.pk, actor=actor,
                     actor_role=role, org=where.org, course_key=where.course_key,
                     data={"usage_key": where.usage_key, "reason": reason, "date": lesson.date.isoformat(),
                           "period": lesson.period})
    return lesson


def restore_lesson(where, actor, lesson_id, reason):
    """Undo a cancellation made by mistake (or a lesson that takes place after all): the lesson
    counts again with the marks it had. Refused when another lesson has since been planned in
    its period. The cancellation stays in the audit log, and the restoration is added to it."""
    role = _authorize(actor, MANAGE, where)
    reason = (reason or "").strip()
    if not reason:
        raise RequestError("required", N_("The field {field} must not be empty."), field="reason")
    with transaction.atomic():
        lesson = Lesson.objects.select_for_update().filter(usage_key=where.usage_key, pk=lesson_id).first()
        if lesson is None:
            raise NotFound()
        if lesson.cancelled_at is None:
            raise Conflict("not_cancelled", N_("This lesson is not cancelled."))
        if _taken(where.usage_key, lesson.date, lesson.period, exclude=lesson.pk):
            raise Conflict("taken", N_("Another lesson is planned in this period. Cancel or move it first."))
        cancelled = {"at": clock.iso(lesson.cancelled_at), "reason": lesson.cancel_reason}
        lesson.cancelled_at = None
        lesson.cancel_reason = ""
        lesson.save(update_fields=["cancelled_at", "cancel_reason", "updated_at"])
        audit.append("attendance.lesson_restore", object_type=OBJECT_TYPE, object_id=lesson.pk, actor=actor,
                     actor_role=role, org=where.org, course_key=where.course_key,
                     data={"usage_key": where.usage_key, "reason": reason, "cancelled": cancelled,
                           "date": lesson.date.isoformat(), "period": lesson.period})
    return lesson


def lessons_overview(where):
    """The block's lessons with their headcount: [lesson data + "counts" {status: n} + "total"]."""
    rows = lessons(where.usage_key)
    rosters = {name: {x.user_key for x in class_learners(where.org, name)} for name in {x.class_name for x in rows}}
    counted = {}
    for item in (Mark.objects.filter(lesson__usage_key=where.usage_key)
                 .values("lesson_id", "user_key", "status")):
        counted.setdefault(item["lesson_id"], {})[item["user_key"]] = item["status"]
    clashes = _clashes(where, rows)
    out = []
    for lesson in rows:
        roster = rosters[lesson.class_name]
        per = Counter(status for key, status in counted.get(lesson.pk, {}).items() if key in roster)
        counts = {s: per.get(s, 0) for s in roll.STATUSES}
        counts[roll.UNMARKED] = len(roster) - sum(counts.values())
        out.append(dict(lesson_data(lesson, where.org), counts=counts, total=len(roster),
                        attended=counts[roll.PRESENT] + counts[roll.LATE],
                        clashes=", ".join(clashes.get((lesson.class_name, lesson.date, lesson.period), []))
                        if lesson.cancelled_at is None else ""))
    return out


def _clashes(where, rows):
    """{(class, date, period): [subjects]} of lessons other blocks planned for the same class in
    the same period as one of ``rows``. Shown as a notice, not refused: a class split into groups
    (Tin học, Ngoại ngữ) has two lessons in one period; two subjects in one period otherwise is a
    timetable mistake the teachers should see."""
    live = [x for x in rows if x.cancelled_at is None]
    if not live:
        return {}
    wanted = {(x.class_name, x.date, x.period) for x in live}
    found = {}
    others = (Lesson.objects.filter(org=where.org, class_name__in={x.class_name for x in live},
                                    date__in={x.date for x in live}, period__in={x.period for x in live},
                                    cancelled_at__isnull=True)
              .exclude(usage_key=where.usage_key).values_list("class_name", "date", "period", "subject"))
    for class_name, day, period, subject in others:
        if (class_name, day, period) in wanted:
            found.setdefault((class_name, day, period), []).append(subject or "—")
    return {key: sorted(set(subjects)) for key, subjects in found.items()}


def class_lessons(org, class_name, since=None, until=None):
    """Hook for the logbook and reports: every lesson of a class (all subjects), as plain data."""
    qs = Lesson.objects.filter(org=org, class_name=class_name)
    if since is not None:
        qs = qs.filter(starts_at__gte=since)
    if until is not None:
        qs = qs.filter(starts_at__lt=until)
    return [lesson_data(lesson, org) for lesson in qs.order_by("starts_at", "period", "pk")]


def marks_map(lesson_ids, user_key=None):
    """Hook for the logbook and reports: {(lesson id, user key): status} of the given lessons
    (of one learner only, with ``user_key``)."""
    marks = Mark.objects.filter(lesson_id__in=list(lesson_ids))
    if user_key is not None:
        marks = marks.filter(user_key=user_key)
    return {(lesson_id, key): status for lesson_id, key, status in marks.values_list("lesson_id", "user_key", "status")}


def class_sessions(org, class_name, since, until):
    """Hook for a student's own year: the class's lessons (all subjects) with only what the
    absence count needs ({"id", "date", "half_day", "cancelled"}); a year is a thousand rows."""
    rows = (Lesson.objects.filter(org=org, class_name=class_name, starts_at__gte=since, starts_at__lt=until)
            .values_list("id", "date", "starts_at", "cancelled_at"))
    return [{"id": pk, "date": day, "half_day": roll.half_day(clock.to_school(start, org)),
             "cancelled": cancelled is not None} for pk, day, start, cancelled in rows]


def calendar(where, calendar_name, now=None):
    """An .ics file of the class's upcoming lessons (every subject of the class in the school)."""
    now = now or clock.now()
    upcoming = Lesson.objects.filter(org=where.org, class_name=where.class_name, ends_at__gte=now,
                                     cancelled_at__isnull=True).order_by("starts_at")[:schedule.MAX_SERIES * 2]
    events = []
    for lesson in upcoming:
        summary = " · ".join(x for x in (lesson.subject, lesson.class_name, lesson.title) if x)
        description = "\n".join(x for x in (lesson.syllabus_no and f"PPCT {lesson.syllabus_no}",
                                            schedule.PLATFORMS.get(lesson.platform, ""), lesson.link) if x)
        events.append((f"vnot-lesson-{lesson.pk}@{where.org or 'vnot'}", lesson.starts_at, lesson.ends_at, summary,
                       description, lesson.link))
    return schedule.ics(events, calendar_name, now)


# Check-in ------------------------------------------------------------------------------------

def _code_secret(lesson):
    """The lesson's code key: its own salt under the site's secret, so a copy of the database
    alone does not give the codes."""
    key = settings.SECRET_KEY.encode("utf-8")
    return hmac.new(key, f"vnot-checkin:{lesson.pk}:{lesson.code_salt}".encode("utf-8"), hashlib.sha256).hexdigest()


def current_code(lesson, now=None):
    """The code to show the class now, and the seconds until it changes."""
    now = now or clock.now()
    return {"code": roll.code_for(_code_secret(lesson), now), "seconds_left": roll.seconds_left(now),
            "step": roll.CODE_STEP_SECONDS}


def _state(mark):
    return {k: getattr(mark, k) for k in MARK_FIELDS}


def own_record(mark, org, already=False):
    """A student's own mark as plain data (what the student may see of it)."""
    return {
        "lesson": mark.lesson_id, "status": mark.status, "source": mark.source, "location": mark.location,
        "remark": mark.remark,
        "checked_in_at": clock.display(mark.checked_in_at, org) if mark.checked_in_at else "",
        "already": already,
    }


def _mark_of(lesson, user_key):
    """The mark of ``user_key`` at ``lesson``, created empty if missing; call with the lesson locked."""
    mark = Mark.objects.filter(lesson=lesson, user_key=user_key).first()
    return mark or Mark.objects.create(lesson=lesson, user_key=user_key)


def check_in(where, actor, lesson_id, *, code="", ip="", user_agent=""):
    """A student checks in. Decided on the server's clock: present until the grace time, late
    after, refused outside the window; with the lesson's rules: only with the current rotating
    code, only from the listed networks (None: any network; a list, even empty: only those).
    Checking in again returns the record already made (``already``). ``where`` needs only the
    block's keys (``BlockKeys``): the lesson carries its class and its rules.

    A whole class does this in the same minute, so the common case costs one locked read (the
    lesson, whether the student is on its roster and whether they have a mark, in one statement,
    ``_check_in_read``) and one insert. The new mark is itself the record of the check-in (time,
    status, address, browser): it writes no ``MarkChange`` (``mark_history`` shows it as the first
    change) and no audit entry, which ARCHITECTURE §6 keeps for staff changes and security events; the audit
    chain takes the roll when the teacher confirms the logbook entry. A refusal inside the
    transaction writes nothing."""
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
        if lesson.cancelled_at is not None:
            raise Conflict("cancelled", N_("This lesson was cancelled."))
        window = window_of(lesson, where.org)
        if now < window.opens:
            raise Conflict("not_open", N_("Check-in opens at {time}."),
                           time=clock.to_school(window.opens, where.org).strftime("%H:%M"))
        if now > window.closes:
            raise Conflict("closed", N_("Check-in closed at {time}. Ask your teacher to mark you."),
                           time=clock.to_school(window.closes, where.org).strftime("%H:%M"))
        if lesson.networks is not None and not _address_in(ip, lesson.networks):
            raise RequestError("network", N_("Check-in is only possible from the school's network."), status=403)
        if lesson.require_code:
            failure = _check_code(where, actor, lesson, code, now)
        if failure is None:
            status = window.status_at(now)
            values = {"status": status, "checked_in_status": status, "source": "checkin", "checked_in_at": now,
                      "ip": (ip or "")[:45], "user_agent": (user_agent or "")[:300], "updated_by": actor.user_key}
            if mark is None:
                mark = Mark.objects.create(lesson=lesson, user_key=actor.user_key, **values)
            else:  # an empty mark left by an import or a teacher's cleared status: its remark or
                # minutes stay, so this change is kept as it was
                before = _state(mark)
                for name, value in values.items():
                    setattr(mark, name, value)
                mark.save(update_fields=[*values, "updated_at"])
                MarkChange.objects.create(mark=mark, at=now, by_key=actor.user_key, by_name=actor.display_name,
                                          source="checkin", before=before, after=_state(mark))
    if failure is not None:
        raise failure  # after the transaction: the wrong attempt stays recorded
    return own_record(mark, where.org)


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
    names; its roster condition is ``_roster_rows``'s (the check-in tests pin both)."""
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


def _check_code(where, actor, lesson, code, now):
    """None when the code is right; otherwise the error to answer (a wrong code is recorded,
    and guessing is slowed down per student and stopped per lesson)."""
    if not str(code or "").strip():
        return RequestError("code_required", N_("Type the code your teacher shows."), field="code")
    per_student = config.get("CHECKIN_MAX_WRONG_CODES", where.org)
    per_lesson = config.get("CHECKIN_MAX_WRONG_CODES_LESSON", where.org)
    recent = CodeAttempt.objects.filter(lesson=lesson, user_key=actor.user_key, at__gt=now - WRONG_CODE_WINDOW).count()
    if recent >= per_student:
        return RequestError("too_many_codes", N_("Too many wrong codes. Wait a few minutes or ask your teacher to "
                                                 "mark you."), status=429)
    if CodeAttempt.objects.filter(lesson=lesson).count() >= per_lesson:
        return RequestError("codes_locked", N_("Too many wrong codes were typed for this lesson. Ask your teacher "
                                               "to mark you."), status=429)
    if roll.code_ok(_code_secret(lesson), code, now):
        return None
    CodeAttempt.objects.create(lesson=lesson, user_key=actor.user_key, at=now)
    if recent + 1 == per_student:
        audit.append("attendance.code_limit", object_type=OBJECT_TYPE, object_id=lesson.pk, actor=actor,
                     actor_role=roles.STUDENT, org=where.org, course_key=where.course_key,
                     data={"usage_key": where.usage_key, "user": actor.user_key, "wrong_codes": recent + 1})
    return RequestError("wrong_code", N_("This code is not right. Type the code your teacher shows now."), field="code")


def own_lessons(where, user_key, now=None):
    """The block's lessons with the student's own mark only, and the check-in state of each."""
    now = now or clock.now()
    rows = lessons(where.usage_key)
    own = {m.lesson_id: m for m in Mark.objects.filter(lesson__usage_key=where.usage_key, user_key=user_key)}
    out = []
    for lesson in rows:
        mark = own.get(lesson.pk)
        out.append(dict(lesson_data(lesson, where.org), state=checkin_state(lesson, where.org, now),
                        ended=lesson.ends_at < now,
                        mine=own_record(mark, where.org) if mark else None))
    return out


# Roll call -----------------------------------------------------------------------------------

def roll_call(where, lesson_id):
    """The roster of one lesson with every learner's mark: {"lesson", "rows", "counts", "total"}.
    Marks of people no longer on the class roster are listed after it (``on_roster`` False)."""
    lesson = get_lesson(where.usage_key, lesson_id)
    marks = {m.user_key: m for m in Mark.objects.filter(lesson=lesson).annotate(
        n_changes=Count("changes"), n_checkin=Count("changes", filter=Q(changes__source="checkin")))}
    rows = []

    def row(user_key, full_name, sector_id, username, on_roster):
        mark = marks.get(user_key)
        return {
            "user": user_key, "full_name": full_name, "sector_id": sector_id, "username": username,
            "on_roster": on_roster, "status": mark.status if mark else roll.UNMARKED,
            "remark": mark.remark if mark else "", "location": mark.location if mark else "",
            "source": mark.source if mark and mark.status else "",
            "checked_in_at": clock.display(mark.checked_in_at, where.org) if mark and mark.checked_in_at else "",
            "minutes": float(mark.minutes) if mark and mark.minutes is not None else None,
            "minutes_display": i18n.decimal(mark.minutes) if mark else "",
            "changes": (mark.n_changes + _check_in_unrecorded(mark, mark.n_checkin)) if mark else 0,
        }

    roster = class_learners(where.org, lesson.class_name)
    for learner in roster:
        rows.append(row(learner.user_key, learner.full_name, learner.sector_id, learner.username, True))
    known = {learner.user_key for learner in roster}
    for key in sorted(k for k in marks if k not in known):
        rows.append(row(key, key, "", key, False))
    return {"lesson": lesson_data(lesson, where.org), "rows": rows, "total": len(roster),
            "counts": roll.counts([r["status"] for r in rows if r["on_roster"]])}


def _apply(lesson, actor, source, items, now):
    """Write ``items`` ([{"user_key", and any of "status", "remark", "location", "minutes"}]) to the
    lesson's marks; a MarkChange for every mark that changed. Call with the lesson locked.
    Returns the changes as plain data."""
    changes = []
    for item in items:
        mark = _mark_of(lesson, item["user_key"])
        before = _state(mark)
        after = dict(before, **{k: item[k] for k in MARK_FIELDS if k in item})
        if item.get("minutes") is not None:
            mark.minutes = Decimal(str(item["minutes"]))
        if after == before:
            if item.get("minutes") is not None:
                mark.save(update_fields=["minutes", "updated_at"])
            continue
        for k, v in after.items():
            setattr(mark, k, v)
        if after["status"] != before["status"]:
            mark.source = source
        mark.updated_by = actor.user_key
        mark.save()
        MarkChange.objects.create(mark=mark, at=now, by_key=actor.user_key, by_name=actor.display_name, source=source,
                                  before=before, after=after)
        changes.append({"user": item["user_key"], "before": before, "after": after})
    return changes


def _clean_marks(where, lesson, marks):
    """Check a teacher's marks before anything is written: learners of the class (or already
    marked at this lesson), known statuses and places, remarks of a sensible length."""
    allowed = {learner.user_key for learner in class_learners(where.org, lesson.class_name)}
    allowed |= set(Mark.objects.filter(lesson=lesson).values_list("user_key", flat=True))
    cleaned, seen = [], set()
    for item in marks:
        if not isinstance(item, dict) or not isinstance(item.get("user"), str):
            raise RequestError("bad_type", N_("The field {field} has the wrong type."), field="marks")
        unknown = set(item) - {"user", *MARK_FIELDS}
        if unknown:
            raise RequestError("unknown_field", N_("Unknown field: {field}."), field=sorted(unknown)[0])
        if item["user"] not in allowed or item["user"] in seen:
            raise RequestError("bad_choice", N_("The field {field} has a value that is not allowed."), field="user")
        seen.add(item["user"])
        out = {"user_key": item["user"]}
        if "status" in item:
            out["status"] = _choice(item["status"], (*roll.STATUSES, roll.UNMARKED), "status")
        if "location" in item:
            out["location"] = _choice(item["location"], LOCATIONS, "location")
        if "remark" in item:
            if not isinstance(item["remark"], str):
                raise RequestError("bad_type", N_("The field {field} has the wrong type."), field="remark")
            if len(item["remark"].strip()) > 500:
                raise RequestError("too_long", N_("The field {field} is too long (at most {limit} characters)."),
                                   field="remark", limit=500)
            out["remark"] = item["remark"].strip()
        cleaned.append(out)
    return cleaned


def set_marks(where, actor, lesson_id, marks):
    """The teacher's roll call: [{"user", "status"?, "remark"?, "location"?}]. Returns the changes."""
    role = _authorize(actor, MANAGE, where)
    lesson = get_lesson(where.usage_key, lesson_id)
    items = _clean_marks(where, lesson, marks)
    with transaction.atomic():
        lesson = _locked(lesson)
        now = clock.now()  # once the lock is held: the history's times follow the order of writes
        if lesson.cancelled_at is not None:
            raise Conflict("cancelled", N_("This lesson was cancelled."))
        changes = _apply(lesson, actor, "teacher", items, now)
        if changes:
            audit.append("attendance.mark", object_type=OBJECT_TYPE, object_id=lesson.pk, actor=actor,
                         actor_role=role, org=where.org, course_key=where.course_key,
                         data={"usage_key": where.usage_key, "changes": changes})
    return changes


def mark_unmarked(where, actor, lesson_id, status):
    """Mark every learner of the class not yet marked at the lesson as ``status``."""
    role = _authorize(actor, MANAGE, where)
    _choice(status, roll.STATUSES, "status")
    lesson = get_lesson(where.usage_key, lesson_id)
    with transaction.atomic():
        lesson = _locked(lesson)
        now = clock.now()
        if lesson.cancelled_at is not None:
            raise Conflict("cancelled", N_("This lesson was cancelled."))
        marked = set(Mark.objects.filter(lesson=lesson).exclude(status="").values_list("user_key", flat=True))
        items = [{"user_key": learner.user_key, "status": status}
                 for learner in class_learners(where.org, lesson.class_name) if learner.user_key not in marked]
        changes = _apply(lesson, actor, "teacher", items, now)
        if changes:
            audit.append("attendance.mark_bulk", object_type=OBJECT_TYPE, object_id=lesson.pk, actor=actor,
                         actor_role=role, org=where.org, course_key=where.course_key,
                         data={"usage_key": where.usage_key, "status": status, "changes": changes})
    return changes


def attended(usage_key, lesson_id):
    """User keys of the learners marked present or late at one lesson of this block."""
    return list(Mark.objects.filter(lesson__usage_key=usage_key, lesson_id=lesson_id, status__in=roll.ATTENDED)
                .values_list("user_key", flat=True))


def mark_history(where, lesson_id, user_key):
    """Every change of one learner's mark at one lesson, oldest first: who, when, before, after;
    a check-in also with the address and the device it came from (staff only: the caller checks).
    A first check-in has no ``MarkChange`` of its own: the mark holds it, and it is shown here as
    the change it was (from not yet marked to the status the server gave)."""
    lesson = get_lesson(where.usage_key, lesson_id)
    mark = Mark.objects.filter(lesson=lesson, user_key=user_key).first()
    if mark is None:
        return []
    changes = [{"at": c.at, "by_key": c.by_key, "by": c.by_name or c.by_key, "source": c.source,
                "before": c.before, "after": c.after}
               for c in mark.changes.order_by("pk")]  # written under the lesson's lock: pk order is the order
    if _check_in_unrecorded(mark, any(c["source"] == "checkin" for c in changes)):
        unmarked = {k: "" for k in MARK_FIELDS}
        name = getattr(learner_of(where.org, lesson.class_name, user_key), "full_name", "") or user_key
        changes.insert(0, {"at": mark.checked_in_at, "by_key": user_key, "by": name, "source": "checkin",
                           "before": unmarked, "after": dict(unmarked, status=mark.checked_in_status)})
    device = {"ip": mark.ip, "device": roll.device_of(mark.user_agent)}  # of the one check-in a mark can have
    return [dict(c, at=clock.display(c["at"], where.org), at_iso=clock.iso(c["at"]),
                 **(device if c["source"] == "checkin" else {})) for c in changes]


def roll_as_signed(lesson):
    """Every mark of the lesson with a status, as the teacher signs the logbook entry (call with
    the lesson locked): learner, status, where it came from, and the check-in's time and status."""
    return [{"user": m.user_key, "status": m.status, "source": m.source, "location": m.location,
             "checked_in_at": clock.iso(m.checked_in_at) if m.checked_in_at else "",
             "checked_in_status": m.checked_in_status}
            for m in Mark.objects.filter(lesson=lesson).exclude(status="").order_by("user_key")]


def _check_in_unrecorded(mark, has_checkin_change):
    """True when the mark's check-in is in the mark alone (a first check-in), not in a ``MarkChange``
    (a check-in onto an empty mark, and every check-in before marks kept their check-in status)."""
    return bool(mark.checked_in_at and mark.checked_in_status and not has_checkin_change)


# Meeting-report imports ------------------------------------------------------------------------

def report_error(exc):
    """The RequestError a teacher reads for an importer's ``ReportError``."""
    params = {k: (", ".join(map(str, v)) if isinstance(v, (list, tuple)) else v) for k, v in exc.message_args.items()}
    if "expected" in params:
        params["expected"] = schedule.PLATFORMS.get(params["expected"], params["expected"])
    status = 413 if exc.code == "too_large" else 400
    return RequestError(exc.code, REPORT_ERRORS.get(exc.code, N_("The file cannot be read.")), status=status,
                        field="file", **{k: v for k, v in params.items() if k != "field"})


def _when(moment, zone):
    return moment.astimezone(zone).strftime("%H:%M:%S") if moment else None


def _person(index, person, zone):
    return {
        "i": index, "name": person.name, "email": person.email, "username": person.username,
        "sector_id": person.sector_id, "match": person.match_method, "reason": person.match_reason,
        "candidates": list(person.candidates), "role": person.role, "in_report": person.in_report,
        "timing_known": person.timing_known, "first_join": _when(person.first_join, zone),
        "last_leave": _when(person.last_leave, zone), "minutes": person.minutes, "suggested": person.status,
        "minutes_display": i18n.decimal(person.minutes), "rows": list(person.rows),
    }


def preview_import(where, actor, lesson_id, name, data, fmt="auto"):
    """Read an uploaded meeting report for a lesson, keep the file as evidence and return what it
    suggests (nothing is marked): one line per learner of the class (those missing from the
    report with no suggestion), then the people it could not match."""
    role = _authorize(actor, MANAGE, where)
    _choice(fmt, REPORT_FORMATS, "format")
    lesson = get_lesson(where.usage_key, lesson_id)
    if lesson.cancelled_at is not None:
        raise Conflict("cancelled", N_("This lesson was cancelled."))
    zone = clock.school_zone(where.org)
    learners = class_learners(where.org, lesson.class_name)
    roster = [{"sector_id": x.sector_id, "full_name": x.full_name, "class_name": x.class_name, "email": x.email,
               "username": x.username} for x in learners]
    try:
        report = parse_report(data, lesson_start=lesson.starts_at, lesson_end=lesson.ends_at, fmt=fmt, tz=zone,
                              max_bytes=config.get("MAX_REPORT_BYTES", where.org))
        summary = summarize(report, lesson_start=lesson.starts_at, lesson_end=lesson.ends_at, roster=roster,
                            thresholds=thresholds(where.org), tz=zone)
    except ReportError as exc:
        raise report_error(exc) from None
    people = [_person(i, p, zone) for i, p in enumerate(summary.people)]
    sha = report.sha256 or hashlib.sha256(data).hexdigest()
    earlier = MeetingReport.objects.filter(sha256=sha).first()
    storage_name = earlier.storage_name if earlier else default_storage.save(
        f"vn_online_teaching/attendance/reports/{sha[:2]}/{sha}", ContentFile(data))
    preview = {"format": report.format, "variant": report.variant, "encoding": report.encoding,
               "people": people, "unmatched": [p["i"] for p in people if p["in_report"] and not p["username"]],
               "missing": summary.missing_from_report}
    with transaction.atomic():
        record = MeetingReport.objects.create(lesson=lesson, sha256=sha, name=(name or "report")[:255],
                                              storage_name=storage_name, format=report.format, size=len(data),
                                              preview=preview, uploaded_by=actor.user_key)
        audit.append("attendance.import_upload", object_type=OBJECT_TYPE, object_id=lesson.pk, actor=actor,
                     actor_role=role, org=where.org, course_key=where.course_key,
                     data={"usage_key": where.usage_key, "report": record.pk, "sha256": sha, "name": record.name,
                           "format": report.format, "people": len(people), "unmatched": len(preview["unmatched"])})
    return preview_data(where, record)


def preview_data(where, record):
    """A stored preview with each learner's current status, for the teacher's confirmation."""
    current = dict(Mark.objects.filter(lesson_id=record.lesson_id).values_list("user_key", "status"))
    learners = class_learners(where.org, record.lesson.class_name)
    by_username = {x.username: x for x in learners}
    people = []
    for person in record.preview.get("people", []):
        learner = by_username.get(person.get("username") or "")
        people.append(dict(person, full_name=learner.full_name if learner else "",
                           current=current.get(learner.user_key, "") if learner else ""))
    return {"report": record.pk, "lesson": record.lesson_id, "name": record.name, "format": record.format,
            "variant": record.preview.get("variant", ""), "sha256": record.sha256, "people": people,
            "unmatched": record.preview.get("unmatched", []), "missing": record.preview.get("missing", []),
            "roster": [{"username": x.username, "full_name": x.full_name} for x in learners],
            "applied": record.applied_at is not None}


def confirm_import(where, actor, lesson_id, report_id, rows):
    """Apply the rows of a preview the teacher confirmed: [{"person": index in the preview,
    "username": the learner (the match, or the teacher's own choice), "status"}]. Nothing else is
    marked: a learner missing from the report stays as they are unless a row names them."""
    role = _authorize(actor, MANAGE, where)
    lesson = get_lesson(where.usage_key, lesson_id)
    record = MeetingReport.objects.filter(pk=report_id, lesson=lesson).first()
    if record is None:
        raise NotFound()
    people = record.preview.get("people", [])
    by_username = {x.username: x for x in class_learners(where.org, lesson.class_name)}
    items, applied, seen_people, seen_users = [], [], set(), set()
    for row in rows:
        if not isinstance(row, dict) or set(row) - {"person", "username", "status"}:
            raise RequestError("bad_type", N_("The field {field} has the wrong type."), field="rows")
        index, username = row.get("person"), row.get("username")
        if type(index) is not int or not 0 <= index < len(people) or index in seen_people:
            raise RequestError("bad_choice", N_("The field {field} has a value that is not allowed."), field="person")
        learner = by_username.get(username) if isinstance(username, str) else None
        if learner is None:
            raise RequestError("bad_choice", N_("The field {field} has a value that is not allowed."), field="username")
        if username in seen_users:
            raise RequestError("duplicate_student", N_("{name} is chosen for more than one row of the report."),
                               field="username", name=learner.full_name)
        status = _choice(row.get("status"), roll.STATUSES, "status")
        seen_people.add(index)
        seen_users.add(username)
        person = people[index]
        item = {"user_key": learner.user_key, "status": status, "minutes": person.get("minutes")}
        if lesson.mode == "hybrid" and person.get("in_report"):
            item["location"] = roll.ONLINE
        items.append(item)
        applied.append({"person": index, "username": username, "status": status,
                        "manual": username != person.get("username"), "in_report": bool(person.get("in_report"))})
    with transaction.atomic():
        lesson = _locked(lesson)
        now = clock.now()
        if lesson.cancelled_at is not None:
            raise Conflict("cancelled", N_("This lesson was cancelled."))
        changes = _apply(lesson, actor, "import", items, now)
        MeetingReport.objects.filter(pk=record.pk).update(applied_at=now)
        audit.append("attendance.import_confirm", object_type=OBJECT_TYPE, object_id=lesson.pk, actor=actor,
                     actor_role=role, org=where.org, course_key=where.course_key,
                     data={"usage_key": where.usage_key, "report": record.pk, "sha256": record.sha256,
                           "rows": applied, "changes": changes})
    return {"applied": len(items), "changed": len(changes)}


def reports_of(where, lesson_id):
    """The meeting reports kept for a lesson, newest first, as plain data."""
    lesson = get_lesson(where.usage_key, lesson_id)
    return [{"id": r.pk, "name": r.name, "format": r.format, "size": r.size, "sha256": r.sha256,
             "uploaded_at": clock.display(r.uploaded_at, where.org), "applied": r.applied_at is not None}
            for r in lesson.reports.order_by("-uploaded_at", "-pk")]


def report_file(where, report_id):
    """(record, bytes) of a meeting report kept as evidence for one of the block's lessons."""
    record = MeetingReport.objects.select_related("lesson").filter(pk=report_id,
                                                                    lesson__usage_key=where.usage_key).first()
    if record is None:
        raise NotFound()
    with default_storage.open(record.storage_name, "rb") as f:
        return record, f.read()
