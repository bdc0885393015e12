"""Records of the records archive: each export job with its progress and the proof of the package
it made, the legal holds a school places on records, and the disposal decisions it records.

Written only by the archive's records modules (``jobs``, ``holds``). A job row is never deleted: it
is the proof of what was exported (the package's SHA-256, the signing key's fingerprint, the audit
anchor, the counts), and of what a disposal destroyed. A scope is an organisation, optionally some
of its courses, and optionally a date range; an empty list of courses means the whole school.
"""
from django.db import models


class ScopeFields(models.Model):
    """What records a job, a hold or a disposal covers: the school, its courses ([] = all of them)
    and the dates (None = open ended), with the words a person chose it by ("Năm học 2025-2026,
    học kỳ 1") for the record and the package."""

    org = models.CharField(max_length=255, db_index=True)
    course_keys = models.JSONField(default=list, blank=True)
    since = models.DateField(null=True, blank=True)
    until = models.DateField(null=True, blank=True)
    label = models.CharField(max_length=255, blank=True, default="")

    class Meta:
        abstract = True


class ArchiveJob(ScopeFields):
    """One export: who asked and in which role, its state and progress (any process reads it), and
    once done the package's storage name, size, SHA-256, signing key fingerprint, audit anchor and
    the number of records of each table. A failed job keeps its error and has no package."""

    QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
    STATUSES = ((QUEUED, "queued"), (RUNNING, "running"), (DONE, "done"), (FAILED, "failed"))

    usage_key = models.CharField(max_length=255, blank=True, default="")  # the block that asked; "" = a command
    requested_by_key = models.CharField(max_length=255, blank=True, default="")
    requested_by_name = models.CharField(max_length=255, blank=True, default="")
    role = models.CharField(max_length=32, blank=True, default="")
    language = models.CharField(max_length=16, blank=True, default="vi")  # of the package's labels and documents
    status = models.CharField(max_length=16, choices=STATUSES, default=QUEUED, db_index=True)
    steps_done = models.PositiveIntegerField(default=0)
    steps_total = models.PositiveIntegerField(default=0)
    step = models.CharField(max_length=255, blank=True, default="")
    storage_name = models.CharField(max_length=500, blank=True, default="")
    size = models.BigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, default="")
    fingerprint = models.CharField(max_length=64, blank=True, default="")
    anchor = models.CharField(max_length=100, blank=True, default="")
    counts = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True, default="")
    package_deleted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "vn_online_teaching"
        indexes = [models.Index(fields=["org", "created_at"], name="vnot_archive_job_org")]

    def __str__(self):
        return f"archive job {self.pk} {self.org} {self.status}"


class LegalHold(ScopeFields):
    """Records that must not be disposed of (an inspection, a complaint, a court case), whatever
    their retention: placed with a reason and released with one, both kept."""

    reason = models.TextField()
    placed_by_key = models.CharField(max_length=255)
    placed_by_name = models.CharField(max_length=255, blank=True, default="")
    placed_role = models.CharField(max_length=32, blank=True, default="")
    placed_at = models.DateTimeField()
    released_by_key = models.CharField(max_length=255, blank=True, default="")
    released_by_name = models.CharField(max_length=255, blank=True, default="")
    released_role = models.CharField(max_length=32, blank=True, default="")
    released_at = models.DateTimeField(null=True, blank=True)
    release_reason = models.TextField(blank=True, default="")

    class Meta:
        app_label = "vn_online_teaching"

    def __str__(self):
        return f"legal hold {self.pk} {self.org}"


class Disposal(ScopeFields):
    """A school's recorded decision to dispose of records whose retention has passed: who decided,
    why, which record types of which scope, the export it rests on (whose package proves what
    was there) and how many records of each kind were deleted."""

    record_types = models.JSONField(default=list)
    reason = models.TextField()
    decided_by_key = models.CharField(max_length=255)
    decided_by_name = models.CharField(max_length=255, blank=True, default="")
    role = models.CharField(max_length=32, blank=True, default="")
    decided_at = models.DateTimeField()
    job = models.ForeignKey(ArchiveJob, on_delete=models.PROTECT, related_name="disposals")
    deleted = models.JSONField(default=dict, blank=True)

    class Meta:
        app_label = "vn_online_teaching"

    def __str__(self):
        return f"disposal {self.pk} {self.org}"
