"""The roll call: every learner's mark at a lesson, the teacher's marks and their history.

Every change of a mark keeps a ``MarkChange`` (who, when, before, after) and, for a teacher's
change, an audit entry; all of it under the lesson's lock (``records.locked``), so the history's
order is the order of the writes.
"""
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q

from ..core import clock, i18n
from ..core.errors import Forbidden, RequestError
from ..core.i18n import N_
from ..core.validation import Field
from . import roll
from .learners import class_learners, learner_of
from .models import Mark, MarkChange
from .records import MANAGE, VIEW_STAFF, authorize, get_lesson, locked, permitted, record, refuse_cancelled
from .timetable import lesson_data

SOURCES = {"checkin": N_("Student check-in"), "teacher": N_("Teacher"), "import": N_("Meeting report")}
MARK_FIELDS = ("status", "remark", "location")
LOCATIONS = ("", roll.IN_ROOM, roll.ONLINE)
MAX_REMARK = 500
MAX_ITEMS = 300  # marks saved at once: more than any class has learners

# One line of the teacher's roll call: the learner and any of the status, the remark and the place.
MARK_ITEM = Field(dict, fields={
    "user": Field(str, max_length=255),
    "status": Field(str, required=False, choices=[*roll.STATUSES, roll.UNMARKED]),
    "remark": Field(str, required=False, max_length=MAX_REMARK),
    "location": Field(str, required=False, choices=list(LOCATIONS)),
})


def state(mark):
    """What a mark's history records of it."""
    return {k: getattr(mark, k) for k in MARK_FIELDS}


def check_in_unrecorded(mark, has_checkin_change):
    """True when the mark's check-in is in the mark alone (a first check-in), not in a ``MarkChange``
    (a check-in onto an empty mark, and every check-in before marks kept their check-in status)."""
    return bool(mark.checked_in_at and mark.checked_in_status and not has_checkin_change)


# Reading -------------------------------------------------------------------------------------

def roll_call(where, actor, lesson_id):
    """The roster of one lesson with every learner's mark: {"lesson", "rows", "counts", "total",
    "can_manage"}, for those who may read the block's rolls. Marks of people no longer on the
    class roster are listed after it (``on_roster`` False)."""
    allowed = permitted(actor, where, (VIEW_STAFF, MANAGE))
    if VIEW_STAFF not in allowed:
        raise Forbidden()
    lesson = get_lesson(where.usage_key, lesson_id)
    marks = {m.user_key: m for m in Mark.objects.filter(lesson=lesson).annotate(
        n_changes=Count("changes"), n_checkin=Count("changes", filter=Q(changes__source="checkin")))}

    def row(user_key, full_name, sector_id, username, on_roster):
        mark = marks.get(user_key)
        return {
            "user": user_key, "full_name": full_name, "sector_id": sector_id, "username": username,
            "on_roster": on_roster, "status": mark.status if mark else roll.UNMARKED,
            "remark": mark.remark if mark else "", "location": mark.location if mark else "",
            "source": mark.source if mark and mark.status else "",
            "checked_in_at": clock.display(mark.checked_in_at, where.org) if mark and mark.checked_in_at else "",
            "minutes": float(mark.minutes) if mark and mark.minutes is not None else None,
            "minutes_display": i18n.decimal(mark.minutes) if mark else "",
            "changes": (mark.n_changes + check_in_unrecorded(mark, mark.n_checkin)) if mark else 0,
        }

    roster = class_learners(where.org, lesson.class_name)
    rows = [row(x.user_key, x.full_name, x.sector_id, x.username, True) for x in roster]
    known = {x.user_key for x in roster}
    rows += [row(key, key, "", key, False) for key in sorted(k for k in marks if k not in known)]
    return {"lesson": lesson_data(lesson, where.org), "rows": rows, "total": len(roster),
            "counts": roll.counts([r["status"] for r in rows if r["on_roster"]]), "can_manage": MANAGE in allowed}


def mark_history(where, actor, lesson_id, user_key):
    """Every change of one learner's mark at one lesson, oldest first: who, when, before, after;
    a check-in also with the address and the device it came from (for those who may read the
    rolls). A first check-in has no ``MarkChange`` of its own: the mark holds it, and it is
    shown here as the change it was (from not yet marked to the status the server gave)."""
    authorize(actor, VIEW_STAFF, where)
    lesson = get_lesson(where.usage_key, lesson_id)
    mark = Mark.objects.filter(lesson=lesson, user_key=user_key).first()
    if mark is None:
        return []
    changes = [{"at": c.at, "by_key": c.by_key, "by": c.by_name or c.by_key, "source": c.source,
                "before": c.before, "after": c.after}
               for c in mark.changes.order_by("pk")]  # written under the lesson's lock: pk order is the order
    if check_in_unrecorded(mark, any(c["source"] == "checkin" for c in changes)):
        unmarked = {k: "" for k in MARK_FIELDS}
        name = getattr(learner_of(where.org, lesson.class_name, user_key), "full_name", "") or user_key
        changes.insert(0, {"at": mark.checked_in_at, "by_key": user_key, "by": name, "source": "checkin",
                           "before": unmarked, "after": dict(unmarked, status=mark.checked_in_status)})
    device = {"ip": mark.ip, "device": roll.device_of(mark.user_agent)}  # of the one check-in a mark can have
    return [dict(c, at=clock.display(c["at"], where.org), at_iso=clock.iso(c["at"]),
                 **(device if c["source"] == "checkin" else {})) for c in changes]


