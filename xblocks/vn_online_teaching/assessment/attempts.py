"""A student's attempt at a periodic test: start it with the access code, answer, hand it in; the
server ends it at the deadline whether or not the browser is still there.

- **One attempt, one device.** The attempt (one row per test and student: a unique key) is bound
  to the browser that started it by a token the server derives from a random id the browser sent
  (``request_id``) under the site's secret, and keeps only hashed: the same browser asking again
  gets the same token, another browser is refused and the refusal recorded. The board releases the
  binding with a reason (sitting.release_device); binding again needs the access code.
- **Answers are saved on change**, each with the attempt's next sequence number: the same save
  twice is one record, and an older save never replaces a newer one at its position (the
  answer of a position is its save with the highest number). Each save is its own record, like a
  check-in (docs/decisions/0005-a-check-in-is-its-own-record.md): no audit entry.
- **Time is the server's** (timing.py): a save counts until the deadline plus the grace; a later
  one is refused and recorded. An attempt whose time and grace are over is finalised by the next
  request that touches it, and by ``manage.py finalise_attempts`` when no browser comes back; its
  answer sheet's hash then enters the audit chain (evidence.finalisation_seal).

A refusal changes nothing, except the records a refusal is kept for (a wrong access code, a
refused device, a late save, an attempt the clock ended on the way): those are written and the
refusal is raised after the transaction (``_run``).
"""
import datetime as dt
import secrets

from django.db import IntegrityError, transaction

from ..core import clock, roles
from ..core.errors import Conflict, Forbidden, NotFound, RequestError
from ..core.i18n import N_, gettext
from ..core.validation import Field
from . import paper as papers
from . import saving, scoring, states, timing
from .devices import bind, check_code, code_typed, device_ok, note_address, refuse, token_for
from .ending import finalise, finalise_if_due, limit_of
from .evidence import LATE_SAVE, SIGNALS, digest, sheet
from .blueprint import MAX_QUESTIONS
from .models import Attempt, IntegrityEvent
from .records import (CLIENT, OPEN_STATES, attempt_of, current_sitting, deadline_of, decisions_of, ensure_sitting,
                      event, iso, require_learner, set_deadline, sitting_for, sitting_of, window_of)
from .saving import MAX_SAVES  # noqa: F401 - the bound is the saves' own; named here as before

MAX_BATCH = 50        # answers or signals in one request (a browser back online sends its queue)
MAX_SIGNALS = 2_000   # client signals kept per attempt; more are counted, not kept
CLIENT_CLOCK_SLACK = dt.timedelta(days=1)  # a browser's time further off than this is not kept

# What the block's handlers accept (core.validation); the functions below check the rest against
# the attempt's paper. ``device`` is the token ``start`` gave the browser.
DEVICE = Field(str, max_length=64, multiline=False)
START_FIELDS = {"request_id": Field(str, required=False, default="", max_length=64, multiline=False),
                "code": Field(str, required=False, default="", max_length=40, multiline=False)}
RESUME_FIELDS = {"device": Field(str, required=False, default="", max_length=64, multiline=False)}
ANSWER = Field(dict, fields={"seq": Field(int, minimum=1), "position": Field(int, minimum=1, maximum=MAX_QUESTIONS),
                             "response": Field(object, required=False)})
SAVE_FIELDS = {"device": DEVICE, "answers": Field(list, max_items=MAX_BATCH, item=ANSWER)}
SUBMIT_FIELDS = {"device": DEVICE, "answers": Field(list, required=False, default=[], max_items=MAX_BATCH, item=ANSWER)}
SIGNAL = Field(dict, fields={"kind": Field(str, choices=list(SIGNALS)),
                             "at": Field(int, required=False, minimum=0, maximum=2**53),
                             "position": Field(int, required=False, minimum=1, maximum=MAX_QUESTIONS)})
SIGNAL_FIELDS = {"device": DEVICE, "signals": Field(list, max_items=MAX_BATCH, item=SIGNAL)}


