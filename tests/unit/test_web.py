"""The handler plumbing (core/web.py): what reaches a handler, and what every bad request gets."""
import datetime as dt
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from webob import Request, Response

from vn_online_teaching.core.errors import Conflict, Forbidden, NotFound, RequestError
from vn_online_teaching.core.validation import ID, Date, Field, Time, Url
from vn_online_teaching.core.web import (
    file_name, file_response, get_api, json_api, json_response, page_response, upload_api,
)

LESSON = {"lesson": ID, "title": Field(str, required=False, default="", max_length=20, multiline=False),
          "date": Date(required=False), "start": Time(required=False), "link": Url(),
          "marks": Field(list, required=False, default=[], max_items=3, item=Field(dict, fields={
              "user": Field(str, max_length=10), "present": Field(bool)})),
          "checklist": Field(dict, required=False, default={})}


class Block:
    """What the wrappers need of a block: its keys (for the organisation's settings)."""

    def __init__(self):
        self.calls = []

    def keys(self):
        return ("u", "course-v1:O+C+R", "O")

    @json_api(LESSON)
    def save(self, data, suffix=""):
        self.calls.append((data, suffix))
        return {"saved": True}

    @json_api({"code": Field(str, required=False, default="")}, request=True)
    def check_in(self, data, suffix, request):
        return {"ip": request.remote_addr, "code": data["code"]}

    @json_api({"what": Field(str)})
    def fail(self, data, suffix=""):
        raise {"forbidden": Forbidden(), "missing": NotFound(), "taken": Conflict("taken", "Taken."),
               "bug": ValueError("a bug")}[data["what"]]

    @json_api({})
    def nothing(self, data, suffix=""):
        return None

    @upload_api({"lesson": ID, "format": Field(str, required=False, default="auto", choices=["auto", "zoom"])},
                "MAX_REPORT_BYTES")
    def import_report(self, data, upload, suffix=""):
        self.calls.append((data, upload))
        return {"name": upload.name, "size": len(upload.data), **{k: str(v) for k, v in data.items()}}

    @get_api({"week": Date(required=False)})
    def logbook(self, params, suffix=""):
        self.calls.append(params)
        return page_response(f"<p>{params['week']}</p>", "logbook.html")

    @get_api()
    def download(self, params, suffix=""):
        return file_response("Sổ.csv", "text/csv; charset=utf-8", b"a,b")


def post_json(handler, body, **kwargs):
    request = Request.blank("/", method="POST", body=body if isinstance(body, bytes) else json.dumps(body).encode(),
                            content_type="application/json", **kwargs)
    return answer(handler(request))


def answer(response):
    return response.status_code, json.loads(response.body)


@pytest.fixture
def block():
    return Block()


# ------------------------------------------------------------------ json_api

def test_a_valid_body_reaches_the_handler_cleaned(block):
    status, body = post_json(block.save, {"lesson": 7, "title": "Tiết 1\r\nĐại số", "date": "2024-09-05",
                                          "start": "07:50", "link": "https://meet.google.com/abc-defg-hij",
                                          "marks": [{"user": "lan", "present": True}]})
    assert (status, body) == (200, {"saved": True})
    assert block.calls == [({"lesson": 7, "title": "Tiết 1 Đại số", "date": dt.date(2024, 9, 5),
                             "start": dt.time(7, 50), "link": "https://meet.google.com/abc-defg-hij",
                             "marks": [{"user": "lan", "present": True}], "checklist": {}}, "")]


def test_the_request_is_passed_when_asked(block):
    request = Request.blank("/", method="POST", body=b'{"code": "12"}', remote_addr="203.0.113.9")
    assert answer(block.check_in(request)) == (200, {"ip": "203.0.113.9", "code": "12"})


def test_a_handler_answering_nothing_answers_an_empty_object(block):
    assert post_json(block.nothing, {}) == (200, {})


def test_only_post_is_accepted(block):
    response = block.save(Request.blank("/?lesson=1"))
    assert answer(response) == (405, {"error": "method", "message": "This address only accepts POST."})
    assert response.headers["Allow"] == "POST"
    assert block.calls == []


