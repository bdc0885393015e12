"""The archive's own records in the archive (core/exporting.py): every export job with the proof
of its package, the legal holds and the disposal decisions (the school's acts on its records are
records too: a later package shows what earlier ones held and what was destroyed, and why). No
``dispose`` here: a disposal never deletes them, they are its proof (archive/holds.py).

Which records a scope covers: those of its school; a job, a hold or a disposal by its own time
(``created_at``, ``placed_at``, ``decided_at``). Courses do not narrow them: each covers a scope of
its own, shown in its columns.
"""
from ..core.exporting import counted, label, query_table
from ..core.i18n import N_
from .models import ArchiveJob, Disposal, LegalHold

FEATURE = "archive"
SCOPE_COLUMNS = (("org", N_("School")), ("course_keys", N_("Courses")), ("since", N_("From")),
                 ("until", N_("Until")), ("label", N_("Period")))


def _jobs(scope):
    return scope.dates(ArchiveJob.objects.filter(org=scope.org), "created_at")


def _holds(scope):
    return scope.dates(LegalHold.objects.filter(org=scope.org), "placed_at")


def _disposals(scope):
    return scope.dates(Disposal.objects.filter(org=scope.org), "decided_at")


QUERIES = {ArchiveJob: _jobs, LegalHold: _holds, Disposal: _disposals}


def counts(scope):
    return counted(QUERIES, scope)


def tables(scope):
    yield query_table(FEATURE, "archive_jobs", N_("Exports of the records"), (
        ("id", N_("Record no.")), *SCOPE_COLUMNS, ("status", N_("State")),
        ("requested_by_name", N_("Done by")), ("role", N_("In the role of")),
        ("requested_by_key", N_("By (user key)")), ("created_at", N_("Created at")),
        ("finished_at", N_("Ended at")), ("sha256", N_("SHA-256")), ("size", N_("Size (bytes)")),
        ("fingerprint", N_("Fingerprint")), ("anchor", N_("Audit anchor")), ("counts", N_("Records")),
        ("package_deleted_at", N_("Package deleted at")), ("error", N_("Error")),
    ), lambda: _jobs(scope), model=label(ArchiveJob), dated_by="created_at")
    yield query_table(FEATURE, "legal_holds", N_("Legal holds"), (
        ("id", N_("Record no.")), *SCOPE_COLUMNS, ("reason", N_("Reason")),
        ("placed_by_name", N_("Done by")), ("placed_role", N_("In the role of")), ("placed_at", N_("Time")),
        ("released_by_name", N_("Released by")), ("released_at", N_("Released at")),
        ("release_reason", N_("Reason for releasing")),
    ), lambda: _holds(scope), model=label(LegalHold), dated_by="placed_at")
    yield query_table(FEATURE, "disposals", N_("Disposal decisions"), (
        ("id", N_("Record no.")), *SCOPE_COLUMNS, ("record_types", N_("Record types")),
        ("reason", N_("Reason")), ("decided_by_name", N_("Decided by")), ("role", N_("In the role of")),
        ("decided_at", N_("Time")), ("job", N_("Export no."), "job_id"), ("deleted", N_("Records deleted")),
    ), lambda: _disposals(scope), model=label(Disposal), dated_by="decided_at")


def files(scope):
    """The packages themselves are not put inside a newer package."""
    return iter(())
