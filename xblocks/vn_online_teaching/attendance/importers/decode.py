"""From uploaded bytes to rows of text cells.

Teachers upload whatever the platform or Excel wrote: UTF-8 with or without a BOM, UTF-16 (Teams,
and Excel's "Unicode text"), or the Vietnamese Windows code page when Excel re-saves a CSV. The
bytes are read only up to a limit, because an upload is untrusted and the limit must hold before
any memory is spent on the rest.
"""
import csv
import hashlib
import io
import re
import unicodedata

from .base import ReportError

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# Rows of a file read at most: the report of one lesson has a few hundred (a row per connection),
# and every row read is kept in the preview the teacher confirms.
DEFAULT_MAX_ROWS = 1000
# Control characters no spreadsheet export contains (tab, CR and LF are allowed).
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def read_limited(data, max_bytes=DEFAULT_MAX_BYTES):
    """The bytes of ``data`` (bytes or a binary file-like object), or ``too_large``.

    A file object is read at most ``max_bytes + 1`` bytes, and one that announces its size
    (Django's UploadedFile has ``size``) is refused before any read.
    """
    if isinstance(data, (bytes, bytearray, memoryview)):
        raw = bytes(data)
        if len(raw) > max_bytes:
            raise _too_large(max_bytes)
        return raw
    size = getattr(data, "size", None)
    if isinstance(size, int) and size > max_bytes:
        raise _too_large(max_bytes)
    raw = data.read(max_bytes + 1)
    if isinstance(raw, str):
        raise TypeError("open the report in binary mode")
    if len(raw) > max_bytes:
        raise _too_large(max_bytes)
    return bytes(raw)


def _too_large(max_bytes):
    return ReportError("too_large", {"limit_bytes": max_bytes,
                                     "limit_mb": round(max_bytes / (1024 * 1024), 1)})


def fingerprint(raw):
    return hashlib.sha256(raw).hexdigest()


def decode(raw):
    """(text, encoding name) of ``raw``; ``empty_file`` or ``binary_file`` when it is no text.

    The text is NFC-normalised, since the same Vietnamese letter arrives composed from one tool
    and decomposed from another and every later comparison assumes one form.
    """
    if not raw:
        raise ReportError("empty_file")
    if raw.startswith(b"\xef\xbb\xbf"):
        text, encoding = _strict(raw[3:], "utf-8"), "utf-8-sig"
    elif raw.startswith(b"\xff\xfe"):
        text, encoding = _strict(raw[2:], "utf-16-le"), "utf-16-le"
    elif raw.startswith(b"\xfe\xff"):
        text, encoding = _strict(raw[2:], "utf-16-be"), "utf-16-be"
    elif b"\x00" in raw:
        encoding = _utf16_without_bom(raw)
        if encoding is None:
            raise ReportError("binary_file", {"reason": "nul_bytes"})
        text = _strict(raw, encoding)
    else:
        try:
            text, encoding = raw.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            # Excel on Vietnamese Windows saves "CSV (Comma delimited)" in code page 1258.
            text, encoding = _strict(raw, "cp1258"), "cp1258"
    text = text.lstrip("\ufeff")
    if CONTROL.search(text):
        raise ReportError("binary_file", {"reason": "control_characters"})
    text = unicodedata.normalize("NFC", text)
    if not text.strip():
        raise ReportError("empty_file")
    return text, encoding


def _strict(raw, encoding):
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        raise ReportError("binary_file", {"reason": "undecodable"}) from None


def _utf16_without_bom(raw):
    """'utf-16-le' or 'utf-16-be' when the NUL bytes sit where UTF-16 puts them.

    A CSV is mostly ASCII (delimiters, digits, dates), so in UTF-16 one byte of most pairs is
    zero, always on the same side; binary data spreads its zeros on both sides.
    """
    if len(raw) % 2:
        return None
    pairs = len(raw) // 2
    even = raw[0::2].count(0)
    odd = raw[1::2].count(0)
    if odd >= 0.3 * pairs and even <= 0.02 * pairs:
        return "utf-16-le"
    if even >= 0.3 * pairs and odd <= 0.02 * pairs:
        return "utf-16-be"
    return None


def sniff_delimiter(text, sample_lines=50):
    """',' or '\\t'. Teams writes tabs and also commas inside its dates ("08/09/25, 08:20:05"),
    so commas are only counted outside quotes and tabs win unless commas clearly dominate."""
    tabs = commas = 0
    seen = 0
    for line in text.splitlines():
        if not line.strip():
            continue
        seen += 1
        if seen > sample_lines:
            break
        quoted = False
        for char in line:
            if char == '"':
                quoted = not quoted
            elif not quoted and char == "\t":
                tabs += 1
            elif not quoted and char == ",":
                commas += 1
    return "\t" if tabs and tabs * 2 >= commas else ","


def split_rows(text, delimiter, max_rows=None):
    """[(row number, [stripped cells])], blank rows included so numbers match the spreadsheet;
    ``too_many_rows`` as soon as more than ``max_rows`` rows are not blank."""
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = filled = 0
    try:
        for number, cells in enumerate(reader, start=1):
            cells = [cell.strip() for cell in cells]
            filled += not is_blank(cells)
            if max_rows is not None and filled > max_rows:
                raise ReportError("too_many_rows", {"limit": max_rows})
            rows.append((number, cells))
    except csv.Error:
        raise ReportError("bad_row", {"row": number + 1, "column": "", "value": ""}) from None
    return rows


def read_rows(data, max_bytes=DEFAULT_MAX_BYTES, max_rows=DEFAULT_MAX_ROWS):
    """Everything the parsers need from an upload: rows plus how they were read."""
    raw = read_limited(data, max_bytes)
    text, encoding = decode(raw)
    delimiter = sniff_delimiter(text)
    rows = split_rows(text, delimiter, max_rows)
    if all(is_blank(cells) for _, cells in rows):
        raise ReportError("empty_file")  # Excel's rendering of an empty sheet: ",,,,,"
    return rows, {"encoding": encoding, "delimiter": delimiter, "sha256": fingerprint(raw)}


def is_blank(cells):
    """Excel turns an empty line into ",,,,,", so blank means no non-empty cell."""
    return not any(cells)
