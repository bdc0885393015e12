"""Points per question and the score of a periodic test, in decimal arithmetic only.

The rules (docs/circular-09.md, periodic assessment): scores are on the 10-point scale, a paper
worth other points is converted to it; secondary scores keep one decimal and primary scores are
whole numbers without zero; rounding is half up, as people round (6.25 → 6.3, 6.5 → 7); subjects
assessed by comment only get Achieved (Đạt) or Not yet achieved (Chưa đạt). Points per format
are the school's settings (``policy_for``).

Every number is a ``Decimal`` from the first step: binary floats cannot hold 0.1 or 0.25 sums
exactly, and a score of 6.25 computed as 6.2499999 would round to 6.2. Numbers arriving as text
go through ``numbers.parse_number`` (the decimal comma: the rule the question bank uses too);
numbers arriving as floats (a JSON body, a Django setting written 0.25) are read back from their
shortest text, which is the literal the person wrote. Arithmetic runs in a local context with 34 digits, whatever the
thread's context says, and the only rounding is the final one, half up.

Scaling (documented for teachers): a paper worth ``maximum`` points gives the score
``raw × 10 ÷ maximum``, rounded once at the end; a paper worth exactly 10 is not converted.
"""
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, DivisionByZero, InvalidOperation, Overflow

from ..core import config, text
from ..core.errors import RequestError
from ..core.i18n import N_, current_language, gettext
from .numbers import parse_number
from .questions import ESSAY, MCQ, SHORT_ANSWER, STATEMENT_LETTERS, TRUE_FALSE

PRIMARY, SECONDARY = "primary", "secondary"
ACHIEVED, NOT_ACHIEVED = "achieved", "not_achieved"
VERDICT_LABELS = {ACHIEVED: N_("Achieved"), NOT_ACHIEVED: N_("Not yet achieved")}

ZERO = Decimal(0)
_MATH = Context(prec=34, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation, DivisionByZero, Overflow])


# ------------------------------------------------------------------ numbers

def to_decimal(value):
    """``value`` (int, Decimal, float or text as a person writes it) as a finite Decimal, or a
    ValueError (``numbers.NumberError``). Text is read by the one rule the question bank and the
    answers share (``numbers.parse_number``: the decimal comma, "2.5" too, "1.000" refused as
    ambiguous); a float is read from its shortest text, the literal that produced it, so 0.1
    becomes Decimal("0.1"), never 0.1000000000000000055511151231257827."""
    return parse_number(value)


def round_half_up(value, decimals):
    """``value`` rounded to ``decimals`` places, halves away from zero (6.25 → 6.3, 6.5 → 7)."""
    return to_decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP, context=_MATH)


# ------------------------------------------------------------------ the school's policy

@dataclass(frozen=True)
class Policy:
    """The numbers that score one test: points per format (true/false by the number of its
    statements right, index 0 = none right), the essay step, the scale, the decimals and lowest
    score of the school's level, and the comment-only rule."""

    mcq: Decimal = Decimal("0.25")
    true_false: tuple = (ZERO, Decimal("0.1"), Decimal("0.25"), Decimal("0.5"), Decimal("1.0"))
    short: Decimal = Decimal("0.25")
    essay_step: Decimal = Decimal("0.25")
    scale: Decimal = Decimal(10)
    decimals: int = 1
    lowest: Decimal = ZERO
    comment_only: bool = False
    pass_mark: Decimal = Decimal("5.0")


def true_false_table(points):
    """The true/false table from a setting {statements right: points} (keys 1 to 4, as numbers or
    text); a count not listed scores 0, and so does none right."""
    table = {int(k): to_decimal(v) for k, v in points.items()}
    if not table or min(table) < 1:
        raise ValueError("true/false points are given for 1 or more statements right")
    return tuple(table.get(n, ZERO) for n in range(max(table) + 1))


