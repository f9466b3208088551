"""Hostile LRS answers: deep or non-finite JSON, endless or repeating cursors, bombs, trickles, odd links.

A local HTTP server (127.0.0.1 only, every loop bounded) plays each misbehaviour; `ece-scorm lrs query`
must stop with its hand-written message (exit 1, no traceback, no RecursionError) or, with --limit,
stop cleanly where the user asked.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest
from click.testing import CliRunner

from ece_scorm.cli import cli
from ece_scorm.lrs.client import LrsClient, LrsError, StatementQuery
from ece_scorm.lrs.config import load_config
from tests.support.hostile import gzip_bomb, statement


def _page(statements: list[dict], more: str = "") -> bytes:
    return json.dumps({"statements": statements, "more": more}).encode()


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for key, value in {"Content-Type": "application/json", **(headers or {})}.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        server = self.server
        server.hits += 1
        n = int(dict(parse_qsl(urlsplit(self.path).query)).get("cursor", "0"))
        special = getattr(self, "_" + server.mode.replace("-", "_"), None)
        if special is not None:
            special()
        else:
            self._send(200, ANSWERS.get(server.mode, lambda n: _page([statement(1)]))(n))

    def _gzip_bomb(self) -> None:
        self._send(200, self.server.bomb, {"Content-Encoding": "gzip"})

    def _retry_after_forever(self) -> None:
        self._send(503, b"{}", {"Retry-After": "86400"})

    def _redirect_loop(self) -> None:
        self._send(302, b"", {"Location": "/xAPI/statements"})

    def _trickle(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "100000")
        self.end_headers()
        try:
            for _ in range(100):  # at most 10 s, and only until the client hangs up
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.1)
        except OSError:
            pass


# Answers by mode, each from the `cursor` number of the request.
ANSWERS = {
    "deep-json": lambda n: b'{"statements": ' + b"[" * 200_000 + b"]" * 200_000 + b"}",
    "nan": lambda n: _page([statement(1)]).replace(b'"timestamp"', b'"score": NaN, "timestamp"'),
    "huge-number": lambda n: _page([statement(1)]).replace(b'"timestamp"', b'"score": 1e999, "timestamp"'),
    "bad-utf8": lambda n: b'{"statements": ["\xff\xfe"]}',
    # a new link each time, the same statements each time
    "repeating-cursor": lambda n: _page([statement(1), statement(2)], f"/xAPI/statements?cursor={n + 1}"),
    # always fresh statements, never the end
    "endless-cursor": lambda n: _page(
        [statement(n * 100 + i) for i in range(100)], f"/xAPI/statements?cursor={n + 1}"
    ),
    "more-other-host": lambda n: _page([statement(1)], "http://lrs.invalid:8080/xAPI/statements?cursor=1"),
    "more-invalid-url": lambda n: _page([statement(1)], "http://[HOST]/xAPI/statements?cursor=1"),
    "more-not-a-string": lambda n: json.dumps({"statements": [statement(1)], "more": {"href": 1}}).encode(),
    "stored-garbage": lambda n: _page([statement(1, stored="yesterday")]),
}


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass


@pytest.fixture(scope="module")
def lrs():
    server = _Server(("127.0.0.1", 0), _Handler)
    server.bomb = gzip_bomb(80)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _endpoint(server) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/xAPI/"


def _query(server, mode: str, *args: str):
    server.mode, server.hits = mode, 0
    argv = ["lrs", "query", "--endpoint", _endpoint(server), "--format", "jsonl", "--retries", "1", *args]
    started = time.perf_counter()
    result = CliRunner().invoke(cli, argv, env={"ECE_LRS_AUTH": "Basic eDp5"})
    assert time.perf_counter() - started < 30
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


CASES = {
    "deep-json": ((), "JSON nests more than 100 levels deep"),
    "nan": ((), "non-finite number NaN is not JSON"),
    "huge-number": ((), "number 1e999 is too large for a double"),
    "bad-utf8": ((), "unusable JSON answer"),
    "repeating-cursor": (("--paging", "more"), "served statements it had already sent"),
    "more-other-host": (("--paging", "more"), "'more' link on another host (lrs.invalid:8080)"),
    "more-invalid-url": (("--paging", "more"), "'more' link that is not a valid URL"),
    "more-not-a-string": (("--paging", "more"), "'more' link that is not a string"),
    "stored-garbage": ((), "invalid 'stored' time: 'yesterday'"),
    "gzip-bomb": ((), "the answer is larger than 67,108,864 bytes"),
    "retry-after-forever": ((), "HTTP 503; gave up after 2 attempt(s)"),
    "redirect-loop": ((), "too many redirects"),
    "trickle": (("--timeout", "0.5"), "the answer took more than 0.5s to arrive"),
}


@pytest.mark.parametrize("mode", sorted(CASES))
def test_hostile_answer_stops_with_its_message(lrs, mode, tmp_path):
    args, words = CASES[mode]
    out = tmp_path / "export.jsonl"
    result = _query(lrs, mode, *args, "-o", str(out))
    assert result.exit_code == 1, result.output
    assert words in result.output, result.output
    assert list(tmp_path.iterdir()) == []  # nothing half-written


def test_endless_cursor_stops_at_the_limit(lrs, tmp_path):
    out = tmp_path / "export.jsonl"
    result = _query(lrs, "endless-cursor", "--paging", "more", "--limit", "2500", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert len(out.read_text().splitlines()) == 2500
    assert lrs.hits == 25  # 100 statements a page: it stopped asking once it had enough


@pytest.mark.parametrize(
    ("endpoint", "words"),
    [
        ("http://[HOST]/xAPI/", "LRS endpoint must be an http(s) URL"),
        ("https://[::1/xAPI/", "LRS endpoint must be an http(s) URL"),
        ("http://127.0.0.1:99999/xAPI/", "LRS endpoint must be an http(s) URL"),
        ("ftp://lrs.example.org/xAPI/", "LRS endpoint must be an http(s) URL"),
    ],
)
def test_malformed_endpoint_is_a_clear_error(endpoint, words):
    result = CliRunner().invoke(
        cli, ["lrs", "query", "--endpoint", endpoint], env={"ECE_LRS_AUTH": "Basic eDp5"}
    )
    assert result.exit_code == 1 and words in result.output and "Traceback" not in result.output


def test_answer_size_is_bounded_per_request(lrs):
    lrs.mode = "endless-cursor"
    client = LrsClient(load_config(_endpoint(lrs), timeout=5, retries=0), max_answer_bytes=10_000)
    with pytest.raises(LrsError, match="the answer is larger than 10,000 bytes"):
        list(client.statements(StatementQuery()))
    client.close()


def test_limit_must_be_positive(lrs):
    result = _query(lrs, "ok", "--limit", "0")
    assert result.exit_code == 1 and "--limit must be at least 1" in result.output


def test_the_lrs_corpus_is_large_enough():
    assert len(CASES) + 6 >= 12
