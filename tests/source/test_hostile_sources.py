"""Hostile course sources: `validate SOURCE` reports first, in the same words, whatever `build` refuses.

Every case of tests/support/hostile.py SOURCE_CASES must: exit 1 from both commands, print a line that starts
with the expected path (and line) and holds the expected words, print no traceback, and write nothing.
Cases that could block (FIFOs, devices) run in a subprocess with a deadline, so a regression fails instead
of hanging the suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from ece_scorm.cli import cli
from tests.support.hostile import LEGAL_SOURCES, SOURCE_CASES, write_course

BLOCKING = {"media-fifo", "module-file-is-fifo", "media-link-to-device"}
DEADLINE = 60  # seconds: each command answers in well under one; the margin is for a loaded machine


def _run(args: list[str], blocking: bool) -> tuple[int, str]:
    """Run the CLI; return (exit code, everything it printed)."""
    if blocking:
        proc = subprocess.run(
            [sys.executable, "-m", "ece_scorm", *args], capture_output=True, text=True, timeout=DEADLINE
        )
        return proc.returncode, proc.stdout + proc.stderr
    result = CliRunner().invoke(cli, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def _located(output: str, prefix: str, words: str) -> bool:
    return any(line.startswith(prefix) and words in line for line in output.splitlines())


@pytest.mark.parametrize("case", sorted(SOURCE_CASES))
def test_validate_and_build_refuse_with_the_same_located_words(case, tmp_path):
    mutate, where, words = SOURCE_CASES[case]
    root = write_course(tmp_path / "course")
    mutate(root)
    blocking = case in BLOCKING
    prefix = f"{root}/{where}" + ("" if ":" in where else ":")
    code, validated = _run(["validate", str(root)], blocking)
    assert code == 1, validated
    assert _located(validated, prefix, words), validated
    out = tmp_path / "out"
    code, built = _run(["build", str(root), "--out", str(out), "-q"], blocking)
    assert code == 1, built
    assert _located(built, prefix, words), built
    assert "Traceback" not in validated + built and not out.exists()
    # Build's error lines are validate's lines: one validation path, one wording.
    errors = [line for line in built.splitlines() if ": error: " in line]
    assert errors and set(errors) <= set(validated.splitlines()), (errors, validated)


def test_the_source_corpus_covers_every_class():
    assert len(SOURCE_CASES) + len(LEGAL_SOURCES) >= 30


@pytest.mark.parametrize("case", sorted(LEGAL_SOURCES))
def test_odd_but_legal_sources_build_promptly_without_reading_what_is_unused(case, tmp_path):
    root = write_course(tmp_path / "course")
    keep = LEGAL_SOURCES[case](root)  # a bound socket stays open while the commands run
    out = tmp_path / "out"
    started = time.perf_counter()
    for args in (["validate", str(root)], ["build", str(root), "--out", str(out), "-q"]):
        proc = subprocess.run(
            [sys.executable, "-m", "ece_scorm", *args], capture_output=True, text=True, timeout=DEADLINE
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "Traceback" not in proc.stderr
    # A second build stops at "Up to date": the fingerprint walked the odd entries without opening them.
    again = subprocess.run(
        [sys.executable, "-m", "ece_scorm", "build", str(root), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=DEADLINE,
    )
    assert again.returncode == 0 and "Up to date" in again.stdout, again.stdout + again.stderr
    assert time.perf_counter() - started < 3 * DEADLINE
    if hasattr(keep, "close"):
        keep.close()


def test_fingerprint_never_opens_fifos_or_follows_links_out(tmp_path):
    from ece_scorm.pipeline.fingerprint import _walk

    root = write_course(tmp_path / "course")
    os.mkfifo(root / "media" / "pipe")
    os.symlink("/dev/zero", root / "zero")
    os.symlink("/etc", root / "etc")
    os.symlink(".", root / "media" / "again")  # a loop back into the source
    entries = {rel: marker for rel, _full, marker in _walk(root)}
    assert entries["media/pipe"] == "not a regular file"
    assert entries["zero"] == "link out of the folder"
    assert entries["etc"] == "link out of the folder"
    assert not any(rel.startswith("etc/") for rel in entries)
    assert entries["media/pic.png"] is None and entries["course.yaml"] is None
    assert sum(rel.endswith("pic.png") for rel in entries) == 1  # the loop is walked once


def test_validate_format_option_limits_the_budget_check(tmp_path):
    mutate, _, words = SOURCE_CASES["resume-state-overflow"]
    root = write_course(tmp_path / "course")
    mutate(root)
    only_2004 = CliRunner().invoke(cli, ["validate", str(root), "--format", "scorm2004"])
    assert only_2004.exit_code == 0, only_2004.output  # 64,000 characters leave room
    both = CliRunner().invoke(cli, ["validate", str(root), "--format", "scorm12,scorm2004"])
    assert both.exit_code == 1 and words in both.output and "SCORM 1.2's 4,096" in both.output
    bad = CliRunner().invoke(cli, ["validate", str(root), "--format", "scorm3"])
    assert bad.exit_code == 2 and "unknown format scorm3" in bad.output


def test_build_errors_start_with_their_location(tmp_path):
    root = write_course(tmp_path / "course")
    out = tmp_path / "out"
    out.write_text("a file where the output folder goes")
    result = CliRunner().invoke(cli, ["build", str(root), "--out", str(out)])
    assert result.exit_code == 1
    assert result.output.startswith(f"{out}: error: the output folder exists and is not a folder")
    assert "Error:" not in result.output


@pytest.mark.parametrize("name", ["course.yaml", "modules/m1.yaml"])
def test_symlink_loop_in_place_of_a_yaml_file_is_located(tmp_path, name):
    root = write_course(tmp_path / "course")
    (root / name).unlink()
    os.symlink(Path(name).name, root / name)
    result = CliRunner().invoke(cli, ["validate", str(root)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{root / name}: error:" in result.output


def test_template_failing_at_render_time_is_a_located_build_error(tmp_path):
    from tests.support.hostile import _theme

    root = write_course(tmp_path / "course")
    _theme(root, index="<html>\n{{ data }}\n{{ nothing_here }}\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(root), "--out", str(out)])
    assert result.exit_code == 1 and not out.exists()
    template = root / "themes" / "default" / "templates" / "index.html.j2"
    assert result.output.startswith(f"{template}:3:1: error: template failed for module 'm1'")
    assert "'nothing_here' is undefined" in result.output and "Traceback" not in result.output
