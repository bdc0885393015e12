"""Benchmark: what a student's answer save costs in a periodic test next to a bare handler writing
one row.

Run it from the checkout:

    VNOT_VAR=/tmp/var-bench DJANGO_SETTINGS_MODULE=vn_online_teaching.demo.settings \
        .venv/bin/python bench/assessment_save.py [repetitions]

and on MariaDB, against a private server (``VNOT_DB_PORT=3307 bash scripts/mariadb.sh start``):

    VNOT_DB=mariadb VNOT_DB_PORT=3307 VNOT_VAR=/tmp/var-bench \
        DJANGO_SETTINGS_MODULE=vn_online_teaching.demo.settings .venv/bin/python bench/assessment_save.py

It builds, in the xblock-sdk workbench runtime on a fresh database (``checkin.configure``): a
``periodic_assessment`` block of class 10A1 with a 40-question paper (28 multiple choice, 4
true/false, 6 short answers, 2 essays), its window open now and no access code; as many learners
of 10A1 as the runs need, each of whom starts their attempt through the ``start`` handler (their
paper drawn, their browser bound); and ``bench_bare_save``, a minimal XBlock registered for the run
only, whose handler ``write`` does what any handler saving one answer must: parse and validate the
same JSON body as ``save_answers`` (its ``SAVE_FIELDS``) and create one ``Answer`` row (the table
a save writes, with its unique key (attempt, seq)) for an attempt made for it.

Cases, each request a webob ``Request`` through ``block.runtime.handle`` on the block loaded
afresh as that student; only ``handle`` is timed:

  (A) ``save_answers``: one answer, the next sequence number of a student's attempt, the students
      in turn (the answer checked against the delivered paper, the device and deadline checks,
      and the row inserted on its conditions, the attempt read under a shared lock);
  (B) the bare handler, one new row each; runs of A, B and A' alternate;
  (A') A again with the block's authored fields (settings, questions) read from memory after the
      first read, as the LMS serves them from its modulestore: the workbench's field store reads
      each field from the database in every request (15 queries here), which the bare handler,
      reading no field, never pays. The target (A'/B ≤ 1.3×) is read on A'.

It prints figures and what it checked, and asserts nothing. Django's DEBUG is off while timing.
"""
import gc
import json
from contextlib import contextmanager
import os
import platform
import sys
import time

from checkin import machine, on_fresh_database, summary, version

REPEAT = 200
WARMUP = 30
STUDENTS = 40
TARGET_RATIO = 1.3
BARE_TAG = "bench_bare_save"
IP = "10.0.0.7"
AGENT = "Mozilla/5.0 (Linux; Android 14) Chrome/130 Mobile"
TOPIC = "Hàm số bậc hai"
CELLS = (("mcq", "biet", 28), ("true_false", "hieu", 4), ("short", "van_dung", 6), ("essay", "van_dung", 2))


def question(fmt, level, n):
    data = {"id": f"{fmt}-{n}", "format": fmt, "topic": TOPIC, "level": level, "points": None,
            "stem": f"<p>Câu {n}: cho hàm số \\(y=x^2-{n}x+3\\). Hãy trả lời.</p>"}
    if fmt == "mcq":
        data.update(options=[f"<p>\\(x={n}{x}\\)</p>" for x in "ABCD"], answer="A", keep_order=False)
    elif fmt == "true_false":
        data.update(statements=[f"<p>Mệnh đề {n}{x}.</p>" for x in "abcd"], answers=[True, False, True, False])
    elif fmt == "short":
        data.update(kind="number", number="2.5", tolerance="0")
    else:
        data.update(points="1.5", guide="<p>Đủ ý 1,5 điểm.</p>")
    return data


def paper_fields():
    bank = [question(fmt, level, n) for fmt, level, count in CELLS for n in range(count)]
    cells = [{"topic": TOPIC, "level": level, "format": fmt, "count": count, "points": "1.5" if fmt == "essay"
              else None} for fmt, level, count in CELLS]
    return bank, {"cells": cells}


_MEMO = {}


@contextmanager
def settings_from_memory():
    """The block's authored fields (settings and content scopes) read once and then from memory,
    as the LMS serves them from its modulestore; the workbench's store reads each from the
    database on every request. Learners' state is still read from the database."""
    from workbench.runtime import WORKBENCH_KVS  # noqa: PLC0415
    from xblock.fields import Scope  # noqa: PLC0415

    real = {"get": WORKBENCH_KVS.get, "has": WORKBENCH_KVS.has}

    def cached(name):
        def read(key):
            if key.scope not in (Scope.settings, Scope.content):
                return real[name](key)
            slot = (name, key.scope, key.block_scope_id, key.field_name)
            if slot not in _MEMO:
                try:
                    _MEMO[slot] = (real[name](key), False)
                except KeyError:
                    _MEMO[slot] = (None, True)
            value, missing = _MEMO[slot]
            if missing:
                raise KeyError(key.field_name)
            return value
        return read

    WORKBENCH_KVS.get, WORKBENCH_KVS.has = cached("get"), cached("has")
    try:
        yield
    finally:
        del WORKBENCH_KVS.get, WORKBENCH_KVS.has


