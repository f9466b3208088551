"""package.py: reproducible zips (MUST 1, 2), refused paths, all-or-nothing writes, incremental skips."""

from __future__ import annotations

import os
import signal
import stat
import zipfile
from io import BytesIO
from pathlib import Path

import pytest

from ece_scorm.pipeline import package
from ece_scorm.pipeline.package import (
    OutputFile,
    PackageError,
    epoch_from_env,
    write_all,
    write_zip,
    zip_bytes,
)

FILES = [
    OutputFile("player/ece-player.js", b"console.log('player');\n" * 50),
    OutputFile("imsmanifest.xml", b'<?xml version="1.0" encoding="UTF-8"?>\n<manifest/>\n'),
    OutputFile("index.html", "<p>Évaluation</p>\n".encode()),
    OutputFile("media/pillars.svg", b"<svg/>"),
]


def entries(data: bytes) -> list[zipfile.ZipInfo]:
    with zipfile.ZipFile(BytesIO(data)) as zf:
        assert zf.testzip() is None
        return zf.infolist()


def test_entries_sorted_deflated_fixed_time_and_mode():
    infos = entries(zip_bytes(FILES))
    assert [i.filename for i in infos] == [
        "imsmanifest.xml",
        "index.html",
        "media/pillars.svg",
        "player/ece-player.js",
    ]
    for info in infos:
        assert info.compress_type == zipfile.ZIP_DEFLATED
        assert info.date_time == (2000, 1, 1, 0, 0, 0)  # the documented default, 2000-01-01T00:00:00Z
        assert stat.S_IMODE(info.external_attr >> 16) == 0o644
        assert stat.S_ISREG(info.external_attr >> 16)
        assert not info.is_dir() and info.flag_bits & 0x1 == 0  # no directories, no encryption (MUST 2)


def test_contents_round_trip_and_manifest_is_a_root_entry():
    data = zip_bytes(FILES)
    with zipfile.ZipFile(BytesIO(data)) as zf:
        for f in FILES:
            assert zf.read(f.path) == f.data
        # MUST 1: exactly "imsmanifest.xml" at the root, no wrapper folder, no "./", no __MACOSX.
        assert "imsmanifest.xml" in zf.namelist()
        assert not any(n.startswith(("/", "./", "__MACOSX")) for n in zf.namelist())


def zipfile_reference(files: list[OutputFile], stamp: tuple[int, ...]) -> bytes:
    """Write the same entries with Python's zipfile, the independent oracle for zip_bytes' own writer."""
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(files, key=lambda f: f.path):
            info = zipfile.ZipInfo(f.path, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = (0o100644) << 16
            zf.writestr(info, f.data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("epoch", "stamp"),
    [
        (946684800, (2000, 1, 1, 0, 0, 0)),
        (1700000001, (2023, 11, 14, 22, 13, 21)),  # an odd second: DOS time keeps two-second steps
        (0, (1980, 1, 1, 0, 0, 0)),  # clamped to the earliest zip time
    ],
)
def test_own_writer_matches_zipfile_byte_for_byte(epoch, stamp):
    odd = [
        *FILES,
        OutputFile("media/é-vidéo.vtt", b"WEBVTT\n"),
        OutputFile("empty.txt", b""),
        OutputFile("media/noise.bin", os.urandom(200_000)),
    ]  # incompressible: deflate grows it
    assert zip_bytes(odd, epoch=epoch) == zipfile_reference(odd, stamp)
    again = zip_bytes(odd, epoch=epoch)  # the second time from the deflate cache
    assert again == zipfile_reference(odd, stamp)
    with zipfile.ZipFile(BytesIO(again)) as zf:
        assert zf.testzip() is None
        assert zf.getinfo("media/é-vidéo.vtt").flag_bits & 0x800  # a UTF-8 name says so


def test_same_input_same_bytes_whatever_the_order():
    assert zip_bytes(FILES) == zip_bytes(list(reversed(FILES)))


def test_epoch_changes_timestamps_and_only_them():
    a = zip_bytes(FILES, epoch=1700000000)  # 2023-11-14T22:13:20Z
    b = zip_bytes(FILES, epoch=1700000000)
    assert a == b
    assert a != zip_bytes(FILES)
    assert {i.date_time for i in entries(a)} == {(2023, 11, 14, 22, 13, 20)}


def test_epoch_before_1980_is_clamped_to_the_zip_minimum():
    assert {i.date_time for i in entries(zip_bytes(FILES, epoch=0))} == {(1980, 1, 1, 0, 0, 0)}


def test_source_date_epoch_from_environment():
    assert epoch_from_env({}) == 946684800
    assert epoch_from_env({"SOURCE_DATE_EPOCH": " 1700000000 "}) == 1700000000
    with pytest.raises(PackageError, match="SOURCE_DATE_EPOCH must be a whole number"):
        epoch_from_env({"SOURCE_DATE_EPOCH": "yesterday"})


@pytest.mark.parametrize(
    "bad",
    [
        "/etc/passwd",
        "../outside.html",
        "a/../../b",
        "media//x.png",
        "./index.html",
        "C:/x.html",
        "media\\x.png",
        "dir/",
        "",
        "__MACOSX/._index.html",
        "media/.DS_Store",
        "bad\x00name",
    ],
)
def test_refuses_unsafe_entry_paths(bad):
    with pytest.raises(PackageError, match="package entry"):
        zip_bytes([OutputFile(bad, b"x")])


@pytest.mark.parametrize("dup", ["index.html", "INDEX.html"])
def test_refuses_duplicate_paths_including_case_clashes(dup):
    with pytest.raises(PackageError, match="duplicate package entry"):
        zip_bytes([OutputFile("index.html", b"a"), OutputFile(dup, b"b")])


def test_write_zip_writes_mode_644_and_skips_unchanged_bytes(tmp_path):
    target = tmp_path / "out" / "ece-introduction-scorm12.zip"
    assert write_zip(target, FILES) is True
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    os.utime(target, (1_000_000_000, 1_000_000_000))
    assert write_zip(target, FILES) is False  # identical bytes: not rewritten
    assert target.stat().st_mtime == 1_000_000_000
    assert write_zip(target, FILES[:2]) is True
    assert target.stat().st_mtime != 1_000_000_000
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]  # no temp or backup left


