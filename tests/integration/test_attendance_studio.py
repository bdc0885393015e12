"""session_attendance in Studio and under the LMS's special views, in the workbench runtime given
the platform's services (docs/decisions/0008-studio-and-platform-roles.md).

Studio is recognised by its ``studio_user_permissions`` service; its preview's user service calls
every account "staff". The LMS gives global staff "instructor" and, while staff view the course as
a specific learner, binds the block to the learner's account (with ``real_user`` on it). The
platform tier (tests/platform/test_studio.py) drives the same rules in platform-shaped runtimes.
"""
import json
from types import SimpleNamespace

import pytest
from freezegun import freeze_time
from webob import Request

from helpers import block_as, call, scenario_usage
from test_attendance_flow import LESSON, local
from vn_online_teaching.attendance.block import SessionAttendanceBlock
from vn_online_teaching.attendance.models import Lesson, Mark
from vn_online_teaching.core.models import AuditEntry
from vn_online_teaching.demo.users import DemoUserService

SETTINGS = {"display_name": "Toán 10A1", "class_name": "10A1", "subject": "Toán", "platform": "meet",
            "meeting_link": "https://meet.google.com/abc-defg-hij", "mode": "online", "require_code": True,
            "networks": ["203.0.113.0/24"]}


class Permissions:
    """Studio's ``studio_user_permissions`` (openedx-platform, openedx/core/djangoapps/content/
    services.py, ``StudioPermissionsService``): the platform's answer per course key."""

    def __init__(self, read=True, write=False):
        self.read, self.write, self.asked = read, write, []

    def can_read(self, key):
        self.asked.append(("read", str(key)))
        return self.read

    def can_write(self, key):
        self.asked.append(("write", str(key)))
        return self.write


class Users(DemoUserService):
    """The demo people with the role string and flags a platform runtime would give them, and the
    account the LMS binds the block to (``_django_user``, as ``DjangoXBlockUserService`` keeps it)."""

    def __init__(self, role=None, account=None, **flags):
        super().__init__()
        self.role, self._django_user, self.flags = role, account, flags

    def get_current_user(self):
        user = super().get_current_user()
        if user.opt_attrs.get("edx-platform.is_authenticated"):
            if self.role:
                user.opt_attrs["edx-platform.user_role"] = self.role
            user.opt_attrs.update({f"edx-platform.{k}": v for k, v in self.flags.items()})
        return user


def block_in(usage, username, permissions=None, users=None):
    """The block as ``username`` sees it, with the platform's services given."""
    block = block_as(usage, username)
    if permissions is not None:
        block.runtime._services["studio_user_permissions"] = permissions  # pylint: disable=protected-access
    if users is not None:
        users.runtime = block.runtime
        block.runtime._services["user"] = users  # pylint: disable=protected-access
    return block


def studio(usage, username, write=False, read=True):
    """The block in Studio's preview: the permissions service and every account "staff"."""
    return block_in(usage, username, Permissions(read=read, write=write), Users(role="staff"))


def handle(block, handler, data=None, method="POST", suffix=""):
    request = Request.blank("/", method=method, body=json.dumps(data or {}).encode() if method == "POST" else None,
                            content_type="application/json")
    response = block.runtime.handle(block, handler, request, suffix)
    try:
        return response.status_code, json.loads(response.body)
    except ValueError:
        return response.status_code, response.body


@pytest.fixture
def usage(workbench):
    return scenario_usage("Điểm danh: Toán 10A1")


@pytest.fixture
def lesson(usage):
    status, body = call(usage, "gv_lan", "lesson_save", LESSON)
    assert status == 200, body
    return body["lesson"]


def lesson_rules(lesson):
    row = Lesson.objects.get(pk=lesson)
    return row.require_code, row.networks


# ------------------------------------------------------------------------------------ authorship

@pytest.mark.parametrize("username", ["khach", "gv_lan"])
def test_in_studio_only_the_platforms_authors_change_the_settings(usage, lesson, username):
    """An account Studio's preview calls "staff" (any account: "khach" has no school role) and
    the block's own teacher alike: without ``can_write`` the save is refused and neither the
    block nor its lessons change (the platform would drop the fields, not our lesson rules)."""
    before = lesson_rules(lesson)
    with freeze_time(local(7, 0)):
        status, body = handle(studio(usage, username), "studio_submit", dict(SETTINGS, class_name="10A2"))
    assert (status, body["error"]) == (403, "forbidden") and body["message"]
    assert lesson_rules(lesson) == before
    assert block_as(usage, "gv_lan").class_name == "10A1"
    assert not AuditEntry.objects.filter(action="attendance.checkin_rules").exists()


def test_a_studio_author_saves_and_the_lessons_follow(usage, lesson):
    """``can_write``, asked for this block's course, makes the author; the school's fallback for
    course staff is not read in Studio, so the record names no school role."""
    permissions = Permissions(write=True)
    block = block_in(usage, "khach", permissions, Users(role="staff"))
    with freeze_time(local(7, 0)):
        status, body = handle(block, "studio_submit", SETTINGS)
    assert (status, body["lessons_updated"]) == (200, 1)
    assert lesson_rules(lesson) == (True, ["203.0.113.0/24"])
    assert ("write", block.keys()[1]) in permissions.asked
    entry = AuditEntry.objects.get(action="attendance.checkin_rules")
    assert (entry.actor_key, entry.actor_role) == ("khach", "")


