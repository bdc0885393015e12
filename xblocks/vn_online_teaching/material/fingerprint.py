"""Fingerprints of material content.

A decision records the fingerprint of exactly what was reviewed: the block's own content and
every child block's serialised content, in order. The same functions decide, at each student
view, whether the live content is still the approved one.
"""
import hashlib

from ..core.audit import canonical_json


def digest(value):
    return hashlib.sha256(canonical_json(value)).hexdigest()


def own_fingerprint(own_content):
    return digest({"own": own_content})


def child_fingerprint(serialised_child):
    """``serialised_child``: {"type", "fields", "children": [serialised…]} from the block layer."""
    return digest({"child": serialised_child})


def material_fingerprint(own_fp, child_fps):
    """The whole material: own content plus the ordered list of (child id, child fingerprint)."""
    return digest({"own": own_fp, "children": [[cid, fp] for cid, fp in child_fps]})
