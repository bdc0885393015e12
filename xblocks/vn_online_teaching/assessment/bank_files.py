"""Reading an uploaded spreadsheet into rows of cells, defensively.

An upload is untrusted: its size and row count are bounded before anything is kept, an XLSX is
measured unpacked before openpyxl opens it (a small zip can unpack to gigabytes), and what the
file is comes from its bytes, not from its name. A CSV is read by the core's reader
(core/tabular.py): UTF-8 (Excel's "CSV UTF-8", with or without its BOM), separated by commas, or
by semicolons as Excel writes it where the comma is the decimal mark, as in Vietnam, or by tabs.
"""
import csv
import datetime as dt
import io
import zipfile
from decimal import Decimal

from ..core import tabular, text
from ..core.errors import RequestError
from ..core.i18n import N_, megabytes
from . import numbers
from .problems import Problem

MAX_BYTES = 2 * 1024 * 1024          # a bank of a thousand questions is a few hundred KB
MAX_ROWS = 1000                      # questions per file
MAX_COLUMNS = 40
MAX_UNPACKED = 50 * 1024 * 1024      # an XLSX's parts, unpacked
MAX_CELL = 60_000
MAX_TITLE_ROWS = 10                  # rows looked at for the header
CANNOT_READ = N_("The file cannot be read. Save it as Excel (.xlsx) or as CSV UTF-8 and try again.")


class FileProblem(Exception):
    def __init__(self, code, message, **params):
        super().__init__(code)
        self.problem = Problem("file", code, message, params)


def read_table(data, max_bytes=MAX_BYTES, max_rows=MAX_ROWS, is_header=None):
    """(header row number, header cells, [(row number, cells)]) of the first sheet of an XLSX or
    of a CSV, blank rows left out; ``FileProblem`` when it cannot be read. Cells are str, Decimal
    (a number cell), bool or a date or time (a cell Excel took for a date).

    The header is the first row ``is_header`` accepts among the first ``MAX_TITLE_ROWS``, so that
    a title typed above the table ("Ngân hàng câu hỏi Toán 12") is skipped; failing that, the
    first row (whose missing columns are then reported)."""
    if not isinstance(data, (bytes, bytearray)) or not data:
        raise FileProblem("empty_file", N_("The file is empty."))
    if len(data) > max_bytes:
        raise FileProblem("too_large", N_("The file is larger than {limit_mb} MB."), limit_mb=megabytes(max_bytes))
    if bytes(data[:4]) == b"PK\x03\x04":
        lines = _xlsx_rows(bytes(data))
    elif bytes(data[:8]) == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise FileProblem("old_excel", N_("This is an old Excel file (.xls). Save it as .xlsx or as CSV UTF-8."))
    else:
        lines = _csv_rows(bytes(data))
    header, rows, before = None, [], []
    try:
        for number, cells in lines:
            cells = [_cell(value) for value in cells[:MAX_COLUMNS]]
            if not any(c not in ("", None) for c in cells):
                continue
            if header is None:
                if is_header is None or is_header(cells):
                    header = (number, cells)
                elif len(before) + 1 < MAX_TITLE_ROWS:
                    before.append((number, cells))
                else:
                    header, rows = before[0], before[1:] + [(number, cells)]
                continue
            rows.append((number, cells))
            if len(rows) > max_rows:
                raise _too_many(max_rows)
    except (csv.Error, ValueError):  # a broken quote, an oversized cell, text that is not Unicode
        raise FileProblem("unreadable", CANNOT_READ) from None
    if header is None and before:
        header, rows = before[0], before[1:]
    if header is None:
        raise FileProblem("empty_file", N_("The file is empty."))
    if len(rows) > max_rows:
        raise _too_many(max_rows)
    return header[0], header[1], rows


def _too_many(limit):
    return FileProblem("too_many_rows", N_("The file has more than {limit} questions. Split it into several files."),
                       limit=limit)


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, str):
        if not text.is_valid(value) or len(value) > MAX_CELL:
            raise ValueError("cell")
        return value.strip()
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float, Decimal)):
        return numbers.parse_number(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value
    return str(value).strip()


def _xlsx_rows(data):
    from openpyxl import load_workbook  # noqa: PLC0415 - only imports need it

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > 1000 or sum(i.file_size for i in infos) > MAX_UNPACKED:
                raise FileProblem("too_large_unpacked", N_("The file is too large once unpacked."))
            if "xl/workbook.xml" not in archive.namelist():
                raise FileProblem("unreadable", CANNOT_READ)
    except zipfile.BadZipFile:
        raise FileProblem("unreadable", CANNOT_READ) from None
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - an upload: openpyxl raises many kinds on a damaged file
        raise FileProblem("unreadable", CANNOT_READ) from None
    try:
        sheet = book.worksheets[0]
        for number, cells in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1):
            yield number, list(cells)
    except FileProblem:
        raise
    except Exception:  # noqa: BLE001 - same: a damaged sheet fails while it is read
        raise FileProblem("unreadable", CANNOT_READ) from None
    finally:
        book.close()


def _csv_rows(data):
    """The core's CSV reader (core/tabular.py: UTF-8 with or without a BOM, the delimiter found
    outside quotes), its refusal told the way the bank's import tells it."""
    try:
        yield from tabular.csv_rows(data)
    except RequestError:  # not UTF-8, or NUL characters (a UTF-16 or binary file)
        raise FileProblem("bad_encoding", N_("The file must be Excel (.xlsx) or CSV encoded in UTF-8 (in Excel: "
                                             "Save as, CSV UTF-8).")) from None
