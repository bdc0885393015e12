"""What a student may see of a material, decided from the approved version and the live content.

Students see the block's own content only as approved: live if it still matches the approved
fingerprint, otherwise the snapshot kept at approval. A child block is shown only while its live
fingerprint equals the one approved; a changed or new child stays hidden until approved again.
"""
from dataclasses import dataclass, field


@dataclass
class StudentView:
    visible: bool
    own: dict = None            # the own content to show (live or snapshot)
    own_is_snapshot: bool = False
    children: list = field(default_factory=list)  # child ids to render
    hidden_children: int = 0


def student_view(approved, live_own_fp, live_own, live_child_fps):
    """``approved``: None or (own_fp, own_snapshot, {child_id: fp}); ``live_child_fps``: [(id, fp)]."""
    if approved is None:
        return StudentView(visible=False)
    own_fp, snapshot, child_fps = approved
    same_own = live_own_fp == own_fp
    shown = [cid for cid, fp in live_child_fps if child_fps.get(cid) == fp]
    return StudentView(
        visible=True,
        own=live_own if same_own else snapshot,
        own_is_snapshot=not same_own,
        children=shown,
        hidden_children=len(live_child_fps) - len(shown),
    )
