"""The integrity pages in a real browser, desktop 1280 px and phone 360 px: an ended test with a
planted copier pair (tests/integration/test_integrity_pages.py, ``plant_sitting``: 30 students,
40 shuffled questions, a copier 20 s behind a weak source). A teacher opens the summary from the
staff page, the pair side by side (rows in the bank's order, identical wrong answers marked) and
the report of a student whose page was hidden twice and who pasted once, and records a decision
with its form. Screenshots under
test-artifacts/screenshots."""
import importlib.util
import pathlib
import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEST = "Kiểm tra định kỳ: Toán 10A1, mã"
_PAGES = pathlib.Path(__file__).resolve().parents[1] / "integration" / "test_integrity_pages.py"


def _planting():
    spec = importlib.util.spec_from_file_location("integrity_planting", _PAGES)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def vi(msgid):
    from django.utils import translation
    from vn_online_teaching.core.i18n import gettext

    with translation.override("vi"):
        return gettext(msgid)


def expect(locator):
    from playwright.sync_api import expect as _expect

    return _expect(locator)


def _open_summary(opened, live_server):
    page = opened.page
    href = page.locator("a.vnot-asm-integrity").get_attribute("href")
    assert page.locator("a.vnot-asm-integrity").get_attribute("target") == "_blank"
    page.goto(live_server.url + href)
    page.locator("main.vnot-integrity-summary").wait_for()
    return page


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_pair_side_by_side_and_one_attempts_report(browse, fresh_workbench, live_server, viewport):
    planting = _planting()
    planting.plant_sitting(fresh_workbench.usage_id(TEST))
    teacher = browse(fresh_workbench.scenario_id(TEST), "gv_lan", viewport)
    page = _open_summary(teacher, live_server)
    expect(page.locator("h1")).to_contain_text(re.compile("."))
    assert page.locator("text=Học sinh 01 – Học sinh 02").count() == 1
    teacher.screenshot("1-summary")
    teacher.assert_fits()
    if viewport == "desktop":       # as printed on A4: the tables stay tables, no buttons
        page.emulate_media(media="print")
        assert not page.locator(".nav").is_visible()
        assert page.locator("table.stack thead").first.is_visible()
        teacher.screenshot("1-summary-print")
        page.emulate_media(media="screen")

    page.goto(live_server.url + page.locator("a[href*='integrity_pair']").first.get_attribute("href"))
    rows = page.locator("table.answers tbody tr")
    expect(rows).to_have_count(40)
    assert page.locator("table.answers tr.same-wrong").count() >= 5
    teacher.screenshot("2-pair")
    teacher.assert_fits()

    page.goto(live_server.url + page.locator("a[href*='integrity_summary']").first.get_attribute("href"))
    page.goto(live_server.url + page.locator("a:text('Nguyễn Thị Ánh')").get_attribute("href"))
    page.locator("main.vnot-integrity-report").wait_for()
    assert page.locator("table.timeline tbody tr").count() >= 10 + 3          # start, saves, signals, end
    assert page.locator("table.timeline tr.look").count() == 1                # the paste
    assert page.locator("text=" + vi("Pasted text")).count() >= 2             # in the timeline and the notes
    teacher.screenshot("3-report")
    teacher.assert_fits()

    if viewport == "desktop":
        form = page.locator("form.decide")
        form.locator("input[value=retake]").check()
        expect(form.locator(".retake")).to_be_visible()
        form.locator("button[type=submit]").click()
        expect(form.locator(".msg")).not_to_be_empty()            # the reason is required: refused, said
        form.locator("input[name=minutes]").fill("20")
        form.locator("textarea[name=reason]").fill("Em dán đáp án từ ghi chú; cho làm lại có giám sát tại lớp")
        form.locator("button[type=submit]").click()
        expect(page.locator("table.timeline")).to_contain_text("cho làm lại có giám sát tại lớp")
        teacher.screenshot("4-decided")
        assert not teacher.js_errors
