"""The content of a learning material: its metadata, rich text, links and attachments.

Pure rules: what is accepted, that HTML is made safe (the core's one allow-list), how a file's
type is recognised from its bytes (never from its name alone), and how two versions differ for
the reviewer.
"""
import difflib
import html as html_lib
import io
import re
import zipfile

from markupsafe import Markup

from ..core import richtext
from ..core.errors import RequestError
from ..core.i18n import N_, gettext
from ..core.validation import Field, FieldError, Url, clean_url

DEFAULT_TITLE = N_("Learning material")

# The five kinds of material of Circular 09/2021 (docs/circular-09.md, learning materials). Keys are
# stored; never rename.
KINDS = {
    "lecture": N_("Multimedia lecture"),
    "practice_guide": N_("Experiment or practice guide"),
    "simulation": N_("Simulation software"),
    "question_bank": N_("Question and exercise bank"),
    "reference": N_("Reference and supporting material"),
}

LINK_KINDS = {
    "video": N_("Video"),
    "document": N_("Document"),
    "website": N_("Website"),
}

# Fields of the block's own content, in the order a reviewer reads them.
OWN_FIELDS = ("display_name", "kind", "subject", "grade", "lesson", "author_name", "source", "licence",
              "body", "links", "attachments")

FIELD_LABELS = {
    "display_name": N_("Title"),
    "kind": N_("Kind of material"),
    "subject": N_("Subject"),
    "grade": N_("Grade"),
    "lesson": N_("Lesson or topic"),
    "author_name": N_("Author"),
    "source": N_("Source"),
    "licence": N_("Licence"),
    "body": N_("Content"),
    "links": N_("Links"),
    "attachments": N_("Attachments"),
}


def sanitize_html(text):
    """Rich text with only harmless tags and attributes (core/richtext.py, the allow-list every
    feature shares). A material may show images from anywhere the allow-list accepts: the web or
    the course's own files."""
    return richtext.sanitize(text)


def is_safe_url(url):
    """A full web address (core/validation.py's one rule): the only links ever shown, whatever
    arrived by OLX import or the raw field editor (never javascript:, data:, relative)."""
    try:
        clean_url(url)
    except RequestError:
        return False
    return True


def _label(name):
    return FIELD_LABELS[name]


# One link of the material: a web address, an optional title and one of LINK_KINDS.
LINK = Field(dict, label=_label("links"), fields={
    "title": Field(str, required=False, default="", multiline=False, label=_label("links")),
    "url": Url(required=True, label=_label("links")),
    "kind": Field(str, required=False, default="website", choices=list(LINK_KINDS), label=_label("links")),
})
TITLE_LENGTH = 200

# What the Studio editor sends; errors name a field by the label the form shows.
FORM = {
    "display_name": Field(str, max_length=255, blank=False, multiline=False, label=_label("display_name")),
    "kind": Field(str, choices=list(KINDS), label=_label("kind")),
    "subject": Field(str, max_length=100, blank=False, multiline=False, label=_label("subject")),
    "grade": Field(str, max_length=20, multiline=False, label=_label("grade")),
    "lesson": Field(str, max_length=255, multiline=False, label=_label("lesson")),
    "author_name": Field(str, max_length=255, multiline=False, label=_label("author_name")),
    "source": Field(str, max_length=500, multiline=False, label=_label("source")),
    "licence": Field(str, max_length=255, multiline=False, label=_label("licence")),
    "body": Field(str, max_length=200_000, label=_label("body")),
    "links": Field(list, max_items=50, item=LINK, label=_label("links")),
    "attachments": Field(list, max_items=50, label=_label("attachments"),
                         item=Field(str, max_length=64, label=_label("attachments"))),
}


def title_of(display_name):
    """The title to show: the default one in the reader's language."""
    return gettext(DEFAULT_TITLE) if display_name == DEFAULT_TITLE else display_name


def display(own, attachment_url):
    """Own content ready for a template: labels translated, HTML sanitised and marked safe, only
    safe links (links also arrive by OLX import or the raw field editor, past the form's checks),
    each attachment with its address (``attachment_url(sha256)``)."""
    shown = dict(own)
    shown["title"] = title_of(own.get("display_name"))
    shown["kind_label"] = KINDS.get(own.get("kind"), "")
    shown["body_html"] = Markup(sanitize_html(own.get("body")))  # noqa: S704 - sanitised
    shown["links"] = [link for link in own.get("links") or []
                      if isinstance(link, dict) and is_safe_url(link.get("url"))]
    shown["attachments"] = [dict(a, url=attachment_url(a["sha256"])) for a in own.get("attachments") or []]
    return shown


