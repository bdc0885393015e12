"""The teacher's spreadsheet of questions: the template written and read back, CSV as Excel writes
it in Vietnam, a row-by-row report of every problem, all or nothing, and the limits of an
upload."""
import csv
import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from vn_online_teaching.assessment import bank_files, bank_import, bank_template
from vn_online_teaching.assessment.bank_template import COLUMNS
from vn_online_teaching.assessment.questions import ESSAY, MCQ, SHORT_ANSWER, TRUE_FALSE

D = Decimal
HEADERS = [c.header for c in COLUMNS]
KEYS = [c.key for c in COLUMNS]

GOOD_MCQ = {"topic": "Hàm số", "level": "Biết", "format": "Nhiều lựa chọn", "stem": "1 + 1 = ?", "a": "1", "b": "2",
            "c": "3", "d": "4", "answer": "B"}
GOOD_TF = {"topic": "Hàm số", "level": "Hiểu", "format": "Đúng/Sai", "stem": "Cho \\(y=x^2\\).", "a": "ý a",
           "b": "ý b", "c": "ý c", "d": "ý d", "answer": "Đ S Đ Đ"}
GOOD_SHORT = {"topic": "Hàm số", "level": "Vận dụng", "format": "Trả lời ngắn", "stem": "Tính.", "answer": "2,5",
              "tolerance": "0,01"}
GOOD_ESSAY = {"topic": "Hàm số", "level": "Vận dụng", "format": "Tự luận", "stem": "Chứng minh.", "points": "1,5",
              "guide": "Ý 1: 0,5 điểm"}


def csv_file(rows, headers=HEADERS, keys=KEYS, delimiter=";", bom=True):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if row is None else row.get(k, "") for k in keys] if row is not None else [])
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def filled_template(rows):
    """The downloaded template with ``rows`` ([value per column key]) typed in, as Excel would keep
    them (numbers as numbers, dates as dates)."""
    book = load_workbook(io.BytesIO(bank_template.template_xlsx()))
    sheet = book.worksheets[0]
    for row in rows:
        sheet.append([row.get(k) for k in KEYS])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def imported(data, **kwargs):
    found, report = bank_import.import_bank(data, **kwargs)
    assert report.ok, report.lines()
    return found


def problems(data, **kwargs):
    found, report = bank_import.import_bank(data, **kwargs)
    assert found == [] and not report.ok
    return {(p.row, p.column, p.code) for p in report.problems}


# ------------------------------------------------------------------ the template

def test_the_template_has_the_columns_text_cells_lists_and_instructions():
    book = load_workbook(io.BytesIO(bank_template.template_xlsx(scale="primary")))
    sheet, guide = book.worksheets
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet.max_row == 1
    assert all(sheet.column_dimensions[c.column_letter].number_format == "@" for c in sheet[1])
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert lists == {"C2:C1001": '"Mức 1,Mức 2,Mức 3"', "D2:D1001": '"Nhiều lựa chọn,Đúng/Sai,Trả lời ngắn,Tự luận"'}
    described = [row[0] for row in guide.iter_rows(min_row=2, values_only=True)][:len(COLUMNS)]
    assert described == HEADERS
    helps = dict(guide.iter_rows(min_row=2, max_row=len(COLUMNS) + 1, values_only=True))
    assert all(helps.values()) and "\\(x^2+1\\)" in helps["Nội dung câu hỏi"]


def test_the_empty_template_reads_back_as_a_file_without_questions():
    found, report = bank_import.import_bank(bank_template.template_xlsx())
    assert found == [] and [p.code for p in report.problems] == ["no_questions"]
    assert report.warnings == []


def test_the_template_with_examples_round_trips():
    mcq, tf, short, essay = imported(bank_template.template_xlsx(examples=True))
    assert (mcq.format, mcq.answer, mcq.level) == (MCQ, "A", "biet")
    assert mcq.options[0] == "\\([0;+\\infty)\\)"
    assert (tf.format, tf.answers, tf.level) == (TRUE_FALSE, (True, False, True, True), "hieu")
    assert (short.format, short.kind, short.number, short.tolerance) == (SHORT_ANSWER, "number", D("-2.25"), 0)
    assert (essay.format, essay.points, essay.guide) == (ESSAY, D(1), bank_template.EXAMPLES[3]["guide"])
    assert all(q.topic == "Hàm số" for q in (mcq, tf, short, essay))