def _previous_build(folder: Path) -> dict[Path, bytes]:
    old = {folder / f"old-{i}.zip": f"previous {i}".encode() for i in range(3)}
    for path, data in old.items():
        path.write_bytes(data)
    return old


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_failure_on_third_rename_restores_the_previous_build(tmp_path, monkeypatch):
    old = _previous_build(tmp_path)
    before = _snapshot(tmp_path)
    new = {path: b"new " + data for path, data in old.items()}
    new[tmp_path / "brand-new.zip"] = b"fresh"
    real_replace = os.replace
    calls = []

    def flaky_replace(src, dst):
        calls.append((src, dst))
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(package.os, "replace", flaky_replace)
    with pytest.raises(PackageError, match="No space left on device.*previous output was left unchanged"):
        write_all(new)
    assert len(calls) > 3  # the two committed renames were undone
    assert _snapshot(tmp_path) == before  # same files, same bytes, no temporaries


def test_interrupt_while_writing_temporaries_leaves_folder_untouched(tmp_path, monkeypatch):
    old = _previous_build(tmp_path)
    before = _snapshot(tmp_path)
    real_fsync = os.fsync
    count = []

    def interrupted_fsync(fd):
        count.append(fd)
        if len(count) == 2:
            raise KeyboardInterrupt
        return real_fsync(fd)

    monkeypatch.setattr(package.os, "fsync", interrupted_fsync)
    with pytest.raises(KeyboardInterrupt):
        write_all({path: b"changed" for path in old})
    assert _snapshot(tmp_path) == before


def test_write_all_reports_written_and_unchanged(tmp_path):
    same = tmp_path / "same.zip"
    same.write_bytes(b"same")
    changed = tmp_path / "changed.zip"
    changed.write_bytes(b"before")
    status = write_all({same: b"same", changed: b"after", tmp_path / "sub" / "new.zip": b"new"})
    assert status == {same: False, changed: True, tmp_path / "sub" / "new.zip": True}
    assert changed.read_bytes() == b"after" and (tmp_path / "sub" / "new.zip").read_bytes() == b"new"


def test_zip_is_readable_by_a_plain_unzip_listing(tmp_path):
    target = tmp_path / "p.zip"
    write_zip(target, FILES)
    with zipfile.ZipFile(target) as zf:
        assert zf.namelist()[0] == "imsmanifest.xml"
        assert all("\\" not in n for n in zf.namelist())


def test_sigterm_during_write_rolls_back(tmp_path, monkeypatch):
    old = _previous_build(tmp_path)
    before = _snapshot(tmp_path)
    real_replace = os.replace
    calls = []

    def killed_after_first_rename(src, dst):
        calls.append(dst)
        result = real_replace(src, dst)
        if len(calls) == 1:
            os.kill(os.getpid(), signal.SIGTERM)  # e.g. a CI job cancelled mid-build
        return result

    monkeypatch.setattr(package.os, "replace", killed_after_first_rename)
    with pytest.raises(KeyboardInterrupt):
        write_all({path: b"changed" for path in old})
    assert _snapshot(tmp_path) == before
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL  # handler restored


def test_stale_temporaries_of_a_killed_build_are_removed(tmp_path):
    target = tmp_path / "ece-x-scorm12.zip"
    stale = [tmp_path / ".ece-x-scorm12.zip.abc123.tmp", tmp_path / ".ece-x-scorm12.zip.def456.bak"]
    for path in stale:
        path.write_bytes(b"half")
    unrelated = tmp_path / ".other.zip.abc.tmp"
    unrelated.write_bytes(b"not ours")
    write_zip(target, FILES)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([target.name, unrelated.name])
