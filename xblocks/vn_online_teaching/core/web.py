"""Plumbing between XBlock handlers and the core: a handler declares what it accepts, receives it
checked and converted, and answers with data; errors come back translated.

Three shapes cover every handler, so that one is a few declarative lines and the rules for bad
input (core/validation.py) hold for all of them:

- ``json_api``: POST with a JSON body (every change a page makes);
- ``upload_api``: POST multipart with one file and a few form fields (attachments, reports);
- ``get_api``: GET with query parameters (downloads and printable pages).

Each turns a ``RequestError`` into ``{"error", "message", "field"?}`` with its 4xx status; any
other exception propagates, because a 500 is a bug to fix, not an answer. The wrapper keeps
what it checks on the handler (``kind``, ``schema``, ``limit_setting``, ``lms_only``) so tests can
drive every handler with input of the declared shape. Used only by block classes (the layer that
knows the runtime and webob).

Two refusals come before any input is read, because where a request comes from decides them,
not what it carries (docs/decisions/0008-studio-and-platform-roles.md):

- ``lms_only=True``: the course's work (check-in, the roll, imports, records, approvals) is done
  in the LMS. Studio runs every handler of a block for any logged-in user (openedx-platform,
  cms/djangoapps/contentstore/views/preview.py, ``preview_handler``: a login is all it asks), so
  such a handler refuses there; only authoring handlers serve Studio.
- every POST handler refuses while a staff member views the course as a specific learner: the
  block then speaks for the learner's account, and nothing may be done in the learner's name.
"""
import functools
import json
import logging
import posixpath
from collections import namedtuple
from urllib.parse import quote

from webob import Response

from . import config, text
from .errors import RequestError
from .i18n import N_, megabytes
from .validation import BAD_JSON, REQUIRED, WRONG_TYPE, parse_json_body, validate, validate_text

log = logging.getLogger(__name__)

# Room for the multipart framing and the small form fields next to the file.
FORM_SLACK = 64 * 1024
MAX_FILE_NAME = 255

Upload = namedtuple("Upload", "name data")
Upload.__doc__ = "An uploaded file: ``name`` as the sender's computer called it (cleaned), ``data`` bytes."


def json_response(payload, status=200):
    body = json.dumps(payload, ensure_ascii=False)
    try:
        data = body.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate in stored text: escaped, the answer still goes out
        data = json.dumps(payload).encode("ascii")
    return Response(body=data, status=status, content_type="application/json", charset="utf-8")


def error_response(exc):
    response = json_response(exc.as_dict(), status=exc.status)
    if exc.status == 405:
        response.headers["Allow"] = "POST"
    return response


