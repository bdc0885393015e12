"""Plumbing between XBlock handlers and the core: JSON in, JSON out, errors translated.

Used only by block classes (the layer that knows the runtime and webob).
"""
import functools
import json
import logging

from webob import Response

from .errors import RequestError
from .i18n import N_
from .validation import parse_json_body, validate

log = logging.getLogger(__name__)


def json_response(payload, status=200):
    return Response(body=json.dumps(payload, ensure_ascii=False).encode("utf-8"), status=status,
                    content_type="application/json", charset="utf-8")


def error_response(exc):
    return json_response(exc.as_dict(), status=exc.status)


def json_api(fields):
    """Decorate a block method ``fn(self, data, suffix)`` as a POST JSON handler.

    The body is parsed and validated against ``fields`` before ``fn`` runs; a RequestError
    raised anywhere becomes ``{"error", "message"}`` with its 4xx status.
    """
    def wrap(fn):
        @functools.wraps(fn)
        def handler(self, request, suffix=""):
            if request.method != "POST":
                return error_response(RequestError("method", N_("This address only accepts POST."), status=405))
            try:
                data = validate(parse_json_body(request.body), fields)
                return json_response(fn(self, data, suffix) or {})
            except RequestError as exc:
                return error_response(exc)
        handler._is_xblock_handler = True  # pylint: disable=protected-access
        return handler
    return wrap


def file_response(name, content_type, data, inline=False):
    """A download; the file name is given in RFC 5987 form so Vietnamese names survive."""
    from urllib.parse import quote  # noqa: PLC0415

    disposition = "inline" if inline else "attachment"
    response = Response(body=data, content_type=content_type.split(";")[0])
    response.headers["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(name)}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
