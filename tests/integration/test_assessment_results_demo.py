"""The demo of periodic tests: the ended test comes sat by class 10A1 (handed in, ended at the
deadline, not started; essays marked and left to mark) so a teacher can mark and release at once;
the front page links every scenario of our blocks for each role with something to do there, and
none of the XBlock SDK's samples."""
import re
from html import unescape

import pytest
from django.core.management import call_command
from helpers import call, scenario_usage
from vn_online_teaching.assessment import scenarios
from vn_online_teaching.assessment.models import Attempt
from vn_online_teaching.demo.load import load_ended_assessment

SDK_SAMPLES = ("thumbs", "filethumbs", "slider_demo", "html_demo", "problem_demo", "helloworld_demo",
               "allscopes_demo", "view_counter_demo", "textinput_demo", "equality_demo", "sidebar_demo")


@pytest.fixture
def ended(workbench):
    assert load_ended_assessment() and not load_ended_assessment()  # once only
    return scenario_usage(scenarios.ENDED)


def test_ended_test_is_ready_to_mark_and_release(ended):
    rows = {a.user_key: a for a in Attempt.objects.filter(usage_key=str(ended))}
    assert set(rows) == {"hs_anh", "hs_binh", "hs_chau", "hs_duc", "hs_ha"}  # hs_huy never started
    assert rows["hs_duc"].state == "finalised_by_deadline"
    assert {rows[u].state for u in ("hs_anh", "hs_binh")} == {"marked"}
    assert all(rows[u].result["unmarked"] for u in ("hs_chau", "hs_duc", "hs_ha"))
    status, board = call(ended, "gv_lan", "board", {})
    assert status == 200 and board["window"]["state"] == "closed"
    assert call(ended, "gv_lan", "publish", {})[1]["error"] == "unmarked"
    status, body = call(ended, "gv_lan", "essays", {})
    todo = [e for e in body["essays"] if e["mark"] is None]
    assert len(todo) == 3
    for essay in todo:
        assert call(ended, "gv_lan", "mark_essay", {"student": essay["user"], "position": essay["position"],
                                                     "mark": "1"})[0] == 200
    status, body = call(ended, "gv_lan", "publish", {})
    assert status == 200 and body["released"] == 5
    status, data = call(ended, "vt_thu", "score_sheet_csv", method="GET")
    assert status == 200 and data.decode("utf-8-sig").count("Kết thúc khi hết giờ") == 1


def test_load_commands_run_twice(workbench):
    call_command("load_assessments")
    count = Attempt.objects.count()
    assert count == 5
    call_command("load_assessments")
    call_command("load_demo")
    assert Attempt.objects.count() == count


def test_front_page_links_every_scenario_for_each_role(client, workbench):
    from workbench.scenarios import get_scenarios

    html = client.get("/").content.decode("utf-8")
    from xblock.core import XBlock

    ours = [(sid, s) for sid, s in get_scenarios().items()
            if XBlock.load_class(sid.split(".")[0]).__module__.startswith("vn_online_teaching.")]
    assert {sid.split(".")[0] for sid, _s in ours} >= {"approved_material", "session_attendance",
                                                         "periodic_assessment"}
    assert len(ours) >= 10
    links = {unescape(href) for href in re.findall(r'href="([^"]+)"', html)}
    for sid, scenario in ours:
        assert scenario.description in html
        people = {href.split("student=")[1] for href in links if href.startswith(f"/scenario/{sid}/?student=")}
        assert people, sid
    ended = {h.split("student=")[1] for h in links if "periodic_assessment.1/" in h}
    assert {"gv_lan", "tt_minh", "ht_hung", "vt_thu", "hs_anh"} <= ended
    assert {h.split("student=")[1] for h in links if "periodic_assessment.0/" in h} >= {"hs_anh", "hs_binh", "gv_lan"}
    for sample in SDK_SAMPLES:
        assert f"/scenario/{sample}." not in html, sample
    assert "?student=&lt;" not in html  # nobody types the parameter


def test_every_link_opens_its_scenario(client, workbench):
    html = client.get("/").content.decode("utf-8")
    first = unescape(re.search(r'href="(/scenario/periodic_assessment\.1/\?student=gv_lan)"', html).group(1))
    assert client.get(first).status_code == 200
