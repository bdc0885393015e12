"""What every block class shares: who is asking, where the block lives, rendering with our
catalog, and serving our static files. Only block classes import this module."""
import codecs
import importlib.resources
import json
import re
from functools import lru_cache

from web_fragments.fragment import Fragment

from .. import compat
from . import i18n
from .actors import actor_for

CORE_JS_STRINGS = (
    i18n.N_("Saving…"),
    i18n.N_("Saved."),
    i18n.N_("No connection. Your text is kept on this device; try again when you are back online."),
    i18n.N_("Something went wrong. Please try again."),
)


JS_DIR = "static/vn_online_teaching/js"
# The one way a script asks for a translated string: VNOT.t("literal"). Kept identical to the
# extractor's (scripts/messages.py, which fills the catalog); tests/unit/test_js_strings.py
# checks both and refuses any VNOT.t call this does not read.
JS_CALL = re.compile(r"""VNOT\.t\(\s*"((?:[^"\\]|\\.)*)"\s*\)""")


def _js_literal(text):
    """The string the source of a JS double-quoted literal stands for (\\n, \\", \\u00e0…)."""
    if "\\" not in text:
        return text
    return codecs.decode(text.encode("latin-1", "backslashreplace"), "unicode_escape")


@lru_cache(maxsize=None)
def js_file_strings(name):
    """Every ``VNOT.t("…")`` string of our script ``name``, in order of appearance, once each.

    Read once per process: the files are part of the installed package and never change while
    it runs."""
    path = importlib.resources.files("vn_online_teaching").joinpath(f"{JS_DIR}/{name}")
    found = dict.fromkeys(_js_literal(m.group(1)) for m in JS_CALL.finditer(path.read_text(encoding="utf-8")))
    return tuple(found)


def js_files(js):
    """The scripts a view loads, in order: ``vnot.js`` first, then the view's ``js`` (one file
    name or a list)."""
    names = [js] if isinstance(js, str) else list(js or ())
    return list(dict.fromkeys(["vnot.js", *names]))


def view_js_strings(files, extra=()):
    """The message ids the page's ``VNOT.t`` may ask for: the core's, those of the scripts it
    loads, and ``extra`` (what a block still lists by hand)."""
    found = dict.fromkeys(CORE_JS_STRINGS)
    for name in files:
        found.update(dict.fromkeys(js_file_strings(name)))
    found.update(dict.fromkeys(extra))
    return tuple(found)


_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _escaped_json(value):
    """JSON that cannot end the <script> element it is written into."""
    return json.dumps(value, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)


class BlockBase:
    """Mixin for our XBlocks (use with ``XBlock``)."""

    # Static files live in the package's ``static/`` folder (Django's convention, so
    # collectstatic finds them too); the runtime serves them through ``open_local_resource``.
    public_dir = "static"

    @classmethod
    def _open_resource(cls, uri):
        return importlib.resources.files("vn_online_teaching").joinpath(uri).open("rb")

    def actor(self):
        return actor_for(self)

    def keys(self):
        """(usage key, course key, org) of this block."""
        return compat.usage_key_of(self), compat.course_key_of(self), compat.org_of(self)

    def fragment(self, template, context, js=None, js_init=None, init_args=None, js_strings=()):
        """A fragment with our CSS, the core JS, the view's scripts (``js``: one file name or a
        list, loaded in that order) and the translations of every string those scripts ask for.
        ``js_strings`` adds strings by hand (blocks that still list them)."""
        frag = Fragment(i18n.render(template, dict(context, lang=i18n.current_language())))
        frag.add_css_url(self.runtime.local_resource_url(self, "static/vn_online_teaching/css/vnot.css"))
        files = js_files(js) if js else []
        for name in files:
            frag.add_javascript_url(self.runtime.local_resource_url(self, f"{JS_DIR}/{name}"))
        if js_init:
            # The arguments often carry user text (titles, names). The runtime writes json_args
            # into a <script> unescaped, where a "</script>" in a title would end it and start
            # live markup; so they travel in our own element, escaped like Django's json_script,
            # and VNOTBoot (vnot.js) hands them to the block's init function.
            strings = i18n.js_strings(view_js_strings(files, js_strings))
            frag.content += f'<script type="application/json" class="vnot-args">{_escaped_json(init_args or {})}</script>'
            frag.initialize_js("VNOTBoot", json_args={"init": js_init, "strings": strings})
        return frag

    @staticmethod
    def dumps(value):
        return json.dumps(value, ensure_ascii=False)
