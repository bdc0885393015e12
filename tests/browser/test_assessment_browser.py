"""periodic_assessment in a real browser on a 360 px phone: a student takes the demo test with
the access code, answers with a ten-second offline spell in the middle (the answers stay on the
device and the status says so) and sees them reach the server once back online; then hands in.
The board's page at 360 px lists her as handed in. Screenshots under test-artifacts/screenshots."""
import re

import pytest
from vn_online_teaching.assessment.models import Answer, Attempt
from vn_online_teaching.assessment.scenarios import DEMO_CODE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEST = "Kiểm tra định kỳ"


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
    page.wait_for_timeout(10_000)  # the offline spell
    student.screenshot("3-offline")
    assert Answer.objects.filter(attempt__user_key="hs_anh").count() == 1
    page.context.set_offline(False)
    expect(status).to_have_text(vi("Saved."), timeout=15_000)
    assert Answer.objects.filter(attempt__user_key="hs_anh").count() == 4

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
