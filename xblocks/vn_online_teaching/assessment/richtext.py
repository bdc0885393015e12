"""The rich text of questions: stems, options, statements and marking guides.

Sanitised by the core's one allow-list (core/richtext.py), the one learning materials use too,
with the assessment's own rule for images (below).

- Formulas are kept as TeX text between ``\\(`` … ``\\)`` (inline) or ``\\[`` … ``\\]`` (display),
  rendered in the student's browser by a client-side renderer (KaTeX or MathJax). TeX survives
  sanitising as plain text, is what teachers already type in the Ministry's templates and in
  Word's equation editor's linear form, and reflows on a phone; MathML would need a second,
  much larger allow-list and the sanitiser removes it today.
- Images are references, never uploads here: a full web address or a course file ("/static/…",
  which the platform rewrites to the course's asset). The sanitiser removes any other source
  (``data:``, ``javascript:``, a path relative to the page), typed or pasted.
- A spreadsheet cell is plain text: it is escaped and its line breaks become ``<br>``.
"""
import html
import re

from ..core import text
from ..core.errors import RequestError
from ..core.richtext import sanitize as sanitize_markup
from ..core.validation import clean_url

COURSE_FILE = re.compile(r"/static/[A-Za-z0-9_][A-Za-z0-9_.\-/]{0,250}\Z")
_TAG = re.compile(r"<[^>]*>")
_IMAGE = re.compile(r"<img\b[^>]*\bsrc=\"[^\"]+\"", re.IGNORECASE)


def sanitize(markup):
    """``markup`` with only harmless tags and attributes, and images only from a reference
    (``is_image_reference``)."""
    return sanitize_markup(markup, image_source=is_image_reference)


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
