"""The board's actions on a sitting (hội đồng coi kiểm tra) and what it reads of it.

The head of school's decision that named students may sit the test remotely; extra time for one
student; reopening an attempt after a lost connection; opening the sitting early, closing it
early or extending it; releasing the device a student's attempt is bound to. Each is taken by
someone holding the action (access.py: the decision is the principal's alone, the rest the
supervising staff's), needs a reason, locks the sitting and then the attempt (``_acting``), and is
audited in the same transaction; a refused action writes nothing (docs/audit-policy.md; docs/circular-09.md, periodic assessment).
"""
import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Max

from ..core import clock, config, roster, validation
from ..core.errors import Conflict, Forbidden
from ..core.i18n import N_
from ..core.validation import Field
from . import access, states, timing
from .ending import finalise_if_due
from .evidence import DEVICE_RELEASED
from .evidence import accommodations, decisions, window_changes
from .models import Accommodation, Answer, Attempt, IntegrityEvent, RemoteDecision, Sitting, SittingChange
from .records import (EXTRA_TIME, OBJECT_ATTEMPT, OBJECT_SITTING, OPEN_STATES, REOPEN, attempt_of, authorize,
                      configured, deadline_of, decisions_of, event, extra_minutes, iso, learners_named, permitted,
                      record, refresh_deadlines, require_reason, set_deadline, sitting_for, sitting_of,
                      student_attempt, window_of)

# What the block's handlers accept for these actions.
REASON = Field(str, max_length=2000, blank=False, label=N_("Reason"))
STUDENT = Field(str, max_length=255, multiline=False)
DECISION_FIELDS = {"reason": REASON, "students": Field(list, max_items=200, item=STUDENT)}
EXTRA_TIME_FIELDS = {"student": STUDENT, "minutes": Field(int, minimum=1, maximum=600), "reason": REASON}
REOPEN_FIELDS = EXTRA_TIME_FIELDS
RELEASE_FIELDS = {"student": STUDENT, "reason": REASON}
WINDOW_FIELDS = {"kind": Field(str, choices=list(timing.CHANGE_LABELS)), "reason": REASON,
                 "until_date": validation.Date(required=False), "until_time": validation.Time(required=False)}


def school_instant(day, time, org):
    """The instant of ``day`` at ``time`` in the school's zone (a form's new closing time), or None."""
    if day is None or time is None:
        return None
    return dt.datetime.combine(day, time, tzinfo=clock.school_zone(org))


def _by(actor, role):
    return {"by_key": actor.user_key, "by_name": actor.display_name, "role": role}


@dataclass(frozen=True)
class _Act:
    """A board's action under way: the role it is taken in, its reason, the server's time, the
    sitting locked and, for an action on one student, their attempt locked."""

    role: str
    reason: str
    now: dt.datetime
    sitting: Sitting
    attempt: Attempt | None = None


@contextmanager
def _acting(test, actor, action=access.SUPERVISE, reason=None, student=None):
    """The opening every action of the board shares: the actor's permission (one grant read),
    the reason (when the action needs one), then one transaction that locks the sitting (created
    there when no one has acted yet) and, for ``student``, their attempt, ended first when its time
    is over (NotFound when they have none). A refusal raised inside writes nothing, not even the
    sitting's row."""
    role = authorize(actor, action, test)
    reason = require_reason(reason) if reason is not None else ""
    now = clock.now()
    with transaction.atomic():
        sitting = sitting_for(test, now)
        attempt = None
        if student is not None:
            attempt = student_attempt(test, student, lock=True)
            finalise_if_due(attempt, sitting, now)
        yield _Act(role, reason, now, sitting, attempt)


# The head of school's decision ------------------------------------------------------------------

def decide_remote(test, actor, reason, students):
    """Record the head of school's decision that ``students`` (learners of the class) may sit this
    test remotely, for a reason beyond their control. Returns the decision as recorded."""
    with _acting(test, actor, access.DECIDE_REMOTE) as act:
        configured(test)
        decision = timing.check_remote_decision(reason, students, test.usage_key, actor.user_key, act.now)
        keys = sorted(learners_named(test, decision.student_keys))
        row = RemoteDecision.objects.create(sitting=act.sitting, reason=decision.reason, students=keys,
                                            decided_by=actor.user_key, decided_by_name=actor.display_name,
                                            role=act.role, decided_at=act.now)
        record("assessment.remote_decision", act.sitting, actor, act.role, OBJECT_SITTING, act.sitting.pk,
               decision=row.pk, reason=decision.reason, students=keys, mode=act.sitting.mode)
    return {"id": row.pk, "reason": row.reason, "students": keys, "decided_by": actor.display_name,
            "decided_at": iso(act.now)}


