"""The files attached to materials: the only code that reads or writes their records.

A file is kept once under its SHA-256 in Django's default storage; a record ties it to one
material (its usage key). The block's ``attachments`` field is content: a rerun, an import, a
duplicate or a paste copies it to a block with another usage key, which has no record yet. The
files go with the content (docs/decisions/0007-gating-through-the-platforms-visibility.md): a
block finds the record of the block it came from, and gets its own record of the same stored
file, the first time it is asked for it. The block it came from is

- the source a duplicate or a paste names (Studio's ``studio_post_duplicate``, the
  ``copied_from_block`` field), or
- the block with the same id in another course of the same school: a rerun keeps every block id
  under the new course key, and an import keeps the ids of the exported course.

A file of another school is never found: its hash alone does not open it.
"""
import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from .. import compat
from ..core.errors import NotFound
from .models import Attachment


def store(usage_key, name, mime, data, actor):
    """Keep an uploaded file under its hash (a re-upload of the same bytes is the same file)."""
    sha = hashlib.sha256(data).hexdigest()
    existing = Attachment.objects.filter(usage_key=usage_key, sha256=sha).first()
    if existing is not None:
        return existing
    storage_name = default_storage.save(f"vn_online_teaching/material/{sha[:2]}/{sha}", ContentFile(data))
    return _create(usage_key, sha, name=name, mime=mime, size=len(data), storage_name=storage_name,
                   uploaded_by=actor.user_key)


def _create(usage_key, sha, **fields):
    try:
        with transaction.atomic():
            return Attachment.objects.create(usage_key=usage_key, sha256=sha, **fields)
    except IntegrityError:  # the same file recorded by a request running at the same time
        return Attachment.objects.get(usage_key=usage_key, sha256=sha)


def of(usage_key):
    """{sha256: item} of every file uploaded to this material. The block's field lists what the
    last save kept; two uploads running at once each saved the field without the other's file,
    so the records, not the field, say which files the editor may list."""
    return {a.sha256: {"sha256": a.sha256, "name": a.name, "mime": a.mime, "size": a.size}
            for a in Attachment.objects.filter(usage_key=usage_key)}


def _same_block_elsewhere(usage_key, other_key):
    """Is ``other_key`` this block in another course of the same school (rerun, import)?"""
    mine, theirs = compat.key_parts(usage_key), compat.key_parts(other_key)
    return mine is not None and theirs is not None and mine[0] == theirs[0] and mine[1:] == theirs[1:]


def _origin(usage_key, sha, sources):
    """The record of this file on the block this one came from, or None."""
    sources = {str(s) for s in sources if s}
    for record in Attachment.objects.filter(sha256=sha).exclude(usage_key=usage_key).order_by("pk"):
        if record.usage_key in sources or _same_block_elsewhere(usage_key, record.usage_key):
            return record
    return None


def _adopt(usage_key, sha, sources):
    origin = _origin(usage_key, sha, sources)
    if origin is None:
        return None
    return _create(usage_key, sha, name=origin.name, mime=origin.mime, size=origin.size,
                   storage_name=origin.storage_name, uploaded_by=origin.uploaded_by)


def adopt(usage_key, shas, sources=()):
    """Give this block its own records of the files its content lists (``shas``) that it has none
    of yet, from the block it came from; answers how many it got."""
    have = set(Attachment.objects.filter(usage_key=usage_key).values_list("sha256", flat=True))
    return sum(1 for sha in dict.fromkeys(shas) if sha not in have and _adopt(usage_key, sha, sources))


def open_file(usage_key, sha, sources=()):
    """(record, bytes) of an attachment of this material (adopted from the block it came from
    when needed), or NotFound."""
    record = Attachment.objects.filter(usage_key=usage_key, sha256=sha).first() or _adopt(usage_key, sha, sources)
    if record is None:
        raise NotFound()
    with default_storage.open(record.storage_name, "rb") as f:
        return record, f.read()
