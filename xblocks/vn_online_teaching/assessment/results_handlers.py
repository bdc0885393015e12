"""The results' handlers: essay marking, releasing the results, the score sheet.

A mixin of the periodic_assessment block (see ``sitting_handlers``); who may mark, release or
export is decided in the records layer.
"""
from ..core.web import file_response, get_api, json_api
from . import marking, views


class ResultsHandlers:
    """Handlers of marking and results; ``STAFF_URLS`` names those the staff page calls."""

    STAFF_URLS = ("publish", "essays", "mark_essay", "score_sheet")

    @json_api({}, lms_only=True)
    def essays(self, data, suffix=""):
        """The essays to mark, with their guides (staff who mark only)."""
        return views.essays(self.test(), self.actor())

    @json_api(marking.MARK_FIELDS, lms_only=True)
    def mark_essay(self, data, suffix=""):
        test, actor = self.test(), self.actor()
        views.precheck_mark(test, actor, data["student"])
        return marking.mark_essay(test, actor, data["student"], data["position"], data["mark"], data["comment"],
                                  data["reason"])

    @get_api(lms_only=True)
    def score_sheet(self, params, suffix=""):
        """The class's scores as a spreadsheet (staff who export results)."""
        return file_response(*views.score_sheet(self.test(), self.actor()))

    @json_api({}, lms_only=True)
    def publish(self, data, suffix=""):
        return {"released": marking.publish(self.test(), self.actor())}

