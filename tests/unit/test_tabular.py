"""Spreadsheets in and out (core/tabular.py)."""
import io

import openpyxl
import pytest
from django.utils import translation

from vn_online_teaching.core.errors import RequestError
from vn_online_teaching.core.tabular import csv_bytes, csv_rows, read_csv, sniff_delimiter, xlsx_book, xlsx_bytes

BOM = b"\xef\xbb\xbf"


def test_read_csv_without_bom():
    data = "username,role,subject\r\ngv_lan,teacher,Toán\r\n".encode("utf-8")
    assert read_csv(data, ["username", "role"]) == [
        {"username": "gv_lan", "role": "teacher", "subject": "Toán", "_line": 2}]


def test_read_csv_with_bom():
    data = BOM + "username,role\ngv_lan,teacher\n".encode("utf-8")
    assert read_csv(data, ["username", "role"]) == [{"username": "gv_lan", "role": "teacher", "_line": 2}]


def test_read_csv_from_text_with_bom():
    assert read_csv("\ufeffusername,role\ngv_lan,teacher\n", ["username"]) == [
        {"username": "gv_lan", "role": "teacher", "_line": 2}]


def test_headers_are_case_insensitive_and_stripped():
    data = " UserName ,ROLE,Subject\nGV_Lan, teacher ,Toán\n".encode("utf-8")
    assert read_csv(data, ["username", "role"]) == [
        {"username": "GV_Lan", "role": "teacher", "subject": "Toán", "_line": 2}]


def test_a_missing_column_is_refused():
    with translation.override("en"), pytest.raises(RequestError) as exc:
        read_csv(b"username,subject\ngv_lan,Toan\n", ["username", "role"])
    assert exc.value.code == "missing_column"
    assert exc.value.params == {"column": "role"}
    assert exc.value.message() == "The file has no column role."


def test_nul_bytes_are_refused():
    with translation.override("en"), pytest.raises(RequestError) as exc:
        read_csv(b"username,role\ngv_lan\x00,teacher\n", ["username"])
    assert exc.value.code == "bad_encoding"
    assert exc.value.message() == "The file must be a CSV file encoded in UTF-8."


def test_utf16_files_are_refused():
    with pytest.raises(RequestError) as exc:
        read_csv("username,role\ngv_lan,teacher\n".encode("utf-16"), ["username"])
    assert exc.value.code == "bad_encoding"


def test_non_utf8_files_are_refused():
    with pytest.raises(RequestError) as exc:
        read_csv("username,subject\ngv_lan,Toán\n".encode("cp1258"), ["username"])
    assert exc.value.code == "bad_encoding"


@pytest.mark.parametrize("data", [b"", BOM])
def test_an_empty_file_is_refused(data):
    with pytest.raises(RequestError) as exc:
        read_csv(data, ["username"])
    assert exc.value.code == "empty_file"


def test_a_header_only_file_has_no_rows():
    assert read_csv(b"username,role\r\n", ["username"]) == []


def test_blank_lines_are_skipped_and_line_numbers_kept():
    data = "a,b\n\nx,y\n,\n  ,  \nz,w\n".encode("utf-8")
    assert read_csv(data, ["a", "b"]) == [{"a": "x", "b": "y", "_line": 3}, {"a": "z", "b": "w", "_line": 6}]


def test_short_rows_are_padded_and_values_stripped():
    assert read_csv(b"a,b,c\n 1 \n", ["a"]) == [{"a": "1", "b": "", "c": "", "_line": 2}]


def test_quoted_values():
    data = 'name,note\n"Nguyễn, Thị Lan","nói ""xin chào"""\n'.encode("utf-8")
    assert read_csv(data, ["name"]) == [{"name": "Nguyễn, Thị Lan", "note": 'nói "xin chào"', "_line": 2}]


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolons_and_tabs_separate_cells_too(delimiter):
    """Excel in Vietnamese saves "CSV UTF-8" with semicolons, the comma being the decimal mark."""
    data = BOM + f"username{delimiter}full_name{delimiter}điểm\r\n".encode()
    data += f"gv_lan{delimiter}Lan, Nguyễn{delimiter}8,5\r\n".encode()
    assert read_csv(data, ["username", "full_name"]) == [
        {"username": "gv_lan", "full_name": "Lan, Nguyễn", "điểm": "8,5", "_line": 2}]


def test_the_header_line_alone_decides_the_delimiter():
    assert read_csv("tên lớp\n10A1; 10A2\n10A3;\n".encode(), ["tên lớp"]) == [
        {"tên lớp": "10A1; 10A2", "_line": 2}, {"tên lớp": "10A3;", "_line": 3}]


@pytest.mark.parametrize("content, delimiter", [
    ('Ngân hàng câu hỏi, Toán 12\nA;B;C;D\n', ";"),
    ('"Dòng 1,\n, vẫn, trong ô";x;y\n', ";"),
    ("a\tb\tc\n", "\t"),
    ("a;b,c\n", ","),
    ("chỉ một cột\n", ","),
])
def test_the_delimiter_is_the_one_the_table_uses_outside_quotes(content, delimiter):
    assert sniff_delimiter(content) == delimiter


