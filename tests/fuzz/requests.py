"""Whole requests: who sends them, to which block, with which method, body, suffix and query.

A handler that declares its kind gets requests of that kind (mostly well formed, some broken);
one that does not is sent every kind. Well-formed JSON bodies come from the schema or from a
body the seeding had accepted with one field replaced; multipart bodies are built by hand so
file names and form values can be anything a client could send.
"""
import json
import urllib.parse
from dataclasses import dataclass

from hypothesis import strategies as st

from . import fields as F
from . import reports, values

BOUNDARY = "vnotFuzzBoundary7MA4YWxk"


@dataclass(frozen=True)
class Example:
    """A request the seeding made and had accepted: a JSON body, a GET page's query, or an
    upload's form."""

    usage: str
    user: str
    body: dict = None
    query: dict = None
    suffix: str = ""
    form: dict = None  # an upload's form fields
    file: tuple = None  # and its file: (name, bytes)


@dataclass(frozen=True)
class Case:
    """One request to one handler: who sends it (``role``, a username), to which block, how."""

    usage: str
    role: str
    method: str
    body: bytes = b""
    content_type: str = ""
    suffix: str = ""
    query: str = ""
    remote_addr: str = "10.1.2.3"
    user_agent: str = "Mozilla/5.0"
    viewer: str = ""          # the role whose pages are rendered when the request changed something

    def __repr__(self):
        body = self.body if len(self.body) <= 400 else self.body[:400] + b"...(%d bytes)" % len(self.body)
        return (f"Case(role={self.role!r}, usage={self.usage!r}, {self.method} suffix={self.suffix!r} "
                f"query={self.query!r} type={self.content_type!r} addr={self.remote_addr!r} body={body!r})")


def json_object(handler, pools):
    """A JSON object for ``handler``: an accepted body with one or two fields replaced or with an
    edge value in every field of its kind, an object from its schema, or one from the names
    other handlers use."""
    schema = handler.schema or {}
    options = []
    seen = [e.body for e in pools.examples.get(handler.id, []) if e.body is not None]
    if seen:
        example = st.sampled_from(seen)
        one = example.flatmap(lambda d: _replace_one(d, schema, pools))
        options += [(2, example), (6, one), (2, one.flatmap(lambda d: _replace_one(d, schema, pools))),
                    (2, example.flatmap(_poison))]
    if schema:
        obj = F.object_value(schema, pools)
        options += [(3, obj), obj.flatmap(lambda d: _tamper(d, schema)), obj.flatmap(_poison)]
    names = sorted(set(pools.choices) | set(values.NESTED_KEYS) | {"lesson", "code", "report", "marks"})
    options.append(st.lists(st.sampled_from(names), unique=True, max_size=5).flatmap(
        lambda ks: st.fixed_dictionaries({k: F.loose_value(k, pools, 0) for k in ks})))
    return F.mix(*options)


def _replace_one(body, schema, pools):
    keys = sorted(set(body) | set(schema))
    if not keys:
        return st.just(body)
    return st.sampled_from(keys).flatmap(lambda k: F.field_value(schema.get(k), k, pools).map(
        lambda v: dict(body, **{k: v})))


def _poison(body):
    """Every text of ``body`` (nested ones too) given the same edge, or every whole number."""
    def apply(value, text, number, append):
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and text is not None:
            return value + text if append else text
        if isinstance(value, int) and number is not None:
            return number
        if isinstance(value, list):
            return [apply(v, text, number, append) for v in value]
        if isinstance(value, dict):
            return {k: apply(v, text, number, append) for k, v in value.items()}
        return value

    texts = st.tuples(st.sampled_from(values.TEXTS + values.DATES), st.just(None), st.booleans())
    numbers = st.tuples(st.just(None), st.sampled_from(values.INTS), st.just(False))
    return (texts | numbers).map(lambda t: apply(body, *t))


def _tamper(body, schema):
    """The schema's object with an unknown field, a missing required one, or a null."""
    required = [n for n, f in schema.items() if getattr(f, "required", True)]
    options = [st.just(dict(body, unexpected=1)), st.just(dict(body, **{"": "x"}))]
    if required:
        options.append(st.sampled_from(required).map(lambda n: {k: v for k, v in body.items() if k != n}))
        options.append(st.sampled_from(required).map(lambda n: dict(body, **{n: None})))
    return st.one_of(options)


