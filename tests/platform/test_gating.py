"""Gating of approved_material in the LMS: hidden children, the platform's visibility, fingerprints
read the same for everyone, completion, handler addresses, and records after a rerun or a copy
(docs/decisions/0007-gating-through-the-platforms-visibility.md).

Platform sources (openedx/openedx-platform unless said otherwise):
- lms/djangoapps/courseware/block_render.py: ``get_block_for_descriptor`` (access checked after
  binding: None for a block the learner may not load), ``_invoke_xblock_handler`` (``raise Http404``
  when it is None); xmodule/x_module.py: ``ModuleStoreRuntime.get_block``,
  ``XModuleMixin.get_child``/``get_children`` (None children skipped);
- lms/djangoapps/courseware/views/views.py: ``render_xblock`` (``/xblock/<usage>``: 404 through
  ``get_block_by_usage_id``) and ``jump_to`` (a redirect that leaves the access check to them);
- lms/djangoapps/courseware/access.py: ``_has_access_to_block.can_load`` (staff first, then
  ``_visible_to_nonstaff_users``: ``visible_to_staff_only``);
- lms/djangoapps/courseware/field_overrides.py (commit e57a655d77b6): ``OverrideModulestoreFieldData``
  (the providers of ``MODULESTORE_FIELD_OVERRIDE_PROVIDERS``, every block the LMS loads),
  ``OverrideFieldData.has``/``default`` (an ancestor's override is inherited);
- lms/djangoapps/course_blocks/transformers/visibility.py: ``VisibilityTransformer`` (Course Blocks
  API, mobile, grades) over transformers/utils.py ``collect_merged_boolean_field`` (read in
  openedx/edx-platform 20cbc62c371e);
- lms/djangoapps/courseware/self_paced_overrides.py: ``SelfPacedDateOverrideProvider`` (no due
  dates in a self-paced course), xmodule/modulestore/inheritance.py: ``InheritanceMixin`` (due,
  showanswer, visible_to_staff_only… are inherited settings);
- openedx/core/djangoapps/content/block_structure/api.py (read in openedx/edx-platform
  0baa6f1736d7): ``clear_course_from_cache``; lms/djangoapps/grades/tasks.py:
  ``compute_all_grades_for_course(**kwargs)``;
- openedx/completion, completion/services.py: ``get_completable_children`` (recurses into
  aggregators), ``can_mark_block_complete_on_view``; xmodule/vertical_block.py:
  ``_student_or_public_view`` (``wrap_xblock_data`` for the children to mark on view);
- lms/djangoapps/lms_xblock/runtime.py: ``handler_url`` ("?" only with a query);
- cms/lib/xblock/authoring_mixin.py: ``studio_duplicate`` calls
  ``dest_block.studio_post_duplicate(self, store, user, shallow=shallow)``; older
  cms/djangoapps/contentstore/utils.py ``duplicate_block``: ``children_handled =
  dest_block.studio_post_duplicate(store, source_item)``; a rerun keeps every block id under the new
  course key (``clone_course``).
"""
import sys
import types
from types import SimpleNamespace

import pytest
from completion.services import CompletionService
from django.db import connection
from django.test.utils import CaptureQueriesContext
from web_fragments.fragment import Fragment
from xblock.completable import XBlockCompletionMode
from xblock.core import XBlock
from xblock.fields import Date, Float, Scope, String

from platform_overrides import FieldOverrideProvider
from runtime import Course, make_user
from vn_online_teaching import compat
from vn_online_teaching.core.models import RoleAssignment
from vn_online_teaching.material.models import Attachment, MaterialState

PROVIDER = "vn_online_teaching.material.visibility.UnapprovedMaterialOverrideProvider"
CHECKED = {"fits_lesson": True, "sound": True, "culture": True, "ip": True}
PDF = b"%PDF-1.4 de cuong on tap"


class Problem(XBlock):
    """A graded problem as the platform's (xmodule/capa_block.py): its text is content; ``due`` and
    ``showanswer`` are settings the platform inherits and fills per learner or per schedule;
    ``weight`` is its own setting."""

    has_score = True
    data = String(scope=Scope.content, default="")
    due = Date(scope=Scope.settings, default=None)
    showanswer = String(scope=Scope.settings, default="finished")
    weight = Float(scope=Scope.settings, default=None)

    def student_view(self, context=None):
        return Fragment(f'<div class="problem">{self.data}</div>')

    @XBlock.json_handler
    def submit(self, data, suffix=""):
        return {"correct": True}