def policy_for(org=None, subject="", level=None):
    """The scoring policy of ``subject`` in school ``org`` at ``level`` ("primary" or
    "secondary"; the school's ``SCHOOL_LEVEL`` when None), from the settings."""
    level = level or config.get("SCHOOL_LEVEL", org)
    if level not in (PRIMARY, SECONDARY):
        raise ValueError(f"unknown school level {level!r}")
    points = {"mcq": config.get("ASSESSMENT_MCQ_POINTS", org), "short": config.get("ASSESSMENT_SHORT_POINTS", org),
              "true_false": config.get("ASSESSMENT_TRUE_FALSE_POINTS", org)}
    key = text.fold(subject or "")
    for name, override in (config.get("ASSESSMENT_SUBJECT_POINTS", org) or {}).items():
        if key and text.fold(name) == key:
            unknown = set(override) - set(points)
            if unknown:
                raise ValueError(f"ASSESSMENT_SUBJECT_POINTS[{name!r}]: unknown formats {sorted(unknown)}")
            points.update(override)
    comment_subjects = {text.fold(s) for s in config.get("ASSESSMENT_COMMENT_SUBJECTS", org)}
    return Policy(
        mcq=to_decimal(points["mcq"]),
        true_false=true_false_table(points["true_false"]),
        short=to_decimal(points["short"]),
        essay_step=to_decimal(config.get("ASSESSMENT_ESSAY_STEP", org)),
        scale=to_decimal(config.get("ASSESSMENT_SCALE", org)),
        decimals=int(config.get("ASSESSMENT_DECIMALS", org)[level]),
        lowest=to_decimal(config.get("ASSESSMENT_LOWEST_SCORE", org)[level]),
        comment_only=bool(key) and key in comment_subjects,
        pass_mark=to_decimal(config.get("ASSESSMENT_COMMENT_PASS_MARK", org)),
    )


# ------------------------------------------------------------------ one question
# Answers are in the bank's terms (paper.map_answers): the option's bank letter, the statements
# {"a".."d": True/False/None}, the typed text. ``points`` is what the question is worth on the
# delivered paper (paper.Item.points).

def score_mcq(choice, key, points):
    """``points`` for the keyed option, 0 for another or none."""
    return to_decimal(points) if choice is not None and choice == key else ZERO


def statements_right(answers, key):
    """How many of a true/false question's statements are answered as the key says; ``answers``
    by letter ({"a": True, …}) or in order. An unanswered statement is not right."""
    if isinstance(answers, Mapping):
        answers = tuple(answers.get(letter) for letter in STATEMENT_LETTERS[:len(key)])
    answers = tuple(answers or ())
    if len(answers) > len(key):
        raise ValueError("more answers than statements")
    return sum(1 for given, right in zip(answers, key) if given is not None and bool(given) == bool(right))


def score_true_false(answers, key, table, points=None):
    """The table's points for the number of statements right. A question worth other ``points``
    than the table's top (4 right) scales the whole table: worth 2, it gives 0.2, 0.5, 1, 2."""
    right = min(statements_right(answers, key), len(table) - 1)
    if points is None or to_decimal(points) == table[-1]:
        return table[right]
    return _MATH.divide(_MATH.multiply(table[right], to_decimal(points)), table[-1])


def score_short(answer, question, points):
    """``points`` when the question accepts the typed ``answer`` (questions.ShortAnswer.accepts:
    a number read with the decimal comma within the tolerance, or one of the accepted texts)."""
    return to_decimal(points) if answer is not None and question.accepts(answer) else ZERO


def essay_points(mark, maximum, step):
    """The teacher's mark for an essay as points: from 0 to ``maximum`` in steps of ``step``, or a
    translated 400 naming the field "mark"."""
    maximum, step = to_decimal(maximum), to_decimal(step)
    try:
        points = to_decimal(mark)
    except ValueError:
        points = None
    if points is None or not ZERO <= points <= maximum or _MATH.remainder(points, step) != 0:
        raise RequestError("bad_mark", N_("The mark must be between 0 and {maximum}, in steps of {step}."),
                           field="mark", maximum=format_number(maximum), step=format_number(step))
    return points


def score_item(item, answer, policy, mark=None):
    """Points of one answer to a delivered ``item`` (paper.Item: ``question`` and ``points``); for
    an essay, the teacher's ``mark`` (None while unmarked)."""
    question, points = item.question, to_decimal(item.points)
    if question.format == MCQ:
        return score_mcq(answer, question.answer, points)
    if question.format == TRUE_FALSE:
        return score_true_false(answer, question.answers, policy.true_false, points)
    if question.format == SHORT_ANSWER:
        return score_short(answer, question, points)
    if question.format == ESSAY:
        return None if mark is None else essay_points(mark, points, policy.essay_step)
    raise ValueError(f"unknown question format {question.format!r}")


# ------------------------------------------------------------------ a whole attempt

