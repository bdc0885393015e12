"""A table's cells written a batch of rows at a time, column by column.

Most columns of a batch hold one kind of value: a column of record numbers, of names, of dates.
Such a column is converted in one go (a text column checked for the formula guard and NFC on its
joined text, a number column handed on as it is, a date column through the table's cache of date
texts) by loops that run inside Python's C code, instead of a lookup and a call for each cell; a
column mixing kinds (text and None) falls back to the per-cell writers of ``cells`` and ``jsonl``,
which say what each value becomes. The output is the same, character for character.

Why the joined text may be checked instead of each cell: cells are joined with NUL, a character
that never composes with its neighbours and stops every reordering of combining marks, so the
joined text is in NFC exactly when every cell is; and a cell starts like a formula exactly when the
joined text has a formula character at its start or after a NUL (a NUL inside a cell can only add
a false alarm, which sends the column to the per-cell writer).
"""
import csv
import datetime as dt
import io
import itertools
import json
import operator
import re
import unicodedata
from json.encoder import encode_basestring

from .cells import (
    FORMULA_START,
    _guard_text,
    csv_writers,
    guarded,
    instant_text,
    remembered,
)
from .jsonl import value_json

BATCH = 512  # rows converted together: a batch in memory, loops long enough to pay
NONE = type(None)
SEPARATOR = "\x00"
FORMULA_AT_START = re.compile("(?:^|\x00)[" + re.escape("".join(FORMULA_START)) + "]")
QUOTED = re.compile('[,"\r\n]')  # what makes the csv module quote a cell (our dialect)
PLAIN = frozenset((int, NONE))  # what the csv module writes as the per-value rules do
TEXT_ONLY, INT_ONLY, NONE_ONLY = frozenset((str,)), frozenset((int,)), frozenset((NONE,))
DATE_ONLY = frozenset((dt.date,))
DATES = (DATE_ONLY, frozenset((dt.datetime,)))
UTC_ONLY = {dt.UTC}
TZINFO = operator.attrgetter("tzinfo")
ISO_MICROSECONDS = operator.methodcaller("isoformat", timespec="microseconds")


def batches(rows, size=BATCH):
    """Lists of at most ``size`` rows, as they come."""
    rows = iter(rows)
    while batch := list(itertools.islice(rows, size)):
        yield batch


class Batch:
    """The columns of a batch of rows, the kinds of value each holds, and the texts of its date
    columns once made (the CSV and the JSON lines write the same ISO 8601 text)."""

    def __init__(self, rows, width):
        self.rows, self.width = rows, width
        self.columns = list(zip(*rows)) if width else []
        self.kinds = [frozenset(map(type, column)) for column in self.columns]
        self.dates = {}

    def date_texts(self, i, one):
        """The ISO 8601 texts of column ``i``, which holds only dates or only instants; ``one``:
        the per-value writer (``cells.instant_text``, remembered) for instants not in UTC."""
        texts = self.dates.get(i)
        if texts is None:
            column = self.columns[i]
            if self.kinds[i] == DATE_ONLY:
                texts = list(map(dt.date.isoformat, column))
            elif set(map(TZINFO, column)) == UTC_ONLY:  # as the database gives them
                texts = [text[:-6] + "Z" for text in map(ISO_MICROSECONDS, column)]
            else:
                texts = list(map(one, column))
            self.dates[i] = texts
        return texts


class Writer:
    """The CSV cells and the JSON lines of one table's rows (its own cache of instant texts)."""

    def __init__(self, columns):
        self.width = len(columns)
        self.csv_writers = csv_writers()
        self.keys = [json.dumps(key, ensure_ascii=False).replace("%", "%%") for key, _label in columns]
        self.frames = {}
        self.instant = remembered(instant_text)

    def batch(self, rows):
        return Batch(rows, self.width)

    def csv_rows(self, batch):
        """The batch's rows as the cells a ``csv.writer`` writes (``cells.csv_converter``)."""
        if not self.width:
            return [()] * len(batch.rows)
        return zip(*[cells for cells, _texts in self._csv_columns(batch)])

    def csv_text(self, batch):
        """The batch's CSV lines, as a ``csv.writer`` (CRLF, minimal quoting) writes ``csv_rows``:
        joined by hand when no cell needs quotes (a comma, a quote, a line break), which is most
        batches; otherwise by the csv module. A row of one cell always goes to the csv module,
        which writes an empty one as ``""``."""
        if self.width > 1:
            columns = []
            for _cells, texts in self._csv_columns(batch):
                if texts is None:
                    break
                columns.append(texts)
            else:
                return "\r\n".join(map(",".join, zip(*columns))) + "\r\n"
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerows(self.csv_rows(batch))
        return buffer.getvalue()

    def _csv_columns(self, batch):
        """(cells, texts) of each column: the cells ``csv_rows`` gives, and the text the csv module
        writes for each, or None when a cell needs quotes."""
        for i, (column, kinds) in enumerate(zip(batch.columns, batch.kinds)):
            if kinds == INT_ONLY:
                yield column, list(map(int.__repr__, column))
            elif kinds <= PLAIN:  # None, or None and numbers
                yield column, ["" if value is None else int.__repr__(value) for value in column]
            elif kinds == TEXT_ONLY:
                joined = SEPARATOR.join(column)
                if FORMULA_AT_START.search(joined) is None and (
                        joined.isascii() or unicodedata.is_normalized("NFC", joined)):
                    yield column, (column if QUOTED.search(joined) is None else None)
                else:
                    cells = list(map(_guard_text, column))
                    yield cells, (cells if QUOTED.search(SEPARATOR.join(cells)) is None else None)
            elif kinds in DATES:
                texts = batch.date_texts(i, self.instant)
                yield texts, texts  # ISO 8601 needs no quotes
            else:  # a column mixing kinds: its cells one by one, as ``cells.csv_converter`` writes them
                get = self.csv_writers.get
                cells = [value if (writer := get(value.__class__, guarded)) is None else writer(value)
                         for value in column]
                texts = ["" if cell is None else cell if cell.__class__ is str else int.__repr__(cell)
                         for cell in cells]
                yield cells, (texts if QUOTED.search(SEPARATOR.join(texts)) is None else None)
    def json_lines(self, batch):
        """The batch's JSON Lines text (``jsonl.line_writer``)."""
        if not self.width:
            return self.frame(()) * len(batch.rows)
        out, quoted = [], []
        for i, (column, kinds) in enumerate(zip(batch.columns, batch.kinds)):
            dates = kinds in DATES
            quoted.append(dates)  # an ISO 8601 text has nothing JSON escapes: the frame quotes it
            if kinds == TEXT_ONLY:
                out.append(map(encode_basestring, column))
            elif kinds == INT_ONLY:
                out.append(map(int.__repr__, column))
            elif kinds == NONE_ONLY:
                out.append(itertools.repeat("null", len(column)))
            elif dates:
                out.append(batch.date_texts(i, self.instant))
            else:
                out.append(map(value_json, column))
        return "".join(map(self.frame(tuple(quoted)).__mod__, zip(*out)))

    def frame(self, quoted):
        """The JSON line of a row with ``%s`` for each value, in quotes where ``quoted`` says."""
        frame = self.frames.get(quoted)
        if frame is None:
            frame = self.frames[quoted] = "{" + ", ".join(
                f'{key}: "%s"' if is_quoted else f"{key}: %s"
                for key, is_quoted in itertools.zip_longest(self.keys, quoted, fillvalue=False)) + "}\n"
        return frame
