"""Each student's paper: drawn by the blueprint, the same for the same seed, different between
seeds, refused when the bank cannot fill it; the student's view holds no key; answers map back
to bank questions and original option letters."""
import dataclasses
import json
import os
import pathlib
import subprocess
import sys
from collections import Counter
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vn_online_teaching.assessment import blueprint as blueprints
from vn_online_teaching.assessment import paper as papers
from vn_online_teaching.assessment import questions
from vn_online_teaching.assessment.blueprint import NotMet, Shortfall
from vn_online_teaching.assessment.questions import ESSAY, MCQ, SHORT_ANSWER, TRUE_FALSE
from vn_online_teaching.core.errors import RequestError

D = Decimal
POLICY = {MCQ: "0.25", TRUE_FALSE: "1", SHORT_ANSWER: "0.5"}
ROOT = pathlib.Path(__file__).resolve().parents[3]


def make_question(fmt, topic, level, n, **changes):
    """A question whose answer key is made of values found nowhere else (to search for them)."""
    data = {"id": f"{fmt}-{level}-{questions.topic_key(topic)[:2]}-{n}", "format": fmt, "topic": topic, "level": level,
            "stem": f"<p>Câu {fmt} {level} {n}</p>"}
    if fmt == MCQ:
        data.update(options=[f"<p>phương án {n}.{letter}</p>" for letter in "ABCD"], answer="ABCD"[n % 4])
    elif fmt == TRUE_FALSE:
        data.update(statements=[f"ý {n}.{letter}" for letter in "abcd"], answers=[n % 2 == 0, True, False, n % 3 == 0])
    elif fmt == SHORT_ANSWER and n % 2:
        data.update(kind="text", texts=[f"ĐÁP-ÁN-BÍ-MẬT-{n}"], ignore_diacritics=True)
    elif fmt == SHORT_ANSWER:
        data.update(kind="number", number=f"98765.{4321 + n}", tolerance="0.0137")
    else:
        data.update(points="2.375", guide=f"HƯỚNG-DẪN-CHẤM-BÍ-MẬT-{n}")
    data.update(changes)
    return questions.from_dict(data)


def make_bank(per_cell=6):
    return [make_question(fmt, topic, level, n)
            for fmt, level in ((MCQ, "biet"), (MCQ, "hieu"), (TRUE_FALSE, "hieu"), (SHORT_ANSWER, "van_dung"),
                               (ESSAY, "van_dung"))
            for topic in ("Hàm số", "Hình học")
            for n in range(per_cell)]


BANK = make_bank()
PLAN = blueprints.from_dict({"cells": [
    {"topic": "Hàm số", "level": "biet", "format": MCQ, "count": 4},
    {"topic": "Hình học", "level": "biet", "format": MCQ, "count": 3},
    {"topic": "Hàm số", "level": "hieu", "format": MCQ, "count": 2},
    {"topic": "Hàm số", "level": "hieu", "format": TRUE_FALSE, "count": 2},
    {"topic": "Hình học", "level": "hieu", "format": TRUE_FALSE, "count": 2},
    {"topic": "Hàm số", "level": "van_dung", "format": SHORT_ANSWER, "count": 4},
    {"topic": "Hình học", "level": "van_dung", "format": ESSAY, "count": 1},
]})


def assemble(seed, bank=BANK, plan=PLAN):
    return papers.assemble(bank, plan, seed, POLICY)


# ------------------------------------------------------------------ drawing

def test_the_paper_follows_the_blueprint():
    paper = assemble("seed-1")
    drawn = Counter((questions.topic_key(i.question.topic), i.question.level, i.question.format) for i in paper.items)
    assert drawn == {cell.key: cell.count for cell in PLAN.cells}
    assert len({i.question.id for i in paper.items}) == len(paper.items) == PLAN.questions
    assert [i.position for i in paper.items] == list(range(1, PLAN.questions + 1))
    assert all(i.question in BANK for i in paper.items)


