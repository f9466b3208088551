"""Hostile packages: malformed URLs, tampered data, lying zips, crafted HTML and big legal archives.

Each case of tests/support/hostile.py PACKAGE_CASES gets its hand-written finding from `validate` (exit 1,
no traceback). Crafted HTML must not make the checker slow; a large legal archive must be checked in
bounded memory (measured in a subprocess with resource.getrusage).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from ece_scorm.checks import check_package
from ece_scorm.cli import cli
from tests.support.hostile import PACKAGE_CASES, QUADRATIC_HTML, _html_page, large_legal_archive

PEAK_LIMIT_MB = 256


@pytest.mark.parametrize("case", sorted(PACKAGE_CASES))
def test_hostile_package_gets_its_finding(case, tmp_path):
    build, entry, words = PACKAGE_CASES[case]
    path = tmp_path / f"{case}.zip"
    path.write_bytes(build())
    result = CliRunner().invoke(cli, ["validate", str(path), "--json"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    issues = json.loads(result.stdout)["issues"]
    where = path.name if entry == "{zip}" else entry
    assert any(i["file"] == where and i["level"] == "error" and words in i["message"] for i in issues), issues


@pytest.mark.parametrize("case", sorted(QUADRATIC_HTML))
def test_crafted_html_is_checked_in_linear_time(case, tmp_path):
    path = tmp_path / f"{case}.zip"
    path.write_bytes(_html_page(QUADRATIC_HTML[case]))
    started = time.perf_counter()
    report = check_package(path)
    assert time.perf_counter() - started < 10  # Python's HTMLParser took minutes on these
    assert report.standard == "SCORM 1.2"


def test_large_legal_archive_is_checked_in_bounded_memory(tmp_path):
    path = large_legal_archive(tmp_path / "big.zip", megabytes=320)
    script = (
        "import resource, sys\n"
        "from ece_scorm.checks import check_package\n"
        "r = check_package(__import__('pathlib').Path(sys.argv[1]))\n"
        # VmHWM is this process's own peak; ru_maxrss would carry the forking pytest process's size over exec
        "hwm = next(ln.split()[1] for ln in open('/proc/self/status') if ln.startswith('VmHWM:'))\n"
        "print(r.errors, int(hwm) // 1024)\n"
    )
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    errors, peak_mb = map(int, proc.stdout.split())
    assert peak_mb < PEAK_LIMIT_MB, f"peak {peak_mb} MB"
    assert time.perf_counter() - started < 120


def test_the_package_corpus_is_large_enough():
    assert len(PACKAGE_CASES) + len(QUADRATIC_HTML) >= 20
