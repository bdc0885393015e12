"""Loading the demo data (idempotent): roster, roles, and the demo materials walked through the
workflow by the demo people, with the same service calls the handlers make."""
import datetime as dt

from django.db import transaction

from ..attendance import lessons, marks
from ..attendance.learners import class_learners
from ..attendance.models import Lesson
from ..core import clock
from ..core.actors import actor_from_user
from ..core.validation import validate
from ..core.models import Learner, RoleAssignment
from ..material import service
from ..material.models import MaterialState
from .people import ORG, PEOPLE

# scenario title prefix → actions to walk, in order (actor username, action)
STEPS = {
    "Học liệu: chờ tổ chuyên môn": [("gv_lan", "submit")],
    "Học liệu: chờ hiệu trưởng": [("gv_lan", "submit"), ("tt_minh", "pass")],
    "Học liệu: đã phê duyệt": [("gv_lan", "submit"), ("tt_minh", "pass"), ("ht_hung", "approve")],
    "Học liệu: sửa sau phê duyệt": [("gv_lan", "submit"), ("tt_minh", "pass"), ("ht_hung", "approve")],
    "Học liệu Ngữ văn: chờ tổ chuyên môn": [("gv_nam", "submit")],
}
CHECKED = {"fits_lesson": True, "sound": True, "culture": True, "ip": True}


def load_people():
    with transaction.atomic():
        for username, (name, email, _role, school_roles, sector_id, class_name) in PEOPLE.items():
            for role, subject in school_roles:
                RoleAssignment.objects.get_or_create(org=ORG, user_key=username, role=role, subject=subject,
                                                     defaults={"username": username})
            if sector_id:
                Learner.objects.update_or_create(org=ORG, sector_id=sector_id, defaults={
                    "full_name": name, "class_name": class_name, "email": email, "username": username,
                    "user_key": username})


def _block_as(usage_id, username):
    from workbench.runtime import WorkbenchRuntime  # noqa: PLC0415 - the demo runs in the workbench

    runtime = WorkbenchRuntime(username)
    return runtime.get_block(usage_id)


def actor_of(block):
    return actor_from_user(block.runtime.service(block, "user").get_current_user())


def walk(usage_id, steps, change_after=False):
    """Walk one material through ``steps``; with ``change_after``, the approval is given to an
    earlier wording of the body, so the scenario's own text shows as changed after approval."""
    if MaterialState.objects.filter(usage_key=str(usage_id)).exclude(state="draft").exists():
        return False
    original_body = None
    for username, action in steps:
        block = _block_as(usage_id, username)
        if change_after and original_body is None:
            original_body = block.body
            block.body = original_body.replace("Ví dụ", "Ví dụ mẫu")
            block.save()
        live = block.live()
        service.decide(block.where(), block.meta(), action, actor_of(block), live=live, checklist=CHECKED,
                       reviewed_fingerprint=live["fingerprint"], comment="Nội dung phù hợp." if action != "submit" else "")
    if change_after:
        block = _block_as(usage_id, "gv_lan")
        block.body = original_body
        block.save()
    return True


def load_materials():
    from workbench.scenarios import get_scenarios  # noqa: PLC0415

    done = []
    for scenario in get_scenarios().values():
        for prefix, steps in STEPS.items():
            if scenario.description.startswith(prefix):
                if walk(scenario.usage_id, steps, change_after="sửa sau" in prefix):
                    done.append(scenario.description)
    return done


# The lessons of the shared meeting-report fixtures (Zoom, Teams, Meet), 8 September 2025:
# (date, period, start, title, syllabus period, platform)
FIXTURE_LESSONS = [
    ("2025-09-08", 1, "07:30", "Bài 3. Phương trình bậc hai (tiết 1)", "12", "zoom"),
    ("2025-09-08", 2, "08:20", "Bài 3. Phương trình bậc hai (tiết 2)", "13", "teams"),
    ("2025-09-08", 3, "09:15", "Luyện tập: phương trình bậc hai", "14", "meet"),
]
# The roll of the first one, as the teacher took it: (username, status, remark)
FIXTURE_ROLL = [("hs_anh", "present", ""), ("hs_binh", "present", ""), ("hs_chau", "late", "Vào lớp lúc 7:41"),
                ("hs_duc", "unexcused", "Rời lớp sớm"), ("hs_ha", "present", ""),
                ("hs_huy", "excused", "Phụ huynh xin phép: ốm")]


