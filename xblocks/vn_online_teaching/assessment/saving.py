"""A student's answer saves: each checked against the paper delivered to them, kept once per
sequence number, never below a newer save of its position; and the short way nearly every save
takes.

A class saves on every change of an answer, so a save is the request a sitting makes most (issue
10 asks it to cost little more than a bare handler writing one row). The short way (``quick``)
is one statement (answer_rows.insert_answer): the answer's row inserted on the condition that
the attempt is still as this process last found it and the student on the roster, the sitting
as the block is configured being compared here. What the save is decided on (the attempt's id, paper, device, address
and deadline, and the paper as a map of position → question) is kept in memory per student
(``Known``), filled by the full way: when the attempt starts or resumes, and by a save that
took the full way. It takes only one answer of a browser answering in time where it answered
before, numbered above every save kept. Anything else (an attempt not seen yet in this process,
ended, late, reopened or bound elsewhere, a new address, a batch sent after a dropped
connection, a number at or below one kept, a student off the roster, a sitting the author
changed) writes nothing there, and ``attempts.save`` decides and records it the full way, with
the attempt locked.

The statement checks the remembered values against the row, so a memory that is out of date (a
deadline the board extended, a device released, another process's changes) never decides a
save: it only sends it the full way, which remembers the attempt afresh.

The attempt keeps no counter of its saves while it runs (a save would have to write the
attempt's row too): the answers are counted from their rows, and the attempt's ``saves`` and
``last_seq`` are filled when it is finalised. A number is at most ``MAX_SAVES``: with the unique
key (attempt, seq) that bounds the rows of an attempt without counting them.
"""
import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Max, Q

from ..core.errors import Conflict, RequestError
from ..core.i18n import N_
from . import paper as papers
from . import timing
from .devices import device_ok
from .models import Answer, Attempt
from .questions import MCQ, TRUE_FALSE
from .answer_rows import insert_answer
from .records import sitting_values

MAX_SAVES = 20_000   # the highest number of a save: 100 per question of the longest paper
RETRIED_ERRORS = (1205, 1213)  # MySQL and MariaDB: lock wait timeout, deadlock
KEPT = 1024   # students' attempts remembered per process (about 12 kB each for 40 questions)


@dataclass(frozen=True)
class _Shown:
    """What answering needs of a delivered question: its bank id and format."""

    id: str
    format: str


@dataclass(frozen=True)
class Known:
    """An attempt as the full way last found it in this process: what a short-way save is
    decided on, and checked against the attempt's row by the save's statement."""

    attempt_id: int
    paper_hash: str
    seed: str
    device_hash: str
    last_ip: str
    deadline_at: object
    accept_until: object
    sitting: dict  # the sitting's values as the block was configured then (records.sitting_values)
    shown: papers.DeliveredPaper


_KEPT = OrderedDict()  # (usage key, user key) → Known
_KEPT_LOCK = threading.Lock()


def _kept(key):
    with _KEPT_LOCK:
        known = _KEPT.get(key)
        if known is not None:
            _KEPT.move_to_end(key)
        return known


def remember(attempt, test, shown=None):
    """Keep the attempt as it now stands, with the sitting as ``test`` configures it (call once
    the full way has decided it and brought the sitting up to date): its paper as a save checks
    answers against it, and what the next save of its browser is decided on."""
    key = (attempt.usage_key, attempt.user_key)
    known = Known(attempt.pk, attempt.paper_hash, attempt.seed, attempt.device_hash, attempt.last_ip,
                  attempt.deadline_at, attempt.accept_until, sitting_values(test), shown or delivered(attempt))
    with _KEPT_LOCK:
        _KEPT[key] = known
        _KEPT.move_to_end(key)
        while len(_KEPT) > KEPT:
            _KEPT.popitem(last=False)
    return known


def delivered(attempt):
    """The attempt's paper as a save checks answers against it (papers.DeliveredPaper of _Shown
    questions), from memory when this process has seen it; the paper is read when the attempt
    row was loaded without it."""
    known = _kept((attempt.usage_key, attempt.user_key))
    if known is not None and (known.attempt_id, known.paper_hash, known.seed) == (
            attempt.pk, attempt.paper_hash, attempt.seed):
        return known.shown
    paper = (Attempt.objects.filter(pk=attempt.pk).values_list("paper", flat=True).get()
             if "paper" in attempt.get_deferred_fields() else attempt.paper)
    items = tuple(papers.Item(item["position"], _Shown(item["question"]["id"], item["question"]["format"]),
                              tuple(item["order"]), None) for item in paper["items"])
    return papers.DeliveredPaper(attempt.seed, items)


