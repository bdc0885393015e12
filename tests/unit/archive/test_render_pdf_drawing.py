"""The table rows and the page furniture of the printed documents are drawn by writing fpdf2's own
operators in one piece per row or line (archive/render/sheet.py): they must land exactly where
``pdf.rect``, ``pdf.text`` and ``pdf.cell`` put them (same boxes, same text positions, same glyphs
embedded), in black over the grey heading fill, so the pages look the same, and the Vietnamese
text stays extractable from an A4 page."""
import io
import re

from pypdf import PdfReader
from vn_online_teaching.archive import render
from vn_online_teaching.archive.render import pdf as pdf_module
from vn_online_teaching.archive.render import sheet
from vn_online_teaching.core.exporting import Table

ROW = ["08/09/2025", "Nguyễn Thị Ánh", "", "Đặng Quốc Huy vắng (có phép)", "40"]
COLUMNS = tuple((f"c{i}", f"Cột {i}") for i in range(len(ROW)))
WIDTHS = [22.0, 40.0, 15.0, 70.0, 12.0]
ALIGNS = ["L", "L", "L", "C", "R"]


def layout():
    table = Table("attendance", "logbook", "Class logbook", COLUMNS, lambda: iter(()), printable=None)
    ctx = render.Context(school="Trường THPT Nam Lợi", course="Toán 10A1", language="vi")
    return sheet.Layout(table, ctx, "attendance/logbook", 1, list(range(len(ROW))), [], WIDTHS)


def page(pdf):
    return bytes(pdf.pages[pdf.page].contents).decode("latin-1")


def blank(fill):
    pdf = pdf_module.new_pdf()
    pdf.add_page()
    pdf.set_font(sheet.FONT, "B" if fill else "", sheet.FONT_SIZE)
    pdf.set_xy(sheet.MARGIN, 40)
    return pdf


def by_fpdf_calls(cells, fill):
    """The row as fpdf2's public calls draw it: a rectangle per cell, a text call per line."""
    pdf = blank(fill)
    x, y = sheet.MARGIN, pdf.get_y()
    lines = max(len(c) for c in cells)
    height = lines * sheet.LINE + 2 * sheet.PAD
    pdf.set_fill_color(*sheet.HEADER_FILL)
    for width, cell_lines, align in zip(WIDTHS, cells, ALIGNS):
        pdf.rect(x, y, width, height, style="DF" if fill else "D")
        for number, line in enumerate(cell_lines):
            if line:
                text_x = x + sheet.PAD
                if align == "R":
                    text_x = x + width - sheet.PAD - pdf.get_string_width(line)
                elif align == "C":
                    text_x = x + (width - pdf.get_string_width(line)) / 2
                pdf.text(text_x, y + sheet.PAD + number * sheet.LINE + sheet.LINE * 0.75, line)
        x += width
    return pdf


def operators(content):
    boxes = re.findall(r"([\d.]+ [\d.]+ [\d.]+ -[\d.]+) re", content)
    texts = re.findall(r"BT ([\d.]+ [\d.]+) Td (\(.*?\)) Tj ET", content, re.DOTALL)
    return sorted(boxes), sorted(texts)


def test_a_row_is_drawn_where_fpdfs_own_calls_draw_it():
    for fill in (False, True):
        cells = [[text] if text else [] for text in ROW]
        cells[3] = ["Đặng Quốc Huy", "vắng (có phép)"]  # a wrapped cell: two lines
        ours = blank(fill)
        layout()._draw_cells(ours, cells, ALIGNS, 2, fill)
        theirs = by_fpdf_calls(cells, fill)
        assert operators(page(ours)) == operators(page(theirs))
        assert operators(page(ours))[1]  # texts were drawn at all
        assert (" B" if fill else " S") in page(ours)
        assert "q 0 g BT" in page(ours)  # the text black, whatever the fill colour
        assert ours.get_y() == theirs.get_y() + 2 * sheet.LINE + 2 * sheet.PAD


def test_a_line_of_furniture_is_placed_as_pdf_cell_places_it():
    for align in ("L", "C", "R"):
        ours, theirs = blank(False), blank(False)
        sheet.line_text(ours, 90, 5, "Trường THPT Nam Lợi — Sổ đầu bài", align=align, next_line=True)
        theirs.cell(90, 5, "Trường THPT Nam Lợi — Sổ đầu bài", align=align, new_x="LMARGIN", new_y="NEXT")
        assert operators(page(ours))[1] == operators(page(theirs))[1] and operators(page(ours))[1]
        assert (ours.get_x(), ours.get_y()) == (theirs.get_x(), theirs.get_y())
    ours, theirs = blank(False), blank(False)
    sheet.line_text(ours, 60, 5, "Toán")
    theirs.cell(60, 5, "Toán")
    assert (ours.get_x(), ours.get_y()) == (theirs.get_x(), theirs.get_y())


def test_the_drawn_text_is_vietnamese_that_can_be_extracted_from_an_a4_page():
    pdf = blank(False)
    pdf.layout = None
    layout()._draw_cells(pdf, [[t] if t else [] for t in ROW], ALIGNS, 1, False)
    sheet.line_text(pdf, 90, 5, "SỔ ĐẦU BÀI — Học kỳ I", align="C")
    reader = PdfReader(io.BytesIO(bytes(pdf.output())))
    text = reader.pages[0].extract_text()
    for word in ("Nguyễn Thị Ánh", "Đặng Quốc Huy vắng (có phép)", "08/09/2025", "SỔ ĐẦU BÀI — Học kỳ I"):
        assert word in text, word
    assert (round(float(reader.pages[0].mediabox.width)), round(float(reader.pages[0].mediabox.height))) == (595, 842)
