"""The wheel carries what the blocks need at run time, and nothing the tree no longer has:
templates, static files, compiled catalogs (also where the LMS looks:
translations/<lang>/LC_MESSAGES/text.mo), migrations, and the entry points."""
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
DATA = ("templates", "static", "conf/locale", "migrations", "demo/templates")


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


def test_wheel_entry_points(wheel):
    (ep_name,) = [n for n in wheel.namelist() if n.endswith("entry_points.txt")]
    text = wheel.read(ep_name).decode()
    assert "approved_material = vn_online_teaching.material.block:ApprovedMaterialBlock" in text
    assert "session_attendance = vn_online_teaching.attendance.block:SessionAttendanceBlock" in text
    assert "[lms.djangoapp]" in text and "[cms.djangoapp]" in text


def test_wheel_catalog_is_the_compiled_vietnamese(wheel):
    shipped = wheel.read("vn_online_teaching/translations/vi/LC_MESSAGES/text.mo")
    assert shipped == (ROOT / "xblocks/vn_online_teaching/conf/locale/vi/LC_MESSAGES/django.mo").read_bytes()
