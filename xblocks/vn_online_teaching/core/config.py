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
