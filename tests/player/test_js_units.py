"""Run the node unit tests (statements, outbox, adapters, language matcher) with node --test in pytest."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
JS_TESTS = [
    "tests/js/xapi_statements.test.js",
    "tests/js/outbox.test.js",
    "tests/js/xapi_adapters.test.js",
    "tests/js/i18n_match.test.js",
]


@pytest.mark.parametrize("path", JS_TESTS)
def test_node_unit_tests_pass(path):
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed (run scripts/test)", pytrace=False)
    proc = subprocess.run([node, "--test", path], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "# fail 0" in proc.stdout
