"""School roles and the one question every handler asks: may this actor do this here?

Roles come from ``RoleAssignment`` rows (Django admin, CSV import). Where a school assigns none,
Open edX course roles stand in (ADR 0003, docs/decisions): course staff act as teachers, and a
course admin (instructor) may act as subject-group head for a subject that has no head in the
school. There is no fallback for the principal: approval by the head of school is a legal act
and must be assigned explicitly. The answer is always computed here on the server.

Which roles hold an action is declared by the feature that owns it (its ``access.py``, found by
core/registry.py); this module holds the machinery that applies the declarations: grants, their
subject or class scope, the fallbacks. ``manage.py vnot_rules`` prints the whole matrix.
"""
from dataclasses import dataclass

from . import config, registry
from .actors import INSTRUCTOR, STAFF
from .i18n import N_
from .registry import Action
from .text import fold

TEACHER = "teacher"
HEAD = "head"
PRINCIPAL = "principal"
RECORDS_OFFICER = "records_officer"
HOMEROOM = "homeroom"
STUDENT = "student"

ROLE_LABELS = {
    TEACHER: N_("Teacher"),
    HEAD: N_("Subject group head"),
    PRINCIPAL: N_("Principal"),
    RECORDS_OFFICER: N_("Records officer"),
    HOMEROOM: N_("Homeroom teacher"),
    STUDENT: N_("Student"),
}
ROLES = tuple(r for r in ROLE_LABELS if r != STUDENT)


@dataclass(frozen=True)
class Grant:
    """One role an actor holds; ``subject`` "" means any subject. A homeroom teacher's grant
    holds their class in ``subject`` (the role table's one scope column)."""

    role: str
    subject: str = ""
    fallback: bool = False

    def covers(self, subject):
        return not self.subject or fold(self.subject) == fold(subject or "")

    def scoped_to(self, place, by_subject):
        """Does this grant reach ``place``? A homeroom teacher reaches their own class only
        (every subject of it); other roles reach the place's subject when the rule asks."""
        if self.role == HOMEROOM:
            return not self.subject or fold(self.subject) == fold(place.class_name or "")
        return not by_subject or self.covers(place.subject)


@dataclass(frozen=True)
class Place:
    """Where an action happens: the school, the course, the subject, the author (materials)
    and the class (attendance)."""

    org: str
    course_key: str = ""
    subject: str = ""
    owner_key: str = ""
    class_name: str = ""


# The core's own actions; each feature declares its own in its access.py (core/registry.py finds
# them). An action names the roles that hold it, whether a grant's subject must cover the place's
# subject (a teacher assigned to Toán keeps the Toán roll; a grant without a subject covers every
# subject) and whether only the object's owner may take it.
ACTIONS = {
    "audit.verify": Action({PRINCIPAL, RECORDS_OFFICER}, doc="Check the audit log's hash chain"),
}


def decide(grants, action, place, actor_key=""):
    """Pure rule: do ``grants`` allow ``action`` at ``place``? (Unknown actions: never.)"""
    rule = registry.action(action)
    if rule is None:
        return False
    if rule.owner_only and (not place.owner_key or place.owner_key != actor_key):
        return False
    return any(g.role in rule.roles and g.scoped_to(place, rule.by_subject) for g in grants)


def matching_grant(grants, action, place):
    """The grant that allows ``action`` (an assigned one before a fallback), for the record."""
    rule = registry.action(action)
    if rule is None:
        return None
    allowed = [g for g in grants if g.role in rule.roles and g.scoped_to(place, rule.by_subject)]
    allowed.sort(key=lambda g: g.fallback)
    return allowed[0] if allowed else None


def fallback_grants(platform_role):
    """Grants from the Open edX course role where the school assigned none."""
    grants = []
    if platform_role in (STAFF, INSTRUCTOR):
        grants.append(Grant(TEACHER, fallback=True))
    if platform_role == INSTRUCTOR:
        grants.append(Grant(HEAD, subject="*unassigned*", fallback=True))
    return grants


