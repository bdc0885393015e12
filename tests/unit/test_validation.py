"""Checking what a handler receives (core/validation.py, core/text.py)."""
import datetime as dt
import json
import unicodedata

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from vn_online_teaching.core import text
from vn_online_teaching.core.errors import RequestError
from vn_online_teaching.core.validation import (
    ID, Date, Field, Time, Url, clean_url, parse_date, parse_json_body, validate, validate_text,
)


def error_of(fn, *args, **kwargs):
    with translation.override("en"), pytest.raises(RequestError) as exc:
        fn(*args, **kwargs)
    return exc.value.status, exc.value.as_dict()


# ------------------------------------------------------------------ parse_json_body

def test_parse_an_object():
    assert parse_json_body('{"môn": "Toán", "n": 1}'.encode("utf-8")) == {"môn": "Toán", "n": 1}


def test_an_empty_body_is_an_empty_object():
    assert parse_json_body(b"") == {}


@pytest.mark.parametrize("body", [b"{", b"{'a': 1}", b"action=submit", b"\xff\xfe{}", b'{"a": 1,}', b"   "])
def test_malformed_json(body):
    assert error_of(parse_json_body, body) == (400, {
        "error": "bad_json", "message": "The request could not be read (malformed JSON)."})


@pytest.mark.parametrize("body", [b"[]", b"[1, 2]", b'"text"', b"1", b"null", b"true"])
def test_json_that_is_not_an_object(body):
    assert error_of(parse_json_body, body) == (400, {
        "error": "bad_json", "message": "The request could not be read (malformed JSON)."})


def test_deeply_nested_json_is_malformed_not_a_crash():
    """200 000 brackets fit in the 256 KiB limit; json.loads then raises RecursionError, which
    parse_json_body does not catch, so the handler answers 500 instead of 400."""
    body = b"[" * 200_000
    assert len(body) < 256 * 1024
    assert error_of(parse_json_body, body) == (400, {
        "error": "bad_json", "message": "The request could not be read (malformed JSON)."})


def test_an_oversized_body_is_413():
    body = json.dumps({"a": "x" * 20}).encode()
    assert error_of(parse_json_body, body, max_bytes=len(body) - 1) == (413, {
        "error": "too_large", "message": "The request is too large."})
    assert parse_json_body(body, max_bytes=len(body)) == {"a": "x" * 20}


def test_the_default_limit_is_256_kib():
    body = b'{"a": "' + b"x" * (256 * 1024 - 9) + b'"}'
    assert len(body) == 256 * 1024
    assert parse_json_body(body)["a"] == "x" * (256 * 1024 - 9)
    assert error_of(parse_json_body, body + b" ")[0] == 413


def test_the_limit_comes_from_the_settings(settings):
    settings.VN_ONLINE_TEACHING = dict(settings.VN_ONLINE_TEACHING, MAX_REQUEST_BYTES=10)
    assert error_of(parse_json_body, b'{"a": "xxxx"}')[0] == 413
    assert parse_json_body(b'{"a": 1}') == {"a": 1}


def test_the_size_is_checked_before_parsing():
    assert error_of(parse_json_body, b"{" * 100, max_bytes=50)[1]["error"] == "too_large"


# ------------------------------------------------------------------ validate

FIELDS = {
    "action": Field(str, choices=["submit", "pass"]),
    "comment": Field(str, required=False, default="", max_length=10),
    "count": Field(int, required=False, default=0),
}


def test_validate_cleans_and_fills_defaults():
    assert validate({"action": " pass "}, FIELDS) == {"action": "pass", "comment": "", "count": 0}
    assert validate({"action": "submit", "comment": "  Tốt lắm  ", "count": 3}, FIELDS) == {
        "action": "submit", "comment": "Tốt lắm", "count": 3}


def test_null_is_taken_as_missing():
    assert validate({"action": "pass", "comment": None}, FIELDS)["comment"] == ""
    assert error_of(validate, {"action": None}, FIELDS) == (400, {
        "error": "required", "message": "The field action is required.", "field": "action"})


def test_unknown_field():
    assert error_of(validate, {"action": "pass", "state": "approved", "extra": 1}, FIELDS) == (400, {
        "error": "unknown_field", "message": "Unknown field: extra.", "field": "extra"})