def test_parts_come_in_the_order_of_the_2025_papers():
    formats = [i.question.format for i in assemble("seed-1").items]
    assert formats == sorted(formats, key=questions.PART_ORDER.index)


def test_points_are_the_policys_or_the_questions_own():
    paper = assemble("seed-1")
    assert {i.question.format: i.points for i in paper.items} == {
        MCQ: D("0.25"), TRUE_FALSE: D(1), SHORT_ANSWER: D("0.5"), ESSAY: D("2.375")}
    assert paper.total_points == 9 * D("0.25") + 4 + 4 * D("0.5") + D("2.375")


def test_the_same_seed_gives_the_same_paper_however_the_bank_is_stored():
    first = assemble("lop-12A1-hs-07")
    assert assemble("lop-12A1-hs-07") == first
    assert assemble("lop-12A1-hs-07", bank=list(reversed(BANK))) == first
    assert assemble("lop-12A1-hs-07", bank=sorted(BANK, key=lambda q: q.stem)) == first


def test_the_same_seed_gives_the_same_paper_in_another_process():
    """No ``hash()`` and no set order: another interpreter with another hash seed draws the same."""
    here = str(pathlib.Path(__file__).parent)
    script = (f"import json, django, sys; sys.path.insert(0, {here!r}); django.setup(); import test_paper as t; "
              "from vn_online_teaching.assessment import paper; "
              "print(json.dumps(paper.to_dict(t.assemble('hs-42')), sort_keys=True))")
    env = dict(os.environ, PYTHONHASHSEED="12345", DJANGO_SETTINGS_MODULE="vn_online_teaching.demo.settings")
    out = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == json.loads(json.dumps(papers.to_dict(assemble("hs-42")), sort_keys=True))


def test_different_seeds_give_different_papers():
    seeds = [f"hs-{n}" for n in range(40)]
    orders = {tuple(i.question.id for i in assemble(s).items) for s in seeds}
    options = {tuple(i.order for i in assemble(s).items) for s in seeds}
    assert len(orders) >= 38 and len(options) == 40
    first_options = Counter(assemble(s).items[0].order for s in seeds)
    assert len(first_options) > 10  # options really are shuffled, not rotated


def test_options_keep_their_order_when_the_question_asks_and_statements_always_do():
    fixed = [make_question(MCQ, "Hàm số", "biet", n, keep_order=True) for n in range(3)]
    plan = blueprints.from_dict({"cells": [{"topic": "Hàm số", "level": "biet", "format": MCQ, "count": 3},
                                           {"topic": "Hàm số", "level": "hieu", "format": TRUE_FALSE, "count": 2}]})
    for seed in range(20):
        paper = papers.assemble(fixed + [q for q in BANK if q.format == TRUE_FALSE], plan, seed, POLICY)
        assert all(i.order == ("A", "B", "C", "D") for i in paper.items if i.question.format == MCQ)
        assert all(i.order == ("a", "b", "c", "d") for i in paper.items if i.question.format == TRUE_FALSE)


def test_a_blueprint_the_bank_cannot_fill_is_refused_with_what_is_missing():
    plan = blueprints.from_dict({"cells": [{"topic": "Hàm số", "level": "biet", "format": MCQ, "count": 7},
                                           {"topic": "Xác suất", "level": "hieu", "format": TRUE_FALSE, "count": 1},
                                           {"topic": "Hàm số", "level": "van_dung", "format": SHORT_ANSWER,
                                            "count": 2}]})
    with pytest.raises(NotMet) as caught:
        papers.assemble(BANK, plan, "seed", POLICY)
    assert caught.value.problems == [Shortfall("Hàm số", "biet", MCQ, 7, 6),
                                     Shortfall("Xác suất", "hieu", TRUE_FALSE, 1, 0)]
    assert caught.value.status == 409


# ------------------------------------------------------------------ the student's view

FORBIDDEN_NAMES = ("correct", "answer", "points", "key", "guide", "tolerance", "id", "order", "texts", "seed")


