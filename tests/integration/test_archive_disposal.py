"""A disposal decision deletes the live records it covers, and nothing else (archive/holds.py,
core/disposing.py, each feature's ``export.dispose``).

The school of the completeness test (a record of every type, in the Mathematics course) is copied
into a second course, files included, so that every feature has records in two courses. A
disposal of the first course, resting on a verified export of it, deletes exactly the records the
export counted (per model: before − after = the export's count = the decision's count) with their
stored files, keeps the other course, the roster, the roles, the audit chain (it still verifies)
and the job row; it is refused while a hold stands, without a covering export, and for roles
without ``archive.dispose``; a failure in one feature deletes nothing in any."""
import datetime as dt

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from helpers import call
from test_archive_block import exported as export_from_block
from test_archive_block import usage  # noqa: F401 - fixture
from test_archive_export import key, media  # noqa: F401 - fixtures
from test_export_completeness import make_test, person, school  # noqa: F401 - fixture
from vn_online_teaching.archive import holds, jobs
from vn_online_teaching.archive import settings as archive_settings
from vn_online_teaching.archive.models import ArchiveJob, Disposal, LegalHold
from vn_online_teaching.assessment import sitting
from vn_online_teaching.attendance.models import Lesson, Mark, MarkChange
from vn_online_teaching.core import audit, disposing, exporting, registry, roles
from vn_online_teaching.core.errors import RequestError
from vn_online_teaching.core.exporting import Scope
from vn_online_teaching.core.models import AuditEntry
from vn_online_teaching.demo.load import load_lessons
from vn_online_teaching.demo.people import COURSE_KEY, ORG
from vn_online_teaching.material import attachments
from vn_online_teaching.material.models import Attachment, MaterialState

pytestmark = pytest.mark.django_db
APP = "vn_online_teaching"
OTHER = COURSE_KEY.replace("TOAN10", "TOAN11")  # the second course: the same records, copied
UNTIL = dt.date(dt.date.today().year + 2, 12, 31)  # after every record of the fixture (the demo series: a month)
TODAY = UNTIL + dt.timedelta(days=1)  # the day of the decision: the retention (0 years here) has passed
EVERY_TYPE = list(archive_settings.RECORD_TYPES)
REASON = "Quyết định tiêu hủy số 12/QĐ-THPT ngày 02/01/2028"
SCOPE = Scope(ORG, (COURSE_KEY,), until=UNTIL)
KEPT = Scope(ORG, (OTHER,), until=UNTIL)


def _moved(value):
    """A course key or usage key of the first course as the second course's."""
    if not value:
        return value
    return value.replace("TOAN10", "TOAN11") if "TOAN10" in value else f"{value}-toan11"


# What no disposal deletes: the core's lists (roster, roles) and the archive's own records (the
# jobs, holds and disposal decisions are the proof of what was kept and destroyed).
KEPT_WHOLE = {registry.CORE, "archive"}


def _copy_file(name):
    with default_storage.open(name, "rb") as handle:
        return default_storage.save(f"{name}-toan11", ContentFile(handle.read()))


def copy_course():
    """Every feature record of the first course copied into the second (parents first, the
    references remapped, usage keys moved, files stored again), plus one attachment of the second
    course that shares the first course's file, as a copy of a block does. Returns that file."""
    copies = {}
    for name, module in registry.export_modules():
        if name in KEPT_WHOLE:
            continue
        later = set()
        for model in reversed(disposing.deletion_order(module.QUERIES)):
            copies[model] = {}
            for row in list(module.QUERIES[model](Scope(ORG, (COURSE_KEY,))).order_by("pk")):
                old = row.pk
                row.pk = None
                row._state.adding = True
                for field in model._meta.concrete_fields:
                    value = getattr(row, field.attname)
                    if field.is_relation and value is not None:
                        mapped = copies.get(field.related_model, {}).get(value)
                        if mapped is None:
                            assert field.null, f"{model.__name__}.{field.name} refers to an uncopied record"
                            later.add((model, field.attname))
                        setattr(row, field.attname, mapped)
                    elif field.name in ("course_key", "usage_key"):
                        setattr(row, field.attname, _moved(value))
                    elif field.name == "request_id" and value:
                        setattr(row, field.attname, f"{value}-toan11")
                    elif field.name == "storage_name":
                        setattr(row, field.attname, _copy_file(value))
                row.save()
                copies[model][old] = row.pk
        for model, attname in later:  # a material's approved version, copied after it
            for old, new in copies[model].items():
                target = model.objects.filter(pk=old).values_list(attname, flat=True).get()
                if target is not None:
                    remote = model._meta.get_field(attname.removesuffix("_id")).related_model
                    model.objects.filter(pk=new).update(**{attname: copies[remote][target]})
    shared = Attachment.objects.filter(usage_key__in=MaterialState.objects.filter(course_key=COURSE_KEY)
                                       .values("usage_key")).order_by("pk").first()
    other_material = MaterialState.objects.filter(course_key=OTHER).exclude(
        usage_key=_moved(shared.usage_key)).first()
    Attachment.objects.create(usage_key=other_material.usage_key, sha256=shared.sha256, name=shared.name,
                              mime=shared.mime, size=shared.size, storage_name=shared.storage_name,
                              uploaded_by="gv_lan")
    return shared.storage_name


