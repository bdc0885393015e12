"""approved_material in a real browser: the approval chain clicked through by the demo people, the
reviewer's errors, the comment kept on the device, the Studio editor, and every role's view at
desktop width and on a 360 px phone. Assertions read the page (badge, messages, content), with
the database only as a second witness; every view is saved as a screenshot."""
import json
import re

import pytest

from helpers import decide as server_decide
from vn_online_teaching.material import workflow
from vn_online_teaching.material.models import MaterialDecision, MaterialState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECRET = "x² − 5x + 6 = 0"
CHILD_TEXT = "Bài tập"
DRAFT = "Học liệu: bản nháp"
VIEWPORTS = ["desktop", "phone"]


def expect(locator):
    from playwright.sync_api import expect as _expect  # noqa: PLC0415 - the tier may be skipped

    return _expect(locator)


def vi(msgid):
    """What the page should say for ``msgid`` in Vietnamese (through the product's own catalog,
    so the test follows the translations instead of copying them)."""
    from django.utils import translation  # noqa: PLC0415

    from vn_online_teaching.core.i18n import gettext  # noqa: PLC0415

    with translation.override("vi"):
        return gettext(msgid)


def is_decide(request):
    return request.method == "POST" and "/decide/" in request.url


def assert_badge(opened, state):
    page = opened.page
    expect(page.locator(".vnot-staff")).to_have_attribute("data-state", state)
    badge = page.locator(".vnot-staff .vnot-badge")
    expect(badge).to_have_text(vi(workflow.STATE_LABELS[state]))
    expect(badge).to_have_class(re.compile(rf"\bvnot-badge-{state}\b"))


def assert_student_sees_content(opened, visible):
    block = opened.page.locator(".vnot-student")
    expect(block).to_be_visible()
    if visible:
        expect(block.locator(".vnot-body")).to_contain_text(SECRET)
        expect(block.locator(".vnot-children")).to_contain_text(CHILD_TEXT)
        expect(block.locator(".vnot-unavailable")).to_have_count(0)
    else:
        expect(block.locator(".vnot-unavailable")).to_have_text(
            vi("This learning material is not available yet: it is waiting for approval by the school."))
        expect(block).not_to_contain_text(SECRET)
        expect(block).not_to_contain_text(CHILD_TEXT)
        expect(block.locator(".vnot-body")).to_have_count(0)


def tick_checklist(opened, count=None):
    boxes = opened.page.locator(".vnot-checklist input[type=checkbox]")
    expect(boxes).to_have_count(4)
    for i in range(4 if count is None else count):
        boxes.nth(i).check()


def click_decision(opened, action):
    """Click the decision button; wait for the server's answer and for the page's reload."""
    page = opened.page
    with page.expect_navigation():
        with page.expect_response(lambda r: is_decide(r.request)) as answer:
            page.locator(f".vnot-decide button[data-action='{action}']").click()
        response = answer.value  # read before the page reloads (600 ms after the answer)
        status, body = response.status, response.text()
    assert status == 200, body
    return json.loads(body)


def assert_no_js_errors(*opened):
    for o in opened:
        assert not o.js_errors, f"JavaScript errors as {o.username}: {o.js_errors}"


# ---------------------------------------------------------------------------------------- chain


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_approval_chain(browse, fresh_workbench, viewport):
    """Teacher submits, head ticks and passes, principal ticks and approves; the student sees the
    'not available' note at every step before the approval and the content after it."""
    sid = fresh_workbench.scenario_id(DRAFT)

    student = browse(sid, "hs_anh", viewport)
    assert_student_sees_content(student, visible=False)
    student.screenshot("1-before")
    student.assert_fits()

    teacher = browse(sid, "gv_lan", viewport)
    assert_badge(teacher, workflow.DRAFT)
    expect(teacher.page.locator(".vnot-checklist")).to_have_count(0)
    teacher.screenshot("2-draft")
    teacher.assert_fits()
    body = click_decision(teacher, "submit")
    assert body["state"] == workflow.SUBMITTED
    assert body["state_label"] == vi(workflow.STATE_LABELS[workflow.SUBMITTED])
    assert_badge(teacher, workflow.SUBMITTED)
    teacher.screenshot("3-submitted")
    teacher.assert_fits()

    student.page.reload()
    assert_student_sees_content(student, visible=False)

    head = browse(sid, "tt_minh", viewport)
    assert_badge(head, workflow.SUBMITTED)
    tick_checklist(head)
    head.screenshot("4-review")
    head.assert_fits()
    assert click_decision(head, "pass")["state"] == workflow.PASSED
    assert_badge(head, workflow.PASSED)

    student.page.reload()
    assert_student_sees_content(student, visible=False)

    principal = browse(sid, "ht_hung", viewport)
    assert_badge(principal, workflow.PASSED)
    tick_checklist(principal)
    principal.screenshot("5-review")
    principal.assert_fits()
    assert click_decision(principal, "approve")["state"] == workflow.APPROVED
    assert_badge(principal, workflow.APPROVED)
    expect(principal.page.locator(".vnot-history summary")).to_contain_text("(3)")
    principal.screenshot("6-approved")
    principal.assert_fits()

    student.page.reload()
    assert_student_sees_content(student, visible=True)
    student.screenshot("7-after")
    student.assert_fits()

    assert_no_js_errors(student, teacher, head, principal)


