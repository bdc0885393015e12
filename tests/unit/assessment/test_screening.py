"""Screening for unusual agreement (assessment/integrity/screening.py) on synthetic sittings the
tests generate: an item-response model (bench/screening.py, ``simulate``) with planted copiers."""
import importlib.util
import itertools
import pathlib

import numpy as np
import pytest

from vn_online_teaching.assessment.integrity import responses
from vn_online_teaching.assessment.integrity.screening import (
    BH, match_weights, score_bands, screen, screen_matrix, tail_tables)

_BENCH = pathlib.Path(__file__).resolve().parents[3] / "bench" / "screening.py"
_spec = importlib.util.spec_from_file_location("bench_screening", _BENCH)
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def test_the_tail_is_the_exact_distribution_of_the_weighted_agreement():
    """Every outcome of 6 questions (no agreement, or agreement on one of 3 options) enumerated."""
    rng = np.random.default_rng(1)
    share = rng.dirichlet(np.ones(4), (2, 6))[..., :3]              # 2 bands, 6 questions, 3 options + blank
    joint = np.einsum("gik,hik->ghik", share, share)
    weights = rng.integers(1, 5, (6, 3))
    tails, mean, sd = tail_tables(joint, weights)
    for g, h in ((0, 0), (0, 1), (1, 0), (1, 1)):
        c = joint[g, h]
        pmf = np.zeros(tails.shape[-1])
        moments = [0.0, 0.0]
        for outcome in itertools.product(range(4), repeat=6):        # 3 = no agreement
            chance = np.prod([c[i, k] if k < 3 else 1 - c[i].sum() for i, k in enumerate(outcome)])
            score = sum(weights[i, k] for i, k in enumerate(outcome) if k < 3)
            pmf[score] += chance
            moments[0] += chance * score
            moments[1] += chance * score ** 2
        assert np.allclose(tails[g, h], pmf[::-1].cumsum()[::-1], rtol=1e-12, atol=1e-15)
        assert mean[g, h] == pytest.approx(moments[0])
        assert sd[g, h] == pytest.approx(np.sqrt(moments[1] - moments[0] ** 2))


def test_agreeing_on_a_rare_option_counts_more_than_on_a_common_one():
    overall = np.array([[0.9, 0.05, 0.01, 0.0]])
    assert match_weights(overall).tolist() == [[1, 4, 6, 6]]


def test_score_bands_keep_equal_scores_together_and_reach_the_minimum_size():
    scores = np.array([0, 1, 1, 2, 2, 2, 3, 5, 5, 9])
    band = score_bands(scores, min_band=3)
    assert len(set(band[scores == 2])) == 1 and len(set(band[scores == 5])) == 1
    assert np.all(np.diff(band[np.argsort(scores, kind="stable")]) >= 0)        # ordered by score
    assert min(np.bincount(band)) >= 3


@pytest.mark.parametrize("share", [0.65, 0.8])
def test_planted_copiers_are_found(share):
    names, answers, right, planted = bench.simulate(300, 60, copiers=8, share=share, seed=7)
    result = screen_matrix(names, answers, right, alpha=0.05)
    flagged = {frozenset((p.a, p.b)) for p in result.pairs}
    truth = {frozenset((names[s], names[c])) for s, c in planted}
    assert len(flagged & truth) >= 6                       # most planted pairs
    assert not flagged - truth                             # and nobody else in this sitting
    top = result.pairs[0]
    assert top.p < 0.05 / result.pairs_tested and top.identical > top.expected and top.statistic > 4


def test_without_copiers_the_chance_of_any_false_flag_stays_within_alpha():
    """The family-wise promise, checked by simulation: 300 honest sittings of a class of 40 and of
    a year of 150, at alpha = 0.2 (where a broken control shows quickly) and at 0.05. A count
    above the binomial's upper 99.9 % point (mean + 3.1 standard deviations) would mean the rate is
    above alpha."""
    for students in (40, 150):
        for alpha, limit in ((0.2, 60 + 22), (0.05, 15 + 11)):
            sittings_with_a_flag = 0
            for seed in range(300):
                names, answers, right, _ = bench.simulate(students, 40, seed=seed)
                sittings_with_a_flag += bool(screen_matrix(names, answers, right, alpha=alpha).pairs)
            assert sittings_with_a_flag <= limit, (students, alpha, sittings_with_a_flag)


