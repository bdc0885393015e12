"""Fixtures shared by the integration, security and browser tiers: the workbench runtime with the
demo people and blocks of the demo scenarios."""
import pytest

from helpers import decide, scenario_usage
from vn_online_teaching.demo.load import load_people


@pytest.fixture
def workbench(db):
    """Fresh workbench state (scenarios parsed again) and the demo roles and roster."""
    from workbench.runtime_util import reset_global_state

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
