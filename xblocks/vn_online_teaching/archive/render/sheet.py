"""The layout of one volume of a printed document: page header and footer, the table with wrapped
cells and its headings repeated on every page, a new page per group, the signature blocks.

Measurements are in millimetres; fpdf2 calls ``page_header`` and ``page_footer`` on every page.
"""
import os
from decimal import Decimal

from . import printable

MARGIN = 12
FONT = "DejaVuCondensed"
FONT_SIZE = 8.5  # pt, table cells
LINE = 3.9  # mm per line in a cell
PAD = 1.0  # mm inside a cell
HEADER_FILL = (230, 230, 230)
MAX_COLUMN = 80  # mm: a column never wider, however long its texts
NO_WRAP = 30  # mm: a text up to this wide is kept on one line
SIGNATURE_HEIGHT = 32  # mm: the date, the roles, room to sign


def measure(pdf, text):
    """The width (mm) of ``text`` in the current font: the sum of its glyphs' advance widths, what
    ``pdf.get_string_width`` returns for our plain text, without its per-call parsing (a school's
    logbook measures millions of words)."""
    widths = pdf.current_font.cw
    return sum(map(widths.__getitem__, map(ord, text))) * pdf.font_size * 0.001


def split_word(pdf, word, width):
    """A word wider than ``width`` (a web address, a long code) in pieces that fit, in one pass."""
    widths, scale = pdf.current_font.cw, pdf.font_size * 0.001
    pieces, start, used = [], 0, 0.0
    for i, char in enumerate(word):
        advance = widths[ord(char)] * scale
        if used + advance > width and i > start:
            pieces.append(word[start:i])
            start, used = i, 0.0
        used += advance
    pieces.append(word[start:])
    return pieces


def wrap(pdf, text, width):
    """Lines of ``text`` that fit ``width`` mm in the current font: at spaces, inside a word only when
    the word alone is wider than the column, at every line break of the text."""
    lines = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if measure(pdf, candidate) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            pieces = split_word(pdf, word, width) if measure(pdf, word) > width else [word]
            lines.extend(pieces[:-1])
            line = pieces[-1]
        lines.append(line)
    return lines


def choose_widths(pdf, labels, sample):
    """Column widths (mm) and the orientation, from the headings and the first rows' texts. A
    column gets at least its short texts whole (a date, a name: up to ``NO_WRAP`` mm) and the longest
    word of the others; a heading may wrap onto three lines; the rest of the page goes to the
    columns with long texts. More than fits a portrait page turns the page."""
    pdf.set_font(FONT, "B", FONT_SIZE)
    minimum = [max(measure(pdf, w) for w in (label.split() or [""])) for label in labels]
    desired = [max(m, measure(pdf, label) / 3) for m, label in zip(minimum, labels)]
    pdf.set_font(FONT, "", FONT_SIZE)
    for texts in sample:
        for i, text in enumerate(texts):
            whole = measure(pdf, text)
            if whole > NO_WRAP:
                whole = min(max((measure(pdf, w) for w in text.split()), default=0), NO_WRAP)
            minimum[i] = max(minimum[i], whole)
            desired[i] = max(desired[i], measure(pdf, text))
    minimum = [m + 2 * PAD + 0.5 for m in minimum]
    desired = [min(max(d + 2 * PAD + 0.5, m), MAX_COLUMN) for d, m in zip(desired, minimum)]
    portrait = 210 - 2 * MARGIN
    landscape = sum(desired) > portrait * 1.15 or sum(minimum) > portrait
    available = (297 if landscape else 210) - 2 * MARGIN
    if sum(minimum) >= available:
        return [m * available / sum(minimum) for m in minimum], landscape
    if sum(desired) <= available:
        spare = available - sum(desired)
        return [d + spare * d / sum(desired) for d in desired], landscape
    extra = [d - m for d, m in zip(desired, minimum)]
    spare = available - sum(minimum)
    return [m + spare * e / sum(extra) for m, e in zip(minimum, extra)], landscape


