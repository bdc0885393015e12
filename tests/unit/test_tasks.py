"""The package's Celery tasks are registered by the one module the platform's workers import
(openedx-platform: openedx/core/lib/celery/__init__.py, ``APP.autodiscover_tasks()`` imports
``<app>.tasks`` of each installed app), each under its own module's name."""
import importlib
import sys

from celery import Celery


def test_the_apps_tasks_module_registers_every_task():
    app = Celery("lms-like", set_as_current=True)
    for name in [m for m in sys.modules if m.startswith("vn_online_teaching") and m.endswith("tasks")]:
        del sys.modules[name]   # as a fresh worker process, which has imported none of them
    importlib.import_module("vn_online_teaching.tasks")
    registered = set(app.tasks.keys())
    assert {"vn_online_teaching.archive.tasks.export_archive",
            "vn_online_teaching.assessment.tasks.finalise_attempts"} <= registered
