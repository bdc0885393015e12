"""What a records officer chooses an export, a hold or a disposal by: dates, or a school year
("2025-2026") and a semester (1 or 2), turned into the days they cover, with the words kept for
the record ("Năm học 2025-2026, học kỳ 1").

The school year starts on the school's SCHOOL_YEAR_START and semester 2 on SEMESTER_2_START
(core settings), as everywhere else in the package (core/clock.py, ``semester_of``).
"""
import datetime as dt
import re

from ..core import config
from ..core.errors import RequestError
from ..core.exporting import Scope
from ..core.i18n import N_, gettext

YEAR = re.compile(r"^(20[0-9]{2})-(20[0-9]{2})$")
BAD_YEAR = N_("A school year is written like 2025-2026.")
BAD_RANGE = N_("The start date is after the end date.")
SEMESTER_ONLY = N_("Choose the school year of the semester.")


def school_year(text, org=None, semester=None):
    """(first day, last day) of the school year ``text`` ("2025-2026"), or of its ``semester``."""
    match = YEAR.match((text or "").strip())
    if not match or int(match.group(2)) != int(match.group(1)) + 1:
        raise RequestError("bad_year", BAD_YEAR, field="school_year")
    first_year = int(match.group(1))
    month, day = config.get("SCHOOL_YEAR_START", org)
    s2_month, s2_day = config.get("SEMESTER_2_START", org)
    start = dt.date(first_year, month, day)
    end = dt.date(first_year + 1, month, day) - dt.timedelta(days=1)
    second = dt.date(first_year + (1 if (s2_month, s2_day) < (month, day) else 0), s2_month, s2_day)
    if semester == 1:
        return start, second - dt.timedelta(days=1)
    if semester == 2:
        return second, end
    return start, end


def choose(org, courses=None, since=None, until=None, year="", semester=None):
    """(Scope, label) from what a person chose: a school year (and semester) wins over dates."""
    label = ""
    if year:
        since, until = school_year(year, org, semester)
        label = (gettext("School year {year}, semester {semester}").format(year=year, semester=semester)
                 if semester else gettext("School year {year}").format(year=year))
    elif semester:
        raise RequestError("bad_year", SEMESTER_ONLY, field="school_year")
    if since and until and since > until:
        raise RequestError("bad_range", BAD_RANGE, field="since")
    if not label:
        label = describe_dates(since, until)
    return Scope(org, tuple(courses) if courses else None, since, until), label


def describe_dates(since, until):
    if since and until:
        return gettext("From {since} to {until}").format(since=since.isoformat(), until=until.isoformat())
    if since:
        return gettext("From {since}").format(since=since.isoformat())
    if until:
        return gettext("Until {until}").format(until=until.isoformat())
    return gettext("All records")


def of_record(row):
    """The Scope of a job, hold or disposal row (its ``course_keys`` [] meaning every course)."""
    return Scope(row.org, tuple(row.course_keys) if row.course_keys else None, row.since, row.until)


def overlaps(a, b):
    """Do two scopes share any record? Same school, a course in common (or either covers all),
    and days in common (an open end reaches everything on its side)."""
    if a.org != b.org:
        return False
    if a.course_keys is not None and b.course_keys is not None and not set(a.course_keys) & set(b.course_keys):
        return False
    low = max((d for d in (a.since, b.since) if d), default=None)
    high = min((d for d in (a.until, b.until) if d), default=None)
    return low is None or high is None or low <= high


def within(inner, outer):
    """Is every record of ``inner`` also in ``outer``?"""
    if inner.org != outer.org:
        return False
    if outer.course_keys is not None and (inner.course_keys is None
                                          or not set(inner.course_keys) <= set(outer.course_keys)):
        return False
    if outer.since and (inner.since is None or inner.since < outer.since):
        return False
    return not (outer.until and (inner.until is None or inner.until > outer.until))
