"""Helpers for tests that drive blocks in the workbench runtime as a given demo user."""
import json
import threading
import traceback

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


THREAD_TIMEOUT = 120


def run_threads(n, work):
    """Run ``work(i)`` in ``n`` threads released together; [(result or None, error text or None)].
    Each thread closes its own database connection, as a request's worker does."""
    from django.db import connection

    barrier = threading.Barrier(n)
    results = [(None, "did not finish")] * n

    def body(i):
        try:
            barrier.wait(timeout=THREAD_TIMEOUT)
            results[i] = (work(i), None)
        except BaseException:  # noqa: BLE001 - reported by the test
            results[i] = (None, traceback.format_exc())
        finally:
            connection.close()

    threads = [threading.Thread(target=body, args=(i,), daemon=True) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(THREAD_TIMEOUT)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    return results


def errors_of(results):
    return [err for _res, err in results if err]
