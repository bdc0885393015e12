"""The periodic job of the periodic tests as a Celery task: end every attempt whose time and grace
are over (``ending.finalise_due``), seal it in the audit chain, and complete the block for its
learner (docs/decisions/0010-grades.md says how an operator schedules it).

Two ways run it, and both may: ``manage.py finalise_attempts`` every minute from the host's cron or
a Kubernetes CronJob; or this task, queued by the requests that touch a periodic test (the staff
board refreshes every 15 seconds during a sitting, students open the page) at most once a minute
for the whole site, where the platform's Celery workers take tasks (Tutor runs workers but no
Celery beat). Without workers (the workbench) nothing is queued: the next request of a student
ends their own attempt anyway.
"""
from django.core.cache import cache
from django.db import transaction

from .. import compat
from .ending import finalise_due

NUDGE_KEY = "vn_online_teaching.assessment.finalise_due"
NUDGE_SECONDS = 60


@compat.background_task
def finalise_attempts(limit=None):
    """End the attempts that are due (the earliest deadlines first): the number ended."""
    return finalise_due(limit=limit)


def nudge():
    """Queue ``finalise_attempts`` for the workers unless it was queued in the last minute (one
    key in the shared cache, whichever process asks); after the request's transaction commits.
    Answers whether it was queued."""
    if not compat.queues_tasks() or not cache.add(NUDGE_KEY, 1, NUDGE_SECONDS):
        return False
    transaction.on_commit(lambda: compat.run_in_background(finalise_attempts))
    return True
