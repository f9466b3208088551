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
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
    return h.digest()


def _walk(root: Path, skip: Iterable[Path] = ()) -> list[tuple[str, str]]:
    """Return (relative posix path, absolute path) of every file under root, sorted; follow links once.

    `skip` names folders and files left out (the output folder inside the source, the build record).
    """
    skipped = {os.path.realpath(p) for p in skip}
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    for top, dirs, files in os.walk(root, followlinks=True):
        real = os.path.realpath(top)
        if real in seen or real in skipped:  # a link loop, or the output folder inside the source
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        rel_top = os.path.relpath(top, root)
        for name in files:
            if name.endswith((".pyc", ".pyo")) or os.path.realpath(os.path.join(top, name)) in skipped:
                continue
            rel = name if rel_top == "." else f"{rel_top}/{name}"
            found.append((rel.replace(os.sep, "/"), os.path.join(top, name)))
    return sorted(found)


def _tree(h, label: str, root: Path, skip: Iterable[Path] = ()) -> None:
    _feed(h, "tree", label)
    if not root.is_dir():
        _feed(h, "absent")
        return
    for rel, full in _walk(root, skip):
        _feed(h, rel, _file_digest(full))


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
