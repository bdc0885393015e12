"""The one allow-list of rich text (core/richtext.py), shared by materials and test questions."""
import pytest

from vn_online_teaching.core.richtext import sanitize


@pytest.mark.parametrize("dirty, clean", [
    ('<script>alert(1)</script>Toán', "Toán"),
    ('<p>Bài 1<script src="https://evil.example/x.js"></script></p>', "<p>Bài 1</p>"),
    ('<p onclick="x()">Xin chào</p>', "<p>Xin chào</p>"),
    ('<img src="https://a.vn/x.png" alt="Hình" onerror="x">', '<img src="https://a.vn/x.png" alt="Hình">'),
    ('<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer">x</a>'),
    ('<a href="JaVaScRiPt:alert(1)">x</a>', '<a rel="noopener noreferrer">x</a>'),
    ('<img src="data:image/png;base64,AA">', "<img>"),
    ('<p style="color:red" lang="vi">Đ</p>', '<p lang="vi">Đ</p>'),
    ('<iframe src="https://a"></iframe><style>p{}</style><form><input></form>ok', "ok"),
    ('<svg onload=alert(1)>', ""),
])
def test_dangerous_markup_is_removed(dirty, clean):
    assert sanitize(dirty) == clean


@pytest.mark.parametrize("html", [
    "<h2>Bài 1. Hàm số</h2><h3>Mục tiêu</h3><h4>Ghi chú</h4>",
    "<p>Đồ thị <b>hàm số</b> <strong>bậc hai</strong> <i>y</i> = <em>ax</em><sup>2</sup> + x<sub>1</sub></p>",
    "<ul><li>Một</li></ul><ol><li>Hai</li></ol><blockquote>Trích dẫn</blockquote><pre><code>x = 1</code></pre>",
    '<table><thead><tr><th colspan="2">Điểm</th></tr></thead><tbody><tr><td rowspan="1">9</td></tr></tbody></table>',
    "<p><u>gạch chân</u> <s>gạch ngang</s> <span>chữ</span></p><hr><figure><figcaption>Hình 1</figcaption></figure>",
    '<img src="/static/hinh-1.png" alt="Hình 1" width="200" height="100">',
])
def test_allowed_tags_and_vietnamese_are_kept(html):
    assert sanitize(html) == html


def test_links_get_rel_and_keep_href_and_title():
    assert sanitize('<a href="https://a.vn" title="t" target="_blank">y</a>') == \
        '<a href="https://a.vn" title="t" rel="noopener noreferrer">y</a>'
    assert sanitize('<a href="mailto:a@b.vn">m</a>') == '<a href="mailto:a@b.vn" rel="noopener noreferrer">m</a>'


def test_nothing_gives_nothing():
    assert sanitize(None) == ""
    assert sanitize("") == ""


def test_a_feature_may_restrict_where_images_come_from():
    """The test sees the decoded source, after the schemes' rule; only <img src> is asked about."""
    seen = []

    def from_course(src):
        seen.append(src)
        return src.startswith("/static/")

    markup = ('<img src="/static/a&amp;b.png" alt="A"><img src="hinh.png" alt="B">'
              '<img src="javascript:x()"><a href="hinh.png">liên kết</a>')
    assert sanitize(markup, image_source=from_course) == ('<img src="/static/a&amp;b.png" alt="A"><img alt="B"><img>'
                                                          '<a href="hinh.png" rel="noopener noreferrer">liên kết</a>')
    assert seen == ["/static/a&b.png", "hinh.png"]
