"""School time (core/clock.py): semesters and dates in Asia/Ho_Chi_Minh."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from vn_online_teaching.core.clock import display, iso, now, semester_of, to_school

UTC = dt.timezone.utc
ICT = dt.timezone(dt.timedelta(hours=7))


def local(*args):
    return dt.datetime(*args, tzinfo=ICT)


@pytest.mark.parametrize("moment, expected", [
    (local(2025, 9, 1, 0, 30), ("2025-2026", 1)),            # still 31 Aug 17:30 in UTC
    (dt.datetime(2025, 8, 31, 17, 30, tzinfo=UTC), ("2025-2026", 1)),
    (local(2025, 8, 31, 23, 59), ("2024-2025", 2)),
    (dt.datetime(2025, 8, 31, 16, 59, tzinfo=UTC), ("2024-2025", 2)),
    (local(2025, 9, 1, 0, 0), ("2025-2026", 1)),
    (local(2025, 12, 31, 23, 59), ("2025-2026", 1)),
    (local(2026, 1, 1, 0, 0), ("2025-2026", 1)),
    (local(2026, 1, 14, 23, 59), ("2025-2026", 1)),
    (local(2026, 1, 15, 0, 0), ("2025-2026", 2)),              # 14 Jan 17:00 in UTC
    (dt.datetime(2026, 1, 14, 17, 0, tzinfo=UTC), ("2025-2026", 2)),
    (dt.datetime(2026, 1, 14, 16, 59, tzinfo=UTC), ("2025-2026", 1)),
    (local(2026, 5, 31, 12, 0), ("2025-2026", 2)),
    (local(2026, 8, 31, 23, 59), ("2025-2026", 2)),
    (local(2026, 9, 1, 0, 0), ("2026-2027", 1)),
    (local(2024, 2, 29, 8, 0), ("2023-2024", 2)),
])
def test_semester_of(moment, expected):
    assert semester_of(moment) == expected


def test_naive_moments_are_utc():
    assert semester_of(dt.datetime(2025, 8, 31, 17, 30)) == ("2025-2026", 1)
    assert semester_of(dt.datetime(2025, 8, 31, 16, 59)) == ("2024-2025", 2)


def test_other_zones_are_converted():
    new_york = dt.datetime(2025, 8, 31, 13, 30, tzinfo=ZoneInfo("America/New_York"))   # 00:30 on 1 Sep in Hà Nội
    assert semester_of(new_york) == ("2025-2026", 1)


def test_a_province_calendar_from_the_settings(settings):
    settings.VN_ONLINE_TEACHING = dict(settings.VN_ONLINE_TEACHING, ORGS={
        "SoGDHue": {"SCHOOL_YEAR_START": (8, 15), "SEMESTER_2_START": (1, 5)}})
    assert semester_of(local(2025, 8, 20, 8, 0), "SoGDHue") == ("2025-2026", 1)
    assert semester_of(local(2025, 8, 14, 23, 59), "SoGDHue") == ("2024-2025", 2)
    assert semester_of(local(2026, 1, 5, 0, 0), "SoGDHue") == ("2025-2026", 2)
    assert semester_of(local(2026, 1, 4, 23, 59), "SoGDHue") == ("2025-2026", 1)
    assert semester_of(local(2025, 8, 20, 8, 0)) == ("2024-2025", 2)     # other schools keep the default


def test_to_school():
    moment = to_school(dt.datetime(2025, 8, 31, 17, 30, tzinfo=UTC))
    assert (moment.year, moment.month, moment.day, moment.hour, moment.minute) == (2025, 9, 1, 0, 30)
    assert moment.utcoffset() == dt.timedelta(hours=7)
    assert to_school(dt.datetime(2025, 8, 31, 17, 30)).hour == 0
    assert to_school(None) is None


@pytest.mark.parametrize("moment, text", [
    (dt.datetime(2025, 8, 31, 17, 30, tzinfo=UTC), "01/09/2025 00:30"),
    (dt.datetime(2025, 8, 31, 17, 30), "01/09/2025 00:30"),
    (local(2026, 1, 5, 7, 5), "05/01/2026 07:05"),
    (dt.datetime(2025, 12, 31, 16, 59, 59, tzinfo=UTC), "31/12/2025 23:59"),
    (dt.datetime(2025, 12, 31, 17, 0, tzinfo=UTC), "01/01/2026 00:00"),
])
def test_display(moment, text):
    assert display(moment) == text


def test_display_of_nothing():
    assert display(None) == ""


def test_iso_is_utc_with_microseconds():
    assert iso(local(2025, 9, 1, 0, 30)) == "2025-08-31T17:30:00.000000Z"
    assert iso(dt.datetime(2025, 8, 31, 17, 30, 0, 5)) == "2025-08-31T17:30:00.000005Z"


def test_now_is_aware_utc():
    moment = now()
    assert moment.utcoffset() == dt.timedelta(0)
