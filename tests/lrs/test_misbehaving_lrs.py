"""A misbehaving LRS (HTML pages, 5xx, slow answers, broken `more` links) fails cleanly or is retried."""

from __future__ import annotations

import json
import math
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest
from click.testing import CliRunner

from ece_scorm.cli import cli
from ece_scorm.lrs.client import PAGE_SIZE


def _statement(i: int) -> dict:
    return {
        "id": f"00000000-0000-4000-8000-{i:012d}",
        "actor": {"mbox": "mailto:a@example.org"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
        "object": {"id": f"https://example.org/c/page/{i}"},
        "timestamp": "2026-01-01T00:00:00Z",
        "stored": f"2026-01-01T00:00:0{9 - i}.000Z",
    }


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def _send(self, status: int, body: bytes, ctype: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        server = self.server
        server.hits.append(self.path)
        server.headers_seen.append(dict(self.headers))
        mode = server.mode
        page = {"statements": [_statement(1), _statement(2)], "more": ""}
        if mode == "html":
            self._send(200, b"<!DOCTYPE html><html><body>Login required</body></html>", "text/html")
        elif mode in ("401", "403", "404", "500"):
            self._send(int(mode), json.dumps({"message": f"status {mode} from test"}).encode())
        elif mode == "flaky" and len(server.hits) <= 2:
            self._send(503, b"<html>busy</html>", "text/html")
        elif mode == "slow":
            time.sleep(1.5)
            self._send(200, json.dumps(page).encode())
        elif mode == "broken-more":
            if "more" in self.path:
                self._send(404, b"<html>Not found</html>", "text/html")
            else:
                self._send(200, json.dumps({**page, "more": "/xAPI/statements/more/abc"}).encode())
        elif mode == "loop-more":
            self._send(200, json.dumps({**page, "more": "/xAPI/statements/more/same"}).encode())
        elif mode == "list":
            self._send(200, b"[1, 2, 3]")
        else:  # "flaky" after two failures, and "ok"
            self._send(200, json.dumps(page).encode())


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:  # the client hung up on a slow answer
        pass


@pytest.fixture(scope="module")
def bad_lrs():
    server = _QuietServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _run(server, mode: str, *args: str, env: dict | None = None):
    server.mode, server.hits, server.headers_seen = mode, [], []
    endpoint = f"http://127.0.0.1:{server.server_address[1]}/xAPI/"
    argv = ["lrs", "query", "--endpoint", endpoint, "--format", "jsonl", *args]
    env = {"ECE_LRS_USERNAME": "u", "ECE_LRS_PASSWORD": "p", "ECE_LRS_AUTH": None, **(env or {})}
    result = CliRunner().invoke(cli, argv, env=env)
    assert "Traceback" not in result.output
    return result


@pytest.mark.parametrize(
    ("mode", "needle"),
    [
        ("html", "expected JSON, got text/html"),
        ("401", "HTTP 401: status 401 from test (check ECE_LRS_USERNAME"),
        ("403", "HTTP 403"),
        ("404", "HTTP 404"),
        ("list", "expected a JSON object"),
    ],
)
def test_unusable_answers_fail_once_with_a_clear_message(bad_lrs, mode, needle):
    result = _run(bad_lrs, mode, "--retries", "3")
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert needle in result.output
    assert len(bad_lrs.hits) == 1  # client errors are not retried


def test_requests_carry_version_and_auth_headers(bad_lrs):
    result = _run(bad_lrs, "ok")
    assert result.exit_code == 0
    headers = bad_lrs.headers_seen[0]
    assert headers["X-Experience-API-Version"] == "1.0.3"
    assert headers["Authorization"] == "Basic dTpw"  # base64("u:p")


def test_server_errors_are_retried_then_reported(bad_lrs):
    result = _run(bad_lrs, "500", "--retries", "2")
    assert result.exit_code == 1
    assert "HTTP 500; gave up after 3 attempt(s)" in result.output
    assert len(bad_lrs.hits) == 3


def test_transient_errors_recover(bad_lrs):
    result = _run(bad_lrs, "flaky", "--retries", "3")
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 2 and len(bad_lrs.hits) == 3


def test_slow_answers_time_out(bad_lrs):
    result = _run(bad_lrs, "slow", "--timeout", "0.3", "--retries", "1")
    assert result.exit_code == 1
    assert "timed out after 0.3s; gave up after 2 attempt(s)" in result.output


def test_broken_more_link_leaves_no_partial_file(bad_lrs, tmp_path):
    out = tmp_path / "export.csv"
    result = _run(bad_lrs, "broken-more", "--format", "csv", "-o", str(out), "--paging", "more")
    assert result.exit_code == 1
    assert "/xAPI/statements/more/abc: HTTP 404" in result.output
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_more_link_loop_is_detected(bad_lrs):
    result = _run(bad_lrs, "loop-more", "--paging", "more")
    assert result.exit_code == 1 and "same 'more' link twice" in result.output


def test_connection_refused_is_reported_without_traceback(tmp_path):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "ece_scorm",
            "lrs",
            "query",
            "--endpoint",
            f"http://127.0.0.1:{port}/xAPI/",
            "--retries",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1
    assert "connection failed" in proc.stderr and "gave up after 2 attempt(s)" in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""


class _TimeOrderedHandler(_Handler):
    """Honours `until` and `limit` like a conformant LRS, but its `more` cursor skips statements.

    This is Learning Locker's cursor bug in miniature (its cursor compares UUID strings that do not sort
    by time); the client must page with `until` and stay correct even across a run of statements sharing
    one `stored` time that is longer than a page.
    """

    def do_GET(self) -> None:
        server = self.server
        server.hits.append(self.path)
        query = dict(parse_qsl(urlsplit(self.path).query))
        rows = server.rows[::-1] if query.get("ascending") == "true" else server.rows
        if "until" in query:
            rows = [r for r in rows if r["stored"] <= query["until"]]
        if "since" in query:
            rows = [r for r in rows if r["stored"] > query["since"]]
        limit = int(query.get("limit", "500"))
        page = rows[:limit]
        more = "/xAPI/statements?cursor=skips-half" if len(rows) > limit else ""
        if "cursor" in query:
            page = rows[len(rows) // 2 :][:limit]
        self._send(200, json.dumps({"statements": page, "more": more}).encode())


@pytest.mark.parametrize("ascending", [False, True], ids=["newest-first", "oldest-first"])
def test_pages_by_stored_time_past_a_skipping_cursor_and_long_ties(ascending):
    rows = []
    for i in range(2234):  # 1,700 statements share the oldest `stored` time: more than a page
        minute, second = divmod(i - 1700, 60)
        stored = "2026-01-01T00:00:00.000Z" if i < 1700 else f"2026-01-01T01:{minute:02d}:{second:02d}.500Z"
        rows.append({**_statement(i), "stored": stored})
    rows.sort(key=lambda r: (r["stored"], r["id"]), reverse=True)
    server = _QuietServer(("127.0.0.1", 0), _TimeOrderedHandler)
    server.rows, server.hits = rows, []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        endpoint = f"http://127.0.0.1:{server.server_address[1]}/xAPI/"
        argv = ["lrs", "query", "--endpoint", endpoint, "--format", "jsonl", *(["--ascending"] * ascending)]
        result = CliRunner().invoke(cli, argv, env={"ECE_LRS_AUTH": "Basic eDp5"})
    finally:
        server.shutdown()
        server.server_close()
    assert result.exit_code == 0, result.output
    got = [json.loads(line) for line in result.stdout.splitlines()]
    expected = [r["id"] for r in (rows[::-1] if ascending else rows)]
    assert [s["id"] for s in got] == expected  # all, once each, in order
    assert not any("cursor" in hit for hit in server.hits)
    # Each request leaves room for the statements already seen at the boundary: no request is wasted,
    # even inside the run of 1,700 statements sharing one `stored` time.
    assert len(server.hits) == math.ceil(len(rows) / PAGE_SIZE), server.hits
