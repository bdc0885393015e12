"""The approval state machine of a learning material (material/workflow.py), as pure rules."""
import pytest
from django.utils import translation

from vn_online_teaching.core import i18n
from vn_online_teaching.core.errors import Conflict, RequestError
from vn_online_teaching.material import workflow
from vn_online_teaching.material.workflow import Situation, check, checklist_clean

STATES = ("draft", "submitted", "passed", "approved", "returned", "revoked")
ACTIONS = ("submit", "withdraw", "pass", "return_review", "approve", "return_approval", "revoke")

# Worked out by hand from the module docstring.
ALLOWED = {
    ("draft", "submit"): "submitted",
    ("returned", "submit"): "submitted",
    ("revoked", "submit"): "submitted",
    ("approved", "submit"): "submitted",      # only when the content changed since the approval
    ("submitted", "withdraw"): "draft",
    ("passed", "withdraw"): "draft",
    ("submitted", "pass"): "passed",
    ("submitted", "return_review"): "returned",
    ("passed", "approve"): "approved",
    ("passed", "return_approval"): "returned",
    ("approved", "revoke"): "revoked",
}

TICKED = {"fits_lesson": True, "sound": True, "culture": True, "ip": True}


def situation(state, **over):
    """A material whose live content is what was submitted and differs from the approved one."""
    values = dict(state=state, live_fingerprint="L", submitted_fingerprint="L", approved_fingerprint="A",
                  owner_key="gv_lan", passed_by_key="tt_minh")
    values.update(over)
    return Situation(**values)


def run(action, sit, actor_key="someone", reviewed="L", comment="Cần bổ sung nguồn.", checklist=None,
        allow_same_person=False):
    return check(action, sit, actor_key=actor_key, reviewed_fingerprint=reviewed, comment=comment,
                 checklist=TICKED if checklist is None else checklist, allow_same_person=allow_same_person)


def test_the_table_covers_every_action_of_the_module():
    assert set(workflow.TRANSITIONS) == set(ACTIONS)
    assert set(workflow.STATE_LABELS) == set(STATES)


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", ACTIONS)
def test_every_state_and_action(state, action):
    sit = situation(state)
    if (state, action) in ALLOWED:
        assert run(action, sit) == ALLOWED[(state, action)]
    else:
        with pytest.raises(Conflict) as exc:
            run(action, sit)
        assert exc.value.code == "bad_state"
        assert exc.value.status == 409


def test_bad_state_message_names_the_state():
    with translation.override("en"), pytest.raises(Conflict) as exc:
        run("approve", situation("draft"))
    assert exc.value.message() == 'This action is not possible now: the material is "Draft".'
    assert exc.value.as_dict() == {"error": "bad_state",
                                   "message": 'This action is not possible now: the material is "Draft".'}


def test_an_unknown_state_is_a_bad_state_named_as_is():
    with translation.override("en"), pytest.raises(Conflict) as exc:
        run("submit", situation("archived"))
    assert exc.value.code == "bad_state"
    assert exc.value.message() == 'This action is not possible now: the material is "archived".'


class _FakeVietnamese:
    TEXT = {
        'This action is not possible now: the material is "{state}".':
            'Không thể thực hiện thao tác này: học liệu đang ở trạng thái "{state}".',
        "Draft": "Bản nháp",
    }

    def gettext(self, message):
        return self.TEXT.get(message, message)


def test_bad_state_message_shows_the_state_in_the_readers_language(monkeypatch):
    """The state label is a parameter of the message: it must be translated too, or a Vietnamese
    reader gets 'Không thể … "Draft".'."""
    original = i18n.catalog
    monkeypatch.setattr(i18n, "catalog", lambda lang: _FakeVietnamese() if lang == "vi" else original(lang))
    with pytest.raises(Conflict) as exc:
        run("approve", situation("draft"))
    with translation.override("vi"):
        assert exc.value.message() == 'Không thể thực hiện thao tác này: học liệu đang ở trạng thái "Bản nháp".'


@pytest.mark.parametrize("state, expected", [
    ("draft", ["submit"]),
    ("submitted", ["withdraw", "pass", "return_review"]),
    ("passed", ["withdraw", "approve", "return_approval"]),
    ("approved", ["submit", "revoke"]),
    ("returned", ["submit"]),
    ("revoked", ["submit"]),
    ("nonsense", []),
])
def test_available(state, expected):
    assert workflow.available(state) == expected


