"""One export job, from the request to a stored, signed package.

``request`` authorises and records the job (queued) with its audit entry, in one transaction;
``run`` (the Celery task, the command, or inline in the workbench) does the work: for each
feature found by core/exporting.py, its tables rendered into the bag's files (archive/render), its
documents, then the audit chain's segment from the first entry of the scope to the latest, and
the signature. Everything streams: rows are rendered as the database yields them, the zip is
written to a temporary file on the worker's disk, so memory stays flat whatever the school's size.

Django's storage has no "rename" (S3 has none), so a package is never visible half-written by
another route: it is written and checked in the temporary file, saved into storage in one
``save``, and only then does the job (the one way to reach a package: downloads go through it)
get its storage name and turn "done", together with the audit entry naming its SHA-256. A failure
leaves the job "failed" with its error, and no package.
"""
import datetime as dt
import hashlib
import logging
import tempfile
from dataclasses import replace

from django.core.files import File as DjangoFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import translation

from ..core import audit, clock, config, export_state, exporting
from ..core.i18n import N_
from ..core.models import AuditEntry, AuditHead
from . import access, package, render, scopes, signing
from . import settings as archive_settings
from .models import ArchiveJob

log = logging.getLogger(__name__)
OBJECT_TYPE = "archive_job"
CHUNK = 1024 * 1024
STEP_FILES = N_("Documents: {feature}")
STEP_AUDIT = N_("Audit log segment")
STEP_SIGN = N_("Signing the package")
COMMAND_ACTOR = "manage.py export_archive"


def request(actor, role, scope, label, usage_key="", language=None):
    """Record a queued export of ``scope`` asked by ``actor`` in ``role`` (already authorised) and
    its audit entry; returns the job. Call ``tasks.start(job.pk)`` after the transaction."""
    with transaction.atomic():
        job = ArchiveJob.objects.create(
            org=scope.org, course_keys=list(scope.course_keys or []), since=scope.since, until=scope.until,
            label=label, usage_key=usage_key, requested_by_key=getattr(actor, "user_key", "") or "",
            requested_by_name=_name(actor), role=role, language=language or translation.get_language() or "vi")
        audit.append("archive.export", object_type=OBJECT_TYPE, object_id=job.pk, actor=actor, actor_role=role,
                     org=scope.org, course_key=_course(scope), data=dict(scope.describe(), label=label,
                                                                          usage_key=usage_key))
    return job


def start_export(actor, place, usage_key, year="", semester=None, since=None, until=None):
    """The block's export of its course: the actor must hold EXPORT at ``place`` (checked before
    anything else, so a refusal writes nothing); the scope from a school year (and semester) or
    dates. Returns the queued job."""
    role = access.authorize(actor, access.EXPORT, place)
    scope, label = scopes.choose(place.org, [place.course_key] if place.course_key else None, since, until,
                                 year, semester)
    return request(actor, role, scope, label, usage_key)


def _name(actor):
    return getattr(actor, "full_name", "") or getattr(actor, "display_name", "") or getattr(actor, "username", "") or ""


def _course(scope):
    return scope.course_keys[0] if scope.course_keys and len(scope.course_keys) == 1 else ""


def _claim(job_id):
    """Turn the queued job to running; False when another worker has it or it is over (a Celery
    retry, a second inline run)."""
    return ArchiveJob.objects.filter(pk=job_id, status=ArchiveJob.QUEUED).update(
        status=ArchiveJob.RUNNING, started_at=clock.now(), step="") == 1


def run(job_id):
    """Do the export of job ``job_id``; returns the job as it ended (done or failed)."""
    if not _claim(job_id):
        return ArchiveJob.objects.get(pk=job_id)
    job = ArchiveJob.objects.get(pk=job_id)
    try:
        with translation.override(job.language or "vi"):
            outcome = _export(job)
    except Exception as exc:  # noqa: BLE001 - any failure ends the job as failed, with its reason
        log.exception("Archive export %s failed", job_id)
        _fail(job, exc)
    else:
        _finish(job, *outcome)
    return ArchiveJob.objects.get(pk=job_id)


