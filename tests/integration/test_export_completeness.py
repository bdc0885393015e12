"""Every record of every feature reaches the archive (core/exporting.py): a school with every
record type present, built through the features' own functions where they exist, is exported,
and for every model of the app the rows of the tables match the database. A model added later
without an ``export.py`` that covers it fails here, so a record type cannot be forgotten silently.

The audit models (AuditEntry, AuditHead) are the one exception: the archive writes the audit
chain's segment itself, with its anchors, not through a feature's tables."""
import dataclasses
import datetime as dt
import hashlib
import json
import pathlib
from collections import Counter
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.utils import timezone
from freezegun import freeze_time

from helpers import block_as, scenario_usage
from vn_online_teaching.assessment import access_code, attempts, evidence, marking, questions, records, sitting
from vn_online_teaching.assessment import blueprint as blueprints
from vn_online_teaching.assessment.integrity import decisions
from vn_online_teaching.assessment.models import Attempt, Sitting
from vn_online_teaching.attendance import class_records, marks, report_imports
from vn_online_teaching.attendance.models import CodeAttempt, Lesson
from vn_online_teaching.core import exporting
from vn_online_teaching.core.actors import Actor
from vn_online_teaching.core.exporting import Scope
from vn_online_teaching.core.models import Learner
from vn_online_teaching.demo.load import actor_of, load_lessons, load_materials
from vn_online_teaching.demo.people import COURSE_KEY, ORG, PEOPLE
from vn_online_teaching.material import attachments
from vn_online_teaching.material.models import MaterialState

APP = "vn_online_teaching"
NOT_THROUGH_FEATURES = {f"{APP}.AuditEntry", f"{APP}.AuditHead"}  # the archive writes the audit segment itself
ICT = ZoneInfo("Asia/Ho_Chi_Minh")
TEST_DAY = dt.date(2025, 10, 20)
CODE = "AB12CD"
USAGE = "block-v1:THPTNamLoi+TOAN10+2025_HK1+type@periodic_assessment+block@export_test"
LITERATURE = "course-v1:THPTNamLoi+VAN10+2025_HK1"
REMOTE_USAGE = "block-v1:THPTNamLoi+VAN10+2025_HK1+type@periodic_assessment+block@export_remote"
REPORTS = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "meeting-reports"
BANK = ([questions.from_dict({"id": f"mcq-{n}", "format": "mcq", "topic": "Hàm số", "level": "biet",
                              "stem": f"<p>Câu {n}</p>", "options": [f"<p>{n}{x}</p>" for x in "ABCD"], "answer": "B"})
         for n in range(4)]
        + [questions.from_dict({"id": "essay-1", "format": "essay", "topic": "Hàm số", "level": "van_dung",
                                "stem": "<p>Chứng minh</p>", "points": "3", "guide": "<p>Đủ ý</p>"})])
PLAN = blueprints.from_dict({"cells": [{"topic": "Hàm số", "level": "biet", "format": "mcq", "count": 2},
                                       {"topic": "Hàm số", "level": "van_dung", "format": "essay", "count": 1}]})


def local(hour, minute):
    return dt.datetime.combine(TEST_DAY, dt.time(hour, minute), tzinfo=ICT)


def person(username):
    name, _email, role, *_rest = PEOPLE[username]
    return Actor(user_key=username, username=username, full_name=name, platform_role=role)


def make_test(usage=USAGE, **changes):
    values = dict(usage_key=usage, course_key=COURSE_KEY, org=ORG, class_name="10A1", subject="Toán",
                  opens=local(7, 30), closes=local(9, 30), minutes=45, code_hash=access_code.hash_code(CODE),
                  grace_seconds=30, bank=BANK, blueprint=PLAN, title="Kiểm tra giữa kỳ I")
    values.update(changes)
    return records.Test(**values)


def _materials():
    load_materials()
    approved = MaterialState.objects.filter(state="approved").order_by("pk").first()
    attachments.store(approved.usage_key, "Phiếu học tập số 1.pdf", "application/pdf", b"%PDF-1.4 phieu hoc tap\n",
                      person("gv_lan"))


def _attendance():
    load_lessons()
    usage = scenario_usage("Điểm danh: Toán 10A1")
    block = block_as(usage, "gv_lan")
    where, actor = block.where(), actor_of(block)
    first = Lesson.objects.filter(usage_key=where.usage_key).order_by("date", "period").first()
    marks.set_marks(where, actor, first.pk, [{"user": "hs_ha", "status": "unexcused", "remark": "Không vào lớp"}])
    class_records.save_entry(where, actor, first.pk, {"content": "Công thức nghiệm", "remarks": "Lớp sôi nổi",
                                                      "rating": "A"}, confirm=True)
    report_imports.preview_import(where, actor, first.pk, "zoom-participants.csv",
                                  (REPORTS / "zoom-participants.csv").read_bytes())
    CodeAttempt.objects.create(lesson=first, user_key="hs_anh", ip="10.0.0.7", at=first.starts_at)


