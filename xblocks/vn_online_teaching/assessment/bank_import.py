"""Questions from the spreadsheet a teacher filled in (bank_template.py), all or nothing.

Every row is checked and every problem reported with its row and column, in the teacher's
language. If any row has a problem nothing is imported: a bank missing some of a teacher's rows
would silently skew every paper drawn from it. Reading the file itself (limits, formats) is
bank_files.py's.
"""
import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from ..core import text
from ..core.errors import RequestError
from ..core.i18n import N_, gettext
from . import levels, numbers, questions, richtext
from .bank_files import MAX_BYTES, MAX_ROWS, FileProblem, read_table
from .bank_template import BY_KEY, LETTER_COLUMNS, REQUIRED_COLUMNS, column_of, find_format
from .problems import Problem
from .questions import MCQ, SHORT_ANSWER, TRUE_FALSE


@dataclass(frozen=True)
class RowProblem:
    """One problem of the file: ``row`` as the spreadsheet numbers it (None: the whole file) and
    the ``column`` header it is in, as the file writes it ("" for the whole row)."""

    row: int | None
    column: str
    problem: Problem

    @property
    def code(self):
        return self.problem.code

    def text(self):
        message = self.problem.text()
        if self.row is None:
            return message
        if self.column:
            return gettext(N_("Row {row}, column {column}: {message}")).format(
                row=self.row, column=self.column, message=message)
        return gettext(N_("Row {row}: {message}")).format(row=self.row, message=message)


@dataclass
class ImportReport:
    problems: list = field(default_factory=list)   # RowProblem: any one of them stops the import
    warnings: list = field(default_factory=list)   # RowProblem: worth knowing, imported anyway
    rows: int = 0                                  # question rows read

    @property
    def ok(self):
        return not self.problems

    def lines(self):
        return [p.text() for p in self.problems] + [gettext(N_("Warning")) + ": " + w.text() for w in self.warnings]

    def as_dict(self):
        def one(item):
            return {"row": item.row, "column": item.column, "error": item.code, "message": item.problem.text()}
        return {"ok": self.ok, "rows": self.rows, "problems": [one(p) for p in self.problems],
                "warnings": [one(w) for w in self.warnings]}


def import_bank(data, scale=None, max_bytes=MAX_BYTES, max_rows=MAX_ROWS):
    """(questions, report) of an uploaded template (bytes). ``questions`` is empty unless
    ``report.ok``. ``scale`` (levels.SCALES) refuses levels of another scale."""
    report = ImportReport()
    try:
        header_row, header, rows = read_table(data, max_bytes, max_rows, is_header=_is_header)
        columns = _columns(header_row, header, report)
    except FileProblem as error:
        report.problems.append(RowProblem(None, "", error.problem))
        return [], report
    found, first_row = [], {}
    for number, cells in rows:
        values = {key: cells[i] if i < len(cells) else "" for i, key in columns.items()}
        question = _row(number, values, scale, report, header, columns)
        report.rows += 1
        if question is None:
            continue
        if question.id in first_row:
            other = first_row[question.id]
            if values.get("id"):
                _add(report, number, "id", header, columns, "duplicate_id",
                     N_("The question code {value} is also on row {other}."), value=question.id, other=other)
            else:
                _add(report, number, "", header, columns, "duplicate_question",
                     N_("This is the same question as on row {other}."), other=other)
            continue
        first_row[question.id] = number
        found.append(question)
    if not report.rows and report.ok:
        report.problems.append(RowProblem(None, "", Problem("file", "no_questions", N_("The file has no questions."))))
    return (found if report.ok else []), report


def _is_header(cells):
    found = {column_of(c) for c in cells if isinstance(c, str)}
    return all(key in found for key in REQUIRED_COLUMNS)


