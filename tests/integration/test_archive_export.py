"""A package exported from the demo school (materials walked through approval, lessons with a roll
call) by ``export_archive``: it validates with the ``bagit`` library alone and with
``verify_archive``; any byte changed in a data file, a manifest, bag-info, the signature or an
audit row makes ``verify_archive`` fail; the job keeps its proof (SHA-256, fingerprint, anchor,
counts); a failure leaves no package."""
import hashlib
import zipfile
from io import StringIO

import bagit
import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.utils import translation
from vn_online_teaching.archive import jobs, signing
from vn_online_teaching.archive.models import ArchiveJob
from vn_online_teaching.core import audit
from vn_online_teaching.core.models import AuditEntry
from vn_online_teaching.demo.load import load_lessons, load_materials
from vn_online_teaching.demo.people import COURSE_KEY, ORG

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Packages go to a storage folder of this test only (Django resets the storages on change)."""
    settings.STORAGES = dict(settings.STORAGES, default={
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "media")}})
    return tmp_path / "media"


@pytest.fixture
def key(settings):
    pem = signing.new_private_pem().decode("ascii")
    settings.VN_ONLINE_TEACHING = dict(settings.VN_ONLINE_TEACHING, ARCHIVE_SIGNING_KEY=pem)
    return signing.load_private_key(pem)


@pytest.fixture
def school(workbench):
    """The demo school's records: materials through the workflow, lessons with a roll call."""
    assert load_materials() and load_lessons()


def export(tmp_path, *args):
    out = tmp_path / "ho-so.zip"
    buffer = StringIO()
    with translation.override("vi"):
        call_command("export_archive", "--org", ORG, "--out", str(out), *args, stdout=buffer)
    return out, buffer.getvalue()


@pytest.fixture
def package(tmp_path, key, school):
    out, printed = export(tmp_path, "--course", COURSE_KEY)
    return out, printed


def member(path, name):
    with zipfile.ZipFile(path) as archive:
        root = archive.namelist()[0].split("/", 1)[0]
        return root, archive.read(f"{root}/{name}")


def test_the_package_validates_with_bagit_and_verify_archive(package, tmp_path, key):
    path, printed = package
    job = ArchiveJob.objects.get()
    assert job.status == ArchiveJob.DONE and job.fingerprint == signing.fingerprint(key)
    assert job.fingerprint in printed and job.anchor in printed and job.sha256 in printed
    assert hashlib.sha256(path.read_bytes()).hexdigest() == job.sha256 == hashlib.sha256(
        default_storage.open(job.storage_name).read()).hexdigest()
    with zipfile.ZipFile(path) as archive:
        archive.extractall(tmp_path / "x")
    root = next((tmp_path / "x").iterdir())
    bag = bagit.Bag(str(root))
    bag.validate()  # raises BagValidationError on any problem
    assert bag.info["Audit-Anchor"] == job.anchor
    out = StringIO()
    call_command("verify_archive", str(path), "--fingerprint", job.fingerprint, "--anchor", job.anchor, stdout=out)
    assert job.fingerprint in out.getvalue()


def test_the_package_holds_every_feature_and_the_counts(package):
    path, _printed = package
    job = ArchiveJob.objects.get()
    with zipfile.ZipFile(path) as archive:
        names = {n.split("/", 1)[1] for n in archive.namelist()}
    for table in job.counts["tables"]:
        assert f"data/{table}.csv" in names and f"data/{table}.jsonl" in names
    for document in ("attendance/logbook", "attendance/attendance_sheet", "assessment/score_sheet",
                     "material/materials_register"):  # for people: a spreadsheet and an A4 print
        assert f"data/{document}.xlsx" in names and f"data/{document}.pdf" in names, document
    assert "data/attendance/marks.xlsx" not in names   # data: its CSV opens in Excel
    features = {t.split("/", 1)[0] for t in job.counts["tables"]}
    assert {"core", "material", "attendance", "assessment"} <= features
    assert job.counts["records"]["vn_online_teaching.Mark"] > 0
    assert "data/index.html" in names and "data/audit/segment.jsonl" in names
    assert member(path, "data/attendance/marks.csv")[1].startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel


