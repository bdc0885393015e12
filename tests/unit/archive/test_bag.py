"""The archive's bag writer: a package made from generated files is a BagIt 1.0 bag that the
``bagit`` library alone accepts, that ``archive.verify`` accepts, and that is written with memory
bounded whatever the size of the payload."""
import datetime as dt
import io
import tracemalloc
import zipfile
from types import SimpleNamespace

import bagit
import pytest

from vn_online_teaching.archive import bag, package, settings as archive_settings, signing, verify
from vn_online_teaching.core import audit


def chain(n, first=1, prev=audit.GENESIS):
    """``n`` audit entries linked by the core's own hash, as the database would hold them."""
    entries = []
    for seq in range(first, first + n):
        entry = SimpleNamespace(seq=seq, at=dt.datetime(2026, 3, 2, 7, 30, seq % 60, 1234, tzinfo=dt.timezone.utc),
                                actor_key="gv-lan", actor_name="Nguyễn Thị Lan", actor_role="teacher",
                                action="attendance.mark", object_type="mark", object_id=str(seq), org="THPTNamLoi",
                                course_key="course-v1:THPTNamLoi+TOAN10+2025_HK2", data={"trạng_thái": "có mặt"},
                                prev_hash=prev)
        entry.hash = audit.entry_hash(entry)
        prev = entry.hash
        entries.append(entry)
    return entries


@pytest.fixture
def key():
    return signing.load_private_key(signing.new_private_pem().decode("ascii"))


def write(target, key, files, entries=()):
    return package.write(target, "luu-tru-2025", key=key, school="THPT Nam Lợi", scope="Năm học 2025-2026",
                         exported_by="Trần Văn Hùng (hiệu trưởng)", retention_class="assessment: permanent",
                         files=files, audit_entries=iter(entries),
                         exported_at=dt.datetime(2026, 6, 1, 3, 0, tzinfo=dt.timezone.utc))


def generated_files():
    yield "diem/lớp 10A1.csv", (f"{i},Học sinh {i},{i % 11}\n" for i in range(500))
    yield "hoc-lieu/bai-giang.bin", bytes(range(256)) * 100
    yield "trong.txt", b""
    yield "ke-hoach/tuan 1.txt", io.BytesIO("Kế hoạch dạy học tuần 1\n".encode("utf-8"))


def test_bag_validates_with_bagit_alone_and_with_verify(tmp_path, key):
    target = tmp_path / "luu-tru-2025.zip"
    written = write(target, key, generated_files(), chain(7, first=4, prev="a" * 64))
    with zipfile.ZipFile(target) as archive:
        assert {name.split("/", 1)[0] for name in archive.namelist()} == {"luu-tru-2025"}
        archive.extractall(tmp_path / "out")
    unpacked = bagit.Bag(str(tmp_path / "out" / "luu-tru-2025"))
    unpacked.validate()  # raises BagValidationError on any fixity or completeness problem
    assert set(unpacked.algorithms) == {"sha256", "sha512"}
    assert unpacked.info["Source-Organization"] == "THPT Nam Lợi"
    assert unpacked.info["Audit-Anchor"] == written.anchor == f"10:{chain(7, 4, 'a' * 64)[-1].hash[:20]}"
    assert unpacked.info["Signing-Key-Fingerprint"] == written.fingerprint == signing.fingerprint(key)
    assert unpacked.info["Payload-Oxum"] == f"{written.payload_bytes}.6"
    report = verify.verify(target)
    assert (report.status, report.problems, report.audit_entries) == (verify.VALID, [], 7)


def test_the_index_page_shows_the_anchor_and_lists_every_file(tmp_path, key):
    target = tmp_path / "p.zip"
    files = [("a<b>.txt", b"x"), ("diem/10A1.csv", iter(["An,8\n"]))]
    written = write(target, key, files, chain(3))
    with zipfile.ZipFile(target) as archive:
        page = archive.read("luu-tru-2025/data/index.html").decode("utf-8")
        manifest = archive.read("luu-tru-2025/manifest-sha256.txt").decode("utf-8")
    assert written.anchor in page and written.fingerprint in page and "THPT Nam Lợi" in page
    assert "a&lt;b&gt;.txt" in page and "<b>" not in page
    for line in manifest.splitlines():
        digest, path = line.split("  ")
        if path != "data/index.html":
            assert f"<td>{path.replace('<', '&lt;').replace('>', '&gt;')}</td>" in page and digest in page


