"""Fingerprints of material content (material/fingerprint.py) and the canonical JSON under them."""
import hashlib

import pytest

from vn_online_teaching.core.audit import canonical_json
from vn_online_teaching.material.fingerprint import (
    child_fingerprint, digest, material_fingerprint, node_fingerprint, own_fingerprint)

OWN = {
    "display_name": "Hàm số bậc hai",
    "kind": "lecture",
    "subject": "Toán",
    "grade": "10",
    "lesson": "Bài 1",
    "author_name": "Nguyễn Thị Lan",
    "source": "SGK Toán 10",
    "licence": "CC BY 4.0",
    "body": "<p>Đồ thị của hàm số y = ax² + bx + c</p>",
    "links": [{"title": "Video", "url": "https://example.vn/v", "kind": "video"}],
    "attachments": [{"sha256": "ab" * 32, "name": "bai1.pdf", "mime": "application/pdf", "size": 10}],
}


def sha(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ------------------------------------------------------------------ canonical JSON

def test_canonical_json_sorts_keys_has_no_spaces_and_keeps_vietnamese():
    value = {"b": 1, "a": "Tiếng Việt", "c": {"z": [1, 2], "y": None, "đ": True}}
    expected = '{"a":"Tiếng Việt","b":1,"c":{"y":null,"z":[1,2],"đ":true}}'.encode("utf-8")
    assert canonical_json(value) == expected
    assert b"\\u" not in canonical_json(value)
    assert "Tiếng Việt".encode("utf-8") in canonical_json(value)


def test_canonical_json_is_independent_of_insertion_order():
    assert canonical_json({"x": 1, "y": {"b": 2, "a": 3}}) == canonical_json({"y": {"a": 3, "b": 2}, "x": 1})


# ------------------------------------------------------------------ exact values

def test_digest_is_sha256_of_the_canonical_json():
    assert digest({"b": "Toán", "a": 1}) == sha('{"a":1,"b":"Toán"}')


def test_own_fingerprint_exact_value():
    assert own_fingerprint({"subject": "Toán", "grade": "10"}) == sha('{"own":{"grade":"10","subject":"Toán"}}')


def test_node_fingerprint_exact_value():
    node = {"type": "html", "fields": {"data": "<p>Ôn tập</p>"}, "children": []}
    assert node_fingerprint(node) == sha('{"node":{"children":[],"fields":{"data":"<p>Ôn tập</p>"},"type":"html"}}')


def test_child_fingerprint_exact_value():
    assert child_fingerprint([("u1", "n1"), ("h1", "n2"), ("p1", None)]) == sha(
        '{"child":[["u1","n1"],["h1","n2"],["p1",null]]}')


def test_material_fingerprint_exact_value():
    assert material_fingerprint("o1", [("c1", "f1"), ("c2", "f2")]) == sha(
        '{"children":[["c1","f1"],["c2","f2"]],"own":"o1"}')
    assert material_fingerprint("o1", []) == sha('{"children":[],"own":"o1"}')


def test_fingerprints_are_64_hex_digits():
    fp = own_fingerprint(OWN)
    assert len(fp) == 64 and set(fp) <= set("0123456789abcdef")


# ------------------------------------------------------------------ stability

def test_equal_content_in_another_key_order_has_the_same_fingerprint():
    reordered = {k: OWN[k] for k in reversed(list(OWN))}
    reordered["links"] = [{"url": "https://example.vn/v", "kind": "video", "title": "Video"}]
    assert list(reordered) != list(OWN)
    assert own_fingerprint(reordered) == own_fingerprint(OWN)


def test_fingerprint_is_repeatable():
    assert own_fingerprint(dict(OWN)) == own_fingerprint(dict(OWN))


@pytest.mark.parametrize("key", sorted(OWN))
def test_any_field_change_changes_the_own_fingerprint(key):
    changed = dict(OWN)
    value = OWN[key]
    if isinstance(value, list):
        changed[key] = value + [dict(value[0])]
    else:
        changed[key] = value + " "
    assert own_fingerprint(changed) != own_fingerprint(OWN)


def test_removing_or_adding_a_field_changes_the_fingerprint():
    fewer = {k: v for k, v in OWN.items() if k != "licence"}
    assert own_fingerprint(fewer) != own_fingerprint(OWN)
    assert own_fingerprint(dict(OWN, extra="")) != own_fingerprint(OWN)


def test_a_type_change_changes_the_fingerprint():
    assert own_fingerprint(dict(OWN, grade=10)) != own_fingerprint(OWN)


def test_child_order_changes_the_material_fingerprint():
    a = material_fingerprint("own", [("c1", "f1"), ("c2", "f2")])
    b = material_fingerprint("own", [("c2", "f2"), ("c1", "f1")])
    assert a != b


def test_own_change_changes_the_material_fingerprint():
    kids = [("c1", "f1")]
    assert material_fingerprint("own1", kids) != material_fingerprint("own2", kids)


def test_a_child_content_change_changes_the_material_fingerprint():
    child = node_fingerprint({"type": "html", "fields": {"data": "<p>Câu 1</p>"}, "children": []})
    edited = node_fingerprint({"type": "html", "fields": {"data": "<p>Câu 2</p>"}, "children": []})
    assert child != edited
    before = material_fingerprint("own", [("c1", child_fingerprint([("c1", child)]))])
    after = material_fingerprint("own", [("c1", child_fingerprint([("c1", edited)]))])
    assert before != after


def test_a_grandchild_change_changes_the_child_fingerprint():
    unit = node_fingerprint({"type": "vertical", "fields": {}, "children": ["h1"]})

    def child(text):
        html = node_fingerprint({"type": "html", "fields": {"data": text}, "children": []})
        return child_fingerprint([("u1", unit), ("h1", html)])
    assert child("a") != child("b")
    assert child("a") == child("a")


def test_a_part_the_reader_cannot_load_changes_the_child_fingerprint():
    """A reviewer who may not load a block has not reviewed it: their fingerprint differs."""
    assert child_fingerprint([("u1", "n1"), ("p1", "n2")]) != child_fingerprint([("u1", "n1"), ("p1", None)])


def test_adding_a_child_changes_the_material_fingerprint():
    assert material_fingerprint("own", [("c1", "f1")]) != material_fingerprint("own", [("c1", "f1"), ("c2", "f2")])


def test_a_child_id_change_changes_the_material_fingerprint():
    assert material_fingerprint("own", [("c1", "f1")]) != material_fingerprint("own", [("c9", "f1")])


def test_own_and_node_fingerprints_of_the_same_value_differ():
    value = {"type": "html", "fields": {}, "children": []}
    assert own_fingerprint(value) != node_fingerprint(value)
