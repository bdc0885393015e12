"""Where a request comes from: Studio, or a staff member viewing the course as a learner
(core/web.py's refusals, compat's answers from the platform's services, core/actors.py's reading
of the role string). docs/decisions/0008-studio-and-platform-roles.md."""
import json
from types import SimpleNamespace

import pytest
from webob import Request
from xblock.exceptions import NoSuchServiceError
from xblock.reference.user_service import XBlockUser

from vn_online_teaching import compat
from vn_online_teaching.core.actors import actor_from_user
from vn_online_teaching.core.roles import HEAD, TEACHER, fallback_grants
from vn_online_teaching.core.validation import Field
from vn_online_teaching.core.web import get_api, json_api, page_response, upload_api


class Block:
    """A block that answers where its request runs."""

    def __init__(self, studio=False, as_learner=False):
        self.studio, self.as_learner, self.calls = studio, as_learner, []

    def keys(self):
        return ("u", "course-v1:O+C+R", "O")

    def in_studio(self):
        return self.studio

    def viewing_as_learner(self):
        return self.as_learner

    @json_api({"n": Field(int)}, lms_only=True)
    def roll(self, data, suffix=""):
        self.calls.append("roll")
        return {"ok": True}

    @json_api({"n": Field(int)})
    def settings(self, data, suffix=""):
        self.calls.append("settings")
        return {"ok": True}

    @upload_api({}, "MAX_REPORT_BYTES", lms_only=True)
    def report(self, data, upload, suffix=""):
        self.calls.append("report")
        return {}

    @get_api(lms_only=True)
    def logbook(self, params, suffix=""):
        self.calls.append("logbook")
        return page_response("<p>x</p>")

    @get_api()
    def attachment(self, params, suffix=""):
        self.calls.append("attachment")
        return page_response("<p>x</p>")


def post(handler, data=None):
    response = handler(Request.blank("/", method="POST", body=json.dumps({"n": 1} if data is None else data).encode(),
                                     content_type="application/json"))
    return response.status_code, json.loads(response.body) if response.content_type == "application/json" else None


def get(handler):
    return handler(Request.blank("/")).status_code


def test_lms_only_handlers_refuse_in_studio_before_reading_anything():
    block = Block(studio=True)
    for handler in (block.roll, block.report):
        status, body = post(handler, {"not": "even valid"})
        assert (status, body["error"]) == (403, "lms_only")
        assert body["message"] == "This is done in the course on the learning site (LMS), not in Studio."
    assert get(block.logbook) == 403
    assert post(block.settings) == (200, {"ok": True}) and get(block.attachment) == 200
    assert block.calls == ["settings", "attachment"]


def test_outside_studio_nothing_is_refused_by_place():
    block = Block()
    assert post(block.roll) == (200, {"ok": True}) and get(block.logbook) == 200
    assert block.calls == ["roll", "logbook"]


def test_the_flag_is_kept_on_the_handler():
    assert (Block.roll.lms_only, Block.report.lms_only, Block.logbook.lms_only) == (True, True, True)
    assert (Block.settings.lms_only, Block.attachment.lms_only) == (False, False)


def test_viewing_as_a_learner_refuses_every_post_and_no_read():
    block = Block(as_learner=True)
    for handler in (block.roll, block.settings, block.report):
        status, body = post(handler)
        assert (status, body["error"]) == (403, "as_learner") and "specific learner" in body["message"]
    assert get(block.logbook) == 200 and get(block.attachment) == 200
    assert block.calls == ["logbook", "attachment"]


def test_a_block_that_does_not_answer_is_not_refused():
    class Plain:
        def keys(self):
            return ("u", "c", "O")

        @json_api({}, lms_only=True)
        def work(self, data, suffix=""):
            return {"done": True}

    assert post(Plain().work, {}) == (200, {"done": True})


# ------------------------------------------------------------------ actors: the role strings

def user(role="student", **flags):
    xblock_user = XBlockUser(is_current_user=True, full_name="Lan")
    xblock_user.opt_attrs.update({"edx-platform.user_id": 7, "edx-platform.username": "lan",
                                  "edx-platform.is_authenticated": True, "edx-platform.user_role": role})
    xblock_user.opt_attrs.update({f"edx-platform.{k}": v for k, v in flags.items()})
    return xblock_user


