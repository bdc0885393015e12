"""One attempt's integrity report (assessment/integrity/report.py) built from records made here:
the timeline in the server's order, counts per kind, careful wording, and a note for every kind."""
import dataclasses
import datetime as dt

import pytest
from django.utils import translation
from vn_online_teaching.assessment import states
from vn_online_teaching.assessment.evidence import (SERVER_EVENTS, SIGNALS, AnswerRecord, AttemptRecord, EventRecord,
                                                    SheetCheck)
from vn_online_teaching.assessment.integrity import report

UTC = dt.timezone.utc


def at(minute):
    return dt.datetime(2025, 10, 20, 0, 40, tzinfo=UTC) + dt.timedelta(minutes=minute)  # 07:40 school time on


ATTEMPT = AttemptRecord(
    id=7, usage_key="u", user_key="hs_anh", state=states.SUBMITTED, mode="at_school", started_at=at(0),
    deadline_at=at(45), accept_until=at(45), ended_at=at(20), reopened_at=None, paper_hash="p", sheet_hash="s",
    last_seq=2, saves=2, signals=3, ip="10.0.0.7", last_ip="10.0.0.8", user_agent="Mozilla/5.0 (Android)",
    device_bound=True, result=None, published_at=None)


def answer(seq, minute):
    return AnswerRecord(7, "hs_anh", seq, seq, f"mcq-{seq}", "B", at(minute))


def event(pk, kind, minute, source="client", **data):
    return EventRecord(pk, 7, "hs_anh", kind, source, at(minute), None, data)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_the_timeline_holds_every_step_in_the_servers_order():
    events = [event(1, "page_hidden", 5), event(2, "address_change", 7, "server", before="10.0.0.7",
                                                  after="10.0.0.8"), event(3, "page_hidden", 9)]
    decided = [{"verdict": report.ACCEPT, "reason": "Máy khoá màn hình", "by_name": "Nguyễn Thị Lan",
                "by_key": "gv_lan", "at": at(60)}]
    built = report.build(ATTEMPT, [answer(1, 3), answer(2, 8)], events,
                         [{"kind": "extra_time", "minutes": 10, "reason": "Khuyết tật", "by_name": "",
                           "by_key": "gv_lan", "at": at(1)}], decided, ended_by="assessment.submit")
    kinds = [s.kind for s in built.timeline]
    assert kinds == ["start", "extra_time", "save", "page_hidden", "address_change", "save", "page_hidden", "end",
                     "decision"]
    start = built.timeline[0]
    assert start.detail == {"address": "10.0.0.7", "device": "Mozilla/5.0 (Android)", "mode": "at_school"}
    assert built.timeline[4].source == "server" and built.timeline[4].detail["after"] == "10.0.0.8"
    assert built.timeline[-2].detail["how"] == "submitted"
    assert built.counts == {"address_change": 1, "page_hidden": 2} and built.saves == 2
    page = built.as_dict()
    assert page["timeline"][0]["label"] == "Started the test" and page["state_label"] == "Handed in"


def test_the_summary_says_what_was_recorded_and_never_that_anyone_cheated():
    built = report.build(ATTEMPT, [answer(1, 3)], [event(1, "paste", 5), event(2, "page_hidden", 6)],
                         ended_by="assessment.submit")
    text = " ".join(built.summary)
    assert "Answers saved: 1." in text and "10.0.0.7" in text and "Handed in at" in text
    assert "Recorded during the attempt: Left the test's page: 1; Pasted text: 1." in text
    assert "Worth a look: Pasted text." in text and "hear the student" in text
    assert "cheat" not in text.lower()
    assert [n[0] for n in built.notes] == ["page_hidden", "paste"]
    assert "locks its screen" in built.notes[0][3]  # what a hidden page cannot tell


def test_everyday_signals_alone_call_for_no_action_and_a_quiet_attempt_says_so():
    calm = report.build(ATTEMPT, [], [event(1, "page_hidden", 5)], ended_by="assessment.finalise")
    text = " ".join(calm.summary)
    assert "Worth a look" not in text and "call for no action" in text
    assert "Ended by the server at the deadline" in text
    quiet = report.build(ATTEMPT, [], [])
    assert "Nothing unusual was recorded during this attempt." in quiet.summary and quiet.counts == {}


def test_a_broken_seal_is_told_first_to_the_principal():
    broken = report.build(ATTEMPT, check=SheetCheck(7, "hs_anh", False, "the answer sheet changed"))
    assert not broken.sealed_ok and broken.sealed_problem == "the answer sheet changed"
    assert any("tell the principal" in line for line in broken.summary)
    fine = report.build(ATTEMPT, check=SheetCheck(7, "hs_anh", True))
    assert fine.sealed_ok and any("still match" in line for line in fine.summary)


def test_an_open_attempt_has_no_end_step():
    open_attempt = dataclasses.replace(ATTEMPT, state=states.IN_PROGRESS, ended_at=None)
    built = report.build(open_attempt, [answer(1, 3)])
    assert [s.kind for s in built.timeline] == ["start", "save"]
    assert "The attempt has not ended yet." in built.summary


def test_every_signal_and_server_event_says_what_it_can_and_cannot_mean():
    assert set(report.NOTES) == set(SIGNALS) | set(SERVER_EVENTS)
    assert all(can and cannot for can, cannot in report.NOTES.values())
    assert report.WORTH_A_LOOK <= set(report.NOTES)
    assert [n[0] for n in report.all_notes()] == list(report.NOTES)
    assert set(report.VERDICTS) == {"accept", "invalidate", "retake"}
