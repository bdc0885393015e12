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
CACHE = 4096  # texts remembered per volume (wrapped lines, encoded lines)


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


def line_text(pdf, width, height, text, align="L", next_line=False):
    """One line of plain text in a box ``width`` × ``height`` mm at the current position, placed as
    ``pdf.cell`` places it (the cell's margin, centred on the box's middle line), then the position
    moved as ``cell`` moves it (to the right, or with ``next_line`` to the next line's start):
    ``cell`` parses every text for styles and page-number aliases, which a page's furniture does
    not need, and costs as much as the rows."""
    if text:
        length = measure(pdf, text)
        if align == "R":
            dx = width - pdf.c_margin - length
        elif align == "C":
            dx = (width - length) / 2
        else:
            dx = pdf.c_margin
        k, ops = pdf.k, []
        if not pdf.current_font_is_set_on_page:
            ops.append(pdf._set_font_for_page(pdf.current_font, pdf.font_size_pt))
        ops.append(f"q {pdf.text_color.serialize().lower()} BT {(pdf.x + dx) * k:.2f} "
                   f"{(pdf.h - pdf.y - 0.5 * height - 0.3 * pdf.font_size) * k:.2f} Td "
                   f"{pdf.current_font.encode_text(text)} ET Q")
        pdf._out(" ".join(ops))  # fpdf2's own writer of page content
    if next_line:
        pdf.set_xy(pdf.l_margin, pdf.y + height)
    else:
        pdf.set_x(pdf.x + width)


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
        self._box_text, self._encoded, self._wrapped = None, {}, {}

    # -- page furniture -------------------------------------------------------------------------

    def page_header(self, pdf):
        ctx, width = self.context, pdf.epw
        pdf.set_xy(MARGIN, MARGIN)
        pdf.set_font(FONT, "B", 9)
        line_text(pdf, width / 2, 5, ctx.school)
        pdf.set_font(FONT, "", 9)
        line_text(pdf, width / 2, 5, ctx.course, align="R", next_line=True)
        pdf.set_font(FONT, "B", 13)
        line_text(pdf, width, 7, self.title.upper() if ctx.language == "vi" else self.title, align="C",
                  next_line=True)
        pdf.set_font(FONT, "", 9)
        parts = [ctx.scope, printable.date_range(ctx)]
        if self.volume > 1:
            parts.append(ctx.gettext(printable.VOLUME).format(number=self.volume))
        line_text(pdf, width, 5, " — ".join(p for p in parts if p), align="C", next_line=True)
        if self.group_value:
            pdf.set_font(FONT, "B", 9.5)
            line = " — ".join(f"{label}: {text}" for label, text in zip(self.group_labels, self.group_value)
                              if text)
            for part in wrap(pdf, line, width):  # our own wrap: fpdf's multi_cell costs more than a page's rows
                line_text(pdf, width, 5, part, align="C", next_line=True)
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
        line_text(pdf, third, 4, note)
        # fpdf's own cell: it puts the number of pages in place of "{nb}" when the file is written
        pdf.cell(third, 4, self.context.gettext(printable.PAGE).format(page=pdf.page_no(), pages="{nb}"),
                 align="C")
        line_text(pdf, third, 4, f"{self.base_name}.pdf", align="R")

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
        """The row's cell borders as one path and its texts as one text object each line, given to
        the page in one piece: what ``pdf.rect`` and ``pdf.text`` write for each cell and line, the
        same operators with the same rounding, without their per-call checks and parsing (a score
        sheet draws a hundred thousand cells)."""
        y = pdf.get_y()
        height = lines * LINE + 2 * PAD
        k, page_height = pdf.k, pdf.h
        pdf.set_fill_color(*HEADER_FILL)
        top, tall = f"{(page_height - y) * k:.2f}", f"{-height * k:.2f}"
        ops = [f"{x} {top} {w} {tall} re" for x, w in self._boxes(pdf)]
        ops.append("B" if fill else "S")
        texts = []
        encoded = self._encoder(pdf)
        x = MARGIN
        for width, cell_lines, align in zip(self.widths, cells, aligns):
            baseline = y + PAD + LINE * 0.75
            for line in cell_lines:
                if line:
                    code, length = encoded(line)
                    text_x = x + PAD
                    if align == "R":
                        text_x = x + width - PAD - length
                    elif align == "C":
                        text_x = x + (width - length) / 2
                    texts.append(f"BT {text_x * k:.2f} {(page_height - baseline) * k:.2f} Td {code} ET")
                baseline += LINE
            x += width
        if texts:
            if not pdf.current_font_is_set_on_page:
                ops.append(pdf._set_font_for_page(pdf.current_font, pdf.font_size_pt))
            ops.append(f"q {pdf.text_color.serialize().lower()} {' '.join(texts)} Q")
        pdf._out(" ".join(ops))  # fpdf2's own writer of page content
        pdf.set_xy(MARGIN, y + height)

    def _boxes(self, pdf):
        """(x, width) of each column's box in PDF units, as ``pdf.rect`` writes them."""
        if self._box_text is None:
            starts = [MARGIN + sum(self.widths[:i]) for i in range(len(self.widths))]
            self._box_text = [(f"{x * pdf.k:.2f}", f"{w * pdf.k:.2f}") for x, w in zip(starts, self.widths)]
        return self._box_text

    def _encoder(self, pdf):
        """A function from a line to (its text operator, its width in mm) in the current font and
        size, remembered for the volume: a document repeats its dates, states and names. The
        font's subset records each glyph when a text is first encoded, as ``pdf.text`` does."""
        font, size = pdf.current_font, pdf.font_size
        key = (id(font), size)
        known = self._encoded.get(key)
        if known is None:
            known = self._encoded[key] = {}

        def encoded(line):
            found = known.get(line)
            if found is None:
                if len(known) >= CACHE:
                    known.clear()
                found = known[line] = (font.encode_text(line), measure(pdf, line))
            return found

        return encoded

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
        return self.draw_row(pdf, self._wrap_row(pdf, texts), aligns, last_page=last_page)

    def _wrap_row(self, pdf, texts):
        """Each printed cell's lines (``wrap``), remembered by column and text for the volume."""
        wrapped, cells = self._wrapped, []
        if len(wrapped) >= CACHE:
            wrapped.clear()
        for column, (i, width) in enumerate(zip(self.shown, self.widths)):
            key = (column, texts[i])
            lines = wrapped.get(key)
            if lines is None:
                lines = wrapped[key] = wrap(pdf, texts[i], width - 2 * PAD)
            cells.append(lines)
        return cells

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
        line_text(pdf, column, 5, self.context.gettext(printable.PLACE_AND_DATE), align="C", next_line=True)
        y = pdf.get_y()
        for x, role in zip(places, signers):
            pdf.set_xy(x, y)
            pdf.set_font(FONT, "B", 10)
            line_text(pdf, column, 5, self.context.gettext(role).upper(), align="C")
            pdf.set_xy(x, y + 5)
            pdf.set_font(FONT, "", 8)
            line_text(pdf, column, 4, self.context.gettext(printable.SIGN_HINT), align="C")
        pdf.set_xy(MARGIN, y + SIGNATURE_HEIGHT - 5)
