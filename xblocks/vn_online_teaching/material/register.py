"""The materials register (sổ theo dõi học liệu): every material of a course or a school with its
kind, subject, grade, author, state and dates, and how many approved materials each teacher has
per semester against the school's target."""
from collections import Counter

from ..core import clock, config
from ..core.i18n import N_, gettext
from ..core.tabular import csv_bytes, xlsx_bytes
from . import workflow
from .content import KINDS
from .models import MaterialState

HEADERS = (N_("Title"), N_("Kind of material"), N_("Subject"), N_("Grade"), N_("Lesson or topic"), N_("Author"),
           N_("Submitted by"), N_("State"), N_("Submitted"), N_("Approved"), N_("Course"))


def materials(org, course_key=None):
    qs = MaterialState.objects.filter(org=org)
    if course_key:
        qs = qs.filter(course_key=course_key)
    return list(qs.order_by("subject", "grade", "title"))


def rows(states, org):
    return [
        (s.title, gettext(KINDS.get(s.kind, s.kind)) if s.kind else "", s.subject, s.grade, s.lesson, s.author_name,
         s.owner_name, gettext(workflow.STATE_LABELS.get(s.state, s.state)),
         clock.display(s.submitted_at, org) if s.submitted_at else "",
         clock.display(s.approved_at, org) if s.approved_at else "", s.course_key)
        for s in states
    ]


def teacher_counts(states, org):
    """[(teacher, school year, semester, approved count, target)] — approvals counted in the
    semester of their approval date, credited to the teacher who submitted."""
    counts = Counter()
    names = {}
    for s in states:
        if s.approved_at is None or s.state == workflow.REVOKED:
            continue
        year, semester = clock.semester_of(s.approved_at, org)
        counts[(s.owner_key, year, semester)] += 1
        names[s.owner_key] = s.owner_name
    target = config.get("MATERIALS_TARGET_PER_SEMESTER", org)
    return [(names[k], y, sem, n, target) for (k, y, sem), n in sorted(counts.items(), key=lambda i: (names[i[0][0]], i[0][1], i[0][2]))]


def export(org, course_key, fmt):
    """(file name, content type, bytes) of the register as CSV (UTF-8 with BOM) or XLSX."""
    states = materials(org, course_key)
    headers = [gettext(h) for h in HEADERS]
    data = rows(states, org)
    stamp = clock.to_school(clock.now(), org).strftime("%Y%m%d")
    if fmt == "xlsx":
        return (f"so-hoc-lieu-{stamp}.xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                xlsx_bytes(headers, data, gettext("Materials register")))
    return f"so-hoc-lieu-{stamp}.csv", "text/csv; charset=utf-8", csv_bytes(headers, data)
