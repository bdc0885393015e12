"""One entry point for any uploaded report.

The platform is recognised from the file's structure, never its name: teachers rename files,
Teams calls a tab-separated UTF-16 file ``.csv``, and Excel re-saves anything as anything.
"""
from . import meet, teams, zoom
from .base import DEFAULT_TZ, FORMATS, MEET, TEAMS, ZOOM, ReportError, lesson_for
from .decode import DEFAULT_MAX_BYTES, DEFAULT_MAX_ROWS, read_rows

PARSERS = {ZOOM: zoom, TEAMS: teams, MEET: meet}


def detect_format(rows):
    """The formats whose structure ``rows`` has (normally exactly one)."""
    return [name for name, parser in PARSERS.items() if parser.detect(rows)]


def parse_report(data, *, lesson_start, lesson_end, fmt="auto", tz=DEFAULT_TZ, max_bytes=DEFAULT_MAX_BYTES,
                 max_rows=DEFAULT_MAX_ROWS):
    """Read an uploaded report (bytes or a binary file object) for one lesson.

    Returns a ``ParsedReport``; any problem with the file raises ``ReportError`` and nothing
    else, so a caller can show every failure to the teacher the same way. ``fmt`` lets the
    teacher insist on a platform, which is then checked against the file, not trusted; a file of
    more than ``max_rows`` rows that are not blank is refused (``too_many_rows``).
    """
    if fmt != "auto" and fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    lesson = lesson_for(lesson_start, lesson_end, tz)
    rows, read = read_rows(data, max_bytes, max_rows)
    found = detect_format(rows)
    if fmt == "auto":
        if len(found) != 1:
            raise ReportError("unknown_format", {"candidates": found})
        fmt = found[0]
    elif fmt not in found:
        raise ReportError("format_mismatch", {"expected": fmt, "detected": found})
    report = PARSERS[fmt].parse(rows, lesson)
    report.encoding = read["encoding"]
    report.delimiter = read["delimiter"]
    report.sha256 = read["sha256"]
    return report