class Unit(XBlock):
    """A unit as the platform's (xmodule/vertical_block.py, ``_student_or_public_view``): it renders
    ``get_children()``, which leaves out what the learner may not load."""

    has_children = True

    def student_view(self, context=None):
        frag = Fragment()
        for child in self.get_children():
            rendered = child.render("student_view", {})
            frag.add_fragment_resources(rendered)
            frag.add_content(rendered.content)
        return frag


def problem_type(test):
    """The test runs with the platform's "problem" and "vertical" block types above."""
    return XBlock.register_temp_plugin(Problem, "problem")(XBlock.register_temp_plugin(Unit, "vertical")(test))


@pytest.fixture
def gated(settings):
    """The plugin's provider among the LMS's modulestore-level providers: the plugin settings add
    it (test_the_plugin_settings_register_the_provider); said here for the tests that rely on it."""
    if PROVIDER not in settings.MODULESTORE_FIELD_OVERRIDE_PROVIDERS:
        settings.MODULESTORE_FIELD_OVERRIDE_PROVIDERS = (*settings.MODULESTORE_FIELD_OVERRIDE_PROVIDERS, PROVIDER)


@pytest.fixture
def school(course):
    """The school SoGD: a teacher, the head of Mathematics and the principal, all three on the
    course staff (reviewers must see what learners cannot yet), and a learner."""
    people = SimpleNamespace(teacher=make_user("gv_lan", full_name="Nguyễn Thị Lan"),
                             head=make_user("tt_minh", full_name="Trần Minh"),
                             principal=make_user("ht_hung", full_name="Lê Hùng"),
                             learner=make_user("hs_an", full_name="Trần An"))
    for user, role, subject in ((people.teacher, "teacher", "Toán"), (people.head, "head", "Toán"),
                                (people.principal, "principal", "")):
        RoleAssignment.objects.create(org="SoGD", user_key=str(user.id), username=user.username, role=role,
                                      subject=subject)
        course.grant(user, "staff")
    return people


def build(course, block_ids=("unit", "material", "note", "exercise")):
    """unit → material → (an HTML note, a graded problem); answers the usage keys."""
    unit_id, material_id, note_id, exercise_id = block_ids
    unit = course.add("vertical", block_id=unit_id)
    material = course.add("approved_material", parent=unit, block_id=material_id, display_name="Hàm số bậc hai",
                          subject="Toán", grade="10", body="<p>Đồ thị của hàm số bậc hai</p>")
    note = course.add("html_demo", parent=material, block_id=note_id, content="<p>Ghi nhớ: đỉnh của parabol</p>")
    exercise = course.add("problem", parent=material, block_id=exercise_id, data="<p>Tìm đỉnh của y = x² − 4x</p>")
    return SimpleNamespace(unit=unit, material=material, note=note, exercise=exercise)


def decide(course, user, material, action, comment="Cần sửa."):
    rt = course.lms(user)
    fingerprint = rt.get_block(material).live()["fingerprint"]
    return rt.call(material, "decide", {"action": action, "comment": comment, "checklist": CHECKED,
                                        "fingerprint": fingerprint})


def approve(course, people, material):
    for user, action in ((people.teacher, "submit"), (people.head, "pass"), (people.principal, "approve")):
        status, body = decide(course, user, material, action)
        assert status == 200, body


def page(course, user, usage):
    return course.lms(user).render(usage).body_html()


# ------------------------------------------------------------------ a child hidden from a learner (issue 3)

@problem_type
def test_a_child_hidden_from_a_learner_leaves_the_material_working(course, school):
    """get_block_for_descriptor answers None for a child the learner may not load (here: denied, as
    a content group or an enrollment track does); the material shows the rest."""
    keys = build(course)
    approve(course, school, keys.material)
    course.deny(keys.exercise, school.learner)
    html = page(course, school.learner, keys.material)
    assert "Ghi nhớ: đỉnh của parabol" in html and "Tìm đỉnh" not in html
    assert "vnot-unavailable" not in html and "being updated" not in html
    assert "Tìm đỉnh" in page(course, school.head, keys.material)


@problem_type
def test_a_block_hidden_inside_a_child_leaves_the_child_shown(course, school):
    """A learner who may not load one block of a child still gets the child, checked block by
    block; the platform's own rendering of the child leaves that block out."""
    keys = build(course)
    inner = course.add("vertical", parent=keys.material, block_id="inner")
    course.add("html_demo", parent=inner, block_id="inner_note", content="<p>Phần nhóm A</p>")
    secret = course.add("html_demo", parent=inner, block_id="inner_b", content="<p>Phần nhóm B</p>")
    approve(course, school, keys.material)
    course.deny(secret, school.learner)
    html = page(course, school.learner, keys.material)
    assert "Phần nhóm A" in html and "Phần nhóm B" not in html


