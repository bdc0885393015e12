"""A file written by a library into a temporary file, then handed on in chunks.

The XLSX writer's zip and the PDF library write a whole file at the end; writing it to a temporary
file (not to memory) and reading it back in chunks keeps a large table off the heap."""
import os
import tempfile

CHUNK = 1024 * 1024


def read_back(path, remove=True):
    """Bytes chunks of the file at ``path``; it is removed once read (or when the reader stops)."""
    try:
        with open(path, "rb") as handle:
            while True:
                block = handle.read(CHUNK)
                if not block:
                    return
                yield block
    finally:
        if remove:
            discard(path)


def discard(path):
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def temporary_path(suffix):
    """A fresh temporary file's path (closed, so that a library can open it by name on any OS)."""
    handle, path = tempfile.mkstemp(suffix=suffix, prefix="vnot-archive-")
    os.close(handle)
    return path
