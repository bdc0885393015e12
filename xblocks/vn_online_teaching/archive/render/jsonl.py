"""JSON Lines for machines, and the table's description beside it.

``<table>.jsonl``: one JSON object per row, one row per line (UTF-8, no BOM, LF), keyed by the
column keys in the table's column order. Values: strings; integers; decimals as JSON numbers with
their exact digits (``8.50`` stays ``8.50``; read them with a decimal parser, e.g. Python's
``json.loads(line, parse_float=Decimal)``); dates and instants as ISO 8601 strings (instants in
UTC, ending in "Z"); ``true``/``false``; ``null``.

``<table>.table.json``: what the rows mean, for a reader who has only the package::

    {"feature": "attendance", "table": "logbook", "title": "Sổ đầu bài", "title_en": "Class logbook",
     "language": "vi", "rows_file": "logbook.jsonl", "rows": 1234,
     "columns": [{"key": "date", "label": "Ngày", "label_en": "Date"}, ...],
     "printable": "logbook"}

``rows`` is the number of lines of the ``.jsonl`` (null when that file was not written first).
"""
import datetime as dt
import json
import posixpath
from decimal import Decimal
from json.encoder import encode_basestring

from .cells import decimal_text, instant_text, remembered

CHUNK = 64 * 1024


class Counter:
    """Rows counted while the ``.jsonl`` is written, for the description written after it."""

    def __init__(self):
        self.rows = None


def value_json(value):
    """One value as JSON text (strings through the json module's C encoder, letters unescaped)."""
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return decimal_text(value) if value.is_finite() else encode_basestring(str(value))
    if isinstance(value, (dt.date, dt.time)):
        return encode_basestring(instant_text(value))
    return json.dumps(value, ensure_ascii=False, default=str)


def _quoted(convert):
    return lambda value: '"' + convert(value) + '"'  # ISO 8601 text has nothing JSON escapes


def line_writer(columns):
    """A function from a row to its JSON line, as ``value_json`` writes each value: the line's
    frame (the keys, in the columns' order) is made once per table, and the writer for each value is
    looked up by its exact type (each call gives its own small caches for repeated dates)."""
    keys = [json.dumps(key, ensure_ascii=False).replace("%", "%%") for key, _label in columns]
    frame = "{" + ", ".join(f"{key}: %s" for key in keys) + "}\n"
    writers = {str: encode_basestring, int: int.__repr__, type(None): lambda _v: "null",
               dt.date: remembered(_quoted(instant_text)), dt.datetime: remembered(_quoted(instant_text))}
    get = writers.get

    def line(row):
        return frame % tuple([get(value.__class__, value_json)(value) for value in row])

    return line


def chunks(table, counter=None):
    """Bytes chunks of the rows as JSON Lines; rows are read when the first chunk is asked."""
    from . import columns  # noqa: PLC0415 - columns writes its mixed cells with ``value_json``

    writer = columns.Writer(table.columns)
    parts, size, count = [], 0, 0
    for rows in columns.batches(table.rows()):
        text = writer.json_lines(writer.batch(rows))
        parts.append(text)
        size += len(text)
        count += len(rows)
        if size >= CHUNK:
            yield "".join(parts).encode("utf-8")
            parts, size = [], 0
    if counter is not None:
        counter.rows = count
    yield "".join(parts).encode("utf-8")


def description(table, context, base_path, counter=None):
    """The ``.table.json`` bytes (one chunk; a generator, so the row count is read when written)."""
    columns = [{"key": key, "label": context.gettext(label), "label_en": label} for key, label in table.columns]
    body = {
        "feature": table.feature, "table": table.name,
        "title": context.gettext(table.title), "title_en": table.title,
        "language": context.language,
        "rows_file": posixpath.basename(base_path) + ".jsonl",
        "rows": counter.rows if counter is not None else None,
        "columns": columns,
        "printable": table.printable,
    }
    yield (json.dumps(body, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