def _columns(header_row, header, report):
    """{cell index: column key} of the header row; a required column missing stops the import."""
    columns = {}
    for i, name in enumerate(header):
        shown = _text(name) if not isinstance(name, (dt.datetime, dt.date, dt.time)) else str(name)
        key = column_of(shown)
        if not shown.strip():
            continue
        if key is None:
            report.warnings.append(RowProblem(header_row, shown, Problem("file", "unknown_column", N_(
                "This column is not part of the template and was not read."))))
        elif key in columns.values():
            raise FileProblem("duplicate_column", N_("The column {column} appears twice."), column=shown)
        elif key != "note":
            columns[i] = key
    missing = [BY_KEY[k].header for k in REQUIRED_COLUMNS if k not in columns.values()]
    if missing:
        raise FileProblem("missing_column", N_("The file has no column {column}."), column=", ".join(missing))
    return columns


# Reading one row ----------------------------------------------------------------------------------

def _header_of(key, header, columns):
    for i, k in columns.items():
        if k == key:
            return str(header[i])
    return BY_KEY[key].header if key in BY_KEY else ""


def _add(report, number, key, header, columns, code, message, **params):
    column = _header_of(key, header, columns) if key else ""
    report.problems.append(RowProblem(number, column, Problem(key or "row", code, message, params)))


# Where a question's field is written in the template.
FIELD_COLUMNS = {"id": "id", "format": "format", "topic": "topic", "level": "level", "stem": "stem",
                 "points": "points", "answer": "answer", "keep_order": "keep_order", "answers": "answer",
                 "kind": "answer", "number": "answer", "texts": "answer", "tolerance": "tolerance",
                 "ignore_diacritics": "ignore_diacritics", "guide": "guide"}
_INDEXED = re.compile(r"(options|statements)\[([0-3])\]\Z")


def _column_of_field(name):
    match = _INDEXED.match(name)
    if match:
        return LETTER_COLUMNS[int(match.group(2))]
    if name in ("options", "statements"):
        return "a"
    return FIELD_COLUMNS.get(name, "")


class _CellProblem(Exception):
    def __init__(self, key, code, message, **params):
        super().__init__(code)
        self.key, self.code, self.message, self.params = key, code, message, params


def _row(number, values, scale, report, header, columns):
    """The question of one row, or None after adding its problems to ``report``."""
    def add(key, code, message, **params):
        _add(report, number, key, header, columns, code, message, **params)

    try:
        data = _row_data(values, scale)
    except _CellProblem as error:
        add(error.key, error.code, error.message, **error.params)
        return None
    if data is None:
        add("format", "bad_format", N_("Unknown question format: {value}. Use Nhiều lựa chọn, Đúng/Sai, Trả lời "
                                       "ngắn or Tự luận."), value=_text(values.get("format"))[:40])
        return None
    question, problems = questions.check(data)
    for item in problems:
        add(_column_of_field(item.field), item.code, item.message, **item.params)
    return question


