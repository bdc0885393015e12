"""periodic_assessment through its handlers in the workbench, as the browser drives it: a student
starts with the access code, saves, resumes and hands in; another browser is refused; a save
after the deadline and its grace is refused; every handler against every role (a student never
reads another's attempt, staff handlers refuse students, LMS-only handlers refuse in Studio);
Studio's settings, bank import and template; and no answer key in any response of a sitting."""
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from freezegun import freeze_time
from helpers import block_as, call, render, scenario_usage
from vn_online_teaching.assessment import access_code, scenarios
from vn_online_teaching.assessment.block import PeriodicAssessmentBlock
from vn_online_teaching.assessment.models import Answer, Attempt, IntegrityEvent
from vn_online_teaching.core.models import AuditEntry
from vn_online_teaching.demo.load import load_assessments
from webob import Request

CODE = scenarios.DEMO_CODE
PACKAGE_STATIC = Path(scenarios.__file__).resolve().parents[1] / "static" / "vn_online_teaching"
STUDENT_HANDLERS = ("start", "resume", "save_answers", "submit", "signal")
STAFF_HANDLERS = ("board", "window", "extra_time", "reopen", "release", "decide_remote", "publish", "essays",
                  "mark_essay")


@pytest.fixture
def usage(workbench):
    usage_id = scenario_usage("Kiểm tra định kỳ")
    assert load_assessments() and not load_assessments()  # the demo's code, set once
    assert access_code.code_ok(block_as(usage_id, "hs_anh").code_hash, CODE)
    return usage_id


def start(usage, user="hs_anh", request_id="browser-1", code=CODE):
    return call(usage, user, "start", {"request_id": request_id, "code": code})


def first_mcq(paper):
    return next(item for item in paper["items"] if item["format"] == "mcq")


def test_start_save_resume_submit(usage):
    status, body = start(usage)
    assert status == 200, body
    device = body["device"]
    assert body["state"] == "in_progress" and 0 < body["remaining"] <= 45 * 60
    assert len(body["paper"]["items"]) == 7
    item = first_mcq(body["paper"])
    status, saved = call(usage, "hs_anh", "save_answers", {"device": device, "answers": [
        {"seq": 1, "position": item["position"], "response": "B"}]})
    assert status == 200 and saved["results"] == [{"seq": 1, "outcome": "saved"}] and saved["remaining"] > 0
    # The same save again (a resend after a dropped connection) is one record.
    status, again = call(usage, "hs_anh", "save_answers", {"device": device, "answers": [
        {"seq": 1, "position": item["position"], "response": "B"}]})
    assert again["results"] == [{"seq": 1, "outcome": "already"}]
    status, resumed = call(usage, "hs_anh", "resume", {"device": device})
    assert status == 200 and resumed["answers"] == {str(item["position"]): "B"} and resumed["last_seq"] == 1
    status, done = call(usage, "hs_anh", "submit", {"device": device, "answers": [
        {"seq": 2, "position": item["position"], "response": "C"}]})
    assert status == 200 and done["state"] == "submitted" and "paper" not in done
    assert Answer.objects.filter(attempt__user_key="hs_anh").count() == 2
    assert AuditEntry.objects.filter(action="assessment.submit").count() == 1
    status, body = call(usage, "hs_anh", "save_answers", {"device": device, "answers": [
        {"seq": 3, "position": item["position"], "response": "A"}]})
    assert status == 409 and body["error"] == "ended"


def test_wrong_code_refused_and_nothing_started(usage):
    status, body = start(usage, code="SAI")
    assert status == 400 and body["error"] == "wrong_code"
    assert not Attempt.objects.exists()


def test_another_browser_refused(usage):
    device = start(usage)[1]["device"]
    status, body = start(usage, request_id="browser-2")
    assert status in (403, 409), body
    status, body = call(usage, "hs_anh", "save_answers", {"device": "not-" + device[:20], "answers": []})
    assert status in (403, 409)
    assert IntegrityEvent.objects.filter(user_key="hs_anh").exists()


