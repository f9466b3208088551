"""-v / -q on every command, before or after its name; progress on stdout, warnings on stderr."""

from __future__ import annotations

import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from ece_scorm.cli import cli

FIXTURE = Path(__file__).parents[1] / "fixtures" / "courses" / "minimal"


@pytest.fixture
def course(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURE, tmp_path / "course"))


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_every_command_and_group_takes_v_and_q():
    def walk(command: click.Command, path: str):
        yield path, command
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                yield from walk(sub, f"{path} {name}")

    for path, command in walk(cli, "ece-scorm"):
        flags = {opt for p in command.params for opt in getattr(p, "opts", [])}
        assert {"-v", "--verbose", "-q", "--quiet"} <= flags, path


@pytest.mark.parametrize("where", ["before", "after"])
def test_quiet_prints_nothing_but_errors(course, tmp_path, where):
    args = ["build", str(course), "--out", str(tmp_path / "out"), "--module", "welcome"]
    result = invoke(*(["-q", *args] if where == "before" else [*args, "-q"]))
    assert result.exit_code == 0 and result.stdout == "" and result.stderr == ""
    assert (tmp_path / "out" / "ece-mini-welcome-scorm12.zip").is_file()
    bad = invoke("-q", "build", str(course), "--out", str(tmp_path / "out"), "--module", "nope")
    assert bad.exit_code == 2 and "no module 'nope'" in bad.stderr  # errors still show


def test_default_shows_progress_and_verbose_adds_details(course, tmp_path):
    out = tmp_path / "out"
    first = invoke("build", str(course), "--out", str(out), "--module", "welcome")
    assert first.exit_code == 0
    assert "[1/1] scorm12 welcome" in first.stdout and "Built 1 package(s)" in first.stdout
    # New options give new inputs to fingerprint: each run below misses the fast path, -v says why.
    plain = invoke("build", str(course), "--out", str(out), "--module", "welcome", "--strict")
    verbose = invoke("-v", "build", str(course), "--out", str(out), "--module", "welcome", "--lang", "en,fr")
    assert plain.exit_code == verbose.exit_code == 0
    assert "fingerprint" not in plain.stderr
    assert "no intact build of these inputs" in verbose.stderr and "[1/1]" in verbose.stdout
