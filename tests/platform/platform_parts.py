"""The platform parts our blocks meet that are not pip-installable, copied from openedx-platform
(each cites its file and function). The runtimes of runtime.py put them together the way
lms/djangoapps/courseware/block_render.py (``prepare_runtime_for_user``) and
cms/djangoapps/contentstore/views/preview.py (``_prepare_runtime_for_preview``) do.

Course roles live on the ``Course`` of runtime.py instead of the platform's ``CourseAccessRole``
table; global staff is ``user.is_staff`` as in common/djangoapps/student/roles.py ``GlobalStaff``.
"""
import gettext
import hashlib
import re
from dataclasses import dataclass
from importlib import resources

from django.conf import settings
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import get_language, to_locale
from xblock.reference.user_service import UserService, XBlockUser
from xblock.runtime import IdReader

# common/djangoapps/xblock_django/constants.py
ATTR_KEY_ANONYMOUS_USER_ID = 'edx-platform.anonymous_user_id'
ATTR_KEY_DEPRECATED_ANONYMOUS_USER_ID = 'edx-platform.deprecated_anonymous_user_id'
ATTR_KEY_REQUEST_COUNTRY_CODE = 'edx-platform.request_country_code'
ATTR_KEY_IS_AUTHENTICATED = 'edx-platform.is_authenticated'
ATTR_KEY_USER_ID = 'edx-platform.user_id'
ATTR_KEY_USERNAME = 'edx-platform.username'
ATTR_KEY_USER_IS_BETA_TESTER = 'edx-platform.user_is_beta_tester'
ATTR_KEY_USER_IS_GLOBAL_STAFF = 'edx-platform.user_is_global_staff'
ATTR_KEY_USER_IS_STAFF = 'edx-platform.user_is_staff'
ATTR_KEY_USER_PREFERENCES = 'edx-platform.user_preferences'
ATTR_KEY_USER_ROLE = 'edx-platform.user_role'

USER_PREFERENCES_WHITE_LIST = ['pref-lang', 'time_zone']


# ---------------------------------------------------------------- addresses

def _quote_slashes(match):
    matched = match.group(0)
    if matched == ';':
        return ';;'
    return ';_'


def quote_slashes(text):
    """openedx/core/lib/url_utils.py, ``quote_slashes``."""
    return re.sub(r'[;/]', _quote_slashes, text)


def lms_handler_url(block, handler_name, suffix='', query='', thirdparty=False):
    """lms/djangoapps/lms_xblock/runtime.py, ``handler_url``: "?" only when there is a query,
    no trailing "/" without a suffix."""
    view_name = 'xblock_handler'
    if handler_name:
        func = getattr(block.__class__, handler_name, None)
        if not func:
            raise ValueError(f"{handler_name!r} is not a function name")
    if thirdparty:
        view_name = 'xblock_handler_noauth'
    url = reverse(view_name, kwargs={
        'course_id': str(block.scope_ids.usage_id.context_key),
        'usage_id': quote_slashes(str(block.scope_ids.usage_id)),
        'handler': handler_name,
        'suffix': suffix,
    })
    if not suffix:
        url = url.rstrip('/')
    if query:
        url += '?' + query
    if thirdparty:
        scheme = "https" if settings.HTTPS == "on" else "http"
        url = f'{scheme}://{settings.SITE_NAME}{url}'
    return url


def preview_handler_url(block, handler_name, suffix='', query='', thirdparty=False):
    """cms/djangoapps/contentstore/views/preview.py, ``handler_url``: always ends the path with
    "?" (then the query, if any); ``thirdparty`` is ignored."""
    return reverse('preview_handler', kwargs={
        'usage_key_string': str(block.scope_ids.usage_id),
        'handler': handler_name,
        'suffix': suffix,
    }) + '?' + query


