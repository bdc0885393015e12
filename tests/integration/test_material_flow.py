"""The approval chain through the block's handlers in the workbench runtime, and what students see."""
import pytest

from vn_online_teaching.core.audit import verify
from vn_online_teaching.core.models import AuditEntry
from vn_online_teaching.material.models import ApprovedVersion, MaterialDecision, MaterialState

from helpers import block_as, call, decide, render

SECRET = "x² − 5x + 6 = 0"


def state_of(usage):
    return MaterialState.objects.get(usage_key=str(usage)).state


def test_student_sees_nothing_before_approval(draft):
    html = render(draft, "hs_anh")
    assert SECRET not in html
    assert "Bài tập" not in html  # the child block is gated too
    assert "vnot-unavailable" in html


def test_full_chain_then_student_sees_it(draft):
    assert decide(draft, "gv_lan", "submit") == (200, {"state": "submitted", "decision": 1, "state_label": "Waiting for the subject group"}) or state_of(draft) == "submitted"
    assert SECRET not in render(draft, "hs_anh")
    status, body = decide(draft, "tt_minh", "pass")
    assert status == 200 and body["state"] == "passed"
    assert SECRET not in render(draft, "hs_anh")
    status, body = decide(draft, "ht_hung", "approve")
    assert status == 200 and body["state"] == "approved"
    html = render(draft, "hs_anh")
    assert SECRET in html and "Bài tập" in html
    decisions = list(MaterialDecision.objects.filter(usage_key=str(draft)).order_by("pk"))
    assert [(d.action, d.actor_key, d.actor_role) for d in decisions] == [
        ("submit", "gv_lan", "teacher"), ("pass", "tt_minh", "head"), ("approve", "ht_hung", "principal")]
    live_fp = block_as(draft, "gv_lan").live()["fingerprint"]
    assert {d.fingerprint for d in decisions} == {live_fp}
    assert decisions[1].checklist == {"fits_lesson": True, "sound": True, "culture": True, "ip": True}
    assert [e.action for e in AuditEntry.objects.filter(object_id=str(draft))] == [
        "material.submit", "material.pass", "material.approve"]
    assert verify().ok


def test_edit_after_approval_keeps_snapshot_for_students(approved):
    teacher = block_as(approved, "gv_lan")
    teacher.body = "<p>Nội dung mới chưa duyệt</p>"
    teacher.save()
    html = render(approved, "hs_anh")
    assert "Nội dung mới chưa duyệt" not in html
    assert SECRET in html  # the approved snapshot
    assert "Bài tập" in html  # the unchanged child is still approved
    staff = render(approved, "ht_hung")
    assert "vnot-diff" in staff and "Nội dung mới chưa duyệt" in staff


def test_changed_child_is_hidden_until_approved_again(approved):
    teacher = block_as(approved, "gv_lan")
    child = teacher.runtime.get_block(teacher.children[0])
    child.content = "<p>Bài tập mới chưa duyệt</p>"
    child.save()
    html = render(approved, "hs_anh")
    assert "Bài tập mới chưa duyệt" not in html
    assert SECRET in html  # own content unchanged, still shown
    # approve again: now students see the new child
    for user, action in (("gv_lan", "submit"), ("tt_minh", "pass"), ("ht_hung", "approve")):
        assert decide(approved, user, action)[0] == 200
    assert "Bài tập mới chưa duyệt" in render(approved, "hs_anh")
    assert ApprovedVersion.objects.filter(material__usage_key=str(approved)).count() == 2


def test_decision_refused_when_content_changed_during_review(draft):
    decide(draft, "gv_lan", "submit")
    stale = block_as(draft, "tt_minh").live()["fingerprint"]
    teacher = block_as(draft, "gv_lan")
    teacher.body = "<p>sửa lén</p>"
    teacher.save()
    status, body = decide(draft, "tt_minh", "pass", fingerprint=stale)
    assert status == 409 and body["error"] == "content_changed"
    status, body = decide(draft, "tt_minh", "pass")
    assert status == 409 and body["error"] == "content_changed_since_submit"
    assert state_of(draft) == "submitted"


def test_return_needs_comment_and_goes_back_to_author(draft):
    decide(draft, "gv_lan", "submit")
    status, body = decide(draft, "tt_minh", "return_review", comment="")
    assert status == 400 and body["error"] == "required"
    status, body = decide(draft, "tt_minh", "return_review", comment="Bổ sung ví dụ thực tế.")
    assert status == 200 and body["state"] == "returned"
    assert decide(draft, "gv_lan", "submit")[0] == 200


