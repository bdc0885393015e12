"""Scores of a sitting's attempts: the score at finalisation, essays marked and re-marked, an answer
key corrected after the sitting, the results released.

Every score after the first is kept with its history (``ScoreHistory``: the result before and
after and the questions whose points changed, scoring.Rescore) and audited with who, in which
role, when and why (docs/circular-09.md, periodic assessment: marking is traceable). A corrected
key is kept on the sitting and applied when scoring; the delivered papers stay as delivered.
"""
import dataclasses

from django.db import transaction

from ..core import clock
from ..core.errors import Conflict, RequestError
from ..core.i18n import N_
from ..core.validation import Field
from . import access, numbers, questions, scoring, states
from .evidence import bank_answers, delivered_paper, delivered_questions
from .models import Attempt, EssayMark, ScoreHistory
from .questions import ESSAY, MCQ, SHORT_ANSWER, TRUE_FALSE
from .records import (OBJECT_ATTEMPT, OBJECT_SITTING, authorize, ensure_sitting, record, require_reason,
                      sitting_for, sitting_of, student_attempt)

# What a corrected key may change: the key, never what the students were shown.
KEY_FIELDS = {MCQ: ("answer",), TRUE_FALSE: ("answers",),
              SHORT_ANSWER: ("kind", "number", "tolerance", "texts", "ignore_diacritics")}
MARK_FIELDS = {"student": Field(str, max_length=255, multiline=False), "position": Field(int, minimum=1, maximum=200),
               "mark": Field(object), "comment": Field(str, required=False, default="", max_length=5000),
               "reason": Field(str, required=False, default="", max_length=2000)}


# Scoring ---------------------------------------------------------------------------------------

def paper_for_scoring(attempt, sitting):
    """The attempt's delivered paper with the sitting's corrected keys applied."""
    delivered = delivered_paper(attempt)
    if not sitting.corrections:
        return delivered
    items = tuple(dataclasses.replace(item, question=_corrected(item.question, sitting.corrections.get(
        item.question.id))) for item in delivered.items)
    return dataclasses.replace(delivered, items=items)


def _corrected(question, stored):
    if stored is None:
        return question
    fixed = questions.from_dict(stored)
    return dataclasses.replace(question, **{name: getattr(fixed, name) for name in KEY_FIELDS[question.format]})


def current_marks(attempt):
    """{bank question id: points} of the latest mark of each essay."""
    return {m.question_id: m.points for m in EssayMark.objects.filter(attempt=attempt).order_by("at", "pk")}


def _inputs(attempt, sitting, up_to_seq=None):
    delivered = paper_for_scoring(attempt, sitting)
    return (delivered.items, bank_answers(attempt, delivered, up_to_seq),
            scoring.policy_for(sitting.org, sitting.subject), current_marks(attempt))


def score(attempt, sitting):
    """The attempt's result from its answer sheet, corrected keys and essay marks (unmarked essays
    are listed in ``Result.unmarked``)."""
    return scoring.score_attempt(*_inputs(attempt, sitting))


def _rescore(attempt, sitting):
    items, answers, policy, marks = _inputs(attempt, sitting)
    return scoring.rescore(scoring.Result.from_record(attempt.result), items, answers, policy, marks)


def _keep(attempt, change, kind, actor, role, reason, now):
    """Write the new result and its history line (call with the attempt locked)."""
    attempt.result = change.current.as_record()
    attempt.save(update_fields=["result", "state", "updated_at"])
    ScoreHistory.objects.create(attempt=attempt, kind=kind, at=now, by_key=actor.user_key, by_name=actor.display_name,
                                role=role, reason=reason, change=change.as_record())


# Essays ----------------------------------------------------------------------------------------

