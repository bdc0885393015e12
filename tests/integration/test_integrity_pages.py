"""The integrity pages of periodic_assessment through the block's handlers in the workbench
(assessment/integrity_handlers.py): the test's summary (page, CSV with a BOM, XLSX), one
attempt's report with the decision form, two papers side by side in the bank's order, and the
decision handler. Built on a sitting this file plants: 30 students, 40 shuffled multiple-choice
questions, one copier who copies a weak source's answers (wrong ones included) 20 seconds later.
Every handler is refused to every student, about anyone (themselves included), and to the staff
of another subject; nothing changes on a refusal."""
import datetime as dt
import io
import re
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from freezegun import freeze_time
from helpers import block_as, call, render, scenario_usage
from vn_online_teaching.assessment import attempts, evidence
from vn_online_teaching.assessment.integrity_handlers import IntegrityHandlers
from vn_online_teaching.assessment.models import Attempt, IntegrityDecision
from vn_online_teaching.assessment.questions import OPTION_LETTERS
from vn_online_teaching.core.actors import Actor
from vn_online_teaching.core.models import AuditEntry, Learner
from vn_online_teaching.demo.load import load_people
from vn_online_teaching.demo.people import ORG, PEOPLE

ICT = ZoneInfo("Asia/Ho_Chi_Minh")
QUESTIONS = 40
SOURCE, COPIER = "hs_x01", "hs_x02"
STAFF = ("gv_lan", "tt_minh", "ht_hung", "vt_thu")
REFUSED = ("hs_anh", "hs_binh", SOURCE, COPIER, "gv_nam", "tt_hoa")
HANDLERS = IntegrityHandlers.STAFF_URLS


def local(hour, minute, second=0):
    return dt.datetime(2025, 10, 20, hour, minute, second, tzinfo=ICT)


def _actor(key, name):
    return Actor(user_key=key, username=key, full_name=name, platform_role="student")


def plant_sitting(usage_id, students=30, seed=11):
    """An ended sitting of ``usage_id``'s block: ``students`` learners of 10A1 (the demo's six and
    more), 40 multiple-choice questions, each paper shuffled; SOURCE is a weak student and COPIER
    copies 36 of their 40 answers, each saved 20 s after the source's. hs_anh hides the page twice
    and pastes once. Returns the block's test."""
    bank = [{"id": f"q{n:02d}", "format": "mcq", "topic": "Hàm số", "level": "biet", "stem": f"<p>Câu hỏi số {n}</p>",
             "options": [f"<p>{n}.{x}</p>" for x in "ABCD"], "answer": "ABCD"[n % 4]} for n in range(QUESTIONS)]
    block = block_as(usage_id, "gv_lan")
    block.questions = bank
    block.blueprint = {"cells": [{"topic": "Hàm số", "level": "biet", "format": "mcq", "count": QUESTIONS}]}
    block.opens, block.closes, block.minutes, block.code_hash = "2025-10-20T07:30", "2025-10-20T09:30", 45, ""
    block.save()
    test = block_as(usage_id, "gv_lan").test()
    people = {key: person[0] for key, person in PEOPLE.items() if key.startswith("hs_")}
    for n in range(1, students - len(people) + 1):
        key = f"hs_x{n:02d}"
        people[key] = f"Học sinh {n:02d}"
        Learner.objects.create(org=ORG, sector_id=f"79260199{n:02d}", full_name=people[key], class_name="10A1",
                               username=key, user_key=key)
    rng = np.random.default_rng(seed)
    keys = sorted(people)
    ability = {key: rng.normal(0, 1) for key in keys}
    ability[SOURCE] = -1.5
    difficulty = rng.normal(0, 1, QUESTIONS)
    right = [q["answer"] for q in bank]
    sheets = {}
    for key in keys:
        p_right = 0.2 + 0.8 / (1 + np.exp(-(ability[key] - difficulty)))
        sheets[key] = {f"q{i:02d}": right[i] if rng.random() < p_right[i] else
                       OPTION_LETTERS[(OPTION_LETTERS.index(right[i]) + 1 + int(rng.choice(3, p=[.6, .3, .1]))) % 4]
                       for i in range(QUESTIONS)}
    copied = rng.choice(QUESTIONS, 36, replace=False)
    for i in copied:
        sheets[COPIER][f"q{i:02d}"] = sheets[SOURCE][f"q{i:02d}"]
    with freeze_time(local(7, 35)) as clock:   # one frozen clock moved about: freezing anew is slow
        for k, key in enumerate(keys):
            _sit(test, key, people[key], k, sheets, clock)
    return test


