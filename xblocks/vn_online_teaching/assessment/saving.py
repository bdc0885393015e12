"""A student's answer saves: each checked against the paper delivered to them, kept once per
sequence number, never below a newer save of its position; and the short way nearly every save
takes.

A class saves on every change of an answer, so a save is the request a sitting makes most (issue
10 asks it to cost little more than a bare handler writing one row). The short way (``quick``)
writes in one transaction of five statements: the attempt's row locked (its small columns only,
never the delivered paper), read together with the two answers a separate query would cost (is
the student on the class's roster, is the sitting as the block is configured: records.
locked_for_answer), the new rows, the attempt's counters, the commit. It takes only a save that
changes nothing else: the attempt in progress and in time, this browser the one it is bound to,
the same network address as before. Anything else (an attempt missing, ended, late, reopened or
bound elsewhere, a student off the roster, a sitting the author changed, a new address) leaves it
with nothing written, and ``attempts.save`` decides and records it the full way.

What a save is checked against is the delivered paper's position → (question, format, order
shown), kept in memory per attempt and delivered paper (``delivered``: the key is the paper's
hash, so a memory never serves another paper), filled when the attempt starts or on its first
save in a process: the paper, rich text and all, is not read again on every save.

A sequence number above the attempt's ``last_seq`` cannot have been used yet and is newer than
every save of its position (``last_seq`` is the highest number ever saved, kept with the row
under the same lock); only a number at or below it (a retried or late-arriving save) needs the
earlier saves read, to answer "already", "stale" or a refusal. The unique key (attempt, seq)
backs this up.
"""
import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.db.models import F, Q

from ..core.errors import Conflict, RequestError
from ..core.i18n import N_
from . import paper as papers
from . import states, timing
from .devices import device_ok
from .ending import limit_of
from .models import Answer, Attempt
from .questions import MCQ, TRUE_FALSE
from .records import locked_for_answer

MAX_SAVES = 20_000   # saves of one attempt: 100 per question of the longest paper
PAPERS_KEPT = 1024   # delivered papers kept as answer maps per process (about 12 kB for 40 questions)
# What a save reads of the attempt: not the paper, the result or the rest.
SAVE_COLUMNS = ("id", "sitting_id", "usage_key", "user_key", "state", "seed", "paper_hash", "deadline_at",
                "accept_until", "device_hash", "last_ip", "last_seq", "saves")


@dataclass(frozen=True)
class _Shown:
    """What answering needs of a delivered question: its bank id and format."""

    id: str
    format: str


_KEPT = OrderedDict()
_KEPT_LOCK = threading.Lock()


def delivered(attempt):
    """The attempt's paper as a save checks answers against it (papers.DeliveredPaper of _Shown
    questions), from memory when this process has seen it; the paper is read when the attempt
    row was loaded without it."""
    key = (attempt.pk, attempt.paper_hash, attempt.seed)
    with _KEPT_LOCK:
        shown = _KEPT.get(key)
        if shown is not None:
            _KEPT.move_to_end(key)
            return shown
    paper = (Attempt.objects.filter(pk=attempt.pk).values_list("paper", flat=True).get()
             if "paper" in attempt.get_deferred_fields() else attempt.paper)
    items = tuple(papers.Item(item["position"], _Shown(item["question"]["id"], item["question"]["format"]),
                              tuple(item["order"]), None) for item in paper["items"])
    shown = papers.DeliveredPaper(attempt.seed, items)
    with _KEPT_LOCK:
        _KEPT[key] = shown
        while len(_KEPT) > PAPERS_KEPT:
            _KEPT.popitem(last=False)
    return shown


def prepared(shown, items):
    """Each save checked against the paper (a translated 400 for any, before anything is written)
    with the response as kept: letters as shown, text cleaned."""
    out = []
    for item in items:
        response = item.get("response")
        bank = papers.map_answer_to_bank(shown, item["position"], response)
        fmt = shown.item(item["position"]).question.format
        if fmt == TRUE_FALSE and bank.response is not None:
            response = dict(sorted(response.items()))
        kept = (response or None) if fmt in (MCQ, TRUE_FALSE) else bank.response
        out.append((item["seq"], item["position"], bank.question_id, kept))
    return out


def _earlier(attempt, prepared_saves):
    """The saves already kept under the numbers of ``prepared_saves`` ({seq: row}) and the highest
    number kept at each of their positions: one read, of the few rows of a few positions."""
    seqs = {seq for seq, *_rest in prepared_saves}
    positions = {position for _s, position, *_rest in prepared_saves}
    existing, latest = {}, {}
    for row in Answer.objects.filter(Q(seq__in=seqs) | Q(position__in=positions), attempt=attempt).only(
            "seq", "position", "response"):
        if row.seq in seqs:
            existing[row.seq] = row
        if row.position in positions:
            latest[row.position] = max(latest.get(row.position, 0), row.seq)
    return existing, latest


def write(attempt, prepared_saves, now):
    """Keep the saves (call with the attempt locked): one row per sequence number, never below a
    newer save of its position; the outcome of each."""
    replayed = [p for p in prepared_saves if p[0] <= attempt.last_seq]
    existing, latest = _earlier(attempt, replayed) if replayed else ({}, {})
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
            existing[seq], latest[position] = row, seq
            results.append({"seq": seq, "outcome": "saved"})
    if attempt.saves + len(new) > MAX_SAVES:
        raise RequestError("too_many_saves", N_("This attempt has too many saves. Tell the supervisor."), status=429)
    if new:
        Answer.objects.bulk_create(new)
        attempt.saves += len(new)
        attempt.last_seq = max(attempt.last_seq, *(row.seq for row in new))
        # One UPDATE without the model's save (no signal: the gradebook follows states, not counters).
        Attempt.objects.filter(pk=attempt.pk).update(saves=F("saves") + len(new), last_seq=attempt.last_seq,
                                                     updated_at=now)
    return results


def quick(test, user_key, device, answers, ip, now):
    """The save of a browser answering in time where it answered before (call inside the save's
    transaction): its answer, or None, with nothing written, for ``attempts.save`` to take the
    full way."""
    attempt = locked_for_answer(test, user_key, SAVE_COLUMNS)
    if (attempt is None or not attempt.on_roster or not attempt.sitting_current
            or attempt.state != states.IN_PROGRESS or timing.finalise_due(now, limit_of(attempt))
            or not device_ok(attempt, device) or (ip or "")[:45] not in ("", attempt.last_ip)):
        return None
    results = write(attempt, prepared(delivered(attempt), answers), now)
    return {"results": results, "last_seq": attempt.last_seq,
            "remaining": timing.remaining_seconds(now, limit_of(attempt))}