def complete_first_course():
    """What the completeness school has only in another course or once: a remote decision, and a
    second attachment (with a file of its own) on another material."""
    sitting.decide_remote(make_test(COURSE_KEY.replace("course-v1", "block-v1") + "+type@periodic_assessment"
                                    "+block@remote_toan", mode="remote"), person("ht_hung"),
                          "Lũ lụt, đường bị chia cắt", ["hs_chau"])
    material = MaterialState.objects.filter(course_key=COURSE_KEY).exclude(
        usage_key__in=Attachment.objects.values("usage_key")).order_by("pk").first()
    attachments.store(material.usage_key, "Đề cương ôn tập.docx", "application/octet-stream",
                      b"PK de cuong on tap", person("gv_lan"))


@pytest.fixture
def two_courses(school, media, settings):
    LegalHold.objects.filter(org=ORG).update(released_at=timezone.now(), release_reason="Xong")  # the fixture's
    complete_first_course()
    shared = copy_course()
    settings.VN_ONLINE_TEACHING = dict(settings.VN_ONLINE_TEACHING,
                                       ARCHIVE_RETENTION=dict.fromkeys(EVERY_TYPE, 0))
    return shared


def feature_models():
    return [model for name, module in registry.export_modules() if name not in KEPT_WHOLE
            for model in module.QUERIES]


def in_database():
    return {model._meta.label: model.objects.count() for model in apps.get_app_config(APP).get_models()}


def counted(scope):
    totals = {}
    for exporter in exporting.features():
        totals.update(exporter.counts(scope))
    return totals


def rows_of(scope):
    """{model label: primary keys} of every feature's records of ``scope``."""
    return {model._meta.label: set(query(scope).values_list("pk", flat=True))
            for name, module in registry.export_modules() if name not in KEPT_WHOLE
            for model, query in module.QUERIES.items()}


def files_of(course_key):
    """The stored files the records of a course name (attachments and meeting reports)."""
    attachments = Attachment.objects.filter(usage_key__in=MaterialState.objects.filter(course_key=course_key)
                                            .values("usage_key"))
    reports = apps.get_model(APP, "MeetingReport").objects.filter(lesson__course_key=course_key)
    return set(attachments.values_list("storage_name", flat=True)) | set(reports.values_list("storage_name", flat=True))


def export(scope=SCOPE):
    job = jobs.request(person("vt_thu"), "records_officer", scope, "Toán 10 (2025-2027)")
    job = jobs.run(job.pk)
    assert job.status == ArchiveJob.DONE, job.error
    return job


def place(course_key=COURSE_KEY):
    return roles.Place(org=ORG, course_key=course_key)


def dispose(job, who="ht_hung", record_types=EVERY_TYPE):
    return holds.dispose(person(who), place(), job.pk, record_types, REASON, today=TODAY)


def refused(job, code, **kwargs):
    before, disposals = in_database(), Disposal.objects.count()
    with pytest.raises(RequestError) as caught:
        dispose(job, **kwargs)
    assert caught.value.code == code, caught.value.code
    assert in_database() == before and Disposal.objects.count() == disposals
    return caught.value