def pick_attachments(shas, known):
    """The items of the files ``shas`` names, in that order; each must be one of ``known``
    ({sha256: item}: the files uploaded to this material)."""
    if any(sha not in known for sha in shas):
        raise FieldError("bad_choice", N_("The field {field} has a value that is not allowed."), "attachments",
                         FIELD_LABELS["attachments"])
    return [known[sha] for sha in shas]


def clean_links(links):
    """Links checked by ``LINK``, each with a title (its address when it has none; long titles
    cut, as imported ones may be)."""
    return [{"title": (link["title"] or link["url"])[:TITLE_LENGTH], "url": link["url"], "kind": link["kind"]}
            for link in links]


# (extension, MIME type, test on the first bytes)
FILE_TYPES = [
    ("pdf", "application/pdf", lambda b: b.startswith(b"%PDF-")),
    ("png", "image/png", lambda b: b.startswith(b"\x89PNG\r\n\x1a\n")),
    ("jpg", "image/jpeg", lambda b: b.startswith(b"\xff\xd8\xff")),
    ("jpeg", "image/jpeg", lambda b: b.startswith(b"\xff\xd8\xff")),
    ("gif", "image/gif", lambda b: b[:6] in (b"GIF87a", b"GIF89a")),
    ("mp3", "audio/mpeg", lambda b: b.startswith(b"ID3") or b[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2")),
    ("mp4", "video/mp4", lambda b: b[4:8] == b"ftyp"),
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", lambda b: _ooxml(b, b"word/")),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", lambda b: _ooxml(b, b"xl/")),
    ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", lambda b: _ooxml(b, b"ppt/")),
    ("ggb", "application/vnd.geogebra.file", lambda b: b.startswith(b"PK\x03\x04")),
]
ALLOWED_EXTENSIONS = sorted({ext for ext, _m, _t in FILE_TYPES})
# Types a browser shows itself instead of saving (the others download).
INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg", "image/gif", "video/mp4", "audio/mpeg"}


def _ooxml(data, part):
    """An Office Open XML file of the expected application: a readable zip with the content-types
    part and at least one member under ``part`` ("word/", "xl/", "ppt/"). Every Office file has
    [Content_Types].xml, so only the application folder tells a .docx from a renamed .xlsx."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
    prefix = part.decode("ascii")
    return "[Content_Types].xml" in names and any(n.startswith(prefix) for n in names)


def check_upload(name, data):
    """(safe file name, MIME type) of an upload, or a RequestError. The type is checked from the
    bytes; the size was checked as the file was read (core/web.py's ``upload_api``)."""
    name = re.sub(r"[\\/\x00-\x1f]", "_", (name or "").strip())[-150:]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if not data:
        raise RequestError("empty_file", N_("The file is empty."), field="file")
    for extension, mime, test in FILE_TYPES:
        if ext == extension:
            if test(data):
                return name, mime
            break
    raise RequestError("bad_file_type",
                       N_("This kind of file is not accepted. Allowed: {types}."),
                       field="file", types=", ".join(ALLOWED_EXTENSIONS))


def text_lines(own):
    """The own content as labelled lines of text, for the reviewer's diff."""
    lines = []
    for key in OWN_FIELDS:
        value = own.get(key)
        if key == "body":
            text = re.sub(r"<(br|/p|/li|/h\d|/tr)\s*/?>", "\n", value or "", flags=re.I)
            text = html_lib.unescape(re.sub(r"<[^>]+>", "", text))
            values = [ln.strip() for ln in text.splitlines() if ln.strip()]
        elif key == "links":
            values = [f"{link.get('title')} <{link.get('url')}>" for link in value or []]
        elif key == "attachments":
            values = [f"{a.get('name')} ({a.get('sha256', '')[:12]})" for a in value or []]
        else:
            values = [str(value)] if value not in (None, "") else []
        lines.extend((key, v) for v in values)
    return lines


def diff(old_own, new_own):
    """[(op, field, text)] with op in "same", "removed", "added", from the approved to the current."""
    old, new = text_lines(old_own or {}), text_lines(new_own or {})
    out = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.extend(("same", k, v) for k, v in old[i1:i2])
        else:
            out.extend(("removed", k, v) for k, v in old[i1:i2])
            out.extend(("added", k, v) for k, v in new[j1:j2])
    return out
