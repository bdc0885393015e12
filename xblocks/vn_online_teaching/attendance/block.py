"""The session_attendance XBlock: a thin layer that turns views and handlers into calls of the
attendance records (``service``) and rules (``roll``, ``schedule``).

Who may do what is asked of ``core.roles`` on the server for every handler: students check in
and read their own record only; teachers of the block's subject plan lessons, take the roll and
import meeting reports; heads, the principal, records officers and homeroom teachers read.
"""
import datetime as dt

from xblock.core import XBlock
from xblock.fields import Boolean, List, Scope, String

from .. import compat
from ..core import clock, config, roles
from ..core.blockbase import BlockBase
from ..core.errors import Forbidden, RequestError
from ..core import i18n
from ..core.i18n import N_, gettext, megabytes
from ..core.roster import CLASS_NAME
from ..core.validation import Field, parse_json_body, validate
from ..core.web import error_response, file_response, json_api, json_response
from . import class_records, roll, schedule, service
from .logbook import RATINGS
from .scenarios import SCENARIOS

DEFAULT_TITLE = N_("Online lessons and attendance")
RECENT_PAST = 10  # past lessons a student sees in the list
UPCOMING = 5  # upcoming lessons listed for a student (the calendar file has them all)
SOON_DAYS = 7  # lessons a teacher sees first: today and the next days

JS_STRINGS = (
    N_("Checked in."),
    N_("Checked in at {time}"),
    N_("Not on the class roster"),
    N_("History of this mark"),
    N_("No change yet."),
    N_("History"),
    N_("Choose a student"),
    N_("Not in the report"),
    N_("Not matched"),
    N_("Host of the meeting"),
    N_("{minutes} min"),
    N_("New code in {seconds} s"),
    N_("Why is the lesson cancelled?"),
    N_("Why does the lesson take place after all?"),
    N_("Nothing to save."),
    N_("Marked: {n}."),
    N_("Roll call"),
    N_("Uploading…"),
    N_("Present {n} of {total}"),
    N_("Choose a file."),
    N_("Remark"),
)

LESSON_FIELDS = {
    "date": Field(str, max_length=10),
    "period": Field(int),
    "start": Field(str, max_length=8),
    "length": Field(int, required=False, default=0),
    "title": Field(str, required=False, default="", max_length=255),
    "syllabus_no": Field(str, required=False, default="", max_length=20),
    "platform": Field(str, choices=list(schedule.PLATFORMS)),
    "link": Field(str, required=False, default="", max_length=2000),
    "mode": Field(str, choices=list(schedule.MODES)),
    "require_code": Field(bool, required=False, default=None),
}
LESSON_ID = Field(int)
CHECK_IN_FIELDS = {"lesson": LESSON_ID, "code": Field(str, required=False, default="", max_length=32)}


