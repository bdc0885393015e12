"""Questions of a periodic test in the four formats of 2025, checked before they are kept.

Multiple choice (4 options, one right), true/false (4 statements, each true or false), short
answer (a number within a tolerance, or a short text) and essay (marked by the teacher with a
marking guide). Every question has a topic, a cognitive level (levels.py) and, optionally, its
own points: without them the school's scoring policy gives the points of its format (an essay
always has its own). Stems, options, statements and guides are rich text (richtext.py).

The dict form (``to_dict``/``from_dict``) is what XBlock fields, OLX and the Studio editor carry:
JSON-safe, numbers as canonical strings ("0.25"), the answer key included. It never goes to a
student: a student sees a delivered paper's ``student_view`` (paper.py).

``id`` names a question in the bank for good: delivered papers and the integrity analysis refer
to it. A question given without one gets an id made from its content, so importing the same
spreadsheet twice gives the same ids.
"""
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from ..core import text
from ..core.i18n import N_
from . import levels, numbers, richtext
from .answers import normalise_text
from .problems import Invalid, Problem

# Format codes, stored in questions, blueprints, papers and the scoring settings: never rename.
MCQ, TRUE_FALSE, SHORT_ANSWER, ESSAY = "mcq", "true_false", "short", "essay"
FORMATS = {
    MCQ: N_("Multiple choice"),
    TRUE_FALSE: N_("True/false"),
    SHORT_ANSWER: N_("Short answer"),
    ESSAY: N_("Essay"),
}
PART_ORDER = (MCQ, TRUE_FALSE, SHORT_ANSWER, ESSAY)  # the parts of a paper, as in the 2025 papers
OPTION_LETTERS = ("A", "B", "C", "D")
STATEMENT_LETTERS = ("a", "b", "c", "d")
NUMBER, TEXT = "number", "text"  # kinds of short answer

ID_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-")
ID_LENGTH, TOPIC_LENGTH, STEM_LENGTH, OPTION_LENGTH, GUIDE_LENGTH = 40, 200, 20_000, 5_000, 50_000
TEXT_ANSWER_LENGTH, MAX_TEXT_ANSWERS = 200, 10
MAX_POINTS, POINTS_PLACES = Decimal(100), 3
MAX_NUMBER, NUMBER_PLACES = Decimal(10) ** 12, 6

LABELS = {
    "id": N_("Question code"), "format": N_("Question format"), "topic": N_("Topic"), "level": N_("Level"),
    "stem": N_("Question"), "points": N_("Points"), "options": N_("Option {letter}"),
    "answer": N_("Correct option"), "keep_order": N_("Keep the order of the options"),
    "statements": N_("Statement {letter}"), "answers": N_("True or false"), "kind": N_("Kind of answer"),
    "number": N_("Answer"), "tolerance": N_("Tolerance"), "texts": N_("Accepted answers"),
    "ignore_diacritics": N_("Ignore diacritics"), "guide": N_("Marking guide"),
}
REQUIRED = N_("This is required.")
TOO_LONG = N_("This is too long (at most {limit} characters).")
WRONG_TYPE = N_("This has the wrong type.")


@dataclass(frozen=True)
class Question:
    id: str
    topic: str
    level: str
    stem: str                          # sanitised rich text
    points: Decimal | None = None   # None: the scoring policy's points for the format
    format: ClassVar[str] = ""


@dataclass(frozen=True)
class MultipleChoice(Question):
    options: tuple = ()       # 4 rich texts, A to D
    answer: str = ""          # the right option's letter
    keep_order: bool = False  # "All of the above" and the like: the options are never shuffled
    format: ClassVar[str] = MCQ


@dataclass(frozen=True)
class TrueFalse(Question):
    statements: tuple = ()  # 4 rich texts, a to d
    answers: tuple = ()     # 4 booleans: is statement a, b, c, d true?
    format: ClassVar[str] = TRUE_FALSE


