"""LMS-shaped and Studio-shaped runtimes for our blocks, over real opaque keys, real Django users
and edx-completion's own ``CompletionService``.

API (import from ``runtime``; fixtures of the same names are in conftest.py)
----------------------------------------------------------------------------
``Course(key="course-v1:SoGD+TOAN10+2025")`` - the course as the modulestore holds it.
    ``course.key``                      the ``CourseLocator``.
    ``course.add(block_type, parent=None, block_id=None, **fields) -> UsageKey``
                                        a ``block-v1:`` usage key; ``parent`` is a usage key.
    ``course.grant(user, *roles)``      course roles: "staff", "instructor", "beta_tester".
    ``course.hide(usage, hidden=True)`` Studio's "Hide from learners" (``visible_to_staff_only``,
                                        inherited by descendants); staff still see the block.
    ``course.deny(usage, user)``        this learner has no access to the block (what group
                                        access or a cohort rule gives); staff are not affected.
    ``course.lms(user, masquerade=None, preferences=None) -> LmsRuntime``
        ``user``: a Django user or ``AnonymousUser()``; ``masquerade``: ``"student"`` or
        ``"staff"`` (View this course as Learner / Staff) or a Django user (View as a specific
        learner: the runtime acts as that learner, ``real_user`` is the staff member).
    ``course.studio(user) -> StudioRuntime``   Studio's preview runtime for ``user``.

Both runtimes (one per request, as in the platform):
    ``rt.get_block(usage)``             the block, bound to the runtime's user; ``None`` in the LMS
                                        for a block the user may not load (hidden, denied).
    ``rt.render(usage_or_block, view_name=None, context=None) -> Fragment``  (XBlock's
                                        ``Runtime.render``) LMS: student_view by default; Studio:
                                        author_view when the class has ``has_author_view``, else
                                        student_view; the context gets ``reorderable_items=set()``
                                        and ``root_xblock`` when none is given.
    ``rt.call(usage, handler, data=None, method="POST", files=None, suffix="", query="",
              body=None) -> (status, payload)``  through the platform's handler view checks
                                        (``files``: {field: (filename, bytes)} → multipart).
    ``rt.invoke_handler(usage, handler, webob_request, suffix="") -> webob.Response``
    ``rt.handler_url(block, name, suffix="", query="", thirdparty=False)``  as the LMS
                                        (no "?" without a query, no trailing "/") or Studio
                                        preview (always "...?query") builds it.
    ``rt.service(block, name)``         'user' (edx-platform.* opt_attrs), 'i18n', and in the LMS
                                        'completion' (edx-completion's CompletionService for an
                                        authenticated user, else None) and 'publish'; in Studio
                                        'studio_user_permissions' (``can_read``/``can_write``).
    ``rt.user``                         the Django user the runtime acts for (the learner when
                                        viewing as a specific learner; ``rt.real_user`` in the LMS
                                        is the signed-in one); ``rt.tracked``: the events that went
                                        to the tracking log instead of a service.
    ``rt.may_load(block)`` (LMS)        the 'load' access check ``get_block`` applies.
    ``rt.is_author_mode``               True in Studio only.
``make_user(username, staff=False, full_name="")`` - a Django user (global staff with staff=True);
    the runtimes give it a ``profile.name`` (the full name), as the platform's UserProfile does.
``completion_tracking(on)`` - a context manager: edx-completion's waffle switch
    ``completion.enable_completion_tracking`` on or off.

Running and settings
--------------------
``.venv/bin/python -m pytest tests/platform[/test_x.py] -q -x -p no:randomly`` (VNOT_VAR set). The
folder has its own pytest.ini (settings module ``settings``: the LMS's, see settings.py) and no
``__init__.py``, so modules here import each other by bare name (``from runtime import Course``).
Plugin COMMON settings may extend ``MODULESTORE_FIELD_OVERRIDE_PROVIDERS``: the LMS runtime applies
them to every block it loads (``XBLOCK_FIELD_DATA_WRAPPERS``, platform_overrides.py); Studio's runtime
applies none. The settings are the LMS's (``ROOT_URLCONF = "platform_urls"``); what tells the two
runtimes apart is the runtime (``rt.is_author_mode``, Studio's services), not a setting.

Platform sources (openedx-platform): lms/djangoapps/courseware/block_render.py
(``prepare_runtime_for_user``, ``get_block_for_descriptor``, ``_invoke_xblock_handler``,
``_check_files_limits``), lms/djangoapps/courseware/access.py (``has_access`` for 'load':
group access, staff short-circuit, ``_visible_to_nonstaff_users``), lms/djangoapps/courseware/
masquerade.py (``setup_masquerade``, ``filter_displayed_blocks``), xmodule/x_module.py
(``ModuleStoreRuntime.get_block``/``service``/``publish``, ``XModuleMixin.get_children``/
``get_child``), cms/djangoapps/contentstore/views/preview.py (``_prepare_runtime_for_preview``,
``preview_handler``, ``get_preview_fragment``). The replicas are in platform_parts.py and
platform_overrides.py.
"""
import json
from contextlib import contextmanager
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth import get_user_model
from opaque_keys.edx.keys import CourseKey
from web_fragments.fragment import Fragment
from webob import Request, Response
from xblock.core import XBlock
from xblock.exceptions import NoSuchHandlerError, NoSuchUsage, NotFoundError, ProcessingError
from xblock.fields import ScopeIds
from xblock.runtime import DictKeyValueStore, Runtime

