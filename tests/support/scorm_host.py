"""A small test LMS: scorm-again's real SCORM 1.2 / 2004 runtime on a host page, served on 127.0.0.1.

The host page (tests/support/scorm_host/host.html) creates `window.API` or `window.API_1484_11` with
scorm-again, restores what this server stored at the previous launch (as Moodle does: entry, location,
status, score, suspend_data, interactions), and loads the package's index.html in an iframe or in a popup
whose opener holds the API. scorm-again commits to this server (synchronous XHR, sendBeacon at finish), so
`LmsServer.stored(learner)` is what the LMS persisted and `runtime_cmi(host_page)` is what the runtime holds.
"""

from __future__ import annotations

import json
import mimetypes
import subprocess
import sys
import threading
import time
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parents[2]
HOST_DIR = Path(__file__).resolve().parent / "scorm_host"
SCORM_AGAIN_DIR = ROOT / "node_modules" / "scorm-again" / "dist"
RUNTIME_DIR = ROOT / "ece_scorm" / "player"  # served for the probe page (adapter tests without a build)


@dataclass
class Learner:
    """What the LMS knows about one learner of one package: settings and the committed data."""

    name: str = "Tremblay, Alex"
    language: str = ""
    # True; False: every commit answers {"result": false, "errorCode": 101}; "final": only LMSFinish's is
    # accepted (a network that comes back just as the learner leaves)
    commit_ok: bool | str = True
    cmi: dict[str, Any] | None = None  # the last committed CMI object (scorm-again's JSON rendering)
    commits: list[dict[str, Any]] = field(default_factory=list)  # every commit body received, in order
    refused: int = 0  # commits answered with failure
    finals: int = 0  # commits sent by LMSFinish/Terminate (scorm-again adds ?final=true)


class LmsServer:
    """Serve the host page, scorm-again, extracted packages and the LMS commit endpoint."""

    def __init__(self) -> None:
        self.packages: dict[str, Path] = {}
        self.learners: dict[str, Learner] = {}
        self.lock = threading.Lock()
        handler = _make_handler(self)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        """Return the server's origin."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> LmsServer:
        """Start serving in a background thread."""
        self.thread.start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        self.httpd.shutdown()
        self.httpd.server_close()

    def add_package(self, name: str, folder: Path) -> None:
        """Serve an extracted package folder under /pkg/<name>/."""
        self.packages[name] = folder.resolve()

    def learner(self, key: str, **settings: Any) -> Learner:
        """Return (creating or updating) the learner record for `key`."""
        with self.lock:
            rec = self.learners.setdefault(key, Learner())
            for k, v in settings.items():
                setattr(rec, k, v)
            return rec

    def stored(self, key: str) -> dict[str, Any]:
        """Return the CMI object the LMS persisted for this learner (empty when nothing was committed)."""
        with self.lock:
            rec = self.learners.get(key)
            return json.loads(json.dumps(rec.cmi)) if rec and rec.cmi else {}

    def host_url(
        self,
        version: str,
        package: str,
        learner: str,
        *,
        mode: str = "iframe",
        comments: str = "replace",
        fail_set: str = "",
        fail_code: str = "",
        fail_init: bool = False,
        fail_finish: bool = False,
        spy: bool = False,
        strict: bool = False,
    ) -> str:
        """Return the host page URL launching `package` for `learner` (mode iframe|nested|popup|noapi)."""
        q = f"v={version}&pkg={package}&learner={learner}&mode={mode}&comments={comments}"
        if fail_set or fail_init or fail_finish:
            q += f"&failset={fail_set}&failcode={fail_code}"
        if fail_init:
            q += "&failinit=1"
        if fail_finish:
            q += "&failfinish=1"
        if spy:  # every API call logged in window.eceHost.apiCalls with its error code
            q += "&spy=1"
        if strict:  # SCORM 1.2 suspend_data capped at 4,096 (Moodle's standards mode), 405 above
            q += "&strict=1"
        return f"{self.base}/host/host.html?{q}"

    def wait_for(self, condition: Any, timeout: float = 10.0) -> None:
        """Wait until `condition()` is true (e.g. a sendBeacon commit arrived)."""
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError("the test LMS did not receive the expected commit in time")
            time.sleep(0.05)

    # -- request handling -------------------------------------------------------------------------

    def learner_json(self, key: str, package: str) -> bytes:
        """Answer the host page's launch request: the learner's settings, stored data, mastery score."""
        rec = self.learner(key)
        mastery = self.mastery(package)
        with self.lock:
            body = {"name": rec.name, "language": rec.language, "cmi": rec.cmi, "mastery": mastery}
        return json.dumps(body).encode()

    def mastery(self, package: str) -> str:
        """Return the package's adlcp:masteryscore, which Moodle passes as cmi.student_data.mastery_score."""
        manifest = self.packages.get(package, Path("/nonexistent")) / "imsmanifest.xml"
        if not manifest.is_file():
            return ""
        found = etree.parse(str(manifest)).xpath("//*[local-name()='masteryscore']/text()")
        return str(found[0]).strip() if found else ""

    def commit(self, key: str, raw: bytes, final: bool = False) -> bytes:
        """Store one commit (unless this learner's LMS refuses commits); answer as scorm-again expects."""
        try:
            body = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return json.dumps({"result": False, "errorCode": 101}).encode()
        rec = self.learner(key)
        with self.lock:
            rec.finals += final
            rec.commits.append(body)
            if not (rec.commit_ok is True or (rec.commit_ok == "final" and final)):
                rec.refused += 1
                return json.dumps({"result": False, "errorCode": 101}).encode()
            rec.cmi = body.get("cmi", body)
        return json.dumps({"result": True, "errorCode": 0}).encode()


