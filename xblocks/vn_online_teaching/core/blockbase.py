"""What every block class shares: who is asking, where the block lives, rendering with our
catalog, and serving our static files. Only block classes import this module."""
import importlib.resources
import json

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
        """A fragment with our CSS, the core JS, the block's JS and its translated strings."""
        frag = Fragment(i18n.render(template, dict(context, lang=i18n.current_language())))
        frag.add_css_url(self.runtime.local_resource_url(self, "static/vn_online_teaching/css/vnot.css"))
        if js:
            frag.add_javascript_url(self.runtime.local_resource_url(self, "static/vn_online_teaching/js/vnot.js"))
            frag.add_javascript_url(self.runtime.local_resource_url(self, f"static/vn_online_teaching/js/{js}"))
        if js_init:
            # The arguments often carry user text (titles, names). The runtime writes json_args
            # into a <script> unescaped, where a "</script>" in a title would end it and start
            # live markup; so they travel in our own element, escaped like Django's json_script,
            # and VNOTBoot (vnot.js) hands them to the block's init function.
            strings = i18n.js_strings(tuple(CORE_JS_STRINGS) + tuple(js_strings))
            frag.content += f'<script type="application/json" class="vnot-args">{_escaped_json(init_args or {})}</script>'
            frag.initialize_js("VNOTBoot", json_args={"init": js_init, "strings": strings})
        return frag

    @staticmethod
    def dumps(value):
        return json.dumps(value, ensure_ascii=False)
