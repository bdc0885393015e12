"""The material's records: the only code that reads or writes the material models (the files'
records: material/attachments.py).

Every write is authorised here, once (``roles.authorize`` reads the grants once and returns the
role the write is recorded with); the block only maps the errors. Every transition runs in one
transaction that checks the rules (``workflow``), moves the state with a compare-and-swap on
``version`` (so concurrent clicks produce one decision on SQLite and MariaDB alike), records the
decision, and appends to the audit log. Edits of the content are audited with their author, which
is how the workflow knows who changed what is under review.

The record also keeps which children learners may reach outside the material's own view
(``open_children``, read by material/visibility.py for the LMS): set by an approval, emptied by a
revocation, and kept current by the views, which compare the live children with the approved
version on every reading (docs/decisions/0007-gating-through-the-platforms-visibility.md).
"""
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from .. import compat
from ..core import audit, clock, config, roles
from ..core.errors import Conflict
from ..core.i18n import N_
from ..core.models import AuditEntry
from . import access, workflow
from .models import ApprovedVersion, MaterialDecision, MaterialState

log = logging.getLogger(__name__)

META_FIELDS = ("title", "kind", "subject", "grade", "lesson", "author_name")
OBJECT_TYPE = "approved_material"
EDIT_ENTRY = "material.edit"
# Who edits in Studio was checked by the platform (course staff); recorded in this role when the
# school gave them none.
STUDIO_ROLE = "course_author"
# Per request: {course key: {material usage key: frozenset of child usage keys open to learners}}.
OPEN_CHILDREN_CACHE = "vn_online_teaching.material.open_children"


@dataclass(frozen=True)
class Where:
    usage_key: str
    course_key: str
    org: str


def get_state(usage_key):
    return MaterialState.objects.select_related("approved_version").filter(usage_key=usage_key).first()


def ensure_state(where, meta):
    """The material's record, created on first sight; descriptive metadata kept current."""
    state = get_state(where.usage_key)
    if state is None:
        try:
            with transaction.atomic():
                state = MaterialState.objects.create(usage_key=where.usage_key, course_key=where.course_key,
                                                     org=where.org, **meta)
        except IntegrityError:
            state = get_state(where.usage_key)
    elif any(getattr(state, k) != v for k, v in meta.items()):
        MaterialState.objects.filter(pk=state.pk).update(**meta)
        for k, v in meta.items():
            setattr(state, k, v)
    return state


def place_of(state):
    return roles.Place(org=state.org, course_key=state.course_key, subject=state.subject, owner_key=state.owner_key)


def place_now(where, meta, state=None):
    """Where an action on the material happens: its subject as the content says now (the record's
    copy is refreshed only after the check), its owner as recorded."""
    return roles.Place(org=where.org, course_key=where.course_key, subject=meta.get("subject", ""),
                       owner_key=state.owner_key if state else "")


def approved_for_students(state):
    """(own fingerprint, own snapshot, {child id: fingerprint}) of the approved version, or None."""
    if state is None or state.approved_version_id is None or state.state == workflow.REVOKED:
        return None
    v = state.approved_version
    return v.own_fingerprint, v.own_snapshot, dict(v.child_fingerprints)


def _earlier(request_id, state, actor):
    """The decision an earlier request with the same id made, for its own author only."""
    if not request_id:
        return None
    earlier = MaterialDecision.objects.filter(request_id=request_id).first()
    if earlier is not None and (earlier.material_id != state.pk or earlier.actor_key != actor.user_key):
        raise Conflict("bad_request_id", N_("This request was already used."))
    return earlier


