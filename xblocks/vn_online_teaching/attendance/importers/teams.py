"""Microsoft Teams: meeting → Attendance → Download.

The current report has three sections (summary; one row per person with first join, last leave
and total; one row per join/leave) whose titles and header case change between versions, so the
tables are found by their headers, not their titles. The per-join section is preferred: only it
shows the gaps. The older "attendance list" is one table of Joined/Left events. Dates follow the
organiser's locale, so their order is decided for the whole file from the lesson date.
"""
import re

from .base import TEAMS, Connection, ParsedReport, PersonTotal, ReportError
from .dates import parse_minutes, parse_stamp, resolve_order
from .decode import is_blank
from .text import cell, clean_email, find_columns, fold, header_key

NAME = (True, {"name", "full name", "ten", "ho va ten"}, ())
PARTICIPANTS = {
    "name": NAME,
    "first": (True, {"first join", "lan tham gia dau tien"}, ("first join",)),
    "last": (True, {"last leave", "lan roi di cuoi cung"}, ("last leave",)),
    "duration": (False, {"in-meeting duration", "duration"}, ("duration",)),
    "email": (False, {"email", "e-mail"}, ("email",)),
    "upn": (False, {"participant id (upn)"}, ("upn",)),
    "role": (False, {"role", "vai tro"}, ()),
}
ACTIVITIES = {
    "name": NAME,
    "join": (True, {"join time", "thoi gian tham gia"}, ("join time",)),
    "leave": (True, {"leave time", "thoi gian roi di"}, ("leave time",)),
    "duration": (False, {"duration"}, ("duration",)),
    "email": (False, {"email", "e-mail"}, ("email",)),
    "role": (False, {"role", "vai tro"}, ()),
}
LEGACY = {
    "name": (True, {"full name", "name"}, ()),
    "action": (True, {"user action"}, ("action",)),
    "time": (True, {"timestamp"}, ("timestamp",)),
}
SECTION = re.compile(r"^\d+\s*\.\s*(summary|participants|in-meeting activities|tom tat|nguoi tham gia)")
ZOOM_MARKS = {"name (original name)", "user email", "duration (minutes)", "guest"}
SCAN_ROWS = 200


def _is_title(cells):
    filled = [c for c in cells if c]
    return len(filled) == 1 and bool(re.match(r"^\d+\s*\.\s*\S", filled[0]))


def _kind(cells, in_sections=False):
    """Which Teams table ``cells`` is the header of, with its columns, or None."""
    keys = {header_key(c) for c in cells if c}
    if keys & ZOOM_MARKS:
        return None
    for kind, spec in (("participants", PARTICIPANTS), ("legacy", LEGACY)):
        columns = find_columns(cells, spec)
        if columns is not None:
            return kind, columns
    columns = find_columns(cells, ACTIVITIES)
    # Zoom's table has the same columns; only Teams' has a role column or numbered sections.
    if columns is not None and ("role" in columns or in_sections):
        return "activities", columns
    return None


def detect(rows):
    head = rows[:SCAN_ROWS]
    if any(_kind(cells) for _, cells in head):
        return True
    titles = sum(1 for _, cells in head if _is_title(cells) and SECTION.match(fold(next(c for c in cells if c))))
    return titles >= 2


def _tables(rows):
    """{kind: (header, columns, [(row number, cells)])}; a table ends at a blank row or a title."""
    tables = {}
    summary = {}
    position = 0
    in_sections = False
    while position < len(rows):
        _, cells = rows[position]
        if _is_title(cells) and SECTION.match(fold(next(c for c in cells if c))):
            in_sections = True
        found = _kind(cells, in_sections)
        if found and found[0] not in tables:
            kind, columns = found
            body = []
            position += 1
            while position < len(rows) and not is_blank(rows[position][1]) and not _is_title(rows[position][1]):
                body.append(rows[position])
                position += 1
            tables[kind] = (cells, columns, body)
            continue
        filled = [c for c in cells if c]
        if len(filled) == 2 and not tables:
            summary[header_key(filled[0])] = filled[1]
        position += 1
    return tables, summary


def parse(rows, lesson):
    tables, summary = _tables(rows)
    meeting = {"title": summary.get("meeting title", ""), "start": summary.get("start time", ""),
               "end": summary.get("end time", "")}
    report = ParsedReport(format=TEAMS, variant="sections", meeting=meeting)
    emails = _emails_by_name(tables.get("participants"))
    if tables.get("activities") and tables["activities"][2]:
        report.connections, report.date_order = _activities(tables["activities"], emails, lesson)
    elif tables.get("participants") and tables["participants"][2]:
        report.totals, report.date_order = _participants(tables["participants"], lesson)
    elif tables.get("legacy") and tables["legacy"][2]:
        report.variant = "legacy"
        report.connections, report.date_order = _legacy(tables["legacy"], lesson)
    if not report.connections and not report.totals:
        raise ReportError("no_participants", {"format": TEAMS})
    return report