@dataclass(frozen=True)
class ShortAnswer(Question):
    kind: str = NUMBER
    number: Decimal | None = None   # NUMBER: the right value …
    tolerance: Decimal = Decimal(0)    # … and how far from it an answer may be
    texts: tuple = ()                  # TEXT: the accepted answers
    ignore_diacritics: bool = False    # TEXT: "Ha Noi" also accepts "Hà Nội"
    format: ClassVar[str] = SHORT_ANSWER

    def accepts(self, response):
        """True when a student's typed ``response`` is right: a number (Vietnamese decimal comma,
        numbers.py's rule) within the tolerance, or a text equal to an accepted one once both are
        normalised (NFC, case, spaces; diacritics too when the question says so)."""
        if not isinstance(response, str):
            return False
        if self.kind == NUMBER:
            try:
                value = numbers.parse_number(response)
            except numbers.NumberError:
                return False
            return abs(value - self.number) <= self.tolerance
        given = normalise_text(response, self.ignore_diacritics)
        return bool(given) and any(given == normalise_text(t, self.ignore_diacritics) for t in self.texts)


@dataclass(frozen=True)
class Essay(Question):
    guide: str = ""  # the marking guide (hướng dẫn chấm), rich text
    format: ClassVar[str] = ESSAY


CLASSES = {cls.format: cls for cls in (MultipleChoice, TrueFalse, ShortAnswer, Essay)}
COMMON_FIELDS = ("id", "format", "topic", "level", "stem", "points")
FORMAT_FIELDS = {
    MCQ: ("options", "answer", "keep_order"),
    TRUE_FALSE: ("statements", "answers"),
    SHORT_ANSWER: ("kind", "number", "tolerance", "texts", "ignore_diacritics"),
    ESSAY: ("guide",),
}


def problem(name, code, message, index=None, **params):
    """A problem about field ``name`` (item ``index`` of a list field)."""
    where = name if index is None else f"{name}[{index}]"
    letters = STATEMENT_LETTERS if name == "statements" else OPTION_LETTERS
    label_params = {"letter": letters[index]} if index is not None and index < 4 else {}
    return Problem(where, code, message, params, LABELS.get(name, ""), label_params)


class _Checker:
    """Reads one question's dict, collecting every problem instead of stopping at the first."""

    def __init__(self, data):
        self.data = data
        self.problems = []

    def add(self, name, code, message, index=None, **params):
        self.problems.append(problem(name, code, message, index, **params))

    def line(self, name, limit, required=True):
        value = self.data.get(name)
        if value is None or value == "":
            if required:
                self.add(name, "required", REQUIRED)
            return ""
        if not isinstance(value, str):
            return self.add(name, "bad_type", WRONG_TYPE) or ""
        before = len(self.problems)
        value = self._text(name, value, limit, None, multiline=False)
        if required and not value and len(self.problems) == before:
            self.add(name, "required", REQUIRED)
        return value

    def _text(self, name, value, limit, index, multiline):
        if not text.is_valid(value):
            return self.add(name, "bad_text", N_("This contains characters that cannot be read."), index) or ""
        value = text.clean(value, multiline)
        if len(value) > limit:
            return self.add(name, "too_long", TOO_LONG, index, limit=limit) or ""
        return value

    def rich(self, name, limit, index=None, value=None):
        value = self.data.get(name) if index is None else value
        if not isinstance(value, (str, type(None))):
            return self.add(name, "bad_type", WRONG_TYPE, index) or ""
        before = len(self.problems)
        cleaned = richtext.sanitize(self._text(name, value or "", limit, index, multiline=True))
        if len(cleaned) > limit:
            return self.add(name, "too_long", TOO_LONG, index, limit=limit) or ""
        if not richtext.has_content(cleaned) and len(self.problems) == before:
            self.add(name, "required", REQUIRED, index)
        return cleaned

    def rich_list(self, name, limit):
        values = self.data.get(name)
        if not isinstance(values, list) or len(values) != 4:
            message = (N_("A multiple-choice question has exactly 4 options.") if name == "options"
                       else N_("A true/false question has exactly 4 statements."))
            self.add(name, "four_items", message)
            return ()
        return tuple(self.rich(name, limit, i, v) for i, v in enumerate(values))

    def flag(self, name):
        value = self.data.get(name, False)
        if value is None:
            return False
        if not isinstance(value, bool):
            return self.add(name, "bad_type", WRONG_TYPE) or False
        return value

    def decimal(self, name, minimum, maximum, places, required=False, exclusive_minimum=False):
        value = self.data.get(name)
        if value is None or value == "":
            if required:
                self.add(name, "required", REQUIRED)
            return None
        try:
            number = numbers.from_json(value)
        except numbers.NumberError as error:
            return self.add(name, error.code, error.message, value=error.value)
        low_ok = number > minimum if exclusive_minimum else number >= minimum
        if not low_ok or number > maximum:
            message = (N_("This must be more than {minimum} and at most {maximum}.") if exclusive_minimum
                       else N_("This must be a number from {minimum} to {maximum}."))
            return self.add(name, "out_of_range", message, minimum=numbers.to_vietnamese(minimum),
                            maximum=numbers.to_vietnamese(maximum))
        if numbers.decimals(number) > places:
            return self.add(name, "too_precise", N_("Use at most {places} decimal places."), places=places)
        return number