def test_checklist_must_be_complete(browse, fresh_workbench):
    """Three of four boxes: the page refuses before asking the server; nothing changes."""
    sid = fresh_workbench.scenario_id(DRAFT)
    assert server_decide(fresh_workbench.usage_id(DRAFT), "gv_lan", "submit")[0] == 200
    head = browse(sid, "tt_minh")
    posts = []
    head.page.on("request", lambda r: posts.append(r.url) if is_decide(r) else None)
    tick_checklist(head, count=3)
    head.page.locator(".vnot-decide button[data-action='pass']").click()
    msg = head.page.locator(".vnot-decide .vnot-msg")
    expect(msg).to_have_text(vi("Tick every item of the checklist before you decide."))
    expect(msg).to_have_class(re.compile(r"\bvnot-error\b"))
    head.screenshot("error")
    assert posts == []
    head.page.reload()
    assert_badge(head, workflow.SUBMITTED)
    assert MaterialState.objects.get(usage_key=str(fresh_workbench.usage_id(DRAFT))).state == workflow.SUBMITTED
    assert_no_js_errors(head)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_checklist_items_are_rows_easy_to_tap(browse, fresh_workbench, viewport):
    """Each checklist item is a row: the box beside its text, at least 2.2rem high. ``.vnot label``
    (display:block, for the form's labels) must not win over the checklist's own rule."""
    sid = fresh_workbench.scenario_id(DRAFT)
    assert server_decide(fresh_workbench.usage_id(DRAFT), "gv_lan", "submit")[0] == 200
    head = browse(sid, "tt_minh", viewport)
    labels = head.page.locator(".vnot-checklist label")
    expect(labels).to_have_count(4)
    for label in labels.all():
        assert label.evaluate("el => getComputedStyle(el).display") == "flex"
        box, tick = label.bounding_box(), label.locator("input").bounding_box()
        assert box["height"] >= 35, f"{label.inner_text()!r} is only {box['height']}px high"
        assert tick["y"] < box["y"] + box["height"] / 2, "the box is not on the item's first line"
    head.assert_fits()
    assert_no_js_errors(head)


# ------------------------------------------------------------------------------ return and comment


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("reviewer,action,state,steps", [
    ("tt_minh", "return_review", workflow.SUBMITTED, [("gv_lan", "submit")]),
    ("ht_hung", "return_approval", workflow.PASSED, [("gv_lan", "submit"), ("tt_minh", "pass")]),
])
def test_return_without_comment_is_refused(browse, fresh_workbench, viewport, reviewer, action, state, steps):
    """'Return' with an empty comment: an error under the buttons, the cursor in the comment box,
    no request to the server, and after a reload the material is where it was."""
    sid, usage = fresh_workbench.scenario_id(DRAFT), fresh_workbench.usage_id(DRAFT)
    for user, step in steps:
        assert server_decide(usage, user, step)[0] == 200
    page_ = browse(sid, reviewer, viewport)
    page = page_.page
    assert_badge(page_, state)
    history = page.locator(".vnot-history summary").inner_text()
    posts = []
    page.on("request", lambda r: posts.append(r.url) if is_decide(r) else None)

    page.locator(f".vnot-decide button[data-action='{action}']").click()
    msg = page.locator(".vnot-decide .vnot-msg")
    expect(msg).to_have_text(vi("Please write a comment for the author."))
    expect(msg).to_have_class(re.compile(r"\bvnot-error\b"))
    expect(msg).to_be_visible()
    expect(page.locator(".vnot-decide textarea[name=comment]")).to_be_focused()
    expect(page.locator(".vnot-decide button").first).to_be_enabled()
    page_.screenshot(f"{action}")
    page_.assert_fits()

    # only spaces is no comment either
    page.locator(".vnot-decide textarea[name=comment]").fill("   ")
    page.locator(f".vnot-decide button[data-action='{action}']").click()
    expect(msg).to_have_text(vi("Please write a comment for the author."))

    page.wait_for_timeout(300)
    assert posts == []
    page.reload()
    assert_badge(page_, state)
    expect(page.locator(".vnot-history summary")).to_have_text(history)
    assert MaterialState.objects.get(usage_key=str(usage)).state == state
    assert MaterialDecision.objects.filter(usage_key=str(usage)).count() == len(steps)
    assert_no_js_errors(page_)