def local_resource_url(block, uri):
    """openedx/core/lib/xblock_utils, ``xblock_local_resource_url`` (its unpipelined branch)."""
    return reverse('xblock_resource_url', kwargs={'block_type': block.scope_ids.block_type, 'uri': uri})


# ---------------------------------------------------------------- roles, access, masquerade

@dataclass
class CourseMasquerade:
    """lms/djangoapps/courseware/masquerade.py, ``CourseMasquerade``."""
    course_key: object
    role: str = 'student'
    user_partition_id: object = None
    group_id: object = None
    user_name: str = None


def get_course_masquerade(user, course_key):
    return getattr(user, 'masquerade_settings', {}).get(course_key, None)


def get_masquerade_role(user, course_key):
    course_masquerade = get_course_masquerade(user, course_key)
    return course_masquerade.role if course_masquerade else None


def is_masquerading_as_student(user, course_key):
    return get_masquerade_role(user, course_key) == 'student'


def is_masquerading_as_specific_student(user, course_key):
    course_masquerade = get_course_masquerade(user, course_key)
    return bool(course_masquerade and course_masquerade.user_name)


def is_global_staff(user):
    """common/djangoapps/student/roles.py, ``GlobalStaff.has_user``."""
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def has_course_access(roles, user, access_level, course_key):
    """lms/djangoapps/courseware/access.py, ``_has_access_to_course`` (``roles``: the course's
    {user id: {"instructor", "staff", "beta_tester"}})."""
    if user is None or not user.is_authenticated:
        return False
    if is_masquerading_as_student(user, course_key):
        return False
    if is_global_staff(user):
        return True
    if access_level not in ('staff', 'instructor'):
        return False
    held = roles.get(user.id, set())
    if 'staff' in held and access_level == 'staff':
        return True
    return 'instructor' in held


def lms_user_role(roles, user, course_key):
    """lms/djangoapps/courseware/access.py, ``get_user_role``."""
    role = get_masquerade_role(user, course_key)
    if role:
        return role
    if has_course_access(roles, user, 'instructor', course_key):
        return 'instructor'
    if has_course_access(roles, user, 'staff', course_key):
        return 'staff'
    return 'student'


def studio_user_role(roles, user, course_key):
    """cms/djangoapps/contentstore/views/access.py, ``get_user_role``: never 'student' in Studio."""
    if is_global_staff(user) or 'instructor' in roles.get(user.id, set()):
        return 'instructor'
    return 'staff'


def studio_permissions(roles, user, course_key):
    """common/djangoapps/student/auth.py, ``get_user_permissions``: (can read, can write)."""
    held = roles.get(getattr(user, 'id', None), set())
    if is_global_staff(user) or held & {'instructor', 'staff'}:
        return True, True
    return False, False


class StudioPermissionsService:
    """openedx/core/djangoapps/content/services.py, ``StudioPermissionsService`` (courses only)."""

    def __init__(self, user, roles_for):
        self._user = user
        self._roles_for = roles_for  # course key -> that course's roles

    def can_read(self, context_key):
        return studio_permissions(self._roles_for(context_key), self._user, context_key)[0]

    def can_write(self, context_key):
        return studio_permissions(self._roles_for(context_key), self._user, context_key)[1]


def anonymous_id_for_user(user, course_id):
    """A stable per-course id like common/djangoapps/student/models ``anonymous_id_for_user``
    (which also stores it; none is stored here)."""
    if user is None or not user.is_authenticated:
        return None
    return hashlib.md5(f"{settings.SECRET_KEY}{user.id}{course_id or ''}".encode()).hexdigest()


# ---------------------------------------------------------------- services