def test_a_disposal_deletes_exactly_the_records_of_its_export(two_courses, key, media,
                                                             django_capture_on_commit_callbacks):
    shared = two_courses
    job = export()
    exported = job.counts["records"]
    assert exported == counted(SCOPE)
    assert all(exported[model._meta.label] > 0 for model in feature_models()), exported  # every feature, every model
    before, other, other_files = in_database(), rows_of(KEPT), files_of(OTHER)
    assert other == rows_of(Scope(ORG, (OTHER,))) and all(other.values())
    mine = files_of(COURSE_KEY)
    assert mine and other_files and shared in mine and shared in other_files
    assert all(default_storage.exists(name) for name in mine | other_files)

    with django_capture_on_commit_callbacks(execute=True):
        disposal = dispose(job)

    after = in_database()
    for model in feature_models():
        name = model._meta.label
        assert before[name] - after[name] == exported[name] == disposal.deleted[name], name
    assert not any(counted(SCOPE)[model._meta.label] for model in feature_models())
    assert rows_of(KEPT) == other and files_of(OTHER) == other_files  # the other course untouched
    for name in (f"{APP}.Learner", f"{APP}.RoleAssignment"):  # the school's current lists stay
        assert after[name] == before[name] > 0 and name not in disposal.deleted
    for name in mine - other_files:
        assert not default_storage.exists(name), name
    assert all(default_storage.exists(name) for name in other_files)  # the shared file too

    assert disposal.deleted[holds.PACKAGE_LABEL] == 1 and not list(media.rglob("*.zip"))
    kept = ArchiveJob.objects.get(pk=job.pk)
    assert kept.sha256 == job.sha256 and kept.counts == job.counts and kept.package_deleted_at is not None
    assert disposal.job_id == job.pk and disposal.reason == REASON and disposal.decided_by_key == "ht_hung"
    assert disposal.role == "principal" and disposal.record_types == EVERY_TYPE and disposal.until == UNTIL
    entry = AuditEntry.objects.filter(action="archive.dispose").get()
    assert entry.actor_key == "ht_hung" and entry.object_id == str(disposal.pk)
    assert entry.data["deleted"] == disposal.deleted and entry.data["reason"] == REASON
    assert entry.data["kept"] == {} and set(entry.data["kept_whole"]) == KEPT_WHOLE
    assert entry.data["package_sha256"] == job.sha256 and entry.data["course_keys"] == [COURSE_KEY]
    assert audit.verify().ok  # the chain is never cut: every entry about the deleted records stays
    assert AuditEntry.objects.count() == before[f"{APP}.AuditEntry"] + 1


def test_records_that_later_records_need_stay(two_courses, key, media, django_capture_on_commit_callbacks):
    """A scope ending before today: the mark changed today (outside it) keeps its mark and lesson;
    everything else of those days goes, and the decision says what it kept."""
    first = Lesson.objects.filter(course_key=COURSE_KEY).order_by("date", "period").first()
    changes = set(MarkChange.objects.filter(mark__lesson=first).values_list("pk", flat=True))
    changed = Mark.objects.filter(lesson=first, changes__isnull=False).distinct().count()
    second = Lesson.objects.filter(course_key=COURSE_KEY, date=first.date).exclude(pk=first.pk).first()
    Mark.objects.create(lesson=second, user_key="hs_anh", status="present", source="import")  # never changed
    scope = Scope(ORG, (COURSE_KEY,), until=first.date)
    job = export(scope)
    exported = job.counts["records"]
    assert exported[f"{APP}.Mark"] > changed > 0 and exported[f"{APP}.MarkChange"] == 0  # the changes are today's
    assert exported[f"{APP}.Lesson"] > 1 and exported[f"{APP}.LogbookEntry"] and exported[f"{APP}.MeetingReport"]
    with django_capture_on_commit_callbacks(execute=True):
        disposal = holds.dispose(person("ht_hung"), place(), job.pk, EVERY_TYPE, REASON, today=TODAY)
    assert Lesson.objects.filter(pk=first.pk).exists()
    assert set(MarkChange.objects.filter(mark__lesson=first).values_list("pk", flat=True)) == changes
    left = counted(scope)
    assert left[f"{APP}.Lesson"] == 1 and left[f"{APP}.Mark"] == changed  # the changed marks and their lesson
    assert disposal.deleted[f"{APP}.Mark"] == exported[f"{APP}.Mark"] - changed
    assert disposal.deleted[f"{APP}.Lesson"] == exported[f"{APP}.Lesson"] - 1
    assert left[f"{APP}.LogbookEntry"] == left[f"{APP}.MeetingReport"] == left[f"{APP}.CodeAttempt"] == 0
    entry = AuditEntry.objects.filter(action="archive.dispose").get()
    assert entry.data["kept"] == {f"{APP}.Lesson": 1, f"{APP}.Mark": changed}


