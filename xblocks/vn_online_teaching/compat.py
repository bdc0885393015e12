"""Everything we take from the platform, each behind a function with a workbench fallback.

No other module imports openedx-platform code. When the platform changes, this is the one file
to read. In the xblock-sdk workbench the fallbacks use our demo directory and settings.
"""
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

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
    """True inside Studio (the CMS): there every user reaching a block's editor is course staff,
    checked by the platform, and the user service carries no course role."""
    return str(getattr(settings, "ROOT_URLCONF", "")).startswith("cms.")


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


def mark_complete(user_key, block):
    """Record block completion for a learner whom a teacher marked present.

    A student's own check-in publishes completion through the runtime; a teacher's mark is made
    in the teacher's request, where the runtime can only speak for the teacher, so the LMS's
    completion records (edx-completion) are written directly. Without that app (the workbench,
    Studio) nothing is recorded and False is returned.
    """
    try:
        from completion.models import BlockCompletion  # noqa: PLC0415
    except ImportError:
        return False
    from django.contrib.auth import get_user_model  # noqa: PLC0415

    user = get_user_model().objects.filter(pk=int(user_key)).first() if str(user_key).isdigit() else None
    if user is None:
        return False
    BlockCompletion.objects.submit_completion(user=user, block_key=block.scope_ids.usage_id, completion=1.0)
    return True