class DjangoXBlockUserService(UserService):
    """common/djangoapps/xblock_django/user_service.py, ``DjangoXBlockUserService``
    (``get_current_user``; preferences are given instead of read from the preferences API)."""

    def __init__(self, django_user, **kwargs):
        self._user_preferences = kwargs.pop('user_preferences', {})
        super().__init__(**{k: v for k, v in kwargs.items() if k not in _USER_KWARGS})
        self._django_user = django_user
        self._user_is_beta_tester = kwargs.get('user_is_beta_tester', False)
        self._user_is_global_staff = kwargs.get('user_is_global_staff', False)
        self._user_is_staff = kwargs.get('user_is_staff', False)
        self._user_role = kwargs.get('user_role', 'student')
        self._anonymous_user_id = kwargs.get('anonymous_user_id', None)
        self._deprecated_anonymous_user_id = kwargs.get('deprecated_anonymous_user_id', None)
        self._request_country_code = kwargs.get('request_country_code', None)

    def get_current_user(self):
        xblock_user = XBlockUser(is_current_user=True)
        django_user = self._django_user
        if django_user is not None and django_user.is_authenticated:
            full_name = django_user.profile.name if hasattr(django_user, 'profile') else None
            xblock_user.full_name = full_name
            xblock_user.emails = [django_user.email]
            xblock_user.opt_attrs[ATTR_KEY_ANONYMOUS_USER_ID] = self._anonymous_user_id
            xblock_user.opt_attrs[ATTR_KEY_DEPRECATED_ANONYMOUS_USER_ID] = self._deprecated_anonymous_user_id
            xblock_user.opt_attrs[ATTR_KEY_IS_AUTHENTICATED] = True
            xblock_user.opt_attrs[ATTR_KEY_REQUEST_COUNTRY_CODE] = self._request_country_code
            xblock_user.opt_attrs[ATTR_KEY_USER_ID] = django_user.id
            xblock_user.opt_attrs[ATTR_KEY_USERNAME] = django_user.username
            xblock_user.opt_attrs[ATTR_KEY_USER_IS_BETA_TESTER] = self._user_is_beta_tester
            xblock_user.opt_attrs[ATTR_KEY_USER_IS_GLOBAL_STAFF] = self._user_is_global_staff
            xblock_user.opt_attrs[ATTR_KEY_USER_IS_STAFF] = self._user_is_staff
            xblock_user.opt_attrs[ATTR_KEY_USER_ROLE] = self._user_role
            xblock_user.opt_attrs[ATTR_KEY_USER_PREFERENCES] = {
                pref: self._user_preferences.get(pref)
                for pref in USER_PREFERENCES_WHITE_LIST
                if pref in self._user_preferences
            }
        else:
            xblock_user.opt_attrs[ATTR_KEY_IS_AUTHENTICATED] = False
            xblock_user.opt_attrs[ATTR_KEY_REQUEST_COUNTRY_CODE] = self._request_country_code
        return xblock_user


_USER_KWARGS = {'user_is_beta_tester', 'user_is_global_staff', 'user_is_staff', 'user_role', 'anonymous_user_id',
                'deprecated_anonymous_user_id', 'request_country_code'}


class EventPublishingService:
    """xmodule/services.py, ``EventPublishingService``: a 'completion' event goes to the
    completion service only while its switch is on and not while viewing as a specific learner;
    every other event goes to the tracking log (``tracked`` here); 'grade' events are recorded."""

    def __init__(self, user, course_id, tracked):
        self.user = user
        self.course_id = course_id
        self.tracked = tracked
        self.completion_service = None

    def publish(self, block, event_type, event):
        self.completion_service = block.runtime.service(block, 'completion')
        handle_event = self._get_event_handler(event_type)
        if handle_event and not is_masquerading_as_specific_student(self.user, self.course_id):
            handle_event(block, event)
        else:
            self.tracked.append((event_type, event))

    def _get_event_handler(self, event_type):
        handlers = {'grade': lambda block, event: self.tracked.append(('grade', event))}
        if self.completion_service and self.completion_service.completion_tracking_enabled():
            handlers.update({
                'completion': lambda block, event: self.completion_service.submit_completion(
                    block.scope_ids.usage_id, event['completion']
                ),
                'progress': self._handle_deprecated_progress_event,
            })
        return handlers.get(event_type)

    def _handle_deprecated_progress_event(self, block, event):
        requested_user_id = event.get('user_id', self.user.id)
        if requested_user_id != self.user.id:
            return
        if not getattr(block, 'has_custom_completion', False):
            self.completion_service.submit_completion(block.scope_ids.usage_id, 1.0)


