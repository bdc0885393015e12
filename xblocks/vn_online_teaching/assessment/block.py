"""The periodic_assessment XBlock: fields, views and the Studio handlers. The handlers of the
sitting (``sitting_handlers``), of the results (``results_handlers``) and of the integrity pages
(``integrity_handlers``) are mixins, each a few declarative lines over the assessment records;
what the pages show is ``views``.

Who may do what is decided in the records layer, once per request: a student acts on their own
attempt when on the roster of the test's class; staff actions follow ``access``. Nothing of the
answer key reaches a student before results are released: the student's page and handlers carry
only ``paper.student_view`` (docs/circular-09.md, periodic assessment).

Studio only edits the test (settings, questions, blueprint): every handler of the sitting is
``lms_only``; who may save in Studio is the platform's answer (``can_write``), never a role string
(docs/decisions/0008-studio-and-platform-roles.md).
"""
import datetime as dt

from xblock.completable import XBlockCompletionMode
from xblock.core import XBlock
from xblock.fields import Dict, Float, Integer, List, Scope, String

from ..core import clock, config
from ..core.blockbase import STUDIO_READ_ONLY, STUDIO_READ_REFUSED, BlockBase
from ..core.i18n import DEFAULT_LANGUAGE, N_, catalog, gettext
from ..core.validation import Field
from ..core.web import file_response, get_api, json_api, upload_api
from . import access, bank_template, grades, olx, questions, tasks, timing, views
from . import blueprint as blueprints
from .integrity_handlers import IntegrityHandlers
from .records import Test
from .results_handlers import ResultsHandlers
from .scenarios import SCENARIOS
from .sitting_handlers import SittingHandlers

DEFAULT_TITLE = N_("Periodic test")
NEVER = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # a window not set yet: closed
STAFF_HANDLERS = SittingHandlers.STAFF_URLS + ResultsHandlers.STAFF_URLS + IntegrityHandlers.STAFF_URLS
STUDENT_HANDLERS = SittingHandlers.STUDENT_URLS
# The school's limit on a question-bank spreadsheet: the upload wrapper refuses a larger body and the
# bank reader reads no further (it uploads in Studio, under the platform's 250 MB).
BANK_LIMIT_SETTING = "ASSESSMENT_BANK_MAX_BYTES"