def grants_for(actor, org):
    """Every grant ``actor`` holds in ``org``: the assigned roles or, for someone the school
    assigned nothing, the course-role fallbacks."""
    from .models import RoleAssignment  # noqa: PLC0415 - keeps the pure rules importable without Django apps

    if actor.is_anonymous:
        return []
    rows = RoleAssignment.objects.filter(org=org, user_key=actor.user_key)
    grants = [Grant(r.role, r.subject) for r in rows]
    if not grants and config.get("COURSE_ROLE_FALLBACK", org):
        grants = fallback_grants(actor.platform_role)
    return grants


def head_assigned(org, subject):
    """Is some head assigned for ``subject`` in ``org``? (decides the instructor fallback)"""
    from .models import RoleAssignment  # noqa: PLC0415

    heads = RoleAssignment.objects.filter(org=org, role=HEAD).values_list("subject", flat=True)
    return any(not s or fold(s) == fold(subject) for s in heads)


def resolve(grants, place, heads=None):
    """Turn the instructor's placeholder head grant into a real one only where no head exists.
    ``heads``: the subjects of the school's assigned heads, when already read."""
    out = []
    for g in grants:
        if g.role == HEAD and g.subject == "*unassigned*":
            if place.subject and not _has_head(place, heads):
                out.append(Grant(HEAD, place.subject, fallback=True))
            continue
        out.append(g)
    return out


def _has_head(place, heads):
    if heads is None:
        return head_assigned(place.org, place.subject)
    return any(not s or fold(s) == fold(place.subject) for s in heads)


def grants_at(actor, place):
    """The grants ``actor`` holds at ``place``, from one read of the role table: the actor's own
    rows and the subjects of the school's heads (which decide the instructor's fallback)."""
    from django.db.models import Q  # noqa: PLC0415
    from .models import RoleAssignment  # noqa: PLC0415

    if actor.is_anonymous:
        return []
    rows = list(RoleAssignment.objects.filter(Q(user_key=actor.user_key) | Q(role=HEAD), org=place.org)
                .values_list("user_key", "role", "subject"))
    grants = [Grant(role, subject) for key, role, subject in rows if key == actor.user_key]
    if not grants and config.get("COURSE_ROLE_FALLBACK", place.org):
        grants = fallback_grants(actor.platform_role)
    return resolve(grants, place, heads=[subject for _key, role, subject in rows if role == HEAD])


def may(actor, action, place):
    """May ``actor`` do ``action`` at ``place``? The question a view asks to decide what to show;
    a write asks ``authorize`` instead."""
    if actor.is_anonymous:
        return False
    return decide(grants_at(actor, place), action, place, actor.user_key)


def authorize(actor, action, place):
    """The role in which ``actor`` does ``action`` at ``place``, or Forbidden.

    The one check a write makes: the grants are read once and the role that allows the action is
    returned for the record, so the caller needs no second ``may``/``role_for`` pair."""
    from .errors import Forbidden  # noqa: PLC0415

    if actor.is_anonymous:
        raise Forbidden()
    grants = grants_at(actor, place)
    if not decide(grants, action, place, actor.user_key):
        raise Forbidden()
    grant = matching_grant(grants, action, place)
    return grant.role if grant else ""


def role_for(actor, action, place):
    """The role in which ``actor`` acts (recorded with every decision), or ""."""
    grant = matching_grant(grants_at(actor, place), action, place)
    return grant.role if grant else ""


def holders(org, role):
    """{user key: full name} of everyone holding ``role`` in ``org`` (names from the platform)."""
    from .. import compat  # noqa: PLC0415
    from .models import RoleAssignment  # noqa: PLC0415

    out = {}
    for row in RoleAssignment.objects.filter(org=org, role=role).order_by("username"):
        user = compat.lookup_user(row.username)
        out[row.user_key] = user.full_name if user and user.full_name else row.username
    return out
