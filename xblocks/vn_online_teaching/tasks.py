"""Every Celery task of the package, where the platform's workers look for them.

The LMS's and Studio's Celery app (openedx-platform: openedx/core/lib/celery/__init__.py, ``APP``)
finds tasks with ``autodiscover_tasks()``, which imports ``<app>.tasks`` of each installed Django
app: for us ``vn_online_teaching.tasks``, never a feature's own ``tasks`` module. A task defined
only there would be refused by the workers as unregistered; importing it here registers it.
"""
from .archive.tasks import export_archive  # noqa: F401 - registered by being imported
from .assessment.tasks import finalise_attempts  # noqa: F401
