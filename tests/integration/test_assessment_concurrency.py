"""Periodic-test attempts under concurrent requests, on real database connections (one per
thread), as a class pressing "start" together against several LMS processes would. Runs on
SQLite (IMMEDIATE transactions) and on MariaDB (VNOT_DB=mariadb, row locks): every start locks
the sitting's row first, every save the attempt's, and the unique keys (test, student) and
(attempt, sequence number) back them up.

The test's window is placed around the real clock (not a frozen one), so that the threads' waits
and timeouts keep working.
"""
import dataclasses
import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from helpers import errors_of, run_threads
from test_assessment_records import STUDENTS, USAGE, make_test, person
from vn_online_teaching.assessment import attempts, evidence, saving, states
from vn_online_teaching.assessment.models import Answer, Attempt, IntegrityEvent, Sitting
from vn_online_teaching.core import audit, clock
from vn_online_teaching.core.errors import RequestError
from vn_online_teaching.core.models import AuditHead, Learner
from vn_online_teaching.demo.load import load_people

pytestmark = pytest.mark.django_db(transaction=True)
CODE = "AB12CD"


@pytest.fixture
def test_now(transactional_db):
    """The demo people, the audit head as after migrating, and a test open now."""
    load_people()
    AuditHead.objects.get_or_create(pk=1, defaults={"seq": 0, "hash": audit.GENESIS})
    now = clock.now()
    return make_test(opens=now - dt.timedelta(minutes=5), closes=now + dt.timedelta(hours=2))


def start(test, user, request_id):
    """(status, body) of one start, as the handler would answer it."""
    try:
        return 200, attempts.start(test, person(user), request_id=request_id, code=CODE, ip="10.0.0.7")
    except RequestError as exc:
        return exc.status, exc.as_dict()


def test_twenty_starts_of_one_student_at_once_make_one_attempt(test_now):
    """A double-click, a retrying browser: the same browser twenty times gets one attempt and one
    token."""
    results = run_threads(20, lambda _i: start(test_now, "hs_anh", "one-browser"))
    assert not errors_of(results), errors_of(results)[0]
    assert [status for (status, _body), _err in results] == [200] * 20
    assert len({body["device"] for (_status, body), _err in results}) == 1
    assert Attempt.objects.filter(usage_key=USAGE).count() == 1
    assert not IntegrityEvent.objects.exists()


def test_twenty_browsers_starting_one_attempt_at_once_bind_one(test_now):
    """Twenty devices of one account at once: one attempt bound to one of them, nineteen refusals,
    each recorded."""
    results = run_threads(20, lambda i: start(test_now, "hs_anh", f"browser-{i}"))
    assert not errors_of(results), errors_of(results)[0]
    statuses = sorted(status for (status, _body), _err in results)
    assert statuses == [200] + [409] * 19, statuses
    assert {body["error"] for (status, body), _err in results if status == 409} == {"other_device"}
    assert Attempt.objects.count() == 1
    assert IntegrityEvent.objects.filter(kind=evidence.DEVICE_REFUSED).count() == 19


def test_a_class_starting_and_saving_at_once(test_now):
    """Six students start three times each at once, then save the same answers from several
    threads: one attempt each, one row per sequence number, the highest number at each position."""
    results = run_threads(18, lambda i: start(test_now, STUDENTS[i % 6], f"browser-{STUDENTS[i % 6]}"))
    assert not errors_of(results), errors_of(results)[0]
    assert all(status == 200 for (status, _body), _err in results)
    assert sorted(Attempt.objects.values_list("user_key", flat=True)) == sorted(STUDENTS)
    tokens = {STUDENTS[i % 6]: body["device"] for i, ((_status, body), _err) in enumerate(results)}

    def save(i):
        user = STUDENTS[i % 6]
        seq = i // 6 + 1  # 1..5, each sent twice by two threads
        return attempts.save(test_now, person(user), tokens[user], [
            {"seq": seq, "position": 1, "response": "ABCD"[seq % 4]}, {"seq": 10 + seq, "position": 2,
                                                                        "response": "A"}])

    saved = run_threads(60, lambda i: save(i % 30))
    assert not errors_of(saved), errors_of(saved)[0]
    for user in STUDENTS:
        attempt = Attempt.objects.get(user_key=user)
        assert Answer.objects.filter(attempt=attempt).values("seq").distinct().count() == Answer.objects.filter(
            attempt=attempt).count()
        sheet = evidence.sheet(attempt)
        assert sheet[1].seq == max(a.seq for a in Answer.objects.filter(attempt=attempt, position=1))
        assert attempt.state == states.IN_PROGRESS and attempt.last_seq == max(
            Answer.objects.filter(attempt=attempt).values_list("seq", flat=True))
    assert audit.verify().ok