def test_course_staff_is_not_global_staff():
    """``user_is_staff`` is the course team (common/djangoapps/xblock_django/user_service.py sets
    it from ``has_access(user, 'staff', course_id)``); global staff have their own attribute."""
    actor = actor_from_user(user("staff", user_is_staff=True, user_is_global_staff=False))
    assert (actor.is_course_staff, actor.is_global_staff, actor.platform_role) == (True, False, "staff")
    assert fallback_grants(actor.platform_role)[0].role == TEACHER


def test_global_staff_instructor_role_gives_no_fallback():
    actor = actor_from_user(user("instructor", user_is_staff=True, user_is_global_staff=True))
    assert (actor.is_global_staff, actor.platform_role) == (True, "student")
    assert fallback_grants(actor.platform_role) == []
    course_admin = actor_from_user(user("instructor", user_is_staff=True))
    assert {g.role for g in fallback_grants(course_admin.platform_role)} == {TEACHER, HEAD}


@pytest.mark.parametrize("role", ["staff", "instructor", "student"])
def test_in_studio_the_role_string_is_not_read(role):
    actor = actor_from_user(user(role), in_studio=True)
    assert (actor.platform_role, actor.in_studio, actor.user_key) == ("student", True, "7")
    assert fallback_grants(actor.platform_role) == []


# ------------------------------------------------------------------ compat: the platform's services

class Runtime:
    def __init__(self, **services):
        self.services = services

    def service(self, block, name):
        if name not in self.services:
            raise NoSuchServiceError(name)
        return self.services[name]


def xblock(**services):
    usage = SimpleNamespace(context_key="course-v1:O+C+R", course_key="course-v1:O+C+R")
    return SimpleNamespace(runtime=Runtime(**services), scope_ids=SimpleNamespace(usage_id=usage))


class Permissions:
    def __init__(self, write):
        self.write, self.keys = write, []

    def can_write(self, key):
        self.keys.append(key)
        return self.write

    def can_read(self, key):
        return True


def test_studio_is_known_by_its_permissions_service():
    assert compat.in_studio(xblock(studio_user_permissions=Permissions(False)))
    assert not compat.in_studio(xblock(studio_user_permissions=None))  # the LMS: a wanted service it lacks
    assert not compat.in_studio(xblock())  # a block that did not ask for it


def test_studio_authorship_is_can_write_on_the_course():
    permissions = Permissions(True)
    assert compat.studio_can_write(xblock(studio_user_permissions=permissions))
    assert permissions.keys == ["course-v1:O+C+R"]
    assert not compat.studio_can_write(xblock(studio_user_permissions=Permissions(False)))
    assert not compat.studio_can_write(xblock())


def test_viewing_as_a_learner_is_read_from_the_bound_account():
    """lms/djangoapps/courseware/masquerade.py, setup_masquerade: the learner's account carries
    the staff member in ``real_user`` and the masquerade in ``masquerade_settings``."""
    staff = SimpleNamespace(pk=1)
    learner = SimpleNamespace(pk=2, real_user=staff)
    assert compat.viewing_as_learner(xblock(user=SimpleNamespace(_django_user=learner)))
    named = SimpleNamespace(pk=1, masquerade_settings={"course-v1:O+C+R": SimpleNamespace(user_name="hs_anh")})
    assert compat.viewing_as_learner(xblock(user=SimpleNamespace(_django_user=named)))
    as_any_learner = SimpleNamespace(pk=1, masquerade_settings={"course-v1:O+C+R": SimpleNamespace(user_name=None)})
    assert not compat.viewing_as_learner(xblock(user=SimpleNamespace(_django_user=as_any_learner)))
    assert not compat.viewing_as_learner(xblock(user=SimpleNamespace(_django_user=staff)))
    assert not compat.viewing_as_learner(xblock(user=SimpleNamespace()))  # the workbench's service
    assert not compat.viewing_as_learner(xblock())