def check(data):
    """(question, []) for a valid question dict, or (None, problems)."""
    if not isinstance(data, dict):
        return None, [problem("format", "bad_type", WRONG_TYPE)]
    fmt = data.get("format")
    if not isinstance(fmt, str) or fmt not in CLASSES:
        return None, [problem("format", "bad_format", N_("Unknown question format: {value}."),
                              value=str(fmt)[:40])]
    checker = _Checker(data)
    for name in sorted(set(data) - set(COMMON_FIELDS) - set(FORMAT_FIELDS[fmt]), key=str):
        checker.problems.append(Problem(str(name)[:100], "unknown_field", N_("Unknown field: {field}."),
                                        {"field": str(name)[:100]}))
    qid = checker.line("id", ID_LENGTH, required=False)
    if qid and (not set(qid) <= ID_CHARS or not qid[0].isalnum()):
        checker.add("id", "bad_id", N_("Use 1 to 40 letters without accents, digits, dots, hyphens or "
                                       "underscores, starting with a letter or a digit."))
    fields = {
        "topic": checker.line("topic", TOPIC_LENGTH),
        "level": _level(checker),
        "stem": checker.rich("stem", STEM_LENGTH),
        "points": checker.decimal("points", Decimal(0), MAX_POINTS, POINTS_PLACES, required=fmt == ESSAY,
                                  exclusive_minimum=True),
    }
    fields.update(_READERS[fmt](checker))
    if checker.problems:
        return None, checker.problems
    question = CLASSES[fmt](id=qid or "", **fields)
    if not qid:
        question = CLASSES[fmt](id=content_id(question), **fields)
    return question, []


def _level(checker):
    code = checker.data.get("level")
    if isinstance(code, str) and code in levels.LEVELS:
        return code
    if code is None or code == "":
        return checker.add("level", "required", REQUIRED) or ""
    return checker.add("level", "bad_level", N_("Unknown level: {value}. Use one of: {choices}."),
                       value=str(code)[:40], choices=levels.names()) or ""


def _mcq(checker):
    options = checker.rich_list("options", OPTION_LENGTH)
    seen = {}
    for i, option in enumerate(options):
        key = text.fold(richtext.plain(option)) or option
        if option and key in seen:
            checker.add("options", "duplicate_option", N_("Options {first} and {second} are the same."), i,
                        first=OPTION_LETTERS[seen[key]], second=OPTION_LETTERS[i])
        seen.setdefault(key, i)
    answer = checker.data.get("answer")
    if answer not in OPTION_LETTERS:
        checker.add("answer", "bad_answer", N_("The correct option must be A, B, C or D."))
    return {"options": options, "answer": answer, "keep_order": checker.flag("keep_order")}


