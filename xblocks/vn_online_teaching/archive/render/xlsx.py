"""XLSX for people: one sheet per table, the column labels in bold on a frozen first row, dates as
Excel dates, instants in the school's local time, numbers as numbers.

Written with openpyxl's write-only mode, which streams rows to a temporary file instead of
building the sheet in memory, then read back in chunks (``spool``). Text that starts like a
formula is stored as a text cell, exactly as typed, never as a formula. Characters that XML
cannot carry (control characters, which input validation already removes) become U+FFFD. A text
longer than an Excel cell holds (32,767 characters) ends with "…" (the CSV and JSON Lines keep it
whole). A table longer than Excel's row limit continues on a second sheet, and so on.
"""
import re

from . import spool
from .cells import FORMULA_START, local

MAX_ROWS = 1_048_576  # Excel's limit, header included
MAX_TEXT = 32_767  # characters in one Excel cell
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
INVALID_TITLE = re.compile(r"[\[\]:*?/\\]")


def sheet_title(title, number):
    """Excel's rules: at most 31 characters, none of []:*?/\\; a later sheet gets " (2)"."""
    text = INVALID_TITLE.sub(" ", title).strip() or "Sheet"
    suffix = f" ({number})" if number > 1 else ""
    return text[:31 - len(suffix)] + suffix


def _cell(sheet, value, org):
    """The value as openpyxl writes it: plain values as they are (openpyxl gives dates their date
    format), a text starting like a formula or holding characters XML cannot carry as a text cell."""
    value = local(value, org)
    if not isinstance(value, str) or not (
            value.startswith(FORMULA_START) or len(value) > MAX_TEXT or ILLEGAL.search(value)):
        return value
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415 - only exports need openpyxl

    if len(value) > MAX_TEXT:
        value = value[:MAX_TEXT - 1] + "…"
    cell = WriteOnlyCell(sheet, value=ILLEGAL.sub("\ufffd", value))
    cell.data_type = "s"  # a text starting with "=" stays text, never a formula
    return cell


def _new_sheet(book, title, number, labels):
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415
    from openpyxl.styles import Font  # noqa: PLC0415

    sheet = book.create_sheet(sheet_title(title, number))
    sheet.freeze_panes = "A2"
    for index, label in enumerate(labels, start=1):
        letter = _column_letter(index)
        sheet.column_dimensions[letter].width = max(10, min(50, len(label) + 4))
    header = []
    for label in labels:
        cell = WriteOnlyCell(sheet, value=ILLEGAL.sub("\ufffd", label))
        cell.data_type = "s"
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    return sheet


def _column_letter(index):
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    return get_column_letter(index)


def chunks(table, context):
    """Bytes chunks of the workbook; the rows are read (once) when the first chunk is asked."""
    from openpyxl import Workbook  # noqa: PLC0415

    path = spool.temporary_path(".xlsx")
    try:
        book = Workbook(write_only=True)
        title, labels = context.gettext(table.title), context.labels(table)
        number = 1
        sheet, written = _new_sheet(book, title, number, labels), 1
        for row in table.rows():
            if written >= MAX_ROWS:
                number += 1
                sheet, written = _new_sheet(book, title, number, labels), 1
            sheet.append([_cell(sheet, value, context.org) for value in row])
            written += 1
        book.save(path)
    except BaseException:
        spool.discard(path)
        raise
    yield from spool.read_back(path)
