"""Everything we take from the platform, each behind a function with a workbench fallback.

No other module imports openedx-platform code. When the platform changes, this is the one file
to read. In the xblock-sdk workbench the fallbacks use our demo directory and settings.
"""
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string
from xblock.exceptions import NoSuchServiceError

from .core import config


@dataclass(frozen=True)
class UserInfo:
    user_key: str
    username: str
    full_name: str
    email: str


def usage_key_of(block):
    return str(block.scope_ids.usage_id)


def course_key_of(block):
    """The course's key as text: the opaque key in the LMS and Studio, a setting in the workbench."""
    key = getattr(block.scope_ids.usage_id, "course_key", None)
    if key is not None:
        return str(key)
    return config.get("DEFAULT_COURSE_KEY")


def org_of(block):
    """The organisation (school) that owns the block's course."""
    key = getattr(block.scope_ids.usage_id, "course_key", None)
    if key is not None and getattr(key, "org", None):
        return key.org
    return config.get("DEFAULT_ORG")


def is_studio():
    """True inside the CMS process (Studio), by its URL configuration. Not a permission: Studio's
    handlers need only a login; ``studio_can_write`` is the platform's answer for authorship."""
    return str(getattr(settings, "ROOT_URLCONF", "")).startswith("cms.")


def _context_key(block):
    """The course key as the platform's services take it: the opaque key (``context_key``, or
    ``course_key`` on older keys); the workbench's key setting where usage ids are plain text."""
    usage = block.scope_ids.usage_id
    return getattr(usage, "context_key", None) or getattr(usage, "course_key", None) or course_key_of(block)


def studio_permissions(block):
    """Studio's ``studio_user_permissions`` service for the request's user, or None.

    Only the CMS gives it, in both of its runtimes: the preview (openedx-platform,
    cms/djangoapps/contentstore/views/preview.py, ``_prepare_runtime_for_preview``) and the editor's
    handlers (cms/djangoapps/contentstore/xblock_storage_handlers/view_handlers.py,
    ``load_services_for_studio``); the LMS and the workbench have none. A block asks for it with
    ``@XBlock.wants("studio_user_permissions")``."""
    try:
        return block.runtime.service(block, "studio_user_permissions")
    except NoSuchServiceError:  # a block that did not declare it
        return None


def in_studio(block):
    """Does this request run in Studio? There the role string of the user service says nothing
    (every user who previews is "staff", the editor's handlers say "student"), handlers need only
    a login, and the platform saves field changes only for course authors."""
    return studio_permissions(block) is not None or is_studio()


def studio_can_write(block):
    """May the request's user change this block's course in Studio? The platform's own answer
    (``StudioPermissionsService.can_write``, openedx-platform,
    openedx/core/djangoapps/content/services.py), the same check by which the editor's handler
    (cms/djangoapps/contentstore/views/component.py, ``component_handler``) saves the block's
    fields after the handler ran, or drops them quietly. False where there is no such service."""
    permissions = studio_permissions(block)
    return bool(permissions is not None and permissions.can_write(_context_key(block)))


def studio_can_read(block):
    """May the request's user read this block's course in Studio (``can_read``)? Authors can;
    so can the course team's read-only members. False where there is no such service."""
    permissions = studio_permissions(block)
    return bool(permissions is not None and permissions.can_read(_context_key(block)))


def viewing_as_learner(block):
    """Is a staff member viewing the course as one specific learner (the LMS's "View this course
    as: Specific learner")?

    The LMS then binds the block to the learner's account, so the user service answers with the
    learner's id and role; the account carries the staff member in ``real_user`` and the
    masquerade in ``masquerade_settings`` (openedx-platform, lms/djangoapps/courseware/masquerade.py,
    ``setup_masquerade``). The user service keeps that account (``DjangoXBlockUserService``,
    common/djangoapps/xblock_django/user_service.py) and offers no other way to tell."""
    try:
        service = block.runtime.service(block, "user")
    except NoSuchServiceError:
        return False
    account = getattr(service, "_django_user", None)
    if account is None:
        return False
    if getattr(account, "real_user", None) not in (None, account):
        return True
    masquerade = (getattr(account, "masquerade_settings", None) or {}).get(_context_key(block))
    return bool(getattr(masquerade, "user_name", None))


