"""Check-ins and roll calls at once, on real database connections (one per thread), as a class of
students pressing "check in" together against several LMS processes would. Runs on SQLite
(IMMEDIATE transactions) and on MariaDB (VNOT_DB=mariadb, row locks): every write to a lesson's
marks first locks the lesson's row, and the unique key (lesson, learner) backs it up.

The lessons are planned around the real clock (the window is open now) rather than under a
frozen clock, so that the threads' waits and timeouts keep working.
"""
import datetime as dt
import json

import pytest
from webob import Request

from helpers import block_as, call, errors_of, run_threads, scenario_usage
from vn_online_teaching.attendance import checkin, roll
from vn_online_teaching.attendance.models import CodeAttempt, Lesson, Mark, MarkChange
from vn_online_teaching.core import audit, clock
from vn_online_teaching.core.models import AuditHead

pytestmark = pytest.mark.django_db(transaction=True)

STUDENTS = ["hs_anh", "hs_binh", "hs_chau", "hs_duc", "hs_ha", "hs_huy"]




def check_in(usage, user, lesson, code=None):
    block = block_as(usage, user)
    data = {"lesson": lesson} if code is None else {"lesson": lesson, "code": code}
    request = Request.blank("/", method="POST", body=json.dumps(data).encode(), content_type="application/json",
                            remote_addr="10.0.0.7", headers={"User-Agent": "test"})
    response = block.runtime.handle(block, "check_in", request, "")
    return response.status_code, json.loads(response.body)


def lesson_now(usage, minutes_ago=2):
    """A lesson that started ``minutes_ago`` minutes ago (school time): check-in is open."""
    start = clock.to_school(clock.now() - dt.timedelta(minutes=minutes_ago)).replace(second=0, microsecond=0)
    status, body = call(usage, "gv_lan", "lesson_save", {
        "date": start.date().isoformat(), "period": 1, "start": start.strftime("%H:%M"), "platform": "meet",
        "mode": "online"})
    assert status == 200, body
    return body["lesson"]


def prepare(prefix):
    """Fresh workbench state and demo people, committed; the audit head as after migrating."""
    from workbench.runtime_util import reset_global_state

    from vn_online_teaching.demo.load import load_people

    reset_global_state()
    load_people()
    AuditHead.objects.get_or_create(pk=1, defaults={"seq": 0, "hash": audit.GENESIS})
    usage = scenario_usage(prefix)
    # The workbench's field store creates its rows lazily with no unique key, so first reads
    # racing in threads would duplicate them (an xblock-sdk limitation, not ours): read once.
    for user in ("hs_anh", "gv_lan"):
        block_as(usage, user).render("student_view", {})
    return usage


@pytest.fixture
def tx_usage(transactional_db):
    return prepare("Điểm danh: Toán 10A1")


@pytest.fixture
def tx_coded(transactional_db):
    return prepare("Điểm danh có mã")


def test_a_hundred_check_ins_at_once_make_one_mark_per_student(tx_usage):
    usage = tx_usage
    lesson = lesson_now(usage)
    users = [STUDENTS[i % len(STUDENTS)] for i in range(100)]
    results = run_threads(100, lambda i: check_in(usage, users[i], lesson))
    assert not errors_of(results), errors_of(results)[0]
    assert [status for (status, _body), _err in results] == [200] * 100
    firsts = [body for (_status, body), _err in results if not body["already"]]
    assert len(firsts) == len(STUDENTS)  # exactly one request per student made the record
    assert Mark.objects.filter(lesson_id=lesson).count() == len(STUDENTS)
    assert sorted(Mark.objects.filter(lesson_id=lesson).values_list("user_key", flat=True)) == sorted(STUDENTS)
    assert set(Mark.objects.filter(lesson_id=lesson).values_list("status", flat=True)) == {roll.PRESENT}
    assert not MarkChange.objects.exists()  # each new mark is its own check-in record
    assert {m.checked_in_status for m in Mark.objects.filter(lesson_id=lesson)} == {roll.PRESENT}
    result = audit.verify()
    assert result.ok, result


def test_check_ins_a_bulk_mark_and_teacher_marks_at_once(tx_usage):
    """Students check in while the teacher marks the rest absent and corrects one: each student
    ends with one mark, and every change is in its history and the audit chain."""
    usage = tx_usage
    lesson = lesson_now(usage)

    def work(i):
        if i < 30:
            return check_in(usage, STUDENTS[i % 4], lesson)  # four students check in, many times
        if i < 35:
            return call(usage, "gv_lan", "mark_unmarked", {"lesson": lesson, "status": "unexcused"})
        return call(usage, "gv_lan", "mark", {"lesson": lesson, "marks": [
            {"user": "hs_huy", "status": "excused", "remark": "Phụ huynh xin phép"}]})

    results = run_threads(40, work)
    assert not errors_of(results), errors_of(results)[0]
    assert all(status == 200 for (status, _body), _err in results)
    marks = {m.user_key: m for m in Mark.objects.filter(lesson_id=lesson)}
    assert sorted(marks) == sorted(STUDENTS)
    assert marks["hs_huy"].status in ("excused", "unexcused")  # whichever came last, both recorded
    for mark in marks.values():
        history = call(usage, "gv_lan", "history", {"lesson": lesson, "user": mark.user_key})[1]["history"]
        assert history and history[-1]["after"]["status"] == mark.status
        for earlier, later in zip(history, history[1:]):
            assert later["before"] == earlier["after"]  # no lost update between two writers
    assert audit.verify().ok


def test_wrong_codes_at_once_are_counted_exactly(tx_coded):
    """Twenty wrong codes of one student at once: exactly the allowed number is recorded, the
    rest are refused as rate-limited (the count and the insert happen under the lesson's lock)."""
    usage = tx_coded
    lesson = lesson_now(usage)
    record = Lesson.objects.get(pk=lesson)
    now = clock.now()
    near = {checkin.current_code(record, now + dt.timedelta(seconds=s))["code"] for s in (-60, -30, 0, 30, 60)}
    wrong = next(c for c in ("000000", "111111", "222222", "333333", "444444", "555555") if c not in near)
    results = run_threads(20, lambda _i: check_in(usage, "hs_anh", lesson, wrong))
    assert not errors_of(results), errors_of(results)[0]
    statuses = sorted(status for (status, _body), _err in results)
    assert statuses == [400] * 5 + [429] * 15, statuses
    assert CodeAttempt.objects.filter(lesson_id=lesson, user_key="hs_anh").count() == 5
    assert not Mark.objects.exists()
    assert audit.verify().ok
