"""Benchmark over HTTP against a real server: gunicorn serving the demo project on MariaDB
(scripts/server.sh: 2 sync workers, the LMS's command line under Tutor), driven by one asyncio
client process (httpx) holding every student's connection.

Run it with ``make bench-http`` (the full run: 300 students for 5 minutes, then the 7:30 burst of
400), or by hand from the checkout:

    .venv/bin/python bench/http_load.py [--students 300] [--minutes 5] [--burst 400]

(a) The sitting: ``--students`` students of class 10A1 start the demo periodic test (the access
    code, as the page does), then each answers a question every 2–6 s (uniform, seeded per student)
    for ``--minutes``; each answer is queued and saved as the page saves it
    (bench/httpserver/client.py: the attempt's sequence numbers, one request in flight, resend
    after 3 s without an answer). Afterwards every student's queue is sent to the end, and the
    database (read by a separate process) is compared with what the server acknowledged: a
    "lost save" is an answer acknowledged with a 200, or the newest answer of a position, that the
    database does not hold with that number and value.
(b) The 7:30 burst: ``--burst`` students of ten classes (10A1…10A10, one attendance block and one
    lesson running now per class, planned by the demo teacher) check in at the same instant:
    every request is made ready, then all are released together. Then the same students send the
    same JSON body at the same instant to a BARE view (bench/httpserver/bare.py: the CSRF check,
    the body validated, one Mark row written, no XBlock runtime), served by the same gunicorn.
(c) One student saving 50 times, one save after the other: the service time of a save with no
    queue in front of it, which with 2 workers sets how many saves a second the server can take.

Time to response is measured per request in the client (``time.perf_counter`` around the POST:
connection, queueing in gunicorn's backlog, the request); p50/p95/p99 are nearest-rank. Errors are
answers other than 200 and requests with no answer. It prints the figures; ``--check`` exits 1
when there was any error or lost save (the server tier's smoke run uses it; nothing is asserted
on time). The server runs on its own database (``vnot_bench``, dropped and made again) under
``VNOT_VAR`` (default var/bench-http of the checkout), and is stopped at the end; MariaDB too,
if this run started it.
"""
import argparse
import asyncio
import datetime as dt
import math
import os
import platform
import random
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))

from httpserver.client import Stats, Student, http_client, post  # noqa: E402
from httpserver.server import Server  # noqa: E402

CODE = "TOAN10"  # the demo periodic test's access code (assessment.scenarios.DEMO_CODE)
CLASSES = 10
SEED = 20250908


