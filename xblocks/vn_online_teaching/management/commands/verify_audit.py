"""``verify_audit``: walk the audit chain and report the first broken link (exit 1 if any)."""
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ...core.audit import verify


class Command(BaseCommand):
    help = "Verify the hash chain of the audit log."

    def handle(self, *args, **opts):
        result = verify()
        if not result.ok:
            raise CommandError(_("Audit chain broken at entry {seq}: {reason}.").format(
                seq=result.broken_seq, reason=result.reason), returncode=1)
        self.stdout.write(_("Audit chain intact: {count} entries.").format(count=result.checked))
