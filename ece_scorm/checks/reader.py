"""Read an existing package zip safely: every hazard becomes a finding, never a crash or a hang."""

from __future__ import annotations

import re
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ece_scorm.errors import Issue, Location

# Limits chosen far above any real e-learning package (ours are ~100 KB; big video courses a few hundred MB)
# yet low enough that a hostile archive cannot exhaust memory or time.
MAX_ENTRIES = 10_000
MAX_ENTRY_BYTES = 256 * 1024 * 1024  # one file
MAX_TOTAL_BYTES = 1024 * 1024 * 1024  # everything read from one archive
MAX_RATIO = 100  # uncompressed / compressed, for entries big enough to matter
RATIO_MIN_BYTES = 1024 * 1024
MAX_XML_BYTES = 8 * 1024 * 1024  # a manifest this large is either broken or hostile
CHUNK = 64 * 1024
# What is kept in memory for the checks: text up to 16 MB a file (the credential scan's reach), binaries only
# when small, and 96 MB in all, so that no archive, however large and legal, costs more (README bounds).
KEEP_TEXT_BYTES = 16 * 1024 * 1024
KEEP_BINARY_BYTES = 4 * 1024 * 1024
KEEP_TOTAL_BYTES = 96 * 1024 * 1024
SNIFF_BYTES = 8192

TEXT_SUFFIXES = (
    ".html",
    ".htm",
    ".xhtml",
    ".js",
    ".mjs",
    ".css",
    ".json",
    ".xml",
    ".xsd",
    ".txt",
    ".vtt",
    ".srt",
    ".svg",
    ".md",
    ".csv",
    ".yaml",
    ".yml",
    ".ini",
    ".cfg",
    ".conf",
    ".env",
    ".properties",
    ".php",
    ".py",
    ".sh",
    ".ts",
    ".map",
    ".pem",
    ".key",
)
_NCR = re.compile(rb"&#(?:[0-9]+|[xX][0-9a-fA-F]+);")
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)
_XML_DECL_ENC = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


@dataclass
class Entry:
    """One member of the archive, with its bytes when they could be read safely."""

    name: str
    size: int
    compressed: int
    data: bytes | None = None
    is_dir: bool = False
    partial: bool = False  # data holds only the first KEEP_TEXT_BYTES of a larger file


@dataclass
class Package:
    """What could be read from a zip, and every problem met while reading it."""

    path: Path
    entries: dict[str, Entry] = field(default_factory=dict)  # by exact name, in archive order
    issues: list[Issue] = field(default_factory=list)
    readable: bool = True

    def error(self, where: str, message: str, rule: str = "", line: int | None = 0, col: int = 0) -> None:
        """Record an error at an entry (or the archive itself); line None (lxml: unknown) is 0."""
        self.issues.append(Issue(Location(where, line or 0, col), "error", message, rule))

    def warning(self, where: str, message: str, rule: str = "", line: int | None = 0, col: int = 0) -> None:
        """Record a warning at an entry (or the archive itself); line None (lxml: unknown) is 0."""
        self.issues.append(Issue(Location(where, line or 0, col), "warning", message, rule))

    def files(self) -> list[Entry]:
        """Return the non-directory entries."""
        return [e for e in self.entries.values() if not e.is_dir]

    def data(self, name: str) -> bytes | None:
        """Return the bytes of an entry, or None when absent or unreadable."""
        e = self.entries.get(name)
        return e.data if e else None


def _unsafe_name(name: str) -> str | None:
    """Return why an entry name could escape the extraction folder (zip-slip), else None."""
    if "\x00" in name:
        return "contains a NUL character"
    unified = name.replace("\\", "/")
    if unified.startswith("/") or re.match(r"^[A-Za-z]:", unified):
        return "is an absolute path"
    if ".." in unified.split("/"):
        return "climbs out of the package with '..'"
    return None


class _Unreadable(Exception):
    """One entry's stored bytes are damaged or lie about their size (the message says how)."""


