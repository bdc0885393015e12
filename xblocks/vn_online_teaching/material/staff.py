"""What the staff view of a material shows besides the content: the decisions the viewer may take
now, warnings about the live content, the changes since the approved version, the history of
decisions and the review queue. Plain data for the template; no XBlock, no request here."""
from ..core import clock, roles
from ..core.i18n import N_
from . import content, workflow

EDITED_UNDER_REVIEW = N_("The material was edited after it was submitted: reviewers cannot decide on it until "
                         "the author withdraws it and submits it again.")
CHANGED_AFTER_APPROVAL = N_("The material was changed after approval. Students see the last approved version; "
                            "changed parts stay hidden until it is approved again.")


def _approved_fingerprint(state):
    return state.approved_version.fingerprint if state.approved_version else ""


def actions(state, live_fingerprint, allowed):
    """[(action, transition)] possible now and ``allowed(permission)`` for the viewer; submitting
    an approved material makes sense only once it has changed."""
    out = [(a, workflow.TRANSITIONS[a]) for a in workflow.available(state.state)
           if allowed(workflow.TRANSITIONS[a].permission)]
    if state.state == workflow.APPROVED and _approved_fingerprint(state) == live_fingerprint:
        out = [(a, t) for a, t in out if a != "submit"]
    return out


def warnings(state, live_fingerprint, unreadable=0):
    """What the staff view warns about; ``unreadable``: blocks of the material the viewer may not
    load (the LMS hides the children of a material not yet approved from all but course staff)."""
    out = [workflow.PARTS_HIDDEN] if unreadable else []
    if state.state in (workflow.SUBMITTED, workflow.PASSED) and state.submitted_fingerprint != live_fingerprint:
        out.append(EDITED_UNDER_REVIEW)
    if state.state == workflow.APPROVED and _approved_fingerprint(state) not in ("", live_fingerprint):
        out.append(CHANGED_AFTER_APPROVAL)
    return out


def changes(state, live_own):
    """[(op, field label, text)] from the approved version to the live content; [] when nothing
    was approved or nothing changed."""
    if not state.approved_version:
        return []
    diff = [(op, content.FIELD_LABELS[key], text) for op, key, text in content.diff(state.approved_version.own_snapshot,
                                                                                     live_own)]
    return diff if any(op != "same" for op, _k, _t in diff) else []


def history(decisions, org):
    return [{
        "at": clock.display(d.at, org),
        "action": N_("Submitted for review") if d.action == "submit" else workflow.ACTION_LABELS.get(d.action, d.action),
        "actor": d.actor_name, "role": roles.ROLE_LABELS.get(d.actor_role, d.actor_role),
        "comment": d.comment, "fingerprint": d.fingerprint[:12],
        "checklist": [workflow.CHECKLIST[k] for k, v in d.checklist.items() if v and k in workflow.CHECKLIST],
    } for d in decisions]


def queue(states, url_of):
    """Rows of the review queue; ``url_of(state)`` is the address that opens a material."""
    return [{"title": s.title, "subject": s.subject, "state": workflow.STATE_LABELS[s.state], "author": s.owner_name,
             "url": url_of(s)} for s in states]


def other_runs(states, org):
    """Rows about this material in other runs of the course (material/service.py, ``other_runs``)."""
    return [{"course": s.course_key, "state": workflow.STATE_LABELS.get(s.state, s.state),
             "approved": clock.display(s.approved_at, org) if s.approved_at else ""} for s in states]
