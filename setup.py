"""Packaging for openedx-vn-online-teaching.

Package data is listed by pattern so the wheel carries everything the blocks need at run time
(templates, static files, compiled catalogs, migrations); tests/test_packaging.py checks it.
"""
import os
import re

from setuptools import find_packages, setup

HERE = os.path.dirname(os.path.abspath(__file__))


def version():
    with open(os.path.join(HERE, "xblocks", "vn_online_teaching", "__init__.py"), encoding="utf-8") as f:
        return re.search(r'^__version__ = "([^"]+)"', f.read(), re.M).group(1)


def package_data():
    """Every non-Python file under the package's data folders, as paths relative to the package."""
    root = os.path.join(HERE, "xblocks", "vn_online_teaching")
    found = []
    for folder in ("templates", "static", "conf", "translations", "locale", "demo/templates", "archive/fonts"):
        for dirpath, _dirs, files in os.walk(os.path.join(root, folder), followlinks=True):
            for name in files:
                if not name.endswith((".pyc",)):
                    found.append(os.path.relpath(os.path.join(dirpath, name), root))
    return found


with open(os.path.join(HERE, "README.md"), encoding="utf-8") as f:
    LONG_DESCRIPTION = f.read()

setup(
    name="openedx-vn-online-teaching",
    version=version(),
    description="Open edX XBlocks for online teaching in Vietnamese schools (Circular 09/2021/TT-BGDĐT)",
    long_description=LONG_DESCRIPTION,
    long_description_content_type="text/markdown",
    license="AGPL-3.0",
    package_dir={"": "xblocks"},
    packages=find_packages("xblocks"),
    package_data={"vn_online_teaching": package_data()},
    include_package_data=False,
    python_requires=">=3.11",
    install_requires=[
        "XBlock[django]>=5.1,<7",
        "Django>=4.2,<6",
        "nh3>=0.2.14",
        "openpyxl>=3.1",
        "icalendar>=5.0",
        "numpy>=1.26",
        "cryptography>=41",
        # The archive's printable documents (A4 PDF/A with an embedded font that has every Vietnamese letter).
        # Below 2.9: a table's rows are written through fpdf2's page-content writer (archive/render/sheet.py),
        # which is not its public API; tests/unit/archive/test_render_pdf_drawing.py compares it with the public one.
        "fpdf2>=2.8.9,<2.9",
    ],
    entry_points={
        "xblock.v1": [
            "approved_material = vn_online_teaching.material.block:ApprovedMaterialBlock",
            "session_attendance = vn_online_teaching.attendance.block:SessionAttendanceBlock",
            "periodic_assessment = vn_online_teaching.assessment.block:PeriodicAssessmentBlock",
            "records_archive = vn_online_teaching.archive.block:RecordsArchiveBlock",
        ],
        "lms.djangoapp": [
            "vn_online_teaching = vn_online_teaching.apps:VnOnlineTeachingConfig",
        ],
        "cms.djangoapp": [
            "vn_online_teaching = vn_online_teaching.apps:VnOnlineTeachingConfig",
        ],
        # Read by Tutor only, which imports the module when the plugin is enabled (docs/install.md).
        "tutor.plugin.v1": [
            "vn_online_teaching = vn_online_teaching.tutor_plugin",
        ],
    },
    classifiers=[
        "Framework :: Django",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
        "Natural Language :: Vietnamese",
    ],
)
