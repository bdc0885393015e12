"""What a scope's records are at one moment, read again later: a disposal deletes the live records
an export holds only if none was added or changed after that export began (archive/holds.py).
A count alone would not see a record added where another was deleted, nor a record changed since
(a mark corrected after the export: the package holds the mark as it was, and deleting the live
one would lose the correction)."""
from django.db.models import Count, Max

from . import clock
from .exporting import label


def state(exporters, scope):
    """What a scope's records are now, by model label: [rows, highest id, latest ``updated_at``
    (ISO, "" for a model that is only ever added to)], over the ``queries`` of ``exporters``
    (core/exporting.py). Taken when an export starts and again before a disposal deletes."""
    out = {}
    for exporter in exporters:
        for model, query in (exporter.queries or {}).items():
            changes = any(f.name == "updated_at" for f in model._meta.concrete_fields)
            totals = query(scope).order_by().aggregate(
                n=Count("pk"), last=Max("pk"), **({"changed": Max("updated_at")} if changes else {}))
            out[label(model)] = [totals["n"], totals["last"] or 0,
                                 clock.iso(totals["changed"]) if totals.get("changed") else ""]
    return out


def changed_since(before, now):
    """The labels whose records were added or changed between two ``state`` readings."""
    return sorted(name for name, (rows, last, changed) in now.items() if name in before and (
        rows > before[name][0] or last > before[name][1] or changed > before[name][2]))
