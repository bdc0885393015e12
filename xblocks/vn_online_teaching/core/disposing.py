"""Deleting the live records a disposal decision covers: the shared part of the features'
``export.dispose`` (core/exporting.py).

A disposal (archive/holds.py) deletes records only once a verified package holds them, no legal
hold covers them and their retention has passed (docs/records-guide.md, "Disposal"). The archive
never touches a feature's models: each feature deletes its own records, with the same scope
queries its ``tables()`` and ``counts()`` read, so what is deleted is what the package holds.
Three rules keep a disposal from deleting anything else:

- a record is deleted only when no record that stays refers to it (``unreferenced``). The scope
  selects each record by its own date, so a lesson of the scope may have a mark changed after the
  scope's last day: that change is not in the package, so it stays, and so do the mark and the
  lesson it needs. Without the rule the delete would stop at a PROTECT reference, or follow a
  CASCADE one into records the package does not hold;
- a record is deleted only when the decision names every record type it belongs to (a lesson is
  the teaching process and the teaching plan: docs/circular-09.md, "Records archive"), since each
  type has its own retention;
- a stored file is deleted once the deletion is committed, and only when no remaining record names
  it: files are stored once per SHA-256 and copies of a block share them. A decision rolled back
  deletes no file.

Rows are deleted children first (``deletion_order``), a window of ``CHUNK`` primary keys at a
time, so memory stays flat, inside the caller's transaction: a disposal is all or nothing.
"""
import logging
from itertools import islice

from django.db import transaction
from django.db.models import Exists, Max, Min, OuterRef

from .exporting import CHUNK, label

log = logging.getLogger(__name__)


def batched(items, size):
    """``items`` in tuples of at most ``size`` (itertools.batched, which Python 3.11 lacks)."""
    items = iter(items)
    while batch := tuple(islice(items, size)):
        yield batch

# The record types of the Circular's provisions on keeping online-teaching records (the names the
# archive's retention setting uses: archive/settings.py).
TEACHING_PROCESS = "teaching_process"
TEACHING_PLANS = "teaching_plans"
ASSESSMENT = "assessment"
MATERIALS = "materials"

IN_LIST = 500  # values per ``__in`` list: under every database's limit on query parameters


def references(model):
    """The relations by which rows of any model refer to ``model`` (hidden ones too: a
    ``related_name="+"`` still protects or cascades)."""
    return [field for field in model._meta.get_fields(include_hidden=True)
            if field.auto_created and not field.concrete and (field.one_to_many or field.one_to_one)]


def unreferenced(queryset):
    """``queryset`` without the rows some row (of any model) still refers to."""
    for relation in references(queryset.model):
        field = relation.field
        referring = relation.related_model._base_manager.filter(
            **{field.attname: OuterRef(field.target_field.attname)})
        queryset = queryset.filter(~Exists(referring))
    return queryset


def deletion_order(models):
    """``models`` ordered so that each comes before the models it refers to (children first). A
    cycle is broken at a nullable reference, which the feature clears before deleting (a
    material points to its approved version, which points back to the material)."""
    remaining = list(models)
    refers = {model: {f.related_model for f in model._meta.concrete_fields
                      if f.is_relation and f.related_model is not model} for model in remaining}
    nullable = {model: {f.related_model for f in model._meta.concrete_fields if f.is_relation and f.null}
                for model in remaining}
    order = []
    while remaining:
        free = [m for m in remaining if not any(m in refers[o] for o in remaining if o is not m)]
        if not free:
            for model in remaining:
                refers[model] -= nullable[model]
            free = [m for m in remaining if not any(m in refers[o] for o in remaining if o is not m)]
            if not free:
                raise ValueError(f"records that refer to each other: {[label(m) for m in remaining]}")
        order.extend(free)
        remaining = [m for m in remaining if m not in free]
    return order


def delete_rows(queryset, file_field=None, size=None):
    """Delete the rows of ``queryset`` that nothing refers to, a window of primary keys at a time;
    returns (how many, the set of ``file_field`` values of the deleted rows). A delete that would
    reach another model (a cascade) is a bug: it raises, and the caller's transaction rolls back."""
    size = size or CHUNK
    model = queryset.model
    queryset = unreferenced(queryset.order_by())
    span = queryset.aggregate(first=Min("pk"), last=Max("pk"))
    deleted, names = 0, set()
    if span["first"] is None:
        return deleted, names
    for start in range(span["first"], span["last"] + 1, size):
        window = queryset.filter(pk__gte=start, pk__lt=start + size)
        if file_field:
            names.update(window.values_list(file_field, flat=True))
        _total, by_model = window.delete()
        others = {name: n for name, n in by_model.items() if name != label(model) and n}
        if others:
            raise RuntimeError(f"deleting {label(model)} reached other records: {others}")
        deleted += by_model.get(label(model), 0)
    return deleted, names


def remove_files_after_commit(model, file_field, names, storage=None):
    """Once the transaction commits, delete each stored file of ``names`` that no row of ``model``
    names any more. A file that cannot be deleted is logged and stays: its records are gone."""
    names = sorted(name for name in names if name)
    if not names:
        return

    def remove():
        from django.core.files.storage import default_storage  # noqa: PLC0415 - tests change it

        target = storage or default_storage
        still = set()
        for batch in batched(names, IN_LIST):
            still.update(model._base_manager.filter(**{f"{file_field}__in": batch})
                         .values_list(file_field, flat=True))
        for name in names:
            if name in still:
                continue
            try:
                target.delete(name)
            except OSError:
                log.exception("A disposed record's file %s could not be deleted", name)

    transaction.on_commit(remove)


def dispose(queries, record_types_of, scope, record_types, files=None):
    """The body of a feature's ``export.dispose``: for each model of ``queries`` (``{model:
    query(scope)}``, the ones ``counts`` reads) whose record types (``record_types_of[model]``)
    the decision all names, children first, delete the rows of the scope nothing refers to;
    ``files`` (``{model: field}``) names the stored files to delete after the commit. Returns
    ``{model label: deleted}`` for the models the decision reaches (0 included)."""
    chosen = set(record_types)
    files = files or {}
    deleted = {}
    with transaction.atomic():
        for model in deletion_order(queries):
            if not set(record_types_of[model]) <= chosen:
                continue
            count, names = delete_rows(queries[model](scope), files.get(model))
            deleted[label(model)] = count
            if model in files:
                remove_files_after_commit(model, files[model], names)
    return deleted
