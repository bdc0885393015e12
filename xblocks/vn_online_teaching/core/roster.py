"""The school roster: learners with their sector ID, name, class, e-mail and username.

An import is all or nothing: the whole file is checked first and, if any row is bad, the report
lists every problem and nothing is written.
"""
import re
from dataclasses import dataclass, field

from django.db import transaction

from .. import compat
from . import audit
from .i18n import N_, gettext
from .models import Learner
from .tabular import read_csv

COLUMNS = ("sector_id", "full_name", "class_name", "email", "username")
SECTOR_ID = re.compile(r"^[0-9]{10,12}$")  # ASCII digits: \d also takes full-width ones
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
CLASS_NAME = re.compile(r"^[0-9]{1,2}[A-Za-zĐđ][0-9]{0,2}$")


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list = field(default_factory=list)  # (line, message id, params)
    warnings: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors

    def lines(self):
        """The report as translated lines for a person."""
        out = []
        for kind, items in ((N_("Error"), self.errors), (N_("Warning"), self.warnings)):
            for line, message, params in items:
                out.append(f"{gettext(kind)} ({gettext('line')} {line}): {gettext(message).format(**params)}")
        return out


def check_rows(rows, org, allow_unknown_users=False):
    """Validate every row; return (report, cleaned rows)."""
    report = ImportReport()
    seen = {"sector_id": {}, "username": {}, "email": {}}
    cleaned = []
    for row in rows:
        line = row["_line"]
        values = {c: row.get(c, "").strip() for c in COLUMNS}
        if not SECTOR_ID.match(values["sector_id"]):
            report.errors.append((line, N_("Sector ID must be 10 to 12 digits: {value}"), {"value": values["sector_id"]}))
        if not values["full_name"]:
            report.errors.append((line, N_("Full name is empty."), {}))
        if not CLASS_NAME.match(values["class_name"]):
            report.errors.append((line, N_("Class name is not valid: {value}"), {"value": values["class_name"]}))
        if values["email"] and not EMAIL.match(values["email"]):
            report.errors.append((line, N_("E-mail is not valid: {value}"), {"value": values["email"]}))
        if not values["username"]:
            report.errors.append((line, N_("Username is empty."), {}))
        for column in ("sector_id", "username", "email"):
            key = values[column].lower()
            if key and key in seen[column]:
                report.errors.append((line, N_("Duplicate {column} (also on line {other}): {value}"),
                                      {"column": column, "other": seen[column][key], "value": values[column]}))
            elif key:
                seen[column][key] = line
        user = compat.lookup_user(values["username"]) if values["username"] else None
        if values["username"] and user is None:
            target = report.warnings if allow_unknown_users else report.errors
            target.append((line, N_("No user account with username {value}."), {"value": values["username"]}))
        values["user_key"] = user.user_key if user else ""
        cleaned.append(values)
    return report, cleaned


def _holder_of(org, username, sector_id):
    """The sector ID of a stored learner of ``org`` who already has ``username`` but is not the
    learner of this row (one account, one learner), or None."""
    if not username:
        return None
    return (Learner.objects.filter(org=org, username=username).exclude(sector_id=sector_id)
            .values_list("sector_id", flat=True).first())


def import_roster(data, org, actor=None, allow_unknown_users=False, dry_run=False):
    """Check a roster CSV and, if every row is good, create or update the learners of ``org``."""
    rows = read_csv(data, COLUMNS)
    report, cleaned = check_rows(rows, org, allow_unknown_users)
    for row, values in zip(rows, cleaned):
        holder = _holder_of(org, values["username"], values["sector_id"])
        if holder is not None:
            report.errors.append((row["_line"], N_("The username {value} already belongs to another learner (sector ID {other})."),
                                  {"value": values["username"], "other": holder}))
    if not report.ok or dry_run:
        return report
    with transaction.atomic():
        for values in cleaned:
            _obj, created = Learner.objects.update_or_create(
                org=org, sector_id=values["sector_id"],
                defaults={k: values[k] for k in ("full_name", "class_name", "email", "username", "user_key")},
            )
            if created:
                report.created += 1
            else:
                report.updated += 1
        audit.append("roster.import", object_type="roster", object_id=org, actor=actor, org=org,
                     data={"created": report.created, "updated": report.updated, "rows": len(cleaned)})
    return report


def learners(org, class_name=None):
    qs = Learner.objects.filter(org=org)
    if class_name:
        qs = qs.filter(class_name=class_name)
    return list(qs.order_by("class_name", "full_name"))


def name_of(org, user_key):
    """A learner's name as the school writes it (the roster wins over the platform profile)."""
    learner = Learner.objects.filter(org=org, user_key=user_key).first()
    return learner.full_name if learner else ""
