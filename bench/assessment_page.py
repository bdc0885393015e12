"""Benchmark: the student's page of a periodic test with a 40-question paper, and what the browser
downloads for it.

Run it from the checkout:

    VNOT_VAR=/tmp/var-bench DJANGO_SETTINGS_MODULE=vn_online_teaching.demo.settings \
        .venv/bin/python bench/assessment_page.py [repetitions]

On a fresh database (``checkin.configure``; ``VNOT_DB=mariadb`` as there), in the xblock-sdk
workbench runtime, a ``periodic_assessment`` block with the 40-question paper of
``assessment_save.py`` (window open, no access code) and a student who has started it. Timed,
each on the block loaded afresh as that student:

  (P) the page: ``student_view`` rendered through the runtime (the summary, the template, the
      fragment with its scripts and translations); the paper is not in the page;
  (R) ``resume``: the handler that gives the page the paper (40 questions without their keys)
      and the answers saved, which the page's script lays out;
both with the block's authored fields read from memory after the first read, as the LMS serves
them from its modulestore (``assessment_save.settings_from_memory``), and once more as the
workbench reads them (from its database, every field, every request).

It prints the medians and percentiles, and the bytes of the page's own script and style sheet
(``assessment_student.js``, ``assessment.css``), the shared ones every page of the package loads
(``vnot.js``, ``vnot.css``), each also gzip-compressed, and the size of the paper's JSON. Targets:
the page ≤ 30 ms, the page's own JS + CSS ≤ 60 KB. It asserts nothing.
"""
import gc
import gzip
import json
import os
import platform
import sys
import time

from assessment_save import paper_fields, settings_from_memory
from checkin import machine, on_fresh_database, summary, version

REPEAT = 200
WARMUP = 20
TARGET_MS = 30
TARGET_BYTES = 60 * 1024
STATIC = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "xblocks", "vn_online_teaching",
                      "static", "vn_online_teaching")
OWN = ("js/assessment_student.js", "css/assessment.css")
SHARED = ("js/vnot.js", "css/vnot.css")


def main(argv):
    on_fresh_database(measure, int(argv[1]) if len(argv) > 1 else REPEAT)


def sizes(names):
    out = []
    for name in names:
        with open(os.path.join(STATIC, name), "rb") as f:
            data = f.read()
        out.append((name, len(data), len(gzip.compress(data, 9))))
    return out


def measure(repeat):
    host = machine()
    from django.conf import settings  # noqa: PLC0415
    from django.core.management import call_command  # noqa: PLC0415
    from django.db import connection  # noqa: PLC0415
    from webob import Request  # noqa: PLC0415
    from workbench.runtime import WorkbenchRuntime  # noqa: PLC0415

    from vn_online_teaching.core.models import Learner  # noqa: PLC0415
    from vn_online_teaching.demo.load import load_people  # noqa: PLC0415
    from vn_online_teaching.demo.people import ORG  # noqa: PLC0415

    settings.DEBUG = False
    call_command("migrate", run_syncdb=True, verbosity=0)
    load_people()
    student = "hs_p001"
    Learner.objects.create(org=ORG, sector_id="792601770001", full_name="Học sinh thử", class_name="10A1",
                           email=f"{student}@thptnamloi.edu.vn", username=student, user_key=student)
    runtime = WorkbenchRuntime()
    runtime.id_generator.set_scenario("bench")
    usage = runtime.parse_xml_string('<periodic_assessment display_name="Bench" class_name="10A1" subject="Toán" '
                                     'opens="2025-09-01T07:00" closes="2099-12-31T23:00" minutes="600"/>')
    author = WorkbenchRuntime("gv_lan").get_block(usage)
    author.questions, author.blueprint = paper_fields()
    author.save()

    def post(handler, data):
        block = WorkbenchRuntime(student).get_block(usage)
        request = Request.blank("/", method="POST", body=json.dumps(data).encode(), content_type="application/json")
        start = time.perf_counter()
        response = block.runtime.handle(block, handler, request, "")
        return time.perf_counter() - start, response.status_code, json.loads(response.body)

    def page():
        block = WorkbenchRuntime(student).get_block(usage)
        start = time.perf_counter()
        fragment = block.runtime.render(block, "student_view", {})
        return time.perf_counter() - start, fragment

    _t, status, opened = post("start", {"request_id": "browser-1", "code": ""})
    if status != 200:
        raise RuntimeError(f"start answered {status}: {opened}")
    device = opened["device"]
    paper_json = json.dumps(opened["paper"], ensure_ascii=False).encode()

    def series(memory):
        pages, resumes = [], []
        for _ in range(WARMUP):
            with settings_from_memory() if memory else _nothing():
                page()
                post("resume", {"device": device})
        gc.collect()
        for _ in range(repeat):
            with settings_from_memory() if memory else _nothing():
                pages.append(page()[0])
                pages_ok.append("vnot-asm" in pages_fragment())
                resumes.append(post("resume", {"device": device}))
        return summary(pages), summary([t for t, _s, _b in resumes]), resumes

    pages_ok = []
    last = {}

    def pages_fragment():
        if "html" not in last:
            last["html"] = page()[1].content
        return last["html"]

    p_mem, r_mem, resumes = series(True)
    p_db, r_db, _r = series(False)
    items = len(resumes[-1][2].get("paper", {}).get("items", []))
    own, shared = sizes(OWN), sizes(SHARED)
    own_bytes = sum(s for _n, s, _g in own)
    print("vn-online-teaching benchmark: periodic_assessment student page, 40-question paper (workbench runtime)")
    print(f"  machine : {host}")
    print(f"  python  : {platform.python_version()}; Django {version('Django')}, XBlock {version('XBlock')}; "
          f"database {connection.vendor}")
    print(f"  runs    : {repeat} timed per case after {WARMUP} warm-up")
    print(f"  check   : resume gave {items} questions (expected 40), every answer "
          f"{'200' if all(s == 200 for _t, s, _b in resumes) else 'NOT 200'}; the page is the student's page: "
          f"{all(pages_ok)}")
    print()
    print(f"  {'case':<52} {'median ms':>10} {'p95 ms':>8} {'p99 ms':>8} {'min ms':>8}")
    for label, s in (("P  student_view (settings from memory, as the LMS)", p_mem),
                     ("R  resume: the paper (settings from memory)", r_mem),
                     ("P  student_view (workbench field store)", p_db),
                     ("R  resume (workbench field store)", r_db)):
        print(f"  {label:<52} {s['median']:>10.2f} {s['p95']:>8.2f} {s['p99']:>8.2f} {s['min']:>8.2f}")
    print(f"  (page median {'within' if p_mem['median'] <= TARGET_MS else 'ABOVE'} the target of {TARGET_MS} ms)")
    print()
    print(f"  {'file':<40} {'bytes':>8} {'gzip':>8}")
    for name, size, packed in (*own, *shared):
        print(f"  {name:<40} {size:>8} {packed:>8}")
    print(f"  {'the paper (resume, JSON)':<40} {len(paper_json):>8} {len(gzip.compress(paper_json, 9)):>8}")
    print(f"  (the page's own JS + CSS: {own_bytes / 1024:.1f} KB, "
          f"{'within' if own_bytes <= TARGET_BYTES else 'ABOVE'} the target of {TARGET_BYTES // 1024} KB; with the "
          f"shared files {(own_bytes + sum(s for _n, s, _g in shared)) / 1024:.1f} KB)")


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


if __name__ == "__main__":
    main(sys.argv)