def test_a_filled_template_keeps_what_excel_typed_as_numbers():
    data = filled_template([
        dict(GOOD_SHORT, id=12, answer=2.5, tolerance=0.01, points=0.5),
        dict(GOOD_MCQ, points=0.25, a=1, b=2, c=3.5, d=1000),
        dict(GOOD_SHORT, stem="Năm?", answer=1.125),
    ])
    short, mcq, exact = imported(data)
    assert (short.id, short.number, short.tolerance, short.points) == ("12", D("2.5"), D("0.01"), D("0.5"))
    assert mcq.options == ("1", "2", "3,5", "1000") and mcq.points == D("0.25")
    assert exact.number == D("1.125")  # a number cell is never ambiguous


def test_a_cell_excel_turned_into_a_date_is_reported():
    data = filled_template([dict(GOOD_SHORT, answer=dt.datetime(2025, 2, 1))])
    assert problems(data) == {(2, "Đáp án", "date_cell")}


# ------------------------------------------------------------------ CSV as Excel writes it

@pytest.mark.parametrize("delimiter, bom", [(";", True), (";", False), (",", True), (",", False), ("\t", True)])
def test_csv_in_utf8_with_either_delimiter_is_read(delimiter, bom):
    found = imported(csv_file([GOOD_MCQ, GOOD_TF, GOOD_SHORT, GOOD_ESSAY], delimiter=delimiter, bom=bom))
    assert [q.format for q in found] == [MCQ, TRUE_FALSE, SHORT_ANSWER, ESSAY]
    assert found[2].number == D("2.5") and found[2].tolerance == D("0.01") and found[3].points == D("1.5")


def test_english_headers_and_headers_without_accents_are_read():
    english = ["Topic", "Level", "Format", "Question", "Option A", "Option B", "Option C", "Option D", "Answer"]
    plain = ["Chu de", "MUC DO", "dang cau hoi", "Noi dung cau hoi", "Y a", "y b", "y c", "y d", "Dap an (A/B/C/D)"]
    keys = ["topic", "level", "format", "stem", "a", "b", "c", "d", "answer"]
    for headers in (english, plain):
        (question,) = imported(csv_file([GOOD_MCQ], headers=headers, keys=keys, delimiter=","))
        assert question.answer == "B"


def test_a_cell_with_line_breaks_and_delimiters_keeps_them_as_text():
    (question,) = imported(csv_file([dict(GOOD_MCQ, stem="Dòng 1; vẫn dòng 1\nDòng <2>")]))
    assert question.stem == "Dòng 1; vẫn dòng 1<br>Dòng &lt;2&gt;"


def test_an_image_is_added_under_the_question():
    (question,) = imported(csv_file([dict(GOOD_MCQ, image="/static/hinh-1.png")]))
    assert question.stem == '1 + 1 = ?<br><img src="/static/hinh-1.png" alt="">'


@pytest.mark.parametrize("written", ["Đ S Đ Đ", "ĐSĐĐ", "đ,s,đ,đ", "Đúng; Sai; Đúng; Đúng", "a) Đ b) S c) Đ d) Đ",
                                     "T F T T", "1 0 1 1", "d s d d"])
def test_true_false_answers_are_read_as_teachers_write_them(written):
    (question,) = imported(csv_file([dict(GOOD_TF, answer=written)]))
    assert question.answers == (True, False, True, True)


@pytest.mark.parametrize("written, texts", [("Hà Nội", ("Hà Nội",)), ("Hà Nội | Thủ đô ||", ("Hà Nội", "Thủ đô")),
                                            ("x = 2", ("x = 2",))])
def test_a_short_answer_that_is_not_a_number_is_a_text_answer(written, texts):
    (question,) = imported(csv_file([dict(GOOD_SHORT, answer=written, ignore_diacritics="x")]))
    assert question.kind == "text" and question.texts == texts and question.ignore_diacritics


def test_the_option_order_may_be_kept():
    found = imported(csv_file([dict(GOOD_MCQ, keep_order="x"), dict(GOOD_MCQ, keep_order="", answer="C")]))
    assert [q.keep_order for q in found] == [True, False]


def test_an_unknown_column_is_a_warning_and_a_note_is_ignored():
    headers = HEADERS + ["Độ khó"]
    found, report = bank_import.import_bank(csv_file([dict(GOOD_MCQ, note="tự soạn")], headers=headers,
                                                     keys=KEYS + ["x"]))
    assert len(found) == 1
    assert [(w.row, w.column, w.code) for w in report.warnings] == [(1, "Độ khó", "unknown_column")]
    assert report.lines() == ["Warning: Row 1, column Độ khó: This column is not part of the template and was "
                              "not read."]


# ------------------------------------------------------------------ the report

