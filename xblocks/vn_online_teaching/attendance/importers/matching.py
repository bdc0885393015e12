"""Who in the class is who in the report.

Meeting platforms know people by whatever name they typed ("Chau 10A1", "Lê Hoàng Châu
(10A1)", "Nguyen Thi Anh [iPhone]") and, when they signed in, an e-mail. The school knows them by
the roster. The e-mail is trusted first; names are compared without case, diacritics, extra text
or word order, because students type their names every way. A name that fits more than one
student is never guessed: the teacher chooses, and their choice overrides everything.
"""
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Optional

from .base import ReportError
from .decode import DEFAULT_MAX_BYTES, is_blank, read_rows
from .text import cell, clean_email, find_columns, fold

EMAIL = "email"
NAME = "name"
MANUAL = "manual"
AMBIGUOUS = "ambiguous"
NOT_FOUND = "not_found"

_BRACKETED = re.compile(r"[\(\[\{（]([^\)\]\}）]*)[\)\]\}）]")
_SEPARATOR = re.compile(r"\s+[-–—|/]\s+")
_WORD = re.compile(r"\w+")
MAX_SUGGESTIONS = 5


@dataclass(frozen=True)
class RosterEntry:
    """A student as the school's roster lists them."""

    sector_id: str
    full_name: str
    class_name: str
    email: Optional[str]
    username: str


def as_roster_entry(row):
    """A ``RosterEntry`` from a mapping or any object with the roster's attribute names."""
    if isinstance(row, RosterEntry):
        return row
    get = row.get if isinstance(row, dict) else (lambda name, default="": getattr(row, name, default))
    return RosterEntry(sector_id=str(get("sector_id", "") or ""), full_name=str(get("full_name", "") or ""),
                       class_name=str(get("class_name", "") or ""), email=clean_email(get("email", "")),
                       username=str(get("username", "") or ""))


ROSTER_SPEC = {
    "sector_id": (False, {"sector_id", "ma dinh danh", "sector id"}, ()),
    "full_name": (True, {"full_name", "full name", "ho va ten", "ho ten"}, ()),
    "class_name": (False, {"class_name", "class", "lop"}, ()),
    "email": (False, {"email", "e-mail"}, ("email",)),
    "username": (True, {"username", "ten dang nhap"}, ()),
}


def load_roster(data, max_bytes=DEFAULT_MAX_BYTES):
    """Roster entries from a CSV (the school's export: sector_id, full_name, class_name, email,
    username); read with the same care as a report, since it is also an upload, but with no row
    limit: a school's roster has thousands of learners."""
    rows, _ = read_rows(data, max_bytes, max_rows=None)
    start = next((i for i, (_, cells) in enumerate(rows) if not is_blank(cells)), None)
    columns = find_columns(rows[start][1], ROSTER_SPEC) if start is not None else None
    if columns is None:
        raise ReportError("unknown_format", {"candidates": [], "expected": "roster"})
    header = rows[start][1]
    entries = []
    for number, cells in rows[start + 1:]:
        if is_blank(cells):
            continue
        values = {name: cell(cells, index) for name, index in columns.items()}
        for required in ("full_name", "username"):
            if not values[required]:
                raise ReportError("bad_row", {"row": number, "column": header[columns[required]], "value": ""})
        entries.append(as_roster_entry(values))
    return entries


def _parts(name):
    """The pieces of a display name that may be the person's name, most likely first: the text
    outside brackets and before " - ", then the rest (Zoom's "New name (Original name)" puts the
    real name in the brackets)."""
    name = unicodedata.normalize("NFC", name or "")
    inside = [m.group(1) for m in _BRACKETED.finditer(name)]
    outside = _BRACKETED.sub(" ", name)
    segments = _SEPARATOR.split(outside)
    return [part for part in segments + inside if _tokens(part, True)]


def _tokens(text, loose):
    text = fold(text) if loose else unicodedata.normalize("NFC", text).casefold()
    # Digits are class names, device numbers, student numbers: never part of a name.
    return sorted(token for token in _WORD.findall(text) if not any(ch.isdigit() for ch in token)
                  and token != "_")


