"""The package's layering, read from the source (docs/architecture.md): a feature never imports
another feature (the records archive reaches the others only through ``core.exporting``, which
finds each feature's ``export.py``); the core imports no feature; and every import of the
platform (the LMS, Studio, their Django apps, Celery) goes through ``compat.py``, so a platform
change is mended in one file."""
import ast
import pathlib

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parents[2] / "xblocks" / "vn_online_teaching"
FEATURES = sorted(p.parent.name for p in PACKAGE.glob("*/access.py"))
# Top-level modules of the platform and its pip-installed parts our code talks to.
PLATFORM = {"lms", "cms", "openedx", "common", "xmodule", "completion", "submissions", "celery",
            "edx_django_utils", "openedx_events"}


def imports(path):
    """(absolute module name, line) of every import in ``path``, relative ones resolved."""
    return read_imports(path.read_text(encoding="utf-8"), path.relative_to(PACKAGE.parent).with_suffix("").parts)


def read_imports(text, parts):
    """The imports of a module's ``text``; ``parts``: its dotted name as a tuple."""
    package = parts[:-1]
    tree = ast.parse(text)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                module = ".".join(base + ((node.module,) if node.module else ()))
                names = [module] if node.module else [f"{module}.{a.name}" for a in node.names]
            else:
                names = [node.module]
            for name in names:
                yield name, node.lineno


def sources(folder=PACKAGE):
    return [p for p in sorted(folder.rglob("*.py")) if "migrations" not in p.parts]


def test_there_are_features_to_check():
    assert {"material", "attendance", "assessment", "archive"} <= set(FEATURES)


@pytest.mark.parametrize("feature", FEATURES)
def test_a_feature_never_imports_another(feature):
    others = {f"vn_online_teaching.{f}" for f in FEATURES if f != feature}
    found = [(str(p.relative_to(PACKAGE)), line, name) for p in sources(PACKAGE / feature)
             for name, line in imports(p) if any(name == o or name.startswith(o + ".") for o in others)]
    assert not found, f"{feature} imports another feature: {found}"


def test_the_core_imports_no_feature():
    features = {f"vn_online_teaching.{f}" for f in FEATURES}
    found = [(str(p.relative_to(PACKAGE)), line, name) for p in sources(PACKAGE / "core")
             for name, line in imports(p) if any(name == f or name.startswith(f + ".") for f in features)]
    assert not found, found


def test_the_platform_is_imported_only_in_compat():
    found = [(str(p.relative_to(PACKAGE)), line, name) for p in sources()
             if p.name != "compat.py" for name, line in imports(p) if name.split(".")[0] in PLATFORM]
    assert not found, found


def test_the_checks_see_a_violation():
    """The reader resolves relative imports: a feature importing another is caught (not vacuous)."""
    text = "from ..attendance import records\nfrom . import views\nfrom celery import shared_task\n"
    names = [name for name, _line in read_imports(text, ("vn_online_teaching", "material", "probe"))]
    assert names == ["vn_online_teaching.attendance", "vn_online_teaching.material.views", "celery"]
