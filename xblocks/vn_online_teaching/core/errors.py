"""Errors a handler returns to the browser.

Each carries a stable ``code`` (for programs and tests) and an English message id that is
translated when the response is built, so the user reads it in their own language.
"""
from .i18n import N_, Label, gettext


class RequestError(Exception):
    """A request that cannot be carried out; nothing was changed."""

    status = 400

    def __init__(self, code, message, status=None, **params):
        super().__init__(code)
        self.code = code
        self.message_id = message
        self.params = params
        if status is not None:
            self.status = status

    def message(self):
        text = gettext(self.message_id)
        params = {k: gettext(v) if isinstance(v, Label) else v for k, v in self.params.items()}
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text

    def as_dict(self):
        body = {"error": self.code, "message": self.message()}
        if "field" in self.params:
            body["field"] = self.params["field"]
        return body


class Forbidden(RequestError):
    status = 403

    def __init__(self, message=N_("You are not allowed to do this."), **params):
        super().__init__("forbidden", message, **params)


class Conflict(RequestError):
    status = 409

    def __init__(self, code, message, **params):
        super().__init__(code, message, **params)


class NotFound(RequestError):
    status = 404

    def __init__(self, message=N_("Not found."), **params):
        super().__init__("not_found", message, **params)