def test_every_problem_is_reported_with_its_row_and_column_and_nothing_is_imported():
    rows = [
        GOOD_MCQ,                                                       # 2 (good)
        dict(GOOD_MCQ, format="Ghép nối"),                              # 3
        dict(GOOD_MCQ, level="Siêu khó"),                               # 4
        dict(GOOD_MCQ, c=""),                                           # 5
        dict(GOOD_MCQ, answer="E"),                                     # 6
        dict(GOOD_MCQ, d="1"),                                          # 7
        dict(GOOD_TF, answer="Đ S Đ"),                                  # 8
        dict(GOOD_SHORT, answer="1.000"),                               # 9
        dict(GOOD_SHORT, tolerance="abc"),                              # 10
        dict(GOOD_ESSAY, points="", guide=""),                          # 11
        None,                                                           # 12 (blank: skipped)
        dict(GOOD_MCQ, stem="Ảnh", image="javascript:alert(1)"),        # 13
        dict(GOOD_MCQ, stem="Giữ", keep_order="có lẽ"),                 # 14
        dict(GOOD_MCQ, id="C1", stem="Câu C1"),                         # 15 (good)
        dict(GOOD_MCQ, id="C1", stem="Câu khác"),                       # 16
        GOOD_MCQ,                                                       # 17
        dict(GOOD_MCQ, stem="Điểm", points="abc"),                      # 18
        dict(GOOD_MCQ, topic=""),                                       # 19
        dict(GOOD_MCQ, id="mã 1"),                                      # 20
        dict(GOOD_SHORT, answer=""),                                    # 21
        dict(GOOD_MCQ, stem=""),                                        # 22
        dict(GOOD_MCQ, stem="Lẻ", points="0,12345"),                    # 23
        dict(GOOD_TF, level="Mức 1"),                                   # 24
    ]
    data = csv_file(rows)
    assert problems(data, scale="three_levels") == {
        (3, "Dạng câu hỏi", "bad_format"),
        (4, "Mức độ", "bad_level"),
        (5, "Phương án C / Ý c", "required"),
        (6, "Đáp án", "bad_answer"),
        (7, "Phương án D / Ý d", "duplicate_option"),
        (8, "Đáp án", "bad_answers"),
        (9, "Đáp án", "ambiguous_number"),
        (10, "Sai số cho phép", "bad_number"),
        (11, "Điểm", "required"), (11, "Hướng dẫn chấm", "required"),
        (13, "Hình ảnh", "bad_image"),
        (14, "Giữ thứ tự phương án", "bad_yes_no"),
        (16, "Mã câu hỏi", "duplicate_id"),
        (17, "", "duplicate_question"),
        (18, "Điểm", "bad_number"),
        (19, "Chủ đề", "required"),
        (20, "Mã câu hỏi", "bad_id"),
        (21, "Đáp án", "required"),
        (22, "Nội dung câu hỏi", "required"),
        (23, "Điểm", "too_precise"),
        (24, "Mức độ", "other_scale"),
    }
    found, report = bank_import.import_bank(data, scale="three_levels")
    assert report.rows == 22 and found == []
    lines = report.lines()
    assert "Row 6, column Đáp án: The correct option must be A, B, C or D." in lines
    assert "Row 9, column Đáp án: 1.000 can be read two ways. Use the comma for decimals and no thousands " \
           "separator, for example 1000 or 1,5." in lines
    assert "Row 17: This is the same question as on row 2." in lines
    assert report.as_dict()["problems"][0] == {"row": 3, "column": "Dạng câu hỏi", "error": "bad_format",
                                               "message": "Unknown question format: Ghép nối. Use Nhiều lựa chọn, "
                                                          "Đúng/Sai, Trả lời ngắn or Tự luận."}
    refused = bank_import.refuse(report).as_dict()
    assert refused["error"] == "import_failed" and refused["message"] == "Nothing was imported. Problems found: 21."
    assert refused["report"] == report.as_dict() and bank_import.refuse(report).status == 400


def test_the_report_names_a_column_by_the_files_own_header():
    data = csv_file([dict(GOOD_MCQ, answer="Z")], headers=["Topic", "Level", "Format", "Question", "a", "b", "c", "d",
                                                           "Answer"],
                    keys=["topic", "level", "format", "stem", "a", "b", "c", "d", "answer"])
    assert problems(data) == {(2, "Answer", "bad_answer")}


# ------------------------------------------------------------------ the file itself

def zip_file(members):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buf.getvalue()


