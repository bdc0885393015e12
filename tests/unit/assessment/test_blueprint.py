"""The test blueprint (ma trận đề): its checks, what a bank lacks to fill it (exactly), and what
every paper drawn by it is worth."""
import json
from decimal import Decimal

import pytest
from vn_online_teaching.assessment import blueprint as blueprints
from vn_online_teaching.assessment import questions
from vn_online_teaching.assessment.blueprint import NotMet, PointsConflict, Shortfall
from vn_online_teaching.assessment.problems import Invalid
from vn_online_teaching.assessment.questions import ESSAY, MCQ, SHORT_ANSWER, TRUE_FALSE
from vn_online_teaching.assessment.scoring import Policy

D = Decimal
POLICY = {MCQ: "0.25", TRUE_FALSE: "1", SHORT_ANSWER: "0.5"}


def question(fmt, topic, level, n, points=None):
    """A valid question of ``fmt``; ``n`` makes it unique."""
    code = f"{fmt}-{questions.topic_key(topic).replace(' ', '-')}-{level}-{n}"
    data = {"id": code, "format": fmt, "topic": topic, "level": level, "stem": f"Câu {n}", "points": points}
    if fmt == MCQ:
        data.update(options=[f"{n}-A", f"{n}-B", f"{n}-C", f"{n}-D"], answer="A")
    elif fmt == TRUE_FALSE:
        data.update(statements=["a", "b", "c", "d"], answers=[True, True, False, False])
    elif fmt == SHORT_ANSWER:
        data.update(kind="number", number=str(n))
    else:
        data.update(guide="Hướng dẫn", points=points or "1")
    return questions.from_dict(data)


def bank(spec):
    """Questions from {(format, topic, level): how many}."""
    return [question(fmt, topic, level, n) for (fmt, topic, level), count in spec.items() for n in range(count)]


def cell(topic, level, fmt, count, points=None):
    return {"topic": topic, "level": level, "format": fmt, "count": count, "points": points}


def blueprint(*cells):
    return blueprints.from_dict({"cells": list(cells)})


BANK = bank({(MCQ, "Hàm số", "biet"): 5, (MCQ, "Hàm số", "hieu"): 3, (MCQ, "Mũ và lôgarit", "biet"): 2,
             (TRUE_FALSE, "Hàm số", "hieu"): 2, (SHORT_ANSWER, "Hàm số", "van_dung"): 2})


# ------------------------------------------------------------------ its own checks

def test_a_blueprint_survives_its_dict_form():
    plan = blueprint(cell("Hàm số", "biet", MCQ, 4), cell("Hàm số", "van_dung", ESSAY, 1, "2.5"))
    stored = json.loads(json.dumps(blueprints.to_dict(plan)))
    assert blueprints.from_dict(stored) == plan
    assert plan.questions == 5 and plan.cells[1].points == D("2.5")


def problems_of(data):
    with pytest.raises(Invalid) as caught:
        blueprints.from_dict(data)
    return {(p.field, p.code) for p in caught.value.problems}


@pytest.mark.parametrize("cells, expected", [
    ([cell("Hàm số", "biet", MCQ, 0)], {("cells[0].count", "bad_count")}),
    ([cell("Hàm số", "biet", MCQ, True)], {("cells[0].count", "bad_count")}),
    ([cell("Hàm số", "biet", MCQ, 101)], {("cells[0].count", "bad_count")}),
    ([cell("", "biet", MCQ, 1)], {("cells[0].topic", "bad_topic")}),
    ([cell("Hàm số", "Biết", MCQ, 1)], {("cells[0].level", "bad_level")}),
    ([cell("Hàm số", "biet", "matching", 1)], {("cells[0].format", "bad_format")}),
    ([cell("Hàm số", "biet", MCQ, 1, "0")], {("cells[0].points", "out_of_range")}),
    ([cell("Hàm số", "biet", MCQ, 1, "0,25")], {("cells[0].points", "bad_number")}),
    ([dict(cell("Hàm số", "biet", MCQ, 1), weight=2)], {("cells[0].weight", "unknown_field")}),
    ([cell("Hàm số", "biet", MCQ, 1), cell("HÀM  SỐ", "biet", MCQ, 2)], {("cells[1].topic", "duplicate_row")}),
    ([cell("Hàm số", "biet", MCQ, 1), cell("Hàm số", "nhan_biet", MCQ, 1)], {("cells", "mixed_scales")}),
    ([cell(f"Chủ đề {i}", "biet", MCQ, 100) for i in range(3)], {("cells", "too_many_questions")}),
    ([], {("cells", "bad_blueprint")}),
    ([cell("Hàm số", ["biet"], {"mcq": 1}, 1)], {("cells[0].level", "bad_level"), ("cells[0].format", "bad_format")}),
    (["Hàm số"], {("cells[0].topic", "bad_type")}),
])
def test_a_bad_blueprint_is_refused_with_every_problem(cells, expected):
    assert problems_of({"cells": cells}) == expected


