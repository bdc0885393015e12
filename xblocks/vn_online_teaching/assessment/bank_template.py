"""The spreadsheet template a teacher fills in to bring questions into the bank.

One row per question, headers in Vietnamese (the file goes from teacher to teacher whatever
language each one's screen is in); English headers and headers typed without accents are read
too. The four columns "Phương án A / Ý a" … "D / d" hold a multiple-choice question's options
or a true/false question's statements. Cells are plain text: formulas in TeX between ``\\(`` and
``\\)``, an image as a web address or a course file ("/static/…") in the image column.

``template_xlsx`` writes the empty template with every column formatted as text (so that Excel
does not turn "1/2" into a date or "0,5" into a number), drop-down lists for the format and the
level, and a sheet explaining each column in the reader's language.
"""
import io
import re
from dataclasses import dataclass

from ..core import text
from ..core.i18n import N_, gettext
from . import levels
from .questions import ESSAY, MCQ, SHORT_ANSWER, TRUE_FALSE


@dataclass(frozen=True)
class Column:
    key: str
    header: str          # as the template writes it
    aliases: tuple = ()  # other headers read as this column
    help: str = ""       # message id: what to write in it (the instructions sheet)
    width: int = 14


COLUMNS = (
    Column("id", "Mã câu hỏi", ("ma cau", "id", "code", "question code"),
           N_("Optional. Letters without accents, digits, dots, hyphens or underscores. Left empty, the "
              "code is made from the question's content."), 12),
    Column("topic", "Chủ đề", ("topic", "noi dung kien thuc", "bai"),
           N_("Required. The topic or lesson, written the same way as in the test blueprint."), 20),
    Column("level", "Mức độ", ("level", "muc do nhan thuc", "cognitive level"),
           N_("Required. Biết, Hiểu or Vận dụng (or, for older blueprints, Nhận biết, Thông hiểu, Vận dụng, "
              "Vận dụng cao; for primary school, Mức 1, Mức 2, Mức 3)."), 12),
    Column("format", "Dạng câu hỏi", ("format", "loai cau hoi", "question format", "type"),
           N_("Required. Nhiều lựa chọn, Đúng/Sai, Trả lời ngắn or Tự luận."), 16),
    Column("stem", "Nội dung câu hỏi", ("question", "stem", "cau hoi", "noi dung"),
           N_("Required. The question. Write formulas in TeX, for example {formula}."), 50),
    Column("image", "Hình ảnh", ("image", "hinh", "image url"),
           N_("Optional. The address of an image shown under the question: https://… or a course file "
              "/static/…"), 20),
    Column("a", "Phương án A / Ý a", ("a", "phuong an a", "y a", "option a", "statement a"),
           N_("Multiple choice: option A. True/false: statement a."), 24),
    Column("b", "Phương án B / Ý b", ("b", "phuong an b", "y b", "option b", "statement b"),
           N_("Multiple choice: option B. True/false: statement b."), 24),
    Column("c", "Phương án C / Ý c", ("c", "phuong an c", "y c", "option c", "statement c"),
           N_("Multiple choice: option C. True/false: statement c."), 24),
    Column("d", "Phương án D / Ý d", ("d", "phuong an d", "y d", "option d", "statement d"),
           N_("Multiple choice: option D. True/false: statement d."), 24),
    Column("answer", "Đáp án", ("answer", "key", "answer key", "correct answer"),
           N_("Multiple choice: A, B, C or D. True/false: Đ or S for each statement, for example Đ S Đ Đ. "
              "Short answer: the number (decimal comma, for example 2,5), or the accepted answers separated "
              "by |. Essay: leave empty."), 14),
    Column("tolerance", "Sai số cho phép", ("tolerance", "sai so"),
           N_("Short answer with a number: how far from the answer a student's number may be, for example "
              "0,01. Empty: exactly."), 12),
    Column("ignore_diacritics", "Không phân biệt dấu", ("ignore diacritics", "bo qua dau"),
           N_("Short answer with text: write x to accept answers typed without diacritics."), 12),
    Column("keep_order", "Giữ thứ tự phương án", ("keep order", "keep option order", "khong tron phuong an"),
           N_("Multiple choice: write x to never shuffle the options (for example when an option is "
              "\"All of the above\")."), 12),
    Column("points", "Điểm", ("points", "diem so", "score"),
           N_("Optional, except for essays. Empty: the school's points for the question's format."), 8),
    Column("guide", "Hướng dẫn chấm", ("marking guide", "guide", "dap an tu luan"),
           N_("Essay: the marking guide (required)."), 40),
    Column("note", "Ghi chú", ("note", "notes", "comment"), N_("Anything for yourself; not imported."), 20),
)
BY_KEY = {column.key: column for column in COLUMNS}
REQUIRED_COLUMNS = ("topic", "level", "format", "stem")
LETTER_COLUMNS = ("a", "b", "c", "d")

