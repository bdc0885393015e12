"""Data of a run on the real server, written and read in a process of its own with the server's
settings (``python -m httpserver.seed COMMAND``, PYTHONPATH=bench, the environment of
scripts/server.sh), so the client process holds no database connection of its own:

- ``learners CLASS PREFIX COUNT``: COUNT students ``PREFIX0001``… on the roster of CLASS (the
  demo's user service makes any ``?student=`` id an authenticated student with that user key);
  prints {"usage": the demo periodic test's usage id, "students": [...]}.
- ``burst PREFIX PER_CLASS``: PER_CLASS students in each of the ten classes of
  httpserver.scenarios and, in each class's block, a lesson that started two minutes ago (check-in
  open on the real clock), planned by the demo teacher through the records layer as the handler
  does; plus a lesson of its own for the bare view. Prints {"classes": {class: {"usage", "lesson",
  "students"}}, "bare_lesson"}.
- ``inspect USAGE USER...``: what the database holds for these students of the periodic test:
  their attempts, every save {seq: [position, response]}, the device refusals recorded, and the
  audit chain's verification. Read through the ORM and core.audit.verify.
"""
import datetime as dt
import hashlib
import json
import sys


def _setup():
    import django  # noqa: PLC0415

    django.setup()


def _learners(class_name, prefix, count):
    from vn_online_teaching.core.models import Learner  # noqa: PLC0415
    from vn_online_teaching.demo.people import ORG  # noqa: PLC0415

    names = [f"{prefix}{n:04d}" for n in range(1, count + 1)]
    Learner.objects.bulk_create([
        Learner(org=ORG, sector_id=hashlib.sha256(name.encode()).hexdigest()[:20], full_name=f"Học sinh {name}",
                class_name=class_name, username=name, user_key=name) for name in names], ignore_conflicts=True)
    return names


def assessment_usage():
    from workbench.scenarios import get_scenarios  # noqa: PLC0415

    for scenario in get_scenarios().values():
        if scenario.description.startswith("Kiểm tra định kỳ"):
            return str(scenario.usage_id)
    raise SystemExit("the demo periodic test is not among the workbench's scenarios")


def learners(class_name, prefix, count):
    return {"usage": assessment_usage(), "students": _learners(class_name, prefix, int(count))}


def _lesson_now(usage, title, teacher="gv_lan"):
    """A lesson of the block that started two minutes ago, in the first free period of today (a
    lesson planned again with the same values is the same lesson: ``title`` tells them apart)."""
    from vn_online_teaching.attendance import lessons  # noqa: PLC0415
    from vn_online_teaching.core import clock  # noqa: PLC0415
    from vn_online_teaching.core.errors import RequestError  # noqa: PLC0415
    from vn_online_teaching.demo.load import _block_as, _lesson_form, actor_of  # noqa: PLC0415

    block = _block_as(usage, teacher)
    start = (clock.to_school(clock.now()) - dt.timedelta(minutes=2)).replace(second=0, microsecond=0)
    for period in range(1, 16):
        try:
            return lessons.create_lesson(block.where(), actor_of(block), _lesson_form(
                start.date().isoformat(), period, start.strftime("%H:%M"), title, "", block.platform,
                block=block)).pk
        except RequestError:
            continue
    raise SystemExit(f"no free period today in {usage}")


def burst(prefix, per_class):
    from .scenarios import register  # noqa: PLC0415

    usages = register()
    out = {}
    for class_name, usage in usages.items():
        out[class_name] = {"usage": usage, "lesson": _lesson_now(usage, f"Tiết đầu giờ {prefix}"),
                           "students": _learners(class_name, f"{prefix}{class_name.lower()}s", int(per_class))}
    return {"classes": out, "bare_lesson": _lesson_now(usages["10A1"], f"Bench bare {prefix}")}


def inspect(usage, *users):
    from vn_online_teaching.assessment.evidence import DEVICE_REFUSED  # noqa: PLC0415
    from vn_online_teaching.assessment.models import Answer, Attempt, IntegrityEvent  # noqa: PLC0415
    from vn_online_teaching.core.audit import verify  # noqa: PLC0415

    out = {}
    for user in users:
        attempts = list(Attempt.objects.filter(usage_key=usage, user_key=user))
        saves = {}
        for attempt in attempts:
            for row in Answer.objects.filter(attempt=attempt).order_by("seq"):
                saves[str(row.seq)] = [row.position, row.response]
        out[user] = {"attempts": len(attempts), "states": [a.state for a in attempts], "saves": saves,
                     "device_refused": IntegrityEvent.objects.filter(user_key=user, kind=DEVICE_REFUSED,
                                                                     attempt__usage_key=usage).count()}
    result = verify()
    return {"students": out, "audit": {"ok": result.ok, "checked": result.checked}}


COMMANDS = {"learners": learners, "burst": burst, "inspect": inspect}

if __name__ == "__main__":
    _setup()
    json.dump(COMMANDS[sys.argv[1]](*sys.argv[2:]), sys.stdout, ensure_ascii=False)
