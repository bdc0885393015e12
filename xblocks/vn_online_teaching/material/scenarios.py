"""Workbench demo scenarios of approved_material (Vietnamese demo content).

``demo/load.py`` walks some of them through the workflow with the demo users, so the index shows
the block in each state. The scenario titles decide the usage ids (the workbench slugifies them).
"""
from xml.sax.saxutils import quoteattr

BODY = (
    "<h3>Mục tiêu</h3><p>Học sinh nhận biết và giải được phương trình bậc hai một ẩn "
    "<code>ax² + bx + c = 0</code>.</p><h3>Nội dung</h3><ol><li>Công thức nghiệm: Δ = b² − 4ac.</li>"
    "<li>Biện luận số nghiệm theo dấu của Δ.</li><li>Ví dụ: x² − 5x + 6 = 0 có hai nghiệm x = 2 và x = 3.</li></ol>"
)


def material(title, body=BODY, children="", lesson="Bài 3. Phương trình bậc hai", subject="Toán"):
    return f"""
<approved_material display_name="{title}" kind="lecture" subject="{subject}" grade="10"
    lesson="{lesson}" author_name="Nguyễn Thị Lan" source="SGK Toán 10, Kết nối tri thức với cuộc sống"
    licence="CC BY-SA 4.0" body={quoteattr(body)}
    links='[{{"title": "Video bài giảng", "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "kind": "video"}}]'>
  {children}
</approved_material>"""


CHILD = '<html_demo><p>Bài tập: giải phương trình x² − 7x + 10 = 0.</p></html_demo>'

SCENARIOS = [
    ("Học liệu: bản nháp (Draft)", material("Phương trình bậc hai — bản nháp", children=CHILD)),
    ("Học liệu: chờ tổ chuyên môn (Submitted)", material("Hệ thức Vi-ét", children=CHILD, lesson="Bài 4. Hệ thức Vi-ét")),
    ("Học liệu: chờ hiệu trưởng (Passed)", material("Bất phương trình bậc hai", lesson="Bài 5. Bất phương trình bậc hai")),
    ("Học liệu: đã phê duyệt (Approved)", material("Hàm số bậc hai", children=CHILD, lesson="Bài 2. Hàm số bậc hai")),
    ("Học liệu: sửa sau phê duyệt (Changed after approval)",
     material("Dấu của tam thức bậc hai", children=CHILD, lesson="Bài 6. Dấu của tam thức bậc hai")),
    ("Học liệu Ngữ văn: chờ tổ chuyên môn (Submitted)",
     material("Đọc hiểu: Tấm Cám", body="<p>Đọc văn bản và trả lời câu hỏi.</p>", subject="Ngữ văn",
              lesson="Bài 1. Truyện dân gian")),
]
