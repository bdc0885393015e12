"""Points of every question format, the score on the 10-point scale and its rounding, comment-only
subjects and re-scoring, all in decimal arithmetic."""
import json
from decimal import ROUND_DOWN, Decimal, localcontext

import pytest
from django.utils import translation

from vn_online_teaching.assessment import scoring
from vn_online_teaching.assessment.paper import Item
from vn_online_teaching.assessment.questions import (NUMBER, OPTION_LETTERS, STATEMENT_LETTERS, TEXT, Essay,
                                                     MultipleChoice, ShortAnswer, TrueFalse)
from vn_online_teaching.assessment.scoring import Policy
from vn_online_teaching.core.errors import RequestError

D = Decimal
SECONDARY = Policy()
PRIMARY = Policy(decimals=0, lowest=D(1))


def mcq(qid, key):
    return MultipleChoice(qid, "Hàm số", "biet", "<p>Câu hỏi</p>", options=("1", "2", "3", "4"), answer=key)


def true_false(qid, *key):
    return TrueFalse(qid, "Hàm số", "hieu", "<p>Cho hàm số</p>", statements=("a", "b", "c", "d"), answers=key)


def number(qid, value, tolerance="0"):
    return ShortAnswer(qid, "Hàm số", "van_dung", "<p>Tính</p>", kind=NUMBER, number=D(value), tolerance=D(tolerance))


def words(qid, *texts, ignore_diacritics=False):
    return ShortAnswer(qid, "Địa lí", "biet", "<p>Thủ đô?</p>", kind=TEXT, texts=texts,
                       ignore_diacritics=ignore_diacritics)


def essay(qid, points):
    return Essay(qid, "Hàm số", "van_dung", "<p>Chứng minh</p>", points=D(points), guide="<p>Hướng dẫn chấm</p>")


def deliver(*pairs):
    """The items of a delivered paper: (question, points) in order."""
    letters = {"mcq": OPTION_LETTERS, "true_false": STATEMENT_LETTERS}
    return tuple(Item(i, q, letters.get(q.format, ()), D(points)) for i, (q, points) in enumerate(pairs, start=1))


def override(settings, **values):
    settings.VN_ONLINE_TEACHING = dict(settings.VN_ONLINE_TEACHING, **values)


# ------------------------------------------------------------------ the school's policy

def test_the_default_policy_is_the_national_exams_points():
    policy = scoring.policy_for("THPTNamLoi", "Vật lí", "secondary")
    assert policy == SECONDARY
    assert policy.true_false == (D(0), D("0.1"), D("0.25"), D("0.5"), D("1.0"))


@pytest.mark.parametrize("subject", ["Toán", "TOÁN", "toan", "  Toán "])
def test_a_short_answer_is_worth_half_a_point_in_mathematics(subject):
    assert scoring.policy_for("THPTNamLoi", subject, "secondary").short == D("0.5")
    assert scoring.policy_for("THPTNamLoi", "Hóa học", "secondary").short == D("0.25")


def test_primary_scores_are_whole_numbers_without_zero():
    policy = scoring.policy_for("THNamLoi", "Toán", "primary")
    assert (policy.decimals, policy.lowest) == (0, D(1))


def test_the_level_defaults_to_the_schools(settings):
    override(settings, ORGS={"THNamLoi": {"SCHOOL_LEVEL": "primary"}})
    assert scoring.policy_for("THNamLoi", "Toán").decimals == 0
    assert scoring.policy_for("THPTNamLoi", "Toán").decimals == 1
    with pytest.raises(ValueError):
        scoring.policy_for("THNamLoi", "Toán", "university")


