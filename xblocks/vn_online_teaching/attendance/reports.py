"""Attendance reports: what a homeroom teacher and the principal count at the end of a term.

Absences are counted two ways because the school counts them two ways: per period (tiết), which
the class logbook shows, and per session (buổi, a morning or an afternoon), which the promotion
rule uses: a student absent from more than ``threshold`` sessions in a school year (45 by default,
Circular 22/2021) cannot move up without catching up. A session counts as absent only when the
student missed every marked period of it (``roll.absent_sessions``).

Everything here is plain data in, plain data out: ``class_records`` gathers the records, the block and
the exports only display what these functions return.
"""
from collections import defaultdict
from dataclasses import dataclass, field

from . import roll

# A student is flagged as close to the threshold when this many sessions or fewer remain.
NEAR_MARGIN = 5


@dataclass
class StudentLine:
    user_key: str
    full_name: str
    sector_id: str
    class_name: str
    counts: dict = field(default_factory=dict)       # {status: periods}, UNMARKED included
    absent_periods_excused: int = 0
    absent_periods_unexcused: int = 0
    absent_sessions_excused: int = 0
    absent_sessions_unexcused: int = 0
    threshold: int = 0

    @property
    def absent_sessions(self):
        return self.absent_sessions_excused + self.absent_sessions_unexcused

    @property
    def remaining(self):
        """Sessions the student may still miss before passing the threshold (negative: over it)."""
        return self.threshold - self.absent_sessions

    @property
    def over(self):
        return self.absent_sessions > self.threshold

    @property
    def near(self):
        return not self.over and self.remaining <= NEAR_MARGIN


def student_lines(lessons, marks, learners, threshold):
    """One line per learner, in roster order.

    ``lessons``: [{"id", "date", "half_day", "cancelled"}] (cancelled lessons are not counted);
    ``marks``: {(lesson id, user key): status} ("" or missing: not yet marked);
    ``learners``: [{"user_key", "full_name", "sector_id", "class_name"}].
    """
    counted = [lesson for lesson in lessons if not lesson.get("cancelled")]
    lines = []
    for learner in learners:
        key = learner["user_key"]
        statuses = []
        by_session = defaultdict(list)
        for lesson in counted:
            status = marks.get((lesson["id"], key), roll.UNMARKED)
            statuses.append(status)
            by_session[(lesson["date"], lesson["half_day"])].append(status)
        excused, unexcused = roll.absent_sessions(by_session)
        count = roll.counts(statuses)
        lines.append(StudentLine(
            user_key=key, full_name=learner.get("full_name", ""), sector_id=learner.get("sector_id", ""),
            class_name=learner.get("class_name", ""), counts=count,
            absent_periods_excused=count[roll.EXCUSED], absent_periods_unexcused=count[roll.UNEXCUSED],
            absent_sessions_excused=excused, absent_sessions_unexcused=unexcused, threshold=threshold,
        ))
    return lines


def class_totals(lines):
    """The class's counts per status and absences, summed over its students."""
    totals = {s: 0 for s in (*roll.STATUSES, roll.UNMARKED)}
    for line in lines:
        for status, n in line.counts.items():
            totals[status] = totals.get(status, 0) + n
    return {
        "counts": totals,
        "absent_sessions_excused": sum(line.absent_sessions_excused for line in lines),
        "absent_sessions_unexcused": sum(line.absent_sessions_unexcused for line in lines),
        "students": len(lines),
        "over": sum(1 for line in lines if line.over),
        "near": sum(1 for line in lines if line.near),
    }


def watch_list(lines):
    """Students over the threshold or close to it, the most absent first; equal ones stay in the
    order of ``lines`` (the class list: by given name, the way a Vietnamese class list is read)."""
    flagged = [line for line in lines if line.over or line.near]
    return sorted(flagged, key=lambda line: -line.absent_sessions)
