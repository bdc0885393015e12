"""What a student sees of a material (material/gating.py)."""
import pytest

from vn_online_teaching.material.gating import StudentView, student_view

LIVE = {"display_name": "Hàm số (đã sửa)"}
SNAPSHOT = {"display_name": "Hàm số"}
APPROVED = ("OWN", SNAPSHOT, {"c1": "f1", "c2": "f2"})


def test_never_approved_is_invisible():
    view = student_view(None, "OWN", LIVE, [("c1", "f1")])
    assert view == StudentView(visible=False, own=None, own_is_snapshot=False, children=[], hidden_children=0)


def test_unchanged_material_shows_the_live_content_and_every_child():
    view = student_view(APPROVED, "OWN", LIVE, [("c1", "f1"), ("c2", "f2")])
    assert view == StudentView(visible=True, own=LIVE, own_is_snapshot=False, children=["c1", "c2"],
                               hidden_children=0)
    assert view.own is LIVE


def test_changed_own_content_shows_the_approved_snapshot():
    view = student_view(APPROVED, "OWN-EDITED", LIVE, [("c1", "f1"), ("c2", "f2")])
    assert view == StudentView(visible=True, own=SNAPSHOT, own_is_snapshot=True, children=["c1", "c2"],
                               hidden_children=0)


def test_changed_child_is_hidden_and_counted():
    view = student_view(APPROVED, "OWN", LIVE, [("c1", "f1"), ("c2", "f2-edited")])
    assert view.children == ["c1"] and view.hidden_children == 1


def test_new_child_is_hidden_and_counted():
    view = student_view(APPROVED, "OWN", LIVE, [("c1", "f1"), ("c3", "f3"), ("c2", "f2")])
    assert view.children == ["c1", "c2"] and view.hidden_children == 1


def test_removed_child_is_neither_shown_nor_counted():
    view = student_view(APPROVED, "OWN", LIVE, [("c1", "f1")])
    assert view.children == ["c1"] and view.hidden_children == 0


def test_children_follow_the_live_order():
    view = student_view(APPROVED, "OWN", LIVE, [("c2", "f2"), ("c1", "f1")])
    assert view.children == ["c2", "c1"]


def test_a_child_moved_under_another_id_is_hidden():
    view = student_view(APPROVED, "OWN", LIVE, [("c1", "f2")])
    assert view.children == [] and view.hidden_children == 1


def test_approved_without_children():
    view = student_view(("OWN", SNAPSHOT, {}), "OWN", LIVE, [])
    assert view == StudentView(visible=True, own=LIVE, own_is_snapshot=False, children=[], hidden_children=0)
    view = student_view(("OWN", SNAPSHOT, {}), "OWN", LIVE, [("c1", "f1")])
    assert view.children == [] and view.hidden_children == 1


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
    view = student_view(APPROVED, own_fp, LIVE, live_children)
    assert view == StudentView(visible=True, own=expect_own, own_is_snapshot=snapshot, children=shown,
                               hidden_children=hidden)