def bare_block_class(attempt_of_bare):
    from xblock.core import XBlock  # noqa: PLC0415

    from vn_online_teaching.assessment.attempts import SAVE_FIELDS  # noqa: PLC0415
    from vn_online_teaching.assessment.models import Answer  # noqa: PLC0415
    from vn_online_teaching.core import clock  # noqa: PLC0415
    from vn_online_teaching.core.errors import RequestError  # noqa: PLC0415
    from vn_online_teaching.core.validation import parse_json_body, validate  # noqa: PLC0415
    from vn_online_teaching.core.web import error_response, json_response  # noqa: PLC0415

    class BareSaveBlock(XBlock):
        """An XBlock handler that parses the save's JSON body and writes one Answer row."""

        @XBlock.handler
        def write(self, request, suffix=""):
            try:
                data = validate(parse_json_body(request.body), SAVE_FIELDS)
            except RequestError as exc:
                return error_response(exc)
            item = data["answers"][0]
            Answer.objects.create(attempt_id=attempt_of_bare(), seq=item["seq"], position=item["position"],
                                  question_id="bare", response=item.get("response"), saved_at=clock.now())
            return json_response({"results": [{"seq": item["seq"], "outcome": "saved"}]})

    return BareSaveBlock


def main(argv):
    on_fresh_database(measure_with_bare_block, int(argv[1]) if len(argv) > 1 else REPEAT)


def measure_with_bare_block(repeat):
    from xblock.core import XBlock  # noqa: PLC0415

    holder = {}
    XBlock.register_temp_plugin(bare_block_class(lambda: holder["attempt"]), BARE_TAG)(measure)(repeat, holder)


