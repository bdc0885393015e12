"""Each student's paper: drawn from the bank by the blueprint, shuffled from a stored seed.

- Deterministic: the same bank, blueprint and seed give the same paper. The bank is put in a
  stable order (by cell, then by question id) and every draw comes from ``random.Random`` seeded
  with the seed's text (CPython seeds a string through SHA-512: the same in every process,
  unlike ``hash()``). The delivered paper itself is stored with the attempt, so a later change
  of the bank, or of Python's shuffling, never changes what a student was given.
- Parts keep the order of the 2025 papers (multiple choice, true/false, short answer, essay);
  questions are shuffled within their part, so neighbours' papers differ but every paper reads
  like a real one.
- Multiple-choice options are shuffled per student, unless the question keeps its order ("All
  of the above"). True/false statements keep their order: they often build on one another from
  knowing to applying, and a true/false question is scored by how many statements are judged
  right, which shuffling does not change. The order is stored all the same, so this can change
  without changing stored papers.
- ``student_view`` is the only form of a paper that goes to a student's browser. It is a separate
  set of dataclasses holding only what a student needs to answer (allow-list): no answer key,
  no points, no marking guide, no bank id, no original option letters.
- The integrity analysis compares answers by bank question and original option:
  ``map_answer_to_bank`` turns an answer given by position and shown letter into that.
"""
import random
import secrets
from dataclasses import dataclass, fields
from decimal import Decimal

from ..core import text
from ..core.errors import RequestError
from ..core.i18n import N_
from . import blueprint as blueprints
from . import numbers, questions
from .answers import MAX_ESSAY, MAX_SHORT
from .questions import ESSAY, MCQ, NUMBER, OPTION_LETTERS, PART_ORDER, SHORT_ANSWER, STATEMENT_LETTERS, TRUE_FALSE

VERSION = 1  # of the stored form and of the drawing rule; part of the random seed
BAD_ANSWER = N_("This answer cannot be read.")


@dataclass(frozen=True)
class Item:
    """A question as delivered: its ``position`` on the paper (from 1), the question as it was
    in the bank (answer key included: this stays on the server), the bank letters of its options
    or statements in the order shown (``order[0]`` is shown as A or a) and its points."""

    position: int
    question: questions.Question
    order: tuple
    points: Decimal


@dataclass(frozen=True)
class DeliveredPaper:
    seed: str
    items: tuple

    def item(self, position):
        if isinstance(position, bool) or not isinstance(position, int) or not 1 <= position <= len(self.items):
            raise RequestError("bad_position", N_("There is no question {position} on this paper."),
                               position=str(position)[:20])
        return self.items[position - 1]

    @property
    def total_points(self):
        return sum((item.points for item in self.items), Decimal(0))


def new_seed():
    """A fresh seed for one attempt (kept with it)."""
    return secrets.token_hex(16)


def assemble(bank, blueprint, seed, policy=None):
    """The paper of ``seed`` drawn from ``bank`` (questions) by ``blueprint``; ``blueprints.NotMet``
    (a 409 listing what is missing) when the bank cannot give one. ``policy``: {format: points}."""
    blueprints.require(blueprint, bank, policy)
    rng = random.Random(f"vnot-paper-v{VERSION}:{seed}")
    groups = blueprints.by_cell(bank)
    drawn = {fmt: [] for fmt in PART_ORDER}
    for cell in sorted(blueprint.cells, key=blueprints.Cell.order):
        for question in rng.sample(groups[cell.key], cell.count):
            drawn[cell.format].append((question, blueprints.question_points(cell, question, policy)))
    items = []
    for fmt in PART_ORDER:
        part = drawn[fmt]
        rng.shuffle(part)
        for question, points in part:
            items.append(Item(len(items) + 1, question, _order(question, rng), points))
    return DeliveredPaper(str(seed), tuple(items))


def _order(question, rng):
    if question.format == MCQ:
        return OPTION_LETTERS if question.keep_order else tuple(rng.sample(OPTION_LETTERS, len(OPTION_LETTERS)))
    if question.format == TRUE_FALSE:
        return STATEMENT_LETTERS
    return ()


# The stored form -------------------------------------------------------------------------------

def to_dict(paper):
    """The JSON-safe form kept with the attempt (answer keys included: server only)."""
    return {"version": VERSION, "seed": paper.seed, "items": [
        {"position": item.position, "question": questions.to_dict(item.question), "order": list(item.order),
         "points": numbers.to_text(item.points)} for item in paper.items]}