def attended(usage_key, lesson_id):
    """User keys of the learners marked present or late at one lesson of this block."""
    return list(Mark.objects.filter(lesson__usage_key=usage_key, lesson_id=lesson_id, status__in=roll.ATTENDED)
                .values_list("user_key", flat=True))


def roll_as_signed(lesson):
    """Every mark of the lesson with a status, as the teacher signs the logbook entry (call with
    the lesson locked): learner, status, where it came from, and the check-in's time and status."""
    return [{"user": m.user_key, "status": m.status, "source": m.source, "location": m.location,
             "checked_in_at": clock.iso(m.checked_in_at) if m.checked_in_at else "",
             "checked_in_status": m.checked_in_status}
            for m in Mark.objects.filter(lesson=lesson).exclude(status="").order_by("user_key")]


# Changes -------------------------------------------------------------------------------------

def apply(lesson, actor, source, items, now):
    """Write ``items`` ([{"user_key", and any of "status", "remark", "location", "minutes"}]) to the
    lesson's marks; a MarkChange for every mark that changed. Call with the lesson locked.
    Returns the changes as plain data."""
    changes = []
    for item in items:
        mark = Mark.objects.filter(lesson=lesson, user_key=item["user_key"]).first()
        mark = mark or Mark.objects.create(lesson=lesson, user_key=item["user_key"])
        before = state(mark)
        after = dict(before, **{k: item[k] for k in MARK_FIELDS if k in item})
        if item.get("minutes") is not None:
            mark.minutes = Decimal(str(item["minutes"]))
        if after == before:
            if item.get("minutes") is not None:
                mark.save(update_fields=["minutes", "updated_at"])
            continue
        for k, v in after.items():
            setattr(mark, k, v)
        if after["status"] != before["status"]:
            mark.source = source
        mark.updated_by = actor.user_key
        mark.save()
        MarkChange.objects.create(mark=mark, at=now, by_key=actor.user_key, by_name=actor.display_name, source=source,
                                  before=before, after=after)
        changes.append({"user": item["user_key"], "before": before, "after": after})
    return changes


def _items(lesson, marks):
    """The teacher's marks (each checked by ``MARK_ITEM``) as items to apply: learners of the
    class or already marked at this lesson, each once; what an item leaves out stays as it is."""
    allowed = {learner.user_key for learner in class_learners(lesson.org, lesson.class_name)}
    allowed |= set(Mark.objects.filter(lesson=lesson).values_list("user_key", flat=True))
    items, seen = [], set()
    for mark in marks:
        if mark["user"] not in allowed or mark["user"] in seen:
            raise RequestError("bad_choice", N_("The field {field} has a value that is not allowed."), field="user")
        seen.add(mark["user"])
        items.append(dict({k: mark[k] for k in MARK_FIELDS if mark.get(k) is not None}, user_key=mark["user"]))
    return items


def set_marks(where, actor, lesson_id, marks):
    """The teacher's roll call: [{"user", "status"?, "remark"?, "location"?}]. Returns the changes."""
    role = authorize(actor, MANAGE, where)
    lesson = get_lesson(where.usage_key, lesson_id)
    items = _items(lesson, marks)
    with transaction.atomic():
        lesson = locked(lesson)
        now = clock.now()  # once the lock is held: the history's times follow the order of writes
        refuse_cancelled(lesson)
        changes = apply(lesson, actor, "teacher", items, now)
        if changes:
            record("attendance.mark", where, actor, role, lesson.pk, changes=changes)
    return changes


def mark_unmarked(where, actor, lesson_id, status):
    """Mark every learner of the class not yet marked at the lesson as ``status``."""
    role = authorize(actor, MANAGE, where)
    lesson = get_lesson(where.usage_key, lesson_id)
    with transaction.atomic():
        lesson = locked(lesson)
        now = clock.now()
        refuse_cancelled(lesson)
        marked = set(Mark.objects.filter(lesson=lesson).exclude(status="").values_list("user_key", flat=True))
        items = [{"user_key": learner.user_key, "status": status}
                 for learner in class_learners(lesson.org, lesson.class_name) if learner.user_key not in marked]
        changes = apply(lesson, actor, "teacher", items, now)
        if changes:
            record("attendance.mark_bulk", where, actor, role, lesson.pk, status=status, changes=changes)
    return changes
