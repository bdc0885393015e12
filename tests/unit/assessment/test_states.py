"""The attempt's table of states and events: every cell walked, and random sequences of events
that must never break the integrity rules."""
from collections import deque

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vn_online_teaching.assessment import access, states
from vn_online_teaching.assessment.states import (DEADLINE_PASSED, ENDED, FINALISED, IN_PROGRESS, MARK_ESSAY,
                                                  NOT_STARTED, PUBLISH, PUBLISHED, REOPEN, REOPENED, RESCORE,
                                                  SAVE, START, SUBMIT, SUBMITTED, TABLE, next_state)
from vn_online_teaching.core.errors import Conflict, RequestError

EVENTS = list(states.EVENT_LABELS)
STATES = list(states.STATE_LABELS)


def reachable(start=NOT_STARTED):
    seen, todo = {start}, deque([start])
    while todo:
        for target in TABLE[todo.popleft()].values():
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("event", EVENTS)
def test_every_cell_of_the_table_is_either_a_known_state_or_a_translated_conflict(state, event):
    if event in TABLE[state]:
        assert next_state(state, event, reason="Mất điện") == TABLE[state][event]
        assert TABLE[state][event] in states.STATE_LABELS
    else:
        with pytest.raises(Conflict) as exc:
            next_state(state, event, reason="Mất điện")
        assert (exc.value.status, exc.value.code) == (409, "bad_state")
        assert exc.value.message() == (f'"{states.EVENT_LABELS[event]}" is not possible now: the attempt is '
                                       f'"{states.STATE_LABELS[state]}".')


def test_the_table_covers_every_state_and_names_only_known_events():
    assert set(TABLE) == set(states.STATE_LABELS)
    assert all(set(row) <= set(EVENTS) for row in TABLE.values())
    assert states.allowed(IN_PROGRESS) == [SAVE, SUBMIT, DEADLINE_PASSED, states.RELEASE_DEVICE]


def test_every_state_is_reached_from_the_start_and_the_reserved_one_only_by_an_integrity_decision():
    assert reachable() == set(STATES)
    leading = {(state, event) for state, row in TABLE.items() for event, target in row.items()
               if target == states.INVALIDATED}
    assert {event for _state, event in leading} == {states.INVALIDATE}
    assert {state for state, _event in leading} == set(ENDED)  # only an ended attempt is annulled
    assert TABLE[states.INVALIDATED] == {states.RETAKE: REOPENED}  # and only a retake leads out
    assert all(states.needs_reason(state, event) for state, event in leading)
    for state in ENDED:
        with pytest.raises(RequestError):
            next_state(state, states.INVALIDATE, reason="  ")


def test_one_attempt_nothing_leads_back_to_not_started():
    assert all(NOT_STARTED not in row.values() for row in TABLE.values())


def test_an_ended_attempt_goes_back_to_answering_only_through_a_reopening():
    for state in ENDED:
        for event, target in TABLE[state].items():
            assert target not in (IN_PROGRESS, NOT_STARTED)
            if target not in ENDED:
                assert (event, target) in {(REOPEN, REOPENED), (states.RETAKE, REOPENED),
                                           (states.INVALIDATE, states.INVALIDATED)}
    assert TABLE[REOPENED][START] == IN_PROGRESS


def test_published_results_change_only_by_a_remark_a_rescore_or_an_integrity_decision_with_a_reason():
    assert TABLE[PUBLISHED] == {MARK_ESSAY: PUBLISHED, RESCORE: PUBLISHED, states.INVALIDATE: states.INVALIDATED,
                                states.RETAKE: REOPENED}
    assert states.needs_reason(PUBLISHED, states.INVALIDATE) and states.needs_reason(PUBLISHED, states.RETAKE)
    assert states.needs_reason(PUBLISHED, MARK_ESSAY) and not states.needs_reason(SUBMITTED, MARK_ESSAY)


def test_a_walk_through_a_whole_attempt():
    path = [START, SAVE, SAVE, SUBMIT, MARK_ESSAY, MARK_ESSAY, PUBLISH]
    state = NOT_STARTED
    for event in path:
        state = next_state(state, event)
    assert state == PUBLISHED


def test_a_lost_connection_reopened_and_finished():
    state = next_state(next_state(NOT_STARTED, START), DEADLINE_PASSED)
    state = next_state(state, REOPEN, reason="Mất kết nối lúc 8:10, giám thị xác nhận")
    assert state == REOPENED
    assert next_state(state, states.RELEASE_DEVICE, reason="Đổi sang máy của trường") == REOPENED
    assert next_state(next_state(state, START), SUBMIT) == SUBMITTED
    assert next_state(state, DEADLINE_PASSED) == FINALISED  # the student never came back


@pytest.mark.parametrize("state, event", [(FINALISED, REOPEN), (SUBMITTED, REOPEN),
                                          (IN_PROGRESS, states.RELEASE_DEVICE),
                                          (states.MARKED, RESCORE), (PUBLISHED, MARK_ESSAY)])
@pytest.mark.parametrize("reason", ["", "   \n", None])
def test_the_boards_and_the_keys_corrections_need_a_reason(state, event, reason):
    with pytest.raises(RequestError) as exc:
        next_state(state, event, reason=reason)
    assert (exc.value.status, exc.value.code, exc.value.params["field"]) == (400, "required", "reason")
    assert exc.value.message() == "Please write the reason."


def test_an_unknown_event_is_a_bad_request_and_an_unknown_state_a_bug():
    with pytest.raises(RequestError) as exc:
        next_state(IN_PROGRESS, "cheat")
    assert (exc.value.status, exc.value.code) == (400, "bad_choice")
    with pytest.raises(ValueError):
        next_state("paused", SAVE)


def test_every_event_says_who_fires_it_with_a_declared_action():
    assert set(states.EVENT_ACTIONS) == set(EVENTS)
    staff = {a for a in states.EVENT_ACTIONS.values() if a}
    assert staff <= set(access.ACTIONS)
    assert all(states.EVENT_ACTIONS[e] is None for e in (START, SAVE, SUBMIT, DEADLINE_PASSED))
    assert states.EVENT_ACTIONS[REOPEN] == access.SUPERVISE
    assert states.EVENT_ACTIONS[states.INVALIDATE] == states.EVENT_ACTIONS[states.RETAKE] == access.INTEGRITY_DECIDE


@settings(max_examples=300)
@given(st.lists(st.tuples(st.sampled_from(EVENTS + ["bogus"]), st.sampled_from(["", "Lý do"])), max_size=40))
def test_random_event_sequences_keep_the_rules(steps):
    state, started = NOT_STARTED, False
    for event, reason in steps:
        before = state
        try:
            state = next_state(state, event, reason=reason)
        except RequestError:
            assert state == before  # refused: nothing changed
            continue
        assert state in TABLE
        if state in states.RESERVED:
            assert event in states.INTEGRITY_EVENTS and reason.strip()
        if started:
            assert state != NOT_STARTED
        started = True
        if before in ENDED and state not in ENDED:
            assert (event, state) in {(REOPEN, REOPENED), (states.RETAKE, REOPENED),
                                      (states.INVALIDATE, states.INVALIDATED)} and reason.strip()
        if before in ENDED or before in (REOPENED, states.INVALIDATED):
            assert state != IN_PROGRESS or (before, event) == (REOPENED, START)
        if before == PUBLISHED:  # released results change only with a reason, or by an integrity decision
            assert (state == PUBLISHED or event in states.INTEGRITY_EVENTS) and reason.strip()
