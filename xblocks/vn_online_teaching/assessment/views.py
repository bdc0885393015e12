"""What the periodic test's pages show, built from the records modules: the student's page before
and after answering (``attempts.summary``: no paper, no key), the sitting board
(``sitting.overview`` with its labels), Studio's preview and settings form, and the checks of
what an author saves. The paper itself reaches the browser only through the ``start`` and
``resume`` handlers (``paper.student_view``)."""
import datetime as dt

from ..core import clock, config, roster, tabular
from ..core.errors import RequestError
from ..core.i18n import N_, gettext
from ..core.roster import CLASS_NAME
from ..core.validation import Field
from . import access, attempts, bank_import, evidence, levels, marking, questions, records, scoring, sitting, states
from . import timing
from . import blueprint as blueprints

REVIEW_NONE, REVIEW_SCORE = "none", "score"
REVIEW = {REVIEW_SCORE: N_("Show the score"), REVIEW_NONE: N_("Show nothing until the teacher tells the class")}
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
    "cells": Field(list, max_items=blueprints.MAX_CELLS, item=CELL),
}
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends and shows


def place(test):
    return records.place_of(test)


def labels(mapping):
    return {key: gettext(value) for key, value in mapping.items()}


# The student -----------------------------------------------------------------------------------

def learner_page(test, actor):
    """The student's page before the paper: the window, the limit and the state of their attempt;
    or why they cannot take the test here."""
    try:
        summary = attempts.summary(test, actor)
    except RequestError as refusal:  # not on the roster, or the class is not set yet
        return {"refused": refusal.message(), "summary": None}
    summary["window_label"] = gettext(timing.WINDOW_LABELS[summary["window"]])
    summary["mode_label"] = gettext(timing.MODES.get(summary["mode"], ""))
    return {"refused": "", "summary": summary}


# The board -------------------------------------------------------------------------------------

def board(test, actor):
    """The sitting board with the words the page shows."""
    data = sitting.overview(test, actor)
    for row in data["students"]:
        row["state_label"] = gettext(states.STATE_LABELS[row["state"]])
        row["disconnected"] = row["state"] == states.IN_PROGRESS and not row.get("device_bound")
        row["deadline_display"] = _display(row.get("deadline"), test.org)
    data["window"]["label"] = gettext(timing.WINDOW_LABELS[data["window"]["state"]])
    data["window"]["opens_display"] = _display(data["window"]["opens"], test.org)
    data["window"]["closes_display"] = _display(data["window"]["closes"], test.org)
    data["mode_label"] = gettext(timing.MODES.get(data["mode"], ""))
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
            "can_export": access.EXPORT in records.permitted(actor, test, (access.EXPORT,))}


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
                formats=labels(questions.FORMATS))


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
    if data["clear_code"]:
        values["code_hash"] = ""
    elif data["access_code"].strip():
        values["code_hash"] = records.hash_code(data["access_code"])
    return values


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


# Checks before the board's records functions, which create the sitting's row first ----------

def precheck_window(test, actor, kind, reason, until):
    """Refuse, before the sitting's row exists, a window change the records would refuse after
    creating it (a refusal changes nothing). With the row there, the records decide alone."""
    records.authorize(actor, access.SUPERVISE, test)
    records.require_reason(reason)
    if records.sitting_of(test) is None:
        now = clock.now()
        if kind == timing.OPEN_NOW:
            timing.check_mode(test.mode, test.usage_key, ())
        timing.check_change(timing.Window(test.opens, test.closes), timing.Change(kind, now, until), now)


def precheck_extra_time(test, actor, student, minutes, reason):
    records.authorize(actor, access.SUPERVISE, test)
    records.require_reason(reason)
    records.configured(test)
    records.learners_named(test, [student])
    if records.sitting_of(test) is None:
        timing.check_extra_time(minutes, 0, config.get("ASSESSMENT_MAX_EXTRA_MINUTES", test.org))


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


def precheck_mark(test, actor, student):
    """May ``actor`` mark, and has the student an attempt? (Before the records function, which
    creates the sitting's row first.)"""
    records.authorize(actor, access.MARK, test)
    records.student_attempt(test, student)


# The score sheet -------------------------------------------------------------------------------

SHEET_HEADERS = (N_("No."), N_("Full name"), N_("Personal identification number"), N_("State"), N_("Score"))


def score_sheet(test, actor):
    """(file name, MIME type, bytes) of the class's scores as XLSX, for the staff who export
    results: every learner of the class in roster order, with the state of their attempt."""
    records.authorize(actor, access.EXPORT, test)
    data = sitting.overview(test, actor)
    rows = [[number, row["full_name"], row["sector_id"], gettext(states.STATE_LABELS[row["state"]]),
             scoring.format_number(scoring.to_decimal(row["score"])) if row.get("score") is not None else ""]
            for number, row in enumerate(data["students"], start=1)]
    name = f"diem-kiem-tra-{test.class_name or 'lop'}.xlsx"
    return (name, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            tabular.xlsx_bytes([gettext(h) for h in SHEET_HEADERS], rows, gettext(N_("Scores"))))
