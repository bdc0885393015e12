"""session_attendance in a real browser: the teacher's roll call (desktop and a 360 px phone), a
Zoom report imported through the preview, a student checking in on a phone (and with no
connection), and the class logbook (the entry form in the roll call panel and the printable week).
Assertions read the page first, with the database as a second witness; every view is saved as a
screenshot under test-artifacts/screenshots, and none may overflow the block or raise JS errors."""
import datetime as dt
import json
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest

from helpers import block_as, call
from vn_online_teaching.attendance import roll
from vn_online_teaching.attendance.models import Lesson, LogbookEntry, Mark

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ATTENDANCE = "Điểm danh: Toán 10A1"
CODED = "Điểm danh có mã"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "meeting-reports"
STUDENTS = ["hs_anh", "hs_binh", "hs_chau", "hs_duc", "hs_ha", "hs_huy"]
FIXTURE_DAY = dt.date(2025, 9, 8)  # the day of the shared meeting reports (fixtures' README)
ZOOM_LESSON = {"date": "2025-09-08", "period": 1, "start": "07:30", "length": 0, "platform": "zoom",
               "mode": "online", "title": "Bài 3. Phương trình bậc hai (tiết 1)", "syllabus_no": "12",
               "link": "https://zoom.us/j/83512264071"}
VIEWPORTS = ["desktop", "phone"]


def expect(locator):
    from playwright.sync_api import expect as _expect  # noqa: PLC0415 - the tier may be skipped

    return _expect(locator)


def vi(msgid, **values):
    """What the page says for ``msgid`` in Vietnamese, through the product's own catalog."""
    from django.utils import translation  # noqa: PLC0415

    from vn_online_teaching.core.i18n import gettext  # noqa: PLC0415

    with translation.override("vi"):
        text = gettext(msgid)
    return text.format(**values) if values else text


def assert_no_js_errors(*opened):
    for o in opened:
        assert not o.js_errors, f"JavaScript errors as {o.username}: {o.js_errors}"


def handler_response(name):
    """Predicate for ``page.expect_response``: a POST to the block's handler ``name``."""
    return lambda r: r.request.method == "POST" and f"/{name}/" in r.url


def usage_key(usage):
    return block_as(usage, "gv_lan").keys()[0]


def lesson_of(usage, day, period):
    return Lesson.objects.get(usage_key=usage_key(usage), date=day, period=period, cancelled_at__isnull=True)


def plan(usage, **changes):
    """Plan a lesson as gv_lan through the handler the planning form posts to."""
    status, body = call(usage, "gv_lan", "lesson_save", dict(ZOOM_LESSON, **changes))
    assert status == 200, body
    return body["lesson"]


def plan_now(usage, period=9):
    """A lesson that started a minute ago on the server's clock: check-in is open (and on time)."""
    from vn_online_teaching.core import clock  # noqa: PLC0415

    start = (clock.to_school(clock.now()) - dt.timedelta(minutes=1)).replace(second=0, microsecond=0)
    return plan(usage, date=start.date().isoformat(), start=start.strftime("%H:%M"), period=period, length=45,
                 title="Bài 4. Hệ thức Vi-ét", syllabus_no="15", platform="meet",
                 link="https://meet.google.com/abc-defg-hij")


def settle(opened):
    """Wait until the page's own requests are answered (the staff view opens the roll call of
    the lesson running now by itself; a click before its answer would race with it)."""
    opened.page.wait_for_load_state("networkidle")


def open_roll(opened, lesson_id):
    """Click "Roll call" on the lesson (unfolding "Earlier/Later lessons" if it is there) and wait
    for the roll to be drawn."""
    page = opened.page
    settle(opened)
    item = page.locator(f".vnot-att-lessons li.vnot-att-item[data-lesson='{lesson_id}']")
    folded = page.locator("details.vnot-att-more", has=page.locator(f"li[data-lesson='{lesson_id}']"))
    if folded.count() and folded.get_attribute("open") is None:
        folded.locator("summary").click()
    with page.expect_response(handler_response("roll_call")) as answer:
        item.locator("button[data-act=roll]").click()
    assert answer.value.status == 200, answer.value.text()
    expect(item).to_have_class(re.compile(r"\bvnot-att-current\b"))
    expect(page.locator(".vnot-att-roll")).to_be_visible()
    expect(page.locator(".vnot-att-roll > .vnot-att-scroll tbody tr")).to_have_count(len(STUDENTS))
    settle(opened)  # the logbook line of the lesson is read alongside