class Layout:
    """One volume of one document. ``shown``/``group``: column indices (``printable.plan``)."""

    def __init__(self, table, context, base_path, volume, shown, group, widths):
        self.context, self.volume = context, volume
        self.document = printable.document(table.printable)
        self.title = context.gettext(table.title)
        labels = context.labels(table)
        self.labels = [labels[i] for i in shown]
        self.group_labels = [labels[i] for i in group]
        self.shown, self.group, self.widths = shown, group, widths
        self.base_name = os.path.basename(base_path)
        self.in_table = False
        self.continued_in = ""
        self.group_value = None  # the texts of the group's columns on the current pages
        self.top = MARGIN

    # -- page furniture -------------------------------------------------------------------------

    def page_header(self, pdf):
        ctx, width = self.context, pdf.epw
        pdf.set_xy(MARGIN, MARGIN)
        pdf.set_font(FONT, "B", 9)
        pdf.cell(width / 2, 5, ctx.school)
        pdf.set_font(FONT, "", 9)
        pdf.cell(width / 2, 5, ctx.course, align="R", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "B", 13)
        pdf.cell(width, 7, self.title.upper() if ctx.language == "vi" else self.title, align="C",
                 new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 9)
        parts = [ctx.scope, printable.date_range(ctx)]
        if self.volume > 1:
            parts.append(ctx.gettext(printable.VOLUME).format(number=self.volume))
        pdf.cell(width, 5, " — ".join(p for p in parts if p), align="C", new_x="LMARGIN", new_y="NEXT")
        if self.group_value:
            pdf.set_font(FONT, "B", 9.5)
            line = " — ".join(f"{label}: {text}" for label, text in zip(self.group_labels, self.group_value)
                              if text)
            for part in wrap(pdf, line, width):  # our own wrap: fpdf's multi_cell costs more than a page's rows
                pdf.cell(width, 5, part, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        self.top = pdf.get_y()
        if self.in_table:
            self.heading_row(pdf)
            self.top = pdf.get_y()

    def page_footer(self, pdf):
        pdf.set_font(FONT, "", 8)
        pdf.set_xy(MARGIN, pdf.h - MARGIN - 4)
        third = pdf.epw / 3
        note = self.context.gettext(printable.CONTINUED).format(file=self.continued_in) if self.continued_in else ""
        pdf.cell(third, 4, note)
        pdf.cell(third, 4, self.context.gettext(printable.PAGE).format(page=pdf.page_no(), pages="{nb}"),
                 align="C")
        pdf.cell(third, 4, f"{self.base_name}.pdf", align="R")

    # -- the table ------------------------------------------------------------------------------

    def heading_row(self, pdf):
        pdf.set_font(FONT, "B", FONT_SIZE)
        cells = [wrap(pdf, label, w - 2 * PAD) for label, w in zip(self.labels, self.widths)]
        self.draw_row(pdf, cells, ["C"] * len(cells), fill=True, heading=True)
        pdf.set_font(FONT, "", FONT_SIZE)

    def draw_row(self, pdf, cells, aligns, fill=False, heading=False, last_page=None):
        """One row of wrapped cells; a row that does not fit the rest of the page goes to the next,
        and one taller than a whole page is continued there. False, and nothing drawn, when the row
        would need a new page after page ``last_page`` (the volume is full)."""
        while True:
            needed = max(len(lines) for lines in cells)
            room = int((pdf.page_break_trigger - pdf.get_y() - 2 * PAD) // LINE)
            if needed <= room:
                self._draw_cells(pdf, cells, aligns, needed, fill)
                return True
            if last_page is not None and pdf.page_no() >= last_page:
                return False
            last_page = None  # once started, a row is finished in this volume
            if not heading and pdf.get_y() > self.top + 0.01:
                pdf.add_page()
                continue
            room = max(room, 1)
            self._draw_cells(pdf, [lines[:room] for lines in cells], aligns, room, fill)
            cells = [lines[room:] for lines in cells]
            pdf.add_page()

    def _draw_cells(self, pdf, cells, aligns, lines, fill):
        x, y = MARGIN, pdf.get_y()
        height = lines * LINE + 2 * PAD
        pdf.set_fill_color(*HEADER_FILL)
        for width, cell_lines, align in zip(self.widths, cells, aligns):
            pdf.rect(x, y, width, height, style="DF" if fill else "D")
            for number, line in enumerate(cell_lines):
                if not line:
                    continue
                text_x = x + PAD
                if align == "R":
                    text_x = x + width - PAD - measure(pdf, line)
                elif align == "C":
                    text_x = x + (width - measure(pdf, line)) / 2
                pdf.text(text_x, y + PAD + number * LINE + LINE * 0.75, line)
            x += width
        pdf.set_xy(MARGIN, y + height)

    def add(self, pdf, values, texts, last_page=None):
        """Draw one row (``texts``: every column's text), starting a group's pages when its group
        changes; False when the row would start a page after ``last_page``."""
        group_value = [texts[i] for i in self.group]
        if pdf.page_no() == 0 or group_value != self.group_value:
            if pdf.page_no():
                self.signatures(pdf)  # the group before is complete
                if last_page is not None and pdf.page_no() >= last_page:
                    self.group_value = None
                    return False
            self.group_value, self.in_table = group_value, True
            pdf.add_page()
        aligns = ["R" if isinstance(values[i], (int, Decimal)) and not isinstance(values[i], bool) else "L"
                  for i in self.shown]
        pdf.set_font(FONT, "", FONT_SIZE)
        cells = [wrap(pdf, texts[i], w - 2 * PAD) for i, w in zip(self.shown, self.widths)]
        return self.draw_row(pdf, cells, aligns, last_page=last_page)

    def empty(self, pdf):
        """A document with no rows: its headings and one line saying so."""
        self.in_table = True
        pdf.add_page()
        pdf.set_font(FONT, "", 9)
        pdf.ln(2)
        pdf.cell(pdf.epw, 6, self.context.gettext(printable.NO_ROWS), new_x="LMARGIN", new_y="NEXT")

    def signatures(self, pdf):
        """The paper version's signature block, kept whole on one page: the place and date above
        the right-hand signer, as Vietnamese documents have it; a single signer signs on the right."""
        self.in_table = False
        signers = self.document.signers
        if not signers:
            return
        if pdf.get_y() + SIGNATURE_HEIGHT > pdf.page_break_trigger:
            pdf.add_page()
        pdf.ln(5)
        column = pdf.epw / 2
        places = [MARGIN + column] if len(signers) == 1 else [MARGIN + column * i for i in range(len(signers))]
        pdf.set_font(FONT, "", 9)
        pdf.set_x(places[-1])
        pdf.cell(column, 5, self.context.gettext(printable.PLACE_AND_DATE), align="C",
                 new_x="LMARGIN", new_y="NEXT")
        y = pdf.get_y()
        for x, role in zip(places, signers):
            pdf.set_xy(x, y)
            pdf.set_font(FONT, "B", 10)
            pdf.cell(column, 5, self.context.gettext(role).upper(), align="C")
            pdf.set_xy(x, y + 5)
            pdf.set_font(FONT, "", 8)
            pdf.cell(column, 4, self.context.gettext(printable.SIGN_HINT), align="C")
        pdf.set_xy(MARGIN, y + SIGNATURE_HEIGHT - 5)
