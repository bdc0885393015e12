"""Planning lessons: one lesson, a weekly series, changing, cancelling and restoring one, and
the block's check-in rules reaching its lessons.

The form is checked by ``LESSON_FIELDS`` (``core.validation``) before any function here runs:
dates and times arrive as ``datetime.date`` and ``datetime.time`` inside the years a school can
mean, titles on one line, links by the one rule for web addresses. What is left here are the
school's rules: the period of the day, the lesson's length, one lesson per period.
"""
import datetime as dt
import secrets
import uuid

from django.db import transaction

from ..core import clock, config, validation
from ..core.errors import Conflict, NotFound, RequestError
from ..core.i18n import N_
from ..core.validation import Field
from . import schedule
from .models import Lesson
from .records import (MANAGE, audit_values, authorize, configured, get_lesson, locked, record,
                      refuse_cancelled)

MAX_PERIOD = 15

# The lesson form. One-line fields turn line breaks and tabs into spaces: a title travels into
# the calendar file and the printed logbook, where a line break would start a new line.
LESSON_FIELDS = {
    "date": validation.Date(label=N_("Date")),
    "period": Field(int),
    "start": validation.Time(label=N_("Starts at")),
    "length": Field(int, required=False, default=0),
    "title": Field(str, required=False, default="", max_length=255, multiline=False),
    "syllabus_no": Field(str, required=False, default="", max_length=20, multiline=False),
    "platform": Field(str, choices=list(schedule.PLATFORMS)),
    "link": validation.Url(label=N_("Meeting link")),
    "mode": Field(str, choices=list(schedule.MODES)),
    "require_code": Field(bool, required=False, default=None),
}
SAVE_FIELDS = dict(LESSON_FIELDS, lesson=Field(int, required=False),
                   reason=Field(str, required=False, default="", max_length=1000))
SERIES_FIELDS = dict({k: v for k, v in LESSON_FIELDS.items() if k != "date"},
                     first=validation.Date(label=N_("From")), until=validation.Date(label=N_("Until")),
                     weekdays=Field(list, max_items=7, item=Field(int)),
                     skip=Field(list, required=False, default=[], max_items=100, item=validation.Date()))
REASON_FIELDS = {"lesson": validation.ID, "reason": Field(str, max_length=1000, blank=False)}


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


# The form ------------------------------------------------------------------------------------

def clean_period(period):
    """A period of the school day (tiết 1 to 15), with a sentence that says so."""
    if not isinstance(period, int) or isinstance(period, bool) or not 1 <= period <= MAX_PERIOD:
        raise RequestError("bad_period", N_("The period must be a number from 1 to {limit}."), field="period",
                           limit=MAX_PERIOD)
    return period


def _values(data, org):
    """Model values of a lesson from the checked form (length 0: the school's period length), and
    require_code when the form sends it."""
    slot = schedule.slot(data["date"], data["start"], data.get("length") or lesson_minutes(org), clock.school_zone(org))
    values = {
        "date": data["date"], "period": clean_period(data["period"]), "starts_at": slot.starts_at,
        "ends_at": slot.ends_at, "title": data.get("title") or "", "syllabus_no": data.get("syllabus_no") or "",
        "platform": data.get("platform") or "meet", "link": data.get("link") or "", "mode": data.get("mode") or "online",
    }
    if data.get("require_code") is not None:
        values["require_code"] = bool(data["require_code"])
    return values


