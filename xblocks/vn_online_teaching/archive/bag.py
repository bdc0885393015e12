"""A BagIt 1.0 bag written straight into a zip, one file at a time, with bounded memory.

A school's archive can be larger than the server's memory, so nothing is gathered first: each
payload file is written once, from an iterator of chunks or rows, into its zip entry while its
SHA-256 and SHA-512 are computed; its manifest lines go to a spooled temporary file; only then are
the tag files (bag-info with the Payload-Oxum, the manifests, the tag manifests) written. Entries
are ZIP64 whenever their size is not known in advance, so a file over 4 GB is not a failure.

The zip holds one top folder named like the bag, as the BagIt specification (RFC 8493, section
"Serialization") expects, so that unzipping gives a bag that ``bagit.py --validate`` accepts.
"""
import datetime as dt
import hashlib
import re
import tempfile
import unicodedata
import zipfile

ALGORITHMS = ("sha256", "sha512")
CHUNK = 1024 * 1024
BAGIT_TXT = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
SPOOL = 1024 * 1024  # manifest lines kept in memory up to this size, then on disk
COMPRESSLEVEL = 1  # zlib's fastest; see docs/performance.md, "Archive export", for 1 against 6


# A path that is safe as it is: parts of ASCII letters, digits and "_-.+=@,()~ " joined by "/",
# none of them empty, "." or "..". Most payload paths are; others get the full check.
SIMPLE_PATH = re.compile(r"(?!\.\.?(?:/|$))[\w\-+=@,()~. ]+(?:/(?!\.\.?(?:/|$))[\w\-+=@,()~. ]+)*", re.ASCII)


class BagError(ValueError):
    """A programming error in what was asked of the writer (a bad or repeated path)."""


def clean_path(path):
    """The payload-relative path as stored: NFC, forward slashes, no empty, "." or ".." parts, no
    control characters and no "%" (BagIt 1.0 would percent-encode it in the manifests, which
    ``bagit.py`` and ``sha256sum -c`` do not decode; ``safe_part`` makes any name acceptable)."""
    if isinstance(path, str) and SIMPLE_PATH.fullmatch(path) is not None:  # the common case, checked at once
        return path
    text = unicodedata.normalize("NFC", str(path))
    parts = text.split("/")
    if not text or text.startswith("/") or "\\" in text or "%" in text or any(
            p in ("", ".", "..") for p in parts) or any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise BagError(f"not a safe path inside a bag: {path!r}")
    return text


def safe_part(name):
    """One path part made from any name (a teacher's file name): separators, "%" and control
    characters become "_", and a name of only dots becomes "_"."""
    text = "".join("_" if c in "/\\%" or ord(c) < 32 or ord(c) == 127 else c
                   for c in unicodedata.normalize("NFC", str(name))).strip()
    return text if text.strip(".") else "_"


