"""The workbooks of our own streaming writer (archive/render/xlsx.py) open as spreadsheets: every
part is well-formed XML, openpyxl reads them back with Vietnamese intact, numbers as numbers,
dates as dates (instants in the school's time), the header bold, the first row frozen, the
columns as wide as their headings; text that XML marks up or that starts like a formula stays
text, exactly as typed; memory holds a chunk, not the table."""
import datetime as dt
import io
import zipfile
from decimal import Decimal
from xml.etree import ElementTree

import openpyxl
from vn_online_teaching.archive import render
from vn_online_teaching.archive.render import xlsx, xlsxparts
from vn_online_teaching.core.exporting import Table

UTC = dt.UTC
COLUMNS = (("n", "No."), ("full_name", "Full name"), ("score", "Score"), ("day", "Date"), ("at", "Time"),
           ("note", "Remarks"), ("passed", "Passed"), ("starts", "Starts"), ("ratio", "Ratio"))
ROWS = [
    (1, "Nguyễn Thị Ánh", Decimal("8.50"), dt.date(2025, 9, 8), dt.datetime(2025, 10, 15, 2, 30, tzinfo=UTC),
     "ạ ả ã ấ ầ ẩ ẫ ậ ắ ằ ẳ ẵ ặ đ ơ ư ự ữ Ư Đ", True, dt.time(7, 30), 0.25),
    (-5, "=HYPERLINK(\"http://x\",\"Bấm\")", Decimal("1E+1"), None, dt.datetime(2025, 10, 15, 9, 30), "<b>A & B</b>",
     False, None, None),
    (12345678901, "  lề hai bên  ", None, dt.date(2026, 1, 2), None, "dòng 1\r\ndòng 2\nchuông\x07", None, None,
     float("nan")),
]


def context(language="vi"):
    return render.Context(school="THCS Nguyễn Du", course="Toán 6A", language=language)


def workbook(rows=ROWS, columns=COLUMNS, language="vi"):
    table = Table("attendance", "logbook", "Class logbook", columns, lambda: iter(rows), printable="logbook")
    return b"".join(xlsx.chunks(table, context(language)))


def test_every_part_is_well_formed_xml_and_the_content_types_name_every_sheet():
    with zipfile.ZipFile(io.BytesIO(workbook())) as book:
        names = book.namelist()
        for name in names:
            ElementTree.fromstring(book.read(name))
        types = book.read("[Content_Types].xml").decode("utf-8")
    assert "xl/worksheets/sheet1.xml" in names and "/xl/worksheets/sheet1.xml" in types
    assert {"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
            "xl/styles.xml"} <= set(names)


def test_openpyxl_reads_back_vietnamese_numbers_and_dates():
    sheet = openpyxl.load_workbook(io.BytesIO(workbook())).active
    assert sheet.title == "Sổ đầu bài"
    assert [c.value for c in sheet[1]] == ["STT", "Họ và tên", "Điểm", "Ngày", "Thời điểm", "Nhận xét", "Passed",
                                           "Starts", "Ratio"]
    first = [c.value for c in sheet[2]]
    assert first[:3] == [1, "Nguyễn Thị Ánh", 8.5] and first[5] == ROWS[0][5]
    assert first[3] == dt.datetime(2025, 9, 8) and sheet["D2"].number_format == "yyyy-mm-dd"
    assert first[4] == dt.datetime(2025, 10, 15, 9, 30)  # the school's time (UTC+7), as people read it
    assert sheet["E2"].is_date and sheet["E2"].number_format == "yyyy-mm-dd h:mm:ss"
    assert first[6] is True and first[7] == dt.time(7, 30) and first[8] == 0.25
    assert sheet["A3"].value == -5 and sheet["C3"].value == 10 and sheet["G3"].value is False
    assert sheet["E3"].value == dt.datetime(2025, 10, 15, 16, 30)  # a naive instant is UTC
    assert sheet["A4"].value == 12345678901 and sheet["A4"].data_type == "n"
    assert sheet["D3"].value is None and sheet["I4"].value is None  # None and NaN: empty cells


def test_text_is_kept_exactly_as_typed():
    sheet = openpyxl.load_workbook(io.BytesIO(workbook())).active
    assert sheet["B3"].value == ROWS[1][1] and sheet["B3"].data_type == "s"  # never a formula
    assert sheet["F3"].value == "<b>A & B</b>"
    assert sheet["B4"].value == "  lề hai bên  "
    assert sheet["F4"].value == "dòng 1\r\ndòng 2\nchuông\ufffd"  # what XML cannot carry becomes U+FFFD


def test_the_header_is_bold_frozen_and_the_columns_as_wide_as_their_headings():
    sheet = openpyxl.load_workbook(io.BytesIO(workbook(language="en"))).active
    assert all(c.font.b for c in sheet[1]) and not sheet["B2"].font.b
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 10  # "No.": the narrowest column
    assert sheet.column_dimensions["B"].width == len("Full name") + 4


def test_many_columns_get_excels_column_names():
    columns = [(f"c{i}", f"Column {i}") for i in range(30)]
    sheet = openpyxl.load_workbook(io.BytesIO(workbook([tuple(range(30))], columns))).active
    assert sheet["AD2"].value == 29 and xlsx.column_letter(28) == "AB" and xlsx.column_letter(703) == "AAA"


def test_a_sheet_nearing_the_zip_limit_continues_on_the_next(monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_SHEET_BYTES", 1)
    monkeypatch.setattr(xlsx, "CHUNK", 1)
    book = openpyxl.load_workbook(io.BytesIO(workbook(language="en")))
    assert book.sheetnames == ["Class logbook", "Class logbook (2)", "Class logbook (3)"]
    assert [s["B2"].value for s in book.worksheets] == [r[1] for r in ROWS]
    assert all(s.max_row == 2 and s["B1"].value == "Full name" for s in book.worksheets)


def test_sheet_names_and_labels_with_markup_are_escaped():
    assert 'name="A &amp; B &lt;1&gt;"' in xlsxparts.package_parts(["A & B <1>"], "vi")[2][1]
    table = Table("a", "b", "Điểm & <ghi chú>", (("x", "Tên & <họ>"),), lambda: iter([("a",)]), printable="logbook")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.chunks(table, context())))).active
    assert sheet.title == "Điểm & <ghi chú>" and sheet["A1"].value == "Tên & <họ>"
