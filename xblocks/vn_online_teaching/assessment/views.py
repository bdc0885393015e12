"""What the periodic test's pages show, built from the records modules: the student's page before
and after answering (``attempts.summary``: no paper, no key), the sitting board
(``sitting.overview`` with its labels), Studio's preview and settings form, and the checks of
what an author saves. The paper itself reaches the browser only through the ``start`` and
``resume`` handlers (``paper.student_view``)."""
import datetime as dt

from ..core import clock, roster
from ..core.errors import RequestError
from ..core.i18n import N_, gettext
from ..core.roster import CLASS_NAME
from ..core.validation import Field
from . import access, access_code, attempts, bank_import, evidence, levels, marking, numbers, questions, records
from . import scoring, sitting, states, timing
from . import blueprint as blueprints
from .integrity import decisions
from . import paper as papers

REVIEW_NONE, REVIEW_SCORE, REVIEW_ANSWERS, REVIEW_KEY = "none", "score", "answers", "key"
REVIEW = {REVIEW_SCORE: N_("Show the score"), REVIEW_ANSWERS: N_("Show the score and the student's answers"),
          REVIEW_KEY: N_("Show the score, the answers and the answer key"),
          REVIEW_NONE: N_("Show nothing until the teacher tells the class")}
MAX_MINUTES = 600
CELL = Field(dict, fields={
    "topic": Field(str, max_length=questions.TOPIC_LENGTH, multiline=False),
    "level": Field(str, choices=list(levels.LEVELS)), "format": Field(str, choices=list(questions.FORMATS)),
    "count": Field(int, minimum=1, maximum=blueprints.MAX_COUNT),
    "points": Field(str, required=False, default="", max_length=12, multiline=False)})
STUDIO_FIELDS = {
    "display_name": Field(str, max_length=255, blank=False, multiline=False),
    "class_name": Field(str, max_length=20, multiline=False),
    "subject": Field(str, max_length=100, multiline=False),
    "opens": Field(str, required=False, default="", max_length=16, multiline=False),
    "closes": Field(str, required=False, default="", max_length=16, multiline=False),
    "minutes": Field(int, minimum=1, maximum=MAX_MINUTES),
    "mode": Field(str, choices=list(timing.MODES)),
    "review": Field(str, choices=list(REVIEW)),
    "access_code": Field(str, required=False, default="", max_length=40, multiline=False),
    "clear_code": Field(bool, required=False, default=False),
    "weight": Field(str, required=False, default="", max_length=12, multiline=False),
    "cells": Field(list, max_items=blueprints.MAX_CELLS, item=CELL),
}
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends and shows


def place(test):
    return records.place_of(test)


def labels(mapping):
    return {key: gettext(value) for key, value in mapping.items()}


# The student -----------------------------------------------------------------------------------

def learner_page(test, actor, review=REVIEW_SCORE):
    """The student's page before the paper: the window, the limit and the state of their attempt;
    or why they cannot take the test here. Once the results are released, their own paper as the
    teacher's ``review`` setting shows it (``student_review``)."""
    try:
        summary = attempts.summary(test, actor)
    except RequestError as refusal:  # not on the roster, or the class is not set yet
        return {"refused": refusal.message(), "summary": None}
    summary["window_label"] = gettext(timing.WINDOW_LABELS[summary["window"]])
    summary["mode_label"] = gettext(timing.MODES.get(summary["mode"], ""))
    shown = student_review(test, actor, review) if summary["state"] == states.PUBLISHED else None
    # The school's decisions on this attempt after the sitting (accepted, not counted, a retake),
    # as the school shows them (ASSESSMENT_SHOW_DECISIONS): what and why, never who.
    decided = decisions.student_decisions(test, actor) if summary["state"] != states.NOT_STARTED else []
    return {"refused": "", "summary": summary, "review": shown, "decisions": decided}


def _shown_key(item):
    """The right answer in the letters this student was shown (multiple choice, true/false), or
    as the bank writes it (short answer)."""
    question = item.question
    if question.format == questions.MCQ:
        return questions.OPTION_LETTERS[item.order.index(question.answer)]
    if question.format == questions.TRUE_FALSE:
        return " ".join(f"{shown}) {gettext(N_('True') if question.answers[questions.STATEMENT_LETTERS.index(bank)] else N_('False'))}"
                        for shown, bank in zip(questions.STATEMENT_LETTERS, item.order))
    if question.format == questions.SHORT_ANSWER:
        if question.kind == questions.NUMBER:
            return scoring.format_number(question.number)
        return " / ".join(question.texts)
    return ""


def _shown_answer(fmt, response):
    if response in (None, "", {}):
        return ""
    if fmt == questions.TRUE_FALSE and isinstance(response, dict):
        return " ".join(f"{letter}) {gettext(N_('True') if value else N_('False'))}"
                        for letter, value in sorted(response.items()) if value is not None)
    return str(response)


