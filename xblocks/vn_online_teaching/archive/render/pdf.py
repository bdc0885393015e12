"""The printed documents as PDF on A4 (fpdf2), for people and for paper.

Each page has the school and the course, the document's title and period (and the group it
belongs to: a class, a test), the column headings repeated on every page, the rows with their cells
wrapped (a cell taller than a page continues on the next one: nothing is cut), and "Page n/N";
each group ends with the signature block of the paper version (``printable``, ``sheet``). The font,
DejaVu Sans Condensed (``archive/fonts``), is embedded (only the glyphs used), so Vietnamese prints
the same on any computer, and the file is written as PDF/A-2u (ISO 19005-2: fonts embedded, text
extractable as Unicode, sRGB output intent, XMP metadata), the PDF profile for long-term keeping.

Memory: the rows are read once, as they come; the column widths are set from the first
``SAMPLE_ROWS`` rows. The PDF library keeps a document's pages until it writes the file, so a long
document is cut into volumes of at most about ``MAX_PAGES`` pages, each written to a temporary file
and handed on in chunks before the next is laid out.
"""
import itertools
import os
import unicodedata

from . import printable, spool
from .cells import display
from .sheet import FONT, MARGIN, Layout, choose_widths

FONT_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "fonts")
FONT_FILES = {"": "DejaVuSansCondensed.ttf", "B": "DejaVuSansCondensed-Bold.ttf"}
COMPLIANCE = "PDF/A-2U"
SAMPLE_ROWS = 50
MAX_PAGES = 200
CREATOR = "openedx-vn-online-teaching"


def font_path(style=""):
    return os.path.join(FONT_DIR, FONT_FILES[style])


def new_pdf(landscape=False):
    """An empty A4 document with the embedded font; pages get the layout's header and footer."""
    from fpdf import FPDF  # noqa: PLC0415 - only exports need it

    class Sheet(FPDF):
        layout = None

        def header(self):
            if self.layout:
                self.layout.page_header(self)

        def footer(self):
            if self.layout:
                self.layout.page_footer(self)

    pdf = Sheet(orientation="L" if landscape else "P", unit="mm", format="A4", enforce_compliance=COMPLIANCE)
    for style, name in FONT_FILES.items():
        pdf.add_font(FONT, style, os.path.join(FONT_DIR, name))
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(False, margin=MARGIN + 6)
    return pdf


# Line breaks become one "\n", tabs and other control characters a space: none has a glyph to print.
CONTROLS = {code: " " for code in (*range(32), 127) if code != 10}


def text_of(value, context):
    """The printed text of a value (``cells.display``), NFC so that every Vietnamese letter is one
    precomposed glyph of the font."""
    return unicodedata.normalize("NFC", display(value, context.language, context.org).replace("\r\n", "\n")
                                 ).translate(CONTROLS)


def texts_of(values, context):
    return [text_of(v, context) for v in values]


def text_writer(context, limit=4096):
    """``texts_of`` with the texts of the last few thousand distinct values kept: a document repeats
    its test, class, dates and states on every row. Keyed by type too (True and 1 print apart)."""
    seen = {}

    def texts(values):
        out = []
        for value in values:
            key = (value.__class__, value)
            try:
                text = seen.get(key)
            except TypeError:  # a value without a hash (a signalling NaN): not kept
                key, text = None, text_of(value, context)
            if text is None:
                if len(seen) >= limit:
                    seen.clear()
                text = text_of(value, context)
                if key is not None:
                    seen[key] = text
            out.append(text)
        return out

    return texts


def volumes(table, base_path, context):
    """(path, source) of the document's PDF, then of each further volume; the rows are read once,
    across the volumes, so read each source before asking for the next pair."""
    state = {"rows": None, "done": False, "plan": None, "pending": []}
    number = 1
    while True:
        path = f"{base_path}.pdf" if number == 1 else f"{base_path}-{number}.pdf"
        yield path, _volume(table, context, base_path, number, state)
        if state["done"] or state["rows"] is None:
            return
        number += 1


def _plan(table, context, sample):
    """(shown, group, widths, landscape): the columns printed and their widths, from the sample."""
    shown, group = printable.plan(printable.document(table.printable), [key for key, _ in table.columns])
    labels = context.labels(table)
    texts = [texts_of(row, context) for row in sample]
    widths, landscape = choose_widths(_measuring_pdf(context), [labels[i] for i in shown],
                                      [[t[i] for i in shown] for t in texts])
    return shown, group, widths, landscape


def _measuring_pdf(context):
    """A document used only to measure texts, one per package: loading the embedded font is the
    dearest part of starting a document, and every printed table measures its sample with it."""
    measuring = context.scratch.get("measuring_pdf")
    if measuring is None:
        measuring = context.scratch["measuring_pdf"] = new_pdf()
    return measuring


def _volume(table, context, base_path, number, state):
    if state["rows"] is None:
        state["rows"] = iter(table.rows())
        state["pending"] = list(itertools.islice(state["rows"], SAMPLE_ROWS))
        state["plan"] = _plan(table, context, state["pending"])
    shown, group, widths, landscape = state["plan"]
    layout = Layout(table, context, base_path, number, shown, group, widths)
    pdf = new_pdf(landscape)
    pdf.layout = layout
    pdf.set_title(f"{layout.title} — {context.school}" if context.school else layout.title)
    pdf.set_lang(context.language)
    pdf.set_creator(CREATOR)
    rows = itertools.chain(state["pending"], state["rows"])
    state["pending"] = []
    texts = text_writer(context)
    for values in rows:
        if not layout.add(pdf, values, texts(values), last_page=MAX_PAGES):
            state["pending"], state["rows"] = [values], rows
            layout.continued_in = f"{os.path.basename(base_path)}-{number + 1}.pdf"
            break
    else:
        state["done"] = True
        if pdf.page_no() == 0:
            layout.empty(pdf)
        layout.signatures(pdf)
    path = spool.temporary_path(".pdf")
    try:
        pdf.output(path)
    except BaseException:
        spool.discard(path)
        raise
    del pdf
    yield from spool.read_back(path)
