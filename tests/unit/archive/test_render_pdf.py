"""The printed documents (archive/render/pdf.py): A4 pages with the school's header, the column
headings on every page, wrapped cells of which nothing is cut, page numbers, a page group per class
or test, the paper version's signatures; the Vietnamese font embedded and the text extractable;
PDF/A identified; a long document cut into volumes while its rows are read once."""
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from pypdf import PdfReader
from vn_online_teaching.archive import render
from vn_online_teaching.archive.render import pdf as pdf_module
from vn_online_teaching.core.exporting import Table

UTC = dt.UTC
VIETNAMESE = "ạ ả ã ấ ầ ẩ ẫ ậ ắ ằ ẳ ẵ ặ đ ơ ư ự ữ Ư Đ"
LOGBOOK = (("class_name", "Class"), ("date", "Date"), ("weekday", "Day"), ("period", "Period"),
           ("subject", "Subject"), ("title", "Lesson"), ("absent", "Absent (P excused, K unexcused)"),
           ("remarks", "Remarks"), ("rating", "Rating"), ("confirmed_by", "Confirmed by"), ("lesson", "Lesson no."))
SHEET = (("test", "Test no."), ("title", "Test"), ("class_name", "Class"), ("subject", "Subject"),
         ("opens", "Opens"), ("number", "No."), ("sector_id", "Sector ID"), ("full_name", "Full name"),
         ("score", "Score"), ("shown", "Score as written"), ("state", "State"))


