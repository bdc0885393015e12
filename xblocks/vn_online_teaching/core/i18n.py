"""Translation and template rendering for every block.

The blocks read their own compiled catalog (``conf/locale/<lang>/LC_MESSAGES/django.mo``) for the
language Django has active, instead of relying on the platform to find it. Reason: Tutor's image
build creates an empty ``conf/plugins-locale/xblock.v1/vn_online_teaching`` folder, after which
the LMS i18n service looks only there and our bundled Vietnamese would silently vanish
(docs/decisions/0004-own-catalog-loading.md). One catalog serves the whole package
(docs/decisions/0006-one-catalog.md). The same catalog is where the others look: as
``translations/<lang>/LC_MESSAGES/text.mo``, where the LMS's XBlock i18n service reads by default;
as this app's ``locale/`` folder (a link to ``conf/locale``; the wheel carries real files), which
Django reads for every installed app, so the admin, the commands and the i18n service's fallback to
Django find it (the plugin settings never touch ``LOCALE_PATHS``, which the platform derives later:
see ``settings.py``); and, with Tutor, copied by the plugin (``tutor_plugin.py``) into the folder the
XBlock i18n service reads after the image's translation pull.

Source strings are English; use ``_`` in Python, ``{% t "…" %}`` in templates and ``VNOT.t("…")``
in JavaScript. ``tests/test_i18n.py`` fails when any of them lacks a Vietnamese translation.
"""
import gettext as _gettext
import os
from functools import lru_cache

from django.template import Context, Engine
from django.utils import translation

PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOCALE_DIR = os.path.join(PACKAGE_DIR, "conf", "locale")
TEMPLATE_DIR = os.path.join(PACKAGE_DIR, "templates")
LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"


def current_language():
    """The active language reduced to one we ship ("vi-vn" → "vi"); Vietnamese by default."""
    lang = (translation.get_language() or DEFAULT_LANGUAGE).lower().replace("_", "-")
    base = lang.split("-")[0]
    return base if base in LANGUAGES else "en" if base else DEFAULT_LANGUAGE


@lru_cache(maxsize=8)
def catalog(lang):
    """The compiled catalog of ``lang`` (a process-wide cache of static files, not of user data)."""
    return _gettext.translation("django", localedir=LOCALE_DIR, languages=[lang], fallback=True)


def gettext(message):
    return catalog(current_language()).gettext(message)


def ngettext(singular, plural, number):
    return catalog(current_language()).ngettext(singular, plural, number)


_ = gettext


def N_(message):
    """Mark a module-level string for translation; it is translated when shown."""
    return message


def decimal(value, places=1):
    """A number as a reader writes it, with ``places`` decimals at most and no trailing zeros:
    "42,5" in Vietnamese (the decimal comma), "42.5" in English; "" for None."""
    if value is None:
        return ""
    text = f"{float(value):.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",") if current_language() == "vi" else text


def megabytes(n_bytes):
    """A size limit in MB as a reader writes it: "10", "0,5" in Vietnamese, "0.5" in English; a
    limit under 0.1 MB keeps enough decimals not to read as "0"."""
    mb = n_bytes / (1024 * 1024)
    return decimal(mb, 1 if mb >= 0.1 or mb == 0 else 2 if mb >= 0.01 else 3)


class Label(str):
    """A message id passed as a parameter of another message (a state's name inside an error):
    translated together with the message that shows it."""


def js_strings(messages):
    """The translations of ``messages`` for the page's ``VNOT.t``."""
    return {m: gettext(m) for m in messages}


@lru_cache(maxsize=1)
def _engine():
    return Engine(
        dirs=[TEMPLATE_DIR],
        libraries={"vnot": "vn_online_teaching.core.templatetags"},
        autoescape=True,
    )


def render(template_name, context):
    """Render one of our templates with autoescaping and our ``{% t %}`` tag."""
    return _engine().get_template(template_name).render(Context(context, autoescape=True))
