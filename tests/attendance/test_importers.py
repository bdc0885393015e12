"""Meeting-report imports, end to end on the shared samples and on the variants teachers upload.

Expected numbers are worked out by hand from the sample files (see the comments), not copied from
the parser's output. Lessons are on 8 September 2025, Asia/Ho_Chi_Minh: the Zoom sample is
period 1 (07:30–08:15), the Teams one period 2 (08:20–09:05), the Meet one 09:15–10:00.
"""
import re
import unicodedata
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from vn_online_teaching.attendance.importers import ReportError, load_roster, parse_report, summarize

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "meeting-reports"
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
ZOOM_WINDOW = (datetime(2025, 9, 8, 7, 30, tzinfo=HCM), datetime(2025, 9, 8, 8, 15, tzinfo=HCM))
TEAMS_WINDOW = (datetime(2025, 9, 8, 8, 20, tzinfo=HCM), datetime(2025, 9, 8, 9, 5, tzinfo=HCM))
MEET_WINDOW = (datetime(2025, 9, 8, 9, 15, tzinfo=HCM), datetime(2025, 9, 8, 10, 0, tzinfo=HCM))


def at(h, m, s=0):
    return datetime(2025, 9, 8, h, m, s, tzinfo=HCM)


def sample(name):
    return (SAMPLES / name).read_bytes()


def roster():
    return load_roster(sample("roster-10A1.csv"))


def parse(data, window, **kwargs):
    return parse_report(data, lesson_start=window[0], lesson_end=window[1], **kwargs)


def table(report, window):
    """{username or display name: (minutes, status, first join, last leave)} of a summary."""
    summary = summarize(report, lesson_start=window[0], lesson_end=window[1], roster=roster())
    rows = {}
    for person in summary.people:
        rows[person.username or person.name] = (person.minutes, person.status, person.first_join, person.last_leave)
    return rows, summary


# --- Zoom ------------------------------------------------------------------------------------

# By hand, window 07:30–08:15 (45 min), on time until 07:35:
#   Ánh 07:28:02–08:15:30 → whole window, 45.0, present
#   Bình 07:29:41–07:52:15 + 07:55:03–08:15:31 → 22m15s + 19m57s = 42m12s = 42.2 (93.8 %), present
#   Châu (guest, no e-mail, "(10A1)") 07:41:55–08:15:29 → 33m05s = 33.1 (73.5 %), late
#   Đức 07:30:20–07:44:00 → 13m40s = 13.7 (30.4 %), unexcused
#   Hà 07:29:00–08:15:00 overlapping 07:33:10–08:10:00 (two devices) → 45.0, present
#   Huy: not in the file → no status
ZOOM_EXPECTED = {
    "hs_anh": (45.0, "present", at(7, 28, 2), at(8, 15, 30)),
    "hs_binh": (42.2, "present", at(7, 29, 41), at(8, 15, 31)),
    "hs_chau": (33.1, "late", at(7, 41, 55), at(8, 15, 29)),
    "hs_duc": (13.7, "unexcused", at(7, 30, 20), at(7, 44)),
    "hs_ha": (45.0, "present", at(7, 29), at(8, 15)),
    "hs_huy": (None, None, None, None),
    "Hoàng Thị Lan": (45.0, "present", at(7, 26, 10), at(8, 17, 40)),
}


def test_zoom_sample_connections():
    report = parse(sample("zoom-participants.csv"), ZOOM_WINDOW)
    assert (report.format, report.variant, report.encoding, report.delimiter, report.date_order) == (
        "zoom", "participants", "utf-8", ",", "mdy")
    assert report.meeting["topic"] == "Toán 10A1 - Tiết 1"
    assert report.meeting["host_email"] == "lan.ht@thptnamloi.edu.vn"
    got = [(c.row, c.name, c.email, c.join, c.leave, c.role) for c in report.connections]
    assert got == [
        (5, "Hoàng Thị Lan", "lan.ht@thptnamloi.edu.vn", at(7, 26, 10), at(8, 17, 40), "host"),
        (6, "Nguyễn Thị Ánh", "anh.nt@thptnamloi.edu.vn", at(7, 28, 2), at(8, 15, 30), None),
        (7, "Trần Văn Bình", "binh.tv@thptnamloi.edu.vn", at(7, 29, 41), at(7, 52, 15), None),
        (8, "Trần Văn Bình", "binh.tv@thptnamloi.edu.vn", at(7, 55, 3), at(8, 15, 31), None),
        (9, "Lê Hoàng Châu (10A1)", None, at(7, 41, 55), at(8, 15, 29), None),
        (10, "Phạm Minh Đức", "duc.pm@thptnamloi.edu.vn", at(7, 30, 20), at(7, 44), None),
        (11, "Vũ Thu Hà", "ha.vt@thptnamloi.edu.vn", at(7, 29), at(8, 15), None),
        (12, "Vũ Thu Hà", "ha.vt@thptnamloi.edu.vn", at(7, 33, 10), at(8, 10), None),
    ]
    assert all(c.join.utcoffset().total_seconds() == 7 * 3600 for c in report.connections)
    assert len(report.sha256) == 64


