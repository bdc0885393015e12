"""Matching the people of a report to the class roster: e-mail first, then Vietnamese names."""
import unicodedata
from pathlib import Path

import pytest

from vn_online_teaching.attendance.importers import ReportError, load_roster, match_people, name_key, person_key
from vn_online_teaching.attendance.importers.matching import RosterEntry

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "meeting-reports"


def roster():
    return load_roster((SAMPLES / "roster-10A1.csv").read_bytes())


def one(name, email=None, entries=None, manual=None):
    return match_people([(name, email)], roster() if entries is None else entries, manual)[0]


def test_shared_roster_is_read():
    entries = roster()
    assert [e.username for e in entries] == ["hs_anh", "hs_binh", "hs_chau", "hs_duc", "hs_ha", "hs_huy"]
    assert entries[3] == RosterEntry("7926010004", "Phạm Minh Đức", "10A1", "duc.pm@thptnamloi.edu.vn", "hs_duc")


def test_roster_with_bom_and_capitalised_headers():
    data = ("\ufeffSECTOR_ID,Full_Name,Class_Name,EMAIL,Username\r\n"
            "7926010001,Nguyễn Thị Ánh,10A1,ANH.NT@thptnamloi.edu.vn,hs_anh\r\n,,,,\r\n").encode("utf-8")
    assert load_roster(data) == [
        RosterEntry("7926010001", "Nguyễn Thị Ánh", "10A1", "anh.nt@thptnamloi.edu.vn", "hs_anh")]
    with pytest.raises(ReportError) as caught:
        load_roster(b"who,what\n1,2\n")
    assert caught.value.code == "unknown_format"
    with pytest.raises(ReportError) as caught:
        load_roster("sector_id,full_name,class_name,email,username\n1,Nguyễn Thị Ánh,10A1,,\n".encode())
    assert caught.value.message_args == {"row": 2, "column": "username", "value": ""}


@pytest.mark.parametrize("written", [
    "Nguyễn Thị Ánh",
    "nguyễn thị ánh",
    "NGUYỄN THỊ ÁNH",
    "Nguyen Thi Anh",
    "Ánh Nguyễn Thị",
    "  Nguyễn   Thị Ánh ",
    "Nguyễn Thị Ánh (10A1)",
    "Nguyễn Thị Ánh [iPhone]",
    "Nguyễn Thị Ánh - 10A1",
    "Nguyễn Thị Ánh 10A1",
    unicodedata.normalize("NFD", "Nguyễn Thị Ánh"),
])
def test_name_key_survives_how_students_type_names(written):
    assert name_key(written) == "anh nguyen thi"


def test_d_with_stroke_folds_to_d():
    assert name_key("Đặng Quốc Huy") == name_key("Dang Quoc Huy") == "dang huy quoc"
    assert name_key("Phạm Minh Đức") == "duc minh pham"
    assert name_key("Đặng Quốc Huy", loose=False) == "huy quốc đặng"


def test_person_key_prefers_the_email():
    assert person_key("Anything", " Anh.NT@ThptNamLoi.edu.vn ") == "email:anh.nt@thptnamloi.edu.vn"
    assert person_key("Lê Hoàng Châu (10A1)", "") == "name:chau hoang le"


def test_email_first_and_case_insensitive():
    match = one("Bé Bông", "BINH.TV@thptnamloi.edu.vn")
    assert (match.username, match.method) == ("hs_binh", "email")


def test_unknown_email_falls_back_to_the_name():
    match = one("Tran Van Binh", "binh.personal@gmail.com")
    assert (match.username, match.method) == ("hs_binh", "name")


def test_nfd_guest_name_with_class():
    match = one(unicodedata.normalize("NFD", "Lê Hoàng Châu (10A1)"))
    assert (match.username, match.method, match.reason) == ("hs_chau", "name", None)


def test_zoom_renamed_participant_matches_on_the_original_name():
    # Zoom's "Name (Original Name)": the student renamed themselves, the original is in brackets.
    match = one("Châu 10A1 (Lê Hoàng Châu)")
    assert match.username == "hs_chau"


def test_partial_name_is_suggested_not_matched():
    match = one("Châu")
    assert (match.username, match.reason, [e.username for e in match.candidates]) == (None, "not_found", ["hs_chau"])
    stranger = one("Hoàng Thị Lan", "lan.ht@thptnamloi.edu.vn")
    assert (stranger.username, stranger.reason, stranger.candidates) == (None, "not_found", [])


def test_same_name_twice_in_the_class_is_ambiguous():
    entries = roster() + [{"sector_id": "7926010007", "full_name": "Nguyễn Thị Ánh", "class_name": "10A1",
                           "email": "anh.nt2@thptnamloi.edu.vn", "username": "hs_anh2"}]
    match = one("Nguyen Thi Anh", entries=entries)
    assert (match.username, match.reason) == (None, "ambiguous")
    assert sorted(e.username for e in match.candidates) == ["hs_anh", "hs_anh2"]
    # …but the e-mail still decides.
    assert one("Nguyen Thi Anh", "anh.nt2@thptnamloi.edu.vn", entries=entries).username == "hs_anh2"


def test_diacritics_decide_before_they_are_ignored():
    entries = [RosterEntry("1", "Lê Văn An", "10A1", None, "an"), RosterEntry("2", "Lê Văn Ân", "10A1", None, "aan")]
    assert one("lê văn ân", entries=entries).username == "aan"
    assert one("Lê Văn An", entries=entries).username == "an"
    typed_flat = one("Le Van An", entries=entries)
    assert (typed_flat.username, typed_flat.reason) == (None, "ambiguous")


def test_manual_choice_overrides_email_and_name():
    key = person_key("Lê Hoàng Châu (10A1)", None)
    assert one("Lê Hoàng Châu (10A1)", manual={key: "hs_huy"}).method == "manual"
    assert one("Lê Hoàng Châu (10A1)", manual={key: "hs_huy"}).username == "hs_huy"
    by_name = one("Bé Bông", "binh.tv@thptnamloi.edu.vn", manual={"Bé Bông": "hs_ha"})
    assert (by_name.username, by_name.method) == ("hs_ha", "manual")
    refused = one("Trần Văn Bình", "binh.tv@thptnamloi.edu.vn", manual={"email:binh.tv@thptnamloi.edu.vn": None})
    assert (refused.username, refused.reason) == (None, "not_found")
    with pytest.raises(ValueError):
        one("Trần Văn Bình", manual={person_key("Trần Văn Bình", None): "nobody"})


def test_one_match_per_person_in_order_of_appearance():
    people = [("Trần Văn Bình", "binh.tv@thptnamloi.edu.vn"), ("Vũ Thu Hà", None),
              ("Trần Văn Bình", "BINH.TV@thptnamloi.edu.vn"), ("Vu Thu Ha", "")]
    matches = match_people(people, roster())
    assert [(m.key, m.username) for m in matches] == [
        ("email:binh.tv@thptnamloi.edu.vn", "hs_binh"), ("name:ha thu vu", "hs_ha")]


def test_roster_objects_with_attributes():
    class Learner:
        sector_id, full_name, class_name, email, username = "9", "Vũ Thu Hà", "10A1", "", "hs_ha"

    assert one("Ha Vu Thu", entries=[Learner()]).username == "hs_ha"
