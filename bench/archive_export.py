"""Benchmark: exporting a school's records as an archive package (archive/jobs.py) against a raw
dump of the same rows to CSV, and the export's peak memory as the school doubles.

Run it from the checkout:

    .venv/bin/python bench/archive_export.py [--learners 1000] [--lessons 200] [--tests 20]
                                             [--scale 1.0] [--no-double]

A synthetic school is written into a fresh SQLite database (in a temporary folder): ``--learners``
learners in classes of 40, each class with ``--lessons`` lessons (one mark per learner and lesson,
a logbook line per lesson) and ``--tests`` periodic tests (one marked attempt per learner with its
delivered paper and 5 answers). ``--scale`` multiplies the three numbers (0.1 for a quick run). Then,
each in a process of its own so that its peak resident size (``ru_maxrss``) is its own:

  (raw)     every row of every table the features export (core/exporting.py, the same queries),
            written once to one CSV file: the least any export must do;
  (archive) the export job: every table as CSV, JSON lines, XLSX (and PDF for the printable
            documents), every document, the audit segment, SHA-256 and SHA-512 of everything, the
            index page, the signature, and the package stored.

With doubling (the default), the same is run on a school twice as large (twice the learners), so
the two peaks show whether memory stays flat. It prints the figures side by side and asserts
nothing. The issue's targets: the export within twice the raw dump's time, peak memory at most
300 MB and flat when the data doubles.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ORG = "BENCH"
CLASS_SIZE = 40
ANSWERS = 5


def setup(folder):
    os.environ["VNOT_VAR"] = folder
    os.environ["VNOT_SQLITE"] = os.path.join(folder, "bench.db")
    os.environ["DJANGO_SETTINGS_MODULE"] = "vn_online_teaching.demo.settings"
    sys.path.insert(0, os.path.join(ROOT, "xblocks"))
    import django  # noqa: PLC0415

    django.setup()


def populate(learners, lessons, tests):
    import datetime as dt  # noqa: PLC0415

    from django.core.management import call_command  # noqa: PLC0415
    from django.utils import timezone  # noqa: PLC0415
    from vn_online_teaching.assessment.models import Answer, Attempt, Sitting  # noqa: PLC0415
    from vn_online_teaching.attendance.models import Lesson, LogbookEntry, Mark  # noqa: PLC0415
    from vn_online_teaching.core.models import Learner  # noqa: PLC0415

    call_command("migrate", run_syncdb=True, verbosity=0)
    classes = max(1, learners // CLASS_SIZE)
    start = timezone.make_aware(dt.datetime(2025, 9, 8, 7, 30))
    paper = {"questions": [{"id": f"q{i}", "kind": "choice", "text": f"Câu {i}: Giải phương trình bậc hai x² − {i}x + 2 = 0",
                            "options": ["x = 1", "x = 2", "Vô nghiệm", "x = −1"]} for i in range(1, 11)]}
    result = {"points": {f"q{i}": "1" for i in range(1, 11)}, "raw": "7", "maximum": "10", "scaled": "7",
              "score": "7", "verdict": None, "unmarked": []}
    for c in range(classes):
        name, course = f"10A{c + 1}", f"course-v1:{ORG}+TOAN10A{c + 1}+2025"
        keys = [f"u{c:03d}{k:03d}" for k in range(CLASS_SIZE)]
        Learner.objects.bulk_create([Learner(org=ORG, sector_id=f"79260{c:03d}{k:03d}", full_name=f"Nguyễn Văn Học {c}-{k}",
                                             class_name=name, username=key, user_key=key)
                                     for k, key in enumerate(keys)])
        rows = [Lesson(usage_key=f"{course}.att", course_key=course, org=ORG, class_name=name, subject="Toán",
                       date=(start + dt.timedelta(days=i)).date(), period=1, starts_at=start + dt.timedelta(days=i),
                       ends_at=start + dt.timedelta(days=i, minutes=45), title=f"Bài {i + 1}. Hàm số bậc hai",
                       code_salt="s", created_by="gv") for i in range(lessons)]
        Lesson.objects.bulk_create(rows, batch_size=1000)
        saved = list(Lesson.objects.filter(course_key=course).values_list("pk", flat=True))
        Mark.objects.bulk_create([Mark(lesson_id=pk, user_key=key, status="present", updated_by="gv")
                                  for pk in saved for key in keys], batch_size=5000)
        LogbookEntry.objects.bulk_create([LogbookEntry(lesson_id=pk, content="Dạy đúng phân phối chương trình",
                                                       rating="good") for pk in saved], batch_size=2000)
        for t in range(tests):
            opens = start + dt.timedelta(days=7 * t)
            sitting = Sitting.objects.create(usage_key=f"{course}.test{t}", course_key=course, org=ORG, class_name=name,
                                             subject="Toán", title=f"Kiểm tra {t + 1}", opens=opens,
                                             closes=opens + dt.timedelta(hours=1), minutes=45, mode="online")
            Attempt.objects.bulk_create([Attempt(sitting=sitting, usage_key=sitting.usage_key, user_key=key,
                                                 state="marked", mode="online", seed="x", paper=paper, paper_hash="h",
                                                 started_at=opens, deadline_at=opens + dt.timedelta(minutes=45),
                                                 accept_until=opens + dt.timedelta(minutes=46), result=result)
                                         for key in keys])
            attempts = Attempt.objects.filter(sitting=sitting).values_list("pk", flat=True)
            Answer.objects.bulk_create([Answer(attempt_id=pk, seq=n, position=n, question_id=f"q{n}",
                                               response={"choice": n % 4}, saved_at=opens + dt.timedelta(minutes=n))
                                        for pk in attempts for n in range(1, ANSWERS + 1)], batch_size=5000)
    return {"learners": classes * CLASS_SIZE, "lessons": classes * lessons, "marks": classes * lessons * CLASS_SIZE,
            "attempts": classes * tests * CLASS_SIZE}


def raw_dump(folder):
    import csv  # noqa: PLC0415

    from vn_online_teaching.core import exporting  # noqa: PLC0415

    scope = exporting.Scope(ORG)
    rows = 0
    with open(os.path.join(folder, "raw.csv"), "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        for exporter in exporting.features():
            for table in exporter.tables(scope):
                writer.writerow(table.keys)
                for row in table.rows():
                    writer.writerow(row)
                    rows += 1
    return {"rows": rows, "bytes": os.path.getsize(os.path.join(folder, "raw.csv"))}


def archive(folder):
    from types import SimpleNamespace  # noqa: PLC0415

    from django.conf import settings  # noqa: PLC0415
    from vn_online_teaching.archive import jobs, signing  # noqa: PLC0415
    from vn_online_teaching.core.exporting import Scope  # noqa: PLC0415

    settings.VN_ONLINE_TEACHING["ARCHIVE_SIGNING_KEY"] = signing.new_private_pem().decode("ascii")
    operator = SimpleNamespace(user_key="", username="bench", full_name="bench", display_name="bench")
    job = jobs.request(operator, "operator", Scope(ORG), "bench", language="vi")
    job = jobs.run(job.pk)
    if job.status != "done":
        raise SystemExit(job.error)
    return {"rows": sum(job.counts["tables"].values()), "bytes": job.size, "files": job.counts["files"]}


def child(args):
    setup(args.folder)
    start = time.perf_counter()
    if args.child == "populate":
        out = populate(args.learners, args.lessons, args.tests)
    else:
        out = (raw_dump if args.child == "raw" else archive)(args.folder)
    out["seconds"] = time.perf_counter() - start
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


def run_child(kind, folder, learners, lessons, tests):
    done = subprocess.run([sys.executable, os.path.abspath(__file__), "--child", kind, "--folder", folder,
                           "--learners", str(learners), "--lessons", str(lessons), "--tests", str(tests)],
                          capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"{kind} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(learners, lessons, tests):
    with tempfile.TemporaryDirectory(prefix="vnot-bench-archive-") as folder:
        made = run_child("populate", folder, learners, lessons, tests)
        return made, run_child("raw", folder, learners, lessons, tests), run_child("archive", folder, learners,
                                                                                   lessons, tests)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, default=1000)
    parser.add_argument("--lessons", type=int, default=200)
    parser.add_argument("--tests", type=int, default=20)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--no-double", action="store_true")
    parser.add_argument("--child", choices=("populate", "raw", "archive"))
    parser.add_argument("--folder")
    args = parser.parse_args()
    if args.child:
        return child(args)
    size = [max(CLASS_SIZE, round(args.learners * args.scale)), max(1, round(args.lessons * args.scale)),
            max(1, round(args.tests * args.scale))]
    sizes = [size] if args.no_double else [size, [size[0] * 2] + size[1:]]
    print(f"{'school':>42} | {'raw CSV s':>9} {'MB':>6} | {'archive s':>9} {'MB':>6} | {'ratio':>5} | "
          f"{'rows':>9} {'package MB':>10}")
    for learners, lessons, tests in sizes:
        made, raw, package = measure(learners, lessons, tests)
        school = (f"{made['learners']} learners, {made['lessons']} lessons, "
                  f"{made['attempts'] // max(1, made['learners'])} tests")
        print(f"{school:>42} | {raw['seconds']:9.1f} {raw['peak_mb']:6.0f} | {package['seconds']:9.1f} "
              f"{package['peak_mb']:6.0f} | {package['seconds'] / raw['seconds']:5.1f} | {raw['rows']:9d} "
              f"{package['bytes'] / 1e6:10.1f}", flush=True)
    return None


if __name__ == "__main__":
    main()
