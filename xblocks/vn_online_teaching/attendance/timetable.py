"""Reading lessons: one lesson as plain data, the block's list with its headcounts, the class's
lessons across subjects (for the logbook and the reports) and the calendar file.

Every reader here survives any date a lesson row may hold: the form only accepts the years a
school can mean, but rows written before that rule (a lesson in year 9999) must not turn a page
into an error for everyone who opens it.
"""
from collections import Counter

from ..core import clock, i18n, validation
from ..core.errors import Forbidden, RequestError
from ..core.i18n import N_
from . import roll, schedule
from .learners import class_learners, learner_of
from .models import Lesson, Mark
from .records import VIEW_STAFF, authorize

WEEKDAYS = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"),
            N_("Sunday"))


def local(moment, org):
    """``moment`` in school time; an instant at the very end of the calendar, which school time
    would carry past year 9999, stays in UTC rather than breaking the page."""
    try:
        return clock.to_school(moment, org)
    except OverflowError:
        return moment


def lessons(usage_key):
    return list(Lesson.objects.filter(usage_key=usage_key).order_by("starts_at", "period", "pk"))


def lesson_data(lesson, org):
    """One lesson as plain data, its times in school time."""
    start, end = local(lesson.starts_at, org), local(lesson.ends_at, org)
    return {
        "id": lesson.pk, "date": lesson.date.isoformat(), "date_display": lesson.date.strftime("%d/%m/%Y"),
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


def lessons_overview(where):
    """The block's lessons with their headcount: [lesson data + "counts" {status: n} + "total"]."""
    rows = lessons(where.usage_key)
    rosters = {name: {x.user_key for x in class_learners(where.org, name)} for name in {x.class_name for x in rows}}
    counted = {}
    for item in Mark.objects.filter(lesson__usage_key=where.usage_key).values("lesson_id", "user_key", "status"):
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
    """For the logbook and reports: every lesson of a class (all subjects), as plain data."""
    qs = Lesson.objects.filter(org=org, class_name=class_name)
    if since is not None:
        qs = qs.filter(starts_at__gte=since)
    if until is not None:
        qs = qs.filter(starts_at__lt=until)
    return [lesson_data(lesson, org) for lesson in qs.order_by("starts_at", "period", "pk")]


def class_sessions(org, class_name, since, until):
    """For a student's own year: the class's lessons (all subjects) with only what the absence
    count needs ({"id", "date", "half_day", "cancelled"}); a year is a thousand rows."""
    rows = (Lesson.objects.filter(org=org, class_name=class_name, starts_at__gte=since, starts_at__lt=until)
            .values_list("id", "date", "starts_at", "cancelled_at"))
    return [{"id": pk, "date": day, "half_day": roll.half_day(local(start, org)), "cancelled": cancelled is not None}
            for pk, day, start, cancelled in rows]


def marks_map(lesson_ids, user_key=None):
    """For the logbook and reports: {(lesson id, user key): status} of the given lessons (of one
    learner only, with ``user_key``)."""
    marks = Mark.objects.filter(lesson_id__in=list(lesson_ids))
    if user_key is not None:
        marks = marks.filter(user_key=user_key)
    return {(lesson_id, key): status for lesson_id, key, status in marks.values_list("lesson_id", "user_key", "status")}


# The calendar --------------------------------------------------------------------------------

def may_see_calendar(where, actor):
    """The class's meeting links and calendar are for the class and its staff: a learner on the
    class's roster, or someone who may read the block's rolls. Forbidden otherwise."""
    if actor.is_anonymous:
        raise Forbidden()
    if learner_of(where.org, where.class_name, actor.user_key) is None:
        authorize(actor, VIEW_STAFF, where)


def _link(value):
    """A lesson's link as the calendar may carry it: the one rule for web addresses, so a link
    stored before that rule cannot break the file."""
    try:
        return validation.clean_url(value or "")
    except RequestError:
        return ""


def calendar(where, actor, calendar_name, now=None):
    """An .ics file of the class's upcoming lessons (every subject of the class in the school),
    for the class and its staff (``may_see_calendar``)."""
    may_see_calendar(where, actor)
    now = now or clock.now()
    upcoming = Lesson.objects.filter(org=where.org, class_name=where.class_name, ends_at__gte=now,
                                     cancelled_at__isnull=True).order_by("starts_at")[:schedule.MAX_SERIES * 2]
    events = []
    for lesson in upcoming:
        link = _link(lesson.link)
        events.append(schedule.Event(
            uid=f"vnot-lesson-{lesson.pk}@{where.org or 'vnot'}", starts_at=lesson.starts_at, ends_at=lesson.ends_at,
            summary=" · ".join(x for x in (lesson.subject, lesson.class_name, lesson.title) if x),
            description=(lesson.syllabus_no and f"PPCT {lesson.syllabus_no}",
                         i18n.gettext(schedule.PLATFORMS.get(lesson.platform, "")), link),
            url=link))
    return schedule.ics(events, calendar_name, now)
