"""Reading uploads: encodings, size limit, binary refusal, and that nothing but ReportError escapes."""
import io
import random
import unicodedata
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from vn_online_teaching.attendance.importers import ReportError, load_roster, parse_report
from vn_online_teaching.attendance.importers import decode as decode_module
from vn_online_teaching.attendance.importers.dates import parse_clock, parse_minutes, parse_stamp
from vn_online_teaching.attendance.importers.decode import DEFAULT_MAX_ROWS, decode, read_limited, sniff_delimiter

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "meeting-reports"
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
START, END = datetime(2025, 9, 8, 7, 30, tzinfo=HCM), datetime(2025, 9, 8, 8, 15, tzinfo=HCM)
MB = 1024 * 1024
TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def cp1258(text):
    """Text as Excel on Vietnamese Windows saves it: letters with their vowel marks precomposed,
    tone marks as separate combining characters (Python's codec does not decompose by itself)."""
    out = b""
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            base, *marks = unicodedata.normalize("NFD", char)
            letter = unicodedata.normalize("NFC", base + "".join(m for m in marks if m not in TONES))
            out += (letter + "".join(m for m in marks if m in TONES)).encode("cp1258")
    return out


def parse(data, **kwargs):
    return parse_report(data, lesson_start=START, lesson_end=END, **kwargs)


@pytest.mark.parametrize("raw, encoding", [
    ("Tên,Lớp\n".encode("utf-8"), "utf-8"),
    ("Tên,Lớp\n".encode("utf-8-sig"), "utf-8-sig"),
    ("Tên\tLớp\n".encode("utf-16"), "utf-16-le"),
    (b"\xfe\xff" + "Tên\tLớp\n".encode("utf-16-be"), "utf-16-be"),
    ("Tên\tLớp\n".encode("utf-16-le"), "utf-16-le"),
    ("Tên\tLớp\n".encode("utf-16-be"), "utf-16-be"),
    (cp1258("Tên,Lớp\n"), "cp1258"),
])
def test_encodings(raw, encoding):
    text, found = decode(raw)
    assert (text.strip(), found) in (("Tên,Lớp", encoding), ("Tên\tLớp", encoding))


def test_vietnamese_windows_code_page_is_read_and_composed():
    # cp1258 writes tone marks as combining characters; the text comes out composed (NFC).
    raw = cp1258("Nguyễn Thị Ánh")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert decode(raw) == ("Nguyễn Thị Ánh", "cp1258")


def test_delimiter_sniffing():
    assert sniff_delimiter("a,b,c\n1,2,3\n") == ","
    assert sniff_delimiter("Start time\t08/09/25, 08:20:05\nName\tFirst join\tLast leave\n") == "\t"
    assert sniff_delimiter('"x\ty",b,c\n') == ","


@pytest.mark.parametrize("raw, reason", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "nul_bytes"),
    (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", "nul_bytes"),
    (b"Name,Email\n\x01\x02\x03,x\n", "control_characters"),
    (b"\xff\xfe\x00\xd8", "undecodable"),            # a lone surrogate after a UTF-16 BOM
    (b"\xef\xbb\xbf\xff\xfe\xfd", "undecodable"),    # a UTF-8 BOM then not UTF-8
])
def test_binary_files_are_refused(raw, reason):
    with pytest.raises(ReportError) as caught:
        parse(raw)
    assert (caught.value.code, caught.value.message_args) == ("binary_file", {"reason": reason})