def test_only_the_record_types_named_are_deleted(two_courses, key, media, django_capture_on_commit_callbacks):
    job = export()
    exported = job.counts["records"]
    before = in_database()
    with django_capture_on_commit_callbacks(execute=True):
        disposal = dispose(job, record_types=["teaching_process"])
    after = in_database()
    for name in ("Mark", "MarkChange", "LogbookEntry", "CodeAttempt", "MeetingReport"):
        assert before[f"{APP}.{name}"] - after[f"{APP}.{name}"] == exported[f"{APP}.{name}"] > 0, name
    for name in ("Lesson", "Sitting", "Attempt", "MaterialState", "Attachment"):  # a lesson is a plan too
        assert after[f"{APP}.{name}"] == before[f"{APP}.{name}"], name
    assert disposal.deleted[holds.PACKAGE_LABEL] == 0 and list(media.rglob("*.zip"))  # it holds kept types
    assert ArchiveJob.objects.get(pk=job.pk).package_deleted_at is None


def test_the_principal_disposes_from_the_block(usage, key, media, settings,  # noqa: F811 - the block fixture
                                              django_capture_on_commit_callbacks):
    """The block's route, with the real day: a semester's export; what a disposal does not delete
    (the first lesson's marks, changed after the semester) is named as kept, so for every kind of
    record deleted + kept = exported."""
    assert load_lessons()
    settings.VN_ONLINE_TEACHING = dict(settings.VN_ONLINE_TEACHING, ARCHIVE_RETENTION=dict.fromkeys(EVERY_TYPE, 0))
    job = export_from_block(usage)
    records = ArchiveJob.objects.get(pk=job["id"]).counts["records"]
    assert records[f"{APP}.Lesson"] == 3 and records[f"{APP}.Mark"] > 0  # 8 September's lessons
    with django_capture_on_commit_callbacks(execute=True):
        status, body = call(usage, "ht_hung", "dispose", {"job": job["id"], "record_types": [], "reason": REASON})
    assert status == 200, body
    disposal = Disposal.objects.get(pk=body["disposal"]["id"])
    kept = AuditEntry.objects.filter(action="archive.dispose").get().data["kept"]
    reached = [model._meta.label for model in feature_models()]
    assert all(disposal.deleted[name] + kept.get(name, 0) == records[name] for name in reached)
    assert disposal.deleted[f"{APP}.Lesson"] == 2 and kept == {f"{APP}.Lesson": 1, f"{APP}.Mark": records[f"{APP}.Mark"]}
    assert body["disposal"]["deleted"] == sum(disposal.deleted.values()) and not list(media.rglob("*.zip"))


def test_refused_while_a_hold_stands(two_courses, key, media):
    job = export()
    hold = holds.place_hold(person("vt_thu"), place(), Scope(ORG, (COURSE_KEY,), dt.date(2025, 9, 1),
                                                             dt.date(2025, 9, 30)), "Thanh tra", "Thanh tra của Sở")
    files = sorted(media.rglob("*"))
    refused(job, "held")
    assert sorted(media.rglob("*")) == files
    holds.release_hold(person("vt_thu"), place(), hold.pk, "Đã kết thúc thanh tra")
    assert dispose(job).deleted[f"{APP}.Lesson"] > 0


