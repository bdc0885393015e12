"""Tamper evidence of the audit log on the real database: rows changed or removed behind the
model's back (raw SQL, as someone with database access would) are found by ``verify()`` and by
the ``verify_audit`` management command; the model itself refuses updates and deletes."""
import json
from io import StringIO
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from helpers import decide
from vn_online_teaching.core import audit
from vn_online_teaching.core.models import AuditEntry, AuditHead

TABLE = AuditEntry._meta.db_table
HEAD_TABLE = AuditHead._meta.db_table


def q(name):
    return connection.ops.quote_name(name)


def raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def make_chain(n=6):
    """``n`` entries written the way the product writes them (each in its own transaction)."""
    for i in range(1, n + 1):
        with transaction.atomic():
            audit.append("test.event", object_type="test", object_id=f"obj-{i}", actor=None, actor_role="teacher",
                         org="THPTNamLoi", course_key="course-v1:THPTNamLoi+TOAN10+2025_HK1",
                         data={"i": i, "ghi_chú": "Đã nộp bài", "nested": {"b": 2, "a": [1, 2]}})
    result = audit.verify()
    assert result.ok and result.checked == n, result
    return n


def run_verify_command():
    from io import StringIO

    out = StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


@pytest.fixture
def chain(db):
    return make_chain(6)


# ------------------------------------------------------------------------ intact chains

def test_intact_chain_verifies_and_the_command_prints_the_count(chain):
    output = run_verify_command()
    assert re.search(r"\b6\b", output), output


def test_empty_log_verifies(db):
    assert not AuditEntry.objects.exists()
    result = audit.verify()
    assert result.ok and result.checked == 0
    assert re.search(r"\b0\b", run_verify_command())


def test_real_workflow_entries_verify(draft):
    for user, action in (("gv_lan", "submit"), ("tt_minh", "pass"), ("ht_hung", "approve")):
        assert decide(draft, user, action)[0] == 200
    result = audit.verify()
    assert result.ok and result.checked == 3
    assert re.search(r"\b3\b", run_verify_command())


def test_rewriting_the_json_with_other_key_order_and_spacing_is_not_tampering(chain):
    """The database may store JSON text differently (MariaDB normalises, SQLite keeps it): the
    hash covers the canonical form, so a re-serialisation of the same value still verifies."""
    entry = AuditEntry.objects.get(seq=3)
    same_value = json.dumps({"nested": {"a": [1, 2], "b": 2}, "ghi_chú": "Đã nộp bài", "i": 3}, indent=2)
    assert raw(f"UPDATE {q(TABLE)} SET {q('data')} = %s WHERE {q('seq')} = %s", [same_value, 3]) == 1
    assert AuditEntry.objects.get(seq=3).data == entry.data
    assert audit.verify().ok


# ------------------------------------------------------------------------ tampering

def assert_broken_at(seq, reason_words=()):
    result = audit.verify()
    assert not result.ok, result
    assert result.broken_seq == seq, result
    for word in reason_words:
        assert word in result.reason, result
    with pytest.raises(CommandError) as caught:
        run_verify_command()
    assert caught.value.returncode == 1
    assert str(seq) in str(caught.value)
    return result


def test_changed_data_is_found_at_its_entry(chain):
    changed = json.dumps({"i": 3, "ghi_chú": "Chưa nộp bài", "nested": {"b": 2, "a": [1, 2]}})
    assert raw(f"UPDATE {q(TABLE)} SET {q('data')} = %s WHERE {q('seq')} = %s", [changed, 3]) == 1
    assert_broken_at(3, ["hash"])


@pytest.mark.parametrize("column, value", [
    ("actor_role", "principal"),
    ("action", "material.approve"),
    ("object_id", "obj-999"),
    ("actor_name", "Lê Quang Hùng"),
])
def test_changed_column_is_found_at_its_entry(chain, column, value):
    assert raw(f"UPDATE {q(TABLE)} SET {q(column)} = %s WHERE {q('seq')} = %s", [value, 4]) == 1
    assert_broken_at(4)