def test_principal_returns_and_revokes(approved):
    status, body = decide(approved, "ht_hung", "revoke", comment="Phát hiện sai sót kiến thức.")
    assert status == 200 and body["state"] == "revoked"
    assert SECRET not in render(approved, "hs_anh")


def test_checklist_required_to_pass(draft):
    decide(draft, "gv_lan", "submit")
    status, body = decide(draft, "tt_minh", "pass", checklist={"fits_lesson": True})
    assert status == 400 and body["error"] == "checklist"
    assert state_of(draft) == "submitted"


def test_withdraw_only_by_author(draft):
    decide(draft, "gv_lan", "submit")
    assert decide(draft, "tt_minh", "withdraw")[0] == 403
    assert decide(draft, "gv_lan", "withdraw")[0] == 200
    assert state_of(draft) == "draft"


def test_separation_of_duties(draft, settings):
    # the head submits their own material: they cannot pass it themselves
    decide(draft, "tt_minh", "submit")
    status, body = decide(draft, "tt_minh", "pass")
    assert status == 409 and body["error"] == "same_person"
    settings.VN_ONLINE_TEACHING = dict(settings.VN_ONLINE_TEACHING, ALLOW_SAME_PERSON_REVIEW=True)
    assert decide(draft, "tt_minh", "pass")[0] == 200


def test_retry_with_same_request_id_records_one_decision(draft):
    first = decide(draft, "gv_lan", "submit", request_id="r-123")
    again = decide(draft, "gv_lan", "submit", request_id="r-123")
    assert first[0] == again[0] == 200
    assert first[1]["decision"] == again[1]["decision"]
    assert MaterialDecision.objects.filter(usage_key=str(draft)).count() == 1


def test_submit_unchanged_approved_material_is_refused(approved):
    status, body = decide(approved, "gv_lan", "submit")
    assert status == 409 and body["error"] == "unchanged"


def test_bad_input_changes_nothing(draft):
    for body in (b"{not json", b"[1,2]", b'{"action": 5}', b'{"action": "submit", "evil": 1}',
                 b'{"action": "fly"}', b"{" + b'"comment": "' + b"x" * 300_000 + b'"}'):
        status, payload = call(draft, "gv_lan", "decide", body=body)
        assert 400 <= status < 500 and payload["error"] and payload["message"]
    assert not MaterialDecision.objects.exists()
    assert call(draft, "gv_lan", "decide", method="GET")[0] == 405


def test_error_messages_are_translated(draft):
    from django.utils import translation

    with translation.override("vi"):
        status, body = call(draft, "gv_lan", "decide", body=b"{oops")
    assert status == 400
    with translation.override("en"):
        _s, english = call(draft, "gv_lan", "decide", body=b"{oops")
    assert english["message"] == "The request could not be read (malformed JSON)."
    assert body["message"] != english["message"]


def test_review_queue_links_open_the_whole_page_not_the_frame(draft, monkeypatch):
    """The learning app shows a unit's blocks in an iframe; a jump_to link followed inside it
    would nest the LMS in itself, so the queue's links open in the top window (target="_top")."""
    from vn_online_teaching import compat

    monkeypatch.setattr(compat, "jump_url", lambda course_key, usage_key: f"/courses/C/jump_to/{usage_key}")
    decide(draft, "gv_lan", "submit")
    page = render(draft, "tt_minh")
    assert f'href="/courses/C/jump_to/{draft}" target="_top"' in page


def test_review_queue_lists_waiting_material_for_the_right_people(draft):
    decide(draft, "gv_lan", "submit")
    assert "Waiting for your review" in render(draft, "tt_minh") or "vnot-queue" in render(draft, "tt_minh")
    assert "vnot-queue" not in render(draft, "tt_hoa")  # head of another subject
    assert "vnot-queue" not in render(draft, "ht_hung")  # not yet passed


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_register_export(approved, fmt):
    status, body = call(approved, "vt_thu", "register_export", method="GET", suffix=fmt)
    assert status == 200
    if fmt == "csv":
        text = body.decode("utf-8")
        assert text.startswith("\ufeff") and "Phương trình bậc hai" in text and "Nguyễn Thị Lan" in text
    else:
        import io

        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(body)).active
        assert any("Phương trình bậc hai" in str(c.value) for row in sheet.iter_rows() for c in row)
    assert call(approved, "hs_anh", "register_export", method="GET", suffix=fmt)[0] == 403


