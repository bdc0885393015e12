"""The hash-chained audit log (core/audit.py), mostly on unsaved entries."""
import dataclasses
import datetime as dt
import hashlib
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

from vn_online_teaching.core import audit
from vn_online_teaching.core.audit import GENESIS, AuditError, VerifyResult, canonical_json, entry_hash, verify
from vn_online_teaching.core.models import AuditEntry

UTC = dt.timezone.utc
AT = dt.datetime(2025, 9, 1, 1, 2, 3, 456789, tzinfo=UTC)


def entry(seq=1, prev_hash=GENESIS, **over):
    values = dict(seq=seq, at=AT, actor_key="gv_lan", actor_name="Nguyễn Thị Lan", actor_role="teacher",
                  action="material.submit", object_type="material", object_id="block-1", org="THPTNamLoi",
                  course_key="course-v1:THPTNamLoi+TOAN10+2025_HK1", data={"from": "draft", "to": "submitted"},
                  prev_hash=prev_hash)
    values.update(over)
    e = AuditEntry(**values)
    e.hash = entry_hash(e)
    return e


def chain(n=3):
    entries, prev = [], GENESIS
    for seq in range(1, n + 1):
        e = entry(seq, prev, data={"n": seq, "ghi_chú": "Đã nộp"})
        entries.append(e)
        prev = e.hash
    return entries


def test_genesis_is_64_zeros():
    assert GENESIS == "0" * 64


def test_entry_hash_exact_value():
    body = ('{"action":"material.submit","actor_key":"gv_lan","actor_name":"Nguyễn Thị Lan","actor_role":"teacher",'
            '"at":"2025-09-01T01:02:03.456789Z","course_key":"course-v1:THPTNamLoi+TOAN10+2025_HK1",'
            '"data":{"from":"draft","to":"submitted"},"object_id":"block-1","object_type":"material",'
            '"org":"THPTNamLoi","prev_hash":"' + "0" * 64 + '","seq":1}')
    assert entry_hash(entry()) == hashlib.sha256(body.encode("utf-8")).hexdigest()
    assert canonical_json(audit.entry_body(entry())) == body.encode("utf-8")


def test_the_same_instant_in_another_zone_hashes_the_same():
    local = AT.astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    assert entry(at=local).hash == entry().hash


def test_data_key_order_does_not_matter():
    assert entry(data={"a": 1, "b": 2}).hash == entry(data={"b": 2, "a": 1}).hash


@pytest.mark.parametrize("field, value", [
    ("seq", 2),
    ("at", AT + dt.timedelta(microseconds=1)),
    ("actor_key", "gv_nam"),
    ("actor_name", "Nguyễn Thị Lân"),
    ("actor_role", "head"),
    ("action", "material.pass"),
    ("object_type", "roster"),
    ("object_id", "block-2"),
    ("org", "THPTKhac"),
    ("course_key", "course-v1:THPTNamLoi+TOAN10+2025_HK2"),
    ("data", {"from": "draft", "to": "approved"}),
    ("data", {"from": "draft", "to": "submitted", "x": None}),
    ("prev_hash", "f" * 64),
])
def test_the_hash_changes_with_any_field(field, value):
    assert entry(**{field: value}).hash != entry().hash


def test_hash_is_not_part_of_its_own_body():
    e = entry()
    before = entry_hash(e)
    e.hash = "x" * 64
    assert entry_hash(e) == before


# ------------------------------------------------------------------ verify

def test_verify_a_good_chain():
    entries = chain(3)
    assert entries[0].prev_hash == GENESIS
    assert entries[1].prev_hash == entries[0].hash
    assert verify(entries=entries) == VerifyResult(ok=True, checked=3, broken_seq=None, reason="")


def test_verify_an_empty_list():
    assert verify(entries=[]) == VerifyResult(True, 0)


def test_verify_detects_a_changed_data_field():
    entries = chain(3)
    entries[1].data = dict(entries[1].data, n=99)
    assert verify(entries=entries) == VerifyResult(False, 1, 2, "content does not match its hash")


@pytest.mark.parametrize("field, value", [("actor_name", "Người khác"), ("at", AT + dt.timedelta(seconds=1)),
                                          ("action", "material.approve")])
def test_verify_detects_any_changed_field(field, value):
    entries = chain(3)
    setattr(entries[2], field, value)
    assert verify(entries=entries) == VerifyResult(False, 2, 3, "content does not match its hash")


