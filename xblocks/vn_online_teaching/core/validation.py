"""Checking what a handler receives, once, for every handler.

A handler declares the fields it accepts; anything else is refused with a translated 4xx before
any record is touched: malformed JSON, wrong types, unknown or missing fields, an oversized
body, text that is not valid Unicode, numbers the database cannot hold, dates no school means,
links that are not web addresses. Doing it here, and not in each service, is what keeps such
input from ever reaching a 500 (a year-9999 lesson once broke the attendance page for everyone,
a lone surrogate cannot be written to the database, a bare CR starts a new calendar line).
"""
import copy
import datetime as dt
import ipaddress
import json
import math
import re
import unicodedata
from urllib.parse import urlsplit

from . import config, text
from .errors import RequestError
from .i18n import N_, Label

INT32 = (-2**31, 2**31 - 1)  # what an integer column holds everywhere
FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2099, 12, 31)  # dates a school can mean
MAX_URL = 2000  # what every browser and the columns holding links accept

WRONG_TYPE = N_("The field {field} has the wrong type.")
REQUIRED = N_("The field {field} is required.")
BAD_TEXT = N_("The field {field} contains characters that cannot be read.")
BAD_JSON = N_("The request could not be read (malformed JSON).")
BAD_DATE = N_("The field {field} must be a date (YYYY-MM-DD).")
BAD_LINK = N_("Links must be full web addresses starting with https:// or http://.")

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_TIME = re.compile(r"[0-9]{2}:[0-9]{2}(:[0-9]{2})?\Z")
_INTEGER = re.compile(r"[+-]?[0-9]{1,100}\Z")
_HOST_LABEL = re.compile(r"[^\W_](?:[\w-]{0,61}[^\W_])?\Z")
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89abcdefABCDEF]")


class FieldError(RequestError):
    """A refused field. The message names it by its translated ``label`` (what the form shows the
    person), while ``field`` in the answer stays the field's name, for programs and scripts."""

    def __init__(self, code, message, field, label=None, **params):
        super().__init__(code, message, field=field, **params)
        self.label = label

    def message(self):
        if not self.label:
            return super().message()
        return RequestError(self.code, self.message_id, **dict(self.params, field=Label(self.label))).message()


class Field:
    """One accepted field: its Python type, whether it is required and its limits; ``label`` (an
    ``N_`` message id) names it in error messages instead of its programmatic name.

    Text is made safe once here: lone surrogates refused, line breaks made LF, other control
    characters removed, NFC; ``multiline=False`` (titles, names, codes) also turns LF and TAB
    into spaces, because such values end up inside line formats (calendar files, CSV, logs).
    Integers are kept to what a column holds (32 bits unless ``minimum``/``maximum`` say
    otherwise). ``fields`` gives a dict its own schema, checked by the same rules."""

    def __init__(self, kind, required=True, max_length=None, choices=None, max_items=None,
                 item=None, default=None, blank=True, label=None, fields=None, minimum=None,
                 maximum=None, multiline=True):
        self.kind = kind
        self.required = required
        self.max_length = max_length
        self.choices = choices
        self.max_items = max_items
        self.item = item
        self.default = default
        self.blank = blank
        self.label = label
        self.fields = fields
        self.minimum = INT32[0] if minimum is None else minimum
        self.maximum = INT32[1] if maximum is None else maximum
        self.multiline = multiline

    def error(self, code, message, name, **params):
        return FieldError(code, message, name, self.label, **params)

    def absent(self, name):
        """The value of a field that was not given (or null): its default, or "required"."""
        if self.required:
            raise self.error("required", REQUIRED, name)
        return copy.deepcopy(self.default)  # a handler may change it: never share it

    def clean(self, name, value):
        if self.kind is int and isinstance(value, bool) or not isinstance(value, self.kind):
            raise self.error("bad_type", WRONG_TYPE, name)
        if isinstance(value, str):
            value = self._text(name, value)
        elif self.kind is int and not self.minimum <= value <= self.maximum:
            raise self.error("out_of_range", N_("The field {field} must be a number from {minimum} to {maximum}."),
                             name, minimum=self.minimum, maximum=self.maximum)
        if self.choices is not None and value not in self.choices:
            raise self.error("bad_choice", N_("The field {field} has a value that is not allowed."), name)
        if isinstance(value, list):
            if self.max_items is not None and len(value) > self.max_items:
                raise self.error("too_many", N_("The field {field} has too many items (at most {limit})."),
                                 name, limit=self.max_items)
            if self.item is not None:
                value = [self.item.clean(f"{name}[{i}]", v) for i, v in enumerate(value)]
        if isinstance(value, dict) and self.fields is not None:
            value = validate(value, self.fields, path=name)
        return value

    def _text(self, name, value):
        if not text.is_valid(value):
            raise self.error("bad_text", BAD_TEXT, name)
        value = text.clean(value, self.multiline)
        if not self.blank and not value:
            raise self.error("required", N_("The field {field} must not be empty."), name)
        if self.max_length is not None and len(value) > self.max_length:
            raise self.error("too_long", N_("The field {field} is too long (at most {limit} characters)."),
                             name, limit=self.max_length)
        return value


