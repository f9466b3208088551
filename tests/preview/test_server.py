"""The preview server without a browser: its in-memory LRS, its event stream, and its user-facing errors."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from ece_scorm.cli import cli
from ece_scorm.commands.new import run_new
from ece_scorm.preview.memory_lrs import MemoryLRS
from ece_scorm.preview.server import PreviewServer

STATEMENT = {
    "id": "6f1c8b58-2b0e-4c47-9b1e-8d5f0c1a2b3c",
    "actor": {"mbox": "mailto:a@example.org"},
    "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
    "object": {"id": "https://example.org/c/m1/page/p1"},
}


def test_lrs_stores_statements_once_and_refuses_malformed_ones():
    seen = []
    lrs = MemoryLRS(on_statement=seen.append)
    body = json.dumps([STATEMENT]).encode()
    assert lrs.handle("POST", "statements", "", body) == (
        200,
        "application/json",
        json.dumps([STATEMENT["id"]]).encode(),
    )
    lrs.handle("POST", "statements", "", body)  # an outbox resend must not duplicate
    assert [s["id"] for s in lrs.snapshot()] == [STATEMENT["id"]] and len(seen) == 1
    assert lrs.handle("POST", "statements", "", b"{not json")[0] == 400
    assert lrs.handle("POST", "statements", "", b'[{"actor": {}}]')[0] == 400
    status, _, got = lrs.handle("GET", "statements", f"statementId={STATEMENT['id']}", b"")
    assert status == 200 and json.loads(got)["verb"] == STATEMENT["verb"]
    lrs.offline = True
    assert lrs.handle("POST", "statements", "", body)[0] == 503


def test_lrs_documents_match_agents_whatever_their_spelling():
    lrs = MemoryLRS()
    put = "activityId=x&agent=%7B%22mbox%22%3A%22mailto%3Aa%40b.c%22%2C%22name%22%3A%22A%22%7D&stateId=s"
    get = (
        "activityId=x&agent=%7B%22name%22%3A%20%22A%22%2C%20%22mbox%22%3A%20%22mailto%3Aa%40b.c%22%7D"
        "&stateId=s"
    )
    assert lrs.handle("PUT", "activities/state", put, b"abc")[0] == 204
    assert lrs.handle("GET", "activities/state", get, b"")[2] == b"abc"
    assert lrs.handle("DELETE", "activities/state", get, b"")[0] == 204
    assert lrs.handle("GET", "activities/state", put, b"")[0] == 404


def _read_events(url: str, until: str, timeout: float = 10) -> str:
    """Read the event stream until `until` appears; return what was read."""
    seen = ""
    with urllib.request.urlopen(url, timeout=timeout) as res:
        deadline = time.monotonic() + timeout
        while until not in seen and time.monotonic() < deadline:
            seen += res.readline().decode()
    return seen


def test_source_change_rebuilds_and_sends_a_build_event(tmp_path):
    course = tmp_path / "c"
    run_new(course)
    server = PreviewServer(course, "scorm12", 0)
    server.start()
    try:
        module = course / "modules" / "getting-started.yaml"

        def touch():
            time.sleep(0.5)
            module.write_text(
                module.read_text(encoding="utf-8").replace("Getting started", "Off we go", 1),
                encoding="utf-8",
            )

        threading.Thread(target=touch, daemon=True).start()
        stream = _read_events(server.url + "events", '"shown": 2')
        assert "event: build" in stream and '"shown": 2' in stream, stream
        state = json.loads(urllib.request.urlopen(server.url + "api/state").read())
        assert state["modules"][0]["title"]["en"] == "Off we go" and state["errors"] == []
        page = urllib.request.urlopen(server.url + "course/getting-started/index.html").read().decode()
        assert "Off we go" in page
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(server.url + "course/getting-started/../../etc/passwd")
        assert missing.value.code == 404
    finally:
        server.stop()


def test_cli_refuses_a_missing_source_and_a_busy_port(tmp_path):
    result = CliRunner().invoke(cli, ["preview", str(tmp_path / "nope"), "--no-open", "--port", "0"])
    assert result.exit_code == 1 and "does not exist" in result.output and "Traceback" not in result.output
    course = tmp_path / "c"
    run_new(course)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(cli, ["preview", str(course), "--no-open", "--port", str(port)])
    assert result.exit_code == 1 and f"cannot listen on 127.0.0.1:{port}" in result.output


def test_preview_assets_hold_both_languages():
    js = (Path(__file__).resolve().parents[2] / "ece_scorm" / "preview" / "assets" / "preview.js").read_text()
    for key in ("title", "errorsTitle", "panelTitle", "reloaded", "outbox"):
        assert js.count(f"{key}:") >= 2, key  # one entry per language, en and fr


def test_a_broken_source_is_reported_then_served_once_fixed(tmp_path, capsys):
    course = tmp_path / "c"
    run_new(course)
    module = course / "modules" / "getting-started.yaml"
    good = module.read_text(encoding="utf-8")
    module.write_text(good.replace("estimated_minutes:", "estimated_minutez:", 1), encoding="utf-8")
    server = PreviewServer(course, "xapi", 0)
    try:
        state = server.preview.state()
        assert state["modules"] == [] and any("estimated_minutez" in e for e in state["errors"])
        assert "estimated_minutez" in capsys.readouterr().err  # the terminal shows it too
        module.write_text(good, encoding="utf-8")
        server.preview.rebuild()
        state = server.preview.state()
        assert state["errors"] == [] and [m["id"] for m in state["modules"]] == ["getting-started"]
    finally:
        server.stop()