def _open_stream(fh, info: zipfile.ZipInfo) -> None:
    """Seek fh to the compressed bytes of info, checking its local header."""
    fh.seek(info.header_offset)
    header = fh.read(30)
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise _Unreadable("its local header is missing or damaged")
    name_len = int.from_bytes(header[26:28], "little")
    extra_len = int.from_bytes(header[28:30], "little")
    fh.seek(info.header_offset + 30 + name_len + extra_len)


def _inflate(fh, info: zipfile.ZipInfo, keep: int) -> tuple[bytes, bool]:
    """Stream one entry, keeping at most `keep` bytes; return (kept bytes, whether all were kept).

    The stream is inflated here rather than by zipfile, which stops at the declared size and so never
    sees a stream that inflates beyond it; the output is bounded per step, so a bomb costs no memory.
    """
    _open_stream(fh, info)
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    declared, left = info.file_size, info.compress_size
    kept = bytearray()
    produced = crc = 0

    def take(piece: bytes) -> None:
        nonlocal produced, crc
        produced += len(piece)
        if produced > declared:
            raise _Unreadable(f"its data inflates beyond the {declared:,} bytes its header declares")
        crc = zlib.crc32(piece, crc)
        if len(kept) < keep:
            kept.extend(piece[: keep - len(kept)])

    while left > 0:
        chunk = fh.read(min(CHUNK, left))
        if not chunk:
            raise _Unreadable("the archive ends inside its data (truncated)")
        left -= len(chunk)
        if inflater is None:
            take(chunk)
            continue
        while chunk and not inflater.eof:
            take(inflater.decompress(chunk, CHUNK))  # at most CHUNK bytes out per step
            chunk = inflater.unconsumed_tail
    if inflater is not None:
        while not inflater.eof and produced <= declared:
            piece = inflater.decompress(b"", CHUNK)
            if not piece:
                break
            take(piece)
        if not inflater.eof:
            raise _Unreadable("its compressed stream is truncated")
    if produced != declared:
        raise _Unreadable(f"it holds {produced:,} bytes where its header declares {declared:,}")
    if crc != info.CRC:
        raise _Unreadable("its CRC-32 does not match (damaged data)")
    return bytes(kept), len(kept) == produced


@dataclass(frozen=True)
class EndRecord:
    """What the end-of-central-directory record claims, read before zipfile parses anything."""

    entries: int
    multi_disk: bool


def end_record(path: Path) -> EndRecord | None:
    """Return the end-of-central-directory record's claims, or None when there is no such record."""
    try:
        with open(path, "rb") as fh:
            fh.seek(0, 2)
            size = fh.tell()
            fh.seek(max(0, size - 65_557))  # the record (22 bytes) plus the longest comment (65,535)
            tail = fh.read()
    except OSError:
        return None
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 12:
        return None
    disk, cd_disk = (
        int.from_bytes(tail[at + 4 : at + 6], "little"),
        int.from_bytes(tail[at + 6 : at + 8], "little"),
    )
    here, total = (
        int.from_bytes(tail[at + 8 : at + 10], "little"),
        int.from_bytes(tail[at + 10 : at + 12], "little"),
    )
    # A ZIP64 archive writes 0xFFFF placeholders here; its counts then live in the ZIP64 record.
    multi = (
        (disk, cd_disk) != (0, 0)
        and 0xFFFF not in (disk, cd_disk)
        or (here != total and 0xFFFF not in (here, total))
    )
    return EndRecord(total, multi)


def declared_entries(path: Path) -> int | None:
    """Return the entry count of the end-of-central-directory record, read before zipfile parses anything."""
    record = end_record(path)
    return None if record is None else record.entries


def _too_many(pkg: Package, count: int, max_entries: int) -> None:
    pkg.readable = False
    pkg.error(
        pkg.path.name,
        f"the archive holds {count:,} entries, more than the {max_entries:,} a course "
        "package plausibly needs; refusing to read it",
        "MUST 2",
    )


