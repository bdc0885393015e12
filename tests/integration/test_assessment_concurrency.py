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
import threading
import time

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from helpers import errors_of, run_threads
from test_assessment_records import STUDENTS, USAGE, make_test, person
from vn_online_teaching.assessment import attempts, ending, evidence, saving, sitting, states
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
        assert attempt.state == states.IN_PROGRESS and saving.last_seq(attempt) == max(
            Answer.objects.filter(attempt=attempt).values_list("seq", flat=True))
    assert audit.verify().ok


# ------------------------------------------------------------------ what a save costs

# A save of one answer from the browser the attempt is bound to, in time, numbered above every
# save kept, once this process knows the attempt (it started or resumed here): one statement,
# the answer's row inserted on its conditions (assessment/saving.py, answer_rows.insert_answer). A
# regression test, not a time: it fails when a save grows a statement.
SAVE_STATEMENTS = 1
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


def test_a_save_is_one_statement_and_never_reads_the_paper(test_now):
    device, positions = opened(test_now)
    one, one_sql = saved(test_now, "hs_anh", device, [{"seq": 1, "position": positions[0], "response": "A"}])
    two, two_sql = saved(test_now, "hs_anh", device, [{"seq": 2, "position": positions[1], "response": "C"}])
    assert [r["outcome"] for r in one["results"] + two["results"]] == ["saved"] * 2
    assert (one["last_seq"], two["last_seq"]) == (1, 2)
    assert len(one_sql) == len(two_sql) == SAVE_STATEMENTS, one_sql
    assert one_sql[0].lstrip().upper().startswith("INSERT") and not PAPER_COLUMN.search(one_sql[0])
    batch, batch_sql = saved(test_now, "hs_anh", device, [{"seq": 2 + n, "position": p, "response": "B"}
                                                          for n, p in enumerate(positions[:2] * 2, 1)][:3])
    assert [r["outcome"] for r in batch["results"]] == ["saved"] * 3 and batch["last_seq"] == 5
    assert len(batch_sql) > SAVE_STATEMENTS  # a batch (after a dropped connection) takes the full way
    assert not [sql for sql in batch_sql if PAPER_COLUMN.search(sql)]
    attempt = Attempt.objects.get(user_key="hs_anh")
    # While the attempt runs its row is not written by a save; its counters are filled at the end.
    assert (attempt.saves, attempt.last_seq) == (0, 0) and Answer.objects.filter(attempt=attempt).count() == 5
    attempts.submit(test_now, person("hs_anh"), device, ip="10.0.0.7")
    attempt.refresh_from_db()
    assert (attempt.state, attempt.saves, attempt.last_seq) == (states.SUBMITTED, 5, 5)


def test_a_save_reads_the_paper_once_per_process_and_earlier_saves_only_when_replayed(test_now):
    device, positions = opened(test_now)
    saving._KEPT.clear()  # another process: it has not seen this attempt
    first, first_sql = saved(test_now, "hs_anh", device, [{"seq": 1, "position": positions[0], "response": "A"}])
    assert len(first_sql) > SAVE_STATEMENTS and len([s for s in first_sql if PAPER_COLUMN.search(s)]) == 1
    again, again_sql = saved(test_now, "hs_anh", device, [{"seq": 1, "position": positions[0], "response": "A"}])
    older, _sql = saved(test_now, "hs_anh", device, [{"seq": 2, "position": positions[0], "response": "C"},
                                                      {"seq": 3, "position": positions[1], "response": "D"}])
    newer, newer_sql = saved(test_now, "hs_anh", device, [{"seq": 6, "position": positions[0], "response": "B"}])
    assert first["results"][0]["outcome"] == "saved" and again["results"] == [{"seq": 1, "outcome": "already"}]
    assert not [s for s in again_sql if PAPER_COLUMN.search(s)]  # the paper is remembered now
    assert not [s for s in again_sql if s.lstrip().upper().startswith("UPDATE")]
    assert older["results"] == [{"seq": 2, "outcome": "saved"}, {"seq": 3, "outcome": "saved"}]
    assert newer["results"] == [{"seq": 6, "outcome": "saved"}] and len(newer_sql) == SAVE_STATEMENTS
    late, _sql = saved(test_now, "hs_anh", device, [{"seq": 5, "position": positions[0], "response": "C"},
                                                     {"seq": 3, "position": positions[1], "response": "D"}])
    assert late["results"] == [{"seq": 3, "outcome": "already"}, {"seq": 5, "outcome": "stale"}]
    assert late["last_seq"] == 6 and Answer.objects.count() == 4
    assert {p: r.response for p, r in evidence.sheet(Attempt.objects.get(user_key="hs_anh")).items()} == {
        positions[0]: "B", positions[1]: "D"}


