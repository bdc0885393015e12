"""One attempt's integrity report: what happened, in order, and what it can and cannot mean.

Built from the records ``assessment.evidence`` reads (the attempt, every save, every client signal
and server event, the accommodations, the decisions, the check of the sealed sheet), so it reads
nothing itself and decides nothing. A signal is a reason for a person to look, never a finding:
a phone that locks its screen fires "left the test's page" exactly as switching to a chat app
does. The wording of the summary follows that: it says what was recorded and what is *worth a
look*, never that a student cheated (docs/integrity-guide.md). Whatever happens next is a
teacher's decision with a reason (``decisions``), never an automatic sanction.
"""
from dataclasses import dataclass, field

from ...core import clock
from ...core.i18n import N_, gettext
from .. import states
from ..evidence import (ADDRESS_CHANGE, DEVICE_REFUSED, DEVICE_RELEASED, LATE_SAVE, SERVER_EVENTS, SIGNALS,
                        WRONG_CODE)
from ..timing import MODES

ACCEPT, INVALIDATE, RETAKE = "accept", "invalidate", "retake"
VERDICTS = {
    ACCEPT: N_("Accepted as it is"),
    INVALIDATE: N_("Annulled"),
    RETAKE: N_("Retake allowed"),
}

# The timeline's own steps (the events' kinds are evidence.SIGNALS and evidence.SERVER_EVENTS).
START, SAVE, END, EXTRA_TIME, REOPEN, DECISION = "start", "save", "end", "extra_time", "reopen", "decision"
STEPS = {
    START: N_("Started the test"),
    SAVE: N_("Saved an answer"),
    END: N_("The attempt ended"),
    EXTRA_TIME: N_("Extra time granted"),
    REOPEN: N_("Attempt reopened"),
    DECISION: N_("Integrity decision"),
}

# What each signal or event can mean and what it cannot, for the teacher reading the report.
NOTES = {
    "page_hidden": (N_("The student may have looked at another app or page during the test."),
                    N_("It cannot tell why: a phone that locks its screen, an incoming call or a notification "
                       "fires it too.")),
    "window_blur": (N_("Another window or app took the focus for a moment."),
                    N_("It cannot tell which window or why: a system message or a click outside the page fires "
                       "it too.")),
    "fullscreen_exit": (N_("The browser left full screen."),
                        N_("Pressing Esc by mistake, rotating a phone or a system dialog fires it too.")),
    "paste": (N_("Text was pasted into an answer."),
              N_("It cannot tell where the text came from: it may be the student's own words moved within "
                 "the page.")),
    "copy": (N_("Text of the test was copied."),
             N_("Copying does not show that the text left the page or was shared.")),
    "second_tab": (N_("The test was opened in a second tab of the same browser."),
                   N_("A reload or a tab restored by the browser also opens one.")),
    DEVICE_REFUSED: (N_("Another browser or device tried to open this attempt and was refused."),
                     N_("It may be the student's own second device, or a browser that lost its data.")),
    WRONG_CODE: (N_("A wrong access code was typed."),
                 N_("Typing mistakes are common; it says nothing about the answers.")),
    ADDRESS_CHANGE: (N_("The network address changed during the attempt."),
                     N_("A phone moving between Wi-Fi and mobile data changes it; so does a school's network.")),
    LATE_SAVE: (N_("An answer arrived after the deadline and was refused."),
                N_("A slow or lost connection delays saves; the refused answer was not counted.")),
    DEVICE_RELEASED: (N_("The board released the attempt from its device."),
                      N_("This is the board's own action, usually after a broken or flat device.")),
}
# How the details of a step are shown (in this order); keys not listed are left out of the page
# (hashes, the browser's own counters), never out of the records.
DETAIL_LABELS = {
    "address": N_("Address"), "ip": N_("Address"), "before": N_("Before"), "after": N_("After"),
    "device": N_("Device"), "mode": N_("Mode"), "seq": N_("Save number"), "position": N_("Question on the paper"),
    "how": N_("How"), "verdict": N_("Decision taken"), "minutes": N_("Minutes"), "reason": N_("Reason"), "by": N_("By"),
    "late_seconds": N_("Seconds late"), "client_at": N_("Browser's clock"),
}
HOW = {"submitted": N_("handed in by the student"), "deadline": N_("ended by the server at the deadline")}