def ended_error():
    """The refusal of a change to an attempt handed in (a fresh one each time: it is raised)."""
    return Conflict("ended", N_("You have handed in this test: answers can no longer change."))


def _batch(items):
    if len(items) > MAX_BATCH:
        raise RequestError("too_many", N_("Too many answers at once (at most {limit})."), limit=MAX_BATCH)
    return list(items)


# What the student sees --------------------------------------------------------------------------

def view(attempt, org, now, paper=True):
    """The attempt as its student reads it: state, deadline and seconds left, and while answering
    the paper (paper.student_view: no key) with the answers saved; once released, the result."""
    data = {"state": attempt.state, "state_label": gettext(states.STATE_LABELS[attempt.state]),
            "started_at": iso(attempt.started_at), "deadline": iso(attempt.deadline_at),
            "deadline_display": clock.display(attempt.deadline_at, org),
            "last_seq": saving.last_seq(attempt) if attempt.state in OPEN_STATES else attempt.last_seq,
            "remaining": timing.remaining_seconds(now, limit_of(attempt)) if attempt.state == states.IN_PROGRESS else 0}
    if attempt.state == states.IN_PROGRESS and paper:
        data["paper"] = papers.student_view(papers.from_dict(attempt.paper)).to_dict()
        data["answers"] = {str(position): record.response for position, record in sheet(attempt).items()}
    if attempt.state == states.PUBLISHED and attempt.result:
        result = scoring.Result.from_record(attempt.result)
        data["result"] = {"shown": result.shown(), "score": attempt.result["score"], "verdict": result.verdict}
    return data


def summary(test, actor, now=None):
    """What the test's page shows a student before and after answering (no device needed): the
    window, the limit, the mode, whether a code is asked, and their attempt's state. Reads only:
    an attempt the clock has ended shows as ended."""
    require_learner(test, actor)
    now = now or clock.now()
    sitting = sitting_of(test)
    window = window_of(sitting) if sitting else timing.Window(test.opens, test.closes)
    attempt = attempt_of(test.usage_key, actor.user_key)
    state = attempt.state if attempt else states.NOT_STARTED
    if attempt and state in OPEN_STATES and timing.finalise_due(now, limit_of(attempt)):
        state = states.FINALISED
    return {"state": state, "state_label": gettext(states.STATE_LABELS[state]), "minutes": test.minutes,
            "mode": test.mode, "needs_code": bool(test.code_hash), "window": window.state(now),
            "opens": clock.display(window.opens, test.org), "closes": clock.display(window.closes, test.org)}


# Starting --------------------------------------------------------------------------------------

def _run(work):
    """Run ``work()`` in one transaction; a RequestError it returns (rather than raises) is raised
    once the transaction has kept what the refusal records."""
    with transaction.atomic():
        outcome = work()
    if isinstance(outcome, RequestError):
        raise outcome
    return outcome


def start(test, actor, *, request_id="", code="", ip="", user_agent=""):
    """Start the attempt (or restart it after the board reopened it, or bind this browser again
    after the board released it): {"device": token, **view}. The token goes with every later
    request of this browser. The same ``request_id`` again gets the same token (a retried start)."""
    require_learner(test, actor)
    now = clock.now()
    ensure_sitting(test, lambda: _may_open(test, actor, code, now))
    request_id = str(request_id or "") or secrets.token_hex(16)

    def work():
        sitting = sitting_for(test, now)
        attempt = attempt_of(test.usage_key, actor.user_key, lock=True)
        if attempt is not None:
            finalise_if_due(attempt, sitting, now)
            if attempt.state == states.IN_PROGRESS and attempt.device_hash:
                token = token_for(attempt, request_id)
                if device_ok(attempt, token):
                    return dict(view(attempt, test.org, now), device=token)
                return refuse(sitting, attempt, now, ip, user_agent, "start")
            if attempt.state not in OPEN_STATES:
                return Conflict("taken", N_("You have already taken this test: there is one attempt only."))
        else:
            timing.check_start(window_of(sitting), now, sitting.mode, actor.user_key, test.usage_key,
                               decisions_of(sitting))
        wrong = check_code(test, sitting, actor, attempt, code, now, ip)
        if wrong is not None:
            return wrong
        if attempt is None:
            attempt = _new_attempt(test, sitting, actor, now, ip)
        elif attempt.state == states.REOPENED:
            attempt.state = states.next_state(attempt.state, states.START)
        token = bind(attempt, request_id, now, ip, user_agent)
        _store(attempt)
        saving.remember(attempt, test)  # what its saves are decided on, kept in memory from now
        return dict(view(attempt, test.org, now), device=token)

    return _run(work)


