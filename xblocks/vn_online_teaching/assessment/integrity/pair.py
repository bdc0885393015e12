"""Two students' papers side by side, for a person to compare (records: reads, authorized here).

Each student's paper is shuffled (questions within their part, options of a multiple-choice
question), so position 3 on one paper is rarely position 3 on the other: both papers are mapped
back to the bank's question order and options (``evidence.bank_answers``) and put row by row,
one row per bank question either student was given. A row says whether the two answers are the
same and whether the same answer is wrong: identical wrong answers are what the screening weighs
most, and what a reader should look at first. With the rows come both timelines
(``decisions.attempt_report``) and how alike the save times are (``save_timing``). The words
stay careful: a pair is *worth a look*, never proof (docs/integrity-guide.md).
"""
from django.utils.html import strip_tags

from ...core import clock
from ...core.errors import RequestError
from ...core.i18n import N_, gettext
from .. import access, evidence
from ..questions import ESSAY, FORMATS, MCQ, SHORT_ANSWER, TRUE_FALSE
from ..records import authorize, configured, learner_of, student_attempt
from . import save_timing
from .decisions import attempt_report

STEM_CHARS = 140
TRUE, FALSE = N_("T"), N_("F")   # a true/false statement judged true or false, as on the paper


def _stem(question):
    text = " ".join(strip_tags(question.stem or "").split())
    return text if len(text) <= STEM_CHARS else text[: STEM_CHARS - 1] + "…"


def show_answer(question, response):
    """An answer in the bank's terms as a teacher reads it ("" for none)."""
    if response is None or response == "" or response == {}:
        return ""
    if question.format == TRUE_FALSE and isinstance(response, dict):
        return " ".join(f"{k}:{gettext(TRUE if v else FALSE)}" for k, v in sorted(response.items()) if v is not None)
    text = str(response)
    return text if len(text) <= STEM_CHARS else text[: STEM_CHARS - 1] + "…"


def right_answer(question):
    if question.format == MCQ:
        return question.answer
    if question.format == TRUE_FALSE:
        return show_answer(question, dict(zip("abcd", question.answers, strict=False)))
    if question.format == SHORT_ANSWER:
        return str(question.number) if question.number is not None else " / ".join(question.texts)
    return ""


def is_right(question, response):
    """True or False when the answer can be marked by the key; None for an essay or no answer."""
    if response is None or response == "" or question.format == ESSAY:
        return None
    if question.format == MCQ:
        return response == question.answer
    if question.format == TRUE_FALSE:
        return isinstance(response, dict) and all(response.get(k) == v for k, v in zip("abcd", question.answers,
                                                                                        strict=False))
    return bool(question.accepts(response))


def _paper(row):
    """(positions {bank id: position}, answers {bank id: bank response}, times {bank id: last save})."""
    delivered = evidence.delivered_paper(row)
    positions = {item.question.id: item.position for item in delivered.items}
    questions = {item.question.id: item.question for item in delivered.items}
    answers = evidence.bank_answers(row, delivered=delivered)
    times = save_timing.last_saves((a.question_id, a.seq, a.saved_at)
                                   for a in evidence.answer_history(row.usage_key, row.user_key))
    return positions, questions, answers, times


def bank_order(test, *question_maps):
    """The bank's question ids in the bank's order, then any delivered question no longer in it."""
    order = [q.id for q in test.questions()]
    seen = set(order)
    for questions in question_maps:
        order += [q for q in questions if q not in seen and not seen.add(q)]
    wanted = set().union(*question_maps)
    return [q for q in order if q in wanted]


def timing_of(row_a, row_b):
    """The save-time similarity of two attempts (``save_timing.similarity``)."""
    _pa, _qa, answers_a, times_a = _paper(row_a)
    _pb, _qb, answers_b, times_b = _paper(row_b)
    return save_timing.similarity(times_a, times_b, answers_a, answers_b)


def _time(moment, org):
    local = clock.to_school(moment, org) if moment else None
    return local.strftime("%H:%M:%S") if local else ""


def _name(test, user_key):
    learner = learner_of(test, user_key)
    return (learner.full_name, learner.sector_id) if learner else (user_key, "")


def compare(test, actor, user_a, user_b, screened=None):
    """The side-by-side view of ``user_a`` and ``user_b``'s attempts. ``screened``: the test's
    screening (summary.screen_sitting), for the pair's figures when it was flagged."""
    authorize(actor, access.INTEGRITY_VIEW, test)
    configured(test)
    if user_a == user_b:
        raise RequestError("same_student", N_("Choose two different students."), field="b")
    row_a, row_b = student_attempt(test, user_a), student_attempt(test, user_b)
    pos_a, q_a, ans_a, times_a = _paper(row_a)
    pos_b, q_b, ans_b, times_b = _paper(row_b)
    rows, same, same_wrong = [], 0, 0
    for number, qid in enumerate(bank_order(test, q_a, q_b), start=1):
        question = q_a.get(qid) or q_b[qid]
        a, b = ans_a.get(qid), ans_b.get(qid)
        match = a is not None and a != "" and a == b
        right = is_right(question, a) if match else None
        same += match
        same_wrong += match and right is False
        rows.append({"number": number, "id": qid, "format": gettext(FORMATS[question.format]),
                     "format_shown": question.format != MCQ,
                     "topic": question.topic, "stem": _stem(question), "key": right_answer(question),
                     "a": {"position": pos_a.get(qid), "answer": show_answer(question, a),
                           "right": is_right(question, a), "saved": _time(times_a.get(qid), test.org)},
                     "b": {"position": pos_b.get(qid), "answer": show_answer(question, b),
                           "right": is_right(question, b), "saved": _time(times_b.get(qid), test.org)},
                     "match": match, "match_wrong": bool(match and right is False)})
    flagged = None
    for pair in (screened.pairs if screened else ()):
        if {pair.a, pair.b} == {user_a, user_b}:
            flagged = pair.as_dict()
    people = []
    for key in (user_a, user_b):
        name, sector_id = _name(test, key)
        people.append({"user": key, "full_name": name, "sector_id": sector_id,
                       "report": attempt_report(test, actor, key).as_dict(test.org)})
    return {"a": people[0], "b": people[1], "rows": rows, "same": same, "same_wrong": same_wrong,
            "timing": save_timing.similarity(times_a, times_b, ans_a, ans_b).as_dict(), "flagged": flagged,
            "screening": _screening_terms(screened)}


def _screening_terms(screened):
    if not screened:
        return None
    return {"alpha": screened.alpha, "method": screened.method, "students": screened.students,
            "questions": screened.questions, "pairs_tested": screened.pairs_tested, "verified": screened.verified}