# ------------------------------------------------------------------ unknown action

def test_unknown_action_is_a_bad_choice_not_a_conflict():
    with translation.override("en"), pytest.raises(RequestError) as exc:
        run("publish", situation("draft"))
    assert not isinstance(exc.value, Conflict)
    assert exc.value.code == "bad_choice"
    assert exc.value.status == 400
    assert exc.value.as_dict() == {"error": "bad_choice", "message": "Unknown action.", "field": "action"}


def test_unknown_action_is_reported_before_the_state():
    with pytest.raises(RequestError) as exc:
        run("", situation("nonsense"))
    assert exc.value.code == "bad_choice"


# ------------------------------------------------------------------ comments

@pytest.mark.parametrize("action, state", [("return_review", "submitted"), ("return_approval", "passed"),
                                           ("revoke", "approved")])
@pytest.mark.parametrize("comment", ["", "   \n\t", None])
def test_returning_and_revoking_need_a_comment(action, state, comment):
    with translation.override("en"), pytest.raises(RequestError) as exc:
        run(action, situation(state), comment=comment)
    assert exc.value.code == "required"
    assert exc.value.status == 400
    assert exc.value.as_dict() == {"error": "required", "message": "Please write a comment for the author.",
                                   "field": "comment"}


@pytest.mark.parametrize("action, state", [("return_review", "submitted"), ("return_approval", "passed"),
                                           ("revoke", "approved")])
def test_a_written_comment_is_enough(action, state):
    assert run(action, situation(state), comment=" Thiếu nguồn tham khảo ") == ALLOWED[(state, action)]


@pytest.mark.parametrize("action, state", [("submit", "draft"), ("withdraw", "submitted"), ("pass", "submitted"),
                                           ("approve", "passed")])
def test_other_actions_need_no_comment(action, state):
    assert run(action, situation(state), comment="") == ALLOWED[(state, action)]
    assert run(action, situation(state), comment=None) == ALLOWED[(state, action)]


# ------------------------------------------------------------------ checklist

@pytest.mark.parametrize("action, state", [("pass", "submitted"), ("approve", "passed")])
@pytest.mark.parametrize("missing", ["fits_lesson", "sound", "culture", "ip"])
def test_every_checklist_item_must_be_ticked(action, state, missing):
    ticked = dict(TICKED, **{missing: False})
    with translation.override("en"), pytest.raises(RequestError) as exc:
        run(action, situation(state), checklist=ticked)
    assert exc.value.code == "checklist"
    assert exc.value.status == 400
    assert exc.value.message() == "Tick every item of the checklist before you decide."
    assert exc.value.params["field"] == "checklist"
    absent = {k: v for k, v in TICKED.items() if k != missing}
    with pytest.raises(RequestError) as exc:
        run(action, situation(state), checklist=absent)
    assert exc.value.code == "checklist"


@pytest.mark.parametrize("action, state", [("pass", "submitted"), ("approve", "passed")])
def test_an_empty_checklist_is_refused(action, state):
    for checklist in ({}, None):
        with pytest.raises(RequestError) as exc:
            check(action, situation(state), actor_key="x", reviewed_fingerprint="L", comment="",
                  checklist=checklist)
        assert exc.value.code == "checklist"


def test_unknown_checklist_items_do_not_replace_known_ones():
    with pytest.raises(RequestError) as exc:
        run("pass", situation("submitted"), checklist={"fits_lesson": True, "sound": True, "culture": True,
                                                       "licence": True})
    assert exc.value.code == "checklist"
    assert run("pass", situation("submitted"), checklist=dict(TICKED, extra=False)) == "passed"


@pytest.mark.parametrize("action, state", [("submit", "draft"), ("return_review", "submitted"),
                                           ("return_approval", "passed"), ("revoke", "approved"),
                                           ("withdraw", "passed")])
def test_other_actions_need_no_checklist(action, state):
    assert run(action, situation(state), checklist={}) == ALLOWED[(state, action)]


def test_checklist_clean_keeps_known_items_as_booleans():
    assert checklist_clean({"fits_lesson": 1, "sound": "", "culture": "yes", "extra": True}) == {
        "fits_lesson": True, "sound": False, "culture": True, "ip": False}
    assert checklist_clean(None) == {"fits_lesson": False, "sound": False, "culture": False, "ip": False}