def _true_false(checker):
    statements = checker.rich_list("statements", OPTION_LENGTH)
    answers = checker.data.get("answers")
    if not isinstance(answers, list) or len(answers) != 4 or not all(isinstance(a, bool) for a in answers):
        checker.add("answers", "bad_answers", N_("Say for each of the 4 statements whether it is true or false "
                                                 "(for example Đ S Đ Đ)."))
        answers = ()
    return {"statements": statements, "answers": tuple(answers)}


def _short_answer(checker):
    kind = checker.data.get("kind") or NUMBER
    if kind not in (NUMBER, TEXT):
        checker.add("kind", "bad_kind", N_("The answer must be a number or a text."))
        return {"kind": NUMBER}
    if kind == NUMBER:
        number = checker.decimal("number", -MAX_NUMBER, MAX_NUMBER, NUMBER_PLACES, required=True)
        tolerance = checker.decimal("tolerance", Decimal(0), MAX_NUMBER, NUMBER_PLACES)
        return {"kind": kind, "number": number, "tolerance": tolerance or Decimal(0)}
    values = checker.data.get("texts")
    if not isinstance(values, list) or not values:
        checker.add("texts", "required", N_("Give at least one accepted answer."))
        values = []
    elif len(values) > MAX_TEXT_ANSWERS:
        checker.add("texts", "too_many", N_("Give at most {limit} accepted answers."), limit=MAX_TEXT_ANSWERS)
        values = []
    texts = []
    for i, value in enumerate(values):
        if not isinstance(value, str):
            checker.add("texts", "bad_type", WRONG_TYPE)
            continue
        cleaned = checker._text("texts", value, TEXT_ANSWER_LENGTH, None, multiline=False)
        if not cleaned and not value.strip():
            checker.add("texts", "required", N_("An accepted answer is empty."))
        elif cleaned and cleaned not in texts:
            texts.append(cleaned)
    return {"kind": kind, "texts": tuple(texts), "ignore_diacritics": checker.flag("ignore_diacritics")}


def _essay(checker):
    return {"guide": checker.rich("guide", GUIDE_LENGTH)}


_READERS = {MCQ: _mcq, TRUE_FALSE: _true_false, SHORT_ANSWER: _short_answer, ESSAY: _essay}


def from_dict(data):
    """The question ``data`` describes, or ``Invalid`` listing every problem with it."""
    question, problems = check(data)
    if problems:
        raise Invalid(problems)
    return question


def to_dict(question):
    """The JSON-safe dict of ``question`` (answer key included: never for a student)."""
    data = {"id": question.id, "format": question.format, "topic": question.topic, "level": question.level,
            "stem": question.stem, "points": None if question.points is None else numbers.to_text(question.points)}
    if isinstance(question, MultipleChoice):
        data.update(options=list(question.options), answer=question.answer, keep_order=question.keep_order)
    elif isinstance(question, TrueFalse):
        data.update(statements=list(question.statements), answers=list(question.answers))
    elif isinstance(question, ShortAnswer):
        data["kind"] = question.kind
        if question.kind == NUMBER:
            data.update(number=numbers.to_text(question.number), tolerance=numbers.to_text(question.tolerance))
        else:
            data.update(texts=list(question.texts), ignore_diacritics=question.ignore_diacritics)
    else:
        data["guide"] = question.guide
    return data


def content_id(question):
    """An id made from everything a question says but its id: the same content, the same id."""
    data = to_dict(question)
    data.pop("id")
    digest = hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()
    return "q" + digest[:16]


def topic_key(topic):
    """What two topics are compared by: "Hàm số" and "hàm  số" are one topic."""
    return text.fold(topic)
