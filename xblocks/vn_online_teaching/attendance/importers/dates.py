"""Dates, clock times and durations as the platforms (and Excel) write them.

The same lesson can arrive as ``09/08/2025 07:29:41 AM`` (Zoom, US), ``08/09/25, 08:20:05``
(Teams, Vietnamese organiser), ``9/8/25, 8:20:05 AM`` (Teams, US organiser) or, after Excel
re-saved the file on a Vietnamese computer, ``08/09/2025 07:29``. Which number is the day cannot be
read from one value, so all the values of a file are collected first and the order is chosen once
for the whole file, from the lesson's date; when the lesson date does not settle it the file is
refused rather than guessed.
"""
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache

from .base import ReportError

_AMPM = r"(?P<ampm>[ap]\.?\s?m\.?|sa|ch)"
_CLOCK = r"(?P<h>\d{1,2})[:.h](?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,]\d+)?)?\s*" + _AMPM + r"?"
STAMP = re.compile(
    r"^(?P<a>\d{1,4})[/.\-](?P<b>\d{1,2})[/.\-](?P<c>\d{2,4})(?:\s*,\s*|\s+|T)" + _CLOCK + r"$",
    re.IGNORECASE,
)
CLOCK = re.compile(r"^" + _CLOCK + r"$", re.IGNORECASE)
MDY, DMY, YMD = "mdy", "dmy", "ymd"


@dataclass(frozen=True)
class Stamp:
    """A date and time as written, before the day/month order is known."""

    a: int
    b: int
    c: int
    clock: time
    text: str

    def candidates(self):
        """{order: date} for every order under which this is a real calendar date."""
        return _candidates(self.a, self.b, self.c)

    def at(self, order, tz):
        day = self.candidates()[order]
        return datetime.combine(day, self.clock).replace(tzinfo=tz)


@lru_cache(maxsize=512)
def _candidates(a, b, c):
    # A file repeats a handful of days thousands of times: decide each day once.
    if a > 31:  # four-digit first number: year first, never ambiguous
        return _only(YMD, a, b, c)
    year = c + 2000 if c < 100 else c
    found = {}
    found.update(_only(MDY, year, a, b))
    found.update(_only(DMY, year, b, a))
    return found


def _only(order, year, month, day):
    try:
        return {order: date(year, month, day)}
    except ValueError:
        return {}


def _clock(match):
    hour, minute = int(match.group("h")), int(match.group("mi"))
    second = int(match.group("s") or 0)
    ampm = (match.group("ampm") or "").lower().replace(".", "").replace(" ", "")
    if ampm:
        if not 1 <= hour <= 12:
            return None
        afternoon = ampm in ("pm", "ch")  # "CH" (chiều) is Vietnamese Windows' PM
        hour = hour % 12 + (12 if afternoon else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return time(hour, minute, second)


def _squash(text):
    # U+202F (Meet, newer ICU) and U+00A0 before AM/PM are ordinary spaces for our purpose.
    return " ".join(text.split())


def parse_stamp(text):
    """A ``Stamp`` for a date-and-time cell, or None when the cell is not one."""
    match = STAMP.match(_squash(text))
    if not match:
        return None
    clock = _clock(match)
    if clock is None:
        return None
    stamp = Stamp(int(match.group("a")), int(match.group("b")), int(match.group("c")), clock, text)
    return stamp if stamp.candidates() else None


def parse_clock(text):
    """A ``time`` for a time-only cell (Google Meet), or None."""
    match = CLOCK.match(_squash(text))
    return _clock(match) if match else None


def lesson_dates(lesson_start, lesson_end, tz):
    """The local calendar days a file about this lesson may mention. Only the lesson's own: a
    report of the day before would otherwise be imported and mark the whole class absent."""
    return lesson_start.astimezone(tz).date(), lesson_end.astimezone(tz).date()


def resolve_order(stamps, lesson_start, lesson_end, tz):
    """The one order (MDY, DMY or YMD) that reads every stamp of the file as a day of the lesson.

    ``ambiguous_dates`` when two orders give real dates and the lesson date picks neither;
    ``date_mismatch`` when the only readable order puts the file on another day.
    """
    if not stamps:
        return None
    first, last = lesson_dates(lesson_start, lesson_end, tz)
    days = {(stamp.a, stamp.b, stamp.c): stamp for stamp in stamps}
    valid = {MDY, DMY, YMD}
    for stamp in days.values():
        valid &= set(stamp.candidates())
    fitting = [order for order in (YMD, MDY, DMY) if order in valid and all(
        first <= stamp.candidates()[order] <= last for stamp in days.values())]
    lesson_date = lesson_start.astimezone(tz).date().isoformat()
    if fitting:
        # Two fitting orders can only read every stamp as the same day (day == month).
        return fitting[0]
    if len(valid) > 1:
        raise ReportError("ambiguous_dates", {"example": stamps[0].text, "lesson_date": lesson_date})
    if not valid:
        # Some stamps are only month-first, others only day-first: the file mixes locales.
        raise ReportError("ambiguous_dates", {"example": stamps[0].text, "lesson_date": lesson_date})
    order = valid.pop()
    outside = next(day for day in (stamp.candidates()[order] for stamp in days.values()) if not first <= day <= last)
    raise ReportError("date_mismatch", {"file_date": outside.isoformat(), "lesson_date": lesson_date})


_DURATION_PART = re.compile(
    r"(\d+(?:[.,]\d+)?)\s*(h|hr|hrs|hour|hours|giờ|m|min|mins|minute|minutes|phút|s|sec|secs|second|seconds|giây)\b",
    re.IGNORECASE,
)


def _unit_minutes(unit):
    unit = unit.lower()
    if unit in ("s", "sec", "secs", "second", "seconds", "giây"):
        return 1 / 60
    if unit in ("h", "hr", "hrs", "hour", "hours", "giờ"):
        return 60
    return 1


def parse_minutes(text):
    """Minutes in ``47m 7s``, ``1h 3m 2s``, ``56 min``, ``1:03:02`` or a bare number; None if
    the cell says something else."""
    value = _squash(text).lower()
    if not value:
        return None
    if re.fullmatch(r"\d+(?:[.,]\d+)?", value):
        return float(value.replace(",", "."))
    clock = re.fullmatch(r"(\d+):(\d{2}):(\d{2})", value)
    if clock:
        return int(clock.group(1)) * 60 + int(clock.group(2)) + int(clock.group(3)) / 60
    parts = _DURATION_PART.findall(value)
    if not parts or _DURATION_PART.sub("", value).strip():
        return None
    total = 0.0
    for number, unit in parts:
        total += float(number.replace(",", ".")) * _unit_minutes(unit)
    return total