def _open_zip(pkg: Package, max_entries: int) -> zipfile.ZipFile | None:
    """Open the archive after checking its end record; record why it cannot be read, else return it."""
    where = pkg.path.name
    record = end_record(pkg.path)
    if record is not None and record.entries > max_entries:
        # Refuse before zipfile builds a million ZipInfo objects from a hostile central directory.
        _too_many(pkg, record.entries, max_entries)
        return None
    if record is not None and record.multi_disk:
        pkg.readable = False
        pkg.error(
            where,
            "the archive claims to be one part of a multi-disk (split) zip; LMSs read only single-file zips",
            "MUST 2",
        )
        return None
    try:
        zf = zipfile.ZipFile(pkg.path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, NotImplementedError) as exc:
        pkg.readable = False
        pkg.error(where, f"not a readable ZIP archive ({exc})", "MUST 2")
        return None
    except OSError as exc:
        pkg.readable = False
        pkg.error(where, f"cannot read the file ({exc.strerror or exc})")
        return None
    if len(zf.infolist()) > max_entries:
        zf.close()
        _too_many(pkg, len(zf.infolist()), max_entries)
        return None
    return zf


def _refusal(info: zipfile.ZipInfo, max_entry_bytes: int, max_ratio: int) -> tuple[str, str] | None:
    """Return (message, rule) when an entry must not be read at all, else None."""
    if stat.S_ISLNK(info.external_attr >> 16):
        # A symlink entry can point anywhere once extracted (zip-slip by another route).
        return "entry is a symbolic link; extracting it could expose files outside the package", "MUST 2"
    if info.flag_bits & 0x1:
        return "entry is encrypted; LMSs cannot read password-protected zips", "MUST 2"
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return f"entry uses compression method {info.compress_type}; use stored or deflate", "MUST 2"
    if info.file_size > max_entry_bytes:
        return (
            f"entry declares {info.file_size:,} bytes, above the {max_entry_bytes:,}-byte limit; not read",
            "",
        )
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size >= RATIO_MIN_BYTES and ratio > max_ratio:
        return (
            f"entry expands {ratio:,.0f} times ({info.compress_size:,} → {info.file_size:,} bytes): "
            "a zip bomb; not read",
            "",
        )
    return None


def read_package(
    path: Path,
    *,
    max_entries: int = MAX_ENTRIES,
    max_entry_bytes: int = MAX_ENTRY_BYTES,
    max_total_bytes: int = MAX_TOTAL_BYTES,
    max_ratio: int = MAX_RATIO,
) -> Package:
    """Open a zip and stream every entry through size, ratio and CRC checks; keep the bytes checks need.

    Every entry is inflated once to prove it is sound, but only text (and small binaries) is kept, within
    KEEP_TOTAL_BYTES: a large legal archive is checked in bounded memory.
    """
    pkg = Package(path)
    zf = _open_zip(pkg, max_entries)
    if zf is None:
        return pkg
    where = path.name
    total = kept_total = 0
    skipped_text = 0
    with zf, open(path, "rb") as fh:
        for info in zf.infolist():
            name = info.filename
            if name in pkg.entries:
                pkg.error(
                    name, "the archive holds this entry name twice; LMSs keep one of them at random", "MUST 2"
                )
                continue
            is_dir = name.endswith("/") or stat.S_ISDIR(info.external_attr >> 16)
            entry = Entry(name, info.file_size, info.compress_size, is_dir=is_dir)
            pkg.entries[name] = entry
            why = _unsafe_name(info.orig_filename)  # zipfile cuts a name at its NUL: look at the original
            if why:
                # Zip-slip: never read, let alone extract, an entry that points outside the package.
                pkg.error(
                    name,
                    f"entry name {why}; extracting it would write outside the package (zip-slip)",
                    "MUST 2",
                )
                continue
            if is_dir:
                continue
            refusal = _refusal(info, max_entry_bytes, max_ratio)
            if refusal:
                pkg.error(name, *refusal)
                continue
            if total + info.file_size > max_total_bytes:
                pkg.error(
                    where,
                    f"the archive expands beyond {max_total_bytes:,} bytes; stopped reading at '{name}'",
                )
                break
            text = is_text_name(name)
            room = max(0, KEEP_TOTAL_BYTES - kept_total)
            keep = min(room, KEEP_TEXT_BYTES if text else max(SNIFF_BYTES, KEEP_BINARY_BYTES))
            try:
                data, whole = _inflate(fh, info, keep)
            except _Unreadable as exc:
                pkg.error(name, f"entry cannot be read: {exc}", "MUST 2")
                continue
            except (OSError, zlib.error, OverflowError) as exc:
                pkg.error(name, f"entry cannot be decompressed ({exc})", "MUST 2")
                continue
            total += info.file_size
            if not text and not whole and looks_binary(data[:SNIFF_BYTES]):
                continue  # a large image or video: proven sound, no check reads its bytes
            if not whole:
                skipped_text += 1
                entry.partial = True
            entry.data = data
            kept_total += len(data)
    if skipped_text:
        pkg.warning(
            where,
            f"{skipped_text} large text file(s) were checked only in part (the first "
            f"{KEEP_TEXT_BYTES // (1024 * 1024)} MB each, {KEEP_TOTAL_BYTES // (1024 * 1024)} MB in all)",
        )
    return pkg


