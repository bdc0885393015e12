"""Checking the JSON a handler receives.

A handler declares the fields it accepts; anything else (malformed JSON, wrong types, unknown or
missing fields, an oversized body) is refused with a translated 4xx before any record is touched.
"""
import json

from . import config
from .errors import RequestError
from .i18n import N_, Label


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
    ``N_`` message id) names it in error messages instead of its programmatic name."""

    def __init__(self, kind, required=True, max_length=None, choices=None, max_items=None,
                 item=None, default=None, blank=True, label=None):
        self.kind = kind
        self.required = required
        self.max_length = max_length
        self.choices = choices
        self.max_items = max_items
        self.item = item
        self.default = default
        self.blank = blank
        self.label = label

    def clean(self, name, value):
        if self.kind is int and isinstance(value, bool) or not isinstance(value, self.kind):
            raise FieldError("bad_type", N_("The field {field} has the wrong type."), name, self.label)
        if isinstance(value, str):
            value = value.strip()
            if not self.blank and not value:
                raise FieldError("required", N_("The field {field} must not be empty."), name, self.label)
        if self.max_length is not None and isinstance(value, str) and len(value) > self.max_length:
            raise FieldError("too_long", N_("The field {field} is too long (at most {limit} characters)."),
                             name, self.label, limit=self.max_length)
        if self.choices is not None and value not in self.choices:
            raise FieldError("bad_choice", N_("The field {field} has a value that is not allowed."), name, self.label)
        if isinstance(value, list):
            if self.max_items is not None and len(value) > self.max_items:
                raise FieldError("too_many", N_("The field {field} has too many items (at most {limit})."),
                                 name, self.label, limit=self.max_items)
            if self.item is not None:
                value = [self.item.clean(name, v) for v in value]
        return value


def parse_json_body(body, max_bytes=None):
    """The JSON object in ``body`` (bytes), or a RequestError."""
    limit = max_bytes or config.get("MAX_REQUEST_BYTES")
    if len(body) > limit:
        raise RequestError("too_large", N_("The request is too large."), status=413)
    try:
        data = json.loads(body.decode("utf-8") if body else "{}")
    except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: "[[[[…" nested too deep
        raise RequestError("bad_json", N_("The request could not be read (malformed JSON).")) from None
    if not isinstance(data, dict):
        raise RequestError("bad_json", N_("The request could not be read (malformed JSON)."))
    return data


def validate(data, fields):
    """``data`` reduced to the declared ``fields``, cleaned; unknown or missing fields refused."""
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise RequestError("unknown_field", N_("Unknown field: {field}."), field=unknown[0])
    cleaned = {}
    for name, spec in fields.items():
        if name not in data or data[name] is None:
            if spec.required:
                raise FieldError("required", N_("The field {field} is required."), name, spec.label)
            cleaned[name] = spec.default
            continue
        cleaned[name] = spec.clean(name, data[name])
    return cleaned
