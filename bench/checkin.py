"""Benchmark: what a student's check-in costs next to a bare handler writing one row, and how a
class of 40 students checking in within 10 seconds fares.

Run it with ``make bench-checkin``, or by hand from the checkout:

    VNOT_VAR=/tmp/var-bench DJANGO_SETTINGS_MODULE=vn_online_teaching.demo.settings \
        .venv/bin/python bench/checkin.py [repetitions]

and on MariaDB, against a private server (``VNOT_DB_PORT=3307 bash scripts/mariadb.sh start``):

    VNOT_DB=mariadb VNOT_DB_PORT=3307 VNOT_VAR=/tmp/var-bench \
        DJANGO_SETTINGS_MODULE=vn_online_teaching.demo.settings .venv/bin/python bench/checkin.py

It builds, in the xblock-sdk workbench runtime on a fresh database:

  - a ``session_attendance`` block of class 10A1 (the demo scenario's XML, no code, any network),
    in which the demo teacher ``gv_lan`` plans lessons through the handler ``lesson_save``, each
    starting two minutes ago, so that check-in is open on the real clock;
  - the roster: the six demo learners of 10A1 and as many bench learners (``hs_b001``…) as the
    runs need, as ``Learner`` rows. The demo user service makes any ``?student=`` id an
    authenticated student whose user key is that id; check-in asks only that the key be on the
    class roster;
  - ``bench_bare_handler``, a minimal XBlock defined here and registered for the run only
    (``XBlock.register_temp_plugin``). Its handler ``write`` is what any handler writing one
    row must do: parse and validate the same JSON body as ``check_in`` (``{"lesson"}`` against
    the block's ``CHECK_IN_FIELDS``), one ``Mark.objects.get_or_create(lesson, user_key)`` keyed
    by the runtime's user id, and a JSON answer. ``Mark`` is the table a check-in writes: it
    needs nothing but a lesson (one planned for the bare block alone) and has the same unique
    key (lesson, learner) to maintain.

Cases, every request a webob ``Request`` (the browser's JSON POST) through
``block.runtime.handle`` on the block loaded afresh in a new runtime as that student, as a
request does; only the ``handle`` call is timed, with ``time.perf_counter``:

  (A) ``check_in`` as distinct students, each their first check-in of the lesson (the lesson's
      locked read with the roster and mark checks, and the new mark: the mark is the check-in's
      record, with no history row or audit entry of its own);
  (B) the bare handler as the same students, one new row each; runs of A and B alternate, so
      drift of the machine hits both alike;
  (C) 40 students of the class checking in to a fresh lesson in 40 threads, each with its own
      database connection (as ``tests/integration/test_attendance_concurrency.py`` does), opened
      before the timing starts as a serving process keeps its own: once (C1) arriving at random
      moments spread over 10 s (seeded), once (C2) all released together.

Django's DEBUG is switched off (as in production) so no query log is kept while timing; the
database queries of one steady-state request of A and B are counted separately, with those of the
workbench's field store (reads of the block's settings, which the LMS serves from its
modulestore) shown apart. p95 and p99 are nearest-rank (p99 of 40 samples is the slowest one).

It prints figures and what it checked, and asserts nothing. The database is a new SQLite file in
a temporary folder under ``VNOT_VAR`` (default: ``var/`` of the checkout), or with
``VNOT_DB=mariadb`` a new database on the server the demo settings name (``VNOT_DB_HOST``,
``VNOT_DB_PORT``, ``VNOT_DB_USER``, ``VNOT_DB_PASSWORD``); either is removed at the end.
"""
import datetime as dt
import gc
import json
import os
import platform
import random
import secrets
import shutil
import statistics
import sys
import tempfile
import threading
import time
import traceback
import warnings
from importlib import metadata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

REPEAT = 200          # timed requests per case A and B (first command-line argument overrides)
WARMUP = 30           # untimed requests of each before the series
CLASS_SIZE = 40       # students checking in together in case C
SPREAD_SECONDS = 10   # case C: the arrivals fall within this many seconds
SEED = 20250908       # case C: arrival moments
TIMEOUT = 120         # case C: seconds a thread may take before the run is called hung
TARGET_RATIO = 1.3
TARGET_P99_MS = 200
TEACHER = "gv_lan"
BARE_TAG = "bench_bare_handler"
CLASS = "10A1"
IP = "10.0.0.7"
AGENT = "Mozilla/5.0 (Linux; Android 14) Chrome/130 Mobile"


