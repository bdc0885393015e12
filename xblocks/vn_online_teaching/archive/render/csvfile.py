"""CSV for machines and for Excel: UTF-8 with a BOM (Excel then reads Vietnamese letters right),
CRLF line ends, every cell that holds a comma, quote or line break quoted (RFC 4180). The header
row holds the column keys, which stay the same in every language (their labels are in the
table's ``.table.json``). Values: ``cells.text`` (ISO dates, exact decimals), text cells guarded
against formulas with a leading apostrophe (``cells.guarded``): a program reading the file sees the
apostrophe, which is why the guard is named in docs/archive-verification.md.

Written in chunks of about ``CHUNK`` bytes as the rows come, a batch of rows at a time
(``columns``): memory does not grow with the table.
"""
import csv
import io

from . import columns
from .cells import guarded

CHUNK = 64 * 1024
BOM = "\ufeff"


def chunks(table, on_batch=None):
    """Bytes chunks of the table's CSV; ``table.rows()`` is called when the first chunk is asked.
    ``on_batch(batch, writer)``: called with each batch of rows (``columns.Batch``) after it is
    written (``onepass`` writes the other formats from the same reading)."""
    header = io.StringIO()
    csv.writer(header, lineterminator="\r\n").writerow([guarded(key) for key, _label in table.columns])
    writer = columns.Writer(table.columns)
    parts, size = [BOM, header.getvalue()], 0
    for rows in columns.batches(table.rows()):
        batch = writer.batch(rows)
        text = writer.csv_text(batch)
        parts.append(text)
        size += len(text)
        if on_batch is not None:
            on_batch(batch, writer)
        if size >= CHUNK:
            yield "".join(parts).encode("utf-8")
            parts, size = [], 0
    yield "".join(parts).encode("utf-8")