def roll_row(opened, user):
    return opened.page.locator(f".vnot-att-roll > .vnot-att-scroll tbody tr[data-user='{user}']")


# --------------------------------------------------------------------------------- roll call


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_teacher_roll_call(browse, fresh_workbench, viewport):
    """gv_lan opens the roll call of the Zoom lesson of 8 September (the demo's roll), marks Đức
    excused with a remark and saves; after a reload the roll shows the saved mark, and the
    database's Mark row says the same (changed by the teacher)."""
    from vn_online_teaching.demo.load import load_lessons  # noqa: PLC0415

    usage = fresh_workbench.usage_id(ATTENDANCE)
    load_lessons()
    lesson = lesson_of(usage, FIXTURE_DAY, 1)
    assert Mark.objects.get(lesson=lesson, user_key="hs_duc").status == roll.UNEXCUSED
    remark = "Phụ huynh gọi điện báo ốm"

    teacher = browse(fresh_workbench.scenario_id(ATTENDANCE), "gv_lan", viewport)
    page = teacher.page
    expect(page.locator(".vnot-att-staff")).to_have_attribute("lang", "vi")
    settle(teacher)
    teacher.screenshot("1-staff")
    teacher.assert_fits()

    open_roll(teacher, lesson.pk)
    expect(page.locator(".vnot-att-roll-title")).to_contain_text("08/09/2025")
    expect(page.locator(".vnot-att-counts")).to_contain_text(vi("Present {n} of {total}", n=4, total=6))
    row = roll_row(teacher, "hs_duc")
    status = row.locator("select[name=status]")
    expect(status).to_have_value(roll.UNEXCUSED)
    status.select_option(roll.EXCUSED)
    row.locator("input[name=remark]").fill(remark)
    expect(row).to_have_attribute("data-changed", "1")
    teacher.screenshot("2-changed")
    teacher.assert_fits()

    with page.expect_response(handler_response("mark")) as answer:
        page.locator(".vnot-att-roll button[data-act=save]").click()
    assert answer.value.status == 200, answer.value.text()
    assert json.loads(answer.value.text()) == {"changed": 1}
    msg = page.locator(".vnot-att-roll-msg")
    expect(msg).to_have_text(vi("Marked: {n}.", n=1))
    expect(msg).to_have_class(re.compile(r"\bvnot-ok\b"))
    teacher.screenshot("3-saved")
    teacher.assert_fits()

    mark = Mark.objects.get(lesson=lesson, user_key="hs_duc")
    assert (mark.status, mark.remark, mark.source, mark.updated_by) == (roll.EXCUSED, remark, "teacher", "gv_lan")
    assert mark.changes.count() == 2  # the demo's roll call, then this one

    page.reload()
    open_roll(teacher, lesson.pk)
    row = roll_row(teacher, "hs_duc")
    expect(row.locator("select[name=status]")).to_have_value(roll.EXCUSED)
    expect(row.locator("input[name=remark]")).to_have_value(remark)
    expect(row).not_to_have_attribute("data-changed", "1")
    expect(page.locator(".vnot-att-counts")).to_contain_text(f"{vi('Excused absence')}: 2")
    # the history of the mark, opened from the row
    row.locator("button", has_text=vi("History")).click()
    history = page.locator(".vnot-att-history")
    expect(history).to_be_visible()
    expect(history.locator("li")).to_have_count(2)
    expect(history.locator("li").last).to_contain_text(remark)
    teacher.screenshot("4-reloaded")
    teacher.assert_fits()
    assert_no_js_errors(teacher)


