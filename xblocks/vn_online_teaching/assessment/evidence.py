"""What the records of a sitting say: read functions for the block's views, the integrity
analysis and the archive, and the check that a finalised answer sheet was not changed since.

Everything here reads; nothing authorizes: the caller asked ``records.authorize`` (or is the
student reading their own attempt). Records come out as plain frozen dataclasses, never model
rows, so a reader cannot write through them.

Tamper evidence: when an attempt is finalised (handed in, or ended by the server at the
deadline), its audit entry carries the SHA-256 of the delivered paper, of the answer sheet (every
position's answer with the highest sequence number, up to the last save) and of the integrity
events recorded for the student until then. ``verify_attempt`` computes them again from the rows:
an answer, a paper or an event changed afterwards in the database no longer matches the entry,
whose own hash the audit chain protects (docs/audit-policy.md).
"""
import hashlib
from dataclasses import dataclass

from ..core import audit, clock
from ..core.i18n import N_
from ..core.models import AuditEntry
from . import paper as papers
from . import states
from .models import Accommodation, Answer, Attempt, IntegrityEvent, RemoteDecision, ScoreHistory, SittingChange
from .records import OBJECT_ATTEMPT

FINALISE_ACTIONS = ("assessment.submit", "assessment.finalise")

# Kinds of integrity events: what the browser reports (source "client") and what the server sees
# (source "server"). Stored codes: never rename.
SIGNALS = {
    "page_hidden": N_("Left the test's page"),
    "window_blur": N_("Switched to another window"),
    "fullscreen_exit": N_("Left full screen"),
    "paste": N_("Pasted text"),
    "copy": N_("Copied text"),
    "second_tab": N_("Opened the test in a second tab"),
}
DEVICE_REFUSED, WRONG_CODE, ADDRESS_CHANGE, LATE_SAVE, DEVICE_RELEASED = (
    "device_refused", "wrong_code", "address_change", "late_save", "device_released")
SERVER_EVENTS = {
    DEVICE_REFUSED: N_("Another device was refused"),
    WRONG_CODE: N_("Wrong access code"),
    ADDRESS_CHANGE: N_("Network address changed"),
    LATE_SAVE: N_("Save refused after the deadline"),
    DEVICE_RELEASED: N_("Device released by the board"),
}


@dataclass(frozen=True)
class AttemptRecord:
    id: int
    usage_key: str
    user_key: str
    state: str
    mode: str
    started_at: object
    deadline_at: object
    accept_until: object
    ended_at: object
    reopened_at: object
    paper_hash: str
    sheet_hash: str
    last_seq: int
    saves: int
    signals: int
    ip: str
    last_ip: str
    user_agent: str
    device_bound: bool
    result: dict | None
    published_at: object


@dataclass(frozen=True)
class AnswerRecord:
    """One save: ``response`` in the letters the student was shown (``bank_answers`` maps it)."""

    attempt_id: int
    user_key: str
    seq: int
    position: int
    question_id: str
    response: object
    saved_at: object


@dataclass(frozen=True)
class EventRecord:
    """A client signal or a server event; ``at`` is the server's time, ``client_at`` the browser's."""

    id: int
    attempt_id: int | None
    user_key: str
    kind: str
    source: str
    at: object
    client_at: object
    data: dict


def attempt_record(attempt):
    return AttemptRecord(
        attempt.pk, attempt.usage_key, attempt.user_key, attempt.state, attempt.mode, attempt.started_at,
        attempt.deadline_at, attempt.accept_until, attempt.ended_at, attempt.reopened_at, attempt.paper_hash,
        attempt.sheet_hash, attempt.last_seq, attempt.saves, attempt.signals, attempt.ip, attempt.last_ip,
        attempt.user_agent, bool(attempt.device_hash), attempt.result, attempt.published_at)


def _answer(row, user_key):
    return AnswerRecord(row.attempt_id, user_key, row.seq, row.position, row.question_id, row.response, row.saved_at)


def _event(row):
    return EventRecord(row.pk, row.attempt_id, row.user_key, row.kind, row.source, row.at, row.client_at, row.data)


# Reading a sitting ------------------------------------------------------------------------------

def attempts(usage_key, user_key=None):
    """Every attempt of the test (one per student), by student."""
    rows = Attempt.objects.filter(usage_key=usage_key)
    if user_key is not None:
        rows = rows.filter(user_key=user_key)
    return [attempt_record(a) for a in rows.order_by("user_key")]


