"""Questions of the four 2025 formats: validation with stable codes, the JSON-safe dict form,
rich text made safe, numbers with the Vietnamese decimal comma and short answers compared the
way a teacher reads them; the table of cognitive levels."""
import json
import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vn_online_teaching.assessment import levels, numbers, questions
from vn_online_teaching.assessment.problems import Invalid
from vn_online_teaching.assessment.questions import ESSAY, MCQ, SHORT_ANSWER, TRUE_FALSE

D = Decimal


def mcq(**changes):
    data = {"format": MCQ, "topic": "Hàm số", "level": "biet", "stem": "<p>Chọn đáp án đúng.</p>",
            "options": ["1", "2", "3", "4"], "answer": "B"}
    return dict(data, **changes)


def true_false(**changes):
    data = {"format": TRUE_FALSE, "topic": "Hàm số", "level": "hieu", "stem": "Cho \\(y=x^2\\).",
            "statements": ["a", "b", "c", "d"], "answers": [True, False, True, True]}
    return dict(data, **changes)


def short(**changes):
    data = {"format": SHORT_ANSWER, "topic": "Hàm số", "level": "van_dung", "stem": "Tính.", "kind": "number",
            "number": "2.5", "tolerance": "0.01"}
    return dict(data, **changes)


def essay(**changes):
    data = {"format": ESSAY, "topic": "Hàm số", "level": "van_dung", "stem": "Chứng minh.", "points": "1.5",
            "guide": "<p>Ý 1: 0,5 điểm.</p>"}
    return dict(data, **changes)


def codes(data):
    with pytest.raises(Invalid) as caught:
        questions.from_dict(data)
    return {(p.field, p.code) for p in caught.value.problems}


# ------------------------------------------------------------------ the dict form

@pytest.mark.parametrize("data", [mcq(), mcq(keep_order=True, points="0.5"), true_false(), short(),
                                  short(kind="text", number=None, tolerance=None, texts=["Hà Nội", "Thủ đô"],
                                        ignore_diacritics=True),
                                  essay()])
def test_every_format_survives_the_dict_form_and_json(data):
    question = questions.from_dict(data)
    stored = json.loads(json.dumps(questions.to_dict(question)))
    assert questions.from_dict(stored) == question
    assert stored["format"] == data["format"]
    assert type(question) is questions.CLASSES[data["format"]]


def test_the_dict_form_keeps_the_answer_key_and_numbers_as_exact_text():
    stored = questions.to_dict(questions.from_dict(short(number=0.1, tolerance="0.0100")))
    assert stored["number"] == "0.1" and stored["tolerance"] == "0.01"
    assert questions.to_dict(questions.from_dict(mcq()))["answer"] == "B"
    assert questions.to_dict(questions.from_dict(true_false()))["answers"] == [True, False, True, True]


def test_a_question_without_a_code_gets_one_from_its_content():
    first, again = questions.from_dict(mcq()), questions.from_dict(mcq())
    other = questions.from_dict(mcq(answer="C"))
    assert first.id == again.id and first.id.startswith("q")
    assert other.id != first.id
    assert questions.from_dict(mcq(id="DS-12.a")).id == "DS-12.a"


def test_every_problem_of_a_question_is_listed_with_its_code():
    found = codes({"format": MCQ, "id": "mã câu", "topic": "", "level": "expert", "stem": "<script>x()</script>",
                   "options": ["1", "2", "2"], "answer": "E", "points": "0.1234", "colour": "red"})
    assert found == {("colour", "unknown_field"), ("id", "bad_id"), ("topic", "required"), ("level", "bad_level"),
                     ("stem", "required"), ("options", "four_items"), ("answer", "bad_answer"),
                     ("points", "too_precise")}


def test_options_must_differ_as_a_reader_sees_them():
    found = codes(mcq(options=["<b>Hà Nội</b>", "Huế", "HÀ NỘI", "Đà Nẵng"]))
    assert found == {("options[2]", "duplicate_option")}