@problem_type
def test_a_reviewer_who_cannot_see_every_part_cannot_approve(course, school):
    """The children of a material not yet approved are hidden from all but the course staff: a
    principal outside the course staff has not seen them and is told why."""
    keys = build(course)
    outsider = make_user("ht_khac")
    RoleAssignment.objects.create(org="SoGD", user_key=str(outsider.id), username="ht_khac", role="principal")
    course.hide(keys.exercise)   # Studio's "Hide from learners": staff only
    for user, action in ((school.teacher, "submit"), (school.head, "pass")):
        assert decide(course, user, keys.material, action)[0] == 200
    status, body = decide(course, outsider, keys.material, "approve")
    assert status == 409 and body["error"] == "parts_hidden" and body["message"]
    assert MaterialState.objects.get().state == "passed"


# ------------------------------------------------------------------ everywhere the platform serves a child (issue 6)

@problem_type
def test_an_unapproved_materials_children_are_unreachable_for_learners(course, school, gated):
    """By their own address (render_xblock, jump_to, mobile), by their handlers, and in what the
    material's own page shows; staff still see and use them."""
    keys = build(course)
    learner = course.lms(school.learner)
    assert learner.get_block(keys.note) is None and learner.get_block(keys.exercise) is None
    assert course.lms(school.learner).call(keys.exercise, "submit", {})[0] == 404
    assert learner.get_block(keys.material) is not None   # the material says it waits for approval
    staff = course.lms(school.head)
    assert staff.get_block(keys.note) is not None
    assert course.lms(school.head).call(keys.exercise, "submit", {})[0] == 200

    approve(course, school, keys.material)
    learner = course.lms(school.learner)
    assert learner.get_block(keys.note) is not None and learner.get_block(keys.exercise) is not None
    assert course.lms(school.learner).call(keys.exercise, "submit", {}) == (200, {"correct": True})

    assert decide(course, school.principal, keys.material, "revoke", comment="Sai kiến thức.")[0] == 200
    assert course.lms(school.learner).get_block(keys.exercise) is None


@problem_type
def test_blocks_under_a_child_inherit_the_visibility(course, school, gated):
    """OverrideFieldData.has/default: an ancestor's override wins, even over a block's own
    ``visible_to_staff_only = False``."""
    keys = build(course)
    inner = course.add("vertical", parent=keys.material, block_id="inner")
    deep = course.add("html_demo", parent=inner, block_id="deep", content="<p>Sâu</p>", visible_to_staff_only=False)
    assert course.lms(school.learner).get_block(deep) is None
    approve(course, school, keys.material)
    assert course.lms(school.learner).get_block(deep) is not None


def merged_visible_to_staff_only(rt, root):
    """VisibilityTransformer.collect: ``collect_merged_boolean_field`` over the course (blocks as
    the modulestore loads them, no learner), ORed down each chain, read with ``is_set_on``."""
    merged = {}

    def walk(usage, parent_merged):
        block = rt.load_item(usage)
        field = block.fields["visible_to_staff_only"]
        merged[usage] = parent_merged or (field.is_set_on(block) and block.visible_to_staff_only)
        for child in getattr(block, "children", None) or []:
            walk(child, merged[usage])

    walk(root, False)
    return merged


@problem_type
def test_the_course_structure_removes_the_children_until_approval(course, school, gated):
    """What the outline, the mobile app and the Progress page's grades read: a learner's course
    blocks lose every block the merged field hides."""
    keys = build(course)
    hidden = merged_visible_to_staff_only(course.lms(school.head), keys.unit)
    assert (hidden[keys.material], hidden[keys.note], hidden[keys.exercise]) == (False, True, True)
    approve(course, school, keys.material)
    hidden = merged_visible_to_staff_only(course.lms(school.head), keys.unit)
    assert not any(hidden.values())