def student_review(test, actor, review):
    """A student's own released paper for the review the teacher chose: nothing for "none" or
    "score" (the score is on the page already), their answers for "answers", and with "key" also
    the right answer, the marking guide and the points of each question. Read only after the
    results are released: before, nothing of the key leaves the server (None)."""
    if review not in (REVIEW_ANSWERS, REVIEW_KEY) or actor.is_anonymous:
        return None
    attempt = records.attempt_of(test.usage_key, actor.user_key)
    if attempt is None or attempt.state != states.PUBLISHED:
        return None
    sitting = records.sitting_of(test)
    delivered = marking.paper_for_scoring(attempt, sitting) if sitting else evidence.delivered_paper(attempt)
    given = evidence.sheet(attempt)
    shown = papers.student_view(delivered)
    points = (attempt.result or {}).get("points") or {}
    items = []
    for item, public in zip(delivered.items, shown.items):
        answer = given.get(item.position)
        row = {"number": public.number, "format": public.format,
               "format_label": gettext(questions.FORMATS[public.format]), "stem": public.stem,
               "choices": public.choices, "statements": public.statements,
               "answer": _shown_answer(public.format, answer.response if answer else None)}
        if review == REVIEW_KEY:
            earned = points.get(item.question.id)
            row.update(key=_shown_key(item), guide=getattr(item.question, "guide", ""),
                       points=scoring.format_number(item.points),
                       earned="" if earned is None else scoring.format_number(earned))
        items.append(row)
    return {"with_key": review == REVIEW_KEY, "items": items}


# The board -------------------------------------------------------------------------------------

def board(test, actor):
    """The sitting board with the words the page shows."""
    data = sitting.overview(test, actor)
    for row in data["students"]:
        row["state_label"] = gettext(states.STATE_LABELS[row["state"]])
        row["disconnected"] = row["state"] == states.IN_PROGRESS and not row.get("device_bound")
        row["deadline_display"] = _display(row.get("deadline"), test.org)
        if row["state"] in records.OPEN_STATES and row.get("last_seen"):
            seen = clock.to_school(dt.datetime.fromisoformat(row["last_seen"]), test.org).strftime("%H:%M")
            row["progress"] = gettext(N_("{answered}/{questions} answered · last seen {time}")).format(
                answered=row["answered"], questions=row["questions"], time=seen)
    data["window"]["label"] = gettext(timing.WINDOW_LABELS[data["window"]["state"]])
    data["window"]["opens_display"] = _display(data["window"]["opens"], test.org)
    data["window"]["closes_display"] = _display(data["window"]["closes"], test.org)
    data["mode_label"] = gettext(timing.MODES.get(data["mode"], ""))
    data["decimal_mark"] = scoring.format_number(scoring.to_decimal("0.5"))[1]  # "," in Vietnamese
    return data


def _display(value, org):
    return clock.display(dt.datetime.fromisoformat(value), org) if value else ""


def staff_page(test, actor):
    """The staff page, or None for someone who may not read the sitting."""
    if actor.is_anonymous or access.VIEW_RESULTS not in records.permitted(actor, test, (access.VIEW_RESULTS,)):
        return None
    try:
        data = board(test, actor)
    except RequestError as refusal:  # the class is not set yet
        return {"refused": refusal.message(), "board": None}
    return {"refused": "", "board": data, "window_kinds": labels(timing.CHANGE_LABELS),
            "can_supervise": access.SUPERVISE in data["can"], "can_decide": access.DECIDE_REMOTE in data["can"],
            "can_publish": access.PUBLISH in data["can"], "can_mark": access.MARK in data["can"],
            **_may(actor, test)}


def _may(actor, test):
    """The results' actions the staff page offers beyond the board's (one read of the grants)."""
    allowed = records.permitted(actor, test, (access.EXPORT, access.CORRECT_KEY))
    return {"can_export": access.EXPORT in allowed, "can_correct_key": access.CORRECT_KEY in allowed}


# Studio ----------------------------------------------------------------------------------------

def _local(value, org):
    try:
        moment = dt.datetime.fromisoformat(value) if value else None
    except ValueError:
        return ""
    if moment is None:
        return ""
    if moment.tzinfo is not None:
        moment = clock.to_school(moment, org)
    return moment.strftime(LOCAL_FORMAT)


def bank_summary(block, test):
    """The questions by format, and what keeps the bank from giving papers by the blueprint."""
    bank = block.bank()
    counts = {gettext(label): sum(1 for q in bank if q.format == fmt) for fmt, label in questions.FORMATS.items()}
    plan = block.plan()
    unmet = []
    if plan is not None:
        unmet = [x.text() for x in blueprints.unmet(plan, bank, scoring.policy_for(test.org, test.subject))]
    return {"bank_total": len(bank), "bank_counts": counts, "unmet": unmet,
            "paper_questions": plan.questions if plan else 0}


