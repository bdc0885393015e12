"""The results' handlers: essay marking, correcting an answer key, releasing the results, the
score sheet (a printable page, CSV and XLSX).

A mixin of the periodic_assessment block (see ``sitting_handlers``); who may mark, correct a key,
release or export is decided in the records layer, before anything is read or written.
"""
from ..core.web import file_response, get_api, json_api, page_response
from . import marking, results, views


class ResultsHandlers:
    """Handlers of marking and results; ``STAFF_URLS`` names those the staff page calls."""

    STAFF_URLS = ("publish", "essays", "mark_essay", "answer_keys", "correct_key", "score_sheet",
                  "score_sheet_csv", "score_sheet_page")

    @json_api({}, lms_only=True)
    def essays(self, data, suffix=""):
        """The essays to mark, with their guides (staff who mark only)."""
        return views.essays(self.test(), self.actor())

    @json_api(marking.MARK_FIELDS, lms_only=True)
    def mark_essay(self, data, suffix=""):
        test, actor = self.test(), self.actor()
        return marking.mark_essay(test, actor, data["student"], data["position"], data["mark"], data["comment"],
                                  data["reason"])

    @json_api({}, lms_only=True)
    def answer_keys(self, data, suffix=""):
        """The keyed questions given to the students with their keys in force (loaded only when the
        teacher opens the form: the board may be shown on a screen during the sitting)."""
        return marking.answer_keys(self.test(), self.actor())

    @json_api(marking.KEY_INPUT, lms_only=True)
    def correct_key(self, data, suffix=""):
        """Correct one question's key with a reason and score the ended attempts again."""
        test, actor = self.test(), self.actor()
        question, ended = marking.corrected_question(test, actor, data)
        changed = marking.correct_key(test, actor, question, data["reason"])
        return {"rescored": ended, "changed": len(changed)}

    def _sheet(self):
        return results.sheet(self.test(), self.actor())

    @get_api(lms_only=True)
    def score_sheet(self, params, suffix=""):
        """The class's scores as a spreadsheet (staff who export results)."""
        data = self._sheet()
        return file_response(data.file_name("xlsx"), results.XLSX_TYPE, results.xlsx_bytes(data))

    @get_api(lms_only=True)
    def score_sheet_csv(self, params, suffix=""):
        data = self._sheet()
        return file_response(data.file_name("csv"), "text/csv; charset=utf-8", results.csv_bytes(data))

    @get_api(lms_only=True)
    def score_sheet_page(self, params, suffix=""):
        """The score sheet to print on A4 and sign."""
        data = self._sheet()
        html = results.page_html(data, csv_url=self._url("score_sheet_csv"), xlsx_url=self._url("score_sheet"))
        return page_response(html, name=data.file_name("html"))

    @json_api({}, lms_only=True)
    def publish(self, data, suffix=""):
        return {"released": marking.publish(self.test(), self.actor())}