def test_missing_required_field():
    assert error_of(validate, {"comment": "x"}, FIELDS) == (400, {
        "error": "required", "message": "The field action is required.", "field": "action"})


def test_unknown_fields_are_reported_before_missing_ones():
    assert error_of(validate, {"zz": 1}, FIELDS)[1]["error"] == "unknown_field"


@pytest.mark.parametrize("kind, value", [
    (int, True), (int, False), (int, "3"), (int, 3.0),
    (str, 3), (str, ["a"]), (str, {"a": 1}), (str, True),
    (bool, 1), (bool, "true"),
    (list, "a,b"), (list, {"a": 1}),
    (dict, []), (dict, "{}"),
])
def test_wrong_types(kind, value):
    assert error_of(Field(kind).clean, "f", value) == (400, {
        "error": "bad_type", "message": "The field f has the wrong type.", "field": "f"})


@pytest.mark.parametrize("kind, value", [(int, 0), (int, -5), (bool, True), (bool, False), (str, ""),
                                         (list, []), (dict, {})])
def test_right_types(kind, value):
    assert Field(kind).clean("f", value) == value


def test_bool_is_not_int_inside_validate():
    assert error_of(validate, {"action": "pass", "count": True}, FIELDS)[1]["error"] == "bad_type"


def test_strings_are_stripped():
    assert Field(str).clean("f", "  Nguyễn Thị Lan \n") == "Nguyễn Thị Lan"


def test_max_length_counts_characters_after_stripping():
    assert Field(str, max_length=5).clean("f", "  Đường  ") == "Đường"
    assert error_of(Field(str, max_length=5).clean, "f", "Đườngg") == (400, {
        "error": "too_long", "message": "The field f is too long (at most 5 characters).", "field": "f"})


def test_blank_strings_may_be_refused():
    assert error_of(Field(str, blank=False).clean, "subject", "   ") == (400, {
        "error": "required", "message": "The field subject must not be empty.", "field": "subject"})
    assert Field(str).clean("subject", "   ") == ""


def test_a_labelled_field_is_named_by_its_label():
    """People read the label their form shows ("Title"), not the programmatic name; the answer's
    ``field`` keeps the name, for the page's script and for programs."""
    field = Field(str, max_length=5, blank=False, label="Title")
    assert error_of(field.clean, "display_name", "   ") == (400, {
        "error": "required", "message": "The field Title must not be empty.", "field": "display_name"})
    assert error_of(field.clean, "display_name", "Đườngg")[1]["message"] == (
        "The field Title is too long (at most 5 characters).")
    assert error_of(field.clean, "display_name", 3)[1] == {
        "error": "bad_type", "message": "The field Title has the wrong type.", "field": "display_name"}
    assert error_of(validate, {}, {"display_name": field})[1] == {
        "error": "required", "message": "The field Title is required.", "field": "display_name"}


def test_the_label_is_translated_with_the_message():
    from vn_online_teaching.core.i18n import gettext

    with pytest.raises(RequestError) as exc:
        Field(str, blank=False, label="Title").clean("display_name", "")
    with translation.override("vi"):
        expected = gettext("The field {field} must not be empty.").format(field=gettext("Title"))
        assert exc.value.message() == expected
        assert "display_name" not in expected and gettext("Title") in expected
    assert exc.value.as_dict()["field"] == "display_name"


def test_choices():
    field = Field(str, choices=["video", "website"])
    assert field.clean("kind", " video ") == "video"
    assert error_of(field.clean, "kind", "Video") == (400, {
        "error": "bad_choice", "message": "The field kind has a value that is not allowed.", "field": "kind"})


def test_integer_choices():
    assert Field(int, choices=[1, 2]).clean("n", 2) == 2
    assert error_of(Field(int, choices=[1, 2]).clean, "n", 3)[1]["error"] == "bad_choice"


def test_list_max_items():
    field = Field(list, max_items=2)
    assert field.clean("links", [1, 2]) == [1, 2]
    assert error_of(field.clean, "links", [1, 2, 3]) == (400, {
        "error": "too_many", "message": "The field links has too many items (at most 2).", "field": "links"})


