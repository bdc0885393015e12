"""``import_roles FILE --org ORG``: assign school roles from a CSV file (username, role, subject)."""
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ...core.errors import RequestError
from ...core.role_import import import_roles


class Command(BaseCommand):
    help = "Import school roles (username, role, subject) from CSV; roles: teacher, head, principal, records_officer, homeroom."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--org", required=True)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **opts):
        with open(opts["file"], "rb") as f:
            data = f.read()
        try:
            report = import_roles(data, opts["org"], dry_run=opts["dry_run"])
        except RequestError as exc:
            raise CommandError(exc.message(), returncode=2) from exc
        for line in report.lines():
            self.stdout.write(line)
        if not report.ok:
            raise CommandError(_("The file has errors; nothing was imported."), returncode=2)
        self.stdout.write(_("Created: {created}, updated: {updated}.").format(created=report.created, updated=0))
