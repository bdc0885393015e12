"""The records_archive XBlock: views and handlers only, over the archive's records modules
(``jobs``, ``packages``, ``holds``) and what the page shows (``views``).

For the records officer and the principal (and the course team where the school allows it:
archive/access.py): export this course's records as a signed package (by school year and
semester, or dates), follow the job's progress, download and verify a package, place and release
legal holds, record a disposal decision. Everyone else gets a short notice and a 403 from every
handler, before anything is read or written. Every handler is ``lms_only``: Studio shows only the
block's title (docs/decisions/0008-studio-and-platform-roles.md).
"""
from webob import Response
from xblock.core import XBlock
from xblock.fields import Scope, String

from ..core import roles, validation
from ..core.blockbase import BlockBase
from ..core.errors import Forbidden
from ..core.i18n import N_, gettext
from ..core.validation import Field
from ..core.web import get_api, json_api
from . import access, holds, jobs, packages, scopes, tasks, views
from . import settings as archive_settings

DEFAULT_TITLE = N_("Records archive")
REFUSED = N_("Only the records officer and the principal keep the school's records archive.")
JOB_ID = {"job": validation.ID}
REASON = Field(str, max_length=2000, blank=False, label=N_("Reason"))
SCOPE_FIELDS = {
    "school_year": Field(str, required=False, default="", max_length=9, multiline=False, label=N_("School year")),
    "semester": Field(int, required=False, default=0, minimum=0, maximum=2, label=N_("Semester")),
    "since": validation.Date(required=False, label=N_("From")),
    "until": validation.Date(required=False, label=N_("To")),
}
HANDLERS = ("export", "jobs", "download", "verify", "hold", "release", "dispose")
STREAM_CHUNK = 256 * 1024


def _stream(handle):
    """The file's bytes in chunks, closed at the end: a package never sits in memory."""
    try:
        yield from iter(lambda: handle.read(STREAM_CHUNK), b"")
    finally:
        handle.close()


@XBlock.needs("i18n")
@XBlock.wants("user")
@XBlock.wants("studio_user_permissions")
class RecordsArchiveBlock(BlockBase, XBlock):
    """The school's records archive for one course: signed packages, legal holds, disposals."""

    icon_class = "other"
    has_author_view = True
    show_in_read_only_mode = False

    display_name = String(display_name=N_("Title"), default=DEFAULT_TITLE, scope=Scope.settings)

    def place(self):
        _usage, course_key, org = self.keys()
        return roles.Place(org=org, course_key=course_key)

    def title(self):
        return gettext(DEFAULT_TITLE) if self.display_name == DEFAULT_TITLE else self.display_name

    def _url(self, handler):
        return self.runtime.handler_url(self, handler)

    def fragment(self, template, context, **kwargs):
        """Our shared fragment, plus the archive's styles (no inline styles: a strict CSP holds)."""
        frag = super().fragment(template, context, **kwargs)
        frag.add_css_url(self.runtime.local_resource_url(self, "static/vn_online_teaching/css/archive.css"))
        return frag

    # ------------------------------------------------------------------ views

    def student_view(self, context=None):
        if self.in_studio():
            return self.author_view(context)
        place = self.place()
        allowed = access.permitted(self.actor(), place)
        if not allowed:
            return self.fragment("vn_online_teaching/archive/refused.html", {"title": self.title(), "message": REFUSED})
        page = views.page(place, self.keys()[0], allowed)
        return self.fragment("vn_online_teaching/archive/staff.html", dict(page, title=self.title()),
                             js="archive.js", js_init="VNOTArchive", init_args={
                                 "urls": {name: self._url(name) for name in HANDLERS},
                                 "allowed": page["allowed"], "jobs": page["jobs"]})

    def author_view(self, context=None):
        return self.fragment("vn_online_teaching/archive/author.html", {"title": self.title()})

    # ------------------------------------------------------------------ handlers

    def _allowed(self, action):
        """The role for ``action``, or Forbidden: the first thing every handler does."""
        return access.authorize(self.actor(), action, self.place())

    @json_api(SCOPE_FIELDS, lms_only=True)
    def export(self, data, suffix=""):
        """Start an export of this course's records; it runs on the workers (inline here without them)."""
        job = jobs.start_export(self.actor(), self.place(), self.keys()[0], data["school_year"],
                                data["semester"] or None, data["since"], data["until"])
        tasks.start(job.pk)
        return {"job": views.job_dict(packages.job_now(job.pk))}

    @json_api({}, lms_only=True)
    def jobs(self, data, suffix=""):
        """The jobs of this block with their progress (the page polls it while one runs)."""
        if not access.permitted(self.actor(), self.place()):
            raise Forbidden()
        return {"jobs": views.jobs_list(self.keys()[0])}

    @get_api(JOB_ID, lms_only=True)
    def download(self, params, suffix=""):
        name, handle, size = packages.open_download(self.actor(), self.place(), self.keys()[0], params["job"])
        response = Response(app_iter=_stream(handle), content_type="application/zip", conditional_response=False)
        response.content_length = size
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Cache-Control"] = "private, no-store"
        return response

    @json_api(JOB_ID, lms_only=True)
    def verify(self, data, suffix=""):
        ok, problems, report = packages.check(self.actor(), self.place(), self.keys()[0], data["job"])
        summary = (gettext("The package is valid: {files} files checked, signed by the key {fingerprint}.").format(
            files=report.files, fingerprint=report.info.get("Signing-Key-Fingerprint", "")) if ok
            else gettext("The package is NOT valid:"))
        return {"valid": ok, "summary": summary, "problems": problems, "audit_entries": report.audit_entries}

    @json_api(dict(SCOPE_FIELDS, reason=REASON), lms_only=True)
    def hold(self, data, suffix=""):
        actor, place = self.actor(), self.place()
        self._allowed(access.HOLD)
        scope, label = scopes.choose(place.org, [place.course_key] if place.course_key else None, data["since"],
                                     data["until"], data["school_year"], data["semester"] or None)
        return {"hold": views.hold_dict(holds.place_hold(actor, place, scope, label, data["reason"]))}

    @json_api({"hold": validation.ID, "reason": REASON}, lms_only=True)
    def release(self, data, suffix=""):
        return {"hold": views.hold_dict(holds.release_hold(self.actor(), self.place(), data["hold"], data["reason"]))}

    @json_api(dict(JOB_ID, reason=REASON, record_types=Field(
        list, max_items=len(archive_settings.RECORD_TYPES),
        item=Field(str, choices=list(archive_settings.RECORD_TYPES)))), lms_only=True)
    def dispose(self, data, suffix=""):
        place = self.place()
        self._allowed(access.DISPOSE)
        kinds = data["record_types"] or list(archive_settings.RECORD_TYPES)  # none chosen: every type
        disposal = holds.dispose(self.actor(), place, data["job"], kinds, data["reason"])
        return {"disposal": views.disposal_dict(disposal)}

    @staticmethod
    def workbench_scenarios():
        return [("Lưu trữ hồ sơ: Toán 10A1 (Records archive)",
                 '<records_archive display_name="Lưu trữ hồ sơ dạy học trực tuyến — Toán 10A1"/>')]
