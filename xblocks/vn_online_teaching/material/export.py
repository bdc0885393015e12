"""The learning materials' records in the archive (core/exporting.py): the materials register,
every decision with the reviewer's checklist, each approved version with its snapshot, and the
attachments as files (docs/circular-09.md, learning materials: the school keeps the approved
materials and their approval decisions).

Which records a scope covers, by their own dates:
- a material (the register): the days it was in the workflow, from its creation to its last
  change (``created_at`` .. ``updated_at``) overlap the scope's days;
- a decision: its time (``at``); an approved version: its approval (``approved_at``);
- an attachment: its material is in the register of the scope (the file belongs to the material,
  whenever it was uploaded), so an approved material always comes with its files.

A disposal (``dispose``) deletes what those same queries select, except what a record that stays
still needs: a material with a decision outside the scope stays, with its attachments and its
current approved version.
"""

from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery

from ..core import disposing
from ..core.exporting import (File, Labels, bytes_reader, counted, json_bytes, json_text, label, query_table, safe_name,
                              storage_reader, stream)
from ..core.i18n import N_
from . import workflow
from .content import KINDS
from .models import ApprovedVersion, Attachment, MaterialDecision, MaterialState

FEATURE = "material"
APPROVED_DIR = "material/approved"
ATTACHMENT_DIR = "material/attachments"


# The records a scope covers ----------------------------------------------------------------------

def _materials(scope):
    queryset = scope.courses(MaterialState.objects.all())
    start, end = scope.bounds()
    if start:
        queryset = queryset.filter(updated_at__gte=start)
    if end:
        queryset = queryset.filter(created_at__lt=end)
    return queryset.order_by("course_key", "subject", "grade", "title", "pk")


def _decisions(scope):
    queryset = scope.courses(MaterialDecision.objects.all(), "material__org", "material__course_key")
    return scope.dates(queryset, "at")


def _approved(scope):
    queryset = scope.courses(ApprovedVersion.objects.all(), "material__org", "material__course_key")
    return scope.dates(queryset, "approved_at")


def _attachments(scope):
    return Attachment.objects.filter(usage_key__in=_materials(scope).order_by().values("usage_key"))


QUERIES = {MaterialState: _materials, MaterialDecision: _decisions, ApprovedVersion: _approved,
           Attachment: _attachments}


def counts(scope):
    return counted(QUERIES, scope)


# Paths of the documents ------------------------------------------------------------------------------

def snapshot_path(version_id, title):
    return f"{APPROVED_DIR}/{version_id}-{safe_name(title)}.json"


def attachment_path(attachment_id, name):
    return f"{ATTACHMENT_DIR}/{attachment_id}-{safe_name(name)}"


# Tables ----------------------------------------------------------------------------------------------

def _last_decision(action, field):
    """The ``field`` of the material's latest decision ``action`` (who passed it, who approved it)."""
    return Subquery(MaterialDecision.objects.filter(material=OuterRef("pk"), action=action)
                    .order_by("-at", "-pk").values(field)[:1])


STATE_LABELS = Labels(workflow.STATE_LABELS)
KIND_LABELS = Labels(KINDS)


def tables(scope):
    yield query_table(FEATURE, "materials_register", N_("Materials register"), (
        ("id", N_("Record no.")),
        ("title", N_("Title")),
        ("course_key", N_("Course")),
        ("kind", N_("Kind of material"), "kind", KIND_LABELS),
        ("subject", N_("Subject")),
        ("grade", N_("Grade")),
        ("lesson", N_("Lesson or topic")),
        ("author_name", N_("Author")),
        ("state", N_("State"), "state", STATE_LABELS),
        ("state_code", N_("State code"), "state"),
        ("owner_name", N_("Submitted by")),
        ("submitted_at", N_("Submitted")),
        ("passed_by", N_("Passed by"), "passed_by_name"),
        ("passed_at", N_("Passed at")),
        ("approved_by", N_("Approved by"), "approved_by_name"),
        ("approved_at", N_("Approved")),
        ("approved_version", N_("Approved version"), "approved_version_id"),
        ("created_at", N_("Created at")),
        ("updated_at", N_("Last changed at")),
        ("usage_key", N_("Block ID")),
    ), lambda: _materials(scope), model=label(MaterialState), printable="materials_register", ordered=True, annotate={
        "passed_by_name": _last_decision("pass", "actor_name"),
        "passed_at": _last_decision("pass", "at"),
        "approved_by_name": _last_decision("approve", "actor_name"),
    })
    yield query_table(FEATURE, "material_decisions", N_("Decisions on materials"), (
        ("id", N_("Record no.")),
        ("material", N_("Material no."), "material_id"),
        ("title", N_("Title"), "material__title"),
        ("action", N_("Decision")),
        ("from_state", N_("State before")),
        ("to_state", N_("State after")),
        ("actor_name", N_("Done by")),
        ("actor_role", N_("In the role of")),
        ("actor_key", N_("User key")),
        ("at", N_("Time")),
        ("checklist", N_("Checklist"), "checklist", json_text),
        ("comment", N_("Comment")),
        ("fingerprint", N_("Fingerprint of what was reviewed")),
        ("usage_key", N_("Block ID")),
    ), lambda: _decisions(scope), model=label(MaterialDecision), dated_by="at")
    yield query_table(FEATURE, "approved_versions", N_("Approved versions"), (
        ("id", N_("Record no.")),
        ("material", N_("Material no."), "material_id"),
        ("title", N_("Title"), "material__title"),
        ("decision", N_("Approval decision no."), "decision_id"),
        ("approved_at", N_("Approved")),
        ("fingerprint", N_("Fingerprint")),
        ("own_fingerprint", N_("Fingerprint of the material's own content")),
        ("child_fingerprints", N_("Fingerprints of the parts"), "child_fingerprints", json_text),
        ("file", N_("File"), ("pk", "material__title"), snapshot_path),
    ), lambda: _approved(scope), model=label(ApprovedVersion), dated_by="approved_at")
    yield query_table(FEATURE, "attachments", N_("Attachments"), (
        ("id", N_("Record no.")),
        ("usage_key", N_("Block ID")),
        ("name", N_("File name")),
        ("mime", N_("File type")),
        ("size", N_("Size (bytes)")),
        ("sha256", N_("SHA-256")),
        ("uploaded_by", N_("Uploaded by")),
        ("uploaded_at", N_("Uploaded at")),
        ("file", N_("File"), ("pk", "name"), attachment_path),
    ), lambda: _attachments(scope), model=label(Attachment))


