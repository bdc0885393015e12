"""Integrity after the sitting on the workbench database (assessment/integrity/decisions.py and
summary.py): a teacher's decision per attempt (accept, annul, allow a retake) with a reason,
audited in the same transaction; refused for students and for other subjects' teachers; the
principal reads every decision of the school; a student never reads anyone's report and reads
the decisions on their own attempt only as the school decides; the test-level summary as CSV
and XLSX."""
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings
from django.utils import translation
from freezegun import freeze_time
from vn_online_teaching.assessment import access_code, attempts, evidence, questions, records, states
from vn_online_teaching.assessment import blueprint as blueprints
from vn_online_teaching.assessment.integrity import decisions, summary
from vn_online_teaching.assessment.models import Attempt, IntegrityDecision
from vn_online_teaching.core import audit
from vn_online_teaching.core.actors import Actor
from vn_online_teaching.core.errors import RequestError
from vn_online_teaching.core.models import AuditEntry
from vn_online_teaching.demo.load import load_people
from vn_online_teaching.demo.people import COURSE_KEY, ORG, PEOPLE

ICT = ZoneInfo("Asia/Ho_Chi_Minh")
CODE = "AB12CD"
USAGE = "block-v1:THPTNamLoi+TOAN10+2025_HK1+type@periodic_assessment+block@giua_ky_1"
BANK = [questions.from_dict({"id": f"mcq-{n}", "format": "mcq", "topic": "Hàm số", "level": "biet",
                             "stem": f"<p>Câu {n}</p>", "options": [f"<p>{n}{x}</p>" for x in "ABCD"], "answer": "B"})
        for n in range(4)]
PLAN = blueprints.from_dict({"cells": [{"topic": "Hàm số", "level": "biet", "format": "mcq", "count": 4}]})


def local(hour, minute):
    return dt.datetime(2025, 10, 20, hour, minute, tzinfo=ICT)


def person(username):
    name, _email, role, *_rest = PEOPLE[username]
    return Actor(user_key=username, username=username, full_name=name, platform_role=role)


def make_test(**changes):
    values = dict(usage_key=USAGE, course_key=COURSE_KEY, org=ORG, class_name="10A1", subject="Toán",
                  opens=local(7, 30), closes=local(9, 30), minutes=45, code_hash=access_code.hash_code(CODE),
                  grace_seconds=30, bank=BANK, blueprint=PLAN, title="Kiểm tra giữa kỳ I")
    values.update(changes)
    return records.Test(**values)


def fails(fn, *args, **kwargs):
    with pytest.raises(RequestError) as caught:
        fn(*args, **kwargs)
    return caught.value.status, caught.value.code


@pytest.fixture
def sat(db):
    """hs_anh and hs_binh sat the test; hs_anh's page was hidden twice and she pasted once."""
    load_people()
    test = make_test()
    for user in ("hs_anh", "hs_binh"):
        with freeze_time(local(7, 40)):
            opened = attempts.start(test, person(user), request_id=f"browser-{user}", code=CODE, ip="10.0.0.7",
                                    user_agent="Mozilla/5.0 (Android)")
        device = opened["device"]
        with freeze_time(local(7, 50)):
            attempts.save(test, person(user), device, [{"seq": 1, "position": 1, "response": "A"}])
            if user == "hs_anh":
                attempts.signal(test, person(user), device, [{"kind": "page_hidden"}, {"kind": "page_hidden"},
                                                             {"kind": "paste", "position": 1}])
        with freeze_time(local(8, 0)):
            attempts.submit(test, person(user), device)
    return test


def test_a_decision_needs_a_reason_and_is_audited_with_the_attempts_change(sat):
    with freeze_time(local(10, 0)):
        assert fails(decisions.decide, sat, person("gv_lan"), "hs_anh", "invalidate", "  ") == (400, "required")
        assert fails(decisions.decide, sat, person("gv_lan"), "hs_anh", "punish", "Lý do") == (400, "bad_choice")
        assert IntegrityDecision.objects.count() == 0
        done = decisions.decide(sat, person("gv_lan"), "hs_anh", "invalidate",
                                "Học sinh thừa nhận đã dùng tài liệu; có biên bản của giám thị")
    attempt = Attempt.objects.get(user_key="hs_anh")
    assert attempt.state == states.INVALIDATED and done["state"] == [states.SUBMITTED, states.INVALIDATED]
    entry = AuditEntry.objects.get(action="assessment.integrity_decision")
    assert entry.object_id == str(attempt.pk) and entry.actor_role == "teacher"
    assert entry.data["verdict"] == "invalidate" and entry.data["reason"].startswith("Học sinh thừa nhận")
    assert entry.data["decision"] == done["id"] and entry.data["state"] == [states.SUBMITTED, states.INVALIDATED]
    assert audit.verify().ok
    assert evidence.verify_attempt(attempt).ok  # the decision changes no sealed record
    with freeze_time(local(10, 5)):  # an annulled attempt is not accepted afterwards, only retaken
        assert fails(decisions.decide, sat, person("gv_lan"), "hs_anh", "accept", "Xem lại") == (409, "annulled")
        assert fails(decisions.decide, sat, person("gv_lan"), "hs_anh", "invalidate", "Lần nữa") == (409, "bad_state")
        assert fails(decisions.decide, sat, person("gv_lan"), "hs_chau", "accept", "Chưa làm") == (404, "not_found")
    assert IntegrityDecision.objects.count() == 1


