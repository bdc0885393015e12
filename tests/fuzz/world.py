"""The records every fuzz example starts from, made through the handlers as people would make
them: the demo roster and roles, the demo materials in every state of the workflow, lessons of
10A1 (past, now, later, cancelled, with a code), a roll, check-ins, a wrong code, imported
meeting reports and a signed logbook line, an attachment.

Seeding is per block type (``SEEDS``); a block type without a seed is fuzzed on its scenarios as
they are. The requests the seeding had accepted become examples the strategies and the boundary
sweep start from.
"""
import datetime as dt
import json
from zoneinfo import ZoneInfo

from webob import Request

from . import discovery, harness, reports
from .fields import Pools
from .requests import Example

ICT = ZoneInfo("Asia/Ho_Chi_Minh")
# Every example runs at this instant: a Monday of the school year, two minutes into period 1
# (the lesson of the Zoom sample), so check-in windows, today's lessons and the week are real.
NOW = dt.datetime(2025, 9, 8, 7, 32, tzinfo=ICT)
CHECKED = {"fits_lesson": True, "sound": True, "culture": True, "ip": True}


class Seeder:
    def __init__(self):
        self.examples = {}

    def keep(self, handler, usage, user, body=None, query=None, suffix=""):
        block_type = str(usage).split(".")[-3]
        self.examples.setdefault(f"{block_type}.{handler}", []).append(Example(str(usage), user, body, query, suffix))

    def post(self, usage, user, handler, body, keep=True):
        block = harness.block_as(usage, user)
        request = Request.blank("/", method="POST", body=json.dumps(body).encode(), content_type="application/json")
        response = block.runtime.handle(block, handler, request, "")
        assert response.status_code == 200, (handler, body, response.body)
        if keep:
            self.keep(handler, usage, user, body)
        return json.loads(response.body)

    def trial(self, usage, user, handler, body):
        """Keep a request that changes something as an example, having seen it accepted, without
        keeping what it changed: the sweep and the random requests start from a request that
        would be carried out, not from a retry of one already done."""
        with harness.rolled_back():
            self.post(usage, user, handler, body)

    def upload(self, usage, user, handler, name, data, **form):
        block = harness.block_as(usage, user)
        request = Request.blank("/", POST=dict({"file": (name, data)}, **form))
        response = block.runtime.handle(block, handler, request, "")
        assert response.status_code == 200, (handler, name, response.body)
        block_type = str(usage).split(".")[-3]
        self.examples.setdefault(f"{block_type}.{handler}", []).append(
            Example(str(usage), user, form=form, file=(name, data)))
        return json.loads(response.body)


def seed_attendance(usages, s):
    from vn_online_teaching.attendance.models import Lesson  # noqa: PLC0415
    from vn_online_teaching.demo.load import load_lessons  # noqa: PLC0415

    load_lessons()  # the samples' three lessons of today with a roll, a weekly series, a lesson now
    main, coded = usages[0], usages[-1]
    planned = Lesson.objects.filter(usage_key=str(main))
    first, second = (planned.get(date=NOW.date(), period=p).pk for p in (1, 2))  # the Zoom and Teams samples'
    upcoming = list(planned.filter(starts_at__gt=NOW, period=1).order_by("starts_at").values_list("pk", flat=True))
    later, other = upcoming[-1], upcoming[0]
    lesson = {"date": "2025-09-09", "period": 2, "start": "08:20", "platform": "meet", "mode": "online",
              "title": "Bài 4. Luyện tập", "syllabus_no": "15"}
    s.post(main, "gv_lan", "lesson_save", lesson, keep=False)
    s.trial(main, "gv_lan", "lesson_save", dict(lesson, date="2025-09-10", period=3, start="09:15", platform="zoom",
                                                 link="https://zoom.us/j/83512264071", title="Bài 5. Ôn tập"))
    s.post(main, "gv_lan", "lesson_cancel", {"lesson": later, "reason": "Nghỉ lễ"}, keep=False)
    s.trial(main, "gv_lan", "lesson_cancel", {"lesson": other, "reason": "Giáo viên đi tập huấn"})
    s.post(main, "gv_lan", "mark", {"lesson": first, "marks": [{"user": "hs_huy", "status": "excused",
                                                               "remark": "Ốm", "location": "online"}]}, keep=False)
    s.trial(main, "gv_lan", "mark", {"lesson": second, "marks": [{"user": "hs_binh", "status": "late",
                                                                 "remark": "Mạng yếu", "location": "online"}]})
    preview = s.upload(main, "gv_lan", "import_report", "zoom.csv", reports.SAMPLES["zoom-participants.csv"],
                       lesson=str(first))
    s.post(main, "gv_lan", "import_confirm", {"lesson": first, "report": preview["report"],
                                              "rows": _confirmed(preview)[:3]}, keep=False)
    teams = s.upload(main, "gv_lan", "import_report", "teams.csv", reports.SAMPLES["teams-attendance.csv"],
                     lesson=str(second))
    s.trial(main, "gv_lan", "import_confirm", {"lesson": second, "report": teams["report"], "rows": _confirmed(teams)})
    entry = {"lesson": first, "content": "Bài 3. Phương trình bậc hai", "remarks": "Lớp chú ý", "rating": "A",
             "confirm": True}
    s.post(main, "gv_lan", "logbook_entry", entry, keep=False)
    s.trial(main, "gv_lan", "logbook_entry", dict(entry, lesson=second, content="Bài 3 (tiết 2)", confirm=False))
    now_lesson = Lesson.objects.filter(usage_key=str(main), period=10).first()
    if now_lesson is not None:
        s.post(main, "hs_anh", "check_in", {"lesson": now_lesson.pk, "code": ""}, keep=False)
        s.trial(main, "hs_binh", "check_in", {"lesson": now_lesson.pk, "code": ""})
    coded_lesson = Lesson.objects.filter(usage_key=str(coded), require_code=True).first()
    if coded_lesson is not None:
        block = harness.block_as(coded, "hs_chau")
        request = Request.blank("/", method="POST", body=b'{"lesson": %d, "code": "000000"}' % coded_lesson.pk,
                                content_type="application/json")
        block.runtime.handle(block, "check_in", request, "")  # a wrong code, counted
    for name in ("roll_call", "code", "logbook_read"):
        s.keep(name, main, "gv_lan", {"lesson": first})
    s.keep("history", main, "gv_lan", {"lesson": first, "user": "hs_anh"})
    s.keep("mark_unmarked", main, "gv_lan", {"lesson": second, "status": "unexcused"})
    s.keep("lesson_restore", main, "gv_lan", {"lesson": later, "reason": "Học bù"})
    s.keep("series_create", main, "gv_lan", {
        "first": "2025-09-15", "until": "2025-10-15", "weekdays": [1, 3], "period": 5, "start": "10:10",
        "platform": "zoom", "mode": "hybrid", "title": "Ôn tập", "syllabus_no": "30", "link": "https://zoom.us/j/1"})
    s.keep("studio_submit", main, "gv_lan", {
        "display_name": "Toán 10A1", "class_name": "10A1", "subject": "Toán", "platform": "zoom",
        "meeting_link": "https://zoom.us/j/83512264071", "mode": "hybrid", "require_code": True,
        "networks": ["203.0.113.0/24"]})
    s.keep("logbook", main, "gv_lan", query={"week": "2025-09-08"})
    s.keep("class_report", main, "gv_lan", query={}, suffix="html")
    s.keep("calendar", main, "hs_anh", query={})
    s.keep("report_file", main, "gv_lan", query={}, suffix=str(teams["report"]))