def test_a_school_chooses_its_own_points(settings):
    override(settings, ORGS={"THCSKhac": {"ASSESSMENT_MCQ_POINTS": "0,2",
                                          "ASSESSMENT_TRUE_FALSE_POINTS": {"2": 0.5, 4: 1},
                                          "ASSESSMENT_SUBJECT_POINTS": {"Tin học": {"short": "0.5"}}}})
    policy = scoring.policy_for("THCSKhac", "tin hoc", "secondary")
    assert (policy.mcq, policy.short) == (D("0.2"), D("0.5"))
    assert policy.true_false == (D(0), D(0), D("0.5"), D(0), D(1))
    assert scoring.policy_for("THCSKhac", "Toán", "secondary").short == D("0.25")  # its own list replaced the default
    assert scoring.policy_for("THPTNamLoi", "Toán", "secondary").mcq == D("0.25")


def test_a_misspelt_format_in_the_subject_points_is_an_error(settings):
    override(settings, ASSESSMENT_SUBJECT_POINTS={"Toán": {"shrot": "0.5"}})
    with pytest.raises(ValueError, match="shrot"):
        scoring.policy_for("THPTNamLoi", "Toán", "secondary")


def test_points_written_as_floats_in_the_settings_stay_the_decimals_written(settings):
    override(settings, ASSESSMENT_MCQ_POINTS=0.1)
    policy = scoring.policy_for("THPTNamLoi", "Sinh học", "secondary")
    assert policy.mcq == D("0.1")
    items = deliver(*[(mcq(f"q{i}", "A"), policy.mcq) for i in range(3)])
    result = scoring.score_attempt(items, {"q0": "A", "q1": "A", "q2": "A"}, policy)
    assert result.raw == D("0.3") and 0.1 + 0.1 + 0.1 != 0.3  # the float trap, impossible here


# ------------------------------------------------------------------ each format

@pytest.mark.parametrize("choice, points", [("B", D("0.25")), ("A", D(0)), (None, D(0))])
def test_multiple_choice(choice, points):
    assert scoring.score_mcq(choice, "B", SECONDARY.mcq) == points


@pytest.mark.parametrize("answers, right, points", [
    ((False, False, True, True), 0, D(0)),
    ((True, False, True, True), 1, D("0.1")),
    ((True, True, True, True), 2, D("0.25")),
    ((True, True, False, True), 3, D("0.5")),
    ((True, True, False, False), 4, D("1.0")),
    ((True, True, None, None), 2, D("0.25")),  # an unanswered statement is not right
    ((), 0, D(0)),
])
def test_true_false_by_the_partial_credit_table(answers, right, points):
    key = (True, True, False, False)
    assert scoring.statements_right(answers, key) == right
    assert scoring.score_true_false(answers, key, SECONDARY.true_false) == points


def test_a_true_false_answer_with_more_statements_than_the_question_is_refused():
    with pytest.raises(ValueError):
        scoring.score_true_false((True,) * 5, (True,) * 4, SECONDARY.true_false)


def test_true_false_answers_come_by_statement_letter_and_a_question_worth_more_scales_the_table():
    key = (True, True, False, False)
    answer = {"a": True, "b": False, "c": False, "d": None}  # as paper.map_answers gives them
    assert scoring.statements_right(answer, key) == 2
    assert scoring.score_true_false(answer, key, SECONDARY.true_false, points="1.0") == D("0.25")
    assert scoring.score_true_false(answer, key, SECONDARY.true_false, points=2) == D("0.5")
    assert scoring.score_true_false({"a": True}, key, SECONDARY.true_false, points="1.5") == D("0.15")


@pytest.mark.parametrize("answer, right", [
    ("0,5", True), ("0.5", True), (",5", True), ("  0,5 ", True), ("−0,5", False),
    ("0,6", False), ("nửa", False), ("", False), (None, False), ("0,5,0", False), (0.5, False),
])
def test_a_numeric_short_answer_reads_the_decimal_comma(answer, right):
    assert scoring.score_short(answer, number("s", "0.5"), D("0.5")) == (D("0.5") if right else 0)


def test_a_numeric_short_answer_within_the_tolerance_is_right():
    question = number("s", "3.14159", tolerance="0.01")
    assert scoring.score_short("3,14", question, "0.25") == D("0.25")
    assert scoring.score_short("3,13", question, "0.25") == 0


