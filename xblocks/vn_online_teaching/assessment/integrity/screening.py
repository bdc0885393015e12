"""Screening a sitting for pairs of students whose answers agree more than their abilities explain.

What it is for: after a test, a short list of pairs *worth a look* by a person. A flag is a
statistical oddity, never a finding of cheating (docs/integrity-guide.md says how to decide).

The statistic, per unordered pair of students (a, b):

- Answers are compared by bank question and bank option, never by position, because every
  student's paper is shuffled. A blank never agrees with anything (two students who both ran out
  of time are not alike for that).
- Each agreement counts by how surprising its option is in the class: ``round(log2(1 / share))``
  bits, between 1 and ``MAX_WEIGHT`` (``match_weights``). Agreeing on the right answer most of the
  class gives counts 1; on a wrong answer few chose, up to 6. The sum over questions is the pair's
  *weighted agreement* S. (Counting every agreement alike, on the synthetic sittings of
  bench/screening.py, found 0 %, 25 % and 66 % of copiers of 50 %, 65 % and 80 % of the answers
  among 500 students; weighted, 6 %, 43 % and 77 %; counting identical wrong answers only, 2 % and
  17 % at 65 % and 80 %: docs/performance.md.)
- Its distribution if a and b answered independently, given their abilities: students are put
  in *score bands* (students with the same number of right answers, adjacent scores merged until a
  band holds at least ``MIN_BAND`` students); for each question the probability of each option in
  a band is the band's share choosing it, smoothed by one pseudo-student answering like the whole
  class. The chance that a and b agree on option k of question i is ``P[band(a), i, k] *
  P[band(b), i, k]``, questions are independent, and S is a sum of independent whole-number
  variables: its exact distribution comes from convolving the questions one by one.
- ``p``: the exact upper tail P(S >= observed), no normal approximation: the tails that matter are
  around 1e-8, where a normal approximation of a skewed count is wrong by orders of magnitude.
  Because the chances depend only on the two bands, there are only (bands x bands) distributions
  to compute, whatever the number of pairs.
- ``statistic``: the omega-type index (S - its mean) / its standard deviation under the same
  model, to rank and read; the decision uses ``p``.

The pair's own answers are part of its band's estimates (leaving every pair out of its own
estimate would make every pair's distribution different and cost the vectorised computation).
The bias is conservative: two students who chose the same option raise that option's share in
their band(s), so their agreement looks a little *less* unusual; it shrinks as bands grow. The
weights come from the whole class's shares, the pair included (the same direction: an option
the pair chose looks a little less rare).

Over all n(n-1)/2 pairs the false-alarm rate is controlled by Bonferroni (default: the chance of
flagging *any* pair of honest students is at most ``alpha``) or, on request, Benjamini-Hochberg
(the expected share of false flags among the flagged is at most ``alpha``).

Only questions with a single right option (multiple choice) take part; other answers are ignored.
"""
from dataclasses import dataclass, field

import numpy as np

BONFERRONI, BH = "bonferroni", "bh"
METHODS = (BONFERRONI, BH)
# Students per score band, at least. Narrow bands matter more than precise shares: abilities vary
# inside a wide band, which makes agreement among its students look unusual (simulated with bands of
# 30: 23 % of honest 40-student classes had a false flag at alpha = 0.2, 70 % when every agreement
# counted alike; with 5: 5 % and 3 %).
MIN_BAND = 5
SMOOTHING = 1.0        # pseudo-students answering like the whole class, added to every band
MAX_WEIGHT = 6         # bits of surprise an agreement counts at most (an option 1 in 64 chooses)
# Score levels told apart, at most: a longer test's scores are grouped onto 41 levels, as fine as
# a 40-question test's, so the tables (bands x bands x scores) stay a few MB for any length.
SCORE_LEVELS = 41
# Test lengths for which simulation showed the false-alarm rate within alpha (20 to 150 questions;
# tests/unit/assessment/test_integrity_screening_lengths.py checks 40, 100 and 150 on every run).
# Beyond, small differences of ability inside a band add up over many questions: with 200
# questions the rate was about alpha (22 % of honest sittings of 150 at alpha = 0.2, 8 % at
# 0.05), with 300 it was 35 % at alpha = 0.2.
VERIFIED_QUESTIONS = 150
BLANK = -1


@dataclass(frozen=True)
class Pair:
    """A flagged pair, ``a`` < ``b``: ``statistic`` the omega-type index of the weighted agreement,
    ``p`` its exact tail; for the reader, ``identical`` answers of which ``identical_wrong`` on a
    wrong option, ``expected`` the identical answers expected without copying, ``longest_run`` the
    longest stretch of consecutive questions (in the key's order) answered identically."""

    a: str
    b: str
    statistic: float
    p: float
    identical: int
    identical_wrong: int
    expected: float
    longest_run: int

    def as_dict(self):
        return {"a": self.a, "b": self.b, "statistic": round(self.statistic, 3), "p": float(f"{self.p:.4g}"),
                "identical": self.identical, "identical_wrong": self.identical_wrong,
                "expected": round(self.expected, 2), "longest_run": self.longest_run}