def from_dict(data):
    """The paper ``to_dict`` wrote; ValueError if the stored form is not one (a bug, not input)."""
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("items"), list):
        raise ValueError("not a stored paper")
    items = []
    for position, stored in enumerate(data["items"], start=1):
        question = questions.from_dict(stored["question"])
        order = tuple(stored["order"])
        if stored["position"] != position or order != _expected_letters(question, order):
            raise ValueError(f"item {position} of the stored paper is inconsistent")
        items.append(Item(position, question, order, numbers.from_json(stored["points"])))
    return DeliveredPaper(str(data["seed"]), tuple(items))


def _expected_letters(question, order):
    letters = {MCQ: OPTION_LETTERS, TRUE_FALSE: STATEMENT_LETTERS}.get(question.format, ())
    return order if sorted(order) == sorted(letters) else None


# What a student sees -----------------------------------------------------------------------------

@dataclass(frozen=True)
class StudentChoice:
    letter: str  # as shown: A–D for options, a–d for statements
    html: str


@dataclass(frozen=True)
class StudentItem:
    position: int      # what an answer is sent with
    number: int        # "Câu 3" within its part
    format: str
    stem: str
    choices: tuple = ()     # multiple choice: StudentChoice A–D, in this student's order
    statements: tuple = ()  # true/false: StudentChoice a–d
    input: str = ""         # short answer: "number" (a numeric keyboard) or "text"


@dataclass(frozen=True)
class StudentPaper:
    items: tuple

    def to_dict(self):
        return {"items": [_public(item) for item in self.items]}


def _public(obj):
    """A student dataclass as JSON: only its own declared fields, recursively."""
    if isinstance(obj, tuple):
        return [_public(value) for value in obj]
    if isinstance(obj, (StudentItem, StudentChoice)):
        return {f.name: _public(getattr(obj, f.name)) for f in fields(obj)}
    if isinstance(obj, (str, int)):
        return obj
    raise TypeError(f"{type(obj).__name__} has no place in a student's view")


def student_view(paper):
    """What the student's browser receives before the attempt is finalised and review opens."""
    shown, numbers_in_part = [], {}
    for item in paper.items:
        question = item.question
        number = numbers_in_part[question.format] = numbers_in_part.get(question.format, 0) + 1
        extra = {}
        if question.format == MCQ:
            extra["choices"] = tuple(StudentChoice(OPTION_LETTERS[i], question.options[OPTION_LETTERS.index(bank)])
                                     for i, bank in enumerate(item.order))
        elif question.format == TRUE_FALSE:
            extra["statements"] = tuple(StudentChoice(STATEMENT_LETTERS[i],
                                                      question.statements[STATEMENT_LETTERS.index(bank)])
                                        for i, bank in enumerate(item.order))
        elif question.format == SHORT_ANSWER:
            extra["input"] = NUMBER if question.kind == NUMBER else questions.TEXT
        shown.append(StudentItem(item.position, number, question.format, question.stem, **extra))
    return StudentPaper(tuple(shown))


# Answers, from the paper's positions back to the bank -------------------------------------------

@dataclass(frozen=True)
class BankAnswer:
    """An answer in the bank's terms: the question's bank id and the response with original
    letters (multiple choice: "A"–"D" or None; true/false: {"a".."d": True/False/None}; short
    answer and essay: the text, or None)."""

    question_id: str
    response: object


def map_answer_to_bank(paper, position, response):
    """The answer a student gave to the question at ``position`` (shown letters) in the bank's
    terms; a RequestError (400) for a response that cannot be an answer to that question."""
    item = paper.item(position)
    fmt = item.question.format
    if response is None or response == "":
        return BankAnswer(item.question.id, None)
    if fmt == MCQ:
        if response not in OPTION_LETTERS:
            raise _bad_answer(position)
        mapped = item.order[OPTION_LETTERS.index(response)]
    elif fmt == TRUE_FALSE:
        if not isinstance(response, dict) or not set(response) <= set(STATEMENT_LETTERS) or not all(
                value is None or isinstance(value, bool) for value in response.values()):
            raise _bad_answer(position)
        mapped = {item.order[STATEMENT_LETTERS.index(shown)]: value for shown, value in sorted(response.items())}
    else:
        limit = MAX_SHORT if fmt == SHORT_ANSWER else MAX_ESSAY
        if not isinstance(response, str) or not text.is_valid(response) or len(response) > limit:
            raise _bad_answer(position)
        mapped = text.clean(response, multiline=fmt == ESSAY) or None
    return BankAnswer(item.question.id, mapped)


def _bad_answer(position):
    return RequestError("bad_answer", BAD_ANSWER, field=f"answers.{position}")


def map_answers(paper, responses):
    """{position: response} → {bank question id: bank response}, every answer checked first."""
    mapped = [map_answer_to_bank(paper, position, response) for position, response in responses.items()]
    return {answer.question_id: answer.response for answer in mapped}
