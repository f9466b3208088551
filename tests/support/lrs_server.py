"""Run Learning Locker's xapi-statements service on 127.0.0.1 as a real LRS for tests."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE_DIR = ROOT / "node_modules" / "xapi-statements"
SERVER_JS = PACKAGE_DIR / "dist" / "server.js"
PRELOAD_JS = Path(__file__).with_name("lrs_bind_localhost.js")
XAPI_VERSION = "1.0.3"
# AUTH_REPO=test accepts any credentials; tests still send Basic auth like a real client would.
USERNAME = "ece-test"
PASSWORD = "ece-test-secret"
BATCH = 500  # statements per POST; well under the service's 5 MB body limit for our statement sizes


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LrsServer:
    """A running xapi-statements process and the helpers tests need to use it."""

    port: int
    process: subprocess.Popen
    workdir: Path
    username: str = USERNAME
    password: str = PASSWORD
    log_path: Path = field(default=Path())

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def endpoint(self) -> str:
        """The xAPI endpoint (ends with a slash, as xAPI clients expect)."""
        return f"{self.base_url}/xAPI/"

    @property
    def auth(self) -> str:
        """The Authorization header value for the test credentials."""
        token = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
        return f"Basic {token}"

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": self.auth, "X-Experience-API-Version": XAPI_VERSION}

    def env(self) -> dict[str, str]:
        """Environment variables that point ece-scorm's LRS client at this server."""
        return {
            "ECE_LRS_ENDPOINT": self.endpoint,
            "ECE_LRS_USERNAME": self.username,
            "ECE_LRS_PASSWORD": self.password,
        }

    def _request(self, method: str, url: str, body: bytes | None = None, timeout: float = 60) -> bytes:
        headers = dict(self.headers)
        if body is not None:
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(url, data=body, method=method, headers=headers)
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.read()

    def post(self, statements: Iterable[dict]) -> list[str]:
        """Store statements (batched POSTs); return the ids the LRS assigned or kept, in order."""
        ids: list[str] = []
        batch: list[dict] = []
        for stmt in statements:
            batch.append(stmt)
            if len(batch) >= BATCH:
                ids.extend(self._post_batch(batch))
                batch = []
        if batch:
            ids.extend(self._post_batch(batch))
        return ids

    def _post_batch(self, batch: list[dict]) -> list[str]:
        raw = self._request("POST", self.endpoint + "statements", json.dumps(batch).encode())
        return json.loads(raw)

    def get_all(self, **params: str) -> list[dict]:
        """Fetch every statement matching the query (newest first, or oldest first with ascending="true").

        Pages with `until` = the oldest `stored` time seen, not with the service's `more` cursor: that cursor
        compares version-1 UUID strings, which wrap every ~7 minutes, so a chain crossing a wrap loses
        statements. `until` is inclusive; statements already fetched at that instant are skipped by id.
        """
        query = dict(params)
        ascending = str(query.pop("ascending", "false")).lower() == "true"
        size = int(query.pop("limit", "500"))
        out: list[dict] = []
        seen: set[str] = set()
        until, limit = query.pop("until", None), size
        while True:
            window = {**query, "limit": str(limit), **({"until": until} if until else {})}
            url = self.endpoint + "statements?" + urllib.parse.urlencode(window)
            statements = json.loads(self._request("GET", url))["statements"]
            fresh = [st for st in statements if st["id"] not in seen]
            out.extend(fresh)
            seen.update(st["id"] for st in fresh)
            if len(statements) < limit:
                break
            until = statements[-1]["stored"]
            # The next answer repeats every statement already fetched at `until`: leave room for them.
            repeats = next((i for i, st in enumerate(reversed(out)) if st["stored"] != until), len(out))
            limit = size + repeats
        return out[::-1] if ascending else out

    def clear(self) -> None:
        """Empty the store (route added by lrs_bind_localhost.js; test-only)."""
        self._request("POST", self.base_url + "/__ece/clear", b"")

    def stop(self) -> None:
        """Kill the server's process group and remove its working folder."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        shutil.rmtree(self.workdir, ignore_errors=True)


def start_lrs(port: int | None = None, ready_timeout: float = 60.0) -> LrsServer:
    """Start xapi-statements with in-memory repositories and wait until /xAPI/about answers."""
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("node is not installed; the LRS fixture needs Node.js (run scripts/test)")
    if not SERVER_JS.is_file():
        raise RuntimeError(f"{SERVER_JS} is missing; run `npm ci` in {ROOT}")
    port = port or free_port()
    workdir = Path(tempfile.mkdtemp(prefix="ece-lrs-"))
    env = {
        **os.environ,
        "MODELS_REPO": "memory",
        "AUTH_REPO": "test",
        "EVENTS_REPO": "test",
        "STORAGE_REPO": "local",
        "FS_LOCAL_STORAGE_DIR": str(workdir / "storage"),
        "EXPRESS_MORGAN_DIRECTORY": str(workdir / "accessLogs"),
        "EXPRESS_PORT": str(port),
        "EXPRESS_BODY_PARSER_LIMIT": "20mb",
        "WINSTON_CONSOLE_LEVEL": "warn",
        "ECE_XAPI_STATEMENTS_DIR": str(PACKAGE_DIR),
        # dotenv would read a stray .env in the cwd; run from the empty work folder.
    }
    log_path = workdir / "lrs.log"
    log = open(log_path, "wb")  # noqa: SIM115 - the child owns it for its lifetime
    proc = subprocess.Popen(
        [node, "-r", str(PRELOAD_JS), str(SERVER_JS)],
        cwd=workdir,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    log.close()
    server = LrsServer(port=port, process=proc, workdir=workdir, log_path=log_path)
    deadline = time.monotonic() + ready_timeout
    while True:
        if proc.poll() is not None:
            text = log_path.read_text(errors="replace")[-2000:]
            shutil.rmtree(workdir, ignore_errors=True)
            raise RuntimeError(f"xapi-statements exited with {proc.returncode}:\n{text}")
        try:
            about = json.loads(server._request("GET", server.endpoint + "about", timeout=2))
            if XAPI_VERSION in about.get("version", []):
                return server
        except (urllib.error.URLError, OSError, ValueError):
            pass
        if time.monotonic() > deadline:
            server.stop()
            raise RuntimeError(f"xapi-statements did not answer /xAPI/about within {ready_timeout:.0f}s")
        time.sleep(0.2)


@pytest.fixture(scope="session")
def lrs() -> Iterator[LrsServer]:
    """One LRS process for the whole test session (call `lrs.clear()` for an empty store)."""
    server = start_lrs()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def fresh_lrs(lrs: LrsServer) -> LrsServer:
    """The session LRS, emptied before the test so the test sees only its own statements.

    If an earlier test crashed the service, it is restarted on the same port (with a warning quoting
    its log), so one crash does not fail every later LRS test.
    """
    if lrs.process.poll() is not None:
        tail = lrs.log_path.read_text(errors="replace")[-800:] if lrs.log_path.is_file() else ""
        code = lrs.process.returncode
        shutil.rmtree(lrs.workdir, ignore_errors=True)
        new = start_lrs(lrs.port)
        lrs.process, lrs.workdir, lrs.log_path = new.process, new.workdir, new.log_path
        warnings.warn(
            f"the LRS had exited with {code}; restarted it. Its log ended with:\n{tail}", stacklevel=2
        )
    lrs.clear()
    return lrs