class Progress:
    """Saves the job's progress (steps, and rows within a step) every ``every`` rows, with one
    UPDATE, so any process can show it."""

    def __init__(self, job, total, every):
        self.job_id, self.total, self.every, self.done = job.pk, total, max(1, every), 0
        self.rows, self.title = 0, ""

    def step(self, title):
        self.title, self.rows = title, 0
        self.save()

    def advance(self):
        self.done += 1
        self.save()

    def reached(self, rows):
        """``rows`` rows of the current step read: saved when a multiple of ``every`` is passed."""
        passed = rows // self.every > self.rows // self.every
        self.rows = rows
        if passed:
            self.save()

    def save(self):
        text = f"{self.title} ({self.rows})" if self.rows else self.title
        ArchiveJob.objects.filter(pk=self.job_id).update(steps_done=min(self.done, self.total),
                                                         steps_total=self.total, step=text[:255])


def _counted(table, progress, counts, key):
    """``table`` whose ``rows()`` counts its rows: the first read gives the table's count for the
    job's record (and its model's, when each row is one record), every read advances the progress."""
    original = table.rows

    def rows():
        seen, every = 0, progress.every
        for seen, row in enumerate(original(), start=1):  # ``seen``: the count after the loop
            if not seen % every:
                progress.reached(seen)
            yield row
        progress.reached(seen)
        if key not in counts["tables"]:
            counts["tables"][key] = seen
            if table.model:
                counts["models"][table.model] = counts["models"].get(table.model, 0) + seen

    return replace(table, rows=rows)


def _payload(job, scope, exporters, tables, context, progress, counts):
    """(path under data/, source) of every file, feature by feature, lazily."""
    for exporter in exporters:
        for table in tables[exporter.name]:
            base = f"{exporter.name}/{table.name}"
            progress.step(context.gettext(table.title))
            yield from render.table_files(_counted(table, progress, counts, base), base, context)
            progress.advance()
        progress.step(context.gettext(STEP_FILES).format(feature=exporter.name))
        for document in exporter.files(scope):
            counts["files"] += 1
            yield document.path, document.open()
        progress.advance()
    progress.step(context.gettext(STEP_AUDIT))


def audit_start(scope, head_seq):
    """The seq of the first audit entry of the scope (its school, courses and days), or the head's
    when the scope has none: the segment runs from there to the head without a gap."""
    entries = scopes_filter(AuditEntry.objects.filter(seq__lte=head_seq), scope)
    first = entries.order_by("seq").values_list("seq", flat=True).first()
    return first or head_seq


def scopes_filter(queryset, scope):
    queryset = queryset.filter(org=scope.org)
    if scope.course_keys is not None:
        queryset = queryset.filter(course_key__in=scope.course_keys)
    start, _end = scope.bounds()
    return queryset.filter(at__gte=start) if start else queryset


def segment_entries(start, head_seq):
    return AuditEntry.objects.filter(seq__gte=start, seq__lte=head_seq).order_by("seq").iterator(chunk_size=2000)


def package_name(job):
    """The bag's folder name and the stored file's: the school, the job and the day, ASCII."""
    return f"ho-so-{exporting.safe_name(job.org, 40)}-{job.pk}-{clock.to_school(clock.now(), job.org):%Y%m%d}"


def _export(job):
    scope = scopes.of_record(job)
    key = signing.load_private_key(org=job.org)
    exporters = exporting.features()
    tables = {e.name: list(e.tables(scope)) for e in exporters}
    records = {}
    for exporter in exporters:
        records.update(exporter.counts(scope))
    total = sum(len(t) for t in tables.values()) + len(exporters) + 1
    progress = Progress(job, total, config.get("ARCHIVE_PROGRESS_ROWS", job.org))
    # What the scope's records are as the export starts: a disposal resting on this export is
    # refused if any was added or changed after (archive/holds.py).
    counts = {"tables": {}, "models": {}, "files": 0, "records": records, "state": export_state.state(exporters, scope)}
    school = config.get("SCHOOL_NAME", job.org) or job.org   # its documents print the school's name
    context = render.Context(school=school, course=", ".join(job.course_keys), scope=job.label,
                             since=job.since, until=job.until, language=job.language or "vi", org=job.org)
    head = AuditHead.objects.get(pk=1).seq
    start = audit_start(scope, head)
    kinds = sorted({k for e in exporters for k in archive_settings.record_types_of(e.name)})
    name = package_name(job)
    with tempfile.TemporaryFile() as tmp:
        written = package.write(
            tmp, name, key=key, school=school if school == job.org else f"{school} ({job.org})", scope=f"{job.label} ({_scope_text(scope)})",
            exported_by=f"{job.requested_by_name} ({job.role})", retention_class=archive_settings.retention_class(
                job.org, kinds), files=_payload(job, scope, exporters, tables, context, progress, counts),
            audit_entries=segment_entries(start, head) if head else (), titles=context.titles,
            language=context.language, org=job.org)
        progress.step(context.gettext(STEP_SIGN))
        progress.advance()
        size, digest = _digest(tmp)
        tmp.seek(0)
        prefix = config.get("ARCHIVE_STORAGE_PREFIX", job.org).strip("/")
        stored = default_storage.save(f"{prefix}/{exporting.safe_name(job.org, 40)}/{name}.zip", DjangoFile(tmp, name=f"{name}.zip"))
    return stored, size, digest, written, counts


