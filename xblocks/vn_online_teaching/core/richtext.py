"""Rich text written by teachers, made safe to show: the one allow-list every feature uses.

A learning material's content and a test question's stem are both HTML that a teacher typed,
pasted from Word or imported, and both are shown inside the LMS page to students: a script, an
event handler, a frame or a ``javascript:`` address left in them would run as the student. nh3
(the Rust sanitiser ammonia) parses the markup as a browser would and keeps only what is listed
here, so a new trick is refused by default instead of needing a new rule.

The list is what school content needs: paragraphs, headings, lists, tables, emphasis, sub- and
superscripts, links and images. Formulas are not markup here: they stay as TeX text, which needs
no tag to survive (assessment/richtext.py). What differs between features is a parameter, never
a second list: a feature that accepts only certain image sources passes its own test of them.
"""
import nh3

TAGS = frozenset({
    "p", "br", "b", "strong", "i", "em", "u", "s", "sub", "sup", "ul", "ol", "li", "h2", "h3", "h4",
    "blockquote", "pre", "code", "table", "thead", "tbody", "tr", "th", "td", "a", "img", "span", "hr",
    "figure", "figcaption",
})
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "*": {"lang"},
}
# Addresses with a scheme must use one of these (relative ones stay: the course's own files).
URL_SCHEMES = frozenset({"http", "https", "mailto"})


def sanitize(markup, image_source=None):
    """``markup`` with only the allowed tags and attributes; scripts, styles, event handlers and
    ``javascript:`` or ``data:`` addresses are removed, links get ``rel="noopener noreferrer"``.

    ``image_source(src) -> bool``, when given, is a feature's own rule for where an image may
    come from: an image whose ``src`` fails it keeps its other attributes but loses the source."""
    options = {}
    if image_source is not None:
        def keep(tag, attribute, value):
            if tag == "img" and attribute == "src" and not image_source(value):
                return None
            return value

        options["attribute_filter"] = keep
    return nh3.clean(markup or "", tags=set(TAGS), attributes=ATTRIBUTES, url_schemes=set(URL_SCHEMES),
                     link_rel="noopener noreferrer", **options)