def _sit(test, key, name, k, sheets, clock):
    """One student's sitting on the frozen ``clock``: start, eight saves of five answers, signals, hand-in."""
    actor = _actor(key, name)
    clock.move_to(local(7, 35) + dt.timedelta(seconds=7 * k))
    device = attempts.start(test, actor, request_id=f"r-{key}", ip=f"10.0.1.{k + 1}",
                            user_agent="Mozilla/5.0 (Linux; Android 14)")["device"]
    delivered = evidence.delivered_paper(Attempt.objects.get(usage_key=test.usage_key, user_key=key))
    # answers in the order of the student's own paper, five a save, about a minute apart
    items = list(delivered.items)
    if key == COPIER:   # follows the source's order, 20 s behind
        source_paper = evidence.delivered_paper(Attempt.objects.get(usage_key=test.usage_key, user_key=SOURCE))
        order = [item.question.id for item in source_paper.items]
        items.sort(key=lambda item: order.index(item.question.id))
    seq = 0
    for batch in range(0, QUESTIONS, 5):
        answers = []
        for item in items[batch:batch + 5]:
            seq += 1
            shown = OPTION_LETTERS[item.order.index(sheets[key][item.question.id])]
            answers.append({"seq": seq, "position": item.position, "response": shown})
        offset = 20 if key == COPIER else 0
        when = local(7, 40) + dt.timedelta(seconds=60 * (batch // 5 + 1) + offset + (0 if key in (
            SOURCE, COPIER) else 13 * k))
        clock.move_to(when)
        attempts.save(test, actor, device, answers)
    if key == "hs_anh":
        clock.move_to(local(7, 50))
        attempts.signal(test, actor, device, [{"kind": "page_hidden"}, {"kind": "page_hidden"},
                                              {"kind": "paste", "position": 1}])
    clock.move_to(local(8, 5) + dt.timedelta(seconds=k))
    attempts.submit(test, actor, device)


@pytest.fixture
def sat(workbench):
    usage_id = scenario_usage("Kiểm tra định kỳ:")
    load_people()
    plant_sitting(usage_id)
    return usage_id


def get(usage, who, handler, suffix="", **query):
    return call(usage, who, handler, method="GET", suffix=suffix, query=urlencode({"student": who, **query}))


def text_of(body):
    return body.decode("utf-8") if isinstance(body, bytes) else str(body)


def test_the_summary_names_the_planted_pair_with_its_timing_and_exports(sat):
    status, body = get(sat, "gv_lan", "integrity_summary")
    page = text_of(body)
    assert status == 200 and "@page { size: A4" in page and "Học sinh 01 – Học sinh 02" in page
    pair_link = re.search(r'href="([^"]*integrity_pair[^"]*)"', page)
    assert pair_link and "a=hs_x01" in pair_link.group(1).replace("&amp;", "&")
    close, matching = map(int, re.search(r">(\d+) / (\d+)</td>", page).groups())
    assert close == matching >= 30                   # the copier saved every matching answer 20 s later
    assert "Nguyễn Thị Ánh" in page
    assert page.lower().count("cheat") == page.count("does not show that a student cheated")
    status, csv = get(sat, "gv_lan", "integrity_summary", suffix="csv")
    assert status == 200 and csv.startswith(b"\xef\xbb\xbf") and "Học sinh 02".encode() in csv
    status, book = get(sat, "ht_hung", "integrity_summary", suffix="xlsx")
    from openpyxl import load_workbook
    sheet = load_workbook(io.BytesIO(book)).active
    assert status == 200 and sheet.max_row == 31


