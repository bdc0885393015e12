"""Lessons in time: one lesson, a weekly series, and the calendar file students import.

Times are entered in school time (the teacher thinks "period 2 at 7:50") and stored in UTC.
"""
import datetime as dt
from dataclasses import dataclass

from ..core.errors import RequestError
from ..core.i18n import N_

MAX_SERIES = 200
PLATFORMS = {"meet": "Google Meet", "zoom": "Zoom", "teams": "Microsoft Teams", "other": N_("Other")}
MODES = {"online": N_("Online"), "hybrid": N_("Hybrid (some students in the classroom)")}


@dataclass(frozen=True)
class Slot:
    date: dt.date
    starts_at: dt.datetime  # aware UTC
    ends_at: dt.datetime


def parse_date(text, field):
    try:
        return dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        raise RequestError("bad_date", N_("The field {field} must be a date (YYYY-MM-DD)."), field=field) from None


def parse_time(text, field):
    try:
        return dt.time.fromisoformat(text)
    except (TypeError, ValueError):
        raise RequestError("bad_time", N_("The field {field} must be a time (HH:MM)."), field=field) from None


def slot(date, start, length_min, zone):
    """One lesson's instants from a local date, a local start time and a length in minutes."""
    if not 5 <= length_min <= 240:
        raise RequestError("bad_length", N_("A lesson lasts between 5 and 240 minutes."), field="length")
    local = dt.datetime.combine(date, start, tzinfo=zone)
    starts = local.astimezone(dt.timezone.utc)
    return Slot(date, starts, starts + dt.timedelta(minutes=length_min))


def weekly(first, until, weekdays, start, length_min, zone, holidays=()):
    """Slots on the given weekdays (0 = Monday) from ``first`` to ``until``, skipping holidays."""
    if until < first:
        raise RequestError("bad_range", N_("The end date is before the start date."), field="until")
    if not weekdays or any(d not in range(7) for d in weekdays):
        raise RequestError("required", N_("Choose at least one weekday."), field="weekdays")
    skip = set(holidays)
    out = []
    day = first
    while day <= until:
        if day.weekday() in weekdays and day not in skip:
            out.append(slot(day, start, length_min, zone))
            if len(out) > MAX_SERIES:
                raise RequestError("too_many", N_("A series can have at most {limit} lessons."), field="until",
                                   limit=MAX_SERIES)
        day += dt.timedelta(days=1)
    return out


def _ics_text(value):
    return (value or "").replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line):
    """RFC 5545 folding: lines of at most 75 octets, continued with a space."""
    raw = line.encode("utf-8")
    if len(raw) <= 75:
        return line
    parts, current = [], b""
    for ch in line:
        b = ch.encode("utf-8")
        if len(current) + len(b) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += b
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def ics(events, calendar_name, stamp):
    """An iCalendar file of [(uid, starts_at, ends_at, summary, description, url)] (UTC)."""
    fmt = "%Y%m%dT%H%M%SZ"
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//vn-online-teaching//session_attendance//VI",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH", f"X-WR-CALNAME:{_ics_text(calendar_name)}"]
    for uid, starts, ends, summary, description, url in events:
        lines += ["BEGIN:VEVENT", f"UID:{uid}", f"DTSTAMP:{stamp.strftime(fmt)}",
                  f"DTSTART:{starts.strftime(fmt)}", f"DTEND:{ends.strftime(fmt)}",
                  f"SUMMARY:{_ics_text(summary)}", f"DESCRIPTION:{_ics_text(description)}"]
        if url:
            lines.append(f"URL:{_ics_text(url)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode("utf-8")