def _assessment():
    test = make_test()
    devices = {}
    for user in ("hs_anh", "hs_binh"):
        with freeze_time(local(7, 40)):
            devices[user] = attempts.start(test, person(user), request_id=f"browser-{user}", code=CODE,
                                           ip="10.0.0.7", user_agent="Mozilla/5.0 (Android)")
    with freeze_time(local(7, 45)):
        sitting.grant_extra_time(test, person("gv_lan"), "hs_binh", 10, "Học sinh khuyết tật vận động")
        sitting.change_window(test, person("gv_lan"), "extend", "Mất điện 10 phút", until=local(10, 0))
    for user, opened in devices.items():
        essay = next(i["position"] for i in opened["paper"]["items"] if i["format"] == "essay")
        with freeze_time(local(7, 50)):
            attempts.save(test, person(user), opened["device"], [{"seq": 1, "position": 1, "response": "B"}])
            attempts.signal(test, person(user), opened["device"], [{"kind": "page_hidden"}])
        with freeze_time(local(8, 0)):
            attempts.submit(test, person(user), opened["device"],
                            [{"seq": 2, "position": essay, "response": "Bài làm của em"}])
        with freeze_time(local(10, 30)):
            marking.mark_essay(test, person("gv_lan"), user, essay, "2.5", comment="Thiếu kết luận")
    with freeze_time(local(11, 0)):
        decisions.decide(test, person("gv_lan"), "hs_binh", "accept", "Rời trang một lần, không ảnh hưởng")
    with freeze_time(local(7, 0)):
        sitting.decide_remote(make_test(REMOTE_USAGE, mode="remote", course_key=LITERATURE), person("ht_hung"),
                              "Lũ lụt, đường bị chia cắt", ["hs_chau"])


def _archive():
    """The archive's own records (its jobs, holds and disposal decisions), when it has models."""
    try:
        job_model = apps.get_model(APP, "ArchiveJob")
    except LookupError:
        return
    now = timezone.now()
    job = job_model.objects.create(org=ORG, label="Năm học 2025-2026", status="done")
    apps.get_model(APP, "LegalHold").objects.create(org=ORG, reason="Thanh tra", placed_by_key="ht_hung",
                                                   placed_at=now)
    apps.get_model(APP, "Disposal").objects.create(org=ORG, reason="Hết hạn lưu trữ", decided_by_key="ht_hung",
                                                  decided_at=now, job=job, record_types=["attendance"])


@pytest.fixture
def school(workbench):
    """The demo school with a record of every type: approved materials with an attachment,
    lessons and a series with a roll call, a changed mark, a signed logbook line, a meeting report
    and a wrong check-in code; a periodic test sat by two students with extra time, a longer
    window, browser signals, essays marked, an integrity decision and a remote decision."""
    _materials()
    _attendance()
    _assessment()
    _archive()
    return ORG


def exported(scope):
    """({model label: rows the scope covers}, {model label: rows its tables wrote}, tables, files)."""
    counts, written, tables, files = {}, Counter(), [], []
    for exporter in exporting.features():
        for name, n in exporter.counts(scope).items():
            assert name not in counts, f"{name} is counted by two exporters"
            counts[name] = n
        for table in exporter.tables(scope):
            tables.append(table)
            rows = list(table.rows())
            assert all(len(row) == len(table.columns) for row in rows), table.name
            if table.model:
                written[table.model] += len(rows)
        files.extend(exporter.files(scope))
    return counts, written, tables, files


def test_every_record_of_every_model_is_exported(school):
    counts, written, _tables, _files = exported(Scope(ORG))
    problems = []
    for model in apps.get_app_config(APP).get_models():
        name = model._meta.label
        if name in NOT_THROUGH_FEATURES:
            continue
        in_db = model.objects.count()
        if in_db == 0:
            problems.append(f"the test school has no {name}: add one to the fixture")
        elif name not in counts:
            problems.append(f"no feature's export.py counts {name}")
        elif counts[name] != in_db:
            problems.append(f"{name}: counted {counts[name]} of {in_db}")
        elif written[name] != in_db:
            problems.append(f"{name}: the tables wrote {written[name]} of {in_db}")
    assert not problems, "\n".join(problems)


