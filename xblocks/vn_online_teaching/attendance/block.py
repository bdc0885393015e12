"""The session_attendance XBlock: views and handlers only, each a few declarative lines over the
attendance records (``lessons``, ``checkin``, ``marks``, ``report_imports``, ``class_records``)
and what the pages show (``views``).

Who may do what is decided in the records layer, once per request (``records.authorize``):
students check in and read their own record only; teachers of the block's subject plan
lessons, take the roll and import meeting reports; heads, the principal, records officers and
homeroom teachers read. The handlers' wrappers (``core.web``) check the input against the
declared fields and turn a refusal into its translated answer.

Studio only edits the block's settings (docs/decisions/0008-studio-and-platform-roles.md): its
preview is the ``author_view`` and every other handler is ``lms_only``; who may save the
settings there is the platform's answer (``can_write``), never a role string.
"""
import re

from xblock.completable import XBlockCompletionMode
from xblock.core import XBlock
from xblock.fields import Boolean, List, Scope, String

from .. import compat
from ..core import validation
from ..core.blockbase import STUDIO_READ_ONLY, STUDIO_READ_REFUSED, BlockBase
from ..core.errors import RequestError
from ..core.i18n import N_, gettext
from ..core.roster import CLASS_NAME
from ..core.validation import Field
from ..core.web import file_response, get_api, json_api, page_response, upload_api
from . import checkin, class_records, lessons, marks, report_imports, roll, schedule, timetable, views
from .records import MANAGE, VIEW_STAFF, BlockKeys, Where, permitted, place_of
from .scenarios import SCENARIOS

DEFAULT_TITLE = N_("Online lessons and attendance")
LESSON_ID = {"lesson": validation.ID}
CHECK_IN_FIELDS = {"lesson": validation.ID, "code": Field(str, required=False, default="", max_length=32,
                                                          multiline=False)}
STUDIO_FIELDS = {
    "display_name": Field(str, max_length=255, blank=False, multiline=False),
    "class_name": Field(str, max_length=20, multiline=False),
    "subject": Field(str, max_length=100, multiline=False),
    "platform": Field(str, choices=list(schedule.PLATFORMS)),
    "meeting_link": validation.Url(label=N_("Meeting link")),
    "mode": Field(str, choices=list(schedule.MODES)),
    "require_code": Field(bool),
    "networks": Field(list, max_items=50, item=Field(str, max_length=64, multiline=False)),
}
STAFF_JS = ("attendance_roll.js", "attendance_import.js", "attendance_logbook.js", "attendance_staff.js")
STAFF_HANDLERS = ("roll_call", "mark", "mark_unmarked", "history", "code", "import_report", "import_confirm",
                  "lesson_save", "series_create", "lesson_cancel", "lesson_restore", "logbook_entry", "logbook_read")