ID = Field(int, minimum=1, maximum=2**63 - 1)  # a record id: what a BigAutoField holds


def _blank(value):
    """A form's empty input means "not given", for dates, times and links as for null."""
    return isinstance(value, str) and not value.strip()


class Date(Field):
    """A calendar date sent as "YYYY-MM-DD", returned as a ``datetime.date`` in 2000..2099."""

    def __init__(self, required=True, default=None, label=None):
        super().__init__(str, required=required, default=default, label=label, multiline=False)

    def clean(self, name, value):
        if _blank(value):
            return self.absent(name)
        return parse_date(value.strip() if isinstance(value, str) else value, name, self.label)


def parse_date(value, field, label=None):
    """``value`` ("YYYY-MM-DD") as a date a school can mean, or a "bad_date" error naming
    ``field``. Dates are bounded because everything after them adds days, weeks and years to
    them (the next week of 9999-12-31 does not exist) and no lesson is held in year 9999."""
    day = None
    if isinstance(value, str) and _DATE.match(value):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            pass
    if day is None:
        raise FieldError("bad_date", BAD_DATE, field, label)
    if not FIRST_DAY <= day <= LAST_DAY:
        raise FieldError("bad_date", N_("The field {field} must be a date between {first} and {last}."), field,
                         label, first=FIRST_DAY.strftime("%d/%m/%Y"), last=LAST_DAY.strftime("%d/%m/%Y"))
    return day


class Time(Field):
    """A time of day sent as "HH:MM" (or "HH:MM:SS", as a time input may send), returned as a
    ``datetime.time``."""

    def __init__(self, required=True, default=None, label=None):
        super().__init__(str, required=required, default=default, label=label, multiline=False)

    def clean(self, name, value):
        if _blank(value):
            return self.absent(name)
        try:
            if isinstance(value, str) and _TIME.match(value.strip()):
                return dt.time.fromisoformat(value.strip())
        except ValueError:
            pass
        raise self.error("bad_time", N_("The field {field} must be a time (HH:MM)."), name)


class Url(Field):
    """A web address (see ``clean_url``); a blank one is "no link"."""

    def __init__(self, required=False, default="", label=None):
        super().__init__(str, required=required, default=default, label=label, max_length=MAX_URL,
                         multiline=False)

    def clean(self, name, value):
        if not isinstance(value, str):
            raise self.error("bad_type", WRONG_TYPE, name)
        if _blank(value):
            return self.absent(name)
        return clean_url(value, name, self.label)


def clean_url(value, field="link", label=None):
    """``value`` if it is a full http(s) web address, else a "bad_link" error naming ``field``.

    The one rule for every link a person may click (meeting links, material links): http or
    https, a real host (a domain name with a dot or an IP address), an optional port, no spaces
    or control characters, at most 2000 characters. A user name and password before the host
    ("https://google.com@bad.example") are refused: they only serve to disguise the real host.
    An empty value is not a link: an optional link is ``Url(required=False)``."""
    url = value.strip() if isinstance(value, str) else ""
    if not url or len(url) > MAX_URL or not _is_web_address(url):
        raise FieldError("bad_link", BAD_LINK, field, label)
    return url


def _is_web_address(url):
    if any(c.isspace() or unicodedata.category(c)[0] in "CZ" for c in url):
        return False
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or "@" in parts.netloc or not parts.hostname:
        return False
    host = unicodedata.normalize("NFC", parts.hostname)
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    labels = host[:-1].split(".") if host.endswith(".") else host.split(".")
    return (len(host) <= 253 and len(labels) >= 2 and not labels[-1].isdigit()
            and all(_HOST_LABEL.match(label) for label in labels))


