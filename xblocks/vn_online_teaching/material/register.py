"""The materials register (sổ theo dõi học liệu): every material of a course or a school with its
kind, subject, grade, author, state and dates, and how many approved materials each teacher has
per semester against the school's target."""
from collections import Counter

from ..core import clock, config
from ..core.i18n import N_, gettext
from ..core.validation import Field
from ..core.tabular import csv_bytes, xlsx_book
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


COUNT_HEADERS = (N_("Teacher"), N_("School year"), N_("Semester"), N_("Approved materials"), N_("Target"),
                 N_("Target met"))


def teacher_counts(states, org, teachers, now):
    """[(teacher, school year, semester, approved, target, met)]: approvals counted in the
    semester of their approval date and credited to the teacher who submitted; every teacher of
    the school appears for the current semester, so those below the target show with 0."""
    current = clock.semester_of(now, org)
    names = dict(teachers)
    counts = Counter({(key, current): 0 for key in teachers})
    for s in states:
        if s.approved_at is None or s.state == workflow.REVOKED or not s.owner_key:
            continue
        counts[(s.owner_key, clock.semester_of(s.approved_at, org))] += 1
        names.setdefault(s.owner_key, s.owner_name)
    target = config.get("MATERIALS_TARGET_PER_SEMESTER", org)
    ordered = sorted(counts.items(), key=lambda i: (i[0][1], names[i[0][0]]))
    return [(names[key], year, semester, n, target, gettext("Yes") if n >= target else gettext("No"))
            for (key, (year, semester)), n in ordered]


def current_counts(org, teachers, now):
    """``teacher_counts`` of the school for the current semester only (what the staff view shows)."""
    current = clock.semester_of(now, org)
    return [r for r in teacher_counts(materials(org), org, teachers, now) if (r[1], r[2]) == current]


# The export's query: the register or the per-teacher counts, of the course or the whole school.
QUERY = {
    "report": Field(str, required=False, default="materials", choices=["materials", "teachers"]),
    "scope": Field(str, required=False, default="course", choices=["course", "school"]),
}


def export(org, course_key, fmt, teachers=None, report="materials", with_counts=False):
    """(file name, content type, bytes): the register (``report="materials"``) or the per-teacher
    counts (``"teachers"``) as CSV (UTF-8 with BOM); XLSX carries both as two sheets."""
    states = materials(org, course_key)
    now = clock.now()
    stamp = clock.to_school(now, org).strftime("%Y%m%d")
    register = ([gettext(h) for h in HEADERS], rows(states, org))
    counts = ([gettext(h) for h in COUNT_HEADERS], teacher_counts(materials(org), org, teachers or {}, now))
    if fmt == "xlsx":
        return (f"so-hoc-lieu-{stamp}.xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                xlsx_book([(gettext("Materials register"), *register)]
                          + ([(gettext("Per teacher"), *counts)] if with_counts else [])))
    if report == "teachers":
        return f"hoc-lieu-theo-giao-vien-{stamp}.csv", "text/csv; charset=utf-8", csv_bytes(*counts)
    return f"so-hoc-lieu-{stamp}.csv", "text/csv; charset=utf-8", csv_bytes(*register)