def test_values_are_plain_and_the_printable_documents_are_filled(school):
    _counts, _written, tables, _files = exported(Scope(ORG))
    allowed = (str, int, dt.date, dt.datetime, type(None), Decimal)
    by_name = {table.name: table for table in tables}
    for table in tables:
        for row in table.rows():
            assert all(isinstance(value, allowed) for value in row), (table.name, row)
    for document in exporting.PRINTABLE:
        assert any(table.printable == document and next(iter(table.rows()), None) for table in tables), document
    class_size = Learner.objects.filter(org=ORG, class_name="10A1").exclude(user_key="").count()
    logbook = {row[-1]: dict(zip(by_name["logbook"].keys, row)) for row in by_name["logbook"].rows()}
    first = Lesson.objects.order_by("date", "period").first()
    line = logbook[first.pk]
    assert line["content"] == "Công thức nghiệm" and line["rating"] == "A" and line["total"] == class_size
    assert "(P)" in line["absent"] and "(K)" in line["absent"]
    sat = Attempt.objects.filter(usage_key=USAGE).values_list("sitting_id", flat=True).first()
    sheet = [dict(zip(by_name["score_sheet"].keys, row)) for row in by_name["score_sheet"].rows()]
    sheet = [row for row in sheet if row["test"] == sat]
    assert len(sheet) == class_size and sum(1 for row in sheet if row["score"] is not None) == 2
    attendance = [dict(zip(by_name["attendance_sheet"].keys, row)) for row in by_name["attendance_sheet"].rows()]
    assert {row["class_name"] for row in attendance} == {"10A1"} and len(attendance) == class_size
    named = {row["full_name"]: row for row in attendance}
    assert named[PEOPLE["hs_ha"][0]]["unexcused"] == 1 and named[PEOPLE["hs_huy"][0]]["excused"] == 1
    assert named[PEOPLE["hs_chau"][0]]["late"] == 1 and named[PEOPLE["hs_anh"][0]]["present"] == 1


def test_the_documents_are_the_stored_bytes(school):
    _counts, _written, tables, files = exported(Scope(ORG))
    paths = [document.path for document in files]
    assert len(paths) == len(set(paths)) and all(".." not in p and not p.startswith("/") for p in paths)
    listed = {row[-1] for table in tables if table.name in ("attachments", "meeting_reports", "approved_versions")
              for row in table.rows()}
    listed |= {dict(zip(t.keys, row))["paper"] for t in tables if t.name == "attempts" for row in t.rows()}
    listed |= {dict(zip(t.keys, row))["bank_file"] for t in tables if t.name == "tests" for row in t.rows()}
    assert listed == set(paths)  # every table row names its file, every file is named by a row
    hashes = {a.pk: a.paper_hash for a in Attempt.objects.all()}
    banks = {s.pk: s for s in Sitting.objects.all()}
    assert len([p for p in paths if p.startswith("assessment/banks/")]) == len(banks) == 2
    for document in files:
        data = b"".join(document.open())
        assert document.size in (None, len(data))
        digest = hashlib.sha256(data).hexdigest()
        if document.path.startswith("assessment/papers/"):
            assert digest == hashes[int(document.path.rsplit("/", 1)[1].split("-", 1)[0])]
        elif document.path.startswith("assessment/banks/"):  # the bank as stored; sha256sum gives its hash
            held = banks[int(document.path.rsplit("/", 1)[1].removesuffix(".json"))]
            assert digest == held.bank_hash and json.loads(data) == held.bank == [questions.to_dict(q) for q in BANK]
        elif document.path.startswith(("material/attachments/", "attendance/meeting-reports/")):
            assert document.path.rsplit("-", 1)[-1] and data
        else:
            snapshot = json.loads(data)
            assert snapshot["own_snapshot"] and snapshot["fingerprint"] and snapshot["decision"]["by"]
    stored = {a.sha256 for a in apps.get_model(APP, "Attachment").objects.all()} | {
        r.sha256 for r in apps.get_model(APP, "MeetingReport").objects.all()}
    assert {hashlib.sha256(b"".join(d.open())).hexdigest() for d in files
            if not d.path.endswith(".json")} == stored


