"""The strings our scripts show: every ``VNOT.t`` call takes a literal (so it can be read without
running the script), every such string has a Vietnamese translation, and the page of every view
that loads a script carries the translations of all that script's strings. Before, a tuple kept
by hand in each block had to follow the scripts; a string forgotten there showed in English.

Also here: the shipped scripts a view loads, and the weight of a student's page."""
import pathlib
import re
import sys

import pytest

from helpers import block_as, scenario_usage
from vn_online_teaching.core import blockbase

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import messages  # noqa: E402  (the extractor that fills the catalog)

PACKAGE = ROOT / "xblocks" / "vn_online_teaching"
JS_DIR = PACKAGE / "static" / "vn_online_teaching" / "js"
SCRIPTS = sorted(p.name for p in JS_DIR.glob("*.js"))
# Any mention of VNOT.t except its definition in vnot.js ("VNOT.t = function …").
ANY_T = re.compile(r"\bVNOT\s*\.\s*t\b(?!\s*=[^=])")

MATERIAL = "Học liệu: bản nháp"
ATTENDANCE = "Điểm danh: Toán 10A1"
ASSESSMENT = "Kiểm tra định kỳ"
ARCHIVE = "Lưu trữ hồ sơ"
# (scenario, user, view): every view of our blocks that loads scripts, as the person who sees it.
VIEWS = [
    (MATERIAL, "gv_lan", "student_view"),  # the teacher's decision panel
    (MATERIAL, "gv_lan", "studio_view"),
    (ATTENDANCE, "hs_anh", "student_view"),  # check-in
    (ATTENDANCE, "gv_lan", "student_view"),  # lessons, roll call, import, logbook
    (ATTENDANCE, "gv_lan", "studio_view"),
    (ASSESSMENT, "hs_anh", "student_view"),  # taking the test
    (ASSESSMENT, "gv_lan", "student_view"),  # the board, marking
    (ASSESSMENT, "gv_lan", "studio_view"),
    (ARCHIVE, "vt_thu", "student_view"),  # exports, holds, disposals
]
OURS = "/static/vn_online_teaching/"
STUDENT_PAGES = [(MATERIAL, "hs_anh"), (ATTENDANCE, "hs_anh"), (ASSESSMENT, "hs_anh")]
STUDENT_BUDGET = 60 * 1024  # a student's page: its own JS and CSS, on a phone's data plan


def extracted(name):
    """The strings of script ``name`` exactly as scripts/messages.py reads them for the catalog."""
    text = (JS_DIR / name).read_text(encoding="utf-8")
    return [m.group(1).encode().decode("unicode_escape") if "\\" in m.group(1) else m.group(1)
            for m in messages.JS_CALL.finditer(text)]


def test_the_page_and_the_catalog_read_the_same_calls():
    assert blockbase.JS_CALL.pattern == messages.JS_CALL.pattern


def test_there_are_scripts_to_check():
    assert {"vnot.js", "attendance_student.js", "attendance_staff.js", "attendance_studio.js"} <= set(SCRIPTS)


@pytest.mark.parametrize("name", SCRIPTS)
def test_every_vnot_t_call_takes_a_literal(name):
    """``VNOT.t(label)``, ``VNOT.t("a" + b)`` or ``var t = VNOT.t`` cannot be read from the file:
    such a string would reach neither the catalog nor the page."""
    text = (JS_DIR / name).read_text(encoding="utf-8")
    calls = {m.start() for m in messages.JS_CALL.finditer(text)}
    unreadable = [text[m.start():m.start() + 60].splitlines()[0]
                  for m in ANY_T.finditer(text) if m.start() not in calls]
    assert not unreadable, f"{name}: VNOT.t must be called with one string literal: {unreadable}"


@pytest.mark.parametrize("name", SCRIPTS)
def test_every_script_string_is_translated(name):
    vi = messages.read_po(PACKAGE / "conf" / "locale" / "vi" / "LC_MESSAGES" / "django.po")
    missing = [s for s in extracted(name) if s not in vi or not vi[s][0] or vi[s][1]]
    assert not missing, f"{name}: not translated in the Vietnamese catalog: {missing}"


@pytest.mark.parametrize("name", SCRIPTS)
def test_blockbase_reads_the_strings_the_extractor_reads(name):
    assert list(blockbase.js_file_strings(name)) == list(dict.fromkeys(extracted(name)))


def test_a_non_literal_call_is_caught():
    """The check above would see these (it is not vacuous)."""
    text = 'VNOT.t("Saved."); VNOT.t(label); VNOT.t("a" + b); var t = VNOT.t; VNOT.t = function () {};'
    calls = {m.start() for m in messages.JS_CALL.finditer(text)}
    assert len([m for m in ANY_T.finditer(text) if m.start() not in calls]) == 3


def test_escaped_literals_are_read_as_javascript_reads_them():
    blockbase.js_file_strings.cache_clear()
    assert blockbase._js_literal(r"Line one\nline \"two\" \u00e0 …") == 'Line one\nline "two" à …'
    assert blockbase._js_literal("Đã lưu…") == "Đã lưu…"


# ------------------------------------------------------------------------------ views


