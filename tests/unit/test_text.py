"""Comparing Vietnamese text (core/text.py)."""
import pytest

from vn_online_teaching.core.text import fold, nfc


@pytest.mark.parametrize("text, key", [
    ("Toán", "toan"),
    ("TOÁN", "toan"),
    ("To\u0061\u0301n", "toan"),
    ("Đỗ  Thị\tHoa ", "do thi hoa"),
    ("đường", "duong"),
    ("Ngữ văn", "ngu van"),
    ("Giáo dục quốc phòng và an ninh", "giao duc quoc phong va an ninh"),
    ("", ""),
    (None, ""),
])
def test_fold(text, key):
    assert fold(text) == key


def test_nfc_composes_and_strips():
    assert nfc(" To\u0061\u0301n ") == "To\u00e1n"
    assert nfc(None) == ""
