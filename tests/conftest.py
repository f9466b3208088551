"""Test-wide fixtures: each concern lives in a tests/support module, registered here as a plugin."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

pytest_plugins = [
    "tests.support.browser",
    "tests.support.lrs_server",
    "tests.support.scorm_host",
    "tests.support.lms",
]
