"""The package formats: one module per standard, each a `Format` (the protocol below).

`files_by_module` maps each module id to the package paths rendered for it (prefix "<module>/" in a series
package, "" otherwise); the launch file of a module is "<prefix>index.html".
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Protocol, cast

if TYPE_CHECKING:  # the model's dataclasses cost an import the CLI's fast path does not need
    from collections.abc import Callable, Mapping, Sequence

    from ece_scorm.model import Course, Module

    ManifestWriter = Callable[
        [Course, Sequence[Module], Mapping[str, Sequence[str]], Sequence[str], bool], bytes
    ]

NAMES = ("scorm12", "scorm2004", "xapi", "cmi5")  # the one list of formats: CLI choices, build and preview


class Format(Protocol):
    """What the pipeline needs from a format module (each module in this package implements it)."""

    NAME: str  # "scorm12" | "scorm2004" | "xapi" | "cmi5"
    MANIFEST_NAME: str  # "imsmanifest.xml" | "tincan.xml" | "cmi5.xml", at the zip root (MUST 1)
    DEFAULT_BUNDLE: str  # "module" (one package per module) or "series" (one for the course)
    STATE_LIMIT: int | None  # max resume-state characters (MUST 20), None where the State API holds it
    LABEL: str  # the standard's name in messages, e.g. "SCORM 1.2"
    STATE_ELEMENT: str  # where the runtime keeps the resume state, e.g. "cmi.suspend_data"

    @property
    def manifest(self) -> ManifestWriter:
        """The function (course, modules, files_by_module, langs, series) -> the manifest's bytes."""
        ...


def get(name: str) -> Format:
    """Return the format module for a format name."""
    if name not in NAMES:
        raise KeyError(name)
    # A module is a structural Format: mypy checks each one against the protocol (see _CHECKED below).
    return cast(Format, importlib.import_module(f"{__name__}.{name}"))


if TYPE_CHECKING:  # mypy: every format module implements Format (no runtime cost, no import cycle)
    from ece_scorm.pipeline.formats import cmi5, scorm12, scorm2004, xapi

    _CHECKED: tuple[Format, ...] = (scorm12, scorm2004, xapi, cmi5)
