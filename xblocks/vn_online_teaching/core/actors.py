"""Who is asking.

Every block turns the runtime's user service into one ``Actor`` here and nowhere else. In the
LMS the user service carries ``edx-platform.*`` attributes; the workbench demo's user service
(``demo.users``) provides the same attributes, so both runtimes take the same path.
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
    is_global_staff: bool = False

    @property
    def is_anonymous(self):
        return self.platform_role == ANONYMOUS or not self.user_key

    @property
    def display_name(self):
        return self.full_name or self.username


ANONYMOUS_ACTOR = Actor(user_key="", username="", full_name="", platform_role=ANONYMOUS)


def actor_from_user(user):
    """An Actor from an ``xblock.reference.user_service.XBlockUser`` (or None)."""
    if user is None:
        return ANONYMOUS_ACTOR
    attrs = getattr(user, "opt_attrs", {}) or {}
    if attrs.get("edx-platform.is_authenticated") is False:
        return ANONYMOUS_ACTOR
    user_key = attrs.get("edx-platform.user_id")
    if user_key in (None, ""):
        return ANONYMOUS_ACTOR
    role = attrs.get("edx-platform.user_role") or STUDENT
    if role not in (STUDENT, STAFF, INSTRUCTOR):
        role = STUDENT
    emails = getattr(user, "emails", None) or []
    return Actor(
        user_key=str(user_key),
        username=attrs.get("edx-platform.username") or "",
        full_name=getattr(user, "full_name", "") or "",
        platform_role=role,
        email=emails[0] if emails else "",
        is_global_staff=bool(attrs.get("edx-platform.user_is_staff")),
    )


def actor_for(block):
    """The Actor behind the current request to ``block``."""
    service = block.runtime.service(block, "user")
    if service is None:
        return ANONYMOUS_ACTOR
    return actor_from_user(service.get_current_user())


def actor_from_django_user(user):
    """An Actor for a Django user acting outside any block (the Django admin): their platform id
    as the user key, as the LMS user service gives it to blocks."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS_ACTOR
    full_name = (user.get_full_name() if hasattr(user, "get_full_name") else "") or ""
    return Actor(user_key=str(user.pk), username=user.get_username(), full_name=full_name.strip(),
                 platform_role=STAFF, email=getattr(user, "email", "") or "",
                 is_global_staff=bool(getattr(user, "is_staff", False)))

