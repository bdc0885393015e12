"""Studio's container editing of a block's children (core/blockbase.py), as the platform's
``StudioEditableBlock.render_children`` (openedx-platform, xmodule/studio_editable.py) and
``VerticalBlock.author_view`` (xmodule/vertical_block.py) do it, on the demo material's children."""
from web_fragments.fragment import Fragment

from helpers import block_as


def test_children_are_listed_reorderable_with_studios_add_place(draft):
    block = block_as(draft, "gv_lan")
    children = block.get_children()
    assert children
    context = {"reorderable_items": set(), "root_xblock": block}
    frag = block.render_author_children(context, Fragment())
    assert context["reorderable_items"] == {c.scope_ids.usage_id for c in children}
    assert context["can_add"] is True
    html = frag.body_html()
    assert html.startswith('<ol class="reorderable-container">')
    assert html.endswith('</ol><div class="add-xblock-component new-component-item adding"></div>')
    for child in children:
        assert child.render("student_view", {}).body_html() in html


def test_without_reordering_or_adding_the_children_stand_alone(draft):
    block = block_as(draft, "gv_lan")
    context = {}
    html = block.render_author_children(context, Fragment(), can_reorder=False, can_add=False).body_html()
    assert "reorderable-container" not in html and "add-xblock-component" not in html
    assert "reorderable_items" not in context and context["can_add"] is False


def test_a_child_that_cannot_be_loaded_is_skipped(draft):
    block = block_as(draft, "gv_lan")
    context = {"reorderable_items": set()}
    html = block.render_author_children(context, Fragment(), children=[None]).body_html()
    assert html == '<ol class="reorderable-container"></ol><div class="add-xblock-component new-component-item adding"></div>'
    assert context["reorderable_items"] == set()


def test_children_are_edited_on_the_blocks_own_page_not_on_a_unit_page(draft):
    """VerticalBlock's rule: on a unit page Studio links the block's own container page."""
    block = block_as(draft, "gv_lan")
    on_unit = block.author_children({"is_unit_page": True, "reorderable_items": set()}, Fragment())
    assert on_unit.body_html() == ""
    own_page = {"is_unit_page": True, "root_xblock": block, "reorderable_items": set()}
    assert "reorderable-container" in block.author_children(own_page, Fragment()).body_html()
    assert "reorderable-container" in block.author_children({"reorderable_items": set()}, Fragment()).body_html()
    assert block.is_studio_root(own_page) and not block.is_studio_root({"root_xblock": block.get_children()[0]})