# Accommodations for one student -----------------------------------------------------------------

def grant_extra_time(test, actor, student, minutes, reason):
    """Extra time for one student (before they start or while they answer), at most
    ``ASSESSMENT_MAX_EXTRA_MINUTES`` in all; it never carries an attempt past the window's close.
    Returns {"user", "minutes", "total", "deadline"}."""
    with _acting(test, actor, reason=reason) as act:
        configured(test)
        learners_named(test, [student])
        sitting = act.sitting
        already = extra_minutes(sitting, student)
        timing.check_extra_time(minutes, already, config.get("ASSESSMENT_MAX_EXTRA_MINUTES", test.org))
        attempt = attempt_of(test.usage_key, student, lock=True)
        if attempt is not None and (finalise_if_due(attempt, sitting, act.now) or attempt.state not in OPEN_STATES):
            raise Conflict("ended", N_("This student's attempt has ended: reopen it instead."))
        Accommodation.objects.create(sitting=sitting, attempt=attempt, user_key=student, kind=EXTRA_TIME,
                                     minutes=minutes, reason=act.reason, at=act.now, **_by(actor, act.role))
        deadline = ""
        if attempt is not None:
            set_deadline(attempt, deadline_of(attempt, sitting))
            attempt.save(update_fields=["deadline_at", "accept_until", "updated_at"])
            deadline = iso(attempt.deadline_at)
        record("assessment.extra_time", sitting, actor, act.role, OBJECT_SITTING, sitting.pk, user=student,
               minutes=minutes, total=already + minutes, reason=act.reason, deadline=deadline)
    return {"user": student, "minutes": minutes, "total": already + minutes, "deadline": deadline}


def reopen(test, actor, student, minutes, reason):
    """Reopen a student's ended attempt after a lost connection, giving back ``minutes`` counted
    from now, whatever the window; the student starts again with the access code, on any device.
    Returns {"user", "minutes", "deadline"}."""
    with _acting(test, actor, reason=reason, student=student) as act:
        timing.check_minutes(minutes, config.get("ASSESSMENT_MAX_MINUTES", test.org))
        attempt = act.attempt
        before = attempt.state
        attempt.state = states.next_state(before, states.REOPEN, act.reason)
        attempt.reopened_at, attempt.reopen_minutes = act.now, minutes
        attempt.device_hash = ""
        set_deadline(attempt, deadline_of(attempt, act.sitting))
        attempt.save()
        Accommodation.objects.create(sitting=act.sitting, attempt=attempt, user_key=student, kind=REOPEN,
                                     minutes=minutes, reason=act.reason, at=act.now, **_by(actor, act.role))
        record("assessment.reopen", act.sitting, actor, act.role, OBJECT_ATTEMPT, attempt.pk, user=student,
               minutes=minutes, reason=act.reason, state=[before, attempt.state], deadline=iso(attempt.deadline_at))
    return {"user": student, "minutes": minutes, "deadline": iso(attempt.deadline_at)}


def release_device(test, actor, student, reason):
    """Free a student's attempt from the device it is bound to (a broken computer, a flat phone):
    the next browser to open it with the access code takes it over."""
    with _acting(test, actor, reason=reason, student=student) as act:
        attempt = act.attempt
        state = states.next_state(attempt.state, states.RELEASE_DEVICE, act.reason)
        if not attempt.device_hash:
            raise Conflict("not_bound", N_("This attempt is not bound to any device."))
        bound_at = attempt.device_bound_at
        attempt.state, attempt.device_hash = state, ""
        attempt.save(update_fields=["state", "device_hash", "updated_at"])
        event(act.sitting, student, DEVICE_RELEASED, act.now, attempt=attempt, by=actor.user_key, reason=act.reason)
        record("assessment.release_device", act.sitting, actor, act.role, OBJECT_ATTEMPT, attempt.pk, user=student,
               reason=act.reason, bound_at=iso(bound_at), address=attempt.last_ip)
    return {"user": student, "released": True}


# The window --------------------------------------------------------------------------------------

def change_window(test, actor, kind, reason, until=None):
    """Open the sitting now, close it now, or extend it ``until`` (aware); the deadlines of the
    attempts still open follow. A remote sitting opens only with a decision of the head of
    school. Returns the window in force."""
    with _acting(test, actor, reason=reason) as act:
        sitting, now = act.sitting, act.now
        window = window_of(sitting)
        if kind == timing.OPEN_NOW:
            timing.check_mode(sitting.mode, test.usage_key, decisions_of(sitting))
        new = timing.check_change(window, timing.Change(kind, now, until), now)
        SittingChange.objects.create(sitting=sitting, kind=kind, at=now, until=until, reason=act.reason,
                                     **_by(actor, act.role))
        refresh_deadlines(sitting, now)
        record("assessment.window_change", sitting, actor, act.role, OBJECT_SITTING, sitting.pk, kind=kind,
               reason=act.reason, before=[iso(window.opens), iso(window.closes)], after=[iso(new.opens),
                                                                                        iso(new.closes)])
    return {"opens": iso(new.opens), "closes": iso(new.closes), "state": new.state(now)}


