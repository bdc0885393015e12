"""The rules of the roll call: statuses, the check-in window and the rotating code.

Every decision is taken on the server's clock: a student's phone clock never decides whether
they were present or late.
"""
import hashlib
import hmac
import ipaddress
from dataclasses import dataclass
from datetime import timedelta

from ..core.i18n import N_

PRESENT = "present"
LATE = "late"
EXCUSED = "excused"
UNEXCUSED = "unexcused"
UNMARKED = ""

STATUS_LABELS = {
    PRESENT: N_("Present"),
    LATE: N_("Late"),
    EXCUSED: N_("Excused absence"),
    UNEXCUSED: N_("Unexcused absence"),
    UNMARKED: N_("Not yet marked"),
}
STATUSES = (PRESENT, LATE, EXCUSED, UNEXCUSED)
ABSENT = (EXCUSED, UNEXCUSED)
ATTENDED = (PRESENT, LATE)

IN_ROOM = "room"
ONLINE = "online"
LOCATIONS = {IN_ROOM: N_("In the classroom"), ONLINE: N_("Online")}

CODE_STEP_SECONDS = 30
CODE_DIGITS = 6


@dataclass(frozen=True)
class Window:
    """When students may check in, and until when they count as on time."""

    opens: object
    grace_until: object
    closes: object

    def status_at(self, moment):
        """PRESENT or LATE for a check-in at ``moment``, or None outside the window."""
        if moment < self.opens or moment > self.closes:
            return None
        return PRESENT if moment <= self.grace_until else LATE


def window(starts_at, ends_at, open_before_min, grace_min, close_after_min):
    closes = min(starts_at + timedelta(minutes=close_after_min), ends_at)
    return Window(opens=starts_at - timedelta(minutes=open_before_min),
                  grace_until=starts_at + timedelta(minutes=grace_min), closes=closes)


def code_for(secret, moment, step=CODE_STEP_SECONDS):
    """The rotating code of the 30-second interval containing ``moment`` (HMAC of the interval)."""
    counter = int(moment.timestamp()) // step
    digest = hmac.new(secret.encode("utf-8"), str(counter).encode("ascii"), hashlib.sha256).digest()
    number = int.from_bytes(digest[:8], "big") % (10 ** CODE_DIGITS)
    return f"{number:0{CODE_DIGITS}d}"


def code_ok(secret, given, moment, step=CODE_STEP_SECONDS):
    """A code is accepted for its own interval and the one before (a student typing slowly)."""
    given = "".join(ch for ch in str(given or "") if ch in "0123456789")  # ASCII only: compare_digest
    if len(given) != CODE_DIGITS:
        return False
    candidates = (code_for(secret, moment, step), code_for(secret, moment - timedelta(seconds=step), step))
    return any(hmac.compare_digest(given, c) for c in candidates)


def seconds_left(moment, step=CODE_STEP_SECONDS):
    return step - int(moment.timestamp()) % step


def parse_networks(lines):
    """Networks (CIDR) from text lines; raises ValueError naming the first bad one."""
    nets = []
    for line in lines:
        line = line.strip()
        if not line:
            continue
        try:
            nets.append(ipaddress.ip_network(line, strict=False))
        except ValueError:
            raise ValueError(line) from None
    return nets


def network_rule(entries):
    """The check-in network rule of a list of entries: None when there is none (any network),
    otherwise the tuple of valid networks as text. A bad entry (one that came in through an OLX
    import: Studio refuses them) is left out, and when none is left the tuple is empty, which
    keeps check-in closed rather than open to every network."""
    entries = [str(n).strip() for n in (entries or []) if str(n).strip()]
    if not entries:
        return None
    valid = []
    for entry in entries:
        try:
            valid.append(str(ipaddress.ip_network(entry, strict=False)))
        except ValueError:
            continue
    return tuple(valid)


def address_allowed(address, networks):
    """No listed networks means any address; otherwise the address must be in one of them."""
    if not networks:
        return True
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return False
    return any(ip in net for net in networks)


# (token in the User-Agent, name shown), most specific first: in-app and local browsers (Zalo,
# Cốc Cốc) before the engines they are built on, Edge and Opera before Chrome, Chrome before Safari.
BROWSERS = (("Zalo", "Zalo"), ("coc_coc", "Cốc Cốc"), ("SamsungBrowser", "Samsung Internet"), ("FBAN", "Facebook"),
            ("FB_IAB", "Facebook"), ("Edg", "Edge"), ("OPR", "Opera"), ("Firefox", "Firefox"), ("FxiOS", "Firefox"),
            ("CriOS", "Chrome"), ("Chrome", "Chrome"), ("Safari", "Safari"))
SYSTEMS = (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("CrOS", "ChromeOS"),
           ("Windows", "Windows"), ("Macintosh", "Mac"), ("Linux", "Linux"))


def device_of(user_agent):
    """A short name of the device a check-in came from ("Android · Zalo"), for the teacher to
    tell two check-ins apart; "" when the browser said nothing recognisable."""
    agent = user_agent or ""
    system = next((name for token, name in SYSTEMS if token in agent), "")
    browser = next((name for token, name in BROWSERS if token in agent), "")
    return " · ".join(x for x in (system, browser) if x)


def half_day(local_start):
    """The session (buổi) of a period: "morning" before noon, "afternoon" after (school time)."""
    return "morning" if local_start.hour < 12 else "afternoon"


def counts(statuses):
    """{status: n} including UNMARKED, for a list of statuses."""
    out = {s: 0 for s in (*STATUSES, UNMARKED)}
    for s in statuses:
        out[s if s in out else UNMARKED] += 1
    return out


def absent_sessions(marks_by_day):
    """Absent sessions (buổi) from {(date, half_day): [status of each marked period]}.

    A session counts as absent when the student was absent (excused or not) from every marked
    period of it; partial absences count as periods only. Returns (excused, unexcused) counts:
    a session with any unexcused period absence counts as unexcused.
    """
    excused = unexcused = 0
    for statuses in marks_by_day.values():
        marked = [s for s in statuses if s]
        if marked and all(s in ABSENT for s in marked):
            if UNEXCUSED in marked:
                unexcused += 1
            else:
                excused += 1
    return excused, unexcused