def test_a_scope_covers_only_its_school_courses_and_days(school):
    everything, _w, _t, _f = exported(Scope(ORG))
    elsewhere, _w, _t, files = exported(Scope("AnotherSchool"))
    assert not any(elsewhere.values()) and not files
    other_course, _w, _t, _f = exported(Scope(ORG, course_keys=[LITERATURE]))
    for name in ("Lesson", "Mark", "MarkChange", "LogbookEntry", "CodeAttempt", "MeetingReport", "Attempt", "Answer",
                 "IntegrityEvent", "IntegrityDecision", "Accommodation", "SittingChange", "EssayMark",
                 "ScoreHistory", "ApprovedVersion", "Attachment"):
        assert other_course[f"{APP}.{name}"] == 0, name  # all of them are Mathematics'
    assert other_course[f"{APP}.Sitting"] == other_course[f"{APP}.RemoteDecision"] == 1  # the Literature test's
    assert other_course[f"{APP}.MaterialState"] == MaterialState.objects.filter(course_key=LITERATURE).count()
    for name in ("Learner", "RoleAssignment"):  # the roster and the roles are the school's
        assert other_course[f"{APP}.{name}"] == everything[f"{APP}.{name}"]
    one_day = Scope(ORG, since=TEST_DAY, until=TEST_DAY)
    test_day, written, tables, _f = exported(one_day)
    for table in tables:  # each row's own date, where the table names it, is inside the scope
        if table.dated_by:
            at = table.keys.index(table.dated_by)
            assert all(one_day.covers_day(row[at]) for row in table.rows()), table.name
    for name in ("Attempt", "Answer", "IntegrityEvent", "EssayMark", "ScoreHistory", "Accommodation",
                 "SittingChange", "IntegrityDecision", "Sitting"):
        assert test_day[f"{APP}.{name}"] == everything[f"{APP}.{name}"] > 0, name
    assert test_day[f"{APP}.RemoteDecision"] == 1  # decided at 07:00 that day, school time
    assert test_day[f"{APP}.Lesson"] == 0 and test_day[f"{APP}.Mark"] == 0  # the lessons are on other days
    assert written[f"{APP}.Answer"] == test_day[f"{APP}.Answer"]
    day_before = exported(Scope(ORG, until=TEST_DAY - dt.timedelta(days=1)))[0]
    assert day_before[f"{APP}.Attempt"] == 0 and day_before[f"{APP}.Lesson"] > 0  # 8 September's lessons


def _rows(tables, name):
    table = next(t for t in tables if t.name == name)
    return [dict(zip(table.keys, row)) for row in table.rows()]


def test_each_tests_blueprint_and_bank_are_exported_as_the_papers_were_drawn_from(school):
    """For each test its blueprint, cell by cell, and its bank with the keys (a table to read and
    the file above), as the sitting held them when the papers were drawn."""
    _counts, _written, tables, _files = exported(Scope(ORG))
    cells = _rows(tables, "blueprints")
    bank = _rows(tables, "bank")
    for held in Sitting.objects.all():
        assert [(r["topic"], r["level_code"], r["format_code"], r["count"],
                 None if r["points"] is None else str(r["points"]))
                for r in cells if r["test"] == held.pk] == [
            (c["topic"], c["level"], c["format"], c["count"], c["points"]) for c in held.blueprint["cells"]]
        assert held.blueprint == blueprints.to_dict(PLAN)
        rows = [r for r in bank if r["test"] == held.pk]
        assert [(r["number"], r["question_id"]) for r in rows] == [(n, q.id) for n, q in enumerate(BANK, start=1)]
    assert len(cells) == 2 * len(PLAN.cells) and len(bank) == 2 * len(BANK)
    first = next(r for r in bank if r["question_id"] == "mcq-0")
    assert (first["key"], first["level_code"], first["stem"]) == ("B", "biet", "<p>Câu 0</p>")
    assert first["options"].splitlines() == ["A. <p>0A</p>", "B. <p>0B</p>", "C. <p>0C</p>", "D. <p>0D</p>"]
    essay = next(r for r in bank if r["question_id"] == "essay-1")
    assert essay["guide"] == "<p>Đủ ý</p>" and essay["points"] == Decimal(3) and essay["key"] is None
    assert first["corrected_key"] is None
    literature = exported(Scope(ORG, course_keys=[LITERATURE]))[2]  # the scope chooses the tests, as "tests"
    remote = Sitting.objects.get(usage_key=REMOTE_USAGE).pk
    assert {r["test"] for r in _rows(literature, "blueprints") + _rows(literature, "bank")} == {remote}
    day_before = exported(Scope(ORG, until=TEST_DAY - dt.timedelta(days=1)))[2]
    assert not _rows(day_before, "blueprints") and not _rows(day_before, "bank")


def test_a_corrected_key_shows_beside_the_key_in_the_bank(school):
    delivered = evidence.delivered_paper(Attempt.objects.filter(usage_key=USAGE).first())
    fixed = next(item.question for item in delivered.items if item.question.format == "mcq")  # drawn: correctable
    with freeze_time(local(11, 30)):
        marking.correct_key(make_test(), person("gv_lan"), dataclasses.replace(fixed, answer="C"), "Đáp án in nhầm")
    rows = _rows(exported(Scope(ORG, course_keys=[COURSE_KEY]))[2], "bank")
    corrected = [(r["question_id"], r["key"], r["corrected_key"]) for r in rows if r["corrected_key"]]
    assert corrected == [(fixed.id, "B", "C")]