import platform_parts as parts
from platform_overrides import InheritanceMixin, InheritingFieldData, new_request

SPECIFIC_STUDENT_MESSAGE = 'This type of component cannot be shown while viewing the course as a specific student.'


def make_user(username, staff=False, full_name="", email=None):
    first, _, last = full_name.partition(" ")
    return get_user_model().objects.create_user(
        username=username, email=email or f"{username}@school.edu.vn", password="x",
        first_name=first, last_name=last, is_staff=staff)


@contextmanager
def completion_tracking(on):
    """edx-completion's switch (completion/waffle.py ``ENABLE_COMPLETION_TRACKING_SWITCH``)."""
    from waffle.testutils import override_switch  # noqa: PLC0415

    with override_switch("completion.enable_completion_tracking", active=on):
        yield


@XBlock.needs("i18n")
@XBlock.wants("completion")
class PlatformBlockMixin(XBlock):
    """What ``XModuleMixin`` and ``LmsBlockMixin`` (XBLOCK_MIXINS of every platform runtime) give a
    block that our code can notice: ``location``, children that skip what the user may not load,
    ``show_in_read_only_mode = False``, and the 'completion' service asked for on every block.
    Like ``XModuleMixin`` it subclasses ``XBlock``, so its ``get_children`` comes before XBlock's
    in a mixed block's method order (the block's own methods still come first)."""

    has_score = False
    show_in_read_only_mode = False

    @property
    def location(self):
        return self.scope_ids.usage_id

    def get_children(self, usage_id_filter=None, usage_key_filter=None):
        if usage_id_filter is None and usage_key_filter is not None:
            usage_id_filter = usage_key_filter
        return [child for child in super().get_children(usage_id_filter) if child is not None]

    def get_child(self, usage_id):
        try:
            child = super().get_child(usage_id)
        except NoSuchUsage:
            return None
        return child


class Course:
    """The course as the modulestore holds it: block types, authored fields, children."""

    def __init__(self, key="course-v1:SoGD+TOAN10+2025"):
        self.key = CourseKey.from_string(key)
        self.kvs = DictKeyValueStore()
        self.types = {}
        self.roles = {}
        self.denied = {}

    def add(self, block_type, parent=None, block_id=None, **fields):
        usage = self.key.make_usage_key(block_type, block_id or f"{block_type}{len(self.types) + 1}")
        self.types[usage] = block_type
        author = _AuthoringRuntime(self)
        block = author.get_block(usage)
        for name, value in fields.items():
            setattr(block, name, value)
        if parent is not None:
            block.parent = parent
            parent_block = author.get_block(parent)
            parent_block.children = [*parent_block.children, usage]
            parent_block.save()
        block.save()
        return usage

    def hide(self, usage, hidden=True):
        block = _AuthoringRuntime(self).get_block(usage)
        block.visible_to_staff_only = hidden
        block.save()

    def deny(self, usage, user):
        self.denied.setdefault(user.id, set()).add(usage)

    def grant(self, user, *roles):
        self.roles.setdefault(user.id, set()).update(roles)

    def lms(self, user, masquerade=None, preferences=None):
        return LmsRuntime(self, user, masquerade=masquerade, preferences=preferences)

    def studio(self, user):
        return StudioRuntime(self, user)


