"""Google Meet attendance report (a Google Sheet downloaded as CSV).

One row per person with the first join and last exit as clock times without a date, written
with a narrow no-break space before AM/PM. The date is the lesson's. Meet gives no gaps, so the
row is taken as one connection from join to exit.
"""
from datetime import datetime, timedelta

from .base import MEET, Connection, ParsedReport, ReportError
from .dates import Stamp, parse_clock, parse_stamp, resolve_order
from .decode import is_blank
from .text import cell, clean_email, find_columns, header_key

SPEC = {
    "first": (False, {"first name", "ten"}, ("first name",)),
    "last": (False, {"last name", "ho", "ho va ten dem"}, ("last name",)),
    "name": (False, {"name", "full name", "participant", "ho va ten"}, ()),
    "email": (False, {"email", "e-mail"}, ("email",)),
    "duration": (False, {"duration", "thoi luong"}, ("duration",)),
    "joined": (True, {"time joined", "joined", "thoi gian tham gia"}, ("time joined", "joined")),
    "exited": (True, {"time exited", "exited", "thoi gian roi di"}, ("time exited", "exited")),
}
SCAN_ROWS = 30


def _header(cells):
    keys = {header_key(c) for c in cells if c}
    if not keys & {"time joined", "time exited"} and not {"first name", "last name"} <= keys:
        return None
    columns = find_columns(cells, SPEC)
    if columns is None or not ({"first", "last"} & set(columns) or "name" in columns):
        return None
    return columns


def detect(rows):
    return any(_header(cells) for _, cells in rows[:SCAN_ROWS])


def _bad(number, header, column, cells):
    return ReportError("bad_row", {"row": number, "column": cell(header, column),
                                   "value": cell(cells, column)[:80]})


def parse(rows, lesson):
    for position, (_, header) in enumerate(rows[:SCAN_ROWS]):
        columns = _header(header)
        if columns:
            break
    else:
        raise ReportError("unknown_format", {"candidates": []})
    parsed = []
    for number, cells in rows[position + 1:]:
        if is_blank(cells):
            continue
        # Vietnamese order: family name ("Last name") first.
        name = " ".join(part for part in (cell(cells, columns.get("last")), cell(cells, columns.get("first")))
                        if part) or cell(cells, columns.get("name"))
        if not name:
            raise _bad(number, header, columns.get("first", columns.get("name")), cells)
        times = []
        for field in ("joined", "exited"):
            text = cell(cells, columns[field])
            value = parse_stamp(text) or parse_clock(text)
            if value is None:
                raise _bad(number, header, columns[field], cells)
            times.append(value)
        parsed.append((number, cells, name, times))
    stamps = [t for *_, times in parsed for t in times if isinstance(t, Stamp)]
    order = resolve_order(stamps, lesson.start, lesson.end, lesson.tz)
    connections = []
    for number, cells, name, (joined, exited) in parsed:
        join_at, leave_at = (_at(value, order, lesson) for value in (joined, exited))
        if leave_at < join_at and not isinstance(exited, Stamp):
            leave_at += timedelta(days=1)  # a time-only exit after midnight
        if leave_at < join_at:
            raise _bad(number, header, columns["exited"], cells)
        connections.append(Connection(name=name, email=clean_email(cell(cells, columns.get("email"))),
                                      join=join_at, leave=leave_at, row=number))
    if not connections:
        raise ReportError("no_participants", {"format": MEET})
    return ParsedReport(format=MEET, variant="attendance", connections=connections, date_order=order)


def _at(value, order, lesson):
    if isinstance(value, Stamp):
        return value.at(order, lesson.tz)
    return datetime.combine(lesson.local_date, value).replace(tzinfo=lesson.tz)
