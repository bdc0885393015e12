"""Meeting-report imports: a platform's attendance file read into a preview, kept as evidence, and
the rows the teacher confirms applied to the marks.

Reading the file is the importers' job (``attendance.importers``, pure Python); this module keeps
the file and its preview, once per identical file and lesson, and turns the importers' error
codes into the sentences a teacher reads.
"""
import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from ..core import clock, config, i18n, validation
from ..core.errors import NotFound, RequestError
from ..core.i18n import N_
from ..core.validation import Field
from . import roll, schedule
from .importers import ReportError, Thresholds, parse_report, summarize
from .learners import class_learners
from .marks import apply
from .models import Mark, MeetingReport
from .records import MANAGE, VIEW_STAFF, authorize, get_lesson, locked, record, refuse_cancelled

REPORT_FORMATS = ("auto", "zoom", "teams", "meet")
MAX_ROWS = 300  # rows a teacher confirms at once: more than any class has learners

UPLOAD_FIELDS = {"lesson": validation.ID, "format": Field(str, required=False, default="auto", choices=REPORT_FORMATS)}
CONFIRM_FIELDS = {"lesson": validation.ID, "report": validation.ID, "rows": Field(list, max_items=MAX_ROWS, item=Field(
    dict, fields={"person": Field(int, minimum=0), "username": Field(str, max_length=255),
                  "status": Field(str, choices=list(roll.STATUSES))}))}

# The importers' error codes (their interface) and the sentences a teacher reads.
REPORT_ERRORS = {
    "empty_file": N_("The file is empty."),
    "too_large": N_("The file is larger than {limit_mb} MB."),
    "binary_file": N_("The file is not a text report (CSV)."),
    "unknown_format": N_("This is not a Zoom, Teams or Google Meet attendance report that can be read."),
    "format_mismatch": N_("The file is not a {expected} attendance report."),
    "no_participants": N_("The report lists no participants."),
    "too_many_rows": N_("The report has more than {limit} rows, more than the report of one lesson has. Check "
                        "that it is the report of this lesson."),
    "bad_row": N_("Row {row} cannot be read (column “{column}”: “{value}”)."),
    "ambiguous_dates": N_("The dates in the file (such as {example}) may be day-first or month-first, "
                          "and the lesson date {lesson_date} does not decide which."),
    "date_mismatch": N_("The report is of {file_date}, not of the lesson's day {lesson_date}."),
    "bad_lesson_window": N_("The lesson must end after it starts."),
}


def thresholds(org):
    return Thresholds(present_ratio=float(config.get("IMPORT_PRESENT_SHARE", org)),
                      grace_minutes=float(config.get("IMPORT_GRACE_MIN", org)),
                      late_ratio=float(config.get("IMPORT_LATE_SHARE", org)))


def upload_limit_mb(org):
    """The largest report the school accepts, as the import form says it ("3" MB): the same figure
    as the refusal of a larger file."""
    return i18n.megabytes(config.get("MAX_REPORT_BYTES", org))


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


def _read(where, lesson, data, fmt):
    """(parsed report, preview to keep) of an uploaded report, or the error the teacher reads."""
    zone = clock.school_zone(where.org)
    roster = [{"sector_id": x.sector_id, "full_name": x.full_name, "class_name": x.class_name, "email": x.email,
               "username": x.username} for x in class_learners(where.org, lesson.class_name)]
    try:
        report = parse_report(data, lesson_start=lesson.starts_at, lesson_end=lesson.ends_at, fmt=fmt, tz=zone,
                              max_bytes=config.get("MAX_REPORT_BYTES", where.org))
        summary = summarize(report, lesson_start=lesson.starts_at, lesson_end=lesson.ends_at, roster=roster,
                            thresholds=thresholds(where.org), tz=zone)
    except ReportError as exc:
        raise report_error(exc) from None
    people = [_person(i, p, zone) for i, p in enumerate(summary.people)]
    return report, {"format": report.format, "variant": report.variant, "encoding": report.encoding,
                    "people": people, "unmatched": [p["i"] for p in people if p["in_report"] and not p["username"]],
                    "missing": summary.missing_from_report}


def preview_import(where, actor, lesson_id, name, data, fmt="auto"):
    """Read an uploaded meeting report for a lesson, keep the file as evidence and return what it
    suggests (nothing is marked): one line per learner of the class (those missing from the
    report with no suggestion), then the people it could not match.

    The same file uploaded again for the lesson is the report already kept: its preview is
    answered and nothing is stored twice (a report of 1,000 rows makes a preview of some
    hundred kilobytes)."""
    role = authorize(actor, MANAGE, where)
    lesson = get_lesson(where.usage_key, lesson_id)
    refuse_cancelled(lesson)
    sha = hashlib.sha256(data).hexdigest()
    kept = MeetingReport.objects.filter(lesson=lesson, sha256=sha).first()
    if kept is not None and fmt in ("auto", kept.format):
        return preview_data(where, kept)
    report, preview = _read(where, lesson, data, fmt)
    with transaction.atomic():
        lesson = locked(lesson)
        refuse_cancelled(lesson)
        kept = MeetingReport.objects.filter(lesson=lesson, sha256=sha).first()  # uploaded meanwhile
        if kept is not None:
            return preview_data(where, kept)
        earlier = MeetingReport.objects.filter(sha256=sha).first()  # the same file for another lesson
        storage_name = earlier.storage_name if earlier else default_storage.save(
            f"vn_online_teaching/attendance/reports/{sha[:2]}/{sha}", ContentFile(data))
        kept = MeetingReport.objects.create(lesson=lesson, sha256=sha, name=(name or "report")[:255],
                                            storage_name=storage_name, format=report.format, size=len(data),
                                            preview=preview, uploaded_by=actor.user_key)
        record("attendance.import_upload", where, actor, role, lesson.pk, report=kept.pk, sha256=sha, name=kept.name,
               format=report.format, people=len(preview["people"]), unmatched=len(preview["unmatched"]))
    return preview_data(where, kept)


