"""The attendance records in the archive (core/exporting.py): the lessons and series (the teaching
plan by week and by month), every mark with its history, the logbook, the attendance sheet, the
wrong check-in codes, and the meeting platforms' reports kept as evidence (docs/circular-09.md,
attendance and the class logbook).

Which records a scope covers, by their own dates:
- a lesson, and what belongs to that lesson's day (its marks, its logbook entry, the meeting
  reports of it): the lesson's ``date`` (a school day);
- a change of a mark: when it was made (``at``); a wrong check-in code: when it was tried (``at``).
The courses of a scope are the lessons' ``course_key``; the logbook and the attendance sheet, like
the paper books, are per class and cover every subject of the class among those courses.

A disposal (``dispose``) deletes what those same queries select, except a record some record that
stays still refers to: a mark changed after the scope's last day keeps the mark and its lesson.
"""
from itertools import groupby

from ..core import clock, disposing
from ..core.exporting import (File, Labels, Table, counted, json_text, label, query_table, roster_value, safe_name,
                              storage_reader, stream, stream_ordered)
from ..core.i18n import N_, gettext
from . import logbook, reports, roll
from .learners import as_rows, class_learners
from .models import CodeAttempt, Lesson, LogbookEntry, Mark, MarkChange, MeetingReport
from .timetable import WEEKDAYS

FEATURE = "attendance"
REPORT_DIR = "attendance/meeting-reports"


# The records a scope covers ----------------------------------------------------------------------

def _lessons(scope):
    return scope.dates(scope.courses(Lesson.objects.all()), "date", kind="date")


def _of_lessons(queryset, scope, prefix="lesson__"):
    """Records of the scope's lessons (by the lesson's school, course and day)."""
    queryset = scope.courses(queryset, f"{prefix}org", f"{prefix}course_key")
    return scope.dates(queryset, f"{prefix}date", kind="date")


def _marks(scope):
    return _of_lessons(Mark.objects.all(), scope)


def _mark_changes(scope):
    return scope.dates(scope.courses(MarkChange.objects.all(), "mark__lesson__org", "mark__lesson__course_key"), "at")


def _entries(scope):
    return _of_lessons(LogbookEntry.objects.all(), scope)


def _code_attempts(scope):
    return scope.dates(scope.courses(CodeAttempt.objects.all(), "lesson__org", "lesson__course_key"), "at")


def _reports(scope):
    return _of_lessons(MeetingReport.objects.all(), scope)


def _classes(scope):
    """The classes with lessons in the scope: the logbook, the plan and the sheet are per class,
    and each is read one class at a time (a class's year is a few thousand rows at most)."""
    return list(_lessons(scope).order_by("class_name").values_list("class_name", flat=True).distinct())


QUERIES = {Lesson: _lessons, Mark: _marks, MarkChange: _mark_changes, LogbookEntry: _entries,
           CodeAttempt: _code_attempts, MeetingReport: _reports}


def counts(scope):
    return counted(QUERIES, scope)


def report_path(report_id, name):
    return f"{REPORT_DIR}/{report_id}-{safe_name(name)}"


def week_start(day):
    return logbook.week_of(day)[0]


def month_of(day):
    return day.strftime("%Y-%m")


STATUS_LABELS = Labels(roll.STATUS_LABELS)


# Record tables ------------------------------------------------------------------------------------