# ----------------------------------------------------------------------------------- import


def test_import_zoom_report(browse, fresh_workbench):
    """gv_lan uploads the shared Zoom report to the lesson it was taken at (8 September 2025,
    07:30, FIXTURES/README.md), reads the preview (five students matched, the host unmatched,
    Huy missing from the report), confirms, and the five suggested marks are recorded."""
    usage = fresh_workbench.usage_id(ATTENDANCE)
    lesson_id = plan(usage)
    report = FIXTURES / "zoom-participants.csv"

    teacher = browse(fresh_workbench.scenario_id(ATTENDANCE), "gv_lan")
    page = teacher.page
    open_roll(teacher, lesson_id)
    panel = page.locator("details.vnot-att-import")
    panel.locator("summary").click()
    expect(panel).to_have_attribute("open", "")
    panel.locator("input[name=report]").set_input_files(str(report))
    with page.expect_response(lambda r: "/import_report/" in r.url) as answer:
        panel.locator("button[data-act=upload]").click()
    assert answer.value.status == 200, answer.value.text()

    preview = panel.locator(".vnot-att-preview")
    expect(preview).to_be_visible()
    rows = preview.locator("tbody tr[data-person]")
    expect(rows).to_have_count(len(STUDENTS) + 1)  # the class, then the host nobody matched
    suggested = {}
    for i in range(rows.count()):
        tr = rows.nth(i)
        username = tr.locator("select[name=username]").input_value()
        ticked = tr.locator("input[name=apply]").is_checked()
        if ticked:
            suggested[username] = tr.locator("select[name=status]").input_value()
        if username == "hs_huy":
            expect(tr).to_contain_text(vi("Not in the report"))
            assert not ticked
        if username == "":
            expect(tr).to_contain_text("Hoàng Thị Lan")  # the host (as the report names her): no student
            expect(tr).to_contain_text(vi("Host of the meeting"))
            assert tr.locator("select[name=status]").input_value() == ""  # no status offered for her
            assert not ticked
    assert sorted(suggested) == ["hs_anh", "hs_binh", "hs_chau", "hs_duc", "hs_ha"]
    assert suggested["hs_anh"] == roll.PRESENT and suggested["hs_chau"] == roll.LATE  # joined at 07:41
    assert suggested["hs_duc"] == roll.UNEXCUSED  # 14 minutes of 45
    guest = preview.locator("tbody tr", has=page.locator("option[value='hs_chau']:checked"))
    expect(guest).to_contain_text("Lê Hoàng Châu (10A1)")
    assert not Mark.objects.filter(lesson_id=lesson_id).exists()  # nothing is marked before confirming
    teacher.screenshot("1-preview")
    teacher.assert_fits()

    with page.expect_response(handler_response("import_confirm")) as answer:
        preview.locator("button[data-act=confirm]").click()
    assert answer.value.status == 200, answer.value.text()
    assert json.loads(answer.value.text()) == {"applied": 5, "changed": 5}
    msg = panel.locator(".vnot-att-import-msg")
    expect(msg).to_have_text(vi("Marked: {n}.", n=5))
    expect(msg).to_have_class(re.compile(r"\bvnot-ok\b"))
    expect(preview).to_be_hidden()
    for user, status in suggested.items():
        expect(roll_row(teacher, user).locator("select[name=status]")).to_have_value(status)
        expect(roll_row(teacher, user)).to_contain_text(vi("Meeting report"))
    expect(roll_row(teacher, "hs_huy").locator("select[name=status]")).to_have_value(roll.UNMARKED)
    expect(page.locator(".vnot-att-reports")).to_be_visible()
    expect(page.locator(".vnot-att-reports li")).to_contain_text("zoom-participants.csv")
    teacher.screenshot("2-confirmed")
    teacher.assert_fits()

    marks = {m.user_key: m for m in Mark.objects.filter(lesson_id=lesson_id)}
    assert {u: m.status for u, m in marks.items()} == suggested
    assert {m.source for m in marks.values()} == {"import"}
    assert marks["hs_ha"].minutes == 45  # two overlapping connections, counted once, clipped to the lesson
    assert_no_js_errors(teacher)


