"""The records_archive block in the workbench, as the demo school's people: the records officer
exports the course, follows the job, downloads (audited) and verifies the package; every other role
gets 403 from every handler and nothing is written (no job, no hold, no disposal, no file, no audit
entry); a legal hold blocks a disposal, and so does a retention that has not passed; a disposal
deletes the package and keeps the job as proof."""
import io
import zipfile
from unittest import mock

import pytest
import xblock.plugin
from helpers import call, render
from test_archive_export import key, media  # noqa: F401 - fixtures
from vn_online_teaching.archive import jobs
from vn_online_teaching.archive.block import HANDLERS, RecordsArchiveBlock
from vn_online_teaching.archive.models import ArchiveJob, Disposal, LegalHold
from vn_online_teaching.core.models import AuditEntry
from vn_online_teaching.demo.load import load_lessons
from xblock.core import XBlock

pytestmark = pytest.mark.django_db
XML = '<records_archive display_name="Lưu trữ hồ sơ — Toán 10A1"/>'
SEMESTER_1 = {"school_year": "2025-2026", "semester": 1}


@pytest.fixture
def usage(workbench):
    """The block in a scenario of its own; the entry point is registered for the test when the
    installed distribution predates it."""
    from workbench.runtime import WorkbenchRuntime

    try:
        XBlock.load_class("records_archive")
        patched = False
    except Exception:  # noqa: BLE001 - PluginMissingError: an install without the new entry point
        point = mock.Mock(dist=mock.Mock(key="test"), load=mock.Mock(return_value=RecordsArchiveBlock), group="xblock.v1")
        point.name = "records_archive"
        old, old_cache = list(XBlock.extra_entry_points), xblock.plugin.PLUGIN_CACHE
        XBlock.extra_entry_points.append(("records_archive", point))
        xblock.plugin.PLUGIN_CACHE = {}
        patched = True
    runtime = WorkbenchRuntime()
    runtime.id_generator.set_scenario("luu-tru-test")
    yield runtime.parse_xml_string(XML)
    if patched:
        XBlock.extra_entry_points = old
        xblock.plugin.PLUGIN_CACHE = old_cache


@pytest.fixture
def lessons(usage):
    assert load_lessons()


def exported(usage, who="vt_thu"):
    status, body = call(usage, who, "export", SEMESTER_1)
    assert status == 200, body
    return body["job"]


BAD_INPUT = {"export": SEMESTER_1, "jobs": {}, "verify": {"job": 1}, "hold": dict(SEMESTER_1, reason="Thanh tra"),
             "release": {"hold": 1, "reason": "Xong"}, "dispose": {"job": 1, "record_types": [], "reason": "QĐ 12"}}


def written():
    return (ArchiveJob.objects.count(), LegalHold.objects.count(), Disposal.objects.count(),
            AuditEntry.objects.count())


@pytest.mark.parametrize("who", ["gv_lan", "tt_minh", "hs_anh", "nobody"])
def test_every_handler_refuses_other_roles_and_writes_nothing(usage, key, media, who):
    job = exported(usage)  # a finished package exists, so a refusal is not "not found"
    hold = call(usage, "vt_thu", "hold", dict(SEMESTER_1, reason="Thanh tra của Sở"))[1]["hold"]
    before, files = written(), sorted(media.rglob("*"))
    assert set(HANDLERS) == set(BAD_INPUT) | {"download"}
    for handler in HANDLERS:
        if handler == "download":
            status, body = call(usage, who, "download", method="GET", query=f"job={job['id']}")
        else:
            data = dict(BAD_INPUT[handler], **({"job": job["id"]} if "job" in BAD_INPUT[handler] else {}),
                        **({"hold": hold["id"]} if "hold" in BAD_INPUT[handler] else {}))
            status, body = call(usage, who, handler, data)
        assert status == 403, (handler, body)
        assert body["error"] == "forbidden"
    assert written() == before and sorted(media.rglob("*")) == files