def test_late_save_refused_and_recorded(usage):
    with freeze_time(dt.datetime.now(dt.UTC)) as frozen:
        status, body = start(usage)
        position = first_mcq(body["paper"])["position"]
        frozen.tick(dt.timedelta(minutes=47))
        status, late = call(usage, "hs_anh", "save_answers", {"device": body["device"], "answers": [
            {"seq": 1, "position": position, "response": "A"}]})
    assert status == 409, late
    attempt = Attempt.objects.get(user_key="hs_anh")
    assert attempt.state == "finalised_by_deadline" and not Answer.objects.filter(attempt=attempt).exists()


def test_key_never_reaches_the_student(usage):
    """Every response of a full sitting, page included, searched for every key value."""
    pages = [render(usage, "hs_anh")]
    status, body = start(usage)
    assert status == 200
    pages.append(json.dumps(body, ensure_ascii=False))
    device = body["device"]
    typed = {"mcq": "A", "true_false": {"a": True}, "short": "-2,5", "essay": "Bài làm"}
    answers = [{"seq": i + 1, "position": item["position"], "response": typed[item["format"]]}
               for i, item in enumerate(body["paper"]["items"])]
    for handler, data in (("save_answers", {"device": device, "answers": answers}), ("resume", {"device": device}),
                          ("signal", {"device": device, "signals": [{"kind": "blur"}]}),
                          ("submit", {"device": device})):
        pages.append(json.dumps(call(usage, "hs_anh", handler, data)[1], ensure_ascii=False))
    pages.append(render(usage, "hs_anh"))
    text = "\n".join(pages)
    for question in scenarios.QUESTIONS:
        for secret in ("guide", "number", "answers", "answer"):
            value = question.get(secret)
            if isinstance(value, str) and len(value) > 1:
                assert value not in text, (question["id"], secret)
        assert '"answer"' not in text and '"guide"' not in text and '"tolerance"' not in text
        assert '"points"' not in text


@pytest.mark.parametrize("handler", STAFF_HANDLERS)
def test_staff_handlers_refuse_students(usage, handler):
    status, body = call(usage, "hs_anh", handler, {})
    assert status in (400, 403), body
    if status == 400:  # the input is checked first; the right input still refuses
        assert body["error"] in ("required", "bad_type")


def test_staff_actions_with_a_reason(usage):
    device = start(usage)[1]["device"]
    status, body = call(usage, "hs_anh", "extra_time", {"student": "hs_anh", "minutes": 5, "reason": "x"})
    assert status == 403
    status, body = call(usage, "gv_lan", "extra_time", {"student": "hs_anh", "minutes": 5, "reason": "Mất điện"})
    assert status == 200 and body["total"] == 5
    status, body = call(usage, "gv_lan", "release", {"student": "hs_anh", "reason": "Máy hỏng"})
    assert status == 200 and body["released"]
    status, board = call(usage, "gv_lan", "board", {})
    row = next(r for r in board["students"] if r["user"] == "hs_anh")
    assert row["extra_minutes"] == 5 and row["disconnected"] and not row["device_bound"]
    assert status == 200 and board["window"]["state"] == "open"
    status, body = call(usage, "hs_anh", "save_answers", {"device": device, "answers": []})
    assert status in (403, 409)
    status, body = call(usage, "gv_lan", "decide_remote", {"reason": "Ốm", "students": ["hs_binh"]})
    assert status == 403
    status, body = call(usage, "ht_hung", "decide_remote", {"reason": "Ốm dài ngày", "students": ["hs_binh"]})
    assert status == 200 and body["students"] == ["hs_binh"]


