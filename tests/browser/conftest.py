"""Browser tier: Debian's Chromium driven by Playwright's sync API against pytest-django's
``live_server`` running the workbench demo.

* ``chromium`` (session): one headless Chromium. Missing browser: the tier fails in CI
  (``CI=true``) and is skipped loudly elsewhere.
* ``fresh_workbench``: a transactional database (the live server runs in another thread and must
  see what the test commits), the workbench's scenarios parsed again and the demo people loaded.
* ``browse``: opens ``/scenario/<scenario id>/[<view>/]?student=<username>`` in a new browser
  context (own cookies and localStorage) at a named viewport, Vietnamese first (Accept-Language:
  vi); the returned ``Opened`` saves full-page screenshots to
  ``test-artifacts/screenshots/<test>-<role>-<viewport>.png`` and checks horizontal overflow.
"""
import os
import re
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("VNOT_CHROMIUM", "/usr/bin/chromium")  # Debian's; override to test the skip
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"

VIEWPORTS = {
    "desktop": {"width": 1280, "height": 900},
    "phone": {"width": 360, "height": 740},
}

# Screenshot names say the role rather than the username.
ROLES = {
    "gv_lan": "teacher", "gv_nam": "teacher-literature", "tt_minh": "head", "tt_hoa": "head-literature",
    "ht_hung": "principal", "vt_thu": "records-officer", "hs_anh": "student",
}

# Elements sticking out of the viewport, for the failure message of the overflow check.
_OVERFLOW_JS = """(limit) => {
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    // closed <details> and other hidden parts take no room on screen
    if (el.checkVisibility && !el.checkVisibility({contentVisibilityAuto: true, visibilityProperty: true})) continue;
    const r = el.getBoundingClientRect();
    if (r.width && r.right > limit + 1) {
      const inBlock = !!el.closest('.vnot');
      out.push({inBlock, right: Math.round(r.right),
                what: el.tagName.toLowerCase() + (el.className && typeof el.className === 'string'
                      ? '.' + el.className.trim().split(/\\s+/).join('.') : '')});
    }
  }
  return out;
}"""

# Chrome overflows seen during the session (reported once at the end, see pytest_terminal_summary).
CHROME_OVERFLOWS = []