def test_the_records_officer_exports_downloads_and_verifies(usage, key, media, lessons):
    job = exported(usage)
    assert job["status"] == "done" and job["downloadable"] and job["records"] > 0
    status, listed = call(usage, "ht_hung", "jobs", {})
    assert status == 200 and [j["id"] for j in listed["jobs"]] == [job["id"]]
    row = ArchiveJob.objects.get(pk=job["id"])
    assert row.role == "records_officer" and row.course_keys and row.steps_done == row.steps_total > 0

    downloads = AuditEntry.objects.filter(action="archive.download").count()
    status, body = call(usage, "ht_hung", "download", method="GET", query=f"job={job['id']}")
    assert status == 200 and body[:2] == b"PK"
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        assert any(n.endswith("data/attendance/marks.csv") for n in archive.namelist())
    entry = AuditEntry.objects.filter(action="archive.download").last()
    assert AuditEntry.objects.filter(action="archive.download").count() == downloads + 1
    assert entry.actor_key == "ht_hung" and entry.actor_role == "principal" and entry.data["sha256"] == row.sha256

    status, result = call(usage, "vt_thu", "verify", {"job": job["id"]})
    assert status == 200 and result["valid"] and not result["problems"]
    assert AuditEntry.objects.filter(action="archive.verify", object_id=str(job["id"])).last().data["valid"] is True


