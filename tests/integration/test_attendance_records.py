"""The class logbook (sổ đầu bài) and the attendance reports through the block's handlers: what the
printed week shows, who may write and confirm a line, audited edits after confirmation, the class
report and its exports, and who may read them."""
import csv
import io

import pytest
from freezegun import freeze_time

from helpers import block_as, call, scenario_usage
from test_attendance_flow import local, plan
from vn_online_teaching.attendance.models import LogbookEntry, Mark
from vn_online_teaching.core.audit import verify
from vn_online_teaching.core.models import AuditEntry, Learner

XSS = "<script>alert(1)</script>"


@pytest.fixture
def usage(workbench):
    return scenario_usage("Điểm danh: Toán 10A1")


@pytest.fixture
def marked(usage):
    """Two lessons on Monday 8 Sep 2025 (periods 1 and 2), marked by the teacher."""
    first = plan(usage)
    second = plan(usage, period=2, start="08:20", title="Bài 4. Dấu của tam thức bậc hai", syllabus_no="13")
    marks = [{"user": "hs_anh", "status": "present"}, {"user": "hs_binh", "status": "excused", "remark": "Ốm"},
             {"user": "hs_chau", "status": "unexcused"}, {"user": "hs_duc", "status": "late"}]
    for lesson in (first, second):
        status, body = call(usage, "gv_lan", "mark", {"lesson": lesson, "marks": marks})
        assert status == 200, body
    return first, second


def logbook_page(usage, user, week="2025-09-10"):
    return call(usage, user, "logbook", method="GET", query=f"week={week}")


def test_the_printed_week_has_the_headcount_and_the_absentees(usage, marked):
    status, html = logbook_page(usage, "gv_lan")
    assert status == 200
    page = html.decode("utf-8")
    assert "Bài 3. Phương trình bậc hai" in page and "(12)" in page
    assert "2/6" in page  # present + late, of the six learners of 10A1
    assert "(P)" in page and "(K)" in page
    assert "@page" in page and "A4 landscape" in page
    # the audit chain's check value at printing time, to keep with the signed book
    from vn_online_teaching.core import audit

    assert audit.anchor() and f"Mã kiểm chứng nhật ký hệ thống: {audit.anchor()}" in page
    assert page.count("<tr") >= 1 + 6  # header and the six school days


def test_a_line_is_written_confirmed_and_later_edits_are_audited(usage, marked):
    first, _second = marked
    status, body = call(usage, "gv_lan", "logbook_entry", {"lesson": first, "content": "Công thức nghiệm",
                                                            "rating": "A"})
    assert status == 200 and body["confirmed"] is False
    status, body = call(usage, "gv_lan", "logbook_entry", {"lesson": first, "content": "Công thức nghiệm",
                                                            "rating": "A", "confirm": True})
    assert status == 200 and body["confirmed"] and body["confirmed_by"] == "Nguyễn Thị Lan"
    status, body = call(usage, "gv_lan", "logbook_entry", {"lesson": first, "content": "Công thức nghiệm Δ",
                                                            "rating": "A"})
    assert status == 200 and body["confirmed"]
    actions = list(AuditEntry.objects.filter(action__startswith="attendance.logbook")
                   .order_by("seq").values_list("action", flat=True))
    assert actions == ["attendance.logbook_edit", "attendance.logbook_confirm", "attendance.logbook_edit_confirmed"]
    last = AuditEntry.objects.filter(action="attendance.logbook_edit_confirmed").get()
    assert last.data["before"]["content"] == "Công thức nghiệm" and last.data["after"]["content"] == "Công thức nghiệm Δ"
    assert verify().ok
    _s, html = logbook_page(usage, "ht_hung")
    assert "Công thức nghiệm Δ" in html.decode("utf-8") and "Nguyễn Thị Lan" in html.decode("utf-8")


def test_confirming_needs_the_content_and_bad_input_changes_nothing(usage, marked):
    first, _second = marked
    assert call(usage, "gv_lan", "logbook_entry", {"lesson": first, "confirm": True})[0] == 400
    assert call(usage, "gv_lan", "logbook_entry", {"lesson": first, "rating": "Z"})[0] == 400
    assert call(usage, "gv_lan", "logbook_entry", {"lesson": first, "content": 5})[0] == 400
    assert not LogbookEntry.objects.exists()


