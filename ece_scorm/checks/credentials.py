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
            rb"""\b(?:password|passwd|pwd|secret|api_?key)\s*[=:]\s*["']?(?!["'\s,;)}])[^\s"'&<>,;)}]{4,}""",
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


def scan(pkg: Package) -> None:
    """Record an error for every credential-looking string in every text file."""
    for entry, data in text_entries(pkg):
        data = data[:MAX_SCAN_BYTES]
        code = entry.name.lower().endswith(_CODE)
        for label, pattern in PATTERNS:
            for m in pattern.finditer(data):
                if label.startswith("an HTTP Basic") and not _basic_is_credentials(m.group(1)):
                    continue
                if label == "a password assignment":
                    quoted = re.search(rb"[=:]\s*[\"']", m.group()) is not None
                    value = re.split(rb"[=:]\s*[\"']?", m.group(), maxsplit=1)[-1]
                    if _PLACEHOLDER.match(value) or (code and not quoted):
                        continue  # in code, `password: e.value` is a variable, not a secret
                line, col = line_col(data, m.start())
                shown = m.group()[:24].decode("ascii", "replace")
                pkg.error(
                    entry.name,
                    f"looks like {label} ('{shown}…'); never ship credentials in a "
                    "package — "
                    "they reach the learner's browser and anyone holding the zip",
                    "MUST 27",
                    line,
                    col,
                )
