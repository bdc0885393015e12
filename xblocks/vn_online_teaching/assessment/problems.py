"""Problems found in what a teacher wrote (a question, a blueprint, a spreadsheet row).

A question or a blueprint is checked whole, so the teacher sees every problem at once instead of
one per attempt; each problem keeps a stable ``code`` (for programs and tests), the ``field`` it
is about and an English message id translated when shown. ``Invalid`` turns a list of them into
the one 4xx a handler answers with.
"""
from dataclasses import dataclass, field

from ..core.errors import RequestError


@dataclass(frozen=True)
class Problem:
    field: str      # "stem", "options[2]", "cells[0].count": where, as the data names it
    code: str       # stable: "required", "too_long", "bad_number", …
    message: str    # English message id (no {field}: the label is shown beside it)
    params: dict = field(default_factory=dict, compare=False, hash=False)
    label: str = ""  # message id naming the field for a person ("Option {letter}")
    label_params: dict = field(default_factory=dict, compare=False, hash=False)

    def text(self):
        """The message in the reader's language."""
        return RequestError(self.code, self.message, **self.params).message()

    def label_text(self):
        if not self.label:
            return ""
        return RequestError("label", self.label, **self.label_params).message()

    def full_text(self):
        """"Label: message", what a form shows when it cannot point at the field."""
        label = self.label_text()
        return f"{label}: {self.text()}" if label else self.text()


class Invalid(RequestError):
    """What a person wrote cannot be saved; ``problems`` lists everything wrong with it. The
    answer's ``error``, ``message`` and ``field`` are those of the first problem, and its
    ``problems`` every one of them (``as_dict``)."""

    status = 400

    def __init__(self, problems):
        self.problems = list(problems)
        first = self.problems[0]
        params = {k: v for k, v in first.params.items() if k != "field"}
        super().__init__(first.code, first.message, field=first.field, **params)

    def message(self):
        return self.problems[0].full_text()

    def as_dict(self):
        body = super().as_dict()
        body["problems"] = [{"field": p.field, "error": p.code, "message": p.full_text()} for p in self.problems]
        return body
