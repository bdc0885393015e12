"""The life of one student's attempt at a periodic test, as a table of events.

    not_started --start--> in_progress --save, release_device--> in_progress
    in_progress --submit--> submitted;  in_progress --deadline_passed--> finalised
    submitted, finalised --reopen (a reason)--> reopened --start--> in_progress
    reopened --deadline_passed--> finalised (the student never came back)
    submitted, finalised --mark_essay--> marked --publish--> published
    submitted, finalised --publish--> published (a paper without essays)
    rescore (a reason) and mark_essay keep an ended attempt in its state; after publishing,
    a re-mark needs a reason too.

Reading the table is how a reviewer checks the integrity rules (docs/circular-09.md, periodic
assessment): one attempt (nothing leads back to not_started); an ended attempt never goes back to
in_progress except through a reopening granted by the board with a reason; nothing leads out of
a published attempt but a re-mark or a re-score, each kept with history. ``invalidated`` is
reserved for the integrity rules: only a teacher's integrity decision leads to it (``invalidate``,
with a reason: an attempt annulled after an incident), and only another one leads out of it
(``retake``: the attempt reopened with new time, from any ended or annulled state). Nothing
reaches either automatically (integrity/decisions.py). Whether every essay is marked before
``publish``, and who may fire an event (``EVENT_ACTIONS``), are checked by the records layer; this
table says only what can follow what.
"""
from ..core.errors import Conflict, RequestError
from ..core.i18n import N_, Label
from . import access

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
SUBMITTED = "submitted"
FINALISED = "finalised_by_deadline"
REOPENED = "reopened"
MARKED = "marked"
PUBLISHED = "published"
INVALIDATED = "invalidated"

STATE_LABELS = {
    NOT_STARTED: N_("Not started"),
    IN_PROGRESS: N_("In progress"),
    SUBMITTED: N_("Handed in"),
    FINALISED: N_("Ended at the deadline"),
    REOPENED: N_("Reopened"),
    MARKED: N_("Marked"),
    PUBLISHED: N_("Results released"),
    INVALIDATED: N_("Annulled"),
}
RESERVED = frozenset({INVALIDATED})  # states only an integrity decision reaches
ENDED = frozenset({SUBMITTED, FINALISED, MARKED, PUBLISHED})  # the student can no longer answer
ANSWERING = frozenset({IN_PROGRESS})  # saves count only here

START = "start"
SAVE = "save"
SUBMIT = "submit"
DEADLINE_PASSED = "deadline_passed"
REOPEN = "reopen"
RELEASE_DEVICE = "release_device"
MARK_ESSAY = "mark_essay"
RESCORE = "rescore"
PUBLISH = "publish"
INVALIDATE = "invalidate"
RETAKE = "retake"

EVENT_LABELS = {
    START: N_("Start"),
    SAVE: N_("Save"),
    SUBMIT: N_("Submit"),
    DEADLINE_PASSED: N_("Deadline passed"),
    REOPEN: N_("Reopen"),
    RELEASE_DEVICE: N_("Release the device"),
    MARK_ESSAY: N_("Mark an essay"),
    RESCORE: N_("Re-score"),
    PUBLISH: N_("Release the results"),
    INVALIDATE: N_("Annul the attempt"),
    RETAKE: N_("Allow a retake"),
}

# state -> {event: next state}. What is not here is refused.
TABLE = {
    NOT_STARTED: {START: IN_PROGRESS},
    IN_PROGRESS: {SAVE: IN_PROGRESS, SUBMIT: SUBMITTED, DEADLINE_PASSED: FINALISED, RELEASE_DEVICE: IN_PROGRESS},
    SUBMITTED: {REOPEN: REOPENED, MARK_ESSAY: MARKED, RESCORE: SUBMITTED, PUBLISH: PUBLISHED,
                INVALIDATE: INVALIDATED, RETAKE: REOPENED},
    FINALISED: {REOPEN: REOPENED, MARK_ESSAY: MARKED, RESCORE: FINALISED, PUBLISH: PUBLISHED,
                INVALIDATE: INVALIDATED, RETAKE: REOPENED},
    REOPENED: {START: IN_PROGRESS, DEADLINE_PASSED: FINALISED, RELEASE_DEVICE: REOPENED},
    MARKED: {MARK_ESSAY: MARKED, RESCORE: MARKED, PUBLISH: PUBLISHED, INVALIDATE: INVALIDATED, RETAKE: REOPENED},
    PUBLISHED: {MARK_ESSAY: PUBLISHED, RESCORE: PUBLISHED, INVALIDATE: INVALIDATED, RETAKE: REOPENED},
    INVALIDATED: {RETAKE: REOPENED},
}

# Events that change what the rules guarantee, so the person firing them must say why.
REASON_EVENTS = frozenset({REOPEN, RELEASE_DEVICE, RESCORE, INVALIDATE, RETAKE})
# Events only an integrity decision fires (never the clock, never automatically).
INTEGRITY_EVENTS = frozenset({INVALIDATE, RETAKE})

# Who fires an event: a staff action (access.py), or None for the student and the server's clock.
EVENT_ACTIONS = {
    START: None, SAVE: None, SUBMIT: None, DEADLINE_PASSED: None,
    REOPEN: access.SUPERVISE, RELEASE_DEVICE: access.SUPERVISE,
    MARK_ESSAY: access.MARK, RESCORE: access.CORRECT_KEY, PUBLISH: access.PUBLISH,
    INVALIDATE: access.INTEGRITY_DECIDE, RETAKE: access.INTEGRITY_DECIDE,
}


def needs_reason(state, event):
    """Must ``event`` from ``state`` carry a reason? The board's and the key's corrections always;
    a re-mark once the results are released."""
    return event in REASON_EVENTS or (state == PUBLISHED and event == MARK_ESSAY)


def allowed(state):
    """The events that can follow ``state``, in the table's order."""
    return list(_row(state))


def next_state(state, event, reason=""):
    """The state after ``event``, or a translated error and nothing changes: 400 for an unknown
    event or a missing reason, 409 for an event the state does not allow."""
    row = _row(state)
    if event not in EVENT_LABELS:
        raise RequestError("bad_choice", N_("Unknown action."), field="event")
    if event not in row:
        raise Conflict("bad_state", N_("\"{event}\" is not possible now: the attempt is \"{state}\"."),
                       event=Label(EVENT_LABELS[event]), state=Label(STATE_LABELS[state]))
    if needs_reason(state, event) and not (reason or "").strip():
        raise RequestError("required", N_("Please write the reason."), field="reason")
    return row[event]


def _row(state):
    try:
        return TABLE[state]
    except KeyError:
        raise ValueError(f"unknown attempt state {state!r}") from None