def test_every_stored_logbook_change_is_audited(usage, marked):
    """Saving a line that changes nothing (an empty line for a lesson that has none, the same text
    again) stores nothing; every save that stores something writes its audit entry."""
    first, _second = marked

    def state():
        return (list(LogbookEntry.objects.values_list("lesson_id", "content", "remarks", "rating", "confirmed_at")),
                AuditEntry.objects.filter(action__startswith="attendance.logbook").count())

    steps = [{}, {"content": "", "remarks": "", "rating": ""}, {"rating": "B"}, {"rating": "B"},
             {"content": "Luyện tập", "rating": "B"}, {"content": "Luyện tập", "rating": "B", "confirm": True},
             {"content": "Luyện tập", "rating": "B", "confirm": True}, {"content": "", "rating": ""}]
    for data in steps:
        (entries, audited) = state()
        status, body = call(usage, "gv_lan", "logbook_entry", dict(data, lesson=first))
        assert status == 200, (data, body)
        (entries_after, audited_after) = state()
        assert audited_after == audited + (entries_after != entries), data
    assert state()[1] == 4  # the rating, the content, the signing, the correction after it


@pytest.mark.parametrize("user", ["hs_anh", "gv_nam", "tt_hoa", "ht_hung", "vt_thu", None])
def test_only_the_subject_teacher_writes_the_line(usage, marked, user):
    first, _second = marked
    before = AuditEntry.objects.count()
    status, _body = call(usage, user, "logbook_entry", {"lesson": first, "content": "x", "confirm": True})
    assert status == 403
    assert not LogbookEntry.objects.exists() and AuditEntry.objects.count() == before


@pytest.mark.parametrize("user", ["hs_anh", None])
def test_students_read_no_logbook_and_no_report(usage, marked, user):
    assert logbook_page(usage, user)[0] == 403
    assert call(usage, user, "class_report", method="GET")[0] == 403
    assert call(usage, user, "class_report", method="GET", suffix="xlsx")[0] == 403
    assert call(usage, user, "logbook_read", {"lesson": marked[0]})[0] == 403


@pytest.mark.parametrize("user", ["gv_nam", "tt_hoa"])
def test_staff_of_another_subject_read_no_class_pages_through_this_block(usage, marked, user):
    """The Literature teacher and head read the class's logbook and report through a Literature
    block of the class, not through the Mathematics one (rolls are personal data)."""
    assert logbook_page(usage, user)[0] == 403
    assert call(usage, user, "class_report", method="GET")[0] == 403
    assert call(usage, user, "logbook_read", {"lesson": marked[0]})[0] == 403
    assert logbook_page(usage, "tt_minh")[0] == 200  # the head of Mathematics does


def test_a_homeroom_teacher_reads_their_own_class_only(usage, marked):
    """The homeroom teacher of 10A1 reads its rolls, logbook and report; the homeroom teacher of
    10A2 gets none of them (the learners' personal data stay with their own class's staff)."""
    from vn_online_teaching.core.models import RoleAssignment
    from vn_online_teaching.demo.people import ORG

    RoleAssignment.objects.create(org=ORG, user_key="cn_10a1", username="cn_10a1", role="homeroom", subject="10A1")
    RoleAssignment.objects.create(org=ORG, user_key="cn_10a2", username="cn_10a2", role="homeroom", subject="10A2")
    for user, expected in (("cn_10a1", 200), ("cn_10a2", 403)):
        assert logbook_page(usage, user)[0] == expected, user
        assert call(usage, user, "class_report", method="GET")[0] == expected, user
        assert call(usage, user, "roll_call", {"lesson": marked[0]})[0] == expected, user
        assert call(usage, user, "history", {"lesson": marked[0], "user": "hs_binh"})[0] == expected, user
        assert call(usage, user, "mark", {"lesson": marked[0], "marks": [{"user": "hs_anh", "status": "late"}]})[0] == 403


def test_user_text_in_the_logbook_is_escaped(usage, marked):
    first, _second = marked
    assert call(usage, "gv_lan", "logbook_entry", {"lesson": first, "content": XSS, "remarks": XSS})[0] == 200
    page = logbook_page(usage, "gv_lan")[1].decode("utf-8")
    assert XSS not in page and "&lt;script&gt;" in page


@freeze_time(local(17, 0, day=12))
def test_class_report_counts_periods_and_sessions(usage, marked):
    status, data = call(usage, "vt_thu", "class_report", method="GET")
    assert status == 200
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    header, lines = rows[0], {r[1]: r for r in rows[1:]}
    assert len(lines) == 6 and all(len(r) == len(header) for r in rows)
    binh = next(r for name, r in lines.items() if "Bình" in name)
    chau = next(r for name, r in lines.items() if "Châu" in name)
    assert binh[0].isdigit() and len(binh[0]) >= 10  # the sector ID
    # Both morning periods missed: 2 absent periods and 1 absent session.
    assert binh[5:7] == ["2", "0"] and binh[8:11] == ["1", "0", "1"]
    assert chau[6] == "2" and chau[9] == "1"
    status, xlsx = call(usage, "ht_hung", "class_report", method="GET", suffix="xlsx")
    assert status == 200 and xlsx[:2] == b"PK"


