"""How alike two students' answer timings are, from the save records (pure).

Answers copied while the sitting runs tend to arrive close together: the source saves, the copier
sees it (a message, a glance) and saves the same option a little later. Papers are shuffled per
student, so two honest students reach the same bank question at unrelated moments; when their
*matching* answers were nevertheless saved within a short interval of each other, again and
again, the timing agrees with what the answers show. It is one more reason for a person to look,
never a finding: two students in one room working at the same speed through a short test also
save close together by chance (``expected_close`` says how often, from the pair's own times).

Two figures per pair, over the bank questions both answered:

- ``close_share``: of the matching answers, the share saved within ``window`` seconds of each
  other (the last save of each question counts: the answer that stands);
- ``correlation``: Spearman's rank correlation of the two students' save times per bank question
  (near 1: they answered the bank's questions in the same order, although each had their own
  order on paper; near 0: unrelated orders). None with fewer than ``MIN_COMMON`` questions.
"""
import datetime as dt
from dataclasses import dataclass

WINDOW_SECONDS = 60
MIN_COMMON = 4


@dataclass(frozen=True)
class TimingSimilarity:
    """``common``: bank questions both answered; ``matching``: of those, answered alike;
    ``close``: matching answers saved within ``window`` seconds; ``close_share`` = close /
    matching (None without matching answers); ``expected_close``: the close matching answers
    expected if the two orders were unrelated (each matching answer compared with every other
    question's save time of the partner); ``correlation`` as described in the module."""

    common: int
    matching: int
    close: int
    close_share: float | None
    expected_close: float
    correlation: float | None
    window: int = WINDOW_SECONDS

    def as_dict(self):
        return {"common": self.common, "matching": self.matching, "close": self.close,
                "close_share": None if self.close_share is None else round(self.close_share, 3),
                "expected_close": round(self.expected_close, 2),
                "correlation": None if self.correlation is None else round(self.correlation, 3),
                "window": self.window}


def last_saves(saves):
    """{bank question id: time of the last save} from (question id, seq, time) triples, any order."""
    latest = {}
    for question, seq, at in saves:
        if question not in latest or seq > latest[question][0]:
            latest[question] = (seq, at)
    return {question: at for question, (_seq, at) in latest.items()}


def _seconds(value):
    return value.timestamp() if isinstance(value, dt.datetime) else float(value)


def _ranks(values):
    """Ranks from 1, ties sharing their mean rank."""
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    k = 0
    while k < len(order):
        j = k
        while j + 1 < len(order) and values[order[j + 1]] == values[order[k]]:
            j += 1
        for m in range(k, j + 1):
            ranks[order[m]] = (k + j) / 2 + 1
        k = j + 1
    return ranks


def _pearson(x, y):
    n = len(x)
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    if sxx == 0 or syy == 0:
        return None
    return sxy / (sxx * syy) ** 0.5


def similarity(times_a, times_b, answers_a, answers_b, window=WINDOW_SECONDS):
    """The timing similarity of a pair: ``times_*`` {bank question id: save time (datetime or
    seconds)}, ``answers_*`` {bank question id: answer in the bank's terms}. An answer that is
    None or missing never matches (two blanks are not alike)."""
    common = [q for q in times_a if q in times_b]
    matching = [q for q in common if answers_a.get(q) is not None and answers_a.get(q) == answers_b.get(q)]
    a = {q: _seconds(times_a[q]) for q in common}
    b = {q: _seconds(times_b[q]) for q in common}
    close = sum(1 for q in matching if abs(a[q] - b[q]) <= window)
    expected = 0.0
    if len(common) > 1:
        for q in matching:
            others = [r for r in common if r != q]
            expected += sum(1 for r in others if abs(a[q] - b[r]) <= window) / len(others)
    correlation = None
    if len(common) >= MIN_COMMON:
        correlation = _pearson(_ranks([a[q] for q in common]), _ranks([b[q] for q in common]))
    return TimingSimilarity(len(common), len(matching), close, close / len(matching) if matching else None,
                            expected, correlation, window)
