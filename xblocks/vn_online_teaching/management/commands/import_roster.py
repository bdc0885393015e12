"""``import_roster FILE --org ORG``: load learners from a CSV file, all or nothing."""
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ...core.errors import RequestError
from ...core.roster import import_roster


class Command(BaseCommand):
    help = "Import the school roster (sector_id, full_name, class_name, email, username) from CSV."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--org", required=True)
        parser.add_argument("--allow-unknown-users", action="store_true")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **opts):
        with open(opts["file"], "rb") as f:
            data = f.read()
        try:
            report = import_roster(data, opts["org"], allow_unknown_users=opts["allow_unknown_users"],
                                   dry_run=opts["dry_run"])
        except RequestError as exc:
            raise CommandError(exc.message(), returncode=2) from exc
        for line in report.lines():
            self.stdout.write(line)
        if not report.ok:
            raise CommandError(_("The file has errors; nothing was imported."), returncode=2)
        self.stdout.write(_("Created: {created}, updated: {updated}.").format(created=report.created,
                                                                         updated=report.updated))