@freeze_time(local(17, 0, day=12))
def test_class_report_page_puts_the_students_to_watch_first(usage, marked, settings):
    """The page to read: the students over the threshold (Bình and Châu missed the whole morning,
    over a threshold of 0 sessions) listed first, every student's line with the export's figures,
    the class totals; learners' names escaped."""
    from vn_online_teaching.core.models import Learner
    from vn_online_teaching.demo.people import ORG

    Learner.objects.create(org=ORG, sector_id="7926019900001", full_name=XSS, class_name="10A1",
                           email="x@example.vn", username="hs_x", user_key="hs_x")
    settings.VN_ONLINE_TEACHING = dict(settings.VN_ONLINE_TEACHING, PROMOTION_ABSENT_SESSIONS=0)
    status, page = call(usage, "ht_hung", "class_report", method="GET", suffix="html")
    assert status == 200
    html = page.decode("utf-8")
    watch = html.split('<ul class="watch">')[1].split("</ul>")[0]
    over = [item for item in watch.split("<li")[1:] if item.startswith(' class="over"')]
    assert len(over) == 2 and all(("Bình" in item) != ("Châu" in item) for item in over)
    assert "Cả lớp" in html and "Tất cả học sinh (7)" in html  # the page is in Vietnamese
    assert XSS not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    binh = next(row for row in body.split("<tr")[1:] if "Bình" in row)
    cells = [c.split("</td>")[0] for c in binh.split('<td class="n">')[1:]]
    assert cells[2:8] == ["2", "0", "0", "1", "0", "1"]  # excused 2 periods, 1 session
    assert call(usage, "hs_anh", "class_report", method="GET", suffix="html")[0] == 403


@freeze_time(local(17, 0, day=12))
def test_a_student_sees_their_own_school_year(usage, marked, settings):
    """Under the lessons, a student reads their own year (every subject of the class): absent
    sessions against the threshold and periods per status, with a word to see the homeroom
    teacher when close to it or over it; nothing of anyone else."""
    settings.VN_ONLINE_TEACHING = dict(settings.VN_ONLINE_TEACHING, PROMOTION_ABSENT_SESSIONS=6)  # close: 5 sessions left or fewer

    def year_of(user):
        html = block_as(usage, user).render("student_view", {}).content
        assert html.count('class="vnot-att-year"') == 1, user
        return html.split('class="vnot-att-year"')[1].split("</section>")[0]

    binh = year_of("hs_binh")  # both morning periods excused: one session, two periods
    assert "Số buổi nghỉ: 1" in binh and "không quá 6 buổi" in binh
    assert "Vắng có phép 2" in binh and "Vắng không phép 0" in binh and "Có mặt 0" in binh
    assert "gần tới số buổi tối đa" in binh and "vnot-warning" not in binh
    anh = year_of("hs_anh")
    assert "Số buổi nghỉ: 0" in anh and "Có mặt 2" in anh and "vnot-note" not in anh
    settings.VN_ONLINE_TEACHING = dict(settings.VN_ONLINE_TEACHING, PROMOTION_ABSENT_SESSIONS=0)
    assert "nghỉ quá số buổi" in year_of("hs_chau")
    page = block_as(usage, "hs_binh").render("student_view", {}).content
    assert "Châu" not in page and "Đức" not in page  # no other learner's name
    # someone not on the roster gets no year at all
    assert "vnot-att-year" not in block_as(usage, "student_1").render("student_view", {}).content


class FakeCompletion:
    """edx-completion's ``CompletionService`` as the LMS hands it to a block (openedx/completion,
    completion/services.py): recording while the switch is off raises RuntimeError, as
    ``BlockCompletionManager.submit_completion`` does (completion/models.py)."""

    def __init__(self):
        self.enabled, self.calls = True, []

    def completion_tracking_enabled(self):
        return self.enabled

    def _recording(self):
        if not self.enabled:
            raise RuntimeError("BlockCompletion.objects.submit_completion should not be called when the feature "
                               "is disabled.")

    def submit_group_completion(self, block_key, completion, users=None, user_ids=None):
        self._recording()
        self.calls.append(("group", str(block_key), completion, sorted(u.pk for u in users or []), user_ids))

    def submit_completion(self, block_key, completion):
        self._recording()
        self.calls.append(("own", str(block_key), completion))


@pytest.fixture
def completion(monkeypatch):
    """The workbench runtime with a completion service, for the blocks that declare they want it."""
    from workbench.runtime import WorkbenchRuntime

    fake, original = FakeCompletion(), WorkbenchRuntime.service

    def service(self, block, name):
        found = original(self, block, name)  # refuses a service the block did not declare
        return fake if name == "completion" else found

    monkeypatch.setattr(WorkbenchRuntime, "service", service)
    return fake


