"""The integrity pages' handlers (after the sitting): a mixin of the periodic_assessment block.

Each page is a page of its own (``web.page_response``), opened from the staff page in a new tab,
so it works alike in the LMS and the workbench, prints on A4 without scripts and reads on a
phone. The handlers only read the query, call the records (``integrity.pages``, which authorize
with access.INTEGRITY_VIEW; ``integrity.decisions``, access.INTEGRITY_DECIDE) and render; a
student is refused every one of them, about anyone, themselves included.
"""
from urllib.parse import urlencode

from ..core import clock, i18n
from ..core.validation import Field
from ..core.web import file_response, get_api, json_api, page_response
from . import sitting
from .integrity import decisions, pages, summary

STUDENT = Field(str, max_length=255, multiline=False, blank=False)
TEMPLATES = "vn_online_teaching/assessment/"
SCRIPT = "static/vn_online_teaching/js/assessment_integrity.js"


class IntegrityHandlers:
    """Handlers of the integrity pages; ``STAFF_URLS`` names those the staff page links to."""

    STAFF_URLS = ("integrity_summary", "integrity_report", "integrity_pair", "integrity_decide")

    def _link(self, handler, _suffix="", **query):
        return self.runtime.handler_url(self, handler, suffix=_suffix, query=urlencode(query) if query else "")

    def _page(self, template, page, name):
        html = i18n.render(TEMPLATES + template, {"page": page, "lang": i18n.current_language(),
                                                  "script": self.runtime.local_resource_url(self, SCRIPT)})
        return page_response(html, name=name)

    @get_api(lms_only=True)
    def integrity_summary(self, params, suffix=""):
        """The test's integrity summary: a page (no suffix), or the same rows as "csv" or "xlsx"."""
        if suffix in ("csv", "xlsx"):
            data, name, content_type = summary.export(self.test(), self.actor(), suffix)
            return file_response(name, content_type, data)
        return self._page("integrity_summary.html", pages.summary_page(self.test(), self.actor(), self._link),
                          "integrity-summary.html")

    @get_api({"user": STUDENT}, lms_only=True)
    def integrity_report(self, params, suffix=""):
        """One attempt's integrity report (``?user=<user key>``: not "student", which the
        workbench's own links carry), with the decision form."""
        page = pages.report_page(self.test(), self.actor(), params["user"], self._link)
        return self._page("integrity_report.html", page, "integrity-report.html")

    @get_api({"a": STUDENT, "b": STUDENT}, lms_only=True)
    def integrity_pair(self, params, suffix=""):
        """Two attempts side by side in the bank's order (``?a=<user key>&b=<user key>``)."""
        page = pages.pair_page(self.test(), self.actor(), params["a"], params["b"], self._link)
        return self._page("integrity_pair.html", page, "integrity-pair.html")

    @json_api(decisions.DECIDE_FIELDS, lms_only=True)
    def integrity_decide(self, data, suffix=""):
        """A decision on one attempt: accept, annul or allow a retake, with a reason."""
        test = self.test()
        window = sitting.school_instant(data["until_date"], data["until_time"], test.org)
        done = decisions.decide(test, self.actor(), data["student"], data["verdict"], data["reason"],
                                extra_minutes=data["minutes"], window=window)
        return dict(done, at=clock.iso(done["at"]))