# ------------------------------------------------------------------ who may reach a material's parts
# docs/decisions/0007-gating-through-the-platforms-visibility.md

try:  # openedx-platform, lms/djangoapps/courseware/field_overrides.py
    from lms.djangoapps.courseware.field_overrides import FieldOverrideProvider
except ImportError:  # the workbench and the tests: the same interface, consulted by no runtime
    class FieldOverrideProvider:
        """The platform's provider interface: one per wrapped block's field data, made with
        ``(user, fallback_field_data)`` (user None for modulestore-level providers)."""

        def __init__(self, user, fallback_field_data):
            self.user = user
            self.fallback_field_data = fallback_field_data


_LOCAL_CACHES = {}


def request_cache(namespace):
    """A dict that lives as long as the current request: kept in edx-django-utils' default
    request cache (as the platform's own field overrides keep theirs:
    lms/djangoapps/courseware/field_overrides.py), which the platform empties at the start and
    end of every request (edx_django_utils/cache/middleware.py, ``RequestCacheMiddleware``) and
    after every Celery task (openedx/core/djangoapps/util/signals.py, ``_clear_request_cache``).
    Without that library (the workbench) a plain dict per namespace, which nothing empties:
    nothing reads it there but the tests."""
    try:
        from edx_django_utils.cache import DEFAULT_REQUEST_CACHE  # noqa: PLC0415
    except ImportError:
        return _LOCAL_CACHES.setdefault(namespace, {})
    return DEFAULT_REQUEST_CACHE.data.setdefault(namespace, {})


def key_parts(usage_key):
    """(org, block type, block id) of one of the platform's usage keys (the opaque key or its
    text), or None for anything else (the workbench's ids)."""
    try:
        from opaque_keys import InvalidKeyError  # noqa: PLC0415
        from opaque_keys.edx.keys import UsageKey  # noqa: PLC0415
    except ImportError:
        return None
    if not isinstance(usage_key, UsageKey):
        try:
            usage_key = UsageKey.from_string(str(usage_key))
        except InvalidKeyError:
            return None
    course = getattr(usage_key, "context_key", None) or getattr(usage_key, "course_key", None)
    return getattr(course, "org", None), usage_key.block_type, usage_key.block_id


def plain_key(key):
    """The text of a usage or course key as addresses and our records write it: without the
    branch and version a key read inside the modulestore may carry (openedx-platform,
    xmodule/modulestore/mixed.py, ``strip_key``, removes them only from what it returns)."""
    for method, args in (("for_branch", (None,)), ("version_agnostic", ())):
        strip = getattr(key, method, None)
        if callable(strip):
            key = strip(*args)
    return str(key)


def inherited_field_names():
    """The fields a block inherits from its ancestors in the platform (start, due, showanswer,
    visible_to_staff_only…: openedx-platform, xmodule/modulestore/inheritance.py,
    ``InheritanceMixin``); empty outside the platform."""
    try:
        from xmodule.modulestore.inheritance import InheritanceMixin  # noqa: PLC0415
    except ImportError:
        return frozenset()
    return frozenset(InheritanceMixin.fields)


def visibility_changed(course_key, regrade=False):
    """After learners' access to some blocks of a course changed: drop the course's collected
    block structure, so the next Course Blocks API, mobile outline or grade computation collects
    it again with the new visibility (the platform recollects only when a course is published:
    openedx/core/djangoapps/content/block_structure/signals.py); with ``regrade``, recompute every
    learner's grade, whose persisted subsection grades would otherwise keep the old possible
    points (lms/djangoapps/grades/tasks.py, ``compute_all_grades_for_course``). Answers whether
    the platform was there to be told."""
    try:
        from opaque_keys.edx.keys import CourseKey  # noqa: PLC0415
        from openedx.core.djangoapps.content.block_structure.api import clear_course_from_cache  # noqa: PLC0415
    except ImportError:
        return False
    key = CourseKey.from_string(str(course_key))
    clear_course_from_cache(key)
    if regrade:
        from lms.djangoapps.grades.tasks import compute_all_grades_for_course  # noqa: PLC0415

        compute_all_grades_for_course.apply_async(kwargs={"course_key": str(key)})
    return True


