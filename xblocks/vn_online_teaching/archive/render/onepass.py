"""One reading of a table's rows for every file it becomes.

Reading the rows is the dearest part of an export (the database, its converters, and for a derived
document such as the score sheet, the class lists and the attempts of every test), so the rows are
read once, while the CSV is written: each row's JSON line goes at the same time to a temporary
file, handed to the bag as the next member; for a printed document, the rows themselves go to a
second temporary file (pickled a batch at a time, ``columns.BATCH`` rows: written and read back
by this process only) from which the XLSX and the PDF are laid out. Memory holds a chunk and a
batch at a time, whatever the table's size: the rest is on the worker's disk, and each temporary
file is removed once read back (or when the reading is dropped).

A consumer that reads the files out of order (the JSON Lines before the CSV) still gets them right:
a format whose rows were not gathered reads the table again.
"""
import os
import pickle
import weakref
from dataclasses import replace

from . import csvfile, jsonl, spool


class OnePass:
    """The files of one table from one reading of its rows (``keep_rows``: also for XLSX and PDF)."""

    def __init__(self, table, keep_rows=False):
        self.table, self.keep_rows = table, keep_rows
        self.lines_path = self.rows_path = None
        self.count = None  # rows written, once the CSV is complete
        self._cleanups = []

    def _temporary(self, suffix):
        """A temporary file removed by ``close``, or at the latest when nothing reads this table's
        files any more (the pairs may all be taken before any source is read)."""
        path = spool.temporary_path(suffix)
        self._cleanups.append(weakref.finalize(self, spool.discard, path))
        return path

    def csv(self):
        """The CSV's chunks; the JSON lines (and the rows) are spooled as it is written."""
        self.lines_path = self._temporary(".jsonl")
        self.rows_path = self._temporary(".rows") if self.keep_rows else None
        lines, count = [], [0, 0]  # JSON text waiting, its length; rows written
        with open(self.lines_path, "wb") as line_file, \
                open(self.rows_path if self.keep_rows else os.devnull, "wb") as row_file:

            def on_batch(batch, writer):
                text = writer.json_lines(batch)
                lines.append(text)
                count[0] += len(text)
                count[1] += len(batch.rows)
                if count[0] >= jsonl.CHUNK:
                    line_file.write("".join(lines).encode("utf-8"))
                    lines.clear()
                    count[0] = 0
                if self.keep_rows:
                    pickle.dump(batch.rows, row_file, pickle.HIGHEST_PROTOCOL)

            yield from csvfile.chunks(self.table, on_batch=on_batch)
            line_file.write("".join(lines).encode("utf-8"))
        self.count = count[1]

    def jsonl(self, counter):
        """The JSON Lines' chunks: the spooled lines, or the rows read again when the CSV was not."""
        if self.count is None:
            yield from jsonl.chunks(self.table, counter)
            return
        counter.rows = self.count
        yield from spool.read_back(self.lines_path)

    def kept(self):
        """The table whose ``rows()`` reads the spooled rows (the table itself when they were not)."""
        return replace(self.table, rows=self._rows)

    def _rows(self):
        if self.count is None or not self.rows_path:
            return self.table.rows()
        return self._read_rows(self.rows_path)

    @staticmethod
    def _read_rows(path):
        with open(path, "rb") as handle:
            while True:
                try:
                    batch = pickle.load(handle)  # our own file, written just before by this process
                except EOFError:
                    return
                yield from batch

    def close(self):
        """Remove what is left on disk (the spooled rows, once the last format has read them)."""
        for cleanup in self._cleanups:
            cleanup()
