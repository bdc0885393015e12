"""Screening (assessment/integrity/screening.py) on tests of 40, 100 and 150 questions: the
false-alarm promise checked by simulation at each length (it was checked up to 100 questions
before), planted copiers found on a long test, where the verified range ends, and the memory
budget of a year's screening (2,000 students x 40 questions within 200 MB of numpy's buffers;
time is measured by bench/screening.py, never asserted)."""
import importlib.util
import pathlib
import tracemalloc

import pytest
from vn_online_teaching.assessment.integrity.screening import VERIFIED_QUESTIONS, screen_matrix

_BENCH = pathlib.Path(__file__).resolve().parents[3] / "bench" / "screening.py"
_spec = importlib.util.spec_from_file_location("bench_screening_lengths", _BENCH)
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def sittings_with_a_false_flag(students, questions, sittings, alpha):
    """(sittings with any flag at ``alpha``, at alpha / 4) among honest simulated sittings; one
    screening at ``alpha`` gives both, since Bonferroni flags a pair when p <= alpha / pairs."""
    at_alpha = at_quarter = 0
    for seed in range(sittings):
        names, answers, right, _ = bench.simulate(students, questions, seed=10_000 + seed)
        result = screen_matrix(names, answers, right, alpha=alpha)
        at_alpha += bool(result.pairs)
        at_quarter += any(p.p <= alpha / 4 / result.pairs_tested for p in result.pairs)
    return at_alpha, at_quarter


@pytest.mark.parametrize("questions", [40, 100, 150])
def test_one_class_false_alarms_stay_within_alpha_at_every_length(questions):
    """300 honest classes of 40 at alpha = 0.2 and 0.05: a count above the binomial's upper
    99.9 % point (mean + 3.1 standard deviations) would mean the rate is above alpha."""
    at_20, at_05 = sittings_with_a_false_flag(40, questions, 300, alpha=0.2)
    assert at_20 <= 60 + 22 and at_05 <= 15 + 11, (questions, at_20, at_05)


def test_a_hundred_students_on_150_questions_stay_within_alpha():
    """100 honest sittings of 100 students x 150 questions (4,950 pairs each) at alpha = 0.2."""
    at_20, at_05 = sittings_with_a_false_flag(100, 150, 100, alpha=0.2)
    assert at_20 <= 20 + 13 and at_05 <= 5 + 7, (at_20, at_05)


def test_planted_copiers_are_found_on_a_150_question_test():
    names, answers, right, planted = bench.simulate(150, 150, copiers=4, share=0.65, seed=21)
    result = screen_matrix(names, answers, right)
    flagged = {frozenset((p.a, p.b)) for p in result.pairs}
    truth = {frozenset((names[s], names[c])) for s, c in planted}
    assert truth <= flagged and not flagged - truth
    assert result.verified and result.as_dict()["verified_length"]


def test_the_verified_range_ends_at_150_questions():
    assert VERIFIED_QUESTIONS == 150
    for questions, verified in ((150, True), (151, False)):
        names, answers, right, _ = bench.simulate(20, questions, seed=1)
        assert screen_matrix(names, answers, right).verified is verified


def test_a_year_of_2000_students_on_40_questions_within_the_memory_budget():
    names, answers, right, planted = bench.simulate(2000, 40, copiers=5, share=0.8, seed=4)
    tracemalloc.start()
    try:
        result = screen_matrix(names, answers, right)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak <= 200 * 2**20, peak / 2**20
    assert result.pairs_tested == 1_999_000 and result.pairs
