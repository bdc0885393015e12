"""Hypothesis strategies for the values of one declared field (``core.validation.Field``).

Three of four draws are valid-ish (the field's kind, choices, limits and nested fields, with
values the seeded records make meaningful: existing ids, usernames, lesson dates); the fourth is
an edge (``values``) or a value of another type. Attributes a Field may not have yet (nested
``fields``, ``minimum``/``maximum``) are read with defaults, so the tier works before and after
the handlers adopt them.
"""
import datetime as dt
import json

from hypothesis import strategies as st

from . import values

ALPHABET = st.characters(codec="utf-8", categories=("L", "M", "N", "P", "Zs", "S"))
JSON_SCALAR = st.one_of(st.none(), st.booleans(), st.integers(-(2**65), 2**65), st.sampled_from(values.FLOATS),
                        st.text(max_size=20), st.sampled_from(values.TEXTS))
JSON_ANY = st.recursive(JSON_SCALAR, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(values.NESTED_KEYS) | st.text(max_size=8), inner,
                                                 max_size=4)), max_leaves=12)


def mix(*options):
    """One of ``options`` (strategies, or (weight, strategy) pairs) chosen by weight. Hypothesis'
    ``one_of`` drops repeated branches, so repeating one does not weight it."""
    weighted = [o if isinstance(o, tuple) else (1, o) for o in options]
    picks = [i for i, (weight, _s) in enumerate(weighted) for _ in range(weight)]
    return st.sampled_from(picks).flatmap(lambda i: weighted[i][1])


# A field's name says what its text means until the field declares it (Date, Time, Url…).
NAME_HINTS = {"date": "date", "first": "date", "until": "date", "week": "date", "skip": "date",
              "start": "time", "link": "url", "meeting_link": "url", "url": "url", "networks": "network",
              "user": "user", "username": "user", "fingerprint": "fingerprint", "attachments": "sha",
              "status": "status", "location": "location", "kind": "link_kind", "weekdays": "weekday",
              "period": "period", "length": "minutes", "person": "index"}


def hint_of(spec, name):
    kind = getattr(spec, "kind", None)
    cls = type(spec).__name__.lower()
    if kind is dt.date or cls == "date":
        return "date"
    if kind is dt.time or cls == "time":
        return "time"
    if cls == "url":
        return "url"
    return NAME_HINTS.get(name, "")


class Pools:
    """Values taken from the seeded records, so generated requests reach past "not found"."""

    def __init__(self, ids=(), users=(), shas=(), fingerprints=(), dates=(), choices=None, examples=None):
        self.ids = sorted(set(ids)) or [1]
        self.users = sorted(set(users)) or ["nobody"]
        self.shas = sorted(set(shas)) or ["0" * 64]
        self.fingerprints = sorted(set(fingerprints)) or ["0" * 64]
        self.dates = sorted(set(dates)) or ["2025-09-08"]
        self.choices = choices or {}
        self.examples = examples or {}  # handler id → [requests.Example] the seeding had accepted

    def text_for(self, hint):
        return {
            "date": st.sampled_from(self.dates) | st.dates(dt.date(2024, 8, 1), dt.date(2026, 8, 1)).map(str),
            "time": st.sampled_from(["07:00", "07:30", "08:20", "09:15", "13:30", "17:45"])
            | st.times().map(lambda t: t.strftime("%H:%M")),
            "url": st.sampled_from(values.URLS[:2]) | st.from_regex(r"https://[a-z]{1,10}\.edu\.vn/[a-z0-9]{0,12}",
                                                                   fullmatch=True),
            "network": st.sampled_from(values.NETWORKS[:4]),
            "user": st.sampled_from(self.users),
            "fingerprint": st.sampled_from(self.fingerprints),
            "sha": st.sampled_from(self.shas),
            "status": st.sampled_from(values.STATUSES[:5]),
            "location": st.sampled_from(values.LOCATIONS[:3]),
            "link_kind": st.sampled_from(values.LINK_KINDS[:5]),
        }.get(hint)

    def edges_for(self, hint):
        return {"date": values.DATES, "time": values.TIMES, "url": values.URLS, "network": values.NETWORKS,
                "status": values.STATUSES, "location": values.LOCATIONS}.get(hint, [])


def _bounded(spec, lo, hi):
    minimum, maximum = getattr(spec, "minimum", None), getattr(spec, "maximum", None)
    lo = lo if minimum is None else max(lo, minimum)
    hi = hi if maximum is None else min(hi, maximum)
    return st.integers(lo, hi) if lo <= hi else st.just(lo)


