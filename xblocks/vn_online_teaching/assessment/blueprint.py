"""The test blueprint (ma trận đề): how many questions of each topic, level and format a paper has.

A paper is drawn from the bank cell by cell, so a blueprint the bank cannot fill is refused
before any student starts, with every cell that lacks questions and by how many: the teacher
adds questions or changes the blueprint, instead of a student receiving a short paper.

Every student's paper must be worth the same. The points of a question on a paper are those of
its blueprint cell when the cell gives them, else the question's own, else the scoring policy's
for its format (``policy``: scoring.py's ``Policy`` for the test's subject, or a mapping
{format: points per question}). When a cell gives none and its questions would be worth different points (or
nothing gives points, as for an essay without its own), the blueprint is refused too.
"""
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from ..core import text
from ..core.errors import Conflict
from ..core.i18n import N_, Label
from . import levels, numbers
from .problems import Invalid, Problem
from .questions import (FORMATS, MAX_POINTS, MCQ, PART_ORDER, POINTS_PLACES, SHORT_ANSWER, TOPIC_LENGTH,
                        TRUE_FALSE, topic_key)

MAX_CELLS, MAX_COUNT, MAX_QUESTIONS = 200, 100, 200
CELL_FIELDS = ("topic", "level", "format", "count", "points")


@dataclass(frozen=True)
class Cell:
    topic: str
    level: str
    format: str
    count: int
    points: Decimal | None = None  # per question; None: the question's own or the policy's

    @property
    def key(self):
        return topic_key(self.topic), self.level, self.format

    def order(self):
        """Where the cell comes in a paper: by part, then topic, then level from the lowest."""
        return PART_ORDER.index(self.format), topic_key(self.topic), levels.RANK[self.level]


@dataclass(frozen=True)
class Blueprint:
    cells: tuple

    @property
    def questions(self):
        return sum(cell.count for cell in self.cells)


def _cell_problem(index, name, code, message, **params):
    return Problem(f"cells[{index}].{name}", code, message, params, N_("Row {row} of the blueprint"),
                   {"row": index + 1})


def _check_cell(index, data, problems):
    if not isinstance(data, dict):
        problems.append(_cell_problem(index, "topic", "bad_type", N_("This has the wrong type.")))
        return None
    before = len(problems)
    for name in sorted(set(data) - set(CELL_FIELDS), key=str):
        problems.append(_cell_problem(index, str(name)[:100], "unknown_field", N_("Unknown field: {field}."),
                                      field=str(name)[:100]))
    topic = data.get("topic")
    topic = text.clean(topic, multiline=False) if isinstance(topic, str) and text.is_valid(topic) else ""
    if not topic or len(topic) > TOPIC_LENGTH:
        problems.append(_cell_problem(index, "topic", "bad_topic",
                                      N_("Give the topic (at most {limit} characters)."), limit=TOPIC_LENGTH))
    if not isinstance(data.get("level"), str) or data["level"] not in levels.LEVELS:
        problems.append(_cell_problem(index, "level", "bad_level", N_("Unknown level: {value}. Use one of: {choices}."),
                                      value=str(data.get("level"))[:40], choices=levels.names()))
    if not isinstance(data.get("format"), str) or data["format"] not in FORMATS:
        problems.append(_cell_problem(index, "format", "bad_format", N_("Unknown question format: {value}."),
                                      value=str(data.get("format"))[:40]))
    count = data.get("count")
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_COUNT:
        problems.append(_cell_problem(index, "count", "bad_count",
                                      N_("The number of questions must be a whole number from 1 to {limit}."),
                                      limit=MAX_COUNT))
    points = _points(index, data.get("points"), problems)
    if len(problems) > before:
        return None
    return Cell(topic, data["level"], data["format"], count, points)


