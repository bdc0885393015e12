"""Legal holds and disposal decisions: the school's acts on how long records are kept.

A legal hold (an inspection, a complaint, a court case) keeps every record of its scope whatever
the retention; it is placed and released with a reason, and both stay recorded. A disposal is a
recorded decision (who, why, which record types of which scope, the export it rests on), refused
while a hold covers any of its records, until the retention of every record type it covers has
passed (Archives Law 2024; the periods: archive/settings.py), and unless the export it rests on
holds what it deletes: the job done, its package stored and verified (the SHA-256 the export
recorded, the manifests, the signature, the audit segment), every kind of record the decision
reaches counted in it, and none added to the scope or changed since (``core.export_state``: the
rows, highest id and latest change of each model, read when the export started). Each act is audited in its transaction
(docs/audit-policy.md).

What a disposal deletes: each feature's live records of the scope and the record types named,
through the feature's own ``export.dispose`` (found by core/exporting.py: the archive never
imports a feature), all features in one transaction, their stored files once it is committed
(core/disposing.py: a record that a kept record still refers to is kept too); and the stored
packages inside the scope when the decision names every record type a package holds (a package
of records still under retention stays). What it keeps: the roster and the roles (core/export.py
says why), the audit log (the proof the Archives Law asks for, and a chain without gaps), and
every job row with its SHA-256, key fingerprint, anchor and counts: the proof of what existed and
of what was destroyed. The decision row and its audit entry name the counts deleted and kept.
"""
import hashlib

from django.core.files.storage import default_storage
from django.db import transaction

from ..core import audit, clock, export_state, exporting
from ..core.audit import parse_anchor
from ..core.errors import Conflict, NotFound, RequestError
from ..core.i18n import N_
from . import access, scopes, verify
from . import settings as archive_settings
from .models import ArchiveJob, Disposal, LegalHold

HOLD_TYPE = "archive_hold"
DISPOSAL_TYPE = "archive_disposal"
PACKAGE_LABEL = "vn_online_teaching.ArchivePackage"

HELD = N_("A legal hold covers these records: they cannot be disposed of until it is released.")
NOT_EXPIRED = N_("The retention of {record_type} ({period}) has not passed for these records: they cannot be "
                 "disposed of yet.")
OPEN_ENDED = N_("A disposal needs an export with an end date: the retention is counted from it.")
NOT_DONE = N_("Only a finished export can be the basis of a disposal.")
NO_PACKAGE = N_("The package of this export is no longer stored, so nothing proves what the disposal would "
                "delete. Export these records again and base the disposal on the new export.")
BAD_PACKAGE = N_("The package of this export does not pass verification, so it cannot prove what the disposal "
                 "would delete. Export these records again and base the disposal on the new export.")
NOT_COVERED = N_("This export does not hold every kind of record the disposal would delete (it was made before "
                 "they were exported). Export these records again and base the disposal on the new export.")
CHANGED = N_("Records were added to this scope or changed after the export, so its package does not hold them "
             "as they are now. Export these records again and base the disposal on the new export.")
ALREADY_RELEASED = N_("This legal hold was already released.")
UNKNOWN_TYPE = N_("Unknown record type: {value}")


def _who(actor):
    return getattr(actor, "user_key", "") or "", getattr(actor, "display_name", "") or ""


def active(scope):
    """The holds not yet released whose scope shares a record with ``scope``."""
    return [hold for hold in LegalHold.objects.filter(org=scope.org, released_at__isnull=True).order_by("pk")
            if scopes.overlaps(scopes.of_record(hold), scope)]


def place_hold(actor, place, scope, label, reason):
    role = access.authorize(actor, access.HOLD, place)
    key, name = _who(actor)
    with transaction.atomic():
        hold = LegalHold.objects.create(org=scope.org, course_keys=list(scope.course_keys or []), since=scope.since,
                                        until=scope.until, label=label, reason=reason, placed_by_key=key,
                                        placed_by_name=name, placed_role=role, placed_at=clock.now())
        audit.append("archive.hold", object_type=HOLD_TYPE, object_id=hold.pk, actor=actor, actor_role=role,
                     org=scope.org, course_key=place.course_key, data=dict(scope.describe(), label=label,
                                                                            reason=reason))
    return hold