def _missing(what):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what}; CI=true, so the browser tier must run", pytrace=False)
    loud = "\n" + "!" * 78 + f"\n!!! {what}: the browser tests are SKIPPED\n" + "!" * 78
    warnings.warn(loud, stacklevel=2)
    print(loud, file=sys.stderr)
    pytest.skip(loud)


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the session (Debian's, never a downloaded one)."""
    if not os.path.exists(CHROMIUM):
        _missing(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright  # noqa: PLC0415
    except ImportError:
        _missing("Playwright (python) is not installed (pip install playwright; no `playwright install`)")
    # Playwright's sync API runs an event loop in the test thread; Django's ORM (the test's set-up,
    # pytest-django's flushes) refuses to run in such a thread unless told it is safe. Only for
    # the browser tier, not for the rest of a combined run.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
    yield browser
    browser.close()
    playwright.stop()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@dataclass
class FreshWorkbench:
    """The scenarios of this test's workbench: description prefix → scenario id / usage id."""

    scenarios: dict = field(default_factory=dict)

    def _find(self, prefix):
        for scenario_id, scenario in self.scenarios.items():
            if scenario.description.startswith(prefix):
                return scenario_id, scenario
        raise KeyError(prefix)

    def scenario_id(self, prefix):
        """``approved_material.0`` for ``"Học liệu: bản nháp"``."""
        return self._find(prefix)[0]

    def usage_id(self, prefix):
        return self._find(prefix)[1].usage_id


@pytest.fixture
def fresh_workbench(transactional_db):
    """Fresh workbench state: scenarios parsed again, the demo roles and roster loaded. The
    database is transactional (committed), so the live server's thread sees it."""
    from workbench.runtime_util import reset_global_state  # noqa: PLC0415
    from workbench.scenarios import get_scenarios  # noqa: PLC0415

    from vn_online_teaching.demo.load import load_people  # noqa: PLC0415

    reset_global_state()
    load_people()
    return FreshWorkbench(dict(get_scenarios()))


def _slug(text):
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_")


@dataclass
class Opened:
    """One page opened as ``username`` at ``viewport``."""

    page: object
    username: str
    viewport: str
    test_name: str
    js_errors: list = field(default_factory=list)

    @property
    def role(self):
        return ROLES.get(self.username, self.username)

    def screenshot(self, step=""):
        """Full-page PNG (the viewport's width, the page's whole height) at
        ``test-artifacts/screenshots/<test>[_<step>]-<role>-<viewport>.png``."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        test = self.test_name + (f"_{_slug(step)}" if step else "")
        path = SCREENSHOTS / f"{test}-{self.role}-{self.viewport}.png"
        # The workbench's debug panel (the scenario's XML in a <pre>) makes the document thousands
        # of pixels wide; keep the viewport's width, as a person scrolling down sees the page.
        self.page.evaluate("window.scrollTo(0, 0)")  # else the fixed banner lands mid-page
        height = self.page.evaluate("document.documentElement.scrollHeight")
        self.page.screenshot(path=str(path), full_page=True,
                             clip={"x": 0, "y": 0, "width": VIEWPORTS[self.viewport]["width"], "height": height})
        return path

    def assert_fits(self):
        """No horizontal scrolling caused by the block. The page as a whole is checked first
        (``scrollWidth <= width + 1``); when the workbench's own chrome (outside ``.vnot``) is
        what overflows, only the block is held to it: ``.vnot`` must not be wider than its box nor
        stick out of the viewport, and nothing inside it may stick out of the viewport."""
        width = VIEWPORTS[self.viewport]["width"]
        page = self.page
        doc = page.evaluate("document.documentElement.scrollWidth")
        if doc <= width + 1:
            return
        offenders = page.evaluate(_OVERFLOW_JS, width)
        inside = [o for o in offenders if o["inBlock"]]
        blocks = page.evaluate("""() => [...document.querySelectorAll('.vnot')].map(el => ({
            scroll: el.scrollWidth, client: el.clientWidth,
            right: Math.round(el.getBoundingClientRect().right)}))""")
        assert blocks, "no .vnot element on the page"
        for b in blocks:
            assert b["scroll"] <= b["client"] + 1, f"the block scrolls sideways at {width}px: {b}; {inside[:8]}"
            assert b["right"] <= width + 1, f"the block is wider than the {width}px viewport: {b}"
        assert not inside, f"parts of the block stick out of the {width}px viewport: {inside[:8]}"
        outside = sorted({o["what"] for o in offenders if not o["inBlock"]})
        CHROME_OVERFLOWS.append((self.test_name, self.viewport, doc, outside[:6]))


@pytest.fixture
def browse(request, chromium, live_server, fresh_workbench):
    """``browse(scenario_id, username, viewport="desktop", view=None) -> Opened``; each call gets
    its own browser context (cookies, localStorage), closed at the end of the test."""
    contexts = []
    test_name = _slug(request.node.originalname)

    def open_as(scenario_id, username, viewport="desktop", view=None):
        context = chromium.new_context(
            viewport=VIEWPORTS[viewport], locale="vi-VN", extra_http_headers={"Accept-Language": "vi"},
            device_scale_factor=1,
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        path = f"/scenario/{scenario_id}/" + (f"{view}/" if view else "")
        response = page.goto(f"{live_server.url}{path}?student={username}")
        assert response is not None and response.ok, f"{path} as {username}: HTTP {response and response.status}"
        page.locator(".vnot").first.wait_for()
        return Opened(page, username, viewport, test_name, errors)

    yield open_as
    for context in contexts:
        context.close()


def pytest_terminal_summary(terminalreporter):
    if CHROME_OVERFLOWS:
        terminalreporter.write_sep("-", "the workbench page (not the block) scrolls sideways; .vnot checked instead")
        for vp in VIEWPORTS:
            rows = [(w, what) for _t, v, w, what in CHROME_OVERFLOWS if v == vp]
            if rows:
                what = sorted({x for _w, ws in rows for x in ws})
                terminalreporter.write_line(f"{vp} ({VIEWPORTS[vp]['width']} px): {len(rows)} pages, document up to "
                                            f"{max(w for w, _ in rows)} px wide; boxes sticking out: {', '.join(what)} "
                                            "(plus the debug panel's <pre> of scenario XML)")