def _points(index, value, problems):
    if value is None or value == "":
        return None
    try:
        points = numbers.from_json(value)
    except numbers.NumberError as error:
        problems.append(_cell_problem(index, "points", error.code, error.message, value=error.value))
        return None
    if not 0 < points <= MAX_POINTS or numbers.decimals(points) > POINTS_PLACES:
        problems.append(_cell_problem(index, "points", "out_of_range",
                                      N_("Points must be more than 0 and at most {maximum}, with at most {places} "
                                         "decimal places."), maximum=numbers.to_vietnamese(MAX_POINTS),
                                      places=POINTS_PLACES))
    return points


def check(data):
    """(blueprint, []) for a valid blueprint dict ({"cells": [{topic, level, format, count,
    points?}]}), or (None, problems)."""
    cells = data.get("cells") if isinstance(data, dict) else None
    if not isinstance(cells, list) or not cells or len(cells) > MAX_CELLS or list(data) != ["cells"]:
        return None, [Problem("cells", "bad_blueprint", N_("A blueprint has from 1 to {limit} rows."),
                              {"limit": MAX_CELLS})]
    problems, checked, seen = [], [], {}
    for index, item in enumerate(cells):
        cell = _check_cell(index, item, problems)
        if cell is None:
            continue
        if cell.key in seen:
            problems.append(_cell_problem(index, "topic", "duplicate_row",
                                          N_("The same topic, level and format as row {other}."),
                                          other=seen[cell.key] + 1))
        seen.setdefault(cell.key, index)
        checked.append(cell)
    if not problems and not any(all(levels.in_scale(c.level, s) for c in checked) for s in levels.SCALES):
        problems.append(Problem("cells", "mixed_scales", N_("The levels of a blueprint must all come from one "
                                                            "scale.")))
    if not problems and sum(c.count for c in checked) > MAX_QUESTIONS:
        problems.append(Problem("cells", "too_many_questions", N_("A paper has at most {limit} questions."),
                                {"limit": MAX_QUESTIONS}))
    if problems:
        return None, problems
    return Blueprint(tuple(checked)), []


def from_dict(data):
    blueprint, problems = check(data)
    if problems:
        raise Invalid(problems)
    return blueprint


def to_dict(blueprint):
    return {"cells": [{"topic": c.topic, "level": c.level, "format": c.format, "count": c.count,
                       "points": None if c.points is None else numbers.to_text(c.points)} for c in blueprint.cells]}


@dataclass(frozen=True)
class Shortfall:
    """A cell the bank cannot fill: ``wanted`` questions asked, ``available`` in the bank."""

    topic: str
    level: str
    format: str
    wanted: int
    available: int
    code = "not_enough_questions"

    def problem(self):
        return Problem("cells", self.code, N_("{topic}, {level}, {format}: the blueprint asks for {wanted} "
                                              "questions, the bank has {available}."),
                       {"topic": self.topic, "level": Label(levels.LEVELS[self.level].label),
                        "format": Label(FORMATS[self.format]), "wanted": self.wanted, "available": self.available})

    def text(self):
        return self.problem().text()


@dataclass(frozen=True)
class PointsConflict:
    """A cell without its own points whose questions are not all worth the same (``values``), or
    for which nothing gives points (``values`` empty)."""

    topic: str
    level: str
    format: str
    values: tuple

    @property
    def code(self):
        return "unequal_points" if self.values else "no_points"

    def problem(self):
        params = {"topic": self.topic, "level": Label(levels.LEVELS[self.level].label),
                  "format": Label(FORMATS[self.format]), "values": "; ".join(self.values)}
        if self.values:
            message = N_("{topic}, {level}, {format}: the questions are worth different points ({values}). Give "
                         "the points in this row of the blueprint so that every paper is worth the same.")
        else:
            message = N_("{topic}, {level}, {format}: no points are set for these questions. Give the points in "
                         "this row of the blueprint.")
        return Problem("cells", self.code, message, params)

    def text(self):
        return self.problem().text()