def test_fifty_megabytes_are_refused_before_parsing(monkeypatch):
    line = b"Nguyen Van A,a@b.vn,09/08/2025 07:30:00 AM,09/08/2025 08:15:00 AM,45,No\n"
    header = b"Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n"
    big = header + line * (50 * MB // len(line))
    assert len(big) > 49 * MB

    def not_decoded(raw):
        raise AssertionError("an oversized upload must be refused before it is decoded")

    monkeypatch.setattr(decode_module, "decode", not_decoded)
    with pytest.raises(ReportError) as caught:
        parse(big)
    assert caught.value.code == "too_large"
    assert caught.value.message_args == {"limit_bytes": 10 * MB, "limit_mb": 10.0}
    stream = io.BytesIO(big)
    with pytest.raises(ReportError) as caught:
        parse(stream)
    assert caught.value.code == "too_large"
    assert stream.tell() == 10 * MB + 1  # read no further than the limit


ZOOM_HEADER = "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n"
ZOOM_ROW = "Khách {n},,09/08/2025 07:29:00 AM,09/08/2025 07:40:00 AM,11,Yes\n"


def test_rows_are_bounded_before_they_are_kept():
    """A report of one lesson has a few hundred rows; a file of more (its header included) is
    refused with the limit named, blank rows (Excel's ",,,,,") not counted. A school's roster is
    not a report: no row limit."""
    rows = "".join(ZOOM_ROW.format(n=n) for n in range(DEFAULT_MAX_ROWS - 1))
    assert len(parse((ZOOM_HEADER + rows + ",,,,,\n" * 50).encode()).connections) == DEFAULT_MAX_ROWS - 1
    with pytest.raises(ReportError) as caught:
        parse((ZOOM_HEADER + rows + ZOOM_ROW.format(n="x")).encode())
    assert (caught.value.code, caught.value.message_args) == ("too_many_rows", {"limit": DEFAULT_MAX_ROWS})
    with pytest.raises(ReportError) as caught:
        parse((ZOOM_HEADER + ZOOM_ROW.format(n=1) * 3).encode(), max_rows=3)
    assert caught.value.message_args == {"limit": 3}
    roster = "sector_id,full_name,class_name,email,username\n" + "".join(
        f"79{n:011d},Học sinh {n},10A{n % 9 + 1},hs{n}@x.vn,hs{n}\n" for n in range(3 * DEFAULT_MAX_ROWS))
    assert len(load_roster(roster.encode())) == 3 * DEFAULT_MAX_ROWS


def test_an_upload_that_announces_its_size_is_not_read():
    class Upload:
        size = 50 * MB

        def read(self, *args):
            raise AssertionError("must not be read")

    with pytest.raises(ReportError) as caught:
        parse(Upload())
    assert caught.value.code == "too_large"


def test_limit_is_a_parameter():
    data = (SAMPLES / "zoom-participants.csv").read_bytes()
    with pytest.raises(ReportError) as caught:
        parse(data, max_bytes=100)
    assert caught.value.message_args["limit_bytes"] == 100
    assert read_limited(io.BytesIO(data), len(data)) == data
    assert parse(io.BytesIO(data), max_bytes=len(data)).format == "zoom"


def test_text_mode_file_is_a_programming_error():
    with pytest.raises(TypeError):
        read_limited(io.StringIO("Name,Email\n"))


@pytest.mark.parametrize("text, expected", [
    ("09/08/2025 07:29:41 AM", (9, 8, 2025, "07:29:41")),
    ("9/8/2025 7:29:41 AM", (9, 8, 2025, "07:29:41")),
    ("08/09/25, 08:20:05", (8, 9, 25, "08:20:05")),
    ("9/8/25, 8:20:05 PM", (9, 8, 25, "20:20:05")),
    ("9/8/25, 12:05:00 AM", (9, 8, 25, "00:05:00")),
    ("9/8/2025 9:14\u202fAM", (9, 8, 2025, "09:14:00")),
    ("08/09/2025 14:05 CH", None),   # 14 with an afternoon marker: no such time
    ("08/09/2025 02:05 CH", (8, 9, 2025, "14:05:00")),  # Vietnamese Windows' PM
    ("2025-09-08 07:26:10", (2025, 9, 8, "07:26:10")),
    ("31/31/25, 08:00:00", None),
    ("soon", None),
])
def test_stamps(text, expected):
    stamp = parse_stamp(text)
    assert (None if stamp is None else (stamp.a, stamp.b, stamp.c, stamp.clock.isoformat())) == expected


def test_clock_and_durations():
    assert parse_clock("9:14\u202fAM").isoformat() == "09:14:00"
    assert parse_clock("10:02 PM").isoformat() == "22:02:00"
    assert parse_clock("13:02 PM") is None
    assert parse_minutes("47m 7s") == pytest.approx(47 + 7 / 60)
    assert parse_minutes("1h 3m 2s") == pytest.approx(63 + 2 / 60)
    assert parse_minutes("6m") == 6
    assert parse_minutes("56 min") == 56
    assert parse_minutes("1 hr 5 mins") == 65
    assert parse_minutes("45") == 45
    assert parse_minutes("1:03:02") == pytest.approx(63 + 2 / 60)
    assert parse_minutes("nan") is None
    assert parse_minutes("47m and a bit") is None


def _only_report_errors(data):
    try:
        parse(data)
    except ReportError:
        pass


def test_random_bytes_raise_nothing_but_report_error():
    rng = random.Random(20250908)
    for _ in range(300):
        size = rng.choice([0, 1, 2, 3, 7, 64, 500, 4000])
        _only_report_errors(bytes(rng.getrandbits(8) for _ in range(size)))


def test_damaged_samples_raise_nothing_but_report_error():
    rng = random.Random(8092025)
    samples = [(SAMPLES / name).read_bytes() for name in
               ("zoom-participants.csv", "teams-attendance.csv", "meet-attendance.csv", "roster-10A1.csv")]
    for _ in range(300):
        data = bytearray(rng.choice(samples))
        for _ in range(rng.randint(1, 6)):
            action = rng.randrange(4)
            at = rng.randrange(len(data)) if data else 0
            if action == 0 and data:
                data[at] = rng.getrandbits(8)
            elif action == 1:
                del data[at:at + rng.randint(1, 40)]
            elif action == 2:
                data[at:at] = rng.choice([b",", b"\t", b"\n", b'"', b"\r\n", b",,,,,\n", b"\x00", b"13/13/25"])
            else:
                data = data[:at]
        _only_report_errors(bytes(data))


WORDS = ["Name (Original Name)", "User Email", "Join Time", "Leave Time", "Duration (Minutes)", "Guest",
         "Total Duration (Minutes)", "1. Summary", "2. Participants", "3. In-Meeting activities", "Name",
         "First join", "Last leave", "Join time", "Leave time", "Role", "Email", "Full Name", "User Action",
         "Timestamp", "Joined", "Left", "First name", "Last name", "Time joined", "Time exited", "",
         "09/08/2025 07:29:41 AM", "08/09/25, 08:20:05", "9/8/25, 8:20:05 AM", "9:14\u202fAM", "47m 7s",
         "13/13/2025 25:61:00", "Nguyễn Thị Ánh", "a@b.vn", "(Guest)", "Yes", "No", "45", "-1", "1e309"]


HEADERS = [
    ["Name (Original Name)", "User Email", "Join Time", "Leave Time", "Duration (Minutes)", "Guest"],
    ["Name (Original Name)", "User Email", "Total Duration (Minutes)", "Guest"],
    ["Name", "First join", "Last leave", "In-meeting duration", "Email", "Participant ID (UPN)", "Role"],
    ["Name", "Join time", "Leave time", "Duration", "Email", "Role"],
    ["Full Name", "User Action", "Timestamp"],
    ["First name", "Last name", "Email", "Duration", "Time joined", "Time exited"],
]


def test_random_report_shaped_text_raises_nothing_but_report_error():
    rng = random.Random(7)
    for case in range(300):
        delimiter = rng.choice([",", "\t"])
        rows = [delimiter.join(rng.choice(WORDS) for _ in range(rng.randint(1, 7))) for _ in range(rng.randint(1, 12))]
        if case % 2:  # a real header, then rows of plausible cells in the wrong places
            rows.insert(rng.randint(0, 2), delimiter.join(rng.choice(HEADERS)))
        text = "\r\n".join(rows)
        encoding = rng.choice(["utf-8", "utf-8-sig", "utf-16"])
        _only_report_errors(text.encode(encoding))
