"""The catalog: every marked string has a real Vietnamese translation, the compiled catalogs match
their sources, and both lookup paths (our loader and the LMS's ``text`` domain) find them."""
import gettext
import pathlib
import re
import sys
import unicodedata

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import messages  # noqa: E402  (the extractor the Makefile uses)

LOCALE = ROOT / "xblocks" / "vn_online_teaching" / "conf" / "locale"
PLACEHOLDER = re.compile(r"\{(\w*)\}")
# Words Vietnamese teachers write exactly as in English.
SAME_IN_BOTH = {"Video", "SHA-256"}


@pytest.fixture(scope="module")
def vi():
    return messages.read_po(LOCALE / "vi" / "LC_MESSAGES" / "django.po")


def test_every_string_has_a_vietnamese_translation():
    missing, untranslated = messages.check()
    assert not missing, f"not in the Vietnamese catalog (run scripts/messages.py update): {missing}"
    assert not untranslated, f"untranslated or fuzzy in Vietnamese: {untranslated}"


def test_translations_are_not_copies_of_the_english(vi):
    copies = [k for k, (v, _f) in vi.items() if v == k and k not in SAME_IN_BOTH]
    assert not copies


def test_placeholders_survive_translation(vi):
    wrong = {k: v for k, (v, _f) in vi.items()
             if sorted(PLACEHOLDER.findall(k)) != sorted(PLACEHOLDER.findall(v))}
    assert not wrong


def test_vietnamese_is_nfc(vi):
    assert all(unicodedata.is_normalized("NFC", v) for v, _f in vi.values())


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_compiled_catalogs_match_their_sources(lang):
    source = {k: v for k, (v, _f) in messages.read_po(LOCALE / lang / "LC_MESSAGES" / "django.po").items()}
    for name in ("django.mo", "text.mo"):
        with open(LOCALE / lang / "LC_MESSAGES" / name, "rb") as fh:
            compiled = gettext.GNUTranslations(fh)._catalog
        compiled = {k: v for k, v in compiled.items() if k}
        assert compiled == source, f"{lang}/{name} is stale: run scripts/compile-messages.sh"


def test_lms_text_domain_finds_the_vietnamese():
    """The LMS's XBlock i18n service loads ``translations/<lang>/LC_MESSAGES/text.mo``."""
    found = gettext.translation("text", localedir=str(ROOT / "xblocks/vn_online_teaching/translations"),
                                languages=["vi"])
    assert found.gettext("Submit for review") == "Gửi duyệt"


@pytest.mark.parametrize("active, expected", [
    ("vi", "Gửi duyệt"), ("vi-vn", "Gửi duyệt"), ("en", "Submit for review"), ("en-us", "Submit for review"),
])
def test_own_loader_follows_the_active_language(active, expected):
    from django.utils import translation

    from vn_online_teaching.core.i18n import _

    with translation.override(active):
        assert _("Submit for review") == expected


@pytest.mark.parametrize("active, value, expected", [
    ("vi", 13.66, "13,7"), ("en", 13.66, "13.7"), ("vi", 45.0, "45"), ("vi", 0.5, "0,5"), ("en", None, ""),
])
def test_numbers_are_written_as_the_reader_writes_them(active, value, expected):
    from django.utils import translation

    from vn_online_teaching.core.i18n import decimal, megabytes

    with translation.override(active):
        assert decimal(value) == expected
        assert megabytes(512 * 1024) == ("0,5" if active == "vi" else "0.5")
        assert megabytes(10 * 1024) == ("0,01" if active == "vi" else "0.01")  # not "0"
        assert megabytes(20 * 1024 * 1024) == "20"


# The catalog tool itself (scripts/messages.py), on a small package of its own ------------------

OLD_FORMAT_VI = '''# Vietnamese online teaching XBlocks.
msgid ""
msgstr ""
"Project-Id-Version: openedx-vn-online-teaching\\n"
"Language: vi\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=1; plural=0;\\n"

#: a.py
msgid "Save"
msgstr "Lưu"

#: templates/x.html
#, fuzzy
msgid "Print"
msgstr "In"
'''


@pytest.fixture
def package(tmp_path):
    """A package with one string of each kind (Python, template, JavaScript) and a Vietnamese
    catalog written by the tool before it read .po files with polib."""
    root = tmp_path / "pkg"
    (root / "templates").mkdir(parents=True)
    (root / "static").mkdir()
    (root / "a.py").write_text('_("Save")\nN_("Kept for later")\n', encoding="utf-8")
    (root / "templates" / "x.html").write_text('{% t "Print" %}', encoding="utf-8")
    (root / "static" / "x.js").write_text('VNOT.t("Saved.");', encoding="utf-8")
    po = root / "conf" / "locale" / "vi" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text(OLD_FORMAT_VI, encoding="utf-8")
    return root, root / "conf" / "locale", po


def test_update_keeps_every_translation_and_the_file_format(package):
    root, locale, po = package
    assert messages.update(root, locale) == 4
    assert po.read_text(encoding="utf-8") == OLD_FORMAT_VI.replace(
        '#: a.py\nmsgid "Save"', '#: a.py\nmsgid "Kept for later"\nmsgstr ""\n\n#: a.py\nmsgid "Save"').replace(
        '#: templates/x.html', '#: static/x.js\nmsgid "Saved."\nmsgstr ""\n\n#: templates/x.html')
    english = messages.read_po(locale / "en" / "LC_MESSAGES" / "django.po")
    assert english == {s: (s, False) for s in ("Save", "Kept for later", "Print", "Saved.")}
    before = po.read_bytes()
    messages.update(root, locale)
    assert po.read_bytes() == before, "a second update changed the catalog"


def test_a_translation_whose_string_leaves_the_code_is_kept_and_comes_back(package):
    root, locale, po = package
    messages.update(root, locale)
    text = po.read_text(encoding="utf-8").replace('msgid "Kept for later"\nmsgstr ""',
                                                  'msgid "Kept for later"\nmsgstr "Giữ lại"')
    po.write_text(text, encoding="utf-8")
    (root / "a.py").write_text('_("Save")\n', encoding="utf-8")
    messages.update(root, locale)
    assert '#~ msgid "Kept for later"\n#~ msgstr "Giữ lại"' in po.read_text(encoding="utf-8")
    assert "Kept for later" not in messages.read_po(po)
    missing, untranslated = messages.check(root, locale)
    assert "Kept for later" not in missing + untranslated  # the code no longer asks for it
    (root / "a.py").write_text('_("Save")\nN_("Kept for later")\n', encoding="utf-8")
    messages.update(root, locale)
    assert messages.read_po(po)["Kept for later"] == ("Giữ lại", False)
    assert "#~" not in po.read_text(encoding="utf-8")


def test_a_fuzzy_mark_among_other_flags_and_a_wrapped_translation_are_read(package):
    """What editors such as Poedit write: flags on one line, long strings wrapped."""
    root, locale, po = package
    po.write_text(OLD_FORMAT_VI.replace("#, fuzzy", "#, python-brace-format, fuzzy").replace(
        'msgstr "Lưu"', 'msgstr ""\n"L"\n"ưu"'), encoding="utf-8")
    assert messages.read_po(po) == {"Save": ("Lưu", False), "Print": ("In", True)}
    missing, untranslated = messages.check(root, locale)
    assert "Print" in untranslated and "Save" not in untranslated + missing
