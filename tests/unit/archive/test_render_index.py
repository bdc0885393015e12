"""The package's index page (archive/index.py): opens from the unzipped package without a server,
a network or JavaScript; shows the scope and every bag-info line, the audit anchor among them;
lists every data file with its size and a relative link, grouped by feature and by table, in the
package's language; and, built by the package writer, links files that are really there."""
import datetime as dt
import re
import zipfile
from html.parser import HTMLParser
from urllib.parse import unquote

from vn_online_teaching.archive import index, package, render, signing
from vn_online_teaching.core.exporting import Table

INFO = [
    ("Source-Organization", "Trường THPT Nam Lợi"),
    ("External-Description", "Học kỳ I, năm học 2025-2026"),
    ("Contact-Name", "Trần Văn Hùng"),
    ("Audit-Anchor", "42:0123456789abcdef0123"),
    ("Audit-Segment-Start", "1:" + "0" * 64),
    ("Signing-Key-Fingerprint", "ab" * 32),
]
TITLES = {"attendance/logbook": ("attendance", "Sổ đầu bài"), "material/materials_register": ("material", "Sổ theo dõi học liệu")}
LISTING = [
    ("data/material/materials_register.csv", 1234, "1" * 64),
    ("data/material/materials_register.pdf", 20480, "2" * 64),
    ("data/material/files/12/Bài giảng #1 & 2.pdf", 5, "3" * 64),
    ("data/attendance/logbook.csv", 10, "4" * 64),
    ("data/attendance/logbook.pdf", 11, "5" * 64),
    ("data/attendance/logbook-2.pdf", 12, "6" * 64),
    ("data/audit/segment.jsonl", 99, "7" * 64),
]


class Links(HTMLParser):
    """Every address the page refers to (links, images, scripts, styles) and its headings."""

    def __init__(self):
        super().__init__()
        self.addresses, self.tags, self.headings, self._heading = [], set(), [], None

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.addresses += [value for name, value in attrs if name in ("href", "src", "action")]
        if tag in ("h2", "h3"):
            self._heading = [tag, ""]

    def handle_data(self, data):
        if self._heading:
            self._heading[1] += data

    def handle_endtag(self, tag):
        if self._heading and tag == self._heading[0]:
            self.headings.append(tuple(self._heading))
            self._heading = None


def parse(html):
    links = Links()
    links.feed(html)
    return links


def test_the_page_shows_the_scope_and_every_bag_info_line_with_the_anchor():
    html = "".join(index.page(INFO, LISTING, titles=TITLES, language="vi"))
    assert html.startswith("<!DOCTYPE html>") and '<html lang="vi">' in html and 'charset="utf-8"' in html
    for _label, value in INFO:
        assert value in html
    assert "Audit-Segment-Start" in html  # a line without a caption keeps its bag-info name
    assert "Trường</th>" in html.replace("<br><small>Source-Organization</small>", "")


def test_the_files_are_grouped_by_feature_and_table_with_sizes_and_relative_links():
    html = "".join(index.page(INFO, LISTING, titles=TITLES, language="en"))
    page = parse(html)
    assert [text for tag, text in page.headings] == [
        "Learning materials", "Sổ theo dõi học liệu", "Other files",
        "Attendance and class logbook", "Sổ đầu bài", "Audit log", "Other files"]
    assert page.addresses == [
        "material/materials_register.csv", "material/materials_register.pdf",
        "material/files/12/B%C3%A0i%20gi%E1%BA%A3ng%20%231%20%26%202.pdf",
        "attendance/logbook.csv", "attendance/logbook.pdf", "attendance/logbook-2.pdf", "audit/segment.jsonl"]
    assert "20,480" in html and "Printable document (PDF/A)" in html and "(logbook-2.pdf)" in html
    for path, _size, digest in LISTING:
        assert f"<td>{path.replace('&', '&amp;')}</td>" in html and digest in html


def test_the_page_needs_no_network_and_no_script():
    page = parse("".join(index.page(INFO, LISTING, titles=TITLES)))
    assert "script" not in page.tags and "link" not in page.tags and "img" not in page.tags
    assert not [a for a in page.addresses if re.match(r"^[a-z]+:|^//|^/", a)]


def test_the_page_is_in_the_package_language():
    vietnamese = "".join(index.page(INFO, LISTING, titles=TITLES, language="vi"))
    english = "".join(index.page(INFO, LISTING, titles=TITLES, language="en"))
    assert "Gói hồ sơ lưu trữ" in vietnamese and "Dung lượng (byte)" in vietnamese and "20.480" in vietnamese
    assert "Archive package" in english and "Size (bytes)" in english and "Gói hồ sơ" not in english


def test_in_a_package_every_link_opens_a_file_of_the_bag(tmp_path):
    """The page is written into data/ by the package writer: each of its links, resolved from there,
    names a file in the zip."""
    ctx = render.Context(school="Trường THPT Nam Lợi", language="vi")
    logbook = Table("attendance", "logbook", "Class logbook", (("date", "Date"), ("title", "Lesson")),
                    lambda: iter([(dt.date(2025, 9, 8), "Phương trình bậc hai")]), printable="logbook")
    files = list(render.table_files(logbook, "attendance/logbook", ctx))
    key = signing.load_private_key(signing.new_private_pem().decode("ascii"))
    package.write(tmp_path / "p.zip", "luu-tru", key=key, school="Trường THPT Nam Lợi", scope="Học kỳ I",
                  exported_by="Trần Văn Hùng", retention_class="permanent", files=files)
    with zipfile.ZipFile(tmp_path / "p.zip") as archive:
        names = set(archive.namelist())
        html = archive.read("luu-tru/data/index.html").decode("utf-8")
    links = parse(html).addresses
    assert len(links) == 6  # csv, jsonl, table.json, xlsx, pdf, the audit segment
    for link in links:
        assert f"luu-tru/data/{unquote(link)}" in names, link
