"""Settings of the fuzz tier: examples per handler from VNOT_FUZZ_EXAMPLES, no example database,
no deadline (the first call of a handler loads templates), derandomized in CI so a red build can
be rerun as it was; and the seeded records, made once per module and rolled back after it."""
import os
from collections import Counter, defaultdict

import pytest
from django.db import transaction
from freezegun import freeze_time
from hypothesis import HealthCheck, settings
from hypothesis.configuration import set_hypothesis_home_dir

from . import world

# Hypothesis keeps caches on disk; they go with the run's other files, not into the checkout.
set_hypothesis_home_dir(os.path.join(os.environ.get("VNOT_VAR") or os.path.join(
    os.path.dirname(__file__), "..", "..", "var"), "hypothesis"))

DEFAULT_EXAMPLES = 250
# Clock calls from these modules keep real time (Hypothesis' statistics, pytest's durations, the
# run's figures).
REAL_TIME_FOR = ["hypothesis", "_pytest", "fuzz.timing"]


def examples():
    return int(os.environ.get("VNOT_FUZZ_EXAMPLES") or DEFAULT_EXAMPLES)


settings.register_profile(
    "vnot-fuzz", max_examples=examples(), deadline=None, database=None,
    derandomize=os.environ.get("CI") == "true" or os.environ.get("VNOT_FUZZ_DERANDOMIZE") == "1",
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
                           HealthCheck.function_scoped_fixture, HealthCheck.large_base_example],
    print_blob=True)
FUZZ = settings.get_profile("vnot-fuzz")
# What the run did, per handler and parser: requests sent and how they were answered; printed at
# the end of the run (docs/fuzzing.md keeps the last long run's).
STATS = defaultdict(Counter)


def pytest_terminal_summary(terminalreporter):
    if not STATS:
        return
    terminalreporter.section(f"fuzz tier: {examples()} random examples each, after the boundary sweep")
    terminalreporter.write_line(f"{'':44} {'sent':>7} {'sweep':>6} {'refused':>8} {'changed':>8} {'read':>7} "
                                f"{'seconds':>8}")
    for name, counts in sorted(STATS.items()):
        terminalreporter.write_line(
            f"{name:44} {counts['sent']:7} {counts['sweep']:6} {counts['refused']:8} {counts['changed']:8} "
            f"{counts['read']:7} {counts['seconds']:8.1f}")


@pytest.fixture(scope="module")
def seeded_module(django_db_setup, django_db_blocker):
    """(usages by block type, Pools) of records seeded once for the module, in a transaction
    that is rolled back after its last test; each test adds its own savepoint (``db``)."""
    from workbench.models import XBlockState  # noqa: PLC0415
    from workbench.runtime_util import reset_global_state  # noqa: PLC0415

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with freeze_time(world.NOW, ignore=REAL_TIME_FOR):
                if not XBlockState.objects.exists():  # the session parsed them (tests/conftest.py)
                    reset_global_state()
                made = world.seed()
            yield made
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def seeded(seeded_module, db):
    """The seeded records, at the instant every example runs (world.NOW)."""
    with freeze_time(world.NOW, ignore=REAL_TIME_FOR):
        yield seeded_module