def test_verify_detects_a_rehashed_entry_by_the_next_link():
    entries = chain(3)
    entries[1].data = {"n": 2, "ghi_chú": "Sửa lén"}
    entries[1].hash = entry_hash(entries[1])        # the forger recomputes the changed entry's hash
    assert verify(entries=entries) == VerifyResult(False, 2, 3, "previous hash does not match")


def test_verify_detects_a_wrong_prev_hash():
    entries = chain(3)
    entries[2] = entry(3, "a" * 64, data={"n": 3})   # self-consistent, but linked to nothing
    assert verify(entries=entries) == VerifyResult(False, 2, 3, "previous hash does not match")


def test_the_chain_must_start_at_genesis():
    first = entry(1, "1" * 64)
    assert verify(entries=[first]) == VerifyResult(False, 0, 1, "previous hash does not match")


def test_verify_detects_a_missing_entry():
    entries = chain(3)
    assert verify(entries=[entries[0], entries[2]]) == VerifyResult(False, 1, 2, "missing entry")


def test_verify_detects_a_missing_first_entry():
    entries = chain(3)
    assert verify(entries=entries[1:]) == VerifyResult(False, 0, 1, "missing entry")


def test_verify_detects_swapped_entries():
    entries = chain(3)
    assert verify(entries=[entries[0], entries[2], entries[1]]) == VerifyResult(False, 1, 2, "missing entry")


def test_a_truncated_list_still_verifies():
    """Given a list, verify checks only the links it holds (the head row is checked only on the DB)."""
    assert verify(entries=chain(3)[:2]) == VerifyResult(True, 2)


def test_verify_result_is_a_dataclass():
    assert [f.name for f in dataclasses.fields(VerifyResult)] == ["ok", "checked", "broken_seq", "reason"]


# ------------------------------------------------------------------ append (database)

def test_append_refuses_to_run_outside_a_transaction():
    with pytest.raises(AuditError):
        audit.append("x", object_type="t", object_id="1")


@pytest.mark.django_db
def test_append_builds_a_verifiable_chain():
    with transaction.atomic():
        first = audit.append("roster.import", object_type="roster", object_id="THPTNamLoi",
                             data={"rows": 6, "tên": "Ánh"}, org="THPTNamLoi")
    with transaction.atomic():
        second = audit.append("roles.import", object_type="roles", object_id=42, data=None)
    assert (first.seq, second.seq) == (1, 2)
    assert first.prev_hash == GENESIS and second.prev_hash == first.hash
    assert second.object_id == "42" and second.data == {}
    assert verify() == VerifyResult(True, 2)
    stored = list(AuditEntry.objects.order_by("seq"))
    assert verify(entries=stored) == VerifyResult(True, 2)
    assert [e.hash for e in stored] == [entry_hash(e) for e in stored]


@pytest.mark.django_db
def test_entries_are_append_only():
    with transaction.atomic():
        e = audit.append("x", object_type="t", object_id="1")
    with pytest.raises(ValueError):
        e.save()
    with pytest.raises(ValueError):
        e.delete()


def test_a_version_2_hash_chains_the_link_and_the_contents_hash():
    """Version 2: SHA-256 of the previous hash followed by the SHA-256 of the content (the entry
    without its link, with "v"), so that a link can be checked from the content's hash alone."""
    e = entry(version=2)
    body = ('{"action":"material.submit","actor_key":"gv_lan","actor_name":"Nguyễn Thị Lan","actor_role":"teacher",'
            '"at":"2025-09-01T01:02:03.456789Z","course_key":"course-v1:THPTNamLoi+TOAN10+2025_HK1",'
            '"data":{"from":"draft","to":"submitted"},"object_id":"block-1","object_type":"material",'
            '"org":"THPTNamLoi","seq":1,"v":2}')
    content = hashlib.sha256(body.encode("utf-8")).hexdigest()
    assert audit.content_hash(e) == content
    assert e.hash == hashlib.sha256(("0" * 64 + content).encode("ascii")).hexdigest() != entry().hash
    assert entry(version=2, prev_hash="1" * 64).hash != e.hash  # the link is covered


def test_a_chain_of_both_versions_verifies_and_a_changed_version_breaks_it():
    old = chain(2)
    new = entry(3, old[-1].hash, version=2)
    assert verify([*old, new]).ok
    new.version = 1  # read by the older rule, its stored hash no longer holds
    assert verify([*old, new]) == VerifyResult(False, 2, 3, "content does not match its hash")