def _may_open(test, actor, code, now):
    """The refusals of a first start before the test's sitting exists (no attempt, no change of
    the window, no decision yet), so that a start refused then leaves nothing behind: the window
    as planned, and a code that must be typed."""
    timing.check_start(timing.Window(test.opens, test.closes), now, test.mode, actor.user_key, test.usage_key, ())
    code_typed(test, code)


def _new_attempt(test, sitting, actor, now, ip):
    """The attempt with its own paper drawn from a fresh seed (not saved yet)."""
    bank, plan = test.questions(), test.plan()
    if plan is None or not bank:
        raise Conflict("no_paper", N_("This test has no questions yet."))
    seed = papers.new_seed()
    stored = papers.to_dict(papers.assemble(bank, plan, seed, scoring.policy_for(test.org, test.subject)))
    attempt = Attempt(sitting=sitting, usage_key=test.usage_key, user_key=actor.user_key, mode=sitting.mode,
                      state=states.next_state(states.NOT_STARTED, states.START), seed=seed, paper=stored,
                      paper_hash=digest(stored), started_at=now, ip=(ip or "")[:45])
    set_deadline(attempt, deadline_of(attempt, sitting))
    return attempt


def _store(attempt):
    if attempt.pk is not None:
        attempt.save()
        return
    try:
        with transaction.atomic():
            attempt.save()
    except IntegrityError:  # another request of this student created it first
        raise Conflict("taken", N_("You have already taken this test: there is one attempt only.")) from None


# Answering -------------------------------------------------------------------------------------

def _locked(test, actor, now):
    sitting = current_sitting(test, now)
    attempt = attempt_of(test.usage_key, actor.user_key, lock=True, paper=False) if sitting else None
    if attempt is None:
        raise NotFound(N_("You have not started this test yet."))
    return sitting, attempt


def _answering(sitting, attempt, device, now, ip, user_agent, action, late=()):
    """None when this browser may answer now; otherwise the refusal (the clock ends the attempt
    first when its time is over; a late save and a refused device are recorded)."""
    finalise_if_due(attempt, sitting, now)
    if attempt.state != states.IN_PROGRESS:
        if late and now > attempt.accept_until:
            event(sitting, attempt.user_key, LATE_SAVE, now, attempt=attempt, action=action,
                  late_seconds=int((now - attempt.deadline_at).total_seconds()),
                  saves=[{"seq": item["seq"], "position": item["position"]} for item in late])
            return timing.TimeUp()
        if attempt.state == states.REOPENED:
            return Conflict("reopened", N_("Your attempt was reopened: open the test again with the access code."))
        return ended_error()
    if not device_ok(attempt, device):
        return refuse(sitting, attempt, now, ip, user_agent, action)
    return None


def resume(test, actor, device, ip="", user_agent=""):
    """The attempt as this browser continues it (after a reload); an ended attempt from any browser."""
    require_learner(test, actor)
    now = clock.now()

    def work():
        sitting, attempt = _locked(test, actor, now)
        finalise_if_due(attempt, sitting, now)
        if attempt.state == states.IN_PROGRESS:
            if not device_ok(attempt, device):
                return refuse(sitting, attempt, now, ip, user_agent, "resume")
            note_address(sitting, attempt, ip, now)
            saving.remember(attempt, test)
        return view(attempt, test.org, now)

    return _run(work)


