"""Periodic-test attempts under concurrent requests, on real database connections (one per
thread), as a class pressing "start" together against several LMS processes would. Runs on
SQLite (IMMEDIATE transactions) and on MariaDB (VNOT_DB=mariadb, row locks): every start locks
the sitting's row first, every save the attempt's, and the unique keys (test, student) and
(attempt, sequence number) back them up.

The test's window is placed around the real clock (not a frozen one), so that the threads' waits
and timeouts keep working.
"""
import datetime as dt

import pytest

from helpers import errors_of, run_threads
from test_assessment_records import STUDENTS, USAGE, make_test, person
from vn_online_teaching.assessment import attempts, evidence, states
from vn_online_teaching.assessment.models import Answer, Attempt, IntegrityEvent
from vn_online_teaching.core import audit, clock
from vn_online_teaching.core.errors import RequestError
from vn_online_teaching.core.models import AuditHead
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
