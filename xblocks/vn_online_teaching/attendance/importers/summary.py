"""From a parsed report to one suggestion per student.

The platforms' own totals cannot be used: Zoom rounds every row up and counts a student on two
devices twice, and every platform counts the time before the bell and after the end. So each
person's intervals are merged, clipped to the lesson, and only then added up. The result is a
suggestion for the teacher, who confirms it: a student the report does not mention gets no status
at all (Teams lets attendees opt out of the report), never "absent".
"""
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Optional

from .base import DEFAULT_TZ, Connection, lesson_for
from .matching import as_roster_entry, match_people, person_key

# The values of attendance.roll's statuses (importers must not import it: it needs Django).
PRESENT = "present"
LATE = "late"
UNEXCUSED = "unexcused"


@dataclass(frozen=True)
class Thresholds:
    """When attended time suggests present or late. Schools set their own; these are defaults."""

    present_ratio: float = 0.8     # share of the lesson attended to count as present…
    grace_minutes: float = 5.0     # …when the first join is at most this long after the start
    late_ratio: float = 0.5        # share of the lesson attended to count as late


def merge_intervals(intervals):
    """Sorted, non-overlapping (start, end) pairs covering the same time as ``intervals``: two
    devices at once count once, touching stretches join up."""
    merged = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def clip(intervals, start, end):
    """The parts of ``intervals`` inside [start, end]; empty parts dropped."""
    clipped = []
    for a, b in intervals:
        a, b = max(a, start), min(b, end)
        if b > a:
            clipped.append((a, b))
    return clipped


def round_minutes(seconds):
    """Minutes to one decimal, halves up, so the same seconds always print the same way."""
    value = Decimal(str(seconds)) / Decimal(60)
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def suggest_status(attended_seconds, lesson_start, lesson_end, first_join, thresholds=Thresholds()):
    """PRESENT, LATE or UNEXCUSED for someone who is in the report.

    ``first_join`` is their first join that reaches into the lesson; None when the file gives no
    times (Zoom's unique-users export), and then only the time attended can decide.
    """
    lesson_seconds = (lesson_end - lesson_start).total_seconds()
    ratio = attended_seconds / lesson_seconds if lesson_seconds > 0 else 0.0
    epsilon = 1e-9
    on_time = first_join is None or first_join <= lesson_start + timedelta(minutes=thresholds.grace_minutes)
    if ratio + epsilon >= thresholds.present_ratio:
        return PRESENT if on_time else LATE
    if ratio + epsilon >= thresholds.late_ratio:
        return LATE
    return UNEXCUSED


@dataclass
class PersonSummary:
    """One student of the roster, or one unrecognised person of the report."""

    name: str                                   # as the report gives it (the roster's for those missing)
    email: Optional[str]
    username: Optional[str] = None              # the matched roster username
    sector_id: Optional[str] = None
    match_method: Optional[str] = None          # "email", "name", "manual" or None
    match_reason: Optional[str] = None          # "ambiguous" / "not_found" when unmatched
    candidates: list = field(default_factory=list)   # usernames the teacher may choose from
    keys: list = field(default_factory=list)    # person keys of the report, for manual choices
    role: Optional[str] = None                  # "host", "organizer"… as the file says
    in_report: bool = True
    timing_known: bool = True                   # False when the file gives totals without times
    first_join: Optional[object] = None         # earliest join in the report (not clipped)
    last_leave: Optional[object] = None         # latest leave in the report (not clipped)
    intervals: list = field(default_factory=list)    # merged and clipped to the lesson
    minutes: Optional[float] = None             # inside the lesson; None when not in the report
    status: Optional[str] = None                # suggestion; None = not in report, teacher decides
    rows: list = field(default_factory=list)    # rows of the file this person comes from


@dataclass
class Summary:
    people: list

    @property
    def unmatched(self):
        return [person for person in self.people if person.in_report and person.username is None]

    @property
    def missing_from_report(self):
        return [person.username for person in self.people if not person.in_report]


def summarize(report, *, lesson_start, lesson_end, roster=(), manual=None, thresholds=None, tz=DEFAULT_TZ):
    """A ``Summary`` of ``report`` for the lesson: the roster's students in roster order (those
    missing from the report included, with no status), then the people it could not match.

    Everyone a student appeared as (an e-mail login and a guest name, say) is merged into that
    student before the time is added up.
    """
    thresholds = thresholds or Thresholds()
    lesson = lesson_for(lesson_start, lesson_end, tz)
    roster = [as_roster_entry(row) for row in roster]
    records = list(report.connections) + list(report.totals)
    matches = match_people(records, roster, manual)
    by_key = {match.key: match for match in matches}
    groups = {}   # group id -> (match, [records])
    for record in records:
        match = by_key[person_key(record.name, record.email)]
        group = ("user", match.username) if match.username else ("key", match.key)
        groups.setdefault(group, (match, []))[1].append(record)
    people = []
    for entry in roster:
        group = groups.pop(("user", entry.username), None)
        if group is None:
            people.append(PersonSummary(name=entry.full_name, email=entry.email, username=entry.username,
                                        sector_id=entry.sector_id, in_report=False))
            continue
        person = _summarize(group, lesson, thresholds)
        person.sector_id = entry.sector_id
        people.append(person)
    for group in groups.values():  # matched to no roster entry, in file order
        people.append(_summarize(group, lesson, thresholds))
    return Summary(people=people)


def _summarize(group, lesson, thresholds):
    match, records = group
    connections = [r for r in records if isinstance(r, Connection)]
    totals = [r for r in records if not isinstance(r, Connection)]
    person = PersonSummary(name=records[0].name, email=next((r.email for r in records if r.email), None),
                           username=match.username, match_method=match.method, match_reason=match.reason,
                           candidates=[entry.username for entry in match.candidates],
                           role=next((r.role for r in records if r.role), None),
                           rows=sorted({r.row for r in records}))
    person.keys = sorted({person_key(r.name, r.email) for r in records})
    joins = [c.join for c in connections] + [t.first_join for t in totals if t.first_join]
    leaves = [c.leave for c in connections] + [t.last_leave for t in totals if t.last_leave]
    person.first_join = min(joins) if joins else None
    person.last_leave = max(leaves) if leaves else None
    merged = merge_intervals([(c.join, c.leave) for c in connections])
    person.intervals = clip(merged, lesson.start, lesson.end)
    seconds = sum((b - a).total_seconds() for a, b in person.intervals)
    for total in totals:
        # Only a total is known: it cannot exceed the lesson, nor the stretch between the
        # first join and last leave when the file gives them.
        cap = (lesson.end - lesson.start).total_seconds()
        if total.first_join and total.last_leave:
            cap = sum((b - a).total_seconds() for a, b in clip([(total.first_join, total.last_leave)],
                                                                lesson.start, lesson.end))
        seconds += min(total.minutes * 60, cap)
    seconds = min(seconds, (lesson.end - lesson.start).total_seconds())
    reaching = [a for a, b in merged if b > lesson.start and a < lesson.end]
    reaching += [t.first_join for t in totals if t.first_join and (t.last_leave or lesson.end) > lesson.start]
    first = min(reaching) if reaching else None
    person.timing_known = bool(connections) or any(t.first_join for t in totals)
    if not person.timing_known:
        first = None
    elif first is None:
        first = lesson.end  # nothing reaches into the lesson: certainly not on time
    person.minutes = round_minutes(seconds)
    person.status = suggest_status(seconds, lesson.start, lesson.end, first, thresholds)
    return person
