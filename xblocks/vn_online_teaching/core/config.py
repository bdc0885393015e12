"""School settings, read from Django's ``VN_ONLINE_TEACHING`` setting.

Schools and provinces differ and the rules change (what the Circular fixes for each block:
docs/circular-09.md), so every number a school may choose has a declared default and may be set
for all schools or overridden per organisation under ``VN_ONLINE_TEACHING["ORGS"][org]``. The core
declares here the settings every feature shares; each feature declares its own in its
``settings.py`` (core/registry.py finds them). ``manage.py vnot_rules`` lists them all, with their
defaults and the feature that owns them; docs/permissions.md is its output.
"""
from django.conf import settings

from . import registry
from .registry import Setting

SETTINGS = {
    "TIME_ZONE": Setting("Asia/Ho_Chi_Minh", "Time zone of the school: deadlines and school days are decided in it."),
    "SCHOOL_YEAR_START": Setting((9, 1), "(month, day) on which the school year starts."),
    "SEMESTER_2_START": Setting((1, 15), "(month, day) on which the second semester starts."),
    "SCHOOL_LEVEL": Setting("secondary", "School level (\"primary\" or \"secondary\"): the length of a period "
                                         "and how a test's score is rounded follow it."),
    "SCHOOL_NAME": Setting("", "The school's name as its printed documents (score sheets, the archive's bag-info) "
                           "show it; per organisation through the overrides; empty: the organisation code."),
    "MAX_REQUEST_BYTES": Setting(256 * 1024, "Largest JSON body a handler accepts, in bytes (256 KB)."),
    "COURSE_ROLE_FALLBACK": Setting(True, "Where the school assigned someone no role, Open edX course staff act as "
                                          "teachers and a course admin as head of a subject without one."),
    "DEFAULT_ORG": Setting("", "Organisation used when the runtime has no course key (the workbench)."),
    "DEFAULT_COURSE_KEY": Setting("", "Course key used when the runtime has none (the workbench)."),
    "USER_DIRECTORY": Setting("", "Dotted path of a function answering user look-ups by username (the "
                                  "workbench demo); empty: the platform's accounts."),
}


def get(name, org=None):
    """The value of setting ``name`` for ``org`` (organisation override first, then global, then
    the declared default); UnknownSetting (a KeyError) for a name nobody declares."""
    declared = SETTINGS.get(name) or registry.setting(name)
    conf = getattr(settings, "VN_ONLINE_TEACHING", {}) or {}
    if org:
        per_org = (conf.get("ORGS") or {}).get(org) or {}
        if name in per_org:
            return per_org[name]
    if name in conf:
        return conf[name]
    return declared.default


def unknown_keys(conf):
    """Keys of a ``VN_ONLINE_TEACHING`` value (and of its ``ORGS`` entries) that nobody declares:
    almost always a typo that would otherwise be silently ignored."""
    known = set(registry.catalog().settings) | {"ORGS"}
    found = sorted(k for k in conf if k not in known)
    for org, overrides in sorted((conf.get("ORGS") or {}).items()):
        found.extend(f"ORGS[{org!r}][{k!r}]" for k in sorted(overrides or {}) if k not in known or k == "ORGS")
    return found
