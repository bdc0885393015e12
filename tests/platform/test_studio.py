"""Studio, and the LMS's roles and special views, as the platform gives them to our blocks
(docs/decisions/0008-studio-and-platform-roles.md).

Platform sources (openedx/openedx-platform unless said otherwise):
- cms/djangoapps/contentstore/views/preview.py: ``preview_handler`` (``@login_required`` only),
  ``_prepare_runtime_for_preview`` (services: ``studio_user_permissions``, a user service with
  ``user_role=get_user_role(...)``), ``get_preview_fragment`` (author_view when ``has_author_view``);
- cms/djangoapps/contentstore/views/access.py (read in openedx/edx-platform): ``get_user_role``,
  "instructor" for a course admin and "staff" for everyone else;
- cms/djangoapps/contentstore/views/component.py: ``component_handler`` (``@login_required``;
  after the handler, ``modulestore().update_item`` only ``if has_course_author_access``, else
  "fail quietly"); cms/djangoapps/contentstore/xblock_storage_handlers/view_handlers.py:
  ``load_services_for_studio`` (``DjangoXBlockUserService(user)``, no role);
- openedx/core/djangoapps/content/services.py: ``StudioPermissionsService.can_read/can_write``;
- xmodule/studio_editable.py (read in openedx/edx-platform): ``StudioEditableBlock.render_children``,
  ``has_author_view``;
- lms/djangoapps/courseware/access.py: ``get_user_role`` (global staff: "instructor");
  common/djangoapps/xblock_django/user_service.py: ``user_is_staff`` vs ``user_is_global_staff``;
- lms/djangoapps/courseware/masquerade.py: ``setup_masquerade`` (the learner's account, with
  ``real_user``), ``filter_displayed_blocks``;
- cms/envs/common.py: the CMS runs with ``ROOT_URLCONF = 'cms.urls'``.
"""
import copy
import datetime as dt
import sys
import types
from zoneinfo import ZoneInfo

import platform_parts as parts
import platform_urls
import pytest
from django.contrib.auth.models import AnonymousUser
from freezegun import freeze_time
from web_fragments.fragment import Fragment
from webob import Response

from runtime import StudioRuntime, make_user
from vn_online_teaching.attendance.models import Lesson, Mark
from vn_online_teaching.core.models import AuditEntry, Learner

ICT = ZoneInfo("Asia/Ho_Chi_Minh")
LESSON = {"date": "2025-09-08", "period": 1, "start": "07:30", "platform": "zoom", "mode": "online",
          "title": "Bài 3. Phương trình bậc hai", "syllabus_no": "12"}
SETTINGS = {"display_name": "Toán 10A1", "class_name": "10A1", "subject": "Toán", "platform": "meet",
            "meeting_link": "https://meet.google.com/abc-defg-hij", "mode": "online", "require_code": True,
            "networks": ["203.0.113.0/24"]}


def local(hour, minute):
    return dt.datetime(2025, 9, 8, hour, minute, tzinfo=ICT)


class EditorRuntime(StudioRuntime):
    """Studio's editor dialog: its handlers go through ``component_handler`` with the services of
    ``load_services_for_studio`` (a user service built without a role, so "student"), and the
    block's fields are kept only for a course author; for anyone else they are dropped after the
    handler ran, quietly."""

    def __init__(self, course, user):
        super().__init__(course, user)
        self._services["user"] = parts.DjangoXBlockUserService(self.user)

    def invoke_handler(self, usage, handler, request, suffix=""):
        if not (self.user and self.user.is_authenticated):
            return Response(status=302, location="/signin_redirect_to_lms")
        stored = copy.deepcopy(self.course.kvs.db_dict)
        response = super().invoke_handler(usage, handler, request, suffix)
        if not parts.studio_permissions(self.course.roles, self.user, self.course.key)[1]:
            self.course.kvs.db_dict = stored  # update_item is not called
        return response


@pytest.fixture
def cms_process(settings, monkeypatch):
    """Studio's process: the CMS's URL configuration is ``cms.urls`` (its patterns here are the
    tier's, so addresses still resolve)."""
    package, urls = types.ModuleType("cms"), types.ModuleType("cms.urls")
    urls.urlpatterns = platform_urls.urlpatterns
    package.urls = urls
    monkeypatch.setitem(sys.modules, "cms", package)
    monkeypatch.setitem(sys.modules, "cms.urls", urls)
    settings.ROOT_URLCONF = "cms.urls"