# ------------------------------------------------------------------ fingerprint binding

@pytest.mark.parametrize("action, state", [("pass", "submitted"), ("approve", "passed")])
def test_decision_refused_when_the_reviewed_content_is_not_the_live_one(action, state):
    with pytest.raises(Conflict) as exc:
        run(action, situation(state), reviewed="OLD")
    assert exc.value.code == "content_changed"
    assert exc.value.status == 409
    with pytest.raises(Conflict) as exc:
        run(action, situation(state), reviewed="")
    assert exc.value.code == "content_changed"


@pytest.mark.parametrize("action, state", [("pass", "submitted"), ("approve", "passed")])
def test_decision_refused_when_the_live_content_is_not_what_was_submitted(action, state):
    sit = situation(state, live_fingerprint="L2", submitted_fingerprint="L")
    with pytest.raises(Conflict) as exc:
        run(action, sit, reviewed="L2")
    assert exc.value.code == "content_changed_since_submit"
    assert exc.value.status == 409


def test_reviewed_mismatch_is_reported_before_the_submit_mismatch():
    sit = situation("submitted", live_fingerprint="L2", submitted_fingerprint="L")
    with pytest.raises(Conflict) as exc:
        run("pass", sit, reviewed="L")
    assert exc.value.code == "content_changed"


def test_checklist_is_checked_before_the_content():
    with pytest.raises(RequestError) as exc:
        run("pass", situation("submitted"), reviewed="OLD", checklist={})
    assert exc.value.code == "checklist"


@pytest.mark.parametrize("action, state", [("return_review", "submitted"), ("return_approval", "passed"),
                                           ("withdraw", "submitted"), ("revoke", "approved")])
def test_non_binding_actions_ignore_fingerprints(action, state):
    sit = situation(state, live_fingerprint="L2", submitted_fingerprint="L")
    assert run(action, sit, reviewed="whatever") == ALLOWED[(state, action)]


# ------------------------------------------------------------------ separation of duties

def test_the_author_cannot_pass_their_own_material():
    with translation.override("en"), pytest.raises(Conflict) as exc:
        run("pass", situation("submitted"), actor_key="gv_lan")
    assert exc.value.code == "same_person"
    assert exc.value.status == 409
    assert exc.value.message() == "The author cannot review their own material."


@pytest.mark.parametrize("actor", ["gv_lan", "tt_minh"])
def test_the_principal_must_be_neither_the_author_nor_the_reviewer(actor):
    with translation.override("en"), pytest.raises(Conflict) as exc:
        run("approve", situation("passed"), actor_key=actor)
    assert exc.value.code == "same_person"
    assert exc.value.message() == ("The principal's approval must come from a person other than the author "
                                   "and the reviewer.")


def test_three_different_people_pass_and_approve():
    assert run("pass", situation("submitted"), actor_key="tt_minh") == "passed"
    assert run("approve", situation("passed"), actor_key="ht_hung") == "approved"


@pytest.mark.parametrize("action, state, actor", [("pass", "submitted", "gv_lan"), ("approve", "passed", "gv_lan"),
                                                  ("approve", "passed", "tt_minh")])
def test_allow_same_person_lifts_the_separation(action, state, actor):
    assert run(action, situation(state), actor_key=actor, allow_same_person=True) == ALLOWED[(state, action)]


@pytest.mark.parametrize("action, state", [("return_review", "submitted"), ("return_approval", "passed"),
                                           ("revoke", "approved"), ("withdraw", "passed"), ("submit", "draft")])
def test_separation_applies_only_to_pass_and_approve(action, state):
    assert run(action, situation(state), actor_key="gv_lan") == ALLOWED[(state, action)]
    assert run(action, situation(state), actor_key="tt_minh") == ALLOWED[(state, action)]


