"""The class's records across subjects: the logbook (sổ đầu bài) and the attendance reports.

A logbook page and a report cover every lesson of the class, whatever block planned it, because
the paper book the school keeps is per class, not per subject. Reading them needs
``attendance.view_staff`` / ``attendance.report``; writing a logbook line needs
``attendance.manage`` for the lesson's subject. The rules live in ``logbook`` and ``reports``;
this module only gathers the records and writes the logbook lines with their audit entries.
"""
import datetime as dt

from django.db import transaction

from ..core import audit, clock, config, roles, tabular, validation
from ..core.errors import RequestError
from ..core.i18n import N_, gettext
from ..core.validation import Field
from . import logbook, reports, roll
from .learners import as_rows, class_learners
from .marks import roll_as_signed
from .models import LogbookEntry
from .records import MANAGE, REPORT, VIEW_STAFF, authorize, get_lesson, locked, record
from .timetable import class_lessons, class_sessions, marks_map

MAX_TEXT = 4000
ENTRY_FIELDS = {"lesson": validation.ID,
                "content": Field(str, required=False, default="", max_length=MAX_TEXT),
                "remarks": Field(str, required=False, default="", max_length=MAX_TEXT),
                "rating": Field(str, required=False, default="", choices=["", *logbook.RATINGS]),
                "confirm": Field(bool, required=False, default=False)}
WEEK_PARAMS = {"week": validation.Date(required=False, default=None, label=N_("Week"))}


def _learners(where, class_name):
    return as_rows(class_learners(where.org, class_name))


def _day_bounds(first, last, org):
    """UTC instants of the start of ``first`` and the end of ``last`` in school time."""
    zone = clock.school_zone(org)
    since = dt.datetime.combine(first, dt.time.min, tzinfo=zone).astimezone(dt.timezone.utc)
    until = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=zone).astimezone(dt.timezone.utc)
    return since, until


def _as_dates(rows):
    for row in rows:
        row["date"] = dt.date.fromisoformat(row["date"]) if isinstance(row["date"], str) else row["date"]
    return rows


def _week_link(monday):
    """The ISO date of the week beginning ``monday`` for a link, or None when it is outside the
    dates a school can mean (the link would only be refused)."""
    try:
        return validation.parse_date(monday.isoformat(), "week").isoformat()
    except RequestError:
        return None


# Logbook ---------------------------------------------------------------------------------------

def logbook_week(where, actor, week=None):
    """The logbook page of the class's school week containing the date ``week`` (or this week).
    The class's pages cover every subject of the class and are opened through one block: the
    staff of that block's subject, the school's leaders and the class's homeroom teacher read
    them (``attendance/access.py``)."""
    authorize(actor, VIEW_STAFF, where)
    monday = logbook.week_of(week or clock.to_school(clock.now(), where.org).date())[0]
    since, until = _day_bounds(monday, monday + dt.timedelta(days=6), where.org)
    lessons = _as_dates(class_lessons(where.org, where.class_name, since, until))
    ids = [x["id"] for x in lessons]
    entries = {}
    for entry in LogbookEntry.objects.filter(lesson_id__in=ids):
        entries[entry.lesson_id] = {
            "content": entry.content, "remarks": entry.remarks, "rating": entry.rating,
            "confirmed_by": entry.confirmed_by_name or entry.confirmed_by,
            "confirmed_at": clock.display(entry.confirmed_at, where.org) if entry.confirmed_at else "",
        }
    lines = logbook.lines(lessons, marks_map(ids), _learners(where, where.class_name), entries)
    return {"monday": monday, "sunday": monday + dt.timedelta(days=6), "days": logbook.by_day(lines, monday),
            "previous": _week_link(monday - dt.timedelta(days=7)), "next": _week_link(monday + dt.timedelta(days=7)),
            "class_name": where.class_name, "lines": lines, "anchor": audit.anchor(),
            "printed_at": clock.display(clock.now(), where.org)}


def save_entry(where, actor, lesson_id, data, confirm=False):
    """Write the logbook line of one lesson of this block (``data``: content, remarks, rating,
    checked by ``ENTRY_FIELDS``); ``confirm`` signs it. Returns the line as ``entry_of`` does.

    A confirmed line stays editable (a teacher corrects a typo), but every later change is
    audited with its before and after, so the signed version can always be told. Nothing is
    stored that is not audited: a request that changes nothing (an empty line for a lesson that
    has none) stores nothing. The signing's audit entry also carries the roll as it stood
    (``marks.roll_as_signed``): student check-ins are not audited one by one, and this is where
    they enter the chain."""
    lesson = get_lesson(where.usage_key, lesson_id)
    role = roles.authorize(actor, MANAGE, roles.Place(org=where.org, course_key=where.course_key,
                                                     subject=lesson.subject, class_name=lesson.class_name))
    values = {name: data.get(name) or "" for name in ("content", "remarks", "rating")}
    if confirm and not values["content"]:
        raise RequestError("required", N_("Write the lesson content before you confirm the entry."), field="content")
    with transaction.atomic():
        locked(lesson)
        entry = LogbookEntry.objects.filter(lesson=lesson).first() or LogbookEntry(lesson=lesson)
        before = {"content": entry.content, "remarks": entry.remarks, "rating": entry.rating,
                  "confirmed": entry.confirmed_at is not None}
        signing = confirm and entry.confirmed_at is None
        if not signing and all(before[k] == v for k, v in values.items()):
            return entry_of(where, lesson_id)
        for name, value in values.items():
            setattr(entry, name, value)
        action = "attendance.logbook_edit_confirmed" if before["confirmed"] else "attendance.logbook_edit"
        if signing:
            entry.confirmed_at = clock.now()
            entry.confirmed_by, entry.confirmed_by_name = actor.user_key, actor.display_name
            action = "attendance.logbook_confirm"
        entry.save()
        changes = {"before": before, "after": dict(values, confirmed=entry.confirmed_at is not None)}
        if signing:
            changes["roll"] = roll_as_signed(lesson)
        record(action, where, actor, role, lesson.pk, **changes)
    return entry_of(where, lesson_id)


