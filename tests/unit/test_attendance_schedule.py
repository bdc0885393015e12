"""The calendar file of the class's lessons (pure): what a calendar application reads back from it."""
import datetime as dt

import icalendar
import pytest

from vn_online_teaching.attendance import schedule

UTC = dt.timezone.utc
START = dt.datetime(2025, 9, 10, 0, 30, tzinfo=UTC)


def event(**changes):
    values = dict(uid="vnot-lesson-7@THPTNamLoi", starts_at=START, ends_at=START + dt.timedelta(minutes=45),
                  summary="Toán · 10A1 · Hệ thức Vi-ét; luyện tập, ví dụ",
                  description=("PPCT 12", "Google Meet", "https://meet.google.com/abc-defg-hij"),
                  url="https://meet.google.com/abc-defg-hij")
    values.update(changes)
    return schedule.Event(**values)


def read(data):
    return [c for c in icalendar.Calendar.from_ical(data).walk() if c.name == "VEVENT"]


def test_a_calendar_application_reads_back_what_was_written():
    data = schedule.ics([event()], "Toán · 10A1", START - dt.timedelta(days=1))
    (item,) = read(data)
    assert str(item["summary"]) == "Toán · 10A1 · Hệ thức Vi-ét; luyện tập, ví dụ"
    assert str(item["description"]).split("\n") == ["PPCT 12", "Google Meet", "https://meet.google.com/abc-defg-hij"]
    assert item.decoded("dtstart") == START and item.decoded("dtend") == START + dt.timedelta(minutes=45)
    assert str(item["uid"]) == "vnot-lesson-7@THPTNamLoi"
    assert b"DTSTART:20250910T003000Z" in data  # instants in UTC: every calendar shows them in its own zone


def test_long_vietnamese_lines_are_folded_within_75_octets():
    title = "Ôn tập chương 1: Mệnh đề, tập hợp, các phép toán trên tập hợp và bài tập tổng hợp cuối chương"
    data = schedule.ics([event(summary=title)], "Lớp 10A1", START)
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    assert str(read(data)[0]["summary"]) == title
    data.decode("utf-8")  # a fold never splits a letter's bytes


@pytest.mark.parametrize("title", ["Kiểm tra\r15 phút", "Kiểm tra\n15 phút", "Kiểm tra\r\n15 phút",
                                   "Kiểm tra\u202815 phút", "Kiểm tra\t15 phút"])
def test_a_line_break_in_a_stored_title_stays_on_one_line(title):
    data = schedule.ics([event(summary=title)], "Lớp\r10A1", START)
    (item,) = read(data)
    assert str(item["summary"]) == "Kiểm tra 15 phút"
    assert "\n" not in str(icalendar.Calendar.from_ical(data)["x-wr-calname"])


def test_empty_description_lines_and_a_missing_link_are_left_out():
    (item,) = read(schedule.ics([event(description=("", "Zoom", ""), url="")], "10A1", START))
    assert str(item["description"]) == "Zoom" and "url" not in item
