"""What a student may see of a material, decided from the approved version and the live content.

Students see the block's own content only as approved: live if it still matches the approved
fingerprint, otherwise the snapshot kept at approval. A child block is shown only while every
block of it the viewer may load has the fingerprint approved; a changed or new child stays
hidden until approved again. A block the platform keeps from the viewer (fingerprint None: hidden
from learners, content groups, enrollment tracks, or our own gating) is neither shown nor checked:
the platform's own rendering of the child leaves it out too.

The same comparison tells which children learners may reach outside the material's own view
(``openings``, recorded by material/service.py and read by material/visibility.py).
"""
from dataclasses import dataclass, field


@dataclass
class StudentView:
    visible: bool
    own: dict = None            # the own content to show (live or snapshot)
    own_is_snapshot: bool = False
    children: list = field(default_factory=list)  # child ids to render
    hidden_children: int = 0
    stale: list = field(default_factory=list)      # child ids the viewer loaded that differ from the approved


def _matches(approved_nodes, nodes):
    """Every block of the child the reader loaded has its approved fingerprint."""
    return all(fp is None or approved_nodes.get(key) == fp for key, fp in nodes)


def _loaded(nodes):
    """The reader loaded the child itself (the platform did not keep it from them)."""
    return bool(nodes) and nodes[0][1] is not None


def student_view(approved, live_own_fp, live_own, tree):
    """``approved``: None or (own_fp, own_snapshot, {usage key: fingerprint}); ``tree``: the live
    children as the viewer read them, [(child id, [(usage key, fingerprint or None)])]."""
    if approved is None:
        return StudentView(visible=False)
    own_fp, snapshot, approved_nodes = approved
    same_own = live_own_fp == own_fp
    shown, stale = [], []
    for cid, nodes in tree:
        if _loaded(nodes):
            (shown if _matches(approved_nodes, nodes) else stale).append(cid)
    return StudentView(
        visible=True,
        own=live_own if same_own else snapshot,
        own_is_snapshot=not same_own,
        children=shown,
        hidden_children=len(stale),
        stale=stale,
    )


def openings(approved, tree):
    """(children to open, children to close) for learners outside the material's view, from a
    reading of the live children: a child whose blocks were all loaded and all approved opens; one
    with a loaded block that differs closes; one the reader could not load entirely stays as it
    is (someone who sees all of it will tell). Nothing opens before an approval."""
    if approved is None:
        return [], [cid for cid, _nodes in tree]
    approved_nodes = approved[2]
    opened, closed = [], []
    for cid, nodes in tree:
        if not _loaded(nodes):
            continue
        if not _matches(approved_nodes, nodes):
            closed.append(cid)
        elif all(fp is not None for _key, fp in nodes):
            opened.append(cid)
    return opened, closed
