"""The session_attendance XBlock: views and handlers only, each a few declarative lines over the
attendance records (``lessons``, ``checkin``, ``marks``, ``report_imports``, ``class_records``)
and what the pages show (``views``).

Who may do what is decided in the records layer, once per request (``records.authorize``):
students check in and read their own record only; teachers of the block's subject plan
lessons, take the roll and import meeting reports; heads, the principal, records officers and
homeroom teachers read. The handlers' wrappers (``core.web``) check the input against the
declared fields and turn a refusal into its translated answer.
"""
import re

from xblock.core import XBlock
from xblock.fields import Boolean, List, Scope, String

from .. import compat
from ..core import i18n, roles, validation
from ..core.blockbase import BlockBase
from ..core.errors import RequestError
from ..core.i18n import N_, gettext
from ..core.roster import CLASS_NAME
from ..core.validation import Field
from ..core.web import file_response, get_api, json_api, page_response, upload_api
from . import checkin, class_records, lessons, marks, report_imports, roll, schedule, timetable, views
from .records import MANAGE, VIEW_STAFF, BlockKeys, Where, authorize, permitted, place_of
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
class SessionAttendanceBlock(BlockBase, XBlock):
    """The synchronous lessons of one class in one subject, with check-in, the roll call and
    meeting-report imports."""

    icon_class = "other"

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

    def may_author(self):
        """Studio's editors are course staff by the platform's check; elsewhere only the teachers
        who may manage this block's lessons get the editing views."""
        return compat.is_studio() or roles.may(self.actor(), MANAGE, place_of(self.where()))

    def _author_role(self, actor):
        """The role recorded for a settings change: in Studio, the platform checked the editor
        ("" unless they hold a school role); elsewhere the teacher's, or Forbidden."""
        if compat.is_studio():
            return roles.role_for(actor, MANAGE, place_of(self.where()))
        return authorize(actor, MANAGE, self.where())

    # ------------------------------------------------------------------ views

    def student_view(self, context=None):
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
        ), js=STAFF_JS, js_init="VNOTAttendanceStaff", init_args={
            "urls": {name: self._url(name) for name in STAFF_HANDLERS}, "reportUrl": self._url("report_file", "REPORT"),
            "canManage": page["can_manage"], "current": page["current"], "lessons": page["lessons"],
            "statuses": views.labels(roll.STATUS_LABELS), "locations": views.labels(roll.LOCATIONS),
            "sources": views.labels(marks.SOURCES),
        })

    def fragment(self, template, context, **kwargs):
        """Our shared fragment, plus the attendance styles."""
        frag = super().fragment(template, context, **kwargs)
        frag.add_css_url(self.runtime.local_resource_url(self, "static/vn_online_teaching/css/attendance.css"))
        return frag

    def author_view(self, context=None):
        """Studio: the block's settings at a glance; lessons are planned in the LMS."""
        if not self.may_author():
            return self._learner_view(self.actor(), self.where())
        return self.fragment("vn_online_teaching/attendance/author.html", {
            "title": self.title(), "block": self, "platform_label": schedule.PLATFORMS.get(self.platform, self.platform),
            "mode_label": schedule.MODES.get(self.mode, self.mode),
            "lesson_count": len(timetable.lessons(self.keys()[0])),
        })

    def studio_view(self, context=None):
        if not self.may_author():
            return self._learner_view(self.actor(), self.where())
        return self.fragment("vn_online_teaching/attendance/studio.html", {
            "block": self, "platforms": schedule.PLATFORMS, "modes": schedule.MODES,
            "networks_text": "\n".join(self.networks or []),
        }, js="attendance_studio.js", js_init="VNOTAttendanceStudio", init_args={"saveUrl": self._url("studio_submit")})

    # ------------------------------------------------------------------ student handlers

    @json_api(CHECK_IN_FIELDS, request=True)
    def check_in(self, data, suffix, request):
        """A student checks in; the address and browser of the request are kept with the record.
        In the LMS, ``REMOTE_ADDR`` is the client's address as the platform's X-Forwarded-For
        middleware resolved it from its trusted proxies."""
        record = checkin.check_in(BlockKeys(*self.keys()), self.actor(), data["lesson"], code=data["code"],
                                  ip=request.remote_addr or "", user_agent=request.user_agent or "")
        if record["status"] in roll.ATTENDED:
            self.runtime.publish(self, "completion", {"completion": 1.0})
        return dict(record, status_label=gettext(roll.STATUS_LABELS.get(record["status"], "")))

    @get_api()
    def calendar(self, params, suffix=""):
        """The class's upcoming lessons as an .ics file, for the class and its staff."""
        where = self.where()
        name = " · ".join(x for x in (where.subject, where.class_name) if x) or self.title()
        data = timetable.calendar(where, self.actor(), name)
        return file_response(f"{where.class_name or 'lessons'}.ics", "text/calendar", data)

    # ------------------------------------------------------------------ staff handlers

    @json_api(LESSON_ID)
    def roll_call(self, data, suffix=""):
        return views.roll_call(self.where(), self.actor(), data["lesson"])

    @json_api(dict(LESSON_ID, marks=Field(list, max_items=marks.MAX_ITEMS, item=marks.MARK_ITEM)))
    def mark(self, data, suffix=""):
        changes = marks.set_marks(self.where(), self.actor(), data["lesson"], data["marks"])
        self._complete_attended(data["lesson"])
        return {"changed": len(changes)}

    @json_api(dict(LESSON_ID, status=Field(str, choices=list(roll.STATUSES))))
    def mark_unmarked(self, data, suffix=""):
        changes = marks.mark_unmarked(self.where(), self.actor(), data["lesson"], data["status"])
        self._complete_attended(data["lesson"])
        return {"changed": len(changes)}

    @json_api(dict(LESSON_ID, user=Field(str, max_length=255)))
    def history(self, data, suffix=""):
        return {"history": marks.mark_history(self.where(), self.actor(), data["lesson"], data["user"])}

    @json_api(LESSON_ID)
    def code(self, data, suffix=""):
        """The rotating check-in code to show the class, for the teacher only."""
        return checkin.code_for_teacher(self.where(), self.actor(), data["lesson"])

    @json_api(lessons.SAVE_FIELDS)
    def lesson_save(self, data, suffix=""):
        """Plan one lesson, or (with ``lesson``) change one."""
        return {"lesson": lessons.save_lesson(self.where(), self.actor(), data).pk}

    @json_api(lessons.SERIES_FIELDS)
    def series_create(self, data, suffix=""):
        created, skipped = lessons.create_series(self.where(), self.actor(), data)
        return {"lessons": [x.pk for x in created], "skipped": [d.isoformat() for d in skipped]}

    @json_api(lessons.REASON_FIELDS)
    def lesson_cancel(self, data, suffix=""):
        lesson = lessons.cancel_lesson(self.where(), self.actor(), data["lesson"], data["reason"])
        return {"lesson": lesson.pk, "cancelled": True}

    @json_api(lessons.REASON_FIELDS)
    def lesson_restore(self, data, suffix=""):
        lesson = lessons.restore_lesson(self.where(), self.actor(), data["lesson"], data["reason"])
        return {"lesson": lesson.pk, "cancelled": False}

    @upload_api(report_imports.UPLOAD_FIELDS, "MAX_REPORT_BYTES")
    def import_report(self, data, upload, suffix=""):
        """Read an uploaded meeting report and answer the preview; nothing is marked until
        ``import_confirm``."""
        return report_imports.preview_import(self.where(), self.actor(), data["lesson"], upload.name, upload.data,
                                             fmt=data["format"])

    @json_api(report_imports.CONFIRM_FIELDS)
    def import_confirm(self, data, suffix=""):
        result = report_imports.confirm_import(self.where(), self.actor(), data["lesson"], data["report"], data["rows"])
        self._complete_attended(data["lesson"])
        return result

    def _complete_attended(self, lesson_id):
        """Block completion for every learner who attended the lesson (present or late)."""
        for user_key in marks.attended(self.keys()[0], lesson_id):
            compat.mark_complete(user_key, self)

    @get_api()
    def report_file(self, params, suffix=""):
        """Download a meeting report kept as evidence (staff who may read the roll)."""
        number = (suffix or "").strip("/")
        report_id = int(number) if re.fullmatch(r"[0-9]{1,18}", number) else None
        kept, data = report_imports.report_file(self.where(), self.actor(), report_id)
        return file_response(kept.name, "application/octet-stream", data)

    # ------------------------------------------------------------------ logbook and reports

    @get_api(class_records.WEEK_PARAMS)
    def logbook(self, params, suffix=""):
        """The class logbook (sổ đầu bài) of one week as a printable page (``?week=YYYY-MM-DD``)."""
        page = views.logbook_page(self.where(), self.actor(), params["week"])
        url = self._url("logbook")
        sep = "&" if "?" in url else "?"
        return page_response(i18n.render("vn_online_teaching/attendance/logbook.html", {
            "page": page, "lang": i18n.current_language(),
            "previous_url": f"{url}{sep}week={page['previous']}" if page["previous"] else "",
            "next_url": f"{url}{sep}week={page['next']}" if page["next"] else "",
        }), name="logbook.html")

    @json_api(class_records.ENTRY_FIELDS)
    def logbook_entry(self, data, suffix=""):
        """Write (and optionally confirm) the logbook line of one lesson of this block."""
        return class_records.save_entry(self.where(), self.actor(), data["lesson"], data, confirm=data["confirm"])

    @json_api(LESSON_ID)
    def logbook_read(self, data, suffix=""):
        return class_records.read_entry(self.where(), self.actor(), data["lesson"])

    @get_api()
    def class_report(self, params, suffix=""):
        """This school year's attendance of the class per student: a page to read (suffix "html"),
        CSV (no suffix), or XLSX (suffix "xlsx")."""
        if suffix != "html":
            return file_response(*class_records.export(self.where(), self.actor(), "xlsx" if suffix == "xlsx" else "csv"))
        return page_response(i18n.render("vn_online_teaching/attendance/class_report.html", {
            "page": class_records.report_page(self.where(), self.actor()), "lang": i18n.current_language(),
            "csv_url": self._url("class_report"), "xlsx_url": self._url("class_report", "xlsx"),
        }), name="class-report.html")

    # ------------------------------------------------------------------ Studio

    @json_api(STUDIO_FIELDS)
    def studio_submit(self, data, suffix=""):
        actor = self.actor()
        role = self._author_role(actor)
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
