"""The periodic test in the LMS and in Studio, through the platform's handler paths.

Platform sources (openedx-platform):
- lms/djangoapps/courseware/block_render.py: ``prepare_runtime_for_user`` (the 'user' service with
  the learner's id, the 'completion' service of the request's user) and ``_invoke_xblock_handler``
  (handlers through the LMS's handler URLs; a block the user may not load is a 404);
- lms/djangoapps/lms_xblock/runtime.py, ``handler_url`` (no "?" without a query);
- cms/djangoapps/contentstore/views/preview.py, ``preview_handler`` (login only: our ``lms_only``
  handlers refuse the sitting in Studio's preview) and ``_prepare_runtime_for_preview`` (no
  completion service there);
- xmodule/services.py, ``EventPublishingService.publish`` (a 'completion' event to the service of
  the request's user);
- openedx/completion, completion/models.py: ``BlockCompletionManager.submit_completion``
  (the periodic job records the completion of an attempt the clock ended with it).
The builders here (``sitting`` and its helpers) are shared with test_assessment_grades.py.
"""
import datetime as dt
import io
import types
from zoneinfo import ZoneInfo

import pytest
from completion.models import BlockCompletion
from django.core.management import call_command
from freezegun import freeze_time

from runtime import make_user
from vn_online_teaching.assessment import access_code
from vn_online_teaching.assessment.models import Attempt, Sitting
from vn_online_teaching.core.models import Learner

ICT = ZoneInfo("Asia/Ho_Chi_Minh")
CODE = "TOAN10"
STUDENTS = {"hs_anh": ("7926010001", "Nguyễn Thị Ánh"), "hs_binh": ("7926010002", "Trần Văn Bình")}
OPENS, CLOSES = "2025-10-20T07:30:00", "2025-10-20T09:30:00"  # school time (the block's settings)


def local(hour, minute):
    return dt.datetime(2025, 10, 20, hour, minute, tzinfo=ICT)


def bank():
    """Four multiple-choice questions, key B: a paper worth 1 point, given on the 10-point scale."""
    return [{"id": f"mcq-{n}", "format": "mcq", "topic": "Hàm số", "level": "biet", "stem": f"<p>Câu {n}</p>",
             "options": [f"<p>{n}{x}</p>" for x in "ABCD"], "answer": "B"} for n in range(4)]


def add_test(course, **fields):
    values = dict(display_name="Kiểm tra giữa kỳ I", class_name="10A1", subject="Toán", opens=OPENS, closes=CLOSES,
                  minutes=45, code_hash=access_code.hash_code(CODE), questions=bank(),
                  blueprint={"cells": [{"topic": "Hàm số", "level": "biet", "format": "mcq", "count": 4}]})
    values.update(fields)
    return course.add("periodic_assessment", **values)


@pytest.fixture
def sitting(course):
    """Toán 10A1's mid-term test: its teacher (course staff), two learners of the class with
    accounts (user key = the account's id, as the LMS gives it), and an outsider."""
    teacher = make_user("gv_lan", full_name="Lan Hoàng")
    course.grant(teacher, "staff")
    learners = {}
    for username, (sector_id, name) in STUDENTS.items():
        learners[username] = make_user(username, full_name=name)
        Learner.objects.create(org=course.key.org, user_key=str(learners[username].id), sector_id=sector_id,
                               full_name=name, class_name="10A1", username=username)
    outsider = make_user("hs_khac", full_name="Học sinh lớp khác")
    return types.SimpleNamespace(usage=add_test(course), teacher=teacher, learners=learners, outsider=outsider)


def start(course, user, usage, request_id="browser-1"):
    with freeze_time(local(7, 40)):
        return course.lms(user).call(usage, "start", {"request_id": request_id, "code": CODE})


def answer_all(course, user, usage, device, right=True, at=(7, 50), first_seq=1):
    """Hand in with every question answered (the shown letter of the key, or another one), the
    saves numbered from ``first_seq``."""
    attempt = Attempt.objects.get(usage_key=str(usage), user_key=str(user.id))
    answers = []
    for seq, item in enumerate(attempt.paper["items"], start=first_seq):
        shown = "ABCD"[item["order"].index("B")]
        answers.append({"seq": seq, "position": item["position"],
                        "response": shown if right else "ABCD"[item["order"].index("A")]})
    with freeze_time(local(*at)):
        return course.lms(user).call(usage, "submit", {"device": device, "answers": answers})


# ------------------------------------------------------------------ the student's handlers in the LMS

