"""One module per standard. Each exposes:

    NAME: str                       # "scorm12" | "scorm2004" | "xapi" | "cmi5"
    MANIFEST_NAME: str              # "imsmanifest.xml" | "tincan.xml" | "cmi5.xml"
    DEFAULT_BUNDLE: str             # "module" or "series"
    STATE_LIMIT: int | None         # max resume-state characters (4096 for SCORM 1.2, 64000 for 2004)
    def manifest(course, modules, files_by_module, langs, series) -> bytes

`files_by_module` maps each module id to the package paths rendered for it (prefix "<module>/" in a series
package, "" otherwise); the launch file of a module is "<prefix>index.html".
"""

from __future__ import annotations

import importlib
from types import ModuleType

NAMES = ("scorm12", "scorm2004", "xapi", "cmi5")


def get(name: str) -> ModuleType:
    """Return the format module for a format name."""
    if name not in NAMES:
        raise KeyError(name)
    return importlib.import_module(f"{__name__}.{name}")