def test_list_items_are_validated_and_cleaned():
    """An item's error names its place in the list, so a page can point at the wrong row."""
    field = Field(list, max_items=3, item=Field(str, max_length=4))
    assert field.clean("attachments", [" ab ", "cd"]) == ["ab", "cd"]
    assert error_of(field.clean, "attachments", ["ab", 3]) == (400, {
        "error": "bad_type", "message": "The field attachments[1] has the wrong type.", "field": "attachments[1]"})
    assert error_of(field.clean, "attachments", ["abcde"])[1]["error"] == "too_long"


def test_list_items_of_objects():
    field = Field(list, item=Field(dict))
    assert field.clean("links", [{"url": "https://a.vn"}]) == [{"url": "https://a.vn"}]
    assert error_of(field.clean, "links", ["https://a.vn"])[1]["error"] == "bad_type"


def test_max_items_is_checked_before_items():
    field = Field(list, max_items=1, item=Field(int))
    assert error_of(field.clean, "l", ["a", "b"])[1]["error"] == "too_many"


def test_as_dict_has_no_field_when_none_was_given():
    with translation.override("en"):
        assert RequestError("x", "Plain.").as_dict() == {"error": "x", "message": "Plain."}


# ------------------------------------------------------------------ text that is not text

@pytest.mark.parametrize("body", [
    rb'{"comment": "\ud800"}',            # a lone high surrogate
    rb'{"comment": "a\udfffb"}',          # a lone low surrogate
    rb'{"comment": "\uDC00\uD800"}',      # a pair in the wrong order
    rb'{"marks": [{"note": "\ud83d"}]}',  # deep inside
])
def test_a_lone_surrogate_in_a_value_is_refused(body):
    status, answer = error_of(parse_json_body, body)
    assert (status, answer["error"]) == (400, "bad_text")
    assert answer["field"] == ("marks" if b"marks" in body else "comment")
    assert answer["message"] == f"The field {answer['field']} contains characters that cannot be read."


@pytest.mark.parametrize("body", [rb'{"\ud800": 1}', rb'{"a\udc00": "x"}'])
def test_a_lone_surrogate_in_a_key_is_refused(body):
    assert error_of(parse_json_body, body) == (400, {
        "error": "bad_text", "message": "The request contains characters that cannot be read."})


def test_a_lone_surrogate_in_a_nested_key_names_the_top_field():
    assert error_of(parse_json_body, rb'{"checklist": {"\ud800": true}}')[1]["field"] == "checklist"


def test_a_surrogate_pair_is_a_character_and_an_escaped_backslash_is_text():
    assert parse_json_body(rb'{"c": "\ud83d\ude00", "d": "\\ud800"}') == {"c": "\U0001F600", "d": "\\ud800"}


@pytest.mark.parametrize("body", [b'{"a": NaN}', b'{"a": Infinity}', b'{"a": -Infinity}', b'{"a": 1e999}',
                                  b'{"a": [-1e400]}'])
def test_numbers_no_column_stores_are_malformed(body):
    assert error_of(parse_json_body, body)[1]["error"] == "bad_json"


def test_an_integer_too_long_to_read_is_malformed_not_a_crash():
    assert error_of(parse_json_body, b'{"a": ' + b"9" * 5000 + b"}")[1]["error"] == "bad_json"


@pytest.mark.parametrize("raw, clean", [
    ("Tiết 1\r\nTiết 2", "Tiết 1\nTiết 2"),
    ("Tiết 1\rTiết 2", "Tiết 1\nTiết 2"),      # a bare CR would start a new calendar line
    ("a\u2028b\u2029c", "a\nb\nc"),
    ("a\x00b\x07c\x1bd\x7fe\x85f\x0bg\x0ch", "abcdefgh"),
    ("cột 1\tcột 2", "cột 1\tcột 2"),
    ("To\u0061\u0301n", "To\u00e1n"),           # NFC
])
def test_multiline_text_is_cleaned(raw, clean):
    assert Field(str).clean("f", raw) == clean


@pytest.mark.parametrize("raw, clean", [
    ("Tiết 1\r\nTiết 2", "Tiết 1 Tiết 2"),
    ("Tiết 1\rTiết 2", "Tiết 1 Tiết 2"),
    ("Toán\t7A", "Toán 7A"),
    ("\n Toán\x00 \n", "Toán"),
])
def test_one_line_text_has_no_line_breaks(raw, clean):
    assert Field(str, multiline=False).clean("title", raw) == clean