def test_accepting_keeps_the_attempt_as_it_is(sat):
    test = make_test()
    with freeze_time(local(8, 5)):  # still answering: nothing to accept yet
        attempts.start(test, person("hs_chau"), request_id="c", code=CODE)
        assert fails(decisions.decide, test, person("gv_lan"), "hs_chau", "accept", "Sớm") == (409, "not_ended")
    with freeze_time(local(10, 0)):
        done = decisions.decide(sat, person("tt_minh"), "hs_anh", "accept", "Điện thoại khoá màn hình, đã hỏi em")
    assert Attempt.objects.get(user_key="hs_anh").state == states.SUBMITTED
    assert done["verdict"] == "accept" and done["role"] == "head" and done["state"] == [states.SUBMITTED] * 2


def test_a_retake_reopens_the_attempt_with_new_time_and_the_student_starts_again(sat):
    with freeze_time(local(10, 0)):
        assert fails(decisions.decide, sat, person("gv_lan"), "hs_anh", "retake", "Mất điện") == (400, "retake_time")
        assert fails(decisions.decide, sat, person("gv_lan"), "hs_anh", "retake", "Mất điện",
                     window=local(9, 0)) == (400, "bad_window")
        done = decisions.decide(sat, person("gv_lan"), "hs_anh", "retake", "Làm lại có giám sát", extra_minutes=20)
    attempt = Attempt.objects.get(user_key="hs_anh")
    assert attempt.state == states.REOPENED and attempt.device_hash == "" and done["minutes"] == 20
    assert attempt.deadline_at == local(10, 20)
    with freeze_time(local(10, 2)):
        again = attempts.start(sat, person("hs_anh"), request_id="school-pc", code=CODE)
    assert again["state"] == states.IN_PROGRESS and again["remaining"] == 18 * 60
    with freeze_time(local(10, 10)):
        attempts.submit(sat, person("hs_anh"), again["device"])
    assert evidence.verify_attempt(Attempt.objects.get(user_key="hs_anh")).ok


def test_a_retake_until_a_new_closing_time_after_annulling(sat):
    with freeze_time(local(10, 0)):
        decisions.decide(sat, person("gv_lan"), "hs_anh", "invalidate", "Có biên bản")
        decisions.decide(sat, person("ht_hung"), "hs_anh", "retake", "Cho làm lại chiều nay", window=local(14, 30))
    attempt = Attempt.objects.get(user_key="hs_anh")
    assert attempt.state == states.REOPENED and attempt.deadline_at == local(14, 30)
    assert [d["verdict"] for d in decisions.list_decisions(USAGE)] == ["invalidate", "retake"]


def test_refused_for_students_and_other_subjects_teachers_and_nothing_changes(sat):
    with freeze_time(local(10, 0)):
        for who in ("hs_anh", "hs_binh", "gv_nam", "tt_hoa", "vt_thu"):
            assert fails(decisions.decide, sat, person(who), "hs_anh", "invalidate", "Lý do") == (403, "forbidden"), who
        for who in ("hs_anh", "hs_binh", "gv_nam", "tt_hoa"):
            assert fails(decisions.attempt_report, sat, person(who), "hs_anh") == (403, "forbidden"), who
            assert fails(decisions.read_decisions, sat, person(who)) == (403, "forbidden"), who
            assert fails(summary.rows, sat, person(who)) == (403, "forbidden"), who
    assert IntegrityDecision.objects.count() == 0 and not AuditEntry.objects.filter(
        action="assessment.integrity_decision").exists()
    assert Attempt.objects.get(user_key="hs_anh").state == states.SUBMITTED


def test_the_principal_sees_every_decision_of_the_school(sat):
    other = make_test(usage_key=USAGE + "_van", subject="Ngữ văn", code_hash="")
    with freeze_time(local(10, 0)):
        decisions.decide(sat, person("gv_lan"), "hs_anh", "accept", "Không có gì đáng lo")
    with freeze_time(local(9, 0)):
        opened = attempts.start(other, person("hs_binh"), request_id="b", ip="10.0.0.9")
        attempts.submit(other, person("hs_binh"), opened["device"])
    with freeze_time(local(10, 30)):
        decisions.decide(other, person("gv_nam"), "hs_binh", "accept", "Bình thường")
    seen = decisions.school_decisions(ORG, person("ht_hung"))
    assert [(d["usage_key"], d["user_key"]) for d in seen] == [(USAGE, "hs_anh"), (other.usage_key, "hs_binh")]
    assert [d["user_key"] for d in decisions.read_decisions(sat, person("ht_hung"))] == ["hs_anh"]
    for who in ("gv_lan", "gv_nam", "hs_anh"):
        assert fails(decisions.school_decisions, ORG, person(who)) == (403, "forbidden"), who


