"""Reading stored packages: the jobs a block shows, a download, a verification. Each download and
each verification is authorised first and audited (docs/audit-policy.md): a package holds every
learner's records, so who took a copy, and who checked one with what result, is evidence too.

A package is reached only through its job (done, not disposed of), never by a storage name the
browser sends."""
import hashlib

from django.core.files.storage import default_storage
from django.db import transaction

from ..core import audit
from ..core.audit import parse_anchor
from ..core.errors import Conflict, NotFound
from ..core.i18n import N_, gettext
from . import access, signing, verify
from .jobs import OBJECT_TYPE, end_stalled
from .models import ArchiveJob

NOT_READY = N_("This package is not ready.")
DISPOSED = N_("This package was deleted by a disposal decision.")
LIST_LIMIT = 50


def jobs_of(usage_key, limit=LIST_LIMIT):
    """The block's latest jobs, those whose worker stopped ended first (jobs.end_stalled)."""
    end_stalled(ArchiveJob.objects.filter(usage_key=usage_key))
    return list(ArchiveJob.objects.filter(usage_key=usage_key).order_by("-pk")[:limit])


def job_now(job_id):
    """Job ``job_id`` as stored now: a job just started may already have run (inline, without
    workers), so its page shows the stored record, not the object the request created."""
    return ArchiveJob.objects.get(pk=job_id)


def job_of(place, usage_key, job_id):
    """A job started from this block, or NotFound (a job of another block is not found either)."""
    job = ArchiveJob.objects.filter(pk=job_id, usage_key=usage_key, org=place.org).first()
    if job is None:
        raise NotFound()
    return job


def _stored(job):
    if job.package_deleted_at is not None:
        raise Conflict("disposed", DISPOSED)
    if job.status != ArchiveJob.DONE or not job.storage_name:
        raise Conflict("not_ready", NOT_READY)
    return job


def open_download(actor, place, usage_key, job_id):
    """(file name, open binary file, size) of a finished package, with its audit entry."""
    role = access.authorize(actor, access.DOWNLOAD, place)
    job = _stored(job_of(place, usage_key, job_id))
    with transaction.atomic():
        audit.append("archive.download", object_type=OBJECT_TYPE, object_id=job.pk, actor=actor, actor_role=role,
                     org=job.org, course_key=place.course_key, data={"sha256": job.sha256})
    name = job.storage_name.rsplit("/", 1)[-1]
    return name, default_storage.open(job.storage_name, "rb"), job.size


def check(actor, place, usage_key, job_id):
    """Verify a stored package as an inspector would, against the job's record: its SHA-256, the
    school's signing key (when configured) and the anchor kept in the job. Returns
    (ok, [translated problems], report) and audits the result."""
    role = access.authorize(actor, access.VERIFY, place)
    job = _stored(job_of(place, usage_key, job_id))
    try:
        expected = signing.fingerprint(signing.load_private_key(org=job.org))
    except signing.SigningKeyError:
        expected = job.fingerprint
    anchors = [parse_anchor(job.anchor)] if job.anchor else []
    with default_storage.open(job.storage_name, "rb") as handle:
        report = verify.verify(handle, fingerprint=expected, kept_anchors=anchors)
        handle.seek(0)
        same_file = _sha256(handle) == job.sha256
    problems = [gettext(message).format(**values) for message, values in report.problems]
    if not same_file:
        problems.insert(0, gettext(N_("The stored package is not the file this export made: its SHA-256 differs "
                                      "from the one recorded.")))
    ok = report.status == verify.VALID and same_file
    with transaction.atomic():
        audit.append("archive.verify", object_type=OBJECT_TYPE, object_id=job.pk, actor=actor, actor_role=role,
                     org=job.org, course_key=place.course_key,
                     data={"valid": ok, "status": report.status if same_file else verify.INVALID,
                           "problems": len(problems)})
    return ok, problems, report


def _sha256(handle):
    digest = hashlib.sha256()
    for block in iter(lambda: handle.read(1024 * 1024), b""):
        digest.update(block)
    return digest.hexdigest()