def test_the_shared_applying_level_fits_both_secondary_scales():
    assert blueprint(cell("A", "nhan_biet", MCQ, 1), cell("A", "van_dung", MCQ, 1))
    assert blueprint(cell("A", "biet", MCQ, 1), cell("A", "van_dung", MCQ, 1))


# ------------------------------------------------------------------ against a bank

def test_a_bank_that_can_fill_the_blueprint_lacks_nothing():
    plan = blueprint(cell("Hàm số", "biet", MCQ, 5), cell("hàm số", "hieu", TRUE_FALSE, 2),
                     cell("Mũ và lôgarit", "biet", MCQ, 2))
    assert blueprints.unmet(plan, BANK, POLICY) == []
    blueprints.require(plan, BANK, POLICY)


def test_what_the_bank_lacks_is_listed_exactly():
    plan = blueprint(cell("Hàm số", "biet", MCQ, 6), cell("Hàm số", "hieu", MCQ, 3),
                     cell("Hình học", "biet", MCQ, 2), cell("Hàm số", "van_dung", SHORT_ANSWER, 4))
    assert blueprints.shortfalls(plan, BANK) == [
        Shortfall("Hàm số", "biet", MCQ, 6, 5),
        Shortfall("Hình học", "biet", MCQ, 2, 0),
        Shortfall("Hàm số", "van_dung", SHORT_ANSWER, 4, 2),
    ]
    with pytest.raises(NotMet) as caught:
        blueprints.require(plan, BANK, POLICY)
    assert caught.value.status == 409 and caught.value.code == "not_enough_questions"
    assert [p["message"] for p in caught.value.as_dict()["problems"]] == [
        "Hàm số, Knowing, Multiple choice: the blueprint asks for 6 questions, the bank has 5.",
        "Hình học, Knowing, Multiple choice: the blueprint asks for 2 questions, the bank has 0.",
        "Hàm số, Applying, Short answer: the blueprint asks for 4 questions, the bank has 2.",
    ]


def test_topics_match_whatever_their_case_accents_or_spacing():
    plan = blueprint(cell("MŨ VÀ LÔGARIT", "biet", MCQ, 2))
    assert blueprints.unmet(plan, BANK, POLICY) == []
    assert blueprints.shortfalls(blueprint(cell("Mu va logarit", "biet", MCQ, 2)), BANK) == []


def test_the_same_code_twice_in_a_bank_is_a_bug_not_a_question():
    with pytest.raises(ValueError, match="id"):
        blueprints.shortfalls(blueprint(cell("Hàm số", "biet", MCQ, 1)), BANK + BANK[:1])


# ------------------------------------------------------------------ points

def test_total_points_come_from_the_cell_the_question_or_the_policy():
    own = question(MCQ, "Hàm số", "van_dung", 90, points="0.5")
    essay = question(ESSAY, "Hàm số", "van_dung", 91, points="2")
    plan = blueprint(cell("Hàm số", "biet", MCQ, 4), cell("Hàm số", "hieu", MCQ, 2, "0.3"),
                     cell("Hàm số", "hieu", TRUE_FALSE, 2), cell("Hàm số", "van_dung", SHORT_ANSWER, 2),
                     cell("Hàm số", "van_dung", MCQ, 1), cell("Hàm số", "van_dung", ESSAY, 1))
    # 4 × 0.25 + 2 × 0.3 + 2 × 1 + 2 × 0.5 + 1 × 0.5 + 1 × 2
    assert blueprints.total_points(plan, BANK + [own, essay], POLICY) == D("7.1")


def test_the_scoring_policy_gives_the_points_of_each_format():
    plan = blueprint(cell("Hàm số", "biet", MCQ, 4), cell("Hàm số", "hieu", TRUE_FALSE, 2),
                     cell("Hàm số", "van_dung", SHORT_ANSWER, 2))
    assert blueprints.total_points(plan, BANK, Policy()) == D("3.5")
    assert blueprints.total_points(plan, BANK, Policy(short=D("0.5"))) == D("4")


def test_questions_of_a_cell_worth_different_points_are_refused_until_the_cell_says():
    mixed = BANK + [question(MCQ, "Hàm số", "biet", 50, points="0.5")]
    plan = blueprint(cell("Hàm số", "biet", MCQ, 2))
    assert blueprints.unmet(plan, mixed, POLICY) == [PointsConflict("Hàm số", "biet", MCQ, ("0,25", "0,5"))]
    with pytest.raises(NotMet) as caught:
        blueprints.total_points(plan, mixed, POLICY)
    assert caught.value.code == "unequal_points"
    assert blueprints.total_points(blueprint(cell("Hàm số", "biet", MCQ, 2, "0.4")), mixed, POLICY) == D("0.8")


def test_a_format_nothing_gives_points_to_is_refused():
    plan = blueprint(cell("Hàm số", "biet", MCQ, 1))
    assert [p.code for p in blueprints.unmet(plan, BANK, {TRUE_FALSE: "1"})] == ["no_points"]
    with pytest.raises(NotMet):
        blueprints.total_points(blueprint(cell("Đại số", "biet", ESSAY, 1)), BANK, POLICY)