def percentile(values, share):
    """Nearest-rank percentile (of 40 samples p99 is the slowest)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def figures(stats, requests=None):
    ms = [v * 1000 for v in stats.latencies]
    bad = sum(n for status, n in stats.statuses.items() if status != 200)
    return {"requests": requests if requests is not None else len(ms) + stats.no_answer,
            "errors": bad + stats.no_answer, "statuses": dict(sorted(stats.statuses.items())),
            "no_answer": stats.no_answer, "p50": percentile(ms, 0.50), "p95": percentile(ms, 0.95),
            "p99": percentile(ms, 0.99), "max": max(ms) if ms else float("nan")}


def line(name, fig):
    return (f"{name:<34} {fig['requests']:>7} req  {fig['errors']:>4} errors  p50 {fig['p50']:8.1f} ms  "
            f"p95 {fig['p95']:8.1f} ms  p99 {fig['p99']:8.1f} ms  max {fig['max']:8.1f} ms  {fig['statuses']}")


async def sitting(server, base, count, seconds, low=2.0, high=6.0):
    """(a): {"start", "save", "lost", "students", "seconds", "lost_lines"}."""
    group = server.seed("learners", "10A1", f"load{random.randrange(10**6):06d}x", count)
    start_stats, save_stats = Stats(), Stats()
    async with http_client(count + 10) as http:
        students = [Student(http, base, group["usage"], user, start_stats, rng=random.Random(f"{SEED}-{user}"))
                    for user in group["students"]]
        started = await asyncio.gather(*(s.start(CODE) for s in students))
        refused = [(s.user, status) for s, (status, _v) in zip(students, started) if status != 200]
        sitters = [s for s, (status, _v) in zip(students, started) if status == 200]
        for student in sitters:
            student.stats = save_stats
        stop = asyncio.Event()
        began = time.perf_counter()
        tasks = [asyncio.ensure_future(s.sit(stop, low, high)) for s in sitters]
        await asyncio.sleep(seconds)
        stop.set()
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - began
    data = await asyncio.to_thread(server.seed, "inspect", group["usage"], *[s.user for s in sitters])
    lost = [text for s in sitters for text in s.lost(data["students"][s.user]["saves"])]
    attempts = [u for u, row in data["students"].items() if row["attempts"] != 1]
    stalled = [(s.user, s.refusals) for s in sitters if s.refusals]
    return {"start": figures(start_stats), "save": figures(save_stats), "lost": len(lost),
            "offered": round(count / ((low + high) / 2), 1), "lost_lines": lost[:20],
            "refused_starts": refused, "stalled": stalled, "not_one_attempt": attempts, "audit": data["audit"],
            "seconds": elapsed, "acked": sum(len(s.acked) for s in sitters)}


async def serial(server, base, count):
    """(c) one student, ``count`` saves one after the other: the time a save takes with no queue
    in front of it (the service time that sets how many saves a second 2 workers serve)."""
    group = await asyncio.to_thread(server.seed, "learners", "10A1", f"one{random.randrange(10**6):06d}x", 1)
    stats = Stats()
    async with http_client(2) as http:
        student = Student(http, base, group["usage"], group["students"][0], Stats(), rng=random.Random(SEED))
        await student.start(CODE)
        student.stats = stats
        for _ in range(count):
            student.answer()
            await student.flush()
    return figures(stats)


async def _together(requests, connections):
    """Send every (url, body) at the same instant; the Stats of their answers."""
    stats = Stats()
    async with http_client(connections) as http:
        gate = asyncio.Event()

        async def one(url, body):
            await gate.wait()
            return await post(http, url, body, stats, url)

        tasks = [asyncio.ensure_future(one(url, body)) for url, body in requests]
        await asyncio.sleep(0.5)  # every task waits at the gate
        gate.set()
        answers = await asyncio.gather(*tasks)
    return stats, answers


async def burst(server, base, count):
    """(b): the check-in burst and the bare view's, {"checkin", "bare", "statuses_seen"}."""
    per_class = max(1, count // CLASSES)
    data = await asyncio.to_thread(server.seed, "burst", f"b{random.randrange(10**5):05d}", per_class)
    checkins, bares = [], []
    for info in data["classes"].values():
        for user in info["students"]:
            checkins.append((f"{base}/handler/{info['usage']}/check_in/?student={user}", {"lesson": info["lesson"]}))
            bares.append((f"{base}/bench/bare/?student={user}", {"lesson": data["bare_lesson"]}))
    check_stats, answers = await _together(checkins, len(checkins) + 10)
    marked = sum(1 for a in answers if a and a[0] == 200 and a[1].get("status") in ("present", "late"))
    bare_stats, bare_answers = await _together(bares, len(bares) + 10)
    written = sum(1 for a in bare_answers if a and a[0] == 200 and a[1].get("created"))
    return {"checkin": figures(check_stats), "bare": figures(bare_stats), "marked": marked, "bare_written": written,
            "students": len(checkins)}


def report(result, students, workers=2):
    out = [f"Real server: gunicorn {workers} sync workers (--preload) on MariaDB; {os.cpu_count()} cores; "
           f"Python {platform.python_version()}; {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC; "
           f"load average before {result.get('load_before', '?')}, after {_load()} (other work on the machine "
           f"takes the same cores)"]
    if "sitting" in result:
        s = result["sitting"]
        out.append(f"(a) {students} students, an answer every 2–6 s for {s['seconds']:.0f} s: "
                   f"{s['acked']} answers acknowledged, lost saves {s['lost']}, "
                   f"students without exactly one attempt {len(s['not_one_attempt'])}, "
                   f"stopped queues {len(s['stalled'])}, audit chain {'intact' if s['audit']['ok'] else 'BROKEN'}")
        out.append(line("    start (all at once)", s["start"]))
        out.append(line("    save_answers", s["save"]))
        out.append(f"    saves served {s['save']['requests'] / s['seconds']:.1f}/s; offered about {s['offered']}/s "
                   f"(one save in flight per student, each every 2–6 s)")
        for text in s["lost_lines"]:
            out.append(f"    LOST {text}")
    if "serial" in result:
        out.append(line("(c) one student, saves one at a time", result["serial"]))
    if "burst" in result:
        b = result["burst"]
        out.append(f"(b) 7:30 burst: {b['students']} students of {CLASSES} classes at the same instant "
                   f"({b['marked']} marked present, bare view wrote {b['bare_written']} rows)")
        out.append(line("    check_in (session_attendance)", b["checkin"]))
        out.append(line("    bare view (one row)", b["bare"]))
    return "\n".join(out)


def failures(result):
    """What ``--check`` refuses: errors, lost saves, a student without exactly one attempt."""
    found = []
    if "sitting" in result:
        s = result["sitting"]
        for key in ("start", "save"):
            if s[key]["errors"]:
                found.append(f"{key}: {s[key]['errors']} errors {s[key]['statuses']}")
        if s["lost"] or s["not_one_attempt"] or s["stalled"] or s["refused_starts"] or not s["audit"]["ok"]:
            found.append(f"lost {s['lost']}, attempts {s['not_one_attempt']}, stalled {s['stalled']}, "
                         f"refused starts {s['refused_starts']}, audit {s['audit']}")
    if "serial" in result and result["serial"]["errors"]:
        found.append(f"serial: {result['serial']['errors']} errors")
    if "burst" in result:
        b = result["burst"]
        for key in ("checkin", "bare"):
            if b[key]["errors"]:
                found.append(f"{key}: {b[key]['errors']} errors {b[key]['statuses']}")
        if b["marked"] != b["students"] or b["bare_written"] != b["students"]:
            found.append(f"burst: {b['marked']} marked, {b['bare_written']} bare rows of {b['students']}")
    return found


def _load():
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


async def run(server, base, students, seconds, burst_size):
    result = {"load_before": _load()}
    if students:
        result["sitting"] = await sitting(server, base, students, seconds)
    if students:
        result["serial"] = await serial(server, base, 50)
    if burst_size:
        result["burst"] = await burst(server, base, burst_size)
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=300, help="students of the sitting (0: none)")
    parser.add_argument("--minutes", type=float, default=5.0, help="length of the sitting")
    parser.add_argument("--burst", type=int, default=400, help="students of the 7:30 check-in burst (0: none)")
    parser.add_argument("--check", action="store_true", help="exit 1 on any error or lost save")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn's workers (2: as Tutor runs the LMS)")
    args = parser.parse_args(argv)
    var = os.environ.get("VNOT_VAR") or os.path.join(ROOT, "var", "bench-http")
    server = Server(var, db_name="vnot_bench", workers=args.workers)
    print("Starting MariaDB and gunicorn…", flush=True)
    server.start(fresh=True)
    try:
        result = asyncio.run(run(server, server.url, args.students, args.minutes * 60, args.burst))
    finally:
        server.close()
    print(report(result, args.students, args.workers))
    problems = failures(result)
    for problem in problems:
        print("FAILED:", problem)
    return 1 if args.check and problems else 0


if __name__ == "__main__":
    sys.exit(main())
