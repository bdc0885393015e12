"""Bad input found by the fuzz tier (tests/fuzz, docs/fuzzing.md), one test per finding, through
the handlers in the workbench runtime: each is a translated 4xx that changes nothing, and every
page still renders afterwards for every role.

- dates far outside the school calendar: a lesson in year 9999 made the attendance page answer
  500 for every role until it was edited away; the logbook's week likewise;
- ids beyond 64 bits (the check-in's statement);
- text that is not valid Unicode (lone surrogates) in a free-text field;
- bare carriage returns that ended up as new lines in the calendar file.
"""
import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from freezegun import freeze_time

from helpers import call, decide, render, scenario_usage
from vn_online_teaching.core.audit import verify

ICT = ZoneInfo("Asia/Ho_Chi_Minh")
BEFORE_TERM = dt.datetime(2025, 9, 1, 8, 0, tzinfo=ICT)  # a Monday before the lessons planned here
USERS = ["hs_anh", "student_1", "gv_lan", "gv_nam", "tt_minh", "ht_hung", "vt_thu", "none"]
LESSON = {"date": "2025-09-08", "period": 1, "start": "07:30", "platform": "zoom", "mode": "online",
          "title": "Bài 3. Phương trình bậc hai", "syllabus_no": "12"}


@pytest.fixture
def usage(workbench):
    return scenario_usage("Điểm danh: Toán 10A1")


def records():
    """Every row of our models (the audit chain with them)."""
    return {m._meta.label: list(m.objects.order_by("pk").values_list())
            for m in apps.get_app_config("vn_online_teaching").get_models()}


def assert_refused(status, body, before):
    assert 400 <= status < 500, (status, body)
    assert isinstance(body, dict) and body.get("error") and body.get("message"), body
    assert records() == before, "a refused request changed the records"
    assert verify().ok


def assert_pages_render(usage):
    """Every view for every role, and the class's pages for the staff who read them."""
    for user in USERS:
        for view in ("student_view", "author_view", "studio_view"):
            render(usage, user, view)
        for page, suffix in (("logbook", ""), ("class_report", "html"), ("calendar", "")):
            status, body = call(usage, user, page, method="GET", suffix=suffix)
            assert status < 500, (page, user, body)


def plan(usage, **changes):
    status, body = call(usage, "gv_lan", "lesson_save", dict(LESSON, **changes))
    assert status == 200, body
    return body["lesson"]


# ------------------------------------------------------------------ dates outside the calendar

@pytest.mark.parametrize("field, value", [("date", "9999-12-31"), ("date", "0001-01-01"), ("date", "9999-01-04"),
                                          ("first", "9999-12-27"), ("until", "9999-12-31"), ("skip", "9999-12-31")])
def test_a_lesson_far_outside_the_school_calendar_is_refused_and_pages_still_render(usage, field, value):
    """Year 9999 used to be saved and then broke the attendance page for everyone: at 23:59 on
    9999-12-31 the lesson ends in year 10000 (and at 00:00 on 0001-01-01 began in year 0, UTC)."""
    before = records()
    with freeze_time(BEFORE_TERM):
        if field == "date":
            start = "23:59" if value.startswith("9999") else "00:00"
            status, body = call(usage, "gv_lan", "lesson_save", dict(LESSON, date=value, start=start))
        else:
            series = {k: v for k, v in LESSON.items() if k != "date"}
            series.update(first="2025-09-08", until="2025-09-30", weekdays=[0, 2])
            series[field] = [value] if field == "skip" else value
            if field == "first":
                series["until"] = "9999-12-31"
            status, body = call(usage, "gv_lan", "series_create", series)
        assert_refused(status, body, before)
        assert body["error"] == "bad_date" and body.get("field", "").split("[")[0] == field, body
        assert_pages_render(usage)


@pytest.mark.parametrize("week", ["9999-12-31", "0001-01-01", "9999-12-27"])
def test_a_logbook_week_far_outside_the_calendar_is_refused(usage, week):
    plan(usage)
    for user in ("gv_lan", "tt_minh", "ht_hung"):
        status, body = call(usage, user, "logbook", method="GET", query=f"week={week}")
        assert status == 400 and body["error"] == "bad_date", (user, status, body)


# ------------------------------------------------------------------ ids beyond 64 bits

