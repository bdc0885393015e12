"""``export_archive --org ORG --out FILE.zip``: export a school's records (one course, several, or
the whole organisation; by dates, school year or semester) as a signed archive package, with the
same job code as the records_archive block (archive/jobs.py): the job is recorded and audited, the
package is kept in the storage like the block's, and a copy is written to FILE.

Exit 0: done (the key fingerprint and the audit anchor are printed, to copy onto paper);
1: the export failed (the reason is printed; nothing is written to FILE);
2: a wrong argument (a date, a school year, a semester without its year, FILE exists).
"""
import os
import shutil
from types import SimpleNamespace

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ...archive import jobs, scopes
from ...archive.models import ArchiveJob
from ...core.errors import RequestError
from ...core.validation import parse_date

OPERATOR_ROLE = "operator"


def _date(value, field):
    try:
        return parse_date(value, field) if value else None
    except RequestError as exc:
        raise CommandError(_("Not a date (YYYY-MM-DD): {value}").format(value=value), returncode=2) from exc


class Command(BaseCommand):
    help = "Export a school's records as a signed archive package (BagIt zip)."

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="the school's organisation")
        parser.add_argument("--out", required=True, help="the package to write (.zip); must not exist")
        parser.add_argument("--course", action="append", default=[], metavar="KEY",
                            help="a course key; repeatable; none: every course of the organisation")
        parser.add_argument("--since", default="", help="first day (YYYY-MM-DD)")
        parser.add_argument("--until", default="", help="last day (YYYY-MM-DD)")
        parser.add_argument("--school-year", default="", help="a school year such as 2025-2026 (instead of dates)")
        parser.add_argument("--semester", type=int, choices=(1, 2), help="1 or 2, with --school-year")
        parser.add_argument("--by", default="", help="who asks for the export (recorded with the job)")

    def handle(self, *args, **opts):
        out = opts["out"]
        if os.path.exists(out):
            raise CommandError(_("{path} already exists; choose another file.").format(path=out), returncode=2)
        since, until = _date(opts["since"], "since"), _date(opts["until"], "until")
        try:
            scope, label = scopes.choose(opts["org"], opts["course"], since, until, opts["school_year"],
                                         opts["semester"])
        except RequestError as exc:
            raise CommandError(exc.message(), returncode=2) from None
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from None
        name = opts["by"] or jobs.COMMAND_ACTOR
        operator = SimpleNamespace(user_key="", username=name, full_name=name, display_name=name)
        job = jobs.request(operator, OPERATOR_ROLE, scope, label)
        self.stdout.write(_("Export {job} of {org} started: {label}").format(job=job.pk, org=scope.org, label=label))
        job = jobs.run(job.pk)
        if job.status != ArchiveJob.DONE:
            raise CommandError(_("The export failed: {error}").format(error=job.error), returncode=1)
        with default_storage.open(job.storage_name, "rb") as source, open(out, "xb") as target:
            shutil.copyfileobj(source, target, 1024 * 1024)
        self.stdout.write(_("Package written to {path} ({size} bytes), SHA-256 {sha256}.").format(
            path=out, size=job.size, sha256=job.sha256))
        self.stdout.write(_("Signing key fingerprint: {fingerprint}").format(fingerprint=job.fingerprint))
        self.stdout.write(_("Latest audit anchor: {anchor}").format(anchor=job.anchor or "—"))
        self.stdout.write(_("Check it with: manage.py verify_archive {path} --fingerprint {fingerprint}").format(
            path=out, fingerprint=job.fingerprint))