def test_rows_keep_their_line_numbers_blank_ones_included():
    data = "a;b\r\n\r\n;\r\n\"x\ny\";z\rw;v\n".encode()
    assert list(csv_rows(data)) == [(1, ["a", "b"]), (2, []), (3, ["", ""]), (4, ["x\ny", "z"]), (5, ["w", "v"])]


def test_a_cell_too_large_to_read_is_refused():
    with translation.override("en"), pytest.raises(RequestError) as exc:
        read_csv(b'username,note\ngv_lan,"' + b"x" * 200_000 + b'"\n', ["username"])
    assert exc.value.code == "unreadable"
    assert exc.value.message() == "The file cannot be read."


def test_csv_bytes_starts_with_a_bom_and_uses_crlf():
    data = csv_bytes(["Họ tên", "Lớp", "Ghi chú"], [["Nguyễn Thị Ánh", "10A1", None], ["Trần, Văn Bình", 3, ""]])
    assert data.startswith(BOM)
    assert data == ("\ufeffHọ tên,Lớp,Ghi chú\r\nNguyễn Thị Ánh,10A1,\r\n\"Trần, Văn Bình\",3,\r\n").encode("utf-8")
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_csv_bytes_round_trips_through_read_csv():
    data = csv_bytes(["username", "full_name"], [["hs_anh", "Nguyễn Thị Ánh"]])
    assert read_csv(data, ["username"]) == [{"username": "hs_anh", "full_name": "Nguyễn Thị Ánh", "_line": 2}]


def open_book(data):
    return openpyxl.load_workbook(io.BytesIO(data))


def test_xlsx_bytes_opens_and_keeps_vietnamese():
    data = xlsx_bytes(["Họ tên", "Lớp", "Số buổi"], [["Nguyễn Thị Ánh", "10A1", 3], ["Đặng Quốc Huy", None, 0]],
                      "Sổ điểm danh")
    assert data.startswith(b"PK\x03\x04")
    book = open_book(data)
    assert book.sheetnames == ["Sổ điểm danh"]
    sheet = book["Sổ điểm danh"]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["Họ tên", "Lớp", "Số buổi"], ["Nguyễn Thị Ánh", "10A1", 3], ["Đặng Quốc Huy", None, 0]]
    assert sheet["A1"].font.bold is True
    assert sheet.freeze_panes == "A2"


def test_xlsx_sheet_titles_are_cut_to_31_characters():
    title = "Học liệu đã phê duyệt theo giáo viên"
    book = open_book(xlsx_bytes(["a"], [], title))
    assert book.sheetnames == [title[:31]]


def test_xlsx_book_with_several_sheets():
    book = open_book(xlsx_book([("Một", ["a"], [[1]]), ("Hai", ["b"], [["Đ"]])]))
    assert book.sheetnames == ["Một", "Hai"]
    assert book["Hai"]["A2"].value == "Đ"


@pytest.mark.parametrize("text", ["=1+1", '=HYPERLINK("https://evil.example","Bấm vào")', "+84 912 345 678",
                                  "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"])
def test_csv_text_that_a_spreadsheet_would_run_gets_a_leading_quote(text):
    """CSV has no cell types: Excel and LibreOffice run a cell starting with = + - @ (or a tab or
    carriage return before one) as a formula, so such text is written with a leading ' (CWE-1236)."""
    data = csv_bytes(["Tên học liệu"], [[text]])
    assert read_csv(data, ["tên học liệu"])[0]["tên học liệu"] == "'" + text


def test_csv_other_values_are_written_as_they_are():
    data = csv_bytes(["Tên", "Số"], [["Bình thường", -5], ["a=b", 0], [None, 3.5]])
    assert data.decode("utf-8-sig").splitlines() == ["Tên,Số", "Bình thường,-5", "a=b,0", ",3.5"]


def test_xlsx_text_stays_text():
    """A title or name typed by a user that starts with "=" must not become a live formula in
    the export (openpyxl turns such strings into formulas unless told otherwise)."""
    book = open_book(xlsx_bytes(["Tên học liệu"], [['=HYPERLINK("https://evil.example","Bấm vào")'], ["=1+1"]],
                                "Sổ"))
    sheet = book["Sổ"]
    assert sheet["A2"].data_type == "s"
    assert sheet["A3"].data_type == "s"
    assert sheet["A3"].value == "=1+1"


@pytest.mark.parametrize("text", ["=1+1", "+84 912 345 678", "-2+3", "@SUM(A1:A9)"])
def test_xlsx_cells_starting_like_a_formula_are_text(text):
    sheet = open_book(xlsx_bytes(["Tên", "Số"], [[text, -5]], "Sổ"))["Sổ"]
    assert (sheet["A2"].data_type, sheet["A2"].value) == ("s", text)
    assert (sheet["B2"].data_type, sheet["B2"].value) == ("n", -5)  # numbers stay numbers
