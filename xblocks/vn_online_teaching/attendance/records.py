"""What every attendance records module shares: where the records belong, the one permission
check of a request, the lesson's lock and the audit entry a change writes.

The records modules (``lessons``, ``checkin``, ``marks``, ``report_imports``, ``class_records``)
are the only code that writes the attendance models. Each change runs in one transaction that
first locks the lesson's row, so every write to one lesson's marks queues behind the others on
every database (SQLite: IMMEDIATE transactions; MariaDB: the row lock), and appends its audit
entry in the same transaction (docs/audit-policy.md).

Permissions are checked here, in the records layer, once per request: a write asks
``authorize`` and records the role it returns; the block only maps the errors to answers.
"""
import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from ..core import audit, clock, roles
from ..core.errors import Conflict, NotFound, RequestError
from ..core.i18n import N_
from .access import MANAGE, REPORT, VIEW_STAFF
from .models import Lesson

__all__ = ["MANAGE", "REPORT", "VIEW_STAFF", "OBJECT_TYPE", "BlockKeys", "Where", "place_of", "authorize",
           "permitted", "configured", "get_lesson", "locked", "refuse_cancelled", "audit_values", "record"]

OBJECT_TYPE = "attendance_lesson"


@dataclass(frozen=True)
class BlockKeys:
    """The block the records belong to, by its keys only. What a student's check-in needs: the
    lesson carries its class and its rules, and reading the block's class and subject settings
    would cost a field-store read each on the hottest path of the block."""

    usage_key: str
    course_key: str
    org: str


@dataclass(frozen=True)
class Where(BlockKeys):
    """The block's keys, the class and subject it is set up for (what staff views and role checks
    need), and its check-in settings (what a new lesson starts with): ``networks`` None for any
    network, otherwise the tuple of allowed networks."""

    class_name: str
    subject: str
    require_code: bool = False
    networks: tuple | None = None


def place_of(where):
    return roles.Place(org=where.org, course_key=where.course_key, subject=where.subject,
                       class_name=where.class_name)


def authorize(actor, action, where):
    """The role in which ``actor`` may do ``action`` at the block, or Forbidden (one grant read)."""
    return roles.authorize(actor, action, place_of(where))


def permitted(actor, where, actions=(VIEW_STAFF, MANAGE, REPORT)):
    """The subset of ``actions`` ``actor`` may take at the block, from one read of their grants:
    what a page needs to choose its parts (a roll call with or without the code, a staff view
    with or without the report links)."""
    if actor.is_anonymous:
        return frozenset()
    place = place_of(where)
    grants = roles.resolve(roles.grants_for(actor, place.org), place)
    return frozenset(a for a in actions if roles.decide(grants, a, place, actor.user_key))


def configured(where):
    if not where.class_name:
        raise RequestError("not_configured", N_("Set the class of this block in Studio first."))


def get_lesson(usage_key, lesson_id):
    """A lesson of the block, or NotFound (a lesson of another block is not found either)."""
    lesson = Lesson.objects.filter(usage_key=usage_key, pk=lesson_id).first()
    if lesson is None:
        raise NotFound()
    return lesson


def locked(lesson):
    """The lesson's row, locked until the end of the transaction: every write to one lesson's
    marks takes this lock first, so they queue instead of racing."""
    assert transaction.get_connection().in_atomic_block, "lock a lesson inside its transaction"
    return Lesson.objects.select_for_update().get(pk=lesson.pk)


def refuse_cancelled(lesson):
    """The one refusal of every change to a cancelled lesson (its records stay as evidence)."""
    if lesson.cancelled_at is not None:
        raise Conflict("cancelled", N_("This lesson was cancelled."))


def audit_values(values):
    """Model values as the audit log keeps them: instants and dates as ISO text."""
    return {k: (clock.iso(v) if isinstance(v, dt.datetime) else v.isoformat() if isinstance(v, dt.date) else v)
            for k, v in values.items()}


def record(action, where, actor, role, object_id, **data):
    """The audit entry of one change of the block's records (call inside its transaction): every
    entry names the block (``usage_key``) beside what changed."""
    return audit.append(action, object_type=OBJECT_TYPE, object_id=object_id, actor=actor, actor_role=role,
                        org=where.org, course_key=where.course_key, data=dict(usage_key=where.usage_key, **data))

