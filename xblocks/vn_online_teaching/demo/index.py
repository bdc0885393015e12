"""The demo's front page: every scenario of our blocks with one link per person who has something
to do there (``?student=`` written for them), the people by role, and none of the XBlock SDK's
sample blocks (thumbs, sliders…), which are installed with the workbench but are not our demo.

Our scenarios are those whose block class lives in this package, so a new block's scenarios appear
without touching this page; the people come from ``people.SCENARIO_ROLES``
(a scenario it does not name gets everyone of ``people.ROLE_GUIDE``)."""
from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse

from .people import PEOPLE, ROLE_GUIDE, SCENARIO_ROLES

PACKAGE = "vn_online_teaching."


def ours(block_type):
    """Is ``block_type`` one of this package's blocks (not an SDK sample)?"""
    from xblock.core import XBlock  # noqa: PLC0415
    from xblock.plugin import PluginMissingError  # noqa: PLC0415

    try:
        return XBlock.load_class(block_type).__module__.startswith(PACKAGE)
    except PluginMissingError:
        return False


def roles_for(description):
    for prefix, people in SCENARIO_ROLES:
        if description.startswith(prefix):
            return people
    return ROLE_GUIDE


def scenario_links():
    """[{"id", "title", "links": [{"url", "name", "role"}]}] for each of our scenarios, in order."""
    from workbench.scenarios import get_scenarios  # noqa: PLC0415 - the demo runs in the workbench

    out = []
    for scenario_id, scenario in get_scenarios().items():
        if not ours(scenario_id.split(".")[0]):
            continue
        url = reverse("workbench_show_scenario", args=[scenario_id])
        links = [{"url": f"{url}?{urlencode({'student': username})}", "username": username,
                  "name": PEOPLE[username][0], "role": what} for username, what in roles_for(scenario.description)]
        out.append({"id": scenario_id, "title": scenario.description, "links": links})
    return out


def index(request):
    people = [{"username": username, "name": PEOPLE[username][0], "role": what} for username, what in ROLE_GUIDE]
    return render(request, "workbench/index.html", {"scenarios": scenario_links(), "people": people})
