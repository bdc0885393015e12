"""The harness behaves as the platform parts it copies (so that a test passing here means the
same code would pass in the LMS and Studio). Sources are cited in runtime.py and platform_parts.py."""
from django.contrib.auth.models import AnonymousUser
from opaque_keys.edx.keys import UsageKey

from runtime import make_user
from vn_online_teaching import compat


def test_lms_handler_url_has_no_question_mark_without_a_query(course):
    """openedx-platform lms/djangoapps/lms_xblock/runtime.py ``handler_url`` and its test
    ``TestHandlerUrl.test_trailing_characters``: no trailing "?" or "/"."""
    usage = course.add("approved_material")
    rt = course.lms(make_user("hs_an"))
    block = rt.get_block(usage)
    url = rt.handler_url(block, "decide")
    assert url == f"/courses/{course.key}/xblock/{usage}/handler/decide"
    assert rt.handler_url(block, "attachment", suffix="ab/c", query="a=1").endswith("/handler/attachment/ab/c?a=1")


def test_studio_preview_handler_url_always_ends_with_a_question_mark(course):
    """openedx-platform cms/djangoapps/contentstore/views/preview.py ``handler_url``."""
    usage = course.add("approved_material")
    teacher = make_user("gv_lan")
    course.grant(teacher, "staff")
    rt = course.studio(teacher)
    url = rt.handler_url(rt.get_block(usage), "studio_submit")
    assert url == f"/preview/xblock/{usage}/handler/studio_submit/?"


def test_user_service_gives_the_lms_attributes(course):
    """block_render.py ``prepare_runtime_for_user`` and xblock_django/user_service.py."""
    usage = course.add("session_attendance")
    learner, teacher, admin = make_user("hs_an"), make_user("gv_lan"), make_user("root", staff=True)
    course.grant(teacher, "staff")

    def attrs(user, **kw):
        rt = course.lms(user, **kw)
        return rt.service(rt.get_block(usage), "user").get_current_user().opt_attrs

    assert attrs(learner)["edx-platform.user_role"] == "student"
    assert attrs(learner)["edx-platform.user_id"] == learner.id
    assert attrs(teacher)["edx-platform.user_role"] == "staff" and attrs(teacher)["edx-platform.user_is_staff"]
    assert attrs(admin)["edx-platform.user_role"] == "instructor"
    assert attrs(admin)["edx-platform.user_is_global_staff"]
    as_learner = attrs(teacher, masquerade="student")
    assert as_learner["edx-platform.user_role"] == "student" and not as_learner["edx-platform.user_is_staff"]
    as_an = attrs(teacher, masquerade=learner)
    assert as_an["edx-platform.username"] == "hs_an" and as_an["edx-platform.user_role"] == "student"
    assert attrs(AnonymousUser())["edx-platform.is_authenticated"] is False


def test_hidden_child_is_none_for_a_learner_and_present_for_staff(course):
    """block_render.py ``get_block_for_descriptor`` returns None without 'load' access;
    x_module.py ``XModuleMixin.get_children`` drops it."""
    material = course.add("vertical_demo")
    shown = course.add("html_demo", parent=material, content="<p>a</p>")
    hidden = course.add("html_demo", parent=material, content="<p>b</p>")
    course.hide(hidden)
    learner, teacher = make_user("hs_an"), make_user("gv_lan")
    course.grant(teacher, "staff")
    lms = course.lms(learner)
    assert lms.get_block(hidden) is None
    assert [c.location for c in lms.get_block(material).get_children()] == [shown]
    assert len(course.lms(teacher).get_block(material).get_children()) == 2
    assert len(course.studio(teacher).get_block(material).get_children()) == 2


def test_completion_service_is_edx_completions_bound_to_the_user(course, completion_on):
    """block_render.py ``prepare_runtime_for_user``: ``CompletionService(user=user,
    context_key=course_id) if user and user.is_authenticated else None`` (openedx/completion
    completion/services.py)."""
    usage = course.add("session_attendance")
    learner = make_user("hs_an")
    rt = course.lms(learner)
    block = rt.get_block(usage)
    service = rt.service(block, "completion")
    assert service.completion_tracking_enabled()
    service.submit_completion(block.location, 1.0)
    assert service.get_completions([block.location]) == {block.location: 1.0}
    assert course.lms(AnonymousUser()).service(block, "completion") is None


def test_compat_reads_real_opaque_keys(course):
    """Blocks loaded from the modulestore carry ``BlockUsageLocator`` usage ids (edx-opaque-keys;
    xmodule/x_module.py ``OpaqueKeyReader``)."""
    usage = course.add("session_attendance")
    block = course.lms(make_user("hs_an")).get_block(usage)
    assert isinstance(block.scope_ids.usage_id, UsageKey)
    assert compat.usage_key_of(block) == str(usage)
    assert compat.course_key_of(block) == "course-v1:SoGD+TOAN10+2025"
    assert compat.org_of(block) == "SoGD"


def test_blocks_render_and_handlers_answer_in_both_runtimes(course):
    """The LMS renders student_view, Studio author_view or student_view; a handler call goes
    through block_render.py ``_invoke_xblock_handler`` (413 for files over
    ``STUDENT_FILEUPLOAD_MAX_SIZE``, 404 for a block the user may not load)."""
    material = course.add("approved_material", display_name="Hàm số bậc hai")
    attendance = course.add("session_attendance")
    learner, teacher = make_user("hs_an"), make_user("gv_lan")
    course.grant(teacher, "staff")
    for usage in (material, attendance):
        assert course.lms(learner).render(usage).body_html()
        assert course.lms(teacher).render(usage).body_html()
        assert course.studio(teacher).render(usage).body_html()
    big = b"x" * (4 * 1000 * 1000 + 1)
    status, body = course.lms(teacher).call(material, "upload_attachment", files={"file": ("a.pdf", big)})
    assert status == 413 and body["success"].startswith("Submission aborted!")
    course.hide(material)
    assert course.lms(learner).call(material, "decide", {})[0] == 404
