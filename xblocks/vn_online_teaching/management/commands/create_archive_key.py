"""``create_archive_key PATH``: make the Ed25519 key that signs archive packages, and print its
fingerprint for the school to publish (docs/archive-verification.md). An existing file is never
overwritten: packages already signed would no longer match the published fingerprint."""
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ...archive import signing


class Command(BaseCommand):
    help = "Create the Ed25519 key that signs archive packages."

    def add_arguments(self, parser):
        parser.add_argument("path", help="where to write the private key (PEM); must not exist")

    def handle(self, *args, **opts):
        path = opts["path"]
        try:
            key = signing.write_new_key(path)
        except FileExistsError:
            raise CommandError(_("{path} already exists; a signing key is never overwritten.").format(
                path=path), returncode=1) from None
        except OSError as exc:
            raise CommandError(_("Cannot write {path}: {reason}").format(
                path=path, reason=exc.strerror or exc), returncode=2) from None
        self.stdout.write(_("Signing key written to {path} (readable by its owner only).").format(path=path))
        self.stdout.write(_("Key fingerprint (SHA-256), to publish: {fingerprint}").format(
            fingerprint=signing.fingerprint(key)))
        self.stdout.write(_("Set VN_ONLINE_TEACHING[\"ARCHIVE_SIGNING_KEY\"] to this path."))
