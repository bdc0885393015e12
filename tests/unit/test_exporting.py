"""The export contract (core/exporting.py): the archive finds each part's ``export.py`` through the
registry alone, a scope narrows records by school, course and the school's days, and tables and
files stream (re-read on every call, plain values only)."""
import datetime as dt
import sys
import textwrap
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

from vn_online_teaching.core import exporting, registry
from vn_online_teaching.core.exporting import File, Scope, Table
from vn_online_teaching.core.models import Learner, RoleAssignment
from vn_online_teaching.core.registry import DeclarationError

ORG = "THPTNamLoi"
UTC = dt.UTC


# ------------------------------------------------------------------ discovery

def make_package(root, name, files):
    for path, text in files.items():
        target = root / name / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text), encoding="utf-8")
    return name


EXPORT = """
    FEATURE = "{name}"
    def tables(scope):
        return iter(())
    def files(scope):
        return iter(())
    def counts(scope):
        return {{}}
"""


@pytest.fixture
def package(tmp_path, monkeypatch):
    """Blocks written on the fly: the core and a feature ``quiz`` export, ``notes`` does not, and
    ``broken``'s export lacks ``counts``."""
    monkeypatch.syspath_prepend(str(tmp_path))
    name = make_package(tmp_path, "vnot_fake_exports", {
        "__init__.py": "",
        "core/__init__.py": "",
        "core/export.py": EXPORT.format(name="core"),
        "quiz/__init__.py": "",
        "quiz/export.py": EXPORT.format(name="quiz"),
        "notes/__init__.py": "",
        "notes/models.py": "raise RuntimeError('no export: never imported')\n",
        "broken/__init__.py": "",
        "broken/export.py": "def tables(scope):\n    return iter(())\ndef files(scope):\n    return iter(())\n",
    })
    yield name
    for module in [m for m in sys.modules if m.startswith(name)]:
        del sys.modules[module]


def test_a_part_is_found_by_its_export_module_alone_the_core_first(package):
    assert registry.discover_exporters(package) == ["core", "broken", "quiz"]
    module = registry.read_exporter(package, "quiz")
    assert module.FEATURE == "quiz" and module.counts(None) == {}


def test_an_export_module_without_the_three_functions_is_refused_by_name(package):
    with pytest.raises(DeclarationError, match="broken: export.py lacks counts"):
        registry.read_exporter(package, "broken")


def test_the_package_exports_the_core_and_every_feature_with_records():
    names = [exporter.name for exporter in exporting.features()]
    assert names[0] == "core"
    assert {"core", "material", "attendance", "assessment"} <= set(names)
    assert exporting.features() == exporting.features()  # read once, the same every time


def test_every_table_names_its_feature_and_has_unique_keyed_labelled_columns():
    scope = Scope(ORG)
    seen, printable = set(), set()
    for exporter in exporting.features():
        for table in exporter.tables(scope):  # building the tables reads nothing yet
            assert isinstance(table, Table) and table.feature == exporter.name
            assert (table.feature, table.name) not in seen
            seen.add((table.feature, table.name))
            assert len(set(table.keys)) == len(table.keys), table.name
            assert all(label.strip() for label in table.labels) and table.title.strip()
            printable.add(table.printable)
            assert table.dated_by is None or table.dated_by in table.keys
    assert set(exporting.PRINTABLE) <= printable


def test_a_table_says_by_which_column_a_scope_dates_its_rows():
    with pytest.raises(ValueError, match="dated_by names no column"):
        Table("quiz", "marks", "Marks", (("a", "A"),), lambda: iter(()), dated_by="at")
    assert Table("quiz", "marks", "Marks", (("at", "Time"),), lambda: iter(()), dated_by="at").dated_by == "at"


def test_an_unknown_printable_document_is_refused():
    with pytest.raises(ValueError, match="unknown printable document"):
        Table("quiz", "marks", "Marks", (("a", "A"),), lambda: iter(()), printable="poster")


# ------------------------------------------------------------------ the scope

def test_a_scope_needs_a_school_and_days_in_order():
    with pytest.raises(ValueError, match="org"):
        Scope("")
    with pytest.raises(ValueError, match="after"):
        Scope(ORG, since=dt.date(2025, 9, 2), until=dt.date(2025, 9, 1))
    scope = Scope(ORG, course_keys=["b", "a", "b"])
    assert scope.course_keys == ("b", "a")
    assert scope.covers_course("a") and not scope.covers_course("c") and Scope(ORG).covers_course("c")
    assert scope.describe() == {"org": ORG, "course_keys": ["b", "a"], "since": None, "until": None}


def test_the_scopes_days_are_the_schools_days():
    scope = Scope(ORG, since=dt.date(2025, 9, 1), until=dt.date(2025, 9, 30))
    start, end = scope.bounds()
    assert start == dt.datetime(2025, 8, 31, 17, 0, tzinfo=UTC)  # 00:00 in Hà Nội
    assert end == dt.datetime(2025, 9, 30, 17, 0, tzinfo=UTC)  # the end of 30 September there
    assert scope.covers_day(dt.datetime(2025, 8, 31, 17, 30, tzinfo=UTC))  # 00:30 on 1 September
    assert not scope.covers_day(dt.datetime(2025, 9, 30, 17, 30, tzinfo=UTC))  # 00:30 on 1 October
    assert scope.covers_day(dt.date(2025, 9, 30)) and not scope.covers_day(dt.date(2025, 8, 31))
    assert not scope.covers_day(None) and Scope(ORG).covers_day(None)
    assert Scope(ORG).bounds() == (None, None)


