"""Who is asking.

Every block turns the runtime's user service into one ``Actor`` here and nowhere else. In the
LMS the user service carries ``edx-platform.*`` attributes; the workbench demo's user service
(``demo.users``) provides the same attributes, so both runtimes take the same path.

``platform_role`` is the course role the school's fallback may read (core/roles.py: course staff
act as teachers where the school assigned no role). It is the user service's role string except
where that string says nothing about this course (docs/decisions/0008-studio-and-platform-roles.md):

- in Studio every user who previews a block is "staff" and the editor's handlers say "student"
  (openedx-platform, cms/djangoapps/contentstore/views/preview.py, ``_prepare_runtime_for_preview``
  and cms/djangoapps/contentstore/views/access.py, ``get_user_role``), whatever their access to the
  course; Studio authorship is the platform's ``can_write`` (compat.studio_can_write);
- the LMS gives global staff "instructor" in every course of the site
  (lms/djangoapps/courseware/access.py, ``get_user_role`` and ``_has_access_to_course``).

In both cases the actor counts as a student for the fallback: they act in a school through the
roles the school assigned them, never through the platform's role string.
"""
from dataclasses import dataclass

STUDENT = "student"
STAFF = "staff"
INSTRUCTOR = "instructor"
ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class Actor:
    user_key: str
    username: str
    full_name: str
    platform_role: str
    email: str = ""
    is_global_staff: bool = False  # staff of the whole site (Django's is_staff)
    is_course_staff: bool = False  # on this course's team, as the LMS says (user_is_staff)
    in_studio: bool = False

    @property
    def is_anonymous(self):
        return self.platform_role == ANONYMOUS or not self.user_key

    @property
    def display_name(self):
        return self.full_name or self.username


ANONYMOUS_ACTOR = Actor(user_key="", username="", full_name="", platform_role=ANONYMOUS)


def actor_from_user(user, in_studio=False):
    """An Actor from an ``xblock.reference.user_service.XBlockUser`` (or None); ``in_studio``:
    the request is Studio's, whose role string is not read."""
    if user is None:
        return ANONYMOUS_ACTOR
    attrs = getattr(user, "opt_attrs", {}) or {}
    if attrs.get("edx-platform.is_authenticated") is False:
        return ANONYMOUS_ACTOR
    user_key = attrs.get("edx-platform.user_id")
    if user_key in (None, ""):
        return ANONYMOUS_ACTOR
    is_global_staff = bool(attrs.get("edx-platform.user_is_global_staff"))
    role = attrs.get("edx-platform.user_role") or STUDENT
    if role not in (STUDENT, STAFF, INSTRUCTOR) or in_studio or is_global_staff:
        role = STUDENT
    emails = getattr(user, "emails", None) or []
    return Actor(
        user_key=str(user_key),
        username=attrs.get("edx-platform.username") or "",
        full_name=getattr(user, "full_name", "") or "",
        platform_role=role,
        email=emails[0] if emails else "",
        is_global_staff=is_global_staff,
        is_course_staff=bool(attrs.get("edx-platform.user_is_staff")),
        in_studio=bool(in_studio),
    )


def actor_for(block, in_studio=False):
    """The Actor behind the current request to ``block`` (``in_studio``: see actor_from_user)."""
    service = block.runtime.service(block, "user")
    if service is None:
        return ANONYMOUS_ACTOR
    return actor_from_user(service.get_current_user(), in_studio=in_studio)


def actor_from_django_user(user):
    """An Actor for a Django user acting outside any block (the Django admin): their platform id
    as the user key, as the LMS user service gives it to blocks."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS_ACTOR
    full_name = (user.get_full_name() if hasattr(user, "get_full_name") else "") or ""
    return Actor(user_key=str(user.pk), username=user.get_username(), full_name=full_name.strip(),
                 platform_role=STAFF, email=getattr(user, "email", "") or "",
                 is_global_staff=bool(getattr(user, "is_staff", False)))