def test_lone_surrogates_in_a_field_are_refused_by_its_label():
    assert error_of(Field(str, label="Title").clean, "display_name", "B\ud800ài") == (400, {
        "error": "bad_text", "message": "The field Title contains characters that cannot be read.",
        "field": "display_name"})


def test_max_length_counts_cleaned_characters():
    """Decomposed Vietnamese counts as the letters a reader sees (NFC) and removed controls do
    not count."""
    assert Field(str, max_length=5).clean("f", "\u0110u\u031bo\u031b\u0300ng\x00") == "Đường"


def test_stacked_combining_marks_are_cut():
    """Normalising a long run of marks is quadratic in CPython; no real text has more than 30."""
    assert Field(str).clean("f", "a" + "\u0301" * 40 + "\u0316" * 40 + "b") == (
        "\u00e1" + "\u0301" * 29 + "b")


NASTY = st.sampled_from(["\ud800", "\udfff", "\r", "\n", "\r\n", "\t", "\x00", "\x1b", "\x7f", "\x85",
                         "\u2028", "\u2029", "\u0301", "\u0316", "\u0f73", "\ufeff", " ", "đ", "Ư"])
ANY_TEXT = st.lists(st.one_of(st.characters(codec=None, exclude_categories=()), NASTY), max_size=40).map("".join)


def _controls(value):
    return {c for c in value if unicodedata.category(c) == "Cc" or c in "\u2028\u2029"}


@settings(max_examples=300, deadline=None)
@given(value=ANY_TEXT, multiline=st.booleans())
def test_text_fields_return_only_valid_unicode_without_controls(value, multiline):
    try:
        cleaned = Field(str, multiline=multiline).clean("f", value)
    except RequestError as exc:
        assert exc.code == "bad_text"
        assert any(0xD800 <= ord(c) <= 0xDFFF for c in value)
        return
    cleaned.encode("utf-8")  # no lone surrogate
    assert _controls(cleaned) <= ({"\n", "\t"} if multiline else set())
    assert unicodedata.is_normalized("NFC", cleaned)
    assert cleaned == cleaned.strip()


@settings(max_examples=200, deadline=None)
@given(value=ANY_TEXT)
def test_text_clean_never_fails_and_fold_agrees(value):
    cleaned = text.clean(value)
    cleaned.encode("utf-8")
    assert _controls(cleaned) <= {"\n", "\t"}
    assert text.fold(value) == text.fold(text.nfc(value))


# ------------------------------------------------------------------ integers

def test_integers_default_to_what_a_column_holds():
    field = Field(int)
    assert field.clean("n", 2**31 - 1) == 2**31 - 1
    assert field.clean("n", -2**31) == -2**31
    assert error_of(field.clean, "n", 2**31) == (400, {
        "error": "out_of_range", "message": "The field n must be a number from -2147483648 to 2147483647.",
        "field": "n"})
    assert error_of(field.clean, "n", -2**31 - 1)[1]["error"] == "out_of_range"


def test_minimum_and_maximum_narrow_the_range():
    field = Field(int, minimum=1, maximum=10, label="Period")
    assert field.clean("period", 10) == 10
    assert error_of(field.clean, "period", 0)[1] == {
        "error": "out_of_range", "message": "The field Period must be a number from 1 to 10.", "field": "period"}
    assert Field(int, minimum=0).maximum == 2**31 - 1


def test_record_ids_are_64_bit_and_positive():
    assert ID.clean("lesson", 2**63 - 1) == 2**63 - 1
    for value in (0, -1, 2**63, 10**30):
        assert error_of(ID.clean, "lesson", value)[1]["error"] == "out_of_range"


def test_an_id_beyond_64_bits_in_a_body_is_a_400():
    body = b'{"lesson": ' + str(2**64).encode() + b"}"
    assert error_of(lambda: validate(parse_json_body(body), {"lesson": ID}))[1]["error"] == "out_of_range"