def _safe_join(base: Path, rel: str) -> Path | None:
    """Resolve `rel` under `base`, refusing anything that escapes it."""
    base = base.resolve()  # node_modules may be a symlink (a worktree sharing main's): compare real paths
    target = (base / unquote(rel)).resolve()
    if target != base and base not in target.parents:
        return None
    return target


def _make_handler(server: LmsServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # keep test output quiet
            pass

        def _send(self, status: int, data: bytes, ctype: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def _file(self, base: Path, rel: str) -> None:
            target = _safe_join(base, rel)
            if target is None or not target.is_file():
                self._send(404, b"not found", "text/plain")
                return
            ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            if ctype.startswith("text/") or ctype.endswith("javascript"):
                ctype += "; charset=utf-8"
            self._send(200, target.read_bytes(), ctype)

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            parts = url.path.lstrip("/").split("/", 2)
            if parts[0] == "host" and len(parts) == 2:
                self._file(HOST_DIR, parts[1])
            elif parts[0] == "scorm-again" and len(parts) == 2:
                self._file(SCORM_AGAIN_DIR, parts[1])
            elif parts[0] == "player" and len(parts) >= 2:
                self._file(RUNTIME_DIR, url.path.split("/", 2)[2])
            elif parts[0] == "pkg" and len(parts) == 3 and parts[1] in server.packages:
                self._file(server.packages[parts[1]], parts[2])
            elif parts[0] == "lms" and len(parts) == 3 and parts[2] == "launch":
                package = parse_qs(url.query).get("pkg", [""])[0]
                self._send(200, server.learner_json(parts[1], package))
            else:
                self._send(404, b"not found", "text/plain")

        def do_POST(self) -> None:
            url = urlsplit(self.path)
            parts = url.path.lstrip("/").split("/")
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            if len(parts) == 3 and parts[0] == "lms" and parts[2] == "commit":
                final = parse_qs(url.query).get("final") == ["true"]
                self._send(200, server.commit(parts[1], raw, final))
            else:
                self._send(404, b"not found", "text/plain")

    return Handler


def extract_package(zip_path: Path, dest: Path) -> Path:
    """Extract a package zip safely (no absolute paths, no `..`) and return the folder."""
    dest.mkdir(parents=True, exist_ok=True)
    base = dest.resolve()
    with zipfile.ZipFile(zip_path) as zf:
        for info in zf.infolist():
            target = _safe_join(base, info.filename)
            if target is None:
                raise ValueError(f"{zip_path}: unsafe entry {info.filename!r}")
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(zf.read(info))
    return dest


def launch(page: Any, server: LmsServer, version: str, package: str, learner: str, **opts: Any) -> Any:
    """Open the host page and return the frame running the package (the iframe, or the popup's main frame)."""
    page.goto(server.host_url(version, package, learner, **opts))
    page.wait_for_function("() => window.eceHost && window.eceHost.ready")
    if opts.get("mode") == "popup":
        with page.expect_popup() as info:
            page.get_by_role("button", name="Open the course in a new window").click()
        popup = info.value
        popup.wait_for_load_state()
        return popup.main_frame
    frame = page.wait_for_selector("#sco").content_frame()
    if opts.get("mode") == "nested":  # the package runs one frame deeper, under /host/wrap.html
        frame.wait_for_selector("#inner[src]")
        return frame.wait_for_selector("#inner").content_frame()
    return frame


def close_course(page: Any, server: LmsServer, learner: str, *, timeout: float = 10.0) -> None:
    """Unload the package as a learner leaving it does (pagehide), then wait for the LMS's final commit."""
    before = server.learner(learner).finals
    page.evaluate(
        "() => { const p = window.eceHost.popup; if (p && !p.closed) p.close();"
        " const f = document.getElementById('sco'); if (f) f.remove(); }"
    )
    page.wait_for_function("() => window.eceHost.finished", timeout=timeout * 1000)
    server.wait_for(lambda: server.learner(learner).finals > before, timeout)


def build_packages(fmt: str, modules: list[str], out: Path) -> dict[str, Path]:
    """Build the ECE course with the real CLI (`ece-scorm build`); extract each zip; map module -> folder."""
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "ece_scorm",
            "build",
            str(ROOT / "course_source"),
            "--format",
            fmt,
            "--out",
            str(out / "zips"),
        ],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    return {m: extract_package(out / "zips" / f"ece-{m}-{fmt}.zip", out / m) for m in modules}


def uncommitted_changes(calls: list[list[Any]], location: str) -> list[str]:
    """Return the answers/page changes that a later answer or page change found still uncommitted (MUST 21).

    `calls` is host_log(); a change is an interaction record (its `id` set) or a new `location` value.
    """
    late, pending = [], None
    for call in calls:
        change = call[0] == "set" and (
            (".interactions." in call[1] and call[1].endswith(".id")) or call[1] == location
        )
        if change:
            if pending is not None:
                late.append(pending)
            pending = f"{call[1]}={call[2]}"
        elif call[0] in ("commit", "finish"):
            pending = None
    return late + ([pending] if pending else [])


def runtime_cmi(host_page: Any) -> dict[str, Any]:
    """Return the CMI data model the scorm-again runtime on the host page currently holds."""
    return host_page.evaluate("() => window.eceHost.snapshot()")


def host_log(host_page: Any) -> list[list[Any]]:
    """Return the host's log of API calls made by the package: [method, element, value, result, error]."""
    return host_page.evaluate("() => window.eceHost.calls")


@pytest.fixture(scope="session")
def lms_server() -> Iterator[LmsServer]:
    """Start one test LMS per session on 127.0.0.1."""
    if not (SCORM_AGAIN_DIR / "scorm12.js").exists():
        pytest.fail(f"scorm-again missing at {SCORM_AGAIN_DIR}; run `npm ci`", pytrace=False)
    server = LmsServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def lms_page(browser: Any) -> Iterator[Any]:
    """A fresh browser context (own localStorage) and page for one test; the browser is shared."""
    context = browser.new_context()
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def learner_key(request: Any) -> str:
    """A learner id unique to this test, so tests never see each other's LMS data."""
    return "t" + uuid.uuid4().hex[:12]