def test_zoom_sample_summary():
    rows, summary = table(parse(sample("zoom-participants.csv"), ZOOM_WINDOW), ZOOM_WINDOW)
    assert rows == ZOOM_EXPECTED
    assert summary.missing_from_report == ["hs_huy"]
    assert [p.name for p in summary.unmatched] == ["Hoàng Thị Lan"]
    by_user = {p.username: p for p in summary.people}
    assert by_user["hs_chau"].match_method == "name"
    assert by_user["hs_binh"].match_method == "email"
    assert by_user["hs_ha"].rows == [11, 12]
    assert by_user["hs_huy"].in_report is False and by_user["hs_huy"].status is None


ZOOM_DATE = re.compile(r"(\d\d)/(\d\d)/(\d{4}) (\d\d):(\d\d):(\d\d) (AM|PM)")


def zoom_variant(*, bom=False, excel_blank=False, unpadded=False, upper_headers=False, no_block=False,
                 vietnamese_excel=False):
    """The Zoom sample as the other tools (Excel, other Zoom versions) write it."""
    text = sample("zoom-participants.csv").decode("utf-8")
    lines = text.split("\n")
    if no_block:
        lines = lines[3:]
    if excel_blank:
        lines = [",,,,," if line.strip() == "" and i < len(lines) - 1 else line for i, line in enumerate(lines)]
    if upper_headers:
        lines = [line.upper() if line.startswith(("Name (", "Meeting ID")) else line for line in lines]
    text = "\r\n".join(line.rstrip("\r") for line in lines)
    if unpadded:
        text = ZOOM_DATE.sub(lambda m: f"{int(m[1])}/{int(m[2])}/{m[3]} {int(m[4])}:{m[5]}:{m[6]} {m[7]}", text)
    if vietnamese_excel:
        # Excel on a Vietnamese Windows: day first, 24-hour clock, no seconds.
        def vn(m):
            hour = int(m[4]) % 12 + (12 if m[7] == "PM" else 0)
            return f"{m[2]}/{m[1]}/{m[3]} {hour:02d}:{m[5]}"
        text = ZOOM_DATE.sub(vn, text)
    data = text.encode("utf-8")
    return b"\xef\xbb\xbf" + data if bom else data


@pytest.mark.parametrize("variant", [
    {"bom": True},
    {"excel_blank": True},
    {"unpadded": True},
    {"upper_headers": True},
    {"no_block": True},
    {"bom": True, "excel_blank": True, "unpadded": True, "upper_headers": True},
])
def test_zoom_variants_read_the_same(variant):
    report = parse(zoom_variant(**variant), ZOOM_WINDOW)
    assert report.format == "zoom" and len(report.connections) == 8
    rows, _ = table(report, ZOOM_WINDOW)
    assert rows == ZOOM_EXPECTED


def test_zoom_unpadded_text_is_really_unpadded():
    assert b",9/8/2025 7:29:41 AM,9/8/2025 7:52:15 AM," in zoom_variant(unpadded=True)
    assert b"\n,,,,,\r\n" in zoom_variant(excel_blank=True)


