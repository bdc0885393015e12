"""Adding up attendance: merging, clipping, rounding and the suggested status."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from vn_online_teaching.attendance.importers import Connection, ParsedReport, PersonTotal, Thresholds, summarize
from vn_online_teaching.attendance.importers.summary import (
    LATE, PRESENT, UNEXCUSED, clip, merge_intervals, round_minutes, suggest_status)

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
START, END = datetime(2025, 9, 8, 7, 30, tzinfo=HCM), datetime(2025, 9, 8, 8, 15, tzinfo=HCM)
ROSTER = [
    {"sector_id": "1", "full_name": "Nguyễn Thị Ánh", "class_name": "10A1", "email": "anh@s.vn", "username": "hs_anh"},
    {"sector_id": "2", "full_name": "Trần Văn Bình", "class_name": "10A1", "email": "binh@s.vn", "username": "hs_binh"},
]


def t(minutes):
    """The lesson start plus ``minutes`` (negative: before the bell)."""
    return START + timedelta(minutes=minutes)


def test_merge_overlapping_touching_and_contained():
    assert merge_intervals([(t(10), t(20)), (t(0), t(5)), (t(5), t(8)), (t(12), t(15)), (t(18), t(30))]) == [
        (t(0), t(8)), (t(10), t(30))]
    assert merge_intervals([]) == []


def test_clip_to_the_lesson():
    assert clip([(t(-10), t(5)), (t(40), t(60)), (t(50), t(55)), (t(-20), t(-5))], START, END) == [
        (t(0), t(5)), (t(40), t(45))]


def test_rounding_is_half_up_to_one_decimal():
    assert round_minutes(13 * 60 + 15) == 13.3   # 13.25
    assert round_minutes(2400 + 1) == 40.0
    assert round_minutes(0) == 0.0


@pytest.mark.parametrize("attended, first_join, expected", [
    (36, 0, PRESENT),        # exactly 80 %, on time
    (45, 5, PRESENT),        # joined at the end of the grace
    (40, 5.02, LATE),        # ≥ 80 % but joined after the grace
    (35.9, 0, LATE),         # just under 80 %
    (22.5, 0, LATE),         # exactly 50 %
    (22.4, 0, UNEXCUSED),    # just under 50 %
    (0, None, UNEXCUSED),
    (40, None, PRESENT),     # no times in the file: only the total decides
])
def test_default_thresholds(attended, first_join, expected):
    first = None if first_join is None else t(first_join)
    assert suggest_status(attended * 60, START, END, first) == expected


def test_thresholds_are_a_parameter():
    strict = Thresholds(present_ratio=0.95, grace_minutes=0, late_ratio=0.7)
    assert suggest_status(40 * 60, START, END, t(0), strict) == LATE        # 88.9 %
    assert suggest_status(44 * 60, START, END, t(1), strict) == LATE        # after a zero grace
    assert suggest_status(30 * 60, START, END, t(0), strict) == UNEXCUSED   # 66.7 %


def report(*connections, totals=()):
    return ParsedReport(format="zoom", variant="participants", connections=list(connections), totals=list(totals))


def conn(name, email, a, b, row=2):
    return Connection(name=name, email=email, join=t(a), leave=t(b), row=row)


def test_missing_students_get_no_status_never_absent():
    summary = summarize(report(conn("Nguyễn Thị Ánh", "anh@s.vn", -2, 46)), lesson_start=START, lesson_end=END,
                        roster=ROSTER)
    binh = summary.people[1]
    assert (binh.username, binh.in_report, binh.status, binh.minutes) == ("hs_binh", False, None, None)
    assert summary.missing_from_report == ["hs_binh"]
    assert summary.people[0].status == PRESENT


def test_two_identities_of_one_student_are_merged_before_adding_up():
    # Laptop with the school e-mail 07:30–07:50, phone as a guest 07:40–08:10: 40 minutes, not 50.
    summary = summarize(report(conn("Trần Văn Bình", "binh@s.vn", 0, 20, row=2),
                               conn("Binh Tran Van (Guest)", None, 10, 40, row=3)),
                        lesson_start=START, lesson_end=END, roster=ROSTER)
    binh = next(p for p in summary.people if p.username == "hs_binh")
    assert (binh.minutes, binh.status, binh.rows) == (40.0, PRESENT, [2, 3])
    assert binh.keys == ["email:binh@s.vn", "name:binh tran van"]
    assert binh.intervals == [(t(0), t(40))]
    assert summary.unmatched == []


def test_joining_before_the_lesson_then_leaving_is_not_being_on_time():
    # In 07:20–07:25 (before the bell), back at 07:40 until the end: 35 min (77.8 %), late.
    summary = summarize(report(conn("Nguyễn Thị Ánh", "anh@s.vn", -10, -5), conn("Nguyễn Thị Ánh", "anh@s.vn", 10, 45)),
                        lesson_start=START, lesson_end=END, roster=ROSTER)
    anh = summary.people[0]
    assert (anh.minutes, anh.status, anh.first_join, anh.last_leave) == (35.0, LATE, t(-10), t(45))


def test_unmatched_people_come_after_the_roster_with_their_reason():
    summary = summarize(report(conn("Hoàng Thị Lan", "lan@s.vn", 0, 45), conn("Bình", None, 0, 45, row=3)),
                        lesson_start=START, lesson_end=END, roster=ROSTER)
    assert [p.username for p in summary.people] == ["hs_anh", "hs_binh", None, None]
    assert [(p.name, p.match_reason, p.candidates) for p in summary.unmatched] == [
        ("Hoàng Thị Lan", "not_found", []), ("Bình", "not_found", ["hs_binh"])]
    chosen = summarize(report(conn("Bình", None, 0, 45)), lesson_start=START, lesson_end=END, roster=ROSTER,
                       manual={"name:binh": "hs_binh"})
    assert chosen.people[1].username == "hs_binh" and chosen.people[1].match_method == "manual"


def test_totals_are_capped_by_the_lesson_and_the_known_stretch():
    totals = [PersonTotal(name="Nguyễn Thị Ánh", email="anh@s.vn", minutes=60, row=2),
              PersonTotal(name="Trần Văn Bình", email="binh@s.vn", minutes=40, row=3,
                          first_join=t(15), last_leave=t(50))]
    summary = summarize(report(totals=totals), lesson_start=START, lesson_end=END, roster=ROSTER)
    anh, binh = summary.people
    assert (anh.minutes, anh.status, anh.timing_known) == (45.0, PRESENT, False)
    assert (binh.minutes, binh.status, binh.timing_known) == (30.0, LATE, True)  # 07:45–08:15 at most


def test_naive_window_is_school_time():
    summary = summarize(report(conn("Nguyễn Thị Ánh", "anh@s.vn", 0, 45)), lesson_start=START.replace(tzinfo=None),
                        lesson_end=END.replace(tzinfo=None), roster=ROSTER)
    assert summary.people[0].minutes == 45.0
