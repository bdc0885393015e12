"""Files to upload: the real meeting-report samples (tests/fixtures/meeting-reports) mutated,
CSV made up from their headers and edge cells, other encodings, files of other types, bytes.
"""
import pathlib
import re

from hypothesis import strategies as st

from . import values
from .fields import mix

SAMPLES_DIR = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "meeting-reports"
SAMPLES = {p.name: p.read_bytes() for p in sorted(SAMPLES_DIR.glob("*.csv"))}

# Cells that made (or could make) a parser trip: dates out of any calendar, huge numbers, nonsense.
CELLS = ["12/31/9999 11:59:59 PM", "01/01/0001 12:00:00 AM", "31/12/9999 23:59", "9999-12-31 23:59:59",
         "0001-01-01 00:00:00", "9/8/2025 7:30:00 AM", "08/09/2025 07:30", "2025-09-08 07:30:00", "09/08/25, 07:30:00",
         "13/13/2025 07:30", "02/30/2025 07:30:00 AM", "24:00:00", "07:30", "7:30 PM", "25:61:61", "00:00:00",
         "99999999999999999999", "-5", "1e308", "nan", "inf", "0", "45", "1h 2m", "3 giờ 5 phút", "", " ", '"', '""',
         "=HYPERLINK(\"http://x\")", "A" * 3000, "Nguyễn Thị Ánh", "Nguye\u0302\u0303n", "hs_anh@x",
         "anh.nt@thptnamloi.edu.vn",
         "Organizer", "Presenter", "Joined", "Left", "(10A1)", "\u202e", "\ud800"]


def _header_words():
    words = set()
    for data in SAMPLES.values():
        text = data.decode("utf-8-sig", "replace").replace("\t", ",")
        for line in text.splitlines()[:12]:
            words.update(c.strip().strip('"') for c in line.split(",") if c.strip())
    return sorted(words)


HEADER_WORDS = _header_words()


def _lines(data):
    return data.split(b"\n")


def _encode(text):
    return text.encode("utf-8", "surrogatepass")


@st.composite
def mutated_sample(draw):
    data = draw(st.sampled_from(sorted(SAMPLES.values())))
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["cell", "cell", "cell", "truncate", "drop", "dup", "insert", "delimiter",
                                   "newlines", "encoding", "bytes"]))
        lines = _lines(data)
        if op == "cell" and lines:
            i = draw(st.integers(0, len(lines) - 1))
            sep = b"\t" if b"\t" in lines[i] else b","
            cells = lines[i].split(sep)
            j = draw(st.integers(0, len(cells) - 1))
            cells[j] = _encode(draw(st.sampled_from(CELLS)))
            lines[i] = sep.join(cells)
            data = b"\n".join(lines)
        elif op == "truncate":
            data = data[:draw(st.integers(0, len(data)))]
        elif op == "drop" and lines:
            del lines[draw(st.integers(0, len(lines) - 1))]
            data = b"\n".join(lines)
        elif op == "dup" and lines:
            i = draw(st.integers(0, len(lines) - 1))
            lines[i:i] = [lines[i]] * draw(st.integers(1, 50))
            data = b"\n".join(lines)
        elif op == "insert":
            at = draw(st.integers(0, len(data)))
            data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
        elif op == "delimiter":
            data = data.replace(*draw(st.sampled_from([(b",", b"\t"), (b"\t", b","), (b",", b";"), (b'"', b"")])))
        elif op == "newlines":
            data = data.replace(b"\r\n", b"\n").replace(b"\n", draw(st.sampled_from([b"\r", b"\r\n", b"\n\n"])))
        elif op == "encoding":
            text = data.decode("utf-8-sig", "replace").replace("\x00", "")
            enc = draw(st.sampled_from(["utf-16", "utf-16-le", "utf-16-be", "cp1258", "utf-8-sig", "latin-1"]))
            data = text.encode(enc, "replace")
        elif op == "bytes":
            data = bytes(b ^ 0x80 if i % 7 == 3 else b for i, b in enumerate(data))
    return data


@st.composite
def made_up_csv(draw):
    header = draw(st.lists(st.sampled_from(HEADER_WORDS), min_size=1, max_size=8))
    width = len(header)
    rows = draw(st.lists(st.lists(st.sampled_from(CELLS) | st.text(max_size=12), min_size=width, max_size=width),
                         max_size=8))
    sep = draw(st.sampled_from([",", "\t"]))
    text = "\n".join(sep.join(r) for r in [header, *rows])
    return _encode(text)


OTHER_FILES = [b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\n%%EOF\n", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32,
               b"\xff\xd8\xff\xe0" + b"\x00" * 16, b"GIF89a" + b"\x00" * 8, b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 8,
               b"ID3\x03" + b"\x00" * 16, b"PK\x03\x04" + b"\x00" * 26, b"MZ\x90\x00",
               b"<html><script>alert(1)</script>",
               b"%PDF-", b"", b" ", b"\n\n\n", b",,,,,\n,,,,,", b"\xef\xbb\xbf", b"\xff\xfe", b"\x00" * 100]

# A date and time as the platforms write them ("9/8/2025 7:28:02 AM", "08/09/25, 08:20:05", "9:14 AM").
STAMP = re.compile(rb"[0-9/.-]*\d[ T,]*\d{1,2}:\d{2}(:\d{2})?( ?[AP]M)?")
FAR = [b"12/31/9999 11:59:59 PM", b"31/12/9999 23:59:59", b"9999-12-31 23:59:59", b"01/01/0001 12:00:00 AM",
       b"0001-01-01 00:00:00", b"23:59:59", b"99999999999999999999"]


def far_out(data, stamp=FAR[0]):
    """``data`` with every date and time in it replaced by ``stamp``."""
    return STAMP.sub(stamp, data)


def far_out_samples():
    """Each sample with every time in it replaced by one far-out stamp, for each stamp."""
    return [far_out(data, stamp) for data in SAMPLES.values() for stamp in FAR]


# Files whose name and bytes agree, as a careful user uploads them.
NAMED_FILES = [(f"{name}", data) for name, data in sorted(SAMPLES.items())] + [
    ("bai-giang.pdf", OTHER_FILES[0]), ("so-do.png", OTHER_FILES[1]), ("anh-lop.jpg", OTHER_FILES[2]),
    ("hinh.gif", OTHER_FILES[3]), ("video.mp4", OTHER_FILES[4]), ("bai-hat.mp3", OTHER_FILES[5])]


def file_content():
    return mix((3, mutated_sample()), made_up_csv(), st.sampled_from(sorted(SAMPLES.values())),
               st.sampled_from(OTHER_FILES), st.binary(max_size=512), st.sampled_from(values.TEXTS).map(_encode))
