"""``verify_audit``: walk the audit chain and report the first broken link (exit 1 if any);
``--anchor SEQ:HASH`` also checks values of the chain kept outside the database, and
``--print-anchor`` prints the value to keep."""
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ...core.audit import anchor, parse_anchor, verify


class Command(BaseCommand):
    help = "Verify the hash chain of the audit log."

    def add_arguments(self, parser):
        parser.add_argument("--anchor", action="append", default=[], metavar="SEQ:HASH",
                            help="an anchor kept outside the database (printed on the logbook); repeatable")
        parser.add_argument("--print-anchor", action="store_true",
                            help="print the anchor of the chain's last entry, to keep outside the database")

    def handle(self, *args, **opts):
        try:
            anchors = [parse_anchor(text) for text in opts["anchor"]]
        except ValueError as exc:
            raise CommandError(_("Not an anchor (SEQ:HASH, at least 16 hex digits): {value}").format(
                value=exc), returncode=2) from None
        result = verify(anchors=anchors)
        if not result.ok:
            raise CommandError(_("Audit chain broken at entry {seq}: {reason}.").format(
                seq=result.broken_seq, reason=result.reason), returncode=1)
        self.stdout.write(_("Audit chain intact: {count} entries.").format(count=result.checked))
        if anchors:
            self.stdout.write(_("Anchors checked: {count}.").format(count=len(anchors)))
        if opts["print_anchor"]:
            self.stdout.write(anchor())
