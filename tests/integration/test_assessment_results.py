"""The results of a periodic test through the block's handlers: the score sheet (printable A4 page,
CSV, XLSX: the same rows, the roster's sector IDs, the state of each attempt, the score as the
Circular writes it), and the correction of an answer key from the staff page (the key only, with a
reason, every ended attempt scored again, refused without the right and nothing changed)."""
import csv
import io

import pytest
from django.test import override_settings
from helpers import block_as, call, render, scenario_usage
from vn_online_teaching.assessment import scenarios
from vn_online_teaching.assessment.models import Attempt, ScoreHistory, Sitting
from vn_online_teaching.core.models import AuditEntry
from vn_online_teaching.demo.load import load_assessments

CODE = scenarios.DEMO_CODE


@pytest.fixture
def usage(workbench):
    usage_id = scenario_usage("Kiểm tra định kỳ: Toán 10A1, mã")
    load_assessments()
    return usage_id


def sit(usage, user, pick=None):
    """``user`` starts, answers every multiple-choice question with the bank's option ``pick`` (or
    leaves them) and hands in; the paper."""
    status, body = call(usage, user, "start", {"request_id": "b-" + user, "code": CODE})
    assert status == 200, body
    delivered = Attempt.objects.get(user_key=user).paper["items"]
    shown = {i["position"]: "ABCD"[list(i["order"]).index(pick)] for i in delivered
             if pick and i["question"]["format"] == "mcq"}  # the bank's letter as this student was shown it
    answers = [{"seq": n, "position": position, "response": letter}
               for n, (position, letter) in enumerate(sorted(shown.items()), start=1)]
    assert call(usage, user, "submit", {"device": body["device"], "answers": answers})[0] == 200
    return body["paper"]


def essay_position(paper):
    return next(i["position"] for i in paper["items"] if i["format"] == "essay")


def get(usage, user, handler):
    return call(usage, user, handler, method="GET")


# The score sheet --------------------------------------------------------------------------------

def sheet_rows(usage, user="gv_lan"):
    status, data = get(usage, user, "score_sheet_csv")
    assert status == 200, data
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_score_sheet_rows_states_and_scores(usage):
    paper = sit(usage, "hs_anh", pick="A")
    call(usage, "gv_lan", "mark_essay", {"student": "hs_anh", "position": essay_position(paper), "mark": "1,5"})
    sit(usage, "hs_binh")  # handed in, essay not marked: no score yet
    rows = sheet_rows(usage)
    assert rows[0] == ["STT", "Mã định danh cá nhân", "Họ và tên", "Điểm", "Trạng thái"]
    body = {r[2]: r for r in rows[1:]}
    assert len(body) == 6 and [r[0] for r in rows[1:]] == [str(n) for n in range(1, 7)]
    # Vietnamese class-list order: by given name (Ánh, Bình, Châu, Đức, Hà, Huy).
    assert [r[2].split()[-1] for r in rows[1:]] == ["Ánh", "Bình", "Châu", "Đức", "Hà", "Huy"]
    anh, binh, chau = body["Nguyễn Thị Ánh"], body["Trần Văn Bình"], body["Lê Hoàng Châu"]
    assert anh[1] == "7926010001"
    attempt = Attempt.objects.get(user_key="hs_anh")
    assert anh[3] == attempt.result["score"].replace(".", ",") and "," in anh[3]  # one decimal, decimal comma
    assert binh[3] == "" and binh[4].startswith("Đã nộp bài") and binh[4] != "Đã nộp bài"  # essays not marked
    assert chau[3] == "" and chau[4] == "Chưa làm bài"


def test_score_sheet_says_handed_in_or_ended_at_the_deadline(usage):
    from freezegun import freeze_time
    from vn_online_teaching.assessment import ending

    sit(usage, "hs_anh")
    status, body = call(usage, "hs_binh", "start", {"request_id": "b2", "code": CODE})
    assert status == 200
    with freeze_time(Attempt.objects.get(user_key="hs_binh").accept_until + __import__("datetime").timedelta(minutes=5)):
        ending.finalise_due()
    body = {r[2]: r for r in sheet_rows(usage)[1:]}
    assert body["Nguyễn Thị Ánh"][4].startswith("Đã nộp bài")
    assert body["Trần Văn Bình"][4].startswith("Kết thúc khi hết giờ")


