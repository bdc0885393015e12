"""``verify_archive PACKAGE``: check an archive package's fixity, signature and audit segment and
say what is wrong. Exit 0: valid; 1: invalid (the package does not hold); 2: unreadable (no such
file, not a zip). ``--fingerprint`` compares the signing key with the one the school published;
``--anchor SEQ:HASH`` (repeatable) with anchors kept on paper."""
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ...archive import verify as archive_verify
from ..anchors import add_anchor_argument, anchors_of


class Command(BaseCommand):
    help = "Verify an archive package: checksums, signature and audit segment."

    def add_arguments(self, parser):
        parser.add_argument("package", help="the package (.zip)")
        parser.add_argument("--fingerprint", default="", help="the published fingerprint of the signing key")
        add_anchor_argument(parser, "an audit anchor kept outside the database; repeatable")

    def handle(self, *args, **opts):
        anchors = anchors_of(opts)
        report = archive_verify.verify(opts["package"], fingerprint=opts["fingerprint"], kept_anchors=anchors)
        lines = [_(message).format(**values) for message, values in report.problems]
        if report.status == archive_verify.UNREADABLE:
            raise CommandError("\n".join(lines), returncode=2)
        if report.status == archive_verify.INVALID:
            raise CommandError("\n".join([_("The package is NOT valid:")] + lines), returncode=1)
        self.stdout.write(_("The package is valid: {files} files checked, signed by the key {fingerprint}.").format(
            files=report.files, fingerprint=report.info.get("Signing-Key-Fingerprint", "")))
        if report.info.get("Audit-Anchor"):
            self.stdout.write(_("Audit segment intact: {count} entries up to the anchor {anchor}.").format(
                count=report.audit_entries, anchor=report.info["Audit-Anchor"]))