@XBlock.needs("i18n")
@XBlock.wants("user", "studio_user_permissions", "completion")
class PeriodicAssessmentBlock(SittingHandlers, ResultsHandlers, IntegrityHandlers, BlockBase, XBlock):
    """A periodic test (kiểm tra định kỳ) of one class in one subject: the bank, the blueprint,
    the window, and the sitting with its board."""

    icon_class = "problem"
    has_author_view = True
    show_in_read_only_mode = False  # our records live outside the fields (see session_attendance)
    # Complete when the student hands in or the clock ends the attempt, never on view.
    completion_mode = XBlockCompletionMode.COMPLETABLE
    has_custom_completion = True
    # Scored in the platform's gradebook, which receives a score when the results are released
    # (grades.py; docs/decisions/0010-grades.md).
    has_score = True

    display_name = String(display_name=N_("Title shown to students"), default=DEFAULT_TITLE, scope=Scope.settings)
    class_name = String(display_name=N_("Class"), default="", scope=Scope.settings)
    subject = String(display_name=N_("Subject"), default="", scope=Scope.settings)
    opens = String(display_name=N_("Opens"), default="", scope=Scope.settings)    # ISO, school time if naive
    closes = String(display_name=N_("Closes"), default="", scope=Scope.settings)
    minutes = Integer(display_name=N_("Time limit (minutes)"), default=45, scope=Scope.settings)
    grace = Integer(display_name=N_("Grace after the deadline (seconds)"), default=None, scope=Scope.settings)
    mode = String(display_name=N_("Mode"), default=timing.AT_SCHOOL, scope=Scope.settings,
                  values=[{"value": k, "display_name": v} for k, v in timing.MODES.items()])
    code_hash = String(display_name=N_("Access code"), default="", scope=Scope.settings)  # access_code.hash_code
    review = String(display_name=N_("After results are released"), default=views.REVIEW_SCORE, scope=Scope.settings,
                    values=[{"value": k, "display_name": v} for k, v in views.REVIEW.items()])
    # As ProblemBlock's (openedx-platform, xmodule/capa_block.py): what the test is worth in the
    # course grade; not set, the score counts as given (out of ``max_score()``).
    weight = Float(display_name=N_("Problem Weight"), values={"min": 0, "step": 0.1}, scope=Scope.settings,
                   help=N_("The points this test is worth in the course grade. Not set: its score out of 10."))
    questions = List(display_name=N_("Questions"), default=[], scope=Scope.content)
    blueprint = Dict(display_name=N_("Blueprint"), default={}, scope=Scope.content)

    # ------------------------------------------------------------------ the test

    def _moment(self, value, org):
        try:
            moment = dt.datetime.fromisoformat(value) if value else None
        except ValueError:
            return None
        if moment is not None and moment.tzinfo is None:
            moment = moment.replace(tzinfo=clock.school_zone(org))
        return moment

    def max_score(self):
        """The score out of which the gradebook counts this test, read from the settings alone (the
        grades app asks the block as the modulestore holds it, with no learner): the school's scale,
        10; 1 in a subject assessed by comment only (Đạt 1, Chưa đạt 0)."""
        return grades.max_points(self.keys()[2], (self.subject or "").strip())

    def test(self):
        """The test as configured now (records.Test); a window not set is closed."""
        grades.remember(self)
        usage_key, course_key, org = self.keys()
        opens, closes = self._moment(self.opens, org), self._moment(self.closes, org)
        if opens is None or closes is None or closes <= opens:
            opens = closes = NEVER
        return Test(usage_key, course_key, org, (self.class_name or "").strip(), (self.subject or "").strip(),
                    opens, closes, int(self.minutes or 45), self.mode or timing.AT_SCHOOL, self.code_hash or "",
                    self.grace, bank=self.bank, blueprint=self.plan, title=self.title(DEFAULT_LANGUAGE),
                    stored_bank=lambda: self.questions or [], stored_blueprint=lambda: self.blueprint or {})

    def bank(self):
        return [questions.from_dict(q) for q in self.questions or ()]

    def plan(self):
        return blueprints.from_dict(self.blueprint) if self.blueprint else None

    def title(self, language=None):
        """The title as the reader's language says the default one; with ``language``, in that
        language: the records keep the school's (``test``), so that a class reading the page in
        two languages does not rewrite the sitting, and send every save the full way, at each
        change of reader."""
        if self.display_name != DEFAULT_TITLE:
            return self.display_name
        return catalog(language).gettext(DEFAULT_TITLE) if language else gettext(DEFAULT_TITLE)

    def _url(self, handler, suffix=""):
        return self.runtime.handler_url(self, handler, suffix=suffix)

    def _urls(self, names):
        return {name: self._url(name) for name in names}

    # ------------------------------------------------------------------ views

    def student_view(self, context=None):
        if self.in_studio():
            return self.author_view(context)
        test, actor = self.test(), self.actor()
        page = views.staff_page(test, actor)
        if page is not None:
            return self.fragment("vn_online_teaching/assessment/staff.html",
                                 dict(page, title=self.title(), urls=self._urls(STAFF_HANDLERS),
                                      sheet_url=self._url("score_sheet")),
                                 js="assessment_staff.js", js_init="VNOTAssessmentStaff",
                                 init_args={"urls": self._urls(STAFF_HANDLERS), "board": page["board"]})
        return self._learner_view(test, actor)

    def _learner_view(self, test, actor):
        page = views.learner_page(test, actor, review=self.review)
        tasks.nudge()  # the periodic job, at most once a minute for the site (tasks.py)
        return self.fragment("vn_online_teaching/assessment/student.html", dict(page, title=self.title()),
                             js="assessment_student.js", js_init="VNOTAssessment",
                             init_args={"urls": self._urls(STUDENT_HANDLERS), "key": str(test.usage_key),
                                        "user": actor.user_key or "", "summary": page.get("summary")})

    def fragment(self, template, context, **kwargs):
        frag = super().fragment(template, context, **kwargs)
        frag.add_css_url(self.runtime.local_resource_url(self, "static/vn_online_teaching/css/assessment.css"))
        return frag

    def _not_author(self, message):
        if self.in_studio():
            return self.studio_notice(message)
        return self._learner_view(self.test(), self.actor())

    def author_view(self, context=None):
        test = self.test()
        if not self.authoring_visible(access.AUTHOR, views.place(test)):
            return self._not_author(STUDIO_READ_REFUSED)
        return self.fragment("vn_online_teaching/assessment/author.html",
                             dict(views.author_page(self, test), title=self.title()))

    def studio_view(self, context=None):
        test = self.test()
        if not self.authoring_allowed(access.AUTHOR, views.place(test)):
            return self._not_author(STUDIO_READ_ONLY)
        page = views.studio_page(self, test)
        return self.fragment("vn_online_teaching/assessment/studio.html", dict(
            page, block=self, template_url=self._url("bank_template")),
            js="assessment_studio.js", js_init="VNOTAssessmentStudio",
            init_args={"saveUrl": self._url("studio_submit"), "importUrl": self._url("bank_import"),
                       "cells": page["cells"], "levels": list(page["levels"].items()),
                       "formats": list(page["formats"].items())})

    # ------------------------------------------------------------------ Studio

    @json_api(views.STUDIO_FIELDS)
    def studio_submit(self, data, suffix=""):
        """Save the test's settings and blueprint, all or nothing; refused unless the author may
        change the course (in Studio: ``can_write``)."""
        test = self.test()
        self.authorize_authoring(access.AUTHOR, views.place(test))
        values = views.checked_settings(data, test.org)
        for name, value in values.items():
            setattr(self, name, value)
        self.save()
        return {"saved": True}

    @upload_api({"replace": Field(bool, required=False, default=False)}, BANK_LIMIT_SETTING)
    def bank_import(self, data, upload, suffix=""):
        """Import questions from the teacher's spreadsheet: every row checked, all or nothing; the
        report lists each problem with its row and column."""
        test = self.test()
        self.authorize_authoring(access.AUTHOR, views.place(test))
        self.questions = views.imported_bank(upload.data, self.questions, data["replace"],
                                             config.get(BANK_LIMIT_SETTING, self.keys()[2]))
        self.save()
        return {"saved": True, "questions": len(self.questions)}

    @get_api()
    def bank_template(self, params, suffix=""):
        """The empty spreadsheet to fill in (``examples`` suffix: one question of each format)."""
        data = bank_template.template_xlsx(examples=suffix == "examples")
        return file_response("ngan-hang-cau-hoi.xlsx",
                             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", data)

    # ------------------------------------------------------------------ OLX

    def add_xml_to_node(self, node):
        """Export: XBlock's attributes for the settings, readable elements for the questions and
        the blueprint (olx.py)."""
        super().add_xml_to_node(node)
        olx.write(node, self.questions, self.blueprint)

    @classmethod
    def parse_xml(cls, node, runtime, keys, *args, **kwargs):
        """Import what ``add_xml_to_node`` wrote (and the older JSON attributes)."""
        found, plan = olx.take(node)
        block = super().parse_xml(node, runtime, keys, *args, **kwargs)
        if found is not None:
            block.questions = found
        if plan is not None:
            block.blueprint = plan
        return block

    @staticmethod
    def workbench_scenarios():
        return SCENARIOS