def test_score_sheet_three_formats_agree_and_print_on_a4(usage):
    from openpyxl import load_workbook

    paper = sit(usage, "hs_anh", pick="B")
    call(usage, "gv_lan", "mark_essay", {"student": "hs_anh", "position": essay_position(paper), "mark": "2"})
    csv_rows = sheet_rows(usage, "vt_thu")  # the records officer exports too
    status, data = get(usage, "vt_thu", "score_sheet")
    assert status == 200
    xlsx = [[("" if v is None else str(v)) for v in row]
            for row in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]
    assert [r[:3] for r in xlsx] == [r[:3] for r in csv_rows]
    cells = {row[2]: row for row in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)}
    assert isinstance(cells["Nguyễn Thị Ánh"][3], (int, float))  # a number to compute with
    assert str(cells["Nguyễn Thị Ánh"][3]).replace(".", ",") == next(r for r in csv_rows if r[2] == "Nguyễn Thị Ánh")[3]
    status, page = get(usage, "vt_thu", "score_sheet_page")
    assert status == 200
    html = page.decode("utf-8")
    assert "@page { size: A4" in html and "<script" not in html
    for piece in ("Trường THPT Nam Lợi", "10A1", "Toán", "Kiểm tra giữa kì I", "7926010006", "Đặng Quốc Huy"):
        assert piece.lower() in html.lower(), piece
    anh = next(r for r in csv_rows if r[2] == "Nguyễn Thị Ánh")
    assert f"{anh[3]}</td>" in html and anh[3]
    from vn_online_teaching.core import clock

    sat = clock.to_school(Attempt.objects.get(user_key="hs_anh").started_at).strftime("%d/%m/%Y")
    assert f"<strong>{sat}</strong>" in html  # the day the class sat it, not the window's first day


@pytest.mark.parametrize("handler", ["score_sheet", "score_sheet_csv", "score_sheet_page"])
def test_score_sheet_refused_without_the_right(usage, handler):
    for user in ("hs_anh", "gv_nam"):  # a student; a teacher of another subject
        status, body = get(usage, user, handler)
        assert status == 403 and body["message"], (user, body)
    assert not Sitting.objects.exists()


def test_score_sheet_csv_keeps_a_name_in_its_cell(usage):
    from vn_online_teaching.core.models import Learner

    Learner.objects.filter(username="hs_anh").update(full_name="=Nguyễn; \"Ánh\"")
    rows = sheet_rows(usage)
    assert all(len(r) == 5 for r in rows)
    assert "'=Nguyễn; \"Ánh\"" in [r[2] for r in rows]


def test_primary_school_writes_whole_numbers(usage):
    paper = sit(usage, "hs_anh", pick="A")
    call(usage, "gv_lan", "mark_essay", {"student": "hs_anh", "position": essay_position(paper), "mark": "1.25"})
    vnot = dict(__import__("django.conf", fromlist=["settings"]).settings.VN_ONLINE_TEACHING, SCHOOL_LEVEL="primary")
    with override_settings(VN_ONLINE_TEACHING=vnot):
        anh = next(r for r in sheet_rows(usage) if r[2] == "Nguyễn Thị Ánh")
    assert anh[3] and anh[3].isdigit()


def test_comment_only_subject_writes_the_verdict(usage):
    block = block_as(usage, "gv_lan")
    block.subject = "Giáo dục thể chất"
    block.save()
    from vn_online_teaching.core.models import RoleAssignment

    RoleAssignment.objects.create(org="THPTNamLoi", user_key="gv_lan", username="gv_lan", role="teacher",
                                  subject="Giáo dục thể chất")
    paper = sit(usage, "hs_anh", pick="A")
    call(usage, "gv_lan", "mark_essay", {"student": "hs_anh", "position": essay_position(paper), "mark": "2"})
    anh = next(r for r in sheet_rows(usage) if r[2] == "Nguyễn Thị Ánh")
    assert anh[3] in ("Đạt", "Chưa đạt")


def test_staff_page_links_the_three_formats(usage):
    page = render(usage, "vt_thu")
    for name in ("score_sheet_page", "score_sheet_csv", "score_sheet"):
        assert f"/{name}" in page
    assert "vnot-asm-sheet-page" not in render(usage, "hs_anh")
    assert "vnot-asm-keyfix" not in page  # records officers read, never correct a key
    assert "vnot-asm-keyfix" in render(usage, "gv_lan")
    assert call(usage, "gv_lan", "board", {})[1]["decimal_mark"] == ","  # the board writes 6,3 in Vietnamese


