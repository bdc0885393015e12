"""What the integrity pages show, read once per request (records: every function authorizes).

The block's handlers (``assessment/integrity_handlers.py``) render these dicts into pages of their
own (opened in a new tab, printable on A4); nothing here knows about the block or the web. Links
between the pages are made by the ``link(handler, **query)`` function the handler passes in.
Readers hold access.INTEGRITY_VIEW; the decision form is offered to those who hold
access.INTEGRITY_DECIDE. A student reads none of this, not even about their own attempt.
"""
from ...core import clock
from ...core.errors import Forbidden
from ...core.i18n import N_, decimal, gettext
from ...core.models import Learner
from .. import access, evidence, states
from ..models import Attempt
from ..records import authorize, learner_of, permitted, student_attempt
from . import pair as pairs
from . import report as reports
from . import summary
from .decisions import DECIDE_FIELDS, attempt_report, list_decisions, read_decisions, school_decisions
from .report import VERDICTS

SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
METHOD_LABELS = {"bonferroni": N_("Bonferroni (the chance of naming any pair of honest students)"),
                 "bh": N_("Benjamini–Hochberg (the expected share of false flags among the named pairs)")}


def number(value, places=2):
    """A figure as the reader's language writes it (``i18n.decimal``: a decimal comma in
    Vietnamese); a p-value below 0.001 as "2,2 × 10⁻¹⁰" rather than a row of zeros."""
    if value is None:
        return ""
    if 0 < abs(value) < 0.001:
        mantissa, exponent = f"{value:.1e}".split("e")
        return f"{decimal(float(mantissa), 1)} × 10{str(int(exponent)).translate(SUPERSCRIPT)}"
    return decimal(value, places)


def figures(pair):
    """A flagged pair's figures (``screening.Pair.as_dict``), formatted for the page."""
    return dict(pair, statistic_text=number(pair["statistic"]), p_text=number(pair["p"], 4),
                expected_text=number(pair["expected"], 1))


def header(test):
    """The school, class, subject and test, as every page (and its printout) starts."""
    return {"org": test.org, "class_name": test.class_name, "subject": test.subject, "title": test.title,
            "opens": clock.display(test.opens, test.org), "closes": clock.display(test.closes, test.org)}


def _yes_no(value):
    return "" if value is None else gettext(summary.YES if value else summary.NO)


def summary_page(test, actor, link):
    """The test's integrity summary: one row per student, the pairs worth a look with their
    figures, the decisions taken (and, for the principal, the school's), the screening's terms."""
    authorize(actor, access.INTEGRITY_VIEW, test)           # before the screening's work
    screened = summary.screen_sitting(test.usage_key)
    rows = summary.rows(test, actor, screened)
    names = {r["user"]: r["full_name"] for r in rows}
    attempts = {a.user_key: a for a in Attempt.objects.filter(usage_key=test.usage_key)}
    flagged = []
    for rank, pair in enumerate(screened.pairs if screened else (), start=1):
        item = figures(pair.as_dict())
        if pair.a in attempts and pair.b in attempts:
            item["timing"] = pairs.timing_of(attempts[pair.a], attempts[pair.b]).as_dict()
        item.update(rank=rank, name_a=names.get(pair.a, pair.a), name_b=names.get(pair.b, pair.b),
                    url=link("integrity_pair", a=pair.a, b=pair.b))
        flagged.append(item)
    for row in rows:
        row["state_label"] = gettext(states.STATE_LABELS[row["state"]])
        row["sealed_label"] = _yes_no(row["sealed_ok"])
        row["decision_labels"] = [gettext(VERDICTS[v]) for v in row["decisions"]]
        row["url"] = link("integrity_report", user=row["user"]) if row["user"] in attempts else ""
    decided = [dict(d, full_name=names.get(d["user_key"], d["user_key"]), at_display=clock.display(d["at"], test.org),
                    url=link("integrity_report", user=d["user_key"])) for d in read_decisions(test, actor)]
    return {"header": header(test), "rows": rows, "pairs": flagged, "decisions": decided,
            "school_decisions": _school_decisions(test, actor),
            "screening": _terms(screened), "kinds": [gettext(evidence.SIGNALS.get(k) or evidence.SERVER_EVENTS[k])
                                                     for k in summary.KINDS],
            "totals": {"attempts": len(attempts), "by_deadline": sum(r["ended_by_deadline"] for r in rows),
                       "extra": sum(1 for r in rows if r["extra_minutes"] or r["reopenings"]),
                       "signals": sum(r["signals"] for r in rows), "events": sum(r["server_events"] for r in rows)},
            "csv_url": link("integrity_summary", _suffix="csv"), "xlsx_url": link("integrity_summary", _suffix="xlsx")}


