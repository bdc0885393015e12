"""Lessons in time: one lesson, a weekly series, and the calendar file students import.

Times are entered in school time (the teacher thinks "period 2 at 7:50") and stored in UTC.
"""
import datetime as dt
import re
from dataclasses import dataclass

import icalendar

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


@dataclass(frozen=True)
class Event:
    """One lesson as the calendar file shows it (instants aware, UTC); ``description`` is a
    list of lines, empty ones left out."""

    uid: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    summary: str
    description: tuple = ()
    url: str = ""


def one_line(text):
    """``text`` on one line: a line break (a bare CR too) or a control character in a stored title
    must not become a new line in the reader's calendar."""
    return re.sub(r"[\x00-\x1f\x7f\u2028\u2029]+", " ", text or "").strip()


def ics(events, calendar_name, stamp):
    """An iCalendar file (RFC 5545) of ``events``. ``icalendar`` writes it: line folding,
    escaping of commas, semicolons and backslashes, and the UTC form of every instant, which
    every calendar shows in its reader's own zone."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//vn-online-teaching//session_attendance//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", one_line(calendar_name))
    for event in events:
        item = icalendar.Event()
        item.add("uid", event.uid)
        item.add("dtstamp", stamp.astimezone(dt.timezone.utc))
        item.add("dtstart", event.starts_at.astimezone(dt.timezone.utc))
        item.add("dtend", event.ends_at.astimezone(dt.timezone.utc))
        item.add("summary", one_line(event.summary))
        item.add("description", "\n".join(line for line in map(one_line, event.description) if line))
        if event.url:
            item.add("url", event.url)
        cal.add_component(item)
    return cal.to_ical()
