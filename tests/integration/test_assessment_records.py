"""periodic_assessment's records on the workbench database, through the records functions the
block will call (there is no block yet): the attempt's life on a frozen server clock (start with
the access code, save, resume, hand in; the deadline with extra time and cut at the close; late
saves refused and recorded; the periodic job ending abandoned attempts), idempotent saves, one
device at a time, the board's actions (remote decisions, accommodations, window changes, device
release) audited, marking with history, and the answer sheet sealed in the audit chain."""
import dataclasses
import datetime as dt
import hashlib
import io
import json
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from freezegun import freeze_time

from vn_online_teaching.assessment import access_code, attempts, ending, evidence, marking, questions, scoring, sitting, states
from vn_online_teaching.assessment import blueprint as blueprints
from vn_online_teaching.assessment import paper as papers
from vn_online_teaching.assessment.models import Accommodation, Answer, Attempt, IntegrityEvent, ScoreHistory
from vn_online_teaching.assessment import records
from vn_online_teaching.core import audit
from vn_online_teaching.core.actors import Actor
from vn_online_teaching.core.errors import RequestError
from vn_online_teaching.core.models import AuditEntry
from vn_online_teaching.demo.load import load_people
from vn_online_teaching.demo.people import COURSE_KEY, ORG, PEOPLE

ICT = ZoneInfo("Asia/Ho_Chi_Minh")
CODE = "AB12CD"
USAGE = "block-v1:THPTNamLoi+TOAN10+2025_HK1+type@periodic_assessment+block@giua_ky_1"
STUDENTS = ["hs_anh", "hs_binh", "hs_chau", "hs_duc", "hs_ha", "hs_huy"]


def local(hour, minute, second=0):
    """An instant on Monday 20 October 2025 (the mid-term week), in school time."""
    return dt.datetime(2025, 10, 20, hour, minute, second, tzinfo=ICT)


def person(username):
    name, _email, role, *_rest = PEOPLE[username]
    return Actor(user_key=username, username=username, full_name=name, platform_role=role)


def _question(fmt, level, n, **extra):
    data = {"id": f"{fmt}-{n}", "format": fmt, "topic": "Hàm số", "level": level, "stem": f"<p>Câu {fmt} {n}</p>"}
    if fmt == questions.MCQ:
        data.update(options=[f"<p>{n}{letter}</p>" for letter in "ABCD"], answer="B")
    elif fmt == questions.TRUE_FALSE:
        data.update(statements=[f"ý {n}{letter}" for letter in "abcd"], answers=[True, False, True, False])
    elif fmt == questions.SHORT_ANSWER:
        data.update(kind="number", number="2.5", tolerance="0")
    else:
        data.update(points="3", guide="<p>Đủ ý: 3 điểm</p>")
    data.update(extra)
    return questions.from_dict(data)


BANK = ([_question(questions.MCQ, "biet", n) for n in range(6)]
        + [_question(questions.TRUE_FALSE, "hieu", n) for n in range(3)]
        + [_question(questions.SHORT_ANSWER, "van_dung", n) for n in range(3)]
        + [_question(questions.ESSAY, "van_dung", n) for n in range(2)])
OBJECTIVE = blueprints.from_dict({"cells": [
    {"topic": "Hàm số", "level": "biet", "format": "mcq", "count": 4},
    {"topic": "Hàm số", "level": "hieu", "format": "true_false", "count": 2},
    {"topic": "Hàm số", "level": "van_dung", "format": "short", "count": 2}]})
WITH_ESSAY = blueprints.from_dict({"cells": [*blueprints.to_dict(OBJECTIVE)["cells"],
                                             {"topic": "Hàm số", "level": "van_dung", "format": "essay", "count": 1}]})


def make_test(**changes):
    """Giữa kỳ I, Toán 10A1: 07:30 to 09:30 school time, 45 minutes, at school, code AB12CD."""
    values = dict(usage_key=USAGE, course_key=COURSE_KEY, org=ORG, class_name="10A1", subject="Toán",
                  opens=local(7, 30), closes=local(9, 30), minutes=45, code_hash=access_code.hash_code(CODE),
                  grace_seconds=30, bank=BANK, blueprint=OBJECTIVE, title="Kiểm tra giữa kỳ I")
    values.update(changes)
    return records.Test(**values)


@pytest.fixture
def people(db):
    load_people()
    return True


def begin(test, user="hs_anh", at=None, request_id=None, code=CODE, ip="10.0.0.7"):
    with freeze_time(at or local(7, 40)):
        return attempts.start(test, person(user), request_id=request_id or f"browser-{user}", code=code, ip=ip,
                              user_agent="Mozilla/5.0 (Android)")


def fails(fn, *args, **kwargs):
    """The refusal ``fn`` raises: (status, code)."""
    with pytest.raises(RequestError) as caught:
        fn(*args, **kwargs)
    return caught.value.status, caught.value.code


def mcq_positions(opened):
    return [item["position"] for item in opened["paper"]["items"] if item["format"] == "mcq"]


def attempt_of(user="hs_anh"):
    return Attempt.objects.get(usage_key=USAGE, user_key=user)


def shown(position, bank_letter, user="hs_anh"):
    """The letter the student was shown for the bank's option ``bank_letter`` at ``position``."""
    return "ABCD"[evidence.delivered_paper(attempt_of(user)).item(position).order.index(bank_letter)]


# ------------------------------------------------------------------ the attempt's life