@pytest.mark.parametrize("body, status, error, field", [
    ({"lesson": 2**64}, 400, "out_of_range", "lesson"),
    ({"lesson": 1, "date": "9999-12-31"}, 400, "bad_date", "date"),
    ({"lesson": 1, "link": "http://"}, 400, "bad_link", "link"),
    ({"lesson": 1, "marks": [{"user": "lan", "present": "yes"}]}, 400, "bad_type", "marks[0].present"),
    ({"lesson": 1, "title": "\ud800"}, 400, "bad_text", "title"),
    ({"lesson": 1, "checklist": {"\udc00": True}}, 400, "bad_text", "checklist"),
    ({"lesson": 1, "extra": 1}, 400, "unknown_field", "extra"),
    ({}, 400, "required", "lesson"),
])
def test_bad_bodies_get_a_4xx_and_the_handler_does_not_run(block, body, status, error, field):
    code, answer_body = post_json(block.save, body)
    assert (code, answer_body["error"], answer_body["field"]) == (status, error, field)
    assert answer_body["message"]
    assert block.calls == []


def test_a_body_announced_too_large_is_refused_before_it_is_read(block, settings):
    settings.VN_ONLINE_TEACHING = dict(settings.VN_ONLINE_TEACHING, MAX_REQUEST_BYTES=100)
    request = Request.blank("/", method="POST", body=b"{}")
    request.content_length = 101
    assert answer(block.save(request)) == (413, {"error": "too_large", "message": "The request is too large."})


def lying_request(body, announced, content_type):
    """A request whose Content-Length promises more than the client sends (it went away)."""
    request = Request.blank("/", method="POST", content_type=content_type)
    request.environ.update({"wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(announced)})
    request.environ.pop("webob.is_body_seekable", None)
    return request


def test_a_body_shorter_than_announced_is_a_400(block):
    assert answer(block.save(lying_request(b'{"lesson": 1}', 500, "application/json"))) == (400, {
        "error": "bad_json", "message": "The request could not be read (malformed JSON)."})


@pytest.mark.parametrize("what, status, error", [("forbidden", 403, "forbidden"), ("missing", 404, "not_found"),
                                                 ("taken", 409, "taken")])
def test_request_errors_of_the_handler_are_answered(block, what, status, error):
    code, body = post_json(block.fail, {"what": what})
    assert (code, body["error"]) == (status, error)


def test_any_other_exception_is_a_bug_and_propagates(block):
    with pytest.raises(ValueError, match="a bug"):
        post_json(block.fail, {"what": "bug"})


def test_the_wrappers_say_what_they_take():
    assert (Block.save.kind, Block.save.schema) == ("json", LESSON)
    assert Block.save._is_xblock_handler is True  # pylint: disable=protected-access
    assert Block.save.__name__ == "save"
    assert (Block.import_report.kind, Block.import_report.limit_setting, Block.import_report.file_field) == (
        "upload", "MAX_REPORT_BYTES", "file")
    assert set(Block.import_report.schema) == {"lesson", "format"}
    assert (Block.logbook.kind, set(Block.logbook.schema)) == ("get", {"week"})
    assert Block.download.schema == {}


NASTY_TEXT = st.lists(st.one_of(st.characters(codec=None, exclude_categories=()),
                                st.sampled_from(["\ud800", "\udfff", "\r", "\x00", "\u2028", "\u0301", "9999-12-31",
                                                 "http://", "2024-09-05", "07:50"])), max_size=12).map("".join)
JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=False), NASTY_TEXT),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.one_of(NASTY_TEXT, st.sampled_from(["user", "present"])), inner,
                                            max_size=4)),
    max_leaves=15)
BODIES = st.one_of(
    st.dictionaries(st.sampled_from([*LESSON, "extra"]), JSON_VALUES, max_size=len(LESSON) + 1),
    st.fixed_dictionaries({"lesson": st.integers(-5, 2**64)}, optional={
        "marks": st.lists(st.dictionaries(st.sampled_from(["user", "present", "x"]), JSON_VALUES, max_size=3),
                          max_size=4),
        "date": NASTY_TEXT, "title": NASTY_TEXT, "link": NASTY_TEXT, "start": NASTY_TEXT}),
    JSON_VALUES)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=BODIES)
def test_any_json_body_is_a_200_or_a_4xx(body):
    """Whatever JSON-able body arrives, only RequestError comes out of the checks, so the
    handler answers 200 or a translated 4xx and never raises."""
    block = Block()
    status, answer_body = post_json(block.save, json.dumps(body).encode())
    assert status in (200, 400, 413)
    if status == 200:
        data = block.calls[0][0]
        assert isinstance(data["lesson"], int) and 1 <= data["lesson"] < 2**63
        assert data["date"] is None or dt.date(2000, 1, 1) <= data["date"] <= dt.date(2099, 12, 31)
        json.dumps(data, default=str).encode("utf-8")  # nothing that cannot be stored
        assert "\r" not in data["title"] and "\n" not in data["title"]
    else:
        assert answer_body["message"] and block.calls == []