def _confirmed(preview):
    """The rows a teacher confirms from a preview: each matched person with the suggested status."""
    return [{"person": p["i"], "username": p["username"], "status": p["suggested"]}
            for p in preview["people"] if p.get("username") and p.get("suggested")]


def seed_material(usages, s):
    from vn_online_teaching.demo.load import load_materials  # noqa: PLC0415

    load_materials()
    draft = usages[0]
    item = s.upload(draft, "gv_lan", "upload_attachment", "de-cuong.pdf", b"%PDF-1.4\n% de cuong\n%%EOF\n")
    block = harness.block_as(draft, "gv_lan")
    form = {name: getattr(block, name) for name in ("display_name", "kind", "subject", "grade", "lesson",
                                                    "author_name", "source", "licence", "body", "links")}
    form["attachments"] = [a["sha256"] for a in block.attachments]
    s.keep("studio_submit", draft, "gv_lan", form)
    s.keep("attachment", draft, "gv_lan", query={}, suffix=item["sha256"])
    s.keep("register_export", usages[-1], "vt_thu", query={"report": "teachers", "scope": "school"}, suffix="xlsx")
    for usage in usages:
        live = harness.block_as(usage, "gv_lan").live()
        for action, user in (("submit", "gv_lan"), ("withdraw", "gv_lan"), ("pass", "tt_minh"),
                             ("return_review", "tt_minh"), ("approve", "ht_hung"), ("return_approval", "ht_hung"),
                             ("revoke", "ht_hung")):
            s.keep("decide", usage, user, {"action": action, "comment": "Cần bổ sung ví dụ.", "checklist": CHECKED,
                                           "fingerprint": live["fingerprint"], "request_id": f"{action}-1"})


SEEDS = {"session_attendance": seed_attendance, "approved_material": seed_material}


def seed():
    """Make the records (inside the caller's transaction) and return (usages by type, Pools)."""
    from vn_online_teaching.core.models import RoleAssignment  # noqa: PLC0415
    from vn_online_teaching.demo.load import load_people  # noqa: PLC0415
    from vn_online_teaching.demo.people import ORG, PEOPLE  # noqa: PLC0415

    load_people()
    RoleAssignment.objects.get_or_create(org=ORG, user_key="cn_10a1", role="homeroom", subject="10A1",
                                         defaults={"username": "cn_10a1"})
    by_type = discovery.usages()
    seeder = Seeder()
    for block_type, usages in by_type.items():
        if usages and block_type in SEEDS:
            SEEDS[block_type](usages, seeder)
    return by_type, pools(seeder.examples, list(PEOPLE) + harness.USERS)


def pools(examples, users):
    """Ids, hashes, dates and choices found in the records and the handlers' schemas."""
    from vn_online_teaching.attendance.models import Lesson  # noqa: PLC0415
    from vn_online_teaching.material.models import Attachment  # noqa: PLC0415

    ids = set()
    for model in harness.our_models():
        ids.update(model.objects.values_list("pk", flat=True))
    choices = {}
    for handler in discovery.all_handlers():
        for name, spec in (handler.schema or {}).items():
            if getattr(spec, "choices", None):
                choices.setdefault(name, set()).update(spec.choices)
    fingerprints = [e.body.get("fingerprint", "") for e in examples.get("approved_material.decide", [])]
    return Pools(ids=ids, users=users, shas=Attachment.objects.values_list("sha256", flat=True),
                 fingerprints=[f for f in fingerprints if f],
                 dates=[d.isoformat() for d in Lesson.objects.values_list("date", flat=True)],
                 choices={k: sorted(v, key=str) for k, v in choices.items()}, examples=examples)
