"""The contract between the records archive and the features whose records it keeps.

The archive must hold every record of a school (docs/circular-09.md, "Records archive") without
knowing any feature: the features never import each other, and a record type added later must
reach the package without editing the archive. So each feature (and the core, for the roster and
the school roles) has an ``export.py`` beside its models, found by the registry the way its
``access.py`` is, with three functions:

- ``tables(scope)`` → iterator of ``Table``: the feature's records as rows of plain values;
- ``files(scope)`` → iterator of ``File``: the documents kept as they are (attachments, approved
  snapshots, imported meeting reports);
- ``counts(scope)`` → ``{model_label: int}``: how many rows of EACH of the feature's models the
  scope covers, so a test (and an inspector) can check that nothing was left out;
- optionally ``dispose(scope, record_types)`` → ``{model_label: int deleted}``: deletes the live
  records of the scope (the same queries as ``counts``) whose record types a disposal decision
  names, in one transaction, children first, stored files after the commit (core/disposing.py
  says which records stay). The archive calls it only for a decision it recorded (archive/
  holds.py); a part without it keeps its records whatever a disposal says, and the decision
  says so (the core's roster and roles: core/export.py).

Everything streams: ``Table.rows()`` and ``File.open()`` re-read the database or the storage each
time they are called (each format reads the rows once more) and yield as they read, a page of
``CHUNK`` rows at a time (``stream``), so exporting a whole school keeps memory flat on every
database; the derived documents (logbook, sheets) hold one class or one test at a time. Rows
hold only plain values (str, int, Decimal, date, datetime, None); JSON data is written as
canonical JSON text (``json_text``) and booleans as 0/1, so every format (CSV, JSONL, XLSX, PDF)
can write them. Columns that name a state, a kind or a weekday are translated when the rows are
read: read them inside ``translation.override`` of the package's language.

The audit log is not exported here: the archive writes the chain's segment itself, with its anchors.
"""
import datetime as dt
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Max, Min, OuterRef, Subquery

from . import clock, registry

CHUNK = 2000  # primary keys per window read from the database: memory per table stays this many rows
FILE_CHUNK = 64 * 1024  # bytes read from storage at a time

# The printable documents the renderers lay out for A4 (a Table's ``printable``).
PRINTABLE = ("materials_register", "logbook", "attendance_sheet", "score_sheet")


@dataclass(frozen=True)
class Scope:
    """Which records an export covers: one school (``org``), its courses ``course_keys`` (None: all
    of them) and the days ``since`` .. ``until`` (both included; None: open). Each table says which
    of its record's own dates the days apply to (a lesson's date, a decision's time, an attempt's
    start): a record belongs to the period it happened in, not to when it was last touched."""

    org: str
    course_keys: tuple | None = None
    since: dt.date | None = None
    until: dt.date | None = None

    def __post_init__(self):
        if not self.org:
            raise ValueError("an export scope needs the school (org)")
        if self.course_keys is not None:
            keys = tuple(dict.fromkeys(str(key) for key in self.course_keys))  # order kept, once each
            object.__setattr__(self, "course_keys", keys)
        if self.since and self.until and self.since > self.until:
            raise ValueError("an export scope's 'since' is after its 'until'")

    # -- filtering querysets -----------------------------------------------------------------

    def courses(self, queryset, org_field="org", course_field="course_key"):
        """``queryset`` narrowed to this school and, when named, these courses (fields may follow
        relations: ``"lesson__org"``)."""
        queryset = queryset.filter(**{org_field: self.org})
        if self.course_keys is not None:
            queryset = queryset.filter(**{f"{course_field}__in": self.course_keys})
        return queryset

    def dates(self, queryset, field, kind="datetime"):
        """``queryset`` narrowed to records whose ``field`` falls on the scope's days. A datetime
        field is compared with the bounds of those days in the school's time zone (an index on the
        field still serves: no ``__date`` conversion); ``kind="date"`` compares a date field (a
        lesson's ``date``, already a school day)."""
        if kind == "date":
            if self.since:
                queryset = queryset.filter(**{f"{field}__gte": self.since})
            if self.until:
                queryset = queryset.filter(**{f"{field}__lte": self.until})
            return queryset
        start, end = self.bounds()
        if start:
            queryset = queryset.filter(**{f"{field}__gte": start})
        if end:
            queryset = queryset.filter(**{f"{field}__lt": end})
        return queryset

    def bounds(self):
        """(first instant, first instant after) of the scope's days in the school's time zone
        (``clock.school_zone``: a school's day is its own, wherever the server runs); None for an
        open end."""
        zone = clock.school_zone(self.org)

        def midnight(day):
            return dt.datetime.combine(day, dt.time.min, tzinfo=zone).astimezone(dt.UTC)

        start = midnight(self.since) if self.since else None
        end = midnight(self.until + dt.timedelta(days=1)) if self.until else None
        return start, end

    def covers_course(self, course_key):
        return self.course_keys is None or str(course_key) in self.course_keys

    def covers_day(self, day):
        """Whether a date (or a datetime, taken in the school's time zone) is in the scope; a
        record without a date is in it only when the scope has no dates."""
        if day is None:
            return self.since is None and self.until is None
        if isinstance(day, dt.datetime):
            day = clock.to_school(day, self.org).date()
        return (self.since is None or day >= self.since) and (self.until is None or day <= self.until)

    def describe(self):
        """The scope as plain values (bag-info, the index page, the job record)."""
        return {"org": self.org,
                "course_keys": list(self.course_keys) if self.course_keys is not None else None,
                "since": self.since.isoformat() if self.since else None,
                "until": self.until.isoformat() if self.until else None}