def author_page(block, test):
    return dict(bank_summary(block, test), test=test, opens=_local(block.opens, test.org),
                closes=_local(block.closes, test.org), mode_label=gettext(timing.MODES.get(test.mode, "")),
                has_code=bool(test.code_hash))


def studio_page(block, test):
    cells = list((block.blueprint or {}).get("cells") or [])
    return dict(bank_summary(block, test), cells=cells, opens=_local(block.opens, test.org),
                closes=_local(block.closes, test.org), modes=labels(timing.MODES), review_choices=labels(REVIEW),
                has_code=bool(test.code_hash), levels={code: gettext(lv.label) for code, lv in levels.LEVELS.items()},
                formats=labels(questions.FORMATS),
                weight="" if block.weight is None else numbers.to_vietnamese(numbers.parse_number(block.weight)))


def _moment(value, name, org):
    if not value:
        return None
    try:
        moment = dt.datetime.strptime(value, LOCAL_FORMAT)
    except ValueError:
        raise RequestError("bad_time", N_("Write the date and time as on the form."), field=name) from None
    return moment.replace(tzinfo=clock.school_zone(org))


def checked_settings(data, org):
    """The fields to set from Studio's form, or a translated 400 (nothing is set then)."""
    if data["class_name"] and not CLASS_NAME.match(data["class_name"]):
        raise RequestError("bad_class", N_("Class name is not valid: {value}"), field="class_name",
                           value=data["class_name"])
    opens, closes = _moment(data["opens"], "opens", org), _moment(data["closes"], "closes", org)
    if opens and closes:
        timing.check_window(opens, closes)
    elif opens or closes:
        raise RequestError("required", N_("Give both the opening and the closing time."), field="closes")
    cells = [dict(c, points=c["points"] or None) for c in data["cells"]]
    plan = {}
    if cells:
        checked, problems = blueprints.check({"cells": cells})
        if problems:
            from .problems import Invalid
            raise Invalid(problems)
        plan = blueprints.to_dict(checked)
    values = {"display_name": data["display_name"], "class_name": data["class_name"], "subject": data["subject"],
              "opens": opens.isoformat() if opens else "", "closes": closes.isoformat() if closes else "",
              "minutes": data["minutes"], "mode": data["mode"], "review": data["review"], "blueprint": plan}
    values["weight"] = _weight(data["weight"])
    if data["clear_code"]:
        values["code_hash"] = ""
    elif data["access_code"].strip():
        values["code_hash"] = access_code.hash_code(data["access_code"])
    return values


MAX_WEIGHT = 1000
BAD_WEIGHT = N_("The weight must be a number from 0 to 1000 (for example 1 or 0,5), or left empty.")


def _weight(text):
    """The test's weight in the course grade as Studio's form wrote it (the decimal comma too);
    empty: not set, the score counts out of ``max_score()``."""
    if not text.strip():
        return None
    try:
        number = numbers.parse_number(text)
    except numbers.NumberError:
        number = None
    if number is None or not 0 <= number <= MAX_WEIGHT:
        raise RequestError("bad_weight", BAD_WEIGHT, field="weight")
    return float(number)


def imported_bank(data, current, replace, max_bytes):
    """The bank after importing a spreadsheet: its questions added (a question with the same code
    replaced), or only them with ``replace``; ``bank_import.ImportFailed`` with the report when
    any row has a problem (nothing changes)."""
    found, report = bank_import.import_bank(data, max_bytes=max_bytes)
    if not report.ok:
        raise bank_import.refuse(report)
    new = [questions.to_dict(q) for q in found]
    if replace:
        return new
    ids = {q["id"] for q in new}
    return [q for q in current or () if q.get("id") not in ids] + new


# Essay marking ----------------------------------------------------------------------------------

def essays(test, actor):
    """The essays of every ended attempt, for the staff who mark them: the student, the question
    with its marking guide and points, the answer and the latest mark (server-side reading of the
    delivered papers, never sent to a student)."""
    records.authorize(actor, access.MARK, test)
    names = {x.user_key: x.full_name for x in roster.learners(test.org, test.class_name)} if test.class_name else {}
    out = []
    for attempt in evidence.scored_attempts(test.usage_key):
        given = evidence.sheet(attempt)
        marks = marking.current_marks(attempt)
        essay_items = [i for i in evidence.delivered_paper(attempt).items if i.question.format == questions.ESSAY]
        for number, item in enumerate(essay_items, start=1):
            answer = given.get(item.position)
            out.append({"user": attempt.user_key, "full_name": names.get(attempt.user_key, attempt.user_key),
                        "position": item.position, "number": number, "stem": item.question.stem, "guide": item.question.guide,
                        "points": scoring.plain(item.points), "response": answer.response if answer else "",
                        "mark": marks.get(item.question.id), "published": attempt.state == states.PUBLISHED})
    return {"essays": out}
