"""Benchmark: what approval gating costs a student, and what a fingerprint costs a reviewer.

Run it with ``make bench``, or by hand from the checkout:

    VNOT_VAR=/tmp/var-bench DJANGO_SETTINGS_MODULE=vn_online_teaching.demo.settings \
        .venv/bin/python bench/material_render.py [repetitions]

It builds, in the xblock-sdk workbench runtime on a fresh SQLite database under ``VNOT_VAR``:

  (a) an ``approved_material`` with 10 ``html_demo`` children, walked to approval by the demo
      teacher, subject-group head and principal (the same service calls the handlers make);
  (b) the same 10 ``html_demo`` children under xblock-sdk's ``vertical_demo`` container (no gating);
  (c) an ``approved_material`` with 50 ``html_demo`` children (never submitted).

It then times, with ``time.perf_counter``, the student view of (a) and (b) rendered as the
student ``hs_anh`` (runs of the two alternate, so drift of the machine hits both alike), and
``block.live()`` of (c), which computes the fingerprint of the whole material. Each repetition
loads the block afresh in a new runtime, as a request does; only the call itself is timed.

Django's DEBUG is switched off (as in production) so no query log is kept while timing; the
number of database queries of one steady-state run of each case is counted separately.

It prints figures and asserts nothing. The database is a new file in a temporary folder under
``VNOT_VAR`` (default: ``var/`` of the checkout), removed at the end; ``VNOT_DB`` is ignored, so
the figures are always SQLite's.
"""
import gc
import os
import platform
import shutil
import sys
import tempfile
import time
import warnings

from checkin import machine, summary, version

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

REPEAT = 200          # timed repetitions per case (first command-line argument overrides)
WARMUP = 30           # untimed repetitions before each series
CHILDREN = 10         # children of the gated and ungated material
FP_CHILDREN = 50      # children of the material whose fingerprint is timed
STUDENT = "hs_anh"
TARGET_RATIO = 1.2
CHECKED = {"fits_lesson": True, "sound": True, "culture": True, "ip": True}


def configure():
    """A fresh SQLite file under VNOT_VAR, chosen before Django reads its settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vn_online_teaching.demo.settings")
    os.environ.pop("VNOT_DB", None)
    var = os.environ.get("VNOT_VAR") or os.path.join(ROOT, "var")
    os.makedirs(var, exist_ok=True)
    run_dir = tempfile.mkdtemp(prefix="bench-", dir=var)
    os.environ["VNOT_SQLITE"] = os.path.join(run_dir, "bench.db")
    return run_dir


def child_xml(number):
    return (f"<html_demo><p>Bài tập {number}: giải phương trình x² − {number + 4}x + {number + 3} = 0 "
            f"và biện luận số nghiệm theo dấu của Δ.</p></html_demo>")


def children_xml(count):
    return "\n  ".join(child_xml(i) for i in range(1, count + 1))


def material_xml(title, count):
    return f"""
<approved_material display_name="{title}" kind="lecture" subject="Toán" grade="10"
    lesson="Bài 3. Phương trình bậc hai" author_name="Nguyễn Thị Lan"
    source="SGK Toán 10, Kết nối tri thức với cuộc sống" licence="CC BY-SA 4.0"
    body="&lt;p&gt;Công thức nghiệm: Δ = b² − 4ac.&lt;/p&gt;">
  {children_xml(count)}