# -------------------------------------------------------------------------------- check-in


def test_student_checks_in_on_a_phone(browse, fresh_workbench):
    """A lesson started a minute ago: hs_anh sees "Lesson now", presses Check in, reads the
    confirmation, and after the page reloads her own mark (present, with the time); the Mark
    row's source is the check-in."""
    usage = fresh_workbench.usage_id(ATTENDANCE)
    lesson_id = plan_now(usage)

    student = browse(fresh_workbench.scenario_id(ATTENDANCE), "hs_anh", "phone")
    page = student.page
    expect(page.locator(".vnot-att-staff")).to_have_count(0)
    nxt = page.locator(".vnot-att-next")
    expect(nxt).to_have_attribute("data-lesson", str(lesson_id))
    expect(nxt.locator("h3")).to_have_text(vi("Lesson now"))
    expect(nxt.locator(".vnot-att-join")).to_have_text(vi("Join on {platform}", platform="Google Meet"))
    button = nxt.locator(".vnot-att-checkin button[type=submit]")
    expect(button).to_have_text(vi("Check in"))
    assert button.bounding_box()["height"] >= 40
    student.screenshot("1-open")
    student.assert_fits()

    # The page reloads half a second after the answer: the confirmation is recorded as it appears.
    seen = []
    page.expose_function("vnotSeen", lambda text, cls: seen.append((text, cls)))
    page.evaluate("""() => {
        const msg = document.querySelector('.vnot-att-checkin .vnot-msg');
        new MutationObserver(() => window.vnotSeen(msg.textContent, msg.className))
            .observe(msg, {childList: true, characterData: true, subtree: true, attributes: true});
    }""")
    with page.expect_navigation():
        with page.expect_response(handler_response("check_in")) as answer:
            button.click()
        status, body = answer.value.status, answer.value.text()
    assert status == 200, body
    record = json.loads(body)
    assert (record["status"], record["already"], record["status_label"]) == (roll.PRESENT, False, vi("Present"))
    confirmation = f"{vi('Checked in.')} {vi('Present')}"
    assert any(text == confirmation and "vnot-ok" in cls for text, cls in seen), seen

    mine = page.locator(".vnot-att-next .vnot-att-mine")
    expect(mine.locator(".vnot-att-badge")).to_have_text(vi("Present"))
    expect(mine).to_contain_text(vi("Checked in at {time}", time=record["checked_in_at"]))
    expect(page.locator(".vnot-att-checkin")).to_have_count(0)
    student.screenshot("2-checked-in")
    student.assert_fits()

    mark = Mark.objects.get(lesson_id=lesson_id, user_key="hs_anh")
    assert (mark.status, mark.source, mark.updated_by) == (roll.PRESENT, "checkin", "hs_anh")
    assert mark.checked_in_at is not None and "Chrom" in mark.user_agent

    # The teacher reads the check-in in the mark's history: by the student, with the device and
    # the address it came from.
    teacher = browse(fresh_workbench.scenario_id(ATTENDANCE), "gv_lan", "phone")
    open_roll(teacher, lesson_id)
    expect(teacher.page.locator(".vnot-att-code")).to_be_hidden()  # this lesson asks for no code
    roll_row(teacher, "hs_anh").locator("button", has_text=vi("History")).click()
    entry = teacher.page.locator(".vnot-att-history li")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text(f"{vi('Student check-in')}): {vi('Not yet marked')} → {vi('Present')}")
    expect(entry).to_contain_text(f"{roll.device_of(mark.user_agent)} · {mark.ip}")
    teacher.screenshot("3-history")
    teacher.assert_fits()
    assert_no_js_errors(student, teacher)