def test_start_save_resume_and_hand_in(people):
    test = make_test()
    opened = begin(test)
    assert opened["state"] == states.IN_PROGRESS and opened["remaining"] == 45 * 60
    assert opened["deadline"] == "2025-10-20T01:25:00.000000Z"  # 07:40 + 45 min, school time 08:25
    assert len(opened["paper"]["items"]) == OBJECTIVE.questions
    page = json.dumps(opened["paper"], ensure_ascii=False)
    assert '"answer"' not in page and "2.5" not in page and "points" not in page  # no key reaches the browser
    device = opened["device"]
    first, second = mcq_positions(opened)[:2]
    right, wrong = shown(first, "B"), shown(second, "C")  # the key of every multiple-choice question is B
    with freeze_time(local(7, 50)):
        saved = attempts.save(test, person("hs_anh"), device, [{"seq": 1, "position": first, "response": right}])
    assert saved["results"] == [{"seq": 1, "outcome": "saved"}] and saved["remaining"] == 35 * 60
    with freeze_time(local(7, 55)):  # the page reloaded: the same browser continues
        again = attempts.resume(test, person("hs_anh"), device)
    assert again["answers"] == {str(first): right} and again["last_seq"] == 1
    with freeze_time(local(8, 0)):
        done = attempts.submit(test, person("hs_anh"), device, [{"seq": 2, "position": second, "response": wrong}])
    assert done["state"] == states.SUBMITTED and "paper" not in done
    attempt = attempt_of()
    assert Answer.objects.filter(attempt=attempt).count() == 2
    result = scoring.Result.from_record(attempt.result)
    assert (result.raw, result.maximum) == (scoring.to_decimal("0.25"), 4)  # of 4 × 0.25 + 2 × 1 + 2 × 0.5
    assert attempt.result["score"] == "0.6"  # 0.25 × 10 ÷ 4 = 0.625, half up
    entry = AuditEntry.objects.get(action="assessment.submit")
    assert entry.data["sheet_hash"] == attempt.sheet_hash and entry.data["answers"] == 2
    assert entry.actor_key == "hs_anh" and entry.actor_role == "student"
    # one attempt: starting again is refused, handing in again answers the same
    assert fails(begin, test, at=local(8, 5)) == (409, "taken")
    with freeze_time(local(8, 5)):
        assert attempts.submit(test, person("hs_anh"), device)["state"] == states.SUBMITTED
    assert AuditEntry.objects.filter(action="assessment.submit").count() == 1
    assert evidence.verify_attempt(attempt).ok and audit.verify().ok


def test_the_delivered_paper_is_stored_and_drawn_again_from_its_seed(people):
    test = make_test()
    begin(test)
    begin(test, "hs_binh")
    anh, binh = attempt_of("hs_anh"), attempt_of("hs_binh")
    assert anh.seed != binh.seed and anh.paper != binh.paper
    again = papers.assemble(BANK, OBJECTIVE, anh.seed, scoring.policy_for(ORG, "Toán"))
    assert evidence.delivered_paper(anh) == again
    assert anh.paper_hash == evidence.digest(anh.paper)


def test_a_start_needs_the_access_code_and_a_wrong_one_is_recorded(people):
    test = make_test()
    assert fails(begin, test, code="") == (400, "code_required")
    assert fails(begin, test, code="ZZZZZZ") == (400, "wrong_code")
    assert not Attempt.objects.exists()
    wrong = IntegrityEvent.objects.get(kind=evidence.WRONG_CODE)
    assert wrong.user_key == "hs_anh" and wrong.source == "server" and wrong.at == local(7, 40)
    assert begin(test, code=" ab12 cd ")["state"] == states.IN_PROGRESS  # read aloud, typed with spaces


