"""An export whose worker died (a deploy, the out-of-memory killer) or that no worker took: the
records officer's page says it stopped, after ARCHIVE_STALLED_HOURS, instead of "Exporting" for
ever; the end is audited, and a worker that still finishes it makes it done."""
import datetime as dt

import pytest
from django.utils import translation
from vn_online_teaching.archive import jobs, views
from vn_online_teaching.archive.models import ArchiveJob
from vn_online_teaching.core import audit
from vn_online_teaching.core.i18n import catalog
from vn_online_teaching.core.models import AuditEntry, AuditHead

pytestmark = pytest.mark.django_db
USAGE = "block-v1:THPTNamLoi+TOAN10+2025_HK1+type@records_archive+block@ho_so"


@pytest.fixture(autouse=True)
def head():
    AuditHead.objects.get_or_create(pk=1, defaults={"seq": 0, "hash": audit.GENESIS})


def job(status, hours_ago):
    made = ArchiveJob.objects.create(org="THPTNamLoi", usage_key=USAGE, status=status, role="records_officer",
                                     label="Năm học 2025-2026")
    ArchiveJob.objects.filter(pk=made.pk).update(created_at=made.created_at - dt.timedelta(hours=hours_ago))
    return made.pk


def test_a_stalled_export_is_shown_as_stopped_and_the_end_audited():
    dead, lost, alive, done = (job(ArchiveJob.RUNNING, 7), job(ArchiveJob.QUEUED, 30), job(ArchiveJob.RUNNING, 1),
                               job(ArchiveJob.DONE, 48))
    with translation.override("vi"):
        shown = {j["id"]: j for j in views.jobs_list(USAGE)}
    assert (shown[dead]["status"], shown[lost]["status"]) == (ArchiveJob.FAILED, ArchiveJob.FAILED)
    assert shown[dead]["error"] == catalog("vi").gettext(jobs.STALLED) != jobs.STALLED
    assert (shown[alive]["status"], shown[done]["status"]) == (ArchiveJob.RUNNING, ArchiveJob.DONE)
    ended = AuditEntry.objects.filter(action="archive.export_failed").order_by("seq")
    assert {(e.object_id, e.data["was"]) for e in ended} == {(str(dead), "running"), (str(lost), "queued")}
    assert views.jobs_list(USAGE) and ended.count() == 2  # read again: nothing more to end
    assert audit.verify().ok


def test_the_limit_is_a_setting_and_zero_never_ends_a_job(settings):
    stalled = job(ArchiveJob.RUNNING, 3)
    settings.VN_ONLINE_TEACHING = dict(settings.VN_ONLINE_TEACHING, ARCHIVE_STALLED_HOURS=2)
    assert jobs.end_stalled(ArchiveJob.objects.all()) == 1
    ArchiveJob.objects.filter(pk=stalled).update(status=ArchiveJob.RUNNING)
    settings.VN_ONLINE_TEACHING = dict(settings.VN_ONLINE_TEACHING, ARCHIVE_STALLED_HOURS=0)
    assert jobs.end_stalled(ArchiveJob.objects.all()) == 0