def test_a_scope_narrows_a_query_by_school_course_and_day(db):
    RoleAssignment.objects.create(org=ORG, user_key="u1", username="a", role="teacher")
    RoleAssignment.objects.create(org="Other", user_key="u2", username="b", role="teacher")
    assert list(Scope(ORG).courses(RoleAssignment.objects.all(), course_field="subject")
                .values_list("username", flat=True)) == ["a"]
    assert not Scope(ORG, course_keys=["Toán"]).courses(RoleAssignment.objects.all(), course_field="subject").exists()
    stamps = {"before": dt.datetime(2025, 8, 31, 16, 59, tzinfo=UTC),
              "first": dt.datetime(2025, 8, 31, 17, 0, tzinfo=UTC),  # 00:00 on 1 September in Hà Nội
              "last": dt.datetime(2025, 9, 1, 16, 59, tzinfo=UTC),
              "after": dt.datetime(2025, 9, 1, 17, 0, tzinfo=UTC)}
    for name, at in stamps.items():
        RoleAssignment.objects.filter(pk=RoleAssignment.objects.create(
            org=ORG, user_key=name, username=name, role="teacher").pk).update(created_at=at)
    one_day = Scope(ORG, since=dt.date(2025, 9, 1), until=dt.date(2025, 9, 1))
    inside = one_day.dates(RoleAssignment.objects.filter(user_key__in=stamps), "created_at")
    assert sorted(inside.values_list("username", flat=True)) == ["first", "last"]


# ------------------------------------------------------------------ tables and files

def test_a_query_table_streams_plain_values_and_reads_again_on_every_call(db):
    Learner.objects.create(org=ORG, sector_id="001", full_name="Nguyễn Văn An", class_name="10A1", username="an")
    table = exporting.query_table("core", "people", "People", (
        ("sector_id", "Sector ID"),
        ("name", "Name", "full_name"),
        ("both", "Both", ("sector_id", "class_name"), lambda a, b: f"{a}/{b}"),
        ("flag", "Flag", "sector_id", lambda value: value == "001"),
    ), lambda: Learner.objects.filter(org=ORG).order_by("pk"), model=exporting.label(Learner))
    assert table.keys == ("sector_id", "name", "both", "flag") and table.model == "vn_online_teaching.Learner"
    assert list(table.rows()) == [("001", "Nguyễn Văn An", "001/10A1", True)]
    Learner.objects.create(org=ORG, sector_id="002", full_name="Trần Thị Bình", class_name="10A1", username="binh")
    assert [row[0] for row in table.rows()] == ["001", "002"]


def test_rows_stream_a_window_of_keys_at_a_time(db, django_assert_num_queries):
    """Each window of primary keys is one query, so no database client holds a whole table."""
    made = [Learner.objects.create(org=ORG, sector_id=f"00{n}", full_name=f"Học sinh {n}", class_name="10A1",
                                   username=f"hs{n}").pk for n in range(5)]
    assert made == list(range(made[0], made[0] + 5))
    with django_assert_num_queries(1 + 3):  # the keys' span, then windows of 2, 2 and 1 keys
        rows = list(exporting.stream(Learner.objects.order_by("-sector_id"), "sector_id", size=2))
    assert rows == [(f"00{n}",) for n in range(5)]  # in the order the records were made
    with django_assert_num_queries(1 + 2):  # the span of what the query keeps is what is read
        assert len(list(exporting.stream(Learner.objects.exclude(sector_id="004"), "pk", size=2))) == 4
    with django_assert_num_queries(1):  # no records: the span is empty, nothing more is read
        assert list(exporting.stream(Learner.objects.filter(org="Other"), "pk")) == []


def test_plain_values_json_as_text_booleans_as_numbers():
    assert exporting.plain(True) == 1 and exporting.plain(False) == 0
    assert exporting.plain({"b": 1, "a": "Đạt"}) == '{"a":"Đạt","b":1}'
    assert exporting.plain(["A"]) == '["A"]' and exporting.json_text("A") == '"A"'
    assert exporting.plain(Decimal("6.5")) == Decimal("6.5") and exporting.plain(None) is None
    assert exporting.json_text(None) is None


def test_a_code_is_shown_by_its_label_in_the_language_of_the_reading():
    from django.utils import translation

    from vn_online_teaching.attendance import roll

    labels = exporting.Labels(roll.STATUS_LABELS)
    assert [labels.reader()(code) for code in ("present", "", "odd")] == ["Present", "Not yet marked", "odd"]
    with translation.override("vi"):
        assert labels.reader()("excused") == "Vắng có phép"


@pytest.mark.parametrize("text, name", [
    ("Bài 3: Phương trình bậc hai.pdf", "Bai-3-Phuong-trinh-bac-hai.pdf"),
    ("Đề kiểm tra Ngữ văn", "De-kiem-tra-Ngu-van"),
    ("../../etc/passwd", "etc-passwd"),
    ("..", "file"),
    ("", "file"),
])
def test_file_names_are_safe_everywhere(text, name):
    assert exporting.safe_name(text) == name


def test_a_stored_file_is_read_in_chunks_on_every_open(tmp_path):
    storage = FileSystemStorage(location=str(tmp_path))
    data = bytes(range(256)) * (exporting.FILE_CHUNK // 128)  # two chunks
    stored = storage.save("report.bin", ContentFile(data))
    document = File("attendance/report.bin", exporting.storage_reader(stored, storage), size=len(data))
    chunks = list(document.open())
    assert len(chunks) == 2 and b"".join(chunks) == data
    assert b"".join(document.open()) == data  # opened again, read again
