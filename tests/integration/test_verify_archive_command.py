"""``verify_archive PACKAGE`` on packages built from the real audit chain: a valid package exits 0;
any byte changed in a data file, a manifest, bag-info, the signature or an audit row exits 1 with
the reason in Vietnamese; a file that is not a zip, or no file, exits 2. The same packages pass the
standard tools an inspector uses (docs/archive-verification.md)."""
import shutil
import struct
import subprocess
import warnings
import zipfile
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from vn_online_teaching.archive import package, signing, verify
from vn_online_teaching.core import audit
from vn_online_teaching.core.models import AuditEntry

pytestmark = pytest.mark.django_db
ROOT = "ho-so-2025"


@pytest.fixture
def key():
    return signing.load_private_key(signing.new_private_pem().decode("ascii"))


@pytest.fixture
def chain():
    for i in range(1, 9):
        with transaction.atomic():
            audit.append("assessment.score", object_type="score", object_id=f"hs-{i}", actor_role="teacher",
                         org="THPTNamLoi", data={"điểm": i, "ghi_chú": "Bài kiểm tra giữa kỳ"})
    return list(AuditEntry.objects.order_by("seq"))


def build(path, key, entries):
    files = [("diem/10A1.csv", iter(["hoc_sinh,diem\n", "An,8\n", "Bình,9\n"])),
             ("hoc-lieu/bai-1.txt", "Bài giảng hàm số bậc hai\n".encode("utf-8"))]
    return package.write(path, ROOT, key=key, school="THPT Nam Lợi", scope="Học kỳ 2, năm học 2025-2026",
                         exported_by="Trần Văn Hùng", retention_class="assessment: permanent", files=files,
                         audit_entries=iter(entries))


@pytest.fixture
def good(tmp_path, key, chain):
    path = tmp_path / f"{ROOT}.zip"
    build(path, key, chain[2:])  # a segment from the middle of the chain to its head
    return path


def rewrite(source, target, name, change):
    """Copy the package, changing the bytes of one member as someone who opened the zip would."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            new.writestr(info.filename, change(data) if info.filename == f"{ROOT}/{name}" else data)
    return target


def flip_last_hex(data):
    text = data.decode("utf-8")
    at = text.index("  ") - 1
    return (text[:at] + ("0" if text[at] != "0" else "1") + text[at + 1:]).encode("utf-8")


def run(*args):
    with translation.override("vi"):
        out = StringIO()
        call_command("verify_archive", *map(str, args), stdout=out)
        return out.getvalue()


def failure(*args):
    with translation.override("vi"), pytest.raises(CommandError) as raised:
        call_command("verify_archive", *map(str, args), stdout=StringIO())
    return raised.value


def vi(message, **values):
    with translation.override("vi"):
        return gettext(message).format(**values)


def test_a_valid_package_exits_0(good, key):
    out = run(good, "--fingerprint", signing.fingerprint(key))
    assert vi("The package is valid: {files} files checked, signed by the key {fingerprint}.",
              files=9, fingerprint=signing.fingerprint(key)) in out
    assert vi("Audit segment intact: {count} entries up to the anchor {anchor}.", count=6,
              anchor=audit.anchor()) in out


def test_the_latest_anchor_is_printed_in_bag_info(good):
    with zipfile.ZipFile(good) as archive:
        info = archive.read(f"{ROOT}/bag-info.txt").decode("utf-8")
    assert f"Audit-Anchor: {audit.anchor()}\n" in info


CHANGES = {
    "data file": ("data/diem/10A1.csv", lambda d: d.replace(b"An,8", b"An,9"),
                  "The file {name} has changed: its checksum does not match {manifest}.",
                  {"name": "data/diem/10A1.csv", "manifest": "manifest-sha256.txt"}),
    "manifest": ("manifest-sha512.txt", flip_last_hex,
                 "The file {name} has changed: its checksum does not match {manifest}.",
                 {"name": "manifest-sha512.txt", "manifest": "tagmanifest-sha256.txt"}),
    "bag-info": ("bag-info.txt", lambda d: d.replace("Trần Văn Hùng".encode(), "Lê Văn Tám".encode()),
                 "The file {name} has changed: its checksum does not match {manifest}.",
                 {"name": "bag-info.txt", "manifest": "tagmanifest-sha256.txt"}),
    "signature": ("signature.ed25519", lambda d: bytes([d[0] ^ 1]) + d[1:],
                  "The signature does not match tagmanifest-sha256.txt: the package was changed after it was "
                  "signed.", {}),
    "audit row": ("data/audit/segment.jsonl",
                  lambda d: d.replace('"điểm":5'.encode("utf-8"), '"điểm":10'.encode("utf-8")),
                  "The file {name} has changed: its checksum does not match {manifest}.",
                  {"name": "data/audit/segment.jsonl", "manifest": "manifest-sha256.txt"}),
}


@pytest.mark.parametrize("case", sorted(CHANGES))
def test_any_changed_byte_exits_1_with_the_reason(good, tmp_path, case):
    name, change, message, values = CHANGES[case]
    with zipfile.ZipFile(good) as archive:
        assert change(archive.read(f"{ROOT}/{name}")) != archive.read(f"{ROOT}/{name}")
    error = failure(rewrite(good, tmp_path / "changed.zip", name, change))
    assert error.returncode == 1
    assert vi("The package is NOT valid:") in str(error)
    assert vi(message, **values) in str(error)


def edited(entries, seq, **changes):
    """Entries as a database edited behind the model's back would give them (hashes left alone)."""
    return [SimpleNamespace(**{**vars(e), **changes}) if e.seq == seq else e for e in entries]