# Correcting an answer key -----------------------------------------------------------------------

def first_mcq_id(paper):
    return next(i for i in paper["items"] if i["format"] == "mcq")


def test_correct_key_rescores_every_ended_attempt(usage):
    sit(usage, "hs_anh", pick="B")
    sit(usage, "hs_binh", pick="A")
    status, body = call(usage, "gv_lan", "answer_keys", {})
    assert status == 200
    mcq = next(q for q in body["questions"] if q["id"] == "demo-mcq-1")
    assert mcq["key"] == {"answer": "A"} and mcq["ended"] == 2 and not mcq["corrected"]
    assert all(q["format"] != "essay" for q in body["questions"])
    before = {a.user_key: a.result["score"] for a in Attempt.objects.all()}
    status, body = call(usage, "gv_lan", "correct_key", {"question": "demo-mcq-1", "answer": "B",
                                                          "reason": "Đáp án đúng là B (tổ chuyên môn xác nhận)"})
    assert status == 200, body
    assert body == {"rescored": 2, "changed": 2}
    after = {a.user_key: a.result["score"] for a in Attempt.objects.all()}
    assert float(after["hs_anh"]) > float(before["hs_anh"]) and float(after["hs_binh"]) < float(before["hs_binh"])
    assert ScoreHistory.objects.filter(kind="correct_key").count() == 2
    sitting = Sitting.objects.get()
    fixed = sitting.corrections["demo-mcq-1"]
    original = next(q for q in scenarios.QUESTIONS if q["id"] == "demo-mcq-1")
    assert fixed["answer"] == "B" and fixed["options"] == original["options"] and fixed["stem"] == original["stem"]
    keys = call(usage, "gv_lan", "answer_keys", {})[1]["questions"]
    assert next(q for q in keys if q["id"] == "demo-mcq-1")["key"] == {"answer": "B"}


def test_correct_key_true_false_and_short(usage):
    sit(usage, "hs_anh")
    status, body = call(usage, "gv_lan", "correct_key", {"question": "demo-tf-1", "answers": [True, True, True, True],
                                                          "reason": "Mệnh đề c đúng"})
    assert status == 200, body
    status, body = call(usage, "gv_lan", "correct_key", {"question": "demo-short-1", "kind": "number",
                                                          "number": "-2,25", "tolerance": "0,01", "reason": "Cho sai số"})
    assert status == 200, body
    corrections = Sitting.objects.get().corrections
    assert corrections["demo-tf-1"]["answers"] == [True, True, True, True]
    assert corrections["demo-short-1"]["tolerance"] == "0.01"


@pytest.mark.parametrize("user", ["hs_anh", "vt_thu", "ht_hung", "gv_nam"])
def test_correct_key_refused_without_the_right(usage, user):
    sit(usage, "hs_binh", pick="A")
    entries = AuditEntry.objects.count()
    status, body = call(usage, user, "correct_key", {"question": "demo-mcq-1", "answer": "B", "reason": "x"})
    assert status == 403 and body["message"]
    assert call(usage, user, "answer_keys", {})[0] == 403
    assert Sitting.objects.get().corrections == {} and AuditEntry.objects.count() == entries


@pytest.mark.parametrize("data, error", [
    ({"question": "demo-mcq-1", "answer": "B", "reason": " "}, "required"),
    ({"question": "demo-mcq-1", "answer": "E", "reason": "Sai đáp án"}, None),
    ({"question": "demo-essay-1", "answer": "A", "reason": "Sai đáp án"}, "not_keyed"),
    ({"question": "khong-co", "answer": "A", "reason": "Sai đáp án"}, "not_delivered"),
    ({"question": "demo-tf-1", "answers": [True], "reason": "Sai đáp án"}, None),
])
def test_correct_key_bad_input_changes_nothing(usage, data, error):
    sit(usage, "hs_binh", pick="A")
    entries, score = AuditEntry.objects.count(), Attempt.objects.get().result["score"]
    status, body = call(usage, "gv_lan", "correct_key", data)
    assert status == 400 and body["message"], body
    assert error is None or body["error"] == error
    assert "Traceback" not in body["message"]
    assert Sitting.objects.get().corrections == {} and AuditEntry.objects.count() == entries
    assert Attempt.objects.get().result["score"] == score