@dataclass(frozen=True)
class Screening:
    """The outcome: flagged pairs, most unusual first, and what the control promised."""

    pairs: list = field(default_factory=list)
    alpha: float = 0.05
    method: str = BONFERRONI
    students: int = 0
    questions: int = 0
    pairs_tested: int = 0
    bands: int = 0

    @property
    def verified(self):
        """Is the test short enough for the false-alarm promise to have been checked?"""
        return self.questions <= VERIFIED_QUESTIONS

    def as_dict(self):
        return {"pairs": [p.as_dict() for p in self.pairs], "alpha": self.alpha, "method": self.method,
                "students": self.students, "questions": self.questions, "pairs_tested": self.pairs_tested,
                "verified_length": self.verified}


def screen(answers, key, alpha=0.05, method=BONFERRONI, min_band=MIN_BAND):
    """Screen ``answers`` = {student: {question id: letter}} against ``key`` = {question id: right
    letter} (what ``assessment.evidence.bank_answers`` gives per finalised attempt). Questions not in
    the key, and answers that are not a single letter, are ignored; a missing answer is a blank."""
    questions = list(key)
    letters = sorted({str(v) for v in key.values()} | {
        v for sheet in answers.values() for q, v in sheet.items() if q in key and _is_letter(v)})
    index = {letter: k for k, letter in enumerate(letters)}
    students = list(answers)
    responses = np.full((len(students), len(questions)), BLANK, dtype=np.int16)
    for row, student in enumerate(students):
        sheet = answers[student]
        for col, q in enumerate(questions):
            value = sheet.get(q)
            if _is_letter(value):
                responses[row, col] = index[value]
    right = np.array([index[str(key[q])] for q in questions], dtype=np.int16)
    return screen_matrix(students, responses, right, alpha=alpha, method=method, min_band=min_band)


def _is_letter(value):
    return isinstance(value, str) and len(value) == 1 and value.isalpha()


def screen_matrix(students, responses, right, alpha=0.05, method=BONFERRONI, min_band=MIN_BAND):
    """The same on arrays: ``responses`` (students x questions) of option numbers 0..K-1 or -1 for
    a blank, ``right`` the right option of each question."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}")
    if not 0 < alpha < 1:
        raise ValueError("alpha must be between 0 and 1")
    responses = np.asarray(responses, dtype=np.int16)
    right = np.asarray(right, dtype=np.int16)
    n, q = responses.shape
    total = n * (n - 1) // 2
    if n < 2 or q == 0:
        return Screening([], alpha, method, n, q, total, 0)
    options = int(max(responses.max(initial=0), right.max(initial=0))) + 1
    correct = (responses == right).sum(axis=1)
    band = score_bands(correct if q < SCORE_LEVELS else correct * (SCORE_LEVELS - 1) // q, min_band)
    onehot = _onehot(responses, options)
    share, overall = band_shares(onehot, band, q, options)
    weights = match_weights(overall)
    joint = np.einsum("gik,hik->ghik", share, share)
    tails, mean, sd = tail_tables(joint, weights)
    scores = _weighted_agreement(onehot, weights)
    ia, ib, p = _flag(scores, band, tails, alpha, method, total)
    ga, gb = band[ia], band[ib]
    z = (scores[ia, ib] - mean[ga, gb]) / np.maximum(sd[ga, gb], 1e-12)
    expected = joint.sum(axis=(2, 3))
    pairs = [_pair(students, responses, right, int(i), int(j), float(zz), float(pp), float(expected[g, h]))
             for i, j, zz, pp, g, h in zip(ia, ib, z, p, ga, gb)]
    pairs.sort(key=lambda pair: (pair.p, -pair.statistic, pair.a, pair.b))
    return Screening(pairs, alpha, method, n, q, total, int(band.max()) + 1)


def score_bands(scores, min_band=MIN_BAND):
    """Band number of each student: equal scores share a band; adjacent scores are merged, from the
    lowest up, until a band has ``min_band`` students (a short last band joins the one before)."""
    scores = np.asarray(scores)
    min_band = max(1, min(min_band, (len(scores) + 1) // 2))
    levels, counts = np.unique(scores, return_counts=True)
    level_band, current, size = np.zeros(len(levels), dtype=np.int64), 0, 0
    for k, count in enumerate(counts):
        level_band[k] = current
        size += count
        if size >= min_band:
            current, size = current + 1, 0
    if size and current > 0:           # the last band came out short: merge it downwards
        level_band[level_band == current] = current - 1
    return level_band[np.searchsorted(levels, scores)]


def band_shares(onehot, band, questions, options, smoothing=SMOOTHING):
    """share[g, i, k]: the share of band g choosing option k of question i (blanks take the rest),
    smoothed by ``smoothing`` pseudo-students answering like the whole class; and the whole
    class's shares [i, k]."""
    n = onehot.shape[0]
    bands = int(band.max()) + 1
    members = np.zeros((bands, n), dtype=np.float32)
    members[band, np.arange(n)] = 1.0
    counts = (members @ onehot).reshape(bands, questions, options).astype(float)
    sizes = np.bincount(band, minlength=bands).astype(float)
    overall = counts.sum(axis=0) / n
    return (counts + smoothing * overall) / (sizes + smoothing)[:, None, None], overall