def test_check_in_code_is_kept_offline(browse, fresh_workbench):
    """With the network cut, a student's typed code stays in the field and the page says there
    is no connection; nothing is recorded."""
    usage = fresh_workbench.usage_id(CODED)
    lesson_id = plan_now(usage)
    student = browse(fresh_workbench.scenario_id(CODED), "hs_anh", "phone")
    page = student.page
    code = page.locator(".vnot-att-checkin input[name=code]")
    expect(code).to_be_visible()
    code.fill("482913")
    student.screenshot("1-typed")
    student.assert_fits()

    page.context.set_offline(True)
    page.locator(".vnot-att-checkin button[type=submit]").click()
    msg = page.locator(".vnot-att-checkin .vnot-msg")
    expect(msg).to_have_text(
        vi("No connection. Your text is kept on this device; try again when you are back online."), timeout=15_000)
    expect(msg).to_have_class(re.compile(r"\bvnot-error\b"))
    student.screenshot("2-offline")
    student.assert_fits()
    page.context.set_offline(False)
    assert not Mark.objects.filter(lesson_id=lesson_id).exists()
    assert_no_js_errors(student)
    expect(code).to_have_value("482913", timeout=1_000)


# ---------------------------------------------------------------------------------- logbook


def logbook_url(opened, week):
    """The staff view's "Class logbook (print)" link, for the week of ``week``."""
    link = opened.page.locator(".vnot-att-records a").first
    expect(link).to_have_text(vi("Class logbook (print)"))
    href = link.get_attribute("href")
    assert "/logbook/" in href, href
    return urljoin(opened.page.url, href) + ("&" if "?" in href else "?") + f"week={week}"


