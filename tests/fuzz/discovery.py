"""What the tier drives, found by introspection rather than listed by hand, so a new block joins
by being installed and a new handler by being declared.

Blocks: the classes this distribution registers under the ``xblock.v1`` entry points. Handlers:
their methods marked ``_is_xblock_handler``; the plumbing wrappers (``core.web``) say what a
handler takes in ``handler.kind`` ("json", "upload", "get") and ``handler.schema`` (the Fields).
A handler without them is driven with every kind of request (``kind`` None).
Usages: the workbench scenarios whose root block is one of ours.
"""
from dataclasses import dataclass, field
from importlib.metadata import distribution

DISTRIBUTION = "openedx-vn-online-teaching"
VIEWS = ("student_view", "author_view", "studio_view")


@dataclass(frozen=True)
class Handler:
    block_type: str
    name: str
    kind: str = None                      # "json", "upload", "get" or None (undeclared)
    schema: dict = field(default=None, hash=False, compare=False)
    file_field: str = "file"

    @property
    def id(self):
        return f"{self.block_type}.{self.name}"


def block_classes():
    """{block type: class} of every block this distribution installs."""
    out = {}
    for ep in distribution(DISTRIBUTION).entry_points:
        if ep.group == "xblock.v1":
            out[ep.name] = ep.load()
    return dict(sorted(out.items()))


def handlers_of(block_type, cls):
    found = []
    for name in sorted(dir(cls)):
        fn = getattr(cls, name, None)
        if not callable(fn) or not getattr(fn, "_is_xblock_handler", False):
            continue
        kind = getattr(fn, "kind", None)
        schema = getattr(fn, "schema", None)
        found.append(Handler(block_type, name, kind if kind in ("json", "upload", "get") else None,
                             dict(schema) if isinstance(schema, dict) else None,
                             getattr(fn, "file_field", None) or "file"))
    return found


def all_handlers():
    return [h for block_type, cls in block_classes().items() for h in handlers_of(block_type, cls)]


def usages():
    """{block type: [usage ids of the workbench scenarios whose root block is of that type]}."""
    from workbench.scenarios import get_scenarios  # noqa: PLC0415 - needs Django set up

    ours = block_classes()
    out = {t: [] for t in ours}
    for scenario in get_scenarios().values():
        block_type = str(scenario.usage_id).split(".")[-3]
        if block_type in out:
            out[block_type].append(scenario.usage_id)
    return out