def mark_essay(test, actor, student, position, mark, comment="", reason=""):
    """The teacher's mark of the essay at ``position`` of a student's ended attempt, in steps of
    the school's essay step up to the question's points. A re-mark after the results were
    released needs a reason. Returns the new result (scoring.Result.as_record)."""
    role = authorize(actor, access.MARK, test)
    now = clock.now()
    ensure_sitting(test)
    with transaction.atomic():
        sitting = sitting_for(test, now)
        attempt = student_attempt(test, student, lock=True)
        if attempt.result is None:
            raise Conflict("not_ended", N_("This attempt has not ended yet."))
        before = attempt.state
        attempt.state = states.next_state(before, states.MARK_ESSAY, reason)
        item = paper_for_scoring(attempt, sitting).item(position)
        if item.question.format != ESSAY:
            raise RequestError("not_essay", N_("Question {position} is not an essay."), field="position",
                               position=position)
        policy = scoring.policy_for(sitting.org, sitting.subject)
        points = scoring.essay_points(mark, item.points, policy.essay_step)
        previous = current_marks(attempt).get(item.question.id)
        EssayMark.objects.create(attempt=attempt, question_id=item.question.id, points=scoring.plain(points),
                                 comment=(comment or "").strip(), reason=(reason or "").strip(), by_key=actor.user_key,
                                 by_name=actor.display_name, role=role, at=now)
        change = _rescore(attempt, sitting)
        _keep(attempt, change, "mark" if previous is None else "remark", actor, role, (reason or "").strip(), now)
        record("assessment.mark_essay", sitting, actor, role, OBJECT_ATTEMPT, attempt.pk, user=student,
               question=item.question.id, position=position, before=previous, after=scoring.plain(points),
               reason=(reason or "").strip(), state=[before, attempt.state], score=[
                   scoring.plain(change.previous.score), scoring.plain(change.current.score)])
    return change.current.as_record()


# A corrected key -------------------------------------------------------------------------------

def correct_key(test, actor, question, reason):
    """Correct the key of one bank question after the sitting (``question``: the question with its
    right key, the same id and format) and score again every ended attempt whose paper has it;
    attempts still open are scored with it when they end. Returns [{"user", "old", "new"}]."""
    role = authorize(actor, access.CORRECT_KEY, test)
    reason = require_reason(reason)
    if question.format not in KEY_FIELDS:
        raise RequestError("not_keyed", N_("An essay has no answer key: mark it again instead."), field="question")
    now = clock.now()
    changed = []
    ensure_sitting(test)
    with transaction.atomic():
        sitting = sitting_for(test, now)
        delivered = [a for a in Attempt.objects.select_for_update().filter(sitting=sitting).order_by("user_key")
                     if any(i["question"]["id"] == question.id for i in a.paper["items"])]
        if not delivered:
            raise RequestError("not_delivered", N_("No student was given this question."), field="question")
        original = next(i["question"] for i in delivered[0].paper["items"] if i["question"]["id"] == question.id)
        if original["format"] != question.format:
            raise RequestError("bad_format", N_("The corrected question must keep its format."), field="question")
        previous = sitting.corrections.get(question.id)
        sitting.corrections = dict(sitting.corrections, **{question.id: questions.to_dict(question)})
        sitting.save(update_fields=["corrections", "updated_at"])
        for attempt in delivered:
            if attempt.result is None or attempt.state not in states.ENDED:
                continue
            attempt.state = states.next_state(attempt.state, states.RESCORE, reason)
            change = _rescore(attempt, sitting)
            if change.changes:
                _keep(attempt, change, "correct_key", actor, role, reason, now)
                changed.append({"user": attempt.user_key, "old": scoring.plain(change.previous.score),
                                "new": scoring.plain(change.current.score)})
        key = {name: value for name, value in questions.to_dict(question).items()
               if name in KEY_FIELDS[question.format]}
        record("assessment.correct_key", sitting, actor, role, OBJECT_SITTING, sitting.pk, question=question.id,
               key=key, previous=previous and {k: previous.get(k) for k in key}, reason=reason, rescored=changed)
    return changed


# The key correction form -----------------------------------------------------------------------

KEY_INPUT = {
    "question": Field(str, max_length=100, multiline=False),
    "answer": Field(str, required=False, default="", max_length=1, multiline=False),
    "answers": Field(list, required=False, default=None, max_items=4, item=Field(bool)),
    "kind": Field(str, required=False, default="", choices=["", questions.NUMBER, questions.TEXT]),
    "number": Field(str, required=False, default="", max_length=40, multiline=False),
    "tolerance": Field(str, required=False, default="", max_length=40, multiline=False),
    "texts": Field(list, required=False, default=None, max_items=20, item=Field(str, max_length=200, multiline=False)),
    "ignore_diacritics": Field(bool, required=False, default=False),
    "reason": Field(str, max_length=2000),
}