# What the board reads ----------------------------------------------------------------------------

def overview(test, actor, now=None):
    """The sitting for the staff who may read its results: the window in force, the decisions,
    the changes, and every learner of the class (then anyone else with an attempt) with their
    attempt's state, times, extra time, device binding, score and integrity events by kind."""
    allowed = permitted(actor, test, (access.VIEW_RESULTS, access.SUPERVISE, access.DECIDE_REMOTE, access.MARK,
                                      access.PUBLISH))
    if access.VIEW_RESULTS not in allowed:
        raise Forbidden()
    configured(test)
    now = now or clock.now()
    sitting = sitting_of(test)
    window = window_of(sitting) if sitting else timing.Window(test.opens, test.closes)
    rows = {a.user_key: a for a in Attempt.objects.filter(usage_key=test.usage_key)}
    counts, extras, heard = {}, {}, {}
    if sitting is not None:
        for user_key, kind, n, last in (IntegrityEvent.objects.filter(sitting=sitting).values("user_key", "kind")
                                        .annotate(n=Count("pk"), last=Max("at"))
                                        .values_list("user_key", "kind", "n", "last")):
            counts.setdefault(user_key, {})[kind] = n
            heard[user_key] = max(heard.get(user_key, last), last)
        for item in accommodations(test.usage_key):
            if item["kind"] == EXTRA_TIME:
                extras[item["user_key"]] = extras.get(item["user_key"], 0) + item["minutes"]
    answered = _answered(test.usage_key)
    people = [(x.user_key, x.full_name, x.sector_id) for x in roster.learners(test.org, test.class_name) if x.user_key]
    known = {key for key, _name, _sid in people}
    people += [(key, key, "") for key in sorted(rows) if key not in known]
    return {
        "window": {"opens": iso(window.opens), "closes": iso(window.closes), "state": window.state(now)},
        "mode": test.mode, "minutes": test.minutes, "can": sorted(allowed),
        "decisions": [dict(d, decided_at=iso(d["decided_at"])) for d in decisions(test.usage_key)],
        "changes": [dict(c, at=iso(c["at"]), until=iso(c["until"])) for c in window_changes(test.usage_key)],
        "students": [_row(key, name, sector_id, rows.get(key), extras.get(key, 0), counts.get(key, {}), now,
                          answered, heard.get(key)) for key, name, sector_id in people],
    }


def _answered(usage_key):
    """{attempt id: (questions answered, time of the last save)} of the test's attempts: what the
    board says of a student at work, counted from the saves (the attempt keeps no counter while
    it runs: saving.py). A question counts when its newest save is an answer, not when it was
    cleared after; two reads, of one row per question answered and of the cleared saves."""
    saves = Answer.objects.filter(attempt__usage_key=usage_key)
    cleared = set(saves.filter(response__isnull=True).values_list("attempt_id", "seq"))
    out = {}
    for attempt_id, last, when in (saves.values("attempt_id", "position").annotate(last=Max("seq"), when=Max(
            "saved_at")).values_list("attempt_id", "last", "when")):
        n, seen = out.get(attempt_id, (0, when))
        out[attempt_id] = (n + ((attempt_id, last) not in cleared), max(seen, when))
    return out


def _row(user_key, full_name, sector_id, attempt, extra, counts, now, answered=None, heard=None):
    row = {"user": user_key, "full_name": full_name, "sector_id": sector_id, "extra_minutes": extra,
           "events": counts, "state": attempt.state if attempt else states.NOT_STARTED}
    if attempt is not None:
        limit = timing.Deadline(attempt.deadline_at, attempt.accept_until)
        result = attempt.result or {}
        row.update(started_at=iso(attempt.started_at), deadline=iso(attempt.deadline_at),
                   ended_at=iso(attempt.ended_at), mode=attempt.mode, device_bound=bool(attempt.device_hash),
                   time_up=attempt.state in OPEN_STATES and timing.finalise_due(now, limit),
                   score=result.get("score"), unmarked=len(result.get("unmarked") or ()))
        n, last_save = (answered or {}).get(attempt.pk, (0, None))
        seen = max(t for t in (attempt.started_at, last_save, heard) if t is not None)
        row.update(answered=n, questions=len((attempt.paper or {}).get("items", ())), last_seen=iso(seen))
    return row
