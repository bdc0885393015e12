"""Comparing Vietnamese text the way people read it.

Names and subjects arrive composed or decomposed (NFC/NFD), with or without diacritics, in any
case; ``fold`` gives one key for all of them so "Toán", "TOÁN" and "toan" compare equal.
"""
import unicodedata


def nfc(text):
    return unicodedata.normalize("NFC", text or "").strip()


def fold(text):
    """Case- and diacritic-insensitive key (đ → d), whitespace collapsed."""
    decomposed = unicodedata.normalize("NFD", nfc(text).replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return " ".join(stripped.casefold().split())