def test_every_record_of_every_table_is_in_the_package(package):
    """The rows written for each model match what the feature counts in the database, so a table
    that drops records (or a model whose rows stop being exported) is caught."""
    job = ArchiveJob.objects.get()
    assert job.counts["models"]
    for model, rows in job.counts["models"].items():
        assert rows == job.counts["records"][model], model
    assert job.counts["models"]["vn_online_teaching.Mark"] == 6  # the demo roll call of 10A1


def test_the_export_is_audited_and_the_segment_reaches_the_anchor(package):
    job = ArchiveJob.objects.get()
    actions = list(AuditEntry.objects.filter(object_type=jobs.OBJECT_TYPE, object_id=str(job.pk))
                   .values_list("action", flat=True))
    assert actions == ["archive.export", "archive.exported"]
    exported = AuditEntry.objects.get(action="archive.exported")
    assert exported.data["sha256"] == job.sha256
    seq = int(job.anchor.split(":")[0])
    assert seq == exported.seq - 1  # the package's segment ends just before its own completion entry
    _root, segment = member(package[0], "data/audit/segment.jsonl")
    assert b'"action":"archive.export"' in segment


def rewrite(source, target, name, change):
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        root = old.namelist()[0].split("/", 1)[0]
        for info in old.infolist():
            data = old.read(info)
            new.writestr(info.filename, change(data) if info.filename == f"{root}/{name}" else data)
    return target


def one_byte(data):
    at = len(data) // 2
    return data[:at] + bytes([data[at] ^ 1]) + data[at + 1:]


@pytest.mark.parametrize("name", ["data/core/roster.csv", "manifest-sha256.txt", "manifest-sha512.txt",
                                  "bag-info.txt", "signature.ed25519", "data/audit/segment.jsonl",
                                  "tagmanifest-sha256.txt", "data/index.html"])
def test_any_changed_byte_fails_verify_archive(package, tmp_path, name):
    changed = rewrite(package[0], tmp_path / "changed.zip", name, one_byte)
    with pytest.raises(CommandError) as raised:
        call_command("verify_archive", str(changed), stdout=StringIO())
    assert raised.value.returncode == 1


def test_a_whole_school_by_school_year(tmp_path, key, school):
    path, printed = export(tmp_path, "--school-year", "2025-2026", "--semester", "1")
    job = ArchiveJob.objects.get()
    assert job.course_keys == [] and str(job.since) == "2025-09-01" and str(job.until) == "2026-01-14"
    with translation.override("vi"):
        assert "2025-2026" in job.label and job.label in printed
    _root, info = member(path, "bag-info.txt")
    assert "Retention-Class: " in info.decode("utf-8")


@pytest.mark.parametrize("args", [("--since", "2025-13-01"), ("--semester", "1"), ("--school-year", "2025-2027"),
                                  ("--since", "2026-01-01", "--until", "2025-01-01")])
def test_bad_arguments_exit_2_and_write_nothing(tmp_path, key, workbench, args):
    before = AuditEntry.objects.count()
    with pytest.raises(CommandError) as raised:
        export(tmp_path, *args)
    assert raised.value.returncode == 2
    assert not ArchiveJob.objects.exists() and AuditEntry.objects.count() == before
    assert not (tmp_path / "ho-so.zip").exists()


def test_without_a_signing_key_the_job_fails_and_no_package_is_kept(tmp_path, workbench, media, settings):
    # The demo's setting names a key file that the demo loader makes: none here, whatever ran before.
    settings.VN_ONLINE_TEACHING = dict(settings.VN_ONLINE_TEACHING, ARCHIVE_SIGNING_KEY=str(tmp_path / "none.pem"))
    with pytest.raises(CommandError) as raised:
        export(tmp_path)
    assert raised.value.returncode == 1
    job = ArchiveJob.objects.get()
    assert job.status == ArchiveJob.FAILED and "ARCHIVE_SIGNING_KEY" in job.error and not job.storage_name
    assert not (tmp_path / "ho-so.zip").exists() and not list(media.rglob("*.zip"))
    assert AuditEntry.objects.filter(action="archive.export_failed", object_id=str(job.pk)).exists()