def test_the_board_shows_how_far_each_student_is_and_when_last_heard_from(usage):
    """Working (last seen, answered so far): counted from the saves, since a save writes only its
    own row; a cleared answer is not counted, a signal counts as news from the student."""
    with freeze_time(dt.datetime.now(dt.timezone.utc).replace(microsecond=0)) as clock:
        body = start(usage)[1]
        device, items = body["device"], [i for i in body["paper"]["items"] if i["format"] in ("mcq", "short")]
        clock.tick(dt.timedelta(minutes=3))
        answers = [{"seq": 1, "position": items[0]["position"], "response": "B"},
                   {"seq": 2, "position": items[1]["position"], "response": "1,5" if items[1]["format"] == "short"
                    else "A"},
                   {"seq": 3, "position": items[0]["position"], "response": "C"}]
        for answer in answers:
            assert call(usage, "hs_anh", "save_answers", {"device": device, "answers": [answer]})[0] == 200
        status, board = call(usage, "gv_lan", "board", {})
        row = next(r for r in board["students"] if r["user"] == "hs_anh")
        seen = Attempt.objects.get(user_key="hs_anh").started_at + dt.timedelta(minutes=3)
        assert status == 200 and (row["answered"], row["questions"]) == (2, 7)
        assert dt.datetime.fromisoformat(row["last_seen"]) == seen and "2/7" in row["progress"]
        clock.tick(dt.timedelta(minutes=2))
        assert call(usage, "hs_anh", "signal", {"device": device, "signals": [{"kind": "page_hidden"}]})[0] == 200
        row = next(r for r in call(usage, "gv_lan", "board", {})[1]["students"] if r["user"] == "hs_anh")
        assert dt.datetime.fromisoformat(row["last_seen"]) == seen + dt.timedelta(minutes=2)
        assert "answered" not in next(r for r in board["students"] if r["user"] == "hs_binh")  # not started
        assert call(usage, "hs_anh", "save_answers", {"device": device, "answers": [
            {"seq": 4, "position": items[0]["position"], "response": ""}]})[0] == 200  # the answer cleared
        row = next(r for r in call(usage, "gv_lan", "board", {})[1]["students"] if r["user"] == "hs_anh")
        assert row["answered"] == 1 and "1/7" in row["progress"]


def test_the_default_title_is_kept_in_the_schools_language_whatever_the_reader_reads(usage):
    """Readers in English and in Vietnamese see the default title in their language, but the
    sitting keeps one: otherwise each change of reader rewrites it and sends saves the full way."""
    from django.utils import translation

    from vn_online_teaching.assessment.block import DEFAULT_TITLE
    from vn_online_teaching.assessment.models import Sitting
    from vn_online_teaching.core.i18n import catalog

    block = block_as(usage, "hs_anh")
    block.display_name = DEFAULT_TITLE
    block.save()
    device = start(usage)[1]["device"]
    with translation.override("en"):
        assert block_as(usage, "hs_anh").title() == "Periodic test"
        item = first_mcq(call(usage, "hs_anh", "resume", {"device": device})[1]["paper"])
        assert call(usage, "hs_anh", "save_answers", {"device": device, "answers": [
            {"seq": 1, "position": item["position"], "response": "B"}]})[0] == 200
    kept = Sitting.objects.get(usage_key=str(usage))
    assert kept.title == catalog("vi").gettext(DEFAULT_TITLE) != "Periodic test"
    assert block_as(usage, "hs_anh").test().title == kept.title


def test_student_never_reads_anothers_attempt(usage):
    device = start(usage)[1]["device"]
    status, body = call(usage, "hs_binh", "resume", {"device": device})
    assert status == 404 and "paper" not in body
    status, body = call(usage, "hs_binh", "board", {})
    assert status == 403
    assert "hs_anh" not in render(usage, "hs_binh")


def test_staff_page_and_student_page(usage):
    assert "vnot-asm-board" in render(usage, "gv_lan")
    assert "vnot-asm-board" in render(usage, "vt_thu")
    html = render(usage, "hs_anh")
    assert "vnot-asm-startform" in html and "vnot-asm-board" not in html
    assert "vnot-asm-startform" not in render(usage, "gv_nam")  # another subject's teacher


class Permissions:
    def __init__(self, write):
        self.write = write

    def can_read(self, key):
        return True

    def can_write(self, key):
        return self.write


def in_studio(usage, write=True, user="gv_lan"):
    block = block_as(usage, user)
    block.runtime._services["studio_user_permissions"] = Permissions(write)
    return block


def handle(block, handler, data):
    request = Request.blank("/", method="POST", body=json.dumps(data).encode(), content_type="application/json")
    response = block.runtime.handle(block, handler, request, "")
    return response.status_code, json.loads(response.body)


@pytest.mark.parametrize("handler", STUDENT_HANDLERS + STAFF_HANDLERS)
def test_lms_only_handlers_refused_in_studio(usage, handler):
    assert getattr(PeriodicAssessmentBlock, handler).lms_only
    status, body = handle(in_studio(usage), handler, {})
    assert status == 403 and body["error"] == "lms_only"


