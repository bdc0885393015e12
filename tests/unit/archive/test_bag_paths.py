"""The bag's quick acceptance of plain payload paths (archive/bag.py ``SIMPLE_PATH``) answers as
the full check does: the same path kept, or the same refusal."""
import re

import pytest
from vn_online_teaching.archive import bag

PATHS = ["attendance/marks.csv", "assessment/papers/10A1/u000123-4.json", "a b/c-d_e.f", "x.", "..a/b",
         "a/.hidden", "...", "(1)/[2]", "a+b=c@d,e~f", "", "/a", "a/", "a//b", "a/./b", "a/../b", "..", ".",
         "a/.", "a/..", "a\\b", "a%b", "a\x00b", "a\nb", "a\x7fb", "Sổ đầu bài/lớp 10A1.csv", "e\u0301.csv"]


def answer(path):
    try:
        return bag.clean_path(path)
    except bag.BagError:
        return "refused"


@pytest.mark.parametrize("path", PATHS)
def test_the_quick_check_answers_as_the_full_check(path, monkeypatch):
    quick = answer(path)
    monkeypatch.setattr(bag, "SIMPLE_PATH", re.compile(r"(?!)"))  # never matches: the full check only
    assert quick == answer(path)


def test_plain_paths_take_the_quick_way():
    assert bag.SIMPLE_PATH.fullmatch("assessment/papers/10A1/u000123-4.json")
    assert not bag.SIMPLE_PATH.fullmatch("Sổ đầu bài.csv") and not bag.SIMPLE_PATH.fullmatch("a/../b")
