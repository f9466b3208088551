"""Where themes live (one function, installed or not) and how a theme folder is read."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ece_scorm.errors import EceError

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT = "default"
REPO_THEMES = PACKAGE_DIR.parent / "themes"  # a source checkout (editable install)
PACKAGED_THEMES = PACKAGE_DIR / "_themes"  # a wheel (pyproject force-include)


def themes_root() -> Path:
    """Return the folder holding the shipped themes: the checkout's themes/, else the wheel's copy."""
    return REPO_THEMES if (REPO_THEMES / DEFAULT / "theme.yaml").is_file() else PACKAGED_THEMES


NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


class ThemeError(EceError):
    """A theme is missing or malformed."""


@dataclass(frozen=True)
class Theme:
    """A resolved theme folder: templates/, static/ and its theme.yaml settings."""

    name: str
    root: Path
    css: tuple[str, ...] = ()  # files under static/, concatenated after the player CSS
    strings: dict[str, dict[str, str]] = field(default_factory=dict)  # UI string overrides per language

    @property
    def templates(self) -> Path:
        return self.root / "templates"


def candidates(name: str, source_dir: Path | None) -> list[Path]:
    """Return where a theme of this name is looked for, in order."""
    found = []
    if source_dir is not None:
        found.append(Path(source_dir) / "themes" / name)
    found.append(themes_root() / name)
    return found


def resolve(name: str | None, source_dir: Path | None = None) -> Theme:
    """Find a theme: course-local <source>/themes/<name>, then repo themes/<name>, then the packaged copy."""
    name = name or DEFAULT
    if not NAME.match(name):
        raise ThemeError(f"theme name '{name}' is not valid (expected [a-z0-9][a-z0-9_-]*)")
    tried = candidates(name, source_dir)
    for root in tried:
        if (root / "theme.yaml").is_file():
            return _load(name, root)
    raise ThemeError(f"theme '{name}' not found; looked in: " + ", ".join(str(p) for p in tried))


def _load(name: str, root: Path) -> Theme:
    import yaml  # kept out of the module import: the build's fast path locates themes without parsing

    path = root / "theme.yaml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise ThemeError(f"{where}: error: theme.yaml is not valid YAML") from None
    if not isinstance(raw, dict):
        raise ThemeError(f"{path}:1:1: error: theme.yaml must be a mapping")
    css = raw.get("css", [])
    if not isinstance(css, list) or not all(isinstance(c, str) and _safe_rel(c) for c in css):
        raise ThemeError(f"{path}: error: 'css' must be a list of relative paths under static/")
    for c in css:
        if not (root / "static" / c).is_file():
            raise ThemeError(f"{path}: error: css file static/{c} does not exist")
    strings = raw.get("strings", {}) or {}
    if not isinstance(strings, dict) or not all(
        isinstance(v, dict) and all(isinstance(x, str) for x in v.values()) for v in strings.values()
    ):
        raise ThemeError(f"{path}: error: 'strings' must map a language to {{key: text}}")
    if not (root / "templates" / "index.html.j2").is_file():
        raise ThemeError(f"{root}: error: templates/index.html.j2 is missing")
    return Theme(name=name, root=root, css=tuple(css), strings={str(k): dict(v) for k, v in strings.items()})


def _safe_rel(path: str) -> bool:
    return not path.startswith("/") and ".." not in path.split("/") and "\\" not in path
