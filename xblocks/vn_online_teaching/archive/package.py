"""A signed archive package: the bag, the audit segment, bag-info naming who exported what and
when, the public key and the detached signature (docs/archive-verification.md).

What goes in the payload and which part of the audit chain is the block's choice; this module only
writes them as they come, so the caller passes iterators (database ``iterator()`` queries, generators
of CSV rows) and the school is never held in memory.
"""
from dataclasses import dataclass

from .. import __version__
from ..core import audit, clock
from . import index, segment, signing
from .bag import BagWriter

SOFTWARE = "openedx-vn-online-teaching"


@dataclass
class Written:
    fingerprint: str
    anchor: str  # "SEQ:HASH" of the segment's last entry, "" without a segment
    payload_count: int
    payload_bytes: int


class _Last:
    """Passes entries through, remembering the first and the last (the anchor is known only at the
    end) and counting those withheld."""

    def __init__(self, entries, org):
        self.entries, self.org, self.first, self.last, self.withheld = entries, org, None, None, 0

    def __iter__(self):
        for entry in self.entries:
            if self.first is None:
                self.first = entry
            self.last = entry
            self.withheld += segment.withheld(entry, self.org)
            yield entry


def write(target, name, *, key, school, scope, exported_by, retention_class, files=(), audit_entries=(),
          exported_at=None, titles=None, language=None, org=None):
    """Write the package into ``target``. ``files``: (path under data/, source) pairs, read one
    after the other; ``audit_entries``: a contiguous run of the audit chain, oldest first, whole
    where they are the school ``org``'s and withheld where another school's (archive/segment.py);
    ``titles``: {base path: (feature, title)} of the tables, for the index page (filled by
    ``render.table_files`` while ``files`` is read); ``language``: the index page's. A failure
    half-way leaves a partial zip that ``verify`` refuses: write it where nobody reaches it, then
    store it (archive/jobs.py)."""
    exported_at = exported_at or clock.now()
    with BagWriter(target, name) as bag:
        for path, source in files:
            bag.add_file(path, source)
        run = _Last(audit_entries, org)
        bag.add_file(segment.PATH, segment.lines(run, org))
        anchor = f"{run.last.seq}:{run.last.hash[:audit.ANCHOR_DIGITS]}" if run.last else ""
        bag.add_tag_file(signing.PUBLIC_KEY_FILE, signing.public_pem(key))
        fingerprint = signing.fingerprint(key)
        info = [
            ("Source-Organization", school),
            ("External-Description", scope),
            ("Contact-Name", exported_by),
            ("Exported-At", clock.iso(exported_at)),
            ("Bag-Software-Agent", f"{SOFTWARE} {__version__}"),
            ("Retention-Class", retention_class),
            ("Audit-Anchor", anchor),
            ("Audit-Segment-Start", segment.start_of(run.first) if run.first else ""),
            ("Audit-Segment-Withheld", str(run.withheld)),  # other schools' entries, given by their hashes
            ("Signing-Key-Fingerprint", fingerprint),
            ("Signature", f"{signing.SIGNATURE_FILE}: Ed25519 over {signing.SIGNED_FILE}"),
        ]
        bag.add_file(index.PATH, index.page(info, bag.listing(), titles=titles, language=language))
        signed = bag.finish(info, today=clock.to_school(exported_at).date())
        bag.add_untracked(signing.SIGNATURE_FILE, signing.sign(key, signed))
        return Written(fingerprint, anchor, bag.payload_count, bag.payload_bytes)
