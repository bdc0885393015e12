"""Driving a block's handler in the workbench runtime as one person, and checking what a request
left behind: every row of our models, the audit chain, the blocks' stored fields and the files.
"""
import json
import os
import re
import traceback
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import transaction
from webob import Request

from . import discovery

# Who asks: (label, username). The homeroom teacher of 10A1 and the student missing from the
# roster are added by the seeding (world.py); "none" is nobody signed in.
ROLES = {
    "student on roster": "hs_anh",
    "student not on roster": "hs_khac",
    "teacher": "gv_lan",
    "teacher of another subject": "gv_nam",
    "head": "tt_minh",
    "principal": "ht_hung",
    "records officer": "vt_thu",
    "homeroom": "cn_10a1",
    "anonymous": "none",
}
USERS = list(ROLES.values())
BARE_LINE_END = re.compile(rb".{0,40}(?:\r(?!\n)|(?<!\r)\n).{0,40}")

# The one write a refusal makes on purpose (docs/audit-policy.md, "A refused request"): a wrong
# check-in code is counted, so guessing can be limited, and reaching a limit (of a student, of one
# network address) is a security event in the audit chain.
REFUSAL_MAY_ADD = {"vn_online_teaching.CodeAttempt"}
REFUSAL_MAY_AUDIT = {"attendance.code_limit", "attendance.code_limit_address"}


@dataclass
class Outcome:
    status: int
    body: object


def block_as(usage, username):
    from workbench.runtime import WorkbenchRuntime  # noqa: PLC0415

    return WorkbenchRuntime(username).get_block(usage)


def drive(handler_name, case):
    """Send ``case`` to the handler; an exception escaping the handler is what the LMS answers
    with a 500, so it propagates to the test with its traceback."""
    block = block_as(case.usage, case.role)
    url = "/?" + case.query if case.query else "/"
    request = Request.blank(url, method=case.method, remote_addr=case.remote_addr or None,
                            headers={"User-Agent": case.user_agent})
    if case.method == "POST":
        request.body = case.body
        if case.content_type:
            request.content_type = case.content_type
    response = block.runtime.handle(block, handler_name, request, case.suffix)
    try:
        body = json.loads(response.body.decode("utf-8"))
    except ValueError:
        body = response.body[:200]
    return Outcome(response.status_code, body)


# ------------------------------------------------------------------------------------ state

def our_models():
    return [m for m in apps.get_app_config("vn_online_teaching").get_models()]


def media_files():
    root = settings.STORAGES["default"]["OPTIONS"]["location"]
    found = set()
    for folder, _dirs, files in os.walk(os.path.join(root, "vn_online_teaching")):
        found.update(os.path.join(folder, f) for f in files)
    return found


def snapshot():
    """Everything a request could write: {table: rows} of our models and of the blocks' stored
    fields, and the stored files. Read as raw rows: the tier takes two per example."""
    from django.db import connection  # noqa: PLC0415
    from workbench.models import XBlockState  # noqa: PLC0415

    state = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in our_models() + [XBlockState]:
            columns = ", ".join(quote(f.column) for f in model._meta.concrete_fields)
            table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
            cursor.execute(f"SELECT {columns} FROM {table} ORDER BY {pk}")
            state[model._meta.label] = cursor.fetchall()
    state["files"] = sorted(media_files())
    return state


def changes(before, after):
    """[(what, how)] differences between two snapshots."""
    out = []
    for label in sorted(set(before) | set(after)):
        old, new = before.get(label, []), after.get(label, [])
        if old != new:
            out.append((label, f"{len(old)} → {len(new)} rows" if len(old) != len(new) else "rows changed"))
    return out


def refusal_changes(before, after):
    """What a refused request changed beyond what a refusal may record (see REFUSAL_MAY_*)."""
    found = []
    for label, how in changes(before, after):
        if label in REFUSAL_MAY_ADD and len(after[label]) > len(before[label]) and \
                after[label][:len(before[label])] == before[label]:
            continue
        if label == "vn_online_teaching.AuditEntry" and _only_security_entries(before[label], after[label]):
            continue
        if label == "vn_online_teaching.AuditHead" and _only_security_entries(
                before["vn_online_teaching.AuditEntry"], after["vn_online_teaching.AuditEntry"]):
            continue
        found.append((label, how))
    return found


def _only_security_entries(old, new):
    from vn_online_teaching.core.models import AuditEntry  # noqa: PLC0415

    action = [f.column for f in AuditEntry._meta.concrete_fields].index("action")
    return new[:len(old)] == old and all(row[action] in REFUSAL_MAY_AUDIT for row in new[len(old):])


def chain_ok():
    from vn_online_teaching.core.audit import verify  # noqa: PLC0415

    result = verify()
    return result.ok, result


# ------------------------------------------------------------------------------------ pages

def page_calls(handlers, suffixes=("",)):
    """The GET pages: handlers declared "get" and, until they declare, every undeclared one."""
    return [(h.name, s) for h in handlers if h.kind in ("get", None) for s in suffixes]


def render_failures(usages, users, handlers, suffixes=("",), views=discovery.VIEWS):
    """[(usage, user, what, text, exception or None)] of every view and GET page that fails."""
    failures = []
    for usage in usages:
        for user in users:
            for view in views:
                try:
                    block_as(usage, user).render(view, {}).body_html()
                except Exception as exc:  # noqa: BLE001 - reported
                    failures.append((usage, user, view, traceback.format_exc(), exc))
            for name, sfx in page_calls(handlers, suffixes):
                block = block_as(usage, user)
                try:
                    response = block.runtime.handle(block, name, Request.blank("/"), sfx)
                except Exception as exc:  # noqa: BLE001 - reported
                    failures.append((usage, user, f"GET {name}/{sfx}", traceback.format_exc(), exc))
                    continue
                problem = page_problem(response)
                if problem:
                    failures.append((usage, user, f"GET {name}/{sfx}", problem, None))
    return failures


def page_problem(response):
    """What is wrong with a page that did not raise: a 5xx, or a calendar file whose lines do not
    all end in CRLF (a bare CR or LF from a title would start a property of its own)."""
    if response.status_code >= 500:
        return f"status {response.status_code}"
    if response.content_type == "text/calendar":
        bare = BARE_LINE_END.search(response.body)
        if bare:
            return f"a calendar line ends in a bare CR or LF: {bare.group(0)!r}"
    return ""


def fail_with(message, failures):
    """An AssertionError for ``failures``, caused by the first exception among them, so
    Hypothesis tells distinct page failures apart instead of reporting one."""
    cause = next((f[4] for f in failures if f[4] is not None), None)
    raise AssertionError(message + "\n" + describe(failures)) from cause


def describe(failures, limit=6):
    lines = [f"{what} as {user} on {usage}:\n{text}" for usage, user, what, text, _exc in failures[:limit]]
    more = len(failures) - limit
    return "\n".join(lines) + (f"\n... and {more} more" if more > 0 else "")


class rolled_back(transaction.Atomic):
    """A savepoint undone on exit, whatever happened inside: each example starts from the seed."""

    def __init__(self):
        super().__init__(using=None, savepoint=True, durable=False)

    def __exit__(self, exc_type, exc_value, tb):
        transaction.set_rollback(True)
        return super().__exit__(exc_type, exc_value, tb)