@pytest.mark.parametrize("data, expected", [
    (true_false(answers=[True, False, True]), {("answers", "bad_answers")}),
    (true_false(answers=["Đ", "S", "Đ", "Đ"]), {("answers", "bad_answers")}),
    (true_false(statements=["a", "", "c", "d"]), {("statements[1]", "required")}),
    (short(number=None), {("number", "required")}),
    (short(number="1,5"), {("number", "bad_number")}),  # the stored form has no decimal comma
    (short(number="NaN"), {("number", "bad_number")}),
    (short(tolerance="-1"), {("tolerance", "out_of_range")}),
    (short(kind="text", texts=[]), {("texts", "required")}),
    (short(kind="text", texts=["  "]), {("texts", "required")}),
    (short(kind="photo"), {("kind", "bad_kind")}),
    (essay(points=None), {("points", "required")}),
    (essay(guide=""), {("guide", "required")}),
    (essay(points="0"), {("points", "out_of_range")}),
    (essay(points=True), {("points", "bad_number")}),
    (mcq(topic="x" * 201), {("topic", "too_long")}),
    (mcq(topic="Hàm\ud800số"), {("topic", "bad_text")}),
    (mcq(keep_order="yes"), {("keep_order", "bad_type")}),
    ({"format": "matching"}, {("format", "bad_format")}),
    ({"format": ["mcq"]}, {("format", "bad_format")}),
    (mcq(level=["biet"]), {("level", "bad_level")}),
    (mcq(topic="   \n "), {("topic", "required")}),
    (mcq(options={"A": "1"}), {("options", "four_items")}),
    (dict(mcq(), **{"7": 1}), {("7", "unknown_field")}),
])
def test_bad_questions_are_refused_with_stable_codes(data, expected):
    assert codes(data) == expected


def test_the_refusal_is_a_400_naming_the_field_and_listing_every_problem():
    with pytest.raises(Invalid) as caught:
        questions.from_dict(mcq(topic="", answer="Z"))
    body = caught.value.as_dict()
    assert caught.value.status == 400
    assert body["error"] == "required" and body["field"] == "topic"
    assert body["message"] == "Topic: This is required."
    assert [p["message"] for p in body["problems"]] == ["Topic: This is required.",
                                                        "Correct option: The correct option must be A, B, C or D."]


def test_an_option_is_named_by_its_letter():
    with pytest.raises(Invalid) as caught:
        questions.from_dict(mcq(options=["1", "2", "", "4"]))
    assert caught.value.message() == "Option C: This is required."


# ------------------------------------------------------------------ rich text

@pytest.mark.parametrize("markup, stem", [
    ('<p onclick="x()">Hi<script>alert(1)</script></p>', "<p>Hi</p>"),
    ('<img src="/static/hinh-1.png" alt="Hình 1">', '<img src="/static/hinh-1.png" alt="Hình 1">'),
    ('<img src="https://cdn.example.vn/a.png">', '<img src="https://cdn.example.vn/a.png">'),
    ('<img src="hinh-1.png" onerror="alert(1)">Hình', "<img>Hình"),
    ('<img src="/static/../admin.png">Hình', "<img>Hình"),
    ('<img src="data:image/png;base64,AAAA">Hình', "<img>Hình"),
])
def test_rich_text_is_sanitised_and_images_are_only_references(markup, stem):
    """The shared allow-list (tested in tests/unit/test_richtext.py) with the assessment's image
    rule: a web address or a course file, never a path relative to the page."""
    assert questions.from_dict(mcq(stem=markup)).stem == stem


def test_an_image_without_a_reference_is_no_question():
    assert codes(mcq(stem='<img src="hinh-1.png">')) == {("stem", "required")}


def test_formulas_are_kept_as_tex_text_for_the_browser_to_render():
    stem = questions.from_dict(mcq(stem="Giải \\(x^2 < 4 \\) và \\[\\frac{1}{2}\\]")).stem
    assert stem == "Giải \\(x^2 &lt; 4 \\) và \\[\\frac{1}{2}\\]"


def test_mathml_is_not_kept_so_formulas_must_be_tex():
    assert codes(mcq(stem="<math><mi>x</mi></math>")) == {("stem", "required")}


def test_an_image_alone_is_a_question():
    assert questions.from_dict(mcq(stem='<img src="/static/de-1.png">')).stem == '<img src="/static/de-1.png">'


# ------------------------------------------------------------------ numbers as people write them

@pytest.mark.parametrize("written, value", [
    ("2,5", "2.5"), ("-0,75", "-0.75"), (",5", "0.5"), ("2.5", "2.5"), ("3.14159", "3.14159"),
    ("0.125", "0.125"), ("1234.567", "1234.567"), ("1.000.000", "1000000"), ("1.234,5", "1234.5"),
    ("12 345", "12345"), ("1\u00a0000,25", "1000.25"), ("\u22123", "-3"), ("+4", "4"), (" 7 ", "7"),
    ("1,000", "1"), ("1.0000", "1"), (2.5, "2.5"), (0.1, "0.1"), (3, "3"), (D("1.125"), "1.125"),
])
def test_numbers_are_read_with_the_decimal_comma(written, value):
    assert numbers.parse_number(written) == D(value)


@pytest.mark.parametrize("written", ["1.000", "12.345", "-999.999", "1.500"])
def test_a_single_dot_before_three_digits_is_refused_as_ambiguous(written):
    with pytest.raises(numbers.NumberError) as caught:
        numbers.parse_number(written)
    assert caught.value.code == "ambiguous_number"


