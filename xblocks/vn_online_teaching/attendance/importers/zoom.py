"""Zoom: Reports → Usage → Participants → Export.

Two shapes: one row per connection (``Join Time``/``Leave Time``; a student who reconnects or
joins from a phone and a laptop has several rows, which may overlap), or, with "show unique users",
one row per person with ``Total Duration (Minutes)`` and no times at all. Either may be preceded by
a meeting block (its own header and one row) and a blank row that Excel re-saves as ``,,,,,``.
"""
from .base import ZOOM, Connection, ParsedReport, PersonTotal, ReportError
from .dates import parse_minutes, parse_stamp, resolve_order
from .decode import is_blank
from .text import cell, clean_email, find_columns, header_key

NAME = (True, {"name (original name)", "name", "user name", "participant", "ten (ten goc)", "ten"},
        ("name", "ten nguoi"))
EMAIL = (False, {"user email", "email", "e-mail", "email nguoi dung"}, ("email", "e-mail"))
GUEST = (False, {"guest", "khach"}, ())
PARTICIPANTS = {
    "name": NAME,
    "email": EMAIL,
    "join": (True, {"join time", "thoi gian tham gia"}, ("join", "tham gia")),
    "leave": (True, {"leave time", "thoi gian roi di", "thoi gian roi khoi"}, ("leave", "roi di", "roi khoi")),
    "duration": (False, {"duration (minutes)", "thoi luong (phut)"}, ("duration", "thoi luong")),
    "guest": GUEST,
    "waiting": (False, {"in waiting room"}, ("waiting room", "phong cho")),
}
UNIQUE = {
    "name": NAME,
    "email": EMAIL,
    "total": (True, {"total duration (minutes)", "tong thoi luong (phut)"}, ("total duration", "tong thoi luong")),
    "guest": GUEST,
}
# Headers only Zoom writes; Teams' activity table also has name/join/leave/email columns.
ZOOM_MARKS = {"name (original name)", "user email", "duration (minutes)", "guest", "total duration (minutes)",
              "ten (ten goc)", "email nguoi dung", "thoi luong (phut)", "khach"}
NOT_ZOOM = {"role", "first join", "last leave", "participant id (upn)"}
SCAN_ROWS = 30


def _header(cells):
    """('participants'|'unique_users', columns) when ``cells`` is Zoom's participants header."""
    keys = {header_key(c) for c in cells if c}
    if not keys & ZOOM_MARKS or keys & NOT_ZOOM:
        return None
    columns = find_columns(cells, PARTICIPANTS)
    if columns is not None:
        return "participants", columns
    columns = find_columns(cells, UNIQUE)
    if columns is not None:
        return "unique_users", columns
    return None


def detect(rows):
    return any(_header(cells) for _, cells in rows[:SCAN_ROWS])


def _meeting_block(rows):
    """What the optional meeting block says (topic, host e-mail); {} when there is none."""
    for position, (_, cells) in enumerate(rows[:SCAN_ROWS]):
        keys = [header_key(c) for c in cells]
        if "meeting id" in keys and "topic" in keys:
            values = next((c for _, c in rows[position + 1:] if not is_blank(c)), [])
            meeting = {key: cell(values, i) for i, key in enumerate(keys) if key}
            return {"id": meeting.get("meeting id", ""), "topic": meeting.get("topic", ""),
                    "host_email": clean_email(meeting.get("user email")),
                    "start": meeting.get("start time", ""), "end": meeting.get("end time", "")}
    return {}


def parse(rows, lesson):
    meeting = _meeting_block(rows)
    for position, (_, cells) in enumerate(rows[:SCAN_ROWS]):
        found = _header(cells)
        if found:
            variant, columns = found
            repeated = [x.casefold() for x in cells]  # a header repeated by concatenated exports
            body = [(n, c) for n, c in rows[position + 1:] if not is_blank(c) and [x.casefold() for x in c] != repeated]
            break
    else:
        raise ReportError("unknown_format", {"candidates": []})
    report = ParsedReport(format=ZOOM, variant=variant, meeting=meeting)
    host = meeting.get("host_email")
    if variant == "unique_users":
        report.totals = _totals(body, columns, cells, host)
    else:
        report.connections, report.date_order = _connections(body, columns, cells, host, lesson)
    if not report.connections and not report.totals:
        raise ReportError("no_participants", {"format": ZOOM})
    return report


def _bad(number, header, column, cells):
    return ReportError("bad_row", {"row": number, "column": cell(header, column),
                                   "value": cell(cells, column)[:80]})


def _name(number, columns, header, cells):
    name = cell(cells, columns["name"])
    if not name:
        raise _bad(number, header, columns["name"], cells)
    return name


def _totals(body, columns, header, host):
    totals = []
    for number, cells in body:
        name = _name(number, columns, header, cells)
        minutes = parse_minutes(cell(cells, columns["total"]))
        if minutes is None:
            raise _bad(number, header, columns["total"], cells)
        email = clean_email(cell(cells, columns.get("email")))
        totals.append(PersonTotal(name=name, email=email, minutes=minutes, row=number,
                                  role="host" if host and email == host else None))
    return totals


def _connections(body, columns, header, host, lesson):
    parsed = []
    for number, cells in body:
        if header_key(cell(cells, columns.get("waiting"))) in ("yes", "co"):
            continue  # time in the waiting room is not time in the lesson
        name = _name(number, columns, header, cells)
        stamps = []
        for field in ("join", "leave"):
            stamp = parse_stamp(cell(cells, columns[field]))
            if stamp is None:
                raise _bad(number, header, columns[field], cells)
            stamps.append(stamp)
        parsed.append((number, cells, name, stamps))
    order = resolve_order([s for *_, stamps in parsed for s in stamps], lesson.start, lesson.end, lesson.tz)
    connections = []
    for number, cells, name, (join, leave) in parsed:
        join_at, leave_at = join.at(order, lesson.tz), leave.at(order, lesson.tz)
        if leave_at < join_at:
            raise _bad(number, header, columns["leave"], cells)
        email = clean_email(cell(cells, columns.get("email")))
        connections.append(Connection(name=name, email=email, join=join_at, leave=leave_at, row=number,
                                      role="host" if host and email == host else None))
    return connections, order