def test_guessing_the_access_code_is_limited_and_audited(people):
    test = make_test()
    for minute in range(10):
        assert fails(begin, test, code=f"WRONG{minute}", at=local(7, 40 + minute // 2)) == (400, "wrong_code")
    assert fails(begin, test, at=local(7, 45)) == (429, "too_many_codes")  # even the right code must wait
    entry = AuditEntry.objects.get(action="assessment.code_limit")
    assert entry.data == {"usage_key": USAGE, "user": "hs_anh", "wrong_codes": 10}
    assert begin(test, "hs_binh", at=local(7, 45))["state"] == states.IN_PROGRESS  # one student's guesses only
    assert begin(test, at=local(7, 55))["state"] == states.IN_PROGRESS  # ten minutes after the first guesses


def test_only_learners_of_the_class_take_the_test(people):
    test = make_test()
    assert fails(begin, test, user="gv_lan") == (403, "forbidden")
    anonymous = Actor(user_key="", username="", full_name="", platform_role="anonymous")
    with freeze_time(local(7, 40)):
        assert fails(attempts.start, test, anonymous, code=CODE) == (403, "forbidden")
    assert fails(begin, make_test(class_name="11B2")) == (403, "forbidden")
    assert not Attempt.objects.exists()


def test_nothing_is_saved_before_a_start(people):
    test = make_test()
    with freeze_time(local(7, 40)):
        assert fails(attempts.save, test, person("hs_anh"), "x", [{"seq": 1, "position": 1, "response": "A"}]) == (
            404, "not_found")
    begin(test, "hs_binh")
    with freeze_time(local(7, 41)):
        assert fails(attempts.resume, test, person("hs_anh"), "x") == (404, "not_found")


def test_the_window_is_the_servers(people):
    test = make_test()
    assert fails(begin, test, at=local(7, 29)) == (409, "not_open")
    assert fails(begin, test, at=local(9, 30)) == (409, "closed")
    assert not Attempt.objects.exists() and not IntegrityEvent.objects.exists()


# ------------------------------------------------------------------ deadlines

def test_extra_time_moves_the_deadline_but_never_past_the_close(people):
    test = make_test()
    with freeze_time(local(7, 35)):  # granted before the student starts
        sitting.grant_extra_time(test, person("gv_lan"), "hs_binh", 10, "Học sinh khuyết tật vận động")
    assert begin(test, "hs_binh")["deadline"] == "2025-10-20T01:35:00.000000Z"  # 07:40 + 45 + 10
    late = begin(test, "hs_anh", at=local(8, 30))
    assert late["deadline"] == "2025-10-20T02:15:00.000000Z"  # 08:30 + 45 = 09:15
    with freeze_time(local(8, 40)):
        granted = sitting.grant_extra_time(test, person("gv_lan"), "hs_anh", 20, "Mất điện phòng máy 10 phút")
    assert granted["deadline"] == "2025-10-20T02:30:00.000000Z"  # 09:35 cut at the close, 09:30
    assert granted["total"] == 20
    with freeze_time(local(8, 41)):
        assert fails(sitting.grant_extra_time, test, person("gv_lan"), "hs_anh", 41, "Thêm nữa") == (
            400, "out_of_range")
        assert fails(sitting.grant_extra_time, test, person("gv_lan"), "hs_anh", 5, "") == (400, "required")
        assert fails(sitting.grant_extra_time, test, person("hs_binh"), "hs_anh", 5, "Em xin") == (403, "forbidden")
    assert Accommodation.objects.count() == 2
    entries = AuditEntry.objects.filter(action="assessment.extra_time").order_by("seq")
    assert [(e.actor_key, e.actor_role, e.data["user"], e.data["minutes"]) for e in entries] == [
        ("gv_lan", "teacher", "hs_binh", 10), ("gv_lan", "teacher", "hs_anh", 20)]
    assert entries[1].data["reason"] == "Mất điện phòng máy 10 phút"
    assert entries[1].data["deadline"] == granted["deadline"]
    assert [a["reason"] for a in evidence.accommodations(USAGE, "hs_binh")] == ["Học sinh khuyết tật vận động"]


def test_a_save_in_the_grace_counts_a_later_one_is_refused_and_recorded(people):
    test = make_test()
    opened = begin(test)  # deadline 08:25, grace 30 s
    device, position = opened["device"], mcq_positions(opened)[0]
    with freeze_time(local(8, 25, 20)):
        saved = attempts.save(test, person("hs_anh"), device, [{"seq": 1, "position": position, "response": "B"}])
    assert saved["results"][0]["outcome"] == "saved" and saved["remaining"] == 0
    with freeze_time(local(8, 25, 31)):
        refused = fails(attempts.save, test, person("hs_anh"), device, [{"seq": 2, "position": position,
                                                                          "response": "A"}])
    assert refused == (409, "time_up")
    attempt = attempt_of()
    assert attempt.state == states.FINALISED  # the late request ended it on the way
    assert list(Answer.objects.filter(attempt=attempt).values_list("response", flat=True)) == ["B"]
    late = IntegrityEvent.objects.get(kind=evidence.LATE_SAVE)
    assert late.at == local(8, 25, 31) and late.data["late_seconds"] == 31 and late.data["saves"][0]["seq"] == 2
    assert AuditEntry.objects.get(action="assessment.finalise").data["last_seq"] == 1
    assert evidence.verify_attempt(attempt).ok


def test_the_periodic_job_ends_attempts_whose_browser_is_gone(people):
    test = make_test()
    opened = begin(test)
    begin(test, "hs_binh", at=local(8, 30))  # still answering at 08:30
    with freeze_time(local(7, 45)):
        attempts.save(test, person("hs_anh"), opened["device"], [{"seq": 1, "position": 1, "response": "B"}])
    out = io.StringIO()
    with freeze_time(local(8, 30)):  # hs_anh closed the laptop at 07:45
        call_command("finalise_attempts", stdout=out)
    assert out.getvalue().strip().endswith(": 1.")
    anh, binh = attempt_of("hs_anh"), attempt_of("hs_binh")
    assert anh.state == states.FINALISED and anh.ended_at == local(8, 30) and anh.result is not None
    assert binh.state == states.IN_PROGRESS
    entry = AuditEntry.objects.get(action="assessment.finalise")
    assert entry.actor_key == "" and entry.data["user"] == "hs_anh" and entry.data["answers"] == 1
    with freeze_time(local(8, 31)):
        assert ending.finalise_due() == 0  # nothing left to end: no second entry
    assert evidence.verify_sitting(USAGE) == [] and audit.verify().ok
    with freeze_time(local(8, 40)):
        ended = attempts.resume(test, person("hs_anh"), "any device")  # an ended attempt needs no device
    assert ended["state"] == states.FINALISED and "paper" not in ended


# ------------------------------------------------------------------ saves

def test_the_same_save_twice_is_one_record_and_an_older_one_never_wins(people):
    test = make_test()
    opened = begin(test)
    device, position = opened["device"], mcq_positions(opened)[0]
    anh = person("hs_anh")
    with freeze_time(local(7, 50)):
        assert attempts.save(test, anh, device, [{"seq": 3, "position": position, "response": "A"}])["results"] == [
            {"seq": 3, "outcome": "saved"}]
        again = attempts.save(test, anh, device, [{"seq": 3, "position": position, "response": "A"}])
        older = attempts.save(test, anh, device, [{"seq": 2, "position": position, "response": "C"}])
    assert again["results"] == [{"seq": 3, "outcome": "already"}]
    assert older["results"] == [{"seq": 2, "outcome": "stale"}] and older["last_seq"] == 3
    assert Answer.objects.count() == 1
    assert {p: r.response for p, r in evidence.sheet(attempt_of()).items()} == {position: "A"}
    with freeze_time(local(7, 51)):
        assert fails(attempts.save, test, anh, device, [{"seq": 3, "position": position, "response": "D"}]) == (
            409, "seq_reused")
        # a batch with one bad answer saves none of it
        batch = [{"seq": 4, "position": position, "response": "B"}, {"seq": 5, "position": 1, "response": "E"}]
        assert fails(attempts.save, test, anh, device, batch) == (400, "bad_answer")
        assert fails(attempts.save, test, anh, device, [{"seq": 6, "position": 99, "response": "B"}]) == (
            400, "bad_position")
    assert Answer.objects.count() == 1


def test_answers_are_kept_as_shown_and_read_in_the_banks_terms(people):
    test = make_test()
    opened = begin(test)
    items = {item["format"]: item["position"] for item in opened["paper"]["items"]}
    with freeze_time(local(7, 50)):
        attempts.save(test, person("hs_anh"), opened["device"], [
            {"seq": 1, "position": items["mcq"], "response": "A"},
            {"seq": 2, "position": items["true_false"], "response": {"b": False, "a": True}},
            {"seq": 3, "position": items["short"], "response": " 2,5 "}])
    attempt = attempt_of()
    kept = {r.position: r.response for r in evidence.sheet(attempt).values()}
    assert kept[items["true_false"]] == {"a": True, "b": False} and kept[items["short"]] == "2,5"
    delivered = evidence.delivered_paper(attempt)
    shown_a = delivered.item(items["mcq"]).order[0]
    bank = evidence.bank_answers(attempt)
    assert bank[delivered.item(items["mcq"]).question.id] == shown_a
    history = evidence.answer_history(USAGE, "hs_anh")
    assert [h.seq for h in history] == [1, 2, 3] and all(h.saved_at == local(7, 50) for h in history)


# ------------------------------------------------------------------ one device at a time

def test_another_device_is_refused_and_recorded(people):
    test = make_test()
    opened = begin(test, request_id="phone")
    assert begin(test, request_id="phone", at=local(7, 41))["device"] == opened["device"]  # a retried start
    assert fails(begin, test, request_id="laptop", at=local(7, 42)) == (409, "other_device")
    with freeze_time(local(7, 43)):
        assert fails(attempts.save, test, person("hs_anh"), "stolen", [{"seq": 1, "position": 1, "response": "A"}]) == (
            409, "other_device")
        assert fails(attempts.resume, test, person("hs_anh"), "") == (409, "other_device")
    refused = evidence.events(USAGE, "hs_anh", kinds=[evidence.DEVICE_REFUSED])
    assert [e.data["action"] for e in refused] == ["start", "save", "resume"]
    assert not Answer.objects.exists() and Attempt.objects.count() == 1


def test_the_board_releases_a_device_with_a_reason(people):
    test = make_test()
    opened = begin(test, request_id="old-laptop")
    with freeze_time(local(7, 50)):
        assert fails(sitting.release_device, test, person("hs_binh"), "hs_anh", "tự giải phóng") == (403, "forbidden")
        assert fails(sitting.release_device, test, person("gv_lan"), "hs_anh", "  ") == (400, "required")
        sitting.release_device(test, person("gv_lan"), "hs_anh", "Máy tính số 12 hỏng màn hình")
        assert fails(sitting.release_device, test, person("gv_lan"), "hs_anh", "lần nữa") == (409, "not_bound")
    entry = AuditEntry.objects.get(action="assessment.release_device")
    assert entry.data["reason"] == "Máy tính số 12 hỏng màn hình" and entry.actor_role == "teacher"
    with freeze_time(local(7, 51)):
        assert fails(attempts.save, test, person("hs_anh"), opened["device"],
                     [{"seq": 1, "position": 1, "response": "A"}]) == (409, "device_released")
    assert fails(begin, test, request_id="computer-13", code="", at=local(7, 52)) == (400, "code_required")
    moved = begin(test, request_id="computer-13", at=local(7, 52), ip="10.0.0.13")
    assert moved["device"] != opened["device"] and moved["deadline"] == opened["deadline"]
    with freeze_time(local(7, 53)):
        attempts.save(test, person("hs_anh"), moved["device"], [{"seq": 1, "position": 1, "response": "A"}])
    kinds = [e.kind for e in evidence.events(USAGE, "hs_anh")]
    assert kinds == [evidence.DEVICE_RELEASED, evidence.DEVICE_REFUSED]
    assert audit.verify().ok


def test_a_changed_address_is_recorded(people):
    test = make_test()
    opened = begin(test, ip="10.0.0.7")
    with freeze_time(local(7, 50)):
        attempts.save(test, person("hs_anh"), opened["device"], [{"seq": 1, "position": 1, "response": "A"}],
                      ip="113.160.1.2")
    change = IntegrityEvent.objects.get(kind=evidence.ADDRESS_CHANGE)
    assert change.data == {"before": "10.0.0.7", "after": "113.160.1.2"}


def test_client_signals_are_kept_at_the_servers_time(people):
    test = make_test()
    opened = begin(test)
    browser_clock = int(local(7, 44, 58).timestamp() * 1000)
    with freeze_time(local(7, 45)):
        out = attempts.signal(test, person("hs_anh"), opened["device"], [
            {"kind": "page_hidden", "at": browser_clock}, {"kind": "paste", "position": 3}, {"kind": "second_tab",
                                                                                            "at": 1}])
    assert out == {"recorded": 3}
    rows = evidence.events(USAGE, "hs_anh", source="client")
    assert [r.kind for r in rows] == ["page_hidden", "paste", "second_tab"]
    assert all(r.at == local(7, 45) for r in rows)
    assert rows[0].client_at == local(7, 44, 58) and rows[2].client_at is None  # a browser clock far off is not kept
    assert rows[1].data == {"position": 3}
    with freeze_time(local(7, 46)):
        assert fails(attempts.signal, test, person("hs_anh"), "other", [{"kind": "copy"}]) == (409, "other_device")
    assert not AuditEntry.objects.exists()  # signals and saves are their own records


# ------------------------------------------------------------------ remote sittings

def test_a_remote_sitting_needs_the_head_of_schools_decision(people):
    test = make_test(mode="remote")
    assert fails(begin, test) == (409, "remote_without_decision")
    with freeze_time(local(7, 0)):
        reason = "Lũ lụt, đường đến trường bị chia cắt"
        assert fails(sitting.decide_remote, test, person("gv_lan"), reason, ["hs_anh"]) == (403, "forbidden")
        assert fails(sitting.decide_remote, test, person("ht_hung"), "", ["hs_anh"]) == (400, "required")
        assert fails(sitting.decide_remote, test, person("ht_hung"), reason, ["gv_nam"]) == (400, "not_learner")
        decided = sitting.decide_remote(test, person("ht_hung"), reason, ["hs_anh", "hs_chau"])
    assert decided["students"] == ["hs_anh", "hs_chau"]
    entry = AuditEntry.objects.get(action="assessment.remote_decision")
    assert entry.actor_key == "ht_hung" and entry.actor_role == "principal" and entry.data["reason"] == reason
    assert entry.data["students"] == ["hs_anh", "hs_chau"]
    assert begin(test)["state"] == states.IN_PROGRESS
    assert attempt_of().mode == "remote"
    assert fails(begin, test, user="hs_binh") == (403, "remote_not_decided")
    listed = evidence.decisions(USAGE)
    assert listed[0]["decided_by"] == "ht_hung" and listed[0]["decided_at"] == local(7, 0)


def test_a_remote_sitting_is_not_opened_early_without_a_decision(people):
    test = make_test(mode="remote")
    with freeze_time(local(7, 0)):
        assert fails(sitting.change_window, test, person("gv_lan"), "open_now", "Học sinh đến sớm") == (
            409, "remote_without_decision")
    assert not AuditEntry.objects.exists()


# ------------------------------------------------------------------ the board's changes

def test_reopening_after_a_lost_connection_is_audited_and_needs_the_code(people):
    test = make_test()
    opened = begin(test)
    with freeze_time(local(8, 0)):
        attempts.submit(test, person("hs_anh"), opened["device"], [{"seq": 1, "position": 1, "response": "B"}])
    with freeze_time(local(8, 10)):
        assert fails(sitting.reopen, test, person("gv_lan"), "hs_anh", 15, "") == (400, "required")
        assert fails(sitting.reopen, test, person("hs_anh"), "hs_anh", 15, "Mất mạng") == (403, "forbidden")
        reopened = sitting.reopen(test, person("gv_lan"), "hs_anh", 15, "Mất kết nối lúc 07:58, đã nộp nhầm")
    assert reopened["deadline"] == "2025-10-20T01:25:00.000000Z"  # 08:10 + 15 min
    entry = AuditEntry.objects.get(action="assessment.reopen")
    assert entry.data["state"] == [states.SUBMITTED, states.REOPENED] and entry.data["minutes"] == 15
    assert Accommodation.objects.get(kind="reopen").reason.startswith("Mất kết nối")
    assert fails(begin, test, code="", at=local(8, 12)) == (400, "code_required")
    again = begin(test, request_id="another", at=local(8, 12))
    assert again["answers"] == {"1": "B"} and again["remaining"] == 13 * 60
    with freeze_time(local(8, 14)):
        attempts.submit(test, person("hs_anh"), again["device"], [{"seq": 2, "position": 2, "response": "B"}])
    assert AuditEntry.objects.filter(action="assessment.submit").count() == 2
    assert evidence.verify_attempt(attempt_of()).ok


def test_closing_early_and_extending_move_the_deadlines(people):
    test = make_test()
    begin(test)  # deadline 08:25
    with freeze_time(local(8, 0)):
        assert fails(sitting.change_window, test, person("gv_lan"), "close_now", "") == (400, "required")
        closed = sitting.change_window(test, person("gv_lan"), "close_now", "Báo cháy, sơ tán")
    assert closed["state"] == "closed" and attempt_of().deadline_at == local(8, 0)
    with freeze_time(local(8, 0, 10)):
        extended = sitting.change_window(test, person("tt_minh"), "extend", "Hết báo động, thi tiếp",
                                         until=local(10, 0))
    assert extended["closes"] == "2025-10-20T03:00:00.000000Z" and attempt_of().deadline_at == local(8, 25)
    changes = evidence.window_changes(USAGE)
    assert [c["kind"] for c in changes] == ["close_now", "extend"] and changes[1]["by_key"] == "tt_minh"
    assert [e.data["kind"] for e in AuditEntry.objects.filter(action="assessment.window_change")] == [
        "close_now", "extend"]
    with freeze_time(local(8, 1)):
        assert fails(sitting.change_window, test, person("hs_anh"), "close_now", "x") == (403, "forbidden")


def test_the_author_changing_the_limit_moves_deadlines_of_attempts_still_open(people):
    begin(make_test())
    begin(make_test(minutes=60), "hs_binh", at=local(7, 45))
    assert attempt_of("hs_anh").deadline_at == local(8, 40)  # 07:40 + 60
    assert attempt_of("hs_binh").deadline_at == local(8, 45)


# ------------------------------------------------------------------ tamper evidence

def test_the_sealed_sheet_catches_a_changed_answer_or_event(people):
    test = make_test()
    opened = begin(test)
    with freeze_time(local(7, 50)):
        attempts.signal(test, person("hs_anh"), opened["device"], [{"kind": "paste"}])
        attempts.submit(test, person("hs_anh"), opened["device"], [{"seq": 1, "position": 1, "response": "B"}])
    attempt = attempt_of()
    assert evidence.verify_attempt(attempt).ok
    Answer.objects.filter(attempt=attempt).update(response="C")
    check = evidence.verify_attempt(attempt)
    assert not check.ok and check.reason == "the answer sheet changed"
    Answer.objects.filter(attempt=attempt).update(response="B")
    IntegrityEvent.objects.filter(kind="paste").delete()
    assert evidence.verify_attempt(attempt).reason == "the integrity events changed"
    assert [c.user_key for c in evidence.verify_sitting(USAGE)] == ["hs_anh"]
    assert audit.verify().ok  # the chain itself is intact: the records changed behind it


def test_a_changed_paper_or_a_missing_seal_is_caught(people):
    test = make_test()
    opened = begin(test)
    with freeze_time(local(7, 50)):
        attempts.submit(test, person("hs_anh"), opened["device"])
    paper = attempt_of().paper
    Attempt.objects.filter(pk=attempt_of().pk).update(paper={**paper, "seed": "other"})
    assert evidence.verify_attempt(attempt_of()).reason == "the delivered paper changed"
    Attempt.objects.filter(pk=attempt_of().pk).update(paper=paper)
    assert evidence.verify_attempt(attempt_of()).ok
    AuditEntry.objects.filter(action="assessment.submit").delete()  # bypassing the model's refusal
    assert evidence.verify_attempt(attempt_of()).reason == "finalised but not in the audit log"
    assert not audit.verify().ok


# ------------------------------------------------------------------ marking

def _ended_with_essay(user="hs_anh"):
    test = make_test(blueprint=WITH_ESSAY)
    opened = begin(test, user)
    essay = next(i["position"] for i in opened["paper"]["items"] if i["format"] == "essay")
    with freeze_time(local(8, 0)):
        attempts.submit(test, person(user), opened["device"], [{"seq": 1, "position": essay, "response": "Bài làm"}])
    return test, essay


def test_essays_are_marked_then_released_and_a_remark_keeps_history(people):
    test, essay = _ended_with_essay()
    with freeze_time(local(10, 0)):
        assert fails(marking.publish, test, person("gv_lan")) == (409, "unmarked")
        assert fails(marking.mark_essay, test, person("gv_lan"), "hs_anh", essay, "3.1") == (400, "bad_mark")
        assert fails(marking.mark_essay, test, person("gv_lan"), "hs_anh", 1, "1") == (400, "not_essay")
        result = marking.mark_essay(test, person("gv_lan"), "hs_anh", essay, "2.5", comment="Thiếu kết luận")
    assert result["unmarked"] == [] and attempt_of().state == states.MARKED
    with freeze_time(local(10, 5)):
        assert marking.publish(test, person("gv_lan")) == 1
        assert attempts.resume(test, person("hs_anh"), "")["result"]["score"] == result["score"]
        assert fails(marking.mark_essay, test, person("gv_lan"), "hs_anh", essay, "3") == (400, "required")
        marking.mark_essay(test, person("tt_minh"), "hs_anh", essay, "3", reason="Phúc khảo: đủ ý")
    history = evidence.score_history(attempt_of())
    assert [h["kind"] for h in history] == ["mark", "remark"] and history[1]["reason"] == "Phúc khảo: đủ ý"
    assert history[1]["changes"][0]["old"] == "2.5" and history[1]["changes"][0]["new"] == "3"
    assert attempt_of().state == states.PUBLISHED
    assert [e.action for e in AuditEntry.objects.filter(action__startswith="assessment.").order_by("seq")] == [
        "assessment.submit", "assessment.mark_essay", "assessment.publish", "assessment.mark_essay"]


def test_a_corrected_key_rescores_ended_attempts_with_history(people):
    test = make_test()
    opened = begin(test)
    delivered = evidence.delivered_paper(attempt_of())
    first = delivered.items[0]
    shown_c = "ABCD"[first.order.index("C")]  # the letter hs_anh saw for bank option C
    with freeze_time(local(8, 0)):
        attempts.submit(test, person("hs_anh"), opened["device"], [{"seq": 1, "position": 1, "response": shown_c}])
    before = attempt_of().result["raw"]
    fixed = dataclasses.replace(first.question, answer="C")
    with freeze_time(local(11, 0)):
        assert fails(marking.correct_key, test, person("gv_lan"), fixed, "") == (400, "required")
        changed = marking.correct_key(test, person("gv_lan"), fixed, "Đáp án in nhầm: đúng là C")
    assert changed == [{"user": "hs_anh", "old": attempt_of().score_history.get().change["old"]["score"],
                        "new": attempt_of().result["score"]}]
    assert scoring.to_decimal(attempt_of().result["raw"]) == scoring.to_decimal(before) + first.points
    assert evidence.delivered_paper(attempt_of()).items[0].question.answer == "B"  # stored as delivered
    assert ScoreHistory.objects.get().kind == "correct_key"
    entry = AuditEntry.objects.get(action="assessment.correct_key")
    assert entry.data["key"] == {"answer": "C"} and entry.data["rescored"] == changed
    assert evidence.verify_attempt(attempt_of()).ok  # the delivered paper stays as delivered


# ------------------------------------------------------------------ reading

def test_the_board_reads_the_sitting(people):
    test = make_test()
    begin(test)
    with freeze_time(local(7, 50)):
        sitting.grant_extra_time(test, person("gv_lan"), "hs_binh", 5, "Chậm đọc")
        view = sitting.overview(test, person("vt_thu"))
        assert fails(sitting.overview, test, person("hs_anh")) == (403, "forbidden")
        assert fails(sitting.overview, test, person("gv_nam")) == (403, "forbidden")  # another subject
    rows = {row["user"]: row for row in view["students"]}
    assert set(rows) == set(STUDENTS)
    assert rows["hs_anh"]["state"] == states.IN_PROGRESS and rows["hs_anh"]["device_bound"]
    assert rows["hs_binh"]["state"] == states.NOT_STARTED and rows["hs_binh"]["extra_minutes"] == 5
    assert view["window"]["state"] == "open" and "assessment.view_results" in view["can"]


def test_the_handlers_schemas_take_what_the_browser_sends(people):
    from vn_online_teaching.core.validation import validate

    data = validate({"device": "t", "answers": [{"seq": 1, "position": 2, "response": {"a": True}},
                                                {"seq": 2, "position": 3, "response": None}]}, attempts.SAVE_FIELDS)
    assert data["answers"][0]["response"] == {"a": True} and data["answers"][1]["response"] is None
    with pytest.raises(RequestError):
        validate({"device": "t", "signals": [{"kind": "screenshot"}]}, attempts.SIGNAL_FIELDS)
    with pytest.raises(RequestError):
        validate({"device": "t", "answers": [{"seq": 0, "position": 1}]}, attempts.SAVE_FIELDS)
    with pytest.raises(RequestError):
        validate({"kind": "extend", "reason": "  "}, sitting.WINDOW_FIELDS)
    window = validate({"kind": "extend", "reason": "Mất điện", "until_date": "2025-10-20", "until_time": "10:00"},
                      sitting.WINDOW_FIELDS)
    assert sitting.school_instant(window["until_date"], window["until_time"], ORG) == local(10, 0)


# ------------------------------------------------------------------ a refusal writes nothing

def _nothing_written():
    from vn_online_teaching.assessment.models import Sitting

    return not Sitting.objects.exists() and not Attempt.objects.exists() and not AuditEntry.objects.exists()


@pytest.mark.parametrize("action", [
    lambda test: sitting.change_window(test, person("gv_lan"), "close_now", "Đóng sớm"),  # not open yet
    lambda test: sitting.change_window(test, person("gv_lan"), "extend", "Gia hạn", local(7, 0)),
    lambda test: sitting.reopen(test, person("gv_lan"), "hs_anh", 15, "Mất kết nối"),  # no attempt
    lambda test: sitting.release_device(test, person("gv_lan"), "hs_anh", "Máy hỏng"),  # no attempt
    lambda test: sitting.grant_extra_time(test, person("gv_lan"), "hs_anh", 500, "Quá giới hạn"),
    lambda test: sitting.grant_extra_time(test, person("gv_lan"), "gv_nam", 5, "Không phải học sinh"),
    lambda test: sitting.decide_remote(test, person("ht_hung"), "Bão số 3", ["gv_nam"]),
    lambda test: attempts.start(test, person("hs_anh"), request_id="b1", code=CODE),  # before the window
    lambda test: attempts.start(test, person("hs_anh"), request_id="b1", code=""),
])
def test_a_refused_first_action_leaves_no_sitting_row(people, action):
    """The first action on a test is refused by the records function itself (the handlers only
    call it): nothing is written, not even the sitting's row the change would have locked."""
    with freeze_time(local(7, 0)):
        with pytest.raises(RequestError):
            action(make_test())
    assert _nothing_written()


def test_a_refused_action_after_the_first_writes_nothing(people):
    test = make_test()
    begin(test)
    with freeze_time(local(7, 45)):
        before = (AuditEntry.objects.count(), Accommodation.objects.count())
        assert fails(sitting.reopen, test, person("gv_lan"), "hs_binh", 15, "Mất kết nối") == (404, "not_found")
        assert fails(sitting.change_window, test, person("gv_lan"), "open_now", "Mở") == (409, "already_open")
    assert (AuditEntry.objects.count(), Accommodation.objects.count()) == before


# ------------------------------------------------------------------ the gradebook and completion

@pytest.fixture
def gradebook(monkeypatch):
    """What reaches the platform's gradebook and completion (compat's two doors), in order."""
    from vn_online_teaching import compat

    sent = []
    monkeypatch.setattr(compat, "publish_grade", lambda usage, user, earned, possible, block=None, deleted=False:
                        sent.append(("grade", user, earned, possible, deleted)) or True)
    monkeypatch.setattr(compat, "complete_for_user_keys",
                        lambda usage, users: sent.append(("complete", *users)) or len(users))
    return sent


def test_the_gradebook_gets_a_score_only_when_results_are_released(people, gradebook,
                                                                    django_capture_on_commit_callbacks):
    """Handing in, marking and a refused release send nothing; the release sends the score out of
    10; a re-mark after release sends the new score (docs/decisions/0010-grades.md)."""
    with django_capture_on_commit_callbacks(execute=True):
        test, essay = _ended_with_essay()
        with freeze_time(local(10, 0)):
            assert fails(marking.publish, test, person("gv_lan")) == (409, "unmarked")
            marking.mark_essay(test, person("gv_lan"), "hs_anh", essay, "2.5")
    assert gradebook == []
    with django_capture_on_commit_callbacks(execute=True), freeze_time(local(10, 5)):
        marking.publish(test, person("gv_lan"))
    score = float(attempt_of().result["score"])
    assert gradebook == [("grade", "hs_anh", score, 10, False)]
    with django_capture_on_commit_callbacks(execute=True), freeze_time(local(10, 10)):
        marking.mark_essay(test, person("tt_minh"), "hs_anh", essay, "3", reason="Phúc khảo: đủ ý")
    assert gradebook[1:] == [("grade", "hs_anh", float(attempt_of().result["score"]), 10, False)]
    assert gradebook[1][2] > score


def test_the_clock_ending_an_attempt_completes_the_block_for_its_learner(people, gradebook,
                                                                         django_capture_on_commit_callbacks):
    test = make_test()
    begin(test)
    opened = begin(test, "hs_binh")
    with django_capture_on_commit_callbacks(execute=True), freeze_time(local(8, 0)):
        attempts.submit(test, person("hs_binh"), opened["device"])  # handed in: the handler's runtime completes
    assert gradebook == []
    with django_capture_on_commit_callbacks(execute=True), freeze_time(local(8, 30)):
        call_command("finalise_attempts", stdout=io.StringIO())
    assert gradebook == [("complete", "hs_anh")]  # no grade: the results are not released


def test_a_score_taken_back_when_a_released_attempt_is_reopened(people, gradebook,
                                                                django_capture_on_commit_callbacks):
    test = make_test()
    opened = begin(test)
    with django_capture_on_commit_callbacks(execute=True), freeze_time(local(8, 0)):
        attempts.submit(test, person("hs_anh"), opened["device"])
        marking.publish(test, person("gv_lan"))
    with django_capture_on_commit_callbacks(execute=True):
        row = attempt_of()
        row.state = states.next_state(row.state, states.RETAKE, "Được làm lại")  # an integrity decision
        row.save(update_fields=["state", "updated_at"])
    assert [g[0] for g in gradebook] == ["grade", "grade"] and gradebook[1][2:] == (0.0, 10, True)


# ------------------------------------------------------------------ the periodic job as a task

def test_the_task_ends_due_attempts(people):
    from vn_online_teaching.assessment import tasks

    test = make_test()
    begin(test)
    with freeze_time(local(8, 30)):
        assert getattr(tasks.finalise_attempts, "run", tasks.finalise_attempts)() == 1
    assert attempt_of().state == states.FINALISED
    assert hasattr(tasks.finalise_attempts, "delay")  # a Celery task where celery is installed


def test_requests_queue_the_task_once_a_minute_where_workers_take_tasks(db, settings, monkeypatch,
                                                                         django_capture_on_commit_callbacks):
    from django.core.cache import cache

    from vn_online_teaching import compat
    from vn_online_teaching.assessment import tasks

    queued = []
    monkeypatch.setattr(compat, "run_in_background", lambda task, *args: queued.append(task))
    cache.delete(tasks.NUDGE_KEY)
    assert not tasks.nudge()  # no broker here: nothing queued
    settings.CELERY_BROKER_URL, settings.CELERY_TASK_ALWAYS_EAGER = "redis://redis:6379/0", False
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.nudge() and not tasks.nudge()
    assert queued == [tasks.finalise_attempts]
    cache.delete(tasks.NUDGE_KEY)


# ------------------------------------------------------------------ what papers are drawn from

def _held():
    from vn_online_teaching.assessment.models import Sitting

    return Sitting.objects.get(usage_key=USAGE)


def _stored(bank):
    return [questions.to_dict(question) for question in bank]


def test_the_sitting_keeps_the_bank_and_blueprint_papers_are_drawn_from(people):
    """The archive exports each test's bank and blueprint from its sitting (issue 12): the first
    start stores them as stored in the block, keys included, with the bank's SHA-256."""
    begin(make_test())
    held = _held()
    assert held.bank == _stored(BANK) and held.bank[0]["answer"] == "B"
    assert held.bank_hash == hashlib.sha256(audit.canonical_json(held.bank)).hexdigest()
    assert held.blueprint == blueprints.to_dict(OBJECTIVE)


def test_the_sitting_follows_a_changed_bank_or_blueprint_at_the_next_start_or_act(people):
    begin(make_test())
    before = _held().bank_hash
    extra = _question(questions.MCQ, "biet", 9, answer="D")
    begin(make_test(bank=[*BANK, extra]), "hs_binh", at=local(7, 45))  # the author added a question
    held = _held()
    assert held.bank == _stored([*BANK, extra]) and held.bank_hash != before
    assert Attempt.objects.get(user_key="hs_binh").paper_hash  # drawn after the sitting took the new bank
    with freeze_time(local(7, 50)):  # an act of the board brings the blueprint up to date as well
        sitting.grant_extra_time(make_test(bank=[*BANK, extra], blueprint=WITH_ESSAY), person("gv_lan"), "hs_anh",
                                 5, "Chậm đọc")
    assert _held().blueprint == blueprints.to_dict(WITH_ESSAY) and _held().bank_hash == held.bank_hash


def test_an_unchanged_bank_is_not_rewritten_and_a_students_save_does_not_read_it(people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    test = make_test()
    begin(test)
    first = _held().updated_at
    with CaptureQueriesContext(connection) as starting:
        opened = begin(test, "hs_binh", at=local(7, 45))
    assert _held().updated_at == first  # the same bank and blueprint: the row is not written again
    with CaptureQueriesContext(connection) as saving, freeze_time(local(7, 50)):
        attempts.save(test, person("hs_binh"), opened["device"],
                      [{"seq": 1, "position": mcq_positions(opened)[0], "response": "A"}])
        attempts.resume(test, person("hs_binh"), opened["device"])
    column = re.compile(r'\."bank"')
    assert not [q["sql"] for q in [*starting.captured_queries, *saving.captured_queries] if column.search(q["sql"])]


def test_a_sitting_from_before_the_bank_was_kept_gets_it_at_the_next_act(people):
    """The migration gives existing sittings an empty bank and no hash: the next act fills them."""
    begin(make_test())
    type(_held()).objects.filter(usage_key=USAGE).update(bank=[], blueprint={}, bank_hash="")
    with freeze_time(local(7, 50)):
        sitting.grant_extra_time(make_test(), person("gv_lan"), "hs_anh", 5, "Chậm đọc")
    held = _held()
    assert held.bank == _stored(BANK) and held.bank_hash and held.blueprint == blueprints.to_dict(OBJECTIVE)


def test_a_bank_that_no_longer_reads_leaves_the_copy_and_the_boards_acts_work(people):
    begin(make_test())
    kept = _held().bank_hash

    def unreadable():  # a question stored before a rule it breaks was made
        return [questions.from_dict({"id": "old-1", "format": "mcq"})]

    with freeze_time(local(7, 50)):
        sitting.grant_extra_time(make_test(bank=unreadable), person("gv_lan"), "hs_anh", 5, "Chậm đọc")
    assert _held().bank_hash == kept and Accommodation.objects.count() == 1


def test_a_start_reads_the_bank_once_and_the_blocks_stored_form_is_kept_as_it_is(people):
    """The bank is read once per request though the sitting and the paper both need it; given the
    block's stored form, the sitting keeps that, byte for byte, without reading the questions."""
    reads = []

    def bank():
        reads.append(1)
        return BANK

    begin(make_test(bank=bank))
    assert len(reads) == 1 and Attempt.objects.count() == 1
    stored = [dict(question, topic="Hàm số bậc hai") for question in _stored(BANK)]
    with freeze_time(local(7, 50)):
        sitting.grant_extra_time(make_test(bank=bank, stored_bank=lambda: stored, stored_blueprint={"cells": []}),
                                 person("gv_lan"), "hs_anh", 5, "Chậm đọc")
    held = _held()
    assert len(reads) == 1 and held.bank == stored and held.blueprint == {"cells": []}
    assert held.bank_hash == hashlib.sha256(audit.canonical_json(stored)).hexdigest()