def release_hold(actor, place, hold_id, reason):
    role = access.authorize(actor, access.HOLD, place)
    key, name = _who(actor)
    with transaction.atomic():
        hold = LegalHold.objects.select_for_update().filter(pk=hold_id, org=place.org).first()
        if hold is None or not _reaches(place, hold):
            raise NotFound()
        if hold.released_at is not None:
            raise Conflict("released", ALREADY_RELEASED)
        LegalHold.objects.filter(pk=hold.pk).update(released_by_key=key, released_by_name=name, released_role=role,
                                                    released_at=clock.now(), release_reason=reason)
        audit.append("archive.release_hold", object_type=HOLD_TYPE, object_id=hold.pk, actor=actor, actor_role=role,
                     org=hold.org, course_key=place.course_key, data={"reason": reason})
    return LegalHold.objects.get(pk=hold.pk)


def _reaches(place, row):
    """Does the block at ``place`` (one course) see this hold or job? A school-wide one, or one of its course."""
    return not place.course_key or not row.course_keys or place.course_key in row.course_keys


def retention_refusal(scope, record_types, org, today=None):
    """The refusal of a disposal whose retention has not passed, or None."""
    if scope.until is None:
        return RequestError("open_ended", OPEN_ENDED, status=409)
    today = today or clock.to_school(clock.now(), org).date()
    for kind in record_types:
        period = archive_settings.retention(kind, org)
        if period == archive_settings.PERMANENT or not _passed(scope.until, int(period), today):
            return RequestError("not_expired", NOT_EXPIRED, status=409, record_type=kind, period=period)
    return None


def _passed(until, years, today):
    try:
        ends = until.replace(year=until.year + years)
    except ValueError:  # 29 February
        ends = until.replace(year=until.year + years, day=28)
    return ends < today


def dispose(actor, place, job_id, record_types, reason, today=None):
    """Record the disposal of ``record_types`` of job ``job_id``'s scope and delete what it
    covers, all or nothing; returns the Disposal. The package is verified before the transaction
    (it may be large), every refusal is checked again inside it, with the job locked."""
    role = access.authorize(actor, access.DISPOSE, place)
    for kind in record_types:
        if kind not in archive_settings.RECORD_TYPES:
            raise RequestError("bad_record_type", UNKNOWN_TYPE, field="record_types", value=kind)
    key, name = _who(actor)
    exporters = exporting.features()
    job = _job(place, job_id)
    _refuse(job, record_types, today, exporters)
    verified = _verify_package(job)
    with transaction.atomic():
        job = _job(place, job_id, lock=True)
        covered = _refuse(job, record_types, today, exporters)
        if job.sha256 != verified:
            raise Conflict("bad_package", BAD_PACKAGE)
        scope = scopes.of_record(job)
        deleted, kept_whole = {}, []
        for exporter in exporters:
            if exporter.dispose is None:
                kept_whole.append(exporter.name)
            else:
                deleted.update(exporter.dispose(scope, list(record_types)))
        deleted.update(_delete_packages(scope, record_types, exporters))
        kept = {label: count - deleted.get(label, 0) for label, count in covered.items() if count > deleted.get(label, 0)}
        disposal = Disposal.objects.create(
            org=job.org, course_keys=job.course_keys, since=job.since, until=job.until, label=job.label,
            record_types=list(record_types), reason=reason, decided_by_key=key, decided_by_name=name, role=role,
            decided_at=clock.now(), job=job, deleted=deleted)
        audit.append("archive.dispose", object_type=DISPOSAL_TYPE, object_id=disposal.pk, actor=actor,
                     actor_role=role, org=job.org, course_key=place.course_key,
                     data=dict(scope.describe(), job=job.pk, record_types=list(record_types), reason=reason,
                               deleted=deleted, kept=kept, kept_whole=kept_whole, package_sha256=job.sha256))
    return disposal


