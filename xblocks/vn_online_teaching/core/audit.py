"""The audit log: append-only and hash-chained, so a changed or removed row is detected.

Each entry's hash covers its canonical JSON and the previous entry's hash. Since version 2 the
two are hashed apart and then together (``entry_hash``): the link from one entry to the next can
be checked from the content's hash alone, so a school's archive package carries its own entries
whole and the other schools' entries of a shared server as their hashes only (archive/segment.py),
and the chain still shows that nothing between was changed or removed. ``append`` must run in
the same transaction as the change it records (a rolled-back change leaves no entry, and a
committed change always has one). Appends are serialised through the ``AuditHead`` row: a locking
read on MariaDB/MySQL, and an IMMEDIATE transaction on SQLite (set in the database OPTIONS), so
concurrent writers on several processes still make one unbroken chain. What is appended, what is
not and why, and how anchors kept on paper reveal a chain rebuilt from scratch:
docs/audit-policy.md.
"""
import hashlib
import json
from dataclasses import dataclass

from django.db import transaction

from . import clock
from .models import AuditEntry, AuditHead

GENESIS = "0" * 64


def canonical_json(value):
    """One byte string per value: sorted keys, no spaces, UTF-8 (so Vietnamese stays readable)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def entry_body(entry):
    return {
        "seq": entry.seq,
        "at": clock.iso(entry.at),
        "actor_key": entry.actor_key,
        "actor_name": entry.actor_name,
        "actor_role": entry.actor_role,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "org": entry.org,
        "course_key": entry.course_key,
        "data": entry.data,
        "prev_hash": entry.prev_hash,
    }


VERSION = 2  # the hash rule of the entries appended now


def content_body(entry):
    """What a version 2 entry's content hash covers: the entry without its link, with its version."""
    body = entry_body(entry)
    del body["prev_hash"]
    body["v"] = getattr(entry, "version", 1)
    return body


def content_hash(entry):
    return hashlib.sha256(canonical_json(content_body(entry))).hexdigest()


def link_hash(prev_hash, content):
    """A version 2 entry's hash: the previous entry's hash and its own content's, chained."""
    return hashlib.sha256(f"{prev_hash}{content}".encode("ascii")).hexdigest()


def entry_hash(entry):
    """The hash an entry must have: by the rule of its version (1: entries before version 2)."""
    if (getattr(entry, "version", 1) or 1) >= 2:
        return link_hash(entry.prev_hash, content_hash(entry))
    return hashlib.sha256(canonical_json(entry_body(entry))).hexdigest()


class AuditError(RuntimeError):
    pass


def append(action, *, object_type, object_id, actor=None, actor_role="", data=None, org="", course_key=""):
    """Add one entry at the end of the chain; call inside ``transaction.atomic()``."""
    if not transaction.get_connection().in_atomic_block:
        raise AuditError("audit.append must run inside the transaction of the change it records")
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        # created by migration 0002 and after every migrate/flush (apps.ensure_audit_head); creating
        # it here under concurrency deadlocks on InnoDB, so refuse instead of forking the chain
        raise AuditError("the audit head row is missing: run `manage.py migrate`")
    at = clock.now()
    entry = AuditEntry(
        seq=head.seq + 1,
        at=at,
        actor_key=getattr(actor, "user_key", "") or "",
        actor_name=getattr(actor, "display_name", "") or "",
        actor_role=actor_role or "",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        org=org or "",
        course_key=course_key or "",
        data=json.loads(canonical_json(data or {})),
        prev_hash=head.hash,
        version=VERSION,
    )
    entry.hash = entry_hash(entry)
    entry.save()
    moved = AuditHead.objects.filter(pk=1, seq=head.seq).update(seq=entry.seq, hash=entry.hash)
    if moved != 1:
        raise AuditError("the audit chain moved during an append")
    return entry


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    broken_seq: int = None
    reason: str = ""


ANCHOR_DIGITS = 20  # hex digits of an entry's hash kept on paper: 80 bits, short enough to copy


def anchor():
    """"SEQ:HASH" of the chain's last entry (the hash shortened to ``ANCHOR_DIGITS``), or "" for an
    empty chain. Kept outside the database (printed on the logbook, written in the records), it
    lets ``verify`` tell a chain rebuilt from scratch by someone with database access: the entry
    at SEQ would no longer have that hash."""
    head = AuditHead.objects.filter(pk=1).first()
    if head is None or not head.seq:
        return ""
    return f"{head.seq}:{head.hash[:ANCHOR_DIGITS]}"


def parse_anchor(text):
    """(seq, hash prefix) of an anchor "SEQ:HASH"; ValueError when it is not one."""
    seq, sep, digest = (text or "").strip().partition(":")
    digest = digest.strip().lower()
    if not sep or not seq.strip().isdigit() or int(seq) < 1 or len(digest) < 16 or any(
            c not in "0123456789abcdef" for c in digest):
        raise ValueError(text)
    return int(seq), digest


def verify(entries=None, anchors=()):
    """Walk the chain from the start; report the first link that does not hold. ``anchors``
    ((seq, hash prefix) kept outside the database) must each name an entry still in the chain
    with that hash."""
    rows = entries if entries is not None else AuditEntry.objects.order_by("seq").iterator(chunk_size=2000)
    prev = GENESIS
    expected_seq = 1
    checked = 0
    for entry in rows:
        if entry.seq != expected_seq:
            return VerifyResult(False, checked, expected_seq, "missing entry")
        if entry.prev_hash != prev:
            return VerifyResult(False, checked, entry.seq, "previous hash does not match")
        if entry_hash(entry) != entry.hash:
            return VerifyResult(False, checked, entry.seq, "content does not match its hash")
        prev = entry.hash
        expected_seq += 1
        checked += 1
    if entries is None:
        head = AuditHead.objects.filter(pk=1).first()
        if head is not None and (head.seq != checked or (checked and head.hash != prev)):
            return VerifyResult(False, checked, checked + 1, "entries after the last one are missing")
    for seq, digest in sorted(anchors):
        kept = AuditEntry.objects.filter(seq=seq).values_list("hash", flat=True).first()
        if kept is None or not kept.startswith(digest):
            return VerifyResult(False, checked, seq, "entry differs from the anchor kept outside the database")
    return VerifyResult(True, checked)


def history(object_type, object_id):
    """Entries about one object, oldest first."""
    return list(AuditEntry.objects.filter(object_type=object_type, object_id=str(object_id)).order_by("seq"))