# The formats as teachers name them; the first name of each is the one the template offers.
FORMAT_NAMES = {
    MCQ: ("Nhiều lựa chọn", "Trắc nghiệm nhiều lựa chọn", "TN", "TNKQ", "NLC", "mcq", "multiple choice"),
    TRUE_FALSE: ("Đúng/Sai", "Đúng sai", "Trắc nghiệm đúng sai", "ĐS", "Đ/S", "true_false", "true/false",
                 "true false"),
    SHORT_ANSWER: ("Trả lời ngắn", "Trắc nghiệm trả lời ngắn", "TLN", "short", "short_answer", "short answer"),
    ESSAY: ("Tự luận", "TL", "essay"),
}

_PARENTHESIS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def header_key(header):
    """What a header is compared by: no case, accents, punctuation or remark in brackets
    ("Đáp án (A/B/C/D)" is "dap an")."""
    return " ".join(_NOT_WORD.sub(" ", text.fold(_PARENTHESIS.sub(" ", header or ""))).split())


def _header_index():
    index = {}
    for column in COLUMNS:
        for name in (column.header, column.key) + column.aliases:
            index[header_key(name)] = column.key
    return index


HEADERS = _header_index()
FORMATS_BY_NAME = {header_key(name): fmt for fmt, names in FORMAT_NAMES.items() for name in names}


def column_of(header):
    """The column key a file's header means, or None."""
    return HEADERS.get(header_key(header)) if isinstance(header, str) else None


def find_format(value):
    """The format code a cell names, or None."""
    return FORMATS_BY_NAME.get(header_key(value)) if isinstance(value, str) else None


FORMULA_EXAMPLE = "\\(x^2+1\\)"
MAX_TEMPLATE_ROWS = 1000  # rows the template formats as text and offers lists in

EXAMPLES = (
    {"topic": "Hàm số", "level": "Biết", "format": "Nhiều lựa chọn",
     "stem": "Tập xác định của hàm số \\(y=\\sqrt{x}\\) là",
     "a": "\\([0;+\\infty)\\)", "b": "\\((0;+\\infty)\\)", "c": "\\(\\mathbb{R}\\)", "d": "\\((-\\infty;0]\\)",
     "answer": "A"},
    {"topic": "Hàm số", "level": "Hiểu", "format": "Đúng/Sai", "stem": "Cho hàm số \\(y=x^2-2x\\).",
     "a": "Đồ thị đi qua gốc toạ độ.", "b": "Hàm số đồng biến trên \\(\\mathbb{R}\\).",
     "c": "Đỉnh của parabol là \\((1;-1)\\).", "d": "Phương trình \\(y=0\\) có hai nghiệm.", "answer": "Đ S Đ Đ"},
    {"topic": "Hàm số", "level": "Vận dụng", "format": "Trả lời ngắn",
     "stem": "Tìm giá trị nhỏ nhất của \\(y=x^2-5x+4\\).", "answer": "-2,25", "tolerance": "0"},
    {"topic": "Hàm số", "level": "Vận dụng", "format": "Tự luận",
     "stem": "Khảo sát và vẽ đồ thị hàm số \\(y=x^2-2x\\).", "points": "1",
     "guide": "Tập xác định 0,25 điểm; bảng biến thiên 0,5 điểm; đồ thị 0,25 điểm."},
)


def template_xlsx(scale=levels.DEFAULT_SCALE, examples=False):
    """The template as an XLSX file; ``examples`` fills in one question of each format."""
    from openpyxl import Workbook  # noqa: PLC0415 - only this download needs it
    from openpyxl.styles import Alignment, Font  # noqa: PLC0415
    from openpyxl.utils import get_column_letter  # noqa: PLC0415
    from openpyxl.worksheet.datavalidation import DataValidation  # noqa: PLC0415

    book = Workbook()
    sheet = book.active
    sheet.title = gettext(N_("Questions"))[:31]
    sheet.append([column.header for column in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in EXAMPLES if examples else ():
        sheet.append([row.get(column.key, "") for column in COLUMNS])
    for i, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(i)
        sheet.column_dimensions[letter].width = column.width
        sheet.column_dimensions[letter].number_format = "@"
        for cell in sheet[letter][1:]:
            cell.number_format = "@"
            cell.data_type = "s"
    sheet.freeze_panes = "A2"
    lists = {"format": [names[0] for names in FORMAT_NAMES.values()],
             "level": [levels.LEVELS[code].vietnamese for code in levels.SCALES[scale]]}
    for key, choices in lists.items():
        letter = get_column_letter([c.key for c in COLUMNS].index(key) + 1)
        check = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
        sheet.add_data_validation(check)
        check.add(f"{letter}2:{letter}{MAX_TEMPLATE_ROWS + 1}")
    guide = book.create_sheet(gettext(N_("Instructions"))[:31])
    guide.append([gettext(N_("Column")), gettext(N_("What to write"))])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for column in COLUMNS:
        guide.append([column.header, gettext(column.help).format(formula=FORMULA_EXAMPLE)])
    guide.append([])
    for line in (N_("One row per question. Only the first sheet is read."),
                 N_("If any row has a problem, nothing is imported: the report lists every problem with its "
                    "row and column."),
                 N_("Save as Excel (.xlsx) or as CSV UTF-8 (comma or semicolon separated).")):
        guide.append([gettext(line)])
    guide.column_dimensions["A"].width = 24
    guide.column_dimensions["B"].width = 100
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