SETTINGS = {"display_name": "Kiểm tra cuối kì", "class_name": "10A1", "subject": "Toán", "opens": "2025-12-20T07:30",
            "closes": "2025-12-20T09:00", "minutes": 60, "mode": "at_school", "review": "score",
            "access_code": "moi 123", "cells": [{"topic": "Hàm số bậc hai", "level": "biet", "format": "mcq",
                                                 "count": 2, "points": ""}]}


def test_studio_save_and_refusals(usage):
    status, body = handle(in_studio(usage, write=False), "studio_submit", SETTINGS)
    assert status == 403
    block = block_as(usage, "gv_lan")
    assert block.display_name != SETTINGS["display_name"]
    status, body = call(usage, "hs_anh", "studio_submit", SETTINGS)
    assert status == 403
    status, body = call(usage, "gv_lan", "studio_submit", dict(SETTINGS, closes="2025-12-20T07:00"))
    assert status == 400 and body["error"] == "bad_window"
    status, body = call(usage, "gv_lan", "studio_submit", dict(SETTINGS, cells=[dict(SETTINGS["cells"][0], count=0)]))
    assert status == 400
    assert block_as(usage, "gv_lan").minutes == 45
    status, body = call(usage, "gv_lan", "studio_submit", SETTINGS)
    assert status == 200, body
    block = block_as(usage, "gv_lan")
    assert block.minutes == 60 and block.blueprint["cells"][0]["count"] == 2
    assert access_code.code_ok(block.code_hash, "MOI123") and "moi" not in block.code_hash.lower()
    test = block.test()
    assert test.opens.isoformat().startswith("2025-12-20T07:30") and test.minutes == 60


def test_studio_weight_in_the_course_grade(usage):
    """The weight (as ProblemBlock's) is set in Studio's form with the decimal comma; a bad one is
    refused with a translated 400 and changes nothing; emptied, the score counts out of 10."""
    for bad in ("-1", "1001", "hai", "1,2,3"):
        status, body = call(usage, "gv_lan", "studio_submit", dict(SETTINGS, weight=bad))
        assert status == 400 and body["error"] == "bad_weight" and body["field"] == "weight", bad
        block = block_as(usage, "gv_lan")
        assert block.weight is None and block.minutes == 45
    status, body = call(usage, "gv_lan", "studio_submit", dict(SETTINGS, weight="0,5"))
    assert status == 200, body
    assert block_as(usage, "gv_lan").weight == 0.5
    assert 'value="0,5"' in in_studio(usage).render("studio_view", {}).body_html()
    status, body = call(usage, "gv_lan", "studio_submit", dict(SETTINGS, weight=""))
    assert status == 200 and block_as(usage, "gv_lan").weight is None


def upload(usage, user, data, name="bank.csv", replace=False):
    boundary = "XyZ"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="replace"\r\n\r\n{"true" if replace else ""}\r\n',
             (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
              "Content-Type: text/csv\r\n\r\n")]
    body = "".join(parts).encode() + data + f"\r\n--{boundary}--\r\n".encode()
    block = block_as(usage, user)
    request = Request.blank("/", method="POST", body=body, content_type=f"multipart/form-data; boundary={boundary}")
    response = block.runtime.handle(block, "bank_import", request, "")
    return response.status_code, json.loads(response.body)


CSV = ("Chủ đề,Mức độ,Dạng câu hỏi,Nội dung câu hỏi,Phương án A,Phương án B,Phương án C,Phương án D,Đáp án\n"
       "Hàm số,Biết,Nhiều lựa chọn,Câu hỏi mới,1,2,3,4,A\n").encode()


def test_bank_import_report_and_template(usage):
    before = len(block_as(usage, "gv_lan").questions)
    status, body = upload(usage, "hs_anh", CSV)
    assert status == 403
    bad = CSV.replace(b",A\n", b",E\n")
    status, body = upload(usage, "gv_lan", bad)
    assert status == 400 and body["error"] == "import_failed" and body["report"]["problems"]
    assert body["report"]["problems"][0]["row"] == 2
    assert len(block_as(usage, "gv_lan").questions) == before
    status, body = upload(usage, "gv_lan", CSV)
    assert status == 200, body
    assert body["questions"] == before + 1
    status, data = call(usage, "gv_lan", "bank_template", method="GET")
    assert status == 200 and data[:2] == b"PK"


