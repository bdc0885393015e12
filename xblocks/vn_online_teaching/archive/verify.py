"""Check an archive package the way an inspector would: every file against both manifests, nothing
missing and nothing added, the Ed25519 signature over the tag manifest, and the audit segment's
chain up to the anchor printed in bag-info (docs/archive-verification.md).

Files are read once each, in chunks, straight from the zip, so a package larger than memory is
checked as it was written. Problems are returned as (English message, values) pairs for the
command to translate; "unreadable" (not a zip, no such file) is told apart from "invalid" (a
readable package that does not hold), because the first is an operator's error and the second is
evidence.
"""
import hashlib
import io
import re
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field

from ..core.audit import parse_anchor
from ..core.i18n import N_
from . import segment, signing
from .bag import ALGORITHMS, CHUNK

VALID, INVALID, UNREADABLE = "valid", "invalid", "unreadable"
MAX_PROBLEMS = 50
HEX_LENGTH = {"sha256": 64, "sha512": 128}
# what reading a member of a damaged zip raises (a bad CRC, a broken deflate stream, a cut file)
DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError, OSError)
LINE = re.compile(r"^([0-9a-fA-F]+)[ \t]+(.+)$")

SEGMENT_REASONS = {
    "start": N_("Audit segment: bag-info.txt does not say where the segment starts."),
    "malformed": N_("Audit segment, entry {seq}: the line is not an audit entry."),
    "missing": N_("Audit segment, entry {seq}: an entry is missing."),
    "link": N_("Audit segment, entry {seq}: the previous entry's hash does not match."),
    "content": N_("Audit segment, entry {seq}: the content does not match its hash."),
    "anchor": N_("Audit segment: its last entry is not the audit anchor printed in bag-info.txt ({anchor})."),
    "kept": N_("Audit segment, entry {seq}: it differs from the anchor kept outside the database."),
}


@dataclass
class Report:
    status: str = VALID
    problems: list = field(default_factory=list)
    info: dict = field(default_factory=dict)
    files: int = 0
    audit_entries: int = 0

    def fail(self, message, **values):
        self.status = INVALID
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append((message, values))


def _parse_manifest(text, alg, name, report):
    entries = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        match = LINE.match(line)
        if not match or len(match.group(1)) != HEX_LENGTH[alg]:
            report.fail(N_("{name}, line {line}: not a checksum followed by a file name."), name=name, line=number)
            continue
        entries[match.group(2)] = match.group(1).lower()
    return entries


def _parse_info(text):
    info = {}
    for line in text.splitlines():
        label, sep, value = line.partition(":")
        if sep and not line[:1].isspace():
            info.setdefault(label.strip(), value.strip())
    return info


def _digests(archive, member):
    hashes = {alg: hashlib.new(alg) for alg in ALGORITHMS}
    size = 0
    with archive.open(member) as source:
        for block in iter(lambda: source.read(CHUNK), b""):
            size += len(block)
            for digest in hashes.values():
                digest.update(block)
    return size, {alg: d.hexdigest() for alg, d in hashes.items()}


def verify(path, fingerprint=None, kept_anchors=()):
    """Report on the package at ``path``; ``fingerprint``: the key the school published (hex), when
    the inspector has it; ``kept_anchors``: (seq, hash prefix) anchors kept on paper."""
    report = Report()
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        report.status = UNREADABLE
        report.problems.append((N_("The package is not a zip file."), {}))
        return report
    except OSError as exc:
        report.status = UNREADABLE
        report.problems.append((N_("The package cannot be read: {reason}"), {"reason": exc.strerror or exc}))
        return report
    with archive:
        try:
            _check(archive, report, fingerprint, kept_anchors)
        except DAMAGED as exc:
            report.fail(N_("The package cannot be read: {reason}"), reason=exc)
    return report


def _read_text(archive, member, report):
    try:
        return archive.read(member).decode("utf-8")
    except DAMAGED + (UnicodeDecodeError,):
        report.fail(N_("The file {name} is damaged."), name=member.split("/", 1)[-1])
        return None


