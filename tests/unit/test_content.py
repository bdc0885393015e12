"""Content rules of a material (material/content.py): safe HTML, links, uploads, the reviewer's diff."""
import io
import zipfile

import pytest
from django.utils import translation

from vn_online_teaching.core.errors import RequestError
from vn_online_teaching.core.validation import validate
from vn_online_teaching.material.content import (
    ALLOWED_EXTENSIONS, FORM, check_upload, clean_links, diff, display, is_safe_url, pick_attachments, sanitize_html,
    text_lines,
)

MB = 1024 * 1024


# ------------------------------------------------------------------ rich text

def test_the_body_is_sanitised_by_the_shared_allow_list_and_keeps_relative_images():
    """The allow-list itself is tested once (tests/unit/test_richtext.py); a material's body goes
    through it when saved and again when shown, and may show the course's files by any path."""
    body = '<p onclick="x()">Bài 1<script>alert(1)</script></p><img src="hinh.png" alt="Hình">'
    assert sanitize_html(body) == '<p>Bài 1</p><img src="hinh.png" alt="Hình">'
    assert sanitize_html(None) == ""
    shown = display({"display_name": "Bài 1", "body": body}, lambda sha: sha)
    assert shown["body_html"] == '<p>Bài 1</p><img src="hinh.png" alt="Hình">'


# ------------------------------------------------------------------ links

def links(raw):
    """Links as studio_submit takes them: checked by the form's schema, then completed."""
    return clean_links(validate({"links": raw}, {"links": FORM["links"]})["links"])


def test_clean_links_strips_and_fills_defaults():
    given = [{"title": "  Video bài 1 ", "url": " https://youtu.be/abc ", "kind": "video"},
             {"url": "http://example.vn/tai-lieu"}]
    assert links(given) == [
        {"title": "Video bài 1", "url": "https://youtu.be/abc", "kind": "video"},
        {"title": "http://example.vn/tai-lieu", "url": "http://example.vn/tai-lieu", "kind": "website"},
    ]


def test_clean_links_cuts_long_titles():
    assert links([{"title": "Đ" * 300, "url": "https://a.vn"}])[0]["title"] == "Đ" * 200


def test_a_title_is_one_line():
    assert links([{"title": "Bài 1\nphần 2\tx", "url": "https://a.vn"}])[0]["title"] == "Bài 1 phần 2 x"


def test_clean_links_of_nothing():
    assert links([]) == []


@pytest.mark.parametrize("url", [
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "/courses/bai-1",
    "bai-1.html",
    "www.example.vn/bai-1",
    "//example.vn/bai-1",
    "ftp://example.vn/file",
    "https://",
    "https://google.com@evil.example/x",
    "https://example.vn/" + "a" * 1990,   # 2009 characters
])
def test_clean_links_rejects_bad_urls(url):
    """The one rule for web addresses (core/validation.py), with its one message."""
    with translation.override("en"), pytest.raises(RequestError) as exc:
        links([{"title": "x", "url": url}])
    assert exc.value.code == "bad_link"
    assert exc.value.as_dict() == {
        "error": "bad_link", "field": "links[0].url",
        "message": "Links must be full web addresses starting with https:// or http://."}
    assert is_safe_url(url) is False


def test_a_url_of_exactly_2000_characters_is_accepted():
    url = "https://example.vn/" + "a" * (2000 - len("https://example.vn/"))
    assert len(url) == 2000
    assert links([{"url": url}])[0]["url"] == url and is_safe_url(url)
    with pytest.raises(RequestError):
        links([{"url": url + "a"}])


@pytest.mark.parametrize("link", [{"title": "x"}, {"title": "x", "url": ""}, {"url": None}])
def test_a_missing_url_is_refused(link):
    with pytest.raises(RequestError) as exc:
        links([link])
    assert exc.value.code == "required" and exc.value.params["field"] == "links[0].url"


@pytest.mark.parametrize("link, code", [
    ({"title": "x", "url": "https://a.vn", "onclick": "alert(1)"}, "unknown_field"),
    ({"url": "https://a.vn", "target": "_blank"}, "unknown_field"),
    ("https://a.vn", "bad_type"),
    (["https://a.vn"], "bad_type"),
    (None, "bad_type"),
])
def test_clean_links_rejects_unknown_keys_and_non_objects(link, code):
    with pytest.raises(RequestError) as exc:
        links([link])
    assert exc.value.code == code
    assert exc.value.params["field"].startswith("links[0]")


