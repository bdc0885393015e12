"""``preview_meeting_report FILE --start ISO --end ISO [--roster CSV] [--format auto|zoom|teams|meet]``

Shows, as JSON, what importing a meeting platform's attendance report would suggest for a
lesson, without recording anything: for trying a school's real files before a teacher does.
The reading and the rules live in ``attendance.importers``; this only turns arguments into calls.
"""
import json
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ...attendance.importers import ReportError, load_roster, parse_report, summarize
from ...core.clock import school_zone


def error_message(exc):
    """The translated sentence for a ``ReportError``; the codes are the importers' interface."""
    messages = {
        "empty_file": _("The file is empty."),
        "too_large": _("The file is larger than {limit_mb} MB."),
        "binary_file": _("The file is not a text report (CSV)."),
        "unknown_format": _("This is not a Zoom, Teams or Google Meet attendance report that can be read."),
        "format_mismatch": _("The file is not a {expected} attendance report."),
        "no_participants": _("The report lists no participants."),
        "bad_row": _("Row {row} cannot be read (column “{column}”: “{value}”)."),
        "ambiguous_dates": _("The dates in the file (such as {example}) may be day-first or month-first, "
                             "and the lesson date {lesson_date} does not decide which."),
        "date_mismatch": _("The report is of {file_date}, not of the lesson's day {lesson_date}."),
        "bad_lesson_window": _("The lesson must end after it starts."),
    }
    text = messages.get(exc.code, exc.code)
    try:
        return text.format(**exc.message_args)
    except (KeyError, IndexError, ValueError):
        return text


class Command(BaseCommand):
    help = "Preview, as JSON, the attendance a Zoom, Teams or Meet report suggests for one lesson."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--start", required=True, help="lesson start, ISO 8601 (school time if no offset)")
        parser.add_argument("--end", required=True, help="lesson end, ISO 8601 (school time if no offset)")
        parser.add_argument("--roster", help="CSV: sector_id, full_name, class_name, email, username")
        parser.add_argument("--format", default="auto", choices=["auto", "zoom", "teams", "meet"])

    def handle(self, *args, **opts):
        zone = school_zone()
        try:
            start, end = (datetime.fromisoformat(opts[name]) for name in ("start", "end"))
        except ValueError as exc:
            raise CommandError(_("--start and --end must be ISO 8601 date-times, such as 2025-09-08T07:30."),
                               returncode=2) from exc
        try:
            with open(opts["file"], "rb") as report_file:
                report = parse_report(report_file, lesson_start=start, lesson_end=end, fmt=opts["format"], tz=zone)
            roster = []
            if opts["roster"]:
                with open(opts["roster"], "rb") as roster_file:
                    roster = load_roster(roster_file)
            summary = summarize(report, lesson_start=start, lesson_end=end, roster=roster, tz=zone)
        except OSError as exc:
            raise CommandError(_("Cannot read the file {path}: {error}").format(
                path=exc.filename or opts["file"], error=exc.strerror or exc), returncode=2) from exc
        except ReportError as exc:
            raise CommandError(error_message(exc), returncode=2) from exc

        def when(moment):
            return moment.astimezone(zone).isoformat() if moment else None

        body = {
            "format": report.format,
            "variant": report.variant,
            "people": [{"name": p.name, "email": p.email, "username": p.username,
                        "first_join": when(p.first_join), "last_leave": when(p.last_leave),
                        "minutes": p.minutes, "status": p.status, "in_report": p.in_report,
                        "match": p.match_method, "keys": p.keys}
                       for p in summary.people],
            "unmatched": [{"name": p.name, "email": p.email, "role": p.role, "reason": p.match_reason,
                           "candidates": p.candidates, "keys": p.keys}
                          for p in summary.unmatched],
            "missing_from_report": summary.missing_from_report,
        }
        self.stdout.write(json.dumps(body, ensure_ascii=False, indent=2))