# Files -------------------------------------------------------------------------------------------

def _snapshot(version_id):
    """The approved version as one JSON document: what was approved, by which decision, with
    the fingerprints that prove it (read when the file is written, not before)."""
    row = (ApprovedVersion.objects.filter(pk=version_id)
           .values("pk", "material_id", "material__usage_key", "material__course_key", "material__title",
                   "decision_id", "decision__actor_name", "decision__actor_role", "decision__at",
                   "fingerprint", "own_fingerprint", "own_snapshot", "child_fingerprints", "approved_at").get())
    return json_bytes({
        "approved_version": row["pk"], "material": row["material_id"], "usage_key": row["material__usage_key"],
        "course_key": row["material__course_key"], "title": row["material__title"],
        "decision": {"id": row["decision_id"], "by": row["decision__actor_name"],
                     "role": row["decision__actor_role"], "at": row["decision__at"]},
        "approved_at": row["approved_at"], "fingerprint": row["fingerprint"],
        "own_fingerprint": row["own_fingerprint"], "own_snapshot": row["own_snapshot"],
        "child_fingerprints": row["child_fingerprints"],
    })


def files(scope):
    for version_id, title in stream(_approved(scope), "pk", "material__title"):
        yield File(snapshot_path(version_id, title), bytes_reader(lambda pk=version_id: _snapshot(pk)),
                   model=label(ApprovedVersion))
    for attachment_id, name, storage_name, size in stream(_attachments(scope), "pk", "name", "storage_name", "size"):
        yield File(attachment_path(attachment_id, name), storage_reader(storage_name), size=size,
                   model=label(Attachment))


# Disposal ------------------------------------------------------------------------------------------

RECORDS = {model: query for model, query in QUERIES.items() if model is not Attachment}
RECORD_TYPES = dict.fromkeys(QUERIES, (disposing.MATERIALS,))


def _whole(scope):
    """The materials of the scope all of whose decisions and approved versions the scope covers
    too: the ones a disposal deletes entirely."""
    def outside(model, covered):
        return Exists(model.objects.filter(material=OuterRef("pk")).exclude(pk__in=covered.values("pk")))

    return _materials(scope).order_by().filter(~outside(MaterialDecision, _decisions(scope)),
                                               ~outside(ApprovedVersion, _approved(scope)))


def dispose(scope, record_types):
    """Delete the register's materials, decisions and approved versions of ``scope`` (the same
    queries as ``counts``) when the decision names the materials, then the attachments of the
    materials deleted, and after the commit the files no other block's attachment keeps
    (core/disposing.py). A material that stays (a decision of it falls outside the scope) keeps
    its attachments and its current approved version."""
    if disposing.MATERIALS not in record_types:
        return {}
    with transaction.atomic():
        covered = dict(_materials(scope).order_by().values_list("pk", "usage_key"))  # the school's materials at most
        whole = list(_whole(scope).values_list("pk", flat=True))
        for batch in disposing.batched(whole, disposing.IN_LIST):  # the material points to its version, which points back
            MaterialState.objects.filter(pk__in=batch).update(approved_version=None)
        deleted = disposing.dispose(RECORDS, RECORD_TYPES, scope, record_types)
        stayed = set()
        for batch in disposing.batched(covered, disposing.IN_LIST):
            stayed.update(MaterialState.objects.filter(pk__in=batch).values_list("pk", flat=True))
        if stayed & set(whole):
            raise RuntimeError(f"materials {sorted(stayed & set(whole))} could not be deleted")
        gone = [usage_key for pk, usage_key in covered.items() if pk not in stayed]
        count, names = 0, set()
        for batch in disposing.batched(gone, disposing.IN_LIST):
            n, batch_names = disposing.delete_rows(Attachment.objects.filter(usage_key__in=batch), "storage_name")
            count, names = count + n, names | batch_names
        deleted[label(Attachment)] = count
        disposing.remove_files_after_commit(Attachment, "storage_name", names)
    return deleted