def loaded(frag):
    """(script names, stylesheet URLs) of a rendered fragment, in order."""
    urls = [r for r in frag.resources if r.kind == "url"]
    ours = [r for r in urls if OURS in r.data]  # not the workbench's own jQuery
    js = [r.data.rsplit("/", 1)[-1] for r in ours if r.mimetype == "application/javascript"]
    css = [r.data.split(OURS, 1)[1] for r in ours if r.mimetype == "text/css"]
    return js, css


@pytest.fixture
def views(workbench):
    """{(scenario, user, view): the view's own fragment} of every view in VIEWS (called directly:
    the runtime's wrapper moves the init arguments into the HTML)."""
    return {(prefix, user, view): getattr(block_as(scenario_usage(prefix), user), view)({})
            for prefix, user, view in VIEWS}


def test_each_view_gets_the_strings_of_every_script_it_loads(views):
    for key, frag in views.items():
        js, _css = loaded(frag)
        assert js and js[0] == "vnot.js", (key, js)
        shipped = frag.json_init_args["strings"]
        for name in js:
            assert (JS_DIR / name).exists(), (key, name)
            missing = [s for s in extracted(name) if s not in shipped]
            assert not missing, f"{key} loads {name} but its page lacks {missing}"


def test_each_view_loads_the_script_defining_its_init(views):
    for key, frag in views.items():
        js, _css = loaded(frag)
        init = frag.json_init_args["init"]
        text = "".join((JS_DIR / name).read_text(encoding="utf-8") for name in js)
        assert re.search(rf"function {init}\b|\b{init}\s*=\s*function\b", text), (key, init, js)


# Scripts that a handler's own full page loads with a <script> tag (the integrity pages, opened
# in a tab of their own): such a page is rendered on the server in the reader's language and
# carries no strings for a script, so these may ask for none.
PAGE_SCRIPTS = {"assessment_integrity.js"}


def test_every_script_is_loaded_by_some_view(views):
    """A script no view loads is dead code whose strings nobody checks on a page."""
    used = {name for frag in views.values() for name in loaded(frag)[0]}
    assert set(SCRIPTS) - used - PAGE_SCRIPTS == set()


@pytest.mark.parametrize("name", sorted(PAGE_SCRIPTS))
def test_a_full_pages_script_asks_for_no_strings_and_its_page_names_it(name):
    assert (JS_DIR / name).exists() and extracted(name) == []
    sources = "".join(p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py"))
    assert f"js/{name}" in sources


def test_the_student_view_does_not_load_the_staff_scripts(views):
    js, _css = loaded(views[(ATTENDANCE, "hs_anh", "student_view")])
    assert js == ["vnot.js", "attendance_student.js"]


@pytest.mark.parametrize("prefix,user", STUDENT_PAGES)
def test_a_students_page_stays_light(workbench, prefix, user):
    frag = block_as(scenario_usage(prefix), user).student_view({})
    js, css = loaded(frag)
    files = [JS_DIR / name for name in js] + [PACKAGE / "static" / "vn_online_teaching" / path for path in css]
    assert css and all(f.exists() for f in files), files
    total = sum(f.stat().st_size for f in files)
    assert total < STUDENT_BUDGET, f"{prefix} as {user}: {total} bytes of JS and CSS"


# ------------------------------------------------------------------------ blockbase


def test_js_takes_one_name_or_a_list():
    assert blockbase.js_files("material.js") == ["vnot.js", "material.js"]
    assert blockbase.js_files(["attendance_roll.js", "attendance_staff.js", "attendance_roll.js"]) == [
        "vnot.js", "attendance_roll.js", "attendance_staff.js"]
    assert blockbase.js_files(("vnot.js", "material.js")) == ["vnot.js", "material.js"]


def test_strings_of_core_scripts_and_hand_lists_are_merged():
    strings = blockbase.view_js_strings(["vnot.js", "attendance_student.js"], extra=("Remove",))
    assert set(blockbase.CORE_JS_STRINGS) <= set(strings)
    assert {"Checked in.", "The file is too large to upload.", "Remove"} <= set(strings)
    assert len(strings) == len(set(strings))
    assert "Roll call" not in strings  # the staff's, not on a student's page


def test_script_strings_are_read_once_per_process():
    blockbase.js_file_strings.cache_clear()
    first = blockbase.js_file_strings("attendance_roll.js")
    assert blockbase.js_file_strings("attendance_roll.js") is first
    assert blockbase.js_file_strings.cache_info().hits == 1


def test_fragment_ships_the_scripts_strings_and_a_hand_list(workbench):
    block = block_as(scenario_usage(ATTENDANCE), "gv_lan")
    frag = block.fragment("vn_online_teaching/attendance/studio.html", {"block": block, "platforms": {}, "modes": {}},
                          js=["attendance_roll.js", "attendance_studio.js"], js_init="VNOTAttendanceStudio",
                          js_strings=("Remove",))
    assert loaded(frag)[0] == ["vnot.js", "attendance_roll.js", "attendance_studio.js"]
    strings = frag.json_init_args["strings"]
    assert {"Roll call", "Remove", "Saving…"} <= set(strings)
    assert frag.json_init_args["init"] == "VNOTAttendanceStudio"