def test_a_job_runs_once(package):
    job = ArchiveJob.objects.get()
    again = jobs.run(job.pk)
    assert again.sha256 == job.sha256 and AuditEntry.objects.filter(action="archive.exported").count() == 1


def test_the_anchor_is_the_chains_head_at_export(package):
    job = ArchiveJob.objects.get()
    seq, digest = audit.parse_anchor(job.anchor)
    assert AuditEntry.objects.get(seq=seq).hash.startswith(digest)


def test_the_documents_for_people_open_as_a_spreadsheet_and_an_a4_print(package):
    """The logbook's XLSX (our own streaming writer) and PDF in a real package: openpyxl reads the
    workbook with its Vietnamese headings in bold, its rows matching the CSV, dates as dates and
    numbers as numbers; the PDF is A4 with the same lessons in extractable Vietnamese."""
    import csv
    import datetime as dt
    import io

    import openpyxl
    from pypdf import PdfReader

    path, _printed = package
    sheet = openpyxl.load_workbook(io.BytesIO(member(path, "data/attendance/logbook.xlsx")[1])).active
    rows = list(csv.reader(io.StringIO(member(path, "data/attendance/logbook.csv")[1].decode("utf-8-sig"))))
    assert sheet.max_row == len(rows) > 1 and sheet.freeze_panes == "A2" and all(c.font.b for c in sheet[1])
    headings = [c.value for c in sheet[1]]
    assert "Ngày" in headings and "Tên bài dạy" in headings
    day = headings.index("Ngày")
    assert isinstance(sheet.cell(2, day + 1).value, dt.datetime)
    assert sheet.cell(2, day + 1).value.date().isoformat() == rows[1][rows[0].index("date")]
    present = rows[0].index("present")
    assert sheet.cell(2, present + 1).value == int(rows[1][present])
    reader = PdfReader(io.BytesIO(member(path, "data/attendance/logbook.pdf")[1]))
    page = reader.pages[0]
    assert sorted((round(float(page.mediabox.width)), round(float(page.mediabox.height)))) == [595, 842]
    title = sheet.cell(2, headings.index("Tên bài dạy") + 1).value
    assert "SỔ ĐẦU BÀI" in page.extract_text() and title.split()[0] in page.extract_text()


def test_a_started_job_is_read_again_as_stored():
    """The block answers with the job as stored after the inline run, not the queued object the
    request created (archive/packages.py ``job_now``)."""
    from types import SimpleNamespace

    from vn_online_teaching.archive import packages
    from vn_online_teaching.core.exporting import Scope

    operator = SimpleNamespace(user_key="", username="op", full_name="Operator", display_name="Operator")
    job = jobs.request(operator, "operator", Scope(ORG), "test")
    ArchiveJob.objects.filter(pk=job.pk).update(status=ArchiveJob.FAILED, error="stopped")
    assert job.status == ArchiveJob.QUEUED
    assert packages.job_now(job.pk).status == ArchiveJob.FAILED and packages.job_now(job.pk).error == "stopped"


def test_another_schools_entries_on_the_server_are_withheld_from_the_package(tmp_path, key, school):
    """A district's server: a neighbouring school's audited changes between this school's fall in
    the segment's stretch; the package gives them by their hashes only, and still verifies."""
    from django.db import transaction
    from types import SimpleNamespace

    with transaction.atomic():
        audit.append("attendance.mark", object_type="mark", object_id="99", org="THCSHoaBinh",
                     actor=SimpleNamespace(user_key="gv_bao", display_name="Lê Văn Bảo"),
                     data={"student": "hs_hoabinh_01"})
    out, _printed = export(tmp_path, "--course", COURSE_KEY)
    _root, segment = member(out, "data/audit/segment.jsonl")
    _root, info = member(out, "bag-info.txt")
    assert b"THCSHoaBinh" not in segment and "Lê Văn Bảo".encode() not in segment and b"hs_hoabinh" not in segment
    assert segment.count(b'"withheld":true') == 1 and b"Audit-Segment-Withheld: 1\n" in info
    assert b'"org":"' + ORG.encode() + b'"' in segment  # this school's entries stay whole
    call_command("verify_archive", str(out), stdout=StringIO())  # exit 0: the chain holds through it
