"""Concurrent requests on real database connections (one per thread), as several LMS processes
would make them. Runs on SQLite (IMMEDIATE transactions) and on MariaDB (VNOT_DB=mariadb, row
locks): nothing here depends on one database's behaviour.

Each thread opens its own connection and closes it at its end; the test database is committed to
(``transaction=True``), so the workbench state is reset by our own fixture instead of the shared
``workbench`` fixture.
"""
import time

import pytest
from django.db import transaction
from webob import Request

from helpers import CHECKED, block_as, call, decide, errors_of, run_threads, scenario_usage
from vn_online_teaching.core import audit
from vn_online_teaching.core.models import AuditEntry, AuditHead
from vn_online_teaching.material.models import ApprovedVersion, Attachment, MaterialDecision, MaterialState

pytestmark = pytest.mark.django_db(transaction=True)



@pytest.fixture
def tx_workbench(transactional_db):
    """Fresh workbench state and demo people, committed; the audit head row as after migrating
    (a transactional test before this one flushed every table, the migration's row included)."""
    from workbench.runtime_util import reset_global_state

    from vn_online_teaching.demo.load import load_people

    reset_global_state()
    load_people()
    AuditHead.objects.get_or_create(pk=1, defaults={"seq": 0, "hash": audit.GENESIS})
    usage = scenario_usage("Học liệu: bản nháp")
    # The workbench's own field store creates its rows lazily with get_or_create and no unique
    # key, so first reads racing in threads duplicate them (an xblock-sdk limitation, not ours).
    # A learner's view reads every field of the block and its child and writes none of our records.
    block_as(usage, "hs_anh").render("student_view", {})
    assert not MaterialState.objects.exists()
    return usage




def test_ten_approve_clicks_at_once_make_one_approval(tx_workbench, monkeypatch):
    usage = tx_workbench
    assert decide(usage, "gv_lan", "submit")[0] == 200
    assert decide(usage, "tt_minh", "pass")[0] == 200
    fingerprint = block_as(usage, "ht_hung").live()["fingerprint"]
    entries_before = AuditEntry.objects.count()
    slow_down_decisions(monkeypatch, 0.2)

    def click(_i):
        return call(usage, "ht_hung", "decide", {"action": "approve", "checklist": CHECKED,
                                                  "fingerprint": fingerprint, "comment": "Đồng ý."})

    results = run_threads(10, click)
    assert not errors_of(results), errors_of(results)[0]
    statuses = sorted(status for (status, _body), _err in results)
    assert statuses == [200] + [409] * 9, statuses
    for (status, body), _err in results:
        if status == 409:
            assert body["error"] in ("already_decided", "bad_state") and body["message"]
    assert MaterialDecision.objects.filter(usage_key=str(usage), action="approve").count() == 1
    assert ApprovedVersion.objects.filter(material__usage_key=str(usage)).count() == 1
    state = MaterialState.objects.get(usage_key=str(usage))
    assert state.state == "approved" and state.approved_version is not None
    assert AuditEntry.objects.count() == entries_before + 1
    assert AuditEntry.objects.filter(action="material.approve").count() == 1
    result = audit.verify()
    assert result.ok, result


def test_pass_and_return_at_once_make_one_decision(tx_workbench):
    """Two heads' worth of clicks, different actions on the same submitted material."""
    usage = tx_workbench
    assert decide(usage, "gv_lan", "submit")[0] == 200
    fingerprint = block_as(usage, "tt_minh").live()["fingerprint"]

    def click(i):
        action = "pass" if i % 2 else "return_review"
        return call(usage, "tt_minh", "decide", {"action": action, "checklist": CHECKED,
                                                  "fingerprint": fingerprint, "comment": "Nhận xét."})

    results = run_threads(6, click)
    assert not errors_of(results), errors_of(results)[0]
    statuses = sorted(status for (status, _body), _err in results)
    assert statuses == [200] + [409] * 5, statuses
    assert MaterialDecision.objects.filter(usage_key=str(usage)).exclude(action="submit").count() == 1
    assert audit.verify().ok


def slow_down_decisions(monkeypatch, seconds=0.5):
    """Make every decision take a while inside its transaction (a slow database or request), so
    the other threads certainly arrive while the first one still holds the material's lock."""
    from vn_online_teaching.material import workflow

    real_check = workflow.check

    def slow_check(*args, **kwargs):
        time.sleep(seconds)
        return real_check(*args, **kwargs)

    monkeypatch.setattr(workflow, "check", slow_check)


def test_retries_of_one_click_at_once_return_the_same_decision(tx_workbench, monkeypatch):
    """A client retrying a click (same request id) while the first try is still running gets the
    same decision back, not an error (docs/architecture.md, "Concurrency": retried requests are
    idempotent)."""
    usage = tx_workbench
    slow_down_decisions(monkeypatch)

    def click(_i):
        return decide(usage, "gv_lan", "submit", request_id="lan-submit-0001")

    results = run_threads(5, click)
    assert not errors_of(results), errors_of(results)[0]
    assert MaterialDecision.objects.filter(usage_key=str(usage)).count() == 1
    decision = MaterialDecision.objects.get(usage_key=str(usage))
    got = [(status, body.get("decision")) for (status, body), _err in results]
    assert got == [(200, decision.pk)] * 5, got


def test_first_views_at_once_create_one_record(tx_workbench):
    usage = tx_workbench
    users = ["gv_lan", "tt_minh", "ht_hung", "vt_thu", "gv_nam", "tt_hoa", "gv_lan", "ht_hung"]

    def view(i):
        block = block_as(usage, users[i])
        return block.render("student_view", {}).body_html()

    results = run_threads(len(users), view)
    assert not errors_of(results), errors_of(results)[0]
    assert MaterialState.objects.filter(usage_key=str(usage)).count() == 1


