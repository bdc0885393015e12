"""Workbench demo scenarios of session_attendance (Vietnamese demo content).

``demo/load.py`` plans lessons for class 10A1 in them (the lessons of the shared meeting-report
fixtures on 8 September 2025, a weekly series and a lesson running now), so the index shows the
block with real records. The scenario titles decide the usage ids (the workbench slugifies them).
"""


def attendance(title, mode="online", require_code=False, platform="meet",
               link="https://meet.google.com/abc-defg-hij"):
    code = "true" if require_code else "false"
    return f"""
<session_attendance display_name="{title}" class_name="10A1" subject="Toán" platform="{platform}"
    meeting_link="{link}" mode="{mode}" require_code="{code}"/>"""


SCENARIOS = [
    ("Điểm danh: Toán 10A1 (Attendance)", attendance("Dạy học trực tuyến — Toán 10A1")),
    ("Điểm danh có mã, học kết hợp: Toán 10A1 (Attendance with a code, hybrid)",
     attendance("Toán 10A1 — học kết hợp, điểm danh bằng mã", mode="hybrid", require_code=True, platform="zoom",
                link="https://zoom.us/j/83512264071")),
]