def names_in(value):
    if isinstance(value, dict):
        return set(value) | {n for v in value.values() for n in names_in(v)}
    if isinstance(value, list):
        return {n for v in value for n in names_in(v)}
    return set()


def key_values(question):
    """Every value of the answer key (and of points and guide) a student must not receive."""
    data = questions.to_dict(question)
    found = [question.id]
    if question.format == SHORT_ANSWER:
        found += list(question.texts) or [data["number"], data["number"].replace(".", ","), data["tolerance"]]
    if question.format == ESSAY:
        found += [question.guide, data["points"], "2,375"]
    return found


def test_no_key_reaches_the_student_view_of_any_paper():
    for seed in range(60):
        paper = assemble(seed)
        view = papers.student_view(paper).to_dict()
        shown = json.dumps(view, ensure_ascii=False)
        stored = json.dumps(papers.to_dict(paper), ensure_ascii=False)
        names = names_in(view)
        assert not {n for n in names for bad in FORBIDDEN_NAMES if bad in n.lower()}, names
        for item in paper.items:
            for secret in key_values(item.question):
                assert secret not in shown, (seed, secret)
                assert secret in stored or "," in secret  # the search looks for what is there


def test_the_student_view_does_not_depend_on_the_key():
    """Change every answer key, point and guide: the student receives exactly the same bytes."""
    def rekey(q):
        if q.format == MCQ:
            return dataclasses.replace(q, answer="ABCD"[("ABCD".index(q.answer) + 1) % 4])
        if q.format == TRUE_FALSE:
            return dataclasses.replace(q, answers=tuple(not a for a in q.answers))
        if q.format == SHORT_ANSWER:
            return dataclasses.replace(q, number=D(1), tolerance=D(0), texts=("khác",))
        return dataclasses.replace(q, guide="khác", points=D(7))

    rekeyed = [rekey(q) for q in BANK]
    for seed in range(20):
        a, b = assemble(seed), assemble(seed, bank=rekeyed)
        assert [i.question.id for i in a.items] == [i.question.id for i in b.items]
        assert papers.student_view(a).to_dict() == papers.student_view(b).to_dict()


def test_the_student_view_is_an_allow_list_of_fields():
    assert [f.name for f in dataclasses.fields(papers.StudentItem)] == [
        "position", "number", "format", "stem", "choices", "statements", "input"]
    assert [f.name for f in dataclasses.fields(papers.StudentChoice)] == ["letter", "html"]
    leaky = papers.StudentPaper((papers.StudentItem(1, 1, MCQ, "x", choices=(BANK[0],)),))
    with pytest.raises(TypeError):
        leaky.to_dict()


def test_the_student_sees_options_in_the_papers_order_and_numbers_within_each_part():
    paper = assemble("seed-3")
    view = papers.student_view(paper).to_dict()["items"]
    for item, shown in zip(paper.items, view):
        assert shown["position"] == item.position and shown["stem"] == item.question.stem
        if item.question.format == MCQ:
            assert [c["html"] for c in shown["choices"]] == [item.question.options["ABCD".index(b)] for b in item.order]
            assert [c["letter"] for c in shown["choices"]] == list("ABCD")
        if item.question.format == SHORT_ANSWER:
            assert shown["input"] == item.question.kind
    assert [s["number"] for s in view if s["format"] == TRUE_FALSE] == [1, 2, 3, 4]
    assert view[0]["number"] == 1


# ------------------------------------------------------------------ answers back to the bank

def test_a_shown_letter_maps_to_the_option_the_student_saw():
    paper = assemble("seed-4")
    shown = papers.student_view(paper).to_dict()["items"]
    for item, view in zip(paper.items, shown):
        if item.question.format != MCQ:
            continue
        for choice in view["choices"]:
            answer = papers.map_answer_to_bank(paper, item.position, choice["letter"])
            assert answer.question_id == item.question.id
            assert item.question.options["ABCD".index(answer.response)] == choice["html"]


