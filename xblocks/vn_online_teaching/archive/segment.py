"""The audit chain's segment in a package: the entries from one point of the chain to its latest
entry, one JSON object a line, so an inspector can re-check the links without the database.

Each line is the entry's hashed body (``core.audit.entry_body``) plus its ``hash`` (and ``v``,
its hash rule, from version 2); the hash is recomputed with ``core.audit.entry_hash``, so a
package is checked by the very rules that made the chain (docs/audit-policy.md). The chain is one
for the whole installation, so a segment is a contiguous run of it: a run with gaps could not
show that nothing between was removed.

On a server several schools share, that run holds the other schools' entries too: their
teachers' names, their students' keys. A version 2 entry of another school is therefore withheld:
its line carries only its sequence number, its link (``prev_hash``), the hash of its content
(``content_hash``) and its hash, which is enough to check that it links its neighbours and was
not changed (the hash is recomputed from the link and the content's hash), and nothing of what it
says. Entries written before version 2 can only be checked whole, so they stay whole.
"""
import datetime as dt
import json
from types import SimpleNamespace

from ..core import audit

PATH = "audit/segment.jsonl"  # under data/
FIELDS = ("seq", "at", "actor_key", "actor_name", "actor_role", "action", "object_type", "object_id",
          "org", "course_key", "data", "prev_hash", "hash")
WITHHELD_FIELDS = ("seq", "v", "prev_hash", "content_hash", "hash", "withheld")


def withheld(entry, org):
    """Is ``entry`` given by its hashes only in the package of the school ``org``?"""
    return org is not None and entry.org != org and (getattr(entry, "version", 1) or 1) >= 2


def lines(entries, org=None):
    """One canonical JSON line per entry, for ``BagWriter.add_file`` (entries are read lazily):
    whole, or withheld when it is another school's than ``org`` (None: every entry whole)."""
    for entry in entries:
        if withheld(entry, org):
            body = {"seq": entry.seq, "v": getattr(entry, "version", 1), "prev_hash": entry.prev_hash,
                    "content_hash": audit.content_hash(entry), "hash": entry.hash, "withheld": True}
        else:
            body = audit.entry_body(entry)
            if (getattr(entry, "version", 1) or 1) >= 2:
                body["v"] = getattr(entry, "version", 1)
            body["hash"] = entry.hash
        yield audit.canonical_json(body) + b"\n"


def start_of(entry):
    """"SEQ PREV_HASH" of a segment's first entry, for bag-info: where the segment joins the chain."""
    return f"{entry.seq} {entry.prev_hash}"


def _entry(line):
    """The line as an entry: ``recomputed`` is the hash its content and link must have."""
    row = json.loads(line)
    if not isinstance(row, dict) or not isinstance(row.get("seq"), int):
        raise ValueError("not an audit entry")
    if row.get("withheld") is True and set(row) == set(WITHHELD_FIELDS):
        if row["v"] != 2 or not _hex64(row["content_hash"]):
            raise ValueError("not an audit entry")
        return SimpleNamespace(**row, recomputed=audit.link_hash(row["prev_hash"], row["content_hash"]))
    version = row.pop("v", 1)
    if set(row) != set(FIELDS) or version not in (1, 2):
        raise ValueError("not an audit entry")
    row["at"] = dt.datetime.strptime(row["at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.timezone.utc)
    entry = SimpleNamespace(**row, version=version)
    entry.recomputed = audit.entry_hash(entry)
    return entry


def _hex64(value):
    return isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)


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
        if entry.recomputed != entry.hash:
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