def test_the_report_shows_the_timeline_and_careful_words(sat):
    with translation.override("en"):
        built = decisions.attempt_report(sat, person("gv_lan"), "hs_anh")
    kinds = [s.kind for s in built.timeline]
    assert kinds[0] == "start" and kinds[-1] == "end" and kinds.count("page_hidden") == 2 and "paste" in kinds
    assert built.timeline[0].detail["address"] == "10.0.0.7" and built.timeline[-1].detail["how"] == "submitted"
    assert built.counts == {"page_hidden": 2, "paste": 1} and built.sealed_ok
    assert any("Worth a look: Pasted text." in line for line in built.summary)
    quiet = decisions.attempt_report(sat, person("vt_thu"), "hs_binh")  # the records officer reads too
    assert quiet.counts == {}


def test_a_student_reads_their_own_decisions_only_as_the_school_decides(sat):
    with freeze_time(local(10, 0)):
        decisions.decide(sat, person("gv_lan"), "hs_anh", "accept", "Điện thoại khoá màn hình")
    own = decisions.student_decisions(sat, person("hs_anh"))
    assert [(d["verdict"], d["reason"]) for d in own] == [("accept", "Điện thoại khoá màn hình")]
    assert "by_key" not in own[0] and "by_name" not in own[0]
    assert decisions.student_decisions(sat, person("hs_binh")) == []  # never another student's
    with override_settings(VN_ONLINE_TEACHING={"ORGS": {ORG: {"ASSESSMENT_SHOW_DECISIONS": False}}}):
        assert decisions.student_decisions(sat, person("hs_anh")) == []
    assert fails(decisions.student_decisions, sat, person("gv_nam")) == (403, "forbidden")


def test_the_summary_counts_signals_flags_decisions_and_exports(sat):
    with freeze_time(local(10, 0)):
        decisions.decide(sat, person("gv_lan"), "hs_anh", "accept", "Đã hỏi em")
    rows = {r["user"]: r for r in summary.rows(sat, person("ht_hung"))}
    assert len(rows) == 6 and rows["hs_anh"]["sector_id"] == "7926010001"
    anh = rows["hs_anh"]
    assert anh["signals"] == 3 and anh["counts"]["paste"] == 1 and anh["decisions"] == ["accept"]
    assert anh["state"] == states.SUBMITTED and not anh["ended_by_deadline"] and anh["sealed_ok"]
    assert rows["hs_chau"]["state"] == states.NOT_STARTED and rows["hs_chau"]["sealed_ok"] is None
    with translation.override("en"):
        data, name, kind = summary.export(sat, person("gv_lan"), "csv")
        book, xname, _kind = summary.export(sat, person("gv_lan"), "xlsx")
    text = data.decode("utf-8-sig")
    assert name.endswith(".csv") and kind.startswith("text/csv") and xname.endswith(".xlsx")
    assert text.splitlines()[0].startswith("Sector ID,Full name,Account,State,Ended at the deadline")
    assert "7926010001,Nguyễn Thị Ánh,hs_anh,Handed in,No" in text and "Accepted as it is" in text
    from openpyxl import load_workbook
    sheet = load_workbook(io.BytesIO(book)).active
    assert sheet.cell(1, 1).value == "Sector ID" and sheet.max_row == 7


def test_the_summary_names_flagged_pairs_and_attempts_ended_by_the_deadline(sat):
    pair = type("Pair", (), {"a": "hs_anh", "b": "hs_binh"})()
    screened = type("Screening", (), {"pairs": [pair]})()
    test = make_test()
    with freeze_time(local(8, 10)):
        opened = attempts.start(test, person("hs_chau"), request_id="c", code=CODE)
    with freeze_time(local(9, 0)):  # 45 minutes and the grace are over: the next request ends it
        assert attempts.summary(test, person("hs_chau"))["state"] == states.FINALISED
        from vn_online_teaching.assessment import ending
        ending.finalise_due()
    rows = {r["user"]: r for r in summary.rows(test, person("gv_lan"), screened=screened)}
    assert rows["hs_anh"]["flagged_with"] == ["Trần Văn Bình"] and rows["hs_binh"]["flagged_with"] == ["Nguyễn Thị Ánh"]
    assert rows["hs_chau"]["ended_by_deadline"] and opened["state"] == states.IN_PROGRESS
    assert summary.screen_sitting(USAGE) is not None  # three ended attempts of four questions are screened