def _text(value):
    if isinstance(value, Decimal):
        return numbers.to_vietnamese(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        raise ValueError("date")
    return "" if value is None else str(value)


def _plain(values, key):
    try:
        return _text(values.get(key, ""))
    except ValueError:
        raise _CellProblem(key, "date_cell", N_("Excel turned this cell into a date. Format the column as Text "
                                                "and type it again.")) from None


def _row_data(values, scale):
    fmt = find_format(_plain(values, "format"))
    if fmt is None:
        return None
    level = levels.find(_plain(values, "level"))
    if level is None and _plain(values, "level"):
        raise _CellProblem("level", "bad_level", N_("Unknown level: {value}. Use one of: {choices}."),
                           value=_plain(values, "level")[:40], choices=levels.names(scale))
    if level is not None and scale and not levels.in_scale(level, scale):
        raise _CellProblem("level", "other_scale", N_("{value} is not a level of this test. Use one of: {choices}."),
                           value=_plain(values, "level")[:40], choices=levels.names(scale))
    stem = richtext.from_plain(_plain(values, "stem"))
    image = _plain(values, "image").strip()
    if image:
        if not richtext.is_image_reference(image):
            raise _CellProblem("image", "bad_image", N_("An image must be a full web address (https://…) or a "
                                                        "course file (/static/…)."))
        stem = (stem + "<br>" if stem else "") + richtext.image(image)
    data = {"id": _plain(values, "id") or None, "format": fmt, "topic": _plain(values, "topic"),
            "level": level or "", "stem": stem, "points": _number(values, "points")}
    letters = [richtext.from_plain(_plain(values, key)) for key in LETTER_COLUMNS]
    answer = values.get("answer", "")
    if fmt == MCQ:
        data.update(options=letters, answer=_letter(_plain(values, "answer")), keep_order=_yes(values, "keep_order"))
    elif fmt == TRUE_FALSE:
        data.update(statements=letters, answers=_true_false(_plain(values, "answer")))
    elif fmt == SHORT_ANSWER:
        data.update(_short_answer(values, answer))
    else:
        data["guide"] = richtext.from_plain(_plain(values, "guide"))
    return data


def _number(values, key):
    value = values.get(key, "")
    if value == "" or value is None:
        return None
    try:
        return numbers.to_text(numbers.parse_number(value if isinstance(value, Decimal) else _plain(values, key)))
    except numbers.NumberError as error:
        raise _CellProblem(key, error.code, error.message, value=error.value) from None


def _short_answer(values, answer):
    if isinstance(answer, Decimal):
        return {"kind": questions.NUMBER, "number": numbers.to_text(answer), "tolerance": _number(values, "tolerance")}
    written = _plain(values, "answer").strip()
    if not written:
        return {"kind": questions.NUMBER, "number": None}
    if "|" not in written:
        try:
            number = numbers.parse_number(written)
        except numbers.NumberError as error:
            if error.code == "ambiguous_number":
                raise _CellProblem("answer", error.code, error.message, value=error.value) from None
        else:
            return {"kind": questions.NUMBER, "number": numbers.to_text(number),
                    "tolerance": _number(values, "tolerance")}
    texts = [part.strip() for part in written.split("|") if part.strip()]
    return {"kind": questions.TEXT, "texts": texts, "ignore_diacritics": _yes(values, "ignore_diacritics")}


def _letter(value):
    letter = text.fold(value).strip(" .)").upper()
    return letter if letter else None


_LABEL = re.compile(r"\b[a-d]\s*[).:\-]\s*")
_TRUE, _FALSE = {"d", "dung", "t", "true", "1"}, {"s", "sai", "f", "false", "0"}


def _true_false(value):
    """[bool × 4] from "Đ S Đ Đ", "ĐSĐĐ", "Đúng; Sai; Đúng; Đúng", "a) Đ b) S c) Đ d) Đ" or
    "T F T T"; None when it is not four true/false marks."""
    folded = _LABEL.sub(" ", text.fold(value))
    tokens = [t for t in re.split(r"[\s,;/|]+", folded) if t]
    if len(tokens) == 1 and len(tokens[0]) == 4:
        tokens = list(tokens[0])
    if len(tokens) != 4 or not all(t in _TRUE | _FALSE for t in tokens):
        return None
    return [t in _TRUE for t in tokens]


def _yes(values, key):
    value = values.get(key, "")
    if isinstance(value, bool):
        return value
    folded = text.fold(_plain(values, key))
    if folded in ("", "0", "khong", "no", "false", "n"):
        return False
    if folded in ("x", "co", "yes", "y", "1", "true", "dung"):
        return True
    raise _CellProblem(key, "bad_yes_no", N_("Write x for yes, or leave the cell empty."))


class ImportFailed(RequestError):
    """A file with problems, as the 400 a handler answers with: the report in ``report``."""

    def __init__(self, report):
        super().__init__("import_failed", N_("Nothing was imported. Problems found: {count}."),
                         count=len(report.problems))
        self.report = report

    def as_dict(self):
        return dict(super().as_dict(), report=self.report.as_dict())


def refuse(report):
    """``ImportFailed`` for a report that is not ok (raise it from the upload handler)."""
    return ImportFailed(report)
