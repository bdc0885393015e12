"""Windows, deadlines, grace and late saves of periodic tests, decided on the server's clock
(frozen here with freezegun, as the server's ``core.clock.now`` reads it)."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time
from hypothesis import given
from hypothesis import strategies as st

from vn_online_teaching.assessment import states, timing
from vn_online_teaching.assessment.timing import Change, Deadline, Reopening, Window
from vn_online_teaching.core import clock
from vn_online_teaching.core.errors import Conflict, RequestError

UTC = dt.timezone.utc
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
MIN = dt.timedelta(minutes=1)
SEC = dt.timedelta(seconds=1)
LIMIT = 45 * MIN
GRACE = 30 * SEC


def at(hour, minute=0, second=0):
    """An instant of the test day, written in the school's time (UTC+7)."""
    return dt.datetime(2025, 10, 27, hour, minute, second, tzinfo=HCM)


# 07:30 to 09:00 school time (00:30 to 02:00 UTC)
WINDOW = Window(at(7, 30), at(9, 0))


# ------------------------------------------------------------------ the window

@pytest.mark.parametrize("moment, state", [
    (at(7, 29, 59), timing.NOT_OPEN), (at(7, 30), timing.OPEN), (at(8, 59, 59), timing.OPEN),
    (at(9, 0), timing.CLOSED), (at(12, 0), timing.CLOSED),
])
def test_a_window_is_open_from_its_opening_to_just_before_its_close(moment, state):
    assert WINDOW.state(moment) == state


def test_the_window_is_kept_in_utc_whatever_zone_it_was_given_in():
    assert WINDOW.opens == dt.datetime(2025, 10, 27, 0, 30, tzinfo=UTC)
    assert WINDOW.opens.tzinfo is UTC
    assert clock.display(WINDOW.opens, "THPTNamLoi") == "27/10/2025 07:30"  # shown in the school's zone


def test_naive_instants_are_refused_because_they_could_mean_any_zone():
    with pytest.raises(ValueError):
        Window(dt.datetime(2025, 10, 27, 7, 30), at(9))
    with pytest.raises(ValueError):
        WINDOW.state(dt.datetime(2025, 10, 27, 8, 0))


def test_a_window_must_close_after_it_opens():
    assert timing.check_window(at(7, 30), at(9)) == WINDOW
    with pytest.raises(RequestError) as exc:
        timing.check_window(at(9), at(9))
    assert exc.value.status == 400 and exc.value.params["field"] == "closes"
    assert exc.value.message() == "The test must close after it opens."


def test_the_board_opens_early_closes_early_and_extends():
    opened = timing.effective_window(WINDOW, [Change(timing.OPEN_NOW, at(7, 20))])
    assert opened == Window(at(7, 20), at(9)) and opened.state(at(7, 25)) == timing.OPEN
    closed = timing.effective_window(WINDOW, [Change(timing.CLOSE_NOW, at(8, 40))])
    assert closed.state(at(8, 40)) == timing.CLOSED and closed.closes == at(8, 40)
    extended = timing.effective_window(WINDOW, [Change(timing.EXTEND, at(8, 50), until=at(9, 15))])
    assert extended.state(at(9, 10)) == timing.OPEN


def test_changes_apply_in_the_order_they_were_decided_and_an_extension_reopens_a_closed_window():
    changes = [Change(timing.EXTEND, at(8, 45), until=at(9, 30)), Change(timing.CLOSE_NOW, at(8, 30))]
    window = timing.effective_window(WINDOW, changes)  # closed at 08:30, then extended to 09:30
    assert window == Window(at(7, 30), at(9, 30))
    assert timing.effective_window(WINDOW, []) == WINDOW


def test_closing_a_sitting_before_it_opened_leaves_it_closed():
    window = timing.effective_window(WINDOW, [Change(timing.CLOSE_NOW, at(7, 0))])
    assert window.state(at(7, 5)) == window.state(at(8)) == timing.CLOSED


@pytest.mark.parametrize("change, now, code, status", [
    (Change(timing.OPEN_NOW, at(8)), at(8), "already_open", 409),
    (Change(timing.OPEN_NOW, at(9, 5)), at(9, 5), "already_open", 409),
    (Change(timing.CLOSE_NOW, at(7)), at(7), "not_open", 409),
    (Change(timing.EXTEND, at(8), until=at(8, 30)), at(8), "bad_window", 400),
    (Change(timing.EXTEND, at(10), until=at(9, 30)), at(10), "bad_window", 400),
    (Change(timing.EXTEND, at(8)), at(8), "bad_window", 400),
    (Change("delete", at(8)), at(8), "bad_choice", 400),
])
def test_changes_that_make_no_sense_are_refused(change, now, code, status):
    with pytest.raises(RequestError) as exc:
        timing.check_change(WINDOW, change, now)
    assert (exc.value.code, exc.value.status) == (code, status)