def test_clean_links_rejects_unknown_kinds():
    with pytest.raises(RequestError) as exc:
        links([{"url": "https://a.vn", "kind": "audio"}])
    assert exc.value.code == "bad_choice"


@pytest.mark.parametrize("link", [
    {"url": 123},
    {"url": ["https://a.vn"]},
    {"url": {"href": "https://a.vn"}},
    {"url": "https://a.vn", "kind": ["video"]},
    {"url": "https://a.vn", "kind": {"x": 1}},
    {"url": "https://a.vn", "title": 5},
])
def test_non_text_values_in_a_link_are_a_request_error(link):
    """These must become a 400, not an AttributeError/TypeError (a 500)."""
    with pytest.raises(RequestError):
        links([link])


def test_a_null_title_is_treated_as_absent():
    assert links([{"title": None, "url": "https://a.vn"}])[0]["title"] == "https://a.vn"


@pytest.mark.parametrize("url", [None, 5, {"x": 1}, "javascript:alert(1)", "https://google.com@evil.example/"])
def test_only_safe_links_are_shown(url):
    """Links arriving by OLX import skip the form: the display keeps only web addresses."""
    own = {"display_name": "Bài 1", "links": [{"url": url}, {"url": "https://b.vn"}, "https://c.vn"],
           "attachments": [{"sha256": "ab", "name": "x.pdf"}]}
    shown = display(own, lambda sha: f"/file/{sha}")
    assert [link["url"] for link in shown["links"]] == ["https://b.vn"]
    assert shown["attachments"] == [{"sha256": "ab", "name": "x.pdf", "url": "/file/ab"}]


# ------------------------------------------------------------------ attachments named by the form

def test_attachments_are_picked_from_the_known_files_in_order():
    known = {"a" * 64: {"sha256": "a" * 64}, "b" * 64: {"sha256": "b" * 64}}
    assert pick_attachments(["b" * 64, "a" * 64], known) == [known["b" * 64], known["a" * 64]]
    with pytest.raises(RequestError) as exc:
        pick_attachments(["c" * 64], known)
    assert exc.value.code == "bad_choice" and exc.value.params["field"] == "attachments"


# ------------------------------------------------------------------ uploads

def zip_bytes(names):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name in names:
            z.writestr(name, "<?xml version='1.0' encoding='UTF-8'?><x>Tiếng Việt</x>")
    return buf.getvalue()


DOCX = zip_bytes(["[Content_Types].xml", "_rels/.rels", "word/document.xml"])
XLSX = zip_bytes(["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/worksheets/sheet1.xml"])
PPTX = zip_bytes(["[Content_Types].xml", "_rels/.rels", "ppt/presentation.xml"])
GGB = zip_bytes(["geogebra.xml", "geogebra_thumbnail.png"])
PLAIN_ZIP = zip_bytes(["readme.txt"])
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 20
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20
GIF87 = b"GIF87a" + b"\x01\x00\x01\x00" + b"\x00" * 10
GIF89 = b"GIF89a" + b"\x01\x00\x01\x00" + b"\x00" * 10
MP3_ID3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\x00" * 20
MP3_FRAME = b"\xff\xfb\x90\x64" + b"\x00" * 20
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 10


