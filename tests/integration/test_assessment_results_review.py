"""The student's review after the results are released, as the teacher's ``review`` setting says:
the score only, the student's answers, or the answers with the key; nothing of the key in any
response or page before the release, whatever the setting."""
import json

import pytest
from helpers import block_as, call, scenario_usage
from vn_online_teaching.assessment import scenarios, views
from vn_online_teaching.assessment.block import PeriodicAssessmentBlock
from vn_online_teaching.core.actors import actor_from_user
from vn_online_teaching.core.i18n import render
from vn_online_teaching.demo.load import load_assessments

CODE = scenarios.DEMO_CODE
SECRETS = ("guide", "number", "answers", "answer")


@pytest.fixture
def usage(workbench):
    usage_id = scenario_usage("Kiểm tra định kỳ: Toán 10A1, mã")
    load_assessments()
    return usage_id


def page_for(usage, user, review):
    """The student's page as the block builds it, with ``review`` chosen in Studio."""
    block = block_as(usage, user)
    actor = actor_from_user(block.runtime.service(block, "user").get_current_user())
    page = views.learner_page(block.test(), actor, review=review)
    return page, render("vn_online_teaching/assessment/student.html", dict(page, title="T"))


def keys_in(text):
    """The key values of the demo bank that appear in ``text``."""
    found = []
    for question in scenarios.QUESTIONS:
        if question["format"] == "essay":
            found += [question["id"]] if question["guide"] in text else []
        elif question["format"] == "short":
            found += [question["id"]] if "-2,25" in text or "-2.25" in text else []
    return found


def sit_and_release(usage):
    """hs_anh answers every question and hands in; every response of the sitting (the JSON
    bodies) and the pages before the release; then the teacher marks and releases."""
    texts = []
    status, body = call(usage, "hs_anh", "start", {"request_id": "r1", "code": CODE})
    texts.append(json.dumps(body, ensure_ascii=False))
    typed = {"mcq": "A", "true_false": {"a": True, "b": False}, "short": "-2,5", "essay": "Bài làm của Ánh"}
    answers = [{"seq": n, "position": i["position"], "response": typed[i["format"]]}
               for n, i in enumerate(body["paper"]["items"], start=1)]
    for handler, data in (("save_answers", {"device": body["device"], "answers": answers}),
                          ("resume", {"device": body["device"]}), ("submit", {"device": body["device"]})):
        texts.append(json.dumps(call(usage, "hs_anh", handler, data)[1], ensure_ascii=False))
    for review in views.REVIEW:  # ended, not released: no review under any setting
        page, html = page_for(usage, "hs_anh", review)
        assert page["review"] is None
        texts.append(html)
    essay = next(i for i in body["paper"]["items"] if i["format"] == "essay")
    assert call(usage, "gv_lan", "mark_essay", {"student": "hs_anh", "position": essay["position"],
                                                 "mark": "1,5"})[0] == 200
    for review in views.REVIEW:  # marked, still not released
        texts.append(page_for(usage, "hs_anh", review)[1])
    before = "\n".join(texts)
    assert keys_in(before) == [] and "Tập xác định" not in before
    assert call(usage, "gv_lan", "publish", {})[0] == 200
    return body["paper"]


def test_review_settings_offered_in_studio():
    values = [v["value"] for v in PeriodicAssessmentBlock.review.values]
    assert values == ["score", "answers", "key", "none"]
    assert set(views.STUDIO_FIELDS["review"].choices) == set(values)


def test_score_only_and_nothing_show_no_paper(usage):
    sit_and_release(usage)
    for review in (views.REVIEW_SCORE, views.REVIEW_NONE):
        page, html = page_for(usage, "hs_anh", review)
        assert page["review"] is None and "vnot-asm-review" not in html


def test_answers_without_the_key(usage):
    sit_and_release(usage)
    page, html = page_for(usage, "hs_anh", views.REVIEW_ANSWERS)
    items = page["review"]["items"]
    assert len(items) == 7 and not page["review"]["with_key"]
    assert all("key" not in i and "guide" not in i for i in items)
    assert "Bài làm của Ánh" in html and "-2,5" in html
    assert keys_in(html) == [] and "Tập xác định" not in html and "vnot-asm-key" not in html


def test_answers_and_key_after_release(usage):
    sit_and_release(usage)
    page, html = page_for(usage, "hs_anh", views.REVIEW_KEY)
    items = {i["format"]: i for i in page["review"]["items"]}
    assert items["short"]["key"] == "-2,25" and items["short"]["answer"] == "-2,5"
    assert items["essay"]["earned"] == "1,5" and items["essay"]["points"] == "2"
    assert "Tập xác định" in html and "vnot-asm-key" in html
    mcq = [i for i in page["review"]["items"] if i["format"] == "mcq"]
    assert all(i["key"] in "ABCD" and len(i["key"]) == 1 for i in mcq)


def test_another_student_reads_no_review(usage):
    sit_and_release(usage)
    page, html = page_for(usage, "hs_binh", views.REVIEW_KEY)
    assert page["review"] is None and keys_in(html) == []
