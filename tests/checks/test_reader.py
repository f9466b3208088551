"""The safe zip reader: limits, refusals and decoding, each a finding and never an exception or a hang."""

from __future__ import annotations

import time
import zipfile

from ece_scorm.checks.reader import Package, decode_text, parse_xml, read_package
from tests.support.bad_packages import BILLION_LAUGHS, zip_of


def _write(tmp_path, files, name="p.zip", **kw):
    path = tmp_path / name
    path.write_bytes(zip_of(files, **kw))
    return path


def test_reads_entries_exactly(tmp_path):
    pkg = read_package(_write(tmp_path, {"a.txt": b"alpha", "dir/b.bin": bytes(range(256))}))
    assert pkg.readable and pkg.issues == []
    assert pkg.data("a.txt") == b"alpha" and pkg.data("dir/b.bin") == bytes(range(256))


def test_entry_limit_refuses_before_reading(tmp_path):
    path = _write(tmp_path, {f"f{i}": b"x" for i in range(6)})
    pkg = read_package(path, max_entries=5)
    assert not pkg.readable and pkg.entries == {}
    assert "6 entries, more than the 5" in pkg.issues[0].message
    assert read_package(path, max_entries=6).readable


def test_ratio_limit_skips_bombs_but_reads_ordinary_text(tmp_path):
    zeros = b"\0" * (2 * 1024 * 1024)  # compresses about 1000:1
    path = _write(tmp_path, {"bomb.bin": zeros, "page.html": b"<p>hello</p>" * 10})
    pkg = read_package(path)
    assert pkg.data("bomb.bin") is None and pkg.data("page.html") == b"<p>hello</p>" * 10
    assert [i.location.file for i in pkg.issues] == ["bomb.bin"] and "zip bomb" in pkg.issues[0].message
    assert read_package(path, max_ratio=10_000).data("bomb.bin") == zeros


def test_size_limits_per_entry_and_in_total(tmp_path):
    path = _write(
        tmp_path, {"a": b"1" * 3000, "b": b"2" * 3000, "c": b"3" * 3000}, compress=zipfile.ZIP_STORED
    )
    one = read_package(path, max_entry_bytes=2000)
    assert all(one.data(n) is None for n in "abc") and len(one.issues) == 3
    total = read_package(path, max_total_bytes=5000)
    assert total.data("a") == b"1" * 3000
    assert any("expands beyond 5,000 bytes" in i.message for i in total.issues)


def test_header_that_understates_size_is_caught(tmp_path):
    path = _write(tmp_path, {"a.txt": b"A" * 5000}, compress=zipfile.ZIP_STORED)
    raw = bytearray(path.read_bytes())
    # Rewrite the central directory's uncompressed size (offset 24 in the record) to 100 bytes.
    cd = raw.rfind(b"PK\x01\x02")
    raw[cd + 24 : cd + 28] = (100).to_bytes(4, "little")
    path.write_bytes(bytes(raw))
    pkg = read_package(path)
    assert pkg.data("a.txt") is None and pkg.issues and pkg.issues[0].level == "error"


def test_billion_laughs_is_refused_fast():
    pkg = Package(path=None)  # type: ignore[arg-type]
    from ece_scorm.checks.reader import Entry

    pkg.entries["m.xml"] = Entry("m.xml", len(BILLION_LAUGHS), 0, BILLION_LAUGHS)
    started = time.perf_counter()
    assert parse_xml(pkg, "m.xml", "MUST 5") is None
    assert time.perf_counter() - started < 1
    assert "declares entities" in pkg.issues[0].message and pkg.issues[0].location.line == 2


def test_decode_reports_position_of_bad_byte():
    pkg = Package(path=None)  # type: ignore[arg-type]
    assert decode_text(pkg, "f.txt", "ligne 1\nligne 2 \xe9t\xe9".encode("latin-1")) is None
    issue = pkg.issues[0]
    assert (issue.location.line, issue.location.col) == (2, 9)
    assert "not valid UTF-8 (byte 0xe9)" in issue.message
    assert decode_text(pkg, "g.txt", "\ufeffété".encode()) == "été"


def test_entry_count_is_read_from_the_end_record_before_parsing(tmp_path):
    # An end-of-central-directory record claiming 50,000 entries, and nothing else worth parsing.
    count = (50_000).to_bytes(2, "little")
    eocd = b"PK\x05\x06" + b"\0" * 6 + count + count + b"\0" * 10
    path = tmp_path / "claims.zip"
    path.write_bytes(b"junk" * 10 + eocd)
    pkg = read_package(path)
    assert not pkg.readable and "50,000 entries" in pkg.issues[0].message
