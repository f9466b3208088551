"""ece-scorm: YAML-authored courses to SCORM 1.2, SCORM 2004, xAPI and cmi5 packages."""

from __future__ import annotations

__version__ = "0.1.0"