def _scope_text(scope):
    parts = [scope.org]
    if scope.course_keys:
        parts.append(", ".join(scope.course_keys))
    parts.append(f"{scope.since or '…'} – {scope.until or '…'}")
    return "; ".join(parts)


def _digest(handle):
    handle.seek(0)
    sha, size = hashlib.sha256(), 0
    for block in iter(lambda: handle.read(CHUNK), b""):
        sha.update(block)
        size += len(block)
    return size, sha.hexdigest()


def _finish(job, stored, size, digest, written, counts):
    """The job turns done and the package becomes reachable, with the audit entry naming its hash."""
    try:
        with transaction.atomic():
            ArchiveJob.objects.filter(pk=job.pk).update(
                status=ArchiveJob.DONE, storage_name=stored, size=size, sha256=digest,
                fingerprint=written.fingerprint, anchor=written.anchor, counts=counts, finished_at=clock.now(),
                steps_done=_steps_total(job.pk), step="")
            audit.append("archive.exported", object_type=OBJECT_TYPE, object_id=job.pk, actor=None,
                         actor_role=job.role, org=job.org, course_key=_course(scopes.of_record(job)),
                         data={"sha256": digest, "size": size, "fingerprint": written.fingerprint,
                               "anchor": written.anchor, "files": written.payload_count})
    except Exception as exc:  # noqa: BLE001 - the package stays unreachable: removed, the job failed
        log.exception("Archive export %s could not be recorded", job.pk)
        default_storage.delete(stored)
        _fail(job, exc)


STALLED = N_("The export stopped without finishing: the worker running it was stopped, or no worker took it. "
             "Start it again.")


def end_stalled(jobs):
    """Mark failed, with its audit entry, each of ``jobs`` (a queryset) still waiting or running
    ``ARCHIVE_STALLED_HOURS`` after it was asked for: a worker killed mid-export (a deploy, the
    out-of-memory killer) leaves its job "running" for ever, and the page would say "Exporting"
    to a records officer who waits. A job ended here that its worker still finishes turns done
    then, with its package. Returns how many were ended."""
    ended = 0
    for job in jobs.filter(status__in=(ArchiveJob.QUEUED, ArchiveJob.RUNNING)):
        hours = config.get("ARCHIVE_STALLED_HOURS", job.org)
        if not hours or job.created_at > clock.now() - dt.timedelta(hours=hours):
            continue
        with transaction.atomic():
            if ArchiveJob.objects.filter(pk=job.pk, status=job.status).update(
                    status=ArchiveJob.FAILED, error=STALLED, finished_at=clock.now()):
                audit.append("archive.export_failed", object_type=OBJECT_TYPE, object_id=job.pk, actor=None,
                             actor_role=job.role, org=job.org, data={"error": "stalled", "was": job.status,
                                                                     "hours": hours})
                ended += 1
    return ended


def _steps_total(job_id):
    return ArchiveJob.objects.filter(pk=job_id).values_list("steps_total", flat=True).first() or 0


def _fail(job, exc):
    reason = f"{type(exc).__name__}: {exc}"[:2000]
    with transaction.atomic():
        ArchiveJob.objects.filter(pk=job.pk).update(status=ArchiveJob.FAILED, error=reason, finished_at=clock.now())
        audit.append("archive.export_failed", object_type=OBJECT_TYPE, object_id=job.pk, actor=None,
                     actor_role=job.role, org=job.org, data={"error": reason[:500]})
