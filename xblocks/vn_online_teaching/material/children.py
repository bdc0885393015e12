"""A material's child blocks as the block layer reads and renders them: what of each block a
reviewer reviews (its fingerprint), and the children placed in the material's page.

What a reviewer reviews is the content an author wrote: a block's content and its own settings.
Never what the LMS fills in per learner or per schedule: dates (edx-when, due-date extensions,
self-paced schedules), visibility (content groups, "hide from learners", and our own gating of
``visible_to_staff_only``) and every inherited setting, whose value comes from the course
outline above the material. So the fingerprint an approver's request computes is the one every
learner's request computes, and moving a due date changes nothing anyone reviewed.

A block the reader may not load (the LMS's ``get_block`` answers None for a block hidden from
that learner) has no fingerprint: None. Children are loaded with ``get_child``, whose cache the
platform's own rendering of a child's children shares, so nothing is loaded twice.
"""
from functools import lru_cache

from xblock.fields import Scope

from .. import compat
from . import fingerprint

# Dates, schedules and visibility: filled per learner by the LMS or set by the course outline.
NOT_REVIEWED = frozenset({
    "children", "parent", "start", "due", "graceperiod", "relative_weeks_due", "days_early_for_beta",
    "hide_after_due", "visible_to_staff_only", "group_access", "hide_from_toc",
})
# The settings every block inherits in the platform (openedx-platform,
# xmodule/modulestore/inheritance.py, InheritanceMixin); the running platform's list is added.
INHERITED = frozenset({
    "graded", "start", "due", "relative_weeks_due", "visible_to_staff_only", "course_edit_method", "giturl",
    "xqa_key", "graceperiod", "group_access", "showanswer", "show_correctness", "rerandomize",
    "days_early_for_beta", "static_asset_path", "use_latex_compiler", "max_attempts", "matlab_api_key",
    "user_partitions", "video_speed_optimizations", "video_auto_advance", "video_bumper", "show_reset_button",
    "edxnotes", "edxnotes_visibility", "in_entrance_exam", "self_paced", "hide_from_toc",
})
REVIEWED_SCOPES = (Scope.content, Scope.settings)


@lru_cache(maxsize=1)
def skipped_fields():
    return NOT_REVIEWED | INHERITED | compat.inherited_field_names()


def reviewed(block):
    """{type, fields, children} of one block: the fields a reviewer reviews that differ from their
    default (a field set to exactly its default shows the same as an unset one; comparing with the
    default reads each field once, into the block's field cache, where the rendering that follows
    finds it), and the ids of its children."""
    skipped = skipped_fields()
    fields = {}
    for name, field in sorted(block.fields.items()):
        if field.scope in REVIEWED_SCOPES and name not in skipped:
            value = getattr(block, name)
            if value != field.default:
                fields[name] = field.to_json(value)
    kids = getattr(block, "children", None) if getattr(block, "has_children", False) else None
    return {"type": block.scope_ids.block_type, "fields": fields, "children": [compat.plain_key(c) for c in kids or []]}


def _walk(parent, usage_id, nodes):
    """Append (usage key, fingerprint or None) of the block and everything under it, in document
    order; answers whether any of them is scored."""
    block = parent.get_child(usage_id)
    if block is None:
        nodes.append((compat.plain_key(usage_id), None))
        return False
    nodes.append((compat.plain_key(usage_id), fingerprint.node_fingerprint(reviewed(block))))
    scored = bool(getattr(block, "has_score", False))
    for kid in (block.children if getattr(block, "has_children", False) else None) or []:
        scored = _walk(block, kid, nodes) or scored
    return scored


def live(material, own):
    """The material as this request reads it, with its fingerprints:

    - ``own``, ``own_fingerprint``: the material's own content;
    - ``tree``: [(child id, [(usage key, fingerprint or None)])] per child, in order;
    - ``children``: [(child id, child fingerprint)]; ``fingerprint``: the whole material;
    - ``unreadable``: how many blocks the reader may not load; ``scored``: whether a block under
      the material is scored (a change of who sees it changes grades)."""
    tree, scored = [], False
    for child_id in material.children:
        nodes = []
        scored = _walk(material, child_id, nodes) or scored
        tree.append((compat.plain_key(child_id), nodes))
    own_fp = fingerprint.own_fingerprint(own)
    children = [(cid, fingerprint.child_fingerprint(nodes)) for cid, nodes in tree]
    return {"own": own, "own_fingerprint": own_fp, "tree": tree, "children": children,
            "unreadable": sum(1 for _cid, nodes in tree for _key, fp in nodes if fp is None),
            "scored": scored, "fingerprint": fingerprint.material_fingerprint(own_fp, children)}


MARKER = "<!--vnot-children-->"


def render(material, frag, child_ids):
    """Place the student views of the children ``child_ids`` (as ``live`` names them) in ``frag``
    (at its marker, else at the end).

    Each child gets a fresh context, never the one the material was rendered with: the unit's
    context marks the material itself for completion on view, and a child must not carry that.
    The material is an aggregator, so it does for its children what the LMS's unit does for its
    own (openedx-platform, xmodule/vertical_block.py, ``_student_or_public_view``): a child the
    completion service would mark complete on view gets ``wrap_xblock_data`` with the delay, and
    the unit's script finds it among its descendants."""
    ids = {compat.plain_key(c): c for c in material.children}
    blocks = [b for b in (material.get_child(ids[cid]) for cid in child_ids if cid in ids) if b is not None]
    service = compat.completion_service(material)
    on_view, delay = set(), None
    if service is not None and blocks:
        on_view = {b.scope_ids.usage_id for b in service.blocks_to_mark_complete_on_view(blocks)}
        delay = service.get_complete_on_view_delay_ms()
    html = []
    for block in blocks:
        context = {"wrap_xblock_data": {"mark-completed-on-view-after-delay": delay}} \
            if block.scope_ids.usage_id in on_view else {}
        child_frag = block.render("student_view", context)
        frag.add_fragment_resources(child_frag)
        html.append(f'<div class="vnot-child">{child_frag.body_html()}</div>')
    placed = '<div class="vnot-children">' + "".join(html) + "</div>" if html else ""
    if MARKER in frag.content:
        frag.content = frag.content.replace(MARKER, placed, 1)
    else:
        frag.content += placed
    return frag