def test_benjamini_hochberg_flags_at_least_what_bonferroni_flags():
    names, answers, right, _ = bench.simulate(300, 40, copiers=10, share=0.65, seed=3)
    strict = {(p.a, p.b) for p in screen_matrix(names, answers, right).pairs}
    lenient = screen_matrix(names, answers, right, method=BH)
    assert strict <= {(p.a, p.b) for p in lenient.pairs} and lenient.method == BH


def _sittings(seed=5):
    """A sitting as the block will give it: {student: {bank question id: bank letter}}."""
    names, answers, right, planted = bench.simulate(200, 40, copiers=4, share=0.8, seed=seed)
    ids = [f"q{k:03d}" for k in range(40)]
    letters = "ABCD"
    sheets = {name: {ids[i]: letters[a] for i, a in enumerate(row) if a >= 0} for name, row in zip(names, answers)}
    return sheets, {ids[i]: letters[r] for i, r in enumerate(right)}, names, planted


def test_answers_are_compared_by_bank_question_not_by_position():
    sheets, key, names, planted = _sittings()
    expected = screen(sheets, key)
    rng = np.random.default_rng(0)
    shuffled = {}
    for name, sheet in sheets.items():             # every student's own question order
        order = list(sheet)
        rng.shuffle(order)
        shuffled[name] = {q: sheet[q] for q in order}
    assert screen(shuffled, key).pairs == expected.pairs
    again = screen(shuffled, dict(reversed(list(key.items()))))                  # any order of the key
    assert [(p.a, p.b, p.identical, p.identical_wrong) for p in again.pairs] == [
        (p.a, p.b, p.identical, p.identical_wrong) for p in expected.pairs]
    assert {frozenset((p.a, p.b)) for p in expected.pairs} & {frozenset((names[s], names[c])) for s, c in planted}


def test_other_answers_and_questions_outside_the_key_are_ignored():
    sheets, key, _names, _planted = _sittings()
    noisy = {name: {**sheet, "essay-1": "a long text", "tf-2": {"a": True}, "q000": sheet.get("q000")}
             for name, sheet in sheets.items()}
    noisy = {name: {q: v for q, v in sheet.items() if v is not None} for name, sheet in noisy.items()}
    assert screen(noisy, key).pairs == screen(sheets, key).pairs


def test_pair_details_and_edge_cases():
    key = {1: "A", 2: "B", 3: "C", 4: "D"}
    one = screen({"x": {1: "A"}}, key)
    assert one.pairs == [] and one.pairs_tested == 0
    with pytest.raises(ValueError):
        screen({"x": {}, "y": {}}, key, alpha=0)
    with pytest.raises(ValueError):
        screen({"x": {}, "y": {}}, key, method="holm")
    sheets, key, _names, _planted = _sittings()
    pair = screen(sheets, key).pairs[0]
    assert pair.a < pair.b and 0 <= pair.identical_wrong <= pair.identical and 1 <= pair.longest_run <= pair.identical
    assert set(pair.as_dict()) >= {"a", "b", "statistic", "p"}


@pytest.mark.parametrize("text, message", [
    ("name,answers\nx,AB\n", "header"),
    ("student,answers\nx,AB\nx,AB\n", "twice"),
    ("student,answers\nx,ABC\ny,AB\n", "3 answers"),
    ("student,answers\nx,AE\ny,AB\n", "found: E"),
    ("student,answers\nx,AB,C\ny,AB\n", "two columns"),
    ("student,answers\n,AB\ny,AB\n", "student is empty"),
    ("student,answers\nx,AB\n", "at least two"),
])
def test_response_file_errors_say_what_and_where(text, message):
    with pytest.raises(responses.ResponseFileError, match=message):
        responses.read_text(text, ["A", "B"])


def test_response_file_reading():
    answers = responses.read_text("Student,Answers\nx,A-\n\ny, b a\n", ["A", "B"])
    assert answers == {"x": {1: "A"}, "y": {1: "B", 2: "A"}}
    assert responses.read_key(" ab cd ") == ["A", "B", "C", "D"]
    with pytest.raises(responses.ResponseFileError, match="only the letters"):
        responses.read_key("ABX")
    with pytest.raises(responses.ResponseFileError, match="empty"):
        responses.read_key("  ")


def test_a_long_test_keeps_the_score_levels_of_a_40_question_test():
    names, answers, right, planted = bench.simulate(200, 300, copiers=2, share=0.5, seed=2)
    result = screen_matrix(names, answers, right)
    assert result.bands <= 41 and result.questions == 300
    assert {frozenset((p.a, p.b)) for p in result.pairs} >= {frozenset((names[s], names[c])) for s, c in planted}
    assert not result.verified and not result.as_dict()["verified_length"]        # beyond what was checked