def json_body(handler, pools):
    encoded = st.tuples(json_object(handler, pools), st.sampled_from([True, True, True, False])).map(
        lambda t: F.dumps(*t))
    return F.mix((8, encoded), st.sampled_from(values.RAW_BODIES), st.binary(max_size=64))


# ------------------------------------------------------------------------------------ multipart

def _part(name, value, filename=None, ctype=None):
    head = b'Content-Disposition: form-data; name="' + name + b'"'
    if filename is not None:
        head += b'; filename="' + filename + b'"'
    if ctype:
        head += b"\r\nContent-Type: " + ctype
    return b"--" + BOUNDARY.encode() + b"\r\n" + head + b"\r\n\r\n" + value + b"\r\n"


def multipart(form, files, file_field="file"):
    """A multipart body (bytes) of ``form`` ({name: value}) and ``files`` ([(name, bytes, type)])."""
    parts = [_part(_enc(name), _form_value(value)) for name, value in form.items()]
    parts += [_part(_enc(file_field), data, _enc(name), ctype) for name, data, ctype in files]
    return b"".join(parts) + b"--" + BOUNDARY.encode() + b"--\r\n"


MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


def _enc(text):
    return text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text


def _form_value(value):
    if isinstance(value, str):
        return _enc(value)
    return _enc(json.dumps(value) if isinstance(value, (list, dict)) else str(value))


FILE_NAMES = st.sampled_from(["report.csv", "Báo cáo điểm danh.csv", "bai-giang.pdf", "anh.png", "x", "",
                              "../../etc/passwd", "a\r\nContent-Type: text/html.csv", "a\"b.csv", "\ud800.pdf",
                              "x" * 400 + ".pdf", "con.pdf", "evil.pdf.exe", "NUL\x00.csv", "video.mp4"])
CONTENT_TYPES = st.sampled_from([b"text/csv", b"application/pdf", b"application/octet-stream", b"image/png", None,
                                 b"text/html", b"\xff"])


@st.composite
def multipart_body(draw, handler, pools):
    """(body, content type): the schema's form fields (or the names uploads use) and a file."""
    schema = handler.schema or {}
    names = sorted(schema) if handler.schema is not None else ["lesson", "format"]
    forms = [e.form for e in pools.examples.get(handler.id, []) if e.form is not None]
    if forms and draw(st.booleans()):
        form = dict(draw(st.sampled_from(forms)))
        for name in draw(st.lists(st.sampled_from(sorted(set(form) | set(names) | {"unexpected"})), max_size=1)):
            form[name] = draw(_upload_field(name, pools, schema.get(name)))
    else:
        some = st.lists(st.sampled_from(names + ["unexpected"]), unique=True, max_size=len(names) + 1)
        chosen = draw(F.mix((3, st.just(names)), some))
        form = {name: draw(_upload_field(name, pools, schema.get(name))) for name in chosen}
    files = []
    shape = draw(st.sampled_from(["file"] * 6 + ["none", "plain", "two"]))
    if shape in ("file", "two"):
        name, data = draw(F.mix((2, st.tuples(FILE_NAMES, reports.file_content())),
                                st.sampled_from(reports.NAMED_FILES)))
        files = [(name, data, draw(CONTENT_TYPES))] * (2 if shape == "two" else 1)
    elif shape == "plain":
        form = dict(form, **{handler.file_field: "not a file"})
    body = multipart(form, files, handler.file_field)
    ending = draw(st.sampled_from(["ok"] * 8 + ["truncated", "boundary", "json"]))
    ctype = MULTIPART
    if ending == "truncated":
        body = body[:draw(st.integers(0, len(body)))]
    elif ending == "boundary":
        ctype = "multipart/form-data; boundary=other"
    elif ending == "json":
        ctype = "application/json"
    return body, ctype


