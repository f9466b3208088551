"""Property-based fuzzing of the package inspector through `validate PACKAGE` (Hypothesis, time-capped).

A damaged package (flipped, cut, inserted or rewritten bytes of a seed zip) or random bytes: exit code 0, 1
or 2, no traceback, each example within seconds and a bounded memory peak, also in a fresh process.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.fuzz import mutated_zip, run_validate, warm_up

EXAMPLE_SECONDS = 10  # each example takes well under a second; the margin is for a loaded machine
PEAK_BYTES = 64 * 1024 * 1024
FUZZ = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


@pytest.fixture(scope="module", autouse=True)
def _warm():
    warm_up()


@pytest.mark.fuzz
@FUZZ
@given(data=mutated_zip() | st.binary(max_size=2048))
def test_any_zip_bytes_are_answered_without_a_traceback(data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "package.zip"
        path.write_bytes(data)
        started = time.perf_counter()
        code, output, exc, peak = run_validate(path)
        elapsed = time.perf_counter() - started
    assert code in (0, 1, 2), output
    assert exc is None or isinstance(exc, SystemExit), repr(exc)
    assert "Traceback" not in output
    assert elapsed < EXAMPLE_SECONDS and peak < PEAK_BYTES, (elapsed, peak)


WORKER = """
import resource, tempfile, time
from pathlib import Path
from hypothesis import given, settings
from tests.support.fuzz import mutated_zip, run_validate, warm_up
warm_up()
slowest = 0.0
@settings(max_examples=20, deadline=None, derandomize=True, database=None)
@given(data=mutated_zip())
def run(data):
    global slowest
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "p.zip"
        path.write_bytes(data)
        started = time.perf_counter()
        code, output, exc, _ = run_validate(path, trace=False)
        slowest = max(slowest, time.perf_counter() - started)
        assert code in (0, 1, 2) and (exc is None or isinstance(exc, SystemExit)), output
run()
# VmHWM: this process's own peak (ru_maxrss keeps the forking pytest's size across exec)
hwm = next(ln.split()[1] for ln in open('/proc/self/status') if ln.startswith('VmHWM:'))
print(int(hwm) // 1024, slowest)
"""


@pytest.mark.fuzz
def test_fuzzing_stays_within_the_documented_memory_in_a_fresh_process():
    root = Path(__file__).parents[2]
    proc = subprocess.run(
        [sys.executable, "-c", WORKER], capture_output=True, text=True, timeout=120, cwd=root
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    peak_mb, slowest = proc.stdout.split()
    assert int(peak_mb) < 256 and float(slowest) < EXAMPLE_SECONDS, proc.stdout
