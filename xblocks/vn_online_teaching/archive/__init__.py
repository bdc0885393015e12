"""The records archive (issue 12): packages of a school's records that an inspector can check
without our software: a BagIt bag in a zip, fixity in SHA-256 and SHA-512, a detached Ed25519
signature, and the audit chain's segment (docs/archive-verification.md; what must be kept and for
how long: docs/circular-09.md, "Records archive").

This package has no ``access.py`` yet, on purpose: the registry picks a feature up by that file,
and the block that exports packages lands later. Until then its settings are read through
``archive.settings.get``, which falls back to the defaults declared there.
"""