def file_response(name, content_type, data, inline=False):
    """A download; the file name is given in RFC 5987 form so Vietnamese names survive."""
    disposition = "inline" if inline else "attachment"
    response = Response(body=data, content_type=content_type.split(";")[0])
    response.headers["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(name, errors='replace')}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def page_response(html, name="page.html"):
    """A page to read and print in its own tab (the logbook, the class report), UTF-8."""
    response = file_response(name, "text/html", html.encode("utf-8", "replace"), inline=True)
    response.charset = "utf-8"
    return response


def _only_post(request):
    if request.method != "POST":
        raise RequestError("method", N_("This address only accepts POST."), status=405)


STUDIO_REFUSED = N_("This is done in the course on the learning site (LMS), not in Studio.")
AS_LEARNER_REFUSED = N_("You are viewing the course as a specific learner: nothing can be done in their name.")


def _asks(block, question):
    """The block's answer to ``question`` (a BlockBase method), False for a block without it."""
    method = getattr(block, question, None)
    return bool(method()) if callable(method) else False


def check_place(block, lms_only, writes):
    """Refuse a request by where it comes from (see the module's docstring)."""
    if lms_only and _asks(block, "in_studio"):
        raise RequestError("lms_only", STUDIO_REFUSED, status=403)
    if writes and _asks(block, "viewing_as_learner"):
        raise RequestError("as_learner", AS_LEARNER_REFUSED, status=403)


def _handler(fn, kind, schema, body, lms_only=False):
    """The XBlock handler running ``body(self, request, suffix)``, RequestError answered."""
    writes = kind != "get"

    @functools.wraps(fn)
    def handler(self, request, suffix=""):
        try:
            check_place(self, lms_only, writes)
            return body(self, request, suffix)
        except RequestError as exc:
            return error_response(exc)
    # What @XBlock.handler sets, so the runtime routes requests to the handler.
    handler._is_xblock_handler = True  # pylint: disable=protected-access
    handler.kind = kind
    handler.schema = schema
    handler.lms_only = lms_only
    return handler


def json_api(fields, request=False, lms_only=False):
    """Decorate a block method ``fn(self, data, suffix)`` as a POST JSON handler; with
    ``request=True`` it is called ``fn(self, data, suffix, request)`` (for the client's address
    and browser). The body is parsed and validated against ``fields`` before ``fn`` runs; what
    ``fn`` returns is the JSON answer. ``lms_only``: refused in Studio."""
    def wrap(fn):
        def body(self, req, suffix):
            _only_post(req)
            data = validate(parse_json_body(_read_body(req)), fields)
            answer = fn(self, data, suffix, req) if request else fn(self, data, suffix)
            return json_response(answer or {})
        return _handler(fn, "json", fields, body, lms_only)
    return wrap


def _read_body(request):
    """The body, refused by its announced size before it is read. A client that announces more
    than it sends (or goes away) leaves a body that cannot be read: a 400, not a 500."""
    limit = config.get("MAX_REQUEST_BYTES")
    if (request.content_length or 0) > limit:
        raise RequestError("too_large", N_("The request is too large."), status=413)
    try:
        return request.body
    except OSError:  # webob's DisconnectionError, Django's UnreadablePostError
        raise RequestError("bad_json", BAD_JSON) from None


def upload_api(fields, limit_setting, file_field="file", lms_only=False):
    """Decorate a block method ``fn(self, data, upload, suffix)`` as a POST multipart handler.

    The form's other fields are validated against ``fields`` (texts converted by each field's
    kind); the file in ``file_field`` is read up to the limit ``config.get(limit_setting, org)``
    and handed over as an ``Upload``. One message for every upload that is too large, whichever
    block receives it. ``lms_only``: refused in Studio."""
    def wrap(fn):
        def body(self, request, suffix):
            _only_post(request)
            limit = config.get(limit_setting, self.keys()[2])
            too_large = RequestError("too_large", N_("The file is larger than {limit_mb} MB."), status=413,
                                     field=file_field, limit_mb=megabytes(limit))
            if (request.content_length or 0) > limit + FORM_SLACK:
                raise too_large
            values = _form(request)
            part = _file_part(values.pop(file_field, []), file_field)
            data = validate_text(values, fields)
            return json_response(fn(self, data, _read(part, limit, too_large), suffix) or {})
        handler = _handler(fn, "upload", fields, body, lms_only)
        handler.limit_setting = limit_setting
        handler.file_field = file_field
        return handler
    return wrap


def _unreadable_upload():
    return RequestError("bad_upload", N_("The upload could not be read. Please try again."))


def _form(request):
    """The form as ``{name: [value, …]}``. A body that is not a form gives no fields (so the file
    is "required"); one the parser cannot read is refused. The parser is webob's or Django's,
    fed with whatever the client sent, and fails in ways of its own (a missing boundary, a body
    shorter than announced, a malformed part): all of them are the client's bad input."""
    try:
        items = list(request.POST.items())
    except Exception:  # noqa: BLE001 - see the docstring; nothing of ours runs inside
        log.info("Unreadable form upload", exc_info=True)
        raise _unreadable_upload() from None
    values = {}
    for name, value in items:
        if not isinstance(name, str):
            raise _unreadable_upload()
        values.setdefault(name, []).append(value)
    return values


def _file_part(values, file_field):
    """The one file sent in ``file_field`` (webob's FieldStorage, the LMS's wrapped Django file)."""
    if not values or all(_is_empty(v) for v in values):
        raise RequestError("required", REQUIRED, field=file_field)
    if len(values) != 1 or not (hasattr(values[0], "file") and hasattr(values[0], "filename")):
        raise RequestError("bad_type", WRONG_TYPE, field=file_field)
    return values[0]


def _read(part, limit, too_large):
    """The file's bytes, never more than ``limit`` + 1 of them in memory."""
    try:
        data = part.file.read(limit + 1)
    except OSError:
        raise _unreadable_upload() from None
    if len(data) > limit:
        raise too_large
    return Upload(file_name(part.filename), data)


def _is_empty(value):
    """An empty file input: no part, or a part without a file name (b"" in webob)."""
    return isinstance(value, (str, bytes)) and not value


def file_name(raw):
    """A sent file name fit to store and show: its last path part, one line of valid text, at
    most ``MAX_FILE_NAME`` characters (the end kept, for the extension)."""
    name = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw or "")
    name = posixpath.basename(name.replace("\\", "/"))
    return text.clean(name, multiline=False)[-MAX_FILE_NAME:]


def get_api(params=None, lms_only=False):
    """Decorate a block method ``fn(self, params, suffix)`` that returns a webob Response (a
    download, a page) as a GET handler: the query parameters are validated against ``params``
    (Fields; ``Date`` works). Parameters that are not declared are ignored, since links pasted
    into mail or chat apps come back with tracking parameters added. ``lms_only``: refused in
    Studio."""
    schema = params or {}

    def wrap(fn):
        def body(self, request, suffix):
            return fn(self, validate_text(_query(request), schema, ignore_unknown=True), suffix)
        return _handler(fn, "get", schema, body, lms_only)
    return wrap


def _query(request):
    try:
        items = list(request.GET.items())
    except UnicodeDecodeError:  # "?week=%ff": bytes that are not UTF-8
        raise RequestError("bad_query", N_("The web address could not be read.")) from None
    values = {}
    for name, value in items:
        values.setdefault(name, []).append(value)
    return values
