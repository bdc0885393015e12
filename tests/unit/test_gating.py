"""What a student sees of a material (material/gating.py).

The live children arrive as the viewer read them: [(child id, [(usage key, fingerprint or
None)])], the child first, then every block under it; None where the platform keeps a block from
the viewer."""
import pytest

from vn_online_teaching.material.gating import StudentView, openings, student_view

LIVE = {"display_name": "Hàm số (đã sửa)"}
SNAPSHOT = {"display_name": "Hàm số"}
APPROVED = ("OWN", SNAPSHOT, {"c1": "f1", "c2": "f2"})


def kids(*pairs):
    """Children without blocks under them: ("c1", "f1") → ("c1", [("c1", "f1")])."""
    return [(cid, [(cid, fp)]) for cid, fp in pairs]


def test_never_approved_is_invisible():
    view = student_view(None, "OWN", LIVE, kids(("c1", "f1")))
    assert view == StudentView(visible=False, own=None, own_is_snapshot=False, children=[], hidden_children=0)


def test_unchanged_material_shows_the_live_content_and_every_child():
    view = student_view(APPROVED, "OWN", LIVE, kids(("c1", "f1"), ("c2", "f2")))
    assert view == StudentView(visible=True, own=LIVE, own_is_snapshot=False, children=["c1", "c2"],
                               hidden_children=0)
    assert view.own is LIVE


def test_changed_own_content_shows_the_approved_snapshot():
    view = student_view(APPROVED, "OWN-EDITED", LIVE, kids(("c1", "f1"), ("c2", "f2")))
    assert view == StudentView(visible=True, own=SNAPSHOT, own_is_snapshot=True, children=["c1", "c2"],
                               hidden_children=0)


def test_changed_child_is_hidden_and_counted():
    view = student_view(APPROVED, "OWN", LIVE, kids(("c1", "f1"), ("c2", "f2-edited")))
    assert view.children == ["c1"] and view.hidden_children == 1 and view.stale == ["c2"]


def test_new_child_is_hidden_and_counted():
    view = student_view(APPROVED, "OWN", LIVE, kids(("c1", "f1"), ("c3", "f3"), ("c2", "f2")))
    assert view.children == ["c1", "c2"] and view.hidden_children == 1


def test_removed_child_is_neither_shown_nor_counted():
    view = student_view(APPROVED, "OWN", LIVE, kids(("c1", "f1")))
    assert view.children == ["c1"] and view.hidden_children == 0


def test_children_follow_the_live_order():
    view = student_view(APPROVED, "OWN", LIVE, kids(("c2", "f2"), ("c1", "f1")))
    assert view.children == ["c2", "c1"]


def test_a_child_moved_under_another_id_is_hidden():
    view = student_view(APPROVED, "OWN", LIVE, kids(("c1", "f2")))
    assert view.children == [] and view.hidden_children == 1


def test_approved_without_children():
    view = student_view(("OWN", SNAPSHOT, {}), "OWN", LIVE, [])
    assert view == StudentView(visible=True, own=LIVE, own_is_snapshot=False, children=[], hidden_children=0)
    view = student_view(("OWN", SNAPSHOT, {}), "OWN", LIVE, kids(("c1", "f1")))
    assert view.children == [] and view.hidden_children == 1


# ------------------------------------------------------------------ blocks the platform keeps from the viewer

def test_a_child_the_viewer_may_not_load_is_neither_shown_nor_counted():
    """The LMS's get_block answers None for a child hidden from this learner (openedx-platform,
    lms/djangoapps/courseware/block_render.py, get_block_for_descriptor): it is not "being
    updated", it is not theirs."""
    view = student_view(APPROVED, "OWN", LIVE, [("c1", [("c1", None)]), ("c2", [("c2", "f2")])])
    assert view.children == ["c2"] and view.hidden_children == 0 and view.stale == []


UNIT = ("OWN", SNAPSHOT, {"u": "fu", "h": "fh", "p": "fp"})


def test_a_hidden_block_under_a_child_does_not_hide_the_child():
    """A learner in another content group than the problem's still sees the rest of the unit:
    every block they do load is checked, the one they may not load is left to the platform."""
    as_group_a = [("u", [("u", "fu"), ("h", "fh"), ("p", None)])]
    assert student_view(UNIT, "OWN", LIVE, as_group_a).children == ["u"]


def test_a_changed_block_under_a_child_hides_the_child():
    changed = [("u", [("u", "fu"), ("h", "fh-edited"), ("p", "fp")])]
    view = student_view(UNIT, "OWN", LIVE, changed)
    assert view.children == [] and view.stale == ["u"]


def test_a_block_added_under_a_child_hides_it():
    """The child's own fingerprint lists its children's ids: a new block changes it."""
    grown = [("u", [("u", "fu-with-a-new-block"), ("h", "fh"), ("p", "fp"), ("n", "fn")])]
    assert student_view(UNIT, "OWN", LIVE, grown).children == []


# Every combination of the own content and the children, worked out by hand.
# children: c1 unchanged, c2 as given; own: same or changed.
@pytest.mark.parametrize("own_fp, expect_own, snapshot", [("OWN", LIVE, False), ("OWN-EDITED", SNAPSHOT, True)])
@pytest.mark.parametrize("live_children, shown, hidden", [
    ([("c1", "f1"), ("c2", "f2")], ["c1", "c2"], 0),                 # both unchanged
    ([("c1", "f1"), ("c2", "f2x")], ["c1"], 1),                      # one changed
    ([("c1", "f1x"), ("c2", "f2x")], [], 2),                         # both changed
    ([("c1", "f1"), ("c2", "f2"), ("c3", "f3")], ["c1", "c2"], 1),   # one new
    ([("c1", "f1")], ["c1"], 0),                                     # one removed
    ([("c1", "f1x"), ("c3", "f3")], [], 2),                          # changed + new, c2 removed
    ([], [], 0),                                                     # all removed
])
def test_all_combinations(own_fp, expect_own, snapshot, live_children, shown, hidden):
    view = student_view(APPROVED, own_fp, LIVE, kids(*live_children))
    assert (view.visible, view.own, view.own_is_snapshot, view.children, view.hidden_children) == (
        True, expect_own, snapshot, shown, hidden)


# ------------------------------------------------------------------ openings (material/visibility.py reads them)

def test_nothing_opens_before_an_approval_and_every_child_closes():
    assert openings(None, kids(("c1", "f1"), ("c2", "f2"))) == ([], ["c1", "c2"])


def test_approved_children_open_and_changed_ones_close():
    assert openings(APPROVED, kids(("c1", "f1"), ("c2", "f2x"), ("c3", "f3"))) == (["c1"], ["c2", "c3"])


def test_a_child_read_only_in_part_is_left_as_it_is():
    """A reader who could not load every block of a child cannot open it (someone who sees all of
    it will); a block they did load that differs still closes it."""
    partial = [("u", [("u", "fu"), ("h", "fh"), ("p", None)])]
    assert openings(UNIT, partial) == ([], [])
    assert openings(UNIT, [("u", [("u", "fu"), ("h", "fh-edited"), ("p", None)])]) == ([], ["u"])
    assert openings(UNIT, [("u", [("u", None)])]) == ([], [])
