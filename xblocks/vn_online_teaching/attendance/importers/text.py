"""Folding text so that spelling variants compare equal.

Headers change case between platform versions and follow the host's UI language; names arrive
with or without diacritics, composed or decomposed. One folding function serves both, so a
header written ``Thời gian tham gia`` and one written ``thoi gian tham gia`` are the same column.
"""
import unicodedata


def fold(text):
    """Lower case, no diacritics, đ → d, single spaces."""
    text = text or ""
    if text.isascii():  # most cells: no need to decompose character by character
        return " ".join(text.casefold().split())
    text = unicodedata.normalize("NFD", unicodedata.normalize("NFC", text or ""))
    text = "".join(char for char in text if unicodedata.category(char) != "Mn")
    text = text.replace("đ", "d").replace("Đ", "D").casefold()
    return " ".join(text.split())


def header_key(text):
    return fold(text).rstrip(":").strip()


def find_columns(cells, spec):
    """{field: column index} for a header row, or None when a required field is missing.

    ``spec`` maps each field to ``(required, exact names, words)``: an exact (folded) name wins,
    otherwise the first unused header containing one of the words. Words let "Join Time",
    "Join time" and "Join time (UTC+07:00)" all be found without listing every version.
    """
    keys = [header_key(cell) for cell in cells]
    used = set()
    found = {}
    for field, (required, exact, words) in spec.items():
        index = next((i for i, key in enumerate(keys) if i not in used and key in exact), None)
        if index is None:
            index = next((i for i, key in enumerate(keys)
                          if i not in used and key and any(word in key for word in words)), None)
        if index is None:
            if required:
                return None
            continue
        used.add(index)
        found[field] = index
    return found


def cell(cells, index):
    """The cell at ``index``; rows that Excel shortened simply lack their empty tail."""
    if index is None or index >= len(cells):
        return ""
    return cells[index]


def clean_email(value):
    value = (value or "").strip().strip("<>").lower()
    return value if "@" in value and " " not in value else None
