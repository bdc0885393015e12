"""The side-by-side view's pure parts (assessment/integrity/pair.py) and the timeline's line as
the pages show it (report.Step.as_dict): answers shown with the bank's letters, marked right or
wrong by the key, the bank's order kept whatever order the papers had, and each step's time to
the second in the school's zone with the kinds worth a closer look marked."""
import datetime as dt

import pytest
from django.utils import translation
from vn_online_teaching.assessment import questions
from vn_online_teaching.assessment.integrity import pages, pair, report

MCQ = questions.from_dict({"id": "m1", "format": "mcq", "topic": "T", "level": "biet",
                           "stem": "<p>Giá trị của <b>2 + 2</b> là bao nhiêu? " + "rất dài " * 40 + "</p>",
                           "options": ["<p>3</p>", "<p>4</p>", "<p>5</p>", "<p>6</p>"], "answer": "B"})
TF = questions.from_dict({"id": "t1", "format": "true_false", "topic": "T", "level": "hieu", "stem": "<p>Đ/S</p>",
                          "statements": ["<p>a</p>", "<p>b</p>", "<p>c</p>", "<p>d</p>"],
                          "answers": [True, False, True, False]})
ESSAY = questions.from_dict({"id": "e1", "format": "essay", "topic": "T", "level": "van_dung", "stem": "<p>Viết</p>",
                             "guide": "<p>Hướng dẫn</p>", "points": "2"})


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_answers_are_shown_with_the_banks_letters_and_marked_by_the_key():
    assert pair.show_answer(MCQ, "C") == "C" and pair.is_right(MCQ, "C") is False and pair.is_right(MCQ, "B")
    assert pair.show_answer(MCQ, None) == "" and pair.is_right(MCQ, None) is None
    judged = {"a": True, "b": False, "c": True, "d": False}
    assert pair.show_answer(TF, judged) == "a:T b:F c:T d:F" and pair.is_right(TF, judged)
    assert pair.is_right(TF, {"a": True, "b": True, "c": True, "d": False}) is False
    assert pair.right_answer(MCQ) == "B" and pair.right_answer(TF) == "a:T b:F c:T d:F"
    assert pair.is_right(ESSAY, "Bài làm") is None and pair.right_answer(ESSAY) == ""
    assert len(pair.show_answer(ESSAY, "x" * 500)) == pair.STEM_CHARS


def test_the_stem_is_plain_text_and_short():
    stem = pair._stem(MCQ)
    assert stem.startswith("Giá trị của 2 + 2 là bao nhiêu?") and "<" not in stem
    assert len(stem) == pair.STEM_CHARS and stem.endswith("…")


def test_the_banks_order_whatever_the_papers_order():
    class Test:
        def questions(self):
            return [MCQ, TF, ESSAY]
    a = {"e1": ESSAY, "m1": MCQ}                       # shuffled papers, each its own order
    b = {"t1": TF, "old": MCQ, "m1": MCQ}              # "old": no longer in the bank
    assert pair.bank_order(Test(), a, b) == ["m1", "t1", "e1", "old"]


def test_a_timeline_step_shows_its_time_to_the_second_and_whether_it_is_worth_a_look():
    moment = dt.datetime(2025, 10, 20, 0, 41, 7, tzinfo=dt.UTC)
    shown = report.Step(moment, "paste", "client", report.kind_label("paste")).as_dict("THPTNamLoi")
    assert shown["time"] == "07:41:07" and shown["worth_a_look"] and shown["label"] == "Pasted text"
    quiet = report.Step(moment, "page_hidden", "client", report.kind_label("page_hidden")).as_dict()
    assert not quiet["worth_a_look"]
    assert report.Step(None, "end", "server", "x").as_dict()["time"] == ""


def test_a_steps_details_are_named_in_the_readers_language_and_hashes_left_out():
    lines = report.detail_lines({"how": "deadline", "sheet_hash": "ab12", "address": "10.0.0.7", "mode": "at_school",
                                 "verdict": "retake", "minutes": 20, "saves": [{"seq": 3}], "reason": ""})
    assert lines == [("Address", "10.0.0.7"), ("Mode", "At school"), ("How", "ended by the server at the deadline"),
                     ("Decision taken", "Retake allowed"), ("Minutes", 20)]


def test_figures_are_written_as_the_reader_writes_them():
    with translation.override("vi"):
        assert pages.number(2.189e-10, 4) == "2,2 × 10⁻¹⁰" and pages.number(18.28, 1) == "18,3"
        assert pages.number(0.05) == "0,05" and pages.number(1.0) == "1" and pages.number(None) == ""
    assert pages.number(6.891) == "6.89" and pages.number(0.0004, 4) == "4 × 10⁻⁴"
