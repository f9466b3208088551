"""The real-LMS tier's fixtures (tests/support/lms.py): Moodle, its LRS, CATAPULT, the built packages."""

from __future__ import annotations

from tests.support.lms import catapult, moodle, moodle_lrs, xapi_cmi5_packages  # noqa: F401