def _check(archive, report, fingerprint, kept_anchors):
    names = [n for n in archive.namelist() if not n.endswith("/")]
    roots = {n.split("/", 1)[0] for n in names}
    if len(roots) != 1 or any("/" not in n for n in names):
        report.fail(N_("The package does not hold exactly one bag folder."))
        return
    root = roots.pop()
    files = {n[len(root) + 1:]: n for n in names}
    if len(files) != len(names):  # zip tools would extract one copy, and not always the same one
        for name in sorted(n for n, count in Counter(names).items() if count > 1):
            report.fail(N_("The file {name} appears more than once in the package."), name=name[len(root) + 1:])
        return
    for required in ("bagit.txt", "bag-info.txt", signing.SIGNATURE_FILE, signing.PUBLIC_KEY_FILE) + tuple(
            f"{kind}-{alg}.txt" for kind in ("manifest", "tagmanifest") for alg in ALGORITHMS):
        if required not in files:
            report.fail(N_("{name} is missing."), name=required)
    if report.problems:
        return
    declaration = _read_text(archive, files["bagit.txt"], report) or ""
    if "BagIt-Version: 1.0" not in declaration or "Tag-File-Character-Encoding: UTF-8" not in declaration:
        report.fail(N_("bagit.txt does not declare a BagIt 1.0 bag in UTF-8."))
    manifests, tagmanifests = {}, {}
    for alg in ALGORITHMS:
        for kind, into in (("manifest", manifests), ("tagmanifest", tagmanifests)):
            name = f"{kind}-{alg}.txt"
            into[alg] = _parse_manifest(_read_text(archive, files[name], report) or "", alg, name, report)
    _check_fixity(archive, files, manifests, tagmanifests, report)
    info_text = _read_text(archive, files["bag-info.txt"], report) or ""
    report.info = _parse_info(info_text)
    _check_oxum(archive, files, report)
    _check_signature(archive, files, report, fingerprint)
    _check_segment(archive, files, report, kept_anchors)


def _check_fixity(archive, files, manifests, tagmanifests, report):
    untracked = {signing.SIGNATURE_FILE} | {f"tagmanifest-{alg}.txt" for alg in ALGORITHMS}
    for name, member in sorted(files.items()):
        if name in untracked:
            continue
        listing = manifests if name.startswith("data/") else tagmanifests
        kind = "manifest" if listing is manifests else "tagmanifest"
        try:
            _size, hexes = _digests(archive, member)
        except DAMAGED:
            report.fail(N_("The file {name} is damaged."), name=name)
            continue
        report.files += 1
        for alg in ALGORITHMS:
            expected = listing[alg].get(name)
            if expected is None:
                report.fail(N_("The file {name} is not listed in {manifest}."), name=name,
                            manifest=f"{kind}-{alg}.txt")
            elif expected != hexes[alg]:
                report.fail(N_("The file {name} has changed: its checksum does not match {manifest}."),
                            name=name, manifest=f"{kind}-{alg}.txt")
    for listing, kind in ((manifests, "manifest"), (tagmanifests, "tagmanifest")):
        for alg in ALGORITHMS:
            for name in sorted(set(listing[alg]) - set(files)):
                report.fail(N_("{manifest} lists {name}, which is not in the package."),
                            manifest=f"{kind}-{alg}.txt", name=name)


def _check_oxum(archive, files, report):
    payload = [archive.getinfo(member).file_size for name, member in files.items() if name.startswith("data/")]
    if report.info.get("Payload-Oxum") != f"{sum(payload)}.{len(payload)}":
        report.fail(N_("Payload-Oxum in bag-info.txt does not match the files of the package."))


def _check_signature(archive, files, report, expected):
    pem = _read_text(archive, files[signing.PUBLIC_KEY_FILE], report)
    try:
        public = signing.load_public_pem((pem or "").encode("utf-8"))
    except ValueError:
        report.fail(N_("public.pem is not an Ed25519 public key."))
        return
    found = signing.fingerprint(public)
    if report.info.get("Signing-Key-Fingerprint", "").lower() != found:
        report.fail(N_("The key fingerprint in bag-info.txt does not match public.pem."))
    if expected and expected.strip().lower().replace(":", "") != found:
        report.fail(N_("The package was signed with the key {found}, not with the expected key {expected}."),
                    found=found, expected=expected)
    signature = archive.read(files[signing.SIGNATURE_FILE])
    signed = archive.read(files[signing.SIGNED_FILE])
    if not signing.signature_holds(public, signature, signed):
        report.fail(N_("The signature does not match tagmanifest-sha256.txt: the package was changed after "
                       "it was signed."))


def _check_segment(archive, files, report, kept_anchors):
    anchor = report.info.get("Audit-Anchor", "")
    name = "data/" + segment.PATH
    if not anchor and not kept_anchors:
        return
    if name not in files:
        report.fail(N_("{name} is missing."), name=name)
        return
    try:
        parse_anchor(anchor)
    except ValueError:
        report.fail(SEGMENT_REASONS["start"])
        return
    try:
        with archive.open(files[name]) as raw:
            ok, checked, seq, reason = segment.check(
                io.TextIOWrapper(raw, encoding="utf-8"), report.info.get("Audit-Segment-Start", ""), anchor,
                kept_anchors)
    except DAMAGED + (UnicodeDecodeError,):
        report.fail(N_("The file {name} is damaged."), name=name)
        return
    report.audit_entries = checked
    if not ok:
        report.fail(SEGMENT_REASONS[reason], seq=seq, anchor=anchor)
