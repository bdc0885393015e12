"""Records of the shared core: school roles, the roster of learners and the audit log."""
from django.db import models

ROLE_CHOICES = [
    ("teacher", "teacher"),
    ("head", "subject-group head"),
    ("principal", "principal"),
    ("records_officer", "records officer"),
    ("homeroom", "homeroom teacher"),
]


class RoleAssignment(models.Model):
    """A school role held by one user in one organisation (school); heads hold it per subject."""

    org = models.CharField(max_length=255, db_index=True)
    user_key = models.CharField(max_length=255, db_index=True)
    username = models.CharField(max_length=150)
    role = models.CharField(max_length=32, choices=ROLE_CHOICES)
    # Subject for heads (and optionally teachers); class name for homeroom teachers; "" = any.
    subject = models.CharField(max_length=100, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "vn_online_teaching"
        constraints = [
            models.UniqueConstraint(fields=["org", "user_key", "role", "subject"], name="vnot_role_unique"),
        ]

    def __str__(self):
        return f"{self.username} {self.role} {self.subject} @ {self.org}"


class Learner(models.Model):
    """One learner on the school roster; the sector ID (mã định danh) never changes."""

    org = models.CharField(max_length=255, db_index=True)
    sector_id = models.CharField(max_length=20)
    full_name = models.CharField(max_length=255)
    class_name = models.CharField(max_length=20, db_index=True)
    email = models.CharField(max_length=254, blank=True, default="")
    username = models.CharField(max_length=150, db_index=True)
    user_key = models.CharField(max_length=255, blank=True, default="", db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "vn_online_teaching"
        constraints = [
            models.UniqueConstraint(fields=["org", "sector_id"], name="vnot_learner_sector_id"),
            models.UniqueConstraint(fields=["org", "username"], name="vnot_learner_username"),
        ]

    def __str__(self):
        return f"{self.sector_id} {self.full_name} ({self.class_name})"


class AuditEntry(models.Model):
    """One link of the append-only, hash-chained audit log.

    ``hash`` links the entry to ``prev_hash`` (core/audit.py ``entry_hash``: version 1, the SHA-256
    of the canonical JSON including ``prev_hash``; version 2, the SHA-256 of ``prev_hash`` followed
    by the SHA-256 of the entry's content, so a link can be checked without the content); ``seq``
    is unique so two writers can never fork the chain. Rows are never updated or deleted.
    """

    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField()
    actor_key = models.CharField(max_length=255, blank=True, default="")
    actor_name = models.CharField(max_length=255, blank=True, default="")
    actor_role = models.CharField(max_length=64, blank=True, default="")
    action = models.CharField(max_length=100, db_index=True)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=255, db_index=True)
    org = models.CharField(max_length=255, blank=True, default="")
    course_key = models.CharField(max_length=255, blank=True, default="", db_index=True)
    data = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    version = models.PositiveSmallIntegerField(default=1)  # of the hash's rule; entries before 2 stay 1

    class Meta:
        app_label = "vn_online_teaching"
        ordering = ["seq"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("audit entries are append-only")


class AuditHead(models.Model):
    """The chain's last link, one row: writers lock it, so appends are serialised on every DB."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        app_label = "vn_online_teaching"