def test_a_changed_stored_package_fails_verification(usage, key, media):
    job = exported(usage)
    path = next(media.rglob("*.zip"))
    data = bytearray(path.read_bytes())
    data[len(data) // 3] ^= 1
    path.write_bytes(bytes(data))
    status, result = call(usage, "vt_thu", "verify", {"job": job["id"]})
    assert status == 200 and not result["valid"] and result["problems"]
    assert AuditEntry.objects.filter(action="archive.verify").last().data["valid"] is False


def test_a_hold_blocks_disposal_and_retention_too(usage, key, media, settings, django_capture_on_commit_callbacks):
    job = exported(usage)
    hold = call(usage, "vt_thu", "hold", dict(SEMESTER_1, reason="Thanh tra của Sở GD&ĐT"))[1]["hold"]
    refused = call(usage, "ht_hung", "dispose", {"job": job["id"], "record_types": [], "reason": "QĐ số 12"})
    assert refused[0] == 409 and refused[1]["error"] == "held"
    assert call(usage, "vt_thu", "release", {"hold": hold["id"], "reason": "Đã kết thúc thanh tra"})[0] == 200
    assert call(usage, "vt_thu", "release", {"hold": hold["id"], "reason": "Lần nữa"})[0] == 409
    refused = call(usage, "ht_hung", "dispose", {"job": job["id"], "record_types": ["assessment"], "reason": "QĐ"})
    assert refused[0] == 409 and refused[1]["error"] == "not_expired"  # permanent by default
    assert not Disposal.objects.exists()

    # Every record type's retention over: the package goes with a decision naming them all (one that
    # names only some keeps the package, which still holds the others: test_archive_disposal.py).
    settings.VN_ONLINE_TEACHING = dict(settings.VN_ONLINE_TEACHING, ARCHIVE_RETENTION=dict.fromkeys(
        ("teaching_process", "teaching_plans", "assessment", "materials"), 0))
    with django_capture_on_commit_callbacks(execute=True):
        status, body = call(usage, "ht_hung", "dispose", {"job": job["id"], "record_types": [],
                                                          "reason": "Quyết định tiêu hủy số 12/QĐ-THPT"})
    assert status == 200, body
    disposal = Disposal.objects.get()
    assert disposal.job_id == job["id"] and disposal.decided_by_key == "ht_hung" and disposal.role == "principal"
    assert disposal.deleted["vn_online_teaching.ArchivePackage"] == 1 and not list(media.rglob("*.zip"))
    kept = ArchiveJob.objects.get(pk=job["id"])
    assert kept.sha256 and kept.package_deleted_at is not None  # the proof stays
    assert call(usage, "vt_thu", "download", method="GET", query=f"job={job['id']}")[0] == 409
    assert AuditEntry.objects.filter(action="archive.dispose").get().data["package_sha256"] == kept.sha256


def test_course_staff_only_where_the_school_allows_it(usage, key, settings):
    assert call(usage, "gv_lan", "export", SEMESTER_1)[0] == 403
    settings.VN_ONLINE_TEACHING = dict(settings.VN_ONLINE_TEACHING, ARCHIVE_COURSE_STAFF_ACTIONS=(
        "archive.export", "archive.hold", "archive.dispose"))
    job = exported(usage, "gv_lan")
    assert ArchiveJob.objects.get(pk=job["id"]).role == "course_staff"
    assert call(usage, "gv_lan", "hold", dict(SEMESTER_1, reason="x"))[0] == 403  # never holds or disposals
    assert call(usage, "hs_anh", "export", SEMESTER_1)[0] == 403


def test_bad_scope_is_refused_and_nothing_is_written(usage, key):
    before = written()
    for data in ({"school_year": "2025-2027"}, {"semester": 2}, {"since": "2026-02-01", "until": "2026-01-01"},
                 {"since": "01/02/2026"}):
        status, body = call(usage, "vt_thu", "export", data)
        assert status == 400, (data, body)
    assert written() == before


def test_a_failure_half_way_leaves_no_package(usage, key, media, monkeypatch):
    def broken(scope):
        yield from ()
        raise RuntimeError("database went away")

    real = jobs.exporting.features()
    monkeypatch.setattr(jobs.exporting, "features", lambda: real + (real[0].__class__("zz", broken, broken,
                                                                                      lambda s: {}),))
    job = exported(usage)
    assert job["status"] == "failed" and "database went away" in ArchiveJob.objects.get(pk=job["id"]).error
    assert not list(media.rglob("*.zip")) and not job["downloadable"]
    assert call(usage, "vt_thu", "download", method="GET", query=f"job={job['id']}")[0] == 409


def test_the_pages(usage, key):
    exported(usage)
    html = render(usage, "vt_thu")
    assert "vnot-arc-export" in html and "vnot-arc-dispose" in html and "2025-2026" in html
    refused = render(usage, "gv_lan")
    assert "vnot-arc-export" not in refused and "vnot-note" in refused


def test_progress_is_saved_while_the_job_runs(usage, key, lessons, settings, monkeypatch):
    settings.VN_ONLINE_TEACHING = dict(settings.VN_ONLINE_TEACHING, ARCHIVE_PROGRESS_ROWS=2)
    seen = []
    save = jobs.Progress.save

    def spy(progress):
        save(progress)
        seen.append(ArchiveJob.objects.filter(pk=progress.job_id).values_list("steps_done", "steps_total",
                                                                              "step", "status").get())

    monkeypatch.setattr(jobs.Progress, "save", spy)
    job = exported(usage)
    assert all(status == "running" for *_rest, status in seen)
    done = [d for d, _total, _step, _status in seen]
    assert done == sorted(done) and seen[-1][0] == seen[-1][1] > 10
    assert any(step.endswith("(2)") for _d, _t, step, _s in seen)  # rows within a table, every 2
    assert ArchiveJob.objects.get(pk=job["id"]).steps_done == seen[-1][1]


def test_with_a_broker_the_export_goes_to_celery_after_the_commit(usage, key, settings, monkeypatch,
                                                                  django_capture_on_commit_callbacks):
    from vn_online_teaching.archive import tasks

    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    queued = []
    monkeypatch.setattr(tasks.export_archive, "delay", lambda *args: queued.append(args))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = exported(usage)
    assert job["status"] == "queued" and not queued and len(callbacks) == 1  # not before the row is committed
    callbacks[0]()
    assert queued == [(job["id"],)]
    tasks.export_archive.run(job["id"])  # what the worker runs
    assert ArchiveJob.objects.get(pk=job["id"]).status == "done"