# ------------------------------------------------------------------ upload_api

def upload(fields, **kwargs):
    return Request.blank("/", POST=fields, **kwargs)


@pytest.fixture
def small_reports(settings):
    """Reports of at most 1000 bytes for the organisation "O" (the block's), 10 MB elsewhere."""
    settings.VN_ONLINE_TEACHING = dict(settings.VN_ONLINE_TEACHING, ORGS={"O": {"MAX_REPORT_BYTES": 1000}})


def test_an_upload_reaches_the_handler(block):
    status, body = answer(block.import_report(upload({"file": ("C:\\fakepath\\Điểm danh.csv", b"a,b\n"),
                                                      "lesson": "12"})))
    assert (status, body) == (200, {"name": "Điểm danh.csv", "size": 4, "lesson": "12", "format": "auto"})
    assert block.calls[0][0] == {"lesson": 12, "format": "auto"}


def test_an_upload_of_exactly_the_limit_is_accepted(block, small_reports):
    assert answer(block.import_report(upload({"file": ("a.csv", b"x" * 1000), "lesson": "1"})))[0] == 200


def test_one_message_for_every_upload_too_large(block, small_reports):
    assert answer(block.import_report(upload({"file": ("a.csv", b"x" * 1001), "lesson": "1"}))) == (413, {
        "error": "too_large", "message": "The file is larger than 0.001 MB.",
        "field": "file"})
    assert block.calls == []


def test_an_upload_announced_too_large_is_refused_before_it_is_parsed(block, small_reports):
    request = upload({"file": ("a.csv", b"x"), "lesson": "1"})
    request.content_length = 1000 + 64 * 1024 + 1
    assert answer(block.import_report(request))[0] == 413


@pytest.mark.parametrize("build, status, error, field", [
    (lambda: upload({"lesson": "1"}), 400, "required", "file"),
    (lambda: upload({"file": ("", b""), "lesson": "1"}), 400, "required", "file"),
    (lambda: upload({"file": "not a file", "lesson": "1"}), 400, "bad_type", "file"),
    (lambda: Request.blank("/", method="POST", body=b'{"lesson": 1}', content_type="application/json"),
     400, "required", "file"),
    (lambda: Request.blank("/", method="POST", body=b"", content_type="text/plain"), 400, "required", "file"),
    (lambda: upload({"file": ("a.csv", b"x"), "lesson": "x"}), 400, "bad_type", "lesson"),
    (lambda: upload({"file": ("a.csv", b"x"), "lesson": str(2**64)}), 400, "out_of_range", "lesson"),
    (lambda: upload({"file": ("a.csv", b"x"), "lesson": ("b.csv", b"y")}), 400, "bad_type", "lesson"),
    (lambda: upload({"file": ("a.csv", b"x"), "lesson": "1", "format": "teams"}), 400, "bad_choice", "format"),
    (lambda: upload({"file": ("a.csv", b"x"), "lesson": "1", "other": "x"}), 400, "unknown_field", "other"),
    (lambda: upload({"file": ("a.csv", b"x")}), 400, "required", "lesson"),
    (lambda: upload([("file", ("a.csv", b"x")), ("file", ("b.csv", b"y")), ("lesson", "1")]), 400, "bad_type",
     "file"),
])
def test_bad_uploads_get_a_4xx(block, build, status, error, field):
    code, body = answer(block.import_report(build()))
    assert (code, body["error"], body.get("field")) == (status, error, field)
    assert block.calls == []


@pytest.mark.parametrize("build", [
    lambda: Request.blank("/", method="POST", body=b"--X\r\ngarbage", content_type="multipart/form-data"),
    lambda: Request.blank("/", method="POST", body=b"--X\r\ngarbage", content_type="multipart/form-data; boundary=X"),
    lambda: lying_request(b'--X\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nab\r\n--X--\r\n',
                          500, "multipart/form-data; boundary=X"),
])
def test_a_form_that_cannot_be_read_is_a_400(block, build):
    """No boundary, a part without headers, a body shorter than announced: webob raises
    ValueError, builds a field named None, or raises DisconnectionError."""
    assert answer(block.import_report(build())) == (400, {
        "error": "bad_upload", "message": "The upload could not be read. Please try again."})
    assert block.calls == []


