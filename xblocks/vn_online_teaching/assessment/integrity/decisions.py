"""A teacher's decision on one attempt after the sitting, and who reads the reports and decisions.

After reading an attempt's integrity report (``report``), a teacher or head of the subject, or the
principal (access.INTEGRITY_DECIDE), decides: accept the attempt as it is, annul it (the reserved
state ``invalidated``, states.py), or allow a retake (the attempt reopened with minutes given back
from now, or until a new closing time; the student starts again with the access code, on any
device). Always with a reason, never automatically: a signal is a reason for a person to look,
not a sanction (docs/integrity-guide.md). Each decision is one row, locked and audited in the same
transaction as the attempt's change (docs/audit-policy.md); a later decision does not erase an
earlier one, the list is the history. Reports and decisions are read by the staff who read the
class's results (access.INTEGRITY_VIEW) and the principal school-wide; a student reads only the
decisions on their own attempt, and only when the school shows them (ASSESSMENT_SHOW_DECISIONS).
"""
import datetime as dt
import math

from django.db import transaction

from ...core import clock, config, roles, validation
from ...core.errors import Conflict, RequestError
from ...core.i18n import N_, gettext
from ...core.validation import Field
from .. import access, evidence, states, timing
from ..ending import finalise_if_due
from ..models import IntegrityDecision
from ..records import (OBJECT_ATTEMPT, authorize, configured, deadline_of, ensure_sitting, iso, record,
                       require_learner, require_reason, set_deadline, sitting_for, student_attempt)
from . import report as reports
from .report import ACCEPT, INVALIDATE, RETAKE, VERDICTS

MAX_RETAKE_MINUTES = 32767  # the longest a retake's time can be stored (about three weeks)

# What the block's handler accepts; ``minutes`` or ``until_date`` + ``until_time`` for a retake
# (the block turns the date and time into an instant with sitting.school_instant).
DECIDE_FIELDS = {
    "student": Field(str, max_length=255, multiline=False),
    "verdict": Field(str, choices=list(VERDICTS)),
    "reason": Field(str, max_length=2000, blank=False, label=N_("Reason")),
    "minutes": Field(int, required=False, minimum=1, maximum=600),
    "until_date": validation.Date(required=False),
    "until_time": validation.Time(required=False),
}


def _retake_minutes(test, extra_minutes, window, now):
    """The minutes a retake gives from ``now``: ``extra_minutes``, or up to ``window`` (an aware
    instant, or anything with ``closes``). Exactly one of them; a translated 400 otherwise."""
    until = getattr(window, "closes", window)
    if (extra_minutes is None) == (until is None):
        raise RequestError("retake_time", N_("A retake needs either the minutes given or a new closing time."),
                           field="minutes")
    if extra_minutes is not None:
        timing.check_minutes(extra_minutes, config.get("ASSESSMENT_MAX_MINUTES", test.org))
        return extra_minutes, None
    if until.tzinfo is None or until <= now:
        raise RequestError("bad_window", N_("The new closing time must be later than now."), field="until_date")
    minutes = math.ceil((until - now) / dt.timedelta(minutes=1))
    if minutes > MAX_RETAKE_MINUTES:
        raise RequestError("bad_window", N_("The new closing time is too far away."), field="until_date")
    return minutes, until