def test_zoom_resaved_by_vietnamese_excel_is_day_first():
    # 08/09/2025 07:29 … : seconds lost. Bình 07:30–07:52 + 07:55–08:15 = 42.0; Châu 07:41–08:15 =
    # 34.0 (75.6 %) late; Đức 07:30–07:44 = 14.0 unexcused.
    data = zoom_variant(vietnamese_excel=True, excel_blank=True)
    assert b",08/09/2025 07:29,08/09/2025 07:52," in data
    report = parse(data, ZOOM_WINDOW)
    assert report.date_order == "dmy"
    rows, _ = table(report, ZOOM_WINDOW)
    assert rows["hs_binh"][:3] == (42.0, "present", at(7, 29))
    assert rows["hs_chau"][:2] == (34.0, "late")
    assert rows["hs_duc"][:2] == (14.0, "unexcused")


def test_zoom_nfd_names_match_the_roster():
    text = zoom_variant().decode("utf-8").replace("Lê Hoàng Châu (10A1)",
                                                  unicodedata.normalize("NFD", "Lê Hoàng Châu (10A1)"))
    assert unicodedata.normalize("NFD", "Lê Hoàng Châu") in text
    report = parse(text.encode("utf-8"), ZOOM_WINDOW)
    assert report.connections[4].name == "Lê Hoàng Châu (10A1)"  # NFC again
    rows, _ = table(report, ZOOM_WINDOW)
    assert rows["hs_chau"] == ZOOM_EXPECTED["hs_chau"]


def test_zoom_two_devices_and_a_guest_name_are_one_student():
    # Ánh on a laptop 07:30–08:00 (e-mail), on a phone 07:45–08:15 as a guest named without
    # diacritics and in another word order: one student, 45.0 minutes, not 60.
    data = ("Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n"
            "Nguyễn Thị Ánh,ANH.NT@thptnamloi.edu.vn,09/08/2025 07:30:00 AM,09/08/2025 08:00:00 AM,30,No\n"
            "Anh Nguyen Thi [iPhone],,09/08/2025 07:45:00 AM,09/08/2025 08:15:00 AM,30,Yes\n").encode()
    rows, summary = table(parse(data, ZOOM_WINDOW), ZOOM_WINDOW)
    assert rows["hs_anh"] == (45.0, "present", at(7, 30), at(8, 15))
    assert summary.unmatched == []
    assert len(summary.missing_from_report) == 5


def test_zoom_waiting_room_rows_do_not_count():
    data = ("Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest,In Waiting Room\n"
            "Vũ Thu Hà,ha.vt@thptnamloi.edu.vn,09/08/2025 07:20:00 AM,09/08/2025 07:40:00 AM,20,No,Yes\n"
            "Vũ Thu Hà,ha.vt@thptnamloi.edu.vn,09/08/2025 07:40:00 AM,09/08/2025 08:15:00 AM,35,No,No\n").encode()
    rows, _ = table(parse(data, ZOOM_WINDOW), ZOOM_WINDOW)
    assert rows["hs_ha"] == (35.0, "late", at(7, 40), at(8, 15))  # 77.8 %, joined after the grace


def test_zoom_unique_users_export():
    # Totals only, lesson 45 min: a total is capped at the lesson (Ánh 48 → 45.0); lateness cannot
    # be judged without times. Bình 44 (97.8 %) present, Châu 34 (75.6 %) late, Đức 14 unexcused.
    data = ("Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants\n"
            "83512264071,Toán 10A1 - Tiết 1,09/08/2025 07:26:10 AM,09/08/2025 08:17:40 AM,"
            "lan.ht@thptnamloi.edu.vn,52,6\n"
            ",,,,,,\n"
            "Name (Original Name),User Email,Total Duration (Minutes),Guest\n"
            "Hoàng Thị Lan,lan.ht@thptnamloi.edu.vn,52,No\n"
            "Nguyễn Thị Ánh,anh.nt@thptnamloi.edu.vn,48,No\n"
            "Trần Văn Bình,binh.tv@thptnamloi.edu.vn,44,No\n"
            "Lê Hoàng Châu (10A1),,34,Yes\n"
            "Phạm Minh Đức,duc.pm@thptnamloi.edu.vn,14,No\n").encode()
    report = parse(data, ZOOM_WINDOW)
    assert (report.format, report.variant, report.connections) == ("zoom", "unique_users", [])
    chau = report.totals[3]
    assert (chau.name, chau.email, chau.minutes, chau.role) == ("Lê Hoàng Châu (10A1)", None, 34.0, None)
    assert report.totals[0].role == "host"
    rows, summary = table(report, ZOOM_WINDOW)
    assert rows["hs_anh"] == (45.0, "present", None, None)
    assert rows["hs_binh"] == (44.0, "present", None, None)
    assert rows["hs_chau"] == (34.0, "late", None, None)
    assert rows["hs_duc"] == (14.0, "unexcused", None, None)
    assert summary.missing_from_report == ["hs_ha", "hs_huy"]
    assert not any(p.timing_known for p in summary.people if p.in_report)


