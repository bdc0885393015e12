"""Fixtures shared by the integration, security and browser tiers: the workbench runtime with the
demo people and blocks of the demo scenarios."""
import pytest

from helpers import decide, scenario_usage
from vn_online_teaching.demo.load import load_people


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The workbench's scenarios parsed once: their fields are rows of the test database, which
    every test's transaction rolls back to."""
    from workbench.runtime_util import reset_global_state

    with django_db_blocker.unblock():
        reset_global_state()


@pytest.fixture
def workbench(db):
    """The workbench's scenarios (parsed again only after a transactional test emptied the
    database) and the demo roles and roster."""
    from workbench.models import XBlockState
    from workbench.runtime_util import reset_global_state

    if not XBlockState.objects.exists():
        reset_global_state()
    load_people()
    return True


@pytest.fixture
def draft(workbench):
    """The draft Mathematics material with one child block."""
    return scenario_usage("Học liệu: bản nháp")


@pytest.fixture
def approved(draft):
    """The draft walked to approval by the demo teacher, head and principal."""
    assert decide(draft, "gv_lan", "submit")[0] == 200
    assert decide(draft, "tt_minh", "pass")[0] == 200
    assert decide(draft, "ht_hung", "approve")[0] == 200
    return draft