def scored_attempts(usage_key):
    """The attempts of the test that carry a score (ended and scored), by student: the rows the
    marking pages read their papers and sheets from."""
    return list(Attempt.objects.filter(usage_key=usage_key, result__isnull=False).order_by("user_key"))


def endings(usage_key):
    """{student: "assessment.submit" or "assessment.finalise"}: how each ended attempt of the
    test ended last, as its finalisation's audit entry says (a marked or released attempt no
    longer says it in its state; the score sheet does)."""
    ids = {str(pk): user for pk, user in Attempt.objects.filter(usage_key=usage_key).values_list("pk", "user_key")}
    out = {}
    for object_id, action in (AuditEntry.objects.filter(object_type=OBJECT_ATTEMPT, object_id__in=list(ids),
                                                        action__in=FINALISE_ACTIONS)
                              .order_by("seq").values_list("object_id", "action")):
        out[ids[object_id]] = action
    return out


def delivered_paper(attempt):
    """The paper exactly as delivered to the attempt (answer key included: server only)."""
    return papers.from_dict(attempt.paper)


def delivered_questions(usage_key):
    """{bank question id: question dict as delivered (answer key included: server only)} over
    every paper of the test, in the order first delivered, and {id: ended attempts given it}."""
    found, ended = {}, {}
    for paper, state in Attempt.objects.filter(usage_key=usage_key).order_by("pk").values_list("paper", "state"):
        for item in (paper or {}).get("items", ()):
            qid = item["question"]["id"]
            found.setdefault(qid, item["question"])
            ended[qid] = ended.get(qid, 0) + (1 if state in states.ENDED else 0)
    return found, ended


def answer_history(usage_key, user_key=None):
    """Every save of the test's attempts (or of one student's), in each attempt's order: what the
    student gave, to which position and question, and when the server received it."""
    rows = Answer.objects.filter(attempt__usage_key=usage_key).select_related("attempt")
    if user_key is not None:
        rows = rows.filter(attempt__user_key=user_key)
    return [_answer(row, row.attempt.user_key) for row in rows.order_by("attempt__user_key", "seq")]


def sheet(attempt, up_to_seq=None):
    """The answer sheet: {position: AnswerRecord} of the save with the highest ``seq`` at each
    position (up to ``up_to_seq``: the sheet as it was when that save was the last)."""
    rows = Answer.objects.filter(attempt=attempt)
    if up_to_seq is not None:
        rows = rows.filter(seq__lte=up_to_seq)
    current = {}
    for row in rows.order_by("seq"):
        current[row.position] = _answer(row, attempt.user_key)
    return dict(sorted(current.items()))


def bank_answers(attempt, delivered=None, up_to_seq=None):
    """The sheet in the bank's terms, {bank question id: response with original letters} (what
    scoring and the integrity analysis compare papers by)."""
    delivered = delivered or delivered_paper(attempt)
    return {record.question_id: papers.map_answer_to_bank(delivered, position, record.response).response
            for position, record in sheet(attempt, up_to_seq).items()}


def events(usage_key, user_key=None, kinds=None, source=None):
    """The sitting's integrity events in the server's order; filtered by student, kinds, source."""
    rows = IntegrityEvent.objects.filter(sitting__usage_key=usage_key)
    if user_key is not None:
        rows = rows.filter(user_key=user_key)
    if kinds:
        rows = rows.filter(kind__in=list(kinds))
    if source:
        rows = rows.filter(source=source)
    return [_event(row) for row in rows.order_by("at", "pk")]


def decisions(usage_key):
    """The head of school's decisions for the test: reason, students, who, role, when."""
    return [{"id": d.pk, "reason": d.reason, "students": list(d.students), "decided_by": d.decided_by,
             "decided_by_name": d.decided_by_name, "role": d.role, "decided_at": d.decided_at}
            for d in RemoteDecision.objects.filter(sitting__usage_key=usage_key)]


def accommodations(usage_key, user_key=None):
    rows = Accommodation.objects.filter(sitting__usage_key=usage_key)
    if user_key is not None:
        rows = rows.filter(user_key=user_key)
    return [{"id": a.pk, "user_key": a.user_key, "kind": a.kind, "minutes": a.minutes, "reason": a.reason,
             "by_key": a.by_key, "by_name": a.by_name, "role": a.role, "at": a.at} for a in rows]


def window_changes(usage_key):
    return [{"id": c.pk, "kind": c.kind, "at": c.at, "until": c.until, "reason": c.reason, "by_key": c.by_key,
             "by_name": c.by_name, "role": c.role} for c in SittingChange.objects.filter(sitting__usage_key=usage_key)]