def test_changed_time_is_found(chain):
    entry = AuditEntry.objects.get(seq=2)
    AuditEntry.objects.filter(pk=entry.pk).update(at=entry.at.replace(year=entry.at.year - 1))  # bypasses save()
    assert_broken_at(2)


def test_deleted_middle_entry_is_found(chain):
    assert raw(f"DELETE FROM {q(TABLE)} WHERE {q('seq')} = %s", [3]) == 1
    assert_broken_at(3, ["missing"])


def test_deleted_first_entry_is_found(chain):
    assert raw(f"DELETE FROM {q(TABLE)} WHERE {q('seq')} = %s", [1]) == 1
    assert_broken_at(1)


def test_deleted_last_entry_is_found_through_the_head(chain):
    assert raw(f"DELETE FROM {q(TABLE)} WHERE {q('seq')} = %s", [6]) == 1
    assert_broken_at(6)


def test_changed_hash_is_found_at_its_entry(chain):
    assert raw(f"UPDATE {q(TABLE)} SET {q('hash')} = %s WHERE {q('seq')} = %s", ["f" * 64, 3]) == 1
    assert_broken_at(3)


def test_changed_data_with_recomputed_hash_is_found_at_the_next_entry(chain):
    """A forger who also recomputes the changed entry's hash breaks the next link."""
    entry = AuditEntry.objects.get(seq=3)
    entry.data = {"i": 3, "ghi_chú": "Chưa nộp bài"}
    forged = audit.entry_hash(entry)
    raw(f"UPDATE {q(TABLE)} SET {q('data')} = %s, {q('hash')} = %s WHERE {q('seq')} = %s",
        [json.dumps(entry.data), forged, 3])
    assert_broken_at(4, ["previous"])


def test_rewritten_tail_is_found_through_the_head(chain):
    """Even a forger who rebuilds every hash after the change is caught by the head row, unless
    the head is forged too (that needs an anchor outside the database: see the report)."""
    rows = list(AuditEntry.objects.order_by("seq"))
    rows[2].data = {"i": 3, "ghi_chú": "Chưa nộp bài"}
    prev = rows[1].hash
    for row in rows[2:]:
        row.prev_hash = prev
        row.hash = audit.entry_hash(row)
        prev = row.hash
    # rewrite bottom-up so the unique hash column never collides
    for row in reversed(rows[2:]):
        raw(f"UPDATE {q(TABLE)} SET {q('data')} = %s, {q('prev_hash')} = %s, {q('hash')} = %s "
            f"WHERE {q('seq')} = %s", [json.dumps(row.data), row.prev_hash, row.hash, row.seq])
    result = audit.verify()
    assert not result.ok, result
    with pytest.raises(CommandError):
        run_verify_command()


def test_queryset_update_and_delete_bypass_the_model_but_are_found(chain):
    """``QuerySet.update()``/``delete()`` skip ``save()``/``delete()``; the chain still tells."""
    AuditEntry.objects.filter(seq=5).update(actor_role="principal")
    assert_broken_at(5)


def test_queryset_delete_is_found(chain):
    AuditEntry.objects.filter(seq__in=[2, 3]).delete()
    assert_broken_at(2, ["missing"])


def test_verify_reports_the_first_of_several_breaks(chain):
    raw(f"UPDATE {q(TABLE)} SET {q('hash')} = %s WHERE {q('seq')} = %s", ["e" * 64, 5])
    raw(f"DELETE FROM {q(TABLE)} WHERE {q('seq')} = %s", [2])
    assert_broken_at(2)


def test_head_changed_is_found(chain):
    raw(f"UPDATE {q(HEAD_TABLE)} SET {q('seq')} = %s WHERE {q('id')} = 1", [9])
    result = audit.verify()
    assert not result.ok


def test_a_broken_chain_is_still_reported_after_new_appends(chain):
    raw(f"DELETE FROM {q(TABLE)} WHERE {q('seq')} = %s", [3])
    with transaction.atomic():
        audit.append("test.after", object_type="test", object_id="later", data={})
    assert_broken_at(3)