# ------------------------------------------------------------------ what a save costs

# A save of an attempt in progress, in time, from its own browser: the transaction's start, the
# attempt locked (its small columns, with the roster and the sitting asked in the same read), the
# rows, the counters, the commit (assessment/saving.py). A regression test, not a time: it fails
# when a save grows a statement.
SAVE_STATEMENTS = 5
PAPER_COLUMN = re.compile(r'\.[`"]paper[`"]')


def opened(test, user="hs_anh"):
    """(device token, positions of the multiple-choice questions) of a started attempt."""
    status, body = start(test, user, f"browser-{user}")
    assert status == 200, body
    return body["device"], [item["position"] for item in body["paper"]["items"] if item["format"] == "mcq"]


def saved(test, user, device, answers, ip="10.0.0.7"):
    """The save's answer and the statements it ran."""
    with CaptureQueriesContext(connection) as queries:
        answer = attempts.save(test, person(user), device, answers, ip=ip)
    return answer, [q["sql"] for q in queries.captured_queries]


def test_a_save_costs_five_statements_and_never_reads_the_paper(test_now):
    device, positions = opened(test_now)
    one, one_sql = saved(test_now, "hs_anh", device, [{"seq": 1, "position": positions[0], "response": "A"}])
    batch, batch_sql = saved(test_now, "hs_anh", device, [{"seq": 1 + n, "position": p, "response": "B"}
                                                          for n, p in enumerate(positions[:3], 1)])
    assert [r["outcome"] for r in one["results"] + batch["results"]] == ["saved"] * 4
    assert len(one_sql) == SAVE_STATEMENTS, one_sql
    assert len(batch_sql) == SAVE_STATEMENTS, batch_sql  # the batch's rows in one insert
    assert sum(sql.lstrip().upper().startswith("SELECT") for sql in one_sql) == 1, one_sql
    assert not [sql for sql in one_sql + batch_sql if PAPER_COLUMN.search(sql)]
    attempt = Attempt.objects.get(user_key="hs_anh")
    assert (attempt.saves, attempt.last_seq) == (4, 4) and Answer.objects.filter(attempt=attempt).count() == 4


def test_a_save_reads_the_paper_once_per_process_and_earlier_saves_only_when_replayed(test_now):
    device, positions = opened(test_now)
    saving._KEPT.clear()  # another process: it has not seen this attempt's paper
    first, first_sql = saved(test_now, "hs_anh", device, [{"seq": 1, "position": positions[0], "response": "A"}])
    assert len(first_sql) == SAVE_STATEMENTS + 1 and len([s for s in first_sql if PAPER_COLUMN.search(s)]) == 1
    again, again_sql = saved(test_now, "hs_anh", device, [{"seq": 1, "position": positions[0], "response": "A"}])
    older, _sql = saved(test_now, "hs_anh", device, [{"seq": 2, "position": positions[0], "response": "C"},
                                                      {"seq": 3, "position": positions[1], "response": "D"}])
    newer, newer_sql = saved(test_now, "hs_anh", device, [{"seq": 6, "position": positions[0], "response": "B"}])
    assert first["results"][0]["outcome"] == "saved" and again["results"] == [{"seq": 1, "outcome": "already"}]
    assert len(again_sql) == SAVE_STATEMENTS - 2 + 1  # no row, no counters; the earlier saves read
    assert older["results"] == [{"seq": 2, "outcome": "saved"}, {"seq": 3, "outcome": "saved"}]
    assert newer["results"] == [{"seq": 6, "outcome": "saved"}] and len(newer_sql) == SAVE_STATEMENTS
    late, _sql = saved(test_now, "hs_anh", device, [{"seq": 5, "position": positions[0], "response": "C"},
                                                     {"seq": 3, "position": positions[1], "response": "D"}])
    assert late["results"] == [{"seq": 3, "outcome": "already"}, {"seq": 5, "outcome": "stale"}]
    assert late["last_seq"] == 6 and Attempt.objects.get(user_key="hs_anh").saves == 4
    assert {p: r.response for p, r in evidence.sheet(Attempt.objects.get(user_key="hs_anh")).items()} == {
        positions[0]: "B", positions[1]: "D"}