@settings(max_examples=200, deadline=None)
@given(value=st.integers(), low=st.integers(-2**40, 2**40), span=st.integers(0, 2**41))
def test_integers_outside_the_range_are_refused(value, low, span):
    field = Field(int, minimum=low, maximum=low + span)
    if low <= value <= low + span:
        assert field.clean("n", value) == value
    else:
        assert error_of(field.clean, "n", value)[1]["error"] == "out_of_range"


@given(value=st.one_of(st.integers(max_value=-2**31 - 1), st.integers(min_value=2**31)))
def test_integers_beyond_32_bits_are_refused_by_default(value):
    assert error_of(Field(int).clean, "n", value)[1]["error"] == "out_of_range"


# ------------------------------------------------------------------ nested bodies

MARK = Field(dict, fields={
    "user": Field(str, max_length=255, multiline=False),
    "status": Field(str, choices=["present", "absent"], label="Status"),
    "note": Field(str, required=False, default="", max_length=10),
})
MARKS = {"marks": Field(list, max_items=3, item=MARK)}


def test_nested_objects_are_cleaned_with_the_same_rules():
    data = validate({"marks": [{"user": " lan\r\n", "status": "present"},
                               {"user": "minh", "status": "absent", "note": "ốm\rnặng"}]}, MARKS)
    assert data == {"marks": [{"user": "lan", "status": "present", "note": ""},
                              {"user": "minh", "status": "absent", "note": "ốm\nnặng"}]}


@pytest.mark.parametrize("marks, error, field", [
    ([{"user": "lan"}], "required", "marks[0].status"),
    ([{"user": "lan", "status": "present"}, {"user": "a", "status": "late"}], "bad_choice", "marks[1].status"),
    ([{"user": "lan", "status": "present", "grade": 10}], "unknown_field", "marks[0].grade"),
    ([{"user": 3, "status": "present"}], "bad_type", "marks[0].user"),
    (["lan"], "bad_type", "marks[0]"),
    ([{"user": "lan", "status": "present", "note": "x" * 11}], "too_long", "marks[0].note"),
])
def test_nested_errors_name_the_path(marks, error, field):
    answer = error_of(validate, {"marks": marks}, MARKS)[1]
    assert (answer["error"], answer["field"]) == (error, field)


def test_a_nested_label_names_the_field_in_the_message():
    answer = error_of(validate, {"marks": [{"user": "lan", "status": "x"}]}, MARKS)[1]
    assert answer["message"] == "The field Status has a value that is not allowed."


def test_a_dict_without_a_schema_is_kept_as_sent():
    assert Field(dict).clean("checklist", {"a": True}) == {"a": True}


def test_defaults_are_never_shared_between_requests():
    fields = {"tags": Field(list, required=False, default=[])}
    first = validate({}, fields)
    first["tags"].append("changed")
    assert validate({}, fields) == {"tags": []}


def test_a_long_unknown_name_is_shortened_in_the_answer():
    answer = error_of(validate, {"x" * 5000: 1}, FIELDS)[1]
    assert answer["error"] == "unknown_field" and len(answer["field"]) == 101


# ------------------------------------------------------------------ dates and times

def test_dates_become_dates():
    assert Date().clean("date", " 2024-09-05 ") == dt.date(2024, 9, 5)
    assert Date().clean("date", "2000-01-01") == dt.date(2000, 1, 1)
    assert Date().clean("date", "2099-12-31") == dt.date(2099, 12, 31)


@pytest.mark.parametrize("value", ["2024-13-01", "2024-02-30", "20240905", "2024-W36-4", "05/09/2024",
                                   "2024-9-5", "٢٠٢٤-٠٩-٠٥", "2024-09-05T00:00", 20240905, ["2024-09-05"], True])
def test_what_is_not_a_date(value):
    assert error_of(Date(label="Date").clean, "date", value)[1] == {
        "error": "bad_date", "message": "The field Date must be a date (YYYY-MM-DD).", "field": "date"}


@pytest.mark.parametrize("value", ["1999-12-31", "2100-01-01", "9999-12-31", "0001-01-01"])
def test_dates_no_school_means_are_refused(value):
    assert error_of(Date().clean, "first", value)[1] == {
        "error": "bad_date", "message": "The field first must be a date between 01/01/2000 and 31/12/2099.",
        "field": "first"}