def test_an_audit_row_changed_before_export_exits_1_even_with_a_good_signature(tmp_path, key, chain):
    """Whoever holds the signing key re-signs a package made from a changed database: the fixity and
    the signature hold, the chain does not."""
    plain = [SimpleNamespace(**{f: getattr(e, f) for f in ("seq", "at", "actor_key", "actor_name", "actor_role",
                                                           "action", "object_type", "object_id", "org",
                                                           "course_key", "data", "prev_hash", "hash",
                                                           "version")})
             for e in chain]
    build(tmp_path / "a.zip", key, edited(plain, 5, data={"điểm": 10}))
    error = failure(tmp_path / "a.zip")
    assert error.returncode == 1
    assert vi("Audit segment, entry {seq}: the content does not match its hash.", seq=5) in str(error)
    build(tmp_path / "b.zip", key, [e for e in plain if e.seq != 6])
    assert vi("Audit segment, entry {seq}: an entry is missing.", seq=6) in str(failure(tmp_path / "b.zip"))
    build(tmp_path / "c.zip", key, plain[:-1])
    assert verify.verify(tmp_path / "c.zip").status == verify.VALID  # an older export is still valid
    assert vi("Audit segment, entry {seq}: it differs from the anchor kept outside the database.", seq=8) in str(
        failure(tmp_path / "c.zip", "--anchor", audit.anchor()))


def test_another_key_than_the_published_one_exits_1(good):
    other = signing.fingerprint(signing.load_private_key(signing.new_private_pem().decode("ascii")))
    error = failure(good, "--fingerprint", other)
    assert error.returncode == 1 and other in str(error)


def test_a_missing_file_exits_1(good, tmp_path):
    target = tmp_path / "less.zip"
    with zipfile.ZipFile(good) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            if not info.filename.endswith("hoc-lieu/bai-1.txt"):
                new.writestr(info, old.read(info))
    error = failure(target)
    assert error.returncode == 1
    assert vi("{manifest} lists {name}, which is not in the package.", manifest="manifest-sha256.txt",
              name="data/hoc-lieu/bai-1.txt") in str(error)


def test_a_damaged_member_exits_1(good, tmp_path):
    """Bytes changed inside the zip itself (a failing disk, a bad copy), not through a zip tool."""
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as archive:
        member = archive.getinfo(f"{ROOT}/data/audit/segment.jsonl")
    name_length, extra_length = struct.unpack_from("<HH", data, member.header_offset + 26)  # local header
    start = member.header_offset + 30 + name_length + extra_length
    data[start + member.compress_size // 2] ^= 0x55
    (tmp_path / "damaged.zip").write_bytes(bytes(data))
    error = failure(tmp_path / "damaged.zip")
    assert error.returncode == 1
    assert vi("The file {name} is damaged.", name="data/audit/segment.jsonl") in str(error)


def test_a_file_twice_in_the_zip_exits_1(good, tmp_path):
    target = tmp_path / "twice.zip"
    shutil.copy(good, target)
    with warnings.catch_warnings(), zipfile.ZipFile(target, "a") as archive:
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate it is asked to write
        archive.writestr(f"{ROOT}/data/diem/10A1.csv", "hoc_sinh,diem\nAn,10\n")
    error = failure(target)
    assert error.returncode == 1
    assert vi("The file {name} appears more than once in the package.", name="data/diem/10A1.csv") in str(error)


def test_not_a_zip_or_no_file_exits_2(tmp_path):
    (tmp_path / "x.zip").write_bytes(b"not a zip at all")
    error = failure(tmp_path / "x.zip")
    assert error.returncode == 2 and vi("The package is not a zip file.") in str(error)
    assert failure(tmp_path / "none.zip").returncode == 2


def test_create_archive_key_never_overwrites(tmp_path):
    path = tmp_path / "k.pem"
    out = StringIO()
    call_command("create_archive_key", str(path), stdout=out)
    assert signing.fingerprint(signing.load_private_key(str(path))) in out.getvalue()
    with pytest.raises(CommandError) as raised:
        call_command("create_archive_key", str(path), stdout=StringIO())
    assert raised.value.returncode == 1


@pytest.mark.skipif(shutil.which("openssl") is None or shutil.which("sha256sum") is None,
                    reason="needs the openssl and sha256sum commands")
def test_standard_tools_check_the_package(good, tmp_path):
    """The steps of docs/archive-verification.md, run as written."""
    with zipfile.ZipFile(good) as archive:
        archive.extractall(tmp_path)
    folder = tmp_path / ROOT
    for command in (["sha256sum", "-c", "tagmanifest-sha256.txt"], ["sha256sum", "-c", "manifest-sha256.txt"],
                    ["sha512sum", "-c", "manifest-sha512.txt"],
                    ["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "public.pem", "-rawin", "-in",
                     "tagmanifest-sha256.txt", "-sigfile", "signature.ed25519"]):
        done = subprocess.run(command, cwd=folder, capture_output=True, text=True)
        assert done.returncode == 0, (command, done.stdout, done.stderr)
    fingerprint = subprocess.run("openssl pkey -pubin -in public.pem -outform DER | tail -c 32 | sha256sum",
                                 shell=True, cwd=folder, capture_output=True, text=True, check=True).stdout.split()[0]
    assert f"Signing-Key-Fingerprint: {fingerprint}\n" in (folder / "bag-info.txt").read_text(encoding="utf-8")
    (folder / "tagmanifest-sha256.txt").write_text("changed\n")
    done = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "public.pem", "-rawin", "-in",
                           "tagmanifest-sha256.txt", "-sigfile", "signature.ed25519"], cwd=folder,
                          capture_output=True, text=True)
    assert done.returncode != 0


