"""Spreadsheets in and out, the way Vietnamese offices open them.

CSV is written as UTF-8 with a BOM so Excel shows Vietnamese letters correctly; XLSX is written
with openpyxl. Reading accepts UTF-8 with or without a BOM and matches headers case-insensitively.
"""
import csv
import io

from .errors import RequestError
from .i18n import N_


def read_csv(data, required):
    """Rows of a CSV file as dicts keyed by lower-case header; refuses a file missing ``required``."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise RequestError("bad_encoding", N_("The file must be a CSV file encoded in UTF-8.")) from None
    if "\x00" in data:
        raise RequestError("bad_encoding", N_("The file must be a CSV file encoded in UTF-8."))
    reader = csv.reader(io.StringIO(data.lstrip("\ufeff")))
    try:
        header = next(reader)
    except StopIteration:
        raise RequestError("empty_file", N_("The file is empty.")) from None
    keys = [h.strip().lower() for h in header]
    missing = [c for c in required if c not in keys]
    if missing:
        raise RequestError("missing_column", N_("The file has no column {column}."), column=missing[0])
    rows = []
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        row = {k: (values[i].strip() if i < len(values) else "") for i, k in enumerate(keys)}
        row["_line"] = number
        rows.append(row)
    return rows


# A text cell starting with one of these is a formula to Excel and LibreOffice (CWE-1236): a
# title typed by a teacher must never run in the records officer's spreadsheet.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_bytes(headers, rows):
    """UTF-8 with BOM, CRLF line ends: what Excel on Windows expects."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_csv_cell(h) for h in headers])
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(headers, rows, title):
    return xlsx_book([(title, headers, rows)])


def xlsx_book(sheets):
    """An XLSX workbook of [(title, headers, rows)], bold frozen headers, columns sized to fit."""
    from openpyxl import Workbook  # noqa: PLC0415 - only exports need it
    from openpyxl.styles import Font  # noqa: PLC0415

    book = Workbook()
    book.remove(book.active)
    for title, headers, rows in sheets:
        sheet = book.create_sheet(title[:31])
        sheet.append(list(headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(["" if v is None else v for v in row])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                    cell.data_type = "s"  # text as typed, never a formula
        for i, header in enumerate(headers, start=1):
            width = max([len(str(header))] + [len(str(r[i - 1] or "")) for r in rows]) + 2
            sheet.column_dimensions[sheet.cell(row=1, column=i).column_letter].width = min(width, 60)
        sheet.freeze_panes = "A2"
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