def test_a_blank_date_is_not_given():
    assert Date(required=False).clean("week", "  ") is None
    assert validate({"week": ""}, {"week": Date(required=False, default=None)}) == {"week": None}
    assert error_of(validate, {"week": ""}, {"week": Date()})[1]["error"] == "required"
    assert error_of(validate, {}, {"week": Date(label="Week")})[1]["message"] == "The field Week is required."


def test_parse_date_checks_one_value():
    assert parse_date("2025-01-15", "week") == dt.date(2025, 1, 15)
    for value in (None, "", "9999-12-31", "x"):
        assert error_of(parse_date, value, "week")[1]["error"] == "bad_date"


@settings(max_examples=200)
@given(day=st.dates())
def test_only_dates_of_2000_to_2099_are_accepted(day):
    if dt.date(2000, 1, 1) <= day <= dt.date(2099, 12, 31):
        assert Date().clean("d", day.isoformat()) == day
    else:
        assert error_of(Date().clean, "d", day.isoformat())[1]["error"] == "bad_date"


@settings(max_examples=200, deadline=None)
@given(value=st.one_of(ANY_TEXT, st.integers(), st.none(), st.lists(st.integers(), max_size=2)))
def test_anything_as_a_date_or_time_is_a_date_a_time_or_a_request_error(value):
    for field in (Date(required=False), Time(required=False)):
        try:
            cleaned = field.clean("d", value)
        except RequestError:
            continue
        assert cleaned is None or isinstance(cleaned, (dt.date, dt.time))
        if isinstance(cleaned, dt.date):
            assert dt.date(2000, 1, 1) <= cleaned <= dt.date(2099, 12, 31)


def test_times():
    assert Time().clean("start", "07:50") == dt.time(7, 50)
    assert Time().clean("start", "13:05:00") == dt.time(13, 5)
    assert Time(required=False, default=None).clean("start", "") is None
    for value in ("7:50", "24:00", "07:60", "0750", "07:50:00.5", "07:50+07:00", 750):
        assert error_of(Time().clean, "start", value)[1] == {
            "error": "bad_time", "message": "The field start must be a time (HH:MM).", "field": "start"}


# ------------------------------------------------------------------ links

GOOD_LINKS = ["https://meet.google.com/abc-defg-hij", "http://10.0.0.1:8080/x", "HTTPS://Zoom.us/j/123?pwd=x#y",
              "https://trường.edu.vn/bài-1", "http://[2001:db8::1]/a", "https://example.vn.", "https://a.b-c.vn/"]
BAD_LINKS = ["http://", "https://", "javascript:alert(1)", "http:// x", "https://exa mple.com", "ftp://x.vn/a",
             "meet.google.com/abc", "//meet.google.com/abc", "https:/meet.google.com", "http://localhost/x",
             "https://google.com@evil.example/", "https://user:pw@meet.google.com/", "https://x.vn:99999/",
             "https://x.vn:port/", "https://x.vn/\x00", "https://x.vn/a\tb", "https://x.vn/\u202e", "http://1.2.3",
             "http://999.1.1.1/", "https://-x.vn/", "https://x..vn/", "https://[::1/", "data:text/html,x",
             "https://x.vn/\ud800", "https://" + "a" * 1990 + ".vn"]


@pytest.mark.parametrize("url", GOOD_LINKS)
def test_web_addresses(url):
    assert clean_url(url) == url
    assert Url().clean("link", f" {url} ") == url


@pytest.mark.parametrize("url", BAD_LINKS)
def test_what_is_not_a_web_address(url):
    message = "Links must be full web addresses starting with https:// or http://."
    assert error_of(clean_url, url)[1] == {"error": "bad_link", "message": message, "field": "link"}
    assert error_of(Url().clean, "meeting_link", url)[1] == {"error": "bad_link", "message": message,
                                                            "field": "meeting_link"}


def test_a_link_of_2000_characters_is_the_longest():
    url = "https://example.vn/" + "a" * (2000 - len("https://example.vn/"))
    assert clean_url(url) == url
    assert error_of(clean_url, url + "a")[1]["error"] == "bad_link"


