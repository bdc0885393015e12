"""The core's records in the archive: the school's roster with the sector IDs, and who holds which
school role (core/exporting.py says how the archive reads this module).

Both are the school's current lists, not events: they are exported whole for the ``org``, whatever
the scope's courses and days, because every other table names people by their user key and an
inspector needs the roster to read them. The roster carries what a record needs to name a learner
(sector ID, name, class, account), not their e-mail: the archive keeps the minimum personal data.
The audit log, also a core record, is written by the archive itself as the chain's segment. Both
lists are as long as the school is large, and are read class by class in the reader's order.

This module has no ``dispose``: a disposal keeps the roster and the roles whatever it covers. They
are the school's current lists, not records of the scope's days: the same learner and teacher
appear in the courses and years the decision does not cover, every other record names people
through them, and they change only by the school's own roster import and role grants. The audit
log is never deleted either: its entries are the proof (Archives Law 2024) of what existed and
of the disposal itself, and a gap would break the chain that every package's anchor vouches for.
"""
from .exporting import counted, query_table
from .i18n import N_
from .models import Learner, RoleAssignment

FEATURE = "core"


def _learners(scope):
    return Learner.objects.filter(org=scope.org).order_by("class_name", "pk")


def _roles(scope):
    return RoleAssignment.objects.filter(org=scope.org).order_by("role", "subject", "username", "pk")


QUERIES = {Learner: _learners, RoleAssignment: _roles}


def tables(scope):
    yield query_table(FEATURE, "roster", N_("Roster of learners"), (
        ("id", N_("Record no.")),
        ("sector_id", N_("Sector ID")),
        ("full_name", N_("Full name")),
        ("class_name", N_("Class")),
        ("username", N_("Username")),
        ("user_key", N_("User key")),
        ("updated_at", N_("Last changed at")),
    ), lambda: _learners(scope), model=Learner._meta.label, ordered=True)
    yield query_table(FEATURE, "roles", N_("School roles"), (
        ("id", N_("Record no.")),
        ("username", N_("Username")),
        ("user_key", N_("User key")),
        ("role", N_("School role")),
        ("subject", N_("Subject or class")),
        ("created_at", N_("Granted at")),
    ), lambda: _roles(scope), model=RoleAssignment._meta.label, ordered=True)


def files(scope):
    """The core keeps no documents of its own."""
    return iter(())


def counts(scope):
    return counted(QUERIES, scope)