def test_logbook_print_view(browse, fresh_workbench):
    """The printable logbook of the week of 8 September 2025 (the demo's three lessons, the first
    one with its roll): a table, one line per lesson with its headcount n/6, the absentees
    marked P and K, the late student named."""
    from vn_online_teaching.demo.load import load_lessons  # noqa: PLC0415

    load_lessons()
    teacher = browse(fresh_workbench.scenario_id(ATTENDANCE), "gv_lan")
    page = teacher.page
    response = page.goto(logbook_url(teacher, "2025-09-10"))
    assert response.ok and response.headers["content-type"].startswith("text/html")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("h1")).to_have_text(vi("Class logbook"))
    week = vi("Week from {start} to {end}", start="08/09/2025", end="14/09/2025")
    expect(page.locator("p.sub")).to_contain_text(week)
    # one line per lesson of the class that week, whichever block planned it
    planned = Lesson.objects.filter(class_name="10A1", date__range=(FIXTURE_DAY, FIXTURE_DAY + dt.timedelta(days=6)))
    assert planned.count() >= 3
    lines = page.locator("table tbody tr", has=page.locator("td.n", has_text=re.compile(r"^\d+/\d+$")))
    expect(lines).to_have_count(planned.count())
    for i in range(planned.count()):
        expect(lines.nth(i).locator("td.n").nth(1)).to_have_text(re.compile(r"^\d/6$"))
    first = page.locator("table tbody tr", has_text="Phương trình bậc hai (tiết 1)").first
    expect(first.locator("td.n").nth(1)).to_have_text("4/6")
    expect(first.locator("td.abs")).to_contain_text("Phạm Minh Đức (K)")
    expect(first.locator("td.abs")).to_contain_text("Đặng Quốc Huy (P)")
    expect(first.locator("td.abs")).to_contain_text(f"{vi('Late')}: Lê Hoàng Châu")
    expect(page.locator("tbody td.day")).to_have_count(6)  # Monday to Saturday, empty days too
    teacher.screenshot("week")
    teacher.assert_fits()
    assert_no_js_errors(teacher)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_logbook_entry_confirmed(browse, fresh_workbench, viewport):
    """In the roll call panel, gv_lan writes the logbook line of the Zoom lesson and confirms it:
    the summary shows the confirmation, a reload keeps it, and the printed week carries it."""
    from vn_online_teaching.demo.load import load_lessons  # noqa: PLC0415

    usage = fresh_workbench.usage_id(ATTENDANCE)
    load_lessons()
    lesson = lesson_of(usage, FIXTURE_DAY, 1)
    content = "Định nghĩa phương trình bậc hai; công thức nghiệm; bài tập 1–4 (SGK trang 58)."
    remarks = "Lớp sôi nổi; Châu vào muộn 11 phút."

    teacher = browse(fresh_workbench.scenario_id(ATTENDANCE), "gv_lan", viewport)
    page = teacher.page
    open_roll(teacher, lesson.pk)
    entry = page.locator("details.vnot-att-logbook")
    entry.locator("summary").click()
    expect(entry).to_have_attribute("open", "")
    state = entry.locator(".vnot-att-logbook-state")
    expect(state).to_have_text("")
    entry.locator("textarea[name=lb_content]").fill(content)
    entry.locator("textarea[name=lb_remarks]").fill(remarks)
    entry.locator("select[name=lb_rating]").select_option("A")
    teacher.screenshot("1-typed")
    teacher.assert_fits()

    confirm = entry.locator("button[data-act=lb-confirm]")
    expect(confirm).to_have_text(vi("Confirm the entry"))
    with page.expect_response(handler_response("logbook_entry")) as answer:
        confirm.click()
    assert answer.value.status == 200, answer.value.text()
    assert json.loads(answer.value.text())["confirmed"] is True
    expect(entry.locator(".vnot-att-logbook-msg")).to_have_text(vi("Saved."))
    saved = LogbookEntry.objects.get(lesson=lesson)
    assert (saved.content, saved.remarks, saved.rating, saved.confirmed_by) == (content, remarks, "A", "gv_lan")
    assert saved.confirmed_at is not None
    expect(state).to_have_text(re.compile(rf"^✓ {re.escape(saved.confirmed_by_name)} · \d\d/\d\d/\d{{4}} \d\d:\d\d$"))
    teacher.screenshot("2-confirmed")
    teacher.assert_fits()

    page.reload()
    open_roll(teacher, lesson.pk)
    entry.locator("summary").click()
    expect(entry.locator("textarea[name=lb_content]")).to_have_value(content)
    expect(state).to_contain_text(f"✓ {saved.confirmed_by_name}")

    response = page.goto(logbook_url(teacher, FIXTURE_DAY.isoformat()))
    assert response.ok
    line = page.locator("table tbody tr", has_text=content)
    expect(line).to_have_count(1)
    expect(line).to_contain_text("Phương trình bậc hai (tiết 1)")
    expect(line).to_contain_text(remarks)
    expect(line).to_contain_text(saved.confirmed_by_name)
    expect(line).not_to_contain_text(vi("Not confirmed"))
    teacher.screenshot("3-printed")
    teacher.assert_fits()
    assert_no_js_errors(teacher)


def test_logbook_draft_survives_a_reload(browse, fresh_workbench):
    """What gv_lan types in the logbook line stays on the device (under the lesson's own key)
    when the page is reloaded before saving, and is dropped from the device once saved."""
    usage = fresh_workbench.usage_id(ATTENDANCE)
    lesson_id = plan(usage)
    draft = "Ôn tập chương I; kiểm tra 15 phút."
    teacher = browse(fresh_workbench.scenario_id(ATTENDANCE), "gv_lan", "phone")
    page = teacher.page
    open_roll(teacher, lesson_id)
    entry = page.locator("details.vnot-att-logbook")
    entry.locator("summary").click()
    entry.locator("textarea[name=lb_content]").fill(draft)
    key = f"vnot-logbook-{lesson_id}-content"
    assert page.evaluate("k => localStorage.getItem(k)", key) == draft

    page.reload()
    open_roll(teacher, lesson_id)
    entry.locator("summary").click()
    expect(entry.locator("textarea[name=lb_content]")).to_have_value(draft)
    assert not LogbookEntry.objects.filter(lesson_id=lesson_id).exists()
    teacher.screenshot("kept")
    teacher.assert_fits()

    with page.expect_response(handler_response("logbook_entry")) as answer:
        entry.locator("button[data-act=lb-save]").click()
    assert answer.value.status == 200, answer.value.text()
    expect(entry.locator(".vnot-att-logbook-msg")).to_have_text(vi("Saved."))
    assert LogbookEntry.objects.get(lesson_id=lesson_id).content == draft
    assert page.evaluate("k => localStorage.getItem(k)", key) is None
    assert_no_js_errors(teacher)


