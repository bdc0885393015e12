"""The periodic test survives a course export and import (OLX) through XBlock's own runtime: every
question (rich text byte for byte, keys, statements' truths,
accepted texts), the blueprint and every setting; the questions are readable elements, not JSON
in an attribute; and an older export with JSON attributes still imports."""
import io
import json

import pytest
from lxml import etree
from xblock.test.toy_runtime import ToyRuntime

from vn_online_teaching.assessment import access_code, questions as questions_module

RICH = '<p>Cho hàm số $y = x^2$ &amp; đồ thị <img src="/static/do-thi.png" alt="Đồ thị"><br>Chọn đáp án ]]&gt; đúng.</p>'
BANK = [
    {"id": "mcq-1", "format": "mcq", "topic": "Hàm số", "level": "biet", "stem": RICH, "points": None,
     "options": ["<p>1</p>", "<p><strong>2</strong></p>", "<p>$\\sqrt{2}$</p>", "<p>Cả ba &lt; 3</p>"],
     "answer": "B", "keep_order": True},
    {"id": "tf-1", "format": "true_false", "topic": "Hàm số", "level": "hieu", "stem": "<p>Xét tính đúng sai</p>",
     "points": None, "statements": ["<p>a</p>", "<p>b</p>", "<p>c</p>", "<p>d</p>"],
     "answers": [True, False, True, False]},
    {"id": "short-1", "format": "short", "topic": "Hàm số", "level": "van_dung", "stem": "<p>Tính</p>",
     "points": "0.5", "kind": "number", "number": "2.5", "tolerance": "0.01"},
    {"id": "short-2", "format": "short", "topic": "Địa lí", "level": "biet", "stem": "<p>Thủ đô?</p>",
     "points": None, "kind": "text", "texts": ["Hà Nội", "TP Hà Nội"], "ignore_diacritics": True},
    {"id": "essay-1", "format": "essay", "topic": "Hàm số", "level": "van_dung", "stem": "<p>Chứng minh</p>",
     "points": "3", "guide": "<ul><li>Đủ ý: 3 điểm</li></ul>"},
]
PLAN = {"cells": [{"topic": "Hàm số", "level": "biet", "format": "mcq", "count": 4, "points": None},
                  {"topic": "Hàm số", "level": "van_dung", "format": "essay", "count": 1, "points": "3"}]}
SETTINGS = {"display_name": "Kiểm tra giữa kỳ I", "class_name": "10A1", "subject": "Toán",
            "opens": "2025-10-20T07:30:00+07:00", "closes": "2025-10-20T09:30:00+07:00", "minutes": 60,
            "grace": 45, "mode": "remote", "review": "none", "weight": 2.5}


@pytest.fixture
def runtime():
    return ToyRuntime()


def exported(runtime, **fields):
    usage = runtime.parse_xml_string("<periodic_assessment/>")
    block = runtime.get_block(usage)
    for name, value in fields.items():
        setattr(block, name, value)
    block.save()
    out = io.BytesIO()
    runtime.export_to_xml(block, out)
    return out.getvalue()


def imported(runtime, xml):
    return runtime.get_block(runtime.parse_xml_string(xml))


def test_questions_blueprint_and_settings_survive_a_round_trip(runtime):
    code = access_code.hash_code("TOAN10")
    xml = exported(runtime, questions=BANK, blueprint=PLAN, code_hash=code, **SETTINGS)
    block = imported(runtime, xml)
    assert block.questions == BANK and block.blueprint == PLAN and block.code_hash == code
    for name, value in SETTINGS.items():
        assert getattr(block, name) == value, name
    assert [questions_module.to_dict(questions_module.from_dict(q)) for q in block.questions] == BANK
    assert exported(runtime, questions=block.questions, blueprint=block.blueprint, code_hash=code, **SETTINGS) == xml


def test_the_questions_are_readable_elements(runtime):
    xml = exported(runtime, questions=BANK, blueprint=PLAN, **SETTINGS)
    root = etree.fromstring(xml)
    assert "questions" not in root.attrib and "blueprint" not in root.attrib
    mcq, tf, number, text, essay = root.findall("question")
    assert mcq.get("answer") == "B" and mcq.get("keep_order") == "true" and len(mcq.findall("option")) == 4
    assert mcq.find("option").text == "<p>1</p>"  # rich text as the element's text
    assert [s.get("answer") for s in tf.findall("statement")] == ["true", "false", "true", "false"]
    assert (number.get("number"), number.get("tolerance"), number.get("points")) == ("2.5", "0.01", "0.5")
    assert [a.text for a in text.findall("accept")] == ["Hà Nội", "TP Hà Nội"]
    assert essay.find("guide").text == "<ul><li>Đủ ý: 3 điểm</li></ul>"
    assert [c.get("format") for c in root.find("blueprint").findall("cell")] == ["mcq", "essay"]
    assert "<guide>&lt;ul&gt;&lt;li&gt;Đủ ý: 3 điểm&lt;/li&gt;&lt;/ul&gt;</guide>".encode() in xml


def test_an_older_export_with_json_attributes_still_imports(runtime):
    xml = etree.tostring(etree.Element("periodic_assessment", questions=json.dumps(BANK, ensure_ascii=False),
                                       blueprint=json.dumps(PLAN), class_name="10A1"))
    block = imported(runtime, xml)
    assert block.questions == BANK and block.blueprint == PLAN and block.class_name == "10A1"


def test_an_empty_test_exports_no_elements(runtime):
    root = etree.fromstring(exported(runtime, class_name="10A1"))
    assert len(root) == 0 and imported(runtime, etree.tostring(root)).questions == []


@pytest.mark.parametrize("encoding", ["utf-8", "ascii"])
def test_rich_text_survives_any_writer(encoding):
    from vn_online_teaching.assessment import olx

    parent = etree.Element("periodic_assessment")
    data = dict(BANK[4], stem="<p>a ]]> b</p>")
    olx.question_element(parent, data)
    again = etree.fromstring(etree.tostring(parent, encoding=encoding))
    assert olx.question_from(again.find("question")) == data
