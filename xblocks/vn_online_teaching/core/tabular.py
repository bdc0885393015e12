"""Spreadsheets in and out, the way Vietnamese offices open them.

CSV is written as UTF-8 with a BOM so Excel shows Vietnamese letters correctly; XLSX is written
with openpyxl. A CSV is read as Excel writes one: UTF-8 with or without its BOM ("CSV UTF-8"),
cells separated by commas, by semicolons where the comma is the decimal mark (Excel in
Vietnamese), or by tabs; headers match case-insensitively.
"""
import csv
import io

from .errors import RequestError
from .i18n import N_

NOT_UTF8 = N_("The file must be a CSV file encoded in UTF-8.")
DELIMITERS = (";", ",", "\t")
SNIFF_LINES = 10  # lines whose delimiters are counted: a title row or two, the header, some rows


def decode_csv(data):
    """The text of a CSV upload (bytes or text), its BOM removed; ``bad_encoding`` unless it is
    UTF-8 without NUL characters (a UTF-16 file has them between its letters)."""
    if isinstance(data, (bytes, bytearray)):
        try:
            data = bytes(data).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise RequestError("bad_encoding", NOT_UTF8) from None
    if "\x00" in data:
        raise RequestError("bad_encoding", NOT_UTF8)
    return data.lstrip("\ufeff")


def sniff_delimiter(content, lines=SNIFF_LINES):
    """";", "," or a tab: whichever the first ``lines`` lines hold most of outside quotes (Excel
    quotes a cell holding the delimiter, and the header row has one between every two columns; a
    title row above it has none or a few). A tie, or none at all, is a comma."""
    counts, quoted, seen = dict.fromkeys(DELIMITERS, 0), False, 0
    for char in content[:65536]:
        if char == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif char in counts:
            counts[char] += 1
        elif char == "\n":
            seen += 1
            if seen >= lines:
                break
    return max(DELIMITERS, key=lambda d: (counts[d], d == ","))


def csv_rows(data, sniff_lines=SNIFF_LINES):
    """(line number, cells) of every row of a CSV upload, blank rows included so that numbers
    match the spreadsheet's; read lazily, so a caller's row limit holds before the rest is read.
    The delimiter is sniffed from the first ``sniff_lines`` lines. ``bad_encoding`` at once
    (``decode_csv``); ``csv.Error`` while iterating over a row that cannot be read (an oversized
    cell)."""
    content = decode_csv(data)
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=sniff_delimiter(content, sniff_lines))
    return enumerate(reader, start=1)


def read_csv(data, required):
    """Rows of a CSV file as dicts keyed by lower-case header; refuses a file missing ``required``.
    The header is the first line, so its delimiters alone decide (a cell below holding a tab or a
    semicolon does not split a one-column file, such as one ``csv_bytes`` wrote)."""
    lines = csv_rows(data, sniff_lines=1)
    try:
        _number, header = next(lines)
        keys = [h.strip().lower() for h in header]
        missing = [c for c in required if c not in keys]
        if missing:
            raise RequestError("missing_column", N_("The file has no column {column}."), column=missing[0])
        rows = []
        for number, values in lines:
            if not any(v.strip() for v in values):
                continue
            row = {k: (values[i].strip() if i < len(values) else "") for i, k in enumerate(keys)}
            row["_line"] = number
            rows.append(row)
    except StopIteration:
        raise RequestError("empty_file", N_("The file is empty.")) from None
    except csv.Error:
        raise RequestError("unreadable", N_("The file cannot be read.")) from None
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
