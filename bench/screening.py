"""Benchmark: screening a sitting for unusual agreement (assessment/integrity/screening.py).

Run it from the checkout:

    .venv/bin/python bench/screening.py [--quick]

It measures, on synthetic sittings generated here (``simulate``, also used by the tests):

  (A) time and peak memory of ``screen_matrix`` on 2,000 students x 40 questions (median of 5
      runs after one warm-up; memory as the peak of ``tracemalloc``, which counts numpy's buffers,
      and the process's peak resident size after it, Python and numpy included);
  (B) how the time grows with students: 500, 1,000, 2,000, 4,000 (40 questions);
  (C) detection power against the share of answers copied (50 %, 65 %, 80 %) at alpha = 0.05
      (Bonferroni over all pairs, then Benjamini-Hochberg): the share of planted pairs flagged,
      over 10 sittings of 500 students with 10 planted copiers each; and the flags among the
      other pairs;
  (D) how the time grows with the test's length: 2,000 students x 40, 100 and 150 questions
      (the lengths whose false-alarm rate the tests check), with the peak of numpy's buffers.

The budget (2,000 x 40 in at most 0.5 s and 200 MB) is printed against the figures of (A).

The synthetic sitting: each student has an ability theta ~ N(0, 1); each question a 3-parameter
logistic chance of the right option (discrimination 0.7-2.0, difficulty ~ N(0, 1), guessing
0.2); a wrong answer picks one of three distractors whose attraction depends on the question and,
for one of them, on ability (weaker students lean to the "popular wrong answer"); 3 % blanks. A
copier copies the source's answer (blank included) on a chosen share of the questions and answers
the rest on their own. It prints figures and asserts nothing.
"""
import os
import resource
import statistics
import sys
import time
import tracemalloc

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "xblocks"))

from vn_online_teaching.assessment.integrity.screening import screen_matrix  # noqa: E402

OPTIONS = 4
BLANK_RATE = 0.03


def simulate(students, questions=40, copiers=0, share=0.65, seed=0):
    """A synthetic sitting: (names, responses (students x questions, -1 blank), right options,
    planted (source, copier) index pairs). Sources and copiers are distinct students."""
    rng = np.random.default_rng(seed)
    theta = rng.normal(0, 1, students)
    a = rng.uniform(0.7, 2.0, questions)
    b = rng.normal(0, 1, questions)
    right = rng.integers(0, OPTIONS, questions)
    p_right = 0.2 + 0.8 / (1 + np.exp(-a * (theta[:, None] - b)))
    attraction = rng.dirichlet(np.ones(OPTIONS - 1), questions)            # questions x 3
    lean = np.zeros((students, questions, OPTIONS - 1))
    lean[..., 0] = -0.8 * theta[:, None]                                     # the popular wrong answer
    weights = attraction[None] * np.exp(lean)
    weights /= weights.sum(axis=-1, keepdims=True)
    cumulative = weights.cumsum(axis=-1)
    pick = (rng.random((students, questions, 1)) > cumulative).sum(axis=-1).clip(0, OPTIONS - 2)
    wrong = (right[None] + 1 + pick) % OPTIONS
    responses = np.where(rng.random((students, questions)) < p_right, right[None], wrong)
    responses[rng.random((students, questions)) < BLANK_RATE] = -1
    planted = []
    if copiers:
        chosen = rng.choice(students, 2 * copiers, replace=False)
        copied = round(share * questions)
        for source, copier in zip(chosen[:copiers], chosen[copiers:]):
            which = rng.choice(questions, copied, replace=False)
            responses[copier, which] = responses[source, which]
            planted.append((int(source), int(copier)))
    names = [f"s{k:05d}" for k in range(students)]
    return names, responses.astype(np.int16), right.astype(np.int16), planted


BUDGET_SECONDS, BUDGET_MB = 0.5, 200


def timed(n, questions=40, runs=5):
    names, responses, right, _ = simulate(n, questions, seed=n)
    screen_matrix(names, responses, right)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        screen_matrix(names, responses, right)
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def peak_memory(n, questions=40):
    names, responses, right, _ = simulate(n, questions, seed=n)
    tracemalloc.start()
    screen_matrix(names, responses, right)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def power(share, sittings, students=500, copiers=10, alpha=0.05, method="bonferroni"):
    found = planted = false = 0
    for seed in range(sittings):
        names, responses, right, pairs = simulate(students, 40, copiers, share, seed=1000 + seed)
        result = screen_matrix(names, responses, right, alpha=alpha, method=method)
        flagged = {frozenset((p.a, p.b)) for p in result.pairs}
        truth = {frozenset((names[s], names[c])) for s, c in pairs}
        found += len(flagged & truth)
        planted += len(truth)
        false += len(flagged - truth)
    return found / planted, false, planted


def main():
    quick = "--quick" in sys.argv
    print(f"numpy {np.__version__}, Python {sys.version.split()[0]}, {os.cpu_count()} cores")
    median, best = timed(2000, runs=3 if quick else 5)
    traced = peak_memory(2000) / 2**20
    resident = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"(A) 2,000 x 40: median {median * 1000:.0f} ms, best {best * 1000:.0f} ms; "
          f"peak traced memory {traced:.0f} MB, peak resident size of the process so far {resident:.0f} MB")
    within = median <= BUDGET_SECONDS and max(traced, resident) <= BUDGET_MB
    print(f"(A) budget {BUDGET_SECONDS} s and {BUDGET_MB} MB: {'within' if within else 'OVER'} "
          f"({median / BUDGET_SECONDS:.0%} of the time, {max(traced, resident) / BUDGET_MB:.0%} of the memory)")
    for n in (500, 1000, 2000, 4000):
        median, best = timed(n, runs=3 if quick else 5)
        print(f"(B) {n:>5} students: median {median * 1000:7.1f} ms, best {best * 1000:7.1f} ms, "
              f"{n * (n - 1) // 2:>9,} pairs")
    for questions in (40, 100, 150):
        median, best = timed(2000, questions, runs=3 if quick else 5)
        print(f"(D) 2,000 x {questions:>3}: median {median * 1000:7.1f} ms, best {best * 1000:7.1f} ms, "
              f"peak traced memory {peak_memory(2000, questions) / 2**20:.0f} MB")
    for share in (0.5, 0.65, 0.8):
        for method in ("bonferroni", "bh"):
            rate, false, planted = power(share, 3 if quick else 10, method=method)
            print(f"(C) copying {share:.0%}, {method}: {rate:.0%} of {planted} planted pairs flagged; "
                  f"{false} other pairs flagged")
    print(f"peak resident size of the process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