def test_per_teacher_counts_against_target(approved):
    import csv
    import io

    from openpyxl import load_workbook

    status, body = call(approved, "ht_hung", "register_export", method="GET", query="report=teachers&scope=school")
    assert status == 200
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    counts = {r[0]: (int(r[3]), int(r[4])) for r in rows[1:]}
    # every teacher appears for this semester; gv_lan has the one approved material, target 2
    assert counts == {"Nguyễn Thị Lan": (1, 2), "Hoàng Văn Nam": (0, 2), "Trần Văn Minh": (0, 2), "Đỗ Thị Hoa": (0, 2)}
    assert call(approved, "gv_lan", "register_export", method="GET", query="report=teachers")[0] == 403
    _s, xlsx = call(approved, "ht_hung", "register_export", method="GET", suffix="xlsx")
    assert len(load_workbook(io.BytesIO(xlsx)).sheetnames) == 2
    _s, xlsx = call(approved, "gv_lan", "register_export", method="GET", suffix="xlsx")
    assert len(load_workbook(io.BytesIO(xlsx)).sheetnames) == 1
    assert "vnot-counts" in render(approved, "ht_hung") and "vnot-counts" not in render(approved, "gv_lan")


def test_student_view_loads_each_child_once(approved):
    """Gating fingerprints the children and then renders them: one load per child, shared."""
    block = block_as(approved, "hs_anh")
    loads = []
    original = block.runtime.get_block

    def counting(usage_id, *args, **kwargs):
        loads.append(str(usage_id))
        return original(usage_id, *args, **kwargs)

    block.runtime.get_block = counting
    html = block.render("student_view", {}).body_html()
    assert 'class="vnot-child"' in html
    assert loads and len(loads) == len(set(loads)) == len(block.children)


def test_a_child_field_set_to_its_default_keeps_the_fingerprint(draft):
    before = block_as(draft, "gv_lan").live()["children"]
    block = block_as(draft, "gv_lan")
    child = block.runtime.get_block(block.children[0])
    name, field = next((n, f) for n, f in child.fields.items()
                       if f.scope.name in ("content", "settings") and n not in ("children", "parent")
                       and not f.is_set_on(child))
    setattr(child, name, field.default)
    child.save()
    assert block_as(draft, "gv_lan").live()["children"] == before


# ------------------------------------------------------------------ one role read per write

def role_reads(fn):
    """(result of ``fn()``, how many queries read the role table while it ran)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from vn_online_teaching.core.models import RoleAssignment

    table = RoleAssignment._meta.db_table
    with CaptureQueriesContext(connection) as queries:
        result = fn()
    return result, sum(table in q["sql"] for q in queries.captured_queries)


@pytest.mark.parametrize("user, action, status", [
    ("gv_lan", "submit", 200), ("hs_anh", "submit", 403), ("tt_minh", "approve", 403)])
def test_a_decision_reads_the_roles_once(draft, user, action, status):
    block_as(draft, "gv_lan").render("student_view", {})  # the material's record exists
    (got, _body), reads = role_reads(lambda: decide(draft, user, action))
    assert got == status and reads == 1


def test_each_step_of_the_chain_reads_the_roles_once(draft):
    for user, action in (("gv_lan", "submit"), ("tt_minh", "pass"), ("ht_hung", "approve")):
        (status, _body), reads = role_reads(lambda: decide(draft, user, action))  # noqa: B023
        assert (status, reads) == (200, 1), action


def test_an_edit_reads_the_roles_once(draft):
    from test_material_studio import FORM, upload

    (status, _body), reads = role_reads(lambda: call(draft, "gv_lan", "studio_submit", FORM))
    assert (status, reads) == (200, 1)
    (status, _body), reads = role_reads(lambda: upload(draft, "gv_lan", "de-cuong.pdf", b"%PDF-1.4 tai lieu"))
    assert (status, reads) == (200, 1)
    (status, _body), reads = role_reads(lambda: call(draft, "hs_anh", "studio_submit", FORM))
    assert (status, reads) == (403, 1)


# ------------------------------------------------------------------ who changed it does not review it

def edit_as(usage, username, body):
    """Change the material's text through the editor, as ``username``."""
    from test_material_studio import FORM

    status, payload = call(usage, username, "studio_submit", dict(FORM, body=body))
    assert status == 200, payload


def test_a_head_who_changed_the_content_cannot_pass_it(draft, settings):
    edit_as(draft, "tt_minh", "<p>Phần tổ trưởng viết thêm</p>")   # the head teaches Toán too
    assert decide(draft, "gv_lan", "submit")[0] == 200              # someone else submits
    status, body = decide(draft, "tt_minh", "pass")
    assert status == 409 and body["error"] == "edited_by_reviewer" and body["message"]
    assert state_of(draft) == "submitted"
    assert not MaterialDecision.objects.filter(action="pass").exists()
    settings.VN_ONLINE_TEACHING = dict(settings.VN_ONLINE_TEACHING, ALLOW_SAME_PERSON_REVIEW=True)
    assert decide(draft, "tt_minh", "pass")[0] == 200


