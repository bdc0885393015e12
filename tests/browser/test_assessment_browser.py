"""periodic_assessment in a real browser: a student on a 360 px phone takes the demo test with the
access code, answers with a sixty-second offline spell in the middle (the answers stay on the
device and the status says so; the page's logic does not depend on the clock, so the spell is a
real minute) and sees them reach the server once back online; then hands in. The board's page at
360 px lists her as handed in. The ended demo test at 1280 and 360 px: the staff board, essay
marking (the answer beside the guide), the key correction form and the printable score sheet.
Screenshots under test-artifacts/screenshots."""
import re

import pytest
from vn_online_teaching.assessment.models import Answer, Attempt
from vn_online_teaching.assessment.scenarios import DEMO_CODE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEST = "Kiểm tra định kỳ: Toán 10A1, mã"
ENDED = "Kiểm tra định kỳ đã kết thúc"
OFFLINE_MS = 60_000


def expect(locator):
    from playwright.sync_api import expect as _expect

    return _expect(locator)


def vi(msgid, **values):
    from django.utils import translation
    from vn_online_teaching.core.i18n import gettext

    with translation.override("vi"):
        text = gettext(msgid)
    return text.format(**values) if values else text


def test_student_takes_the_test_with_an_offline_spell(browse, fresh_workbench):
    from vn_online_teaching.demo.load import load_assessments

    load_assessments()
    student = browse(fresh_workbench.scenario_id(TEST), "hs_anh", "phone")
    page = student.page
    student.screenshot("1-before")
    student.assert_fits()
    page.locator(".vnot-asm-startform input[name=code]").fill(DEMO_CODE.lower())
    page.locator(".vnot-asm-start").click()
    items = page.locator(".vnot-asm-item")
    expect(items).to_have_count(7)
    expect(page.locator(".vnot-asm-clock")).to_contain_text(re.compile(r"\d+:\d\d"))
    expect(items.nth(1)).to_be_hidden()  # one question per screen
    items.nth(0).locator(".vnot-asm-choice input").first.check()
    status = page.locator(".vnot-asm-status")
    expect(status).to_have_text(vi("Saved."))
    student.screenshot("2-answering")
    student.assert_fits()

    page.context.set_offline(True)
    for i in (1, 2, 3):
        page.locator(".vnot-asm-next").click()
        items.nth(i).locator(".vnot-asm-choice input").first.check()
    expect(status).to_have_text(vi("Offline: your answers are kept on this device"))
    page.wait_for_timeout(OFFLINE_MS)  # the offline spell: a real minute
    student.screenshot("3-offline")
    assert Answer.objects.filter(attempt__user_key="hs_anh").count() == 1
    kept = page.evaluate("""() => Object.keys(localStorage).map(k => localStorage.getItem(k)).join("\\n")""")
    assert kept.count('"position"') >= 3, kept  # the three answers given offline wait on the device
    page.context.set_offline(False)
    expect(status).to_have_text(vi("Saved."), timeout=15_000)
    assert Answer.objects.filter(attempt__user_key="hs_anh").count() == 4
    # The supervisor's board, meanwhile: how far the student is and when last heard from.
    watching = browse(fresh_workbench.scenario_id(TEST), "gv_lan", "phone")
    working = watching.page.locator(".vnot-asm-board tbody tr", has_text="4/7")
    expect(working).to_have_count(1)
    expect(working).to_contain_text(vi("In progress"))
    watching.screenshot("3b-board-during")
    watching.assert_fits()

    page.locator(".vnot-asm-all").check()
    expect(items.nth(6)).to_be_visible()
    student.screenshot("4-all-on-one-page")
    student.assert_fits()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(".vnot-asm-handin").click()
    expect(page.locator(".vnot-asm-done")).to_be_visible()
    student.screenshot("5-handed-in")
    assert Attempt.objects.get(user_key="hs_anh").state == "submitted"
    assert not student.js_errors, student.js_errors

    board = browse(fresh_workbench.scenario_id(TEST), "gv_lan", "phone")
    expect(board.page.locator(".vnot-asm-board tbody tr")).to_have_count(6)
    expect(board.page.locator(".vnot-asm-board")).to_contain_text(vi("Handed in"))
    board.screenshot("6-board")
    board.assert_fits()
    board.page.locator(".vnot-asm-marking summary").click()
    essay = board.page.locator(".vnot-asm-essay")
    expect(essay).to_have_count(1)
    essay.locator("input[name=mark]").fill("1,5")
    essay.locator("button[type=submit]").click()
    expect(essay.locator(".vnot-msg")).to_have_class(re.compile(r"\bvnot-ok\b"))
    board.screenshot("7-marking")
    board.assert_fits()
    assert Attempt.objects.get(user_key="hs_anh").state == "marked"
    assert not board.js_errors, board.js_errors