def _record_tables(scope):
    yield query_table(FEATURE, "lessons", N_("Lessons"), (
        ("id", N_("Record no.")),
        ("course_key", N_("Course")),
        ("class_name", N_("Class")),
        ("subject", N_("Subject")),
        ("date", N_("Date")),
        ("week", N_("Week of"), ("date",), week_start),
        ("month", N_("Month"), ("date",), month_of),
        ("period", N_("Period")),
        ("starts_at", N_("Starts at")),
        ("ends_at", N_("Ends at")),
        ("title", N_("Lesson")),
        ("syllabus_no", N_("Syllabus period")),
        ("platform", N_("Platform")),
        ("link", N_("Meeting link")),
        ("mode", N_("Mode")),
        ("series", N_("Series ID")),
        ("require_code", N_("Check-in code required")),
        ("networks", N_("Check-in networks"), "networks", json_text),
        ("cancelled_at", N_("Cancelled")),
        ("cancel_reason", N_("Reason for cancelling")),
        ("teacher", N_("Teacher"), "created_by_name"),
        ("created_by", N_("Planned by (user key)")),
        ("created_at", N_("Created at")),
        ("updated_at", N_("Last changed at")),
        ("usage_key", N_("Block ID")),
    ), lambda: _lessons(scope), model=label(Lesson), dated_by="date")
    yield query_table(FEATURE, "marks", N_("Attendance marks"), (
        ("id", N_("Record no.")),
        ("lesson", N_("Lesson no."), "lesson_id"),
        ("date", N_("Date"), "lesson__date"),
        ("period", N_("Period"), "lesson__period"),
        ("class_name", N_("Class"), "lesson__class_name"),
        ("subject", N_("Subject"), "lesson__subject"),
        ("sector_id", N_("Sector ID")),
        ("full_name", N_("Full name")),
        ("user_key", N_("User key")),
        ("status", N_("Attendance status"), "status", STATUS_LABELS),
        ("status_code", N_("Attendance status code"), "status"),
        ("location", N_("Where")),
        ("remark", N_("Remark")),
        ("source", N_("Marked by way of")),
        ("minutes", N_("Minutes in the meeting")),
        ("checked_in_at", N_("Checked in")),
        ("checked_in_status", N_("Status at check-in")),
        ("ip", N_("Network address")),
        ("user_agent", N_("Browser")),
        ("updated_by", N_("Last changed by")),
        ("updated_at", N_("Last changed at")),
    ), lambda: _marks(scope), model=label(Mark), dated_by="date", annotate={
        "sector_id": roster_value("sector_id", "lesson__org"), "full_name": roster_value("full_name", "lesson__org")})
    yield query_table(FEATURE, "mark_changes", N_("Changes of attendance marks"), (
        ("id", N_("Record no.")),
        ("mark", N_("Mark no."), "mark_id"),
        ("lesson", N_("Lesson no."), "mark__lesson_id"),
        ("user_key", N_("User key"), "mark__user_key"),
        ("at", N_("Time")),
        ("by_name", N_("Done by")),
        ("by_key", N_("By (user key)")),
        ("source", N_("Marked by way of")),
        ("before", N_("Mark before"), "before", json_text),
        ("after", N_("Mark after"), "after", json_text),
    ), lambda: _mark_changes(scope), model=label(MarkChange), dated_by="at")
    yield query_table(FEATURE, "logbook_entries", N_("Logbook entries"), (
        ("id", N_("Record no.")),
        ("lesson", N_("Lesson no."), "lesson_id"),
        ("date", N_("Date"), "lesson__date"),
        ("class_name", N_("Class"), "lesson__class_name"),
        ("content", N_("Content of the lesson")),
        ("remarks", N_("Remarks")),
        ("rating", N_("Rating")),
        ("confirmed_by_name", N_("Confirmed by")),
        ("confirmed_by", N_("Confirmed by (user key)")),
        ("confirmed_at", N_("Confirmed at")),
        ("updated_at", N_("Last changed at")),
    ), lambda: _entries(scope), model=label(LogbookEntry), dated_by="date")
    yield query_table(FEATURE, "code_attempts", N_("Wrong check-in codes"), (
        ("id", N_("Record no.")),
        ("lesson", N_("Lesson no."), "lesson_id"),
        ("user_key", N_("User key")),
        ("ip", N_("Network address")),
        ("at", N_("Time")),
    ), lambda: _code_attempts(scope), model=label(CodeAttempt), dated_by="at")
    yield query_table(FEATURE, "meeting_reports", N_("Meeting reports"), (
        ("id", N_("Record no.")),
        ("lesson", N_("Lesson no."), "lesson_id"),
        ("date", N_("Date"), "lesson__date"),
        ("name", N_("File name")),
        ("format", N_("File format")),
        ("size", N_("Size (bytes)")),
        ("sha256", N_("SHA-256")),
        ("uploaded_by", N_("Uploaded by")),
        ("uploaded_at", N_("Uploaded at")),
        ("applied_at", N_("Applied to the roll")),
        ("preview", N_("What the file said"), "preview", json_text),
        ("file", N_("File"), ("pk", "name"), report_path),
    ), lambda: _reports(scope), model=label(MeetingReport), dated_by="date")