def with_accounts(*usernames):
    """Demo learners with platform accounts: their user key becomes the account's id, as in the LMS."""
    from django.contrib.auth import get_user_model

    keys = {}
    for username in usernames:
        user = get_user_model().objects.create(username=username)
        Learner.objects.filter(username=username).update(user_key=str(user.pk))
        keys[username] = user.pk
    return keys


def test_a_roll_call_completes_its_attendees_in_one_call(usage, completion):
    """Present and late complete the block for those learners, in one call to the service per save;
    absence does not."""
    ids = with_accounts("hs_anh", "hs_binh", "hs_chau", "hs_duc")
    lesson = plan(usage)
    status, body = call(usage, "gv_lan", "mark", {"lesson": lesson, "marks": [
        {"user": str(ids["hs_anh"]), "status": "present"}, {"user": str(ids["hs_binh"]), "status": "unexcused"},
        {"user": str(ids["hs_duc"]), "status": "late"}]})
    assert status == 200, body
    assert completion.calls == [("group", str(usage), 1.0, sorted([ids["hs_anh"], ids["hs_duc"]]), None)]
    assert call(usage, "gv_lan", "mark_unmarked", {"lesson": lesson, "status": "present"})[0] == 200
    assert len(completion.calls) == 2  # the unmarked Châu is now present too
    assert completion.calls[1][3] == sorted([ids["hs_anh"], ids["hs_chau"], ids["hs_duc"]])


def test_a_check_in_completes_the_block_for_the_student(usage, completion, monkeypatch):
    """XBlock's completion event, which the LMS hands to the completion service of the student's
    request; only while the service is there and tracking."""
    from test_attendance_flow import check_in
    from workbench.runtime import WorkbenchRuntime

    published = []
    monkeypatch.setattr(WorkbenchRuntime, "publish", lambda self, block, event_type, data=None: published.append(
        (block.runtime.user_id, event_type, data)))
    with freeze_time(local(7, 31)):
        lesson = plan(usage, date="2025-09-08", period=1, start="07:30")
        status, body = check_in(usage, "hs_chau", lesson)
        assert status == 200 and body["status"] == "present"
        completion.enabled = False
        assert check_in(usage, "hs_anh", lesson)[0] == 200
    assert published == [("hs_chau", "completion", {"completion": 1.0})]


def test_a_roll_is_saved_and_answered_when_completion_tracking_is_off(usage, completion):
    from test_attendance_flow import check_in

    completion.enabled = False
    ids = with_accounts("hs_anh")
    lesson = plan(usage)
    assert call(usage, "gv_lan", "mark", {"lesson": lesson, "marks": [
        {"user": str(ids["hs_anh"]), "status": "present"}]}) == (200, {"changed": 1})
    assert Mark.objects.get(lesson_id=lesson, user_key=str(ids["hs_anh"])).status == "present"
    with freeze_time(local(7, 31)):
        later = plan(usage, date="2025-09-08", period=1, start="07:30")
        assert check_in(usage, "hs_chau", later)[0] == 200
    assert completion.calls == []


def test_without_a_completion_service_nothing_is_recorded(usage):
    """The workbench and Studio have no completion service; the LMS none for an anonymous user."""
    from vn_online_teaching import compat

    lesson = plan(usage)
    marked = {"lesson": lesson, "marks": [{"user": "hs_anh", "status": "present"}]}
    assert call(usage, "gv_lan", "mark", marked)[0] == 200
    block = block_as(usage, "gv_lan")
    assert compat.completion_service(block) is None
    assert compat.complete_for_learners(block, ["hs_anh"]) == 0 and compat.complete_for_current_user(block) is False


def test_only_existing_accounts_are_submitted(usage, completion):
    """The service refuses a whole group when one id has no account (User.DoesNotExist): ids
    without an account and keys that are not ids are left out."""
    from vn_online_teaching import compat

    ids = with_accounts("hs_anh")
    block = block_as(usage, "gv_lan")
    assert compat.complete_for_learners(block, ["hs_binh", str(ids["hs_anh"]), "987654321", str(ids["hs_anh"])]) == 1
    assert compat.complete_for_learners(block, ["987654321", "hs_binh", "²", "9" * 25]) == 0
    assert completion.calls == [("group", str(usage), 1.0, [ids["hs_anh"]], None)]


def test_the_block_completes_by_attendance_never_on_view():
    """The LMS marks on view only blocks that are completable, without custom completion and
    without a score (openedx/completion, completion/services.py, can_mark_block_complete_on_view)."""
    from xblock.completable import XBlockCompletionMode

    from vn_online_teaching.attendance.block import SessionAttendanceBlock

    assert XBlockCompletionMode.get_mode(SessionAttendanceBlock) == XBlockCompletionMode.COMPLETABLE
    assert SessionAttendanceBlock.has_custom_completion is True
    assert SessionAttendanceBlock.service_declaration("completion") == "want"