def name_key(name, loose=True):
    """The comparison key of a name: its words in sorted order, case-folded, and (``loose``)
    without diacritics. '' when no name is left after removing extra text."""
    parts = _parts(name)
    return " ".join(_tokens(parts[0], loose)) if parts else ""


def person_key(name, email):
    """How rows of one person are recognised as one person within a report: the e-mail when
    there is one, otherwise the loose name key."""
    email = clean_email(email)
    if email:
        return f"email:{email}"
    return f"name:{name_key(name) or fold(name)}"


@dataclass
class Match:
    """What the matcher decided about one person of the report."""

    key: str
    name: str
    email: Optional[str]
    entry: Optional[RosterEntry] = None
    method: Optional[str] = None            # EMAIL, NAME, MANUAL or None
    reason: Optional[str] = None            # AMBIGUOUS or NOT_FOUND when entry is None
    candidates: list = field(default_factory=list)   # [RosterEntry] the teacher may choose from

    @property
    def username(self):
        return self.entry.username if self.entry else None


def _index(roster, loose):
    index = {}
    for entry in roster:
        key = name_key(entry.full_name, loose)
        if key:
            index.setdefault(key, []).append(entry)
    return index


def _by_name(name, strict, loose):
    """(entries, reason): exactly one entry, or the candidates and why there is no single one."""
    for part in _parts(name):
        for index, is_loose in ((strict, False), (loose, True)):
            found = index.get(" ".join(_tokens(part, is_loose)), [])
            if len(found) == 1:
                return found, None
            if len(found) > 1:
                return found, AMBIGUOUS
    return [], NOT_FOUND


def _suggestions(name, roster_words):
    """Students whose name contains the typed words, or whose words the typed name contains:
    offered to the teacher, never matched automatically ("Châu" alone may be two students)."""
    typed = set()
    for part in _parts(name):
        typed |= set(_tokens(part, True))
    if not typed:
        return []
    found = []
    for entry, words in roster_words:
        if words and (typed <= words or words <= typed):
            found.append(entry)
    return found[:MAX_SUGGESTIONS]


def _name_and_email(person):
    if isinstance(person, dict):
        return person.get("name", ""), person.get("email")
    if isinstance(person, tuple):
        return person[0], person[1]
    return getattr(person, "name", ""), getattr(person, "email", None)


def match_people(people, roster, manual=None):
    """One ``Match`` per distinct person (by ``person_key``) of ``people``, in order of appearance.

    ``people`` are connections, totals or (name, e-mail) pairs; ``roster`` rows are mappings or
    objects with sector_id, full_name, class_name, email, username. ``manual`` maps a person key
    (or a display name) to the username the teacher chose, or to None to leave them unmatched;
    it overrides both e-mail and name.
    """
    roster = [as_roster_entry(row) for row in roster]
    by_username = {entry.username: entry for entry in roster}
    by_email = {}
    for entry in roster:
        if entry.email:
            by_email.setdefault(entry.email, []).append(entry)
    strict, loose = _index(roster, False), _index(roster, True)
    roster_words = [(entry, set(_tokens(entry.full_name, True))) for entry in roster]
    manual = manual or {}
    matches = {}
    for person in people:
        name, email = _name_and_email(person)
        email = clean_email(email)
        key = person_key(name, email)
        if key in matches:
            continue
        match = Match(key=key, name=name, email=email)
        matches[key] = match
        chosen = manual.get(key, manual.get(name, ...))
        if chosen is not ...:
            if chosen is None:
                match.reason, match.candidates = NOT_FOUND, _suggestions(name, roster_words)
            elif chosen in by_username:
                match.entry, match.method = by_username[chosen], MANUAL
            else:
                raise ValueError(f"manual choice for {key!r}: no username {chosen!r} in the roster")
            continue
        found = by_email.get(email, []) if email else []
        if len(found) == 1:
            match.entry, match.method = found[0], EMAIL
            continue
        found, reason = _by_name(name, strict, loose)
        if reason is None:
            match.entry, match.method = found[0], NAME
        else:
            match.reason = reason
            match.candidates = found if reason == AMBIGUOUS else _suggestions(name, roster_words)
    return list(matches.values())
