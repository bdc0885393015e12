"""Helpers for tests that drive blocks in the workbench runtime as a given demo user."""
import json

from webob import Request

CHECKED = {"fits_lesson": True, "sound": True, "culture": True, "ip": True}


def scenario_usage(prefix):
    from workbench.scenarios import get_scenarios

    for scenario in get_scenarios().values():
        if scenario.description.startswith(prefix):
            return scenario.usage_id
    raise KeyError(prefix)


def block_as(usage_id, username):
    from workbench.runtime import WorkbenchRuntime

    return WorkbenchRuntime(username).get_block(usage_id)


def call(usage_id, username, handler, data=None, method="POST", body=None, suffix="", query=""):
    """Call a handler as ``username`` the way the browser does; returns (status, parsed body)."""
    block = block_as(usage_id, username)
    raw = body if body is not None else (json.dumps(data or {}).encode() if method == "POST" else b"")
    request = Request.blank(f"/?{query}", method=method, body=raw if method == "POST" else None,
                            content_type="application/json")
    response = block.runtime.handle(block, handler, request, suffix)
    try:
        payload = json.loads(response.body.decode("utf-8"))
    except ValueError:
        payload = response.body
    return response.status_code, payload


def decide(usage_id, username, action, comment="", checklist=None, fingerprint=None, request_id=None):
    block = block_as(usage_id, username)
    fp = block.live()["fingerprint"] if fingerprint is None else fingerprint
    data = {"action": action, "comment": comment, "checklist": CHECKED if checklist is None else checklist,
            "fingerprint": fp}
    if request_id:
        data["request_id"] = request_id
    return call(usage_id, username, "decide", data)


def render(usage_id, username, view="student_view"):
    block = block_as(usage_id, username)
    return block.render(view, {}).body_html()