def _upload_field(name, pools, spec=None):
    if spec is not None:
        return F.field_value(spec, name, pools)
    if name == "format":
        return st.sampled_from(["auto", "zoom", "teams", "meet", "", "excel", "\ud800"])
    if name == "lesson":
        return st.sampled_from(pools.ids) | st.sampled_from(values.INTS) | st.sampled_from(["", "1.5", "x", " 1"])
    return F.loose_value(name, pools, 0)


# ------------------------------------------------------------------------------------ GET

@st.composite
def query_string(draw, handler, pools):
    schema = handler.schema
    pairs = []
    seen = [e.query for e in pools.examples.get(handler.id, []) if e.query is not None]
    if seen and draw(st.booleans()):
        query = dict(draw(st.sampled_from(seen)))
        names = sorted(set(query) | set(schema or values.QUERY_KEYS))
        for name in draw(st.lists(st.sampled_from(names), max_size=2)):
            value = draw(F.field_value((schema or {}).get(name), name, pools))
            query[name] = value if isinstance(value, str) else json.dumps(value)
        pairs = list(query.items())
    elif schema:
        for name in draw(st.lists(st.sampled_from(sorted(schema) + ["unexpected"]), unique=True, max_size=4)):
            value = draw(F.field_value(schema.get(name), name, pools))
            pairs.append((name, value if isinstance(value, str) else json.dumps(value) if isinstance(
                value, (list, dict)) else str(value)))
    else:
        for name in draw(st.lists(st.sampled_from(values.QUERY_KEYS), unique=True, max_size=3)):
            hinted = pools.text_for(F.NAME_HINTS.get(name, ""))
            edges = st.sampled_from(values.DATES + values.TEXTS[:12])
            pairs.append((name, draw(edges if hinted is None else hinted | edges)))
    raw = "&".join(f"{urllib.parse.quote(_enc(k))}={urllib.parse.quote(_enc(v))}" for k, v in pairs)
    if draw(st.integers(0, 9)) == 0:
        raw += "&" + draw(st.sampled_from(values.QUERY_KEYS)) + "=" + draw(st.sampled_from(values.QUERY_VALUES))
    return raw


def suffix(handler, pools):
    seen = sorted({e.suffix for e in pools.examples.get(handler.id, [])}) or [""]
    return F.mix(st.just(""), (3, st.sampled_from(seen)), st.sampled_from(values.SUFFIXES),
                 st.sampled_from(pools.ids).map(str), st.sampled_from(pools.shas))


# ------------------------------------------------------------------------------------ cases

@st.composite
def case(draw, handler, usages, roles, pools):
    senders = sorted({(e.usage, e.user) for e in pools.examples.get(handler.id, [])})
    anyone = st.tuples(st.sampled_from(usages), st.sampled_from(roles))
    usage, role = draw(F.mix(anyone, st.sampled_from(senders)) if senders else anyone)
    viewer = draw(st.sampled_from(roles))
    kind = handler.kind or draw(st.sampled_from(["json", "upload", "get", "raw"]))
    extra = {"remote_addr": draw(st.sampled_from(values.ADDRESSES[:3]) | st.sampled_from(values.ADDRESSES)),
             "user_agent": draw(st.sampled_from(values.AGENTS)), "viewer": viewer}
    if kind == "get":
        method = draw(st.sampled_from(["GET", "GET", "GET", "GET", "POST", "HEAD"]))
        return Case(usage, role, method, suffix=draw(suffix(handler, pools)), query=draw(query_string(handler, pools)),
                    **extra)
    if kind == "upload":
        body, ctype = draw(multipart_body(handler, pools))
        return Case(usage, role, draw(st.sampled_from(["POST"] * 9 + ["GET"])), body, ctype,
                    suffix=draw(suffix(handler, pools)) if not handler.kind else "", **extra)
    if kind == "raw":
        body = draw(st.binary(max_size=300) | st.sampled_from(values.RAW_BODIES))
        ctype = draw(st.sampled_from(["application/json", "text/plain", "application/x-www-form-urlencoded", ""]))
        return Case(usage, role, "POST", body, ctype, suffix=draw(suffix(handler, pools)), **extra)
    method = draw(st.sampled_from(["POST"] * 19 + ["GET"]))
    return Case(usage, role, method, draw(json_body(handler, pools)), "application/json",
                suffix=draw(suffix(handler, pools)) if not handler.kind else "", **extra)
