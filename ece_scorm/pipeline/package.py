"""The only writer: reproducible zips, written atomically."""

from __future__ import annotations

import contextlib
import glob
import hashlib
import io
import os
import re
import shutil
import signal
import struct
import tempfile
import threading
import time
import zipfile
import zlib
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from ece_scorm.errors import EceError

DEFAULT_EPOCH = 946684800  # 2000-01-01T00:00:00Z: a fixed time, so builds are byte-reproducible by default
_ZIP_MIN = 315532800  # 1980-01-01T00:00:00Z, the earliest time a zip entry can hold
_ZIP_MAX = 4354819198  # 2107-12-31T23:59:58Z, the latest
FILE_MODE = 0o644
_BAD_CHARS = re.compile(r"[\x00-\x1f\x7f\\]")


@dataclass(frozen=True)
class OutputFile:
    """One file of a package: its path inside the zip (forward slashes, relative) and its bytes."""

    path: str
    data: bytes


class PackageError(EceError):
    """A package cannot be written (bad entry path, duplicate, I/O failure)."""


def epoch_from_env(environ: Mapping[str, str] | None = None) -> int:
    """Return SOURCE_DATE_EPOCH (https://reproducible-builds.org/specs/source-date-epoch/) or the default."""
    value = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return DEFAULT_EPOCH
    if not value.isdigit():
        raise PackageError(f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, got {value!r}")
    return int(value)


def check_entry_path(path: str) -> None:
    """Refuse an entry name a zip reader or an LMS could misplace (MUST 1, 2: forward-slash, relative)."""
    if not isinstance(path, str) or not path:
        raise PackageError(f"package entry has an empty or non-text path: {path!r}")
    if _BAD_CHARS.search(path):
        raise PackageError(f"package entry {path!r} contains a backslash or a control character")
    if path.startswith("/") or re.match(r"^[A-Za-z]:", path):
        raise PackageError(f"package entry {path!r} is absolute; entries must be relative paths")
    parts = path.split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise PackageError(f"package entry {path!r} has an empty, '.' or '..' segment")
    if parts[0] == "__MACOSX" or parts[-1] == ".DS_Store":
        raise PackageError(f"package entry {path!r} is operating-system clutter, not course content")


def check_entries(files: Iterable[OutputFile]) -> list[OutputFile]:
    """Return the files sorted by path after refusing bad and duplicate paths."""
    seen: dict[str, str] = {}
    result = []
    for f in files:
        check_entry_path(f.path)
        # Case-insensitive clashes extract to one file on Windows/macOS and break exact-case lookups (MUST 3).
        key = f.path.casefold()
        if key in seen:
            raise PackageError(f"duplicate package entry {f.path!r} (clashes with {seen[key]!r})")
        seen[key] = f.path
        result.append(f)
    return sorted(result, key=lambda f: f.path)


def zip_bytes(files: Iterable[OutputFile], *, epoch: int = DEFAULT_EPOCH) -> bytes:
    """Return a reproducible zip: sorted entries, fixed time and mode, deflate, no directory entries."""
    stamp = time.gmtime(min(max(epoch, _ZIP_MIN), _ZIP_MAX))[:6]
    entries = check_entries(files)
    if len(entries) >= _ZIP16_LIMIT or sum(len(f.data) + 300 for f in entries) * 1.05 >= _ZIP32_LIMIT:
        return _zip_bytes_zip64(entries, stamp)  # rare: let zipfile add its ZIP64 records
    dostime = stamp[3] << 11 | stamp[4] << 5 | stamp[5] // 2
    dosdate = (stamp[0] - 1980) << 9 | stamp[1] << 5 | stamp[2]
    external = (0o100000 | FILE_MODE) << 16
    body: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for f in entries:
        name, flags = _encode_name(f.path)
        crc, packed = _deflate(f.data)
        # Version needed 2.0 (deflate), flags, method, DOS time and date, CRC, sizes, name length.
        fields = (
            20,
            0,
            flags,
            zipfile.ZIP_DEFLATED,
            dostime,
            dosdate,
            crc,
            len(packed),
            len(f.data),
            len(name),
        )
        body += [struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", *fields, 0), name, packed]
        # Made by version 2.0 on Unix (3), so external_attr carries the mode whatever OS builds.
        head = struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", 20, 3, *fields, 0, 0, 0, 0, external, offset)
        central += [head, name]
        offset += 30 + len(name) + len(packed)
    directory = b"".join(central)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(directory), offset, 0)
    return b"".join(body) + directory + end


# The zip is written field by field, so that identical files (the player, the theme, media shared by a
# module's four formats and the series package) are deflated once per process, not once per package. The
# bytes are those Python's zipfile writes for the same entries (tests/pipeline/test_package.py compares them).
_ZIP16_LIMIT = 0xFFFF
_ZIP32_LIMIT = 0xFFFFFFFF
_DEFLATE_CACHE: OrderedDict[bytes, tuple[int, bytes]] = OrderedDict()
_DEFLATE_CACHE_BYTES = 64 * 1024 * 1024  # compressed bytes kept; the oldest go first
_cached_bytes = 0


def _deflate(data: bytes) -> tuple[int, bytes]:
    """Return (CRC-32, raw deflate stream at zlib's default level) of data, as zipfile computes them."""
    global _cached_bytes
    key = hashlib.blake2b(data, digest_size=20).digest() + len(data).to_bytes(8, "big")
    hit = _DEFLATE_CACHE.get(key)
    if hit is not None:
        _DEFLATE_CACHE.move_to_end(key)
        return hit
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    result = (zlib.crc32(data), compressor.compress(data) + compressor.flush())
    _DEFLATE_CACHE[key] = result
    _cached_bytes += len(result[1])
    while _cached_bytes > _DEFLATE_CACHE_BYTES and len(_DEFLATE_CACHE) > 1:
        _cached_bytes -= len(_DEFLATE_CACHE.popitem(last=False)[1][1])
    return result


def _encode_name(path: str) -> tuple[bytes, int]:
    try:
        return path.encode("ascii"), 0
    except UnicodeEncodeError:
        return path.encode("utf-8"), 0x800  # general-purpose bit 11: the name is UTF-8


def _zip_bytes_zip64(entries: list[OutputFile], stamp: tuple[int, int, int, int, int, int]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for f in entries:
            info = zipfile.ZipInfo(f.path, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = (0o100000 | FILE_MODE) << 16
            zf.writestr(info, f.data)
    return buffer.getvalue()


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        if not path.is_file() or path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def _temp_beside(target: Path, tag: str) -> Path:
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=f".{tag}", dir=target.parent)
    os.close(fd)
    return Path(name)


def _remove(path: Path | None) -> None:
    if path is not None:
        with contextlib.suppress(OSError):
            path.unlink()


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """Turn SIGTERM into KeyboardInterrupt while writing, so a killed build still rolls back."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _remove_stale(target: Path) -> None:
    """Remove temporaries a previously killed (SIGKILL, power loss) write left beside this target."""
    if target.parent.is_dir():
        for leftover in target.parent.glob(f".{glob.escape(target.name)}.*"):
            if leftover.suffix in (".tmp", ".bak"):
                _remove(leftover)


def write_all(outputs: Mapping[Path, bytes]) -> dict[Path, bool]:
    """Write every file or none: return {path: written} (False = bytes unchanged, file and mtime kept)."""
    with _terminate_as_interrupt():
        return _write_all(outputs)


def _write_all(outputs: Mapping[Path, bytes]) -> dict[Path, bool]:
    """Write every file or none (see write_all).

    All new files are first written to temporary files beside their targets; only then are they renamed into
    place, each target's previous version kept as a hard link until the end. If anything fails (disk full, a
    rename refused, Ctrl-C), the renamed targets are put back and the temporary files removed, so the output
    folder holds exactly what it held before.
    """
    for path in outputs:
        _remove_stale(path)
    status = {path: not _same_bytes(path, data) for path, data in outputs.items()}
    changed = [path for path, is_new in status.items() if is_new]
    temps: dict[Path, Path] = {}
    backups: dict[Path, Path | None] = {}
    committed: list[Path] = []
    current: Path | None = None
    try:
        for path in changed:
            current = path
            path.parent.mkdir(parents=True, exist_ok=True)
            temps[path] = tmp = _temp_beside(path, "tmp")
            with open(tmp, "wb") as fh:
                fh.write(outputs[path])
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, FILE_MODE)
        for path in changed:
            current = path
            backups[path] = _backup(path)
            # Recorded before the rename: a signal landing right after it must still undo it.
            committed.append(path)
            os.replace(temps[path], path)
    except BaseException as exc:
        _rollback(committed, backups)
        for tmp in temps.values():
            _remove(tmp)
        for backup in backups.values():
            _remove(backup)
        if isinstance(exc, OSError):
            raise PackageError(
                f"could not write {current or 'the packages'}: {exc.strerror or exc}; "
                "the previous output was left unchanged"
            ) from exc
        raise
    for backup in backups.values():
        _remove(backup)
    return status


def _backup(path: Path) -> Path | None:
    """Keep the current version of a target (a hard link, or a copy where links are impossible)."""
    if not path.exists():
        return None
    backup = _temp_beside(path, "bak")
    backup.unlink()
    try:
        os.link(path, backup)
    except OSError:
        shutil.copy2(path, backup)
    return backup


def _rollback(committed: list[Path], backups: Mapping[Path, Path | None]) -> None:
    for path in reversed(committed):
        backup = backups.get(path)
        with contextlib.suppress(OSError):
            if backup is None:
                path.unlink()
            else:
                os.replace(backup, path)


def write_zip(path: Path | str, files: Iterable[OutputFile], *, epoch: int = DEFAULT_EPOCH) -> bool:
    """Write one reproducible zip atomically; return False when the file already held these bytes."""
    target = Path(path)
    return write_all({target: zip_bytes(files, epoch=epoch)})[target]
