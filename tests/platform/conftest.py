"""Fixtures of the platform tier. The runtimes and their API are in runtime.py (its docstring).

The tier runs with its own settings (pytest.ini here: ``DJANGO_SETTINGS_MODULE = settings``);
run it as ``.venv/bin/python -m pytest tests/platform`` (or ``TIERS=platform bash scripts/test.sh``).
"""
import pytest


def pytest_configure(config):
    from django.conf import settings

    if settings.SETTINGS_MODULE != "settings":
        raise pytest.UsageError(
            "tests/platform runs with its own settings: `python -m pytest tests/platform` "
            "(not together with other test folders), or scripts/test.sh's platform tier.")


@pytest.fixture
def course(db):
    """An empty course (course-v1:SoGD+TOAN10+2025) with its modulestore stand-in."""
    from runtime import Course

    return Course()


@pytest.fixture
def completion_on(db):
    from runtime import completion_tracking

    with completion_tracking(True):
        yield


@pytest.fixture
def completion_off(db):
    from runtime import completion_tracking

    with completion_tracking(False):
        yield


@pytest.fixture(autouse=True)
def request_boundaries():
    """Each test is a new request: every request-cache namespace is emptied before and after it,
    as edx-django-utils' RequestCacheMiddleware does (cache/middleware.py), so that no cached
    switch value (edx-toggles keeps them in "waffle") outlives a test."""
    from platform_overrides import new_request

    new_request()
    yield
    new_request()