def save(test, actor, device, answers, ip="", user_agent=""):
    """Save answers ([{"seq", "position", "response"}], each numbered by the browser): {"results":
    [{"seq", "outcome": "saved" | "already" | "stale"}], "last_seq", "remaining"}. Nearly every
    save takes the short way (saving.quick: one statement, the row inserted on its conditions);
    any other is decided here the full way, with the attempt locked, refusals recorded."""
    if actor.is_anonymous:
        raise Forbidden()
    answers = _batch(answers)
    now = clock.now()
    if test.class_name and actor.user_key:
        done = saving.quick(test, actor.user_key, device, answers, ip, now)
        if done is not None:
            return done
    require_learner(test, actor)

    def work():
        sitting, attempt = _locked(test, actor, now)
        refusal = _answering(sitting, attempt, device, now, ip, user_agent, "save", late=answers)
        if refusal is not None:
            return refusal
        shown = saving.delivered(attempt)
        prepared = saving.prepared(shown, answers)
        note_address(sitting, attempt, ip, now)
        results, last = saving.write(attempt, prepared, now)
        saving.remember(attempt, test, shown)
        return {"results": results, "last_seq": last, "remaining": timing.remaining_seconds(now, limit_of(attempt))}

    return _run(work)


def submit(test, actor, device, answers=(), ip="", user_agent=""):
    """Hand the attempt in, with the last answers if any; handing in again answers the same."""
    require_learner(test, actor)
    answers = _batch(answers)
    now = clock.now()

    def work():
        sitting, attempt = _locked(test, actor, now)
        if attempt.state == states.SUBMITTED:
            return view(attempt, test.org, now)
        refusal = _answering(sitting, attempt, device, now, ip, user_agent, "submit", late=answers)
        if refusal is not None:
            return view(attempt, test.org, now) if attempt.state in states.ENDED and not answers else refusal
        if answers:
            saving.write(attempt, saving.prepared(saving.delivered(attempt), answers), now)  # kept before the end
        note_address(sitting, attempt, ip, now)
        finalise(attempt, sitting, states.SUBMIT, now, actor, roles.STUDENT)
        return view(attempt, test.org, now)

    return _run(work)


def signal(test, actor, device, signals, ip="", user_agent=""):
    """Record what the browser noticed ([{"kind", "at"?: its clock in ms, "position"?}]) at the
    server's time: while the attempt is open, and until the grace after its deadline for what was
    queued. Nothing is decided from them here. Returns {"recorded": n}."""
    require_learner(test, actor)
    signals = _batch(signals)
    now = clock.now()

    def work():
        sitting, attempt = _locked(test, actor, now)
        finalise_if_due(attempt, sitting, now)
        if attempt.state not in (states.IN_PROGRESS, *states.ENDED) or now > attempt.accept_until:
            return ended_error()
        if not device_ok(attempt, device):
            return refuse(sitting, attempt, now, ip, user_agent, "signal")
        room = max(0, MAX_SIGNALS - attempt.signals)
        rows = [IntegrityEvent(sitting=sitting, attempt=attempt, user_key=attempt.user_key, kind=item["kind"],
                               source=CLIENT, at=now, client_at=_client_time(item.get("at"), now),
                               data={k: item[k] for k in ("position", "at") if item.get(k) is not None})
                for item in signals[:room] if item.get("kind") in SIGNALS]
        IntegrityEvent.objects.bulk_create(rows)
        attempt.signals += len(signals)
        attempt.save(update_fields=["signals", "updated_at"])
        note_address(sitting, attempt, ip, now)
        return {"recorded": len(rows)}

    return _run(work)


def _client_time(millis, now):
    if not isinstance(millis, int) or isinstance(millis, bool):
        return None
    try:
        moment = dt.datetime.fromtimestamp(millis / 1000, tz=dt.timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None
    return moment if abs(moment - now) <= CLIENT_CLOCK_SLACK else None