def test_studio_views(usage):
    block = in_studio(usage)
    assert "vnot-asm-settings" in block.render("studio_view", {}).body_html()
    assert "vnot-asm-board" not in block.render("student_view", {}).body_html()
    refused = in_studio(usage, write=False).render("studio_view", {}).body_html()
    assert "vnot-asm-settings" not in refused


def test_review_none_hides_the_released_result(usage):
    body = start(usage)[1]
    call(usage, "hs_anh", "submit", {"device": body["device"]})
    status, body = call(usage, "gv_lan", "publish", {})
    assert status == 409 and body["error"] == "unmarked"  # the essay is not marked yet
    block = block_as(usage, "gv_lan")
    view = {"state": "published", "result": {"score": "1"}}
    assert "result" in block._reviewed(dict(view))
    block.review = "none"
    assert "result" not in block._reviewed(dict(view))


def test_refused_board_actions_create_no_sitting(usage):
    from vn_online_teaching.assessment.models import Sitting

    status, body = call(usage, "gv_lan", "window", {"kind": "open_now", "reason": "Mở sớm"})
    assert status == 409 and body["error"] == "already_open"
    status, body = call(usage, "gv_lan", "extra_time", {"student": "hs_anh", "minutes": 500, "reason": "Ốm"})
    assert status == 400
    status, body = call(usage, "gv_lan", "release", {"student": "hs_anh", "reason": "Máy hỏng"})
    assert status == 404
    assert not Sitting.objects.exists()


def test_essay_marked_then_results_released(usage):
    body = start(usage)[1]
    essay = next(i for i in body["paper"]["items"] if i["format"] == "essay")
    call(usage, "hs_anh", "submit", {"device": body["device"], "answers": [
        {"seq": 1, "position": essay["position"], "response": "Bảng biến thiên…"}]})
    assert call(usage, "hs_anh", "essays", {})[0] == 403
    assert call(usage, "vt_thu", "essays", {})[0] == 403  # records officers read, never mark
    status, body = call(usage, "gv_lan", "essays", {})
    assert status == 200 and len(body["essays"]) == 1
    row = body["essays"][0]
    assert row["response"] == "Bảng biến thiên…" and row["guide"] and row["mark"] is None and row["number"] == 1
    status, _body = call(usage, "hs_anh", "mark_essay", {"student": "hs_anh", "position": essay["position"],
                                                           "mark": "2"})
    assert status == 403
    status, _body = call(usage, "gv_lan", "mark_essay", {"student": "hs_binh", "position": 1, "mark": "1"})
    assert status == 404
    status, result = call(usage, "gv_lan", "mark_essay", {"student": "hs_anh", "position": essay["position"],
                                                          "mark": "1.5"})
    assert status == 200, result
    assert call(usage, "gv_lan", "essays", {})[1]["essays"][0]["mark"] == "1.5"
    status, body = call(usage, "gv_lan", "publish", {})
    assert status == 200 and body["released"] == 1
    device = Attempt.objects.get(user_key="hs_anh")
    status, view = call(usage, "hs_anh", "submit", {"device": "x"})
    assert status == 200 and view["state"] == "published" and "result" in view and device.result


def test_each_page_loads_its_own_scripts_and_the_student_page_stays_light(usage):
    from vn_online_teaching.core.blockbase import view_js_strings

    def scripts(user, view="student_view"):
        frag = getattr(block_as(usage, user), view)({})
        js = [r.data.rsplit("/", 1)[-1] for r in frag.resources
              if r.kind == "url" and r.mimetype == "application/javascript"]
        missing = [s for s in view_js_strings(js) if s not in frag.json_init_args["strings"]]
        assert not missing, (user, view, missing)
        return js

    assert scripts("hs_anh") == ["vnot.js", "assessment_student.js"]
    assert scripts("gv_lan") == ["vnot.js", "assessment_staff.js"]
    assert scripts("gv_lan", "studio_view") == ["vnot.js", "assessment_studio.js"]
    static = PACKAGE_STATIC
    size = sum((static / name).stat().st_size for name in ("js/vnot.js", "js/assessment_student.js", "css/vnot.css",
                                                           "css/assessment.css"))
    assert size < 60 * 1024


