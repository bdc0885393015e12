"""Fingerprints of material content.

A decision records the fingerprint of exactly what was reviewed: the block's own content and
every block under it, in order. The same functions decide, at each student view, whether the
live content is still the approved one.

Every block under a material has its own fingerprint (``node_fingerprint``): its type, the
fields a reviewer reads (material/children.py chooses them: never dates, visibility or inherited
settings, which the LMS fills per learner) and the ids of its children. A child's fingerprint is
the ordered list of its blocks' ones, so a learner who may not load some block under a child
(content groups, enrollment tracks) can still check every block they do see, one by one.
"""
import hashlib

from ..core.audit import canonical_json


def digest(value):
    return hashlib.sha256(canonical_json(value)).hexdigest()


def own_fingerprint(own_content):
    return digest({"own": own_content})


def node_fingerprint(node):
    """``node``: {"type", "fields", "children": [child ids]} of one block, from material/children.py."""
    return digest({"node": node})


def child_fingerprint(nodes):
    """One child and everything under it: ``nodes`` is [(usage key, node fingerprint)] in
    document order, with None for a block the reader may not load (which then shows in the
    fingerprint: a reviewer who cannot see a part does not review it)."""
    return digest({"child": [[key, fp] for key, fp in nodes]})


def material_fingerprint(own_fp, child_fps):
    """The whole material: own content plus the ordered list of (child id, child fingerprint)."""
    return digest({"own": own_fp, "children": [[cid, fp] for cid, fp in child_fps]})