@problem_type
def test_a_child_changed_after_approval_closes_once_seen_and_reopens_when_approved(course, school, gated):
    keys = build(course)
    approve(course, school, keys.material)
    course.add("html_demo", block_id="unused")  # other content of the course changes nothing
    teacher_rt = course.lms(school.teacher)
    exercise = teacher_rt.get_block(keys.exercise)
    exercise.data = "<p>Đề mới chưa duyệt</p>"
    exercise.save()
    html = page(course, school.learner, keys.material)   # the material's page sees the change
    assert "Đề mới chưa duyệt" not in html and "Ghi nhớ" in html
    assert course.lms(school.learner).get_block(keys.exercise) is None   # and closes it everywhere
    assert course.lms(school.learner).get_block(keys.note) is not None
    for user, action in ((school.teacher, "submit"), (school.head, "pass"), (school.principal, "approve")):
        assert decide(course, user, keys.material, action)[0] == 200
    assert course.lms(school.learner).get_block(keys.exercise) is not None


@problem_type
def test_a_staff_view_reopens_a_child_changed_back(course, school, gated):
    keys = build(course)
    approve(course, school, keys.material)
    rt = course.lms(school.teacher)
    exercise = rt.get_block(keys.exercise)
    original = exercise.data
    exercise.data = "<p>Thử sửa</p>"
    exercise.save()
    page(course, school.learner, keys.material)
    assert course.lms(school.learner).get_block(keys.exercise) is None
    exercise = course.lms(school.teacher).get_block(keys.exercise)
    exercise.data = original
    exercise.save()
    page(course, school.head, keys.material)
    assert course.lms(school.learner).get_block(keys.exercise) is not None


@problem_type
def test_the_records_are_read_once_per_course_per_request(course, school, gated):
    keys = build(course)
    more = [course.add("html_demo", parent=keys.material, block_id=f"extra{i}", content=f"<p>{i}</p>")
            for i in range(6)]
    approve(course, school, keys.material)
    rt = course.lms(school.learner)
    table = MaterialState._meta.db_table
    with CaptureQueriesContext(connection) as queries:
        loaded = [rt.get_block(usage) for usage in (keys.note, keys.exercise, *more)]
        for block in loaded:
            assert block is not None
            assert block.visible_to_staff_only is False
    assert sum(table in q["sql"] for q in queries.captured_queries) == 1


def test_the_provider_answers_nothing_else_and_nothing_in_studio(course, settings, monkeypatch):
    """Asked for every field of every block: any other field is answered at once; Studio's authors
    see what they write."""
    from vn_online_teaching.material.visibility import UnapprovedMaterialOverrideProvider

    usage = course.add("approved_material")
    child = course.add("html_demo", parent=usage)
    block = course.lms(make_user("root", staff=True)).load_item(child)
    provider = UnapprovedMaterialOverrideProvider(None, None)
    default = object()
    assert provider.get(block, "visible_to_staff_only", default) is True
    assert provider.get(block, "display_name", default) is default
    assert UnapprovedMaterialOverrideProvider.enabled_for(block)
    monkeypatch.setattr(compat, "is_studio", lambda: True)
    assert provider.get(block, "visible_to_staff_only", default) is default
    assert not UnapprovedMaterialOverrideProvider.enabled_for(block)


def test_the_plugin_settings_register_the_provider(settings):
    """lms/envs/common.py defines MODULESTORE_FIELD_OVERRIDE_PROVIDERS before the plugins' COMMON
    settings run; ours adds the provider there, once."""
    assert list(settings.MODULESTORE_FIELD_OVERRIDE_PROVIDERS).count(PROVIDER) == 1


@problem_type
def test_a_change_of_visibility_refreshes_the_course_structure_and_grades(course, school, gated, monkeypatch,
                                                                          django_capture_on_commit_callbacks):
    """Block structures are collected again only on publish: an approval, a revocation and a child
    closed by a view drop the course's (after the commit) and, a graded child being concerned,
    recompute the grades."""
    cleared, regraded = [], []
    api = types.ModuleType("openedx.core.djangoapps.content.block_structure.api")
    api.clear_course_from_cache = lambda key: cleared.append(str(key))
    tasks = types.ModuleType("lms.djangoapps.grades.tasks")
    tasks.compute_all_grades_for_course = SimpleNamespace(apply_async=lambda kwargs: regraded.append(kwargs))
    for name in ("openedx", "openedx.core", "openedx.core.djangoapps", "openedx.core.djangoapps.content",
                 "openedx.core.djangoapps.content.block_structure", "lms", "lms.djangoapps", "lms.djangoapps.grades"):
        monkeypatch.setitem(sys.modules, name, sys.modules.get(name) or types.ModuleType(name))
    monkeypatch.setitem(sys.modules, api.__name__, api)
    monkeypatch.setitem(sys.modules, tasks.__name__, tasks)
    keys = build(course)
    with django_capture_on_commit_callbacks(execute=True):
        approve(course, school, keys.material)
    assert cleared == [str(course.key)] and regraded == [{"course_key": str(course.key)}]
    exercise = course.lms(school.teacher).get_block(keys.exercise)
    exercise.data = "<p>Đổi đề</p>"
    exercise.save()
    with django_capture_on_commit_callbacks(execute=True):
        page(course, school.learner, keys.material)
        page(course, school.learner, keys.material)   # closed once: the second view changes nothing
    assert len(cleared) == 2 and len(regraded) == 2