def test_zoom_unreadable_time_names_the_row():
    data = zoom_variant().decode("utf-8").replace("09/08/2025 07:30:20 AM", "soon").encode()
    with pytest.raises(ReportError) as caught:
        parse(data, ZOOM_WINDOW)
    assert caught.value.code == "bad_row"
    assert caught.value.message_args == {"row": 10, "column": "Join Time", "value": "soon"}


def test_zoom_leave_before_join_is_refused():
    data = zoom_variant().decode("utf-8").replace("09/08/2025 07:44:00 AM", "09/08/2025 07:14:00 AM").encode()
    with pytest.raises(ReportError) as caught:
        parse(data, ZOOM_WINDOW)
    assert (caught.value.code, caught.value.message_args["row"]) == ("bad_row", 10)


def test_report_of_another_day_is_refused():
    # 09/08/2025 is 8 Sep month-first or 9 Aug day-first; neither is 15 September.
    window = (datetime(2025, 9, 15, 7, 30, tzinfo=HCM), datetime(2025, 9, 15, 8, 15, tzinfo=HCM))
    with pytest.raises(ReportError) as caught:
        parse(sample("zoom-participants.csv"), window)
    assert caught.value.code == "ambiguous_dates"
    data = zoom_variant().decode("utf-8").replace("09/08/2025 07:41:55 AM", "09/28/2025 07:41:55 AM").encode()
    with pytest.raises(ReportError) as caught:
        parse(data, ZOOM_WINDOW)
    assert caught.value.code == "date_mismatch"
    assert caught.value.message_args == {"file_date": "2025-09-28", "lesson_date": "2025-09-08"}
    # The day before is refused too, not imported as a lesson everyone missed.
    with pytest.raises(ReportError):
        parse(sample("zoom-participants.csv").replace(b"09/08/2025", b"09/07/2025"), ZOOM_WINDOW)


# --- Teams -----------------------------------------------------------------------------------

# By hand, window 08:20–09:05, on time until 08:25, from "3. In-Meeting activities":
#   Ánh 08:20:40–09:05:00 → 44m20s = 44.3, present
#   Bình 08:21:10–08:40:00 (18m50s) + 08:43:49–09:05:01 (21m11s inside) = 40m01s = 40.0, present
#   Đức 08:38:30–09:05:02 → 26m30s = 26.5 (58.9 %), late
#   Hà 08:19:58–09:05:00 → 45.0, present
#   Huy "(Guest)", no e-mail, 08:25:00–08:31:00 → 6.0 (13.3 %), unexcused
#   Châu: not in the report (may have opted out) → no status
#   Lan (organiser) 08:20:05–09:07:12 → 44m55s = 44.9
TEAMS_EXPECTED = {
    "hs_anh": (44.3, "present", at(8, 20, 40), at(9, 5)),
    "hs_binh": (40.0, "present", at(8, 21, 10), at(9, 5, 1)),
    "hs_chau": (None, None, None, None),
    "hs_duc": (26.5, "late", at(8, 38, 30), at(9, 5, 2)),
    "hs_ha": (45.0, "present", at(8, 19, 58), at(9, 5)),
    "hs_huy": (6.0, "unexcused", at(8, 25), at(8, 31)),
    "Hoàng Thị Lan": (44.9, "present", at(8, 20, 5), at(9, 7, 12)),
}