def test_studio_views_follow_the_platforms_answer(usage):
    """The editor for authors; a reader of the course gets the settings at a glance but no
    form; someone who may not read it, a notice only (never the learner's or the roll's page)."""
    assert "vnot-studio" in studio(usage, "khach", write=True).render("studio_view", {}).body_html()
    reader = studio(usage, "gv_lan", write=False)
    html = reader.render("studio_view", {}).body_html()
    assert "vnot-studio" not in html and "vnot-note" in html
    assert "vnot-author" in reader.render("author_view", {}).body_html()
    stranger = studio(usage, "khach", read=False).render("author_view", {}).body_html()
    assert "vnot-author" not in stranger and "vnot-att-student" not in stranger and "vnot-note" in stranger


def test_studio_previews_the_author_view(usage, lesson):
    """Studio renders ``author_view`` only for a class that says ``has_author_view``; if it asks
    for the student view anyway, the block answers with its author view, not the roll."""
    assert SessionAttendanceBlock.has_author_view is True
    html = studio(usage, "gv_lan").render("student_view", {}).body_html()
    assert "vnot-author" in html and "vnot-att-staff" not in html and "vnot-att-lesson-form" not in html


# ------------------------------------------------------------------------------------ LMS-only work

LMS_WORK = {"check_in": "POST", "roll_call": "POST", "mark": "POST", "mark_unmarked": "POST", "history": "POST",
            "code": "POST", "lesson_save": "POST", "series_create": "POST", "lesson_cancel": "POST",
            "lesson_restore": "POST", "import_report": "POST", "import_confirm": "POST", "report_file": "GET",
            "calendar": "GET", "logbook": "GET", "logbook_entry": "POST", "logbook_read": "POST",
            "class_report": "GET"}


def test_every_handler_but_the_settings_save_is_lms_only():
    handlers = {name for name in dir(SessionAttendanceBlock)
                if getattr(getattr(SessionAttendanceBlock, name), "_is_xblock_handler", False)}
    assert handlers == set(LMS_WORK) | {"studio_submit"}
    assert all(getattr(SessionAttendanceBlock, name).lms_only for name in LMS_WORK)
    assert not SessionAttendanceBlock.studio_submit.lms_only


@pytest.mark.parametrize("handler", sorted(LMS_WORK))
def test_the_lms_work_is_refused_in_studio(usage, lesson, handler):
    """Even for the block's teacher and a course author: the roll, check-in, imports and records
    are the LMS's, and Studio's handlers need only a login."""
    payload = {"lesson": lesson, "marks": [{"user": "hs_anh", "status": "present"}], "status": "present",
               "user": "hs_anh", "reason": "x"}
    with freeze_time(local(7, 30)):
        status, body = handle(studio(usage, "gv_lan", write=True), handler, payload, method=LMS_WORK[handler])
    assert (status, body["error"]) == (403, "lms_only") and "Studio" in body["message"]
    assert not Mark.objects.exists() and Lesson.objects.count() == 1


def test_outside_studio_the_lms_work_is_not_refused(usage, lesson):
    with freeze_time(local(7, 30)):
        assert handle(block_in(usage, "hs_anh"), "check_in", {"lesson": lesson})[0] == 200
    assert handle(block_in(usage, "gv_lan"), "roll_call", {"lesson": lesson})[0] == 200


# ------------------------------------------------------------------------------------ LMS roles

def test_global_staff_get_no_course_role_fallback(usage, lesson):
    """The LMS says "instructor" to global staff in every course: that makes them neither the
    class's teacher nor a subject head; they act through roles the school assigns."""
    block = block_in(usage, "khach", users=Users(role="instructor", user_is_global_staff=True, user_is_staff=True))
    assert handle(block, "roll_call", {"lesson": lesson})[0] == 403
    assert "vnot-att-staff" not in block.render("student_view", {}).body_html()
    actor = block.actor()
    assert (actor.is_global_staff, actor.is_course_staff, actor.platform_role) == (True, True, "student")
    course_admin = block_in(usage, "khach", users=Users(role="instructor", user_is_staff=True))
    assert handle(course_admin, "roll_call", {"lesson": lesson})[0] == 200  # the fallback of ADR 0003 stays


def test_viewing_as_a_specific_learner_changes_nothing_in_their_name(usage, lesson):
    """Staff viewing the course as hs_anh: the block speaks for hs_anh's account, marked with the
    staff member in ``real_user`` (lms/djangoapps/courseware/masquerade.py, setup_masquerade)."""
    account = SimpleNamespace(pk="hs_anh", real_user=SimpleNamespace(pk="gv_lan"))
    with freeze_time(local(7, 30)):
        status, body = handle(block_in(usage, "hs_anh", users=Users(account=account)), "check_in", {"lesson": lesson})
    assert (status, body["error"]) == (403, "as_learner") and body["message"]
    assert not Mark.objects.exists()
    assert SessionAttendanceBlock.show_in_read_only_mode is False
    with freeze_time(local(7, 30)):  # the learner's own request is bound to their own account
        own = SimpleNamespace(pk="hs_anh")
        assert handle(block_in(usage, "hs_anh", users=Users(account=own)), "check_in", {"lesson": lesson})[0] == 200
