"""Records of approved_material: the workflow state, every decision, the approved versions and
the attachments. Reached only through ``material.service``."""
from django.db import models


class MaterialState(models.Model):
    """Where one material block stands in the approval workflow.

    ``version`` is bumped by every transition with a compare-and-swap update, so two reviewers
    clicking at once produce one decision, on every database.
    """

    usage_key = models.CharField(max_length=255, unique=True)
    course_key = models.CharField(max_length=255, db_index=True)
    org = models.CharField(max_length=255, db_index=True)
    title = models.CharField(max_length=255, blank=True, default="")
    kind = models.CharField(max_length=32, blank=True, default="")
    subject = models.CharField(max_length=100, blank=True, default="")
    grade = models.CharField(max_length=20, blank=True, default="")
    lesson = models.CharField(max_length=255, blank=True, default="")
    author_name = models.CharField(max_length=255, blank=True, default="")
    state = models.CharField(max_length=16, default="draft", db_index=True)
    version = models.PositiveIntegerField(default=0)
    # Who submitted (the author in the workflow) and what they submitted.
    owner_key = models.CharField(max_length=255, blank=True, default="")
    owner_name = models.CharField(max_length=255, blank=True, default="")
    submitted_fingerprint = models.CharField(max_length=64, blank=True, default="")
    passed_by_key = models.CharField(max_length=255, blank=True, default="")
    approved_version = models.ForeignKey("ApprovedVersion", null=True, blank=True, on_delete=models.SET_NULL,
                                         related_name="+")
    # The child blocks learners may reach outside the material's own view (the platform's
    # visibility: material/visibility.py): those of the approved version whose content is still the
    # approved one, as last seen.
    open_children = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "vn_online_teaching"


class MaterialDecision(models.Model):
    """One decision (submit, pass, approve, return, withdraw, revoke): who, in which role, when,
    the reviewer's checklist and comment, and the fingerprint of exactly what was reviewed."""

    material = models.ForeignKey(MaterialState, on_delete=models.PROTECT, related_name="decisions")
    usage_key = models.CharField(max_length=255, db_index=True)
    action = models.CharField(max_length=32)
    from_state = models.CharField(max_length=16)
    to_state = models.CharField(max_length=16)
    actor_key = models.CharField(max_length=255)
    actor_name = models.CharField(max_length=255, blank=True, default="")
    actor_role = models.CharField(max_length=32)
    at = models.DateTimeField()
    checklist = models.JSONField(default=dict)
    comment = models.TextField(blank=True, default="")
    fingerprint = models.CharField(max_length=64)
    # Client-generated id of the click, so a retried request returns the same decision.
    request_id = models.CharField(max_length=64, null=True, blank=True, unique=True)

    class Meta:
        app_label = "vn_online_teaching"
        ordering = ["at", "pk"]


class ApprovedVersion(models.Model):
    """What the principal approved: the block's own content (kept so students can go on seeing it
    after an edit) and the fingerprint of every block under it, by usage key
    (material/fingerprint.py)."""

    material = models.ForeignKey(MaterialState, on_delete=models.PROTECT, related_name="approved_versions")
    decision = models.OneToOneField(MaterialDecision, on_delete=models.PROTECT, related_name="approved_version")
    fingerprint = models.CharField(max_length=64)
    own_fingerprint = models.CharField(max_length=64)
    own_snapshot = models.JSONField()
    child_fingerprints = models.JSONField(default=dict)
    approved_at = models.DateTimeField()

    class Meta:
        app_label = "vn_online_teaching"


class Attachment(models.Model):
    """A file attached to a material, stored under its SHA-256 in Django's default storage."""

    usage_key = models.CharField(max_length=255, db_index=True)
    sha256 = models.CharField(max_length=64)
    name = models.CharField(max_length=255)
    mime = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    storage_name = models.CharField(max_length=255)
    uploaded_by = models.CharField(max_length=255)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "vn_online_teaching"
        constraints = [models.UniqueConstraint(fields=["usage_key", "sha256"], name="vnot_attachment_unique")]
        # A rerun, an import or a copy finds the files of the block it came from by their hash.
        indexes = [models.Index(fields=["sha256"], name="vnot_attachment_sha")]
