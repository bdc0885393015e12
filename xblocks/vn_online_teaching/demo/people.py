"""Demo people of THPT Nam Lối (invented): the six learners of class 10A1 from the shared
roster fixture, and the staff who teach, review, approve and keep the records."""
from ..compat import UserInfo

ORG = "THPTNamLoi"
COURSE_KEY = "course-v1:THPTNamLoi+TOAN10+2025_HK1"

# username: (full name, e-mail, platform role, school roles [(role, subject)], sector id, class)
PEOPLE = {
    "gv_lan": ("Nguyễn Thị Lan", "lan.nt@thptnamloi.edu.vn", "staff", [("teacher", "Toán")], "", ""),
    "gv_nam": ("Hoàng Văn Nam", "nam.hv@thptnamloi.edu.vn", "staff", [("teacher", "Ngữ văn")], "", ""),
    "tt_minh": ("Trần Văn Minh", "minh.tv@thptnamloi.edu.vn", "staff", [("teacher", "Toán"), ("head", "Toán")], "", ""),
    "tt_hoa": ("Đỗ Thị Hoa", "hoa.dt@thptnamloi.edu.vn", "staff", [("teacher", "Ngữ văn"), ("head", "Ngữ văn")], "", ""),
    "ht_hung": ("Lê Quang Hùng", "hung.lq@thptnamloi.edu.vn", "staff", [("principal", "")], "", ""),
    "vt_thu": ("Phạm Thị Thu", "thu.pt@thptnamloi.edu.vn", "staff", [("records_officer", "")], "", ""),
    "hs_anh": ("Nguyễn Thị Ánh", "anh.nt@thptnamloi.edu.vn", "student", [], "7926010001", "10A1"),
    "hs_binh": ("Trần Văn Bình", "binh.tv@thptnamloi.edu.vn", "student", [], "7926010002", "10A1"),
    "hs_chau": ("Lê Hoàng Châu", "chau.lh@thptnamloi.edu.vn", "student", [], "7926010003", "10A1"),
    "hs_duc": ("Phạm Minh Đức", "duc.pm@thptnamloi.edu.vn", "student", [], "7926010004", "10A1"),
    "hs_ha": ("Vũ Thu Hà", "ha.vt@thptnamloi.edu.vn", "student", [], "7926010005", "10A1"),
    "hs_huy": ("Đặng Quốc Huy", "huy.dq@thptnamloi.edu.vn", "student", [], "7926010006", "10A1"),
}

# Who to be for each role, shown on the demo index page.
ROLE_GUIDE = [
    ("gv_lan", "Teacher (Mathematics): edits and submits materials, plans lessons, takes the roll"),
    ("tt_minh", "Subject group head (Mathematics): passes or returns"),
    ("ht_hung", "Principal: approves, returns or revokes"),
    ("vt_thu", "Records officer: reads the register"),
    ("hs_anh", "Student of 10A1: sees approved materials only, checks in to lessons"),
    ("gv_nam", "Teacher (Literature): another teacher"),
    ("tt_hoa", "Subject group head (Literature): head of another subject"),
]


def lookup(username):
    """The demo directory (``VN_ONLINE_TEACHING["USER_DIRECTORY"]`` in the demo settings)."""
    person = PEOPLE.get(username)
    if person is None:
        return None
    return UserInfo(user_key=username, username=username, full_name=person[0], email=person[1])
