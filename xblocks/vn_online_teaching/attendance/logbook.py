"""The class logbook (sổ đầu bài): one line per lesson, laid out week by week like the paper book.

The paper book has, per day and period: the subject, the lesson (with its syllabus number), the
students absent (marked P for excused, K for unexcused), the teacher's remarks and rating, and
the teacher's signature. Online, the signature is the confirmation of the entry: who confirmed it
and when; later edits are audited (``class_records.save_entry``).
"""
import datetime as dt
from dataclasses import dataclass, field

from . import roll

RATINGS = ("A", "B", "C", "D")  # the paper book's "xếp loại tiết học": A good … D poor
EXCUSED_MARK = "P"    # có phép
UNEXCUSED_MARK = "K"  # không phép


def week_of(day):
    """(Monday, Sunday) of the school week containing ``day``."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


@dataclass
class Absentee:
    full_name: str
    excused: bool

    @property
    def mark(self):
        return EXCUSED_MARK if self.excused else UNEXCUSED_MARK


@dataclass
class Line:
    lesson_id: int
    date: dt.date
    period: int
    subject: str
    title: str
    syllabus_no: str
    teacher: str
    present: int
    total: int
    late: list = field(default_factory=list)       # names
    absentees: list = field(default_factory=list)  # [Absentee]
    unmarked: int = 0
    content: str = ""
    remarks: str = ""
    rating: str = ""
    confirmed_by: str = ""
    confirmed_at: str = ""
    cancelled: bool = False
    cancel_reason: str = ""


def lines(lessons, marks, learners, entries):
    """Logbook lines of ``lessons`` in date and period order.

    ``lessons``: [{"id", "date", "period", "subject", "title", "syllabus_no", "teacher",
    "cancelled", "cancel_reason"}]; ``marks``: {(lesson id, user key): status};
    ``learners``: [{"user_key", "full_name"}] of the class; ``entries``: {lesson id: {"content",
    "remarks", "rating", "confirmed_by", "confirmed_at"}}.
    """
    out = []
    for lesson in sorted(lessons, key=lambda x: (x["date"], x["period"])):
        statuses = {lr["user_key"]: marks.get((lesson["id"], lr["user_key"]), roll.UNMARKED) for lr in learners}
        names = {lr["user_key"]: lr.get("full_name") or lr["user_key"] for lr in learners}
        entry = entries.get(lesson["id"], {})
        out.append(Line(
            lesson_id=lesson["id"], date=lesson["date"], period=lesson["period"], subject=lesson.get("subject", ""),
            title=lesson.get("title", ""), syllabus_no=lesson.get("syllabus_no", ""),
            teacher=lesson.get("teacher", ""),
            present=sum(1 for s in statuses.values() if s in roll.ATTENDED), total=len(learners),
            late=[names[k] for k, s in statuses.items() if s == roll.LATE],
            absentees=[Absentee(names[k], s == roll.EXCUSED) for k, s in statuses.items() if s in roll.ABSENT],
            unmarked=sum(1 for s in statuses.values() if s == roll.UNMARKED),
            content=entry.get("content", ""), remarks=entry.get("remarks", ""), rating=entry.get("rating", ""),
            confirmed_by=entry.get("confirmed_by", ""), confirmed_at=entry.get("confirmed_at", ""),
            cancelled=bool(lesson.get("cancelled")), cancel_reason=lesson.get("cancel_reason", ""),
        ))
    return out


def by_day(week_lines, monday):
    """[(date, [Line])] for the six school days Monday to Saturday, empty days included (the
    paper book has a page per week with every day printed), and Sunday only if it has lessons."""
    days = [monday + dt.timedelta(days=i) for i in range(7)]
    grouped = {d: [] for d in days}
    for line in week_lines:
        if line.date in grouped:
            grouped[line.date].append(line)
    return [(d, grouped[d]) for d in days if d.weekday() < 6 or grouped[d]]
