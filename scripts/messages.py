#!/usr/bin/env python3
"""Extract every translatable string of the package and update the catalogs.

Strings are found where the code marks them: ``_("…")``, ``N_("…")``, ``gettext("…")`` in Python,
``{% t "…" %}`` in templates and ``VNOT.t("…")`` in JavaScript. ``update`` rewrites
conf/locale/<lang>/LC_MESSAGES/django.po keeping every existing translation (English gets the
source text); ``check`` (used by the tests) lists strings missing or untranslated in Vietnamese.
"""
import ast
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1] / "xblocks" / "vn_online_teaching"
LOCALE = ROOT / "conf" / "locale"
MARKERS = {"_", "N_", "gettext", "gettext_lazy", "ngettext"}
TEMPLATE_TAG = re.compile(r"""\{%\s*t\s+"((?:[^"\\]|\\.)*)"|\{%\s*t\s+'((?:[^'\\]|\\.)*)'""")
JS_CALL = re.compile(r"""VNOT\.t\(\s*"((?:[^"\\]|\\.)*)"\s*\)""")


def python_strings(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in MARKERS and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                yield node.args[0].value
                if name == "ngettext" and len(node.args) > 1 and isinstance(node.args[1], ast.Constant):
                    yield node.args[1].value


def all_strings():
    found = {}
    skip = ("/demo/", "/migrations/")
    for path in sorted(ROOT.rglob("*.py")):
        if any(s in str(path) for s in skip):
            continue
        for s in python_strings(path):
            found.setdefault(s, str(path.relative_to(ROOT)))
    for path in sorted(ROOT.rglob("*.html")):
        if "/demo/" in str(path):
            continue
        for m in TEMPLATE_TAG.finditer(path.read_text(encoding="utf-8")):
            found.setdefault(m.group(1) or m.group(2), str(path.relative_to(ROOT)))
    for path in sorted(ROOT.rglob("*.js")):
        for m in JS_CALL.finditer(path.read_text(encoding="utf-8")):
            found.setdefault(m.group(1).encode().decode("unicode_escape") if "\\" in m.group(1) else m.group(1),
                             str(path.relative_to(ROOT)))
    return found


def po_escape(s):
    return s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def po_unescape(s):
    return re.sub(r'\\(.)', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), s)


def read_po(path):
    """{msgid: (msgstr, fuzzy)} of a simple catalog (no plurals, no contexts)."""
    entries = {}
    if not path.exists():
        return entries
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fuzzy = "#, fuzzy" in block
        m = re.search(r'^msgid ((?:".*"\n?)+)^msgstr ((?:".*"\n?)+)', block + "\n", re.M)
        if not m:
            continue
        msgid = "".join(po_unescape(x) for x in re.findall(r'"(.*)"', m.group(1)))
        msgstr = "".join(po_unescape(x) for x in re.findall(r'"(.*)"', m.group(2)))
        if msgid:
            entries[msgid] = (msgstr, fuzzy)
    return entries


HEADER = '''# Vietnamese online teaching XBlocks.
msgid ""
msgstr ""
"Project-Id-Version: openedx-vn-online-teaching\\n"
"Language: {lang}\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: {plural}\\n"
'''
PLURALS = {"vi": "nplurals=1; plural=0;", "en": "nplurals=2; plural=(n != 1);"}


def write_po(lang, strings, existing):
    out = [HEADER.format(lang=lang, plural=PLURALS[lang])]
    for msgid, where in sorted(strings.items(), key=lambda i: (i[1], i[0])):
        msgstr, fuzzy = existing.get(msgid, ("", False))
        if lang == "en":
            msgstr, fuzzy = msgid, False
        out.append(f"#: {where}\n" + ("#, fuzzy\n" if fuzzy else "")
                   + f'msgid "{po_escape(msgid)}"\nmsgstr "{po_escape(msgstr)}"\n')
    path = LOCALE / lang / "LC_MESSAGES" / "django.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(out), encoding="utf-8")


def check():
    strings = all_strings()
    vi = read_po(LOCALE / "vi" / "LC_MESSAGES" / "django.po")
    missing = [s for s in strings if s not in vi]
    untranslated = [s for s in strings if s in vi and (not vi[s][0] or vi[s][1])]
    return missing, untranslated


def main(argv):
    if argv[1:] == ["update"]:
        strings = all_strings()
        for lang in ("vi", "en"):
            write_po(lang, strings, read_po(LOCALE / lang / "LC_MESSAGES" / "django.po"))
        missing, untranslated = check()
        print(f"{len(strings)} strings; Vietnamese missing {len(missing)}, untranslated or fuzzy {len(untranslated)}")
        return 0
    missing, untranslated = check()
    for s in missing + untranslated:
        print(s)
    return 1 if missing or untranslated else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
