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

# Who to be for each role, shown on the demo's front page and by ``load_demo``.
ROLE_GUIDE = [
    ("gv_lan", "Giáo viên Toán / Teacher (Mathematics): materials, lessons and roll call, periodic tests, marking"),
    ("tt_minh", "Tổ trưởng Toán / Subject group head (Mathematics): passes or returns materials, marks, corrects keys"),
    ("ht_hung", "Hiệu trưởng / Principal: approves materials, decides on sitting remotely, reads results"),
    ("vt_thu", "Văn thư / Records officer: registers, score sheets"),
    ("hs_anh", "Học sinh A lớp 10A1 / Student A: approved materials, check-in, tests"),
    ("hs_binh", "Học sinh B lớp 10A1 / Student B: another student of the class"),
    ("gv_nam", "Giáo viên Ngữ văn / Teacher (Literature): another subject"),
    ("tt_hoa", "Tổ trưởng Ngữ văn / Subject group head (Literature): head of another subject"),
]

# scenario title prefix → who has something to do there, and what (one link each on the front page)
SCENARIO_ROLES = [
    ("Học liệu: bản nháp", [("gv_lan", "soạn và gửi duyệt / edit, submit"),
                            ("tt_minh", "chưa có gì để duyệt / nothing to review yet"),
                            ("hs_anh", "chưa thấy bản nháp / does not see a draft")]),
    ("Học liệu: chờ tổ chuyên môn", [("tt_minh", "duyệt hoặc trả lại / pass or return"),
                                     ("gv_lan", "theo dõi / follow"), ("hs_anh", "chưa thấy / not yet visible")]),
    ("Học liệu: chờ hiệu trưởng", [("ht_hung", "phê duyệt hoặc trả lại / approve or return"),
                                   ("tt_minh", "theo dõi / follow"), ("gv_lan", "theo dõi / follow")]),
    ("Học liệu: đã phê duyệt", [("hs_anh", "đọc học liệu / read"), ("ht_hung", "thu hồi / revoke"),
                                ("vt_thu", "sổ học liệu / register"), ("gv_lan", "sửa thành bản mới / new version")]),
    ("Học liệu: sửa sau phê duyệt", [("gv_lan", "gửi duyệt lại / submit again"),
                                     ("tt_minh", "xem thay đổi / see what changed"),
                                     ("ht_hung", "xem thay đổi / see what changed"),
                                     ("hs_anh", "đọc bản đã duyệt / read the approved version")]),
    ("Học liệu Ngữ văn", [("tt_hoa", "duyệt / pass or return"), ("gv_nam", "theo dõi / follow"),
                          ("tt_minh", "tổ khác: không duyệt được / another subject: cannot review")]),
    ("Điểm danh có mã", [("gv_lan", "mã điểm danh, học kết hợp / check-in code, hybrid"),
                         ("hs_anh", "tự điểm danh bằng mã / check in with the code"),
                         ("hs_binh", "tự điểm danh bằng mã / check in with the code")]),
    ("Điểm danh", [("gv_lan", "lên lịch, điểm danh, báo cáo họp trực tuyến / plan, roll call, meeting reports"),
                   ("hs_anh", "tự điểm danh / check in"), ("hs_binh", "tự điểm danh / check in"),
                   ("ht_hung", "báo cáo chuyên cần / attendance report"), ("vt_thu", "sổ đầu bài / logbook")]),
    ("Kiểm tra định kỳ đã kết thúc", [
        ("gv_lan", "chấm tự luận, sửa đáp án, công bố điểm, bảng điểm / mark essays, correct a key, release, "
                   "score sheet"),
        ("tt_minh", "chấm, sửa đáp án / mark, correct a key"),
        ("ht_hung", "xem kết quả, bảng điểm / results, score sheet"),
        ("vt_thu", "bảng điểm để lưu / score sheet for the records"),
        ("hs_anh", "xem bài và đáp án sau khi công bố / review after release"),
        ("hs_binh", "xem bài sau khi công bố / review after release")]),
    ("Kiểm tra định kỳ", [
        ("hs_anh", "làm bài (mã TOAN10) / take the test (code TOAN10)"),
        ("hs_binh", "làm bài (mã TOAN10) / take the test (code TOAN10)"),
        ("gv_lan", "bảng theo dõi, cộng giờ, mở lại / the board, extra time, reopen"),
        ("tt_minh", "giám sát / supervise"),
        ("ht_hung", "quyết định cho thi trực tuyến / decide on sitting remotely"),
        ("vt_thu", "bảng điểm / score sheet")]),
]


def lookup(username):
    """The demo directory (``VN_ONLINE_TEACHING["USER_DIRECTORY"]`` in the demo settings)."""
    person = PEOPLE.get(username)
    if person is None:
        return None
    return UserInfo(user_key=username, username=username, full_name=person[0], email=person[1])