@pytest.mark.parametrize("written", ["", "abc", "1,2,3", "1.2.3", "12.34.56", "1e5", "NaN", "inf", "1,", "1.",
                                     "1 2", "1.23,4", "--1", "0x10", "١٢", "9" * 41, True, None, float("nan")])
def test_what_is_not_a_number_is_refused(written):
    with pytest.raises(numbers.NumberError) as caught:
        numbers.parse_number(written)
    assert caught.value.code == "bad_number"


@settings(max_examples=200, deadline=None)
@given(value=st.decimals(min_value=-10**9, max_value=10**9, places=4, allow_nan=False, allow_infinity=False))
def test_a_number_written_the_vietnamese_way_reads_back_as_itself(value):
    assert numbers.parse_number(numbers.to_vietnamese(value)) == value
    assert numbers.from_json(numbers.to_text(value)) == value


# ------------------------------------------------------------------ short answers

@pytest.mark.parametrize("response, right", [
    ("2,5", True), ("2.5", True), ("2,51", True), ("2,49", True), ("2,511", False), ("2,489", False),
    ("2,5 cm", False), ("", False), (None, False), ("1.000", False),
])
def test_a_number_is_right_within_the_tolerance(response, right):
    assert questions.from_dict(short()).accepts(response) is right


def test_an_ambiguous_key_never_happens_because_keys_are_stored_exactly():
    assert questions.from_dict(short(number="1000", tolerance="0")).accepts("1000")
    assert questions.from_dict(short(number="1.125", tolerance="0")).accepts("1,125")


@pytest.mark.parametrize("ignore, response, right", [
    (False, "Hà Nội", True), (False, "  hà   NỘI ", True),
    (False, unicodedata.normalize("NFD", "Hà Nội"), True), (False, "Ha Noi", False), (True, "Ha Noi", True),
    (True, "HA NOI", True), (False, "Hà Nội.", False), (True, "Hải Phòng", False), (False, "", False),
])
def test_a_text_answer_is_compared_as_a_teacher_reads_it(ignore, response, right):
    question = questions.from_dict(short(kind="text", texts=["Hà Nội"], ignore_diacritics=ignore))
    assert question.accepts(response) is right


def test_the_letter_d_with_stroke_counts_as_a_diacritic_only_when_asked():
    strict = questions.from_dict(short(kind="text", texts=["Đà Lạt"]))
    loose = questions.from_dict(short(kind="text", texts=["Đà Lạt"], ignore_diacritics=True))
    assert not strict.accepts("Da Lat") and loose.accepts("da lat") and strict.accepts("đà lạt")


# ------------------------------------------------------------------ levels

def test_every_scale_lists_known_levels_from_the_lowest():
    for scale, codes_ in levels.SCALES.items():
        assert all(code in levels.LEVELS for code in codes_)
        assert list(codes_) == sorted(codes_, key=levels.RANK.get), scale
    assert levels.SCALES["three_levels"] == ("biet", "hieu", "van_dung")
    assert levels.in_scale("van_dung", "four_levels") and levels.in_scale("van_dung", "three_levels")


@pytest.mark.parametrize("written, code", [
    ("Biết", "biet"), ("biet", "biet"), ("HIỂU", "hieu"), ("Vận dụng", "van_dung"), ("VD", "van_dung"),
    ("Nhận biết", "nhan_biet"), ("NB", "nhan_biet"), ("thông hiểu", "thong_hieu"), ("VDC", "van_dung_cao"),
    ("Vận  dụng cao", "van_dung_cao"), ("Mức 1", "muc_1"), ("M3", "muc_3"), ("Knowing", "biet"),
    ("van_dung_cao", "van_dung_cao"), ("Mức 4", None), ("", None), (None, None),
])
def test_levels_are_found_by_the_names_teachers_write(written, code):
    assert levels.find(written) == code


# ------------------------------------------------------------------ properties

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30)


@settings(max_examples=150, deadline=None)
@given(topic=TEXT, stem=TEXT, options=st.lists(TEXT, min_size=4, max_size=4, unique_by=lambda s: s.casefold()),
       answer=st.sampled_from("ABCD"), level=st.sampled_from(sorted(levels.LEVELS)),
       points=st.one_of(st.none(), st.decimals(min_value=D("0.001"), max_value=100, places=3)))
def test_any_question_that_is_accepted_survives_the_dict_form(topic, stem, options, answer, level, points):
    data = mcq(topic=topic, stem=stem, options=options, answer=answer, level=level,
               points=None if points is None else numbers.to_text(points))
    question, problems = questions.check(data)
    if problems:
        assert all(p.code for p in problems)
        return
    stored = json.loads(json.dumps(questions.to_dict(question)))
    assert questions.from_dict(stored) == question
