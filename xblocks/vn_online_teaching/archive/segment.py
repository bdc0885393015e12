"""The audit chain's segment in a package: the entries from one point of the chain to its latest
entry, one JSON object a line, so an inspector can re-check the links without the database.

Each line is the entry's hashed body (``core.audit.entry_body``) plus its ``hash``; the hash is
recomputed with ``core.audit.entry_hash``, so a package is checked by the very rules that made
the chain (docs/audit-policy.md). The chain is one for the whole installation, so a segment is a
contiguous run of it: a run with gaps could not show that nothing between was removed.
"""
import datetime as dt
import json
from types import SimpleNamespace

from ..core import audit

PATH = "audit/segment.jsonl"  # under data/
FIELDS = ("seq", "at", "actor_key", "actor_name", "actor_role", "action", "object_type", "object_id",
          "org", "course_key", "data", "prev_hash", "hash")


def lines(entries):
    """One canonical JSON line per entry, for ``BagWriter.add_file`` (entries are read lazily)."""
    for entry in entries:
        body = audit.entry_body(entry)
        body["hash"] = entry.hash
        yield audit.canonical_json(body) + b"\n"


def start_of(entry):
    """"SEQ PREV_HASH" of a segment's first entry, for bag-info: where the segment joins the chain."""
    return f"{entry.seq} {entry.prev_hash}"


def _entry(line):
    row = json.loads(line)
    if not isinstance(row, dict) or set(row) != set(FIELDS) or not isinstance(row["seq"], int):
        raise ValueError("not an audit entry")
    row["at"] = dt.datetime.strptime(row["at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.timezone.utc)
    return SimpleNamespace(**row)


def check(raw_lines, start, anchor, kept=()):
    """(ok, checked, seq, reason) for a segment: it must start where bag-info says (``start``, as
    ``start_of`` wrote it), every link and entry hash must hold, its last entry must be ``anchor``
    (SEQ:HASH, the latest anchor printed in the package) and each of ``kept`` ((seq, hash prefix)
    anchors kept on paper, within the segment) must name an entry with that hash.

    ``core.audit.verify`` walks from the chain's first entry only, so the walk from ``start`` is
    done here with the same hash function."""
    try:
        seq_text, prev = start.split()
        expected, prev = int(seq_text), prev.lower()
        last_seq, last_digest = audit.parse_anchor(anchor)
    except ValueError:
        return False, 0, None, "start"
    kept = dict(kept)
    first, checked = expected, 0
    for line in raw_lines:
        try:
            entry = _entry(line)
        except (ValueError, TypeError, KeyError):
            return False, checked, expected, "malformed"
        if entry.seq != expected:
            return False, checked, expected, "missing"
        if entry.prev_hash != prev:
            return False, checked, entry.seq, "link"
        if audit.entry_hash(entry) != entry.hash:
            return False, checked, entry.seq, "content"
        if entry.seq in kept and not entry.hash.startswith(kept[entry.seq]):
            return False, checked, entry.seq, "kept"
        prev, expected, checked = entry.hash, expected + 1, checked + 1
    if checked == 0 or expected - 1 != last_seq or not prev.startswith(last_digest):
        return False, checked, last_seq, "anchor"
    outside = sorted(seq for seq in kept if not first <= seq <= last_seq)
    if outside:
        return False, checked, outside[0], "kept"
    return True, checked, None, ""