def test_a_gateway_error_while_the_platform_restarts_keeps_the_answers_and_sends_them(browse, fresh_workbench):
    """The LMS restarting behind its reverse proxy (Tutor's Caddy answers 502 Bad Gateway while the
    LMS accepts no connection): the page takes it for a lost connection, keeps the answer and sends
    it again by itself; it does not stop the queue as if the server had refused the answer."""
    from vn_online_teaching.demo.load import load_assessments

    load_assessments()
    student = browse(fresh_workbench.scenario_id(TEST), "hs_binh", "phone")
    page = student.page
    page.locator(".vnot-asm-startform input[name=code]").fill(DEMO_CODE)
    page.locator(".vnot-asm-start").click()
    items = page.locator(".vnot-asm-item")
    expect(items).to_have_count(7)
    gateway = {"answered": 0}

    def restarting(route):
        gateway["answered"] += 1
        route.fulfill(status=502, content_type="text/html", body="<h1>502 Bad Gateway</h1>")

    saves = re.compile(r"/save_answers\b")
    page.route(saves, restarting)
    items.nth(0).locator(".vnot-asm-choice input").first.check()
    status = page.locator(".vnot-asm-status")
    expect(status).to_have_text(vi("Offline: your answers are kept on this device"), timeout=15_000)
    assert gateway["answered"] >= 1 and not Answer.objects.filter(attempt__user_key="hs_binh").exists()
    student.screenshot("gateway-down")
    page.unroute(saves)   # the LMS is back; the student does nothing more
    expect(status).to_have_text(vi("Saved."), timeout=15_000)
    assert Answer.objects.filter(attempt__user_key="hs_binh").count() == 1
    assert not student.js_errors, student.js_errors


def sheet_link(opened):
    return opened.page.locator(".vnot-asm-sheet-page").get_attribute("href")


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_ended_test_board_marking_key_and_score_sheet(browse, fresh_workbench, live_server, viewport):
    from vn_online_teaching.demo.load import load_ended_assessment

    assert load_ended_assessment()
    teacher = browse(fresh_workbench.scenario_id(ENDED), "gv_lan", viewport)
    page = teacher.page
    expect(page.locator(".vnot-asm-board tbody tr")).to_have_count(6)
    expect(page.locator(".vnot-asm-board")).to_contain_text(vi("Marked"))
    expect(page.locator(".vnot-asm-board")).to_contain_text(re.compile(r"\d,\d"))  # 9,4: the decimal comma
    expect(page.locator(".vnot-asm-board")).to_contain_text(vi("Essays to mark"))  # no score before marking
    teacher.screenshot("1-board")
    teacher.assert_fits()

    page.locator(".vnot-asm-marking summary").click()
    essays = page.locator(".vnot-asm-essay")
    expect(essays).to_have_count(5)
    first = essays.nth(0)
    answer, guide = first.locator(".vnot-asm-side-answer"), first.locator(".vnot-asm-side-guide")
    expect(guide).to_contain_text("Tập xác định 0,5 điểm")
    a, g = answer.bounding_box(), guide.bounding_box()
    if viewport == "desktop":  # side by side
        assert a["x"] + a["width"] <= g["x"] + 1 and abs(a["y"] - g["y"]) < 2, (a, g)
    else:  # the answer above the guide, each the box's full width
        assert a["y"] + a["height"] <= g["y"] + 1 and a["width"] > 250, (a, g)
    unmarked = essays.filter(has_text="Lê Hoàng Châu").first  # left to mark by the demo
    unmarked.locator("input[name=mark]").fill("1,25")
    unmarked.locator("button[type=submit]").click()
    expect(unmarked.locator(".vnot-msg")).to_have_class(re.compile(r"\bvnot-ok\b"))
    first.scroll_into_view_if_needed()
    teacher.screenshot("2-marking")
    teacher.assert_fits()

    page.locator(".vnot-asm-keyfix summary").click()
    form = page.locator(".vnot-asm-keyform")
    expect(form.locator("select[name=question] option")).to_have_count(6)
    expect(form.locator(".vnot-asm-keyedit input[type=radio]:checked")).to_have_count(1)
    form.locator("textarea[name=reason]").fill("Tổ chuyên môn xác nhận đáp án đúng là B")
    form.locator(".vnot-asm-keyedit input[value=B]").check()
    form.locator("button[type=submit]").click()
    expect(form.locator(".vnot-msg")).to_have_class(re.compile(r"\bvnot-ok\b"))
    expect(form.locator(".vnot-msg")).to_contain_text("5")
    teacher.screenshot("3-key-corrected")
    teacher.assert_fits()
    assert not teacher.js_errors, teacher.js_errors

    link = sheet_link(teacher)
    page.goto(live_server.url + link if link.startswith("/") else link)
    expect(page.locator("table tbody tr")).to_have_count(6)
    expect(page.locator("body")).to_contain_text("7926010001")
    teacher.screenshot("4-score-sheet")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= {"desktop": 1280, "phone": 360}[viewport] + 1, width
    page.emulate_media(media="print")
    assert page.locator(".nav").is_hidden()
    pdf_css = page.evaluate("""() => [...document.styleSheets].flatMap(s => [...s.cssRules])
                                 .filter(r => r.type === CSSRule.PAGE_RULE).map(r => r.cssText).join(" ")""")
    assert "size: a4" in pdf_css.lower(), pdf_css