def test_an_optional_link_may_be_blank_and_clean_url_may_not():
    assert validate({"link": "  "}, {"link": Url()}) == {"link": ""}
    assert validate({}, {"link": Url()}) == {"link": ""}
    assert error_of(validate, {"link": ""}, {"link": Url(required=True)})[1]["error"] == "required"
    assert error_of(clean_url, "")[1]["error"] == "bad_link"
    assert error_of(clean_url, None, "url")[1] == {
        "error": "bad_link", "field": "url",
        "message": "Links must be full web addresses starting with https:// or http://."}
    assert error_of(Url().clean, "link", 3)[1]["error"] == "bad_type"


@settings(max_examples=300, deadline=None)
@given(value=st.one_of(ANY_TEXT, st.from_regex(r"\Ahttps?://[^/]{0,20}(/.{0,20})?\Z")))
def test_an_accepted_link_is_always_a_web_address(value):
    try:
        url = clean_url(value)
    except RequestError as exc:
        assert exc.code == "bad_link"
        return
    assert url.lower().startswith(("http://", "https://")) and len(url) <= 2000
    assert not any(c.isspace() or unicodedata.category(c)[0] in "CZ" for c in url)


# ------------------------------------------------------------------ forms and query parameters

FORM = {"lesson": ID, "format": Field(str, required=False, default="auto", choices=["auto", "zoom"]),
        "confirm": Field(bool, required=False, default=False), "week": Date(required=False),
        "skip": Field(list, required=False, default=[], item=Date()),
        "extra": Field(dict, required=False, default={})}


def test_form_texts_are_converted_by_kind():
    assert validate_text({"lesson": [" 42 "], "confirm": ["on"], "week": ["2024-09-02"],
                          "skip": ["2024-09-03", "2024-09-04"], "extra": ['{"a": 1}']}, FORM) == {
        "lesson": 42, "format": "auto", "confirm": True, "week": dt.date(2024, 9, 2),
        "skip": [dt.date(2024, 9, 3), dt.date(2024, 9, 4)], "extra": {"a": 1}}
    assert validate_text({"lesson": ["7"], "confirm": ["false"], "week": [""]}, FORM)["confirm"] is False


@pytest.mark.parametrize("values, error, field", [
    ({"lesson": ["x"]}, "bad_type", "lesson"),
    ({"lesson": ["1.5"]}, "bad_type", "lesson"),
    ({"lesson": ["0"]}, "out_of_range", "lesson"),
    ({"lesson": [str(2**64)]}, "out_of_range", "lesson"),
    ({"lesson": ["9" * 500]}, "bad_type", "lesson"),
    ({"lesson": [""]}, "required", "lesson"),
    ({"lesson": ["1", "2"]}, "bad_type", "lesson"),
    ({"lesson": ["1"], "confirm": ["maybe"]}, "bad_type", "confirm"),
    ({"lesson": ["1"], "skip": ["2024-09-03", "9999-01-01"]}, "bad_date", "skip[1]"),
    ({"lesson": ["1"], "extra": ["[1]"]}, "bad_type", "extra"),
    ({"lesson": ["1"], "extra": ['{"\\ud800": 1}']}, "bad_text", "extra"),
    ({"lesson": [object()]}, "bad_type", "lesson"),
    ({"lesson": ["1"], "format": ["a\ud800"]}, "bad_text", "format"),
    ({"lesson": ["1"], "other": ["x"]}, "unknown_field", "other"),
])
def test_form_texts_that_are_refused(values, error, field):
    answer = error_of(validate_text, values, FORM)[1]
    assert (answer["error"], answer["field"]) == (error, field)


def test_unknown_query_parameters_may_be_ignored():
    assert validate_text({"week": ["2024-09-02"], "fbclid": ["x"]}, {"week": Date()}, ignore_unknown=True) == {
        "week": dt.date(2024, 9, 2)}


def test_core_text_cleans_what_it_cannot_refuse():
    """File names and report cells cannot be refused like a form field: they are made safe."""
    assert text.clean("B\ud800i\r\nx\x00", multiline=False) == "B\ufffdi x"
    assert text.nfc("a" + "\u0301" * 40) == "\u00e1" + "\u0301" * 29
    assert text.fold("A" + "\u0301" * 100 + "\u0f73" * 40 + "n") == "an"
    assert not text.is_valid("\udfff") and text.is_valid("Bài \U0001F600")
