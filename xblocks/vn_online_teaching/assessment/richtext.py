"""The rich text of questions: stems, options, statements and marking guides.

Sanitised with nh3 and the same allow-list as learning materials (material/content.py,
``sanitize_html``). Features do not import each other, so the allow-list is repeated here; it
belongs in the core, where both would read it (until then, change both together).

- Formulas are kept as TeX text between ``\\(`` … ``\\)`` (inline) or ``\\[`` … ``\\]`` (display),
  rendered in the student's browser by a client-side renderer (KaTeX or MathJax). TeX survives
  sanitising as plain text, is what teachers already type in the Ministry's templates and in
  Word's equation editor's linear form, and reflows on a phone; MathML would need a second,
  much larger allow-list and the sanitiser removes it today.
- Images are references, never uploads here: a full web address or a course file ("/static/…",
  which the platform rewrites to the course's asset). ``data:`` and ``javascript:`` sources are
  removed by the sanitiser.
- A spreadsheet cell is plain text: it is escaped and its line breaks become ``<br>``.
"""
import html
import re

import nh3

from ..core import text
from ..core.errors import RequestError
from ..core.validation import clean_url

ALLOWED_TAGS = {
    "p", "br", "b", "strong", "i", "em", "u", "s", "sub", "sup", "ul", "ol", "li", "h2", "h3", "h4",
    "blockquote", "pre", "code", "table", "thead", "tbody", "tr", "th", "td", "a", "img", "span", "hr",
    "figure", "figcaption",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "*": {"lang"},
}
COURSE_FILE = re.compile(r"/static/[A-Za-z0-9_][A-Za-z0-9_.\-/]{0,250}\Z")
_TAG = re.compile(r"<[^>]*>")
_IMAGE = re.compile(r"<img\b[^>]*\bsrc=\"[^\"]+\"", re.IGNORECASE)


def sanitize(markup):
    """``markup`` with only harmless tags and attributes (the learning materials' allow-list)."""
    return nh3.clean(markup or "", tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer")


def from_plain(value):
    """A spreadsheet cell's plain text as rich text: escaped, line breaks kept."""
    lines = text.clean(value or "").split("\n")
    return "<br>".join(html.escape(line, quote=False) for line in lines)


def plain(markup):
    """The text a reader sees in ``markup`` (tags dropped, entities decoded, spaces collapsed):
    what two options are compared by."""
    return " ".join(html.unescape(_TAG.sub(" ", markup or "")).split())


def has_content(markup):
    """True when ``markup`` shows something: text or an image with a source."""
    return bool(plain(markup)) or bool(_IMAGE.search(markup or ""))


def is_image_reference(value):
    """A full web address or a course file path: what an image may point to."""
    if COURSE_FILE.match(value or "") and ".." not in value:
        return True
    try:
        clean_url(value)
    except RequestError:
        return False
    return True


def image(reference):
    """An ``<img>`` for an image reference (checked with ``is_image_reference`` first)."""
    return f'<img src="{html.escape(reference, quote=True)}" alt="">'