@dataclass(frozen=True)
class Table:
    """One table of records: ``columns`` are ``(key, label)`` pairs (labels are English msgids,
    marked with ``N_``, translated when written); ``rows()`` yields one tuple per record in the
    columns' order, re-reading the database on every call. ``printable`` names the A4 document
    the renderers lay out from it (one of ``PRINTABLE``), None for data only. ``model`` is the
    model label when each row is exactly one record of that model (the completeness check counts
    those rows against ``counts``); None for a derived table (a sheet, a summary). ``dated_by``
    is the key of the column holding the date a scope's days select the rows by (None: the
    table is not selected by date, its docstring says why), so the index page can say it."""

    feature: str
    name: str
    title: str
    columns: tuple
    rows: Callable
    printable: str | None = None
    model: str | None = None
    dated_by: str | None = None

    def __post_init__(self):
        object.__setattr__(self, "columns", tuple((str(key), str(label)) for key, label in self.columns))
        if self.printable is not None and self.printable not in PRINTABLE:
            raise ValueError(f"unknown printable document {self.printable!r}")
        if self.dated_by is not None and self.dated_by not in self.keys:
            raise ValueError(f"{self.name}: dated_by names no column ({self.dated_by!r})")

    @property
    def keys(self):
        return tuple(key for key, _label in self.columns)

    @property
    def labels(self):
        return tuple(label for _key, label in self.columns)


@dataclass(frozen=True)
class File:
    """One document kept as it is: ``path`` is relative and POSIX (``<feature>/...``, made of safe
    names: ``safe_name``), ``open()`` yields its bytes in chunks each time it is called, ``size``
    is known in advance when the record keeps it (None otherwise). ``model`` is the label of the
    record the file belongs to."""

    path: str
    open: Callable
    size: int | None = None
    model: str | None = None


@dataclass(frozen=True)
class Exporter:
    """One feature's ``export`` module, as the archive sees it; ``dispose`` is None for a part
    that keeps its records whatever a disposal decides."""

    name: str
    tables: Callable
    files: Callable
    counts: Callable
    dispose: Callable | None = None
    queries: dict | None = None  # {model: query(scope)}: the module's QUERIES (export_state.py reads them)


def features():
    """Every exporter (the core's first, then the features by name), read once per process."""
    return tuple(Exporter(name, module.tables, module.files, module.counts, getattr(module, "dispose", None),
                          getattr(module, "QUERIES", None))
                 for name, module in registry.export_modules())


# -- helpers for the features' export modules ----------------------------------------------------

def label(model):
    """The label ``counts`` and ``Table.model`` use for a model: ``"vn_online_teaching.Mark"``."""
    return model._meta.label


def stream(queryset, *fields, size=None):
    """Tuples of ``fields`` of ``queryset`` in primary-key order, read in windows of ``CHUNK``
    consecutive keys: each window is its own query (``pk`` from .. below), so no database client
    ever holds more than a window (``iterator()`` alone would not stream on MySQL and MariaDB,
    whose client keeps a whole result in memory). A window is a range of the primary key, which
    every database reads by its primary index however the rest of the query is filtered; paging
    with ``pk > last LIMIT n`` instead lets a planner sort the whole filtered set for every page."""
    size = size or CHUNK
    span = queryset.order_by().aggregate(first=Min("pk"), last=Max("pk"))
    if span["first"] is None:
        return
    ordered = queryset.order_by("pk")
    for start in range(span["first"], span["last"] + 1, size):
        for row in ordered.filter(pk__gte=start, pk__lt=start + size).values_list("pk", *fields):
            yield row[1:]


def stream_ordered(queryset, *fields):
    """Tuples of ``fields`` in the queryset's own order, for a set bounded by one class, one test
    or the school's materials, whose order a reader needs (the printable documents)."""
    return queryset.values_list(*fields).iterator(chunk_size=CHUNK)


def json_text(value):
    """Canonical JSON text of stored JSON data (keys sorted, Vietnamese kept readable); None stays None."""
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def json_bytes(value):
    """A pretty, stable JSON document for a ``File``: one chunk (the record is one row already)."""
    return (json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2, default=str) + "\n").encode("utf-8")


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(text, limit=80):
    """A file name that every zip tool and file system accepts: accents folded, anything but
    letters, digits, dot, dash and underscore turned into one dash, never empty, never ``..``."""
    folded = unicodedata.normalize("NFKD", str(text).replace("đ", "d").replace("Đ", "D"))
    folded = folded.encode("ascii", "ignore").decode("ascii")
    name = _UNSAFE.sub("-", folded).strip("-.")[:limit].strip("-.")
    return name or "file"