@pytest.mark.parametrize("data, code", [
    (b"", "empty_file"),
    (b"\xef\xbb\xbf\r\n;;;\r\n", "empty_file"),
    ("Chủ đề;Mức độ;Dạng câu hỏi\r\nHàm số;Biết;TN\r\n".encode(), "missing_column"),
    ("Chủ đề;Mức độ;Dạng câu hỏi;Nội dung câu hỏi;Chu de\r\n".encode(), "duplicate_column"),
    (b"Chu de;Muc do;Dang cau hoi;Noi dung\r\nH\xe0m s\xf4;Bi\xea\xcc\x81t;TN;C\xe2u\r\n", "bad_encoding"),  # cp1258
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old_excel"),
    (b"PK\x03\x04 not really a zip", "unreadable"),
    (zip_file({"word/document.xml": "<w/>", "[Content_Types].xml": "<x/>"}), "unreadable"),
    (zip_file({"[Content_Types].xml": "<x/>", "xl/workbook.xml": "<not a workbook"}), "unreadable"),
    (b"Ch\xe1\xbb\xa7 \x00\x00", "bad_encoding"),  # NUL characters: UTF-16 without its BOM
    ('"Chủ đề;Mức độ\r\n'.encode() + b"x" * 200_000, "unreadable"),
])
def test_a_file_that_cannot_be_read_is_reported_as_a_whole(data, code):
    assert problems(data) == {(None, "", code)}


def test_the_size_and_row_limits_hold():
    data = csv_file([dict(GOOD_MCQ, stem=f"Câu {n}") for n in range(5)])
    assert problems(data, max_bytes=len(data) - 1) == {(None, "", "too_large")}
    assert problems(data, max_rows=4) == {(None, "", "too_many_rows")}
    assert len(imported(data, max_rows=5, max_bytes=len(data))) == 5
    _found, report = bank_import.import_bank(data, max_bytes=1024 * 1024 // 2)
    assert report.ok
    _found, report = bank_import.import_bank(b"x" * 600_000, max_bytes=512 * 1024)
    assert report.lines() == ["The file is larger than 0.5 MB."]


def test_an_xlsx_is_measured_unpacked_before_it_is_opened(monkeypatch):
    data = bank_template.template_xlsx(examples=True)
    monkeypatch.setattr(bank_files, "MAX_UNPACKED", 1000)
    assert problems(data) == {(None, "", "too_large_unpacked")}


def test_a_title_above_the_table_is_skipped_and_rows_keep_their_numbers():
    data = ("Ngân hàng câu hỏi Toán 12;;\r\nGiáo viên: Lan;;\r\n\r\n".encode() + csv_file(
        [GOOD_MCQ, dict(GOOD_MCQ, answer="F")], bom=False))
    found, report = bank_import.import_bank(data)
    assert [(p.row, p.column, p.code) for p in report.problems] == [(6, "Đáp án", "bad_answer")]
    data = csv_file([GOOD_MCQ, dict(GOOD_MCQ, stem="Câu 2"), None, GOOD_MCQ], headers=KEYS)  # the keys name columns
    assert [(p.row, p.code) for p in bank_import.import_bank(data)[1].problems] == [(5, "duplicate_question")]


def test_only_the_first_sheet_is_read_and_columns_beyond_the_limit_are_not():
    book = Workbook()
    first = book.active
    first.append(HEADERS)
    first.append([GOOD_MCQ.get(k) for k in KEYS])
    book.create_sheet("Khác").append(["rác"])
    buf = io.BytesIO()
    book.save(buf)
    assert len(imported(buf.getvalue())) == 1


# ------------------------------------------------------------------ properties

CELL = st.one_of(st.text(max_size=12), st.sampled_from(["Biết", "Đúng/Sai", "TN", "A", "Đ S Đ Đ", "1.000", "2,5",
                                                        "x", "Tự luận", "|", "\"", ";", "\n"]))


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(st.lists(CELL, min_size=0, max_size=len(KEYS) + 2), max_size=6), delimiter=st.sampled_from(";,"))
def test_any_table_gives_a_report_and_never_an_error(rows, delimiter):
    """Whatever a teacher types, the answer is questions or a report, never a 500."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    found, report = bank_import.import_bank(out.getvalue().encode("utf-8", "surrogatepass"))
    assert report.ok or found == []  # all or nothing
    assert len(found) <= report.rows <= len(rows)
    assert all(isinstance(line, str) and line for line in report.lines())


@settings(max_examples=150, deadline=None)
@given(data=st.one_of(st.binary(max_size=300), st.binary(max_size=300).map(lambda b: b"PK\x03\x04" + b)))
def test_any_bytes_give_a_report_and_never_an_error(data):
    found, report = bank_import.import_bank(data)
    assert found == [] and not report.ok and report.lines()