@pytest.fixture
def people(course):
    """The class's teacher (course staff), a course admin, a learner of 10A1 on the roster, and
    an account of the site with no place in the course."""
    teacher, admin = make_user("gv_lan", full_name="Lan Nguyễn"), make_user("gv_admin")
    learner, stranger = make_user("hs_an", full_name="An Trần"), make_user("khach")
    course.grant(teacher, "staff")
    course.grant(admin, "instructor")
    Learner.objects.create(org=course.key.org, sector_id="7926010001", full_name="Trần An", class_name="10A1",
                           username="hs_an", user_key=str(learner.id))
    return types.SimpleNamespace(teacher=teacher, admin=admin, learner=learner, stranger=stranger)


@pytest.fixture
def block(course, people):
    """The attendance block of Toán 10A1 with one lesson planned in the LMS by its teacher."""
    usage = course.add("session_attendance", display_name="Toán 10A1", class_name="10A1", subject="Toán")
    status, body = course.lms(people.teacher).call(usage, "lesson_save", LESSON)
    assert status == 200, body
    return types.SimpleNamespace(usage=usage, lesson=body["lesson"])


def rules(lesson):
    row = Lesson.objects.get(pk=lesson)
    return row.require_code, row.networks


@pytest.fixture
def cms(block, cms_process):
    """The block planned in the LMS, then Studio's process."""
    return block


def settings_of(course, usage):
    """The block's settings as the course holds them (what a new request reads)."""
    saved = course.lms(AnonymousUser()).get_block(usage)
    return saved.class_name, saved.require_code


# ------------------------------------------------------------------------------------ Studio

@pytest.mark.usefixtures("cms")
@pytest.mark.parametrize("who", ["learner", "stranger"])
def test_a_previewing_account_without_course_access_changes_nothing(course, people, block, who):
    """``preview_handler`` asks only for a login and the preview's user service says "staff" to
    every account: neither makes an author, nor a teacher of the class."""
    studio = course.studio(getattr(people, who))
    before = rules(block.lesson), settings_of(course, block.usage)
    with freeze_time(local(7, 0)):
        status, body = studio.call(block.usage, "studio_submit", dict(SETTINGS, class_name="10A2"))
    assert (status, body["error"]) == (403, "forbidden")
    assert (rules(block.lesson), settings_of(course, block.usage)) == before
    assert not AuditEntry.objects.filter(action="attendance.checkin_rules").exists()
    status, body = studio.call(block.usage, "roll_call", {"lesson": block.lesson})
    assert status == 403 and "rows" not in body
    html = studio.render(block.usage, "studio_view").body_html()
    assert "vnot-studio" not in html and 'name="class_name"' not in html


@pytest.mark.usefixtures("cms")
def test_the_editor_of_a_non_author_leaves_the_lessons_as_the_platform_leaves_the_fields(course, people, block):
    """``component_handler`` runs the handler, then drops the fields of a non-author: the
    lessons' check-in rules must not have changed either."""
    before = rules(block.lesson)
    with freeze_time(local(7, 0)):
        status, _body = EditorRuntime(course, people.learner).call(block.usage, "studio_submit", SETTINGS)
    assert status == 403
    assert rules(block.lesson) == before and settings_of(course, block.usage) == ("10A1", False)


@pytest.mark.usefixtures("cms")
@pytest.mark.parametrize("runtime", [StudioRuntime, EditorRuntime])
def test_a_course_author_saves_the_settings_and_the_lessons_follow(course, people, block, runtime):
    """``can_write`` on the course makes the author; the school's fallback for course staff is
    not read in Studio (the record names no school role)."""
    with freeze_time(local(7, 0)):
        status, body = runtime(course, people.teacher).call(block.usage, "studio_submit", SETTINGS)
    assert (status, body["lessons_updated"]) == (200, 1)
    assert rules(block.lesson) == (True, ["203.0.113.0/24"])
    assert settings_of(course, block.usage) == ("10A1", True)
    entry = AuditEntry.objects.get(action="attendance.checkin_rules")
    assert (entry.actor_key, entry.actor_role) == (str(people.teacher.id), "")


@pytest.mark.usefixtures("cms")
@pytest.mark.parametrize("handler, method, data", [
    ("check_in", "POST", {"lesson": 0}), ("roll_call", "POST", {"lesson": 0}), ("lesson_save", "POST", LESSON),
    ("mark", "POST", {"lesson": 0, "marks": []}), ("import_confirm", "POST", {}), ("logbook_entry", "POST", {}),
    ("calendar", "GET", None), ("class_report", "GET", None), ("logbook", "GET", None),
])
def test_the_course_work_is_refused_in_studio_even_for_its_teacher(course, people, block, handler, method, data):
    """Roll call, check-in, imports and records belong to the LMS; in Studio they answer 403
    ``lms_only`` before reading anything, whoever asks."""
    if data == {"lesson": 0}:
        data = {"lesson": block.lesson}
    with freeze_time(local(7, 30)):
        for user in (people.teacher, people.learner):
            status, body = course.studio(user).call(block.usage, handler, data, method=method)
            assert (status, body["error"]) == (403, "lms_only"), (handler, user)
    assert Lesson.objects.count() == 1 and not Mark.objects.exists()