@pytest.mark.parametrize("name, data, mime", [
    ("Bài 1.pdf", PDF, "application/pdf"),
    ("hinh.png", PNG, "image/png"),
    ("anh.jpg", JPG, "image/jpeg"),
    ("anh.jpeg", JPG, "image/jpeg"),
    ("a.gif", GIF87, "image/gif"),
    ("b.gif", GIF89, "image/gif"),
    ("bai-hat.mp3", MP3_ID3, "audio/mpeg"),
    ("frame.mp3", MP3_FRAME, "audio/mpeg"),
    ("video.mp4", MP4, "video/mp4"),
    ("Giáo án.docx", DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("Điểm.xlsx", XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("Trình chiếu.pptx", PPTX, "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    ("mo-phong.ggb", GGB, "application/vnd.geogebra.file"),
    ("BAI-1.PDF", PDF, "application/pdf"),
])
def test_check_upload_accepts_real_files(name, data, mime):
    assert check_upload(name, data) == (name, mime)


@pytest.mark.parametrize("name, data", [
    ("hinh.pdf", PNG),
    ("tai-lieu.png", PDF),
    ("anh.gif", JPG),
    ("giao-an.pdf", DOCX),
    ("giao-an.docx", PDF),
    ("giao-an.docx", PLAIN_ZIP),
    ("giao-an.xlsx", PLAIN_ZIP),
    ("video.mp4", MP3_ID3),
    ("bai.mp3", MP4),
    ("mo-phong.ggb", PDF),
    ("x.pdf", b"<html><script>alert(1)</script></html>"),
])
def test_check_upload_rejects_content_that_does_not_match_the_name(name, data):
    with translation.override("en"), pytest.raises(RequestError) as exc:
        check_upload(name, data)
    assert exc.value.code == "bad_file_type"
    assert exc.value.status == 400
    assert exc.value.message() == ("This kind of file is not accepted. Allowed: "
                                   "docx, ggb, gif, jpeg, jpg, mp3, mp4, pdf, png, pptx, xlsx.")


@pytest.mark.parametrize("name, data", [("bang-diem.docx", XLSX), ("giao-an.xlsx", DOCX), ("giao-an.pptx", DOCX)])
def test_one_office_format_is_not_accepted_under_another_name(name, data):
    """The OOXML test takes ``part`` ("word/", "xl/", "ppt/") but ignores it whenever the zip
    contains [Content_Types].xml, which every Office file does."""
    with pytest.raises(RequestError) as exc:
        check_upload(name, data)
    assert exc.value.code == "bad_file_type"


@pytest.mark.parametrize("name", ["virus.exe", "trang.html", "script.js", "tai-lieu", "anh.svg", "a.pdf.exe", ""])
def test_check_upload_rejects_unknown_extensions(name):
    with pytest.raises(RequestError) as exc:
        check_upload(name, PDF)
    assert exc.value.code == "bad_file_type"


def test_allowed_extensions():
    assert ALLOWED_EXTENSIONS == ["docx", "ggb", "gif", "jpeg", "jpg", "mp3", "mp4", "pdf", "png", "pptx", "xlsx"]


@pytest.mark.parametrize("data", [b"", None])
def test_check_upload_rejects_empty_files(data):
    with translation.override("en"), pytest.raises(RequestError) as exc:
        check_upload("rong.pdf", data)
    assert exc.value.code == "empty_file"
    assert exc.value.as_dict() == {"error": "empty_file", "message": "The file is empty.", "field": "file"}


def test_check_upload_does_not_limit_the_size():
    """The size is the upload plumbing's, checked while the file is read (one message for every
    upload); the type rule takes whatever was read."""
    assert check_upload("lon.pdf", PDF + b"\x00" * (3 * MB)) == ("lon.pdf", "application/pdf")


@pytest.mark.parametrize("name, safe", [
    ("../../etc/passwd.pdf", ".._.._etc_passwd.pdf"),
    ("C:\\Users\\lan\\Bài 1.pdf", "C:_Users_lan_Bài 1.pdf"),
    ("/tmp/x.pdf", "_tmp_x.pdf"),
    ("a\x00b\nc.pdf", "a_b_c.pdf"),
    ("  Bài giảng.pdf  ", "Bài giảng.pdf"),
])
def test_check_upload_makes_names_safe(name, safe):
    got, _mime = check_upload(name, PDF)
    assert got == safe
    assert "/" not in got and "\\" not in got


def test_check_upload_keeps_the_end_of_a_long_name():
    got, mime = check_upload("Đ" * 300 + ".pdf", PDF)
    assert got == "Đ" * 146 + ".pdf" and len(got) == 150
    assert mime == "application/pdf"


# ------------------------------------------------------------------ diff

def test_text_lines_follow_the_reviewers_order():
    own = {"body": "<p>Dòng 1</p>", "display_name": "Hàm số", "subject": "Toán", "grade": "", "lesson": None,
           "links": [{"title": "Video", "url": "https://a.vn/v"}],
           "attachments": [{"name": "bai1.pdf", "sha256": "0123456789abcdef" * 4}]}
    assert text_lines(own) == [
        ("display_name", "Hàm số"),
        ("subject", "Toán"),
        ("body", "Dòng 1"),
        ("links", "Video <https://a.vn/v>"),
        ("attachments", "bai1.pdf (0123456789ab)"),
    ]


def test_body_lines_are_split_at_blocks_and_unescaped():
    own = {"body": "<p>Một<br>Hai<br/>Ba<br />Bốn</p><ul><li>x &amp; y</li><li>  </li></ul><h2>Đề</h2>"}
    assert text_lines(own) == [("body", "Một"), ("body", "Hai"), ("body", "Ba"), ("body", "Bốn"),
                               ("body", "x & y"), ("body", "Đề")]


def test_diff_shows_removed_and_added_lines_with_their_fields():
    old = {"display_name": "Hàm số", "body": "<p>Dòng 1</p><p>Dòng 2</p>", "licence": "CC BY"}
    new = {"display_name": "Hàm số bậc hai", "body": "<p>Dòng 1</p><p>Dòng 3</p>", "licence": "CC BY"}
    assert diff(old, new) == [
        ("removed", "display_name", "Hàm số"),
        ("added", "display_name", "Hàm số bậc hai"),
        ("same", "licence", "CC BY"),
        ("same", "body", "Dòng 1"),
        ("removed", "body", "Dòng 2"),
        ("added", "body", "Dòng 3"),
    ]


def test_diff_of_links_and_attachments():
    old = {"links": [{"title": "A", "url": "https://a.vn"}], "attachments": []}
    new = {"links": [{"title": "A", "url": "https://a.vn"}, {"title": "B", "url": "https://b.vn"}],
           "attachments": [{"name": "de.pdf", "sha256": "ffffffffffff0000"}]}
    assert diff(old, new) == [
        ("same", "links", "A <https://a.vn>"),
        ("added", "links", "B <https://b.vn>"),
        ("added", "attachments", "de.pdf (ffffffffffff)"),
    ]


def test_diff_from_nothing_is_all_added_and_to_nothing_all_removed():
    own = {"display_name": "Bài 1", "subject": "Toán"}
    assert diff(None, own) == [("added", "display_name", "Bài 1"), ("added", "subject", "Toán")]
    assert diff(own, {}) == [("removed", "display_name", "Bài 1"), ("removed", "subject", "Toán")]


def test_diff_of_equal_content_is_all_same():
    own = {"display_name": "Bài 1", "body": "<p>a</p><p>b</p>"}
    assert diff(own, dict(own)) == [("same", "display_name", "Bài 1"), ("same", "body", "a"), ("same", "body", "b")]
    assert [op for op, _k, _v in diff(own, dict(own))] == ["same"] * 3


def test_the_same_text_in_another_field_is_a_change():
    assert diff({"source": "SGK"}, {"licence": "SGK"}) == [("removed", "source", "SGK"), ("added", "licence", "SGK")]


# ------------------------------------------------------------------ the reviewer's preview

def _preview_heading(child_count):
    from vn_online_teaching.core.i18n import render  # noqa: PLC0415

    html = render("vn_online_teaching/material/staff.html", {"child_count": child_count, "own": {}})
    start = html.index('<section class="vnot-preview">')
    return html[start:html.index("</h3>", start)].split("<h3>", 1)[1]


@pytest.mark.parametrize("n", [1, 2, 7])
def test_the_preview_heading_counts_child_blocks_without_a_plural(n):
    """One message for every count ("and 1 child blocks" was wrong English, and Vietnamese has
    no plural to choose)."""
    with translation.override("en"):
        assert _preview_heading(n) == f"Current content (child blocks: {n})"
    from vn_online_teaching.core.i18n import gettext  # noqa: PLC0415

    with translation.override("vi"):
        assert _preview_heading(n) == f"{gettext('Current content')} ({gettext('child blocks: {n}').format(n=n)})"


def test_the_preview_heading_without_child_blocks_has_no_count():
    with translation.override("en"):
        assert _preview_heading(0) == "Current content"