def _labels(mapping):
    return [[key, gettext(label)] for key, label in mapping.items()]


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
        return service.Where(usage_key, course_key, org, (self.class_name or "").strip(), (self.subject or "").strip(),
                             bool(self.require_code), roll.network_rule(self.networks))

    def place(self):
        return service.place_of(self.where())

    def title(self):
        return gettext(DEFAULT_TITLE) if self.display_name == DEFAULT_TITLE else self.display_name

    def _require(self, action):
        """The actor, if they may do ``action`` here; Forbidden otherwise."""
        actor = self.actor()
        if not roles.may(actor, action, self.place()):
            raise Forbidden()
        return actor

    def may_author(self):
        """Studio's editors are course staff by the platform's check; elsewhere only the teachers
        who may manage this block's lessons get the editing views."""
        return compat.is_studio() or roles.may(self.actor(), service.MANAGE, self.place())

    # ------------------------------------------------------------------ views

    def student_view(self, context=None):
        actor = self.actor()
        if roles.may(actor, service.VIEW_STAFF, self.place()):
            return self.staff_view(actor)
        return self.learner_view(actor)

    def learner_view(self, actor):
        where = self.where()
        learner = service.learner_of(where.org, where.class_name, actor.user_key)
        on_roster = learner is not None
        rows = service.own_lessons(where, actor.user_key if on_roster else "")
        for row in rows:
            row["status_label"] = roll.STATUS_LABELS.get(row["mine"]["status"] if row["mine"] else roll.UNMARKED)
        upcoming = [r for r in rows if not r["ended"]]
        nxt = next((r for r in upcoming if not r["cancelled"]), None)
        return self.fragment("vn_online_teaching/attendance/student.html", {
            "title": self.title(), "class_name": where.class_name, "subject": where.subject,
            "on_roster": on_roster, "next": nxt, "upcoming": [r for r in upcoming if r is not nxt][:UPCOMING],
            "past": [r for r in rows if r["ended"]][-RECENT_PAST:][::-1],
            "year": class_records.own_year(where, learner) if on_roster else None,
            "calendar_url": self.runtime.handler_url(self, "calendar") if not actor.is_anonymous else "",
        }, js="attendance.js", js_init="VNOTAttendance", init_args={
            "checkInUrl": self.runtime.handler_url(self, "check_in"),
        }, js_strings=JS_STRINGS)

    def staff_view(self, actor):
        where = self.where()
        can_manage = roles.may(actor, service.MANAGE, self.place())
        lessons = service.lessons_overview(where)
        today = clock.to_school(clock.now(), where.org).date()
        week_end = (today + dt.timedelta(days=SOON_DAYS)).isoformat()
        soon = [x for x in lessons if today.isoformat() <= x["date"] < week_end]
        current = next((x for x in soon if not x["cancelled"] and x["date"] == today.isoformat()
                        and x["ends_at"] >= clock.iso(clock.now())), None)
        return self.fragment("vn_online_teaching/attendance/staff.html", {
            "title": self.title(), "class_name": where.class_name, "subject": where.subject, "actor": actor,
            "lesson_count": len(lessons), "soon": soon, "later": [x for x in lessons if x["date"] >= week_end],
            "earlier": [x for x in lessons if x["date"] < today.isoformat()][::-1],
            "can_manage": can_manage, "roster_size": len(service.class_learners(where.org, where.class_name)),
            "statuses": _labels({s: roll.STATUS_LABELS[s] for s in roll.STATUSES}),
            "platforms": schedule.PLATFORMS, "modes": schedule.MODES, "weekdays": list(enumerate(service.WEEKDAYS))[:6],
            "default_length": service.lesson_minutes(where.org), "block": self,
            "calendar_url": self.runtime.handler_url(self, "calendar"),
            "logbook_url": self.runtime.handler_url(self, "logbook"), "ratings": RATINGS,
            "report_url": self.runtime.handler_url(self, "class_report")
            if roles.may(actor, class_records.REPORT, self.place()) else "",
            "report_xlsx_url": self.runtime.handler_url(self, "class_report", suffix="xlsx"),
            "report_html_url": self.runtime.handler_url(self, "class_report", suffix="html"),
        }, js="attendance.js", js_init="VNOTAttendanceStaff", init_args={
            "urls": {name: self.runtime.handler_url(self, name) for name in (
                "roll_call", "mark", "mark_unmarked", "history", "code", "import_report", "import_confirm",
                "lesson_save", "series_create", "lesson_cancel", "lesson_restore", "logbook_entry", "logbook_read")},
            "reportUrl": self.runtime.handler_url(self, "report_file", suffix="REPORT"),
            "canManage": can_manage,
            "current": current["id"] if current else None,
            "lessons": {str(x["id"]): {k: x[k] for k in ("date", "period", "start", "length", "title", "syllabus_no",
                                                        "platform", "link", "mode", "require_code")}
                        for x in lessons},
            "statuses": _labels(roll.STATUS_LABELS), "locations": _labels(roll.LOCATIONS),
            "sources": _labels(service.SOURCES),
        }, js_strings=JS_STRINGS)

    def fragment(self, template, context, **kwargs):
        """Our shared fragment, plus the attendance styles."""
        frag = super().fragment(template, context, **kwargs)
        frag.add_css_url(self.runtime.local_resource_url(self, "static/vn_online_teaching/css/attendance.css"))
        return frag

    def author_view(self, context=None):
        """Studio: the block's settings at a glance; lessons are planned in the LMS."""
        if not self.may_author():
            return self.learner_view(self.actor())
        return self.fragment("vn_online_teaching/attendance/author.html", {
            "title": self.title(), "block": self,
            "platform_label": schedule.PLATFORMS.get(self.platform, self.platform),
            "mode_label": schedule.MODES.get(self.mode, self.mode),
            "lesson_count": len(service.lessons(self.keys()[0])),
        })

    def studio_view(self, context=None):
        if not self.may_author():
            return self.learner_view(self.actor())
        return self.fragment("vn_online_teaching/attendance/studio.html", {
            "block": self, "platforms": schedule.PLATFORMS, "modes": schedule.MODES,
            "networks_text": "\n".join(self.networks or []),
        }, js="attendance.js", js_init="VNOTAttendanceStudio", init_args={
            "saveUrl": self.runtime.handler_url(self, "studio_submit"),
        }, js_strings=JS_STRINGS)

    # ------------------------------------------------------------------ student handlers

    @XBlock.handler
    def check_in(self, request, suffix=""):
        """A student checks in (JSON ``{"lesson", "code"}``); the address and browser of the request
        are kept with the record. In the LMS, ``REMOTE_ADDR`` is the client's address as the
        platform's X-Forwarded-For middleware resolved it from its trusted proxies."""
        if request.method != "POST":
            return error_response(RequestError("method", N_("This address only accepts POST."), status=405))
        try:
            data = validate(parse_json_body(request.body), CHECK_IN_FIELDS)
            record = service.check_in(service.BlockKeys(*self.keys()), self.actor(), data["lesson"], code=data["code"],
                                      ip=request.remote_addr or "", user_agent=request.user_agent or "")
        except RequestError as exc:
            return error_response(exc)
        if record["status"] in roll.ATTENDED:
            self.runtime.publish(self, "completion", {"completion": 1.0})
        return json_response(dict(record, status_label=gettext(roll.STATUS_LABELS.get(record["status"], ""))))

    @XBlock.handler
    def calendar(self, request, suffix=""):
        """The class's upcoming lessons as an .ics file, for students' calendars."""
        actor = self.actor()
        if actor.is_anonymous:
            return error_response(Forbidden())
        where = self.where()
        name = " · ".join(x for x in (where.subject, where.class_name) if x) or self.title()
        return file_response(f"{where.class_name or 'lessons'}.ics", "text/calendar", service.calendar(where, name))

    # ------------------------------------------------------------------ staff handlers

    @json_api({"lesson": LESSON_ID})
    def roll_call(self, data, suffix=""):
        actor = self._require(service.VIEW_STAFF)
        where = self.where()
        out = service.roll_call(where, data["lesson"])
        can_manage = roles.may(actor, service.MANAGE, self.place())
        out["reports"] = service.reports_of(where, data["lesson"])
        if can_manage and out["lesson"]["require_code"] and not out["lesson"]["cancelled"]:
            out["code"] = service.current_code(service.get_lesson(where.usage_key, data["lesson"]))
        out["lesson"]["weekday"] = gettext(out["lesson"]["weekday"])
        out["lesson"]["platform_label"] = gettext(out["lesson"]["platform_label"])
        return out

    @json_api({"lesson": LESSON_ID, "marks": Field(list, max_items=300, item=Field(dict))})
    def mark(self, data, suffix=""):
        actor = self._require(service.MANAGE)
        changes = service.set_marks(self.where(), actor, data["lesson"], data["marks"])
        self._complete_attended(data["lesson"])
        return {"changed": len(changes)}

    @json_api({"lesson": LESSON_ID, "status": Field(str, choices=list(roll.STATUSES))})
    def mark_unmarked(self, data, suffix=""):
        actor = self._require(service.MANAGE)
        changes = service.mark_unmarked(self.where(), actor, data["lesson"], data["status"])
        self._complete_attended(data["lesson"])
        return {"changed": len(changes)}

    @json_api({"lesson": LESSON_ID, "user": Field(str, max_length=255)})
    def history(self, data, suffix=""):
        self._require(service.VIEW_STAFF)
        return {"history": service.mark_history(self.where(), data["lesson"], data["user"])}

    @json_api({"lesson": LESSON_ID})
    def code(self, data, suffix=""):
        """The rotating check-in code to show the class, for the teacher only."""
        self._require(service.MANAGE)
        lesson = service.get_lesson(self.keys()[0], data["lesson"])
        return service.current_code(lesson)

    @json_api(dict(LESSON_FIELDS, lesson=Field(int, required=False),
                   reason=Field(str, required=False, default="", max_length=1000)))
    def lesson_save(self, data, suffix=""):
        """Plan one lesson, or (with ``lesson``) change one."""
        actor = self._require(service.MANAGE)
        lesson_id, reason = data.pop("lesson"), data.pop("reason")
        if lesson_id is None:
            lesson = service.create_lesson(self.where(), actor, data)
        else:
            lesson = service.edit_lesson(self.where(), actor, lesson_id, data, reason)
        return {"lesson": lesson.pk}

    @json_api(dict({k: v for k, v in LESSON_FIELDS.items() if k != "date"},
                   first=Field(str, max_length=10), until=Field(str, max_length=10),
                   weekdays=Field(list, max_items=7, item=Field(int)),
                   skip=Field(list, required=False, default=[], max_items=100, item=Field(str, max_length=10))))
    def series_create(self, data, suffix=""):
        actor = self._require(service.MANAGE)
        created, skipped = service.create_series(self.where(), actor, data)
        return {"lessons": [x.pk for x in created], "skipped": [d.isoformat() for d in skipped]}

    @json_api({"lesson": LESSON_ID, "reason": Field(str, max_length=1000, blank=False)})
    def lesson_cancel(self, data, suffix=""):
        actor = self._require(service.MANAGE)
        lesson = service.cancel_lesson(self.where(), actor, data["lesson"], data["reason"])
        return {"lesson": lesson.pk, "cancelled": True}

    @json_api({"lesson": LESSON_ID, "reason": Field(str, max_length=1000, blank=False)})
    def lesson_restore(self, data, suffix=""):
        actor = self._require(service.MANAGE)
        lesson = service.restore_lesson(self.where(), actor, data["lesson"], data["reason"])
        return {"lesson": lesson.pk, "cancelled": False}

    @XBlock.handler
    def import_report(self, request, suffix=""):
        """Read an uploaded meeting report (multipart: ``file``, ``lesson``, ``format``) and answer
        the preview; nothing is marked until ``import_confirm``."""
        try:
            if request.method != "POST":
                raise RequestError("method", N_("This address only accepts POST."), status=405)
            actor = self._require(service.MANAGE)
            limit = config.get("MAX_REPORT_BYTES", self.keys()[2])
            too_large = RequestError("too_large", N_("The file is larger than {limit_mb} MB."), status=413,
                                     field="file", limit_mb=megabytes(limit))
            if (request.content_length or 0) > limit + 64 * 1024:
                raise too_large
            upload = request.POST.get("file")
            if upload is None or not hasattr(upload, "file"):
                raise RequestError("required", N_("The field {field} is required."), field="file")
            try:
                lesson_id = int(request.POST.get("lesson", ""))
            except ValueError:
                raise RequestError("bad_type", N_("The field {field} has the wrong type."), field="lesson") from None
            data = upload.file.read(limit + 1)
            if len(data) > limit:
                raise too_large
            preview = service.preview_import(self.where(), actor, lesson_id, upload.filename, data,
                                             fmt=request.POST.get("format", "auto"))
            return json_response(preview)
        except RequestError as exc:
            return error_response(exc)

    @json_api({"lesson": LESSON_ID, "report": Field(int), "rows": Field(list, max_items=300, item=Field(dict))})
    def import_confirm(self, data, suffix=""):
        actor = self._require(service.MANAGE)
        result = service.confirm_import(self.where(), actor, data["lesson"], data["report"], data["rows"])
        self._complete_attended(data["lesson"])
        return result

    def _complete_attended(self, lesson_id):
        """Block completion for every learner who attended the lesson (present or late)."""
        for user_key in service.attended(self.keys()[0], lesson_id):
            compat.mark_complete(user_key, self)

    # ------------------------------------------------------------------ logbook and reports

    @XBlock.handler
    def logbook(self, request, suffix=""):
        """The class logbook (sổ đầu bài) of one week as a printable page (``?week=YYYY-MM-DD``)."""
        try:
            page = class_records.logbook_week(self.where(), self.actor(), request.GET.get("week", ""))
        except RequestError as exc:
            return error_response(exc)
        url = self.runtime.handler_url(self, "logbook")
        sep = "&" if "?" in url else "?"
        html = i18n.render("vn_online_teaching/attendance/logbook.html", {
            "page": page, "lang": i18n.current_language(),
            "days": [(day, service.WEEKDAYS[day.weekday()], lines) for day, lines in page["days"]],
            "previous_url": f"{url}{sep}week={page['previous']}", "next_url": f"{url}{sep}week={page['next']}",
        })
        response = file_response("logbook.html", "text/html", html.encode("utf-8"), inline=True)
        response.charset = "utf-8"
        return response

    @json_api({"lesson": LESSON_ID, "content": Field(str, required=False, default="", max_length=4000),
               "remarks": Field(str, required=False, default="", max_length=4000),
               "rating": Field(str, required=False, default="", choices=["", *RATINGS]),
               "confirm": Field(bool, required=False, default=False)})
    def logbook_entry(self, data, suffix=""):
        """Write (and optionally confirm) the logbook line of one lesson of this block."""
        class_records.save_entry(self.where(), self.actor(), data["lesson"], data, confirm=data["confirm"])
        return class_records.entry_of(self.where(), data["lesson"])

    @json_api({"lesson": LESSON_ID})
    def logbook_read(self, data, suffix=""):
        actor = self.actor()
        if not roles.may(actor, service.VIEW_STAFF, self.place()):
            raise Forbidden()
        return class_records.entry_of(self.where(), data["lesson"])

    @XBlock.handler
    def class_report(self, request, suffix=""):
        """This school year's attendance of the class per student: a page to read (suffix "html"),
        CSV (no suffix), or XLSX (suffix "xlsx")."""
        try:
            if suffix == "html":
                page = class_records.report_page(self.where(), self.actor())
            else:
                name, mime, data = class_records.export(self.where(), self.actor(),
                                                        "xlsx" if suffix == "xlsx" else "csv")
        except RequestError as exc:
            return error_response(exc)
        if suffix != "html":
            return file_response(name, mime, data)
        html = i18n.render("vn_online_teaching/attendance/class_report.html", {
            "page": page, "lang": i18n.current_language(),
            "csv_url": self.runtime.handler_url(self, "class_report"),
            "xlsx_url": self.runtime.handler_url(self, "class_report", suffix="xlsx"),
        })
        response = file_response("class-report.html", "text/html", html.encode("utf-8"), inline=True)
        response.charset = "utf-8"
        return response

    @XBlock.handler
    def report_file(self, request, suffix=""):
        """Download a meeting report kept as evidence (staff who may read the roll)."""
        try:
            self._require(service.VIEW_STAFF)
            try:
                report_id = int((suffix or "").strip("/"))
            except ValueError:
                raise RequestError("not_found", N_("Not found."), status=404) from None
            record, data = service.report_file(self.where(), report_id)
        except RequestError as exc:
            return error_response(exc)
        return file_response(record.name, "application/octet-stream", data)

    # ------------------------------------------------------------------ Studio

    @json_api({
        "display_name": Field(str, max_length=255, blank=False),
        "class_name": Field(str, max_length=20),
        "subject": Field(str, max_length=100),
        "platform": Field(str, choices=list(schedule.PLATFORMS)),
        "meeting_link": Field(str, max_length=2000),
        "mode": Field(str, choices=list(schedule.MODES)),
        "require_code": Field(bool),
        "networks": Field(list, max_items=50, item=Field(str, max_length=64)),
    })
    def studio_submit(self, data, suffix=""):
        if not self.may_author():
            raise Forbidden()
        if data["class_name"] and not CLASS_NAME.match(data["class_name"]):
            raise RequestError("bad_class", N_("Class name is not valid: {value}"), field="class_name",
                               value=data["class_name"])
        link = data["meeting_link"]
        if link and not link.lower().startswith(("https://", "http://")):
            raise RequestError("bad_link", N_("Links must be full web addresses starting with https:// or http://."),
                               field="meeting_link")
        networks = [n for n in data["networks"] if n]
        try:
            roll.parse_networks(networks)
        except ValueError as exc:
            raise RequestError("bad_network", N_("This is not a network address (such as 203.0.113.0/24): {value}"),
                               field="networks", value=str(exc)) from None
        data["networks"] = networks
        for name, value in data.items():
            setattr(self, name, value)
        self.save()
        actor = self.actor()
        role = roles.role_for(actor, service.MANAGE, self.place())  # "" for Studio's course staff
        lessons = service.apply_check_in_rules(self.where(), actor, role)
        return {"saved": True, "lessons_updated": lessons}

    @staticmethod
    def workbench_scenarios():
        return SCENARIOS