# Kinds a teacher should look at more closely than the everyday ones (still not proof of anything).
WORTH_A_LOOK = frozenset({"paste", "second_tab", DEVICE_REFUSED, ADDRESS_CHANGE})


@dataclass(frozen=True)
class Step:
    """One line of the timeline: when (the server's time), what (``kind``), whether the browser
    said it ("client") or the server saw it ("server"), and its details."""

    at: object
    kind: str
    source: str
    label: str
    detail: dict = field(default_factory=dict)

    def as_dict(self, org=None):
        local = clock.to_school(self.at, org) if self.at else None
        return {"at": clock.iso(self.at) if self.at else "", "at_display": clock.display(self.at, org) if self.at
                else "", "time": local.strftime("%H:%M:%S") if local else "", "kind": self.kind,
                "source": self.source, "label": gettext(self.label), "detail": self.detail,
                "details": detail_lines(self.detail), "worth_a_look": self.kind in WORTH_A_LOOK}


@dataclass(frozen=True)
class Report:
    """An attempt's integrity report: ``timeline`` in order, ``counts`` per kind of signal or event,
    ``summary`` sentences in the reader's language, ``notes`` [(kind, label, can, cannot)] for each
    kind recorded, and whether the sealed sheet still matches (``sealed_ok``)."""

    user_key: str
    state: str
    timeline: list
    counts: dict
    saves: int
    summary: list
    notes: list
    sealed_ok: bool
    sealed_problem: str = ""

    def as_dict(self, org=None):
        return {"user": self.user_key, "state": self.state, "state_label": gettext(states.STATE_LABELS[self.state]),
                "timeline": [s.as_dict(org) for s in self.timeline], "counts": self.counts, "saves": self.saves,
                "summary": self.summary,
                "notes": [dict(zip(("kind", "label", "can", "cannot"), n, strict=True)) for n in self.notes],
                "sealed_ok": self.sealed_ok, "sealed_problem": self.sealed_problem}


def detail_lines(detail):
    """[(label, value)] of a step's details in the reader's language, in DETAIL_LABELS' order."""
    out = []
    for key, label in DETAIL_LABELS.items():
        value = detail.get(key)
        if value is None or value == "":
            continue
        if key == "how":
            value = gettext(HOW.get(value, value))
        elif key == "verdict":
            value = gettext(VERDICTS.get(value, value))
        elif key == "mode":
            value = gettext(MODES.get(value, value))
        out.append((gettext(label), value))
    return out


def grouped(steps):
    """The timeline as the pages show it (``Step.as_dict`` items): saves that reached the server in
    the same second (one request of the browser carries several answers) on one line, listing
    every save's number and question; every other step as it is."""
    out = []
    for step in steps:
        last = out[-1] if out else None
        if step["kind"] == SAVE and last and last["kind"] == SAVE and last["time"] == step["time"]:
            last["saves"].append(step["detail"])
            continue
        out.append(dict(step, saves=[step["detail"]]) if step["kind"] == SAVE else step)
    for step in out:
        saves = step.pop("saves", None)
        if saves and len(saves) > 1:
            step["label"] = gettext(N_("Saved {n} answers")).format(n=len(saves))
            step["details"] = [(gettext(DETAIL_LABELS["seq"]), f"{saves[0]['seq']}–{saves[-1]['seq']}"),
                               (gettext(DETAIL_LABELS["position"]), ", ".join(str(x["position"]) for x in saves))]
    return out


def kind_label(kind):
    return SIGNALS.get(kind) or SERVER_EVENTS.get(kind) or STEPS.get(kind) or kind


def timeline(attempt, answers=(), events=(), accommodations=(), decisions=(), ended_by=""):
    """Every step of the attempt in the server's order: its start (address and browser), each save,
    each signal and server event, the board's accommodations, its end and the decisions taken.
    ``ended_by`` is the finalising action ("assessment.submit" or "assessment.finalise") if known."""
    steps = [Step(attempt.started_at, START, "server", STEPS[START],
                  {"address": attempt.ip, "device": attempt.user_agent, "mode": attempt.mode})]
    steps += [Step(a.saved_at, SAVE, "client", STEPS[SAVE], {"seq": a.seq, "position": a.position}) for a in answers]
    steps += [Step(e.at, e.kind, e.source, kind_label(e.kind), _event_detail(e)) for e in events]
    for item in accommodations:
        kind = REOPEN if item["kind"] == "reopen" else EXTRA_TIME
        steps.append(Step(item["at"], kind, "server", STEPS[kind],
                          {"minutes": item["minutes"], "reason": item["reason"], "by": _by(item)}))
    if attempt.ended_at:
        handed_in = ended_by == "assessment.submit" or (not ended_by and attempt.state == states.SUBMITTED)
        steps.append(Step(attempt.ended_at, END, "server", STEPS[END],
                          {"how": "submitted" if handed_in else "deadline", "sheet_hash": attempt.sheet_hash}))
    for item in decisions:
        steps.append(Step(item["at"], DECISION, "server", STEPS[DECISION],
                          {"verdict": item["verdict"], "reason": item["reason"], "by": _by(item)}))
    order = {START: 0}
    return sorted(steps, key=lambda s: (s.at, order.get(s.kind, 1)))


