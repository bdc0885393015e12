"""The ``--anchor SEQ:HASH`` option of the commands that check the audit chain (``verify_audit``,
``verify_archive``): anchors a school keeps outside the database (printed on the logbook, on
paper), read the same way by both, with one refusal for a value that is not one."""
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from ..core.audit import parse_anchor


def add_anchor_argument(parser, help_text):
    parser.add_argument("--anchor", action="append", default=[], metavar="SEQ:HASH", help=help_text)


def anchors_of(opts):
    """The anchors given, as (seq, hash prefix); exit 2 (the input is unreadable) for one that is
    not an anchor."""
    try:
        return [parse_anchor(text) for text in opts["anchor"]]
    except ValueError as exc:
        raise CommandError(_("Not an anchor (SEQ:HASH, at least 16 hex digits): {value}").format(
            value=exc), returncode=2) from None