class _PlatformRuntime(Runtime):
    """``ModuleStoreRuntime``'s block loading and service rules over a ``Course``."""

    field_data_wrappers = ()

    def __init__(self, course, user, services):
        new_request()
        super().__init__(parts.OpaqueKeyReader(), None, mixins=(PlatformBlockMixin, InheritanceMixin),
                         services=services)
        self.course = course
        self.user = user
        self.tracked = []
        self.get_block_for_descriptor = None

    def load_item(self, usage_id, for_parent=None):
        if usage_id not in self.course.types:
            raise NoSuchUsage(repr(usage_id))
        block_type = self.course.types[usage_id]
        field_data = InheritingFieldData(InheritanceMixin.fields.keys(), kvs=self.course.kvs)
        keys = ScopeIds(getattr(self.user, "id", None), block_type, usage_id, usage_id)
        block = self.construct_xblock(block_type, keys, field_data=field_data, for_parent=for_parent)
        for wrapper in self.field_data_wrappers:
            block._field_data = wrapper(block, block._field_data)  # noqa: SLF001 - as the modulestore does
        return block

    def get_block(self, usage_id, for_parent=None):
        block = self.load_item(usage_id, for_parent=for_parent)
        if self.get_block_for_descriptor:
            return self.get_block_for_descriptor(block)
        return block

    def service(self, block, service_name):
        service = super().service(block, service_name)
        return service(block) if callable(service) else service

    def local_resource_url(self, block, uri):
        return parts.local_resource_url(block, uri)

    def resource_url(self, resource):
        raise NotImplementedError("edX Platform doesn't currently implement XBlock resource urls")

    def publish(self, block, event_type, event_data):
        if publish_service := self._services.get("publish"):
            publish_service.publish(block, event_type, event_data)

    def _block(self, usage_or_block):
        return self.get_block(usage_or_block) if not isinstance(usage_or_block, XBlock) else usage_or_block

    def call(self, usage, handler, data=None, method="POST", files=None, suffix="", query="", body=None):
        """Call a handler as a browser would; (status, parsed JSON or the raw body)."""
        path = f"/?{query}" if query else "/"
        if files:
            fields = {k: str(v) for k, v in (data or {}).items()}
            request = Request.blank(path, POST={**fields, **files})
        else:
            raw = body if body is not None else (json.dumps(data or {}).encode() if method == "POST" else None)
            request = Request.blank(path, method=method, body=raw, content_type="application/json")
        response = self.invoke_handler(usage, handler, request, suffix)
        try:
            return response.status_code, json.loads(response.body.decode("utf-8"))
        except ValueError:
            return response.status_code, response.body


class _AuthoringRuntime(_PlatformRuntime):
    """Writes authored fields (no user, no access checks)."""

    def __init__(self, course):
        super().__init__(course, None, services={})

    def handler_url(self, *args, **kwargs):
        raise NotImplementedError


class LmsRuntime(_PlatformRuntime):
    """The LMS: ``prepare_runtime_for_user`` services, access-checked ``get_block``."""

    def __init__(self, course, user, masquerade=None, preferences=None):
        from completion.services import CompletionService  # noqa: PLC0415

        user = _fresh(user)
        self.real_user = user
        user = self._masquerade(course, user, masquerade)
        key = course.key
        roles = course.roles
        user_is_staff = parts.has_course_access(roles, user, 'staff', key)
        services = {
            'user': parts.DjangoXBlockUserService(
                user,
                user_is_beta_tester='beta_tester' in roles.get(user.id, set()),
                user_is_staff=user_is_staff,
                user_is_global_staff=parts.is_global_staff(user),
                user_role=parts.lms_user_role(roles, user, key),
                anonymous_user_id=parts.anonymous_id_for_user(user, key),
                deprecated_anonymous_user_id=parts.anonymous_id_for_user(user, None),
                user_preferences=preferences or {},
            ),
            'completion': CompletionService(user=user, context_key=key) if user and user.is_authenticated else None,
            'i18n': parts.XBlockI18nService,
        }
        super().__init__(course, user, services)
        self._services['publish'] = parts.EventPublishingService(user, key, self.tracked)
        self.field_data_wrappers = tuple(parts.load_function(p) for p in settings.XBLOCK_FIELD_DATA_WRAPPERS)
        self.get_block_for_descriptor = self._access_checked
        self.is_author_mode = False

    @staticmethod
    def _masquerade(course, user, masquerade):
        """lms/djangoapps/courseware/masquerade.py, ``setup_masquerade`` (staff only)."""
        if masquerade is None or not parts.has_course_access(course.roles, user, 'staff', course.key):
            return user
        if isinstance(masquerade, str):
            user.masquerade_settings = {course.key: parts.CourseMasquerade(course.key, role=masquerade)}
            return user
        learner = get_user_model().objects.get(pk=masquerade.pk)
        settings_ = {course.key: parts.CourseMasquerade(course.key, role='student', user_name=learner.username)}
        user.masquerade_settings = settings_
        learner.masquerade_settings = settings_
        learner.real_user = user
        return learner

    def may_load(self, block):
        """``has_access(user, 'load', block, course_key)`` for the rules the tier models."""
        user, key = self.user, self.course.key
        staff = parts.has_course_access(self.course.roles, user, 'staff', key)
        if block.scope_ids.usage_id in self.course.denied.get(getattr(user, 'id', None), ()) and not staff:
            return False
        if staff:
            return True
        return not block.visible_to_staff_only

    def _access_checked(self, block):
        return block if self.may_load(block) else None

    def handler_url(self, block, handler_name, suffix='', query='', thirdparty=False):
        return parts.lms_handler_url(block, handler_name, suffix, query, thirdparty)

    def wrap_xblock(self, block, view, frag, context):
        if parts.is_masquerading_as_specific_student(self.user, self.course.key) and not getattr(
                block, 'show_in_read_only_mode', False):
            frag = Fragment(SPECIFIC_STUDENT_MESSAGE)
        return super().wrap_xblock(block, view, frag, context)

    def render(self, block, view_name=None, context=None):
        """XBlock's ``Runtime.render``; also takes a usage key (then student_view by default)."""
        block = self._block(block)
        return super().render(block, view_name or "student_view", {} if context is None else context)

    def invoke_handler(self, usage, handler, request, suffix=""):
        """``handle_xblock_callback`` and ``_invoke_xblock_handler``: unauthenticated non-GET → 403,
        files over the limits → 413 ``{"success": msg}``, a block the user may not load → 404,
        ``ProcessingError`` → 200 ``{"success": msg}``."""
        if request.method != 'GET' and not (self.user and self.user.is_authenticated):
            return Response('Unauthenticated', status=403, charset='utf-8')
        error_msg = parts.check_files_limits(request)
        if error_msg:
            return _json({'success': error_msg}, 413)
        block = self.get_block(usage) if not isinstance(usage, XBlock) else self._access_checked(usage)
        if block is None:
            return Response(status=404)
        try:
            return block.handle(handler, request, suffix)
        except (NoSuchHandlerError, NotFoundError):
            return Response(status=404)
        except ProcessingError as err:
            return _json({'success': err.args[0]}, 200)