def is_text_name(name: str) -> bool:
    """Return True for file names that hold text by their extension."""
    return name.lower().endswith(TEXT_SUFFIXES)


def looks_binary(data: bytes) -> bool:
    """Return True when the bytes hold NULs or mostly control characters (an image, a garbage file)."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return bool(head) and controls / len(head) > 0.1


def line_col(data: bytes, offset: int) -> tuple[int, int]:
    """Return the 1-based line and column of a byte offset."""
    line = data.count(b"\n", 0, offset) + 1
    col = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return line, col


def decode_text(pkg: Package, name: str, data: bytes, rule: str = "") -> str | None:
    """Return the UTF-8 text of an entry, or None after recording why it is not UTF-8 text."""
    # A BOM, or ASCII text interleaved with NULs ("<\0?\0x\0"), is UTF-16 that Moodle cannot read.
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff")) or data[1:2] == b"\x00" != data[:1]
    if utf16:
        pkg.error(name, "file is UTF-16; save it as UTF-8", rule)
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = line_col(data, exc.start)
        kind = "binary data" if looks_binary(data) else "not valid UTF-8"
        pkg.error(name, f"file is {kind} (byte 0x{data[exc.start]:02x})", rule, line, col)
        return None


def parse_xml(pkg: Package, name: str, rule: str) -> etree._Element | None:
    """Parse an XML entry without entities, DTDs or network; record every refusal as an issue on `rule`."""
    data = pkg.data(name)
    if data is None:
        return None
    if len(data) > MAX_XML_BYTES:
        pkg.error(
            name, f"XML file of {len(data):,} bytes is larger than the {MAX_XML_BYTES:,}-byte limit", rule
        )
        return None
    if not data.strip():
        pkg.error(name, "XML file is empty", rule)
        return None
    if decode_text(pkg, name, data, rule) is None:
        return None
    declared = _XML_DECL_ENC.match(data)
    if declared and declared.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8"):
        pkg.error(
            name, f"XML declares encoding {declared.group(1).decode()!r}; LMSs read manifests as UTF-8", rule
        )
        return None
    doctype = _DOCTYPE.search(data)
    if doctype:
        line, col = line_col(data, doctype.start())
        if _ENTITY.search(data):
            # Billion laughs and XXE both need an entity declaration: refuse before any parser sees it.
            pkg.error(
                name,
                "XML declares entities in a DOCTYPE (entity expansion / external entity attack); refused",
                rule,
                line,
                col,
            )
            return None
        pkg.warning(name, "XML carries a DOCTYPE; LMS parsers ignore or reject it", rule, line, col)
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=False,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (0, 0)
        pkg.error(name, f"XML is not well-formed: {exc.msg}", rule, line, col)
        return None
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None and docinfo.internalDTD.entities():
        pkg.error(name, "XML declares entities; refused", rule)
        return None
    return root


def numeric_references(data: bytes) -> list[tuple[int, int, str]]:
    """Return (line, col, text) of every numeric character reference such as &#169;."""
    return [(*line_col(data, m.start()), m.group().decode()) for m in _NCR.finditer(data)]
