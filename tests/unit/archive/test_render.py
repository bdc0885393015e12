"""The data files a table becomes in an archive package (archive/render): CSV with a BOM that Excel
and the csv module read back with Vietnamese intact, JSON Lines with exact decimals, the table's
description, XLSX that openpyxl reads back; formulas never run; rows read once, lazily, with
memory that does not grow with the table."""
import csv
import datetime as dt
import io
import json
import tracemalloc
from decimal import Decimal

import openpyxl
import pytest
from vn_online_teaching.archive import render
from vn_online_teaching.archive.render import csvfile, jsonl, xlsx
from vn_online_teaching.core.exporting import Table

UTC = dt.UTC
COLUMNS = (("date", "Date"), ("full_name", "Full name"), ("score", "Score"), ("note", "Remarks"),
           ("at", "Time"), ("n", "No."))
ROWS = [
    (dt.date(2025, 9, 8), "Nguyễn Thị Ánh", Decimal("8.50"), "Đặng Quốc Huy vắng (có phép); ạ ả ã ấ ầ ẩ ẫ ậ ắ ằ ẳ ẵ ặ đ ơ ư ự ữ",
     dt.datetime(2025, 10, 15, 2, 30, tzinfo=UTC), -5),
    (dt.date(2025, 9, 9), "=HYPERLINK(\"http://evil\",\"Bấm\")", Decimal("1E+1"), "+84 912 345 678",
     None, 0),
    (dt.date(2025, 9, 10), "@SUM(A1)", None, "-5", dt.datetime(2025, 10, 15, 17, 0, tzinfo=UTC), 7),
]


def table(rows=ROWS, printable=None, columns=COLUMNS, name="marks"):
    return Table("attendance", name, "Class logbook", columns, lambda: iter(rows), printable=printable)


def joined(chunks):
    return b"".join(chunks)


def context(language="vi"):
    return render.Context(school="THCS Nguyễn Du", course="Toán 6A", language=language)


# -- CSV ------------------------------------------------------------------------------------------

def test_csv_starts_with_a_bom_and_reads_back_with_vietnamese_intact():
    data = joined(csvfile.chunks(table()))
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["date", "full_name", "score", "note", "at", "n"]
    assert rows[1] == ["2025-09-08", "Nguyễn Thị Ánh", "8.50", ROWS[0][3], "2025-10-15T02:30:00.000000Z", "-5"]


def test_csv_guards_text_that_a_spreadsheet_would_run_as_a_formula():
    rows = list(csv.reader(io.StringIO(joined(csvfile.chunks(table())).decode("utf-8-sig"), newline="")))
    assert rows[2][1] == "'" + ROWS[1][1] and rows[2][3] == "'+84 912 345 678"
    assert rows[3][1] == "'@SUM(A1)" and rows[3][3] == "'-5"
    assert rows[1][5] == "-5"  # a number is not text: no apostrophe
    assert rows[2][2] == "10" and rows[2][4] == "" and rows[3][2] == ""  # exact digits, no exponent; None empty


def test_csv_is_written_in_chunks_as_the_rows_come():
    many = [(dt.date(2025, 9, 8), f"Học sinh {i}", Decimal(i), "", None, i) for i in range(20000)]
    chunks = list(csvfile.chunks(table(many)))
    assert len(chunks) > 5 and all(len(c) < 2 * csvfile.CHUNK for c in chunks)
    assert joined(chunks).decode("utf-8-sig").count("\r\n") == 20001


# -- JSON Lines and the description ---------------------------------------------------------------

def test_jsonl_is_one_object_per_row_with_exact_decimals_and_iso_dates():
    lines = joined(jsonl.chunks(table())).decode("utf-8").splitlines()
    assert len(lines) == 3
    first = json.loads(lines[0], parse_float=Decimal)
    assert list(first) == [key for key, _label in COLUMNS]
    assert first == {"date": "2025-09-08", "full_name": "Nguyễn Thị Ánh", "score": Decimal("8.50"),
                     "note": ROWS[0][3], "at": "2025-10-15T02:30:00.000000Z", "n": -5}
    assert str(first["score"]) == "8.50" and "Nguyễn" in lines[0]  # digit for digit, letters not escaped
    second = json.loads(lines[1], parse_float=Decimal)
    assert second["full_name"] == ROWS[1][1] and second["score"] == Decimal(10) and second["at"] is None