def fifty_appends():
    def append(i):
        with transaction.atomic():
            entry = audit.append("test.concurrent", object_type="test", object_id=str(i), data={"i": i},
                                 org="THPTNamLoi")
        return entry.seq

    return run_threads(50, append)


def test_fifty_concurrent_audit_appends_make_one_chain(tx_workbench):
    """50 writers append at once, each in its own transaction: seq 1..50, one unbroken chain."""
    assert not AuditEntry.objects.exists()
    results = fifty_appends()
    assert not errors_of(results), errors_of(results)[0]
    assert sorted(seq for seq, _err in results) == list(range(1, 51))
    entries = list(AuditEntry.objects.order_by("seq"))
    assert [e.seq for e in entries] == list(range(1, 51))
    assert sorted(int(e.object_id) for e in entries) == list(range(50))
    result = audit.verify()
    assert result.ok and result.checked == 50, result
    head_row = AuditHead.objects.get(pk=1)
    assert (head_row.seq, head_row.hash) == (50, entries[-1].hash)


def test_concurrent_appends_without_the_head_row_never_deadlock(tx_workbench, monkeypatch):
    """The head row is absent (a database restored without it, a flushed test database) and 50
    writers arrive at once. Acceptable: one unbroken chain, or a clear AuditError for writers that
    could not append. Not acceptable: a database deadlock error (MariaDB) or a forked chain."""
    AuditHead.objects.all().delete()
    # a slow creation of the head row lets every writer reach it first (makes the race certain)
    real_get_or_create = AuditHead.objects.get_or_create

    def slow_get_or_create(*args, **kwargs):
        time.sleep(0.3)
        return real_get_or_create(*args, **kwargs)

    monkeypatch.setattr(AuditHead.objects, "get_or_create", slow_get_or_create)
    results = fifty_appends()
    unexpected = [err for _seq, err in results if err and "AuditError" not in err.strip().splitlines()[-1]]
    assert not unexpected, unexpected[0]
    seqs = sorted(seq for seq, err in results if not err)
    assert seqs == list(range(1, len(seqs) + 1))
    assert AuditEntry.objects.count() == len(seqs)
    assert audit.verify().ok


def test_audit_append_rolled_back_with_its_change_leaves_no_gap(tx_workbench):
    """Appends whose transaction fails leave no entry and no hole in the chain, even when other
    writers commit around them."""

    class Boom(Exception):
        pass

    def append(i):
        try:
            with transaction.atomic():
                audit.append("test.rollback", object_type="test", object_id=str(i), data={"i": i})
                if i % 3 == 0:
                    raise Boom()
        except Boom:
            return "rolled back"
        return "committed"

    results = run_threads(30, append)
    assert not errors_of(results), errors_of(results)[0]
    committed = sum(1 for res, _err in results if res == "committed")
    assert committed == 20
    assert list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True)) == list(range(1, 21))
    assert audit.verify().ok


def _upload(block, name, data):
    request = Request.blank("/", POST={"file": (name, data)})
    return block.runtime.handle(block, "upload_attachment", request, "")


FORM = {"display_name": "Phương trình bậc hai", "kind": "lecture", "subject": "Toán", "grade": "10",
        "lesson": "Bài 3", "author_name": "Nguyễn Thị Lan", "source": "SGK", "licence": "CC BY 4.0",
        "body": "<p>Nội dung</p>", "links": []}


def save_form_with_every_uploaded_file(usage):
    """What the Studio editor does after its uploads: save the form listing every file it got."""
    shas = sorted(Attachment.objects.filter(usage_key=str(usage)).values_list("sha256", flat=True))
    status, body = call(usage, "gv_lan", "studio_submit", dict(FORM, attachments=shas))
    assert status == 200, body
    assert sorted(a["sha256"] for a in block_as(usage, "gv_lan").attachments) == shas
    return shas


def test_two_uploads_at_once_keep_both_files(tx_workbench):
    """A teacher picks a second file while the first is still uploading: two requests that each
    loaded the block before the other saved. Both files must stay usable: saving the editor
    form, which lists both, must work."""
    usage = tx_workbench
    first, second = block_as(usage, "gv_lan"), block_as(usage, "gv_lan")
    assert first.attachments == [] and second.attachments == []  # both requests loaded the block
    one = _upload(first, "mot.pdf", b"%PDF-1.4 mot")
    two = _upload(second, "hai.pdf", b"%PDF-1.4 hai")
    assert one.status_code == two.status_code == 200
    assert Attachment.objects.filter(usage_key=str(usage)).count() == 2
    assert len(save_form_with_every_uploaded_file(usage)) == 2


def test_concurrent_uploads_of_different_files_keep_all(tx_workbench):
    """The same, with real threads (the interleaving is up to the scheduler)."""
    usage = tx_workbench

    def up(i):
        block = block_as(usage, "gv_lan")
        block.attachments  # noqa: B018 - the request loads the block first
        return _upload(block, f"tep-{i}.pdf", b"%PDF-1.4 tep " + str(i).encode()).status_code

    results = run_threads(5, up)
    assert not errors_of(results), errors_of(results)[0]
    assert [res for res, _err in results] == [200] * 5
    assert Attachment.objects.filter(usage_key=str(usage)).count() == 5
    assert len(save_form_with_every_uploaded_file(usage)) == 5
