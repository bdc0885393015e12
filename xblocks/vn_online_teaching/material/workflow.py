"""The approval workflow of a learning material, as a pure state machine.

draft/returned/revoked --submit--> submitted --pass--> passed --approve--> approved
submitted --return_review--> returned;  passed --return_approval--> returned
submitted/passed --withdraw (author)--> draft;  approved --revoke (principal)--> revoked
approved (content changed since approval) --submit--> submitted

Circular 09/2021 asks for the subject group's pass and then the head of school's approval before
students use a material, and a new approval after any change (docs/circular-09.md, learning
materials). A decision is bound to the fingerprint of exactly what the reviewer saw: if the live
content differs, the decision is refused instead of approving something nobody reviewed. Unless
the school allows it (ALLOW_SAME_PERSON_REVIEW), nobody reviews what they wrote: neither who
submitted it nor who changed its content since the last approval may pass or approve it.
"""
from dataclasses import dataclass

from ..core.errors import Conflict, RequestError
from ..core.i18n import Label, N_
from ..core.validation import Field
from . import access

DRAFT = "draft"
SUBMITTED = "submitted"
PASSED = "passed"
APPROVED = "approved"
RETURNED = "returned"
REVOKED = "revoked"

STATE_LABELS = {
    DRAFT: N_("Draft"),
    SUBMITTED: N_("Waiting for the subject group"),
    PASSED: N_("Passed by the subject group, waiting for the principal"),
    APPROVED: N_("Approved"),
    RETURNED: N_("Returned for changes"),
    REVOKED: N_("Approval revoked"),
}

# The reviewer's checklist (docs/circular-09.md, learning materials): every item must be ticked to
# pass or approve.
CHECKLIST = {
    "fits_lesson": N_("Fits the lesson or topic and its required outcomes"),
    "sound": N_("Scientifically and pedagogically sound"),
    "culture": N_("Fits Vietnamese history, culture, ethics and customs"),
    "ip": N_("Respects intellectual property (source, author, licence)"),
}


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset
    target: str
    permission: str
    label: str
    needs_comment: bool = False
    needs_checklist: bool = False
    binds_content: bool = False


TRANSITIONS = {t.action: t for t in (
    Transition("submit", frozenset({DRAFT, RETURNED, REVOKED, APPROVED}), SUBMITTED, access.SUBMIT,
               N_("Submit for review")),
    Transition("withdraw", frozenset({SUBMITTED, PASSED}), DRAFT, access.WITHDRAW, N_("Withdraw")),
    Transition("pass", frozenset({SUBMITTED}), PASSED, access.PASS, N_("Pass (subject group)"),
               needs_checklist=True, binds_content=True),
    Transition("return_review", frozenset({SUBMITTED}), RETURNED, access.RETURN_REVIEW,
               N_("Return with comments"), needs_comment=True),
    Transition("approve", frozenset({PASSED}), APPROVED, access.APPROVE, N_("Approve (principal)"),
               needs_checklist=True, binds_content=True),
    Transition("return_approval", frozenset({PASSED}), RETURNED, access.RETURN_APPROVAL,
               N_("Return with comments"), needs_comment=True),
    Transition("revoke", frozenset({APPROVED}), REVOKED, access.REVOKE, N_("Revoke approval"),
               needs_comment=True),
)}

ACTION_LABELS = {a: t.label for a, t in TRANSITIONS.items()}

# Nobody submits, passes or approves what they cannot see: in the LMS the children of a material
# not yet approved are hidden from everyone but the course staff (material/visibility.py).
PARTS_HIDDEN = N_("Some parts of this material are hidden from you on this course, so you cannot submit, "
                  "pass or approve it. Ask the course team to add you to the course staff.")

# What a decision request carries: the fingerprint of what the reviewer saw, and the click's id
# (a retried request returns the decision the first one made).
DECISION = {
    "action": Field(str, choices=list(TRANSITIONS)),
    "comment": Field(str, required=False, default="", max_length=4000),
    "checklist": Field(dict, required=False, default={}),
    "fingerprint": Field(str, required=False, default="", max_length=64, multiline=False),
    "request_id": Field(str, required=False, default=None, max_length=64, multiline=False),
}


@dataclass(frozen=True)
class Situation:
    """Everything the rules need to know about one material at the moment of a decision."""

    state: str
    live_fingerprint: str
    submitted_fingerprint: str = ""
    approved_fingerprint: str = ""
    owner_key: str = ""
    passed_by_key: str = ""
    editor_keys: frozenset = frozenset()  # who changed the content since the last approval
    unreadable: int = 0  # blocks of the material the person deciding may not load


def available(state):
    """Actions that can start from ``state`` (before asking who may take them)."""
    return [a for a, t in TRANSITIONS.items() if state in t.sources]


def check(action, situation, *, actor_key, reviewed_fingerprint, comment, checklist, allow_same_person=False):
    """The target state of ``action`` or a RequestError saying why not. Changes nothing."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise RequestError("bad_choice", N_("Unknown action."), field="action")
    if situation.state not in transition.sources:
        raise Conflict("bad_state", N_("This action is not possible now: the material is \"{state}\"."),
                       state=Label(STATE_LABELS.get(situation.state, situation.state)))
    if action == "submit" and situation.state == APPROVED and situation.live_fingerprint == situation.approved_fingerprint:
        raise Conflict("unchanged", N_("Nothing has changed since the approval."))
    if situation.unreadable and (transition.binds_content or action == "submit"):
        raise Conflict("parts_hidden", PARTS_HIDDEN)
    if transition.needs_comment and not (comment or "").strip():
        raise RequestError("required", N_("Please write a comment for the author."), field="comment")
    if transition.needs_checklist:
        missing = [k for k in CHECKLIST if not (checklist or {}).get(k)]
        if missing:
            raise RequestError("checklist", N_("Tick every item of the checklist before you decide."),
                               field="checklist")
    if transition.binds_content:
        if reviewed_fingerprint != situation.live_fingerprint:
            raise Conflict("content_changed", N_("The material changed while you were reviewing it. Reload the page and review it again."))
        if situation.live_fingerprint != situation.submitted_fingerprint:
            raise Conflict("content_changed_since_submit",
                           N_("The material was edited after it was submitted; the author must submit it again."))
    if not allow_same_person:
        if action == "pass" and actor_key == situation.owner_key:
            raise Conflict("same_person", N_("The author cannot review their own material."))
        if action == "approve" and actor_key in (situation.owner_key, situation.passed_by_key):
            raise Conflict("same_person", N_("The principal's approval must come from a person other than the author and the reviewer."))
        if transition.binds_content and actor_key in situation.editor_keys:
            raise Conflict("edited_by_reviewer",
                           N_("You have changed the content of this material, so someone else must review and approve it."))
    return transition.target


def editors_since_approval(history):
    """The people who changed the content since its last approval. ``history``: the material's
    edits and approvals, oldest first, as (kind, person) with kind "edit" or "approve"."""
    editors = set()
    for kind, person in history:
        if kind == "approve":
            editors.clear()
        elif person:
            editors.add(person)
    return frozenset(editors)


def checklist_clean(checklist):
    """Only known checklist items, as booleans (what is recorded with the decision)."""
    return {k: bool((checklist or {}).get(k)) for k in CHECKLIST}