def test_a_principal_who_changed_the_content_in_studio_cannot_approve_it(draft):
    from test_material_studio import FORM, studio_call

    # in Studio any course author edits
    assert studio_call(draft, "ht_hung", "studio_submit", dict(FORM, body="<p>Hiệu trưởng sửa câu chữ</p>"))[0] == 200
    assert AuditEntry.objects.get(action="material.edit").actor_key == "ht_hung"
    for user, action in (("gv_lan", "submit"), ("tt_minh", "pass")):
        assert decide(draft, user, action)[0] == 200
    status, body = decide(draft, "ht_hung", "approve")
    assert status == 409 and body["error"] == "edited_by_reviewer"
    assert state_of(draft) == "passed"


def test_an_edit_before_the_last_approval_does_not_bar_the_next_review(draft):
    from vn_online_teaching.core.models import RoleAssignment
    from vn_online_teaching.demo.people import ORG

    RoleAssignment.objects.create(org=ORG, user_key="gv_nam", username="gv_nam", role="head", subject="Toán")
    edit_as(draft, "tt_minh", "<p>Phần tổ trưởng viết thêm</p>")
    for user, action in (("gv_lan", "submit"), ("gv_nam", "pass"), ("ht_hung", "approve")):
        assert decide(draft, user, action)[0] == 200
    edit_as(draft, "gv_lan", "<p>Bản mới của tác giả</p>")
    assert decide(draft, "gv_lan", "submit")[0] == 200
    assert decide(draft, "tt_minh", "pass")[0] == 200   # his change was approved with the first version


# ------------------------------------------------------------------ who may reach the children elsewhere
# (material/visibility.py reads MaterialState.open_children for the LMS; tests/platform/test_gating.py
# runs it against the platform's field overrides)

def open_children(usage):
    return MaterialState.objects.get(usage_key=str(usage)).open_children


def test_an_approval_opens_the_children_and_a_revocation_closes_them(draft, monkeypatch,
                                                                     django_capture_on_commit_callbacks):
    from vn_online_teaching import compat

    told = []
    monkeypatch.setattr(compat, "visibility_changed", lambda course_key, regrade=False: told.append(course_key))
    child = str(block_as(draft, "gv_lan").children[0])
    with django_capture_on_commit_callbacks(execute=True):
        for user, action in (("gv_lan", "submit"), ("tt_minh", "pass")):
            assert decide(draft, user, action)[0] == 200
    assert open_children(draft) == [] and told == []          # nothing changes before the approval
    with django_capture_on_commit_callbacks(execute=True):
        assert decide(draft, "ht_hung", "approve")[0] == 200
    assert open_children(draft) == [child] and len(told) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert decide(draft, "ht_hung", "revoke", comment="Sai kiến thức.")[0] == 200
    assert open_children(draft) == [] and len(told) == 2


def test_a_child_changed_after_approval_is_closed_by_the_next_view(approved, monkeypatch,
                                                                   django_capture_on_commit_callbacks):
    from vn_online_teaching import compat

    told = []
    monkeypatch.setattr(compat, "visibility_changed", lambda course_key, regrade=False: told.append(course_key))
    teacher = block_as(approved, "gv_lan")
    child = teacher.runtime.get_block(teacher.children[0])
    original = child.content
    child.content = "<p>Bài tập mới chưa duyệt</p>"
    child.save()
    with django_capture_on_commit_callbacks(execute=True):
        render(approved, "hs_anh")
        render(approved, "hs_anh")
    assert open_children(approved) == [] and len(told) == 1   # closed once, by the learner's view
    child = block_as(approved, "gv_lan").runtime.get_block(teacher.children[0])
    child.content = original
    child.save()
    render(approved, "hs_anh")
    assert open_children(approved) == []                      # a learner's view never opens
    render(approved, "tt_minh")
    assert open_children(approved) == [str(teacher.children[0])]   # staff, who see all of it, do


def test_children_are_rendered_with_a_fresh_context(approved):
    block = block_as(approved, "hs_anh")
    child = block.get_child(block.children[0])
    seen = []
    original = child.render

    def recording(view, context=None):
        seen.append(context)
        return original(view, context)

    child.render = recording
    block.render("student_view", {"wrap_xblock_data": {"mark-completed-on-view-after-delay": 5000}, "x": 1})
    assert seen == [{}]
