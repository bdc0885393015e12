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
SAME_IN_BOTH = {"Video"}


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