def test_report_refused_as_too_large_by_a_proxy(browse, fresh_workbench):
    """A proxy in front of the platform answers 413 with its own HTML page: the teacher still
    reads that the file is too large, and nothing is marked."""
    usage = fresh_workbench.usage_id(ATTENDANCE)
    lesson_id = plan(usage)
    teacher = browse(fresh_workbench.scenario_id(ATTENDANCE), "gv_lan")
    page = teacher.page
    page.route("**/import_report/**", lambda route: route.fulfill(
        status=413, content_type="text/html", body="<html><body><h1>413 Request Entity Too Large</h1></body></html>"))
    open_roll(teacher, lesson_id)
    panel = page.locator("details.vnot-att-import")
    panel.locator("summary").click()
    panel.locator("input[name=report]").set_input_files(str(FIXTURES / "zoom-participants.csv"))
    panel.locator("button[data-act=upload]").click()
    msg = panel.locator(".vnot-att-import-msg")
    expect(msg).to_have_text(vi("The file is too large to upload."))
    expect(msg).to_have_class(re.compile(r"\bvnot-error\b"))
    expect(panel.locator(".vnot-att-preview")).to_be_hidden()
    assert not Mark.objects.filter(lesson_id=lesson_id).exists()
    assert_no_js_errors(teacher)


# ------------------------------------------------------------------------- cancel and restore


def test_cancel_and_restore_a_lesson_on_a_phone(browse, fresh_workbench):
    """gv_lan cancels today's lesson by mistake from the list (the reason asked in a prompt),
    sees it struck through with the reason, then restores it: the lesson counts again."""
    usage = fresh_workbench.usage_id(ATTENDANCE)
    lesson = plan_now(usage)
    teacher = browse(fresh_workbench.scenario_id(ATTENDANCE), "gv_lan", "phone")
    page = teacher.page
    settle(teacher)
    answers = iter(["Nhầm ngày", "Vẫn học theo lịch"])
    prompts = []

    def answer(dialog):
        prompts.append(dialog.message)
        dialog.accept(next(answers))

    page.on("dialog", answer)
    item = page.locator(f".vnot-att-lessons li.vnot-att-item[data-lesson='{lesson}']")
    with page.expect_response(handler_response("lesson_cancel")) as cancelled:
        item.locator("button[data-act=cancel]").click()
    assert cancelled.value.status == 200, cancelled.value.text()
    page.wait_for_load_state("networkidle")
    item = page.locator(f".vnot-att-lessons li.vnot-att-item[data-lesson='{lesson}']")
    expect(item).to_have_class(re.compile(r"\bvnot-att-cancelled\b"))
    expect(item.locator(".vnot-att-reason")).to_contain_text("Nhầm ngày")
    expect(item.locator("button[data-act=edit]")).to_have_count(0)
    restore = item.locator("button[data-act=restore]")
    expect(restore).to_have_text(vi("Restore the lesson"))
    teacher.screenshot("1-cancelled")
    teacher.assert_fits()

    with page.expect_response(handler_response("lesson_restore")) as restored:
        restore.click()
    assert restored.value.status == 200, restored.value.text()
    page.wait_for_load_state("networkidle")
    item = page.locator(f".vnot-att-lessons li.vnot-att-item[data-lesson='{lesson}']")
    expect(item).not_to_have_class(re.compile(r"\bvnot-att-cancelled\b"))
    expect(item.locator("button[data-act=cancel]")).to_have_count(1)
    assert prompts == [vi("Why is the lesson cancelled?"), vi("Why does the lesson take place after all?")]
    assert Lesson.objects.get(pk=lesson).cancelled_at is None
    teacher.screenshot("2-restored")
    teacher.assert_fits()
    assert_no_js_errors(teacher)


