"""The package's index page (``data/index.html``): what a person opening the zip reads first, in
the exporter's language: the school, the scope, who exported it and when, how long it is kept, the
latest audit anchor and the key fingerprint (the values an inspector copies onto paper), every
other bag-info line, then every file with its size, SHA-256 and a link, grouped by feature and by
table.

The page opens from the unzipped package in any browser, without a server, a network or
JavaScript: the style is inline, the links are relative to the page (``data/``). It is written
last among the payload files, row by row, from the manifest the bag has already written, so it
lists them without holding them in memory; it cannot list itself. Files are grouped as they come:
the files of one table are written one after the other (``render.table_files``), and the files of
one feature together, so a heading is printed whenever the feature or the table changes.
"""
import posixpath
import re
from html import escape
from urllib.parse import quote

from ..core import i18n
from ..core.i18n import N_

PATH = "index.html"  # under data/

HEAD = (
    ("Source-Organization", N_("School")),
    ("External-Description", N_("Scope")),
    ("Contact-Name", N_("Exported by")),
    ("Exported-At", N_("Exported at (UTC)")),
    ("Retention-Class", N_("Retention")),
    ("Audit-Anchor", N_("Latest audit anchor")),
    ("Audit-Segment-Withheld", N_("Audit entries of other schools on this server (given by their hashes only)")),
    ("Signing-Key-Fingerprint", N_("Signing key fingerprint (SHA-256)")),
    ("Bag-Software-Agent", N_("Software")),
)
HOW_TO_CHECK = N_("Check this package with verify_archive, or with bagit.py, sha256sum and openssl: the "
                  "manifests list every file, and signature.ed25519 signs tagmanifest-sha256.txt.")
FEATURES = {
    "core": N_("School, roster and roles"),
    "material": N_("Learning materials"),
    "attendance": N_("Attendance and class logbook"),
    "assessment": N_("Periodic tests"),
    "audit": N_("Audit log"),
    "archive": N_("Archive packages, holds and disposals"),
}
OTHER_FILES = N_("Other files")
FORMATS = (  # (file name ending, what it is), the longest ending first
    (".table.json", N_("Table description (JSON)")),
    (".jsonl", N_("Data for computers (JSON Lines)")),
    (".csv", N_("Data for spreadsheets and computers (CSV, UTF-8)")),
    (".xlsx", N_("Spreadsheet (Excel)")),
    (".pdf", N_("Printable document (PDF/A)")),
)
VOLUME = re.compile(r"-\d+\.pdf$")  # a long document's later volumes: logbook-2.pdf

STYLE = (
    "body{font-family:sans-serif;margin:1.5em;color:#111;max-width:75em}"
    "h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #999}"
    "h3{font-size:1em;margin:1em 0 .3em}table{border-collapse:collapse;margin-bottom:.5em}"
    "th,td{border:1px solid #bbb;padding:.25em .5em;text-align:left;vertical-align:top}"
    "td.n{text-align:right;white-space:nowrap}code{font-size:.8em;word-break:break-all}"
    "table.info th{background:#eee;width:18em}table.info small{font-weight:normal;color:#555}"
    "table.files{width:100%}table.files td{overflow-wrap:anywhere}"
    "@media (min-width:50em){table.files{table-layout:fixed}table.files th:nth-child(1){width:30%}"
    "table.files th:nth-child(2){width:34%}table.files th:nth-child(3){width:11%}}"
    "@media (max-width:50em){body{margin:.6em}table.files th:nth-child(4),table.files td:nth-child(4)"
    "{display:none}}"
)


def _data_path(path):
    """The path under data/ (the bag's listing names files from the bag's top)."""
    return path.removeprefix("data/")


def split(path, titles):
    """(feature, table base path or None, what the file is) of a payload path."""
    feature = path.split("/", 1)[0] if "/" in path else ""
    for ending, kind in FORMATS:
        if path.endswith(ending):
            base = path[:-len(ending)]
            if ending == ".pdf" and base not in titles and VOLUME.search(path):
                base = VOLUME.sub("", path)
            if base in titles:
                return feature, base, kind
    return feature, None, None


def _size(n_bytes, language):
    """Bytes with thousands grouped as the reader groups them: "12.345" in Vietnamese, "12,345" in English."""
    text = f"{n_bytes:,}"
    return text.replace(",", ".") if language == "vi" else text


def page(info, listing, titles=None, language=None):
    """HTML chunks of the page. ``info``: bag-info (label, value) pairs; ``listing``: (path, size,
    sha256) of the payload files, in the order written; ``titles``: {table base path: (feature,
    title)} (``render.Context.titles``); ``language``: the package's ("vi", "en"), by default the
    active one."""
    language = language or i18n.current_language()
    tr = i18n.catalog(language).gettext
    titles = titles or {}
    values = dict(info)
    title = escape(tr(N_("Archive package")))
    subtitle = " — ".join(escape(str(values[k])) for k in ("Source-Organization", "External-Description")
                          if values.get(k))
    yield (f'<!DOCTYPE html>\n<html lang="{escape(language)}"><head><meta charset="utf-8">'
           f'<meta name="viewport" content="width=device-width, initial-scale=1">'
           f"<title>{title}</title><style>{STYLE}</style></head><body>\n"
           f"<h1>{title}</h1>\n<p>{subtitle}</p>\n<table class=\"info\">\n")
    shown = set()
    for label, caption in HEAD:
        shown.add(label)
        yield (f"<tr><th>{escape(tr(caption))}<br><small>{escape(label)}</small></th>"
               f"<td>{escape(str(values.get(label, '')))}</td></tr>\n")
    for label, value in info:  # every other bag-info line, under its own name
        if label not in shown:
            yield f"<tr><th>{escape(label)}</th><td>{escape(str(value))}</td></tr>\n"
    yield f"</table>\n<p>{escape(tr(HOW_TO_CHECK))}</p>\n"
    yield from _files(listing, titles, tr, language)
    yield "</body></html>\n"


def _files(listing, titles, tr, language):
    """One table per feature's table (and one for a feature's other files): what the file is, as a
    link that opens it; its path as the manifests write it (what ``sha256sum -c`` prints); its size
    and SHA-256 (left out on a phone's narrow screen, where a hash cannot be compared anyway)."""
    head = (f"<table class=\"files\">\n<tr><th>{escape(tr(N_('Contents')))}</th><th>{escape(tr(N_('File')))}</th>"
            f"<th>{escape(tr(N_('Size (bytes)')))}</th><th>SHA-256</th></tr>\n")
    feature = table = None
    open_table = False
    for listed, size, digest in listing:
        path = _data_path(listed)
        this_feature, base, kind = split(path, titles)
        if this_feature != feature or base != table or not open_table:
            if open_table:
                yield "</table>\n"
            if this_feature != feature or not open_table:
                label = FEATURES.get(this_feature)
                yield f"<h2>{escape(tr(label) if label else this_feature or tr(OTHER_FILES))}</h2>\n"
            caption = titles[base][1] if base else tr(OTHER_FILES)
            yield f"<h3>{escape(caption)}</h3>\n{head}"
            feature, table, open_table = this_feature, base, True
        shown = tr(kind) if kind else posixpath.basename(path)
        if kind and VOLUME.search(path) and not path.endswith(f"{base}.pdf"):
            shown = f"{shown} ({posixpath.basename(path)})"
        yield (f'<tr><td><a href="{escape(quote(path))}">{escape(shown)}</a></td><td>{escape(listed)}</td>'
               f'<td class="n">{_size(size, language)}</td><td><code>{escape(digest)}</code></td></tr>\n')
    if open_table:
        yield "</table>\n"
