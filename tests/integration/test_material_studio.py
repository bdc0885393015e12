"""Studio editing, attachments and the OLX round trip of approved_material."""
import io

from lxml import etree
from webob import Request

from helpers import block_as, call, decide, render
from vn_online_teaching.core.models import AuditEntry
from vn_online_teaching.material.models import Attachment

FORM = {
    "display_name": "Phương trình bậc hai (bản sửa)", "kind": "question_bank", "subject": "Toán", "grade": "10",
    "lesson": "Bài 3", "author_name": "Nguyễn Thị Lan", "source": "SGK", "licence": "CC BY 4.0",
    "body": "<p>Luyện tập <b>Δ</b></p><script>alert(1)</script>",
    "links": [{"title": "Video", "url": "https://example.edu.vn/v.mp4", "kind": "video"}], "attachments": [],
}


def upload(usage, username, name, data):
    block = block_as(usage, username)
    request = Request.blank("/", POST={"file": (name, data)})
    response = block.runtime.handle(block, "upload_attachment", request, "")
    import json

    return response.status_code, json.loads(response.body)


def test_studio_submit_saves_sanitised_content_and_audits(draft):
    status, body = call(draft, "gv_lan", "studio_submit", FORM)
    assert status == 200
    block = block_as(draft, "gv_lan")
    assert block.display_name == FORM["display_name"] and block.kind == "question_bank"
    assert "<script>" not in block.body and "<b>Δ</b>" in block.body
    assert body["fingerprint"] == block.live()["fingerprint"]
    assert AuditEntry.objects.filter(action="material.edit", object_id=str(draft)).count() == 1


def test_studio_submit_refuses_bad_input_and_changes_nothing(draft):
    before = block_as(draft, "gv_lan").live()["fingerprint"]
    for bad in ({**FORM, "kind": "poster"}, {**FORM, "display_name": ""},
                {**FORM, "links": [{"title": "x", "url": "javascript:alert(1)"}]},
                {**FORM, "attachments": ["f" * 64]}, {k: v for k, v in FORM.items() if k != "body"}):
        status, body = call(draft, "gv_lan", "studio_submit", bad)
        assert status == 400, bad
        assert body["message"]
    assert block_as(draft, "gv_lan").live()["fingerprint"] == before
    assert call(draft, "hs_anh", "studio_submit", FORM)[0] == 403
    assert block_as(draft, "gv_lan").live()["fingerprint"] == before


def test_attachment_upload_then_download_by_role(draft):
    status, item = upload(draft, "gv_lan", "de-cuong.pdf", b"%PDF-1.4 tai lieu")
    assert status == 200 and item["mime"] == "application/pdf"
    assert Attachment.objects.count() == 1
    sha = item["sha256"]
    assert call(draft, "gv_lan", "attachment", method="GET", suffix=sha)[0] == 200
    assert call(draft, "hs_anh", "attachment", method="GET", suffix=sha)[0] == 404
    for user, action in (("gv_lan", "submit"), ("tt_minh", "pass"), ("ht_hung", "approve")):
        assert decide(draft, user, action)[0] == 200
    status, data = call(draft, "hs_anh", "attachment", method="GET", suffix=sha)
    assert status == 200 and data.startswith(b"%PDF")
    assert "de-cuong.pdf" in render(draft, "hs_anh")


def test_upload_refuses_wrong_type(draft):
    status, body = upload(draft, "gv_lan", "virus.pdf", b"MZ\x90\x00 not a pdf")
    assert status == 400 and body["error"] == "bad_file_type"
    assert not Attachment.objects.exists()


def test_olx_round_trip_keeps_configuration(draft):
    block = block_as(draft, "gv_lan")
    call(draft, "gv_lan", "studio_submit", FORM)
    block = block_as(draft, "gv_lan")
    out = io.BytesIO()
    block.runtime.export_to_xml(block, out)
    xml = out.getvalue().decode("utf-8")
    node = etree.fromstring(xml.encode("utf-8"))
    assert node.tag == "approved_material" and node.get("kind") == "question_bank"
    # parse it back as a new block and compare every content and settings field
    runtime = block.runtime
    runtime.id_generator.set_scenario("olx-round-trip")
    new_id = runtime.parse_xml_string(xml.split("?>", 1)[1] if xml.startswith("<?xml") else xml)
    copy = runtime.get_block(new_id)
    for name in ("display_name", "kind", "subject", "grade", "lesson", "author_name", "source", "licence",
                 "body", "links", "attachments"):
        assert getattr(copy, name) == getattr(block, name), name
    assert len(copy.children) == len(block.children)
    # approvals are records, not OLX: the copy starts without any
    assert "x² − 5x" not in render(new_id, "hs_anh")


def test_editing_views_never_show_unapproved_content_to_students(draft):
    for view in ("studio_view", "author_view"):
        html = render(draft, "hs_anh", view)
        assert "x² − 5x" not in html and "vnot-unavailable" in html
        assert "x² − 5x" in render(draft, "gv_lan", view)


