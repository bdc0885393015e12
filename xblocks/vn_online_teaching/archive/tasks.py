"""The export as a Celery task on the platform's workers, inline where there is no broker (the
workbench, the tests): ``compat.run_in_background`` decides. The job's state lives in its row
(archive/models.py), so any LMS process shows the progress, and a task delivered twice does the
work once (``jobs.run`` claims the queued job first)."""
from django.db import transaction

from .. import compat
from . import jobs


@compat.background_task
def export_archive(job_id):
    jobs.run(job_id)


def start(job_id):
    """Queue job ``job_id`` once the transaction that created it has committed (a worker must find
    the row), or, without a broker, run it now in this process. Answers whether it was queued."""
    if not compat.queues_tasks():
        compat.run_in_background(export_archive, job_id)
        return False
    transaction.on_commit(lambda: compat.run_in_background(export_archive, job_id))
    return True
