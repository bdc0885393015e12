"""Management commands an operator runs: roster and role imports (all or nothing)."""
import pathlib

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from vn_online_teaching.core.models import AuditEntry, Learner, RoleAssignment

ROSTER = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "meeting-reports" / "roster-10A1.csv"


@pytest.mark.django_db
def test_import_roster_from_the_shared_fixture(capsys):
    call_command("import_roster", str(ROSTER), "--org", "THPTNamLoi")
    assert Learner.objects.filter(org="THPTNamLoi", class_name="10A1").count() == 6
    assert Learner.objects.get(sector_id="7926010004").full_name == "Phạm Minh Đức"
    assert AuditEntry.objects.filter(action="roster.import").count() == 1
    call_command("import_roster", str(ROSTER), "--org", "THPTNamLoi")  # again: updates, no duplicates
    assert Learner.objects.count() == 6


@pytest.mark.django_db
def test_bad_roster_changes_nothing(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(ROSTER.read_text(encoding="utf-8") + "12345,Người Lạ,10A1,x@y.vn,nobody\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_roster", str(bad), "--org", "THPTNamLoi")
    assert not Learner.objects.exists() and not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_import_roles(tmp_path):
    good = tmp_path / "roles.csv"
    good.write_text("username,role,subject\ngv_lan,teacher,Toán\ntt_minh,head,Toán\nht_hung,principal,\n",
                    encoding="utf-8")
    call_command("import_roles", str(good), "--org", "THPTNamLoi")
    assert set(RoleAssignment.objects.values_list("username", "role")) == {
        ("gv_lan", "teacher"), ("tt_minh", "head"), ("ht_hung", "principal")}
    bad = tmp_path / "bad.csv"
    bad.write_text("username,role,subject\ngv_nam,teacher,\ntt_hoa,head,\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_roles", str(bad), "--org", "THPTNamLoi")
    assert RoleAssignment.objects.count() == 3


def test_load_demo_is_idempotent_and_plans_one_timetable(workbench):
    from vn_online_teaching.attendance.models import Lesson, Mark

    call_command("load_demo")
    lessons, marks = Lesson.objects.count(), Mark.objects.count()
    call_command("load_demo")
    assert (Lesson.objects.count(), Mark.objects.count()) == (lessons, marks)
    # one block carries the class's timetable; the other only a lesson running now
    per_block = sorted(Lesson.objects.values("usage_key").annotate(n=Count("id")).values_list("n", flat=True))
    assert per_block[0] == 1 and per_block[-1] > 1