def test_an_ambiguous_number_is_not_guessed_right():
    """ "1.000" may be one or a thousand: the answer page asks the student to write it again."""
    assert scoring.score_short("1.000", number("s", "1000"), 1) == 0
    assert scoring.score_short("1000", number("s", "1000"), 1) == 1


def test_a_text_short_answer_ignores_case_and_spacing_and_diacritics_only_if_the_question_says():
    capital = words("s", "Hà Nội", "Thủ đô Hà Nội")
    assert scoring.score_short("  hà   NỘI ", capital, "0.25") == D("0.25")
    assert scoring.score_short("Ha\u0300 No\u0323\u0302i", capital, "0.25") == D("0.25")  # decomposed: the same
    assert scoring.score_short("Ha Noi", capital, "0.25") == 0
    loose = words("s", "Hà Nội", ignore_diacritics=True)
    assert scoring.score_short("Ha Noi", loose, "0.25") == D("0.25")


@pytest.mark.parametrize("mark, points", [(0, D(0)), ("1,75", D("1.75")), (1.75, D("1.75")), ("2", D(2)),
                                          (D("0.50"), D("0.5"))])
def test_an_essay_mark_is_in_steps_of_a_quarter_up_to_the_maximum(mark, points):
    assert scoring.essay_points(mark, 2, SECONDARY.essay_step) == points


@pytest.mark.parametrize("mark", [2.25, -0.25, "1,3", 0.1, "hai", None, True, float("nan"), "1e3", [1]])
def test_a_mark_outside_the_rules_is_a_translated_bad_request(mark):
    with pytest.raises(RequestError) as exc:
        scoring.essay_points(mark, 2, SECONDARY.essay_step)
    assert (exc.value.status, exc.value.code, exc.value.params["field"]) == (400, "bad_mark", "mark")
    assert exc.value.message() == "The mark must be between 0 and 2, in steps of 0.25."


def test_the_marks_message_writes_numbers_the_vietnamese_way():
    with translation.override("vi"), pytest.raises(RequestError) as exc:
        scoring.essay_points(3, "1.5", "0.25")
    assert exc.value.params["maximum"] == "1,5" and exc.value.params["step"] == "0,25"


# ------------------------------------------------------------------ the score on the 10-point scale

@pytest.mark.parametrize("raw, score", [
    ("6.25", "6.3"), ("6.35", "6.4"), ("8.05", "8.1"), ("9.95", "10.0"), ("6.24", "6.2"), ("6.249999", "6.2"),
    ("0.05", "0.1"), ("0", "0.0"), ("10", "10.0"), ("7", "7.0"), ("2.45", "2.5"), ("1.15", "1.2"),
])
def test_secondary_scores_are_rounded_half_up_to_one_decimal(raw, score):
    scaled, given, verdict = scoring.scale_score(D(raw), 10, SECONDARY)
    assert scaled == D(raw) and str(given) == score and verdict is None


def test_the_classic_float_roundings_would_be_wrong():
    """Why Decimal: as floats, 6.35 and 1.15 sit just below their halves and round down."""
    assert round(6.35, 1) == 6.3 and round(1.15, 1) == 1.1
    assert scoring.round_half_up("6.35", 1) == D("6.4") and scoring.round_half_up(1.15, 1) == D("1.2")


@pytest.mark.parametrize("raw, score", [("6.5", "7"), ("6.49", "6"), ("9.5", "10"), ("0.4", "1"), ("0", "1"),
                                        ("0.5", "1"), ("1.5", "2"), ("4.25", "4")])
def test_primary_scores_are_whole_numbers_rounded_half_up_and_never_zero(raw, score):
    assert str(scoring.scale_score(D(raw), 10, PRIMARY)[1]) == score