def test_the_description_names_the_columns_in_the_package_language_and_counts_the_rows():
    files = dict(render.table_files(table(), "attendance/marks", context("vi")))
    assert joined(files["attendance/marks.jsonl"]).count(b"\n") == 3
    description = json.loads(joined(files["attendance/marks.table.json"]))
    assert description["title"] == "Sổ đầu bài" and description["title_en"] == "Class logbook"
    assert description["columns"][0] == {"key": "date", "label": "Ngày", "label_en": "Date"}
    assert description["rows"] == 3 and description["rows_file"] == "marks.jsonl"
    unread = dict(render.table_files(table(), "attendance/marks", context("en")))
    english = json.loads(joined(unread["attendance/marks.table.json"]))
    assert english["rows"] is None and english["columns"][0]["label"] == "Date"


# -- XLSX -----------------------------------------------------------------------------------------

def read_xlsx(data):
    return openpyxl.load_workbook(io.BytesIO(data))


def test_xlsx_reads_back_with_vietnamese_intact_a_bold_header_and_real_dates_and_numbers():
    book = read_xlsx(joined(xlsx.chunks(table(), context("vi"))))
    sheet = book.active
    assert sheet.title == "Sổ đầu bài" and sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["Ngày", "Họ và tên", "Điểm"] and header[5] == "STT" and len(header) == 6
    assert all(c.font.b for c in sheet[1])
    row = [c.value for c in sheet[2]]
    assert row[0] == dt.datetime(2025, 9, 8) and row[1] == "Nguyễn Thị Ánh" and row[2] == 8.5
    assert row[3] == ROWS[0][3] and row[5] == -5
    assert row[4] == dt.datetime(2025, 10, 15, 9, 30)  # the school's time (UTC+7), as people read it


def test_xlsx_keeps_formula_like_text_as_text():
    sheet = read_xlsx(joined(xlsx.chunks(table(), context()))).active
    for cell in (sheet["B3"], sheet["D3"], sheet["B4"], sheet["D4"]):
        assert cell.data_type == "s", cell.value
    assert sheet["B3"].value == ROWS[1][1] and sheet["D4"].value == "-5"