def jump_url(course_key, usage_key):
    """A link that opens a block in the LMS, or "" where the runtime has no such address."""
    if not course_key.startswith("course-v1:") or not usage_key.startswith("block-v1:"):
        return ""
    return f"/courses/{course_key}/jump_to/{usage_key}"


def lookup_user(username):
    """A platform account by username, or None.

    The LMS and Studio keep accounts in Django's user model (numeric id = our user key). The
    workbench has no accounts; ``VN_ONLINE_TEACHING["USER_DIRECTORY"]`` names a function that
    answers for the demo people.
    """
    directory = (getattr(settings, "VN_ONLINE_TEACHING", {}) or {}).get("USER_DIRECTORY")
    if directory:
        return import_string(directory)(username)
    from django.contrib.auth import get_user_model  # noqa: PLC0415

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        return None
    full_name = getattr(getattr(user, "profile", None), "name", "") or user.get_full_name()
    return UserInfo(str(user.pk), user.username, full_name or "", user.email or "")


def completion_service(block):
    """The platform's completion service for this request, or None where nothing may be recorded.

    The LMS gives blocks that want it edx-completion's ``CompletionService`` for the request's
    user (None for an anonymous one): openedx-platform, lms/djangoapps/courseware/block_render.py,
    ``prepare_runtime_for_user``. Studio and the workbench have none. Recording while the switch
    ``completion.enable_completion_tracking`` is off raises RuntimeError (openedx/completion,
    completion/models.py, ``BlockCompletionManager.submit_completion``), so an off switch
    answers None too: a teacher's saved roll must never turn into an error afterwards.
    """
    try:
        service = block.runtime.service(block, "completion")
    except NoSuchServiceError:  # a block that did not declare it
        return None
    if service is None or not service.completion_tracking_enabled():
        return None
    return service


def complete_for_learners(block, user_keys):
    """Mark the block complete for the learners a teacher marked present, in one call to the
    service (``submit_group_completion``), whose user is the teacher. Answers how many learners
    were recorded.

    The service refuses the whole group when one id has no account (``User.DoesNotExist``), so
    only the accounts that exist are passed, read in one query; user keys that are not platform
    ids (the workbench's demo people) are never accounts.
    """
    service = completion_service(block)
    ids = sorted({int(key) for key in map(str, user_keys) if key.isascii() and key.isdigit() and len(key) < 19})
    if service is None or not ids:
        return 0
    from django.contrib.auth import get_user_model  # noqa: PLC0415

    users = list(get_user_model().objects.filter(pk__in=ids))
    if users:
        service.submit_group_completion(block.scope_ids.usage_id, 1.0, users=users)
    return len(users)


def complete_for_current_user(block):
    """Mark the block complete for the person making the request (a student checking in).
    Answers whether completion is recorded here.

    This is XBlock's own completion event (openedx/XBlock, xblock/completable.py,
    ``CompletableXBlockMixin.emit_completion``): the LMS hands it to the same completion service,
    for the request's user, and drops it while staff view the course as a specific learner, so
    their clicks never complete a learner's block (openedx-platform, xmodule/services.py,
    ``EventPublishingService.publish``).
    """
    if completion_service(block) is None:
        return False
    block.runtime.publish(block, "completion", {"completion": 1.0})
    return True


# ------------------------------------------------------------------ grades and completion for any learner
# docs/decisions/0010-grades.md

def _platform_user(user_key):
    """The platform account whose id is ``user_key``, or None (the workbench's demo people)."""
    key = str(user_key)
    if not (key.isascii() and key.isdigit() and len(key) < 19):
        return None
    from django.contrib.auth import get_user_model  # noqa: PLC0415

    return get_user_model().objects.filter(pk=int(key)).first()


def _modulestore_block(usage_key):
    """The block as the modulestore holds it (its settings: ``weight``), for a score sent with no
    request (openedx-platform, xmodule/modulestore/django.py, ``modulestore().get_item``)."""
    from opaque_keys.edx.keys import UsageKey  # noqa: PLC0415
    from xmodule.modulestore.django import modulestore  # noqa: PLC0415

    return modulestore().get_item(UsageKey.from_string(str(usage_key)))