def test_a_student_taken_off_the_roster_saves_nothing(test_now):
    device, positions = opened(test_now)
    Learner.objects.filter(user_key="hs_anh").update(class_name="10A2")
    with pytest.raises(RequestError) as refused:
        attempts.save(test_now, person("hs_anh"), device, [{"seq": 1, "position": positions[0], "response": "A"}])
    assert refused.value.status == 403 and not Answer.objects.exists()
    assert Attempt.objects.get(user_key="hs_anh").saves == 0


def test_a_save_after_the_author_changed_the_limit_moves_the_deadline_first(test_now):
    """The sitting read with the attempt differs from the block: the save takes the full way, which
    brings the sitting up to date and decides the deadline again before the answer counts."""
    device, positions = opened(test_now)
    started = Attempt.objects.get(user_key="hs_anh")
    longer = dataclasses.replace(test_now, minutes=test_now.minutes + 30)
    answer, sql = saved(longer, "hs_anh", device, [{"seq": 1, "position": positions[0], "response": "A"}])
    attempt = Attempt.objects.get(user_key="hs_anh")
    assert answer["results"] == [{"seq": 1, "outcome": "saved"}] and len(sql) > SAVE_STATEMENTS
    assert attempt.deadline_at == started.deadline_at + dt.timedelta(minutes=30)
    assert Sitting.objects.get(usage_key=USAGE).minutes == longer.minutes
    assert answer["remaining"] > (test_now.minutes + 25) * 60


def test_a_new_address_and_another_students_token_take_the_full_way(test_now):
    device, positions = opened(test_now)
    other, _positions = opened(test_now, "hs_binh")
    moved, _sql = saved(test_now, "hs_anh", device, [{"seq": 1, "position": positions[0], "response": "A"}],
                        ip="10.0.0.99")
    assert moved["results"][0]["outcome"] == "saved"
    assert IntegrityEvent.objects.get(kind=evidence.ADDRESS_CHANGE).data == {"before": "10.0.0.7", "after": "10.0.0.99"}
    with pytest.raises(RequestError) as refused:
        attempts.save(test_now, person("hs_anh"), other, [{"seq": 2, "position": positions[0], "response": "B"}])
    assert refused.value.code == "other_device" and Answer.objects.count() == 1
    assert IntegrityEvent.objects.filter(kind=evidence.DEVICE_REFUSED, user_key="hs_anh").count() == 1


def test_forty_saves_of_one_student_at_once_keep_one_row_per_number(test_now):
    """Twenty numbered saves of one position, each sent twice, all at once and in any order: each
    number once ("saved" then "already") or never ("stale" twice, a newer one came first); the
    counters equal the rows; the highest number is the answer."""
    device, positions = opened(test_now)

    def save(i):
        seq = i % 20 + 1
        return attempts.save(test_now, person("hs_anh"), device, [
            {"seq": seq, "position": positions[0], "response": "ABCD"[seq % 4]}], ip="10.0.0.7")

    results = run_threads(40, save)
    assert not errors_of(results), errors_of(results)[0]
    outcomes = {}
    for answer, _err in results:
        for item in answer["results"]:
            outcomes.setdefault(item["seq"], []).append(item["outcome"])
    assert {tuple(sorted(o)) for o in outcomes.values()} <= {("already", "saved"), ("stale", "stale")}, outcomes
    assert sorted(outcomes[20]) == ["already", "saved"]
    attempt = Attempt.objects.get(user_key="hs_anh")
    rows = list(Answer.objects.filter(attempt=attempt).values_list("seq", flat=True))
    assert len(rows) == len(set(rows)) == attempt.saves == sum(o.count("saved") for o in outcomes.values())
    assert attempt.last_seq == 20 and evidence.sheet(attempt)[positions[0]].response == "ABCD"[20 % 4]