def _lesson_form(date, period, start, title, syllabus_no, platform, block, **extra):
    """A lesson form checked as the handler checks it (a series has no ``date``)."""
    form = dict({"date": date, "period": period, "start": start, "length": 0, "title": title,
                 "syllabus_no": syllabus_no, "platform": platform, "link": block.meeting_link, "mode": block.mode},
                **extra)
    fields = lessons.SERIES_FIELDS if "first" in extra else lessons.LESSON_FIELDS
    return validate({k: v for k, v in form.items() if k in fields}, fields)


def load_lessons():
    """Lessons of class 10A1 (once per block): in the first attendance scenario the fixtures'
    lessons with a roll call, a weekly series from this week's Monday and a lesson running now; in
    the others only a lesson running now, so check-in can be tried at once in each."""
    from workbench.scenarios import get_scenarios  # noqa: PLC0415

    done = []
    for scenario in get_scenarios().values():
        if not scenario.description.startswith("Điểm danh"):
            continue
        block = _block_as(scenario.usage_id, "gv_lan")
        where = block.where()
        if Lesson.objects.filter(usage_key=where.usage_key).exists():
            continue
        actor = actor_of(block)
        now = clock.to_school(clock.now())
        start = (now - dt.timedelta(minutes=5)).replace(second=0, microsecond=0)
        if done:
            # Further blocks of the same class get only a lesson running now (for their own
            # check-in settings): the class's timetable and logbook stay those of the first.
            lessons.create_lesson(where, actor, _lesson_form(
                start.date().isoformat(), 11, start.strftime("%H:%M"), "Tiết học đang diễn ra (demo)", "",
                block.platform, block=block))
            done.append(scenario.description)
            continue
        first = None
        for row in FIXTURE_LESSONS:
            lesson = lessons.create_lesson(where, actor, _lesson_form(*row, block=block))
            first = first or lesson
        keys = {x.username: x.user_key for x in class_learners(where.org, where.class_name)}
        marks.set_marks(where, actor, first.pk, [{"user": keys[u], "status": s, "remark": r}
                                                      for u, s, r in FIXTURE_ROLL if u in keys])
        monday = now.date() - dt.timedelta(days=now.weekday())
        lessons.create_series(where, actor, _lesson_form(
            None, 1, "07:30", "Ôn tập chương", "20", block.platform, block=block,
            first=monday.isoformat(), until=(monday + dt.timedelta(days=27)).isoformat(), weekdays=[0, 2, 4]))
        lessons.create_lesson(where, actor, _lesson_form(
            start.date().isoformat(), 10, start.strftime("%H:%M"), "Tiết học đang diễn ra (demo)", "", block.platform,
            block=block))
        done.append(scenario.description)
    return done


def load_assessments():
    """The demo periodic test's access code (``assessment.scenarios.DEMO_CODE``): the block keeps
    only its keyed hash under the site's secret, which no OLX can carry. Its window is open now
    (set in the scenario), so a demo student can take the test at once."""
    from workbench.scenarios import get_scenarios  # noqa: PLC0415

    from ..assessment.access_code import code_ok, hash_code  # noqa: PLC0415
    from ..assessment.scenarios import DEMO_CODE, READY  # noqa: PLC0415

    done = []
    for scenario in get_scenarios().values():
        if scenario.description != READY:
            continue
        block = _block_as(scenario.usage_id, "gv_lan")
        if not code_ok(block.code_hash, DEMO_CODE) or not block.code_hash:
            block.code_hash = hash_code(DEMO_CODE)
            block.save()
            done.append(scenario.description)
    return done