def logbook_rows(n=40, classes=("10A1",), remarks="Lớp sôi nổi"):
    for class_name in classes:
        for i in range(n):
            yield (class_name, dt.date(2025, 9, 8) + dt.timedelta(days=i // 3), "Thứ Hai", 1 + i % 3, "Toán",
                   f"Bài {i + 1}. Phương trình bậc hai", "Phạm Minh Đức (K), Vũ Thu Hà (P)" if i % 4 == 0 else "",
                   remarks if i else f"{remarks} {VIETNAMESE}", "A", "Nguyễn Thị Lan", 1000 + i)


def logbook(rows=None, calls=None):
    def read():
        if calls is not None:
            calls.append(1)
        return rows() if rows else logbook_rows()
    return Table("attendance", "logbook", "Class logbook", LOGBOOK, read, printable="logbook")


def context(language="vi"):
    return render.Context(school="Trường THPT Nam Lợi", course="Toán 10 — lớp 10A1", scope="Học kỳ I, 2025-2026",
                          since=dt.date(2025, 9, 5), until=dt.date(2026, 1, 15), language=language)


def volumes(table, ctx=None):
    """{path: PdfReader} of a table's PDF volumes, read in order as the package builder reads them."""
    out = {}
    for path, source in render.table_files(table, f"{table.feature}/{table.name}", ctx or context()):
        data = b"".join(source)
        if path.endswith(".pdf"):
            out[path] = PdfReader(io.BytesIO(data))
    return out


def texts(reader):
    return [page.extract_text() for page in reader.pages]


def test_the_logbook_prints_on_a4_with_vietnamese_text_that_can_be_extracted():
    reader = volumes(logbook())["attendance/logbook.pdf"]
    pages = texts(reader)
    for page in reader.pages:
        width, height = sorted((float(page.mediabox.width), float(page.mediabox.height)))
        assert (round(width), round(height)) == (595, 842)  # A4 in points, either way round
    whole = "\n".join(pages)
    assert "SỔ ĐẦU BÀI" in pages[0] and "Trường THPT Nam Lợi" in pages[0] and "Lớp: 10A1" in pages[0]
    assert "Từ ngày 05/09/2025" in whole or "05/09/2025" in pages[0]
    for word in ("Nguyễn Thị Lan", "Phương trình bậc hai", "Phạm Minh Đức (K)", "08/09/2025", "Thứ Hai"):
        assert word in whole, word
    for letter in VIETNAMESE.split():
        assert letter in whole, letter


def test_the_font_is_embedded_and_the_file_says_it_is_pdf_a():
    reader = volumes(logbook())["attendance/logbook.pdf"]
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            fonts[str(font["/BaseFont"])] = descendant["/FontDescriptor"].get_object()
    assert fonts and all(re.match(r"/[A-Z]{6}\+DejaVuSansCondensed", name) for name in fonts)  # a subset
    assert all("/FontFile2" in descriptor for descriptor in fonts.values())  # the TrueType data itself
    metadata = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert 'pdfaid:part="2"' in metadata or "<pdfaid:part>2</pdfaid:part>" in metadata
    assert "U" in re.search(r"pdfaid:conformance[=>\"]+(\w)", metadata).group(1)
    assert "/OutputIntents" in reader.trailer["/Root"]


def test_every_page_repeats_the_headings_and_numbers_itself():
    pages = texts(volumes(logbook(lambda: logbook_rows(120)), context("en"))["attendance/logbook.pdf"])
    assert len(pages) > 2
    for number, page in enumerate(pages, start=1):
        assert f"Page {number}/{len(pages)}" in page
        assert "CLASS LOGBOOK" in page.upper() and "Trường THPT Nam Lợi" in page
        if number < len(pages):
            assert "Confirmed" in page and "Lesson" in page  # the headings, above the rows of every page


def test_a_cell_longer_than_a_page_continues_on_the_next_and_nothing_is_cut():
    words = [f"ý{n}kiến" for n in range(900)]
    reader = volumes(logbook(lambda: logbook_rows(3, remarks=" ".join(words))), context("en"))["attendance/logbook.pdf"]
    whole = "".join(texts(reader)).replace("\n", " ")
    assert len(reader.pages) >= 3
    found = set(re.findall(r"ý\d+kiến", whole))
    assert found == set(words)


def test_each_class_starts_its_own_pages_and_the_teacher_signs_each():
    pages = texts(volumes(logbook(lambda: logbook_rows(5, classes=("10A1", "10A2"))), context("en"))[
        "attendance/logbook.pdf"])
    starts = [i for i, page in enumerate(pages) if "Class: 10A2" in page]
    assert starts and all("Class: 10A1" in page for page in pages[:starts[0]])
    assert sum(page.count("TEACHER") for page in pages) == 2
    assert "(signature and full name)" in pages[-1]


def test_the_score_sheet_is_signed_by_the_subject_teacher_and_the_principal():
    def rows():
        for number, name in enumerate(("Nguyễn Thị Ánh", "Trần Văn Bình"), start=1):
            yield (7, "Kiểm tra giữa kỳ I", "10A1", "Toán", dt.datetime(2025, 10, 20, 0, 30, tzinfo=UTC), number,
                   f"79260100{number:02d}", name, Decimal("7.125"), "7,1", "Đã nộp bài")
    sheet = Table("assessment", "score_sheet", "Score sheet", SHEET, rows, printable="score_sheet")
    pages = texts(volumes(sheet, context("en"))["assessment/score_sheet.pdf"])
    whole = "\n".join(pages)
    assert "SUBJECT TEACHER" in whole and "PRINCIPAL" in whole
    assert "Test: Kiểm tra giữa kỳ I" in whole and "20/10/2025 07:30" in whole  # the school's time
    assert "Trần Văn Bình" in whole and "7,1" in whole and "Sector ID" in whole
    assert whole.count("Kiểm tra giữa kỳ I") == 1  # the group's line, not a column repeated on every row


def test_the_attendance_sheet_has_no_signature_block():
    columns = (("class_name", "Class"), ("sector_id", "Sector ID"), ("full_name", "Full name"), ("present", "Present"))
    sheet = Table("attendance", "attendance_sheet", "Attendance sheet", columns,
                  lambda: iter([("10A1", "7926010001", "Nguyễn Thị Ánh", 5)]), printable="attendance_sheet")
    whole = "\n".join(texts(volumes(sheet, context("en"))["attendance/attendance_sheet.pdf"]))
    assert "Nguyễn Thị Ánh" in whole and "signature" not in whole


def test_an_empty_document_says_so():
    empty = Table("material", "materials_register", "Materials register", (("id", "Record no."), ("title", "Title")),
                  lambda: iter(()), printable="materials_register")
    pages = texts(volumes(empty, context("en"))["material/materials_register.pdf"])
    assert len(pages) == 1 and "No records in this period." in pages[0] and "Title" in pages[0]


def test_a_long_document_is_cut_into_volumes_and_its_rows_are_read_once(monkeypatch):
    monkeypatch.setattr(pdf_module, "MAX_PAGES", 2)
    calls = []
    found = volumes(logbook(lambda: logbook_rows(150), calls), context("en"))
    assert list(found) == [f"attendance/logbook{suffix}.pdf" for suffix in ("", "-2", "-3", "-4")][:len(found)]
    assert len(found) >= 3 and len(calls) == 1  # once, for every format and every volume of the PDF
    pages = [texts(reader) for reader in found.values()]
    assert "Continued in logbook-2.pdf" in pages[0][-1] and "Volume 2" in pages[1][0]
    whole = "\n".join(text for volume in pages for text in volume)
    lessons = re.findall(r"Bài (\d+)\. Phương", whole)
    assert sorted(map(int, lessons)) == list(range(1, 151))  # every row once, none lost at a cut
    assert whole.count("TEACHER") == 1 and "TEACHER" in pages[-1][-1]


def test_the_shipped_font_has_every_vietnamese_letter_and_its_licence_beside_it():
    import os
    import unicodedata

    from fontTools.ttLib import TTFont

    vowels = "aăâeêioôơuưy"
    letters = {unicodedata.normalize("NFC", v + tone) for v in vowels for tone in ("", "\u0300", "\u0301", "\u0303",
                                                                                   "\u0309", "\u0323")}
    letters |= {letter.upper() for letter in letters} | set("đĐ₫")
    for style in pdf_module.FONT_FILES:
        cmap = TTFont(pdf_module.font_path(style))["cmap"].getBestCmap()
        assert {letter for letter in letters if ord(letter) not in cmap} == set(), style
    with open(os.path.join(pdf_module.FONT_DIR, "LICENSE.txt"), encoding="utf-8") as handle:
        licence = handle.read()
    assert "Bitstream Vera Fonts Copyright" in licence and "Arev Fonts Copyright" in licence


@pytest.mark.parametrize("printable", ["logbook", "attendance_sheet", "score_sheet", "materials_register"])
def test_every_printable_document_has_a_layout(printable):
    from vn_online_teaching.archive.render import printable as documents
    from vn_online_teaching.core import exporting

    assert printable in exporting.PRINTABLE and printable in documents.DOCUMENTS


def test_a_word_wider_than_its_column_is_broken_not_cut():
    address = "https://truong.edu.vn/" + "tài-liệu-ôn-tập-" * 120
    reader = volumes(logbook(lambda: logbook_rows(2, remarks=address)), context("en"))["attendance/logbook.pdf"]
    whole = re.sub(r"\s", "", "".join(texts(reader)))
    assert address in whole


def test_control_characters_print_as_spaces_and_line_breaks_stay():
    assert pdf_module.texts_of(["a\tb\r\nc\x07d", 5], context()) == ["a b\nc d", "5"]


def test_printed_texts_are_remembered_by_type_and_value():
    """A document repeats its test, class and dates on every row, so their printed texts are kept;
    True and 1 are equal in Python but print apart (a tick, a number)."""
    ctx = context()
    texts = pdf_module.text_writer(ctx)
    row = [True, 1, Decimal(1), dt.date(2025, 9, 8), "Nguye\u0302\u0303n\tAn", None]
    assert texts(row) == texts(list(row)) == pdf_module.texts_of(row, ctx)
    assert texts(row)[:3] == ["✓", "1", "1"] and texts(row)[4] == "Nguyễn An"
