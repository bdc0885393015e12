"""The package's index page (``data/index.html``): what a person opening the zip reads first, in
the exporter's language: the school, the scope, who exported it and when, how long it is kept, the
latest audit anchor and the key fingerprint (the values an inspector copies onto paper), then every
file with its size and SHA-256. It is written last among the payload files, row by row, from the
manifest the bag has already written, so it lists them without holding them in memory; it cannot
list itself."""
from html import escape

from ..core.i18n import N_, gettext

PATH = "index.html"  # under data/

HEAD = (
    ("Source-Organization", N_("School")),
    ("External-Description", N_("Scope")),
    ("Contact-Name", N_("Exported by")),
    ("Exported-At", N_("Exported at (UTC)")),
    ("Retention-Class", N_("Retention")),
    ("Audit-Anchor", N_("Latest audit anchor")),
    ("Signing-Key-Fingerprint", N_("Signing key fingerprint (SHA-256)")),
    ("Bag-Software-Agent", N_("Software")),
)
HOW_TO_CHECK = N_("Check this package with verify_archive, or with bagit.py, sha256sum and openssl: the "
                  "manifests list every file, and signature.ed25519 signs tagmanifest-sha256.txt.")


def page(info, listing):
    """HTML chunks of the page; ``info``: bag-info (label, value) pairs; ``listing``: (path, size,
    sha256) of the payload files."""
    values = dict(info)
    title = escape(gettext("Archive package"))
    yield (f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{title}</title></head><body>\n'
           f"<h1>{title}</h1>\n<table>\n")
    for label, caption in HEAD:
        yield f"<tr><th>{escape(gettext(caption))}</th><td>{escape(str(values.get(label, '')))}</td></tr>\n"
    yield (f"</table>\n<p>{escape(gettext(HOW_TO_CHECK))}</p>\n"
           f"<table>\n<tr><th>{escape(gettext('File'))}</th><th>{escape(gettext('Size (bytes)'))}</th>"
           f"<th>SHA-256</th></tr>\n")
    for path, size, digest in listing:
        yield f"<tr><td>{escape(path)}</td><td>{size}</td><td><code>{digest}</code></td></tr>\n"
    yield "</table>\n</body></html>\n"