def score_history(attempt):
    """Every re-scoring of the attempt, oldest first: kind, who, when, why, before and after."""
    return [{"kind": h.kind, "at": h.at, "by_key": h.by_key, "by_name": h.by_name, "role": h.role,
             "reason": h.reason, **h.change} for h in ScoreHistory.objects.filter(attempt=attempt)]


# What the audit chain holds of an attempt --------------------------------------------------------

def digest(value):
    return hashlib.sha256(audit.canonical_json(value)).hexdigest()


def sheet_digest(attempt, answers):
    """The SHA-256 of an answer sheet (``sheet``), bound to the attempt and its paper."""
    return digest({"attempt": attempt.pk, "usage_key": attempt.usage_key, "user_key": attempt.user_key,
                   "paper_hash": attempt.paper_hash,
                   "answers": [{"position": r.position, "question_id": r.question_id, "seq": r.seq,
                                "response": r.response, "saved_at": clock.iso(r.saved_at)} for r in answers.values()]})


def events_until(attempt, last_event):
    """The student's events of the sitting up to the event ``last_event`` (by id), in order."""
    rows = IntegrityEvent.objects.filter(sitting_id=attempt.sitting_id, user_key=attempt.user_key, pk__lte=last_event)
    return list(rows.order_by("pk"))


def events_digest(rows):
    return digest([{"id": e.pk, "kind": e.kind, "source": e.source, "at": clock.iso(e.at),
                    "client_at": clock.iso(e.client_at) if e.client_at else "", "data": e.data} for e in rows])


def last_event_id(attempt):
    row = (IntegrityEvent.objects.filter(sitting_id=attempt.sitting_id, user_key=attempt.user_key)
           .order_by("-pk").values_list("pk", flat=True).first())
    return row or 0


def finalisation_seal(attempt, answers):
    """What the finalisation's audit entry carries to bind the attempt's records to the chain."""
    last_event = last_event_id(attempt)
    return {"paper_hash": attempt.paper_hash, "sheet_hash": sheet_digest(attempt, answers), "answers": len(answers),
            "last_seq": max((r.seq for r in answers.values()), default=0), "last_event": last_event,
            "events_hash": events_digest(events_until(attempt, last_event))}


@dataclass(frozen=True)
class SheetCheck:
    """The outcome of ``verify_attempt``: ``ok``, and when not, what no longer matches."""

    attempt_id: int
    user_key: str
    ok: bool
    reason: str = ""


def seal_entry(attempt):
    """The attempt's last finalisation entry in the audit log, or None."""
    return (AuditEntry.objects.filter(object_type=OBJECT_ATTEMPT, object_id=str(attempt.pk),
                                      action__in=FINALISE_ACTIONS).order_by("-seq").first())


def verify_attempt(attempt):
    """Do the attempt's paper, answers and events still match what its finalisation sealed in the
    audit chain? An attempt never finalised has nothing sealed (ok); a finalised one without its
    entry, or whose entry no longer matches its own hash, is not."""
    entry = seal_entry(attempt)
    if entry is None:
        ended = attempt.state in states.ENDED or bool(attempt.sheet_hash)
        return SheetCheck(attempt.pk, attempt.user_key, not ended,
                          "finalised but not in the audit log" if ended else "")
    if audit.entry_hash(entry) != entry.hash:
        return SheetCheck(attempt.pk, attempt.user_key, False, "the audit entry does not match its hash")
    sealed = entry.data
    if digest(attempt.paper) != sealed.get("paper_hash") or attempt.paper_hash != sealed.get("paper_hash"):
        return SheetCheck(attempt.pk, attempt.user_key, False, "the delivered paper changed")
    answers = sheet(attempt, up_to_seq=sealed.get("last_seq", 0))
    if sheet_digest(attempt, answers) != sealed.get("sheet_hash"):
        return SheetCheck(attempt.pk, attempt.user_key, False, "the answer sheet changed")
    if events_digest(events_until(attempt, sealed.get("last_event", 0))) != sealed.get("events_hash"):
        return SheetCheck(attempt.pk, attempt.user_key, False, "the integrity events changed")
    return SheetCheck(attempt.pk, attempt.user_key, True)


def verify_sitting(usage_key):
    """``verify_attempt`` for every attempt of the test: the ones that fail."""
    return [check for check in map(verify_attempt, Attempt.objects.filter(usage_key=usage_key).order_by("user_key"))
            if not check.ok]