def test_a_sensible_change_gives_the_new_window():
    assert timing.check_change(WINDOW, Change(timing.OPEN_NOW, at(7, 20)), at(7, 20)).opens == at(7, 20)
    assert timing.check_change(WINDOW, Change(timing.CLOSE_NOW, at(8)), at(8)).closes == at(8)
    later = timing.check_change(WINDOW, Change(timing.EXTEND, at(9, 10), until=at(9, 40)), at(9, 10))
    assert later.closes == at(9, 40)


# ------------------------------------------------------------------ the deadline

def test_the_deadline_is_the_start_plus_the_time_limit():
    limit = timing.deadline(at(7, 35), LIMIT, WINDOW.closes, grace=GRACE)
    assert limit == Deadline(at(8, 20), at(8, 20, 30))


def test_extra_time_moves_the_deadline():
    assert timing.deadline(at(7, 35), LIMIT, WINDOW.closes, extra=10 * MIN).at == at(8, 30)


def test_the_deadline_is_truncated_at_the_close_extra_time_included():
    assert timing.deadline(at(8, 30), LIMIT, WINDOW.closes).at == at(9, 0)
    late_with_extra = timing.deadline(at(8, 10), LIMIT, WINDOW.closes, extra=15 * MIN, grace=GRACE)
    assert late_with_extra == Deadline(at(9, 0), at(9, 0, 30))


def test_an_early_close_truncates_running_attempts():
    window = timing.effective_window(WINDOW, [Change(timing.CLOSE_NOW, at(8, 0))])
    assert timing.deadline(at(7, 35), LIMIT, window.closes).at == at(8, 0)


def test_after_a_reopening_the_deadline_is_the_reopening_plus_the_time_given_back_even_after_the_close():
    reopened = Reopening(at(9, 20), 12 * MIN)
    limit = timing.deadline(at(8, 30), LIMIT, WINDOW.closes, extra=5 * MIN, grace=GRACE, reopening=reopened)
    assert limit == Deadline(at(9, 32), at(9, 32, 30))


def test_negative_durations_are_a_programming_error():
    with pytest.raises(ValueError):
        timing.deadline(at(8), -MIN, WINDOW.closes)
    with pytest.raises(ValueError):
        timing.deadline(at(8), LIMIT, WINDOW.closes, reopening=Reopening(at(9), -MIN))


@given(start_min=st.integers(0, 89), limit_min=st.integers(1, 120), extra_min=st.integers(0, 60),
       grace_s=st.integers(0, 120))
def test_a_deadline_never_passes_the_close_and_grace_never_moves_the_shown_deadline(start_min, limit_min, extra_min,
                                                                                    grace_s):
    start = WINDOW.opens + start_min * MIN
    limit = timing.deadline(start, limit_min * MIN, WINDOW.closes, extra=extra_min * MIN, grace=grace_s * SEC)
    assert start < limit.at <= WINDOW.closes
    assert limit.at <= start + (limit_min + extra_min) * MIN
    assert limit.accept_until - limit.at == grace_s * SEC
    assert limit.at == timing.deadline(start, limit_min * MIN, WINDOW.closes, extra=extra_min * MIN).at


# ------------------------------------------------------------------ saves, the countdown, finalising

LIMIT_835 = timing.deadline(at(7, 50), LIMIT, WINDOW.closes, grace=GRACE)  # 08:35, saves until 08:35:30


@pytest.mark.parametrize("moment, outcome, late_by", [
    (at(8, 0), timing.ACCEPT, dt.timedelta(0)),
    (at(8, 35), timing.ACCEPT, dt.timedelta(0)),
    (at(8, 35, 20), timing.ACCEPT, 20 * SEC),  # network delay: counted, and recorded how late
    (at(8, 35, 30), timing.ACCEPT, 30 * SEC),
    (at(8, 35, 31), timing.REFUSE_LATE, 31 * SEC),
    (at(10, 0), timing.REFUSE_LATE, 85 * MIN),
])
def test_a_save_counts_until_the_grace_is_over_on_the_servers_clock(moment, outcome, late_by):
    with freeze_time(moment):
        decision = timing.save_decision(clock.now(), LIMIT_835)
    assert (decision.outcome, decision.late_by) == (outcome, late_by)
    assert decision.accepted is (outcome == timing.ACCEPT)


def test_a_late_save_is_refused_with_a_translated_conflict():
    error = timing.TimeUp()
    assert (error.status, error.code) == (409, "time_up")
    assert error.as_dict() == {"error": "time_up", "message": "Time is up: this answer reached the server after the "
                               "deadline and was not saved. The answers saved before the deadline are kept."}


@pytest.mark.parametrize("moment, seconds", [
    (at(7, 50), 2700), (at(8, 34, 59), 1), (dt.datetime(2025, 10, 27, 1, 34, 59, 500000, tzinfo=UTC), 0),
    (at(8, 35), 0), (at(8, 35, 10), 0), (at(11), 0),
])
def test_the_countdown_counts_whole_seconds_to_the_shown_deadline(moment, seconds):
    with freeze_time(moment):
        assert timing.remaining_seconds(clock.now(), LIMIT_835) == seconds


