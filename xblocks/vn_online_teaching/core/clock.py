"""School time.

Records are stored in UTC; people read dates in the school's zone, and school-day logic (which
semester, which day) is decided there. Every deadline is decided on the server with ``now()``,
never from the browser's clock.
"""
import datetime as dt
from zoneinfo import ZoneInfo

from . import config

UTC = dt.timezone.utc


def now():
    """The current instant, aware, UTC. Tests freeze it with freezegun."""
    return dt.datetime.now(tz=UTC)


def school_zone(org=None):
    return ZoneInfo(config.get("TIME_ZONE", org))


def to_school(moment, org=None):
    """``moment`` (aware) in the school's zone; naive values are taken as UTC."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(school_zone(org))


def iso(moment):
    """Canonical UTC text of an instant, microsecond precision, for hashes and exports."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def display(moment, org=None):
    """``dd/mm/yyyy HH:MM`` in the school's zone, as Vietnamese documents write dates."""
    local = to_school(moment, org)
    return local.strftime("%d/%m/%Y %H:%M") if local else ""


def semester_of(moment, org=None):
    """(school year label, semester number) of an instant, e.g. ("2025-2026", 1).

    The school year starts on SCHOOL_YEAR_START and semester 2 on SEMESTER_2_START (settings),
    because provinces publish their own calendars.
    """
    local = to_school(moment, org).date()
    start_month, start_day = config.get("SCHOOL_YEAR_START", org)
    s2_month, s2_day = config.get("SEMESTER_2_START", org)
    year_start = local.year if (local.month, local.day) >= (start_month, start_day) else local.year - 1
    label = f"{year_start}-{year_start + 1}"
    s2 = dt.date(year_start + 1, s2_month, s2_day)
    return label, (2 if local >= s2 else 1)
