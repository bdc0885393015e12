"""One device at a time: the browser an attempt is bound to, and what the server records when
another one asks (docs/circular-09.md, periodic assessment).

The attempt is bound to the browser that started it by a token the server derives, under the
site's secret, from the attempt, a salt drawn at each binding and a random id the browser sent
with its start (``request_id``); only the token's hash is kept. So the same browser retrying its
start gets the same token (a lost answer locks nobody out), another browser cannot guess it, and
a copy of the database does not give it. The board releases a binding with a reason
(sitting.release_device); the next browser to open the attempt with the access code is bound.
The access code a device must give is checked here too (``check_code``).
"""
import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings

from ..core import roles
from ..core.errors import Conflict, RequestError
from ..core.i18n import N_
from .evidence import ADDRESS_CHANGE, DEVICE_REFUSED, WRONG_CODE
from .models import IntegrityEvent
from .access_code import code_ok, normalise_code
from .records import OBJECT_SITTING, event, record

WRONG_CODE_WINDOW = dt.timedelta(minutes=10)
MAX_WRONG_CODES = 10  # wrong access codes of one student in that window (a security bound)


def token_for(attempt, request_id):
    """The token of the browser that sent ``request_id``, under the attempt's current salt."""
    key = settings.SECRET_KEY.encode("utf-8")
    text = f"vnot-device:{attempt.usage_key}:{attempt.user_key}:{attempt.device_salt}:{request_id}"
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def _hashed(token):
    return hashlib.sha256(str(token or "").encode("utf-8")).hexdigest()


def device_ok(attempt, device):
    """Is ``device`` the token of the browser the attempt is bound to?"""
    return bool(attempt.device_hash) and hmac.compare_digest(attempt.device_hash, _hashed(device))


def bind(attempt, request_id, now, ip, user_agent):
    """Bind the attempt to the browser that sent ``request_id`` (not saved): its token."""
    attempt.device_salt = secrets.token_hex(16)
    token = token_for(attempt, request_id)
    attempt.device_hash, attempt.device_bound_at = _hashed(token), now
    attempt.last_ip, attempt.user_agent = (ip or "")[:45], (user_agent or "")[:300]
    return token


def refuse(sitting, attempt, now, ip, user_agent, action):
    """Record a request from a browser the attempt is not bound to; the refusal to answer with."""
    released = not attempt.device_hash
    event(sitting, attempt.user_key, DEVICE_REFUSED, now, attempt=attempt, action=action, ip=(ip or "")[:45],
          user_agent=(user_agent or "")[:300], released=released)
    if released:
        return Conflict("device_released", N_("The supervisor released this test from your device: open it again "
                                              "with the access code."))
    return Conflict("other_device", N_("This test is open on another device. Continue there, or ask the "
                                       "supervisor to release it."))


def note_address(sitting, attempt, ip, now):
    """A changed network address is recorded (a phone moving to mobile data, or someone else)."""
    ip = (ip or "")[:45]
    if ip and ip != attempt.last_ip:
        if attempt.last_ip:
            event(sitting, attempt.user_key, ADDRESS_CHANGE, now, attempt=attempt, before=attempt.last_ip, after=ip)
        attempt.last_ip = ip
        attempt.save(update_fields=["last_ip", "updated_at"])


# The access code ----------------------------------------------------------------------------------

def code_typed(test, code):
    """Refuse a start without a code when the test asks for one (nothing is recorded then)."""
    if test.code_hash and not normalise_code(code):
        raise RequestError("code_required", N_("Type the access code the supervisor gives."), field="code")


def check_code(test, sitting, actor, attempt, code, now, ip):
    """None when the access code is right (or the test has none); otherwise the refusal. A wrong
    code is recorded, and reaching the limit is audited (a security event)."""
    if not test.code_hash:
        return None
    code_typed(test, code)
    wrong = IntegrityEvent.objects.filter(sitting=sitting, user_key=actor.user_key, kind=WRONG_CODE,
                                          at__gt=now - WRONG_CODE_WINDOW).count()
    if wrong >= MAX_WRONG_CODES:
        return RequestError("too_many_codes", N_("Too many wrong codes. Wait a few minutes or ask the supervisor."),
                            status=429)
    if code_ok(test.code_hash, code):
        return None
    event(sitting, actor.user_key, WRONG_CODE, now, attempt=attempt, ip=(ip or "")[:45])
    if wrong + 1 == MAX_WRONG_CODES:
        record("assessment.code_limit", sitting, actor, roles.STUDENT, OBJECT_SITTING, sitting.pk,
               user=actor.user_key, wrong_codes=wrong + 1)
    return RequestError("wrong_code", N_("This access code is not right. Type the code the supervisor gives."),
                        field="code")