def check_in_rules(where, values=None):
    """A new lesson's check-in rules: the form's code choice, else the block's; the block's networks."""
    return {"require_code": (values or {}).get("require_code", where.require_code),
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


def _new(where, actor, **values):
    return Lesson(usage_key=where.usage_key, course_key=where.course_key, org=where.org, class_name=where.class_name,
                  subject=where.subject, code_salt=secrets.token_hex(16), created_by=actor.user_key,
                  created_by_name=actor.display_name, **values)


# Changes -------------------------------------------------------------------------------------

def save_lesson(where, actor, data):
    """The lesson form's one door: plan a lesson, or (with ``lesson``) change one."""
    data = dict(data)
    lesson_id, reason = data.pop("lesson", None), data.pop("reason", "")
    if lesson_id is None:
        return create_lesson(where, actor, data)
    return edit_lesson(where, actor, lesson_id, data, reason)


def create_lesson(where, actor, data):
    """Plan one lesson of the block's class; returns the Lesson. Planning exactly the same lesson
    again returns it (a retried request); another lesson in the same period is refused."""
    role = authorize(actor, MANAGE, where)
    configured(where)
    values = _values(data, where.org)
    rules = check_in_rules(where, values)
    values["require_code"] = rules["require_code"]  # part of what a retried request must repeat
    with transaction.atomic():
        if _taken(where.usage_key, values["date"], values["period"]):
            same = Lesson.objects.filter(usage_key=where.usage_key, cancelled_at__isnull=True,
                                         created_by=actor.user_key, **values).first()
            if same is not None:
                return same  # the same request again (a retry after a lost answer): the same lesson
            raise _duplicate(values["date"], values["period"])
        lesson = _new(where, actor, networks=rules["networks"], **values)
        lesson.save()
        record("attendance.lesson_create", where, actor, role, lesson.pk, **audit_values(values),
               class_name=where.class_name, subject=where.subject, networks=rules["networks"])
    return lesson


def _next_syllabus_no(first, index):
    """Syllabus numbers (tiết PPCT) count up through a series when the first one is a number."""
    return str(int(first) + index) if first.isdigit() else first


def create_series(where, actor, data):
    """Plan the lessons on ``weekdays`` (0 = Monday) from ``first`` to ``until`` at one period,
    skipping the school's holidays, the dates in ``skip`` and periods that already have a lesson.

    Returns (created lessons, skipped dates)."""
    role = authorize(actor, MANAGE, where)
    configured(where)
    first, until = data["first"], data["until"]
    base = _values(dict(data, date=first), where.org)
    weekdays = sorted(set(data.get("weekdays") or ()))
    skip = holidays(where.org) | set(data.get("skip") or ())
    slots = schedule.weekly(first, until, weekdays, data["start"], data.get("length") or lesson_minutes(where.org),
                            clock.school_zone(where.org), holidays=skip)
    if not slots:
        raise RequestError("no_lessons", N_("No lesson falls on the chosen days."), field="weekdays")
    rules = check_in_rules(where, base)
    series = str(uuid.uuid4())
    created, skipped = [], []
    with transaction.atomic():
        for slot in slots:
            if _taken(where.usage_key, slot.date, base["period"]):
                skipped.append(slot.date)
                continue
            lesson = _new(where, actor, date=slot.date, period=base["period"], starts_at=slot.starts_at,
                          ends_at=slot.ends_at, title=base["title"],
                          syllabus_no=_next_syllabus_no(base["syllabus_no"], len(created)), platform=base["platform"],
                          link=base["link"], mode=base["mode"], series=series, **rules)
            lesson.save()
            created.append(lesson)
        if not created:
            raise Conflict("all_taken", N_("Every chosen day already has a lesson in this period."))
        record("attendance.series_create", where, actor, role, created[0].pk, series=series,
               lessons=[x.pk for x in created], weekdays=weekdays, first=first.isoformat(), until=until.isoformat(),
               period=base["period"], skipped=[d.isoformat() for d in skipped], **rules)
    return created, skipped


def edit_lesson(where, actor, lesson_id, data, reason=""):
    """Change a lesson's date, time or details; audited with what changed and why."""
    role = authorize(actor, MANAGE, where)
    lesson = get_lesson(where.usage_key, lesson_id)
    values = _values(data, where.org)
    with transaction.atomic():
        lesson = locked(lesson)
        refuse_cancelled(lesson)
        changed = {k: v for k, v in values.items() if getattr(lesson, k) != v}
        if not changed:
            return lesson
        if ("date" in changed or "period" in changed) and _taken(where.usage_key, values["date"], values["period"],
                                                                 exclude=lesson.pk):
            raise _duplicate(values["date"], values["period"])
        before = audit_values({k: getattr(lesson, k) for k in changed})
        for k, v in changed.items():
            setattr(lesson, k, v)
        lesson.save()
        record("attendance.lesson_edit", where, actor, role, lesson.pk, before=before, after=audit_values(changed),
               reason=(reason or "").strip())
    return lesson


def cancel_lesson(where, actor, lesson_id, reason):
    """Cancel a lesson with a reason; its marks stay as they are (evidence) but are not counted."""
    role = authorize(actor, MANAGE, where)
    lesson = get_lesson(where.usage_key, lesson_id)
    with transaction.atomic():
        lesson = locked(lesson)
        refuse_cancelled(lesson)
        lesson.cancelled_at = clock.now()
        lesson.cancel_reason = reason
        lesson.save(update_fields=["cancelled_at", "cancel_reason", "updated_at"])
        record("attendance.lesson_cancel", where, actor, role, lesson.pk, reason=reason,
               date=lesson.date.isoformat(), period=lesson.period)
    return lesson


def restore_lesson(where, actor, lesson_id, reason):
    """Undo a cancellation made by mistake (or a lesson that takes place after all): the lesson
    counts again with the marks it had. Refused when another lesson has since been planned in
    its period. The cancellation stays in the audit log, and the restoration is added to it."""
    role = authorize(actor, MANAGE, where)
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
        record("attendance.lesson_restore", where, actor, role, lesson.pk, reason=reason, cancelled=cancelled,
               date=lesson.date.isoformat(), period=lesson.period)
    return lesson


def apply_check_in_rules(where, actor, role=""):
    """The block's check-in settings were saved: every lesson of the block not yet over takes
    them (a lesson over keeps the rules its students met). Audited when a lesson changed.
    Returns the number of lessons changed. The caller checked who may save the settings."""
    rules = check_in_rules(where)
    with transaction.atomic():
        pending = Lesson.objects.select_for_update().filter(usage_key=where.usage_key, ends_at__gt=clock.now())
        changed = [x.pk for x in pending if (x.require_code, x.networks) != (rules["require_code"], rules["networks"])]
        if changed:
            Lesson.objects.filter(pk__in=changed).update(updated_at=clock.now(), **rules)
            record("attendance.checkin_rules", where, actor, role, changed[0], lessons=changed, **rules)
    return len(changed)