def test_teams_sample():
    data = sample("teams-attendance.csv")
    assert data[:2] == b"\xff\xfe"
    report = parse(data, TEAMS_WINDOW)
    assert (report.format, report.variant, report.encoding, report.delimiter, report.date_order) == (
        "teams", "sections", "utf-16-le", "\t", "dmy")
    assert report.meeting["title"] == "Toán 10A1 - Tiết 2"
    got = [(c.row, c.name, c.email, c.join, c.leave, c.role) for c in report.connections]
    assert got[0] == (20, "Hoàng Thị Lan", "lan.ht@thptnamloi.edu.vn", at(8, 20, 5), at(9, 7, 12), "organizer")
    assert got[-1] == (26, "Đặng Quốc Huy (Guest)", None, at(8, 25), at(8, 31), None)
    assert [c.name for c in report.connections].count("Trần Văn Bình") == 2
    rows, summary = table(report, TEAMS_WINDOW)
    assert rows == TEAMS_EXPECTED
    assert summary.missing_from_report == ["hs_chau"]
    assert {p.username: p.match_method for p in summary.people}["hs_huy"] == "name"


def teams_text():
    return sample("teams-attendance.csv").decode("utf-16")


TEAMS_DATE = re.compile(r"(\d\d)/(\d\d)/(\d\d), (\d\d):(\d\d):(\d\d)")


def month_first(text):
    def us(m):
        hour = int(m[4])
        suffix = "AM" if hour < 12 else "PM"
        return f"{int(m[2])}/{int(m[1])}/{m[3]}, {hour % 12 or 12}:{m[5]}:{m[6]} {suffix}"
    return TEAMS_DATE.sub(us, text)


def test_teams_month_first_organiser():
    text = month_first(teams_text())
    assert "\t9/8/25, 8:20:05 AM\t9/8/25, 9:07:12 AM\t" in text
    report = parse(text.encode("utf-16"), TEAMS_WINDOW)
    assert report.date_order == "mdy"
    assert table(report, TEAMS_WINDOW)[0] == TEAMS_EXPECTED


def test_teams_capitalised_titles_and_headers():
    text = (teams_text().replace("3. In-Meeting activities", "3. In-Meeting Activities")
            .replace("First join\tLast leave", "First Join\tLast Leave")
            .replace("Name\tJoin time\tLeave time\tDuration\tEmail\tRole",
                     "NAME\tJOIN TIME\tLEAVE TIME\tDURATION\tEMAIL\tROLE"))
    assert "JOIN TIME" in text and "First Join" in text
    assert table(parse(text.encode("utf-16"), TEAMS_WINDOW), TEAMS_WINDOW)[0] == TEAMS_EXPECTED


def test_teams_utf16_without_bom_and_utf8_resave():
    text = teams_text()
    no_bom = text.encode("utf-16-le")
    assert no_bom[:2] != b"\xff\xfe"
    assert table(parse(no_bom, TEAMS_WINDOW), TEAMS_WINDOW)[0] == TEAMS_EXPECTED
    big_endian = text.encode("utf-16-be")
    assert parse(big_endian, TEAMS_WINDOW).encoding == "utf-16-be"
    # Excel "CSV UTF-8": commas, the dates quoted because they contain one.
    import csv
    import io
    out = io.StringIO()
    writer = csv.writer(out)
    for line in text.splitlines():
        writer.writerow(line.split("\t"))
    resaved = out.getvalue().encode("utf-8-sig")
    assert b'"08/09/25, 08:20:05"' in resaved
    report = parse(resaved, TEAMS_WINDOW)
    assert (report.format, report.delimiter) == ("teams", ",")
    assert table(report, TEAMS_WINDOW)[0] == TEAMS_EXPECTED


@pytest.mark.parametrize("date, code", [("05/06/25", "ambiguous_dates"), ("13/06/25", "date_mismatch")])
def test_teams_dates_the_lesson_cannot_explain_are_refused(date, code):
    # 05/06/25 is 5 June or 6 May: neither is the lesson's 8 September, so the order is unknowable.
    # 13/06/25 can only be 13 June: a report of another day.
    data = teams_text().replace("08/09/25", date).encode("utf-16")
    with pytest.raises(ReportError) as caught:
        parse(data, TEAMS_WINDOW)
    assert caught.value.code == code
    assert caught.value.message_args["lesson_date"] == "2025-09-08"


def test_teams_day_equal_to_month_is_not_ambiguous():
    window = (datetime(2025, 9, 9, 8, 20, tzinfo=HCM), datetime(2025, 9, 9, 9, 5, tzinfo=HCM))
    report = parse(teams_text().replace("08/09/25", "09/09/25").encode("utf-16"), window)
    assert report.connections[0].join == datetime(2025, 9, 9, 8, 20, 5, tzinfo=HCM)


