"""What the records_archive pages show: jobs with their progress, holds and disposals as plain
values in the reader's language (the block renders them; ``archive.js`` redraws the jobs)."""
from ..core import clock
from ..core.i18n import N_, gettext
from . import holds, jobs, packages
from . import settings as archive_settings
from .models import ArchiveJob

STATUS_LABELS = {
    ArchiveJob.QUEUED: N_("Waiting to start"),
    ArchiveJob.RUNNING: N_("Exporting"),
    ArchiveJob.DONE: N_("Ready"),
    ArchiveJob.FAILED: N_("Failed"),
}
RECORD_TYPE_LABELS = {
    "teaching_process": N_("Online teaching process (lessons, attendance, logbook)"),
    "teaching_plans": N_("Teaching plans by week and month"),
    "assessment": N_("Assessment (tests, papers, scores, integrity)"),
    "materials": N_("Approved learning materials and their decisions"),
}
FAILED_NOTE = N_("The export failed; nothing was kept. Tell the administrator: {error}")


def _when(moment, org):
    return clock.display(moment, org) if moment else ""


def job_dict(job):
    tables = (job.counts or {}).get("tables", {})
    return {
        "id": job.pk, "status": job.status, "status_label": gettext(STATUS_LABELS[job.status]),
        "label": job.label, "requested_by": job.requested_by_name, "created": _when(job.created_at, job.org),
        "finished": _when(job.finished_at, job.org), "steps_done": job.steps_done, "steps_total": job.steps_total,
        "step": job.step, "size": job.size, "sha256": job.sha256, "fingerprint": job.fingerprint,
        "anchor": job.anchor, "records": sum(tables.values()) if tables else 0,
        "error": _error_text(job),
        "disposed": job.package_deleted_at is not None,
        "downloadable": job.status == ArchiveJob.DONE and job.package_deleted_at is None,
    }


def _error_text(job):
    """Why a job failed, as its reader can act on it: a stopped worker in words, any other failure
    with the first line of its technical reason for the administrator."""
    if not job.error:
        return ""
    if job.error == jobs.STALLED:
        return gettext(jobs.STALLED)
    return gettext(FAILED_NOTE).format(error=job.error.splitlines()[0][:200])


def jobs_list(usage_key):
    return [job_dict(job) for job in packages.jobs_of(usage_key)]


def hold_dict(hold):
    return {"id": hold.pk, "label": hold.label, "reason": hold.reason, "placed_by": hold.placed_by_name,
            "placed": _when(hold.placed_at, hold.org), "released": _when(hold.released_at, hold.org),
            "released_by": hold.released_by_name, "release_reason": hold.release_reason,
            "active": hold.released_at is None}


def disposal_dict(disposal):
    return {"id": disposal.pk, "label": disposal.label, "reason": disposal.reason,
            "decided_by": disposal.decided_by_name, "decided": _when(disposal.decided_at, disposal.org),
            "job": disposal.job_id, "record_types": [gettext(RECORD_TYPE_LABELS[k]) for k in disposal.record_types],
            "deleted": sum((disposal.deleted or {}).values())}


def page(place, usage_key, allowed):
    held, disposals = holds.list_for(place)
    retention = [(gettext(RECORD_TYPE_LABELS[kind]), _period(archive_settings.retention(kind, place.org)))
                 for kind in archive_settings.RECORD_TYPES]
    return {
        "jobs": jobs_list(usage_key), "holds": [hold_dict(h) for h in held],
        "disposals": [disposal_dict(d) for d in disposals], "retention": retention,
        "record_types": [(kind, gettext(label)) for kind, label in RECORD_TYPE_LABELS.items()],
        "allowed": sorted(allowed),
    }


def _period(value):
    if value == archive_settings.PERMANENT:
        return gettext("Permanent")
    return gettext("{years} years").format(years=value)