@XBlock.needs("i18n")
@XBlock.wants("user")
@XBlock.wants("completion")
@XBlock.wants("studio_user_permissions")
class SessionAttendanceBlock(BlockBase, XBlock):
    """The synchronous lessons of one class in one subject, with check-in, the roll call and
    meeting-report imports."""

    icon_class = "other"
    # Studio previews the author_view (openedx-platform, cms/djangoapps/contentstore/views/preview.py,
    # get_preview_fragment, reads this attribute), never the LMS pages.
    has_author_view = True
    # Our records live outside the XBlock fields, so the LMS must not show the block while staff
    # view the course as a specific learner (lms/djangoapps/courseware/masquerade.py,
    # filter_displayed_blocks); the handlers refuse writes then too (core/web.py).
    show_in_read_only_mode = False
    # Complete when the learner attended a lesson (checked in, or marked present or late), never
    # merely on view: the LMS marks on view only blocks without custom completion
    # (openedx/completion: completion/services.py, can_mark_block_complete_on_view).
    completion_mode = XBlockCompletionMode.COMPLETABLE
    has_custom_completion = True

    display_name = String(display_name=N_("Title shown to students"), default=DEFAULT_TITLE, scope=Scope.settings)
    class_name = String(display_name=N_("Class"), default="", scope=Scope.settings)
    subject = String(display_name=N_("Subject"), default="", scope=Scope.settings)
    platform = String(display_name=N_("Meeting platform"), default="meet", scope=Scope.settings,
                      values=[{"value": k, "display_name": v} for k, v in schedule.PLATFORMS.items()])
    meeting_link = String(display_name=N_("Meeting link"), default="", scope=Scope.settings)
    mode = String(display_name=N_("Mode"), default="online", scope=Scope.settings,
                  values=[{"value": k, "display_name": v} for k, v in schedule.MODES.items()])
    require_code = Boolean(display_name=N_("Check-in needs the rotating code"), default=False, scope=Scope.settings)
    networks = List(display_name=N_("Check-in only from these networks"), default=[], scope=Scope.settings)

    # ------------------------------------------------------------------ where and who

    def where(self):
        usage_key, course_key, org = self.keys()
        return Where(usage_key, course_key, org, (self.class_name or "").strip(), (self.subject or "").strip(),
                     bool(self.require_code), roll.network_rule(self.networks))

    def title(self):
        return gettext(DEFAULT_TITLE) if self.display_name == DEFAULT_TITLE else self.display_name

    def _url(self, handler, suffix=""):
        return self.runtime.handler_url(self, handler, suffix=suffix)

    def _not_author(self, studio_message):
        """What someone who may not edit the block gets: a notice in Studio, elsewhere the learner's page."""
        if self.in_studio():
            return self.studio_notice(studio_message)
        return self._learner_view(self.actor(), self.where())

    # ------------------------------------------------------------------ views

    def student_view(self, context=None):
        if self.in_studio():  # Studio's pages would run the LMS's handlers, which refuse there
            return self.author_view(context)
        actor, where = self.actor(), self.where()
        allowed = permitted(actor, where)
        if VIEW_STAFF in allowed:
            return self._staff_view(actor, where, allowed)
        return self._learner_view(actor, where)

    def _learner_view(self, actor, where):
        page = views.learner_page(where, actor)
        return self.fragment("vn_online_teaching/attendance/student.html", dict(
            page, title=self.title(), calendar_url=self._url("calendar") if page["on_roster"] else "",
        ), js="attendance_student.js", js_init="VNOTAttendance", init_args={"checkInUrl": self._url("check_in")})

    def _staff_view(self, actor, where, allowed):
        page = views.staff_page(where, actor, allowed)
        return self.fragment("vn_online_teaching/attendance/staff.html", dict(
            page, title=self.title(), block=self, calendar_url=self._url("calendar"), logbook_url=self._url("logbook"),
            report_url=self._url("class_report") if page["can_report"] else "",
            report_xlsx_url=self._url("class_report", "xlsx"), report_html_url=self._url("class_report", "html"),
        ), js=STAFF_JS, js_init="VNOTAttendanceStaff", init_args=dict(
            page["script"], urls={name: self._url(name) for name in STAFF_HANDLERS},
            reportUrl=self._url("report_file", "REPORT")))

    def fragment(self, template, context, **kwargs):
        """Our shared fragment, plus the attendance styles."""
        frag = super().fragment(template, context, **kwargs)
        frag.add_css_url(self.runtime.local_resource_url(self, "static/vn_online_teaching/css/attendance.css"))
        return frag

    def author_view(self, context=None):
        """Studio: the block's settings at a glance; lessons are planned in the LMS."""
        if not self.authoring_visible(MANAGE, place_of(self.where())):
            return self._not_author(STUDIO_READ_REFUSED)
        return self.fragment("vn_online_teaching/attendance/author.html", dict(
            views.author_page(self.where(), self.platform, self.mode), title=self.title(), block=self))

    def studio_view(self, context=None):
        if not self.authoring_allowed(MANAGE, place_of(self.where())):
            return self._not_author(STUDIO_READ_ONLY)
        return self.fragment("vn_online_teaching/attendance/studio.html", dict(
            block=self, platforms=schedule.PLATFORMS, modes=schedule.MODES, networks_text="\n".join(self.networks or [])
        ), js="attendance_studio.js", js_init="VNOTAttendanceStudio", init_args={"saveUrl": self._url("studio_submit")})

    # ------------------------------------------------------------------ student handlers

    @json_api(CHECK_IN_FIELDS, request=True, lms_only=True)
    def check_in(self, data, suffix, request):
        """A student checks in; the address and browser of the request are kept with the record.
        In the LMS, ``REMOTE_ADDR`` is the client's address as the platform's X-Forwarded-For
        middleware resolved it from its trusted proxies."""
        record = checkin.check_in(BlockKeys(*self.keys()), self.actor(), data["lesson"], code=data["code"],
                                  ip=request.remote_addr or "", user_agent=request.user_agent or "")
        if record["status"] in roll.ATTENDED:
            compat.complete_for_current_user(self)
        return dict(record, status_label=gettext(roll.STATUS_LABELS.get(record["status"], "")))

    @get_api(lms_only=True)
    def calendar(self, params, suffix=""):
        """The class's upcoming lessons as an .ics file, for the class and its staff."""
        where = self.where()
        name = " · ".join(x for x in (where.subject, where.class_name) if x) or self.title()
        data = timetable.calendar(where, self.actor(), name)
        return file_response(f"{where.class_name or 'lessons'}.ics", "text/calendar", data)

    # ------------------------------------------------------------------ staff handlers

    @json_api(LESSON_ID, lms_only=True)
    def roll_call(self, data, suffix=""):
        return views.roll_call(self.where(), self.actor(), data["lesson"])

    @json_api(dict(LESSON_ID, marks=Field(list, max_items=marks.MAX_ITEMS, item=marks.MARK_ITEM)), lms_only=True)
    def mark(self, data, suffix=""):
        changes = marks.set_marks(self.where(), self.actor(), data["lesson"], data["marks"])
        return self._complete_attended(data["lesson"], {"changed": len(changes)})

    @json_api(dict(LESSON_ID, status=Field(str, choices=list(roll.STATUSES))), lms_only=True)
    def mark_unmarked(self, data, suffix=""):
        changes = marks.mark_unmarked(self.where(), self.actor(), data["lesson"], data["status"])
        return self._complete_attended(data["lesson"], {"changed": len(changes)})

    @json_api(dict(LESSON_ID, user=Field(str, max_length=255)), lms_only=True)
    def history(self, data, suffix=""):
        return {"history": marks.mark_history(self.where(), self.actor(), data["lesson"], data["user"])}

    @json_api(LESSON_ID, lms_only=True)
    def code(self, data, suffix=""):
        """The rotating check-in code to show the class, for the teacher only."""
        return checkin.code_for_teacher(self.where(), self.actor(), data["lesson"])

    @json_api(lessons.SAVE_FIELDS, lms_only=True)
    def lesson_save(self, data, suffix=""):
        """Plan one lesson, or (with ``lesson``) change one."""
        return {"lesson": lessons.save_lesson(self.where(), self.actor(), data).pk}

    @json_api(lessons.SERIES_FIELDS, lms_only=True)
    def series_create(self, data, suffix=""):
        created, skipped = lessons.create_series(self.where(), self.actor(), data)
        return {"lessons": [x.pk for x in created], "skipped": [d.isoformat() for d in skipped]}

    @json_api(lessons.REASON_FIELDS, lms_only=True)
    def lesson_cancel(self, data, suffix=""):
        lesson = lessons.cancel_lesson(self.where(), self.actor(), data["lesson"], data["reason"])
        return {"lesson": lesson.pk, "cancelled": True}

    @json_api(lessons.REASON_FIELDS, lms_only=True)
    def lesson_restore(self, data, suffix=""):
        lesson = lessons.restore_lesson(self.where(), self.actor(), data["lesson"], data["reason"])
        return {"lesson": lesson.pk, "cancelled": False}

    @upload_api(report_imports.UPLOAD_FIELDS, "MAX_REPORT_BYTES", lms_only=True)
    def import_report(self, data, upload, suffix=""):
        """Read an uploaded meeting report and answer the preview; nothing is marked until
        ``import_confirm``."""
        return report_imports.preview_import(self.where(), self.actor(), data["lesson"], upload.name, upload.data,
                                             fmt=data["format"])

    @json_api(report_imports.CONFIRM_FIELDS, lms_only=True)
    def import_confirm(self, data, suffix=""):
        result = report_imports.confirm_import(self.where(), self.actor(), data["lesson"], data["report"], data["rows"])
        return self._complete_attended(data["lesson"], result)

    def _complete_attended(self, lesson_id, answer):
        """Block completion for every learner who attended the lesson (present or late), in one call."""
        compat.complete_for_learners(self, marks.attended(self.keys()[0], lesson_id))
        return answer

    @get_api(lms_only=True)
    def report_file(self, params, suffix=""):
        """Download a meeting report kept as evidence (staff who may read the roll)."""
        number = (suffix or "").strip("/")
        report_id = int(number) if re.fullmatch(r"[0-9]{1,18}", number) else None
        kept, data = report_imports.report_file(self.where(), self.actor(), report_id)
        return file_response(kept.name, "application/octet-stream", data)

    # ------------------------------------------------------------------ logbook and reports

    @get_api(class_records.WEEK_PARAMS, lms_only=True)
    def logbook(self, params, suffix=""):
        """The class logbook (sổ đầu bài) of one week as a printable page (``?week=YYYY-MM-DD``)."""
        page = views.logbook_page(self.where(), self.actor(), params["week"])
        # The week goes in the query through handler_url: the LMS adds "?" only for a query.
        urls = {f"{side}_url": self.runtime.handler_url(self, "logbook", query=f"week={page[side]}") if page[side]
                else "" for side in ("previous", "next")}
        return page_response(views.printable("logbook.html", page=page, **urls), name="logbook.html")

    @json_api(class_records.ENTRY_FIELDS, lms_only=True)
    def logbook_entry(self, data, suffix=""):
        """Write (and optionally confirm) the logbook line of one lesson of this block."""
        return class_records.save_entry(self.where(), self.actor(), data["lesson"], data, confirm=data["confirm"])

    @json_api(LESSON_ID, lms_only=True)
    def logbook_read(self, data, suffix=""):
        return class_records.read_entry(self.where(), self.actor(), data["lesson"])

    @get_api(lms_only=True)
    def class_report(self, params, suffix=""):
        """This school year's attendance of the class per student: a page to read (suffix "html"),
        CSV (no suffix), or XLSX (suffix "xlsx")."""
        if suffix != "html":
            return file_response(*class_records.export(self.where(), self.actor(), "xlsx" if suffix == "xlsx" else "csv"))
        html = views.printable("class_report.html", page=class_records.report_page(self.where(), self.actor()),
                               csv_url=self._url("class_report"), xlsx_url=self._url("class_report", "xlsx"))
        return page_response(html, name="class-report.html")

    # ------------------------------------------------------------------ Studio

    @json_api(STUDIO_FIELDS)
    def studio_submit(self, data, suffix=""):
        """Save the settings, then give the lessons not yet over their check-in rules. Nothing
        changes unless the author may change the course (in Studio: ``can_write``, the check by
        which the platform keeps or drops the saved fields)."""
        actor = self.actor()
        role = self.authorize_authoring(MANAGE, place_of(self.where()))
        if data["class_name"] and not CLASS_NAME.match(data["class_name"]):
            raise RequestError("bad_class", N_("Class name is not valid: {value}"), field="class_name",
                               value=data["class_name"])
        data["networks"] = [n for n in data["networks"] if n]
        try:
            roll.parse_networks(data["networks"])
        except ValueError as exc:
            raise RequestError("bad_network", N_("This is not a network address (such as 203.0.113.0/24): {value}"),
                               field="networks", value=str(exc)) from None
        for name, value in data.items():
            setattr(self, name, value)
        self.save()
        return {"saved": True, "lessons_updated": lessons.apply_check_in_rules(self.where(), actor, role)}

    @staticmethod
    def workbench_scenarios():
        return SCENARIOS