# ------------------------------------------------------------------------ the model refuses

def test_saving_an_existing_entry_raises(chain):
    entry = AuditEntry.objects.get(seq=2)
    entry.actor_role = "principal"
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        entry.save(update_fields=["actor_role"])
    assert AuditEntry.objects.get(seq=2).actor_role == "teacher"
    assert audit.verify().ok


def test_deleting_an_entry_raises(chain):
    entry = AuditEntry.objects.get(seq=2)
    with pytest.raises(ValueError):
        entry.delete()
    assert AuditEntry.objects.filter(seq=2).exists()
    assert audit.verify().ok


def test_a_missing_head_row_is_refused_and_migrate_restores_it(db):
    """Without its head row the chain cannot continue safely (a restarted chain would fork it):
    appending refuses loudly, and ``migrate`` (post_migrate) puts the row back."""
    from django.core.management import call_command
    from django.db import transaction

    from vn_online_teaching.core import audit as audit_mod

    AuditHead.objects.all().delete()
    with pytest.raises(audit_mod.AuditError), transaction.atomic():
        audit_mod.append("test.event", object_type="test", object_id="1", org="THPTNamLoi", data={})
    assert not AuditEntry.objects.exists()
    call_command("migrate", verbosity=0)
    assert AuditHead.objects.filter(pk=1).exists()
    with transaction.atomic():
        audit_mod.append("test.event", object_type="test", object_id="1", org="THPTNamLoi", data={})
    assert audit_mod.verify().ok


# ------------------------------------------------------------------------ anchors kept outside

def rebuild_chain_from(seq):
    """What someone with database access and the code could do: change entry ``seq`` and rewrite
    every hash from there on, and the head, so that the chain verifies again."""
    prev = AuditEntry.objects.get(seq=seq - 1).hash if seq > 1 else audit.GENESIS
    raw(f"UPDATE {q(TABLE)} SET {q('data')} = %s WHERE {q('seq')} = %s", [json.dumps({"i": 0}), seq])
    for entry in AuditEntry.objects.filter(seq__gte=seq).order_by("seq"):
        entry.prev_hash = prev
        digest = audit.entry_hash(entry)
        raw(f"UPDATE {q(TABLE)} SET {q('prev_hash')} = %s, {q('hash')} = %s WHERE {q('seq')} = %s",
            [prev, digest, entry.seq])
        prev = digest
    raw(f"UPDATE {q(HEAD_TABLE)} SET {q('hash')} = %s WHERE {q('id')} = 1", [prev])


def test_an_anchor_kept_outside_catches_a_rebuilt_chain(chain):
    kept = audit.anchor()
    seq, digest = audit.parse_anchor(kept)
    assert seq == chain and len(digest) == audit.ANCHOR_DIGITS
    assert audit.verify(anchors=[(seq, digest)]).ok
    output = StringIO()
    call_command("verify_audit", "--anchor", kept, "--print-anchor", stdout=output)
    assert output.getvalue().splitlines()[-1] == kept and "1" in output.getvalue().splitlines()[1]
    rebuild_chain_from(3)
    assert audit.verify().ok  # the chain alone no longer tells
    result = audit.verify(anchors=[(seq, digest)])
    assert (result.ok, result.broken_seq) == (False, chain)
    with pytest.raises(CommandError) as caught:
        call_command("verify_audit", "--anchor", kept, stdout=StringIO())
    assert caught.value.returncode == 1 and str(chain) in str(caught.value)


@pytest.mark.parametrize("text", ["", "12", "x:0123456789abcdef", "0:0123456789abcdef", "3:0123", "3:zz23456789abcdefgh"])
def test_a_malformed_anchor_is_refused(chain, text):
    with pytest.raises(CommandError) as caught:
        call_command("verify_audit", "--anchor", text, stdout=StringIO())
    assert caught.value.returncode == 2