@pytest.mark.parametrize("raw, maximum, scaled, score", [
    ("12.5", 20, "6.25", "6.3"),      # a paper worth 20 points, halved, then rounded once
    ("2", 3, "6.666666666666666666666666666666667", "6.7"),
    ("5.1", 8, "6.375", "6.4"),
    ("3", 4, "7.5", "7.5"),
    ("40", 40, "10", "10.0"),
])
def test_a_paper_worth_other_points_is_converted_to_the_scale_and_rounded_once(raw, maximum, scaled, score):
    got_scaled, got_score, _ = scoring.scale_score(D(raw), maximum, SECONDARY)
    assert (str(got_scaled), str(got_score)) == (scaled, score)


def test_the_rounding_ignores_the_threads_decimal_context():
    with localcontext() as ctx:
        ctx.prec, ctx.rounding = 2, ROUND_DOWN
        assert scoring.scale_score(D("12.5"), 20, SECONDARY)[1] == D("6.3")
        assert scoring.scale_score(D("2"), 3, SECONDARY)[1] == D("6.7")


@pytest.mark.parametrize("raw, maximum", [("10.25", 10), ("-0.25", 10), ("1", 0)])
def test_points_outside_the_paper_are_a_programming_error(raw, maximum):
    with pytest.raises(ValueError):
        scoring.scale_score(D(raw), maximum, SECONDARY)


# ------------------------------------------------------------------ subjects assessed by comment only

@pytest.mark.parametrize("subject, raw, verdict", [
    ("Âm nhạc", "5", scoring.ACHIEVED), ("Giáo dục thể chất", "4.95", scoring.ACHIEVED),  # 4.95 shows as 5.0
    ("Mỹ thuật", "4.9", scoring.NOT_ACHIEVED), ("Hoạt động trải nghiệm, hướng nghiệp", "9", scoring.ACHIEVED),
    ("Toán", "4", None),
])
def test_comment_only_subjects_get_achieved_or_not_yet(subject, raw, verdict):
    policy = scoring.policy_for("THPTNamLoi", subject, "secondary")
    assert scoring.scale_score(D(raw), 10, policy)[2] == verdict


def test_the_pass_mark_of_comment_only_subjects_is_a_setting(settings):
    override(settings, ASSESSMENT_COMMENT_PASS_MARK="6")
    policy = scoring.policy_for("THPTNamLoi", "Âm nhạc", "secondary")
    assert scoring.scale_score(D("5.5"), 10, policy)[2] == scoring.NOT_ACHIEVED


# ------------------------------------------------------------------ a whole attempt

PAPER = deliver(
    (mcq("m1", "A"), "0.25"), (mcq("m2", "C"), "0.25"), (mcq("m3", "D"), "0.25"), (mcq("m4", "B"), "0.25"),
    (true_false("t1", True, False, True, False), "1.0"), (true_false("t2", False, False, True, True), "1.0"),
    (number("s1", "2.5"), "0.5"), (number("s2", "-3"), "0.5"),
    (essay("e1", "4.5"), "4.5"),
)
ANSWERS = {"m1": "A", "m2": "C", "m3": "A", "t1": {"a": True, "b": False, "c": True, "d": True},
           "t2": {"a": False, "b": False, "c": True, "d": True}, "s1": "2,5", "s2": "3", "e1": "Bài làm của học sinh"}
MATHS = Policy(short=D("0.5"))


def test_a_paper_is_scored_question_by_question():
    result = scoring.score_attempt(PAPER, ANSWERS, MATHS, marks={"e1": "3,25"})
    assert result.points == {"m1": D("0.25"), "m2": D("0.25"), "m3": D(0), "m4": D(0), "t1": D("0.5"),
                             "t2": D("1.0"), "s1": D("0.5"), "s2": D(0), "e1": D("3.25")}
    assert (result.raw, result.maximum) == (D("5.75"), D("8.5"))  # 4×0.25 + 2×1 + 2×0.5 + 4.5
    assert result.scaled.quantize(D("0.0001")) == D("6.7647") and str(result.score) == "6.8"  # 57.5 ÷ 8.5
    assert result.complete and result.shown() == "6.8"
    with translation.override("vi"):
        assert result.shown() == "6,8"


