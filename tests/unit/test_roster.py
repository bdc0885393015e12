"""The school roster (core/roster.py): row checks and the all-or-nothing import."""
import pytest
from django.utils import translation

from vn_online_teaching.core.errors import RequestError
from vn_online_teaching.core.models import AuditEntry, Learner
from vn_online_teaching.core.roster import ImportReport, check_rows, import_roster, learners, name_of
from vn_online_teaching.core.tabular import read_csv

ORG = "THPTNamLoi"
HEADER = "sector_id,full_name,class_name,email,username\n"
ANH = "7926010001,Nguyễn Thị Ánh,10A1,anh.nt@thptnamloi.edu.vn,hs_anh\n"
BINH = "7926010002,Trần Văn Bình,10A1,binh.tv@thptnamloi.edu.vn,hs_binh\n"
CHAU = "7926010003,Lê Hoàng Châu,10A2,,hs_chau\n"

SECTOR_MSG = "Sector ID must be 10 to 12 digits: {value}"
CLASS_MSG = "Class name is not valid: {value}"
DUP_MSG = "Duplicate {column} (also on line {other}): {value}"
NO_USER_MSG = "No user account with username {value}."


def rows(*lines):
    return read_csv((HEADER + "".join(lines)).encode("utf-8"), ["sector_id"])


def errors(*lines, allow_unknown_users=False):
    report, _cleaned = check_rows(rows(*lines), ORG, allow_unknown_users)
    return report.errors


def test_good_rows():
    report, cleaned = check_rows(rows(ANH, BINH, CHAU), ORG)
    assert report.ok and report.errors == [] and report.warnings == []
    assert cleaned[0] == {"sector_id": "7926010001", "full_name": "Nguyễn Thị Ánh", "class_name": "10A1",
                          "email": "anh.nt@thptnamloi.edu.vn", "username": "hs_anh", "user_key": "hs_anh"}
    assert cleaned[2]["email"] == ""


@pytest.mark.parametrize("sector_id", ["7926010001", "79260100011", "792601000112"])
def test_sector_ids_of_10_to_12_digits(sector_id):
    assert errors(f"{sector_id},Nguyễn Thị Ánh,10A1,,hs_anh\n") == []


@pytest.mark.parametrize("sector_id", ["792601000", "7926010001123", "79260100A1", "7926 010001", "", "-792601000",
                                       "７９２６０１０００１", "٧٩٢٦٠١٠٠٠١"])
def test_bad_sector_ids(sector_id):
    """Full-width and Arabic-Indic digits are digits for Python's \\d, not for the sector database."""
    assert errors(f"{sector_id},Nguyễn Thị Ánh,10A1,,hs_anh\n") == [(2, SECTOR_MSG, {"value": sector_id})]


@pytest.mark.parametrize("class_name", ["10A1", "6A", "12D2", "11Đ", "9a10"])
def test_good_class_names(class_name):
    assert errors(f"7926010001,Nguyễn Thị Ánh,{class_name},,hs_anh\n") == []


@pytest.mark.parametrize("class_name", ["10 A1", "A1", "100A1", "10A123", "10-A1", "10", "", "10AB", "10Ă1"])
def test_bad_class_names(class_name):
    assert errors(f"7926010001,Nguyễn Thị Ánh,{class_name},,hs_anh\n") == [(2, CLASS_MSG, {"value": class_name})]


@pytest.mark.parametrize("class_name", ["１０A1", "10A１", "١٠A1", "10A٢"])
def test_class_names_take_only_ascii_digits(class_name):
    """Full-width and Arabic-Indic digits match Python's \\d but are not a class of the school."""
    assert errors(f"7926010001,Nguyễn Thị Ánh,{class_name},,hs_anh\n") == [(2, CLASS_MSG, {"value": class_name})]


@pytest.mark.parametrize("email", ["anh@", "anh at x.vn", "@x.vn", "anh@x", "a b@x.vn"])
def test_bad_emails(email):
    assert errors(f"7926010001,Nguyễn Thị Ánh,10A1,{email},hs_anh\n") == [
        (2, "E-mail is not valid: {value}", {"value": email})]


