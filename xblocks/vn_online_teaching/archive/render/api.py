"""``Context`` and ``table_files``: what the package builder calls (see the package docstring)."""
from dataclasses import dataclass, field
from datetime import date

from ...core import i18n
from . import jsonl, onepass, pdf, xlsx


@dataclass
class Context:
    """What every file of one package shares: the header of the printed documents and the language
    the labels are written in. ``titles`` is filled by ``table_files``: {base_path: (feature,
    title)} in the package's language, for the index page."""
    school: str = ""
    course: str = ""  # the course or class the package covers ("" for a whole school)
    scope: str = ""  # how the exporter named the scope ("Học kỳ I, 2025-2026")
    since: date | None = None
    until: date | None = None
    language: str = field(default_factory=i18n.current_language)
    org: str | None = None  # the school's organisation: its time zone for local times
    titles: dict = field(default_factory=dict)
    scratch: dict = field(default_factory=dict, repr=False, compare=False)  # what the renderers reuse

    def gettext(self, message):
        """``message`` in the package's language, whatever language is active when a source is read
        (sources are read lazily, after the caller's ``translation.override`` may have ended)."""
        return i18n.catalog(self.language).gettext(message) if message else ""

    def labels(self, table):
        return [self.gettext(label) for _key, label in table.columns]


def table_files(table, base_path, context):
    """(path, source) pairs of ``table`` under ``base_path`` (see the package docstring)."""
    context.titles[base_path] = (table.feature, context.gettext(table.title))
    counter = jsonl.Counter()
    one = onepass.OnePass(table, keep_rows=bool(table.printable))
    yield f"{base_path}.csv", one.csv()
    yield f"{base_path}.jsonl", one.jsonl(counter)
    yield f"{base_path}.table.json", jsonl.description(table, context, base_path, counter)
    if table.printable:  # the documents people open: the spreadsheet and the A4 print
        kept = one.kept()
        yield f"{base_path}.xlsx", xlsx.chunks(kept, context)
        yield from pdf.volumes(kept, base_path, context)
    one.close()