</approved_material>"""


def vertical_xml(count):
    return f"<vertical_demo>\n  {children_xml(count)}\n</vertical_demo>"


def main(argv):
    repeat = int(argv[1]) if len(argv) > 1 else REPEAT
    run_dir = configure()
    try:
        run(repeat)
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)


def run(repeat):
    import django  # noqa: PLC0415 - after configure()

    # The workbench's file-storage package warns about pkg_resources on import; not ours to fix.
    warnings.filterwarnings("ignore", category=UserWarning, module="fs")
    django.setup()
    from django.conf import settings  # noqa: PLC0415
    from django.core.management import call_command  # noqa: PLC0415
    from django.db import connection, reset_queries  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415
    from workbench.runtime import WorkbenchRuntime  # noqa: PLC0415
    from xblock.core import XBlock  # noqa: PLC0415

    from vn_online_teaching.core.actors import actor_from_user  # noqa: PLC0415
    from vn_online_teaching.demo.load import load_people  # noqa: PLC0415
    from vn_online_teaching.material import service  # noqa: PLC0415
    from vn_online_teaching.material.models import MaterialState  # noqa: PLC0415

    # The demo settings inherit DEBUG = True from the workbench, which makes Django keep a log of
    # every query; production runs without it, and so does the benchmark.
    settings.DEBUG = False
    call_command("migrate", run_syncdb=True, verbosity=0)
    load_people()

    # The ungated container must exist as a block type, or the comparison means nothing.
    container = XBlock.load_class("vertical_demo")

    runtime = WorkbenchRuntime()
    runtime.id_generator.set_scenario("bench")
    gated_id = runtime.parse_xml_string(material_xml("Phương trình bậc hai (bench)", CHILDREN))
    plain_id = runtime.parse_xml_string(vertical_xml(CHILDREN))
    big_id = runtime.parse_xml_string(material_xml("Học liệu 50 phần (bench)", FP_CHILDREN))

    def block_as(usage_id, username):
        return WorkbenchRuntime(username).get_block(usage_id)

    # Walk (a) to approval: teacher submits, head passes, principal approves.
    for username, action in (("gv_lan", "submit"), ("tt_minh", "pass"), ("ht_hung", "approve")):
        block = block_as(gated_id, username)
        live = block.live()
        actor = actor_from_user(block.runtime.service(block, "user").get_current_user())
        service.decide(block.where(), block.meta(), action, actor, live=live, checklist=CHECKED,
                       reviewed_fingerprint=live["fingerprint"],
                       comment="" if action == "submit" else "Nội dung phù hợp.")
    state = MaterialState.objects.get(usage_key=str(gated_id)).state

    def render(usage_id):
        block = block_as(usage_id, STUDENT)
        start = time.perf_counter()
        frag = block.render("student_view", {})
        elapsed = time.perf_counter() - start
        return elapsed, frag

    def fingerprint():
        block = block_as(big_id, "gv_lan")
        start = time.perf_counter()
        live = block.live()
        elapsed = time.perf_counter() - start
        return elapsed, live

    def queries(call):
        """(result, number of database queries) of one call: a count, not a timing."""
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            result = call()
        return result, len(captured.captured_queries)

    # What the student actually sees, so a broken setup shows in the output.
    _t, gated_frag = render(gated_id)
    _t, plain_frag = render(plain_id)
    gated_shown = gated_frag.body_html().count('class="vnot-child"')
    plain_shown = plain_frag.body_html().count("Bài tập ")
    _t, big_live = fingerprint()

    # Warm up, count the queries of one steady-state run, then time alternate gated and ungated runs.
    for _ in range(WARMUP):
        render(gated_id)
        render(plain_id)
    _r, gated_q = queries(lambda: render(gated_id))
    _r, plain_q = queries(lambda: render(plain_id))
    gc.collect()
    gated, plain = [], []
    for _ in range(repeat):
        gated.append(render(gated_id)[0])
        plain.append(render(plain_id)[0])
    for _ in range(WARMUP):
        fingerprint()
    _r, big_q = queries(fingerprint)
    gc.collect()
    fps = [fingerprint()[0] for _ in range(repeat)]

    g, p, f = summary(gated), summary(plain), summary(fps)
    ratio_median = g["median"] / p["median"]
    ratio_p95 = g["p95"] / p["p95"]

    print("vn-online-teaching benchmark: approved_material (workbench runtime)")
    print(f"  machine : {machine()}")
    print(f"  python  : {platform.python_version()}; Django {version('Django')}, XBlock {version('XBlock')}, "
          f"xblock-sdk {version('xblock-sdk')}; database {connection.vendor}")
    print(f"  runs    : {repeat} timed per case after {WARMUP} warm-up; student view as {STUDENT}; "
          f"ungated container: vertical_demo ({container.__module__}.{container.__name__})")
    print(f"  check   : material state {state!r}; student sees {gated_shown}/{CHILDREN} children gated, "
          f"{plain_shown}/{CHILDREN} ungated; fingerprint over {len(big_live['children'])} children")
    if state != "approved" or gated_shown != CHILDREN or plain_shown != CHILDREN:
        print("  WARNING : the setup is not what the benchmark assumes; the figures below compare unlike things")
    print()
    header = f"  {'case':<58} {'median ms':>10} {'p95 ms':>10} {'min ms':>10} {'queries':>8}"
    print(header)
    print("  " + "-" * (len(header) - 2))
    rows = (
        (f"student view, approved_material + {CHILDREN} html_demo (gated)", g, gated_q),
        (f"student view, vertical_demo + {CHILDREN} html_demo (ungated)", p, plain_q),
        (f"fingerprint, block.live(), approved_material + {FP_CHILDREN} children", f, big_q),
    )
    for label, s, nq in rows:
        print(f"  {label:<58} {s['median']:>10.2f} {s['p95']:>10.2f} {s['min']:>10.2f} {nq:>8}")
    print("  " + "-" * (len(header) - 2))
    verdict = "within" if ratio_median <= TARGET_RATIO else "ABOVE"
    print(f"  {'ratio gated/ungated':<58} {ratio_median:>9.2f}x {ratio_p95:>9.2f}x")
    print(f"  (median ratio {verdict} the target of {TARGET_RATIO:.1f}x; queries: database queries of one run,"
          " loading the block included)")


if __name__ == "__main__":
    main(sys.argv)