def measure(repeat, holder):
    host = machine()
    from django.conf import settings  # noqa: PLC0415
    from django.core.management import call_command  # noqa: PLC0415
    from django.db import connection  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415
    from webob import Request  # noqa: PLC0415
    from workbench.runtime import WorkbenchRuntime  # noqa: PLC0415

    from vn_online_teaching.assessment.models import Answer, Attempt  # noqa: PLC0415
    from vn_online_teaching.core.models import Learner  # noqa: PLC0415
    from vn_online_teaching.demo.load import load_people  # noqa: PLC0415
    from vn_online_teaching.demo.people import ORG  # noqa: PLC0415

    settings.DEBUG = False
    call_command("migrate", run_syncdb=True, verbosity=0)
    load_people()
    students = [f"hs_s{n:03d}" for n in range(1, STUDENTS + 2)]
    Learner.objects.bulk_create([
        Learner(org=ORG, sector_id=f"79260188{n:04d}", full_name=f"Học sinh thử {n:03d}", class_name="10A1",
                email=f"{u}@thptnamloi.edu.vn", username=u, user_key=u) for n, u in enumerate(students, 1)])
    runtime = WorkbenchRuntime()
    runtime.id_generator.set_scenario("bench")
    usage = runtime.parse_xml_string('<periodic_assessment display_name="Bench" class_name="10A1" subject="Toán" '
                                     'opens="2025-09-01T07:00" closes="2099-12-31T23:00" minutes="600"/>')
    bank, plan = paper_fields()
    author = WorkbenchRuntime("gv_lan").get_block(usage)
    author.questions, author.blueprint = bank, plan
    author.save()
    bare = runtime.parse_xml_string(f"<{BARE_TAG}/>")

    def handle(usage_id, user, handler, data):
        block = WorkbenchRuntime(user).get_block(usage_id)
        request = Request.blank("/", method="POST", body=json.dumps(data).encode(), content_type="application/json",
                                remote_addr=IP, headers={"User-Agent": AGENT})
        start = time.perf_counter()
        response = block.runtime.handle(block, handler, request, "")
        return time.perf_counter() - start, response.status_code, json.loads(response.body)

    devices, items = {}, {}
    for user in students:
        _t, status, body = handle(usage, user, "start", {"request_id": f"browser-{user}", "code": ""})
        if status != 200:
            raise RuntimeError(f"start answered {status}: {body}")
        devices[user] = body["device"]
        items[user] = [i for i in body["paper"]["items"] if i["format"] == "mcq"]
    bare_user = students.pop()
    holder["attempt"] = Attempt.objects.get(user_key=bare_user).pk
    seqs = dict.fromkeys(students, 0)
    counter = [0]

    def save(n):
        user = students[n % len(students)]
        seqs[user] += 1
        item = items[user][seqs[user] % len(items[user])]
        return handle(usage, user, "save_answers", {"device": devices[user], "answers": [
            {"seq": seqs[user], "position": item["position"], "response": "ABCD"[seqs[user] % 4]}]})

    def bare_write():
        counter[0] += 1
        return handle(bare, bare_user, "write", {"device": "x" * 20, "answers": [
            {"seq": counter[0], "position": 1, "response": "ABCD"[counter[0] % 4]}]})

    answers_a, answers_b = [], []
    for n in range(WARMUP):
        answers_a.append(save(n))
        answers_b.append(bare_write())
    with CaptureQueriesContext(connection) as qa:
        answers_a.append(save(WARMUP))
    with CaptureQueriesContext(connection) as qb:
        answers_b.append(bare_write())
    if os.environ.get("BENCH_SHOW_QUERIES"):
        for q in qa.captured_queries:
            print("   ", q["sql"][:160])
    gc.collect()
    with settings_from_memory():
        answers_a.append(save(WARMUP + 1))  # the first read fills the memory
    timed_a, timed_b, timed_c = [], [], []
    for n in range(WARMUP + 2, WARMUP + 2 + 2 * repeat, 2):
        timed_a.append(save(n))
        timed_b.append(bare_write())
        with settings_from_memory():
            timed_c.append(save(n + 1))
    answers_a += timed_a + timed_c
    answers_b += timed_b
    field_a = sum("workbench_xblockstate" in x["sql"] for x in qa.captured_queries)
    a_ok = sum(1 for _t, s, b in answers_a if s == 200 and b["results"][0]["outcome"] == "saved")
    b_ok = sum(1 for _t, s, b in answers_b if s == 200)
    rows = Answer.objects.exclude(question_id="bare").count()
    a, b = summary([t for t, _s, _b in timed_a]), summary([t for t, _s, _b in timed_b])
    c = summary([t for t, _s, _b in timed_c])
    n_ab = WARMUP + 1 + repeat
    n_a = len(answers_a)
    print("vn-online-teaching benchmark: periodic_assessment save_answers (workbench runtime)")
    print(f"  machine : {host}")
    print(f"  python  : {platform.python_version()}; Django {version('Django')}, XBlock {version('XBlock')}; "
          f"database {connection.vendor}"
          f"{' ' + '.'.join(map(str, connection.mysql_version)) if connection.vendor == 'mysql' else ''}")
    print(f"  runs    : {repeat} timed per case after {WARMUP} warm-up, alternating; {len(students)} students, "
          f"a 40-question paper each")
    print(f"  check   : A and A' {a_ok}/{n_a} saves answered 'saved', {rows} Answer rows; B {b_ok}/{n_ab} answered 200")
    odd = [(s_, b_) for _t, s_, b_ in answers_a if not (s_ == 200 and b_["results"][0]["outcome"] == "saved")]
    if odd:
        print(f"  WARNING : {len(odd)} saves not answered 'saved'; the first: {odd[0]}")
    print()
    print(f"  {'case':<44} {'median ms':>10} {'p95 ms':>8} {'p99 ms':>8} {'min ms':>8} {'n':>5} {'queries':>8}")
    for label, s, q in (("A  save_answers, one answer", a, qa), ("B  bare handler, one Answer row", b, qb),
                        ("A' save_answers, settings from memory", c, None)):
        field_store = sum("workbench_xblockstate" in x["sql"] for x in q.captured_queries) if q else 0
        queries = f"{len(q.captured_queries):>4} ({field_store})" if q else f"{len(qa.captured_queries) - field_a:>4} (0)"
        print(f"  {label:<44} {s['median']:>10.2f} {s['p95']:>8.2f} {s['p99']:>8.2f} {s['min']:>8.2f} {s['n']:>5}"
              f" {queries}")
    ratio = c["median"] / b["median"]
    print(f"  {'ratio A/B':<44} {a['median'] / b['median']:>9.2f}x {a['p95'] / b['p95']:>7.2f}x "
          f"{a['p99'] / b['p99']:>7.2f}x")
    label = "ratio A'/B (settings from memory, as the LMS)"
    print(f"  {label:<44} {ratio:>9.2f}x {c['p95'] / b['p95']:>7.2f}x "
          f"{c['p99'] / b['p99']:>7.2f}x")
    print(f"  (median ratio A'/B {'within' if ratio <= TARGET_RATIO else 'ABOVE'} the target of {TARGET_RATIO:.1f}x; "
          "queries of one request, in brackets those of the workbench's field store, which the LMS serves "
          "from its modulestore)")
    print(f"  statements of A': {'; '.join(statement(x['sql']) for x in qa.captured_queries if 'workbench_' not in x['sql'])}")


def statement(sql):
    """A statement named by its verb and table ("SELECT vn_online_teaching_attempt": of a select,
    the table of its last FROM, the outer one where subqueries come first)."""
    words = sql.replace('"', " ").replace("`", " ").replace("(", " ").split()
    verb = words[0].upper() if words else ""
    marker = {"SELECT": "FROM", "INSERT": "INTO", "UPDATE": "UPDATE", "DELETE": "FROM"}.get(verb)
    places = [n for n, word in enumerate(words) if word.upper() == marker and n + 1 < len(words)]
    return f"{verb} {words[places[-1] + 1]}" if places else " ".join(words[:2])


if __name__ == "__main__":
    main(sys.argv)