def storage_reader(storage_name, storage=None):
    """An ``open`` callable that streams a file from Django storage in ``FILE_CHUNK`` pieces."""

    def read():
        from django.core.files.storage import default_storage  # noqa: PLC0415 - read when opened: tests change it

        with (storage or default_storage).open(storage_name, "rb") as handle:
            while True:
                chunk = handle.read(FILE_CHUNK)
                if not chunk:
                    return
                yield chunk

    return read


def bytes_reader(make_bytes):
    """An ``open`` callable that yields what ``make_bytes()`` returns (read again on every call)."""

    def read():
        yield make_bytes()

    return read


def plain(value):
    """A stored value as a row may hold it: JSON data (dict, list) as ``json_text``, a boolean as
    0/1; anything else (str, int, Decimal, date, datetime, None) as it is."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (dict, list, tuple)):
        return json_text(value)
    return value


def roster_value(field, org="org", user_key="user_key"):
    """A learner's ``field`` (``sector_id``, ``full_name``, ``class_name``) looked up in the
    school's roster by the record's user key, as a subquery the database answers while the rows
    stream (no roster held in memory). ``org`` and ``user_key`` name the record's fields (they may
    follow relations: ``"lesson__org"``). Empty when the user is not on the roster."""
    from .models import Learner  # noqa: PLC0415 - the app registry is ready only when a table is read

    return Subquery(Learner.objects.filter(org=OuterRef(org), user_key=OuterRef(user_key))
                    .values(field)[:1])


class Labels:
    """A column's converter from a stored code (a state, a status, a kind) to its label in the
    language active while the rows are read, each code translated once per reading."""

    def __init__(self, labels):
        self.labels = labels

    def reader(self):
        from .i18n import gettext  # noqa: PLC0415 - i18n reads settings; this module must not at import

        cache = {}

        def read(code):
            if code not in cache:
                cache[code] = gettext(self.labels[code]) if code in self.labels else (code or "")
            return cache[code]

        return read


def _automatic(model, lookup):
    """The converter a stored field needs to become a plain value (None: none needed)."""
    from django.core.exceptions import FieldDoesNotExist  # noqa: PLC0415
    from django.db import models  # noqa: PLC0415

    field = None
    for part in lookup.split("__"):
        try:
            field = model._meta.get_field("id" if part == "pk" else part)
        except FieldDoesNotExist:
            return None  # an annotation (roster_value): text
        model = field.related_model or model
    if isinstance(field, models.JSONField):
        return json_text
    if isinstance(field, models.BooleanField):
        return int
    return None


def query_table(feature, name, title, columns, query, *, model=None, printable=None, annotate=None, dated_by=None,
                ordered=False):
    """A ``Table`` whose rows are read from ``query()`` (a queryset, built again on each call).

    ``columns`` are ``(key, label)``, ``(key, label, source)`` or ``(key, label, source,
    convert)``: ``source`` is the field or lookup read (default: ``key``), or a tuple of them whose
    values ``convert`` combines (a document's path from its id and name); ``convert`` is a
    function of the value(s), or ``Labels`` for a code shown by its label. Without one, a JSON
    field becomes canonical JSON text (``json_text``: ``"A"`` and ``["A"]`` stay apart), a
    boolean 0/1, and anything else stays as read. ``annotate`` adds named expressions
    (``roster_value``) that sources may name. Rows come in primary-key order (``stream``: the
    order records were made in), or with ``ordered`` in the query's own order (``stream_ordered``:
    only for a set bounded by the school's size, such as its materials)."""
    specs = [tuple(column) + (None,) * (4 - len(column)) for column in columns]
    sources, slices = [], []
    for key, _label, source, _convert in specs:
        read = source if isinstance(source, tuple) else (source or key,)
        slices.append((len(sources), len(sources) + len(read), isinstance(source, tuple)))
        sources.extend(read)

    def rows():
        queryset = query()
        if annotate:
            queryset = queryset.annotate(**annotate)
        plan = []
        for (_key, _label, _source, convert), (a, b, many) in zip(specs, slices):
            if convert is None and not many:
                convert = _automatic(queryset.model, sources[a])
            plan.append((convert.reader() if isinstance(convert, Labels) else convert, a, b, many))
        as_read = len(sources) == len(plan) and all(convert is None for convert, *_ in plan)
        for values in (stream_ordered if ordered else stream)(queryset, *sources):
            if as_read:
                yield values
            else:
                yield tuple(values[a] if convert is None else convert(*values[a:b]) if many else convert(values[a])
                            for convert, a, b, many in plan)

    return Table(feature, name, title, tuple((spec[0], spec[1]) for spec in specs), rows,
                 printable=printable, model=model, dated_by=dated_by)


def counted(queries, scope):
    """``counts(scope)`` from ``{model: query(scope)}``: the number of rows each query covers,
    by model label (the same queries the tables read, so the two always agree)."""
    return {label(model): query(scope).count() for model, query in queries.items()}