def test_comment_survives_reload_until_the_server_accepts_it(browse, fresh_workbench):
    """The comment is kept in localStorage: through a reload, through a failed (offline) attempt,
    and it is dropped only once the server has recorded the decision."""
    sid, usage = fresh_workbench.scenario_id(DRAFT), fresh_workbench.usage_id(DRAFT)
    assert server_decide(usage, "gv_lan", "submit")[0] == 200
    comment = "Bổ sung một ví dụ thực tế về chuyển động ném xiên."
    head = browse(sid, "tt_minh", "phone")
    page = head.page
    box = page.locator(".vnot-decide textarea[name=comment]")
    box.fill(comment)
    page.reload()
    expect(box).to_have_value(comment)
    key = f"vnot:comment:{usage}"
    assert page.evaluate("k => localStorage.getItem(k)", key) == comment

    # no connection: the page says so, keeps the text, records nothing
    page.context.set_offline(True)
    page.locator(".vnot-decide button[data-action='return_review']").click()
    msg = page.locator(".vnot-decide .vnot-msg")
    expect(msg).to_have_text(
        vi("No connection. Your text is kept on this device; try again when you are back online."), timeout=15_000)
    expect(msg).to_have_class(re.compile(r"\bvnot-error\b"))
    head.screenshot("offline")
    page.context.set_offline(False)
    page.reload()
    expect(box).to_have_value(comment)
    assert MaterialState.objects.get(usage_key=str(usage)).state == workflow.SUBMITTED

    # the server accepts it: the draft is gone, the comment is in the history
    assert click_decision(head, "return_review")["state"] == workflow.RETURNED
    assert_badge(head, workflow.RETURNED)
    assert page.evaluate("k => localStorage.getItem(k)", key) is None
    history = page.locator(".vnot-history")
    if history.get_attribute("open") is None:
        history.locator("summary").click()
    expect(history).to_contain_text(comment)
    head.screenshot("returned")
    head.assert_fits()
    assert_no_js_errors(head)


# ---------------------------------------------------------------------------------------- studio


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_studio_view_changes_the_title(browse, fresh_workbench, viewport):
    sid = fresh_workbench.scenario_id(DRAFT)
    new_title = "Phương trình bậc hai một ẩn — bản sửa lần 2"
    editor = browse(sid, "gv_lan", viewport, view="studio_view")
    page = editor.page
    title = page.locator(".vnot-studio input[name=display_name]")
    expect(title).to_have_value("Phương trình bậc hai — bản nháp")
    editor.screenshot("form")  # how the form fits a phone: test_studio_view_fits
    title.fill(new_title)
    with page.expect_response(lambda r: "/studio_submit/" in r.url) as answer:
        page.locator(".vnot-studio button[type=submit]").click()
    assert answer.value.status == 200, answer.value.text()
    msg = page.locator(".vnot-studio .vnot-msg")
    expect(msg).to_have_text(vi("Saved."))
    expect(msg).to_have_class(re.compile(r"\bvnot-ok\b"))
    editor.screenshot("saved")

    staff = browse(sid, "gv_lan", viewport)
    expect(staff.page.locator(".vnot-preview .vnot-title")).to_have_text(new_title)
    assert_badge(staff, workflow.DRAFT)
    staff.screenshot("staff")
    staff.assert_fits()
    assert_no_js_errors(editor, staff)


@pytest.mark.parametrize("viewport", [
    "desktop",
    "phone",
])
def test_studio_view_fits(browse, fresh_workbench, viewport):
    editor = browse(fresh_workbench.scenario_id(DRAFT), "gv_lan", viewport, view="studio_view")
    editor.assert_fits()


def test_studio_view_refuses_an_empty_title(browse, fresh_workbench):
    sid = fresh_workbench.scenario_id(DRAFT)
    editor = browse(sid, "gv_lan", view="studio_view")
    page = editor.page
    page.locator(".vnot-studio input[name=display_name]").fill("")
    with page.expect_response(lambda r: "/studio_submit/" in r.url) as answer:
        page.locator(".vnot-studio button[type=submit]").click()
    assert answer.value.status == 400
    msg = page.locator(".vnot-studio .vnot-msg")
    expect(msg).to_have_class(re.compile(r"\bvnot-error\b"))
    # named as the form labels it ("Title" in the reader's language), not "display_name"
    expect(msg).to_have_text(vi("The field {field} must not be empty.").format(field=vi("Title")))
    editor.screenshot("error")
    staff = browse(sid, "gv_lan")
    expect(staff.page.locator(".vnot-preview .vnot-title")).to_have_text("Phương trình bậc hai — bản nháp")


