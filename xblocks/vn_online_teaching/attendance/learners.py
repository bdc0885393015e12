"""The class roster as the attendance records read it.

A lesson's roll is always that of the class the lesson was planned for (``Lesson.class_name``),
so changing the block's class later does not rewrite the records of earlier lessons.
"""
from ..core.models import Learner
from ..core.text import fold


def sort_key(full_name):
    """Vietnamese class lists are ordered by given name (the last word), then the full name."""
    words = fold(full_name).split()
    return (words[-1] if words else "", fold(full_name))


def class_learners(org, class_name):
    """The learners of a class who have an account, in class-list order."""
    if not class_name:
        return []
    rows = Learner.objects.filter(org=org, class_name=class_name).exclude(user_key="")
    return sorted(rows, key=lambda learner: sort_key(learner.full_name))


def roster_rows(org, class_name, user_key):
    """The one rule for "this learner is on this class's roster" (the check-in's statement,
    ``checkin._check_in_sql``, says the same in SQL: change both together)."""
    return Learner.objects.filter(org=org, class_name=class_name, user_key=user_key)


def learner_of(org, class_name, user_key):
    """The learner's roster row in the class, or None."""
    if not user_key or not class_name:
        return None
    return roster_rows(org, class_name, user_key).first()


def as_rows(learners):
    """Roster rows as the logbook and the reports take them."""
    return [{"user_key": x.user_key, "full_name": x.full_name, "sector_id": x.sector_id, "class_name": x.class_name}
            for x in learners]
