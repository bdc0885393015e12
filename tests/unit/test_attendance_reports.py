"""Attendance counts per period and per session (buổi), the promotion threshold, the logbook."""
import datetime as dt

import pytest

from vn_online_teaching.attendance import logbook, reports, roll

D1, D2 = dt.date(2025, 9, 8), dt.date(2025, 9, 9)
LESSONS = [
    {"id": 1, "date": D1, "half_day": "morning", "period": 1, "subject": "Toán", "teacher": "Nguyễn Thị Lan"},
    {"id": 2, "date": D1, "half_day": "morning", "period": 2, "subject": "Văn", "teacher": "Lê Văn Nam"},
    {"id": 3, "date": D1, "half_day": "afternoon", "period": 6, "subject": "Anh", "teacher": "Trần Hà"},
    {"id": 4, "date": D2, "half_day": "morning", "period": 1, "subject": "Toán", "teacher": "Nguyễn Thị Lan"},
    {"id": 5, "date": D2, "half_day": "morning", "period": 2, "subject": "Lý", "teacher": "Phạm Hùng",
     "cancelled": True, "cancel_reason": "Mất điện"},
]
LEARNERS = [
    {"user_key": "an", "full_name": "Nguyễn Văn An", "sector_id": "079206001001", "class_name": "10A1"},
    {"user_key": "binh", "full_name": "Trần Thị Bình", "sector_id": "079206001002", "class_name": "10A1"},
]


def test_a_session_is_absent_only_when_every_period_of_it_was_missed():
    marks = {(1, "an"): roll.UNEXCUSED, (2, "an"): roll.EXCUSED,          # whole morning: 1 unexcused session
             (3, "an"): roll.PRESENT,
             (4, "an"): roll.EXCUSED,                                     # whole morning D2: 1 excused
             (1, "binh"): roll.UNEXCUSED, (2, "binh"): roll.LATE}         # partial: periods only
    an, binh = reports.student_lines(LESSONS, marks, LEARNERS, threshold=45)
    assert (an.absent_sessions_unexcused, an.absent_sessions_excused) == (1, 1)
    assert (an.absent_periods_unexcused, an.absent_periods_excused) == (1, 2)
    assert binh.absent_sessions == 0 and binh.absent_periods_unexcused == 1
    assert binh.counts[roll.UNMARKED] == 2  # period 3 and D2 period 1; the cancelled lesson is not counted
    assert sum(an.counts.values()) == 4


def test_threshold_flags_over_and_near():
    lessons = [{"id": i, "date": D1 + dt.timedelta(days=i), "half_day": "morning"} for i in range(10)]
    marks = {(i, "an"): roll.UNEXCUSED for i in range(8)} | {(i, "binh"): roll.EXCUSED for i in range(2)}
    an, binh = reports.student_lines(lessons, marks, LEARNERS, threshold=7)
    assert an.over and an.remaining == -1
    assert binh.near and not binh.over and binh.remaining == 5
    assert [line.user_key for line in reports.watch_list([binh, an])] == ["an", "binh"]
    totals = reports.class_totals([an, binh])
    assert totals["over"] == 1 and totals["near"] == 1 and totals["counts"][roll.UNEXCUSED] == 8


def test_logbook_lines_count_the_headcount_and_name_absentees():
    marks = {(1, "an"): roll.PRESENT, (1, "binh"): roll.EXCUSED, (2, "an"): roll.LATE}
    entries = {1: {"content": "Bài 3. Phương trình bậc hai", "rating": "A", "confirmed_by": "Nguyễn Thị Lan"}}
    lines = logbook.lines(LESSONS, marks, LEARNERS, entries)
    first = lines[0]
    assert (first.present, first.total) == (1, 2)
    assert [(a.full_name, a.mark) for a in first.absentees] == [("Trần Thị Bình", "P")]
    assert first.content.startswith("Bài 3") and first.rating == "A"
    second = lines[1]
    assert second.present == 1 and second.late == ["Nguyễn Văn An"] and second.unmarked == 1
    assert lines[-1].cancelled and lines[-1].cancel_reason == "Mất điện"


def test_logbook_week_has_every_school_day_in_order():
    monday = logbook.week_of(dt.date(2025, 9, 10))[0]
    assert monday == D1
    days = logbook.by_day(logbook.lines(LESSONS, {}, LEARNERS, {}), monday)
    assert [d for d, _ in days] == [D1 + dt.timedelta(days=i) for i in range(6)]
    assert [len(rows) for _d, rows in days][:2] == [3, 2]


@pytest.mark.parametrize("offset", range(7))
def test_every_day_of_a_week_opens_that_week(offset):
    """Any day of the school week opens its page, Monday to Sunday (a text that is no date is
    refused by the handler's parameters, no longer taken as this week)."""
    assert logbook.week_of(D1 + dt.timedelta(days=offset)) == (D1, D1 + dt.timedelta(days=6))


def test_a_code_with_non_ascii_digits_is_refused_not_a_crash():
    moment = dt.datetime(2025, 9, 8, 0, 30, tzinfo=dt.timezone.utc)
    good = roll.code_for("s", moment)
    arabic = "".join(chr(0x0660 + int(c)) for c in good)
    assert roll.code_ok("s", good, moment)
    assert not roll.code_ok("s", arabic, moment)


def test_watch_list_keeps_the_class_list_order_between_equals():
    """Two students with as many absent sessions stay in class-list order (by given name: Bình
    before Đức), not in the order of their family names (Phạm before Trần)."""
    learners = [{"user_key": "binh", "full_name": "Trần Văn Bình", "sector_id": "1", "class_name": "10A1"},
                {"user_key": "duc", "full_name": "Phạm Minh Đức", "sector_id": "2", "class_name": "10A1"}]
    lessons = [{"id": 1, "date": D1, "half_day": "morning"}]
    lines = reports.student_lines(lessons, {(1, "binh"): roll.EXCUSED, (1, "duc"): roll.UNEXCUSED}, learners, 0)
    assert [line.user_key for line in reports.watch_list(lines)] == ["binh", "duc"]