# The teaching plan ---------------------------------------------------------------------------------

PLAN_COLUMNS = (("class_name", N_("Class")), ("subject", N_("Subject")), ("period_start", N_("From")),
                ("lessons", N_("Lessons planned")), ("held", N_("Lessons not cancelled")),
                ("cancelled", N_("Lessons cancelled")), ("series", N_("Weekly series")),
                ("syllabus", N_("Syllabus periods")))


def _plan_rows(scope, bucket):
    """The lessons of each class and subject counted per ``bucket`` (the week's Monday, the
    month), one class at a time. The scope selects the lessons by their date, so a week or month
    cut by the scope's first or last day counts only the lessons inside it (its "From" may come
    before the scope's first day)."""
    for class_name in _classes(scope):
        rows = stream_ordered(_lessons(scope).filter(class_name=class_name).order_by("subject", "date", "period", "pk"),
                              "subject", "date", "cancelled_at", "series", "syllabus_no")
        for (subject, start), group in groupby(rows, key=lambda r: (r[0], bucket(r[1]))):
            total = cancelled = 0
            series, syllabus = set(), []
            for _s, _d, cancelled_at, one_series, syllabus_no in group:
                total += 1
                cancelled += cancelled_at is not None
                if one_series:
                    series.add(one_series)
                if syllabus_no and cancelled_at is None and syllabus_no not in syllabus:
                    syllabus.append(syllabus_no)
            yield class_name, subject, start, total, total - cancelled, cancelled, len(series), ", ".join(syllabus)


def _plan_tables(scope):
    yield Table(FEATURE, "teaching_plan_weeks", N_("Teaching plan by week"), PLAN_COLUMNS,
                lambda: _plan_rows(scope, week_start))
    yield Table(FEATURE, "teaching_plan_months", N_("Teaching plan by month"), PLAN_COLUMNS,
                lambda: _plan_rows(scope, lambda day: day.replace(day=1)))


# The logbook ---------------------------------------------------------------------------------------

LOGBOOK_COLUMNS = (
    ("class_name", N_("Class")), ("week", N_("Week of")), ("date", N_("Date")), ("weekday", N_("Day")),
    ("period", N_("Period")), ("subject", N_("Subject")), ("title", N_("Lesson")),
    ("syllabus_no", N_("Syllabus period")), ("teacher", N_("Teacher")), ("present", N_("Present")),
    ("total", N_("Students")), ("late", N_("Late")), ("absent", N_("Absent (P excused, K unexcused)")),
    ("unmarked", N_("Not yet marked")), ("content", N_("Content of the lesson")), ("remarks", N_("Remarks")),
    ("rating", N_("Rating")), ("confirmed_by", N_("Confirmed by")), ("confirmed_at", N_("Confirmed at")),
    ("cancelled", N_("Cancelled")), ("cancel_reason", N_("Reason for cancelling")), ("lesson", N_("Lesson no.")))


def _class_marks(scope, class_name, lessons=None):
    """{(lesson id, user key): status} of one class's lessons in the scope (or of ``lessons``):
    one class's year, read in one query (the class's marks are spread over the whole table, which
    windows of keys would read again for every class)."""
    lessons = (lessons if lessons is not None else _lessons(scope).filter(class_name=class_name)).values("pk")
    return {(lesson_id, user_key): status for lesson_id, user_key, status in
            stream_ordered(Mark.objects.filter(lesson__in=lessons), "lesson_id", "user_key", "status")}


