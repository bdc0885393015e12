"""The score sheet of a periodic test (bảng điểm): one row per learner of the class, in the order
Vietnamese class lists use (given name, then full name), built once and written three ways: a
printable A4 page to sign, a CSV file and an XLSX workbook. The three carry the same rows.

What a row says comes from the records only: the learner from the school roster (core Learner
records: sector ID, full name), the attempt's state and result from ``evidence``, and whether it
was handed in or ended by the server at the deadline from its finalisation's audit entry (a
marked or released attempt no longer says it in its state). A score is written as the Circular
gives it (docs/circular-09.md, periodic assessment): on the 10-point scale with one decimal in
secondary school, whole numbers in primary school (``scoring.policy_for``), Achieved / Not yet
achieved in subjects assessed by comment only. A result whose essays are not all marked is not a
score yet: its cell stays empty and its state says so.

Who may export is ``access.EXPORT``; the records officer reads it too (results are personal
data: the sheet is for the staff who keep the class's records, never posted).
"""
import csv
import io
from dataclasses import dataclass

from ..core import clock, config, roster, tabular
from ..core.i18n import N_, current_language, gettext, render
from ..core.text import fold
from . import access, evidence, records, scoring, states

SUBMIT, FINALISE = evidence.FINALISE_ACTIONS
HEADERS = (N_("No."), N_("Personal identification number"), N_("Full name"), N_("Score"), N_("State"))
ENDED_LABELS = {SUBMIT: N_("Handed in"), FINALISE: N_("Ended at the deadline")}
NOT_MARKED = N_("{state}; essays not marked yet")
CSV_DELIMITER = ";"  # what Excel writes and reads where the comma is the decimal mark, as in Vietnam
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Row:
    """One learner's line: ``score`` is the exact Decimal (None: no score yet), ``shown`` the
    score or verdict as the reader writes it."""

    number: int
    sector_id: str
    full_name: str
    score: object
    shown: str
    state: str

    def cells(self):
        return (self.number, self.sector_id, self.full_name, self.shown, self.state)


@dataclass(frozen=True)
class Sheet:
    school: str
    class_name: str
    subject: str
    title: str
    date: str
    rows: tuple

    def file_name(self, extension):
        return f"bang-diem-{self.class_name or 'lop'}.{extension}"


def school_name(org):
    """The school's name as its documents print it: the ``SCHOOL_NAME`` setting where a school
    declares one, otherwise its organisation code."""
    return config.get("SCHOOL_NAME", org) or org


def class_order(full_name):
    """Vietnamese class lists go by given name (the last word), then the full name."""
    words = fold(full_name).split()
    return (words[-1] if words else "", fold(full_name))


def _state(attempt, endings):
    if attempt is None:
        return gettext(states.STATE_LABELS[states.NOT_STARTED])
    if attempt.state in states.ENDED and attempt.user_key in endings:
        return gettext(ENDED_LABELS[endings[attempt.user_key]])
    return gettext(states.STATE_LABELS[attempt.state])


def _score(attempt, policy):
    """(exact score or None, what the cell shows)."""
    result = attempt.result if attempt is not None and attempt.state in states.ENDED else None
    if not result or result.get("unmarked"):
        return None, ""
    if result.get("verdict"):
        return None, gettext(scoring.VERDICT_LABELS[result["verdict"]])
    score = scoring.round_half_up(result["score"], policy.decimals)
    return score, scoring.format_number(score)


def cells(attempt, endings, policy):
    """(exact score or None, score as written, state) of one student's row: the score sheet's one
    rule, which the archived sheet reads too so both say the same."""
    score, shown = _score(attempt, policy)
    state = _state(attempt, endings)
    if attempt is not None and attempt.state in states.ENDED and (attempt.result or {}).get("unmarked"):
        state = gettext(NOT_MARKED).format(state=state)
    return score, shown, state


def _date(test, attempts):
    """The day the class sat the test: that of the first attempt started (school time), else the
    day its window opens ("" for a window not set)."""
    started = [a.started_at for a in attempts if a.started_at]
    if started:
        day = min(started)
    else:
        sitting = records.sitting_of(test)
        day = records.window_of(sitting).opens if sitting else test.opens
    return clock.to_school(day, test.org).strftime("%d/%m/%Y") if day.year > 2000 else ""


def sheet(test, actor):
    """The class's score sheet, for the staff who export results (Forbidden otherwise)."""
    records.authorize(actor, access.EXPORT, test)
    records.configured(test)
    policy = scoring.policy_for(test.org, test.subject)
    attempts = {a.user_key: a for a in evidence.attempts(test.usage_key)}
    endings = evidence.endings(test.usage_key)
    learners = sorted((x for x in roster.learners(test.org, test.class_name) if x.user_key),
                      key=lambda x: class_order(x.full_name))
    rows = []
    for number, learner in enumerate(learners, start=1):
        attempt = attempts.get(learner.user_key)
        score, shown, state = cells(attempt, endings, policy)
        rows.append(Row(number, learner.sector_id, learner.full_name, score, shown, state))
    return Sheet(school_name(test.org), test.class_name, test.subject, test.title,
                 _date(test, attempts.values()), tuple(rows))


def headers():
    return [gettext(h) for h in HEADERS]


def _csv_cell(value):
    if isinstance(value, str) and value.startswith(tabular.FORMULA_START):
        return "'" + value  # a name typed as a formula never runs in the spreadsheet (CWE-1236)
    return value


def csv_bytes(data):
    """UTF-8 with BOM, CRLF, cells separated by semicolons (the score's decimal comma stays in its
    cell); a cell holding the separator, a quote or a line break is quoted."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(headers())
    for row in data.rows:
        writer.writerow([_csv_cell(v) for v in row.cells()])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(data):
    """The same rows; a score is a number in the spreadsheet (a verdict stays text)."""
    rows = [(r.number, r.sector_id, r.full_name, r.score if r.score is not None else r.shown, r.state)
            for r in data.rows]
    return tabular.xlsx_bytes(headers(), rows, gettext(N_("Scores")))


def page_html(data, **urls):
    """The printable A4 page with the school, class, subject, test and date, the rows and the
    teacher's signature line; ``urls`` of the CSV and XLSX files for the links above it."""
    return render("vn_online_teaching/assessment/sheet.html",
                  dict(urls, sheet=data, headers=headers(), lang=current_language()))
