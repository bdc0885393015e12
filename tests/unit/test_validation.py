"""Checking a handler's JSON (core/validation.py)."""
import json

import pytest
from django.utils import translation

from vn_online_teaching.core.errors import RequestError
from vn_online_teaching.core.validation import Field, parse_json_body, validate


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
    field = Field(list, max_items=3, item=Field(str, max_length=4))
    assert field.clean("attachments", [" ab ", "cd"]) == ["ab", "cd"]
    assert error_of(field.clean, "attachments", ["ab", 3]) == (400, {
        "error": "bad_type", "message": "The field attachments has the wrong type.", "field": "attachments"})
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
