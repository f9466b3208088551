"""One digest of everything a build reads, and the record that lets an unchanged rebuild skip all work.

A build's output depends on: every file of the course folder (YAML, media, a course-local theme), the
repository themes (the default theme is the fallback for missing templates), the ece_scorm package itself
(player runtime, packaged themes and the Python code that renders), the libraries that shape the bytes
(Jinja2, markdown-it-py, nh3, lxml, PyYAML, zlib), the build options and SOURCE_DATE_EPOCH. Contents are
hashed, never trusted by modification time, so a changed byte anywhere gives another digest.

This module imports only the standard library: the fast path must cost little more than interpreter start.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
import zlib
from collections.abc import Iterable, Mapping
from pathlib import Path

from ece_scorm import __version__
from ece_scorm.themes import themes_root

RECORD_NAME = ".ece-build.json"  # beside the zips in the output folder
RECORD_VERSION = 1
MAX_ENTRIES = 8  # option sets remembered per output folder (e.g. alternating --format runs)
PACKAGE_DIR = Path(__file__).resolve().parent.parent  # the ece_scorm package: player, code that renders
# Distributions whose code shapes the bytes of a package; their installed versions enter the digest.
LIBRARIES = ("jinja2", "markdown_it_py", "nh3", "lxml", "pyyaml", "markupsafe", "mdurl", "click")
_CHUNK = 1 << 20


def _feed(h, *parts: str | bytes) -> None:
    # Length-prefixed so that ("ab", "c") and ("a", "bc") never hash alike.
    for part in parts:
        data = part.encode("utf-8", "surrogateescape") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)


def _file_digest(path: str) -> bytes:
    h = hashlib.sha256()
    # Non-blocking open and a check of what was opened: a file swapped for a FIFO after the walk's stat
    # fails here (OSError: the digest is None and the full build validates) instead of blocking.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with open(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path} is not a regular file")
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
    return h.digest()


def _inside(path: str, real_root: str) -> str | None:
    """Return the real path of path when it resolves (links followed) inside real_root, else None."""
    try:
        real = os.path.realpath(path, strict=True)
    except (OSError, RuntimeError):  # dangling link or link loop
        return None
    return real if real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep) else None


def _classify(full: str, is_link: bool, real_root: str) -> tuple[str, str | None]:
    """Return (kind, real path) of one entry: "file", "folder", or the marker of what is never read."""
    real = _inside(full, real_root)
    if real is None:
        return ("link out of the folder" if is_link else "unreadable"), None
    try:
        mode = os.stat(real).st_mode
    except OSError:
        return "unreadable", real
    if stat.S_ISDIR(mode):
        return "folder", real
    return ("file" if stat.S_ISREG(mode) else "not a regular file"), real


def _walk(root: Path, skip: Iterable[Path] = ()) -> list[tuple[str, str, str | None]]:
    """Return (relative posix path, absolute path, marker) of every entry under root, sorted.

    Only what validation admits is ever read: regular files, reached directly or through a link that
    stays inside root. A link leading out of root, a dangling link, a loop, a device, a FIFO or a socket
    is recorded by name with a marker (so adding or removing one still changes the digest), never opened:
    opening a FIFO blocks forever, reading a device never ends. `skip` names folders and files left out
    (the output folder inside the source, the build record).
    """
    real_root = os.path.realpath(root)
    skipped = {os.path.realpath(p) for p in skip}
    found: list[tuple[str, str, str | None]] = []
    seen: set[str] = set()
    pending = [(str(root), "")]
    while pending:
        top, rel_top = pending.pop()
        real_top = os.path.realpath(top)
        if real_top in seen or real_top in skipped:
            continue  # a folder reached twice through links, or the output folder inside the source
        seen.add(real_top)
        try:
            with os.scandir(top) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            found.append((rel_top or ".", top, "unreadable folder"))
            continue
        for entry in entries:
            name = entry.name
            if name == "__pycache__" or name.endswith((".pyc", ".pyo")):
                continue
            rel = f"{rel_top}/{name}" if rel_top else name
            full = os.path.join(top, name)
            kind, real = _classify(full, entry.is_symlink(), real_root)
            if real in skipped:
                continue
            if kind == "folder":
                pending.append((full, rel))
            elif kind == "file" and real is not None:
                found.append((rel, real, None))
            else:
                found.append((rel, full, kind))
    return sorted(found)


def _tree(h, label: str, root: Path, skip: Iterable[Path] = ()) -> None:
    _feed(h, "tree", label)
    if not root.is_dir():
        _feed(h, "absent")
        return
    for rel, full, marker in _walk(root, skip):
        if marker is None:
            _feed(h, rel, _file_digest(full))
        else:
            _feed(h, rel, "unread", marker)


def _library_versions() -> list[str]:
    """Return the installed dist-info names of LIBRARIES (listing site-packages is cheaper than importing)."""
    names = []
    for entry in sys.path:
        try:
            listing = os.listdir(entry or ".")
        except OSError:
            continue
        for name in listing:
            if name.endswith(".dist-info"):
                project = name[: -len(".dist-info")].rsplit("-", 1)[0].lower().replace("-", "_")
                if project in LIBRARIES:
                    names.append(name)
    return sorted(set(names))


def input_digest(source: Path, out_dir: Path, options: Mapping[str, object]) -> str | None:
    """Return the hex digest of every build input, or None when an input cannot be read."""
    h = hashlib.sha256()
    _feed(h, "ece-scorm", __version__, sys.version, zlib.ZLIB_RUNTIME_VERSION)
    _feed(h, json.dumps(options, sort_keys=True, default=str))
    _feed(h, *_library_versions())
    # The output folder is not an input when it sits inside the source; when it is the source folder itself
    # (or holds it) only the record is left out, so the zips count as inputs and nothing is ever skipped.
    real_source, real_out = os.path.realpath(source), os.path.realpath(out_dir)
    skip = [Path(out_dir) / RECORD_NAME]
    if real_out.startswith(real_source.rstrip(os.sep) + os.sep):
        skip.append(Path(out_dir))
    try:
        _tree(h, "source", Path(source), skip=skip)
        _tree(h, "themes", themes_root())
        _tree(h, "package", PACKAGE_DIR)
    except OSError:
        return None  # an unreadable input: the full build reads it again and reports it properly
    return h.hexdigest()


def sha256_hex(data: bytes) -> str:
    """Return the hex SHA-256 of bytes."""
    return hashlib.sha256(data).hexdigest()


def _entries(out_dir: Path) -> dict[str, dict]:
    """Return the record's entries by digest; an absent, unreadable or malformed record is empty."""
    try:
        raw = json.loads((out_dir / RECORD_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(raw, dict) or raw.get("version") != RECORD_VERSION:
        return {}
    entries = raw.get("builds")
    if not isinstance(entries, list):
        return {}
    out: dict[str, dict] = {}
    for entry in entries:
        if isinstance(entry, dict) and isinstance(entry.get("digest"), str):
            out.setdefault(entry["digest"], entry)
    return out


def up_to_date(out_dir: Path, digest: str) -> dict | None:
    """Return the recorded build of this digest if every zip it lists is on disk with its recorded hash."""
    entry = _entries(out_dir).get(digest)
    if entry is None:
        return None
    packages = entry.get("packages")
    warnings = entry.get("warnings", [])
    if not isinstance(packages, list) or not packages or not isinstance(warnings, list):
        return None
    for item in packages:
        if not isinstance(item, dict):
            return None
        name, recorded = item.get("name"), item.get("sha256")
        # Only plain file names: a tampered record must not make the build hash files elsewhere.
        if (
            not isinstance(name, str)
            or not isinstance(recorded, str)
            or "/" in name
            or "\\" in name
            or name in ("", ".", "..")
        ):
            return None
        path = out_dir / name
        try:
            if (
                not path.is_file()
                or path.stat().st_size != item.get("size")
                or _file_digest(str(path)).hex() != recorded
            ):
                return None
        except OSError:
            return None
    return entry


def record_bytes(out_dir: Path, digest: str, packages: Mapping[Path, bytes], warnings: list[str]) -> bytes:
    """Return the new record: this build first, then the previous ones still worth keeping."""
    entry = {
        "digest": digest,
        "packages": [
            {"name": path.name, "size": len(data), "sha256": sha256_hex(data)}
            for path, data in sorted(packages.items())
        ],
        "warnings": list(warnings),
    }
    kept = [e for d, e in _entries(out_dir).items() if d != digest][: MAX_ENTRIES - 1]
    record = {"version": RECORD_VERSION, "tool": f"ece-scorm {__version__}", "builds": [entry, *kept]}
    return (json.dumps(record, indent=1, sort_keys=True) + "\n").encode("utf-8")