def _key_of(data):
    return {name: data.get(name) for name in KEY_FIELDS[data["format"]] if name in data}


def answer_keys(test, actor):
    """The keyed questions the students were given, each with the key in force now (the sitting's
    correction, else the delivered one) and how many ended attempts have it: what the teacher
    chooses from to correct a key. Server-side reading for the staff who correct keys only."""
    authorize(actor, access.CORRECT_KEY, test)
    delivered, ended = delivered_questions(test.usage_key)
    sitting = sitting_of(test)
    corrections = sitting.corrections if sitting else {}
    out = []
    for number, (qid, data) in enumerate(delivered.items(), start=1):
        if data["format"] not in KEY_FIELDS:
            continue
        current = corrections.get(qid) or data
        out.append({"id": qid, "number": number, "format": data["format"], "stem": data["stem"],
                    "options": data.get("options") or [], "statements": data.get("statements") or [],
                    "key": _key_of(current), "corrected": qid in corrections, "ended": ended.get(qid, 0)})
    return {"questions": out}


def _number(value):
    """A number as the teacher types it (decimal comma) in the bank's form; left as typed when it
    is not one, so the bank's check names the problem."""
    try:
        return numbers.to_text(numbers.parse_number(value))
    except numbers.NumberError:
        return value


def corrected_question(test, actor, data):
    """The question as delivered with only its key replaced by the form's (what the students saw
    stays as they saw it), and the number of ended attempts to score again; a translated 400 for
    a question nobody was given or a key the bank's rules refuse (nothing changes)."""
    authorize(actor, access.CORRECT_KEY, test)
    require_reason(data["reason"])
    delivered, ended = delivered_questions(test.usage_key)
    original = delivered.get(data["question"])
    if original is None:
        raise RequestError("not_delivered", N_("No student was given this question."), field="question")
    if original["format"] not in KEY_FIELDS:
        raise RequestError("not_keyed", N_("An essay has no answer key: mark it again instead."), field="question")
    fixed = dict(original)
    if original["format"] == MCQ:
        fixed["answer"] = (data["answer"] or "").upper()
    elif original["format"] == TRUE_FALSE:
        fixed["answers"] = data["answers"]
    else:
        fixed["kind"] = data["kind"] or original.get("kind")
        for name in ("number", "tolerance", "texts", "ignore_diacritics"):
            fixed.pop(name, None)
        if fixed["kind"] == questions.NUMBER:
            fixed.update(number=_number(data["number"]), tolerance=_number(data["tolerance"] or "0"))
        else:
            fixed.update(texts=data["texts"] or [], ignore_diacritics=data["ignore_diacritics"])
    return questions.from_dict(fixed), ended.get(original["id"], 0)


# Releasing results -----------------------------------------------------------------------------

def publish(test, actor):
    """Release the results of every ended attempt to its student: refused while a student is still
    answering or an essay is not marked. Returns the number of attempts released."""
    role = authorize(actor, access.PUBLISH, test)
    now = clock.now()
    ensure_sitting(test)
    with transaction.atomic():
        sitting = sitting_for(test, now)
        rows = list(Attempt.objects.select_for_update().filter(sitting=sitting).order_by("user_key"))
        if any(a.state in (states.IN_PROGRESS, states.REOPENED) for a in rows):
            raise Conflict("still_open", N_("Some students are still taking this test."))
        unmarked = [a for a in rows if a.state != states.PUBLISHED and (a.result or {}).get("unmarked")]
        if unmarked:
            raise Conflict("unmarked", N_("Mark every essay first: {count} attempts have essays not marked."),
                           count=len(unmarked))
        released = []
        for attempt in rows:
            if attempt.state == states.PUBLISHED or attempt.state not in states.ENDED:
                continue
            attempt.state = states.next_state(attempt.state, states.PUBLISH)
            attempt.published_at = now
            attempt.save(update_fields=["state", "published_at", "updated_at"])
            released.append({"user": attempt.user_key, "score": attempt.result.get("score"),
                             "verdict": attempt.result.get("verdict")})
        if released:
            record("assessment.publish", sitting, actor, role, OBJECT_SITTING, sitting.pk, released=released)
    return len(released)
