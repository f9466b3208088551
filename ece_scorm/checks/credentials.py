"""Find credentials shipped inside a package: LRS and LMS secrets must arrive at launch time only (MUST "
"27)."""

from __future__ import annotations

import base64
import binascii
import re

from ece_scorm.checks.hygiene import text_entries
from ece_scorm.checks.reader import Package, line_col

MAX_SCAN_BYTES = 16 * 1024 * 1024  # per file; larger text files are scanned up to this point
_CODE = (".js", ".mjs", ".ts", ".html", ".htm", ".xhtml", ".json", ".css", ".svg", ".map")


def _basic_is_credentials(token: bytes) -> bool:
    """Return True when a Basic token decodes to user:password (not a word that happens to follow 'Basic')."""
    try:
        decoded = base64.b64decode(token + b"=" * (-len(token) % 4), validate=True)
    except (binascii.Error, ValueError):
        return False
    return b":" in decoded and decoded.isascii() and decoded.strip().isascii() and len(decoded) >= 3


PATTERNS: list[tuple[str, re.Pattern[bytes]]] = [
    ("a private key", re.compile(rb"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----")),
    ("an AWS access key id", re.compile(rb"\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16}\b")),
    (
        "an AWS secret access key",
        re.compile(rb"aws_?secret_?access_?key[\"']?\s*[:=]\s*[\"']?[A-Za-z0-9/+=]{40}", re.IGNORECASE),
    ),
    ("a bearer token", re.compile(rb"\bBearer\s+[A-Za-z0-9\-._~+/]{20,}=*")),
    ("an HTTP Basic authorization string", re.compile(rb"\bBasic(?:\s+|%20|\+)([A-Za-z0-9+/]{8,}={0,2})")),
    (
        "a password assignment",
        re.compile(
            rb"""\b(?:password|passwd|pwd|secret|api_?key)["']?\s*[=:]\s*["']?(?!["'\s,;)}])[^\s"'&<>,;)}]{4,}""",
            re.IGNORECASE,
        ),
    ),
    (
        "credentials in a URL",
        re.compile(rb"\b[a-z][a-z0-9+.-]*://[^\s/:@\"'<>]+:[^\s/@\"'<>]+@[^\s/\"'<>]+", re.IGNORECASE),
    ),
    ("a GitHub token", re.compile(rb"\bgh[pousr]_[A-Za-z0-9]{36,}\b")),
    ("a Slack token", re.compile(rb"\bxox[baprs]-[A-Za-z0-9-]{10,}\b")),
]
# Code that names a variable "password" or builds a header is not a secret: skip obvious placeholders.
_PLACEHOLDER = re.compile(
    rb"^(?:\$\{?|\{\{|%|<|\*+$|x+$|\.\.\.|changeme|example|your|null|none|undefined|"
    rb"function|this\.|self\.|env\.|process\.|os\.)",
    re.IGNORECASE,
)


# btoa("user:password") builds a Basic token in the page; the literal is the secret.
_BTOA = re.compile(rb"""\bbtoa\(\s*(["'`])([^"'`\\$\s]{1,200}:[^"'`\\$\s]{1,200})\1\s*\)""")
# A quoted base64 literal that may decode to user:password (checked by _basic_is_credentials).
_B64_LITERAL = re.compile(rb"""["'`]([A-Za-z0-9+/]{8,400}={0,2})["'`]""")
# A base64 data: URI (a script or page inlined in another): its payload is scanned as text too.
_DATA_URI = re.compile(rb"data:[a-z]+/[a-z0-9.+-]+(?:;[a-z0-9=.-]+)*;base64,([A-Za-z0-9+/]{16,}={0,2})", re.I)
_USER_PASS = re.compile(rb"^[\x21-\x39\x3b-\x7e]{2,}:[\x21-\x7e]{3,}$")
MAX_DATA_URI_BYTES = 1024 * 1024


def _as_utf8(data: bytes) -> bytes:
    """Return UTF-16 text (with a BOM, or ASCII interleaved with NULs) as UTF-8, other bytes unchanged."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif len(data) >= 4 and data[1:2] == b"\x00" and data[3:4] == b"\x00" and data[:1] != b"\x00":
        encoding = "utf-16-le"
    elif len(data) >= 4 and data[:1] == b"\x00" and data[2:3] == b"\x00" and data[1:2] != b"\x00":
        encoding = "utf-16-be"
    else:
        return data
    return data.decode(encoding, "replace").encode("utf-8")


def _decoded_user_pass(token: bytes) -> bool:
    try:
        decoded = base64.b64decode(token + b"=" * (-len(token) % 4), validate=True)
    except (binascii.Error, ValueError):
        return False
    return _USER_PASS.match(decoded) is not None


def _findings(data: bytes, code: bool) -> list[tuple[int, str, bytes]]:
    """Return (offset, label, matched text) of every credential-looking string in text bytes."""
    found: list[tuple[int, str, bytes]] = []
    for label, pattern in PATTERNS:
        for m in pattern.finditer(data):
            if label.startswith("an HTTP Basic") and not _basic_is_credentials(m.group(1)):
                continue
            if label == "a password assignment":
                quoted = re.search(rb"[=:]\s*[\"']", m.group()) is not None
                value = re.split(rb"[=:]\s*[\"']?", m.group(), maxsplit=1)[-1]
                if _PLACEHOLDER.match(value) or (code and not quoted):
                    continue  # in code, `password: e.value` is a variable, not a secret
            found.append((m.start(), label, m.group()))
    for m in _BTOA.finditer(data):
        found.append((m.start(), 'a btoa("user:password") credential', m.group()))
    for m in _B64_LITERAL.finditer(data):
        if _decoded_user_pass(m.group(1)):
            found.append((m.start(), "a base64-encoded user:password", m.group()))
    return found


def _data_uri_findings(data: bytes) -> list[tuple[int, str, bytes]]:
    """Return findings inside base64 data: URIs, placed at the URI (the secret is encoded, not absent)."""
    found: list[tuple[int, str, bytes]] = []
    for m in _DATA_URI.finditer(data):
        payload = m.group(1)[: MAX_DATA_URI_BYTES * 4 // 3]
        try:
            inner = base64.b64decode(payload[: len(payload) // 4 * 4])
        except (binascii.Error, ValueError):
            continue
        for _, label, _text in _findings(_as_utf8(inner), code=False):
            found.append((m.start(), f"{label} inside a base64 data: URI", m.group()))
    return found


def scan(pkg: Package) -> None:
    """Record an error for every credential-looking string in every text file (UTF-8 or UTF-16)."""
    for entry, raw in text_entries(pkg):
        data = _as_utf8(raw[:MAX_SCAN_BYTES])
        code = entry.name.lower().endswith(_CODE)
        for offset, label, text in sorted(_findings(data, code) + _data_uri_findings(data)):
            line, col = line_col(data, offset)
            shown = text[:24].decode("ascii", "replace")
            pkg.error(
                entry.name,
                f"looks like {label} ('{shown}…'); never ship credentials in a package — "
                "they reach the learner's browser and anyone holding the zip",
                "MUST 27",
                line,
                col,
            )
