"""The only reader of a course folder: YAML with marks, typed fields, one validator per file kind."""

from __future__ import annotations

from ece_scorm.source.course import load_course

__all__ = ["load_course"]
