"""The records archive (issue 12): packages of a school's records that an inspector can check
without our software: a BagIt bag in a zip, fixity in SHA-256 and SHA-512, a detached Ed25519
signature, and the audit chain's segment (docs/archive-verification.md; what must be kept and for
how long: docs/circular-09.md, "Records archive"; for records officers: docs/records-guide.md).

The parts: ``access`` (who may), ``settings`` (retention, signing key), ``models`` (jobs, holds,
disposals), ``jobs`` (one export, from every feature's export functions to a stored package),
``holds`` (legal holds and disposal decisions), ``tasks`` (the export as a Celery task),
``block`` (the records_archive XBlock); the package itself: ``bag``, ``package``, ``segment``,
``signing``, ``verify``, with ``render`` and ``index`` for what people read.
"""