# ------------------------------------------------------------------ fingerprints read the same for everyone (issue 7)

@problem_type
def test_moving_a_due_date_or_the_show_answer_rule_hides_nothing(course, school):
    keys = build(course)
    approve(course, school, keys.material)
    rt = course.lms(school.teacher)
    exercise = rt.get_block(keys.exercise)
    exercise.due = exercise.fields["due"].from_json("2025-12-01T00:00:00Z")
    exercise.showanswer = "past_due"
    exercise.save()
    html = page(course, school.learner, keys.material)
    assert "Tìm đỉnh" in html and "being updated" not in html


class SelfPacedDates(FieldOverrideProvider):
    """lms/djangoapps/courseware/self_paced_overrides.py, ``SelfPacedDateOverrideProvider``: no due
    dates in a self-paced course (enabled for self-paced courses only; this course is one)."""

    def get(self, block, name, default):
        return None if name == "due" else default

    @classmethod
    def enabled_for(cls, course):
        return True


@problem_type
def test_a_self_paced_schedule_changes_no_fingerprint(course, school, settings):
    keys = build(course)
    rt = course.lms(school.teacher)
    exercise = rt.get_block(keys.exercise)
    exercise.due = exercise.fields["due"].from_json("2025-12-01T00:00:00Z")
    exercise.save()
    approve(course, school, keys.material)
    settings.MODULESTORE_FIELD_OVERRIDE_PROVIDERS = (*settings.MODULESTORE_FIELD_OVERRIDE_PROVIDERS,
                                                     f"{__name__}.SelfPacedDates")
    assert course.lms(school.learner).get_block(keys.exercise).due is None
    assert "Tìm đỉnh" in page(course, school.learner, keys.material)


@problem_type
def test_the_approver_and_every_learner_read_the_same_fingerprints(course, school, gated):
    """The approver read the children while our provider hid them (visible_to_staff_only true,
    inherited below); learners read them open. Neither value is reviewed content."""
    keys = build(course)
    approve(course, school, keys.material)
    other = make_user("hs_binh")
    seen = [course.lms(user).get_block(keys.material).live()["tree"]
            for user in (school.learner, other, school.principal)]
    assert seen[0] == seen[1] == seen[2]


# ------------------------------------------------------------------ completion (issue 5)

@problem_type
def test_the_material_aggregates_its_childrens_completion(course, school, gated, completion_on):
    keys = build(course)
    rt = course.lms(school.learner)
    material = rt.get_block(keys.material)
    service = CompletionService(user=rt.user, context_key=course.key)
    assert XBlockCompletionMode.get_mode(material) == XBlockCompletionMode.AGGREGATOR
    assert not service.can_mark_block_complete_on_view(material)
    assert service.get_completable_children(material) == []   # nothing of it is the learner's yet
    approve(course, school, keys.material)
    rt = course.lms(school.learner)
    completable = CompletionService(user=rt.user, context_key=course.key).get_completable_children(
        rt.get_block(keys.material))
    assert {b.scope_ids.usage_id for b in completable} == {keys.note, keys.exercise}


@problem_type
def test_children_get_a_fresh_context_never_the_units(course, school, completion_on):
    """The unit marks the material for completion on view in the context it renders it with; a
    child must not inherit that. The material marks, as a unit does, the children the completion
    service would mark on view (the note), not the graded problem."""
    keys = build(course)
    approve(course, school, keys.material)
    rt = course.lms(school.learner)
    rendered = []
    original = rt.render

    def recording(block, view_name=None, context=None):
        rendered.append((block.scope_ids.block_type, dict(context or {})))
        return original(block, view_name, context)

    material = rt.get_block(keys.material)
    rt.render = recording
    unit_context = {"child_of_vertical": True, "wrap_xblock_data": {"mark-completed-on-view-after-delay": 9}}
    rt.render(material, context=unit_context)
    contexts = dict(rendered[1:])
    assert contexts["html_demo"] == {"wrap_xblock_data": {"mark-completed-on-view-after-delay": 5000}}
    assert contexts["problem"] == {}


