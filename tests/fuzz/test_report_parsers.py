"""Every meeting-report parser, and the roster reader, fed generated files: the real samples
mutated, CSV made up from their headers and edge cells, other encodings and types, bytes. A file
may be refused only with the importers' own ReportError; whatever a parser returns must also
summarize against the class roster without any other error. The samples with their times
replaced by dates far outside the calendar run first, every time."""
import datetime as dt

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from vn_online_teaching.attendance.importers import ReportError, load_roster, parse_report, summarize
from vn_online_teaching.attendance.importers.detect import PARSERS

from . import reports, timing
from .conftest import FUZZ, STATS
from .world import ICT

FORMATS = ["auto", *sorted(PARSERS)]
SAMPLE_WINDOWS = [(dt.datetime(2025, 9, 8, h, m, tzinfo=ICT), minutes) for h, m, minutes in
                  ((7, 30, 45), (8, 20, 45), (9, 15, 45))]
ROSTER = load_roster(reports.SAMPLES["roster-10A1.csv"])


def windows():
    generated = st.tuples(st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2099, 12, 30), timezones=st.just(ICT)),
                          st.integers(5, 240))
    return st.sampled_from(SAMPLE_WINDOWS) | generated


def read(data, window, fmt):
    """What the import does with a file: parse it for the lesson, then summarize it."""
    start, minutes = window
    end = start + dt.timedelta(minutes=minutes)
    counts = STATS[f"parser {fmt}"]
    counts["sent"] += 1
    try:
        report = parse_report(data, lesson_start=start, lesson_end=end, fmt=fmt)
        summarize(report, lesson_start=start, lesson_end=end, roster=ROSTER)
        counts["read"] += 1
    except ReportError:
        counts["refused"] += 1


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_report_parser_raises_only_its_report_error(fmt):
    def one_file(data, window):
        read(data, window, fmt)

    for data in reports.far_out_samples():
        for window in SAMPLE_WINDOWS:
            one_file = example(data, window)(one_file)
    STATS[f"parser {fmt}"]["sweep"] += len(reports.far_out_samples()) * len(SAMPLE_WINDOWS)
    started = timing.seconds()
    FUZZ(given(reports.file_content(), windows())(one_file))()
    STATS[f"parser {fmt}"]["seconds"] += timing.seconds() - started


def test_the_roster_reader_raises_only_its_report_error():
    counts = STATS["roster reader"]

    def one_file(data):
        counts["sent"] += 1
        try:
            load_roster(data)
            counts["read"] += 1
        except ReportError:
            counts["refused"] += 1

    started = timing.seconds()
    FUZZ(given(reports.file_content() | st.sampled_from(reports.far_out_samples()))(one_file))()
    counts["seconds"] += timing.seconds() - started
