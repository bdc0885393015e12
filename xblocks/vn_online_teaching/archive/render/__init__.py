"""The files a table of records becomes inside an archive package.

The call the package builder makes, once per table a feature exports (core.exporting ``Table``)::

    from vn_online_teaching.archive import render

    context = render.Context(school="THCS Nguyễn Du", course="Toán 6A", scope="HK1 2025-2026",
                             since=date(2025, 9, 5), until=date(2026, 1, 15), language="vi")

    def pairs():  # every table's files, one table after the other, produced lazily
        for table in tables:
            yield from render.table_files(table, f"{table.feature}/{table.name}", context)

    package.write(target, name, ..., files=pairs(), titles=context.titles, language=context.language)

The package writer adds each ``(path, source)`` to the bag as it comes (``source``: a lazy iterator
of bytes chunks); the index page (``archive/index.py``) groups the files by feature and table with
``context.titles``.

``table_files(table, base_path, context)`` yields ``(path, source)`` pairs, ``path`` relative to
the bag's ``data/`` folder and starting with ``base_path``:

* ``<base_path>.csv``        UTF-8 with BOM, header of column keys (``render.csvfile``);
* ``<base_path>.jsonl``      one JSON object per row, keyed by column key (``render.jsonl``);
* ``<base_path>.table.json`` the table's description: title, columns with their labels, row count;
* ``<base_path>.xlsx``       for people, only when ``table.printable`` names a document they read
  (the logbook, the attendance sheet, the score sheet, the materials register): column labels,
  bold header (``render.xlsx``). A data table (answers, marks, events) opens in a spreadsheet from
  its CSV, whose BOM Excel reads; writing every table twice for people would triple the export's
  time for no reader;
* ``<base_path>.pdf``        only when ``table.printable`` names an A4 document (``render.pdf``);
  a very long document is split into volumes ``<base_path>-2.pdf``, ``-3`` …, so that memory
  stays bounded.

Every source is a generator that reads nothing before it is first read. The rows are read once per
table (``render.onepass``): while the CSV is written, the JSON lines (and, for a printed document,
the rows themselves) go to temporary files on disk, from which the JSON Lines, the XLSX and the PDF
are then written; nothing is held in memory. So pass the pairs to the bag one after the other, as
they come, reading each source before asking for the next pair (a format asked for before the CSV
is read reads the rows again by itself). ``context.titles`` collects, as the pairs are produced,
which files belong to which table, for the index page.
"""
from .api import Context, table_files  # noqa: F401
