"""session_attendance through its real handlers and views in the workbench runtime.

Check-in on a frozen server clock (window, grace, rotating code, rate limits, networks,
idempotence), the teacher's roll call with every change kept, planning and cancelling lessons,
meeting-report imports from the shared fixtures (preview, evidence, confirmation), the class
calendar, Studio settings, and the permission matrix: every handler × every role.
"""
import datetime as dt
import json
import pathlib
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.files.storage import default_storage
from freezegun import freeze_time
from webob import Request

from helpers import block_as, call, render, scenario_usage
from vn_online_teaching.attendance import checkin, roll
from vn_online_teaching.attendance.models import CodeAttempt, Lesson, Mark, MarkChange, MeetingReport
from vn_online_teaching.core import roles
from vn_online_teaching.core.audit import verify
from vn_online_teaching.core.models import AuditEntry, Learner, RoleAssignment
from vn_online_teaching.demo.people import ORG

FIXTURES = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "meeting-reports"
ICT = ZoneInfo("Asia/Ho_Chi_Minh")
STUDENTS = ["hs_anh", "hs_binh", "hs_chau", "hs_duc", "hs_ha", "hs_huy"]
LESSON = {"date": "2025-09-08", "period": 1, "start": "07:30", "platform": "zoom", "mode": "online",
          "title": "Bài 3. Phương trình bậc hai", "syllabus_no": "12"}


def local(hour, minute, second=0, day=8):
    """An instant on a September 2025 school day, in school time."""
    return dt.datetime(2025, 9, day, hour, minute, second, tzinfo=ICT)


def plan(usage, user="gv_lan", **changes):
    status, body = call(usage, user, "lesson_save", dict(LESSON, **changes))
    assert status == 200, body
    return body["lesson"]


def check_in(usage, user, lesson, code=None, ip="10.1.2.3", agent="Mozilla/5.0 (Android 14) Chrome/130"):
    block = block_as(usage, user)
    data = {"lesson": lesson} if code is None else {"lesson": lesson, "code": code}
    request = Request.blank("/", method="POST", body=json.dumps(data).encode(), content_type="application/json",
                            remote_addr=ip, headers={"User-Agent": agent})
    response = block.runtime.handle(block, "check_in", request, "")
    return response.status_code, json.loads(response.body)


def upload(usage, user, lesson, name, data, fmt="auto"):
    block = block_as(usage, user)
    request = Request.blank("/", POST={"file": (name, data), "lesson": str(lesson), "format": fmt})
    response = block.runtime.handle(block, "import_report", request, "")
    try:
        return response.status_code, json.loads(response.body)
    except ValueError:
        return response.status_code, response.body


def status_of(lesson, user):
    mark = Mark.objects.filter(lesson_id=lesson, user_key=user).first()
    return mark.status if mark else ""


def code_at(lesson, moment):
    return checkin.current_code(Lesson.objects.get(pk=lesson), moment)["code"]


@pytest.fixture
def usage(workbench):
    return scenario_usage("Điểm danh: Toán 10A1")


@pytest.fixture
def coded(workbench):
    """The hybrid block whose check-in needs the rotating code."""
    return scenario_usage("Điểm danh có mã")


@pytest.fixture
def lesson(usage):
    return plan(usage)


# ------------------------------------------------------------------------------------ check-in

def test_check_in_window_on_the_server_clock(usage, lesson):
    """Opens 10 minutes before 07:30, present until 07:35, late until 07:50, closed after."""
    moments = [("hs_anh", local(7, 19, 59), 409, "not_open"), ("hs_anh", local(7, 20), 200, roll.PRESENT),
               ("hs_binh", local(7, 35), 200, roll.PRESENT), ("hs_chau", local(7, 35, 1), 200, roll.LATE),
               ("hs_duc", local(7, 50), 200, roll.LATE), ("hs_ha", local(7, 50, 1), 409, "closed")]
    for user, moment, expected_status, expected in moments:
        with freeze_time(moment):
            status, body = check_in(usage, user, lesson)
        assert status == expected_status, (user, moment, body)
        assert (body["status"] if status == 200 else body["error"]) == expected, (user, body)
    assert status_of(lesson, "hs_ha") == ""
    mark = Mark.objects.get(lesson_id=lesson, user_key="hs_chau")
    assert mark.source == "checkin" and mark.ip == "10.1.2.3" and "Android" in mark.user_agent
    assert (mark.checked_in_at, mark.checked_in_status) == (local(7, 35, 1), roll.LATE)
    # The mark is the check-in's record: no history row, no audit entry (docs/audit-policy.md audits
    # staff changes and security events), and the history still shows it as the first change.
    assert not MarkChange.objects.exists() and not AuditEntry.objects.filter(actor_role=roles.STUDENT).exists()
    history = call(usage, "gv_lan", "history", {"lesson": lesson, "user": "hs_chau"})[1]["history"]
    assert [(h["by"], h["by_key"], h["source"], h["before"]["status"], h["after"]["status"], h["at"]) for h in history] == [
        ("Lê Hoàng Châu", "hs_chau", "checkin", "", roll.LATE, "08/09/2025 07:35")]
    assert (history[0]["ip"], history[0]["device"]) == ("10.1.2.3", "Android · Chrome")  # staff read where from
    assert verify().ok


def test_the_phone_clock_decides_nothing(usage, lesson):
    """The request carries no time the server would read: the server's clock says late."""
    with freeze_time(local(7, 40)):
        status, body = check_in(usage, "hs_anh", lesson)
    assert status == 200 and body["status"] == roll.LATE and body["checked_in_at"] == "08/09/2025 07:40"


def test_check_in_again_returns_the_same_record(usage, lesson):
    with freeze_time(local(7, 29)):
        first = check_in(usage, "hs_anh", lesson)
        again = check_in(usage, "hs_anh", lesson, ip="10.9.9.9")
    with freeze_time(local(9, 0)):  # after the window: still the record, not an error
        later = check_in(usage, "hs_anh", lesson)
    assert first[0] == again[0] == later[0] == 200
    assert (first[1]["already"], again[1]["already"], later[1]["already"]) == (False, True, True)
    assert first[1]["status"] == again[1]["status"] == later[1]["status"] == roll.PRESENT
    assert Mark.objects.filter(lesson_id=lesson).count() == 1
    assert not MarkChange.objects.exists() and Mark.objects.get(lesson_id=lesson).ip == "10.1.2.3"


