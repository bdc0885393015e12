"""School settings, read from Django's ``VN_ONLINE_TEACHING`` setting.

Schools and provinces differ and the rules change (DOMAIN.md marks such numbers *default*), so
every such number is read here, with its default, and may be overridden per organisation under
``VN_ONLINE_TEACHING["ORGS"][org]``. One place, so a newcomer finds every knob in one file.
"""
from django.conf import settings

DEFAULTS = {
    # Time zone of the school: deadlines and school days are decided in it.
    "TIME_ZONE": "Asia/Ho_Chi_Minh",
    # Author, subject-group head and principal must be three different people.
    "ALLOW_SAME_PERSON_REVIEW": False,
    # Digital materials each teacher is expected to produce per semester.
    "MATERIALS_TARGET_PER_SEMESTER": 2,
    # School year starts on this month/day; semester 2 starts on the second.
    "SCHOOL_YEAR_START": (9, 1),
    "SEMESTER_2_START": (1, 15),
    # Attachments of learning materials.
    "MAX_ATTACHMENT_BYTES": 20 * 1024 * 1024,
    "MAX_ATTACHMENTS": 20,
    # Largest JSON body a handler accepts.
    "MAX_REQUEST_BYTES": 256 * 1024,
    # Fall back to Open edX course roles when no school role is assigned.
    "COURSE_ROLE_FALLBACK": True,
    # Attendance: period length by school level (primary 35, secondary 45 minutes).
    "SCHOOL_LEVEL": "secondary",
    "PERIOD_MINUTES": {"primary": 35, "secondary": 45},
    # Student check-in opens this many minutes before the start, counts as present until the
    # grace time and closes this many minutes after the start.
    "CHECKIN_OPEN_BEFORE_MIN": 10,
    "CHECKIN_GRACE_MIN": 5,
    "CHECKIN_CLOSE_AFTER_MIN": 20,
    # Wrong rotating codes allowed per student per lesson in 10 minutes, and per lesson in total.
    "CHECKIN_MAX_WRONG_CODES": 5,
    "CHECKIN_MAX_WRONG_CODES_LESSON": 200,
    # School holidays (ISO dates, "YYYY-MM-DD"): a weekly series of lessons skips them.
    "HOLIDAYS": (),
    # Absent sessions (buổi) in a school year above which promotion is blocked.
    "PROMOTION_ABSENT_SESSIONS": 45,
    # Meeting-report imports: share of the lesson attended for "present" and "late", lateness grace.
    "IMPORT_PRESENT_SHARE": 0.8,
    "IMPORT_LATE_SHARE": 0.5,
    "IMPORT_GRACE_MIN": 5,
    "MAX_REPORT_BYTES": 10 * 1024 * 1024,
    # Organisation used when the runtime has no course key (the workbench).
    "DEFAULT_ORG": "",
    "DEFAULT_COURSE_KEY": "",
}


def get(name, org=None):
    """The value of setting ``name`` for ``org`` (organisation override first, then global)."""
    conf = getattr(settings, "VN_ONLINE_TEACHING", {}) or {}
    if org:
        per_org = (conf.get("ORGS") or {}).get(org) or {}
        if name in per_org:
            return per_org[name]
    if name in conf:
        return conf[name]
    return DEFAULTS[name]