def match_weights(overall):
    """weights[i, k]: what agreeing on option k of question i counts, the whole-number bits of
    surprise of that option in the class, round(log2(1 / share)), kept between 1 and ``MAX_WEIGHT``:
    agreeing on a right answer nearly everyone gives counts 1, on a wrong answer one student in
    sixteen gives counts 4. Whole numbers keep the null distribution exact."""
    share = np.maximum(overall, 1e-9)
    return np.clip(np.rint(np.log2(1 / share)), 1, MAX_WEIGHT).astype(np.int64)


def tail_tables(joint, weights):
    """For each pair of bands (g, h), the exact upper tail P(S >= s) of the weighted agreement
    S = sum over questions of weights[i, k] when both chose option k (``joint[g, h, i, k]`` the
    chance of that under independence), for s = 0..max; its mean and standard deviation. Computed
    by convolution, question after question, for g <= h only (the table is symmetric)."""
    bands, _, questions, options = joint.shape
    upper = np.triu_indices(bands)
    chances = joint[upper]                                       # band pairs x questions x options
    size = int(weights.max(axis=1).sum()) + 1
    pmf = np.zeros((len(chances), size))
    pmf[:, 0] = 1.0
    for i in range(questions):
        nxt = pmf * (1 - chances[:, i, :].sum(axis=1))[:, None]
        for k in range(options):
            w = weights[i, k]
            nxt[:, w:] += pmf[:, :-w] * chances[:, i, k, None]
        pmf = nxt
    tail = np.minimum(np.cumsum(pmf[:, ::-1], axis=1)[:, ::-1], 1.0)   # summed from the top: tiny tails stay exact
    tails = np.empty((bands, bands, size))
    tails[upper] = tail
    tails[upper[1], upper[0]] = tail
    mean = (joint * weights).sum(axis=(2, 3))
    per_question = (joint * weights ** 2).sum(axis=3) - (joint * weights).sum(axis=3) ** 2
    return tails, mean, np.sqrt(per_question.sum(axis=2))


def _onehot(responses, options):
    n, q = responses.shape
    out = np.zeros((n, q * options), dtype=np.float32)
    rows, cols = np.nonzero(responses >= 0)
    out[rows, cols * options + responses[rows, cols]] = 1.0
    return out


def _weighted_agreement(onehot, weights):
    """scores[a, b]: the weighted agreement of a and b (one matrix product; exact whole numbers)."""
    return ((onehot * weights.reshape(-1).astype(np.float32)) @ onehot.T).astype(np.int32)


def _critical(tails, level):
    """Per pair of bands, the smallest score whose tail is <= level (beyond the maximum if none)."""
    return (tails > level).sum(axis=-1).astype(np.int32)


def _flag(scores, band, tails, alpha, method, total):
    """Indices (a < b) of the flagged pairs and their p-values. Scores are compared with each band
    pair's critical score, so p-values are looked up only for the few pairs near the threshold."""
    level = alpha / total if method == BONFERRONI else alpha     # BH never flags a p above alpha
    critical = _critical(tails, level)
    hits = np.triu(scores >= critical[band[:, None], band[None, :]], k=1)
    ia, ib = np.nonzero(hits)
    p = tails[band[ia], band[ib], scores[ia, ib].astype(np.int64)]
    if method == BH and len(p):
        order = np.argsort(p, kind="stable")
        ranked = p[order]
        passing = np.nonzero(ranked <= alpha * np.arange(1, len(p) + 1) / total)[0]
        keep = order[: passing[-1] + 1] if len(passing) else order[:0]
        ia, ib, p = ia[keep], ib[keep], p[keep]
    return ia, ib, p


def _pair(students, responses, right, i, j, z, p, expected):
    a, b = responses[i], responses[j]
    same = (a == b) & (a >= 0)
    run = longest = 0
    for flag in same:
        run = run + 1 if flag else 0
        longest = max(longest, run)
    first, second = str(students[i]), str(students[j])
    if second < first:
        first, second = second, first
    return Pair(first, second, z, p, int(same.sum()), int((same & (a != right)).sum()), expected, longest)