def test_uploads_accept_only_post(block):
    assert answer(block.import_report(Request.blank("/")))[0] == 405


@pytest.mark.parametrize("raw, name", [
    ("C:\\Users\\lan\\Bài 1.pdf", "Bài 1.pdf"),
    ("../../etc/passwd", "passwd"),
    ("a\r\nb\x00c.pdf", "a bc.pdf"),
    ("B\ud800i.pdf", "B\ufffdi.pdf"),
    ("Ba\u0300i.pdf", "Bài.pdf"),
    ("Đi".encode() + b"\xffm.csv", "Đi\ufffdm.csv"),
    (None, ""),
    ("x" * 300 + ".pdf", "x" * 251 + ".pdf"),
])
def test_file_names_are_cleaned(raw, name):
    assert file_name(raw) == name


@settings(max_examples=200, deadline=None)
@given(body=st.binary(max_size=400), parts=st.lists(st.sampled_from([
    b'--X\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nab\r\n',
    b'--X\r\nContent-Disposition: form-data; name="lesson"\r\n\r\n1\r\n',
    b'--X\r\nContent-Disposition: form-data; name="file"\r\n\r\nab\r\n',
    b'--X\r\nContent-Disposition: form-data; name="file"; filename="\xff\xfe"\r\n\r\n\r\n',
    b"--X--\r\n", b"\r\n", b"--X\r\n"]), max_size=5), announced=st.one_of(st.none(), st.integers(0, 2000)))
def test_any_multipart_body_is_a_200_or_a_4xx(body, parts, announced):
    raw = b"".join(parts) + body
    request = lying_request(raw, len(raw) if announced is None else announced, "multipart/form-data; boundary=X")
    assert answer(Block().import_report(request))[0] in (200, 400, 413)


# ------------------------------------------------------------------ get_api

def test_query_parameters_are_checked_and_converted(block):
    response = block.logbook(Request.blank("/?week=2024-09-02&fbclid=x"))
    assert response.status_code == 200 and block.calls == [{"week": dt.date(2024, 9, 2)}]
    assert response.body.decode("utf-8") == "<p>2024-09-02</p>"
    block.logbook(Request.blank("/"))
    assert block.calls[-1] == {"week": None}


@pytest.mark.parametrize("query, error", [("?week=9999-12-31", "bad_date"), ("?week=2024-9-2", "bad_date"),
                                          ("?week=a&week=b", "bad_type"), ("?week=%ff", "bad_query"),
                                          ("?x=%ed%a0%80", "bad_query")])
def test_bad_query_parameters_get_a_400(block, query, error):
    status, body = answer(block.logbook(Request.blank("/" + query)))
    assert (status, body["error"]) == (400, error) and body["message"]
    assert block.calls == []


def test_get_handlers_return_their_response(block):
    response = block.download(Request.blank("/?anything=1"))
    assert response.body == b"a,b" and response.content_type == "text/csv"
    assert response.headers["Content-Disposition"] == "attachment; filename*=UTF-8''S%E1%BB%95.csv"


# ------------------------------------------------------------------ responses

def test_page_response_is_an_inline_utf8_page():
    response = page_response("<h1>Sổ đầu bài</h1>\ud800", "logbook.html")
    assert isinstance(response, Response)
    assert response.content_type == "text/html" and response.charset == "utf-8"
    assert response.headers["Content-Disposition"] == "inline; filename*=UTF-8''logbook.html"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.body.decode("utf-8") == "<h1>Sổ đầu bài</h1>?"


def test_json_response_survives_text_that_is_not_valid_unicode():
    response = json_response({"name": "B\ud800i"}, status=200)
    assert json.loads(response.body) == {"name": "B\ud800i"}
    assert json_response({"name": "Bài"}).body == '{"name": "Bài"}'.encode("utf-8")


def test_a_file_name_that_is_not_valid_unicode_does_not_break_a_download():
    response = file_response("B\ud800i.csv", "text/csv", b"")
    assert response.headers["Content-Disposition"] == "attachment; filename*=UTF-8''B%3Fi.csv"


def test_an_error_naming_a_field_with_broken_text_is_still_answered():
    status, body = answer(json_response(RequestError("x", "Plain.", field="\udc00").as_dict(), status=400))
    assert (status, body["field"]) == (400, "\udc00")