def test_the_attempt_is_finalised_by_the_server_once_the_grace_is_over_even_with_the_browser_gone():
    """Nothing arrives from the student after 08:20: the server's sweep alone ends the attempt."""
    state = states.next_state(states.next_state(states.NOT_STARTED, states.START), states.SAVE)
    for moment, due in ((at(8, 35), False), (at(8, 35, 30), False), (at(8, 35, 31), True)):
        with freeze_time(moment):
            assert timing.finalise_due(clock.now(), LIMIT_835) is due
    state = states.next_state(state, states.DEADLINE_PASSED)
    assert state == states.FINALISED
    with freeze_time(at(8, 36)):  # the browser comes back with a save: refused, the attempt stays ended
        assert not timing.save_decision(clock.now(), LIMIT_835).accepted
    with pytest.raises(Conflict):
        states.next_state(state, states.SAVE)


# ------------------------------------------------------------------ limits the author and the board set

def test_the_time_limit_is_whole_minutes_up_to_the_maximum():
    assert timing.check_minutes(45, 120) == LIMIT
    for bad in (0, 121, -5, 45.5, "45", True, None):
        with pytest.raises(RequestError) as exc:
            timing.check_minutes(bad, 120)
        assert exc.value.code == "out_of_range" and exc.value.params["field"] == "minutes"
    assert exc.value.message() == "The time limit must be between 1 and 120 minutes."


def test_extra_time_for_one_student_is_bounded_in_all():
    assert timing.check_extra_time(15, 0, 60) == 15 * MIN
    assert timing.check_extra_time(10, 50, 60) == 10 * MIN
    for granted, already in ((0, 0), (11, 50), (61, 0), (-5, 0), (1.5, 0)):
        with pytest.raises(RequestError) as exc:
            timing.check_extra_time(granted, already, 60)
        assert exc.value.status == 400
    assert "at most 60 minutes" in exc.value.message()


# ------------------------------------------------------------------ at school or remote

TEST = "block-v1:THPTNamLoi+TOAN10+2025+type@periodic_assessment+block@giua_ky_1"
DECISION = timing.check_remote_decision("Lũ lụt, đường vào xã bị chia cắt.", ["hs_an", "hs_binh", ""], TEST,
                                        "ht_hung", at(7, 0))


def test_a_remote_decision_records_why_who_which_test_who_decided_and_when():
    assert DECISION.student_keys == frozenset({"hs_an", "hs_binh"})
    assert (DECISION.test_key, DECISION.decided_by, DECISION.decided_at) == (TEST, "ht_hung", at(7, 0))
    assert DECISION.reason == "Lũ lụt, đường vào xã bị chia cắt."
    assert DECISION.covers("hs_an", TEST) and not DECISION.covers("hs_chi", TEST)
    assert not DECISION.covers("hs_an", TEST + "x")


@pytest.mark.parametrize("reason, students, field", [("  ", ["hs_an"], "reason"), ("Bão", [], "students"),
                                                     ("Bão", [""], "students")])
def test_a_remote_decision_needs_a_reason_and_students(reason, students, field):
    with pytest.raises(RequestError) as exc:
        timing.check_remote_decision(reason, students, TEST, "ht_hung", at(7))
    assert exc.value.status == 400 and exc.value.params["field"] == field


def test_a_remote_sitting_cannot_open_without_a_decision_for_its_test():
    other = timing.check_remote_decision("Bão", ["hs_an"], "another test", "ht_hung", at(7))
    for decisions in ((), (other,)):
        with pytest.raises(RequestError) as exc:
            timing.check_mode(timing.REMOTE, TEST, decisions)
        assert (exc.value.status, exc.value.code) == (409, "remote_without_decision")
        with pytest.raises(RequestError):
            timing.check_start(WINDOW, at(8), timing.REMOTE, "hs_an", TEST, decisions)
    assert timing.check_mode(timing.REMOTE, TEST, (other, DECISION)) is None
    assert timing.check_mode(timing.AT_SCHOOL, TEST) is None


def test_a_remote_attempt_starts_only_for_a_student_the_decision_names():
    assert timing.check_start(WINDOW, at(8), timing.REMOTE, "hs_an", TEST, [DECISION]) is None
    with pytest.raises(RequestError) as exc:
        timing.check_start(WINDOW, at(8), timing.REMOTE, "hs_chi", TEST, [DECISION])
    assert (exc.value.status, exc.value.code) == (403, "remote_not_decided")


@pytest.mark.parametrize("moment, code", [(at(7), "not_open"), (at(9), "closed")])
def test_no_attempt_starts_outside_the_window(moment, code):
    with pytest.raises(Conflict) as exc:
        timing.check_start(WINDOW, moment, timing.AT_SCHOOL, "hs_an", TEST)
    assert exc.value.code == code
    assert timing.check_start(WINDOW, at(8), timing.AT_SCHOOL, "hs_an", TEST) is None


def test_an_unknown_mode_is_refused():
    with pytest.raises(RequestError) as exc:
        timing.check_mode("online", TEST)
    assert (exc.value.status, exc.value.params["field"]) == (400, "mode")
