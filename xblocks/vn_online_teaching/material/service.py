"""The material's records: the only code that reads or writes the material models.

Every write is authorised here, once (``roles.authorize`` reads the grants once and returns the
role the write is recorded with); the block only maps the errors. Every transition runs in one
transaction that checks the rules (``workflow``), moves the state with a compare-and-swap on
``version`` (so concurrent clicks produce one decision on SQLite and MariaDB alike), records the
decision, and appends to the audit log. Edits of the content are audited with their author, which
is how the workflow knows who changed what is under review.
"""
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from ..core import audit, clock, config, roles
from ..core.errors import Conflict, NotFound
from ..core.i18n import N_
from ..core.models import AuditEntry
from . import access, workflow
from .models import ApprovedVersion, Attachment, MaterialDecision, MaterialState

META_FIELDS = ("title", "kind", "subject", "grade", "lesson", "author_name")
OBJECT_TYPE = "approved_material"
EDIT_ENTRY = "material.edit"
# Who edits in Studio was checked by the platform (course staff); recorded in this role when the
# school gave them none.
STUDIO_ROLE = "course_author"


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
                child_fingerprints=dict(live["children"]), approved_at=now,
            )
            MaterialState.objects.filter(pk=state.pk).update(approved_version=version, approved_at=now)
        elif action == "revoke":
            MaterialState.objects.filter(pk=state.pk).update(approved_version=None)
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


# Attachments ---------------------------------------------------------------------------------

def store_attachment(usage_key, name, mime, data, actor):
    """Keep an uploaded file under its hash (a re-upload of the same bytes is the same file)."""
    import hashlib  # noqa: PLC0415

    sha = hashlib.sha256(data).hexdigest()
    existing = Attachment.objects.filter(usage_key=usage_key, sha256=sha).first()
    if existing is not None:
        return existing
    storage_name = default_storage.save(f"vn_online_teaching/material/{sha[:2]}/{sha}", ContentFile(data))
    try:
        with transaction.atomic():
            return Attachment.objects.create(usage_key=usage_key, sha256=sha, name=name, mime=mime, size=len(data),
                                             storage_name=storage_name, uploaded_by=actor.user_key)
    except IntegrityError:
        return Attachment.objects.get(usage_key=usage_key, sha256=sha)


def attachments_of(usage_key):
    """{sha256: item} of every file uploaded to this material. The block's field lists what the
    last save kept; two uploads running at once each saved the field without the other's file,
    so the records, not the field, say which files the editor may list."""
    return {a.sha256: {"sha256": a.sha256, "name": a.name, "mime": a.mime, "size": a.size}
            for a in Attachment.objects.filter(usage_key=usage_key)}


def open_attachment(usage_key, sha):
    """(record, bytes) of an attachment of this material, or NotFound."""
    record = Attachment.objects.filter(usage_key=usage_key, sha256=sha).first()
    if record is None:
        raise NotFound()
    with default_storage.open(record.storage_name, "rb") as f:
        return record, f.read()
