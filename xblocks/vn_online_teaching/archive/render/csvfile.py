"""CSV for machines and for Excel: UTF-8 with a BOM (Excel then reads Vietnamese letters right),
CRLF line ends, every cell that holds a comma, quote or line break quoted (RFC 4180). The header
row holds the column keys, which stay the same in every language (their labels are in the
table's ``.table.json``). Values: ``cells.text`` (ISO dates, exact decimals), text cells guarded
against formulas with a leading apostrophe (``cells.guarded``): a program reading the file sees the
apostrophe, which is why the guard is named in docs/archive-verification.md.

Written in chunks of about ``CHUNK`` bytes as the rows come: memory does not grow with the table.
"""
import csv
import io

from .cells import csv_converter, guarded

CHUNK = 64 * 1024
BOM = "\ufeff"


def chunks(table, on_row=None):
    """Bytes chunks of the table's CSV; ``table.rows()`` is called when the first chunk is asked.
    ``on_row(row)``: called with each row after it is written (``onepass`` writes the other
    formats from the same reading)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    cells = csv_converter()
    buffer.write(BOM)
    writer.writerow([guarded(key) for key, _label in table.columns])
    for row in table.rows():
        writer.writerow(cells(row))
        if on_row is not None:
            on_row(row)
        if buffer.tell() >= CHUNK:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")
