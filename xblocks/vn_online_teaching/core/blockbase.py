"""What every block class shares: who is asking, where the block lives, rendering with our
catalog, serving our static files, and what Studio expects of a block (who may author it, the
container editing of its children). Only block classes import this module."""
import codecs
import importlib.resources
import json
import re
from functools import lru_cache
from html import escape

from web_fragments.fragment import Fragment

from .. import compat
from . import i18n, roles
from .actors import actor_for
from .errors import Forbidden

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


STUDIO_WRITE_REFUSED = i18n.N_("You cannot change this course in Studio.")
STUDIO_READ_REFUSED = i18n.N_("You cannot see this course in Studio.")
STUDIO_READ_ONLY = i18n.N_("You can read this course in Studio but not change it.")

# Studio's markup around a container's children, as the platform's template
# "studio_render_children_view.html" writes it (openedx-platform, lms/templates/): Studio's
# scripts find the list to reorder and the place of the "add a component" buttons by these classes.
_CHILDREN_LIST = '<ol class="reorderable-container">{}</ol>'
_ADD_BUTTONS = '<div class="add-xblock-component new-component-item adding"></div>'

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
        return actor_for(self, in_studio=self.in_studio())

    # ------------------------------------------------------------------ where the request runs

    def in_studio(self):
        """Does the request run in Studio? (web.py refuses ``lms_only`` handlers there.)"""
        return compat.in_studio(self)

    def viewing_as_learner(self):
        """Is a staff member viewing the course as a specific learner? (web.py refuses writes.)"""
        return compat.viewing_as_learner(self)

    def authoring_allowed(self, action, place):
        """May the viewer get the editing view (``studio_view``)? In Studio, the platform's answer
        (``can_write`` on the course), never the role string; elsewhere (the workbench) the school
        role that holds ``action`` at ``place``."""
        if self.in_studio():
            return compat.studio_can_write(self)
        return roles.may(self.actor(), action, place)

    def authoring_visible(self, action, place):
        """May the viewer see the block's ``author_view``? In Studio whoever may read the course
        there (``can_read``: its authors and read-only team members); elsewhere as
        ``authoring_allowed``."""
        if self.in_studio():
            return compat.studio_can_read(self)
        return roles.may(self.actor(), action, place)

    def authorize_authoring(self, action, place):
        """The role recorded for a change of the block's settings, or Forbidden.

        In Studio the platform decides: without ``can_write`` it would drop the block's fields
        after the handler ran (cms/djangoapps/contentstore/views/component.py,
        ``component_handler``), so nothing of ours may change either; an author's school role, if
        any, is only looked up for the record. Elsewhere the school role must hold ``action``."""
        actor = self.actor()
        if self.in_studio():
            if not compat.studio_can_write(self):
                raise Forbidden(STUDIO_WRITE_REFUSED)
            return roles.role_for(actor, action, place)
        return roles.authorize(actor, action, place)

    def studio_notice(self, message):
        """A one-line fragment in Studio for someone who may not see or change the block."""
        return Fragment(f'<div class="vnot"><p class="vnot-note">{escape(i18n.gettext(message))}</p></div>')

    # ------------------------------------------------------------------ Studio's container editing

    def is_studio_root(self, context):
        """Is this block the page Studio shows (its container page), not one item of a unit?"""
        root = (context or {}).get("root_xblock")
        return root is not None and root.scope_ids.usage_id == self.scope_ids.usage_id

    def author_children(self, context, fragment, children=None):
        """The children as Studio edits them, where Studio edits them: on the block's own
        container page, or where the page is not a unit (the rule of the platform's
        VerticalBlock.author_view, openedx-platform xmodule/vertical_block.py). On a unit page
        Studio links the block's container page instead ("View"), as for any block with children."""
        context = {} if context is None else context
        if self.is_studio_root(context) or not context.get("is_unit_page"):
            self.render_author_children(context, fragment, can_reorder=True, can_add=True, children=children)
        return fragment

    def render_author_children(self, context, fragment, can_reorder=True, can_add=True, children=None):
        """Render the children for Studio's container editing, as the platform's
        ``StudioEditableBlock.render_children`` does (openedx-platform, xmodule/studio_editable.py):
        each child in its preview view (``author_view`` when it has one), the children listed in
        ``context["reorderable_items"]`` so Studio lets authors drag them, ``context["can_add"]``
        for Studio's wrapper of each child, then the list and the place of the "add a component"
        buttons. ``context`` is Studio's own dictionary and is changed in place, as the platform
        does: Studio's wrapper of every child reads it. ``children``: the child blocks when the
        caller has loaded them already; a child that cannot be loaded (None) is skipped."""
        context = {} if context is None else context
        items = []
        for child in self.get_children() if children is None else children:
            if child is None:
                continue
            if can_reorder:
                context.setdefault("reorderable_items", set()).add(child.scope_ids.usage_id)
            context["can_add"] = can_add
            view = "author_view" if getattr(child, "has_author_view", False) else "student_view"
            rendered = child.render(view, context)
            fragment.add_fragment_resources(rendered)
            items.append(rendered.content)
        html = "".join(items)
        fragment.add_content((_CHILDREN_LIST.format(html) if can_reorder else html) + (_ADD_BUTTONS if can_add else ""))
        return fragment

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