def configure():
    """A fresh database, chosen before Django reads its settings: a new SQLite file under
    VNOT_VAR, or with VNOT_DB=mariadb a new database on the configured server.

    Returns (the temporary folder, the MariaDB database's name or None)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vn_online_teaching.demo.settings")
    var = os.environ.get("VNOT_VAR") or os.path.join(ROOT, "var")
    os.makedirs(var, exist_ok=True)
    run_dir = tempfile.mkdtemp(prefix="bench-checkin-", dir=var)
    os.environ["VNOT_SQLITE"] = os.path.join(run_dir, "bench.db")
    database = None
    if os.environ.get("VNOT_DB") == "mariadb":
        database = f"vnot_bench_{secrets.token_hex(4)}"
        server_sql(f"CREATE DATABASE `{database}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
        os.environ["VNOT_DB_NAME"] = database
    return run_dir, database


def server_sql(statement):
    """Run one statement on the MariaDB server of the demo settings, outside Django."""
    import pymysql  # noqa: PLC0415 - only with VNOT_DB=mariadb

    conn = pymysql.connect(host=os.environ.get("VNOT_DB_HOST", "127.0.0.1"),
                           port=int(os.environ.get("VNOT_DB_PORT", "3306")),
                           user=os.environ.get("VNOT_DB_USER", "root"),
                           password=os.environ.get("VNOT_DB_PASSWORD", ""), charset="utf8mb4", autocommit=True)
    try:
        with conn.cursor() as cursor:
            cursor.execute(statement)
    finally:
        conn.close()


def bare_block_class():
    """The baseline block (defined once Django is set up: it writes one of our models)."""
    from xblock.core import XBlock  # noqa: PLC0415

    from vn_online_teaching.attendance.block import CHECK_IN_FIELDS  # noqa: PLC0415
    from vn_online_teaching.attendance.models import Mark  # noqa: PLC0415
    from vn_online_teaching.core.errors import RequestError  # noqa: PLC0415
    from vn_online_teaching.core.validation import parse_json_body, validate  # noqa: PLC0415
    from vn_online_teaching.core.web import error_response, json_response  # noqa: PLC0415

    class BareHandlerBlock(XBlock):
        """An XBlock handler that parses the check-in's JSON body and writes one row."""

        @XBlock.handler
        def write(self, request, suffix=""):
            if request.method != "POST":
                return error_response(RequestError("method", "POST only.", status=405))
            try:
                data = validate(parse_json_body(request.body), CHECK_IN_FIELDS)
            except RequestError as exc:
                return error_response(exc)
            _mark, created = Mark.objects.get_or_create(lesson_id=data["lesson"], user_key=str(self.scope_ids.user_id))
            return json_response({"lesson": data["lesson"], "created": created})

    return BareHandlerBlock


def percentile(samples, fraction):
    """Nearest-rank percentile of ``samples`` (fraction in 0..1)."""
    ordered = sorted(samples)
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.5)))
    return ordered[rank - 1]


def summary(samples):
    ms = [s * 1000 for s in samples]
    return {"median": statistics.median(ms), "p95": percentile(ms, 0.95), "p99": percentile(ms, 0.99),
            "min": min(ms), "n": len(ms)}


def machine():
    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{os.cpu_count()} CPUs{', ' + model if model else ''}; {platform.system()} {platform.release()}; "
            f"load average {load:.2f} at the start")


def version(dist):
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "?"


def on_fresh_database(work, *args):
    """``work(*args)`` with Django set up on a fresh database (``configure``), removed after,
    whatever happens: what every benchmark of the workbench runtime starts and ends with."""
    run_dir, database = configure()
    try:
        import django  # noqa: PLC0415 - after configure()

        # The workbench's file-storage package warns about pkg_resources on import; not ours to fix.
        warnings.filterwarnings("ignore", category=UserWarning, module="fs")
        django.setup()
        return work(*args)
    finally:
        if database:
            from django.db import connections  # noqa: PLC0415

            connections.close_all()
            server_sql(f"DROP DATABASE IF EXISTS `{database}`")
        shutil.rmtree(run_dir, ignore_errors=True)


def main(argv):
    on_fresh_database(run, int(argv[1]) if len(argv) > 1 else REPEAT)