def prepared(shown, items):
    """Each save checked against the paper (a translated 400 for any, before anything is written)
    with the response as kept: letters as shown, text cleaned."""
    out = []
    for item in items:
        if item["seq"] > MAX_SAVES:
            raise RequestError("too_many_saves", N_("This attempt has too many saves. Tell the supervisor."),
                               status=429)
        response = item.get("response")
        bank = papers.map_answer_to_bank(shown, item["position"], response)
        fmt = shown.item(item["position"]).question.format
        if fmt == TRUE_FALSE and bank.response is not None:
            response = dict(sorted(response.items()))
        kept = (response or None) if fmt in (MCQ, TRUE_FALSE) else bank.response
        out.append((item["seq"], item["position"], bank.question_id, kept))
    return out


def _earlier(attempt, prepared_saves):
    """What the attempt already keeps that bears on ``prepared_saves``: ({seq: row} of their
    numbers, {position: highest number kept} of their positions, the highest number kept at
    all); one read, of the few rows of their positions and from their lowest number up."""
    seqs = {seq for seq, *_rest in prepared_saves}
    positions = {position for _s, position, *_rest in prepared_saves}
    existing, latest, last = {}, {}, 0
    for row in Answer.objects.filter(Q(seq__gte=min(seqs)) | Q(position__in=positions), attempt=attempt).only(
            "seq", "position", "response"):
        if row.seq in seqs:
            existing[row.seq] = row
        if row.position in positions:
            latest[row.position] = max(latest.get(row.position, 0), row.seq)
        last = max(last, row.seq)
    return existing, latest, last


def last_seq(attempt):
    """The highest number the attempt keeps (0 before its first save)."""
    return Answer.objects.filter(attempt=attempt).aggregate(last=Max("seq"))["last"] or 0


def write(attempt, prepared_saves, now):
    """Keep the saves (call with the attempt locked): one row per sequence number, never below a
    newer save of its position; (the outcome of each, the highest number kept)."""
    if not prepared_saves:
        return [], last_seq(attempt)
    existing, latest, last = _earlier(attempt, prepared_saves)
    results, new = [], []
    for seq, position, question_id, response in sorted(prepared_saves, key=lambda p: p[0]):
        row = existing.get(seq)
        if row is not None:
            if row.position != position or row.response != response:
                raise Conflict("seq_reused", N_("This save's number was already used for another answer. Reload the "
                                                "test."))
            results.append({"seq": seq, "outcome": "already"})
        elif latest.get(position, 0) > seq:
            results.append({"seq": seq, "outcome": "stale"})
        else:
            row = Answer(attempt=attempt, seq=seq, position=position, question_id=question_id, response=response,
                         saved_at=now)
            new.append(row)
            existing[seq], latest[position], last = row, seq, max(last, seq)
            results.append({"seq": seq, "outcome": "saved"})
    if new:
        Answer.objects.bulk_create(new)
    return results, last


def quick(test, user_key, device, answers, ip, now):
    """The save of one answer from a browser answering in time where it answered before, in one
    statement: its answer, or None, with nothing written, for ``attempts.save`` to take the full
    way. Call outside a transaction (inside one, the statement runs under a savepoint)."""
    known = _kept((test.usage_key, user_key)) if len(answers) == 1 else None
    if (known is None or timing.finalise_due(now, timing.Deadline(known.deadline_at, known.accept_until))
            or not device_ok(known, device) or (ip or "")[:45] not in ("", known.last_ip)
            or sitting_values(test) != known.sitting):
        return None
    ((seq, position, question_id, response),) = prepared(known.shown, answers)
    try:
        if transaction.get_connection().in_atomic_block:
            with transaction.atomic():
                kept = insert_answer(test, known, seq, position, question_id, response, now)
        else:
            kept = insert_answer(test, known, seq, position, question_id, response, now)
    except IntegrityError:  # the same number kept by a request of this browser at the same instant
        return None
    except DatabaseError as exc:  # a deadlock's victim, rolled back whole: the full way waits its turn
        if getattr(exc, "args", (None,))[0] not in RETRIED_ERRORS or transaction.get_connection().in_atomic_block:
            raise
        return None
    if not kept:
        return None
    return {"results": [{"seq": seq, "outcome": "saved"}], "last_seq": seq,
            "remaining": timing.remaining_seconds(now, timing.Deadline(known.deadline_at, known.accept_until))}
