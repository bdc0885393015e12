"""The wheel carries what the blocks need at run time, and nothing the tree no longer has:
templates, static files, compiled catalogs (also where the LMS looks:
translations/<lang>/LC_MESSAGES/text.mo, and where Django looks for an installed app's catalog:
locale/<lang>/LC_MESSAGES/django.mo), migrations, the Tutor plugin, and the entry points."""
import pathlib
import shutil
import subprocess
import sys
import zipfile

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """The wheel built from a clean copy of the tree. Built in the checkout, setuptools would
    reuse its build/ folder, where a file deleted from the tree lives on and ships again."""
    src = tmp_path_factory.mktemp("src")
    for name in ("setup.py", "README.md"):
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "xblocks", src / "xblocks", symlinks=True,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"))
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out),
                    str(src)], check=True)
    (path,) = out.glob("openedx_vn_online_teaching-*.whl")
    return zipfile.ZipFile(path)


PACKAGE = ROOT / "xblocks" / "vn_online_teaching"
# What the blocks read at run time besides Python modules: templates, CSS and JavaScript, the
# catalogs (sources and compiled), the migrations, the demo's templates.
DATA = ("templates", "static", "conf/locale", "migrations", "demo/templates", "archive/fonts")


def run_time_files():
    """Every run-time file of the source tree, named as in the wheel."""
    for folder in DATA:
        for path in sorted((PACKAGE / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                yield "vn_online_teaching/" + path.relative_to(PACKAGE).as_posix()


def test_wheel_carries_every_run_time_file_of_the_tree(wheel):
    """Derived from the tree, so a new template, script or migration is checked the day it is added."""
    files = set(run_time_files())
    assert {  # the tree walk found the files, not nothing
        "vn_online_teaching/static/vn_online_teaching/js/vnot.js",
        "vn_online_teaching/static/vn_online_teaching/css/vnot.css",
        "vn_online_teaching/templates/vn_online_teaching/material/staff.html",
        "vn_online_teaching/templates/vn_online_teaching/attendance/staff.html",
        "vn_online_teaching/conf/locale/vi/LC_MESSAGES/django.mo",
        "vn_online_teaching/conf/locale/vi/LC_MESSAGES/django.po",
        "vn_online_teaching/migrations/0001_initial.py",
    } <= files
    shipped = {n for n in wheel.namelist() if n.startswith(tuple(f"vn_online_teaching/{d}/" for d in DATA))}
    missing = sorted(files - shipped)
    assert not missing, f"not in the wheel (see setup.py package_data): {missing}"
    stale = sorted(shipped - files)
    assert not stale, f"in the wheel but no longer in the tree: {stale}"


def test_wheel_has_the_catalog_where_the_lms_looks(wheel):
    """``translations/`` is a link to ``conf/locale`` in the tree; the wheel must carry real files."""
    names = set(wheel.namelist())
    for lang in ("vi", "en"):
        assert f"vn_online_teaching/translations/{lang}/LC_MESSAGES/text.mo" in names, lang


def test_wheel_has_the_catalog_where_django_looks_for_an_app(wheel):
    """Django's translation (commands, the admin, the LMS's XBlock i18n service when it falls back
    to Django) reads each installed app's ``locale/`` folder; our plugin settings leave
    ``LOCALE_PATHS`` alone (settings.py, docs/decisions/0004-own-catalog-loading.md), so this
    folder is the only way Django finds our catalog. ``locale`` is a link to ``conf/locale`` in the
    tree: the wheel must carry real files, the same as ``conf/locale``'s, and no others."""
    names = set(wheel.namelist())
    for lang in ("vi", "en"):
        shipped = f"vn_online_teaching/locale/{lang}/LC_MESSAGES/django.mo"
        assert shipped in names, lang
        assert wheel.read(shipped) == (PACKAGE / "conf/locale" / lang / "LC_MESSAGES/django.mo").read_bytes(), lang
    conf = {n.removeprefix("vn_online_teaching/conf/locale/") for n in names
            if n.startswith("vn_online_teaching/conf/locale/")}
    app = {n.removeprefix("vn_online_teaching/locale/") for n in names if n.startswith("vn_online_teaching/locale/")}
    assert app == conf


def entry_points(wheel):
    """The wheel's entry points, as ``{group: {name: target}}``."""
    (ep_name,) = [n for n in wheel.namelist() if n.endswith(".dist-info/entry_points.txt")]
    groups, group = {}, None
    for line in wheel.read(ep_name).decode().splitlines():
        line = line.strip()
        if line.startswith("[") and line.endswith("]"):
            group = groups.setdefault(line[1:-1], {})
        elif "=" in line and group is not None:
            name, target = (part.strip() for part in line.split("=", 1))
            group[name] = target
    return groups


def test_wheel_entry_points(wheel):
    groups = entry_points(wheel)
    assert groups["xblock.v1"].items() >= {
        "approved_material": "vn_online_teaching.material.block:ApprovedMaterialBlock",
        "session_attendance": "vn_online_teaching.attendance.block:SessionAttendanceBlock",
    }.items()
    app = "vn_online_teaching.apps:VnOnlineTeachingConfig"
    assert groups["lms.djangoapp"] == {"vn_online_teaching": app}
    assert groups["cms.djangoapp"] == {"vn_online_teaching": app}


def test_wheel_declares_and_carries_the_tutor_plugin(wheel):
    """Tutor finds installed plugins by the ``tutor.plugin.v1`` entry point and imports the module
    it names (``tutor plugins enable vn_online_teaching``, docs/install.md)."""
    assert entry_points(wheel).get("tutor.plugin.v1") == {"vn_online_teaching": "vn_online_teaching.tutor_plugin"}
    shipped = wheel.read("vn_online_teaching/tutor_plugin.py")
    assert shipped == (PACKAGE / "tutor_plugin.py").read_bytes()


def test_wheel_catalog_is_the_compiled_vietnamese(wheel):
    shipped = wheel.read("vn_online_teaching/translations/vi/LC_MESSAGES/text.mo")
    assert shipped == (ROOT / "xblocks/vn_online_teaching/conf/locale/vi/LC_MESSAGES/django.mo").read_bytes()