def test_answers_of_every_format_map_to_bank_terms():
    paper = assemble("seed-5")
    by_format = {}
    for item in paper.items:
        by_format.setdefault(item.question.format, item)
    mcq, tf, short, essay = (by_format[f] for f in (MCQ, TRUE_FALSE, SHORT_ANSWER, ESSAY))
    mapped = papers.map_answers(paper, {mcq.position: "C", tf.position: {"a": True, "c": False, "d": None},
                                        short.position: "  2,5\r\n", essay.position: "Bài làm\r\ndòng 2",
                                        paper.items[1].position: ""})
    assert mapped[mcq.question.id] == mcq.order[2]
    assert mapped[tf.question.id] == {"a": True, "c": False, "d": None}
    assert mapped[short.question.id] == "2,5"
    assert mapped[essay.question.id] == "Bài làm\ndòng 2"
    assert mapped[paper.items[1].question.id] is None


@pytest.mark.parametrize("position, response, code", [
    (1, "E", "bad_answer"), (1, "a", "bad_answer"), (1, ["A"], "bad_answer"), (10, {"e": True}, "bad_answer"),
    (10, {"a": "Đ"}, "bad_answer"), (10, "Đ S Đ Đ", "bad_answer"), (14, "x" * 201, "bad_answer"),
    (14, "\ud800", "bad_answer"), (14, 2.5, "bad_answer"), (0, "A", "bad_position"), (99, "A", "bad_position"),
    ("1", "A", "bad_position"), (True, "A", "bad_position"),
])
def test_a_response_that_cannot_be_an_answer_is_a_400(position, response, code):
    paper = assemble("seed-6")
    with pytest.raises(RequestError) as caught:
        papers.map_answer_to_bank(paper, position, response)
    assert caught.value.code == code and caught.value.status == 400


# ------------------------------------------------------------------ the stored form

def test_the_delivered_paper_is_stored_exactly():
    paper = assemble("seed-7")
    stored = json.loads(json.dumps(papers.to_dict(paper)))
    assert papers.from_dict(stored) == paper
    assert stored["seed"] == "seed-7" and stored["version"] == papers.VERSION


@pytest.mark.parametrize("damage", [
    lambda s: s["items"][0].update(order=["A", "A", "B", "C"]),
    lambda s: s["items"][0].update(position=2),
    lambda s: s.update(version=99),
])
def test_a_damaged_stored_paper_is_not_read(damage):
    stored = papers.to_dict(assemble("seed-8"))
    damage(stored)
    with pytest.raises(ValueError):
        papers.from_dict(stored)


def test_a_new_seed_is_random_text():
    assert papers.new_seed() != papers.new_seed() and len(papers.new_seed()) == 32


# ------------------------------------------------------------------ properties

@settings(max_examples=60, deadline=None)
@given(seed=st.one_of(st.integers(), st.text(max_size=20)), per_cell=st.integers(4, 8),
       counts=st.lists(st.integers(1, 4), min_size=3, max_size=3))
def test_any_paper_meets_its_blueprint_and_maps_back(seed, per_cell, counts):
    bank = make_bank(per_cell)
    plan = blueprints.from_dict({"cells": [
        {"topic": "Hình học", "level": "biet", "format": MCQ, "count": counts[0]},
        {"topic": "Hàm số", "level": "hieu", "format": TRUE_FALSE, "count": counts[1]},
        {"topic": "Hình học", "level": "van_dung", "format": SHORT_ANSWER, "count": counts[2]}]})
    paper = papers.assemble(bank, plan, seed, POLICY)
    assert papers.assemble(bank, plan, seed, POLICY) == paper
    assert Counter((questions.topic_key(i.question.topic), i.question.level, i.question.format)
                   for i in paper.items) == {c.key: c.count for c in plan.cells}
    for item in paper.items:
        if item.question.format == MCQ:
            assert sorted(item.order) == list("ABCD")
            right = "ABCD"[item.order.index(item.question.answer)]
            assert papers.map_answer_to_bank(paper, item.position, right).response == item.question.answer