def chunks_of(source):
    """Bytes chunks from bytes, a str, a binary file, or an iterable of any of those (rows as str
    are UTF-8 encoded)."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        yield bytes(source)
        return
    if isinstance(source, str):
        yield source.encode("utf-8")
        return
    if hasattr(source, "read"):
        while True:
            block = source.read(CHUNK)
            if not block:
                return
            yield block.encode("utf-8") if isinstance(block, str) else block
    for item in source:
        if isinstance(item, str):
            yield item.encode("utf-8")
        elif isinstance(item, (bytes, bytearray, memoryview)):
            yield bytes(item)
        else:
            raise BagError(f"a payload chunk must be bytes or str, not {type(item).__name__}")


def info_text(fields):
    """bag-info.txt from (label, value) pairs; a value's line breaks become spaces, since a line
    break would start a new label."""
    lines = []
    for label, value in fields:
        value = " ".join(str(value).split())
        lines.append(f"{label}: {value}\n")
    return "".join(lines).encode("utf-8")


class BagWriter:
    """Write a bag into ``target`` (a path or a writable binary file); use as a context manager and
    call ``finish`` before it closes. ``name`` is the bag's top folder inside the zip."""

    def __init__(self, target, name):
        self.root = clean_path(name)
        if "/" in self.root:
            raise BagError("a bag's name is one folder name")
        self._zip = zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True,
                                    compresslevel=COMPRESSLEVEL)
        self._manifests = {alg: tempfile.SpooledTemporaryFile(SPOOL, mode="w+b") for alg in ALGORITHMS}
        self._tags = []  # (name, {alg: hex}) of tag files, small and few
        self.payload_bytes = 0
        self.payload_count = 0
        self.finished = False
        self._write_tag("bagit.txt", BAGIT_TXT)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def close(self):
        for spool in self._manifests.values():
            spool.close()
        self._zip.close()

    def _write(self, relpath, source, zip64):
        digests = {alg: hashlib.new(alg) for alg in ALGORITHMS}
        size = 0
        with self._zip.open(f"{self.root}/{relpath}", "w", force_zip64=zip64) as out:
            for chunk in chunks_of(source):
                for digest in digests.values():
                    digest.update(chunk)
                out.write(chunk)
                size += len(chunk)
        return size, {alg: d.hexdigest() for alg, d in digests.items()}

    def _check_new(self, relpath):
        if self.finished:
            raise BagError("the bag is finished")
        if f"{self.root}/{relpath}" in self._zip.NameToInfo:
            raise BagError(f"already in the bag: {relpath}")

    def add_file(self, path, source):
        """Write one payload file under data/ from ``source`` (see ``chunks_of``); returns
        (size, {"sha256": hex, "sha512": hex})."""
        relpath = "data/" + clean_path(path)
        self._check_new(relpath)
        size, hexes = self._write(relpath, source, zip64=True)
        for alg, spool in self._manifests.items():
            spool.seek(0, 2)  # ``listing`` may have read from the middle
            spool.write(f"{hexes[alg]}  {relpath}\n".encode("utf-8"))
        self.payload_bytes += size
        self.payload_count += 1
        return size, hexes

    def listing(self):
        """(path, size, SHA-256) of the payload files written so far, read back from the spooled
        manifest (for an index page, itself a payload file written after them)."""
        spool, position = self._manifests["sha256"], 0
        while True:
            spool.seek(position)
            line = spool.readline()
            position = spool.tell()
            if not line:
                return
            digest, relpath = line.decode("utf-8").rstrip("\n").split("  ", 1)
            yield relpath, self._zip.getinfo(f"{self.root}/{relpath}").file_size, digest

    def _write_tag(self, name, data):
        self._check_new(name)
        _size, hexes = self._write(name, data, zip64=False)
        self._tags.append((name, hexes))
        return hexes

    def add_tag_file(self, name, data):
        """A small tag file at the bag's top (listed in the tag manifests)."""
        return self._write_tag(clean_path(name), data)

    def finish(self, info=(), today=None):
        """Write the manifests, bag-info (``info``: (label, value) pairs, after which the writer adds
        Bagging-Date and Payload-Oxum) and the tag manifests. Returns the bytes of
        tagmanifest-sha256.txt, which is what a signature covers."""
        for alg, spool in self._manifests.items():
            spool.seek(0)
            with self._zip.open(f"{self.root}/manifest-{alg}.txt", "w") as out:
                digests = {a: hashlib.new(a) for a in ALGORITHMS}
                for block in iter(lambda: spool.read(CHUNK), b""):
                    for digest in digests.values():
                        digest.update(block)
                    out.write(block)
            self._tags.append((f"manifest-{alg}.txt", {a: d.hexdigest() for a, d in digests.items()}))
        today = today or dt.date.today()
        fields = list(info) + [("Bagging-Date", today.isoformat()),
                               ("Payload-Oxum", f"{self.payload_bytes}.{self.payload_count}")]
        self._write_tag("bag-info.txt", info_text(fields))
        tagmanifests = {}
        for alg in ALGORITHMS:
            text = "".join(f"{hexes[alg]}  {name}\n" for name, hexes in self._tags).encode("utf-8")
            tagmanifests[alg] = text
        for alg, text in tagmanifests.items():
            self._zip.writestr(f"{self.root}/tagmanifest-{alg}.txt", text)
        self.finished = True
        return tagmanifests["sha256"]

    def add_untracked(self, name, data):
        """A file at the bag's top outside every manifest: only the signature over the tag manifest,
        which cannot list itself."""
        self._zip.writestr(f"{self.root}/{clean_path(name)}", data)
