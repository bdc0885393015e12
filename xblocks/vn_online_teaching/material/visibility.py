"""The platform's own visibility for a material's children: learners cannot reach a child of a
material outside the material's page until the child is approved.

The LMS serves every block by itself too: ``/xblock/<usage key>`` (the learning app's unit
frames and the mobile app), ``jump_to``, the block's handlers, the Course Blocks API behind the
outline, the mobile app and the Progress page's grades. None of those render the material, so
its own view cannot gate them; all of them ask the platform who may load a block:

- a single block: ``has_access(user, "load", block)`` (openedx-platform,
  lms/djangoapps/courseware/block_render.py, ``get_block_for_descriptor``, and
  lms/djangoapps/courseware/access.py, ``_has_access_to_block``), which refuses learners a block
  whose ``visible_to_staff_only`` is true: ``get_block`` answers None, ``render_xblock`` and the
  handler views answer 404;
- the course's blocks: the ``VisibilityTransformer`` of lms/djangoapps/course_blocks (outline,
  mobile, grades), which reads the same field, ORed down the tree, when the course's structure is
  collected.

So the plugin registers ``UnapprovedMaterialOverrideProvider`` in the platform's
``MODULESTORE_FIELD_OVERRIDE_PROVIDERS`` (lms/djangoapps/courseware/field_overrides.py,
``OverrideModulestoreFieldData``, applied to every block the LMS loads): for a direct child of an
approved_material block, and for every block under it, it answers ``visible_to_staff_only =
True`` unless the material's approved version lets learners see that child now
(material/service.py, ``open_children``). Blocks under a child get the answer themselves, not
only by inheritance: the LMS loads a block by its own address without its parents, and the
platform's inheritance walks ``get_parent``, which for a learner stops at a hidden parent. Staff
keep seeing everything: both checks let course staff past this field. The provider answers
nothing in Studio, whose authors must see and edit what they are writing.

It is asked for every field of every block the LMS loads, so it answers any other field at once,
finds the materials above a block once per block and request, and reads the records once per
course per request (``service.open_children_of_course``).
docs/decisions/0007-gating-through-the-platforms-visibility.md says why this mechanism.
"""
from .. import compat
from . import service

FIELD = "visible_to_staff_only"
BLOCK_TYPE = "approved_material"
# Per request: {usage key: ((material key, child key), ...)}, the materials above a block.
GATES_CACHE = "vn_online_teaching.material.gates"
# Deeper than any course outline; only a broken structure (a cycle) would reach it.
MAX_DEPTH = 64


def _parent_of(runtime, usage_key):
    """The parent's usage key of the block ``usage_key``, loaded as the modulestore holds it
    (``load_item``, no learner access check: a hidden parent must not end the walk)."""
    try:
        return getattr(runtime.load_item(usage_key), "parent", None)
    except Exception:  # noqa: BLE001 - a block the modulestore cannot load has no ancestors we know
        return None


def gates(block):
    """((material key, child key), …) for every approved_material above ``block``: the child of
    that material which ``block`` is, or is under. Read from the keys up to the root, once per
    block and request: a block's own ``visible_to_staff_only = False`` must not reopen it, and
    the LMS may load a block without its parent (``/xblock/<usage key>``)."""
    cache = compat.request_cache(GATES_CACHE)
    path, key, parent = [], block.scope_ids.usage_id, getattr(block, "parent", None)
    found = ()
    for _ in range(MAX_DEPTH):
        plain = compat.plain_key(key)
        if plain in cache:
            found = cache[plain]
            break
        path.append((plain, parent))
        if parent is None:
            break
        key, parent = parent, _parent_of(block.runtime, parent)
    for plain, parent in reversed(path):
        parts = compat.key_parts(parent) if parent is not None else None
        if parts is not None and parts[1] == BLOCK_TYPE:
            found = (*found, (compat.plain_key(parent), plain))
        cache[plain] = found
    return found


def hidden_from_learners(block):
    """Must the platform keep ``block`` from learners? When it is, or is under, a child of a
    material that learners may not reach now."""
    found = gates(block)
    if not found:
        return False
    usage = block.scope_ids.usage_id
    course = getattr(usage, "course_key", None)
    opened = service.open_children_of_course(compat.plain_key(course) if course is not None
                                             else compat.course_key_of(block))
    return any(child not in opened.get(material, frozenset()) for material, child in found)


class UnapprovedMaterialOverrideProvider(compat.FieldOverrideProvider):
    """``visible_to_staff_only`` of what is under a material, for the LMS (see the module)."""

    def get(self, block, name, default):
        if name != FIELD or compat.is_studio():
            return default
        return True if hidden_from_learners(block) else default

    @classmethod
    def enabled_for(cls, block_or_course):
        """The platform asks with a block (modulestore level) or a course (user level): on in the
        LMS for every course, off in Studio."""
        return not compat.is_studio()