def test_xlsx_continues_on_a_second_sheet_past_the_row_limit(monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_ROWS", 3)
    book = read_xlsx(joined(xlsx.chunks(table(), context("en"))))
    assert book.sheetnames == ["Class logbook", "Class logbook (2)"]
    assert book.worksheets[1]["A1"].value == "Date"
    assert book.worksheets[0].max_row == 3 and book.worksheets[1].max_row == 2


def test_xlsx_sheet_titles_follow_excels_rules():
    title = xlsx.sheet_title("Điểm: lớp 10A1 / học kỳ [I] và học kỳ II", 1)
    assert len(title) == 31 and title.startswith("Điểm  lớp 10A1") and not set(title) & set("[]:*?/\\")
    assert len(xlsx.sheet_title("x" * 40, 12)) == 31 and xlsx.sheet_title("x" * 40, 12).endswith(" (12)")


# -- the call the package builder makes -----------------------------------------------------------

def test_table_files_names_every_format_and_reads_nothing_before_the_bag_does():
    calls = []

    def rows():
        calls.append(1)
        return iter(ROWS)

    ctx = context()
    data_only = Table("attendance", "marks", "Class logbook", COLUMNS, rows)
    pairs = list(render.table_files(data_only, "attendance/marks", ctx))
    assert [path for path, _source in pairs] == [
        "attendance/marks.csv", "attendance/marks.jsonl", "attendance/marks.table.json"]
    assert calls == [] and ctx.titles == {"attendance/marks": ("attendance", "Sổ đầu bài")}
    for _path, source in pairs:
        joined(source)
    assert len(calls) == 1  # the CSV's reading also writes the JSON Lines
    printed = Table("attendance", "logbook", "Class logbook", COLUMNS, rows, printable="logbook")
    assert [p for p, _s in render.table_files(printed, "attendance/logbook", ctx)][-1] == "attendance/logbook.pdf"


def spooled():
    import glob
    import tempfile

    return set(glob.glob(f"{tempfile.gettempdir()}/vnot-archive-*"))


def test_every_format_of_a_printed_table_comes_from_one_reading_of_its_rows():
    calls = []

    def rows():
        calls.append(1)
        return iter(ROWS)

    before = spooled()
    printed = Table("attendance", "logbook", "Class logbook", COLUMNS, rows, printable="logbook")
    files = {path: joined(source) for path, source in render.table_files(printed, "attendance/logbook", context())}
    assert calls == [1]
    assert files["attendance/logbook.csv"] == joined(csvfile.chunks(table()))
    assert files["attendance/logbook.jsonl"] == joined(jsonl.chunks(table()))
    assert json.loads(files["attendance/logbook.table.json"])["rows"] == len(ROWS)
    sheet = read_xlsx(files["attendance/logbook.xlsx"]).active
    assert sheet["B2"].value == "Nguyễn Thị Ánh" and sheet["C2"].value == Decimal("8.50")
    assert files["attendance/logbook.pdf"].startswith(b"%PDF")
    assert spooled() <= before  # the spooled lines and rows are removed once read


def test_a_format_read_before_the_csv_reads_the_rows_itself():
    calls = []

    def rows():
        calls.append(1)
        return iter(ROWS)

    pairs = dict(render.table_files(Table("attendance", "marks", "Marks", COLUMNS, rows), "a/marks", context()))
    assert joined(pairs["a/marks.jsonl"]) == joined(jsonl.chunks(table()))
    assert joined(pairs["a/marks.csv"]) == joined(csvfile.chunks(table())) and len(calls) == 2


def test_files_spooled_after_every_pair_was_taken_are_removed_once_nothing_reads_them():
    """A reader that takes every pair first, then reads some sources (an index page, a test),
    leaves nothing behind in the temporary folder."""
    import gc

    before = spooled()
    printed = Table("attendance", "logbook", "Class logbook", COLUMNS, lambda: iter(ROWS), printable="logbook")
    pairs = dict(render.table_files(printed, "attendance/logbook", context()))
    joined(pairs["attendance/logbook.csv"])  # the JSON lines and the rows are spooled, never read back
    assert spooled() - before
    del pairs
    gc.collect()
    assert spooled() <= before


# -- memory ---------------------------------------------------------------------------------------

def many_rows(n):
    """Rows as a database would give them: each its own tuple, its own number and name."""
    day, at, score = dt.date(2025, 9, 1), dt.datetime(2025, 9, 1, 1, 0, tzinfo=UTC), Decimal("8.5")
    for i in range(n):
        yield (day, f"Nguyễn Văn An {i}", score, "có mặt", at, i)


def peak(consume):
    tracemalloc.start()
    try:
        consume()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


BOUND = 4 * 1024 * 1024


def test_200000_rows_render_to_csv_and_jsonl_without_being_held():
    """A list of the rows would take many times the bound; the renderers hold a chunk at a time."""
    big = Table("attendance", "marks", "Marks", COLUMNS, lambda: many_rows(200_000))
    assert peak(lambda: list(many_rows(200_000))) > 5 * BOUND

    def drain(chunks):
        return lambda: sum(len(c) for c in chunks)

    assert peak(drain(csvfile.chunks(big))) < BOUND
    assert peak(drain(jsonl.chunks(big))) < BOUND


def test_one_reading_spools_the_json_lines_and_the_rows_to_disk_not_to_memory():
    from vn_online_teaching.archive.render import onepass

    big = Table("attendance", "marks", "Marks", COLUMNS, lambda: many_rows(200_000))
    one = onepass.OnePass(big, keep_rows=True)
    assert peak(lambda: sum(len(c) for c in one.csv())) < BOUND
    assert one.count == 200_000
    assert peak(lambda: sum(1 for _row in one.kept().rows())) < BOUND
    assert peak(lambda: sum(len(c) for c in one.jsonl(jsonl.Counter()))) < BOUND
    one.close()


def test_xlsx_memory_does_not_grow_with_the_table():
    """openpyxl's write-only mode streams rows to a temporary file: 20,000 rows take no more memory
    than 5,000, and far less than a list of them."""
    def run(n):
        big = Table("attendance", "marks", "Marks", COLUMNS, lambda: many_rows(n))
        return peak(lambda: sum(len(c) for c in xlsx.chunks(big, context())))

    run(10)  # openpyxl's modules loaded outside the measure
    small, large = run(5_000), run(20_000)
    assert large < BOUND and large < small * 1.5 + 256 * 1024
    assert peak(lambda: list(many_rows(20_000))) > 2 * large


@pytest.mark.parametrize("value, expected", [
    (Decimal("8.50"), "8.50"), (Decimal("1E+2"), "100"), (Decimal("-0.25"), "-0.25"), (True, "true"),
    (dt.date(2026, 1, 2), "2026-01-02"), (dt.datetime(2026, 1, 2, 3, 4, 5), "2026-01-02T03:04:05.000000Z"),
    (None, ""), ("Nguye\u0302\u0303n", "Nguyễn"),
])
def test_machine_text_of_a_value(value, expected):
    from vn_online_teaching.archive.render import cells

    assert cells.text(value) == expected


def test_xlsx_shortens_only_what_excel_cannot_hold_and_replaces_what_xml_cannot_carry():
    long_text = "Nhận xét " * 5000
    rows = [(dt.date(2025, 9, 8), "Bell\x07 ở đây", None, long_text, None, 1)]
    sheet = read_xlsx(joined(xlsx.chunks(table(rows), context()))).active
    assert sheet["B2"].value == "Bell\ufffd ở đây"
    assert len(sheet["D2"].value) == xlsx.MAX_TEXT and sheet["D2"].value.endswith("…")
    csv_text = joined(csvfile.chunks(table(rows))).decode("utf-8-sig")
    assert long_text in csv_text  # the machine formats keep every character


def csv_line(cells_):
    buffer = io.StringIO()
    csv.writer(buffer).writerow(cells_)
    return buffer.getvalue()


def test_the_per_table_writers_write_each_value_as_the_per_value_rules_do():
    """``csv_converter`` and ``line_writer`` look each writer up by exact type (and remember
    repeated dates): every kind of value, subclasses included, comes out as ``guarded`` and
    ``value_json`` write it."""
    import enum

    from django.utils.safestring import mark_safe
    from vn_online_teaching.archive.render import cells

    class Level(enum.IntEnum):
        HIGH = 3

    day, at = dt.date(2025, 9, 8), dt.datetime(2025, 9, 8, 2, 30, tzinfo=UTC)
    values = [None, True, False, 0, -5, Level.HIGH, Decimal("8.50"), Decimal("1E+2"), Decimal("NaN"), day, at,
              dt.datetime(2025, 9, 8, 9, 30), dt.time(7, 30), "=1+1", "-5", "Nguye\u0302\u0303n", mark_safe("<b>"),
              "a\"b\\c\nd", 2.5, day, at]
    columns = [(f"c{i}", "") for i in range(len(values))]
    written = cells.csv_converter()(values)  # an int and None go to the csv module as they are
    assert written == [value if type(value) is int or value is None else cells.guarded(value) for value in values]
    assert next(csv.reader(io.StringIO(csv_line(written)))) == [cells.guarded(value) for value in values]
    line = jsonl.line_writer(columns)(values)
    assert line == "{" + ", ".join(f'"c{i}": {jsonl.value_json(v)}' for i, v in enumerate(values)) + "}\n"
    assert json.loads(line, parse_float=Decimal)["c6"] == Decimal("8.50")
