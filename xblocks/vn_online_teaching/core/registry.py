"""What each feature declares: its actions (and who holds them) and its settings (with defaults).

A feature is a sub-package of ``vn_online_teaching`` that has an ``access.py`` module, the way a
Moodle plugin declares its capabilities in its own ``db/access.php``: ``access.ACTIONS`` maps
each action name (``"<feature>.<verb>"``) to an ``Action``, and the feature's ``settings.py``, when
it has one, maps each setting name to a ``Setting`` in ``SETTINGS``. The core finds features by
that file, so adding a block never edits the core. The core keeps the machinery (grants, scopes,
fallbacks: ``roles``; per-school overrides: ``config``) and its own declarations
(``roles.ACTIONS``, ``config.SETTINGS``).

A part of the package that keeps records has an ``export.py`` too (the core's own for the roster
and the school roles): the records archive finds them here (``export_modules``, used by
core/exporting.py), never by importing a feature.

Everything is read once, on first use, whichever module asks first: a test or a command that
never imported a feature still sees its actions and settings. The app's ``ready()`` reads it at
start-up too, so a faulty declaration stops the server instead of a later request.
"""
import importlib
import importlib.resources
import re
import threading
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured

PACKAGE = __name__.split(".", 1)[0]
CORE = "core"
SETTING_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")


@dataclass(frozen=True)
class Action:
    """Who may take an action: the school ``roles`` holding it, whether a grant must cover the
    place's subject (``by_subject``), whether only the object's owner may take it
    (``owner_only``, on top of the role), and one English line for the operator's matrix."""

    roles: frozenset
    by_subject: bool = False
    owner_only: bool = False
    doc: str = ""

    def __post_init__(self):
        object.__setattr__(self, "roles", frozenset(self.roles))


@dataclass(frozen=True)
class Setting:
    """A number or rule a school may change: its default and one English line for the operator."""

    default: object
    doc: str = ""


@dataclass(frozen=True)
class Feature:
    name: str
    actions: dict = field(default_factory=dict)
    settings: dict = field(default_factory=dict)


class DeclarationError(ImproperlyConfigured):
    """A feature's declarations cannot be used (a clash, a bad name, an unknown role)."""


class UnknownSetting(KeyError):
    """``config.get`` of a name nobody declares: a typo or a feature that is not installed."""

    def __str__(self):
        return self.args[0] if self.args else ""


@dataclass(frozen=True)
class Catalog:
    """Every feature's declarations, merged: core first, then the features by name."""

    features: tuple
    actions: dict
    settings: dict
    owners: dict  # action or setting name -> feature name


def discover(package=PACKAGE):
    """Names of the features of ``package``: its sub-packages with an ``access`` module."""
    root = importlib.resources.files(package)
    return sorted(entry.name for entry in root.iterdir()
                  if entry.is_dir() and entry.joinpath("__init__.py").is_file()
                  and entry.joinpath("access.py").is_file())


def discover_exporters(package=PACKAGE):
    """Names of the parts of ``package`` that export records: the core first when it has an
    ``export`` module, then every sub-package with an ``export.py``, by name. The archive reaches
    the features only this way (core/exporting.py), so a feature joins every package by adding the
    file, and the archive never imports a feature."""
    root = importlib.resources.files(package)
    names = sorted(entry.name for entry in root.iterdir()
                   if entry.is_dir() and entry.name != CORE and entry.joinpath("__init__.py").is_file()
                   and entry.joinpath("export.py").is_file())
    return ([CORE] if root.joinpath(CORE, "export.py").is_file() else []) + names


def read_exporter(package, name):
    """The ``export`` module of ``name``, checked to offer ``tables``, ``files`` and ``counts``, and
    a callable ``dispose`` if it has one (optional: without it a disposal keeps its records)."""
    module = importlib.import_module(f"{package}.{name}.export")
    missing = [fn for fn in ("tables", "files", "counts") if not callable(getattr(module, fn, None))]
    if missing:
        raise DeclarationError(f"{name}: export.py lacks {', '.join(missing)}")
    if hasattr(module, "dispose") and not callable(module.dispose):
        raise DeclarationError(f"{name}: export.py's dispose is not a function")
    return module


def read_feature(package, name):
    """The declarations of one feature (its ``access`` and, if present, ``settings`` modules)."""
    access = importlib.import_module(f"{package}.{name}.access")
    settings = {}
    if importlib.resources.files(package).joinpath(name, "settings.py").is_file():
        settings = getattr(importlib.import_module(f"{package}.{name}.settings"), "SETTINGS", {})
    return Feature(name, dict(getattr(access, "ACTIONS", {})), dict(settings))


def _check(feature, known_roles):
    for name, action in feature.actions.items():
        if not isinstance(action, Action):
            raise DeclarationError(f"{feature.name}: action {name!r} is not declared with registry.Action")
        if feature.name != CORE and not name.startswith(f"{feature.name}."):
            raise DeclarationError(f"{feature.name}: action {name!r} must be named '{feature.name}.<verb>'")
        unknown = sorted(action.roles - set(known_roles))
        if unknown:
            raise DeclarationError(f"{feature.name}: action {name!r} names unknown roles {unknown}")
    for name, setting in feature.settings.items():
        if not isinstance(setting, Setting):
            raise DeclarationError(f"{feature.name}: setting {name!r} is not declared with registry.Setting")
        if not SETTING_NAME.match(name) or name == "ORGS":
            raise DeclarationError(f"{feature.name}: {name!r} is not a usable setting name")


def build(features, known_roles):
    """One catalog from ``features`` (core first); a name declared twice is an error."""
    actions, settings, owners = {}, {}, {}
    for feature in features:
        _check(feature, known_roles)
        for kind, declared, merged in (("action", feature.actions, actions),
                                       ("setting", feature.settings, settings)):
            for name, value in declared.items():
                if name in merged:
                    raise DeclarationError(f"{kind} {name!r} is declared by both {owners[name]} and {feature.name}")
                merged[name] = value
                owners[name] = feature.name
    return Catalog(tuple(features), actions, settings, owners)


def load(package=PACKAGE):
    """The catalog of ``package``: the core's declarations and every feature found in it."""
    from . import config, roles  # noqa: PLC0415 - they import this module

    core = Feature(CORE, dict(roles.ACTIONS), dict(config.SETTINGS))
    return build([core] + [read_feature(package, name) for name in discover(package)], roles.ROLES)


_lock = threading.Lock()
_catalog = None


def catalog():
    """The catalog of this package, read once."""
    global _catalog  # noqa: PLW0603 - a cache filled once per process
    if _catalog is None:
        with _lock:
            if _catalog is None:
                _catalog = load()
    return _catalog


_exporters = None
_exporters_lock = threading.Lock()  # not ``_lock``: importing an export module may read the catalog


def export_modules():
    """``(name, export module)`` of every part of this package that exports records, read once."""
    global _exporters  # noqa: PLW0603 - a cache filled once per process
    if _exporters is None:
        with _exporters_lock:
            if _exporters is None:
                _exporters = tuple((name, read_exporter(PACKAGE, name)) for name in discover_exporters())
    return _exporters


def action(name):
    """The declared ``Action`` called ``name``, or None (an unknown action is never allowed)."""
    return catalog().actions.get(name)


def setting(name):
    """The declared ``Setting`` called ``name``, or UnknownSetting."""
    found = catalog().settings.get(name)
    if found is None:
        raise UnknownSetting(f"Unknown setting {name!r}: neither the core nor any feature declares it "
                             f"(see docs/permissions.md or `manage.py vnot_rules`).")
    return found
