"""Answer-timing similarity of a pair from the save records (assessment/integrity/save_timing.py):
matching answers saved close together, what chance alone gives, and the rank correlation of the
two students' save times per bank question (papers are shuffled, so honest orders are unrelated)."""
import datetime as dt

import pytest
from vn_online_teaching.assessment.integrity.save_timing import last_saves, similarity

T0 = dt.datetime(2025, 10, 20, 0, 40, tzinfo=dt.UTC)


def at(seconds):
    return T0 + dt.timedelta(seconds=seconds)


def test_a_copier_saving_each_answer_20_seconds_after_the_source():
    questions = [f"q{n}" for n in range(10)]
    source = {q: at(120 * n) for n, q in enumerate(questions)}
    copier = {q: at(120 * n + 20) for n, q in enumerate(questions)}
    answers = {q: "ABCD"[n % 4] for n, q in enumerate(questions)}
    found = similarity(source, copier, answers, dict(answers))
    assert (found.common, found.matching, found.close, found.close_share) == (10, 10, 10, 1.0)
    assert found.correlation == pytest.approx(1.0)
    assert found.expected_close == pytest.approx(0.0)      # two minutes apart: only its own question is close
    assert found.as_dict()["window"] == 60


def test_unrelated_orders_and_answers_far_apart():
    questions = [f"q{n}" for n in range(8)]
    a = {q: at(120 * n) for n, q in enumerate(questions)}
    b = {q: at(120 * (7 - n)) for n, q in enumerate(questions)}         # the reverse order
    answers_a = {q: "A" for q in questions}
    answers_b = {q: "A" if n < 4 else "B" for n, q in enumerate(questions)}
    found = similarity(a, b, answers_a, answers_b)
    assert found.matching == 4 and found.close == 0 and found.close_share == 0.0
    assert found.correlation == pytest.approx(-1.0)
    assert found.expected_close > 0                          # by chance, some other question was close


def test_blanks_never_match_and_too_few_questions_give_no_correlation():
    a = {"q1": at(0), "q2": at(10), "q3": at(20)}
    b = {"q1": at(5), "q2": at(15), "q9": at(25)}
    found = similarity(a, b, {"q1": None, "q2": "B"}, {"q2": "B"})
    assert (found.common, found.matching, found.close) == (2, 1, 1)
    assert found.correlation is None                         # fewer than four questions in common
    empty = similarity({}, {}, {}, {})
    assert empty.close_share is None and empty.correlation is None and empty.expected_close == 0


def test_seconds_or_datetimes_and_ties_in_the_ranks():
    a = {f"q{n}": float(n // 2) * 100 for n in range(6)}      # pairs of equal times
    b = {f"q{n}": float(n // 2) * 100 + 30 for n in range(6)}
    found = similarity(a, b, {q: "C" for q in a}, {q: "C" for q in b}, window=30)
    assert found.close == 6 and found.correlation == pytest.approx(1.0)
    constant = similarity({f"q{n}": 0.0 for n in range(5)}, {f"q{n}": float(n) for n in range(5)}, {}, {})
    assert constant.correlation is None                      # no spread: no correlation to speak of


def test_the_last_save_of_each_question_counts():
    saves = [("q1", 1, at(0)), ("q2", 2, at(10)), ("q1", 3, at(50)), ("q1", 2, at(30))]
    assert last_saves(saves) == {"q1": at(50), "q2": at(10)}