def run(repeat):
    from xblock.core import XBlock  # noqa: PLC0415

    # The bare block exists as a block type for this run only.
    XBlock.register_temp_plugin(bare_block_class(), BARE_TAG)(measure)(repeat)


def measure(repeat):
    host = machine()  # before the runs load the machine themselves
    from django.conf import settings  # noqa: PLC0415
    from django.core.management import call_command  # noqa: PLC0415
    from django.db import connection, reset_queries  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415
    from webob import Request  # noqa: PLC0415
    from workbench.runtime import WorkbenchRuntime  # noqa: PLC0415
    from xblock.core import XBlock  # noqa: PLC0415

    from vn_online_teaching.attendance.models import Mark  # noqa: PLC0415
    from vn_online_teaching.attendance.scenarios import attendance  # noqa: PLC0415
    from vn_online_teaching.core import audit, clock  # noqa: PLC0415
    from vn_online_teaching.core.models import AuditEntry, Learner  # noqa: PLC0415
    from vn_online_teaching.demo.load import load_people  # noqa: PLC0415
    from vn_online_teaching.demo.people import ORG  # noqa: PLC0415

    # The demo settings inherit DEBUG = True from the workbench, which makes Django keep a log of
    # every query; production runs without it, and so does the benchmark.
    settings.DEBUG = False
    call_command("migrate", run_syncdb=True, verbosity=0)
    load_people()

    # The roster: the demo's learners of the class, then bench learners up to what the runs need.
    needed = max(WARMUP + repeat + 1, CLASS_SIZE)
    students = sorted(Learner.objects.filter(org=ORG, class_name=CLASS).values_list("user_key", flat=True))
    extra = [f"hs_b{n:03d}" for n in range(1, needed - len(students) + 1)]
    Learner.objects.bulk_create([
        Learner(org=ORG, sector_id=f"79260199{n:04d}", full_name=f"Học sinh thử {n:03d}", class_name=CLASS,
                email=f"{u}@thptnamloi.edu.vn", username=u, user_key=u) for n, u in enumerate(extra, 1)])
    students += extra

    bare_class = XBlock.load_class(BARE_TAG)
    runtime = WorkbenchRuntime()
    runtime.id_generator.set_scenario("bench")
    attendance_id = runtime.parse_xml_string(attendance("Toán 10A1 (bench)"))
    bare_id = runtime.parse_xml_string(f"<{BARE_TAG}/>")

    def block_as(usage_id, username):
        return WorkbenchRuntime(username).get_block(usage_id)

    def post(data):
        return Request.blank("/", method="POST", body=json.dumps(data).encode(), content_type="application/json",
                             remote_addr=IP, headers={"User-Agent": AGENT})

    def handle(usage_id, username, handler, data):
        """(seconds, status code, parsed answer) of one request; only ``handle`` is timed."""
        block = block_as(usage_id, username)
        request = post(data)
        start = time.perf_counter()
        response = block.runtime.handle(block, handler, request, "")
        elapsed = time.perf_counter() - start
        return elapsed, response.status_code, json.loads(response.body)

    start_at = clock.to_school(clock.now() - dt.timedelta(minutes=2)).replace(second=0, microsecond=0)

    def plan(period):
        """A lesson of the block that started two minutes ago, planned by the teacher's handler."""
        _t, status, body = handle(attendance_id, TEACHER, "lesson_save", {
            "date": start_at.date().isoformat(), "period": period, "start": start_at.strftime("%H:%M"),
            "platform": "meet", "mode": "online", "title": f"Tiết {period} (bench)"})
        if status != 200:
            raise RuntimeError(f"lesson_save answered {status}: {body}")
        return body["lesson"]

    lesson_a, lesson_b, lesson_spread, lesson_burst = plan(1), plan(2), plan(3), plan(4)

    def check_in(username, lesson=lesson_a):
        return handle(attendance_id, username, "check_in", {"lesson": lesson})

    def bare(username):
        return handle(bare_id, username, "write", {"lesson": lesson_b})

    def queries(call):
        """(result, database queries, of which the workbench field store's) of one call."""
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            result = call()
        sqls = [q["sql"] for q in captured.captured_queries]
        return result, len(sqls), sum("workbench_xblockstate" in s for s in sqls)

    # Loading a block as a student touches no database (only handle() is timed, so make sure).
    _b, load_q, _f = queries(lambda: block_as(attendance_id, students[0]))

    # Warm up, count the queries of one steady-state request, then time alternate requests.
    order = iter(students)
    answers_a, answers_b = [], []
    for _ in range(WARMUP):
        user = next(order)
        answers_a.append(check_in(user))
        answers_b.append(bare(user))
    user = next(order)
    counted_a, a_q, a_fq = queries(lambda: check_in(user))
    counted_b, b_q, b_fq = queries(lambda: bare(user))
    answers_a.append(counted_a)
    answers_b.append(counted_b)
    gc.collect()
    timed_a, timed_b = [], []
    for _ in range(repeat):
        user = next(order)
        timed_a.append(check_in(user))
        timed_b.append(bare(user))
    answers_a += timed_a
    answers_b += timed_b
    a_ok = sum(1 for _t, status, body in answers_a
               if status == 200 and body.get("status") == "present" and body.get("already") is False)
    b_ok = sum(1 for _t, status, body in answers_b if status == 200 and body.get("created") is True)
    a_marks = Mark.objects.filter(lesson_id=lesson_a).count()
    b_marks = Mark.objects.filter(lesson_id=lesson_b).count()

    # Case C: a class checking in together, one database connection per thread.
    class_users = students[:CLASS_SIZE]

    def together(lesson, offsets):
        """Threads check in as ``class_users`` at ``offsets`` seconds after a common start (None:
        all at once behind a barrier). Returns (latencies, answers ok, errors, seconds from the
        first arrival to the last answer)."""
        barrier = threading.Barrier(len(class_users))
        results = [None] * len(class_users)
        ends = [0.0] * len(class_users)
        origin = []

        def body(i):
            try:
                block = block_as(attendance_id, class_users[i])
                request = post({"lesson": lesson})
                connection.ensure_connection()  # an open connection, as a process serving requests keeps
                barrier.wait(timeout=TIMEOUT)
                if not origin:
                    origin.append(time.perf_counter())
                if offsets is not None:
                    time.sleep(max(0.0, origin[0] + offsets[i] - time.perf_counter()))
                start = time.perf_counter()
                response = block.runtime.handle(block, "check_in", request, "")
                ends[i] = time.perf_counter()
                results[i] = (ends[i] - start, response.status_code, json.loads(response.body), None)
            except BaseException:  # noqa: BLE001 - counted and shown below
                results[i] = (None, None, None, traceback.format_exc())
            finally:
                connection.close()

        threads = [threading.Thread(target=body, args=(i,), daemon=True) for i in range(len(class_users))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(TIMEOUT)
        hung = sum(t.is_alive() for t in threads)
        done = [r for r in results if r is not None]
        errors = [r[3] for r in done if r[3]] + ["a thread hung"] * hung
        latencies = [r[0] for r in done if r[0] is not None]
        ok = sum(1 for _t, status, answer, _e in done
                 if status == 200 and answer.get("status") == "present" and answer.get("already") is False)
        span = (max(ends) - origin[0]) if origin and latencies else float("nan")
        return latencies, ok, errors, span

    rng = random.Random(SEED)
    offsets = [rng.uniform(0, SPREAD_SECONDS) for _ in class_users]
    gc.collect()
    spread, spread_ok, spread_err, spread_span = together(lesson_spread, offsets)
    burst, burst_ok, burst_err, burst_span = together(lesson_burst, None)
    spread_marks = Mark.objects.filter(lesson_id=lesson_spread).count()
    burst_marks = Mark.objects.filter(lesson_id=lesson_burst).count()
    chain = audit.verify()
    student_entries = AuditEntry.objects.filter(actor_role="student").count()

    a, b = summary([t for t, _s, _b in timed_a]), summary([t for t, _s, _b in timed_b])
    c1 = summary(spread) if spread else None
    c2 = summary(burst) if burst else None
    ratio_median = a["median"] / b["median"]
    ratio_p95 = a["p95"] / b["p95"]
    ratio_p99 = a["p99"] / b["p99"]
    n_ab = WARMUP + 1 + repeat

    print("vn-online-teaching benchmark: session_attendance check-in (workbench runtime)")
    print(f"  machine : {host}")
    print(f"  python  : {platform.python_version()}; Django {version('Django')}, XBlock {version('XBlock')}, "
          f"xblock-sdk {version('xblock-sdk')}; database {connection.vendor}"
          f"{' ' + '.'.join(map(str, connection.mysql_version)) if connection.vendor == 'mysql' else ''}")
    print(f"  runs    : {repeat} timed per case A and B after {WARMUP} warm-up, alternating; "
          f"case C: {CLASS_SIZE} threads, one connection each")
    print(f"  baseline: {BARE_TAG} ({bare_class.__module__}.{bare_class.__name__}): JSON body parsed and "
          f"validated as check_in's, one Mark.objects.get_or_create")
    print(f"  check   : A {a_ok}/{n_ab} first check-ins answered 200 'present', lesson has {a_marks} marks; "
          f"B {b_ok}/{n_ab} rows created, lesson has {b_marks} marks; loading a block: {load_q} queries")
    print(f"  check   : C spread {spread_ok}/{CLASS_SIZE} answered 200 'present', {spread_marks} Mark rows "
          f"(expected {CLASS_SIZE}), arrivals over {max(offsets):.1f} s, last answer {spread_span:.2f} s after "
          f"the first arrival; burst {burst_ok}/{CLASS_SIZE}, {burst_marks} Mark rows, all answered in "
          f"{burst_span:.2f} s")
    print(f"  check   : audit chain {'intact' if chain.ok else 'BROKEN: ' + chain.reason} over {chain.checked} "
          f"entries (the lessons planned), {student_entries} written by students (expected 0)")
    for label, errors in (("spread", spread_err), ("burst", burst_err)):
        if errors:
            print(f"  ERROR   : case C {label}: {len(errors)} request(s) failed; the first:")
            print("    " + errors[0].strip().replace("\n", "\n    "))
    if (a_ok != n_ab or b_ok != n_ab or spread_ok != CLASS_SIZE or burst_ok != CLASS_SIZE
            or spread_marks != CLASS_SIZE or burst_marks != CLASS_SIZE or not chain.ok or load_q):
        print("  WARNING : the setup is not what the benchmark assumes; the figures below compare unlike things")
    print()
    header = (f"  {'case':<52} {'median ms':>10} {'p95 ms':>8} {'p99 ms':>8} {'min ms':>8} {'n':>5}"
              f" {'queries':>8} {'(field store)':>14}")
    print(header)
    print("  " + "-" * (len(header) - 2))
    rows = (
        ("A  check_in, first check-in, sequential", a, f"{a_q}", f"({a_fq})"),
        ("B  bare handler, one get_or_create, sequential", b, f"{b_q}", f"({b_fq})"),
        (f"C1 check_in, {CLASS_SIZE} students within {SPREAD_SECONDS} s, threads", c1, "", ""),
        (f"C2 check_in, {CLASS_SIZE} students at once, threads", c2, "", ""),
    )
    for label, s, nq, fq in rows:
        if s is None:
            print(f"  {label:<52} {'(no answer)':>10}")
            continue
        print(f"  {label:<52} {s['median']:>10.2f} {s['p95']:>8.2f} {s['p99']:>8.2f} {s['min']:>8.2f} {s['n']:>5}"
              f" {nq:>8} {fq:>14}")
    print("  " + "-" * (len(header) - 2))
    print(f"  {'ratio A/B':<52} {ratio_median:>9.2f}x {ratio_p95:>7.2f}x {ratio_p99:>7.2f}x")
    ratio_verdict = "within" if ratio_median <= TARGET_RATIO else "ABOVE"
    print(f"  (median ratio {ratio_verdict} the target of {TARGET_RATIO:.1f}x; queries: database queries of one "
          "request, in brackets those of the workbench's field store)")
    # The target's scenario is A and C1 (a class checking in within 10 s); C2, the whole class in
    # the same instant, is harsher than the target and shown beside it.
    p99s = [("A", a["p99"]), ("C1", c1["p99"] if c1 else float("inf"))]
    p99_verdict = "within" if max(v for _n, v in p99s) < TARGET_P99_MS else "ABOVE"
    print(f"  (p99 {p99_verdict} the target of {TARGET_P99_MS} ms for A and C1: "
          + ", ".join(f"{name} {value:.1f} ms" for name, value in p99s)
          + (f"; C2, all at once, beyond the target's scenario: {c2['p99']:.1f} ms)" if c2 else ")"))


if __name__ == "__main__":
    main(sys.argv)
