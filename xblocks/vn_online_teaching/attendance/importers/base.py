"""The shapes every platform's report is reduced to, and the one error a bad file can cause.

Each platform says the same thing in a different file layout: who was connected, and from when
to when. Reducing all of them to ``Connection`` rows (or, where the platform only gives totals,
``PersonTotal``) lets the merging, matching and status rules be written once.
"""
from dataclasses import dataclass, field
from datetime import datetime
from typing import Optional
from zoneinfo import ZoneInfo

# Formats, as reported in ParsedReport.format.
ZOOM = "zoom"
TEAMS = "teams"
MEET = "meet"
FORMATS = (ZOOM, TEAMS, MEET)
DEFAULT_TZ = "Asia/Ho_Chi_Minh"

# Error codes. They are part of the interface: callers map them to translated messages, tests
# assert on them. The parameters each one carries are listed beside it.
ERROR_CODES = {
    "empty_file": (),                               # nothing but blanks (or nothing at all)
    "too_large": ("limit_bytes", "limit_mb"),       # refused before reading it all
    "too_many_rows": ("limit",),                    # refused before keeping them all
    "binary_file": ("reason",),                     # NUL bytes, control characters, undecodable
    "unknown_format": ("candidates",),              # no known structure, or more than one fits
                                                    # (a roster adds expected="roster")
    "format_mismatch": ("expected", "detected"),    # the teacher chose a format the file is not
    "no_participants": ("format",),                 # the structure is there but no person is
    "bad_row": ("row", "column", "value"),          # a row the format cannot explain
    "ambiguous_dates": ("example", "lesson_date"),  # day/month order undecidable from the lesson date
    "date_mismatch": ("file_date", "lesson_date"),  # the report is of another day
    "bad_lesson_window": ("start", "end"),          # the lesson ends before it starts
}


class ReportError(Exception):
    """A report that cannot be imported; nothing should be marked from it.

    ``code`` is stable (see ``ERROR_CODES``); ``message_args`` holds what a translated message
    needs (row number, offending value…). There is deliberately no English sentence here: the
    same error is shown to Vietnamese teachers, logged and asserted in tests.
    """

    def __init__(self, code, message_args=None):
        if code not in ERROR_CODES:
            raise ValueError(f"unknown report error code {code!r}")
        self.code = code
        self.message_args = dict(message_args or {})
        super().__init__(code, self.message_args)

    def __str__(self):
        args = ", ".join(f"{key}={value!r}" for key, value in sorted(self.message_args.items()))
        return f"{self.code}({args})" if args else self.code

    def as_dict(self):
        return {"error": self.code, **self.message_args}


@dataclass(frozen=True)
class Connection:
    """One stretch of one person's presence, as one row of the file states it.

    A person may have several, overlapping ones (two devices, reconnections); they are merged
    only when the time is added up, so the evidence stays row by row.
    """

    name: str                   # display name as the file gives it (NFC), extra text included
    email: Optional[str]        # lower-cased, None for guests and hidden addresses
    join: datetime              # aware, converted from the school's local time
    leave: datetime             # aware, >= join
    row: int                    # 1-based row in the file, for the teacher to find it
    role: Optional[str] = None  # "host"/"organizer" when the file says so; else None


@dataclass(frozen=True)
class PersonTotal:
    """A person for whom the file gives only a total time (Zoom's unique-users export, or a
    Teams report without its activities section). ``first_join``/``last_leave`` are set when the
    file has them; without them lateness cannot be judged."""

    name: str
    email: Optional[str]
    minutes: float
    row: int
    first_join: Optional[datetime] = None
    last_leave: Optional[datetime] = None
    role: Optional[str] = None


@dataclass
class ParsedReport:
    """What one file says, independent of which platform wrote it."""

    format: str                                   # ZOOM, TEAMS or MEET
    variant: str                                  # e.g. "participants", "unique_users", "sections", "legacy"
    connections: list = field(default_factory=list)   # [Connection]
    totals: list = field(default_factory=list)        # [PersonTotal]
    meeting: dict = field(default_factory=dict)       # what the file says of the meeting (topic, host…)
    encoding: str = ""                            # how the bytes were read, kept with the evidence
    delimiter: str = ","
    date_order: Optional[str] = None              # "mdy", "dmy", "ymd" or None (no dates in the file)
    sha256: str = ""                              # of the bytes as uploaded, to tie marks to the evidence


@dataclass(frozen=True)
class Lesson:
    """The lesson a report is read for: its window decides the day/month order of the file's
    dates and gives time-only files (Meet) their date. ``tz`` is the school's zone, in which the
    platforms write their times."""

    start: datetime
    end: datetime
    tz: object

    @property
    def local_date(self):
        return self.start.astimezone(self.tz).date()


def lesson_for(lesson_start, lesson_end, tz=DEFAULT_TZ):
    """The ``Lesson`` for a window given as aware datetimes, or naive ones in school time (the
    zone every platform writes its times in); ``bad_lesson_window`` when it is empty."""
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    start = lesson_start if lesson_start.tzinfo else lesson_start.replace(tzinfo=zone)
    end = lesson_end if lesson_end.tzinfo else lesson_end.replace(tzinfo=zone)
    if end <= start:
        raise ReportError("bad_lesson_window", {"start": start.isoformat(), "end": end.isoformat()})
    return Lesson(start=start, end=end, tz=zone)