def test_uploads_go_through_the_one_upload_rule(draft, settings):
    """The size limit is MAX_ATTACHMENT_BYTES, per school like every setting, with the message
    every upload gives."""
    from vn_online_teaching.demo.people import ORG
    from vn_online_teaching.material.block import ApprovedMaterialBlock

    handler = ApprovedMaterialBlock.upload_attachment
    assert (handler.kind, handler.limit_setting) == ("upload", "MAX_ATTACHMENT_BYTES")
    settings.VN_ONLINE_TEACHING = dict(settings.VN_ONLINE_TEACHING, ORGS={ORG: {"MAX_ATTACHMENT_BYTES": 1024}})
    status, body = upload(draft, "gv_lan", "lon.pdf", b"%PDF-1.4\n" + b"0" * 2048)
    assert status == 413 and body["error"] == "too_large" and "MB" in body["message"]
    assert not Attachment.objects.exists() and not AuditEntry.objects.exists()


def test_the_same_file_twice_is_listed_and_audited_once(draft):
    first = upload(draft, "gv_lan", "de-cuong.pdf", b"%PDF-1.4 tai lieu")
    again = upload(draft, "gv_lan", "de-cuong.pdf", b"%PDF-1.4 tai lieu")
    assert first == again and first[0] == 200
    assert len(block_as(draft, "gv_lan").attachments) == 1
    assert AuditEntry.objects.filter(action="material.edit").count() == 1


def studio_call(usage, username, handler, data, write=True):
    """A handler called from Studio's preview: the platform's ``studio_user_permissions`` answers
    ``can_write`` (test_attendance_studio.py's stand-ins) and every account is "staff"."""
    import json

    from test_attendance_studio import Permissions, Users, block_in

    block = block_in(usage, username, Permissions(read=True, write=write), Users(role="staff"))
    request = Request.blank("/", method="POST", body=json.dumps(data).encode(), content_type="application/json")
    response = block.runtime.handle(block, handler, request, "")
    return response.status_code, json.loads(response.body)


def test_an_edit_in_studio_is_recorded_with_the_editor(draft):
    """In Studio the platform lets course authors edit (``can_write``); the edit is still audited
    with who made it, in their school role or as course author."""
    assert studio_call(draft, "ht_hung", "studio_submit", FORM)[0] == 200
    assert studio_call(draft, "gv_lan", "studio_submit", dict(FORM, grade="11"))[0] == 200
    entries = AuditEntry.objects.filter(action="material.edit").order_by("seq")
    assert [(e.actor_key, e.actor_role) for e in entries] == [("ht_hung", "course_author"), ("gv_lan", "teacher")]


def test_in_studio_only_the_platforms_authors_edit(draft):
    """Without ``can_write`` the platform would drop the saved fields (openedx-platform,
    cms/djangoapps/contentstore/views/component.py, ``component_handler``): nothing changes, not
    even for the material's own teacher."""
    before = block_as(draft, "gv_lan").live()["fingerprint"]
    status, body = studio_call(draft, "gv_lan", "studio_submit", dict(FORM, grade="11"), write=False)
    assert status == 403 and body["message"]
    assert block_as(draft, "gv_lan").live()["fingerprint"] == before
    assert not AuditEntry.objects.filter(action="material.edit").exists()


def test_the_register_links_carry_their_own_query(draft, monkeypatch):
    """In the LMS a handler's address has no query string: the links must not be built by
    appending "&scope=school" to it."""
    from vn_online_teaching.material.block import ApprovedMaterialBlock

    def handler_url(self, block, name, suffix="", query="", thirdparty=False):
        return f"/handler/{name}/{suffix}" + (f"?{query}" if query else "")

    block = block_as(draft, "ht_hung")
    monkeypatch.setattr(type(block.runtime), "handler_url", handler_url)
    html = block.render("student_view", {}).body_html()
    assert isinstance(block, ApprovedMaterialBlock)
    assert 'href="/handler/register_export/?scope=school"' in html
    assert 'href="/handler/register_export/?report=teachers&amp;scope=school"' in html
    assert "register_export/&amp;" not in html


def test_the_register_refuses_an_unknown_report(approved):
    assert call(approved, "ht_hung", "register_export", method="GET", query="report=everything")[0] == 400
    assert call(approved, "ht_hung", "register_export", method="GET", query="report=teachers&utm_source=zalo")[0] == 200


def test_the_author_view_edits_the_children_as_a_container(draft):
    """Studio's container editing (core/blockbase.py, ``author_children``): the children listed for
    reordering, the place of the "add a component" buttons, the approval state on top."""
    block = block_as(draft, "gv_lan")
    context = {}
    html = block.render("author_view", context).body_html()
    assert 'class="reorderable-container"' in html and "add-xblock-component" in html
    assert "Bài tập: giải phương trình" in html and "vnot-state" in html
    assert context["reorderable_items"] == set(block.children)
    assert "reorderable-container" not in render(draft, "hs_anh", view="author_view")


def test_in_studio_someone_who_cannot_read_the_course_gets_a_notice(draft):
    from test_attendance_studio import Permissions, Users, block_in

    block = block_in(draft, "gv_lan", Permissions(read=False, write=False), Users(role="staff"))
    html = block.render("author_view", {}).body_html()
    assert "vnot-note" in html and "Bài tập" not in html and "x² − 5x + 6" not in html