def decide(where, meta, action, actor, *, live, comment="", checklist=None, reviewed_fingerprint="",
           request_id=None):
    """Carry out one workflow action; returns the decision. ``live``: the content as it is now,
    {"fingerprint", "own_fingerprint", "own", "children": [(id, fp)]}."""
    # Who may act is decided before anything is written: a refused request leaves no trace, not
    # even the material's record.
    transition = workflow.TRANSITIONS.get(action)
    role = roles.authorize(actor, transition.permission if transition else "?",
                           place_now(where, meta, get_state(where.usage_key)))
    state = ensure_state(where, meta)
    earlier = _earlier(request_id, state, actor)
    if earlier is not None:
        return earlier
    with transaction.atomic():
        state = MaterialState.objects.select_for_update().select_related("approved_version").get(pk=state.pk)
        # A retry that raced the first click past the check above waited for the lock: answer it
        # with the decision the first one made.
        earlier = _earlier(request_id, state, actor)
        if earlier is not None:
            return earlier
        situation = workflow.Situation(
            state=state.state,
            live_fingerprint=live["fingerprint"],
            submitted_fingerprint=state.submitted_fingerprint,
            approved_fingerprint=state.approved_version.fingerprint if state.approved_version else "",
            owner_key=state.owner_key,
            passed_by_key=state.passed_by_key,
            editor_keys=editors_since_approval(state.usage_key) if transition.binds_content else frozenset(),
            unreadable=live.get("unreadable", 0),
        )
        target = workflow.check(
            action, situation, actor_key=actor.user_key, reviewed_fingerprint=reviewed_fingerprint,
            comment=comment, checklist=checklist,
            allow_same_person=config.get("ALLOW_SAME_PERSON_REVIEW", state.org),
        )
        now = clock.now()
        changes = {"state": target, "version": state.version + 1, "updated_at": now}
        if action == "submit":
            changes.update(owner_key=actor.user_key, owner_name=actor.display_name,
                           submitted_fingerprint=live["fingerprint"], submitted_at=now, passed_by_key="")
        elif action == "pass":
            changes["passed_by_key"] = actor.user_key
        elif action == "withdraw":
            changes.update(submitted_fingerprint="", passed_by_key="")
        moved = MaterialState.objects.filter(pk=state.pk, version=state.version).update(**changes)
        if moved != 1:
            raise Conflict("already_decided", N_("Someone else decided on this material a moment ago. Reload the page."))
        decision = MaterialDecision.objects.create(
            material=state, usage_key=state.usage_key, action=action, from_state=state.state, to_state=target,
            actor_key=actor.user_key, actor_name=actor.display_name, actor_role=role, at=now,
            checklist=workflow.checklist_clean(checklist) if transition.needs_checklist or checklist else {},
            comment=(comment or "").strip(), fingerprint=live["fingerprint"], request_id=request_id or None,
        )
        if action == "approve":
            version = ApprovedVersion.objects.create(
                material=state, decision=decision, fingerprint=live["fingerprint"],
                own_fingerprint=live["own_fingerprint"], own_snapshot=live["own"],
                child_fingerprints={key: fp for _cid, nodes in live["tree"] for key, fp in nodes if fp is not None},
                approved_at=now,
            )
            # Nothing unreadable is ever approved (workflow.check), so every child opens.
            MaterialState.objects.filter(pk=state.pk).update(approved_version=version, approved_at=now,
                                                             open_children=[cid for cid, _n in live["tree"]])
            _visibility_changed(state.course_key, live.get("scored", False))
        elif action == "revoke":
            MaterialState.objects.filter(pk=state.pk).update(approved_version=None, open_children=[])
            _visibility_changed(state.course_key, live.get("scored", False))
        audit.append(
            f"material.{action}", object_type=OBJECT_TYPE, object_id=state.usage_key, actor=actor,
            actor_role=role, org=state.org, course_key=state.course_key,
            data={"from": state.state, "to": target, "fingerprint": live["fingerprint"],
                  "checklist": decision.checklist, "comment": decision.comment, "decision": decision.pk},
        )
    return decision


@dataclass(frozen=True)
class Edited:
    """What an edit made: the material's metadata and fingerprint after it (None: nothing
    changed, nothing to audit), and what the caller wants back."""

    meta: dict
    fingerprint: str = None
    result: object = None


def edit(where, meta, actor, change, *, platform_checked=False):
    """Change the content as ``actor``: authorised once, before anything changes; then
    ``change()`` saves the block and returns an ``Edited``, and the edit is audited with its
    author and role. ``meta``: the metadata before the change (the subject the editor must
    teach). In Studio the platform has already checked that the editor is course staff
    (``platform_checked``): their school role is only looked up for the record.

    Approvals bind to fingerprints, so an edit moves no state: students keep the approved version
    until a new one is approved."""
    place = place_now(where, meta)
    if platform_checked:
        role = roles.role_for(actor, access.EDIT, place) or STUDIO_ROLE
    else:
        role = roles.authorize(actor, access.EDIT, place)
    edited = change()
    if edited.fingerprint is None:
        return edited
    state = ensure_state(where, edited.meta)
    with transaction.atomic():
        audit.append(EDIT_ENTRY, object_type=OBJECT_TYPE, object_id=where.usage_key, actor=actor,
                     actor_role=role, org=where.org, course_key=where.course_key,
                     data={"fingerprint": edited.fingerprint, "state": state.state})
    return edited