# ------------------------------------------------------------------ handler addresses (issue 4)

def test_the_register_links_use_the_lms_handler_url_with_its_query(course, school):
    usage = course.add("approved_material", display_name="Hàm số", subject="Toán")
    html = page(course, school.principal, usage)
    base = f"/courses/{course.key}/xblock/{usage}/handler/register_export"
    assert f'href="{base}?scope=school"' in html
    assert f'href="{base}?report=teachers&amp;scope=school"' in html
    assert f'href="{base}/xlsx"' in html and f'href="{base}"' in html
    assert "register_export&" not in html and "register_export?&" not in html


# ------------------------------------------------------------------ reruns and copies (issue 10)

def upload(course, user, usage, name="de-cuong.pdf", data=PDF):
    status, item = course.lms(user).call(usage, "upload_attachment", files={"file": (name, data)})
    assert status == 200, item
    return item


@problem_type
def test_a_rerun_keeps_the_files_but_not_the_approval(course, school):
    keys = build(course)
    item = upload(course, school.teacher, keys.material)
    approve(course, school, keys.material)
    assert course.lms(school.learner).call(keys.material, "attachment", method="GET", suffix=item["sha256"])[0] == 200

    rerun = Course("course-v1:SoGD+TOAN10+2026")
    new = build(rerun)
    copied = rerun.lms(school.teacher).get_block(new.material)
    copied.attachments = [item]
    copied.save()
    for user in (school.teacher, school.head, school.principal):
        rerun.grant(user, "staff")

    status, data = rerun.lms(school.teacher).call(new.material, "attachment", method="GET", suffix=item["sha256"])
    assert status == 200 and data == PDF
    assert Attachment.objects.filter(usage_key=str(new.material)).count() == 1
    # the approval stays with its run: learners of the rerun wait for one of their own
    assert rerun.lms(school.learner).call(new.material, "attachment", method="GET", suffix=item["sha256"])[0] == 404
    assert "vnot-unavailable" in page(rerun, school.learner, new.material)
    staff_html = page(rerun, school.principal, new.material)
    assert str(course.key) in staff_html and "vnot-runs" in staff_html


@problem_type
def test_another_schools_course_never_gets_the_files(course, school):
    keys = build(course)
    item = upload(course, school.teacher, keys.material)
    elsewhere = Course("course-v1:TruongKhac+TOAN10+2026")
    other = build(elsewhere)
    teacher = make_user("gv_khac")
    RoleAssignment.objects.create(org="TruongKhac", user_key=str(teacher.id), username="gv_khac", role="teacher")
    elsewhere.grant(teacher, "staff")
    block = elsewhere.lms(teacher).get_block(other.material)
    block.attachments = [item]
    block.save()
    assert elsewhere.lms(teacher).call(other.material, "attachment", method="GET", suffix=item["sha256"])[0] == 404


class AuthoringMixin:
    """cms/lib/xblock/authoring_mixin.py: the mixin's own ``studio_post_duplicate`` duplicates the
    children ("Children must always be handled")."""

    calls = []

    def studio_post_duplicate(self, source_item, store, user, shallow):
        AuthoringMixin.calls.append((source_item.scope_ids.usage_id, store, user, shallow))


@problem_type
def test_a_duplicate_gets_the_files_and_leaves_the_children_to_the_platform(course, school):
    keys = build(course)
    item = upload(course, school.teacher, keys.material)
    approve(course, school, keys.material)
    copy_key = course.add("approved_material", parent=keys.unit, block_id="0123456789abcdef0123456789abcdef",
                          subject="Toán", attachments=[item])
    studio = course.studio(school.teacher)
    source, dest = studio.get_block(keys.material), studio.get_block(copy_key)

    assert dest.studio_post_duplicate("store", source) is False      # older platforms: duplicate my children
    assert Attachment.objects.filter(usage_key=str(copy_key)).count() == 1

    Attachment.objects.filter(usage_key=str(copy_key)).delete()
    dest.__class__ = type("WithAuthoring", (type(dest), AuthoringMixin), {})
    dest.studio_post_duplicate(source, "store", school.teacher, shallow=False)
    assert AuthoringMixin.calls == [(keys.material, "store", school.teacher, False)]
    assert Attachment.objects.filter(usage_key=str(copy_key)).count() == 1
    assert MaterialState.objects.filter(usage_key=str(copy_key)).count() == 0   # a copy is a new draft