def _finite(number):
    value = float(number)
    if not math.isfinite(value):
        raise ValueError(number)
    return value


def _refuse_constant(name):
    raise ValueError(name)  # NaN, Infinity: not JSON, and no column stores them


def parse_json_body(body, max_bytes=None):
    """The JSON object in ``body`` (bytes), or a RequestError; every string in it, keys too, is
    valid Unicode (a ``"\\ud800"`` escape decodes to a lone surrogate, which nothing can store)."""
    limit = max_bytes or config.get("MAX_REQUEST_BYTES")
    if len(body) > limit:
        raise RequestError("too_large", N_("The request is too large."), status=413)
    try:
        data = json.loads(body.decode("utf-8") if body else "{}", parse_float=_finite,
                          parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: "[[[[…" nested too deep
        raise RequestError("bad_json", BAD_JSON) from None
    if not isinstance(data, dict):
        raise RequestError("bad_json", BAD_JSON)
    if _SURROGATE_ESCAPE.search(body):  # only a \uD8xx-\uDFxx escape can make a surrogate
        check_text(data)
    return data


def check_text(data, field=None):
    """Refuse (``bad_text``) any string in ``data``, keys included, that is not valid Unicode;
    the error names ``field``, or else the top-level field it is under. Iterative: depth is
    bounded by the parser, not by this walk."""
    stack = [(field, data)]
    while stack:
        owner, value = stack.pop()
        if isinstance(value, str) and not text.is_valid(value):
            raise _bad_text(owner)
        if isinstance(value, dict):
            for key, item in value.items():
                if not text.is_valid(key):
                    raise _bad_text(owner)
                stack.append((key if owner is None else owner, item))
        elif isinstance(value, list):
            stack.extend((owner, item) for item in value)


def _bad_text(field):
    if field is None:
        return RequestError("bad_text", N_("The request contains characters that cannot be read."))
    return FieldError("bad_text", BAD_TEXT, field)


def _shown(name):
    """A name the client sent, short enough to echo in an answer."""
    return name if len(name) <= 100 else name[:100] + "…"


def validate(data, fields, path=""):
    """``data`` reduced to the declared ``fields``, cleaned; unknown or missing fields refused.
    ``path`` is where ``data`` sits in the request ("marks[2]"), so errors name the path."""
    unknown = sorted(set(data) - set(fields))
    if unknown:
        name = _shown(f"{path}.{unknown[0]}" if path else unknown[0])
        raise RequestError("unknown_field", N_("Unknown field: {field}."), field=name)
    cleaned = {}
    for name, spec in fields.items():
        where = f"{path}.{name}" if path else name
        value = data.get(name)
        cleaned[name] = spec.absent(where) if value is None else spec.clean(where, value)
    return cleaned


def validate_text(values, fields, ignore_unknown=False):
    """Form fields or query parameters (``{name: [text, …]}``) converted by each field's kind and
    then checked like JSON. A blank text is "not given" for every kind but ``str``; a field given
    twice is refused unless it is a list. ``ignore_unknown`` (query parameters, which links
    forwarded by mail or chat apps gain) skips names that are not declared."""
    data = {}
    for name, texts in values.items():
        spec = fields.get(name)
        if spec is None:
            if not ignore_unknown:
                data[name] = texts
            continue
        if spec.kind is list:
            item = spec.item or Field(str)
            data[name] = [_from_text(item, f"{name}[{i}]", t) for i, t in enumerate(texts)]
        elif len(texts) != 1:
            raise spec.error("bad_type", WRONG_TYPE, name)
        else:
            data[name] = _from_text(spec, name, texts[0])
    return validate(data, fields)


def _from_text(spec, name, value):
    if not isinstance(value, str):  # a file where text was expected
        raise spec.error("bad_type", WRONG_TYPE, name)
    if spec.kind is str:
        return value
    value = value.strip()
    if not value:
        return None
    if spec.kind is int and _INTEGER.match(value):
        return int(value)
    if spec.kind is bool and value.lower() in ("true", "1", "on", "false", "0", "off"):
        return value.lower() in ("true", "1", "on")
    if spec.kind is dict:
        try:
            data = json.loads(value, parse_float=_finite, parse_constant=_refuse_constant)
        except (ValueError, RecursionError):
            data = None
        if isinstance(data, dict):
            check_text(data, name)
            return data
    raise spec.error("bad_type", WRONG_TYPE, name)
