"""Every handler of every installed block, driven as every role with generated requests.

Each example runs in a savepoint rolled back afterwards, so it starts from the seeded records and
a failure replays exactly. The boundary sweep (sweep.py) runs first as explicit examples, then
VNOT_FUZZ_EXAMPLES random ones. For each example: no 5xx (an exception escaping the handler is
one); a refusal (4xx) leaves every row, the audit chain, the blocks' fields and the stored files
as they were; a request that changed something leaves a chain that verifies and pages that
render for the example's viewer. After the run the accepted requests are replayed together and
every view and GET page of the block type must render for every role.
"""
import pytest
from hypothesis import example, given

from . import discovery, harness, sweep, timing
from .conftest import FUZZ, STATS
from .requests import case

HANDLERS = discovery.all_handlers()
REPLAY_LIMIT = 40


def check(handler, handlers, request, accepted):
    """One request, judged; the records are put back afterwards."""
    STATS[handler.id]["sent"] += 1
    with harness.rolled_back():
        before = harness.snapshot()
        outcome = harness.drive(handler.name, request)
        assert outcome.status < 500, f"{handler.id} answered {outcome.status}: {outcome.body!r}"
        after = harness.snapshot()
        if outcome.status >= 400:
            assert isinstance(outcome.body, dict) and outcome.body.get("error") and outcome.body.get("message"), (
                f"{handler.id} refused ({outcome.status}) without saying why: {outcome.body!r}")
            wrote = harness.refusal_changes(before, after)
            assert not wrote, f"{handler.id} refused ({outcome.status} {outcome.body!r}) but wrote {wrote}"
            STATS[handler.id]["refused"] += 1
            return
        if not harness.changes(before, after):
            STATS[handler.id]["read"] += 1
            return
        STATS[handler.id]["changed"] += 1
        ok, result = harness.chain_ok()
        assert ok, f"the audit chain no longer verifies after {handler.id}: {result}"
        if len(accepted) < REPLAY_LIMIT:
            accepted.append(request)
        failures = harness.render_failures([request.usage], [request.viewer], handlers)
        if failures:
            harness.fail_with(f"after {handler.id} accepted the request:", failures)


@pytest.mark.parametrize("handler", HANDLERS, ids=[h.id for h in HANDLERS])
def test_handler(seeded, handler):
    by_type, pools = seeded
    usages = by_type[handler.block_type]
    assert usages, f"{handler.block_type} has no workbench scenario to drive its handlers in"
    handlers = [h for h in HANDLERS if h.block_type == handler.block_type]
    accepted = []

    def one_request(request):
        check(handler, handlers, request, accepted)

    swept = sweep.cases(handler, pools, harness.USERS)
    for request in reversed(swept):
        one_request = example(request)(one_request)
    STATS[handler.id]["sweep"] += len(swept)
    started = timing.seconds()
    FUZZ(given(case(handler, usages, harness.USERS, pools))(one_request))()
    STATS[handler.id]["seconds"] += timing.seconds() - started
    if accepted:
        replay_then_render(handler, accepted, handlers)


def replay_then_render(handler, accepted, handlers):
    """The accepted requests one after the other, then every page of the blocks they reached
    for every role; when a page fails, the request after which it first failed is named."""
    usages = sorted({r.usage for r in accepted})
    with harness.rolled_back():
        for request in accepted:
            assert harness.drive(handler.name, request).status < 500, request
        failures = harness.render_failures(usages, harness.USERS, handlers)
    if not failures:
        return
    with harness.rolled_back():
        for request in accepted:
            harness.drive(handler.name, request)
            first = harness.render_failures(usages, harness.USERS, handlers)
            if first:
                harness.fail_with(f"pages fail after {handler.id} accepted {request!r}:", first)
    harness.fail_with(f"pages fail after the accepted requests of {handler.id}:", failures)