def _terms(screened):
    if screened is None:
        return None
    return {"alpha": number(screened.alpha), "method": gettext(METHOD_LABELS[screened.method]),
            "students": screened.students, "questions": screened.questions, "pairs_tested": screened.pairs_tested,
            "verified": screened.verified}


def _school_decisions(test, actor):
    """The principal's view of every decision of the school (a grant that reaches every subject,
    ``decisions.school_decisions``); None for anyone else."""
    try:
        rows = school_decisions(test.org, actor)
    except Forbidden:
        return None
    names = dict(Learner.objects.filter(org=test.org, user_key__in={d["user_key"] for d in rows})
                 .values_list("user_key", "full_name"))
    return [dict(d, at_display=clock.display(d["at"], test.org), full_name=names.get(d["user_key"], d["user_key"]))
            for d in rows]


def report_page(test, actor, user_key, link):
    """One attempt's integrity report, its decisions, the pairs it was flagged in and, for
    those who may decide, the decision form."""
    built = attempt_report(test, actor, user_key)           # authorizes (INTEGRITY_VIEW)
    row = student_attempt(test, user_key)
    report = built.as_dict(test.org)
    report["timeline"] = reports.grouped(report["timeline"])
    learner = learner_of(test, user_key)
    screened = summary.screen_sitting(test.usage_key)
    partners = []
    for pair in (screened.pairs if screened else ()):
        if user_key in (pair.a, pair.b):
            other = pair.b if pair.a == user_key else pair.a
            other_learner = learner_of(test, other)
            partners.append(dict(figures(pair.as_dict()), other=other_learner.full_name if other_learner else other,
                                 url=link("integrity_pair", a=user_key, b=other)))
    decided = [dict(d, at_display=clock.display(d["at"], test.org))
               for d in list_decisions(test.usage_key, user_key=user_key)]
    return {"header": header(test), "user": user_key, "full_name": learner.full_name if learner else user_key,
            "sector_id": learner.sector_id if learner else "", "report": report, "decisions": decided,
            "device": row.user_agent, "address": row.ip, "last_address": row.last_ip,
            "started": clock.display(row.started_at, test.org) if row.started_at else "",
            "partners": partners, "screening": _terms(screened), "all_notes": reports.all_notes(),
            "can_decide": access.INTEGRITY_DECIDE in permitted(actor, test, (access.INTEGRITY_DECIDE,)),
            "verdicts": [(k, gettext(v)) for k, v in VERDICTS.items()],
            "max_minutes": DECIDE_FIELDS["minutes"].maximum, "ended": row.state in states.ENDED,
            "decide_url": link("integrity_decide"), "summary_url": link("integrity_summary"),
            "self_url": link("integrity_report", user=user_key)}


def pair_page(test, actor, user_a, user_b, link):
    """The side-by-side view (``pair.compare``), with links back to each report."""
    authorize(actor, access.INTEGRITY_VIEW, test)           # before the screening's work
    page = pairs.compare(test, actor, user_a, user_b, summary.screen_sitting(test.usage_key))
    if page["flagged"]:
        page["flagged"] = figures(page["flagged"])
    timing = page["timing"]
    timing.update(expected_text=number(timing["expected_close"], 1), correlation_text=number(timing["correlation"]))
    for side in ("a", "b"):
        page[side]["report"]["timeline"] = reports.grouped(page[side]["report"]["timeline"])
        page[side]["url"] = link("integrity_report", user=page[side]["user"])
    page.update(header=header(test), summary_url=link("integrity_summary"))
    return page
