"""What the block's pages and its roll-call panel show, gathered from the records modules.

The block class renders these contexts (``printable`` renders the pages of their own) and adds
its handler addresses; nothing here knows the runtime or the request. Who sees what is decided
from one read of the viewer's grants (``records.permitted``): a learner on the roster sees the
meeting link and the calendar, staff of the block's subject see the lessons, those who may
manage them also the forms and the code.
"""
import datetime as dt

from ..core import clock, i18n
from ..core.i18n import gettext
from . import checkin, class_records, lessons, logbook, marks, report_imports, roll, schedule, timetable
from .learners import class_learners, learner_of
from .records import MANAGE, REPORT, get_lesson

RECENT_PAST = 10  # past lessons a student sees in the list
UPCOMING = 5  # upcoming lessons listed for a student (the calendar file has them all)
SOON_DAYS = 7  # lessons a teacher sees first: today and the next days


def labels(mapping):
    """[[key, translated label]] of a mapping of N_ labels, for the scripts."""
    return [[key, gettext(label)] for key, label in mapping.items()]


def learner_page(where, actor):
    """The student view: the next lesson with its check-in, the upcoming ones, the student's own
    past marks and school year. The meeting link and the calendar are the class's: someone not
    on its roster sees the timetable only."""
    learner = learner_of(where.org, where.class_name, actor.user_key)
    on_roster = learner is not None
    rows = checkin.own_lessons(where, actor.user_key if on_roster else "")
    for row in rows:
        row["status_label"] = roll.STATUS_LABELS.get(row["mine"]["status"] if row["mine"] else roll.UNMARKED)
        if not on_roster:
            row["link"] = ""
    upcoming = [r for r in rows if not r["ended"]]
    nxt = next((r for r in upcoming if not r["cancelled"]), None)
    return {
        "class_name": where.class_name, "subject": where.subject, "on_roster": on_roster, "next": nxt,
        "upcoming": [r for r in upcoming if r is not nxt][:UPCOMING],
        "past": [r for r in rows if r["ended"]][-RECENT_PAST:][::-1],
        "year": class_records.own_year(where, learner) if on_roster else None,
    }


def staff_page(where, actor, allowed):
    """The staff view (``allowed``: what the viewer may do here): the lessons of this week first,
    then the later and the earlier ones, and what the scripts need of each."""
    overview = timetable.lessons_overview(where)
    now = clock.now()
    today = clock.to_school(now, where.org).date()
    week_end = (today + dt.timedelta(days=SOON_DAYS)).isoformat()
    soon = [x for x in overview if today.isoformat() <= x["date"] < week_end]
    current = next((x for x in soon if not x["cancelled"] and x["date"] == today.isoformat()
                    and x["ends_at"] >= clock.iso(now)), None)
    return {
        "class_name": where.class_name, "subject": where.subject, "actor": actor, "lesson_count": len(overview),
        "soon": soon, "later": [x for x in overview if x["date"] >= week_end],
        "earlier": [x for x in overview if x["date"] < today.isoformat()][::-1],
        "can_manage": MANAGE in allowed, "can_report": REPORT in allowed,
        "roster_size": len(class_learners(where.org, where.class_name)),
        "statuses": labels({s: roll.STATUS_LABELS[s] for s in roll.STATUSES}),
        "platforms": schedule.PLATFORMS, "modes": schedule.MODES,
        "weekdays": list(enumerate(timetable.WEEKDAYS))[:6], "default_length": lessons.lesson_minutes(where.org),
        "ratings": logbook.RATINGS, "report_limit_mb": report_imports.upload_limit_mb(where.org),
        "script": {  # what the page's scripts start from, besides the handlers' addresses
            "canManage": MANAGE in allowed, "current": current["id"] if current else None,
            "lessons": {str(x["id"]): {k: x[k] for k in ("date", "period", "start", "length", "title", "syllabus_no",
                                                        "platform", "link", "mode", "require_code")} for x in overview},
            "statuses": labels(roll.STATUS_LABELS), "locations": labels(roll.LOCATIONS),
            "sources": labels(marks.SOURCES),
        },
    }


def author_page(where, platform, mode):
    """Studio's preview: the block's settings in words and how many lessons are planned."""
    return {"platform_label": schedule.PLATFORMS.get(platform, platform), "mode_label": schedule.MODES.get(mode, mode),
            "lesson_count": len(timetable.lessons(where.usage_key))}


def roll_call(where, actor, lesson_id):
    """The roll-call panel's answer: the roll (``marks.roll_call`` checks who asks), the meeting
    reports kept, and the rotating code for those who may manage a lesson that asks for it."""
    out = marks.roll_call(where, actor, lesson_id)
    can_manage = out.pop("can_manage")
    out["reports"] = report_imports.reports_of(where, lesson_id)
    if can_manage and out["lesson"]["require_code"] and not out["lesson"]["cancelled"]:
        out["code"] = checkin.current_code(get_lesson(where.usage_key, lesson_id))
    out["lesson"]["weekday"] = gettext(out["lesson"]["weekday"])
    out["lesson"]["platform_label"] = gettext(out["lesson"]["platform_label"])
    return out


def logbook_page(where, actor, week):
    """The printable logbook week, its days with their weekday names."""
    page = class_records.logbook_week(where, actor, week)
    return dict(page, days=[(day, timetable.WEEKDAYS[day.weekday()], lines) for day, lines in page["days"]])


def printable(template, **context):
    """The HTML of a page of its own to read or print (logbook, class report), in the reader's
    language."""
    return i18n.render(f"vn_online_teaching/attendance/{template}", dict(context, lang=i18n.current_language()))