def test_the_report_shows_the_timeline_the_careful_summary_and_the_form(sat):
    status, body = get(sat, "gv_lan", "integrity_report", user="hs_anh")
    page = text_of(body)
    assert status == 200 and "Nguyễn Thị Ánh" in page and "10.0.1.1" in page and "Android" in page
    assert page.count('class="look"') >= 1 and "form class=\"decide\"" in page and "assessment_integrity.js" in page
    assert page.count("<tr") >= 1 + 8 + 3 + 1        # start, eight saves, three signals, the end
    status, body = get(sat, "vt_thu", "integrity_report", user="hs_anh")   # reads, may not decide
    assert status == 200 and "form class=\"decide\"" not in text_of(body)
    status, body = get(sat, "gv_lan", "integrity_report", user=COPIER)
    assert status == 200 and "integrity_pair" in text_of(body)                # flagged: a link to the pair
    status, body = get(sat, "gv_lan", "integrity_report", user="nobody")
    assert status == 404
    status, body = get(sat, "gv_lan", "integrity_report")
    assert status == 400 and body["field"] == "user"


def test_the_pair_side_by_side_in_the_banks_order(sat):
    status, body = get(sat, "tt_minh", "integrity_pair", a=SOURCE, b=COPIER)
    page = text_of(body)
    assert status == 200 and page.count('class="same-wrong"') >= 5 and "Câu hỏi số 0" in page
    numbers = [int(n) for n in re.findall(r'<td class="n lead num">(\d+)</td>', page)]
    assert numbers == list(range(1, QUESTIONS + 1))
    assert "worth a look" in page or "nên được xem lại" in page
    status, body = get(sat, "gv_lan", "integrity_pair", a=SOURCE, b=SOURCE)
    assert status == 400
    status, body = get(sat, "gv_lan", "integrity_pair", a=SOURCE, b="nobody")
    assert status == 404


def test_every_handler_refuses_students_and_other_subjects_and_nothing_changes(sat):
    assert set(HANDLERS) == {"integrity_summary", "integrity_report", "integrity_pair", "integrity_decide"}
    before = (IntegrityDecision.objects.count(), AuditEntry.objects.count(), list(
        Attempt.objects.order_by("pk").values_list("state", flat=True)))
    for who in REFUSED:
        for suffix in ("", "csv", "xlsx"):
            status, body = get(sat, who, "integrity_summary", suffix=suffix)
            assert status == 403, (who, suffix, status)
        for student in (who, "hs_anh", COPIER):
            assert get(sat, who, "integrity_report", user=student)[0] == 403, (who, student)
        assert get(sat, who, "integrity_pair", a=SOURCE, b=COPIER)[0] == 403, who
        assert get(sat, who, "integrity_pair", a=who, b="hs_anh")[0] == 403, who
        status, body = call(sat, who, "integrity_decide", {"student": who, "verdict": "accept", "reason": "Tự quyết"})
        assert status == 403, (who, body)
    status, body = call(sat, "vt_thu", "integrity_decide", {"student": COPIER, "verdict": "accept", "reason": "Đọc"})
    assert status == 403                                   # the records officer reads, never decides
    after = (IntegrityDecision.objects.count(), AuditEntry.objects.count(), list(
        Attempt.objects.order_by("pk").values_list("state", flat=True)))
    assert before == after


