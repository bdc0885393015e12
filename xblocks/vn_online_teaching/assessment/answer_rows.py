"""The statement of a student's save in the common case: the answer's row inserted on the
conditions the save was decided on, in one round trip (saving.py says when it is taken and what
happens otherwise).

Written in SQL: the ORM cannot say ``INSERT … SELECT … WHERE`` with a locking read, and building
a query through it costs a save more Python than the database's work."""
from django.db import transaction

from ..core.models import Learner
from . import states
from .models import Answer, Attempt

_INSERT_ANSWER = {}  # (database alias, vendor) → the statement of insert_answer, written once


def _insert_answer_sql(conn):
    quote = conn.ops.quote_name
    table = {model: quote(model._meta.db_table) for model in (Answer, Attempt, Learner)}
    answer = {name: quote(Answer._meta.get_field(name).column) for name in (
        "attempt", "seq", "position", "question_id", "response", "saved_at")}
    col = {name: quote(Attempt._meta.get_field(name).column) for name in (
        "id", "user_key", "state", "paper_hash", "device_hash", "last_ip", "deadline_at", "accept_until")}
    lock = {"mysql": " LOCK IN SHARE MODE", "postgresql": " FOR SHARE"}.get(conn.vendor, "")
    return (f"INSERT INTO {table[Answer]} ({', '.join(answer.values())}) SELECT a.{col['id']}, %s, %s, %s, %s, %s "
            f"FROM {table[Attempt]} a WHERE a.{col['id']} = %s AND a.{col['state']} = '{states.IN_PROGRESS}' "
            f"AND a.{col['paper_hash']} = %s AND a.{col['device_hash']} = %s AND a.{col['last_ip']} = %s "
            f"AND a.{col['deadline_at']} = %s AND a.{col['accept_until']} = %s "
            f"AND EXISTS(SELECT 1 FROM {table[Learner]} l WHERE l.{quote('org')} = %s "
            f"AND l.{quote('class_name')} = %s AND l.{quote('user_key')} = a.{col['user_key']}) "
            f"AND NOT EXISTS(SELECT 1 FROM {table[Answer]} n WHERE n.{answer['attempt']} = a.{col['id']} "
            f"AND n.{answer['seq']} >= %s){lock}")


def insert_answer(test, known, seq, position, question_id, response, now):
    """Keep one save as one statement, on the condition that the attempt is still as ``known``
    says (its id, state, paper, device, address, deadline: what the save was decided on, kept
    in memory by saving.py), the student on the class's roster, and ``seq`` above every number
    the attempt has kept (so it is new and the newest of its position). True if the row was
    written; False with nothing written when any of that no longer holds, for the full way to
    decide. (The sitting as the block is configured is the caller's to compare: every change of
    the sitting that bears on a save moves the attempt's deadline, which is compared here.)

    One statement in autocommit (the platform runs XBlock handlers outside a request's
    transaction) is one round trip to the database, as a bare handler writing one row costs. It
    is safe against the deadline job and the board: the attempt's row is read with a shared lock
    (LOCK IN SHARE MODE on MariaDB and MySQL), so a finalisation holding the row waits for the
    save, or the save waits for it and then finds the attempt ended and writes nothing; without
    the lock, READ COMMITTED would let the save read the attempt as it was before the
    finalisation committed (tests/integration/test_assessment_concurrency.py shows it). On
    SQLite an insert's statement holds the database's write lock from its start. The unique key
    (attempt, seq) backs up the number's check; the caller takes a duplicate the full way."""
    conn = transaction.get_connection()
    sql = _INSERT_ANSWER.get((conn.alias, conn.vendor)) or _INSERT_ANSWER.setdefault(
        (conn.alias, conn.vendor), _insert_answer_sql(conn))
    ops = conn.ops
    params = [seq, position, question_id, Answer._meta.get_field("response").get_db_prep_save(response, conn),
              ops.adapt_datetimefield_value(now), known.attempt_id, known.paper_hash, known.device_hash,
              known.last_ip, ops.adapt_datetimefield_value(known.deadline_at),
              ops.adapt_datetimefield_value(known.accept_until), test.org, test.class_name, seq]
    with conn.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount == 1