@pytest.mark.parametrize("lesson", [2**63, 2**64, -(2**63) - 1, 10**30])
def test_a_lesson_id_beyond_64_bits_is_refused(usage, lesson):
    plan(usage)
    before = records()
    with freeze_time(dt.datetime(2025, 9, 8, 7, 31, tzinfo=ICT)):
        status, body = call(usage, "hs_anh", "check_in", {"lesson": lesson})
        assert_refused(status, body, before)
        assert body["error"] == "out_of_range" and body.get("field") == "lesson", body
        for handler in ("roll_call", "code", "logbook_read"):
            status, body = call(usage, "gv_lan", handler, {"lesson": lesson})
            assert_refused(status, body, before)


# ------------------------------------------------------------------ text that is not Unicode

SURROGATE_CASES = [
    ("lesson_save", "title"), ("lesson_save", "syllabus_no"), ("lesson_cancel", "reason"),
    ("logbook_entry", "content"), ("logbook_entry", "remarks"), ("history", "user"),
]


@pytest.mark.parametrize("handler, field", SURROGATE_CASES)
@pytest.mark.parametrize("text", ["\ud800", "Bài \udfff3"])
def test_a_lone_surrogate_in_an_attendance_text_field_is_refused(usage, handler, field, text):
    lesson = plan(usage)
    bodies = {"lesson_save": dict(LESSON, lesson=lesson, reason="Đổi giờ"),
              "lesson_cancel": {"lesson": lesson, "reason": "Nghỉ lễ"},
              "logbook_entry": {"lesson": lesson, "content": "Bài 3", "remarks": ""},
              "history": {"lesson": lesson, "user": "hs_anh"}}
    body = dict(bodies[handler], **{field: text})
    before = records()
    status, answer = call(usage, "gv_lan", handler, body)  # json.dumps sends it as the escape \ud800
    assert_refused(status, answer, before)
    assert answer["error"] == "bad_text" and answer.get("field") == field, answer
    assert_pages_render(usage)


@pytest.mark.parametrize("field", ["display_name", "lesson", "author_name", "body"])
def test_a_lone_surrogate_in_a_material_text_field_is_refused(draft, field):
    form = {"display_name": "Phương trình bậc hai", "kind": "lecture", "subject": "Toán", "grade": "10",
            "lesson": "Bài 3", "author_name": "Nguyễn Thị Lan", "source": "SGK", "licence": "CC BY 4.0",
            "body": "<p>Nội dung</p>", "links": [], "attachments": []}
    before = records()
    status, body = call(draft, "gv_lan", "studio_submit", dict(form, **{field: "Bài \ud800"}))
    assert_refused(status, body, before)
    assert body["error"] == "bad_text" and body.get("field") == field, body
    for user in USERS:
        render(draft, user)


def test_a_lone_surrogate_in_a_review_comment_is_refused(draft):
    before = records()
    status, body = decide(draft, "gv_lan", "submit", comment="Gửi tổ \ud800")
    assert_refused(status, body, before)
    assert body["error"] == "bad_text" and body.get("field") == "comment", body


# ------------------------------------------------------------------ bare CR in the calendar

@pytest.mark.parametrize("title", ["Bài 3\rLOCATION:Hà Nội", "Ôn tập\r\rBEGIN:VEVENT", "Ôn\r\ntập\nchương 1"])
def test_a_carriage_return_in_a_title_does_not_start_a_line_in_the_calendar(usage, title):
    from icalendar import Calendar  # noqa: PLC0415

    with freeze_time(BEFORE_TERM):
        plan(usage, title=title, syllabus_no="12\r13")
        status, body = call(usage, "hs_anh", "calendar", method="GET")
    assert status == 200, body
    assert not re.search(rb"\r(?!\n)|(?<!\r)\n", body), body  # every line ends in CRLF, nothing else breaks one
    calendar = Calendar.from_ical(body)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    assert "LOCATION" not in events[0] and len(calendar.walk("VEVENT")) == 1
    summary = str(events[0]["SUMMARY"])
    assert "Bài 3" in summary or "Ôn" in summary
    assert "\r" not in summary and "\r" not in str(events[0]["DESCRIPTION"])
    assert_pages_render(usage)


def test_a_carriage_return_is_not_stored_in_a_lesson(usage):
    """Whatever a bare CR becomes (a line break, a space), it is not kept as a CR: every file and
    page made from the lesson later would carry it."""
    from vn_online_teaching.attendance.models import Lesson  # noqa: PLC0415

    lesson = plan(usage, title="Bài 3\rLOCATION:Hà Nội", syllabus_no="12\r")
    stored = Lesson.objects.get(pk=lesson)
    assert "\r" not in stored.title and "\r" not in stored.syllabus_no, (stored.title, stored.syllabus_no)
