"""Workbench demo scenarios of periodic_assessment (Vietnamese demo content), both a mathematics
test of class 10A1 with questions of all four formats and a blueprint the bank fills:

* one ready to take, its window open now. ``demo/load.py`` sets its access code (kept as a hash
  under the site's secret, so it cannot be written into the OLX); the code is in the title.
* one already over: ``demo/load.py`` has the students of 10A1 sit it (most hand in, one is ended
  by the server when the teacher closes the window, one never starts), marks some essays and
  leaves the others, so a teacher can mark, correct a key and release the results at once. Its
  grace is 0 seconds so the closing ends the open attempt at once."""
import json
from xml.sax.saxutils import quoteattr

DEMO_CODE = "TOAN10"
TOPIC = "Hàm số bậc hai"


def _mcq(qid, level, stem, options, answer):
    return {"id": qid, "format": "mcq", "topic": TOPIC, "level": level, "stem": stem, "points": None,
            "options": options, "answer": answer, "keep_order": False}


QUESTIONS = [
    _mcq("demo-mcq-1", "biet", "<p>Đồ thị hàm số \\(y=x^2-4x+3\\) có trục đối xứng là</p>",
         ["<p>\\(x=2\\)</p>", "<p>\\(x=-2\\)</p>", "<p>\\(x=4\\)</p>", "<p>\\(x=3\\)</p>"], "A"),
    _mcq("demo-mcq-2", "biet", "<p>Hàm số \\(y=-x^2+2x\\) có hệ số \\(a\\) bằng</p>",
         ["<p>\\(-1\\)</p>", "<p>\\(1\\)</p>", "<p>\\(2\\)</p>", "<p>\\(0\\)</p>"], "A"),
    _mcq("demo-mcq-3", "biet", "<p>Đỉnh của parabol \\(y=x^2-2x+5\\) là</p>",
         ["<p>\\(I(1;4)\\)</p>", "<p>\\(I(-1;8)\\)</p>", "<p>\\(I(2;5)\\)</p>", "<p>\\(I(1;5)\\)</p>"], "A"),
    _mcq("demo-mcq-4", "biet", "<p>Parabol \\(y=2x^2\\) có bề lõm quay</p>",
         ["<p>lên trên</p>", "<p>xuống dưới</p>", "<p>sang trái</p>", "<p>sang phải</p>"], "A"),
    {"id": "demo-tf-1", "format": "true_false", "topic": TOPIC, "level": "hieu", "points": None,
     "stem": "<p>Cho hàm số \\(y=x^2-6x+8\\). Xét tính đúng sai của các mệnh đề sau.</p>",
     "statements": ["<p>Đồ thị cắt trục hoành tại hai điểm.</p>", "<p>Hàm số đồng biến trên \\((3;+\\infty)\\).</p>",
                    "<p>Giá trị nhỏ nhất của hàm số là \\(-2\\).</p>", "<p>Đồ thị đi qua điểm \\((0;8)\\).</p>"],
     "answers": [True, True, False, True]},
    {"id": "demo-short-1", "format": "short", "topic": TOPIC, "level": "van_dung", "points": None,
     "stem": "<p>Tìm giá trị nhỏ nhất của hàm số \\(y=x^2-5x+4\\).</p>", "kind": "number", "number": "-2.25",
     "tolerance": "0"},
    {"id": "demo-essay-1", "format": "essay", "topic": TOPIC, "level": "van_dung", "points": "2",
     "stem": "<p>Lập bảng biến thiên và vẽ đồ thị hàm số \\(y=x^2-2x-3\\).</p>",
     "guide": "<p>Tập xác định 0,5 điểm; bảng biến thiên 0,75 điểm; đồ thị 0,75 điểm.</p>"},
]
BLUEPRINT = {"cells": [
    {"topic": TOPIC, "level": "biet", "format": "mcq", "count": 4, "points": None},
    {"topic": TOPIC, "level": "hieu", "format": "true_false", "count": 1, "points": None},
    {"topic": TOPIC, "level": "van_dung", "format": "short", "count": 1, "points": None},
    {"topic": TOPIC, "level": "van_dung", "format": "essay", "count": 1, "points": "2"},
]}


def assessment(title, opens="2025-09-01T07:00", closes="2099-12-31T23:00", minutes=45, extra=""):
    return (f"\n<periodic_assessment display_name={quoteattr(title)} class_name=\"10A1\" subject=\"Toán\" "
            f"opens=\"{opens}\" closes=\"{closes}\" minutes=\"{minutes}\" mode=\"at_school\" {extra}"
            f"questions={quoteattr(json.dumps(QUESTIONS, ensure_ascii=False))} "
            f"blueprint={quoteattr(json.dumps(BLUEPRINT, ensure_ascii=False))}/>")


READY = f"Kiểm tra định kỳ: Toán 10A1, mã truy cập {DEMO_CODE} (Periodic test)"
ENDED = "Kiểm tra định kỳ đã kết thúc: Toán 10A1, chấm và công bố điểm (Periodic test, ended)"
SCENARIOS = [
    (READY, assessment("Kiểm tra giữa kì I — Toán 10 — Hàm số bậc hai")),
    (ENDED, assessment("Kiểm tra giữa kì I — Toán 10 — Hàm số bậc hai (ca 1, đã kết thúc)",
                       extra='grace="0" review="key" ')),
]
