"""Completion of the online-lessons block in the LMS, with edx-completion's own service and models.

Platform sources:
- openedx/completion, completion/services.py: ``CompletionService`` (``completion_tracking_enabled``,
  ``submit_group_completion`` which raises ``User.DoesNotExist`` for an id without an account,
  ``submit_completion``, ``can_mark_block_complete_on_view``, ``blocks_to_mark_complete_on_view``,
  ``get_completable_children``); completion/models.py: ``BlockCompletionManager.submit_completion``
  raises RuntimeError while the switch ``completion.enable_completion_tracking``
  (completion/waffle.py) is off;
- openedx-platform, lms/djangoapps/courseware/block_render.py: ``prepare_runtime_for_user`` (the
  'completion' service is the request user's, None for an anonymous one) and
  ``_invoke_xblock_handler`` (an exception in a handler is the 500 the teacher sees, after the
  roll was saved);
- openedx-platform, xmodule/vertical_block.py: ``_student_or_public_view`` marks on view the
  children that ``blocks_to_mark_complete_on_view`` returns; xmodule/services.py:
  ``EventPublishingService.publish`` drops completion while viewing as a specific learner;
- openedx/XBlock, xblock/completable.py: ``XBlockCompletionMode.get_mode``.
"""
import csv
import datetime as dt
import types
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from completion.models import BlockCompletion
from completion.services import CompletionService
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time
from xblock.completable import XBlockCompletionMode

from runtime import make_user
from vn_online_teaching.attendance.models import Mark
from vn_online_teaching.core.models import Learner

ICT = ZoneInfo("Asia/Ho_Chi_Minh")
LESSON = {"date": "2025-09-08", "period": 1, "start": "07:30", "platform": "zoom", "mode": "online",
          "title": "Bài 3. Phương trình bậc hai", "syllabus_no": "12"}
REPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "meeting-reports"
DURING_THE_LESSON = dt.datetime(2025, 9, 8, 7, 31, tzinfo=ICT)


