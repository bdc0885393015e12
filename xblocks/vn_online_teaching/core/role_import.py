"""Importing school roles from a CSV file (username, role, subject), all or nothing."""
from django.db import transaction

from .. import compat
from . import audit
from .models import RoleAssignment
from .roles import HEAD, ROLES
from .roster import ImportReport
from .i18n import N_
from .tabular import read_csv

COLUMNS = ("username", "role")


def import_roles(data, org, actor=None, dry_run=False):
    rows = read_csv(data, COLUMNS)
    report = ImportReport()
    cleaned = []
    seen = {}
    for row in rows:
        line = row["_line"]
        username, role, subject = row.get("username", ""), row.get("role", "").lower(), row.get("subject", "")
        if role not in ROLES:
            report.errors.append((line, N_("Unknown role: {value}"), {"value": role}))
        if role == HEAD and not subject:
            report.errors.append((line, N_("A subject group head needs a subject."), {}))
        user = compat.lookup_user(username)
        if user is None:
            report.errors.append((line, N_("No user account with username {value}."), {"value": username}))
        key = (username.lower(), role, subject.lower())
        if key in seen:
            report.errors.append((line, N_("Duplicate {column} (also on line {other}): {value}"),
                                  {"column": "role", "other": seen[key], "value": username}))
        seen[key] = line
        cleaned.append((user, username, role, subject))
    if not report.ok or dry_run:
        return report
    with transaction.atomic():
        for user, username, role, subject in cleaned:
            _obj, created = RoleAssignment.objects.get_or_create(
                org=org, user_key=user.user_key, role=role, subject=subject, defaults={"username": username})
            report.created += int(created)
        audit.append("roles.import", object_type="roles", object_id=org, actor=actor, org=org,
                     data={"created": report.created, "rows": len(cleaned)})
    return report