@pytest.mark.parametrize("action, state, actor", [("pass", "submitted", "tt_minh"), ("approve", "passed", "ht_hung")])
def test_nobody_reviews_content_they_changed(action, state, actor):
    """Separation of duties holds for who wrote, not only for who submitted: a head or principal
    who edited the content under review cannot pass or approve it."""
    sit = situation(state, editor_keys=frozenset({actor, "gv_lan"}))
    with translation.override("en"), pytest.raises(Conflict) as exc:
        run(action, sit, actor_key=actor)
    assert exc.value.code == "edited_by_reviewer" and exc.value.status == 409
    assert exc.value.message() == ("You have changed the content of this material, so someone else must review "
                                   "and approve it.")
    assert run(action, sit, actor_key=actor, allow_same_person=True) == ALLOWED[(state, action)]
    assert run(action, situation(state, editor_keys=frozenset({"gv_lan"})), actor_key=actor) == ALLOWED[(state, action)]


@pytest.mark.parametrize("action, state", [("return_review", "submitted"), ("return_approval", "passed"),
                                           ("revoke", "approved")])
def test_an_editor_may_still_return_or_revoke(action, state):
    """Sending a material back approves nothing, so its editor may do it."""
    assert run(action, situation(state, editor_keys=frozenset({"tt_minh", "ht_hung"})),
               actor_key="tt_minh") == ALLOWED[(state, action)]


@pytest.mark.parametrize("history, editors", [
    ([], set()),
    ([("edit", "gv_lan"), ("edit", "tt_minh")], {"gv_lan", "tt_minh"}),
    ([("edit", "tt_minh"), ("approve", "ht_hung"), ("edit", "gv_lan")], {"gv_lan"}),
    ([("edit", "tt_minh"), ("approve", "ht_hung")], set()),
    ([("edit", "gv_lan"), ("approve", "ht_hung"), ("edit", "tt_minh"), ("approve", "ht_hung"), ("edit", "ht_hung"),
      ("edit", "ht_hung")], {"ht_hung"}),
    ([("edit", ""), ("edit", "gv_lan")], {"gv_lan"}),
])
def test_editors_since_the_last_approval(history, editors):
    assert workflow.editors_since_approval(history) == frozenset(editors)


def test_content_binding_is_checked_before_the_person():
    with pytest.raises(Conflict) as exc:
        run("pass", situation("submitted"), actor_key="gv_lan", reviewed="OLD")
    assert exc.value.code == "content_changed"


# ------------------------------------------------------------------ resubmission after approval

def test_submitting_an_unchanged_approved_material_is_refused():
    sit = situation("approved", live_fingerprint="A", approved_fingerprint="A", submitted_fingerprint="A")
    with translation.override("en"), pytest.raises(Conflict) as exc:
        run("submit", sit)
    assert exc.value.code == "unchanged"
    assert exc.value.status == 409
    assert exc.value.message() == "Nothing has changed since the approval."


def test_submitting_a_changed_approved_material_starts_a_new_review():
    sit = situation("approved", live_fingerprint="A2", approved_fingerprint="A", submitted_fingerprint="A")
    assert run("submit", sit) == "submitted"


def test_a_revoked_material_may_be_submitted_again_unchanged():
    sit = situation("revoked", live_fingerprint="A", approved_fingerprint="A", submitted_fingerprint="A")
    assert run("submit", sit) == "submitted"


def test_revoking_an_unchanged_approved_material_is_allowed():
    sit = situation("approved", live_fingerprint="A", approved_fingerprint="A")
    assert run("revoke", sit, comment="Sai kiến thức") == "revoked"


def test_check_changes_nothing():
    sit = situation("submitted")
    run("pass", sit)
    assert sit == situation("submitted")


# ------------------------------------------------------------------ parts the decider cannot see

@pytest.mark.parametrize("action, state", [("submit", "draft"), ("pass", "submitted"), ("approve", "passed")])
def test_nobody_submits_or_approves_parts_they_cannot_see(action, state):
    """In the LMS the children of a material not yet approved are hidden from all but the course
    staff (material/visibility.py): someone who cannot load them has not reviewed them."""
    with pytest.raises(Conflict) as err:
        run(action, situation(state, unreadable=1), actor_key="ht_hung" if action == "approve" else "gv_nam",
            checklist=TICKED)
    assert err.value.code == "parts_hidden"


@pytest.mark.parametrize("action, state", [("withdraw", "submitted"), ("return_review", "submitted"),
                                           ("return_approval", "passed"), ("revoke", "approved")])
def test_returning_withdrawing_and_revoking_need_not_see_every_part(action, state):
    assert run(action, situation(state, unreadable=2)) == ALLOWED[(state, action)]
