"""Importing school roles from CSV (core/role_import.py), all or nothing."""
import pytest

from vn_online_teaching.core.errors import RequestError
from vn_online_teaching.core.models import AuditEntry, RoleAssignment
from vn_online_teaching.core.role_import import import_roles

ORG = "THPTNamLoi"
GOOD = "username,role,subject\ngv_lan,teacher,Toán\ntt_minh,head,Toán\nht_hung,principal,\nvt_thu,records_officer,\n"


def data(text):
    return text.encode("utf-8")


def assignments():
    return set(RoleAssignment.objects.values_list("org", "user_key", "username", "role", "subject"))


@pytest.mark.django_db
def test_a_good_file_imports_every_row():
    report = import_roles(data(GOOD), ORG)
    assert report.ok and report.created == 4 and report.errors == []
    assert assignments() == {
        (ORG, "gv_lan", "gv_lan", "teacher", "Toán"),
        (ORG, "tt_minh", "tt_minh", "head", "Toán"),
        (ORG, "ht_hung", "ht_hung", "principal", ""),
        (ORG, "vt_thu", "vt_thu", "records_officer", ""),
    }
    entry = AuditEntry.objects.get(action="roles.import")
    assert (entry.object_type, entry.object_id, entry.org) == ("roles", ORG, ORG)
    assert entry.data == {"created": 4, "rows": 4}


@pytest.mark.django_db
def test_a_re_import_adds_nothing_twice():
    import_roles(data(GOOD), ORG)
    report = import_roles(data(GOOD + "gv_nam,teacher,Ngữ văn\n"), ORG)
    assert report.ok and report.created == 1
    assert RoleAssignment.objects.count() == 5
    assert AuditEntry.objects.get(seq=2).data == {"created": 1, "rows": 5}


@pytest.mark.django_db
def test_headers_and_roles_ignore_case_and_subject_is_optional():
    report = import_roles(data("Username,ROLE\ngv_lan,Teacher\n"), ORG)
    assert report.ok and report.created == 1
    assert assignments() == {(ORG, "gv_lan", "gv_lan", "teacher", "")}


@pytest.mark.django_db
def test_homeroom_teachers_carry_their_class():
    assert import_roles(data("username,role,subject\ngv_nam,homeroom,10A1\n"), ORG).ok
    assert assignments() == {(ORG, "gv_nam", "gv_nam", "homeroom", "10A1")}


@pytest.mark.django_db
@pytest.mark.parametrize("bad_row, error", [
    ("gv_nam,admin,\n", (5, "Unknown role: {value}", {"value": "admin"})),
    ("hs_anh,student,\n", (5, "Unknown role: {value}", {"value": "student"})),
    ("gv_nam,,\n", (5, "Unknown role: {value}", {"value": ""})),
    ("tt_hoa,head,\n", (5, "A subject group head needs a subject.", {})),
    ("nobody,teacher,Toán\n", (5, "No user account with username {value}.", {"value": "nobody"})),
    (",teacher,Toán\n", (5, "No user account with username {value}.", {"value": ""})),
    ("GV_NAM,teacher,Ngữ văn\n", (5, "No user account with username {value}.", {"value": "GV_NAM"})),
    ("gv_lan,TEACHER,toán\n", (5, "Duplicate {column} (also on line {other}): {value}",
                               {"column": "role", "other": 2, "value": "gv_lan"})),
])
def test_one_bad_row_imports_nothing(bad_row, error):
    text = "username,role,subject\ngv_lan,teacher,Toán\ntt_minh,head,Toán\nht_hung,principal,\n" + bad_row
    report = import_roles(data(text), ORG)
    assert not report.ok
    assert report.errors == [error]
    assert report.created == 0
    assert RoleAssignment.objects.count() == 0
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_the_same_person_may_hold_several_roles():
    report = import_roles(data("username,role,subject\ntt_minh,teacher,Toán\ntt_minh,head,Toán\n"
                               "tt_minh,head,Vật lí\n"), ORG)
    assert report.ok and report.created == 3


@pytest.mark.django_db
def test_every_problem_is_reported():
    report = import_roles(data("username,role,subject\nnobody,boss,\ntt_hoa,head,\n"), ORG)
    assert report.errors == [
        (2, "Unknown role: {value}", {"value": "boss"}),
        (2, "No user account with username {value}.", {"value": "nobody"}),
        (3, "A subject group head needs a subject.", {}),
    ]


@pytest.mark.django_db
def test_dry_run_writes_nothing():
    report = import_roles(data(GOOD), ORG, dry_run=True)
    assert report.ok and report.created == 0
    assert RoleAssignment.objects.count() == 0 and not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_a_file_without_the_role_column_is_refused():
    with pytest.raises(RequestError) as exc:
        import_roles(data("username,subject\ngv_lan,Toán\n"), ORG)
    assert exc.value.code == "missing_column" and exc.value.params == {"column": "role"}
