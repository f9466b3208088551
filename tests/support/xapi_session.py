"""Helpers for the xAPI / cmi5 browser tests: build real packages, launch them, read and validate the LRS."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from ece_scorm.cli import cli
from tests.support.launcher import Launcher
from tests.support.lrs_server import LrsServer

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "fixtures" / "courses" / "minimal"
COURSE_ID = "https://example.org/courses/ece-mini"  # tests/fixtures/courses/minimal/course.yaml
VALIDATOR = Path(__file__).with_name("validate_xapi.js")
VERBS = "http://adlnet.gov/expapi/verbs/"


def build(tmp: Path, fmt: str, source: Path = MINIMAL) -> dict[str, Path]:
    """Build every package of `fmt` with the real CLI; return {zip stem: extracted folder}."""
    out = tmp / "build"
    result = CliRunner().invoke(
        cli, ["build", str(source), "--format", fmt, "--out", str(out), "-q"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    folders = {}
    for zpath in sorted(out.glob(f"*-{fmt}.zip")):
        target = tmp / zpath.stem
        with zipfile.ZipFile(zpath) as zf:
            zf.extractall(target)
        folders[zpath.stem] = target
    assert folders, f"no {fmt} package was built"
    return folders


def launchers(fresh_lrs: LrsServer) -> Iterator[Callable[[Path], Launcher]]:
    """Yield a starter of launchers (one per package folder) in front of the LRS; stop them all after.

    Test modules wrap it in a fixture: `yield from launchers(fresh_lrs)`.
    """
    started: list[Launcher] = []

    def start(folder: Path) -> Launcher:
        la = Launcher(fresh_lrs, folder).start()
        started.append(la)
        return la

    yield start
    for la in started:
        la.stop()


def verb(stmt: dict) -> str:
    """Return the last segment of a statement's verb IRI."""
    return stmt["verb"]["id"].rsplit("/", 1)[-1]


def statements(lrs: LrsServer, registration: str) -> list[dict]:
    """Return a registration's statements, oldest first (Learning Locker answers newest first otherwise)."""
    return lrs.get_all(registration=registration, ascending="true")


def wait_for_statements(
    lrs: LrsServer, registration: str, until: Callable[[list[dict]], bool], timeout: float = 20.0
) -> list[dict]:
    """Poll the LRS until `until(statements)` holds; fail with what arrived otherwise."""
    deadline = time.monotonic() + timeout
    got: list[dict] = []
    while time.monotonic() < deadline:
        got = statements(lrs, registration)
        if until(got):
            return got
        time.sleep(0.25)
    raise AssertionError(f"LRS never reached the expected state; got {[verb(s) for s in got]}")


def validation_problems(stmts: list[dict]) -> list[dict]:
    """Validate statements with @learninglocker/xapi-validation (node); return the problems found."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed (run scripts/test)", pytrace=False)
    proc = subprocess.run(
        [node, str(VALIDATOR)], input=json.dumps(stmts), capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def new_page(browser, errors: list[str]):
    """Open a fresh browser context (own storage) and page, collecting JavaScript errors."""
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    return context, page


def status_text(page) -> str:
    """Return what the learner reads in the player's status region."""
    return page.locator("#ece-status").inner_text()


def wait_status(page, pattern: str, timeout: float = 15000) -> str:
    """Wait until the status region matches a regular expression; return the text that matched."""
    handle = page.wait_for_function(
        "(p) => { const t = document.getElementById('ece-status').textContent;"
        " return new RegExp(p).test(t) && t; }",
        arg=pattern,
        timeout=timeout,
    )
    return handle.json_value()


def next_(page, lang: str = "en") -> None:
    page.get_by_role("button", name="Next" if lang == "en" else "Suivant", exact=True).click()


def reflect(page, text: str) -> None:
    """Write the reflection on the 'Watch and reflect' page (recorded when the field loses focus)."""
    box = page.get_by_role("textbox", name="What stood out for you?")
    box.fill(text)
    box.blur()


def answer_quiz(page, *, all_correct: bool = True) -> None:
    """Answer the welcome-check quiz: 3/3 correct, or 2/3 (67 %, the fixture's pass mark)."""
    page.get_by_role("group", name="How many pillars are there?").get_by_role("radio", name="Three").check()
    page.get_by_role("button", name="Check", exact=True).first.click()
    q2 = page.get_by_role("group", name="Which are pillars?")
    q2.get_by_role("checkbox", name="Patient partners").check()
    if all_correct:
        q2.get_by_role("checkbox", name="Leadership").check()
    q2.get_by_role("button", name="Check").click()
    q3 = page.get_by_role("group", name=re.compile("built on relationships"))
    q3.get_by_role("radio", name="True").check()
    q3.get_by_role("button", name="Check").click()
    page.locator(".ece-page:not([hidden]) [data-result]").wait_for()


def leave(page) -> None:
    """Navigate away so pagehide fires (the adapter's exit), as when a learner closes the window."""
    page.goto("about:blank")