def _logbook_rows(scope):
    """The logbook's lines, class by class, in date and period order (``logbook.lines``)."""
    for class_name in _classes(scope):
        learners = as_rows(class_learners(scope.org, class_name))
        marks = _class_marks(scope, class_name)
        lessons = stream_ordered(
            _lessons(scope).filter(class_name=class_name).order_by("date", "period", "pk"),
            "pk", "date", "period", "subject", "title", "syllabus_no", "created_by_name", "cancelled_at",
            "cancel_reason", "logbook__content", "logbook__remarks", "logbook__rating", "logbook__confirmed_by_name",
            "logbook__confirmed_at")
        for (pk, day, period, subject, title, syllabus_no, teacher, cancelled_at, cancel_reason, content, remarks,
             rating, confirmed_by, confirmed_at) in lessons:
            lesson = {"id": pk, "date": day, "period": period, "subject": subject, "title": title,
                      "syllabus_no": syllabus_no, "teacher": teacher, "cancelled": cancelled_at is not None,
                      "cancel_reason": cancel_reason}
            entry = {"content": content or "", "remarks": remarks or "", "rating": rating or "",
                     "confirmed_by": confirmed_by or "", "confirmed_at": confirmed_at}
            line = logbook.lines([lesson], marks, learners, {pk: entry})[0]
            yield (class_name, week_start(day), day, gettext(WEEKDAYS[day.weekday()]), period, subject, title,
                   syllabus_no, teacher, line.present, line.total, ", ".join(line.late),
                   ", ".join(f"{a.full_name} ({a.mark})" for a in line.absentees), line.unmarked, line.content,
                   line.remarks, line.rating, line.confirmed_by, confirmed_at, int(line.cancelled),
                   line.cancel_reason, pk)


# The attendance sheet --------------------------------------------------------------------------------

SHEET_COLUMNS = (
    ("class_name", N_("Class")), ("sector_id", N_("Sector ID")), ("full_name", N_("Full name")),
    ("lessons", N_("Lessons held")), ("present", N_("Present")), ("late", N_("Late")),
    ("excused", N_("Excused absence")), ("unexcused", N_("Unexcused absence")), ("unmarked", N_("Not yet marked")),
    ("sessions_excused", N_("Absent sessions, excused")), ("sessions_unexcused", N_("Absent sessions, unexcused")),
    ("sessions", N_("Absent sessions")))


def _sheet_rows(scope):
    """One line per learner of each class: the class's lessons of the scope that have begun and
    were not cancelled, counted per period and per session (``reports.student_lines``). One
    class's lessons and marks are held at a time."""
    now = clock.now()
    for class_name in _classes(scope):
        held = _lessons(scope).filter(class_name=class_name, starts_at__lte=now, cancelled_at__isnull=True)
        lessons = [{"id": pk, "date": day, "half_day": roll.half_day(clock.to_school(start, scope.org)),
                    "cancelled": False} for pk, day, start in stream_ordered(held, "pk", "date", "starts_at")]
        marks = _class_marks(scope, class_name, held)
        for line in reports.student_lines(lessons, marks, as_rows(class_learners(scope.org, class_name)), 0):
            c = line.counts
            yield (class_name, line.sector_id, line.full_name, len(lessons), c[roll.PRESENT], c[roll.LATE],
                   c[roll.EXCUSED], c[roll.UNEXCUSED], c[roll.UNMARKED], line.absent_sessions_excused,
                   line.absent_sessions_unexcused, line.absent_sessions)


def tables(scope):
    yield from _record_tables(scope)
    yield from _plan_tables(scope)
    yield Table(FEATURE, "logbook", N_("Class logbook"), LOGBOOK_COLUMNS, lambda: _logbook_rows(scope),
                printable="logbook", dated_by="date")
    yield Table(FEATURE, "attendance_sheet", N_("Attendance sheet"), SHEET_COLUMNS, lambda: _sheet_rows(scope),
                printable="attendance_sheet")


def files(scope):
    for report_id, name, storage_name, size in stream(_reports(scope), "pk", "name", "storage_name", "size"):
        yield File(report_path(report_id, name), storage_reader(storage_name), size=size, model=label(MeetingReport))



# Disposal ------------------------------------------------------------------------------------------

#: The record types each record belongs to (docs/circular-09.md, "Records archive"): a lesson is
#: the teaching process and the teaching plan (the plan by week and month is read from the
#: lessons), so it goes only when a decision names both.
RECORD_TYPES = {Lesson: (disposing.TEACHING_PROCESS, disposing.TEACHING_PLANS),
                **dict.fromkeys((Mark, MarkChange, LogbookEntry, CodeAttempt, MeetingReport),
                                (disposing.TEACHING_PROCESS,))}


def dispose(scope, record_types):
    """Delete the lessons, marks, their changes, logbook entries, wrong codes and meeting reports
    of ``scope`` that a disposal of ``record_types`` covers (the same queries as ``counts``), then
    the meeting reports' files no other lesson's report keeps (core/disposing.py)."""
    return disposing.dispose(QUERIES, RECORD_TYPES, scope, record_types, files={MeetingReport: "storage_name"})