class StudioRuntime(_PlatformRuntime):
    """Studio's preview runtime: ``_prepare_runtime_for_preview`` services, no access check, no
    completion, handler URLs of ``preview_handler``."""

    def __init__(self, course, user):
        user = _fresh(user)
        key = course.key
        services = {
            'studio_user_permissions': parts.StudioPermissionsService(
                user, lambda context_key: course.roles if str(context_key) == str(key) else {}),
            'i18n': parts.XBlockI18nService,
            'user': parts.DjangoXBlockUserService(
                user,
                user_role=parts.studio_user_role(course.roles, user, key),
                anonymous_user_id='student',
                deprecated_anonymous_user_id=parts.anonymous_id_for_user(user, None),
            ),
        }
        super().__init__(course, user, services)
        self.is_author_mode = True

    def handler_url(self, block, handler_name, suffix='', query='', thirdparty=False):
        return parts.preview_handler_url(block, handler_name, suffix, query, thirdparty)

    def render(self, block, view_name=None, context=None):
        """XBlock's ``Runtime.render``; also takes a usage key. ``get_preview_fragment``: by
        default author_view if the class says ``has_author_view``, else student_view; the
        context has the ``reorderable_items`` set Studio's container page gives."""
        block = self._block(block)
        view_name = view_name or ("author_view" if getattr(block, "has_author_view", False) else "student_view")
        context = {"root_xblock": block} if context is None else context
        context.setdefault("reorderable_items", set())
        return super().render(block, view_name, context)

    def invoke_handler(self, usage, handler, request, suffix=""):
        """``preview_handler``: login required (302), unknown handler 404, ``ProcessingError`` 400."""
        if not (self.user and self.user.is_authenticated):
            return Response(status=302, location="/signin_redirect_to_lms")
        block = self._block(usage)
        try:
            return block.handle(handler, request, suffix)
        except (NoSuchHandlerError, NotFoundError):
            return Response(status=404)
        except ProcessingError:
            return Response(status=400)


def _json(body, status):
    """``common.djangoapps.util.json_request.JsonResponse``."""
    return Response(json.dumps(body), status=status, content_type='application/json', charset='utf-8')


def _fresh(user):
    """The request's own user object (as ``request.user`` is per request): a masquerade set on
    one runtime does not leak into the next."""
    if user is None or not user.is_authenticated:
        return user
    fresh = get_user_model().objects.get(pk=user.pk)
    fresh.profile = SimpleNamespace(name=fresh.get_full_name())  # the platform's UserProfile.name
    return fresh