def good_value(spec, name, pools, depth=0):
    """A value the field should accept (or refuse only for what it means, not for its shape)."""
    kind = getattr(spec, "kind", None)
    hint = hint_of(spec, name)
    choices = getattr(spec, "choices", None)
    if choices:
        return st.sampled_from(list(choices))
    if kind is bool:
        return st.booleans()
    if kind is int:
        if hint == "weekday":
            return st.integers(0, 7)
        if hint in ("period", "minutes", "index"):
            return _bounded(spec, 0, 300)
        return st.sampled_from(pools.ids) | _bounded(spec, -2, 60)
    if kind is float:
        return st.floats(allow_nan=False, allow_infinity=False)
    if kind is list:
        item = getattr(spec, "item", None)
        inner = good_value(item, name, pools, depth + 1) if item is not None else loose_value(name, pools, depth + 1)
        return st.lists(inner, max_size=min(getattr(spec, "max_items", None) or 6, 6))
    if kind is dict:
        return object_value(getattr(spec, "fields", None), pools, depth + 1)
    text = pools.text_for(hint)
    if text is not None:
        return text
    if name in pools.choices:
        return st.sampled_from(pools.choices[name])
    limit = getattr(spec, "max_length", None) or 80
    return st.text(ALPHABET, max_size=min(limit, 80))


def bad_value(spec, name, pools, depth=0):
    """An edge of the field's kind, a value just past its limits, or another type altogether."""
    kind = getattr(spec, "kind", None)
    hint = hint_of(spec, name)
    options = [JSON_SCALAR, st.sampled_from([[], {}, [1], {"x": 1}, "1", True, None])]
    if kind is int or hint in ("period", "minutes", "weekday", "index"):
        options.append(st.sampled_from(values.INTS) | st.sampled_from(values.FLOATS))
    if kind in (str, dt.date, dt.time) or hint:
        options.append(st.sampled_from(values.TEXTS + pools.edges_for(hint)))
        limit = getattr(spec, "max_length", None)
        if limit:
            options.append(st.sampled_from(["x" * limit, "x" * (limit + 1), "ấ" * limit, " " * (limit + 5)]))
    if kind is list:
        item = getattr(spec, "item", None)
        bad = bad_value(item, name, pools, depth + 1) if item is not None else JSON_ANY
        limit = getattr(spec, "max_items", None) or 10
        options.append(st.lists(bad, min_size=1, max_size=3))
        options.append(st.integers(limit, limit + 2).map(lambda n: [None] * n))
        options.append(st.just(_nested(list, 60)))
    if kind is dict:
        options.append(object_value(getattr(spec, "fields", None), pools, depth + 1, broken=True))
        options.append(st.just(_nested(dict, 60)))
    return st.one_of(options)


def field_value(spec, name, pools, depth=0):
    if spec is None or depth > 4:
        return loose_value(name, pools, depth)
    return mix((3, good_value(spec, name, pools, depth)), bad_value(spec, name, pools, depth))


def loose_value(name, pools, depth):
    """A value for a field nobody declared: by its name when it suggests one, else any JSON."""
    hint = NAME_HINTS.get(name, "")
    text = pools.text_for(hint)
    options = [JSON_ANY, st.sampled_from(values.TEXTS), st.sampled_from(values.INTS)]
    if text is not None:
        options += [(2, text), st.sampled_from(values.TEXTS + pools.edges_for(hint))]
    if hint in ("index", "period", "weekday") or name in ("lesson", "report", "id"):
        options += [(2, st.sampled_from(pools.ids)), st.integers(0, 10)]
    if name in pools.choices:
        options.append((2, st.sampled_from(pools.choices[name])))
    if name in ("fits_lesson", "sound", "culture", "ip", "confirm", "require_code"):
        options.append((2, st.booleans()))
    return mix(*options)


def object_value(fields, pools, depth=0, broken=False):
    """A nested object: declared fields when there are some, else keys nested objects use."""
    if fields and not broken:
        required = {n: field_value(f, n, pools, depth) for n, f in fields.items() if getattr(f, "required", True)}
        optional = {n: field_value(f, n, pools, depth) for n, f in fields.items() if not getattr(f, "required", True)}
        return st.fixed_dictionaries(required, optional=optional)
    keys = list(fields) if fields else values.NESTED_KEYS
    chosen = st.lists(st.sampled_from(keys + ["unknown", ""]), unique=True, max_size=5)
    return chosen.flatmap(lambda ks: st.fixed_dictionaries({k: loose_value(k, pools, depth + 1) for k in ks}))


def _nested(container, depth):
    value = 1
    for _ in range(depth):
        value = [value] if container is list else {"x": value}
    return value


def dumps(obj, ascii_only=True):
    """JSON text of ``obj`` as bytes; lone surrogates travel as ``\\ud800`` escapes (valid JSON)
    or, without ascii_only, as the bytes a careless client would send (invalid UTF-8)."""
    return json.dumps(obj, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