def _by(item):
    return item["by_name"] or item["by_key"]


def _event_detail(event):
    data = dict(event.data or {})
    if event.client_at:
        data["client_at"] = clock.iso(event.client_at)
    return data


def counts(events):
    """{kind: number} of the signals and server events recorded."""
    out = {}
    for event in events:
        out[event.kind] = out.get(event.kind, 0) + 1
    return dict(sorted(out.items()))


def summary(attempt, counted, saves, sealed_ok=True, ended_by="", org=None):
    """Plain sentences for the teacher, in the current language. Careful by design: they say what
    was recorded and what is worth a look; the reader decides, after hearing the student."""
    lines = [gettext(N_("Started at {time} from address {address}.")).format(
        time=clock.display(attempt.started_at, org), address=attempt.ip or "?")]
    lines.append(gettext(N_("Answers saved: {saves}.")).format(saves=saves))
    if attempt.ended_at:
        handed_in = ended_by == "assessment.submit" or (not ended_by and attempt.state == states.SUBMITTED)
        text = N_("Handed in at {time}.") if handed_in else N_("Ended by the server at the deadline, {time}.")
        lines.append(gettext(text).format(time=clock.display(attempt.ended_at, org)))
    elif attempt.state in (states.IN_PROGRESS, states.REOPENED):
        lines.append(gettext(N_("The attempt has not ended yet.")))
    if not counted:
        lines.append(gettext(N_("Nothing unusual was recorded during this attempt.")))
    else:
        listed = "; ".join(f"{gettext(kind_label(kind))}: {n}" for kind, n in counted.items())
        lines.append(gettext(N_("Recorded during the attempt: {list}.")).format(list=listed))
        closer = [k for k in counted if k in WORTH_A_LOOK]
        if closer:
            lines.append(gettext(N_("Worth a look: {list}. None of these proves anything by itself: read what each "
                                    "can and cannot mean, and hear the student before deciding.")).format(
                list=", ".join(gettext(kind_label(k)) for k in closer)))
        else:
            lines.append(gettext(N_("Signals like these are common and usually harmless (a phone locking its "
                                    "screen, a notification): on their own they call for no action.")))
    if sealed_ok:
        lines.append(gettext(N_("The answers and events still match what was sealed when the attempt ended.")))
    else:
        lines.append(gettext(N_("The records no longer match what was sealed when the attempt ended: tell the "
                                "principal before deciding.")))
    return lines


def notes(counted):
    """[(kind, label, can mean, cannot mean)] for each kind recorded, translated."""
    return [(kind, gettext(kind_label(kind)), gettext(NOTES[kind][0]), gettext(NOTES[kind][1]))
            for kind in counted if kind in NOTES]


def all_notes():
    """The whole table, for the guide on the page (every kind, recorded or not)."""
    return notes(dict.fromkeys(NOTES, 1))


def build(attempt, answers=(), events=(), accommodations=(), decisions=(), check=None, ended_by="", org=None):
    """The report of ``attempt`` (evidence.AttemptRecord) from its records; ``check`` the outcome of
    ``evidence.verify_attempt`` (None: not checked, taken as matching)."""
    counted = counts(events)
    answers = list(answers)
    sealed_ok = True if check is None else check.ok
    return Report(user_key=attempt.user_key, state=attempt.state,
                  timeline=timeline(attempt, answers, events, accommodations, decisions, ended_by),
                  counts=counted, saves=len(answers),
                  summary=summary(attempt, counted, len(answers), sealed_ok, ended_by, org),
                  notes=notes(counted), sealed_ok=sealed_ok, sealed_problem="" if check is None else check.reason)