def test_a_save_on_an_out_of_date_memory_takes_the_full_way(test_now):
    """The board extends the time in another process: this process still remembers the old
    deadline, so its next save's statement finds the attempt changed and writes nothing; the full
    way saves it with the new deadline and remembers it, and the save after is one statement again."""
    device, positions = opened(test_now)
    before = Attempt.objects.get(user_key="hs_anh").deadline_at
    sitting.grant_extra_time(test_now, person("gv_lan"), "hs_anh", 10, "Mất điện giữa giờ")
    assert Attempt.objects.get(user_key="hs_anh").deadline_at == before + dt.timedelta(minutes=10)
    saving._KEPT[(USAGE, "hs_anh")] = dataclasses.replace(saving._KEPT[(USAGE, "hs_anh")], deadline_at=before)
    first, first_sql = saved(test_now, "hs_anh", device, [{"seq": 1, "position": positions[0], "response": "A"}])
    assert first["results"] == [{"seq": 1, "outcome": "saved"}] and len(first_sql) > SAVE_STATEMENTS
    assert first["remaining"] > (Attempt.objects.get(user_key="hs_anh").deadline_at - clock.now()).total_seconds() - 60
    assert saving._KEPT[(USAGE, "hs_anh")].deadline_at == before + dt.timedelta(minutes=10)
    second, second_sql = saved(test_now, "hs_anh", device, [{"seq": 2, "position": positions[0], "response": "B"}])
    assert second["results"] == [{"seq": 2, "outcome": "saved"}] and len(second_sql) == SAVE_STATEMENTS


def test_a_released_device_saves_nothing_even_where_it_is_remembered(test_now):
    device, positions = opened(test_now)
    sitting.release_device(test_now, person("gv_lan"), "hs_anh", "Máy hỏng, đổi máy")
    with pytest.raises(RequestError) as refused:
        attempts.save(test_now, person("hs_anh"), device, [{"seq": 1, "position": positions[0], "response": "A"}])
    assert refused.value.status == 409 and not Answer.objects.exists()


def test_a_save_numbered_above_the_bound_is_refused(test_now):
    device, positions = opened(test_now)
    with pytest.raises(RequestError) as refused:
        attempts.save(test_now, person("hs_anh"), device, [
            {"seq": saving.MAX_SAVES + 1, "position": positions[0], "response": "A"}])
    assert (refused.value.status, refused.value.code) == (429, "too_many_saves") and not Answer.objects.exists()
    kept = attempts.save(test_now, person("hs_anh"), device, [
        {"seq": saving.MAX_SAVES, "position": positions[0], "response": "A"}])
    assert kept["results"] == [{"seq": saving.MAX_SAVES, "outcome": "saved"}]


def test_a_save_waiting_on_a_finalisation_finds_the_attempt_ended_and_keeps_nothing(test_now):
    """The deadline job (or a hand-in from another request) holds the attempt's row while it seals
    the answer sheet; a save that arrives then must not slip a row in after the seal. The save's
    statement reads the attempt with a shared lock: it waits, then finds the attempt ended. (On
    MariaDB, without the lock, READ COMMITTED lets the statement read the attempt as it was before
    the finalisation committed, and the row lands after the seal.)"""
    device, positions = opened(test_now)
    locked, done = threading.Event(), threading.Event()

    def finalise():
        try:
            with transaction.atomic():
                attempt = Attempt.objects.select_for_update().get(user_key="hs_anh")
                locked.set()
                ending.finalise(attempt, attempt.sitting, states.SUBMIT, clock.now())
                time.sleep(1.0)  # the save arrives meanwhile
        finally:
            locked.set()
            done.set()
            connection.close()

    def save():
        assert locked.wait(10)
        try:
            return attempts.save(test_now, person("hs_anh"), device,
                                 [{"seq": 1, "position": positions[0], "response": "A"}], ip="10.0.0.7")
        except RequestError as exc:
            return exc.code

    worker = threading.Thread(target=finalise)
    worker.start()
    try:
        outcome = save()
    finally:
        worker.join(30)
    assert done.is_set() and outcome == "ended", outcome
    attempt = Attempt.objects.get(user_key="hs_anh")
    assert attempt.state == states.SUBMITTED and not Answer.objects.filter(attempt=attempt).exists()
    assert evidence.verify_attempt(attempt).ok


def test_a_student_taken_off_the_roster_saves_nothing(test_now):
    device, positions = opened(test_now)
    Learner.objects.filter(user_key="hs_anh").update(class_name="10A2")
    with pytest.raises(RequestError) as refused:
        attempts.save(test_now, person("hs_anh"), device, [{"seq": 1, "position": positions[0], "response": "A"}])
    assert refused.value.status == 403 and not Answer.objects.exists()


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
    rows are the saves answered "saved"; the highest number is the answer."""
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
    assert len(rows) == len(set(rows)) == sum(o.count("saved") for o in outcomes.values())
    assert saving.last_seq(attempt) == 20 and evidence.sheet(attempt)[positions[0]].response == "ABCD"[20 % 4]
