"""Reading the attendance reports that meeting platforms export (Zoom, Teams, Meet).

Pure Python on purpose: the files come from teachers' computers in many encodings and locales, so
the parsing rules must be tested fast and in isolation from Django and the XBlock runtime. Every
problem with a file surfaces as one ``ReportError`` with a stable code; the caller translates it.
"""
from .base import Connection, ParsedReport, PersonTotal, ReportError
from .detect import parse_report
from .matching import RosterEntry, load_roster, match_people, name_key, person_key
from .summary import PersonSummary, Summary, Thresholds, summarize, suggest_status

__all__ = [
    "Connection", "ParsedReport", "PersonTotal", "ReportError", "parse_report", "RosterEntry",
    "load_roster", "match_people", "name_key", "person_key", "PersonSummary", "Summary", "Thresholds",
    "summarize", "suggest_status",
]
