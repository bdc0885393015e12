"""``verify_audit``: walk the audit chain and report the first broken link (exit 1 if any);
``--anchor SEQ:HASH`` also checks values of the chain kept outside the database, and
``--print-anchor`` prints the value to keep."""
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ...core.audit import anchor, verify
from ..anchors import add_anchor_argument, anchors_of


class Command(BaseCommand):
    help = "Verify the hash chain of the audit log."

    def add_arguments(self, parser):
        add_anchor_argument(parser, "an anchor kept outside the database (printed on the logbook); repeatable")
        parser.add_argument("--print-anchor", action="store_true",
                            help="print the anchor of the chain's last entry, to keep outside the database")

    def handle(self, *args, **opts):
        anchors = anchors_of(opts)
        result = verify(anchors=anchors)
        if not result.ok:
            raise CommandError(_("Audit chain broken at entry {seq}: {reason}.").format(
                seq=result.broken_seq, reason=result.reason), returncode=1)
        self.stdout.write(_("Audit chain intact: {count} entries.").format(count=result.checked))
        if anchors:
            self.stdout.write(_("Anchors checked: {count}.").format(count=len(anchors)))
        if opts["print_anchor"]:
            self.stdout.write(anchor())