def test_a_learner_takes_the_test_through_the_lms_handlers(course, sitting, completion_on):
    anh = sitting.learners["hs_anh"]
    lms = course.lms(anh)
    block = lms.get_block(sitting.usage)
    url = lms.handler_url(block, "save_answers")
    assert "/handler/save_answers" in url and not url.endswith("?")
    status, opened = start(course, anh, sitting.usage)
    assert status == 200, opened
    assert opened["state"] == "in_progress" and "answer" not in str(opened["paper"])
    with freeze_time(local(7, 45)):
        status, saved = lms.call(sitting.usage, "save_answers", {"device": opened["device"], "answers": [
            {"seq": 1, "position": 1, "response": "A"}]})
    assert status == 200 and saved["results"] == [{"seq": 1, "outcome": "saved"}]
    assert not BlockCompletion.objects.exists()  # answering is not completing
    status, done = answer_all(course, anh, sitting.usage, opened["device"], first_seq=2)
    assert status == 200 and done["state"] == "submitted"
    assert [(c.user.username, c.completion) for c in BlockCompletion.objects.all()] == [("hs_anh", 1.0)]


def test_the_learner_page_in_the_lms_carries_no_paper(course, sitting):
    html = course.lms(sitting.learners["hs_anh"]).render(sitting.usage).content
    assert "Kiểm tra giữa kỳ I" in html and "mcq-0" not in html and "<p>0B</p>" not in html


def test_staff_and_students_each_reach_only_their_handlers(course, sitting):
    anh, teacher = sitting.learners["hs_anh"], sitting.teacher
    device = start(course, anh, sitting.usage)[1]["device"]
    with freeze_time(local(7, 50)):
        assert course.lms(anh).call(sitting.usage, "board")[0] == 403
        assert course.lms(anh).call(sitting.usage, "publish")[0] == 403
        status, board = course.lms(teacher).call(sitting.usage, "board")
        assert status == 200 and {r["full_name"] for r in board["students"]} == {n for _s, n in STUDENTS.values()}
        # The teacher has no attempt to act on, and the outsider is on no roster.
        assert course.lms(teacher).call(sitting.usage, "save_answers", {"device": device, "answers": []})[0] in (
            403, 404)
        status, body = start(course, sitting.outsider, sitting.usage)
        assert status == 403 and not Attempt.objects.filter(user_key=str(sitting.outsider.id)).exists()
        # Staff act on the student's attempt with a reason; the student cannot.
        assert course.lms(anh).call(sitting.usage, "release", {"student": str(anh.id), "reason": "Máy hỏng"})[0] == 403
        status, body = course.lms(teacher).call(sitting.usage, "release", {"student": str(anh.id),
                                                                             "reason": "Máy tính số 12 hỏng"})
        assert status == 200 and body == {"user": str(anh.id), "released": True}


def test_an_anonymous_post_is_refused_before_the_block(course, sitting):
    from django.contrib.auth.models import AnonymousUser

    assert course.lms(AnonymousUser()).call(sitting.usage, "start", {"request_id": "x", "code": CODE})[0] == 403
    assert not Sitting.objects.exists()


@pytest.mark.parametrize("handler", ["start", "resume", "save_answers", "submit", "signal", "board", "window",
                                     "extra_time", "reopen", "release", "decide_remote", "publish"])
def test_studio_preview_refuses_the_sitting(course, sitting, handler):
    """Studio's preview handler needs only a login; the sitting happens in the LMS alone: a course
    author previewing the test can neither start it nor act on the board, and nothing is written."""
    status, _body = course.studio(sitting.teacher).call(sitting.usage, handler, {})
    assert status in (400, 403, 404)
    assert not Sitting.objects.exists() and not Attempt.objects.exists()


# ------------------------------------------------------------------ completion when the clock ends

def test_the_periodic_job_completes_an_attempt_the_clock_ended(course, sitting, completion_on,
                                                                django_capture_on_commit_callbacks):
    """The browser is gone: the job ends the attempt at its deadline and the block is complete for
    its learner (no runtime, no request), not for anyone else."""
    start(course, sitting.learners["hs_anh"], sitting.usage)
    start(course, sitting.learners["hs_binh"], sitting.usage, request_id="browser-2")
    with django_capture_on_commit_callbacks(execute=True), freeze_time(local(8, 30)):
        call_command("finalise_attempts", stdout=io.StringIO())
    assert sorted(c.user.username for c in BlockCompletion.objects.filter(block_key=sitting.usage)) == [
        "hs_anh", "hs_binh"]


def test_the_next_request_ends_an_attempt_and_completes_it(course, sitting, completion_on,
                                                          django_capture_on_commit_callbacks):
    anh = sitting.learners["hs_anh"]
    device = start(course, anh, sitting.usage)[1]["device"]
    with django_capture_on_commit_callbacks(execute=True), freeze_time(local(9, 0)):
        status, body = course.lms(anh).call(sitting.usage, "resume", {"device": device})
    assert status == 200 and body["state"] == "finalised_by_deadline"
    assert [c.user.username for c in BlockCompletion.objects.all()] == ["hs_anh"]


def test_no_completion_while_tracking_is_off(course, sitting, completion_off, django_capture_on_commit_callbacks):
    start(course, sitting.learners["hs_anh"], sitting.usage)
    with django_capture_on_commit_callbacks(execute=True), freeze_time(local(8, 30)):
        call_command("finalise_attempts", stdout=io.StringIO())
    assert Attempt.objects.get().state == "finalised_by_deadline" and not BlockCompletion.objects.exists()