def python_locale_root():
    """xmodule/modulestore/api.py, ``get_python_locale_root``."""
    return f"{settings.REPO_ROOT}/conf/plugins-locale/xblock.v1"


class XBlockI18nService:
    """xmodule/modulestore/django.py, ``XBlockI18nService``: the atlas folder
    ``conf/plugins-locale/xblock.v1/<root module>`` wins when it exists (domain ``django``),
    otherwise ``<root module>/translations`` (domain ``text``); a missing catalog falls back to
    Django's translation."""

    def __init__(self, block=None):
        import django.utils.translation  # noqa: PLC0415

        self.translator = django.utils.translation
        if block:
            domain, locale_dir = self.get_python_locale(block)
            selected_language = get_language()
            if locale_dir:
                try:
                    self.translator = gettext.translation(
                        domain, locale_dir, [to_locale(selected_language or settings.LANGUAGE_CODE)])
                except OSError:
                    pass

    def get_python_locale(self, block):
        module_name = getattr(block, 'unmixed_class', block.__class__).__module__.split('.')[0]
        atlas = f"{python_locale_root()}/{module_name}"
        import os  # noqa: PLC0415

        if os.path.isdir(atlas):
            return 'django', atlas
        with resources.as_file(resources.files(module_name) / 'translations') as deprecated:
            return 'text', str(deprecated)

    def __getattr__(self, name):
        name = 'gettext' if name == 'ugettext' else name
        return getattr(self.translator, name)


# ---------------------------------------------------------------- loading and handler checks

class OpaqueKeyReader(IdReader):
    """xmodule/x_module.py, ``OpaqueKeyReader``; a usage is its own definition here."""

    def get_definition_id(self, usage_id):
        return usage_id

    def get_block_type(self, def_id):
        return def_id.block_type

    def get_usage_id_from_aside(self, aside_id):
        return aside_id.usage_key

    def get_definition_id_from_aside(self, aside_id):
        return aside_id.definition_key

    def get_aside_type_from_usage(self, aside_id):
        return aside_id.aside_type

    def get_aside_type_from_definition(self, aside_id):
        return aside_id.aside_type


def load_function(path):
    """xmodule/util ``load_function``: "module:attr.attr"."""
    module, _, attrs = path.partition(":")
    target = import_string(f"{module}.{attrs.split('.')[0]}")
    for attr in attrs.split(".")[1:]:
        target = getattr(target, attr)
    return target


def check_files_limits(request):
    """block_render.py, ``_check_files_limits`` (``MAX_FILEUPLOADS_PER_INPUT``,
    ``STUDENT_FILEUPLOAD_MAX_SIZE``), over the files of a webob request."""
    if request.method != "POST" or not request.content_type.startswith("multipart/"):
        return None
    for fileinput_id in set(request.POST.keys()):
        inputfiles = [f for f in request.POST.getall(fileinput_id) if hasattr(f, "filename")]
        if len(inputfiles) > settings.MAX_FILEUPLOADS_PER_INPUT:
            return 'Submission aborted! Maximum %d files may be submitted at once' % settings.MAX_FILEUPLOADS_PER_INPUT
        for inputfile in inputfiles:
            inputfile.file.seek(0, 2)
            size = inputfile.file.tell()
            inputfile.file.seek(0)
            if size > settings.STUDENT_FILEUPLOAD_MAX_SIZE:
                return 'Submission aborted! Your file "%s" is too large (max size: %d MB)' % (
                    inputfile.filename, settings.STUDENT_FILEUPLOAD_MAX_SIZE / (1000 ** 2))
    return None
