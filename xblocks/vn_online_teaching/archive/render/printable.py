"""The printed documents a school keeps on paper, and who signs each of them.

A table whose ``printable`` names one of these is also laid out as a PDF on A4 (``pdf``). The
signature block follows the paper version: the class logbook is confirmed by the teacher; the score
sheet is signed by the subject teacher and certified by the principal; the attendance sheet and
the materials register carry no signature (the logbook and the approval decisions do).

Each document prints the columns a reader of the paper version expects, in its order (the others,
such as record numbers kept for machines, are in the CSV, JSON and XLSX beside it), and starts a
new page, with its own signature block, for each group: one class's logbook or attendance sheet,
one test's score sheet. Keys a table does not have are skipped; a table with fewer than two of the
listed columns is printed whole.
"""
from dataclasses import dataclass

from ...core.i18n import N_


@dataclass(frozen=True)
class Document:
    signers: tuple = ()  # roles, English msgids, left to right
    columns: tuple = ()  # keys of the printed columns, in order; () prints every column
    group_by: tuple = ()  # keys whose values head a group of pages (not repeated in the table)


DOCUMENTS = {
    "logbook": Document(
        signers=(N_("Teacher"),), group_by=("class_name",),
        columns=("date", "weekday", "period", "subject", "syllabus_no", "title", "content", "present", "total",
                 "absent", "late", "remarks", "rating", "confirmed_by", "cancel_reason")),
    "attendance_sheet": Document(
        group_by=("class_name",),
        columns=("sector_id", "full_name", "lessons", "present", "late", "excused", "unexcused", "unmarked",
                 "sessions_excused", "sessions_unexcused", "sessions")),
    "score_sheet": Document(
        signers=(N_("Subject teacher"), N_("Principal")), group_by=("title", "class_name", "subject", "opens", "test"),
        columns=("number", "sector_id", "full_name", "shown", "state")),
    "materials_register": Document(
        columns=("id", "title", "kind", "subject", "grade", "lesson", "author_name", "state", "submitted_at",
                 "passed_by", "passed_at", "approved_by", "approved_at", "approved_version")),
}

SIGN_HINT = N_("(signature and full name)")
PLACE_AND_DATE = N_("…………, day …… month …… year ……")
FROM_TO = N_("From {since} to {until}")
FROM = N_("From {since}")
UNTIL = N_("Until {until}")
PAGE = N_("Page {page}/{pages}")
VOLUME = N_("Volume {number}")
CONTINUED = N_("Continued in {file}")
NO_ROWS = N_("No records in this period.")


def document(printable):
    """The document a ``Table.printable`` names; an unknown name is printed without signatures."""
    return DOCUMENTS.get(printable, Document())


def plan(document, keys):
    """(indices of the printed columns, indices of the group's columns) for a table's ``keys``."""
    position = {key: i for i, key in enumerate(keys)}
    group = [position[k] for k in document.group_by if k in position]
    shown = [position[k] for k in document.columns if k in position and position[k] not in group]
    if len(shown) < 2:
        shown = [i for i in range(len(keys)) if i not in group]
    return shown, group


def date_range(context):
    """The header's period line, "" without dates."""
    since = context.since.strftime("%d/%m/%Y") if context.since else ""
    until = context.until.strftime("%d/%m/%Y") if context.until else ""
    if since and until:
        return context.gettext(FROM_TO).format(since=since, until=until)
    if since:
        return context.gettext(FROM).format(since=since)
    if until:
        return context.gettext(UNTIL).format(until=until)
    return ""
