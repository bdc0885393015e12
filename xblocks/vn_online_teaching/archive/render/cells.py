"""One cell value as each format writes it.

Rows hold plain values (str, int, Decimal, date, datetime, bool, None). Machines get exact text:
ISO 8601 dates, instants in UTC with their offset, decimals digit for digit (never through a
float). People get the school's local time and the same digits.
"""
import datetime as dt
import unicodedata
from decimal import Decimal

from ...core import clock

UTC = dt.UTC

# A text cell starting with one of these is a formula to Excel and LibreOffice (CWE-1236): a title
# typed by a teacher must never run in the records officer's spreadsheet. The CSV writes such a
# cell with a leading apostrophe, which Excel shows as text and hides; the XLSX stores it as a
# text cell, exactly as typed.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def decimal_text(value):
    """Exact digits, never an exponent: Decimal("1E+2") is "100", Decimal("8.50") stays "8.50"."""
    return format(value, "f") if value.is_finite() else str(value)


def nfc(value):
    """Text in NFC (what input validation stores; checked cheaply, normalised only if needed)."""
    return value if value.isascii() or unicodedata.is_normalized("NFC", value) else unicodedata.normalize("NFC", value)


def instant_text(value):
    """ISO 8601; an instant (aware, or naive taken as UTC) in UTC with "Z", as ``clock.iso`` writes it."""
    if isinstance(value, dt.datetime):
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value.isoformat(timespec="microseconds")[:-6] + "Z"
    return value.isoformat()


# Each type's writer, looked up by exact type: a table of millions of cells is written in one pass.
TEXT = {
    str: nfc, int: str, type(None): lambda _v: "", bool: lambda v: "true" if v else "false",
    Decimal: decimal_text, dt.date: instant_text, dt.datetime: instant_text, dt.time: instant_text,
}


def text(value):
    """The machine text of a value: "" for None, "true"/"false", exact decimals, ISO dates."""
    writer = TEXT.get(type(value))
    if writer is not None:
        return writer(value)
    for kind, writer in TEXT.items():  # a subclass (a SafeString, an IntEnum)
        if isinstance(value, kind) and kind is not int:
            return writer(value)
    return nfc(str(value))


def _guard_text(value):
    """A text cell with the formula guard (``guarded`` for a ``str``)."""
    if not value.isascii() and not unicodedata.is_normalized("NFC", value):
        value = unicodedata.normalize("NFC", value)
    return "'" + value if value.startswith(FORMULA_START) else value


def remembered(convert, limit=4096):
    """``convert`` with the texts of the last few thousand distinct values kept: a table repeats its
    dates, times and labels on many rows (a lesson's date on each of its marks)."""
    seen = {}

    def cached(value):
        text = seen.get(value)
        if text is None:
            if len(seen) >= limit:
                seen.clear()
            text = seen[value] = convert(value)
        return text

    return cached


def csv_writers():
    """{exact type: its writer} for a CSV cell, None for what the csv module writes as it is (an
    int as its digits, None as ""); a type not in it is written by ``guarded``. Each call gives its
    own small caches, so a table's repeated dates are formatted once."""
    return {str: _guard_text, int: None, type(None): None, Decimal: decimal_text,
            dt.date: remembered(instant_text), dt.datetime: remembered(instant_text)}


def csv_converter():
    """A function from a row to the cells a ``csv.writer`` writes, as ``guarded`` writes each value
    (``csv_writers``). The writer for each value is looked up by its exact type, once per cell,
    with no chain of isinstance tests."""
    get = csv_writers().get

    def cells(row):
        return [value if (writer := get(value.__class__, guarded)) is None else writer(value) for value in row]

    return cells


def guarded(value):
    """``text`` with the formula guard of a spreadsheet cell: only text cells are guarded, so a
    negative number stays a number; the text "-5" gets its apostrophe."""
    if isinstance(value, str):
        value = nfc(value)
        return "'" + value if value.startswith(FORMULA_START) else value
    return text(value)


def local(value, org=None):
    """An instant as the school reads it (its own zone, no offset); other values unchanged."""
    if isinstance(value, dt.datetime):
        return clock.to_school(value, org).replace(tzinfo=None)
    return value


def display(value, language="vi", org=None):
    """Text on a printed page: dd/mm/yyyy dates, local times, decimal comma in Vietnamese."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else ""
    if isinstance(value, dt.datetime):
        return clock.display(value, org)
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        digits = decimal_text(value)
        return digits.replace(".", ",") if language == "vi" else digits
    return unicodedata.normalize("NFC", str(value))