@pytest.mark.usefixtures("cms")
def test_studio_previews_the_author_view_not_the_roll(course, people, block):
    """``get_preview_fragment`` renders author_view only when the class says ``has_author_view``;
    otherwise Studio shows the course team the LMS's staff page with its roll and forms."""
    html = course.studio(people.teacher).render(block.usage).body_html()
    assert "vnot-author" in html and "vnot-att-staff" not in html and "vnot-att-lesson-form" not in html
    as_student_view = course.studio(people.teacher).render(block.usage, "student_view").body_html()
    assert "vnot-author" in as_student_view and "vnot-att-staff" not in as_student_view
    stranger = course.studio(people.stranger).render(block.usage).body_html()
    assert "vnot-author" not in stranger and "vnot-att-student" not in stranger


@pytest.mark.usefixtures("cms_process")
def test_children_are_given_to_studios_container_editing(course, people):
    """``StudioEditableBlock.render_children``: every child in its preview view, its location in
    ``context["reorderable_items"]`` (read by Studio's wrapper, ``_is_xblock_reorderable``), then
    the list and Studio's "add a component" place."""
    material = course.add("approved_material", subject="Toán")
    first = course.add("html_demo", parent=material, content="<p>một</p>")
    second = course.add("html_demo", parent=material, content="<p>hai</p>")
    course.hide(second)  # Studio shows authors every child, hidden ones too
    studio = course.studio(people.teacher)
    block = studio.get_block(material)
    context = {"reorderable_items": set(), "root_xblock": block}
    html = block.author_children(context, Fragment()).body_html()
    assert context["reorderable_items"] == {first, second} == {c.location for c in block.get_children()}
    assert "<p>một</p>" in html and "<p>hai</p>" in html
    assert html.startswith('<ol class="reorderable-container">')
    assert html.endswith('<div class="add-xblock-component new-component-item adding"></div>')
    on_unit = {"reorderable_items": set(), "is_unit_page": True, "root_xblock": studio.get_block(first)}
    assert block.author_children(on_unit, Fragment()).body_html() == "" and not on_unit["reorderable_items"]


# ------------------------------------------------------------------------------------ LMS roles

def test_global_staff_are_not_teacher_and_head_of_every_course(course, people, block):
    """The LMS says "instructor" to global staff in every course; they act in a school only
    through roles it assigns. A course admin keeps the course-role fallback."""
    operator = make_user("root", staff=True)
    lms = course.lms(operator)
    assert lms.call(block.usage, "roll_call", {"lesson": block.lesson})[0] == 403
    assert "vnot-att-staff" not in lms.render(block.usage).body_html()
    assert course.lms(people.admin).call(block.usage, "roll_call", {"lesson": block.lesson})[0] == 200


def test_course_staff_are_not_taken_for_global_staff(course, people, block):
    """``edx-platform.user_is_staff`` is the course team; ``user_is_global_staff`` the site's."""
    lms = course.lms(people.teacher)
    actor = lms.get_block(block.usage).actor()
    assert (actor.is_course_staff, actor.is_global_staff, actor.platform_role) == (True, False, "staff")
    operator = course.lms(make_user("root", staff=True)).get_block(block.usage).actor()
    assert (operator.is_global_staff, operator.platform_role) == (True, "student")


def test_viewing_as_a_specific_learner_does_nothing_in_their_name(course, people, block):
    """``setup_masquerade`` binds the block to the learner's account (``real_user`` = the staff
    member): no check-in in the learner's name, and the block is not shown."""
    as_an = course.lms(people.teacher, masquerade=people.learner)
    with freeze_time(local(7, 30)):
        status, body = as_an.call(block.usage, "check_in", {"lesson": block.lesson})
    assert (status, body["error"]) == (403, "as_learner")
    assert not Mark.objects.exists()
    assert "vnot-att" not in as_an.render(block.usage).body_html()
    with freeze_time(local(7, 30)):  # the learner's own request
        assert course.lms(people.learner).call(block.usage, "check_in", {"lesson": block.lesson})[0] == 200
    assert Mark.objects.get().user_key == str(people.learner.id)


def test_viewing_as_any_learner_stays_oneself(course, people, block):
    """"View this course as: Learner" keeps the staff member's account with the role "student":
    the learner's page, no roll, and no refusal by place."""
    as_learner = course.lms(people.teacher, masquerade="student")
    assert "vnot-att-student" in as_learner.render(block.usage).body_html()
    status, body = as_learner.call(block.usage, "roll_call", {"lesson": block.lesson})
    assert (status, body["error"]) == (403, "forbidden")
