"""Comparing and cleaning Vietnamese text the way people read it.

Names and subjects arrive composed or decomposed (NFC/NFD), with or without diacritics, in any
case; ``fold`` gives one key for all of them so "Toán", "TOÁN" and "toan" compare equal.

Text also arrives from places that do not guarantee it is text at all (a JSON ``"\\ud800"``
escape, a meeting report, a file name): ``clean`` makes it something every later step can
store, print and write into a line format (a calendar file, a CSV row) without surprises.

Every normalisation goes through ``normalize``: CPython puts combining marks in order with an
insertion sort, so normalising a long run of stacked marks takes time quadratic in its length
(a few hundred kilobytes of accents hold a worker for minutes). Unicode's stream-safe text
format (UAX #15) allows at most 30 marks in a row and real text needs a handful (Vietnamese
two), so the marks beyond 30 in a row are dropped before normalising.
"""
import re
import unicodedata

MAX_MARKS = 30
# Starters that decompose into combining marks (UAX #15, "non-starter decompositions"): they
# lengthen a run of marks although their own combining class is 0.
_DECOMPOSE_TO_MARKS = frozenset("\u0f73\u0f75\u0f81")
_SURROGATE = re.compile("[\ud800-\udfff]")
_LINE_BREAK = re.compile("\r\n?|[\u2028\u2029]")
# C0 and C1 control characters except TAB and LF (CR is turned into LF before).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def is_valid(text):
    """True when ``text`` is valid Unicode: no lone surrogate (which no encoder can write)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def normalize(text, form="NFC"):
    """``text`` in normal form ``form``, runs of combining marks cut to ``MAX_MARKS``."""
    text = text or ""
    if unicodedata.is_normalized(form, text):
        return text
    return unicodedata.normalize(form, _cap_marks(text))


def _cap_marks(text):
    combining = unicodedata.combining
    kept, run, cut = [], 0, False
    for char in text:
        if combining(char) or char in _DECOMPOSE_TO_MARKS:
            run += 1
            if run > MAX_MARKS:
                cut = True
                continue
        else:
            run = 0
        kept.append(char)
    return "".join(kept) if cut else text


def clean(text, multiline=True):
    """``text`` safe to store and to write into any line format: lone surrogates become U+FFFD,
    CR LF, bare CR and the Unicode line and paragraph separators become LF, other control
    characters go, and (``multiline=False``) LF and TAB become spaces; NFC, stripped.

    Bare CR matters: calendar files and CSV readers take it as the end of a line, so a title
    with one would start a new property or row."""
    text = _SURROGATE.sub("\ufffd", text or "")
    text = _CONTROL.sub("", _LINE_BREAK.sub("\n", text))
    if not multiline:
        text = text.replace("\n", " ").replace("\t", " ")
    return normalize(text).strip()


def nfc(text):
    return normalize(text, "NFC").strip()


def fold(text):
    """Case- and diacritic-insensitive key (đ → d), whitespace collapsed."""
    decomposed = normalize(nfc(text).replace("đ", "d").replace("Đ", "D"), "NFD")
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return " ".join(stripped.casefold().split())