def test_empty_name_and_username():
    assert errors("7926010001,,10A1,,\n") == [(2, "Full name is empty.", {}), (2, "Username is empty.", {})]


def test_duplicate_sector_ids():
    assert errors(ANH, "7926010001,Trần Văn Bình,10A1,,hs_binh\n") == [
        (3, DUP_MSG, {"column": "sector_id", "other": 2, "value": "7926010001"})]


def test_duplicate_usernames():
    assert errors(ANH, "7926010009,Nguyễn Thị Ánh,10A1,,hs_anh\n") == [
        (3, DUP_MSG, {"column": "username", "other": 2, "value": "hs_anh"})]


def test_duplicate_emails_ignore_case():
    assert errors(ANH, "7926010002,Trần Văn Bình,10A1,ANH.NT@thptnamloi.edu.vn,hs_binh\n") == [
        (3, DUP_MSG, {"column": "email", "other": 2, "value": "ANH.NT@thptnamloi.edu.vn"})]


def test_empty_emails_are_not_duplicates():
    assert errors("7926010001,Nguyễn Thị Ánh,10A1,,hs_anh\n", "7926010002,Trần Văn Bình,10A1,,hs_binh\n") == []


def test_unknown_users_are_errors():
    assert errors(ANH, "7926010009,Người Lạ,10A1,,nobody\n") == [(3, NO_USER_MSG, {"value": "nobody"})]


def test_usernames_are_looked_up_exactly():
    assert errors("7926010001,Nguyễn Thị Ánh,10A1,,HS_ANH\n") == [(2, NO_USER_MSG, {"value": "HS_ANH"})]


def test_unknown_users_may_be_only_a_warning():
    report, cleaned = check_rows(rows(ANH, "7926010009,Người Lạ,10A1,,nobody\n"), ORG, allow_unknown_users=True)
    assert report.ok
    assert report.warnings == [(3, NO_USER_MSG, {"value": "nobody"})]
    assert cleaned[1]["user_key"] == ""


def test_every_problem_is_reported_with_its_line():
    assert errors(ANH, "\n", "123,,10 A1,bad,nobody\n", "7926010001,X,10A1,,hs_binh\n") == [
        (4, SECTOR_MSG, {"value": "123"}),
        (4, "Full name is empty.", {}),
        (4, CLASS_MSG, {"value": "10 A1"}),
        (4, "E-mail is not valid: {value}", {"value": "bad"}),
        (4, NO_USER_MSG, {"value": "nobody"}),
        (5, DUP_MSG, {"column": "sector_id", "other": 2, "value": "7926010001"}),
    ]


def test_report_lines_for_a_person():
    report = ImportReport(errors=[(3, DUP_MSG, {"column": "sector_id", "other": 2, "value": "7926010001"})],
                          warnings=[(4, NO_USER_MSG, {"value": "nobody"})])
    with translation.override("en"):
        assert report.lines() == ["Error (line 3): Duplicate sector_id (also on line 2): 7926010001",
                                  "Warning (line 4): No user account with username nobody."]
    assert not report.ok
    assert ImportReport(warnings=[(1, "x", {})]).ok


# ------------------------------------------------------------------ import (database)

def csv(*lines):
    return (HEADER + "".join(lines)).encode("utf-8")


@pytest.mark.django_db
def test_a_good_file_imports_every_row():
    report = import_roster(csv(ANH, BINH, CHAU), ORG)
    assert (report.ok, report.created, report.updated) == (True, 3, 0)
    assert Learner.objects.count() == 3
    anh = Learner.objects.get(org=ORG, sector_id="7926010001")
    assert (anh.full_name, anh.class_name, anh.email, anh.username, anh.user_key) == (
        "Nguyễn Thị Ánh", "10A1", "anh.nt@thptnamloi.edu.vn", "hs_anh", "hs_anh")
    entry = AuditEntry.objects.get(action="roster.import")
    assert (entry.object_type, entry.object_id, entry.org) == ("roster", ORG, ORG)
    assert entry.data == {"created": 3, "updated": 0, "rows": 3}
    assert [x.full_name for x in learners(ORG, "10A1")] == ["Nguyễn Thị Ánh", "Trần Văn Bình"]
    assert name_of(ORG, "hs_chau") == "Lê Hoàng Châu"
    assert name_of(ORG, "nobody") == ""