def test_a_first_check_in_is_one_locked_read_and_one_insert(usage, lesson):
    """The hot path of a class at 7:30: one locked read that answers the lesson, the roster and
    the student's mark at once, then the new mark; no history row or audit entry (the mark is
    the record), and none of the block's settings (the lesson carries its class and its check-in
    rules). Counted statements, not time: bench/checkin.py measures the time."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with freeze_time(local(7, 29)), CaptureQueriesContext(connection) as captured:
        status, _body = check_in(usage, "hs_anh", lesson)
    assert status == 200
    sql = [q["sql"] for q in captured.captured_queries]
    ours = [s for s in sql if "vn_online_teaching_" in s]
    assert len(ours) == 2, ours
    assert re.search(r'FROM [`"]vn_online_teaching_lesson[`"]', ours[0])  # SQLite, MariaDB quoting
    assert "vn_online_teaching_learner" in ours[0] and "vn_online_teaching_mark" in ours[0]
    if connection.features.has_select_for_update:  # MariaDB: the lesson's row lock (SQLite: IMMEDIATE)
        assert ours[0].rstrip().endswith("FOR UPDATE"), ours[0]
    assert ours[1].startswith("INSERT INTO") and "vn_online_teaching_mark" in ours[1].split("(")[0]
    assert not [s for s in sql if "workbench_xblockstate" in s]  # no setting of the block: the lesson has its rules


def test_a_check_in_onto_an_empty_mark_keeps_that_change(usage, lesson):
    """A mark can exist empty (a teacher cleared it, keeping a remark): the check-in that fills
    it writes its history row, and the history does not show the check-in twice."""
    call(usage, "gv_lan", "mark", {"lesson": lesson, "marks": [{"user": "hs_anh", "status": "late", "remark": "Mạng yếu"}]})
    call(usage, "gv_lan", "mark", {"lesson": lesson, "marks": [{"user": "hs_anh", "status": ""}]})
    with freeze_time(local(7, 31)):
        status, body = check_in(usage, "hs_anh", lesson)
    assert status == 200 and body["status"] == roll.PRESENT and not body["already"]
    history = call(usage, "gv_lan", "history", {"lesson": lesson, "user": "hs_anh"})[1]["history"]
    assert [(h["source"], h["before"]["status"], h["after"]["status"], h["after"]["remark"]) for h in history] == [
        ("teacher", "", "late", "Mạng yếu"), ("teacher", "late", "", "Mạng yếu"), ("checkin", "", "present", "Mạng yếu")]
    assert "ip" not in history[0] and history[2]["ip"] == "10.1.2.3"  # only the check-in has an address
    rows = {r["user"]: r for r in call(usage, "gv_lan", "roll_call", {"lesson": lesson})[1]["rows"]}
    assert rows["hs_anh"]["changes"] == 3


def test_signing_the_logbook_puts_the_roll_in_the_audit_chain(usage, lesson):
    """Check-ins are not audited one by one; the teacher's confirmation of the logbook entry
    carries the roll as signed, so a later change to a check-in differs from the chain."""
    with freeze_time(local(7, 29)):
        check_in(usage, "hs_anh", lesson)
    with freeze_time(local(7, 40)):
        check_in(usage, "hs_binh", lesson)
    call(usage, "gv_lan", "mark", {"lesson": lesson, "marks": [{"user": "hs_chau", "status": "excused"}]})
    assert call(usage, "gv_lan", "logbook_entry", {"lesson": lesson, "content": "Bài 3", "confirm": True})[0] == 200
    entry = AuditEntry.objects.get(action="attendance.logbook_confirm")
    assert entry.data["roll"] == [
        {"user": "hs_anh", "status": "present", "source": "checkin", "location": "",
         "checked_in_at": "2025-09-08T00:29:00.000000Z", "checked_in_status": "present"},
        {"user": "hs_binh", "status": "late", "source": "checkin", "location": "",
         "checked_in_at": "2025-09-08T00:40:00.000000Z", "checked_in_status": "late"},
        {"user": "hs_chau", "status": "excused", "source": "teacher", "location": "", "checked_in_at": "",
         "checked_in_status": ""}]
    # a later edit of the signed entry is audited without a second copy of the roll
    call(usage, "gv_lan", "logbook_entry", {"lesson": lesson, "content": "Bài 3 (sửa)", "confirm": True})
    assert "roll" not in AuditEntry.objects.get(action="attendance.logbook_edit_confirmed").data
    assert verify().ok


def test_a_teacher_mark_is_not_overwritten_by_a_check_in(usage, lesson):
    assert call(usage, "gv_lan", "mark", {"lesson": lesson, "marks": [{"user": "hs_anh", "status": "excused"}]})[0] == 200
    with freeze_time(local(7, 31)):
        status, body = check_in(usage, "hs_anh", lesson)
    assert status == 200 and body["already"] and body["status"] == roll.EXCUSED


def test_only_learners_of_the_class_check_in(usage, lesson):
    """Staff, someone on no roster, a learner of another class of the school and a learner of
    10A1 in another school are all refused (the check-in's one statement holds the roster rule)."""
    Learner.objects.create(org=ORG, sector_id="7926019900002", full_name="Học sinh lớp khác", class_name="10A2",
                           email="a2@example.vn", username="hs_10a2", user_key="hs_10a2")
    Learner.objects.create(org="THCSKhac", sector_id="7926019900003", full_name="Học sinh trường khác",
                           class_name="10A1", email="k@example.vn", username="hs_khac", user_key="hs_khac")
    with freeze_time(local(7, 30)):
        for user in ("gv_lan", "ht_hung", "student_1", "none", "hs_10a2", "hs_khac"):
            status, body = check_in(usage, user, lesson)
            assert status == 403, (user, body)
    assert not Mark.objects.exists()
    RoleAssignment.objects.all()  # roles untouched


def test_a_lesson_of_another_block_is_not_found(usage, coded):
    other = plan(coded)
    with freeze_time(local(7, 30)):
        status, body = check_in(usage, "hs_anh", other)
    assert status == 404 and not Mark.objects.exists()


def test_cancelled_lesson_refuses_check_in(usage, lesson):
    assert call(usage, "gv_lan", "lesson_cancel", {"lesson": lesson, "reason": "Mất điện toàn trường"})[0] == 200
    with freeze_time(local(7, 30)):
        status, body = check_in(usage, "hs_anh", lesson)
    assert status == 409 and body["error"] == "cancelled" and not Mark.objects.exists()


def test_bad_check_in_requests(usage, lesson):
    block = block_as(usage, "hs_anh")
    for raw in (b"{oops", b"[]", b'{"lesson": "1"}', b'{"lesson": 1, "extra": 2}', b"{}"):
        request = Request.blank("/", method="POST", body=raw, content_type="application/json")
        response = block.runtime.handle(block, "check_in", request, "")
        assert response.status_code == 400, raw
    request = Request.blank("/", method="GET")
    assert block.runtime.handle(block, "check_in", request, "").status_code == 405
    assert not Mark.objects.exists()


# ------------------------------------------------------------------------------------ the code

def test_code_is_accepted_for_its_interval_and_the_previous_one_only(coded):
    lesson = plan(coded)
    now = local(7, 30, 40)  # interval [07:30:30, 07:31:00)
    codes = {name: code_at(lesson, now + dt.timedelta(seconds=offset))
             for name, offset in (("current", 0), ("previous", -30), ("older", -60), ("next", 30))}
    assert len(set(codes.values())) == 4  # (fails with probability ~1e-5: four distinct six-digit codes)
    with freeze_time(now):
        assert check_in(coded, "hs_anh", lesson, codes["current"])[0] == 200
        assert check_in(coded, "hs_binh", lesson, codes["previous"])[0] == 200
        for user, name in (("hs_chau", "older"), ("hs_duc", "next")):
            status, body = check_in(coded, user, lesson, codes[name])
            assert (status, body["error"], body["field"]) == (400, "wrong_code", "code"), name
        status, body = check_in(coded, "hs_ha", lesson, "")
        assert (status, body["error"]) == (400, "code_required")
    assert {m.user_key for m in Mark.objects.filter(lesson_id=lesson)} == {"hs_anh", "hs_binh"}
    assert CodeAttempt.objects.count() == 2  # a missing code is not a guess


def test_the_teacher_sees_the_code_students_type(coded):
    lesson = plan(coded)
    with freeze_time(local(7, 31, 5)):
        status, shown = call(coded, "gv_lan", "code", {"lesson": lesson})
        assert status == 200 and len(shown["code"]) == 6 and shown["seconds_left"] == 25 and shown["step"] == 30
        assert check_in(coded, "hs_anh", lesson, shown["code"])[0] == 200
        _s, roll_data = call(coded, "gv_lan", "roll_call", {"lesson": lesson})
        assert roll_data["code"]["code"] == shown["code"]
    with freeze_time(local(7, 31, 35)):  # the next interval: the shown code is now "the previous one"
        assert check_in(coded, "hs_binh", lesson, shown["code"])[0] == 200
    with freeze_time(local(7, 32, 0)):
        assert check_in(coded, "hs_chau", lesson, shown["code"])[0] == 400
    assert call(coded, "ht_hung", "code", {"lesson": lesson})[0] == 403
    _s, principal_roll = call(coded, "ht_hung", "roll_call", {"lesson": lesson})
    assert "code" not in principal_roll


def test_wrong_codes_are_rate_limited_per_student(coded):
    lesson = plan(coded)
    with freeze_time(local(7, 30)) as frozen:
        good = code_at(lesson, local(7, 30))
        wrong = "000000" if good != "000000" else "111111"
        for _ in range(5):
            assert check_in(coded, "hs_anh", lesson, wrong)[1]["error"] == "wrong_code"
        status, body = check_in(coded, "hs_anh", lesson, good)  # even the right code: slowed down
        assert (status, body["error"]) == (429, "too_many_codes")
        assert check_in(coded, "hs_binh", lesson, good)[0] == 200  # others are not affected
        frozen.move_to(local(7, 40, 1))  # ten minutes later the student may try again
        assert check_in(coded, "hs_anh", lesson, code_at(lesson, local(7, 40, 1)))[1]["status"] == roll.LATE
    assert CodeAttempt.objects.filter(user_key="hs_anh").count() == 5
    assert AuditEntry.objects.filter(action="attendance.code_limit").count() == 1


def test_wrong_codes_of_others_never_lock_out_a_right_code(coded):
    """However many wrong codes classmates typed (here 250, from other addresses), a student who
    types the right code checks in: there is no lock-out shared by the whole lesson."""
    lesson = plan(coded)
    attempts = [CodeAttempt(lesson_id=lesson, user_key=STUDENTS[i % 5], ip=f"10.9.0.{i % 5}",
                            at=local(7, 20) + dt.timedelta(seconds=2 * i)) for i in range(250)]
    CodeAttempt.objects.bulk_create(attempts)
    with freeze_time(local(7, 30)):
        status, body = check_in(coded, "hs_huy", lesson, code_at(lesson, local(7, 30)))
    assert (status, body["status"]) == (200, roll.PRESENT), body


def test_wrong_codes_from_one_address_stop_its_guessers_only(coded, settings):
    """Past the limit of wrong codes from one address, a student who typed a wrong code from it
    must wait (one device guessing through several accounts); a classmate behind the same
    router who types the right code is not refused, and the guesser may still check in from
    another network. Reaching the limit is audited once."""
    settings.VN_ONLINE_TEACHING = dict(settings.VN_ONLINE_TEACHING, CHECKIN_MAX_WRONG_CODES_ADDRESS=3)
    lesson = plan(coded)
    with freeze_time(local(7, 30)):
        good = code_at(lesson, local(7, 30))
        wrong = "000000" if good != "000000" else "111111"
        for user in ("hs_anh", "hs_anh", "hs_binh"):
            assert check_in(coded, user, lesson, wrong)[1]["error"] == "wrong_code"
        status, body = check_in(coded, "hs_binh", lesson, good)
        assert (status, body["error"]) == (429, "too_many_codes_here") and body["message"]
        assert check_in(coded, "hs_chau", lesson, good)[0] == 200  # no wrong code of her own
        assert check_in(coded, "hs_binh", lesson, good, ip="100.64.7.7")[0] == 200  # mobile data
    assert {m.user_key for m in Mark.objects.filter(lesson_id=lesson)} == {"hs_chau", "hs_binh"}
    assert CodeAttempt.objects.filter(lesson_id=lesson, ip="10.1.2.3").count() == 3
    entry = AuditEntry.objects.get(action="attendance.code_limit_address")
    assert (entry.data["address"], entry.data["wrong_codes"], entry.actor_role) == ("10.1.2.3", 3, "student")


# ------------------------------------------------------------------------------------ networks

NETWORK_SETTINGS = {"display_name": "Toán 10A1", "class_name": "10A1", "subject": "Toán", "platform": "meet",
                    "meeting_link": "https://meet.google.com/abc-defg-hij", "mode": "online", "require_code": False,
                    "networks": ["203.0.113.0/24", "2001:db8::/32"]}


def test_check_in_only_from_listed_networks(usage, lesson):
    with freeze_time(local(7, 0)):  # saved before the lesson: the lesson takes the rule
        status, body = call(usage, "gv_lan", "studio_submit", NETWORK_SETTINGS)
    assert (status, body["lessons_updated"]) == (200, 1)
    with freeze_time(local(7, 30)):
        status, body = check_in(usage, "hs_anh", lesson, ip="198.51.100.7")
        assert (status, body["error"]) == (403, "network")
        assert check_in(usage, "hs_anh", lesson, ip="")[0] == 403
        assert not Mark.objects.exists()
        assert check_in(usage, "hs_anh", lesson, ip="203.0.113.77")[0] == 200
        assert check_in(usage, "hs_binh", lesson, ip="2001:db8::5")[0] == 200


def test_bad_network_entries_from_an_import_are_left_out_and_none_left_means_closed(usage):
    """Entries Studio would refuse can arrive through an OLX import: a lesson planned then takes
    the good ones only, and with none left check-in stays closed, not open to every network."""
    block = block_as(usage, "gv_lan")
    block.networks = ["not-a-network"]
    block.save()
    closed = plan(usage)
    block.networks = ["not-a-network", "203.0.113.0/24"]
    block.save()
    narrowed = plan(usage, period=2, start="08:20")
    assert Lesson.objects.get(pk=closed).networks == [] and Lesson.objects.get(pk=narrowed).networks == ["203.0.113.0/24"]
    with freeze_time(local(7, 30)):
        assert check_in(usage, "hs_chau", closed, ip="203.0.113.78")[1]["error"] == "network"
    with freeze_time(local(8, 20)):
        assert check_in(usage, "hs_chau", narrowed, ip="203.0.113.78")[0] == 200


def test_saved_check_in_rules_reach_only_lessons_not_yet_over(usage, lesson):
    """Saving the block's settings applies the code and network rules to the lessons not yet
    over (audited); a lesson over keeps the rules its students met."""
    later = plan(usage, date="2025-09-09")
    with freeze_time(local(8, 30)):  # the first lesson (07:30-08:15) is over
        status, body = call(usage, "gv_lan", "studio_submit", dict(NETWORK_SETTINGS, require_code=True))
    assert (status, body["lessons_updated"]) == (200, 1)
    first, second = Lesson.objects.get(pk=lesson), Lesson.objects.get(pk=later)
    assert (first.require_code, first.networks) == (False, None)
    assert (second.require_code, second.networks) == (True, ["203.0.113.0/24", "2001:db8::/32"])
    entry = AuditEntry.objects.get(action="attendance.checkin_rules")
    assert (entry.actor_key, entry.data["lessons"], entry.data["require_code"]) == ("gv_lan", [later], True)
    with freeze_time(local(8, 31)):  # saving the same again changes and records nothing
        assert call(usage, "gv_lan", "studio_submit", dict(NETWORK_SETTINGS, require_code=True))[1]["lessons_updated"] == 0
    assert AuditEntry.objects.filter(action="attendance.checkin_rules").count() == 1


def test_the_code_can_be_switched_for_one_lesson(usage, coded):
    """The block's setting is what a new lesson starts with; the lesson form can change it for
    one lesson (audited as a lesson edit), and the student's form follows the lesson."""
    with_code = plan(coded)
    without = plan(coded, period=2, start="08:20", require_code=False)
    assert Lesson.objects.get(pk=with_code).require_code and not Lesson.objects.get(pk=without).require_code
    # the teacher's roll call shows the rotating code only for the lesson that asks for it
    assert "code" in call(coded, "gv_lan", "roll_call", {"lesson": with_code})[1]
    assert "code" not in call(coded, "gv_lan", "roll_call", {"lesson": without})[1]
    with freeze_time(local(8, 20)):
        assert check_in(coded, "hs_anh", without)[0] == 200  # no code asked
        html = block_as(coded, "hs_binh").render("student_view", {}).content
        assert 'name="code"' not in html
    with freeze_time(local(7, 30)):
        assert check_in(coded, "hs_binh", with_code)[1]["error"] == "code_required"
        assert 'name="code"' in block_as(coded, "hs_binh").render("student_view", {}).content
    assert call(coded, "gv_lan", "lesson_save", dict(LESSON, lesson=with_code, require_code=False))[0] == 200
    entry = AuditEntry.objects.get(action="attendance.lesson_edit")
    assert (entry.data["before"], entry.data["after"]) == ({"require_code": True}, {"require_code": False})
    with freeze_time(local(7, 30)):
        assert check_in(coded, "hs_binh", with_code)[0] == 200


# ------------------------------------------------------------------------------------ roll call

def test_teacher_marks_and_the_history_of_a_mark(usage, lesson):
    with freeze_time(local(7, 33)):
        check_in(usage, "hs_anh", lesson)
    with freeze_time(local(8, 0)):
        status, body = call(usage, "gv_lan", "mark", {"lesson": lesson, "marks": [
            {"user": "hs_anh", "status": "late", "remark": "Vào muộn vì mất mạng"},
            {"user": "hs_binh", "status": "excused", "remark": "Phụ huynh xin phép"}]})
        assert (status, body) == (200, {"changed": 2})
    with freeze_time(local(8, 5)):
        call(usage, "gv_lan", "mark", {"lesson": lesson, "marks": [{"user": "hs_binh", "status": "unexcused"}]})
    # the same values again change nothing and record nothing
    assert call(usage, "gv_lan", "mark", {"lesson": lesson, "marks": [{"user": "hs_binh", "status": "unexcused"}]})[1] == {
        "changed": 0}
    status, body = call(usage, "gv_lan", "history", {"lesson": lesson, "user": "hs_anh"})
    assert status == 200
    steps = [(h["by"], h["source"], h["before"]["status"], h["after"]["status"]) for h in body["history"]]
    assert steps == [("Nguyễn Thị Ánh", "checkin", "", "present"), ("Nguyễn Thị Lan", "teacher", "present", "late")]
    assert body["history"][1]["at"] == "08/09/2025 08:00" and body["history"][1]["after"]["remark"] == "Vào muộn vì mất mạng"
    binh = call(usage, "tt_minh", "history", {"lesson": lesson, "user": "hs_binh"})[1]["history"]
    assert [(h["before"]["status"], h["after"]["status"]) for h in binh] == [("", "excused"), ("excused", "unexcused")]
    _s, data = call(usage, "ht_hung", "roll_call", {"lesson": lesson})
    rows = {r["user"]: r for r in data["rows"]}
    assert [r["full_name"] for r in data["rows"]][:2] == ["Nguyễn Thị Ánh", "Trần Văn Bình"]  # by given name
    assert (rows["hs_anh"]["status"], rows["hs_anh"]["source"], rows["hs_anh"]["changes"]) == ("late", "teacher", 2)
    assert rows["hs_anh"]["checked_in_at"] == "08/09/2025 07:33"
    assert data["counts"] == {"present": 0, "late": 1, "excused": 0, "unexcused": 1, "": 4} and data["total"] == 6
    entries = AuditEntry.objects.filter(action="attendance.mark").order_by("seq")
    assert entries.count() == 2 and entries[0].actor_role == "teacher"
    assert entries[0].data["changes"][0]["after"]["status"] == "late"
    assert verify().ok


def test_marks_are_checked_before_anything_is_written(usage, lesson):
    bad = [[{"user": "hs_anh", "status": "absent"}], [{"user": "gv_nam", "status": "present"}],
           [{"user": "hs_anh", "status": "present"}, {"user": "hs_anh", "status": "late"}],
           [{"user": "hs_anh", "location": "moon"}], [{"user": "hs_anh", "remark": "x" * 501}],
           [{"user": "hs_anh", "grade": 10}], ["hs_anh"], [{"user": 5, "status": "present"}],
           [{"user": "hs_binh", "status": "present"}, {"user": "hs_anh", "status": "bad"}]]
    for marks in bad:
        status, body = call(usage, "gv_lan", "mark", {"lesson": lesson, "marks": marks})
        assert status == 400 and body["message"], marks
    assert not Mark.objects.exists() and not MarkChange.objects.exists()
    assert not AuditEntry.objects.filter(action="attendance.mark").exists()


def test_in_the_classroom_or_online_in_a_hybrid_lesson(coded):
    lesson = plan(coded, mode="hybrid")
    assert call(coded, "gv_lan", "mark", {"lesson": lesson, "marks": [
        {"user": "hs_anh", "status": "present", "location": "room"},
        {"user": "hs_binh", "status": "present", "location": "online"}]})[0] == 200
    rows = {r["user"]: r for r in call(coded, "gv_lan", "roll_call", {"lesson": lesson})[1]["rows"]}
    assert (rows["hs_anh"]["location"], rows["hs_binh"]["location"]) == ("room", "online")


def test_mark_everyone_not_yet_marked(usage, lesson):
    with freeze_time(local(7, 30)):
        check_in(usage, "hs_anh", lesson)
    call(usage, "gv_lan", "mark", {"lesson": lesson, "marks": [{"user": "hs_binh", "status": "excused"}]})
    status, body = call(usage, "gv_lan", "mark_unmarked", {"lesson": lesson, "status": "unexcused"})
    assert (status, body) == (200, {"changed": 4})
    assert {u: status_of(lesson, u) for u in STUDENTS} == {
        "hs_anh": "present", "hs_binh": "excused", "hs_chau": "unexcused", "hs_duc": "unexcused",
        "hs_ha": "unexcused", "hs_huy": "unexcused"}
    assert call(usage, "gv_lan", "mark_unmarked", {"lesson": lesson, "status": "present"})[1] == {"changed": 0}
    entry = AuditEntry.objects.get(action="attendance.mark_bulk")
    assert entry.data["status"] == "unexcused" and len(entry.data["changes"]) == 4
    assert call(usage, "gv_lan", "mark_unmarked", {"lesson": lesson, "status": ""})[0] == 400


# ------------------------------------------------------------------------------------ lessons

def test_plan_edit_and_cancel_a_lesson(usage):
    lesson = plan(usage)
    created = Lesson.objects.get(pk=lesson)
    assert created.starts_at == local(7, 30) and created.ends_at == local(8, 15)  # 45 minutes (secondary)
    assert (created.class_name, created.subject, created.created_by_name) == ("10A1", "Toán", "Nguyễn Thị Lan")
    assert call(usage, "gv_lan", "lesson_save", LESSON) == (200, {"lesson": lesson})  # a retry: the same lesson
    status, body = call(usage, "gv_lan", "lesson_save", dict(LESSON, title="Another lesson, same period"))
    assert (status, body["error"]) == (409, "duplicate_lesson")
    assert Lesson.objects.count() == 1 and AuditEntry.objects.filter(action="attendance.lesson_create").count() == 1
    status, _body = call(usage, "gv_lan", "lesson_save", dict(LESSON, lesson=lesson, start="07:45", length=40,
                                                             reason="Đổi giờ theo thời khoá biểu mới"))
    assert status == 200
    edited = Lesson.objects.get(pk=lesson)
    assert (edited.starts_at, edited.ends_at) == (local(7, 45), local(8, 25))
    entry = AuditEntry.objects.get(action="attendance.lesson_edit")
    assert entry.data["reason"] == "Đổi giờ theo thời khoá biểu mới" and set(entry.data["after"]) == {"starts_at", "ends_at"}
    assert call(usage, "gv_lan", "lesson_cancel", {"lesson": lesson, "reason": " "})[0] == 400
    status, _body = call(usage, "gv_lan", "lesson_cancel", {"lesson": lesson, "reason": "Bão số 3, trường cho nghỉ"})
    assert status == 200
    cancelled = Lesson.objects.get(pk=lesson)
    assert cancelled.cancelled_at is not None and cancelled.cancel_reason == "Bão số 3, trường cho nghỉ"
    assert call(usage, "gv_lan", "lesson_cancel", {"lesson": lesson, "reason": "lần nữa"})[1]["error"] == "cancelled"
    assert call(usage, "gv_lan", "mark", {"lesson": lesson, "marks": [{"user": "hs_anh", "status": "present"}]})[0] == 409
    assert plan(usage) != lesson  # the period is free again
    assert [e.action for e in AuditEntry.objects.filter(object_id=str(lesson)).order_by("seq")] == [
        "attendance.lesson_create", "attendance.lesson_edit", "attendance.lesson_cancel"]


def test_two_blocks_planning_the_class_in_one_period_are_told(usage, coded):
    """Both demo blocks keep the roll of 10A1 Toán: the same period planned in each is shown on
    both lists (a timetable mistake, or a class split into groups), and is not refused."""
    from django.utils import translation

    from vn_online_teaching.core.i18n import gettext

    mine, theirs = plan(usage), plan(coded)
    with translation.override("en"):
        notice = gettext("The class also has {subjects} in this period, planned in another block. Check the "
                         "timetable unless the class is split into groups.").format(subjects="Toán")
        assert notice in render(usage, "gv_lan") and notice in render(coded, "gv_lan")
        plan(usage, date="2025-09-09")  # another day: no notice for it
        html = render(usage, "gv_lan")
        assert html.count(notice) == 1
        call(coded, "gv_lan", "lesson_cancel", {"lesson": theirs, "reason": "Trùng lịch"})
        assert notice not in render(usage, "gv_lan")
    assert Lesson.objects.get(pk=mine).cancelled_at is None


def test_a_cancelled_lesson_can_be_restored(usage, lesson):
    """A cancellation made by mistake is undone with a reason; the lesson counts again with its
    marks; both steps stay in the audit log."""
    with freeze_time(local(7, 31)):
        assert check_in(usage, "hs_anh", lesson)[0] == 200
    assert call(usage, "gv_lan", "lesson_cancel", {"lesson": lesson, "reason": "Nhầm ngày"})[0] == 200
    assert call(usage, "gv_lan", "lesson_restore", {"lesson": lesson, "reason": " "})[0] == 400
    assert Lesson.objects.get(pk=lesson).cancelled_at is not None
    status, body = call(usage, "gv_lan", "lesson_restore", {"lesson": lesson, "reason": "Vẫn học theo lịch"})
    assert (status, body) == (200, {"lesson": lesson, "cancelled": False})
    restored = Lesson.objects.get(pk=lesson)
    assert restored.cancelled_at is None and restored.cancel_reason == ""
    assert status_of(lesson, "hs_anh") == roll.PRESENT  # the marks it had
    status, body = call(usage, "gv_lan", "lesson_restore", {"lesson": lesson, "reason": "lần nữa"})
    assert (status, body["error"]) == (409, "not_cancelled")
    entry = AuditEntry.objects.get(action="attendance.lesson_restore")
    assert entry.data["reason"] == "Vẫn học theo lịch" and entry.data["cancelled"]["reason"] == "Nhầm ngày"
    assert call(usage, "gv_lan", "mark", {"lesson": lesson, "marks": [{"user": "hs_binh", "status": "late"}]})[0] == 200
    assert verify().ok


def test_a_lesson_is_not_restored_over_one_planned_in_its_place(usage, lesson):
    call(usage, "gv_lan", "lesson_cancel", {"lesson": lesson, "reason": "Đổi tiết"})
    replacement = plan(usage, title="Bài 4. Luyện tập")
    before = AuditEntry.objects.count()
    status, body = call(usage, "gv_lan", "lesson_restore", {"lesson": lesson, "reason": "Học lại tiết cũ"})
    assert (status, body["error"]) == (409, "taken") and body["message"]
    assert Lesson.objects.get(pk=lesson).cancelled_at is not None and AuditEntry.objects.count() == before
    assert Lesson.objects.get(pk=replacement).cancelled_at is None
    assert call(usage, "gv_lan", "lesson_restore", {"lesson": 999999, "reason": "x"})[0] == 404


@pytest.mark.parametrize("changes, error", [
    ({"period": 0}, "bad_period"), ({"period": 16}, "bad_period"), ({"date": "08/09/2025"}, "bad_date"),
    ({"start": "7h30"}, "bad_time"), ({"length": 300}, "bad_length"), ({"link": "javascript:alert(1)"}, "bad_link"),
    ({"platform": "skype"}, "bad_choice"), ({"mode": "offline"}, "bad_choice"), ({"period": "1"}, "bad_type"),
])
def test_bad_lessons_are_refused(usage, changes, error):
    status, body = call(usage, "gv_lan", "lesson_save", dict(LESSON, **changes))
    assert (status, body["error"]) == (400, error)
    assert not Lesson.objects.exists()


def test_weekly_series_skips_holidays(usage, settings):
    settings.VN_ONLINE_TEACHING = dict(settings.VN_ONLINE_TEACHING, HOLIDAYS=["2025-09-02", "not a date"])
    plan(usage, date="2025-09-08")  # an existing lesson in the same period is kept, not doubled
    form = {k: v for k, v in LESSON.items() if k != "date"}
    status, body = call(usage, "gv_lan", "series_create", dict(form, first="2025-09-01", until="2025-09-30",
                                                               weekdays=[0, 1], skip=["2025-09-16"]))
    assert status == 200, body
    dates = [d.isoformat() for d in Lesson.objects.filter(series__gt="").order_by("date").values_list("date", flat=True)]
    assert dates == ["2025-09-01", "2025-09-09", "2025-09-15", "2025-09-22", "2025-09-23", "2025-09-29", "2025-09-30"]
    assert body["skipped"] == ["2025-09-08"]
    assert [x.syllabus_no for x in Lesson.objects.filter(series__gt="").order_by("date")] == [
        "12", "13", "14", "15", "16", "17", "18"]
    entry = AuditEntry.objects.get(action="attendance.series_create")
    assert entry.data["weekdays"] == [0, 1] and len(entry.data["lessons"]) == 7
    for bad in ({"weekdays": []}, {"weekdays": [7]}, {"until": "2025-08-01"},
                {"until": "2027-09-30", "weekdays": [0, 1, 2]}):  # more than 200 lessons
        request = dict(dict(form, first="2025-09-01", until="2025-09-30", weekdays=[0]), **bad)
        assert call(usage, "gv_lan", "series_create", request)[0] == 400, bad


# ------------------------------------------------------------------------------------ imports

def fixture(name):
    return (FIXTURES / name).read_bytes()


def test_import_preview_marks_nothing_and_keeps_the_file(usage, lesson):
    data = fixture("zoom-participants.csv")
    status, preview = upload(usage, "gv_lan", lesson, "zoom-participants.csv", data)
    assert status == 200, preview
    assert preview["format"] == "zoom" and not preview["applied"]
    people = {p["username"] or p["name"]: p for p in preview["people"]}
    assert people["hs_anh"]["match"] == "email" and people["hs_anh"]["suggested"] == "present"
    assert people["hs_chau"]["match"] == "name" and people["hs_chau"]["suggested"] == "late"  # joined 07:41
    assert people["hs_duc"]["suggested"] == "unexcused"  # 13.7 minutes of 45
    assert people["hs_duc"]["minutes_display"] == "13,7"  # the page is in Vietnamese: a decimal comma
    assert people["hs_ha"]["minutes"] == 45.0  # two overlapping connections counted once, clipped to the lesson
    huy = people["hs_huy"]
    assert (huy["in_report"], huy["suggested"], huy["minutes"]) == (False, None, None)
    assert preview["missing"] == ["hs_huy"]
    host = people["Hoàng Thị Lan"]
    assert host["username"] is None and host["i"] in preview["unmatched"]
    assert not Mark.objects.exists()
    record = MeetingReport.objects.get()
    assert record.sha256 == preview["sha256"] and record.size == len(data) and record.uploaded_by == "gv_lan"
    with default_storage.open(record.storage_name, "rb") as kept:
        assert kept.read() == data
    status, body = call(usage, "tt_minh", "report_file", method="GET", suffix=str(record.pk))
    assert status == 200 and body == data
    assert call(usage, "hs_anh", "report_file", method="GET", suffix=str(record.pk))[0] == 403
    assert AuditEntry.objects.get(action="attendance.import_upload").data["sha256"] == record.sha256


def confirm_suggestions(usage, lesson, preview, user="gv_lan"):
    """What the teacher's screen sends by default: every matched person of the report with the
    suggested status (students missing from the report are not ticked)."""
    rows = [{"person": p["i"], "username": p["username"], "status": p["suggested"]}
            for p in preview["people"] if p["in_report"] and p["username"] and p["suggested"]]
    return call(usage, user, "import_confirm", {"lesson": lesson, "report": preview["report"], "rows": rows})


def test_confirm_applies_the_confirmed_rows_only(usage, lesson):
    _s, preview = upload(usage, "gv_lan", lesson, "zoom.csv", fixture("zoom-participants.csv"))
    status, body = confirm_suggestions(usage, lesson, preview)
    assert (status, body) == (200, {"applied": 5, "changed": 5})
    assert {u: status_of(lesson, u) for u in STUDENTS} == {
        "hs_anh": "present", "hs_binh": "present", "hs_chau": "late", "hs_duc": "unexcused", "hs_ha": "present",
        "hs_huy": ""}  # missing from the report: never marked absent without the teacher
    duc = Mark.objects.get(lesson_id=lesson, user_key="hs_duc")
    assert duc.source == "import" and float(duc.minutes) == 13.7
    assert MeetingReport.objects.get().applied_at is not None
    entry = AuditEntry.objects.get(action="attendance.import_confirm")
    assert entry.data["sha256"] == preview["sha256"] and len(entry.data["rows"]) == 5
    # the teacher confirms the missing student explicitly
    huy = next(p for p in preview["people"] if p["username"] == "hs_huy")
    assert call(usage, "gv_lan", "import_confirm", {"lesson": lesson, "report": preview["report"], "rows": [
        {"person": huy["i"], "username": "hs_huy", "status": "excused"}]})[1] == {"applied": 1, "changed": 1}
    assert status_of(lesson, "hs_huy") == "excused"
    history = call(usage, "gv_lan", "history", {"lesson": lesson, "user": "hs_duc"})[1]["history"]
    assert [(h["source"], h["after"]["status"]) for h in history] == [("import", "unexcused")]


def test_a_teacher_matches_a_person_by_hand(usage, lesson):
    data = ("Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n"
            "Bé Su (điện thoại),,09/08/2025 07:29:00 AM,09/08/2025 08:15:00 AM,47,Yes\n"
            "Nguyễn Thị Ánh,anh.nt@thptnamloi.edu.vn,09/08/2025 07:28:02 AM,09/08/2025 08:15:30 AM,48,No\n").encode()
    status, preview = upload(usage, "gv_lan", lesson, "zoom.csv", data)
    assert status == 200, preview
    guest = next(p for p in preview["people"] if p["name"].startswith("Bé Su"))
    assert guest["username"] is None and guest["reason"] == "not_found"
    status, body = call(usage, "gv_lan", "import_confirm", {"lesson": lesson, "report": preview["report"], "rows": [
        {"person": guest["i"], "username": "hs_huy", "status": guest["suggested"]}]})
    assert (status, body["changed"]) == (200, 1)
    assert status_of(lesson, "hs_huy") == "present" and status_of(lesson, "hs_anh") == ""
    assert AuditEntry.objects.get(action="attendance.import_confirm").data["rows"][0]["manual"] is True


@pytest.mark.parametrize("name, period, start", [("teams-attendance.csv", 2, "08:20"),
                                                 ("meet-attendance.csv", 3, "09:15")])
def test_teams_and_meet_reports(usage, name, period, start):
    lesson = plan(usage, period=period, start=start, platform="teams" if "teams" in name else "meet")
    status, preview = upload(usage, "gv_lan", lesson, name, fixture(name))
    assert status == 200, preview
    assert preview["format"] == ("teams" if "teams" in name else "meet")
    assert confirm_suggestions(usage, lesson, preview)[0] == 200
    marked = {u for u in STUDENTS if status_of(lesson, u)}
    in_report = {p["username"] for p in preview["people"] if p["in_report"] and p["username"]}
    assert marked == in_report and preview["missing"] and not marked & set(preview["missing"])


def test_bad_confirmations_change_nothing(usage, lesson):
    _s, preview = upload(usage, "gv_lan", lesson, "zoom.csv", fixture("zoom-participants.csv"))
    anh = next(p for p in preview["people"] if p["username"] == "hs_anh")
    binh = next(p for p in preview["people"] if p["username"] == "hs_binh")
    report = preview["report"]
    for rows in ([{"person": anh["i"], "username": "hs_anh", "status": "present"},
                  {"person": binh["i"], "username": "hs_anh", "status": "present"}],   # one student twice
                 [{"person": anh["i"], "username": "gv_nam", "status": "present"}],    # not in the class
                 [{"person": 99, "username": "hs_anh", "status": "present"}],
                 [{"person": anh["i"], "username": "hs_anh", "status": ""}],
                 [{"person": anh["i"], "username": "hs_anh", "status": "present", "minutes": 45}]):
        status, body = call(usage, "gv_lan", "import_confirm", {"lesson": lesson, "report": report, "rows": rows})
        assert status == 400 and body["message"], rows
    assert call(usage, "gv_lan", "import_confirm", {"lesson": lesson, "report": report + 1, "rows": []})[0] == 404
    assert not Mark.objects.exists() and MeetingReport.objects.get().applied_at is None


@pytest.mark.parametrize("data, fmt, status, error", [
    (b"", "auto", 400, "empty_file"),
    (b"name,age\nAn,15\n", "auto", 400, "unknown_format"),
    (b"\x00\x01\x02binary", "auto", 400, "binary_file"),
    (None, "teams", 400, "format_mismatch"),
    (None, "skype", 400, "bad_choice"),
])
def test_unreadable_reports_are_refused_and_nothing_is_kept(usage, lesson, data, fmt, status, error):
    got, body = upload(usage, "gv_lan", lesson, "x.csv", fixture("zoom-participants.csv") if data is None else data, fmt)
    assert (got, body["error"]) == (status, error) and body["message"]
    if error == "format_mismatch":
        assert "Microsoft Teams" in body["message"]
    assert not MeetingReport.objects.exists() and not Mark.objects.exists()


def test_a_report_of_another_day_is_refused(usage):
    lesson = plan(usage, date="2025-09-09")
    status, body = upload(usage, "gv_lan", lesson, "zoom.csv", fixture("zoom-participants.csv"))
    # 09/08/2025 is 8 September or 9 August, neither of them the lesson's day: refused, never guessed
    assert status == 400 and body["error"] in ("date_mismatch", "ambiguous_dates") and "2025-09-09" in body["message"]
    assert not MeetingReport.objects.exists()


def test_too_large_reports_are_refused(usage, lesson, settings):
    settings.VN_ONLINE_TEACHING = dict(settings.VN_ONLINE_TEACHING, MAX_REPORT_BYTES=1000)
    status, body = upload(usage, "gv_lan", lesson, "zoom.csv", fixture("zoom-participants.csv"))
    assert (status, body["error"]) == (413, "too_large") and not MeetingReport.objects.exists()


def test_the_same_report_uploaded_again_is_kept_once(usage, lesson):
    """An identical file uploaded again for the lesson answers the report already kept: one
    record, one preview, one file, one audit entry."""
    data = fixture("zoom-participants.csv")
    first = upload(usage, "gv_lan", lesson, "zoom.csv", data)
    again = upload(usage, "gv_lan", lesson, "zoom (1).csv", data)
    assert first[0] == again[0] == 200 and again[1]["report"] == first[1]["report"]
    assert again[1]["people"] == first[1]["people"]
    assert MeetingReport.objects.count() == 1
    assert AuditEntry.objects.filter(action="attendance.import_upload").count() == 1
    other = plan(usage, period=2, start="08:20")  # another lesson: its own record, the same file kept
    status, preview = upload(usage, "gv_lan", other, "zoom.csv", data)
    assert status == 200 and preview["report"] != first[1]["report"]
    assert MeetingReport.objects.count() == 2 and len({r.storage_name for r in MeetingReport.objects.all()}) == 1


def test_a_report_with_too_many_rows_is_refused(usage, lesson):
    """A report is bounded in rows (its preview is kept): refused with a message naming the
    limit, and nothing is kept."""
    from vn_online_teaching.attendance.importers.decode import DEFAULT_MAX_ROWS

    head = "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n"
    row = "Khách {n},,09/08/2025 07:29:00 AM,09/08/2025 07:30:00 AM,1,Yes\n"
    data = (head + "".join(row.format(n=n) for n in range(DEFAULT_MAX_ROWS + 1))).encode()
    status, body = upload(usage, "gv_lan", lesson, "zoom.csv", data)
    assert (status, body["error"], body["field"]) == (400, "too_many_rows", "file")
    assert str(DEFAULT_MAX_ROWS) in body["message"]
    assert not MeetingReport.objects.exists()
    assert upload(usage, "gv_lan", lesson, "zoom.csv", (head + row.format(n=1) * 50).encode())[0] == 200


# ------------------------------------------------------------------------------------ views

def test_student_sees_their_own_record_only(usage, lesson):
    call(usage, "gv_lan", "mark", {"lesson": lesson, "marks": [
        {"user": "hs_anh", "status": "late", "remark": "Vào muộn 5 phút"},
        {"user": "hs_binh", "status": "unexcused", "remark": "BÍ MẬT của bạn Bình"}]})
    with freeze_time(local(10, 0)):
        html = render(usage, "hs_anh")
    assert "vnot-att-late" in html and "Vào muộn 5 phút" in html
    assert "Trần Văn Bình" not in html and "BÍ MẬT" not in html and "vnot-att-unexcused" not in html
    for handler, data in (("roll_call", {"lesson": lesson}), ("history", {"lesson": lesson, "user": "hs_binh"})):
        assert call(usage, "hs_anh", handler, data)[0] == 403


def test_student_view_offers_check_in_while_the_window_is_open(usage, lesson):
    with freeze_time(local(7, 15)):
        assert "vnot-att-checkin" not in render(usage, "hs_anh")
    with freeze_time(local(7, 25)):
        html = render(usage, "hs_anh")
        assert "vnot-att-checkin" in html and 'name="code"' not in html
        assert "vnot-att-checkin" not in render(usage, "student_1")  # not on the roster
        check_in(usage, "hs_anh", lesson)
        assert "vnot-att-checkin" not in render(usage, "hs_anh") and "vnot-att-present" in render(usage, "hs_anh")


def test_staff_views_by_role(usage, lesson):
    teacher = render(usage, "gv_lan")
    assert "vnot-att-lesson-form" in teacher and 'data-act="save"' in teacher and 'data-act="cancel"' in teacher
    for user in ("ht_hung", "vt_thu"):
        html = render(usage, user)
        assert "vnot-att-staff" in html and "vnot-att-lesson-form" not in html and 'data-act="save"' not in html, user
        assert call(usage, user, "roll_call", {"lesson": lesson})[0] == 200
    for user in ("gv_nam", "tt_hoa"):  # staff of another subject: the student view, and no roll
        html = render(usage, user)
        assert "vnot-att-staff" not in html and "vnot-att-student" in html, user
        assert call(usage, user, "roll_call", {"lesson": lesson})[0] == 403
    assert "vnot-att-student" in render(usage, "hs_anh")
    for view in ("studio_view", "author_view"):
        assert "vnot-att-student" in render(usage, "hs_anh", view)
    assert "vnot-studio" in render(usage, "gv_lan", "studio_view")


def test_calendar_of_the_class(usage):
    past = plan(usage, date="2025-09-08")
    soon = plan(usage, date="2025-09-10", title="Hệ thức Vi-ét; luyện tập, ví dụ")
    cancelled = plan(usage, date="2025-09-12")
    call(usage, "gv_lan", "lesson_cancel", {"lesson": cancelled, "reason": "Nghỉ lễ"})
    with freeze_time(local(9, 0, day=9)):
        status, body = call(usage, "hs_anh", "calendar", method="GET")
    text = body.decode("utf-8")
    assert status == 200 and text.startswith("BEGIN:VCALENDAR")
    assert f"vnot-lesson-{soon}@" in text and f"vnot-lesson-{past}@" not in text and f"vnot-lesson-{cancelled}@" not in text
    assert "DTSTART:20250910T003000Z" in text and "Hệ thức Vi-ét\\; luyện tập\\, ví dụ" in text.replace("\r\n ", "")
    assert call(usage, "none", "calendar", method="GET")[0] == 403


def test_meeting_link_and_calendar_are_for_the_class_and_its_staff(usage):
    """Someone signed in but on no roster of the class (or teaching another subject) sees the
    timetable, not the meeting link, and gets no calendar; the class and its staff do."""
    plan(usage, link="https://meet.google.com/kin-mat-lop")
    with freeze_time(local(7, 25)):
        for user in ("student_1", "gv_nam"):
            html = render(usage, user)
            assert "Bài 3. Phương trình bậc hai" in html, user  # the timetable
            assert "kin-mat-lop" not in html and "vnot-att-join" not in html and "/calendar" not in html, user
            assert call(usage, user, "calendar", method="GET")[0] == 403, user
        html = render(usage, "hs_anh")
        assert "kin-mat-lop" in html and "/calendar" in html
        for user in ("hs_anh", "ht_hung", "gv_lan"):
            status, body = call(usage, user, "calendar", method="GET")
            assert status == 200 and b"kin-mat-lop" in body.replace(b"\r\n ", b""), user


def test_a_line_break_in_a_title_stays_on_one_line_in_the_calendar(usage):
    """A title typed with a line break (a bare CR too) is saved on one line, and one stored with
    it earlier does not start a new line in the calendar file either."""
    typed = plan(usage, date="2025-09-10", title="Ôn tập\rchương 1\nphần 2")
    assert Lesson.objects.get(pk=typed).title == "Ôn tập chương 1 phần 2"
    stored = plan(usage, date="2025-09-11")
    Lesson.objects.filter(pk=stored).update(title="Kiểm tra\r\nBEGIN:VALARM\rX", link="https://x.example/a\r\nATTACH:y")
    with freeze_time(local(9, 0, day=9)):
        status, body = call(usage, "hs_anh", "calendar", method="GET")
    assert status == 200
    lines = body.decode("utf-8").replace("\r\n ", "").split("\r\n")
    assert "\r" not in "".join(lines) and "BEGIN:VALARM" not in lines and not any(x.startswith("ATTACH") for x in lines)
    summaries = [x for x in lines if x.startswith("SUMMARY:")]
    assert any(x.endswith("Ôn tập chương 1 phần 2") for x in summaries)
    assert any(x.endswith("Kiểm tra BEGIN:VALARM X") for x in summaries)


@pytest.mark.parametrize("day", ["9999-12-31", "1999-12-31", "2100-01-01", "31/12/2025", "2025-02-30"])
def test_dates_no_school_means_are_refused(usage, day):
    status, body = call(usage, "gv_lan", "lesson_save", dict(LESSON, date=day))
    assert (status, body["error"], body["field"]) == (400, "bad_date", "date") and body["message"]
    form = dict({k: v for k, v in LESSON.items() if k != "date"}, first="2025-09-01", until=day, weekdays=[0])
    assert call(usage, "gv_lan", "series_create", form)[1]["error"] == "bad_date"
    status, body = call(usage, "gv_lan", "logbook", method="GET", query=f"week={day}")
    assert (status, body["error"]) == (400, "bad_date")
    assert not Lesson.objects.exists()


def test_lessons_stored_at_the_ends_of_the_calendar_break_no_page(usage):
    """Rows from before dates were checked (a lesson late on 31/12/9999, whose end is past year
    9999 in school time, and one early on 1/1/0001): every view and reader still answers."""
    lesson = Lesson.objects.get(pk=plan(usage))
    for day, start, end in ((dt.date(9999, 12, 31), dt.datetime(9999, 12, 31, 16, 30, tzinfo=dt.timezone.utc),
                             dt.datetime(9999, 12, 31, 17, 15, tzinfo=dt.timezone.utc)),
                            (dt.date(1, 1, 1), dt.datetime(1, 1, 1, 0, 5, tzinfo=dt.timezone.utc),
                             dt.datetime(1, 1, 1, 0, 50, tzinfo=dt.timezone.utc))):
        lesson.pk, lesson.date, lesson.starts_at, lesson.ends_at = None, day, start, end
        lesson.save()
    far = Lesson.objects.get(date=dt.date(9999, 12, 31)).pk
    with freeze_time(local(7, 31)):
        for user in ("gv_lan", "ht_hung", "hs_anh", "student_1"):
            assert "vnot-att" in render(usage, user), user
        assert call(usage, "gv_lan", "roll_call", {"lesson": far})[0] == 200
        assert call(usage, "hs_anh", "calendar", method="GET")[0] == 200
        assert check_in(usage, "hs_anh", far)[0] == 409
        for query in ("", "week=2099-12-31", "week=2000-01-01"):
            assert call(usage, "gv_lan", "logbook", method="GET", query=query)[0] == 200, query
        assert call(usage, "ht_hung", "class_report", method="GET", suffix="html")[0] == 200
    page = call(usage, "gv_lan", "logbook", method="GET", query="week=2099-12-31")[1].decode("utf-8")
    assert "week=2099-12-21" in page and "week=2100" not in page  # no link to a week no one can open


def test_one_read_of_the_roles_per_request(usage, lesson):
    """A click asks the roles once: the records layer checks and returns the acting role, the
    block only answers (it used to be three reads: the block, the service, its role)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    requests = {
        "mark": {"lesson": lesson, "marks": [{"user": "hs_anh", "status": "late"}]},
        "mark_unmarked": {"lesson": lesson, "status": "excused"},
        "roll_call": {"lesson": lesson}, "history": {"lesson": lesson, "user": "hs_anh"},
        "lesson_save": dict(LESSON, lesson=lesson, start="07:35"),
        "logbook_entry": {"lesson": lesson, "content": "Bài 3"}, "logbook_read": {"lesson": lesson},
        "code": {"lesson": lesson},
    }
    for handler, data in requests.items():
        with CaptureQueriesContext(connection) as captured:
            status, body = call(usage, "gv_lan", handler, data)
        assert status == 200, (handler, body)
        reads = [q["sql"] for q in captured.captured_queries if "vn_online_teaching_roleassignment" in q["sql"]]
        assert len(reads) == 1, (handler, reads)
    with CaptureQueriesContext(connection) as captured:
        render(usage, "gv_lan")
    assert len([q for q in captured.captured_queries if "vn_online_teaching_roleassignment" in q["sql"]]) == 1


def test_studio_settings_are_checked(usage):
    earlier = plan(usage)
    good = {"display_name": "Toán 10A1", "class_name": "10A2", "subject": "Toán", "platform": "teams",
            "meeting_link": "https://teams.microsoft.com/l/meetup-join/x", "mode": "hybrid", "require_code": True,
            "networks": ["10.0.0.0/8"]}
    for bad in ({"class_name": "lớp 10"}, {"networks": ["10.0.0.300/8"]}, {"meeting_link": "ftp://x"},
                {"require_code": "yes"}, {"mode": "offline"}):
        status, body = call(usage, "gv_lan", "studio_submit", dict(good, **bad))
        assert status == 400, bad
    assert block_as(usage, "gv_lan").class_name == "10A1"
    assert call(usage, "gv_lan", "studio_submit", good)[0] == 200
    block = block_as(usage, "hs_anh")
    assert (block.class_name, block.platform, block.mode, block.require_code, block.networks) == (
        "10A2", "teams", "hybrid", True, ["10.0.0.0/8"])
    # a lesson keeps the class it was planned for; the new class has no roster yet
    rows = call(usage, "gv_lan", "roll_call", {"lesson": earlier})[1]["rows"]
    assert sorted(r["user"] for r in rows) == sorted(STUDENTS)
    html = render(usage, "gv_lan")
    assert 'class="vnot-warning"' in html and "10A2" in html


# ------------------------------------------------------------------------------------ permissions

ROLES = {
    "hs_anh": "student", "gv_nam": "other teacher", "tt_hoa": "head of another subject",
    "tt_khanh": "head of the subject (not its teacher)", "ht_hung": "principal", "vt_thu": "records officer",
    "none": "anonymous",
}
READERS = {"tt_khanh", "ht_hung", "vt_thu"}  # attendance.view_staff: the subject's head, the school's leaders


@pytest.fixture
def matrix(usage):
    """A lesson with a check-in, a teacher's mark and an uploaded report, a cancelled lesson (the
    next day); a head of Mathematics who does not teach it."""
    RoleAssignment.objects.create(org=ORG, user_key="tt_khanh", username="tt_khanh", role="head", subject="Toán")
    lesson = plan(usage)
    with freeze_time(local(7, 30)):
        assert check_in(usage, "hs_anh", lesson)[0] == 200
    call(usage, "gv_lan", "mark", {"lesson": lesson, "marks": [{"user": "hs_binh", "status": "excused"}]})
    _s, preview = upload(usage, "gv_lan", lesson, "zoom.csv", fixture("zoom-participants.csv"))
    cancelled = plan(usage, date="2025-09-09")
    assert cancelled == lesson + 1  # handler_calls names it so
    assert call(usage, "gv_lan", "lesson_cancel", {"lesson": cancelled, "reason": "Nghỉ bù"})[0] == 200
    return usage, lesson, preview["report"]


def snapshot(usage):
    block = block_as(usage, "gv_lan")
    return {
        "lessons": list(Lesson.objects.values_list("pk", "starts_at", "cancelled_at", "title")),
        "marks": list(Mark.objects.values_list("user_key", "status", "remark", "location").order_by("pk")),
        "changes": MarkChange.objects.count(), "reports": list(MeetingReport.objects.values_list("pk", "applied_at")),
        "attempts": CodeAttempt.objects.count(), "audit": AuditEntry.objects.count(),
        "settings": (block.display_name, block.class_name, block.require_code, list(block.networks)),
    }


def handler_calls(lesson, report):
    """Every handler with a request that is valid for the teacher of the block."""
    form = dict(LESSON, date="2025-09-15")
    return {
        "lesson_save": ("POST", form),
        "lesson_save:edit": ("POST", dict(LESSON, lesson=lesson, start="07:40", reason="đổi giờ")),
        "series_create": ("POST", dict({k: v for k, v in LESSON.items() if k != "date"}, first="2025-10-01",
                                       until="2025-10-31", weekdays=[2])),
        "lesson_cancel": ("POST", {"lesson": lesson, "reason": "nghỉ"}),
        "lesson_restore": ("POST", {"lesson": lesson + 1, "reason": "học bù"}),  # the matrix's cancelled lesson
        "mark": ("POST", {"lesson": lesson, "marks": [{"user": "hs_anh", "status": "unexcused"}]}),
        "mark_unmarked": ("POST", {"lesson": lesson, "status": "unexcused"}),
        "code": ("POST", {"lesson": lesson}),
        "import_report": ("UPLOAD", None),
        "import_confirm": ("POST", {"lesson": lesson, "report": report,
                                    "rows": [{"person": 0, "username": "hs_anh", "status": "present"}]}),
        "studio_submit": ("POST", {"display_name": "X", "class_name": "10A2", "subject": "Toán", "platform": "meet",
                                   "meeting_link": "", "mode": "online", "require_code": True, "networks": []}),
        "roll_call": ("POST", {"lesson": lesson}),
        "history": ("POST", {"lesson": lesson, "user": "hs_anh"}),
        "report_file": ("GET", str(report)),
        "check_in": ("CHECKIN", None),
        "calendar": ("GET", ""),
        "logbook": ("GET", ""),
        "logbook_entry": ("POST", {"lesson": lesson, "content": "Bài 3", "confirm": True}),
        "logbook_read": ("POST", {"lesson": lesson}),
        "class_report": ("GET", ""),
        "class_report:xlsx": ("GET", "xlsx"),
        "class_report:html": ("GET", "html"),
    }


READS = ("roll_call", "history", "report_file", "logbook", "logbook_read", "class_report")


def expected_status(case, user):
    if case.split(":")[0] in READS:
        return 200 if user in READERS else 403
    if case == "calendar":  # the class (hs_anh) and its staff: not staff of other subjects
        return 200 if user in READERS | {"hs_anh"} else 403
    if case == "check_in":
        return 200 if user == "hs_anh" else 403
    return 403


def perform(usage, case, user, lesson, report):
    method, payload = handler_calls(lesson, report)[case]
    handler = case.split(":")[0]
    if method == "UPLOAD":
        return upload(usage, user, lesson, "zoom.csv", fixture("zoom-participants.csv"))
    if method == "CHECKIN":
        with freeze_time(local(7, 31)):
            return check_in(usage, user, lesson)
    if method == "GET":
        return call(usage, user, handler, method="GET", suffix=payload)
    return call(usage, user, handler, payload)


@pytest.mark.parametrize("user", sorted(ROLES))
@pytest.mark.parametrize("case", sorted(handler_calls(1, 1)))
def test_permission_matrix(matrix, case, user):
    usage, lesson, report = matrix
    before = snapshot(usage)
    status, body = perform(usage, case, user, lesson, report)
    expected = expected_status(case, user)
    assert status == expected, (case, ROLES[user], body)
    if case == "check_in" and user == "hs_anh":
        assert body["already"] is True  # checked in by the fixture
    if expected == 403 or case.split(":")[0] in READS + ("calendar", "check_in"):
        assert snapshot(usage) == before, (case, user)
    if expected == 403 and isinstance(body, dict):
        assert body["error"] and body["message"]


def test_the_matrix_covers_every_handler():
    """A new handler must be added to the matrix above."""
    from vn_online_teaching.attendance.block import SessionAttendanceBlock

    handlers = {name for name in dir(SessionAttendanceBlock)
                if getattr(getattr(SessionAttendanceBlock, name, None), "_is_xblock_handler", False)}
    assert handlers == {case.split(":")[0] for case in handler_calls(1, 1)}, handlers


@pytest.mark.parametrize("case", sorted(set(handler_calls(1, 1)) - {"check_in"}))  # students check in
def test_the_teacher_of_the_subject_may_do_every_staff_action(matrix, case):
    usage, lesson, report = matrix
    status, body = perform(usage, case, "gv_lan", lesson, report)
    assert status == 200, (case, body)
    # tt_minh teaches Mathematics too: the same, as a teacher
    if case.split(":")[0] in READS + ("code", "calendar", "mark_unmarked"):
        assert perform(usage, case, "tt_minh", lesson, report)[0] == 200
