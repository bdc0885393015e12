"""Cognitive levels (mức độ nhận thức) a question is written for, in the three scales schools use.

Blueprints since 2024 count questions by Biết / Hiểu / Vận dụng; older blueprints, still used by
many schools' question banks, count by Nhận biết / Thông hiểu / Vận dụng / Vận dụng cao; primary
schools count by Mức 1–3 (docs/circular-09.md, periodic assessment). A question stores one level
code. "van_dung" is shared by the two secondary scales: it is the same level with the same name
in both, so a bank written for one scale keeps its applying questions when a school moves on.

Codes are stored in questions, blueprints and attempts: never rename one.
"""
from dataclasses import dataclass

from ..core import text
from ..core.i18n import N_, gettext


@dataclass(frozen=True)
class Level:
    code: str
    label: str        # English message id; its Vietnamese translation is the level's usual name
    vietnamese: str   # the usual name, also accepted in a teacher's spreadsheet whatever the language
    aliases: tuple = ()  # other ways teachers write it (abbreviations of blueprints, English)


LEVELS = {level.code: level for level in (
    Level("biet", N_("Knowing"), "Biết", ("know", "knowing")),
    Level("hieu", N_("Understanding"), "Hiểu", ("understand", "understanding")),
    Level("van_dung", N_("Applying"), "Vận dụng", ("vd", "apply", "applying", "application")),
    Level("nhan_biet", N_("Recognising"), "Nhận biết", ("nb", "recognise", "recognize", "recognising")),
    Level("thong_hieu", N_("Comprehending"), "Thông hiểu", ("th", "comprehend", "comprehending")),
    Level("van_dung_cao", N_("Applying at a higher level"), "Vận dụng cao",
          ("vdc", "advanced application", "high application")),
    Level("muc_1", N_("Level 1"), "Mức 1", ("m1", "muc1", "level1")),
    Level("muc_2", N_("Level 2"), "Mức 2", ("m2", "muc2", "level2")),
    Level("muc_3", N_("Level 3"), "Mức 3", ("m3", "muc3", "level3")),
)}

# Scale code → its levels, lowest first (the order a blueprint's columns are read in).
THREE_LEVELS, FOUR_LEVELS, PRIMARY = "three_levels", "four_levels", "primary"
SCALES = {
    THREE_LEVELS: ("biet", "hieu", "van_dung"),
    FOUR_LEVELS: ("nhan_biet", "thong_hieu", "van_dung", "van_dung_cao"),
    PRIMARY: ("muc_1", "muc_2", "muc_3"),
}
SCALE_LABELS = {
    THREE_LEVELS: N_("Knowing, understanding, applying (from 2024)"),
    FOUR_LEVELS: N_("Recognising, comprehending, applying, applying at a higher level (older blueprints)"),
    PRIMARY: N_("Levels 1 to 3 (primary school)"),
}
DEFAULT_SCALE = THREE_LEVELS

# Every level from the lowest up, so that sorting any scale's codes by it gives that scale's order.
RANK = {code: i for i, code in enumerate(("nhan_biet", "biet", "thong_hieu", "hieu", "van_dung", "van_dung_cao",
                                          "muc_1", "muc_2", "muc_3"))}


def _names():
    names = {}
    for level in LEVELS.values():
        for name in (level.code, level.code.replace("_", " "), level.label, level.vietnamese) + level.aliases:
            names[text.fold(name)] = level.code
    return names


_BY_NAME = _names()


def find(value):
    """The level code a person means by ``value`` (a code, the Vietnamese or English name, or a
    usual abbreviation: NB, TH, VD, VDC, M1), compared without case, accents or extra spaces;
    None if it names no level."""
    if not isinstance(value, str):
        return None
    return _BY_NAME.get(text.fold(value))


def in_scale(code, scale):
    return code in SCALES.get(scale, ())


def label(code):
    """The level's name in the reader's language ("" for an unknown code)."""
    return gettext(LEVELS[code].label) if code in LEVELS else ""


def names(scale=None):
    """The names of the levels of ``scale`` lowest first (every level, scale by scale, when None),
    for messages."""
    codes = SCALES[scale] if scale else tuple(LEVELS)
    return ", ".join(label(c) for c in codes)
