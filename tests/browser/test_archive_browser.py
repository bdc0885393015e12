"""records_archive in a real browser, desktop 1280 px and phone 360 px, on the demo scenario
"Lưu trữ hồ sơ" with the demo school's materials and lessons. The records officer starts an export
of the course and watches its progress bar until the package is ready (the job is left queued, as
Celery would leave it, and run by the test as a worker would: the page's own polling shows it
done), downloads it, verifies it, then places a legal hold and releases it. The principal sees the
same page; a teacher gets the refusal and no form. Every view is saved under
test-artifacts/screenshots, and none may overflow the block or raise a JS error."""
import re
from urllib.parse import urljoin

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARCHIVE = "Lưu trữ hồ sơ"


def vi(msgid, **values):
    from django.utils import translation
    from vn_online_teaching.core.i18n import gettext

    with translation.override("vi"):
        return gettext(msgid).format(**values) if values else gettext(msgid)


def expect(locator):
    from playwright.sync_api import expect as _expect

    return _expect(locator)


@pytest.fixture
def school(settings, tmp_path, fresh_workbench):
    """The demo school's records, a signing key of this test, packages in a folder of this test."""
    from vn_online_teaching.archive import signing
    from vn_online_teaching.demo.load import load_lessons, load_materials

    settings.STORAGES = dict(settings.STORAGES, default={
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "media")}})
    settings.VN_ONLINE_TEACHING = dict(settings.VN_ONLINE_TEACHING,
                                       ARCHIVE_SIGNING_KEY=signing.new_private_pem().decode("ascii"))
    assert load_materials() and load_lessons()
    return fresh_workbench


@pytest.fixture
def queued_only(monkeypatch):
    """Exports wait in their row as they do for Celery's workers; ``run()`` is the worker."""
    from vn_online_teaching.archive import jobs, tasks
    from vn_online_teaching.archive.models import ArchiveJob

    monkeypatch.setattr(tasks, "start", lambda job_id: True)

    def run():
        for job in ArchiveJob.objects.filter(status=ArchiveJob.QUEUED):
            jobs.run(job.pk)
    return run


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_records_officer_exports_verifies_and_holds(browse, school, queued_only, viewport):
    from vn_online_teaching.archive.models import ArchiveJob, LegalHold

    officer = browse(school.scenario_id(ARCHIVE), "vt_thu", viewport)
    page = officer.page
    box = page.locator(".vnot-archive")
    expect(box.locator(".vnot-arc-jobs")).to_contain_text(vi("No export yet."))
    # the styles come from archive.css, none are inline
    assert page.locator(".vnot-archive [style]").count() == 0
    assert page.locator("link[href*='archive.css']").count() == 1
    officer.screenshot("1-empty")
    officer.assert_fits()

    form = box.locator("form.vnot-arc-export")
    form.locator("input[name=school_year]").fill("2025-2026")
    form.locator("select[name=semester]").select_option("1")
    form.locator("button[type=submit]").click()
    expect(form.locator(".vnot-msg")).to_have_text(vi("The export has started."))
    job = box.locator(".vnot-arc-jobs li[data-job]")
    expect(job).to_have_count(1)
    expect(job.locator("progress")).to_be_visible()
    assert job.locator("progress").get_attribute("value") is None      # waiting: no step done yet
    expect(job).to_contain_text(vi("Waiting to start"))
    expect(job).to_contain_text(vi("School year {year}, semester {semester}", year="2025-2026", semester=1))
    officer.screenshot("2-queued")
    officer.assert_fits()

    queued_only()                                          # the worker runs it; the page polls
    expect(job).to_contain_text(vi("Ready"), timeout=20_000)
    expect(job.locator("progress")).to_have_count(0)
    done = ArchiveJob.objects.get()
    assert done.status == ArchiveJob.DONE and done.steps_done == done.steps_total
    hashes = job.locator("code.vnot-arc-hash")
    expect(hashes).to_have_count(3)
    expect(hashes.first).to_have_text(done.sha256)
    link = job.locator("a", has_text=vi("Download"))
    href = link.get_attribute("href")
    assert re.search(rf"[?&]job={done.pk}$", href)
    response = page.request.get(urljoin(page.url, href))   # with the officer's cookies
    assert response.ok and response.body()[:2] == b"PK"
    assert response.headers["content-type"] == "application/zip"

    job.locator("button[data-act=verify]").click()
    message = job.locator(".vnot-arc-verify-msg")                # under the package it checked
    expect(message).to_have_class(re.compile(r"\bvnot-ok\b"), timeout=20_000)
    expect(message).to_contain_text(done.fingerprint)
    officer.screenshot("3-ready-verified")
    officer.assert_fits()

    holds = box.locator(".vnot-arc-holds")
    expect(holds).to_contain_text(vi("No legal hold."))
    box.locator("summary", has_text=vi("Place a legal hold")).click()
    hold_form = box.locator("form.vnot-arc-hold")
    hold_form.locator("input[name=school_year]").fill("2025-2026")
    hold_form.locator("textarea[name=reason]").fill("Thanh tra Sở GD&ĐT, công văn số 123/SGDĐT-TTr")
    officer.screenshot("4-hold-form")
    officer.assert_fits()
    with page.expect_navigation():                         # the page reloads after the hold is placed
        hold_form.locator("button[type=submit]").click()
    held = page.locator(".vnot-arc-holds li[data-hold]")
    expect(held).to_contain_text("công văn số 123/SGDĐT-TTr")
    expect(held.locator("button[data-act=release]")).to_be_visible()
    assert LegalHold.objects.get().released_at is None
    officer.screenshot("5-held")
    officer.assert_fits()

    page.once("dialog", lambda dialog: dialog.accept("Đã kết thúc thanh tra"))
    with page.expect_navigation():
        held.locator("button[data-act=release]").click()
    held = page.locator(".vnot-arc-holds li[data-hold]")
    expect(held).to_contain_text(vi("Released"))
    expect(held).to_contain_text("Đã kết thúc thanh tra")
    expect(held.locator("button[data-act=release]")).to_have_count(0)
    assert LegalHold.objects.get().release_reason == "Đã kết thúc thanh tra"
    officer.screenshot("6-released")
    officer.assert_fits()
    assert not officer.js_errors


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_principal_keeps_the_archive_and_a_teacher_is_refused(browse, school, viewport):
    from vn_online_teaching.archive.block import REFUSED

    principal = browse(school.scenario_id(ARCHIVE), "ht_hung", viewport)
    box = principal.page.locator(".vnot-archive")
    expect(box.locator("form.vnot-arc-export")).to_have_count(1)
    expect(box.locator("form.vnot-arc-hold")).to_have_count(1)
    expect(box.locator("form.vnot-arc-dispose")).to_have_count(1)
    expect(box.locator(".vnot-arc-ret tr")).to_have_count(4)
    principal.screenshot()
    principal.assert_fits()

    teacher = browse(school.scenario_id(ARCHIVE), "gv_lan", viewport)
    box = teacher.page.locator(".vnot-archive")
    expect(box.locator(".vnot-note")).to_have_text(vi(REFUSED))
    expect(box.locator("form")).to_have_count(0)
    teacher.screenshot()
    teacher.assert_fits()
    assert not principal.js_errors and not teacher.js_errors