@dataclass(frozen=True)
class Result:
    """The score of an attempt: points per question (None: an essay not marked yet), the raw sum
    and the paper's maximum, the value on the scale before rounding, the score as given, and for a
    subject assessed by comment only the verdict (ACHIEVED / NOT_ACHIEVED)."""

    points: dict
    raw: Decimal
    maximum: Decimal
    scaled: Decimal
    score: Decimal
    verdict: str = None
    unmarked: tuple = field(default=())

    @property
    def complete(self):
        return not self.unmarked

    def shown(self):
        """What the student and the gradebook read: the verdict, or the score with the reader's
        decimal separator."""
        if self.verdict:
            return gettext(VERDICT_LABELS[self.verdict])
        return format_number(self.score)

    def as_record(self):
        """The result as JSON-safe text, exact (for history and the archive)."""
        return {"points": {q: plain(p) for q, p in self.points.items()},
                "raw": plain(self.raw), "maximum": plain(self.maximum), "scaled": plain(self.scaled),
                "score": plain(self.score), "verdict": self.verdict, "unmarked": list(self.unmarked)}

    @classmethod
    def from_record(cls, record):
        """The result ``as_record`` wrote, exactly."""
        number = Decimal
        return cls({q: None if p is None else number(p) for q, p in record["points"].items()},
                   number(record["raw"]), number(record["maximum"]), number(record["scaled"]),
                   number(record["score"]), record.get("verdict"), tuple(record.get("unmarked") or ()))


def scale_score(raw, maximum, policy):
    """(value on the scale, score as given, verdict) for ``raw`` points out of ``maximum``: scaled
    exactly, rounded once half up to the level's decimals, raised to the level's lowest score;
    compared with the pass mark in a comment-only subject."""
    raw, maximum = to_decimal(raw), to_decimal(maximum)
    if maximum <= 0 or not ZERO <= raw <= maximum:
        raise ValueError("points must lie between 0 and a positive maximum")
    scaled = raw if maximum == policy.scale else _MATH.divide(_MATH.multiply(raw, policy.scale), maximum)
    score = max(round_half_up(scaled, policy.decimals), policy.lowest)
    verdict = None
    if policy.comment_only:
        verdict = ACHIEVED if score >= policy.pass_mark else NOT_ACHIEVED
    return scaled, score, verdict


def score_attempt(items, answers, policy, marks=None):
    """The result of one attempt at a delivered paper's ``items``: ``answers`` and essay ``marks``
    by bank question id. The paper's maximum is the sum of its items' points."""
    answers, marks = answers or {}, marks or {}
    points = {item.question.id: score_item(item, answers.get(item.question.id), policy, marks.get(item.question.id))
              for item in items}
    raw = sum((p for p in points.values() if p is not None), ZERO)
    maximum = sum((to_decimal(item.points) for item in items), ZERO)
    scaled, score, verdict = scale_score(raw, maximum, policy)
    unmarked = tuple(q for q, p in points.items() if p is None)
    return Result(points, raw, maximum, scaled, score, verdict, unmarked)


@dataclass(frozen=True)
class Rescore:
    """A re-score after a corrected key or a re-mark: both results and the questions whose
    points changed, (question id, old points, new points), for the attempt's history."""

    previous: Result
    current: Result
    changes: tuple

    @property
    def difference(self):
        return self.current.score - self.previous.score

    def as_record(self):
        return {"old": self.previous.as_record(), "new": self.current.as_record(),
                "changes": [{"question": q, "old": plain(o), "new": plain(n)} for q, o, n in self.changes],
                "difference": plain(self.difference)}


def rescore(previous, items, answers, policy, marks=None):
    """Score the attempt again with ``items`` (the paper with a corrected key) and ``marks`` (a
    re-mark), keeping the previous result beside the new one."""
    current = score_attempt(items, answers, policy, marks)
    qids = list(previous.points) + [q for q in current.points if q not in previous.points]
    changes = tuple((q, previous.points.get(q), current.points.get(q)) for q in qids
                    if previous.points.get(q) != current.points.get(q))
    return Rescore(previous, current, changes)


def plain(value):
    """A Decimal as plain text, never in exponent form ("10", "0.25", "6.3"; None stays None)."""
    return None if value is None else format(to_decimal(value), "f")


def format_number(value):
    """A Decimal as the reader writes it, exactly as given: "6,3" in Vietnamese, "6.3" in English."""
    shown = plain(value)
    return shown.replace(".", ",") if current_language() == "vi" else shown