def test_refused_without_an_export_that_covers_it(two_courses, key, media):
    job = export()
    queued = jobs.request(person("vt_thu"), "records_officer", SCOPE, "x")
    refused(queued, "not_done")

    counts = dict(job.counts, records={k: v for k, v in job.counts["records"].items() if "Sitting" not in k})
    ArchiveJob.objects.filter(pk=job.pk).update(counts=counts)  # as if made before tests were exported
    refused(job, "not_covered")
    ArchiveJob.objects.filter(pk=job.pk).update(counts=job.counts)

    first = Lesson.objects.filter(course_key=COURSE_KEY).first()
    added = Lesson.objects.create(**{f.attname: getattr(first, f.attname) for f in Lesson._meta.concrete_fields
                                     if not f.primary_key} | {"period": 9})
    refused(job, "changed_since")  # the package does not hold the lesson planned since
    Lesson.objects.filter(pk=added.pk).delete()

    path = next(media.rglob("*.zip"))
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 1
    path.write_bytes(bytes(data))
    refused(job, "bad_package")
    path.unlink()
    refused(job, "no_package")


def test_refused_when_records_were_swapped_or_changed_since_the_export(two_courses, key, media):
    """The same count is not the same records: a lesson deleted and another planned since, or a
    mark corrected after the export, are not in the package as they are now."""
    first = Lesson.objects.filter(course_key=COURSE_KEY).first()
    copy = {f.attname: getattr(first, f.attname) for f in Lesson._meta.concrete_fields if not f.primary_key}
    planned = Lesson.objects.create(**copy | {"period": 9})
    job = export()
    assert set(job.counts["state"]) == set(job.counts["records"])
    planned.delete()
    swapped = Lesson.objects.create(**copy | {"period": 8})  # the same count, a lesson the package does not hold
    refused(job, "changed_since")
    swapped.delete()

    mark = Mark.objects.filter(lesson__course_key=COURSE_KEY).order_by("pk").first()
    Mark.objects.filter(pk=mark.pk).update(updated_at=timezone.now())  # corrected after the export
    refused(job, "changed_since")


def test_refused_for_roles_without_the_right(two_courses, key, media, usage):  # noqa: F811 - the block fixture
    job = export()
    before, files = in_database(), sorted(media.rglob("*"))
    for who in ("gv_lan", "tt_minh", "hs_anh", "nobody"):
        status, body = call(usage, who, "dispose", {"job": job.pk, "record_types": [], "reason": REASON})
        assert status == 403 and body["error"] == "forbidden", (who, body)
        if who != "nobody":
            with pytest.raises(RequestError) as caught:
                dispose(job, who=who)
            assert caught.value.status == 403
    assert in_database() == before and sorted(media.rglob("*")) == files


def test_a_failure_in_one_feature_deletes_nothing(two_courses, key, media, monkeypatch,
                                                  django_capture_on_commit_callbacks):
    job = export()
    module = dict(registry.export_modules())["attendance"]
    real = module.dispose

    def broken(scope, record_types):
        real(scope, record_types)  # its deletions are made, then it fails
        raise RuntimeError("database went away")

    monkeypatch.setattr(module, "dispose", broken)
    before, files, disposals = in_database(), sorted(media.rglob("*")), Disposal.objects.count()
    assert [e.name for e in exporting.features()].index("assessment") < [e.name for e in exporting.features()].index(
        "attendance")  # the assessment records are deleted before the failure
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        dispose(job)
    assert not callbacks  # no file deletion was left to run
    assert in_database() == before and sorted(media.rglob("*")) == files and Disposal.objects.count() == disposals
    assert ArchiveJob.objects.get(pk=job.pk).package_deleted_at is None


def test_every_feature_disposes_and_names_its_record_types():
    """Each feature's models declare record types the archive knows for that feature, in an order
    that deletes children first; the core keeps its lists."""
    exporters = {e.name: e for e in exporting.features()}
    assert all(exporters[name].dispose is None for name in KEPT_WHOLE)
    for name, module in registry.export_modules():
        if name in KEPT_WHOLE:
            continue
        assert exporters[name].dispose is module.dispose
        order = disposing.deletion_order(module.QUERIES)
        assert set(order) == set(module.QUERIES)
        for i, model in enumerate(order):
            for field in model._meta.concrete_fields:
                if field.is_relation and not field.null and field.related_model in module.QUERIES:
                    assert order.index(field.related_model) > i, (model, field.name)
        types = getattr(module, "RECORD_TYPES", None)
        if types is not None:
            assert set(types) >= set(module.QUERIES) - {Attachment}
            assert {kind for kinds in types.values() for kind in kinds} <= set(archive_settings.record_types_of(name))
