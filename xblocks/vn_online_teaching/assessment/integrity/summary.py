"""A test's integrity summary: one row per student, and the same rows as CSV or XLSX.

For the teacher and the principal after the sitting: each student's signals and server events by
kind, the pairs the screening flagged (``screening``: worth a look, never a finding), the
decisions taken, whether the attempt was handed in or ended by the server at the deadline, and
the accommodations given. Students are named as the school's records name them (the roster's
full name and the sector's ID, mã định danh), so the file can be filed beside the school's other
records. Reading it needs access.INTEGRITY_VIEW: it is personal data and never published.
"""
from ...core import roster, tabular
from ...core.i18n import N_, gettext
from ...core.models import AuditEntry
from .. import access, evidence, states
from ..marking import paper_for_scoring
from ..models import Attempt
from ..questions import MCQ
from ..records import EXTRA_TIME, OBJECT_ATTEMPT, REOPEN, authorize, configured, sitting_of
from . import screening
from .decisions import list_decisions
from .report import VERDICTS

KINDS = (*evidence.SIGNALS, *evidence.SERVER_EVENTS)
SCREENED_STATES = frozenset({states.SUBMITTED, states.FINALISED, states.MARKED, states.PUBLISHED})

HEADERS = (N_("Sector ID"), N_("Full name"), N_("Account"), N_("State"), N_("Ended at the deadline"),
           N_("Extra minutes"), N_("Reopenings"), N_("Signals from the browser"), N_("Events seen by the server"))
TAIL_HEADERS = (N_("Flagged with"), N_("Decisions"), N_("Records match the seal"))
YES, NO = N_("Yes"), N_("No")


def screen_sitting(usage_key, alpha=0.05, method=screening.BONFERRONI):
    """The screening of the test's ended attempts, compared by bank question and option, against
    the key as corrected after the sitting. None when no multiple-choice question was answered."""
    answers, key = {}, {}
    for row in Attempt.objects.filter(usage_key=usage_key, state__in=SCREENED_STATES).select_related(
            "sitting").defer("sitting__bank"):
        paper = paper_for_scoring(row, row.sitting)
        for item in paper.items:
            if item.question.format == MCQ:
                key[item.question.id] = item.question.answer
        answers[row.user_key] = evidence.bank_answers(row, delivered=evidence.delivered_paper(row))
    if not key or len(answers) < 2:
        return None
    return screening.screen(answers, key, alpha=alpha, method=method)


def rows(test, actor, screened=None):
    """The summary as dicts, one per learner of the class (then anyone else with an attempt).
    ``screened``: a screening already run (``screen_sitting`` runs it otherwise)."""
    authorize(actor, access.INTEGRITY_VIEW, test)
    configured(test)
    attempts = {a.user_key: a for a in evidence.attempts(test.usage_key)}
    counts, extra, reopened = {}, {}, {}
    if sitting_of(test) is not None:
        for event in evidence.events(test.usage_key):
            per = counts.setdefault(event.user_key, {})
            per[event.kind] = per.get(event.kind, 0) + 1
        for item in evidence.accommodations(test.usage_key):
            if item["kind"] == EXTRA_TIME:
                extra[item["user_key"]] = extra.get(item["user_key"], 0) + item["minutes"]
            elif item["kind"] == REOPEN:
                reopened[item["user_key"]] = reopened.get(item["user_key"], 0) + 1
    if screened is None:
        screened = screen_sitting(test.usage_key)
    partners = {}
    for pair in (screened.pairs if screened else ()):
        partners.setdefault(pair.a, []).append(pair.b)
        partners.setdefault(pair.b, []).append(pair.a)
    decided = {}
    for item in list_decisions(test.usage_key):
        decided.setdefault(item["user_key"], []).append(item)
    by_deadline = _ended_by_deadline([a.id for a in attempts.values()])
    rows_checked = {a.pk: evidence.verify_attempt(a) for a in Attempt.objects.filter(usage_key=test.usage_key)}
    people = [(x.user_key, x.full_name, x.sector_id) for x in roster.learners(test.org, test.class_name) if x.user_key]
    known = {key for key, _name, _sid in people}
    people += [(key, key, "") for key in sorted(attempts) if key not in known]
    names = {key: name for key, name, _sid in people}
    out = []
    for key, name, sector_id in people:
        attempt = attempts.get(key)
        per = counts.get(key, {})
        out.append({
            "sector_id": sector_id, "full_name": name, "user": key,
            "state": attempt.state if attempt else states.NOT_STARTED,
            "ended_by_deadline": bool(attempt and attempt.id in by_deadline),
            "extra_minutes": extra.get(key, 0) + sum(d["minutes"] or 0 for d in decided.get(key, ())
                                                     if d["verdict"] == "retake"),
            "reopenings": reopened.get(key, 0), "counts": {k: per.get(k, 0) for k in KINDS},
            "signals": sum(per.get(k, 0) for k in evidence.SIGNALS),
            "server_events": sum(per.get(k, 0) for k in evidence.SERVER_EVENTS),
            "flagged_with": [names.get(p, p) for p in partners.get(key, ())],
            "decisions": [d["verdict"] for d in decided.get(key, ())],
            "sealed_ok": rows_checked[attempt.id].ok if attempt else None,
        })
    return out


def _ended_by_deadline(attempt_ids):
    """The attempts the server's clock finalised (the audit chain's ``assessment.finalise``)."""
    ids = {str(pk) for pk in attempt_ids}
    return {int(pk) for pk in AuditEntry.objects.filter(object_type=OBJECT_ATTEMPT, object_id__in=ids,
                                                        action="assessment.finalise")
            .values_list("object_id", flat=True)}


def table(summary_rows):
    """(headers, rows) in the reader's language: the fixed columns, one per kind, then the tail."""
    headers = [gettext(h) for h in HEADERS] + [gettext(evidence.SIGNALS.get(k) or evidence.SERVER_EVENTS[k])
                                              for k in KINDS] + [gettext(h) for h in TAIL_HEADERS]
    cells = []
    for row in summary_rows:
        sealed = "" if row["sealed_ok"] is None else gettext(YES if row["sealed_ok"] else NO)
        cells.append([row["sector_id"], row["full_name"], row["user"], gettext(states.STATE_LABELS[row["state"]]),
                      gettext(YES if row["ended_by_deadline"] else NO), row["extra_minutes"], row["reopenings"],
                      row["signals"], row["server_events"], *(row["counts"][k] for k in KINDS),
                      ", ".join(row["flagged_with"]), ", ".join(gettext(VERDICTS[v]) for v in row["decisions"]),
                      sealed])
    return headers, cells


def export(test, actor, fmt="csv", screened=None):
    """The summary as a file: (bytes, file name, content type); ``fmt`` "csv" or "xlsx"."""
    headers, cells = table(rows(test, actor, screened))
    name = f"integrity-{test.class_name}".replace(" ", "_")
    if fmt == "xlsx":
        return (tabular.xlsx_bytes(headers, cells, gettext(N_("Integrity summary"))[:31]), f"{name}.xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return tabular.csv_bytes(headers, cells), f"{name}.csv", "text/csv; charset=utf-8"