def publish_grade(usage_key, user_key, earned, possible, block=None, deleted=False):
    """Set one learner's score of a block in the platform's gradebook, from any request or none
    (a teacher releasing a class's results, the periodic job, a command). Answers whether a score
    was sent.

    The platform's grade event is for the request's user only (openedx-platform, xmodule/services.py,
    ``EventPublishingService._handle_grade_event`` sends ``SCORE_PUBLISHED`` with ``self.user``), so
    we send the same signal with the learner as ``user``
    (lms/djangoapps/grades/signals/signals.py): its receiver
    (lms/djangoapps/grades/signals/handlers.py, ``score_published_handler``) stores the raw score in
    the learner's StudentModule (lms/djangoapps/courseware/model_data.py, ``set_score``) and weights
    it by the block's ``weight`` before the subsection grade is computed again. edx-submissions'
    ``set_score`` is not used: its scores are whole numbers (submissions/models.py, ``Score``) and
    ours have one decimal. ``deleted`` says the score was taken back (``score_deleted``).
    In the workbench the request's block publishes the event to its runtime, which logs it."""
    try:
        from lms.djangoapps.grades.signals.signals import SCORE_PUBLISHED  # noqa: PLC0415
    except ImportError:
        if block is None:
            return False
        block.runtime.publish(block, "grade", {"value": earned, "max_value": possible, "user_id": str(user_key),
                                               "score_deleted": deleted})
        return True
    user = _platform_user(user_key)
    if user is None:
        return False
    SCORE_PUBLISHED.send(sender=None, block=block if block is not None else _modulestore_block(usage_key),
                         user=user, raw_earned=earned, raw_possible=possible, only_if_higher=False,
                         score_deleted=deleted, grader_response=None)
    return True


def complete_for_user_keys(usage_key, user_keys):
    """Mark a block complete for learners with no runtime at hand (the periodic job ending an
    attempt, or another person's request): edx-completion's own manager, as its service does
    (openedx/completion, completion/services.py, ``submit_completion`` →
    completion/models.py, ``BlockCompletionManager.submit_completion``), only while the switch
    ``completion.enable_completion_tracking`` is on (the manager raises otherwise). Answers how
    many learners were recorded."""
    from django.apps import apps  # noqa: PLC0415

    if not apps.is_installed("completion"):
        return 0
    from completion.models import BlockCompletion  # noqa: PLC0415
    from completion.waffle import ENABLE_COMPLETION_TRACKING_SWITCH  # noqa: PLC0415
    from opaque_keys.edx.keys import UsageKey  # noqa: PLC0415

    if not ENABLE_COMPLETION_TRACKING_SWITCH.is_enabled():
        return 0
    users = [user for user in map(_platform_user, dict.fromkeys(map(str, user_keys))) if user is not None]
    key = UsageKey.from_string(str(usage_key))
    for user in users:
        BlockCompletion.objects.submit_completion(user=user, block_key=key, completion=1.0)
    return len(users)


# ------------------------------------------------------------------ long jobs (archive exports)

def background_task(fn):
    """``fn`` as a Celery task (celery's ``shared_task``: the platform's workers bind it to their
    app, openedx-platform openedx/core/lib/celery/__init__.py), or ``fn`` itself without Celery."""
    try:
        from celery import shared_task  # noqa: PLC0415
    except ImportError:
        return fn
    return shared_task(name=f"{fn.__module__}.{fn.__name__}", ignore_result=True)(fn)


def run_in_background(task, *args):
    """Queue ``task`` for the platform's Celery workers, or run it now (the workbench, the tests).

    Queued only where the settings name a broker (the platform's BROKER_URL, lms/envs/production.py;
    Tutor's CELERY_BROKER_URL) and tasks are not run eagerly (CELERY_TASK_ALWAYS_EAGER /
    CELERY_ALWAYS_EAGER, as in the platform's test settings): the workbench has Celery installed
    but no broker, where ``delay`` would wait for one. Answers whether the task was queued."""
    if queues_tasks() and hasattr(task, "delay"):
        task.delay(*args)
        return True
    getattr(task, "run", task)(*args)
    return False


def queues_tasks():
    """Do tasks go to Celery's workers here? (see ``run_in_background``)"""
    broker = getattr(settings, "CELERY_BROKER_URL", "") or getattr(settings, "BROKER_URL", "")
    eager = getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False) or getattr(settings, "CELERY_ALWAYS_EAGER", False)
    return bool(broker) and not eager