def _job(place, job_id, lock=False):
    rows = ArchiveJob.objects.select_for_update() if lock else ArchiveJob.objects
    job = rows.filter(pk=job_id, org=place.org).first()
    if job is None or not _reaches(place, job):
        raise NotFound()
    return job


def _refuse(job, record_types, today, exporters):
    """Raise the first reason the disposal cannot be made (the job not done or without its
    package, a hold, a retention not passed, records the export does not hold); returns the
    records the scope covers now, by model label, of the parts the decision reaches."""
    if job.status != ArchiveJob.DONE:
        raise Conflict("not_done", NOT_DONE)
    if job.package_deleted_at is not None or not job.storage_name:
        raise Conflict("no_package", NO_PACKAGE)
    scope = scopes.of_record(job)
    if active(scope):
        raise Conflict("held", HELD)
    refusal = retention_refusal(scope, record_types, job.org, today)
    if refusal is not None:
        raise refusal
    exported = (job.counts or {}).get("records", {})
    reached = [e for e in exporters
               if e.dispose is not None and set(archive_settings.record_types_of(e.name)) & set(record_types)]
    covered = {}
    for exporter in reached:
        for label, count in exporter.counts(scope).items():
            if label not in exported:
                raise Conflict("not_covered", NOT_COVERED)
            if count > exported[label]:
                raise Conflict("changed_since", CHANGED)
            covered[label] = count
    then = (job.counts or {}).get("state")  # exports before this reading was kept have counts only
    if then is not None and export_state.changed_since(then, export_state.state(reached, scope)):
        raise Conflict("changed_since", CHANGED)
    return covered


def _verify_package(job):
    """Refuse unless the stored package is the file the export made (its recorded SHA-256) and
    verifies as an inspector would check it (manifests, signature by the key that signed it,
    the audit segment up to the anchor the job kept); returns the SHA-256 verified."""
    if not default_storage.exists(job.storage_name):
        raise Conflict("no_package", NO_PACKAGE)
    anchors = [parse_anchor(job.anchor)] if job.anchor else []
    with default_storage.open(job.storage_name, "rb") as handle:
        digest = hashlib.sha256()
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
        handle.seek(0)
        report = verify.verify(handle, fingerprint=job.fingerprint or None, kept_anchors=anchors)
    if digest.hexdigest() != job.sha256 or report.status != verify.VALID:
        raise Conflict("bad_package", BAD_PACKAGE)
    return job.sha256


def _delete_packages(scope, record_types, exporters):
    """Mark the jobs inside ``scope`` as without a package and delete their stored files once the
    decision is committed (a decision rolled back deletes nothing); the rows stay. Only when the
    decision names every record type a package holds: one that holds records still under
    retention stays whole."""
    held = {kind for exporter in exporters for kind in archive_settings.record_types_of(exporter.name)}
    if not held <= set(record_types):
        return {PACKAGE_LABEL: 0}
    names = []
    for job in ArchiveJob.objects.filter(org=scope.org, status=ArchiveJob.DONE, package_deleted_at__isnull=True):
        if job.storage_name and scopes.within(scopes.of_record(job), scope):
            ArchiveJob.objects.filter(pk=job.pk).update(package_deleted_at=clock.now())
            names.append(job.storage_name)
    transaction.on_commit(lambda: [default_storage.delete(name) for name in names])
    return {PACKAGE_LABEL: len(names)}


def list_for(place):
    """(holds, disposals) the block at ``place`` shows, newest first."""
    holds = [h for h in LegalHold.objects.filter(org=place.org).order_by("-pk")[:100] if _reaches(place, h)]
    disposals = [d for d in Disposal.objects.filter(org=place.org).order_by("-pk")[:100] if _reaches(place, d)]
    return holds, disposals