def test_released_result_read_from_any_browser(usage):
    body = start(usage)[1]
    call(usage, "hs_anh", "submit", {"device": body["device"]})
    essay = next(i for i in body["paper"]["items"] if i["format"] == "essay")
    call(usage, "gv_lan", "mark_essay", {"student": "hs_anh", "position": essay["position"], "mark": "0"})
    assert call(usage, "gv_lan", "publish", {})[0] == 200
    status, view = call(usage, "hs_anh", "resume", {"device": ""})
    assert status == 200 and view["state"] == "published" and view["result"]["shown"]
    assert set(view["result"]) == {"shown", "score", "verdict"}  # no points per question


def test_score_sheet_for_staff_who_export(usage):
    from openpyxl import load_workbook

    body = start(usage)[1]
    call(usage, "hs_anh", "submit", {"device": body["device"]})
    assert call(usage, "hs_anh", "score_sheet", method="GET")[0] == 403
    assert call(usage, "gv_nam", "score_sheet", method="GET")[0] == 403  # another subject
    status, data = call(usage, "vt_thu", "score_sheet", method="GET")
    assert status == 200
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert len(rows) == 7
    anh = next(r for r in rows if "Nguyễn Thị Ánh" in r)  # the columns are the score sheet's (results.py)
    assert "7926010001" in anh
    assert "vnot-asm-sheet" in render(usage, "vt_thu") and "vnot-asm-sheet" not in render(usage, "hs_anh")


def test_score_sheet_refused_in_studio(usage):
    assert PeriodicAssessmentBlock.score_sheet.lms_only
    block = in_studio(usage, user="vt_thu")
    response = block.runtime.handle(block, "score_sheet", Request.blank("/", method="GET"), "")
    assert response.status_code == 403 and json.loads(response.body)["error"] == "lms_only"


def test_the_release_sends_each_grade_through_the_requests_block(usage, monkeypatch,
                                                                django_capture_on_commit_callbacks):
    """In the workbench the gradebook is the runtime's 'grade' event, sent through the block of the
    teacher's request for the learner named (docs/decisions/0010-grades.md); nothing before."""
    from workbench.runtime import WorkbenchRuntime

    events = []
    monkeypatch.setattr(WorkbenchRuntime, "publish", lambda self, block, kind, data: events.append((kind, data)))
    with django_capture_on_commit_callbacks(execute=True):
        body = start(usage)[1]
        call(usage, "hs_anh", "submit", {"device": body["device"]})
        essay = next(i for i in body["paper"]["items"] if i["format"] == "essay")
        call(usage, "gv_lan", "mark_essay", {"student": "hs_anh", "position": essay["position"], "mark": "0"})
    assert [e for e in events if e[0] == "grade"] == []
    with django_capture_on_commit_callbacks(execute=True):
        assert call(usage, "gv_lan", "publish", {})[0] == 200
    score = float(Attempt.objects.get(user_key="hs_anh").result["score"])
    assert [e for e in events if e[0] == "grade"] == [
        ("grade", {"value": score, "max_value": 10, "user_id": "hs_anh", "score_deleted": False})]
    assert block_as(usage, "hs_anh").max_score() == 10 and block_as(usage, "hs_anh").has_score


def test_the_board_and_the_students_page_keep_the_periodic_job_going(usage, settings, monkeypatch,
                                                                    django_capture_on_commit_callbacks):
    """Where workers take tasks (a broker, not eager), the board's refresh and a student's page
    queue the periodic job, at most once a minute for the site (assessment/tasks.py)."""
    from django.core.cache import cache

    from vn_online_teaching import compat
    from vn_online_teaching.assessment import tasks

    queued = []
    monkeypatch.setattr(compat, "run_in_background", lambda task, *args: queued.append(task))
    settings.CELERY_BROKER_URL, settings.CELERY_TASK_ALWAYS_EAGER = "redis://redis:6379/0", False
    cache.delete(tasks.NUDGE_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        assert call(usage, "gv_lan", "board", {})[0] == 200
        render(usage, "hs_anh")
    assert queued == [tasks.finalise_attempts]
    cache.delete(tasks.NUDGE_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        render(usage, "hs_anh")
    assert queued == [tasks.finalise_attempts] * 2
    cache.delete(tasks.NUDGE_KEY)
