"""The access code a teacher gives at the start of a sitting: what the block keeps of it (a keyed
hash, never the code) and how a student's typing is compared with it."""
import hashlib
import hmac
import secrets

from django.conf import settings


def normalise_code(code):
    """What an access code is compared by: no spaces, capitals (read aloud, typed on a phone)."""
    return "".join(str(code or "").split()).upper()


def _code_mac(salt, code):
    key = settings.SECRET_KEY.encode("utf-8")
    return hmac.new(key, f"vnot-access-code:{salt}:{normalise_code(code)}".encode("utf-8"), hashlib.sha256).hexdigest()


def hash_code(code):
    """What the block keeps of the access code the teacher chose: a keyed hash under the site's
    secret, so neither an exported course nor a copy of the database gives the code away. A
    course imported on another site needs its code set again."""
    salt = secrets.token_hex(8)
    return f"v1${salt}${_code_mac(salt, code)}"


def code_ok(code_hash, code):
    """Is ``code`` the access code kept as ``code_hash``? (No code kept: always.)"""
    if not code_hash:
        return True
    version, _sep, rest = code_hash.partition("$")
    salt, _sep, digest = rest.partition("$")
    if version != "v1" or not salt or not digest or not normalise_code(code):
        return False
    return hmac.compare_digest(_code_mac(salt, code), digest)