def read_entry(where, actor, lesson_id):
    """The logbook line of one lesson of this block, for those who may read the block's rolls."""
    authorize(actor, VIEW_STAFF, where)
    return entry_of(where, lesson_id)


def entry_of(where, lesson_id):
    lesson = get_lesson(where.usage_key, lesson_id)
    entry = LogbookEntry.objects.filter(lesson=lesson).first()
    return {"content": entry.content if entry else "", "remarks": entry.remarks if entry else "",
            "rating": entry.rating if entry else "", "confirmed": bool(entry and entry.confirmed_at),
            "confirmed_by": (entry.confirmed_by_name or entry.confirmed_by) if entry else "",
            "confirmed_at": clock.display(entry.confirmed_at, where.org) if entry and entry.confirmed_at else ""}


# Reports ---------------------------------------------------------------------------------------

def school_year_start(today, org):
    """1 September of the school year containing ``today`` (school setting SCHOOL_YEAR_START)."""
    month, day = config.get("SCHOOL_YEAR_START", org)
    start = dt.date(today.year, month, day)
    return start if today >= start else dt.date(today.year - 1, month, day)


def _threshold(org):
    """Absent sessions a school year allows (school setting PROMOTION_ABSENT_SESSIONS)."""
    return int(config.get("PROMOTION_ABSENT_SESSIONS", org))


def _year_so_far(org):
    """(first day of this school year, today, and the UTC instants from the start of the one to
    the end of the other): what the class report and a student's own year count over."""
    today = clock.to_school(clock.now(), org).date()
    first = school_year_start(today, org)
    return (first, today, *_day_bounds(first, today, org))


def class_report(where, actor):
    """This school year's counts per student of the block's class, the class totals and the
    students over or close to the promotion threshold."""
    authorize(actor, REPORT, where)
    first, today, since, until = _year_so_far(where.org)
    lessons = _as_dates(class_lessons(where.org, where.class_name, since, until))
    lines = reports.student_lines(lessons, marks_map([x["id"] for x in lessons]),
                                  _learners(where, where.class_name), _threshold(where.org))
    return {"since": first, "until": today, "lines": lines, "totals": reports.class_totals(lines),
            "watch": reports.watch_list(lines), "lessons": len([x for x in lessons if not x["cancelled"]])}


def own_year(where, learner):
    """A student's own count for this school year, every subject of their class (``learner``:
    their roster row): the ``reports.StudentLine`` the class report has for them, read from
    their own marks only."""
    _first, _today, since, until = _year_so_far(where.org)
    lessons = class_sessions(where.org, learner.class_name, since, until)
    return reports.student_lines(lessons, marks_map([x["id"] for x in lessons], learner.user_key),
                                 as_rows([learner]), _threshold(where.org))[0]


HEADERS = (N_("Sector ID"), N_("Full name"), N_("Class"), N_("Present"), N_("Late"), N_("Excused absence"),
           N_("Unexcused absence"), N_("Not yet marked"), N_("Absent sessions, excused"),
           N_("Absent sessions, unexcused"), N_("Absent sessions"), N_("Sessions left before the threshold"))


def report_rows(report):
    rows = []
    for line in report["lines"]:
        c = line.counts
        rows.append([line.sector_id, line.full_name, line.class_name, c[roll.PRESENT], c[roll.LATE],
                     c[roll.EXCUSED], c[roll.UNEXCUSED], c[roll.UNMARKED], line.absent_sessions_excused,
                     line.absent_sessions_unexcused, line.absent_sessions, line.remaining])
    return rows


def report_page(where, actor):
    """The class report as the on-screen page shows it: the students to watch first (over the
    threshold or close to it), then every student's line in roster order, with the same figures
    as the exports (``report_rows``)."""
    report = class_report(where, actor)

    def shown(line):
        return {"line": line, "cells": report_rows({"lines": [line]})[0][3:],
                "state": "over" if line.over else "near" if line.near else ""}

    totals = report["totals"]
    return {
        "class_name": where.class_name, "since": report["since"], "until": report["until"],
        "lessons": report["lessons"], "threshold": _threshold(where.org),
        "watch": [shown(line) for line in report["watch"]], "lines": [shown(line) for line in report["lines"]],
        "totals": [totals["counts"][roll.PRESENT], totals["counts"][roll.LATE], totals["counts"][roll.EXCUSED],
                   totals["counts"][roll.UNEXCUSED], totals["counts"][roll.UNMARKED],
                   totals["absent_sessions_excused"], totals["absent_sessions_unexcused"],
                   totals["absent_sessions_excused"] + totals["absent_sessions_unexcused"]],
        "headers": HEADERS[3:],
    }


def export(where, actor, fmt):
    """(file name, MIME type, bytes) of the class report as CSV (UTF-8 with BOM) or XLSX."""
    report = class_report(where, actor)
    headers = [gettext(h) for h in HEADERS]
    rows = report_rows(report)
    stem = f"diem-danh-{where.class_name or 'lop'}-{report['until'].isoformat()}"
    if fmt == "xlsx":
        return (f"{stem}.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                tabular.xlsx_bytes(headers, rows, gettext("Attendance")))
    return f"{stem}.csv", "text/csv; charset=utf-8", tabular.csv_bytes(headers, rows)
