"""Ed25519 signatures of archive packages, checkable with standard tools.

The signature is detached and raw (64 bytes) over ``tagmanifest-sha256.txt``: that file lists the
hashes of the manifests and of bag-info, and the manifests list the hash of every payload file, so
one signature covers the whole bag, and ``openssl pkeyutl -verify -rawin`` checks it without our
software (docs/archive-verification.md). The public key travels in the bag; its fingerprint (SHA-256
of the 32 raw key bytes, hex) is what the school publishes, so that a bag re-signed with another key
is told apart.

The key comes from the setting ARCHIVE_SIGNING_KEY: a path to a PEM file, or, when the value
contains "-----BEGIN", the PEM text itself (for deployments that pass secrets as environment values).
"""
import hashlib
import os

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from . import settings as archive_settings

SIGNED_FILE = "tagmanifest-sha256.txt"
SIGNATURE_FILE = "signature.ed25519"
PUBLIC_KEY_FILE = "public.pem"


class SigningKeyError(ValueError):
    """The configured key is missing or is not an Ed25519 private key (an operator's error)."""


def new_private_pem():
    """A fresh Ed25519 private key as unencrypted PKCS#8 PEM (protected by the file's mode)."""
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


def write_new_key(path):
    """Create ``path`` holding a new key, readable by its owner only; never overwrite a key, which
    would make every package already signed with it unverifiable against the published fingerprint."""
    pem = new_private_pem()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    return load_private_key(pem.decode("ascii"))


def load_private_key(value=None, org=None):
    """The signing key from ``value`` (PEM text or a path), by default the ARCHIVE_SIGNING_KEY setting."""
    value = archive_settings.get("ARCHIVE_SIGNING_KEY", org) if value is None else value
    if not value:
        raise SigningKeyError("ARCHIVE_SIGNING_KEY is not set")
    if "-----BEGIN" in value:
        pem = value.encode("ascii", "replace")
    else:
        try:
            with open(value, "rb") as source:
                pem = source.read()
        except OSError as exc:
            raise SigningKeyError(f"cannot read the signing key (ARCHIVE_SIGNING_KEY): {exc}") from None
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as exc:
        raise SigningKeyError(f"not a PEM private key: {exc}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError("the signing key is not an Ed25519 key")
    return key


def public_pem(key):
    """SubjectPublicKeyInfo PEM, the form ``openssl pkeyutl -pubin`` reads."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def fingerprint(key):
    """SHA-256 of the raw 32-byte public key, hex."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def load_public_pem(pem):
    """The Ed25519 public key in ``pem``; ValueError when it is anything else."""
    try:
        key = serialization.load_pem_public_key(pem)
    except UnsupportedAlgorithm as exc:
        raise ValueError(str(exc)) from None
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def sign(key, data):
    return key.sign(data)


def signature_holds(public_key, signature, data):
    try:
        public_key.verify(signature, data)
    except InvalidSignature:
        return False
    return True
