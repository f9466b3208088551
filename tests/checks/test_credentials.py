"""No credentials in any built package of any format (issue #4 item 5; MUST 27: they arrive at launch)."""

from __future__ import annotations

import base64
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from ece_scorm.cli import cli

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "fixtures" / "courses" / "minimal"
# Credentials an administrator may have in the environment while building (the `ece-scorm lrs` settings).
PLANTED_USER = "lrs-admin-key-7f3a"
PLANTED_PASSWORD = "s3cr3t-lrs-password-91c2"
PLANTED_TOKEN = "tok_4b1d9e7a2c6f8e0d"

PATTERNS = {
    "basic auth value": re.compile(r"Basic\s+[A-Za-z0-9+/]{12,}={0,2}"),
    "bearer token": re.compile(r"Bearer\s+[A-Za-z0-9._~+/-]{12,}"),
    "credentials in a URL": re.compile(r"[a-z][a-z0-9+.-]*://[^/\s:@\"'<>]+:[^/\s@\"'<>]+@", re.I),
    "private key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    "AWS access key": re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b"),
    "JSON web token": re.compile(r"\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{5,}"),
    "assigned secret": re.compile(
        r"""(password|passwd|secret|api[_-]?key|auth[_-]?token)["']?\s*[:=]\s*"""
        r"""["'][^"'\s]{6,}["']""",
        re.I,
    ),
}
SECRET_FILES = re.compile(r"(^|/)(\.env|\.netrc|\.npmrc|\.pypirc|id_rsa|id_ed25519|credentials)$")


def planted() -> list[str]:
    """Return the planted values in every form a leak could take (plain and Basic-encoded)."""
    pair = f"{PLANTED_USER}:{PLANTED_PASSWORD}"
    return [PLANTED_PASSWORD, PLANTED_TOKEN, pair, base64.b64encode(pair.encode()).decode()]


def scan(name: str, data: bytes) -> list[str]:
    """Return the credential findings in one package file."""
    found = []
    if SECRET_FILES.search(name):
        found.append(f"{name}: credentials file")
    text = data.decode("utf-8", errors="replace")
    for label, pattern in PATTERNS.items():
        for match in pattern.finditer(text):
            found.append(f"{name}: {label}: {match.group(0)[:60]}")
    found += [f"{name}: planted credential" for value in planted() if value in text]
    return found


@pytest.fixture(scope="module")
def packages(tmp_path_factory) -> list[Path]:
    """Build every format (mini course: both bundles; ECE course: defaults), LRS credentials in the env."""
    out = tmp_path_factory.mktemp("no-secrets")
    env = {
        "ECE_LRS_ENDPOINT": f"https://{PLANTED_USER}:{PLANTED_PASSWORD}@lrs.example.org/xapi/",
        "ECE_LRS_USERNAME": PLANTED_USER,
        "ECE_LRS_PASSWORD": PLANTED_PASSWORD,
        "ECE_LRS_TOKEN": PLANTED_TOKEN,
    }
    for bundle in ("module", "series"):
        for fmt in ("scorm12", "scorm2004", "xapi", "cmi5"):
            if fmt == "xapi" and bundle == "series":
                continue  # xAPI packages hold one module each (refused with a message, tested elsewhere)
            args = [
                "build",
                str(MINIMAL),
                "--format",
                fmt,
                "--bundle",
                bundle,
                "--out",
                str(out / bundle),
                "-q",
            ]
            result = CliRunner().invoke(cli, args, env=env, catch_exceptions=False)
            assert result.exit_code == 0, result.output
    # The shipped ECE course too, every format with its default bundle.
    args = ["build", str(ROOT / "course_source"), "--format", "all", "--out", str(out / "ece"), "-q"]
    result = CliRunner().invoke(cli, args, env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    zips = sorted(out.rglob("*.zip"))
    assert {z.stem.rsplit("-", 1)[-1] for z in zips} == {"scorm12", "scorm2004", "xapi", "cmi5"}
    return zips


def test_every_file_of_every_format_is_free_of_credentials(packages):
    findings: list[str] = []
    scanned = 0
    for zpath in packages:
        with zipfile.ZipFile(zpath) as zf:
            for info in zf.infolist():
                findings += [f"{zpath.name}/{f}" for f in scan(info.filename, zf.read(info))]
                scanned += 1
    assert scanned > 20
    assert findings == []


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("player/ece-player.js", 'fetch(u, {headers: {Authorization: "Basic ZWNlLXRlc3Q6ZWNlLXRl"}})'),
        ("player/ece-player.js", "var h = 'Bearer abcdefghijklmnop.qrstu';"),
        ("ece-data.js", 'window.ECE_DATA = {"endpoint": "https://key:pass@lrs.example.org/"}'),
        ("index.html", "<script>var apiKey = 'k_1234567890abcdef';</script>"),
        ("media/x.txt", "-----BEGIN RSA PRIVATE KEY-----\nMIIB"),
        ("a.js", "AKIAABCDEFGHIJKLMNOP"),
        (".env", "nothing suspicious inside"),
        ("ece-data.js", f'"lrs": "{PLANTED_PASSWORD}"'),
        ("ece-data.js", base64.b64encode(f"{PLANTED_USER}:{PLANTED_PASSWORD}".encode()).decode()),
    ],
)
def test_scanner_finds_planted_credentials(name, content):
    """The scan is only worth something if it can fail: each planted leak is reported."""
    assert scan(name, content.encode()) != []


def test_runtime_builds_authorization_only_from_launch_values():
    """MUST 27: the player's only Authorization sources are the launch `auth` and the cmi5 fetched token."""
    runtime = ROOT / "ece_scorm" / "player"
    sources = {p.name: p.read_text(encoding="utf-8") for p in (runtime / "adapters").glob("*.js")}
    sources["outbox.js"] = (runtime / "outbox.js").read_text(encoding="utf-8")
    assert "headers.Authorization = auth" in sources["outbox.js"]
    assert 'p.get("auth")' in sources["xapi.js"]
    assert '"Basic " + sget(":token")' in sources["cmi5.js"]
    for name, text in sources.items():
        assert not re.search(r"Authorization\W+[\"']Basic [A-Za-z0-9+/=]", text), name