def preview_data(where, kept):
    """A stored preview with each learner's current status, for the teacher's confirmation."""
    current = dict(Mark.objects.filter(lesson_id=kept.lesson_id).values_list("user_key", "status"))
    learners = class_learners(where.org, kept.lesson.class_name)
    by_username = {x.username: x for x in learners}
    people = []
    for person in kept.preview.get("people", []):
        learner = by_username.get(person.get("username") or "")
        people.append(dict(person, full_name=learner.full_name if learner else "",
                           current=current.get(learner.user_key, "") if learner else ""))
    return {"report": kept.pk, "lesson": kept.lesson_id, "name": kept.name, "format": kept.format,
            "variant": kept.preview.get("variant", ""), "sha256": kept.sha256, "people": people,
            "unmatched": kept.preview.get("unmatched", []), "missing": kept.preview.get("missing", []),
            "roster": [{"username": x.username, "full_name": x.full_name} for x in learners],
            "applied": kept.applied_at is not None}


def _items(lesson, people, by_username, rows):
    """(items to apply, rows as audited) of the rows the teacher confirmed (each checked by
    ``CONFIRM_FIELDS``): a person of the preview once, a learner of the class once."""
    items, applied, seen_people, seen_users = [], [], set(), set()
    for row in rows:
        index, username = row["person"], row["username"]
        if index >= len(people) or index in seen_people:
            raise RequestError("bad_choice", N_("The field {field} has a value that is not allowed."), field="person")
        learner = by_username.get(username)
        if learner is None:
            raise RequestError("bad_choice", N_("The field {field} has a value that is not allowed."), field="username")
        if username in seen_users:
            raise RequestError("duplicate_student", N_("{name} is chosen for more than one row of the report."),
                               field="username", name=learner.full_name)
        seen_people.add(index)
        seen_users.add(username)
        person = people[index]
        item = {"user_key": learner.user_key, "status": row["status"], "minutes": person.get("minutes")}
        if lesson.mode == "hybrid" and person.get("in_report"):
            item["location"] = roll.ONLINE
        items.append(item)
        applied.append({"person": index, "username": username, "status": row["status"],
                        "manual": username != person.get("username"), "in_report": bool(person.get("in_report"))})
    return items, applied


def confirm_import(where, actor, lesson_id, report_id, rows):
    """Apply the rows of a preview the teacher confirmed: [{"person": index in the preview,
    "username": the learner (the match, or the teacher's own choice), "status"}]. Nothing else is
    marked: a learner missing from the report stays as they are unless a row names them."""
    role = authorize(actor, MANAGE, where)
    lesson = get_lesson(where.usage_key, lesson_id)
    kept = MeetingReport.objects.filter(pk=report_id, lesson=lesson).first()
    if kept is None:
        raise NotFound()
    by_username = {x.username: x for x in class_learners(where.org, lesson.class_name)}
    items, applied = _items(lesson, kept.preview.get("people", []), by_username, rows)
    with transaction.atomic():
        lesson = locked(lesson)
        now = clock.now()
        refuse_cancelled(lesson)
        changes = apply(lesson, actor, "import", items, now)
        MeetingReport.objects.filter(pk=kept.pk).update(applied_at=now)
        record("attendance.import_confirm", where, actor, role, lesson.pk, report=kept.pk, sha256=kept.sha256,
               rows=applied, changes=changes)
    return {"applied": len(items), "changed": len(changes)}


def reports_of(where, lesson_id):
    """The meeting reports kept for a lesson, newest first, as plain data (the caller checked who
    may read them)."""
    lesson = get_lesson(where.usage_key, lesson_id)
    return [{"id": r.pk, "name": r.name, "format": r.format, "size": r.size, "sha256": r.sha256,
             "uploaded_at": clock.display(r.uploaded_at, where.org), "applied": r.applied_at is not None}
            for r in lesson.reports.order_by("-uploaded_at", "-pk")]


def report_file(where, actor, report_id):
    """(record, bytes) of a meeting report kept as evidence for one of the block's lessons, for
    those who may read the block's rolls."""
    authorize(actor, VIEW_STAFF, where)
    kept = MeetingReport.objects.select_related("lesson").filter(pk=report_id, lesson__usage_key=where.usage_key).first()
    if kept is None:
        raise NotFound()
    with default_storage.open(kept.storage_name, "rb") as f:
        return kept, f.read()