def test_every_page_opens_for_the_staff_who_read_the_class(sat):
    for who in STAFF:
        assert get(sat, who, "integrity_summary")[0] == 200, who
        assert get(sat, who, "integrity_summary", suffix="csv")[0] == 200, who
        assert get(sat, who, "integrity_report", user=COPIER)[0] == 200, who
        assert get(sat, who, "integrity_pair", a=COPIER, b="hs_anh")[0] == 200, who   # any two, flagged or not


def test_a_decision_from_the_page_is_recorded_and_shown(sat):
    status, body = call(sat, "gv_lan", "integrity_decide", {"student": COPIER, "verdict": "invalidate", "reason": " "})
    assert status == 400 and not IntegrityDecision.objects.exists()
    status, body = call(sat, "gv_lan", "integrity_decide", {"student": COPIER, "verdict": "retake",
                                                             "reason": "Làm lại có giám sát"})
    assert status == 400 and body["error"] == "retake_time"
    with freeze_time(local(10, 0)):
        status, body = call(sat, "gv_lan", "integrity_decide", {"student": COPIER, "verdict": "retake", "reason":
                                                                 "Làm lại có giám sát", "until_date": "2025-10-20",
                                                                 "until_time": "14:30"})
    assert status == 200 and body["verdict"] == "retake" and body["until"].startswith("2025-10-20T07:30")
    assert Attempt.objects.get(user_key=COPIER).state == "reopened"
    status, body = call(sat, "tt_minh", "integrity_decide", {"student": SOURCE, "verdict": "accept",
                                                              "reason": "Đã nghe em trình bày"})
    assert status == 200
    page = text_of(get(sat, "gv_lan", "integrity_report", user=COPIER)[1])
    assert "Làm lại có giám sát" in page
    principal = text_of(get(sat, "ht_hung", "integrity_summary")[1])
    teacher = text_of(get(sat, "gv_lan", "integrity_summary")[1])
    assert principal.count("Đã nghe em trình bày") == 2 and teacher.count("Đã nghe em trình bày") == 1
    assert "(10A1, Toán)" in principal and "(10A1, Toán)" not in teacher     # the school's list names the test


def test_studio_refuses_and_the_staff_page_links_to_the_summary(sat):
    staff = render(sat, "gv_lan")
    assert "integrity_summary" in staff and 'target="_blank"' in staff
    assert "integrity_summary" not in render(sat, "hs_anh")


def test_before_anyone_sat_the_summary_says_nothing_was_screened(workbench):
    usage_id = scenario_usage("Kiểm tra định kỳ:")
    load_people()
    status, body = get(usage_id, "gv_lan", "integrity_summary")
    page = text_of(body)
    assert status == 200 and "integrity_pair" not in page and "<b>0</b>" in page
    assert page.count("Not screened yet") + page.count("Chưa sàng lọc") == 1
    assert get(usage_id, "gv_lan", "integrity_report", user="hs_anh")[0] == 404     # not started
    assert get(usage_id, "hs_anh", "integrity_summary")[0] == 403


def test_the_student_reads_the_schools_decision_on_their_own_attempt(sat, settings):
    """Shown to the student as the school decides (ASSESSMENT_SHOW_DECISIONS): the verdict and
    the reason, on their own page only, never who decided; not shown when the school says so."""
    status, _body = call(sat, "gv_lan", "integrity_decide", {"student": COPIER, "verdict": "accept",
                                                             "reason": "Em đã trình bày cách làm từng câu"})
    assert status == 200
    own = render(sat, COPIER)
    assert "Em đã trình bày cách làm từng câu" in own and "vnot-asm-decisions" in own
    assert "Nguyễn Thị Lan" not in own
    assert "Em đã trình bày cách làm từng câu" not in render(sat, SOURCE)
    settings.VN_ONLINE_TEACHING = dict(settings.VN_ONLINE_TEACHING, ASSESSMENT_SHOW_DECISIONS=False)
    assert "Em đã trình bày cách làm từng câu" not in render(sat, COPIER)
