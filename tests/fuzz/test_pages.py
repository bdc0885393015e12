"""The tier's own footing: it finds every block this distribution installs and every handler of
each, each block type has scenarios to be driven in, and on the seeded records every view and
GET page renders for every role (the state each fuzz example starts from)."""
from xblock.core import XBlock

from . import discovery, harness


def test_every_installed_block_and_handler_is_driven():
    classes = discovery.block_classes()
    assert {"approved_material", "session_attendance"} <= set(classes)
    found = {h.id for h in discovery.all_handlers()}
    for block_type, cls in classes.items():
        declared = {f"{block_type}.{name}" for name in dir(cls)
                    if getattr(getattr(cls, name, None), "_is_xblock_handler", False)}
        assert declared and declared <= found, declared - found


def test_a_handler_declares_its_kind_and_schema_through_the_plumbing_attributes():
    class Block(XBlock):
        @XBlock.handler
        def raw(self, request, suffix=""):
            return None

        @XBlock.handler
        def typed(self, request, suffix=""):
            return None

    Block.typed.kind, Block.typed.schema = "upload", {"lesson": object()}
    Block.typed.file_field = "report"
    handlers = {h.name: h for h in discovery.handlers_of("demo_block", Block)}
    assert (handlers["raw"].kind, handlers["raw"].schema) == (None, None)
    assert (handlers["typed"].kind, sorted(handlers["typed"].schema), handlers["typed"].file_field) == (
        "upload", ["lesson"], "report")


def test_every_page_renders_for_every_role_on_the_seeded_records(seeded):
    by_type, _pools = seeded
    for block_type, usages in by_type.items():
        assert usages, f"{block_type} has no workbench scenario"
        handlers = [h for h in discovery.all_handlers() if h.block_type == block_type]
        failures = harness.render_failures(usages, harness.USERS, handlers, suffixes=("", "html", "xlsx"))
        if failures:
            harness.fail_with("on the seeded records:", failures)