def editors_since_approval(usage_key):
    """Who changed the content since its last approval (since ever, before the first one): the
    audit log keeps every edit with its author."""
    history = (AuditEntry.objects.filter(object_type=OBJECT_TYPE, object_id=usage_key,
                                         action__in=(EDIT_ENTRY, "material.approve"))
               .order_by("seq").values_list("action", "actor_key"))
    return workflow.editors_since_approval(("edit" if a == EDIT_ENTRY else "approve", k) for a, k in history)


def decisions(usage_key):
    return list(MaterialDecision.objects.filter(usage_key=usage_key).order_by("at", "pk"))


def review_queue(course_key, actor):
    """Materials of the course waiting for ``actor``: to pass (head of the subject) or approve."""
    waiting = MaterialState.objects.filter(course_key=course_key,
                                           state__in=[workflow.SUBMITTED, workflow.PASSED]).order_by("submitted_at")
    out = []
    for state in waiting:
        action = access.PASS if state.state == workflow.SUBMITTED else access.APPROVE
        if roles.may(actor, action, place_of(state)) and state.owner_key != actor.user_key:
            out.append(state)
    return out


# Who may reach the children outside the material's view ----------------------------------------

def open_children_of_course(course_key):
    """{material usage key: frozenset of child usage keys} learners may reach in the course,
    for every material whose approved version students see; read once per request (the LMS asks
    for every block it serves: material/visibility.py)."""
    cache = compat.request_cache(OPEN_CHILDREN_CACHE)
    if course_key not in cache:
        rows = (MaterialState.objects.filter(course_key=course_key, approved_version__isnull=False)
                .exclude(state=workflow.REVOKED).values_list("usage_key", "open_children"))
        cache[course_key] = {key: frozenset(children or ()) for key, children in rows}
    return cache[course_key]


def sync_open_children(state, opened=(), closed=(), scored=False):
    """Record what a view found of the children against the approved version (material/gating.py,
    ``openings``); answers whether anything changed. Compared first with the record as read, so
    a view that finds nothing new writes nothing."""
    if state is None or state.approved_version_id is None:
        return False

    def updated(current):
        return (set(current or ()) - set(closed)) | set(opened)

    if updated(state.open_children) == set(state.open_children or ()):
        return False
    with transaction.atomic():
        locked = MaterialState.objects.select_for_update().get(pk=state.pk)
        # A decision in between re-set the children: this view read the version before it.
        if locked.approved_version_id != state.approved_version_id or locked.state == workflow.REVOKED:
            return False
        wanted = updated(locked.open_children)
        if wanted == set(locked.open_children or ()):
            return False
        MaterialState.objects.filter(pk=state.pk).update(open_children=sorted(wanted))
        _visibility_changed(state.course_key, scored)
    state.open_children = sorted(wanted)
    return True


def _visibility_changed(course_key, scored):
    """Who may reach some blocks of the course changed: this request reads the records again, and
    once the change is committed the platform forgets what it collected of the course."""
    compat.request_cache(OPEN_CHILDREN_CACHE).pop(course_key, None)

    def tell_platform():
        try:
            compat.visibility_changed(course_key, regrade=scored)
        except Exception:  # noqa: BLE001 - the decision is saved; the platform recollects on publish
            log.exception("Could not refresh the course structure of %s after a change of visibility", course_key)

    transaction.on_commit(tell_platform)


def other_runs(usage_key, org):
    """The records of this same block in other courses of the school (reruns, imports), newest
    first: approvals do not carry over to them, but reviewers may want to know."""
    parts = compat.key_parts(usage_key)
    if parts is None:
        return []
    candidates = MaterialState.objects.filter(org=org, usage_key__endswith=f"@{parts[2]}").exclude(usage_key=usage_key)
    return [s for s in candidates.order_by("-updated_at") if compat.key_parts(s.usage_key) == parts]