@pytest.mark.django_db
def test_a_re_import_updates_and_adds_nothing_twice():
    import_roster(csv(ANH, BINH), ORG)
    report = import_roster(csv("7926010001,Nguyễn Thị Ngọc Ánh,11A1,anh@thptnamloi.edu.vn,hs_anh\n", BINH, CHAU), ORG)
    assert (report.ok, report.created, report.updated) == (True, 1, 2)
    assert Learner.objects.count() == 3
    anh = Learner.objects.get(sector_id="7926010001")
    assert (anh.full_name, anh.class_name, anh.email) == ("Nguyễn Thị Ngọc Ánh", "11A1", "anh@thptnamloi.edu.vn")
    assert AuditEntry.objects.filter(action="roster.import").count() == 2


@pytest.mark.django_db
def test_the_same_sector_id_in_another_school_is_another_learner():
    import_roster(csv(ANH), ORG)
    import_roster(csv(ANH), "THPTKhac")
    assert Learner.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("bad", [
    "123,Người Lạ,10A1,,hs_chau\n",
    "7926010003,Lê Hoàng Châu,10 A1,,hs_chau\n",
    "7926010003,Người Lạ,10A1,,nobody\n",
    "7926010001,Lê Hoàng Châu,10A1,,hs_chau\n",
])
def test_one_bad_row_imports_nothing(bad):
    report = import_roster(csv(ANH, BINH, bad), ORG)
    assert not report.ok and len(report.errors) == 1
    assert (report.created, report.updated) == (0, 0)
    assert Learner.objects.count() == 0
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_a_bad_re_import_changes_nothing():
    import_roster(csv(ANH), ORG)
    report = import_roster(csv("7926010001,Tên Mới,10A1,,hs_anh\n", "x,,,,\n"), ORG)
    assert not report.ok
    assert Learner.objects.get(sector_id="7926010001").full_name == "Nguyễn Thị Ánh"
    assert AuditEntry.objects.count() == 1


@pytest.mark.django_db
def test_dry_run_writes_nothing():
    report = import_roster(csv(ANH, BINH), ORG, dry_run=True)
    assert report.ok and (report.created, report.updated) == (0, 0)
    assert Learner.objects.count() == 0 and not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_unknown_users_allowed_are_imported_without_a_user_key():
    report = import_roster(csv(ANH, "7926010009,Người Lạ,10A1,,nobody\n"), ORG, allow_unknown_users=True)
    assert report.ok and report.created == 2 and len(report.warnings) == 1
    assert Learner.objects.get(username="nobody").user_key == ""


@pytest.mark.django_db
def test_a_file_without_a_required_column_is_refused():
    with pytest.raises(RequestError) as exc:
        import_roster(b"sector_id,full_name,class_name,username\n7926010001,A,10A1,hs_anh\n", ORG)
    assert exc.value.code == "missing_column" and exc.value.params == {"column": "email"}
    assert Learner.objects.count() == 0


@pytest.mark.django_db
def test_a_username_already_held_by_another_learner_is_reported_not_a_crash():
    """The file is checked row by row but not against the learners already stored: a corrected
    sector ID for an existing username makes update_or_create insert a second row with the same
    (org, username) and the import dies with IntegrityError instead of returning a report."""
    import_roster(csv(ANH), ORG)
    report = import_roster(csv("7926010099,Nguyễn Thị Ánh,10A1,,hs_anh\n"), ORG)
    assert not report.ok
    assert list(Learner.objects.values_list("sector_id", "username")) == [("7926010001", "hs_anh")]