def roster():
    """The six learners of 10A1 (tests/fixtures/meeting-reports/roster-10A1.csv)."""
    with (REPORTS / "roster-10A1.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture
def klass(course):
    """Toán 10A1: its teacher (course staff), the six learners of the class on the roster with
    accounts (their user key is the account's id, as the LMS gives it), one lesson on Monday
    8 Sep 2025 at 07:30."""
    teacher = make_user("gv_lan", full_name="Lan Hoàng")
    course.grant(teacher, "staff")
    learners = {}
    for row in roster():
        learners[row["username"]] = make_user(row["username"], full_name=row["full_name"], email=row["email"])
        Learner.objects.create(org=course.key.org, user_key=str(learners[row["username"]].id), **row)
    usage = course.add("session_attendance", display_name="Toán 10A1", class_name="10A1", subject="Toán")
    status, body = course.lms(teacher).call(usage, "lesson_save", LESSON)
    assert status == 200, body
    return types.SimpleNamespace(usage=usage, lesson=body["lesson"], teacher=teacher, learners=learners)


def marks(klass, **statuses):
    return {"lesson": klass.lesson, "marks": [{"user": str(klass.learners[name].id), "status": status}
                                              for name, status in statuses.items()]}


def completed(klass):
    """Who has the block complete, by username."""
    return {c.user.username: c.completion for c in BlockCompletion.objects.filter(block_key=klass.usage)}


@pytest.fixture
def group_calls(monkeypatch):
    """The learners of each call to the service's ``submit_group_completion`` (which still runs)."""
    calls, original = [], CompletionService.submit_group_completion

    def spy(self, block_key, completion, users=None, user_ids=None):
        calls.append(sorted(u.username for u in users or []) + sorted(map(str, user_ids or [])))
        return original(self, block_key, completion, users=users, user_ids=user_ids)

    monkeypatch.setattr(CompletionService, "submit_group_completion", spy)
    return calls


def test_a_roll_call_is_saved_and_answered_while_completion_tracking_is_off(course, klass, completion_off):
    """With the switch off, edx-completion refuses to record (RuntimeError): the teacher's roll is
    saved and answered as usual, with no completion."""
    lms = course.lms(klass.teacher)
    assert lms.call(klass.usage, "mark", marks(klass, hs_anh="present", hs_binh="late")) == (200, {"changed": 2})
    assert lms.call(klass.usage, "mark_unmarked", {"lesson": klass.lesson, "status": "present"})[0] == 200
    assert set(Mark.objects.filter(lesson_id=klass.lesson).values_list("status", flat=True)) == {"present", "late"}
    assert completed(klass) == {}


def test_a_roll_call_completes_its_attendees_in_one_call(course, klass, completion_on, group_calls):
    """Present and late complete the block for those learners (not for the teacher who saves, the
    service's own user); one call to the service and one read of the accounts per save, however
    many learners attended."""
    lms = course.lms(klass.teacher)
    with CaptureQueriesContext(connection) as queries:
        status, _body = lms.call(klass.usage, "mark", marks(klass, hs_anh="present", hs_binh="unexcused",
                                                            hs_chau="late", hs_duc="present"))
    assert status == 200
    assert completed(klass) == {"hs_anh": 1.0, "hs_chau": 1.0, "hs_duc": 1.0}
    assert group_calls == [["hs_anh", "hs_chau", "hs_duc"]]
    account_reads = [q["sql"] for q in queries.captured_queries
                     if q["sql"].lstrip().upper().startswith("SELECT") and '"auth_user"' in q["sql"]]
    assert len(account_reads) == 1, account_reads


def test_marking_the_unmarked_completes_too(course, klass, completion_on, group_calls):
    lms = course.lms(klass.teacher)
    assert lms.call(klass.usage, "mark", marks(klass, hs_anh="present", hs_binh="excused"))[0] == 200
    assert lms.call(klass.usage, "mark_unmarked", {"lesson": klass.lesson, "status": "late"})[0] == 200
    assert set(completed(klass)) == set(klass.learners) - {"hs_binh"}
    assert len(group_calls) == 2


def test_a_confirmed_meeting_report_completes_the_learners_it_marks_present_or_late(
        course, klass, completion_on, group_calls):
    """The report goes through the LMS's handler view (its file checks included); the preview
    marks nothing, the teacher's confirmation does."""
    lms = course.lms(klass.teacher)
    status, preview = lms.call(klass.usage, "import_report", data={"lesson": klass.lesson, "format": "auto"},
                               files={"file": ("zoom.csv", (REPORTS / "zoom-participants.csv").read_bytes())})
    assert status == 200, preview
    assert completed(klass) == {} and group_calls == []
    rows = [{"person": p["i"], "username": p["username"], "status": p["suggested"]}
            for p in preview["people"] if p["in_report"] and p["username"] and p["suggested"]]
    status, body = lms.call(klass.usage, "import_confirm", {"lesson": klass.lesson, "report": preview["report"],
                                                            "rows": rows})
    assert status == 200, body
    attended = {Learner.objects.get(user_key=m.user_key).username for m in Mark.objects.filter(
        lesson_id=klass.lesson, status__in=("present", "late"))}
    assert attended and set(completed(klass)) == attended
    assert len(group_calls) == 1


def test_a_learner_whose_account_is_gone_does_not_stop_the_others(course, klass, completion_on):
    """The service refuses a whole group when one id has no account (``User.DoesNotExist``)."""
    lms = course.lms(klass.teacher)
    assert lms.call(klass.usage, "mark", marks(klass, hs_anh="present", hs_binh="present"))[0] == 200
    klass.learners["hs_binh"].delete()
    BlockCompletion.objects.all().delete()
    assert lms.call(klass.usage, "mark", marks(klass, hs_anh="late"))[0] == 200
    assert completed(klass) == {"hs_anh": 1.0}


def test_a_check_in_completes_the_block_for_the_student(course, klass, completion_on):
    with freeze_time(DURING_THE_LESSON):
        status, body = course.lms(klass.learners["hs_anh"]).call(klass.usage, "check_in", {"lesson": klass.lesson})
    assert status == 200 and body["status"] == "present"
    assert completed(klass) == {"hs_anh": 1.0}


def test_a_check_in_while_tracking_is_off_records_no_completion(course, klass, completion_off):
    with freeze_time(DURING_THE_LESSON):
        status, body = course.lms(klass.learners["hs_anh"]).call(klass.usage, "check_in", {"lesson": klass.lesson})
    assert status == 200 and body["status"] == "present"
    assert completed(klass) == {}


def test_viewing_as_a_specific_learner_completes_nothing_for_them(course, klass, completion_on):
    """Staff acting as a learner (``setup_masquerade``): the LMS drops completion events."""
    with freeze_time(DURING_THE_LESSON):
        course.lms(klass.teacher, masquerade=klass.learners["hs_anh"]).call(
            klass.usage, "check_in", {"lesson": klass.lesson})
    assert completed(klass) == {}


def test_the_block_is_not_completed_by_viewing_it(course, klass, completion_on):
    """A unit marks on view only the children the service allows: completable, without custom
    completion and without a score. Attendance is completed by attending, and still counts in
    its unit's progress."""
    lms = course.lms(klass.learners["hs_anh"])
    block = lms.get_block(klass.usage)
    service = lms.service(block, "completion")
    assert XBlockCompletionMode.get_mode(block) == XBlockCompletionMode.COMPLETABLE
    assert service.can_mark_block_complete_on_view(block) is False
    assert service.blocks_to_mark_complete_on_view([block]) == []
    assert service.get_completable_children(block) == [block]