def test_signature_covers_the_tag_manifest(tmp_path, key):
    target = tmp_path / "p.zip"
    write(target, key, generated_files())
    with zipfile.ZipFile(target) as archive:
        signed = archive.read("luu-tru-2025/tagmanifest-sha256.txt")
        signature = archive.read("luu-tru-2025/signature.ed25519")
        public = signing.load_public_pem(archive.read("luu-tru-2025/public.pem"))
        tagged = signed.decode("utf-8")
    assert len(signature) == 64 and signing.signature_holds(public, signature, signed)
    assert not signing.signature_holds(public, signature, signed + b"\n")
    for name in ("bag-info.txt", "manifest-sha256.txt", "manifest-sha512.txt", "public.pem", "bagit.txt"):
        assert f"  {name}\n" in tagged


def test_building_from_200_mb_of_rows_keeps_memory_bounded(tmp_path, key):
    """Rows are hashed and compressed as they come: the Python heap never holds more than a few
    chunks, whatever the size of the school's records."""
    row_block = "".join(f"{i},Nguyễn Văn An,10A{i % 9},có mặt,2026-03-{i % 28 + 1:02d}\n" for i in range(1000))
    total = 200 * 1024 * 1024
    blocks = total // len(row_block.encode("utf-8")) + 1

    def rows():
        for _ in range(blocks):
            yield row_block

    tracemalloc.start()
    try:
        written = write(tmp_path / "big.zip", key, [("diem-danh.csv", rows())])
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert written.payload_bytes > total
    assert peak < 8 * 1024 * 1024, peak


@pytest.mark.parametrize("path", ["../x", "/etc/passwd", "a//b", "a/./b", "a\nb", "50%.csv", "", "a\\b"])
def test_unsafe_paths_are_refused(tmp_path, path):
    with bag.BagWriter(tmp_path / "p.zip", "b") as writer, pytest.raises(bag.BagError):
        writer.add_file(path, b"x")


def test_a_path_is_never_written_twice(tmp_path):
    with bag.BagWriter(tmp_path / "p.zip", "b") as writer:
        writer.add_file("a.txt", b"1")
        with pytest.raises(bag.BagError):
            writer.add_file("a.txt", b"2")


def test_safe_part_makes_any_name_usable():
    assert bag.safe_part("Đạt 50%/100.pdf") == "Đạt 50__100.pdf"
    assert bag.safe_part("..") == "_"
    assert bag.clean_path("hoc-lieu/" + bag.safe_part("a\tb%")) == "hoc-lieu/a_b_"


def test_payload_entries_are_zip64(tmp_path, key):
    """Sizes are unknown when a stream starts, so payload entries carry ZIP64 fields from the start:
    a file over 4 GB does not fail half-way."""
    target = tmp_path / "p.zip"
    write(target, key, [("a.csv", iter(["x\n"]))])
    with zipfile.ZipFile(target) as archive:
        info = archive.getinfo("luu-tru-2025/data/a.csv")
    assert info.extract_version >= zipfile.ZIP64_VERSION


def test_key_from_pem_text_or_path(tmp_path, settings):
    path = tmp_path / "archive.pem"
    made = signing.write_new_key(str(path))
    assert path.stat().st_mode & 0o777 == 0o600
    assert signing.fingerprint(signing.load_private_key(str(path))) == signing.fingerprint(made)
    settings.VN_ONLINE_TEACHING = {"ARCHIVE_SIGNING_KEY": path.read_text()}
    assert signing.fingerprint(signing.load_private_key()) == signing.fingerprint(made)
    with pytest.raises(FileExistsError):
        signing.write_new_key(str(path))


NOT_A_KEY = "-----BEGIN PRIVATE KEY-----\nxx\n-----END PRIVATE KEY-----\n"


@pytest.mark.parametrize("value", ["", "/no/such/key.pem", NOT_A_KEY])
def test_a_missing_or_bad_key_is_an_operator_error(value):
    with pytest.raises(signing.SigningKeyError):
        signing.load_private_key(value)


def test_a_public_key_is_not_a_signing_key(key):
    with pytest.raises(signing.SigningKeyError):
        signing.load_private_key(signing.public_pem(key).decode("ascii"))


def test_retention_defaults_keep_everything_until_the_school_sets_a_period(settings):
    settings.VN_ONLINE_TEACHING = {}
    assert {kind: archive_settings.retention(kind) for kind in archive_settings.RECORD_TYPES} == dict.fromkeys(
        archive_settings.RECORD_TYPES, "permanent")
    settings.VN_ONLINE_TEACHING = {"ARCHIVE_RETENTION": {"teaching_process": 10},
                                   "ORGS": {"THPTNamLoi": {"ARCHIVE_RETENTION": {"assessment": 20}}}}
    assert archive_settings.retention("teaching_process") == 10
    assert archive_settings.retention("assessment", "THPTNamLoi") == 20
    assert archive_settings.retention("materials", "THPTNamLoi") == "permanent"
    with pytest.raises(KeyError):
        archive_settings.retention("photos")