# ---------------------------------------------------------------------------------- every role


ROLE_VIEWS = [
    # what the scenario shows, username, scenario (description prefix), what the page must show
    ("changed", "gv_lan", "Học liệu: sửa sau phê duyệt", {"state": "approved", "buttons": ["submit"],
                                                          "present": [".vnot-warning", ".vnot-diff"]}),
    ("submitted", "gv_lan", "Học liệu: chờ tổ chuyên môn (", {"state": "submitted", "buttons": ["withdraw"]}),
    ("submitted", "tt_minh", "Học liệu: chờ tổ chuyên môn (", {
        "state": "submitted", "buttons": ["pass", "return_review"],
        "present": [".vnot-checklist", ".vnot-queue", ".vnot-counts"]}),
    ("passed", "ht_hung", "Học liệu: chờ hiệu trưởng", {
        "state": "passed", "buttons": ["approve", "return_approval"],
        "present": [".vnot-checklist", ".vnot-counts", ".vnot-register"]}),
    ("approved", "ht_hung", "Học liệu: đã phê duyệt", {"state": "approved", "buttons": ["revoke"]}),
    ("approved", "vt_thu", "Học liệu: đã phê duyệt", {"state": "approved", "buttons": [],
                                                      "present": [".vnot-register", ".vnot-counts"]}),
    ("literature", "tt_hoa", "Học liệu Ngữ văn: chờ tổ chuyên môn", {"state": "submitted",
                                                                      "buttons": ["pass", "return_review"]}),
    ("approved", "hs_anh", "Học liệu: đã phê duyệt", {"student": True}),
    ("changed", "hs_anh", "Học liệu: sửa sau phê duyệt", {"student": True}),
]


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("shows,username,prefix,want", ROLE_VIEWS, ids=[f"{u}-{s}" for s, u, _p, _w in ROLE_VIEWS])
def test_role_views(browse, fresh_workbench, viewport, shows, username, prefix, want):
    """The demo materials walked to each state (as ``make run`` shows them), seen by each role."""
    from vn_online_teaching.demo.load import load_materials  # noqa: PLC0415

    load_materials()
    opened = browse(fresh_workbench.scenario_id(prefix), username, viewport)
    page = opened.page
    expect(page.locator(".vnot-material").first).to_have_attribute("lang", "vi")
    if want.get("student"):
        expect(page.locator(".vnot-staff")).to_have_count(0)
        expect(page.locator(".vnot-student .vnot-body")).to_be_visible()
        expect(page.locator(".vnot-student .vnot-unavailable")).to_have_count(0)
    else:
        assert_badge(opened, want["state"])
        buttons = page.locator(".vnot-decide button[data-action]")
        assert sorted(b.get_attribute("data-action") for b in buttons.all()) == sorted(want["buttons"])
        for selector in want.get("present", []):
            expect(page.locator(selector).first).to_be_visible()
        for button in buttons.all():
            box = button.bounding_box()
            assert box["height"] >= 40, f"{button.inner_text()!r} is only {box['height']}px high"
    opened.screenshot(shows)
    opened.assert_fits()
    assert_no_js_errors(opened)


@pytest.mark.parametrize("username,prefix,panel", [
    ("tt_minh", "Học liệu: chờ tổ chuyên môn (", ".vnot-history"),
    ("tt_minh", "Học liệu: chờ tổ chuyên môn (", ".vnot-queue"),
    ("vt_thu", "Học liệu: đã phê duyệt", ".vnot-history"),
    ("ht_hung", "Học liệu: chờ hiệu trưởng", ".vnot-counts"),
], ids=["head-history", "head-queue", "records-history", "principal-counts"])
def test_opened_panels_fit_on_phone(browse, fresh_workbench, username, prefix, panel):
    """The folded panels (history, review queue, per-teacher counts) opened on a phone."""
    from vn_online_teaching.demo.load import load_materials  # noqa: PLC0415

    load_materials()
    opened = browse(fresh_workbench.scenario_id(prefix), username, "phone")
    details = opened.page.locator(f"details{panel}")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    expect(details).to_have_attribute("open", "")
    opened.screenshot(f"open{panel.replace('.vnot-', '-')}")
    opened.assert_fits()