def test_a_malformed_anchor_is_refused_before_the_package_is_read(good):
    """The same reading of --anchor as verify_audit (management/anchors.py): exit 2, in Vietnamese."""
    refused = failure(good, "--anchor", "3:0123")
    assert refused.returncode == 2
    assert str(refused) == vi("Not an anchor (SEQ:HASH, at least 16 hex digits): {value}", value="3:0123")


@pytest.fixture
def shared(key):
    """A server two schools share: their entries interleave in the one chain."""
    for i in range(1, 7):
        org, name = ("THPTNamLoi", "Nguyễn Thị Lan") if i % 2 else ("THCSHoaBinh", "Lê Văn Bảo")
        with transaction.atomic():
            audit.append("assessment.score", object_type="score", object_id=f"hs-{i}", actor_role="teacher",
                         actor=SimpleNamespace(user_key=f"gv-{i}", display_name=name), org=org,
                         data={"điểm": i, "học_sinh": f"{org}-hs-{i}"})
    return list(AuditEntry.objects.order_by("seq"))


def build_for(path, key, entries, org="THPTNamLoi"):
    return package.write(path, ROOT, key=key, school="THPT Nam Lợi", scope="Học kỳ 2", exported_by="Trần Văn Hùng",
                         retention_class="assessment: permanent", files=[("a.txt", b"a\n")],
                         audit_entries=iter(entries), org=org)


def test_another_schools_entries_are_withheld_and_the_chain_still_verifies(tmp_path, key, shared):
    build_for(tmp_path / "p.zip", key, shared)
    with zipfile.ZipFile(tmp_path / "p.zip") as z:
        text = z.read(f"{ROOT}/data/audit/segment.jsonl").decode("utf-8")
        info = z.read(f"{ROOT}/bag-info.txt").decode("utf-8")
    assert "THCSHoaBinh" not in text and "Lê Văn Bảo" not in text  # nothing the other school wrote
    assert "Nguyễn Thị Lan" in text and text.count('"withheld":true') == 3
    assert "Audit-Segment-Withheld: 3\n" in info
    assert verify.verify(tmp_path / "p.zip").status == verify.VALID
    assert vi("Audit segment intact: {count} entries up to the anchor {anchor}.", count=6,
              anchor=audit.anchor()) in run(tmp_path / "p.zip", "--anchor", audit.anchor())


def test_a_withheld_entry_still_binds_its_neighbours(tmp_path, key, shared):
    """Someone with database access changes this school's entry 3 and rewrites the link of the
    other school's entry 4 to it, leaving entry 4's hash alone (the package cannot recompute a
    withheld entry from its content): the hash of a withheld entry covers its link, so it fails."""
    forged = edited(shared, 3, data={"điểm": 10, "học_sinh": "THPTNamLoi-hs-3"})
    changed = forged[2]
    changed.hash = audit.entry_hash(changed)
    forged = edited(forged, 4, prev_hash=changed.hash)
    build_for(tmp_path / "f.zip", key, forged)
    error = failure(tmp_path / "f.zip")
    assert error.returncode == 1
    assert vi("Audit segment, entry {seq}: the content does not match its hash.", seq=4) in str(error)
    other = edited(shared, 4, org="THCSHoaBinh", data={"điểm": 0})  # the other school's entry changed
    build_for(tmp_path / "g.zip", key, other)
    assert vi("Audit segment, entry {seq}: the content does not match its hash.", seq=4) in str(
        failure(tmp_path / "g.zip"))
