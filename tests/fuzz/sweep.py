"""The boundary sweep, run before the random examples: every field of a request the seeding had
accepted is given, one at a time, each edge of its kind (explicit Hypothesis examples). It makes
the findings the tier exists for (dates far outside the calendar, ids beyond 64 bits, lone
surrogates, bare carriage returns) certain at any example count, where random draws only make
them likely.
"""
import json
import urllib.parse

from . import fields as F
from . import reports

EDGES = {
    "date": ["9999-12-31", "9999-01-04", "0001-01-01", "2100-01-01", "1999-12-31", "2025-02-30", "\ud800", ""],
    "time": ["24:00", "23:59", "25:61", "07:30\r", "\ud800"],
    "url": ["javascript:alert(1)", "https://\ud800.vn", "https://x.vn/\r\nLOCATION:x", "https://" + "a" * 2100],
    "text": ["\ud800", "Bài 3\rLOCATION:Hà Nội", "a\x00b", " ", "x" * 5000],
    "int": [2**63, 2**64, -(2**63) - 1, 0, -1, 2**31, 1.5, "1"],
    "bool": ["true", 2, None],
    "list": [[], [None], "x", [[]] * 301],
    "dict": [{}, [], {"unexpected": 1}],
}
SUFFIXES = ["", "html", "xlsx", "9" * 30, str(2**64), "-1", "../../etc/passwd", "%ED%A0%80"]
# (name, bytes, content type) of files no upload should take, or take with care.
FILES = [("", b"", None), ("empty.csv", b"", b"text/csv"), ("nul.csv", b"\x00" * 64, None),
         ("\ud800.pdf", b"%PDF-1.4\n%%EOF\n", None), ("a\r\nb.pdf", b"%PDF-1.4\n%%EOF\n", b"application/pdf"),
         ("x" * 300 + ".pdf", b"%PDF-1.4\n%%EOF\n", None), ("bai.pdf", b"MZ\x90\x00", b"application/pdf")]


def kind_of(name, value, spec=None):
    """Which edges (``EDGES``) a field gets: by its declared Field, else by its name and value."""
    hint = F.hint_of(spec, name) if spec is not None else F.NAME_HINTS.get(name, "")
    if hint in ("date", "time", "url"):
        return hint
    kind = getattr(spec, "kind", None) or type(value)
    return {bool: "bool", int: "int", str: "text", list: "list", dict: "dict"}.get(kind, "text")


def _variants(body, schema):
    """(body with one field replaced) for every field and every edge of its kind; the first item
    of a list of objects is swept too (marks, rows, links)."""
    for name in sorted(set(body) | set(schema or {})):
        spec = (schema or {}).get(name)
        value = body.get(name)
        for edge in EDGES[kind_of(name, value, spec)]:
            yield dict(body, **{name: edge})
        if isinstance(value, list) and value and isinstance(value[0], dict):
            nested = getattr(getattr(spec, "item", None), "fields", None)
            for item in _variants(value[0], nested):
                yield dict(body, **{name: [item, *value[1:]]})


def _moments(body, schema):
    """Every date of the body far out, with the first or last minute of the day: 9999-12-31 at
    23:59 ends in year 10000, and 0001-01-01 at 00:00 began in year 0 in UTC."""
    kinds = {name: kind_of(name, body.get(name), (schema or {}).get(name)) for name in set(body) | set(schema or {})}
    days = sorted(n for n, k in kinds.items() if k == "date")
    clocks = sorted(n for n, k in kinds.items() if k == "time")
    if not days:
        return
    for date, time in (("9999-12-31", "23:59"), ("9999-12-31", "00:00"), ("0001-01-01", "00:00"),
                       ("0001-01-01", "23:59")):
        yield dict(body, **{d: date for d in days}, **{c: time for c in clocks})


def cases(handler, pools, users):
    """The sweep's requests for ``handler`` (Case objects), from the seeding's first example."""
    from .requests import Case  # noqa: PLC0415

    seen = pools.examples.get(handler.id) or []
    if not seen:
        return []
    first = seen[0]
    out = []
    if first.body is not None:
        bodies = [*_variants(first.body, handler.schema), *_moments(first.body, handler.schema)]
        for i, body in enumerate(bodies):
            out.append(Case(first.usage, first.user, "POST", F.dumps(body), "application/json",
                            viewer=users[i % len(users)]))
    if first.form is not None:
        out += _upload_cases(first, handler, users)
    if first.query is not None:
        keys = sorted(set(first.query) | set(handler.schema or {}))
        for i, key in enumerate(keys):
            for edge in EDGES[kind_of(key, first.query.get(key, ""), (handler.schema or {}).get(key))]:
                query = dict(first.query, **{key: edge if isinstance(edge, str) else json.dumps(edge)})
                raw = urllib.parse.urlencode({k: v.encode("utf-8", "surrogatepass") for k, v in query.items()})
                out.append(Case(first.usage, first.user, "GET", suffix=first.suffix, query=raw,
                                viewer=users[i % len(users)]))
        out += [Case(first.usage, first.user, "GET", suffix=sfx, query=urllib.parse.urlencode(first.query),
                     viewer=users[i % len(users)]) for i, sfx in enumerate(SUFFIXES)]
    return out


def _upload_cases(first, handler, users):
    """The upload with each form field given each edge of its kind (as the text a form sends),
    then with edge files."""
    from .requests import MULTIPART, Case, multipart  # noqa: PLC0415

    name, data = first.file
    schema = handler.schema or {}
    forms = []
    for field in sorted(set(first.form) | set(schema)):
        for edge in EDGES[kind_of(field, first.form.get(field), schema.get(field))]:
            forms.append((dict(first.form, **{field: edge}), [(name, data, None)]))
    for file in FILES + [(name, reports.far_out(data), None), (name, data * 2, None)]:
        forms.append((first.form, [file]))
    return [Case(first.usage, first.user, "POST", multipart(form, files, handler.file_field), MULTIPART,
                 viewer=users[i % len(users)]) for i, (form, files) in enumerate(forms)]
