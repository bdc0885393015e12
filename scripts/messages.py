#!/usr/bin/env python3
"""Extract every translatable string of the package and update the catalogs.

Strings are found where the code marks them: ``_("…")``, ``N_("…")``, ``gettext("…")`` in Python,
``{% t "…" %}`` in templates and ``VNOT.t("…")`` in JavaScript. No standard extractor knows our
template tag and our JavaScript call, so extraction is ours; the .po files are read and written
with polib, the library Open edX's own catalog tools use (docs/decisions/0006-one-catalog.md).

``update`` rewrites conf/locale/<lang>/LC_MESSAGES/django.po: every string found, in file order,
keeping every existing translation, its fuzzy mark and its translator's comment (English gets the
source text). A translation whose string the code no longer has is kept at the end of the file as
an obsolete entry (``#~``), which msgfmt ignores: if the string comes back (a change reverted, a
branch merged later), so does its translation. ``check`` (no argument; used by the tests) lists
strings missing, untranslated or fuzzy in Vietnamese and exits 1 if there are any.
"""
import ast
import pathlib
import re
import sys

import polib

ROOT = pathlib.Path(__file__).resolve().parents[1] / "xblocks" / "vn_online_teaching"
LOCALE = ROOT / "conf" / "locale"
LANGS = ("vi", "en")
MARKERS = {"_", "N_", "gettext", "gettext_lazy", "ngettext"}
TEMPLATE_TAG = re.compile(r"""\{%\s*t\s+"((?:[^"\\]|\\.)*)"|\{%\s*t\s+'((?:[^'\\]|\\.)*)'""")
JS_CALL = re.compile(r"""VNOT\.t\(\s*"((?:[^"\\]|\\.)*)"\s*\)""")
SKIP = ("/demo/", "/migrations/")

HEADER = "Vietnamese online teaching XBlocks."
PLURALS = {"vi": "nplurals=1; plural=0;", "en": "nplurals=2; plural=(n != 1);"}
WRAP = 0  # one line per string: diffs show the string that changed, nothing else


def python_strings(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in MARKERS and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                yield node.args[0].value
                if name == "ngettext" and len(node.args) > 1 and isinstance(node.args[1], ast.Constant):
                    yield node.args[1].value


def all_strings(root=ROOT):
    """{msgid: the first file (relative to ``root``) that marks it}."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        if any(s in str(path) for s in SKIP):
            continue
        for s in python_strings(path):
            found.setdefault(s, str(path.relative_to(root)))
    for path in sorted(root.rglob("*.html")):
        if "/demo/" in str(path):
            continue
        for m in TEMPLATE_TAG.finditer(path.read_text(encoding="utf-8")):
            found.setdefault(m.group(1) or m.group(2), str(path.relative_to(root)))
    for path in sorted(root.rglob("*.js")):
        for m in JS_CALL.finditer(path.read_text(encoding="utf-8")):
            found.setdefault(m.group(1).encode().decode("unicode_escape") if "\\" in m.group(1) else m.group(1),
                             str(path.relative_to(root)))
    return found


def catalog_path(lang, locale=LOCALE):
    return locale / lang / "LC_MESSAGES" / "django.po"


def load(path):
    """The catalog at ``path``, or None when there is none yet."""
    return polib.pofile(str(path), wrapwidth=WRAP, encoding="utf-8") if path.exists() else None


def read_po(path):
    """{msgid: (msgstr, fuzzy)} of the catalog's live entries (obsolete ones left out)."""
    po = load(path)
    if po is None:
        return {}
    return {e.msgid: (e.msgstr, e.fuzzy) for e in po if e.msgid and not e.obsolete}


def new_catalog(lang):
    po = polib.POFile(wrapwidth=WRAP, encoding="utf-8")
    po.header = HEADER
    po.metadata = {
        "Project-Id-Version": "openedx-vn-online-teaching",
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": PLURALS[lang],
    }
    return po


def merged(lang, strings, old):
    """A catalog of ``strings`` ({msgid: file}) for ``lang``, taking header, translations, fuzzy
    marks and translators' comments from ``old`` (a catalog or None)."""
    po = new_catalog(lang)
    if old is not None:
        po.header, po.metadata = old.header, old.metadata
    previous = {e.msgid: e for e in (old or []) if e.msgid}
    for msgid, where in sorted(strings.items(), key=lambda i: (i[1], i[0])):
        before = previous.pop(msgid, None)
        entry = polib.POEntry(msgid=msgid, occurrences=[(where, "")])
        if lang == "en":
            entry.msgstr = msgid
        elif before is not None:
            entry.msgstr, entry.tcomment, entry.flags = before.msgstr, before.tcomment, list(before.flags)
        po.append(entry)
    if lang != "en":
        for msgid in sorted(previous):
            gone = previous[msgid]
            if gone.msgstr:
                po.append(polib.POEntry(msgid=msgid, msgstr=gone.msgstr, tcomment=gone.tcomment,
                                        flags=list(gone.flags), obsolete=True))
    return po


def update(root=ROOT, locale=LOCALE):
    """Rewrite every catalog from the strings the code marks; the number of strings found."""
    strings = all_strings(root)
    for lang in LANGS:
        path = catalog_path(lang, locale)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(str(merged(lang, strings, load(path))), encoding="utf-8")
    return len(strings)


def check(root=ROOT, locale=LOCALE):
    """(missing, untranslated or fuzzy) strings of the Vietnamese catalog."""
    strings = all_strings(root)
    vi = read_po(catalog_path("vi", locale))
    missing = [s for s in strings if s not in vi]
    untranslated = [s for s in strings if s in vi and (not vi[s][0] or vi[s][1])]
    return missing, untranslated


def main(argv):
    if argv[1:] == ["update"]:
        count = update()
        missing, untranslated = check()
        print(f"{count} strings; Vietnamese missing {len(missing)}, untranslated or fuzzy {len(untranslated)}")
        return 0
    missing, untranslated = check()
    for s in missing + untranslated:
        print(s)
    return 1 if missing or untranslated else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
