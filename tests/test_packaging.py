"""The wheel carries what the blocks need at run time: templates, static files, compiled
catalogs (also where the LMS looks: translations/<lang>/LC_MESSAGES/text.mo), migrations,
and the entry points."""
import pathlib
import subprocess
import sys
import zipfile

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out),
                    str(ROOT)], check=True)
    (path,) = out.glob("openedx_vn_online_teaching-*.whl")
    return zipfile.ZipFile(path)


def test_wheel_contents(wheel):
    names = set(wheel.namelist())
    for required in (
        "vn_online_teaching/templates/vn_online_teaching/material/staff.html",
        "vn_online_teaching/static/vn_online_teaching/js/vnot.js",
        "vn_online_teaching/static/vn_online_teaching/css/vnot.css",
        "vn_online_teaching/conf/locale/vi/LC_MESSAGES/django.mo",
        "vn_online_teaching/conf/locale/vi/LC_MESSAGES/django.po",
        "vn_online_teaching/translations/vi/LC_MESSAGES/text.mo",
        "vn_online_teaching/migrations/0001_initial.py",
        "vn_online_teaching/migrations/0002_audit_head.py",
        "vn_online_teaching/migrations/0003_attendance.py",
        "vn_online_teaching/templates/vn_online_teaching/attendance/staff.html",
        "vn_online_teaching/static/vn_online_teaching/js/attendance.js",
        "vn_online_teaching/static/vn_online_teaching/css/attendance.css",
    ):
        assert required in names, required


def test_wheel_entry_points(wheel):
    (ep_name,) = [n for n in wheel.namelist() if n.endswith("entry_points.txt")]
    text = wheel.read(ep_name).decode()
    assert "approved_material = vn_online_teaching.material.block:ApprovedMaterialBlock" in text
    assert "session_attendance = vn_online_teaching.attendance.block:SessionAttendanceBlock" in text
    assert "[lms.djangoapp]" in text and "[cms.djangoapp]" in text


def test_wheel_catalog_is_the_compiled_vietnamese(wheel):
    shipped = wheel.read("vn_online_teaching/translations/vi/LC_MESSAGES/text.mo")
    assert shipped == (ROOT / "xblocks/vn_online_teaching/conf/locale/vi/LC_MESSAGES/django.mo").read_bytes()