def test_teams_participants_section_only():
    # Without "3. In-Meeting activities" only totals are known, each capped by the stretch from
    # first join to last leave inside the lesson: Bình "40m 2s" (cap 43m50s) → 40.0 present; Đức
    # "26m 32s" but 08:38:30–09:05:00 is 26m30s → 26.5 late; Hà "45m 2s" → 45.0; Huy "6m" → 6.0.
    text = teams_text()
    text = text[:text.index("3. In-Meeting")]
    report = parse(text.encode("utf-16"), TEAMS_WINDOW)
    assert report.connections == [] and len(report.totals) == 6
    assert report.totals[2].minutes == pytest.approx(40 + 2 / 60)
    rows, _ = table(report, TEAMS_WINDOW)
    assert rows["hs_binh"] == (40.0, "present", at(8, 21, 10), at(9, 5, 1))
    assert rows["hs_duc"] == (26.5, "late", at(8, 38, 30), at(9, 5, 2))
    assert rows["hs_ha"][:2] == (45.0, "present")
    assert rows["hs_huy"][:2] == (6.0, "unexcused")
    assert rows["hs_anh"][:2] == (44.3, "present")


def test_teams_legacy_attendance_list():
    # Bình 08:21:10–08:40:00 (18m50s), rejoined 08:43:49 and still there at the last event
    # (09:05:00): 21m11s; 40m01s = 40.0 present. Ánh 08:20:40–09:05:00 = 44.3 present.
    text = ("Full Name\tUser Action\tTimestamp\r\n"
            "Nguyễn Thị Ánh\tJoined\t9/8/2025, 8:20:40 AM\r\n"
            "Trần Văn Bình\tJoined\t9/8/2025, 8:21:10 AM\r\n"
            "Trần Văn Bình\tLeft\t9/8/2025, 8:40:00 AM\r\n"
            "Trần Văn Bình\tJoined\t9/8/2025, 8:43:49 AM\r\n"
            "Nguyễn Thị Ánh\tLeft\t9/8/2025, 9:05:00 AM\r\n")
    report = parse(text.encode("utf-16"), TEAMS_WINDOW)
    assert (report.format, report.variant, report.date_order) == ("teams", "legacy", "mdy")
    rows, _ = table(report, TEAMS_WINDOW)
    assert rows["hs_binh"] == (40.0, "present", at(8, 21, 10), at(9, 5))
    assert rows["hs_anh"] == (44.3, "present", at(8, 20, 40), at(9, 5))


def test_teams_unknown_action_is_a_bad_row():
    text = "Full Name\tUser Action\tTimestamp\nNguyễn Thị Ánh\tWaved\t9/8/2025, 8:20:40 AM\n"
    with pytest.raises(ReportError) as caught:
        parse(text.encode("utf-16"), TEAMS_WINDOW)
    assert caught.value.message_args == {"row": 2, "column": "User Action", "value": "Waved"}


# --- Meet ------------------------------------------------------------------------------------

# By hand, window 09:15–10:00 (dates from the lesson), on time until 09:20:
#   Ánh 9:15–10:00 → 45.0 present; Bình 9:29–10:00 → 31.0 (68.9 %) late; Châu 9:16–10:00 → 44.0
#   present; Hà 9:15–9:27 → 12.0 unexcused; Lan 9:14–10:02 → 45.0; Đức, Huy not in the report.
MEET_EXPECTED = {
    "hs_anh": (45.0, "present", at(9, 15), at(10, 0)),
    "hs_binh": (31.0, "late", at(9, 29), at(10, 0)),
    "hs_chau": (44.0, "present", at(9, 16), at(10, 0)),
    "hs_duc": (None, None, None, None),
    "hs_ha": (12.0, "unexcused", at(9, 15), at(9, 27)),
    "hs_huy": (None, None, None, None),
    "Hoàng Thị Lan": (45.0, "present", at(9, 14), at(10, 2)),
}


def test_meet_sample():
    data = sample("meet-attendance.csv")
    assert "\u202fAM".encode() in data
    report = parse(data, MEET_WINDOW)
    assert (report.format, report.date_order) == ("meet", None)
    assert [(c.name, c.email) for c in report.connections][0] == ("Hoàng Thị Lan", "lan.ht@thptnamloi.edu.vn")
    rows, summary = table(report, MEET_WINDOW)
    assert rows == MEET_EXPECTED
    assert summary.missing_from_report == ["hs_duc", "hs_huy"]