def decide(test, actor, user_key, verdict, reason, extra_minutes=None, window=None):
    """Record a decision on ``user_key``'s attempt: ``verdict`` "accept" (the attempt stays as it
    is; it must have ended), "invalidate" (annulled) or "retake" (reopened with ``extra_minutes``
    from now or until ``window``). Returns the decision as recorded (``decision_dict``)."""
    role = authorize(actor, access.INTEGRITY_DECIDE, test)
    if verdict not in VERDICTS:
        raise RequestError("bad_choice", N_("Unknown action."), field="verdict")
    reason = require_reason(reason)
    configured(test)
    now = clock.now()
    minutes, until = _retake_minutes(test, extra_minutes, window, now) if verdict == RETAKE else (None, None)
    ensure_sitting(test)
    with transaction.atomic():
        sitting = sitting_for(test, now)
        attempt = student_attempt(test, user_key, lock=True)
        finalise_if_due(attempt, sitting, now)
        before = attempt.state
        if verdict == ACCEPT:
            if before == states.INVALIDATED:
                raise Conflict("annulled", N_("This attempt was annulled: allow a retake instead."))
            if before not in states.ENDED:
                raise Conflict("not_ended", N_("Decide on an attempt once it has ended."))
        else:
            event = states.INVALIDATE if verdict == INVALIDATE else states.RETAKE
            attempt.state = states.next_state(before, event, reason)
            if verdict == RETAKE:
                attempt.reopened_at, attempt.reopen_minutes, attempt.device_hash = now, minutes, ""
                set_deadline(attempt, deadline_of(attempt, sitting))
            attempt.save()
        row = IntegrityDecision.objects.create(
            sitting=sitting, attempt=attempt, user_key=user_key, verdict=verdict, reason=reason, minutes=minutes,
            until=until, state_before=before, state_after=attempt.state, by_key=actor.user_key,
            by_name=actor.display_name, role=role, at=now)
        record("assessment.integrity_decision", sitting, actor, role, OBJECT_ATTEMPT, attempt.pk, user=user_key,
               decision=row.pk, verdict=verdict, reason=reason, state=[before, attempt.state], minutes=minutes,
               until=iso(until), deadline=iso(attempt.deadline_at) if verdict == RETAKE else "")
    return decision_dict(row)


# Reading -----------------------------------------------------------------------------------------

def decision_dict(row):
    return {"id": row.pk, "usage_key": row.sitting.usage_key, "test_title": row.sitting.title,
            "class_name": row.sitting.class_name, "subject": row.sitting.subject, "user_key": row.user_key,
            "verdict": row.verdict,
            "verdict_label": gettext(VERDICTS[row.verdict]), "reason": row.reason, "minutes": row.minutes,
            "until": iso(row.until), "state": [row.state_before, row.state_after], "by_key": row.by_key,
            "by_name": row.by_name, "role": row.role, "at": row.at}


def list_decisions(usage_key=None, user_key=None, org=None):
    """Every integrity decision of a test (or of a school with ``org``), oldest first; reads only:
    the caller authorized (``read_decisions``, ``school_decisions``)."""
    rows = IntegrityDecision.objects.select_related("sitting").defer("sitting__bank")
    if usage_key is not None:
        rows = rows.filter(sitting__usage_key=usage_key)
    if org is not None:
        rows = rows.filter(sitting__org=org)
    if user_key is not None:
        rows = rows.filter(user_key=user_key)
    return [decision_dict(row) for row in rows.order_by("at", "pk")]


def read_decisions(test, actor):
    """The test's decisions for the staff who read its integrity reports."""
    authorize(actor, access.INTEGRITY_VIEW, test)
    return list_decisions(test.usage_key)


def school_decisions(org, actor):
    """The principal's view: every decision of every test of the school. Held by a grant that
    reaches every subject (the principal's); a teacher of one subject reads their tests' only."""
    roles.authorize(actor, access.INTEGRITY_DECIDE, roles.Place(org=org))
    return list_decisions(org=org)


def student_decisions(test, actor):
    """The decisions on the student's own attempt, as the school shows them (verdict, reason,
    date; not who), or [] when the school does not show them (ASSESSMENT_SHOW_DECISIONS)."""
    require_learner(test, actor)
    if not config.get("ASSESSMENT_SHOW_DECISIONS", test.org):
        return []
    return [{"verdict": d["verdict"], "verdict_label": d["verdict_label"], "reason": d["reason"],
             "at": iso(d["at"]), "at_display": clock.display(d["at"], test.org)}
            for d in list_decisions(test.usage_key, user_key=actor.user_key)]


def attempt_report(test, actor, user_key):
    """The integrity report of ``user_key``'s attempt (report.Report) for the staff who may read
    it; a student never reads one, not even their own (their own decisions: ``student_decisions``)."""
    authorize(actor, access.INTEGRITY_VIEW, test)
    row = student_attempt(test, user_key)
    seal = evidence.seal_entry(row)
    return reports.build(evidence.attempt_record(row), answers=evidence.answer_history(test.usage_key, user_key),
                         events=evidence.events(test.usage_key, user_key),
                         accommodations=evidence.accommodations(test.usage_key, user_key),
                         decisions=list_decisions(test.usage_key, user_key=user_key),
                         check=evidence.verify_attempt(row), ended_by=seal.action if seal else "", org=test.org)
