"""The archive's settings, with their defaults.

The registry reads a feature's ``settings.py`` only once the feature has an ``access.py``; until
the archive block lands, ``get`` reads a school's value the way ``core.config.get`` does (per
organisation, then global, under ``VN_ONLINE_TEACHING``) and falls back to the defaults here.
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
}


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
