"""The end of an attempt: handed in by the student, or ended by the server's clock once its
deadline and grace are over, on the next request that touches it or by the periodic job
(``manage.py finalise_attempts``), whether or not the browser is still there.

Finalising scores the attempt and appends its seal to the audit chain in the same transaction:
the hashes of the delivered paper, of the answer sheet and of the student's integrity events
(evidence.finalisation_seal), so a later change of any of them is caught (evidence.verify_attempt).
An attempt the clock ended marks the block complete for its learner once committed (grades); its
score reaches the gradebook only when the results are released (docs/decisions/0010-grades.md).
"""
from django.db import transaction

from ..core import clock
from . import grades, states, timing
from .evidence import finalisation_seal, sheet
from .marking import score
from .models import Answer, Attempt
from .records import OBJECT_ATTEMPT, OPEN_STATES, iso, record


def limit_of(attempt):
    return timing.Deadline(attempt.deadline_at, attempt.accept_until)


def finalise(attempt, sitting, event_name, now, actor=None, role=""):
    """End the attempt (``states.SUBMIT`` or ``states.DEADLINE_PASSED``), score it and seal it in
    the audit chain. Call with the attempt locked; ``actor`` None: the server's clock ended it."""
    before = attempt.state
    attempt.state = states.next_state(before, event_name)
    attempt.ended_at = now
    seal = finalisation_seal(attempt, sheet(attempt))
    result = score(attempt, sitting)
    attempt.sheet_hash, attempt.result = seal["sheet_hash"], result.as_record()
    # The counters of its saves, kept from now on: while it ran, each save was only its row (saving.py).
    attempt.last_seq, attempt.saves = seal["last_seq"], Answer.objects.filter(attempt=attempt).count()
    attempt.save()
    action = "assessment.submit" if event_name == states.SUBMIT else "assessment.finalise"
    record(action, sitting, actor, role, OBJECT_ATTEMPT, attempt.pk, user=attempt.user_key,
           state=[before, attempt.state], deadline=iso(attempt.deadline_at), score=attempt.result["score"],
           unmarked=len(result.unmarked), **seal)
    if event_name == states.DEADLINE_PASSED:
        grades.ended_by_clock(attempt)


def finalise_if_due(attempt, sitting, now):
    """Finalise an attempt whose time and grace are over (call with it locked); True if it was."""
    if attempt.state in OPEN_STATES and timing.finalise_due(now, limit_of(attempt)):
        finalise(attempt, sitting, states.DEADLINE_PASSED, now)
        return True
    return False


def finalise_due(now=None, limit=None):
    """Finalise every attempt of the site whose time and grace are over, earliest deadline first,
    each in its own transaction that locks the attempt's row only: the number finalised."""
    now = now or clock.now()
    due = (Attempt.objects.filter(state__in=OPEN_STATES, accept_until__lt=now).order_by("accept_until")
           .values_list("pk", flat=True))
    done = 0
    for pk in list(due[:limit] if limit else due):
        with transaction.atomic():
            attempt = Attempt.objects.select_for_update().filter(pk=pk).first()
            if attempt is not None and finalise_if_due(attempt, attempt.sitting, now):
                done += 1
    return done