def test_an_unmarked_essay_leaves_the_result_incomplete():
    result = scoring.score_attempt(PAPER, ANSWERS, MATHS)
    assert result.points["e1"] is None and result.unmarked == ("e1",) and not result.complete
    assert result.raw == D("2.5")


def test_no_float_ever_appears_in_a_result():
    result = scoring.score_attempt(PAPER, ANSWERS, MATHS, marks={"e1": 3.25})
    numbers = list(result.points.values()) + [result.raw, result.maximum, result.scaled, result.score]
    assert all(type(n) is Decimal for n in numbers)


def test_an_item_is_worth_what_the_delivered_paper_says():
    (item,) = deliver((mcq("m", "A"), "0.5"))
    assert scoring.score_item(item, "A", SECONDARY) == D("0.5")
    (item,) = deliver((true_false("t", True, False, True, False), "2"))  # the table scaled to 2 points
    assert scoring.score_item(item, {"a": True, "b": False, "c": True, "d": False}, SECONDARY) == D(2)
    assert scoring.score_item(item, {"a": True, "b": False}, SECONDARY) == D("0.5")
    (item,) = deliver((words("s", "Hà Nội", ignore_diacritics=True), "0.5"))  # the question's own option
    assert scoring.score_item(item, "ha noi", SECONDARY) == D("0.5")
    (item,) = deliver((words("s", "Hà Nội"), "0.5"))
    assert scoring.score_item(item, "ha noi", SECONDARY) == 0
    (item,) = deliver((essay("e", "2"), "2"))
    with pytest.raises(RequestError):
        scoring.score_item(item, "Bài làm", SECONDARY, mark="2.5")


def test_an_unknown_format_is_a_programming_error():
    class Matching(MultipleChoice):
        format = "matching"

    with pytest.raises(ValueError, match="matching"):
        scoring.score_item(Item(1, Matching("x", "t", "biet", "<p>?</p>"), (), D(1)), "A", SECONDARY)


def test_a_comment_only_attempt_is_shown_as_its_verdict():
    policy = Policy(comment_only=True)
    result = scoring.score_attempt(deliver((mcq("m1", "A"), 10)), {"m1": "A"}, policy)
    assert result.verdict == scoring.ACHIEVED and result.shown() == "Achieved"


# ------------------------------------------------------------------ re-scoring with history

def test_a_corrected_key_rescores_with_the_old_and_new_points():
    before = scoring.score_attempt(PAPER, ANSWERS, MATHS, marks={"e1": "3.25"})
    corrected = [Item(i.position, mcq("m3", "A"), i.order, i.points) if i.question.id == "m3" else i for i in PAPER]
    change = scoring.rescore(before, corrected, ANSWERS, MATHS, marks={"e1": "3.25"})
    assert change.changes == (("m3", D(0), D("0.25")),)
    assert (str(change.previous.score), str(change.current.score), change.difference) == ("6.8", "7.1", D("0.3"))


def test_a_remark_rescores_and_the_history_record_is_exact_json():
    before = scoring.score_attempt(PAPER, ANSWERS, MATHS)
    change = scoring.rescore(before, PAPER, ANSWERS, MATHS, marks={"e1": "4.5"})
    record = json.loads(json.dumps(change.as_record()))
    assert record["changes"] == [{"question": "e1", "old": None, "new": "4.5"}]
    assert record["old"]["score"] == "2.9" and record["new"]["score"] == "8.2"
    assert scoring.Result.from_record(record["new"]) == change.current


def test_a_rescore_that_changes_nothing_says_so():
    before = scoring.score_attempt(PAPER, ANSWERS, MATHS, marks={"e1": "3"})
    change = scoring.rescore(before, PAPER, ANSWERS, MATHS, marks={"e1": "3.00"})
    assert change.changes == () and change.difference == 0


def test_numbers_are_never_written_in_exponent_form():
    assert scoring.plain(D("1E+1")) == "10" and scoring.plain(D("0E-8")) == "0.00000000"
    assert scoring.format_number(D("1E+1")) == "10"
