"""Smoke test of the benchmark harness: a quick run (1 run, no LRS) writes a well-formed RESULTS file.

Timings are never asserted (issue #7): only the structure of the results and values that do not depend
on the machine (targets, counts, resume-state worst cases computed here from the model).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from ece_scorm.pipeline import budget as state_budget
from ece_scorm.source.course import load_course

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "fixtures" / "courses" / "minimal"


def _section(text: str, title: str) -> str:
    start = text.index(f"## {title}")
    end = text.find("\n## ", start + 1)
    return text[start:] if end < 0 else text[start:end]


def _row(text: str, first_cell: str, *, prefix: bool = False) -> list[str]:
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells and (cells[0].startswith(first_cell) if prefix else cells[0] == first_cell):
            return cells
    raise AssertionError(f"no table row starting with {first_cell!r}")


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("bench") / "RESULTS.md"
    # A separate process, as `scripts/bench --quick` runs it: the harness drives its own Playwright, which
    # cannot start inside the suite's session-wide sync Playwright loop.
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--source", str(MINIMAL), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return out.read_text(encoding="utf-8")


def test_machine_and_date_are_recorded(results):
    assert results.startswith("# ece-scorm benchmarks\n")
    assert re.search(r"Generated \d{4}-\d\d-\d\d \d\d:\d\d UTC by `scripts/bench --quick`", results)
    machine = _section(results, "Machine")
    for key in ("CPU", "Cores", "Memory", "OS", "Python", "Chromium", "Runs per timed figure"):
        assert _row(machine, key)[1], key
    assert _row(machine, "Runs per timed figure")[1] == "1"
    assert _row(machine, "Chromium")[1].startswith("Chromium ")


def test_every_part_but_the_lrs_is_reported(results):
    titles = re.findall(r"^## (.+)$", results, re.M)
    assert titles == [
        "Machine",
        "Targets (issue #7)",
        "Full build of the ECE series",
        "Rebuilds",
        "Player runtime (JS + CSS, gzipped)",
        "Package sizes per module and format",
        "Player in headless Chromium",
        "Resume state (`suspend_data`) per module",
        "Lighthouse 12.2.3, mobile preset (simulated throttling)",
    ]


def test_targets_carry_the_issue_limits_and_a_verdict(results):
    targets = _section(results, "Targets (issue #7)")
    expected = {
        "Full build ÷ zip baseline, CLI, wall": "≤ 3.00×",
        "No-change rebuild, CLI": "≤ 0.300 s",
        "Player runtime JS + CSS gzipped, ": "≤ 25.0 KB",  # the largest format's, whichever it is
        "Time to interactive, `welcome`": "≤ 150.0 ms",
    }
    for name, target in expected.items():
        cells = _row(targets, name, prefix=True)
        assert cells[4] == "1", name  # one run in quick mode
        assert cells[5] == target, name
        assert cells[6] in ("✅", "❌"), name
    # Median, min and max are equal with a single sample.
    cells = _row(targets, "No-change rebuild, CLI")
    assert cells[1] == cells[2] == cells[3]
    assert re.fullmatch(r"\d+\.\d{3} s", cells[1])


def test_package_table_lists_every_package_of_the_build(results):
    packages = _section(results, "Package sizes per module and format")
    rows = [line for line in packages.splitlines() if line.startswith("| ece-mini-")]
    names = sorted(line.split("|")[1].strip() for line in rows)
    # minimal: three modules (welcome, practice, self-check) × scorm12/scorm2004/xapi, cmi5 as one series.
    expected = sorted(
        f"ece-mini-{m}-{f}.zip"
        for m in ("welcome", "practice", "self-check")
        for f in ("scorm12", "scorm2004", "xapi")
    ) + ["ece-mini-series-cmi5.zip"]
    assert names == sorted(expected)
    assert "jacksonp2008/scormtest" in packages  # published anchors are cited


def test_runtime_section_cites_the_published_players(results):
    runtime = _section(results, "Player runtime (JS + CSS, gzipped)")
    for fmt in ("standalone", "scorm12", "scorm2004", "xapi", "cmi5"):
        assert _row(runtime, fmt)[3] in ("✅", "❌")
    for anchor in ("Rise 360", "Adapt v5", "H5P standalone", "scorm-again 3.3.1"):
        assert anchor in runtime


def test_resume_state_rows_match_the_model(results):
    course, _ = load_course(MINIMAL)
    state = _section(results, "Resume state (`suspend_data`) per module")
    for module in course.modules:
        cells = _row(state, module.id)
        worst = state_budget.check(module, "scorm12", len(course.languages)).worst_case
        assert cells[1] == f"{worst:,} / 4,096"
        typical = int(cells[4].replace(",", ""))
        assert 0 < typical <= worst  # a measured state never exceeds the worst case
        assert cells[5] == "yes"  # the scripted learner completed the module


def test_page_changes_focus_a_heading(results):
    player = _section(results, "Player in headless Chromium")
    found = re.search(r"(\d+) page changes measured; (\d+) left focus elsewhere", player)
    # welcome has 3 pages: Next from the landing to page 1, to pages 2 and 3, then to the closing screen
    assert found and int(found.group(1)) == 4 and found.group(2) == "0"