class NotMet(Conflict):
    """The bank cannot give every student a paper by this blueprint; ``problems`` says why
    (``Shortfall`` and ``PointsConflict`` items, each with ``text()``)."""

    def __init__(self, problems):
        self.problems = list(problems)
        first = self.problems[0].problem()
        super().__init__(first.code, first.message, **first.params)

    def as_dict(self):
        body = super().as_dict()
        body["problems"] = [{"error": p.code, "message": p.text()} for p in self.problems]
        return body


def by_cell(bank):
    """The bank's questions grouped by (topic key, level, format), each group sorted by id (a
    stable order: what a paper draws from must not depend on how the bank was stored)."""
    groups = defaultdict(list)
    ids = set()
    for question in bank:
        if question.id in ids:
            raise ValueError(f"two questions of the bank have the id {question.id!r}")
        ids.add(question.id)
        groups[(topic_key(question.topic), question.level, question.format)].append(question)
    return {key: sorted(group, key=lambda q: q.id) for key, group in groups.items()}


def shortfalls(blueprint, bank):
    """Every cell the bank cannot fill, in the blueprint's order."""
    groups = by_cell(bank)
    return [Shortfall(c.topic, c.level, c.format, c.count, len(groups.get(c.key, ())))
            for c in blueprint.cells if len(groups.get(c.key, ())) < c.count]


def _policy(policy):
    """{format: points per question} of ``policy``: such a mapping, or the scoring policy
    (scoring.py's ``Policy``: a true/false question is worth what 4 statements right give)."""
    if policy is None:
        return {}
    if not isinstance(policy, Mapping):
        policy = {MCQ: policy.mcq, TRUE_FALSE: policy.true_false[-1], SHORT_ANSWER: policy.short}
    return {fmt: numbers.parse_number(value) for fmt, value in policy.items() if value is not None}


def question_points(cell, question, policy):
    """What ``question`` is worth on a paper drawn by ``cell`` (None when nothing says)."""
    if cell.points is not None:
        return cell.points
    if question.points is not None:
        return question.points
    return _policy(policy).get(question.format)


def points_conflicts(blueprint, bank, policy):
    """Every cell whose questions would not all be worth the same, known, points."""
    groups = by_cell(bank)
    conflicts = []
    for cell in blueprint.cells:
        if cell.points is not None:
            continue
        values = {question_points(cell, q, policy) for q in groups.get(cell.key, ())}
        if None in values:
            conflicts.append(PointsConflict(cell.topic, cell.level, cell.format, ()))
        elif len(values) > 1:
            shown = tuple(numbers.to_vietnamese(v) for v in sorted(values))
            conflicts.append(PointsConflict(cell.topic, cell.level, cell.format, shown))
    return conflicts


def unmet(blueprint, bank, policy=None):
    """Everything that keeps the bank from giving papers by ``blueprint``: shortfalls first."""
    return shortfalls(blueprint, bank) + points_conflicts(blueprint, bank, policy)


def require(blueprint, bank, policy=None):
    """Nothing, or ``NotMet`` (a 409) listing what is missing."""
    problems = unmet(blueprint, bank, policy)
    if problems:
        raise NotMet(problems)


def total_points(blueprint, bank, policy=None):
    """What every paper drawn by ``blueprint`` from ``bank`` is worth (``NotMet`` if it cannot be
    said: a cell's questions worth different points, or none at all)."""
    conflicts = points_conflicts(blueprint, bank, policy)
    if conflicts:
        raise NotMet(conflicts)
    groups = by_cell(bank)
    total = Decimal(0)
    for cell in blueprint.cells:
        if cell.points is not None:
            total += cell.points * cell.count
        elif groups.get(cell.key):
            total += question_points(cell, groups[cell.key][0], policy) * cell.count
        else:
            points = _policy(policy).get(cell.format)
            if points is None:
                raise NotMet([PointsConflict(cell.topic, cell.level, cell.format, ())])
            total += points * cell.count
    return total
