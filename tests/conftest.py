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


def pytest_collection_modifyitems(config, items):
    """Give each test that drives Chromium or a real LMS one rerun (pytest-rerunfailures).

    These tests wait on a browser and on real servers (PHP, CATAPULT, the LRS) sharing two cores; a timing
    hiccup gets one more try, shown as R in the progress line and in the summary. A test that fails twice
    fails the run.
    """
    import pytest

    for item in items:
        if item.get_closest_marker("browser") or item.get_closest_marker("lms"):
            item.add_marker(pytest.mark.flaky(reruns=1, reruns_delay=1))
