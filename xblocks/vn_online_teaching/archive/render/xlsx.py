"""XLSX for people: one sheet per table, the column labels in bold on a frozen first row, dates as
Excel dates, instants in the school's local time, numbers as numbers.

Written by a small streaming writer of our own (``xlsxparts`` holds the workbook's fixed parts):
each row becomes its sheet XML as it comes and goes straight into the workbook's zip entry in a
temporary file, then the file is read back in chunks (``spool``); memory holds one chunk, whatever
the table's size. Text is stored as inline strings (a shared-string table would have to be held
whole until the end), so a text starting like a formula is a text cell, exactly as typed, never a
formula. openpyxl, which the export used before, builds an object per cell and took about seven
times as long for the same file (docs/performance.md, "Archive export").

Characters that XML cannot carry (control characters, which input validation already removes)
become U+FFFD. A text longer than an Excel cell holds (32,767 characters) ends with "…" (the CSV
and JSON Lines keep it whole). A table longer than Excel's row limit continues on a second sheet,
and so on (as does a sheet whose XML nears 2 GB, which a workbook's zip holds without ZIP64).
"""
import datetime as dt
import math
import re
import zipfile
from decimal import Decimal

from ...core import clock
from . import spool, xlsxparts
from .cells import decimal_text, remembered

MAX_ROWS = 1_048_576  # Excel's limit, header included
MAX_TEXT = 32_767  # characters in one Excel cell
# A sheet's XML stays under what a zip entry holds without the ZIP64 extension, which some
# spreadsheet programs do not read inside a workbook: a longer table continues on the next sheet.
MAX_SHEET_BYTES = 1_800_000_000
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
INVALID_TITLE = re.compile(r"[\[\]:*?/\\]")
# A text needing more than being put between tags: markup, a carriage return, what XML cannot carry.
SPECIAL = re.compile(r"[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
CHUNK = 64 * 1024
COMPRESSLEVEL = 6
EXCEL_EPOCH = dt.date(1899, 12, 30).toordinal()  # Excel's day 0 (1900 system, after its 1900-02-29)


def sheet_title(title, number):
    """Excel's rules: at most 31 characters, none of []:*?/\\; a later sheet gets " (2)"."""
    text = INVALID_TITLE.sub(" ", title).strip() or "Sheet"
    suffix = f" ({number})" if number > 1 else ""
    return text[:31 - len(suffix)] + suffix


def xml_text(value):
    """Text as XML character data: markup escaped, a carriage return kept as a reference, what XML
    cannot carry replaced by U+FFFD; cut with "…" past what a cell holds."""
    if len(value) > MAX_TEXT:
        value = value[:MAX_TEXT - 1] + "…"
    if SPECIAL.search(value) is None:
        return value
    value = ILLEGAL.sub("\ufffd", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _text_cell(value):
    """The end of a text cell: ``<c r="A2"`` + this. An empty text is no cell (as openpyxl wrote it:
    an empty cell reads back as empty)."""
    if not value:
        return ""
    return ' t="inlineStr"><is><t xml:space="preserve">' + xml_text(value) + "</t></is></c>"


def _number(text):
    return "><v>" + text + "</v></c>"


def _day_serial(day):
    return day.toordinal() - EXCEL_EPOCH


def _seconds(moment):
    return (moment.hour * 3600 + moment.minute * 60 + moment.second + moment.microsecond * 10 ** -6) / 86400


def cell_writers(org=None):
    """{type: function from a value to the end of its cell}; each table gets its own (its small
    caches for repeated dates). Instants are written in the school's local time."""
    zone = clock.school_zone(org)

    def instant(value):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        local = value.astimezone(zone).replace(tzinfo=None)
        return f' s="{xlsxparts.DATETIME}"' + _number(repr(_day_serial(local) + _seconds(local)))

    return {
        str: _text_cell,
        int: lambda value: _number(str(value)),
        bool: lambda value: ' t="b"' + _number("1" if value else "0"),
        float: lambda value: _number(repr(value)) if math.isfinite(value) else "",
        Decimal: lambda value: _number(decimal_text(value)) if value.is_finite() else _text_cell(str(value)),
        type(None): lambda _value: "",
        dt.date: remembered(lambda value: f' s="{xlsxparts.DATE}"' + _number(str(_day_serial(value)))),
        dt.datetime: remembered(instant),
        dt.time: lambda value: f' s="{xlsxparts.TIME}"' + _number(repr(_seconds(value))),
    }


def _fallback(writers):
    """The writer of a value whose exact type has none: a subclass's (a SafeString, an IntEnum), or
    its text."""
    def write(value):
        for kind in (bool, int, str, Decimal, float, dt.datetime, dt.date, dt.time):
            if isinstance(value, kind):
                return writers[kind](value)
        return _text_cell(str(value))

    return write


class Sheet:
    """One worksheet being written into the workbook's zip."""

    def __init__(self, book, number, labels):
        self.number, self.columns = number, len(labels)
        self.stream = book.open(f"xl/worksheets/sheet{number}.xml", "w")
        self.parts, self.size, self.rows, self.written = [], 0, 0, 0
        self.refs = ['<c r="' + column_letter(i) for i in range(1, len(labels) + 1)]
        self._put(xlsxparts.sheet_start(labels))
        self.row([f' s="{xlsxparts.BOLD}"' + _text_cell(label) if label else "" for label in labels])

    def _put(self, text):
        self.parts.append(text)
        self.size += len(text)
        if self.size >= CHUNK:
            self.flush()

    def flush(self):
        self.written += self.stream.write("".join(self.parts).encode("utf-8"))
        self.parts, self.size = [], 0

    def full(self):
        return self.rows >= MAX_ROWS or (self.rows > 1 and self.written >= MAX_SHEET_BYTES)

    def row(self, ends):
        """One row from the ends of its cells (``cell_writers``: what follows ``<c r="A2"``)."""
        self.rows += 1
        number = str(self.rows)
        cells = "".join([ref + number + '"' + end for ref, end in zip(self.refs, ends) if end])
        self._put('<row r="' + number + '">' + cells + "</row>")

    def close(self):
        self._put(xlsxparts.SHEET_END)
        self.flush()
        self.stream.close()


def column_letter(index):
    """Excel's column name of a 1-based index: 1 → A, 27 → AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def chunks(table, context):
    """Bytes chunks of the workbook; the rows are read (once) when the first chunk is asked."""
    path = spool.temporary_path(".xlsx")
    try:
        _write(path, table, context)
    except BaseException:
        spool.discard(path)
        raise
    yield from spool.read_back(path)


def _write(path, table, context):
    title, labels = context.gettext(table.title), context.labels(table)
    writers = cell_writers(context.org)
    get, other = writers.get, _fallback(writers)
    title = ILLEGAL.sub("\ufffd", title)
    titles = [sheet_title(title, 1)]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESSLEVEL) as book:
        sheet = Sheet(book, 1, labels)
        for row in table.rows():
            if sheet.full():
                sheet.close()
                titles.append(sheet_title(title, sheet.number + 1))
                sheet = Sheet(book, sheet.number + 1, labels)
            sheet.row([get(value.__class__, other)(value) for value in row])
        sheet.close()
        for name, text in xlsxparts.package_parts(titles, context.language):
            book.writestr(name, text.encode("utf-8"))