def test_meet_plain_spaces_lower_case_headers_and_dates():
    text = sample("meet-attendance.csv").decode("utf-8").replace("\u202f", " ")
    text = text.replace("First name,Last name,Email,Duration,Time joined,Time exited",
                        "first name,last name,email,duration,time joined,time exited")
    assert table(parse(text.encode(), MEET_WINDOW), MEET_WINDOW)[0] == MEET_EXPECTED
    dated = text.replace(",9:29 AM,", ",9/8/2025 9:29 AM,")
    assert table(parse(dated.encode(), MEET_WINDOW), MEET_WINDOW)[0]["hs_binh"] == MEET_EXPECTED["hs_binh"]


def test_meet_time_only_file_takes_the_lesson_date():
    window = (datetime(2025, 10, 1, 9, 15, tzinfo=HCM), datetime(2025, 10, 1, 10, 0, tzinfo=HCM))
    report = parse(sample("meet-attendance.csv"), window)
    assert report.connections[0].join == datetime(2025, 10, 1, 9, 14, tzinfo=HCM)


def test_times_are_school_time_in_the_given_zone():
    bangkok = ZoneInfo("Asia/Bangkok")  # same offset, other name: the zone passed is used
    report = parse(sample("meet-attendance.csv"), MEET_WINDOW, tz="Asia/Bangkok")
    assert report.connections[0].join.tzinfo == bangkok
    naive = (datetime(2025, 9, 8, 9, 15), datetime(2025, 9, 8, 10, 0))
    assert parse(sample("meet-attendance.csv"), naive).connections[0].join == at(9, 14)


# --- Choosing and refusing -------------------------------------------------------------------

@pytest.mark.parametrize("name, fmt", [("zoom-participants.csv", "zoom"), ("teams-attendance.csv", "teams"),
                                       ("meet-attendance.csv", "meet")])
def test_format_is_detected_from_structure_and_can_be_insisted_on(name, fmt):
    window = {"zoom": ZOOM_WINDOW, "teams": TEAMS_WINDOW, "meet": MEET_WINDOW}[fmt]
    assert parse(sample(name), window).format == fmt
    assert parse(sample(name), window, fmt=fmt).format == fmt
    other = "meet" if fmt != "meet" else "zoom"
    with pytest.raises(ReportError) as caught:
        parse(sample(name), window, fmt=other)
    assert caught.value.code == "format_mismatch"
    assert caught.value.message_args == {"expected": other, "detected": [fmt]}


@pytest.mark.parametrize("data", [b"", b"\n\r\n\n", b"\xef\xbb\xbf", b"\xff\xfe", b"  \t \r\n", b",,,,,\n,,,,,\n"])
def test_empty_files(data):
    with pytest.raises(ReportError) as caught:
        parse(data, ZOOM_WINDOW)
    assert (caught.value.code, caught.value.message_args) == ("empty_file", {})


def test_roster_is_not_a_report():
    with pytest.raises(ReportError) as caught:
        parse(sample("roster-10A1.csv"), ZOOM_WINDOW)
    assert caught.value.code == "unknown_format"


def test_header_without_rows_has_no_participants():
    data = b"Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n,,,,,\n"
    with pytest.raises(ReportError) as caught:
        parse(data, ZOOM_WINDOW)
    assert (caught.value.code, caught.value.message_args) == ("no_participants", {"format": "zoom"})


def test_empty_lesson_window_is_refused():
    with pytest.raises(ReportError) as caught:
        parse(sample("zoom-participants.csv"), (ZOOM_WINDOW[1], ZOOM_WINDOW[0]))
    assert caught.value.code == "bad_lesson_window"


def test_error_carries_code_and_parameters_not_a_sentence():
    error = ReportError("bad_row", {"row": 3, "column": "Join Time", "value": "x"})
    assert error.code == "bad_row"
    assert error.as_dict() == {"error": "bad_row", "row": 3, "column": "Join Time", "value": "x"}
    assert str(error) == "bad_row(column='Join Time', row=3, value='x')"
    with pytest.raises(ValueError):
        ReportError("Something went wrong")