def test_the_code_switched_off_for_one_lesson_on_a_phone(browse, fresh_workbench):
    """In the block that asks for the code, gv_lan opens the lesson running now in the planning
    form (the code box ticked, as the block's setting), unticks it and saves: the lesson list no
    longer says "Check-in code", and hs_binh's check-in form asks for no code."""
    usage = fresh_workbench.usage_id(CODED)
    lesson = plan_now(usage)
    assert Lesson.objects.get(pk=lesson).require_code
    teacher = browse(fresh_workbench.scenario_id(CODED), "gv_lan", "phone")
    page = teacher.page
    settle(teacher)
    item = page.locator(f".vnot-att-lessons li.vnot-att-item[data-lesson='{lesson}']")
    expect(item.locator(".vnot-att-what")).to_contain_text(vi("Check-in code"))
    item.locator("button[data-act=edit]").click()
    form = page.locator(".vnot-att-lesson-form")
    box = form.locator("input[name=require_code]")
    expect(box).to_be_checked()
    box.uncheck()
    teacher.screenshot("1-code-unticked")
    teacher.assert_fits()
    with page.expect_response(handler_response("lesson_save")) as saved:
        form.locator("button[type=submit]").click()
    assert saved.value.status == 200, saved.value.text()
    page.wait_for_load_state("networkidle")
    item = page.locator(f".vnot-att-lessons li.vnot-att-item[data-lesson='{lesson}']")
    expect(item.locator(".vnot-att-what")).not_to_contain_text(vi("Check-in code"))
    assert not Lesson.objects.get(pk=lesson).require_code

    student = browse(fresh_workbench.scenario_id(CODED), "hs_binh", "phone")
    checkin = student.page.locator(".vnot-att-checkin")
    expect(checkin).to_have_count(1)
    expect(checkin.locator("input[name=code]")).to_have_count(0)
    student.screenshot("2-no-code-asked")
    assert_no_js_errors(teacher, student)


# ------------------------------------------------------------------------------ class report


def test_class_report_page_on_a_phone(browse, fresh_workbench, settings):
    """The principal opens "View" of the attendance this school year on a phone: the students
    over the threshold (0 here, so that today's absences show) come first, then every student."""
    usage = fresh_workbench.usage_id(ATTENDANCE)
    lesson = plan_now(usage)
    marks = [{"user": "hs_binh", "status": "excused", "remark": "Ốm"}, {"user": "hs_duc", "status": "unexcused"},
             {"user": "hs_anh", "status": "present"}]
    assert call(usage, "gv_lan", "mark", {"lesson": lesson, "marks": marks})[0] == 200
    settings.VN_ONLINE_TEACHING = dict(settings.VN_ONLINE_TEACHING, PROMOTION_ABSENT_SESSIONS=0)

    principal = browse(fresh_workbench.scenario_id(ATTENDANCE), "ht_hung", "phone")
    page = principal.page
    link = page.locator(".vnot-att-records a", has_text=vi("View"))
    expect(link).to_have_count(1)
    response = page.goto(urljoin(page.url, link.get_attribute("href")))
    assert response.ok and response.headers["content-type"].startswith("text/html")
    expect(page.locator("h1")).to_contain_text(vi("Attendance this school year"))
    over = page.locator("ul.watch li.over")
    expect(over).to_have_count(2)
    expect(over.first).to_contain_text("Trần Văn Bình")  # the same absences: by name
    expect(over.nth(1)).to_contain_text("Phạm Minh Đức")
    expect(page.locator("ul.watch li.near").first).to_contain_text(
        vi("at the threshold: one more absent session goes over it"))
    expect(page.locator("table tbody tr")).to_have_count(len(STUDENTS))
    expect(page.locator("table tbody tr.over")).to_have_count(2)
    expect(page.locator("tfoot td").first).to_have_text(vi("Whole class"))
    principal.screenshot("report")
    principal.assert_fits()
    assert_no_js_errors(principal)