# The test already over: (student, bank letter chosen for every multiple-choice question, the
# true/false answers in the bank's order, the short answer, the essay, what happens, the essay's
# mark or None to leave it for the teacher). "submit": handed in; "deadline": saved and never
# handed in, ended by the server when the teacher closes the window; hs_huy never starts.
ENDED_SITTING = [
    ("hs_anh", "A", (True, True, False, True), "-2,25",
     "Tập xác định D = R. Đỉnh I(1; -4), trục đối xứng x = 1. Hàm số nghịch biến trên (-∞; 1), đồng biến "
     "trên (1; +∞). Đồ thị cắt Ox tại (-1; 0) và (3; 0), cắt Oy tại (0; -3).", "submit", "1.75"),
    ("hs_binh", "B", (True, False, False, True), "-2,5",
     "D = R, đỉnh I(1; -4). Bảng biến thiên: giảm rồi tăng. Em chưa vẽ kịp đồ thị.", "submit", "1"),
    ("hs_chau", "A", (True, True, True, True), "-2,25",
     "Tập xác định R. Đỉnh (1; -4), a = 1 > 0 nên bề lõm quay lên. Đồ thị đi qua (-1; 0), (3; 0), (0; -3).",
     "submit", None),
    ("hs_duc", "C", (False, True, False, True), "2,25", "Đỉnh I(1; -4).", "deadline", None),
    ("hs_ha", "A", (True, True, False, False), "-2,25",
     "D = R; x = 1 là trục đối xứng; bảng biến thiên và đồ thị như hình vẽ trên giấy nháp.", "submit", None),
]


def _shown_answers(attempt_paper, choice, statements, short, essay):
    """The answers in the letters this student was shown (the paper shuffles options)."""
    out = []
    for item in attempt_paper["items"]:
        fmt, order = item["question"]["format"], list(item["order"])
        if fmt == "mcq":
            response = "ABCD"[order.index(choice)]
        elif fmt == "true_false":
            response = {"abcd"[i]: statements["abcd".index(bank)] for i, bank in enumerate(order)}
        else:
            response = short if fmt == "short" else essay
        out.append({"seq": len(out) + 1, "position": item["position"], "response": response})
    return out


def load_ended_assessment():
    """The students of 10A1 sit the ended demo test with the same service calls the handlers
    make, the teacher closes its window (the open attempt ends at once: grace 0) and marks two
    essays; three are left to mark. Once only: False when the test already has attempts."""
    from workbench.scenarios import get_scenarios  # noqa: PLC0415

    from ..assessment import attempts, ending, marking, sitting  # noqa: PLC0415
    from ..assessment.models import Attempt  # noqa: PLC0415
    from ..assessment.scenarios import ENDED  # noqa: PLC0415

    usage_id = next((s.usage_id for s in get_scenarios().values() if s.description == ENDED), None)
    if usage_id is None or Attempt.objects.filter(usage_key=str(usage_id)).exists():
        return False
    for number, (username, choice, statements, short, essay, how, _mark) in enumerate(ENDED_SITTING, start=1):
        block = _block_as(usage_id, username)
        test, actor = block.test(), actor_of(block)
        started = attempts.start(test, actor, request_id=f"demo-{username}", ip=f"10.10.1.{number}",
                                 user_agent="Demo browser")
        paper = Attempt.objects.get(usage_key=test.usage_key, user_key=username).paper
        answers = _shown_answers(paper, choice, statements, short, essay)
        if how == "submit":
            attempts.submit(test, actor, started["device"], answers, ip=f"10.10.1.{number}", user_agent="Demo browser")
        else:
            attempts.save(test, actor, started["device"], answers, ip=f"10.10.1.{number}", user_agent="Demo browser")
    teacher = _block_as(usage_id, "gv_lan")
    test, actor = teacher.test(), actor_of(teacher)
    sitting.change_window(test, actor, "close_now", "Hết giờ làm bài của ca 1 (dữ liệu demo).")
    ending.finalise_due()
    for username, *_rest, mark in ENDED_SITTING:
        if mark is not None:
            attempt = Attempt.objects.get(usage_key=test.usage_key, user_key=username)
            position = next(i["position"] for i in attempt.paper["items"] if i["question"]["format"] == "essay")
            marking.mark_essay(test, actor, username, position, mark, "Đúng hướng; trình bày rõ ràng.")
    return True
