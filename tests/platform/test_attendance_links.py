"""The addresses the online-lessons block gives the browser, as the LMS builds and routes them.

Platform sources (openedx-platform):
- lms/djangoapps/lms_xblock/runtime.py, ``handler_url``: the ``xblock_handler`` route, "?" only
  when a query is given, no trailing "/" without a suffix (its test:
  lms/djangoapps/lms_xblock/test/test_runtime.py, ``TestHandlerUrl.test_trailing_characters``);
- lms/urls.py: ``courses/<course>/xblock/<usage>/handler/<handler>[/<suffix>]`` (``xblock_handler``).

A query appended by hand to such an address ("&week=…" after an address without "?") reaches the
handler as part of its name or suffix; every address here must resolve to the intended handler
and suffix, with at most the one query the page means.
"""
import html
import json
import re
import types
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import resolve

from runtime import make_user
from vn_online_teaching.core.models import Learner

LESSON = {"date": "2025-09-08", "period": 1, "start": "07:30", "platform": "zoom", "mode": "online",
          "title": "Bài 3. Phương trình bậc hai", "syllabus_no": "12"}
HREF = re.compile(r'href="([^"#][^"]*)"')


@pytest.fixture
def klass(course):
    teacher, learner = make_user("gv_lan", full_name="Lan Hoàng"), make_user("hs_anh", full_name="Nguyễn Thị Ánh")
    course.grant(teacher, "staff")
    Learner.objects.create(org=course.key.org, sector_id="7926010001", full_name="Nguyễn Thị Ánh", class_name="10A1",
                           username="hs_anh", user_key=str(learner.id))
    usage = course.add("session_attendance", display_name="Toán 10A1", class_name="10A1", subject="Toán")
    status, body = course.lms(teacher).call(usage, "lesson_save", LESSON)
    assert status == 200, body
    return types.SimpleNamespace(usage=usage, teacher=teacher, learner=learner, lesson=body["lesson"])


def route(url):
    """(handler, suffix, query) of a handler address as the LMS routes it."""
    parts = urlsplit(url)
    match = resolve(parts.path)
    assert match.url_name == "xblock_handler", url
    return match.kwargs["handler"], match.kwargs.get("suffix"), parse_qs(parts.query, strict_parsing=False)


def handler_links(page_html):
    return [html.unescape(u) for u in HREF.findall(page_html) if "/handler/" in html.unescape(u)]


def init_args(fragment):
    found = re.search(r'<script type="application/json" class="vnot-args">(.*?)</script>', fragment.content, re.S)
    return json.loads(found.group(1))


def test_the_staff_view_links_and_script_addresses_route_to_their_handlers(course, klass):
    lms = course.lms(klass.teacher)
    frag = lms.get_block(klass.usage).student_view({})
    links = {route(u)[:2]: u for u in handler_links(frag.content)}
    assert set(links) >= {("calendar", None), ("logbook", None), ("class_report", None),
                          ("class_report", "html"), ("class_report", "xlsx")}
    args = init_args(frag)
    for name, url in args["urls"].items():
        assert route(url) == (name, None, {}), url
    for url in links.values():
        assert "?" not in url and "&" not in url, url
    # the address of a kept report: the script puts the report's number in place of REPORT
    assert args["reportUrl"].count("REPORT") == 1
    assert route(args["reportUrl"].replace("REPORT", "17")) == ("report_file", "17", {})


def test_the_learner_views_calendar_link_routes_to_the_calendar(course, klass):
    frag = course.lms(klass.learner).get_block(klass.usage).student_view({})
    assert [route(u) for u in handler_links(frag.content)] == [("calendar", None, {})]
    status, ics = course.lms(klass.learner).call(klass.usage, "calendar", method="GET")
    assert status == 200 and b"BEGIN:VCALENDAR" in ics


def test_the_logbook_weeks_link_to_each_other_with_one_query(course, klass):
    """Previous and next week: the logbook handler with ``?week=`` and nothing else; following
    the link opens that week."""
    lms = course.lms(klass.teacher)
    status, page = lms.call(klass.usage, "logbook", method="GET", query="week=2025-09-10")
    assert status == 200
    links = handler_links(page.decode("utf-8"))
    assert [route(u) for u in links] == [("logbook", None, {"week": ["2025-09-01"]}),
                                         ("logbook", None, {"week": ["2025-09-15"]})]
    for url in links:
        assert url.count("?") == 1 and "&" not in url, url
    status, earlier = lms.call(klass.usage, "logbook", method="GET", query=urlsplit(links[0]).query)
    assert status == 200 and "01/09/2025" in earlier.decode("utf-8")


def test_the_class_reports_download_links_route_to_the_exports(course, klass):
    status, page = course.lms(klass.teacher).call(klass.usage, "class_report", method="GET", suffix="html")
    assert status == 200
    assert [route(u) for u in handler_links(page.decode("utf-8"))] == [
        ("class_report", None, {}), ("class_report", "xlsx", {})]
