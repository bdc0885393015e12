"""The archive's settings, with their defaults (read through ``core.config.get``, which finds them
by core/registry.py since the archive has its ``access.py``; ``get`` below also answers before the
registry is loaded, e.g. in a command that never imported a feature).

Retention: the Archives Law (2024) leaves the periods to Circular 08/2025/TT-BGDĐT, one row per
record type. Its table is not entered here, so every record type defaults to "permanent": a
default that is too long loses nothing, one that is too short would allow a disposal the law
forbids. A school enters the periods of its rows (years) in ARCHIVE_RETENTION; a disposal is
refused until the period of every record type it covers has passed, and while a legal hold
(a record, not a setting: ``archive.holds``) covers any of its records (docs/records-guide.md).
"""
from django.conf import settings as django_settings

from ..core import config
from ..core.registry import Setting, UnknownSetting

#: Record types of the Circular's provisions on keeping online-teaching records
#: (docs/circular-09.md, "Records archive").
RECORD_TYPES = ("teaching_process", "teaching_plans", "assessment", "materials")

#: "permanent" until the school enters the period of the matching row of Circular 08/2025/TT-BGDĐT:
#: a default that is too long loses nothing, a default that is too short would allow disposal that
#: the Archives Law forbids.
PERMANENT = "permanent"

SETTINGS = {
    "ARCHIVE_SIGNING_KEY": Setting(
        "", "Ed25519 private key that signs archive packages: a path to a PEM file (PKCS#8, not "
            "encrypted) or the PEM text itself (a value containing \"-----BEGIN\"). `manage.py "
            "create_archive_key PATH` makes one. Empty: packages cannot be signed."),
    "ARCHIVE_RETENTION": Setting(
        {kind: PERMANENT for kind in RECORD_TYPES},
        "How long each record type is kept, in years, or \"permanent\", per the Archives Law and "
        "Circular 08/2025/TT-BGDĐT (types: teaching_process, teaching_plans, assessment, materials)."),
    "ARCHIVE_COURSE_STAFF_ACTIONS": Setting(
        (), "Archive actions the course team (Open edX course staff and admins) may take on their own "
            "course besides the records officer and the principal: any of \"archive.export\", "
            "\"archive.download\", \"archive.verify\". Empty: none. Holds and disposals never."),
    "ARCHIVE_STORAGE_PREFIX": Setting(
        "vn_online_teaching/archive", "Folder of Django's default storage that keeps archive packages."),
    "ARCHIVE_PROGRESS_ROWS": Setting(
        2000, "An export saves its progress every this many rows (any process can show it)."),
    "ARCHIVE_STALLED_HOURS": Setting(
        6, "An export still waiting or running this many hours after it was asked for is taken as stopped "
           "(its worker was stopped, or no worker took it) and shown as failed, so that it is started again."),
}

#: The record types each feature's records belong to (what their retention is decided by); a
#: feature not listed here is "teaching_process", the widest of the Circular's provisions.
FEATURE_RECORD_TYPES = {
    "material": ("materials",),
    "attendance": ("teaching_process", "teaching_plans"),
    "assessment": ("assessment",),
}


def record_types_of(feature):
    return FEATURE_RECORD_TYPES.get(feature, ("teaching_process",))


def get(name, org=None):
    """The school's value of an archive setting, or its default here."""
    declared = SETTINGS[name]
    try:
        return config.get(name, org)
    except UnknownSetting:
        pass
    conf = getattr(django_settings, "VN_ONLINE_TEACHING", {}) or {}
    if org and name in ((conf.get("ORGS") or {}).get(org) or {}):
        return conf["ORGS"][org][name]
    return conf.get(name, declared.default)


def retention(record_type, org=None):
    """Years (int) or "permanent" for ``record_type``; a type the school left out keeps its default."""
    if record_type not in RECORD_TYPES:
        raise KeyError(record_type)
    chosen = get("ARCHIVE_RETENTION", org) or {}
    return chosen.get(record_type, SETTINGS["ARCHIVE_RETENTION"].default[record_type])


def retention_class(org=None, record_types=RECORD_TYPES):
    """The retention written in a package's bag-info: "type: years|permanent" for each type."""
    return "; ".join(f"{kind}: {retention(kind, org)}" for kind in record_types)