def _bad(number, header, column, cells):
    return ReportError("bad_row", {"row": number, "column": cell(header, column),
                                   "value": cell(cells, column)[:80]})


def _role(value):
    value = fold(value)
    return None if value in ("", "attendee", "nguoi tham du") else value


def _stamps(table, fields):
    """[(number, cells, [Stamp per field])], refusing the row whose time is unreadable."""
    header, columns, body = table
    parsed = []
    for number, cells in body:
        if not cell(cells, columns["name"]):
            raise _bad(number, header, columns["name"], cells)
        stamps = []
        for field in fields:
            stamp = parse_stamp(cell(cells, columns[field]))
            if stamp is None:
                raise _bad(number, header, columns[field], cells)
            stamps.append(stamp)
        parsed.append((number, cells, stamps))
    return parsed


def _order(parsed, lesson):
    return resolve_order([s for *_, stamps in parsed for s in stamps], lesson.start, lesson.end, lesson.tz)


def _emails_by_name(table):
    """Name → e-mail from the participants section, for versions whose activity rows lack it."""
    if not table:
        return {}
    _, columns, body = table
    found = {}
    for _, cells in body:
        email = clean_email(cell(cells, columns.get("email"))) or clean_email(cell(cells, columns.get("upn")))
        if email:
            found[cell(cells, columns["name"])] = email
    return found


def _activities(table, emails, lesson):
    header, columns, _ = table
    parsed = _stamps(table, ("join", "leave"))
    order = _order(parsed, lesson)
    connections = []
    for number, cells, (join, leave) in parsed:
        join_at, leave_at = join.at(order, lesson.tz), leave.at(order, lesson.tz)
        if leave_at < join_at:
            raise _bad(number, header, columns["leave"], cells)
        name = cell(cells, columns["name"])
        email = clean_email(cell(cells, columns.get("email"))) or emails.get(name)
        connections.append(Connection(name=name, email=email, join=join_at, leave=leave_at, row=number,
                                      role=_role(cell(cells, columns.get("role")))))
    return connections, order


def _participants(table, lesson):
    header, columns, _ = table
    parsed = _stamps(table, ("first", "last"))
    order = _order(parsed, lesson)
    totals = []
    for number, cells, (first, last) in parsed:
        first_at, last_at = first.at(order, lesson.tz), last.at(order, lesson.tz)
        if last_at < first_at:
            raise _bad(number, header, columns["last"], cells)
        minutes = parse_minutes(cell(cells, columns.get("duration")))
        if minutes is None:
            minutes = (last_at - first_at).total_seconds() / 60
        email = clean_email(cell(cells, columns.get("email"))) or clean_email(cell(cells, columns.get("upn")))
        totals.append(PersonTotal(name=cell(cells, columns["name"]), email=email, minutes=minutes, row=number,
                                  first_join=first_at, last_leave=last_at,
                                  role=_role(cell(cells, columns.get("role")))))
    return totals, order


def _action(value):
    value = fold(value)
    if value.startswith("join") or "tham gia" in value:
        return "join"
    if value.startswith(("left", "leave")) or "roi" in value.split():
        return "leave"
    return None


def _legacy(table, lesson):
    """Pairs each person's Joined and Left events. The list was downloaded during the meeting,
    so someone without a Left was still there at the last recorded event; a Left without a Join
    means they were there when the list began."""
    header, columns, _ = table
    parsed = _stamps(table, ("time",))
    order = _order(parsed, lesson)
    events = []
    for number, cells, (stamp,) in parsed:
        action = _action(cell(cells, columns["action"]))
        if action is None:
            raise _bad(number, header, columns["action"], cells)
        events.append((stamp.at(order, lesson.tz), number, cell(cells, columns["name"]), action))
    events.sort()
    first, last = events[0][0], events[-1][0]
    open_since = {}
    connections = []
    for moment, number, name, action in events:
        if action == "join":
            open_since.setdefault(name, (moment, number))
            continue
        joined, row = open_since.pop(name, (first, number))
        connections.append(Connection(name=name, email=None, join=joined, leave=moment, row=row))
    for name, (joined, row) in open_since.items():
        connections.append(Connection(name=name, email=None, join=joined, leave=last, row=row))
    connections.sort(key=lambda c: (c.row, c.join))
    return connections, order
