"""Where themes live (one function, installed or not) and how a theme folder is read."""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ece_scorm.errors import Issue, Location, SourceInvalid

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT = "default"
REPO_THEMES = PACKAGE_DIR.parent / "themes"  # a source checkout (editable install)
PACKAGED_THEMES = PACKAGE_DIR / "_themes"  # a wheel (pyproject force-include)


def themes_root() -> Path:
    """Return the folder holding the shipped themes: the checkout's themes/, else the wheel's copy."""
    return REPO_THEMES if (REPO_THEMES / DEFAULT / "theme.yaml").is_file() else PACKAGED_THEMES


NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")

MAX_TEMPLATE_BYTES = 1024 * 1024


class ThemeError(SourceInvalid):
    """A theme is missing or malformed: every problem, each located in the theme's files."""


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
    where = Location(str(Path(source_dir) / "themes") if source_dir is not None else "themes")
    if not NAME.match(name):
        raise ThemeError(
            [Issue(where, "error", f"theme name '{name}' is not valid (expected [a-z0-9][a-z0-9_-]*)")]
        )
    tried = candidates(name, source_dir)
    for root in tried:
        if (root / "theme.yaml").is_file():
            theme, issues = load(name, root)
            if theme is None or any(i.level == "error" for i in issues):
                raise ThemeError(issues)
            return theme
    raise ThemeError(
        [Issue(where, "error", f"theme '{name}' not found; looked in: " + ", ".join(str(p) for p in tried))]
    )


def course_theme_issues(source_dir: Path) -> list[Issue]:
    """Return the problems of the theme a course ships in <source>/themes/ (build refuses the same ones)."""
    root = Path(source_dir) / "themes" / DEFAULT
    if not (root / "theme.yaml").exists() and not (root / "theme.yaml").is_symlink():
        return []  # the course uses the tool's own theme
    return load(DEFAULT, root)[1]


def _plain(node):
    """Return a located YAML node as plain Python values (mappings, lists, scalars)."""
    from ece_scorm.source.yaml_reader import Map, Seq

    if isinstance(node, Map):
        return {k: _plain(v) for k, (_, v) in node.entries.items()}
    if isinstance(node, Seq):
        return [_plain(i) for i in node.items]
    return None if node is None else node.value


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def load(name: str, root: Path) -> tuple[Theme | None, list[Issue]]:
    """Read a theme folder; return (the theme or None, every problem found in it)."""
    from ece_scorm.source.yaml_reader import SourceTree

    tree = SourceTree(root)
    node, issues = tree.load_yaml("theme.yaml")
    issues = [Issue(i.location, i.level, f"theme.yaml is not valid YAML: {i.message}") for i in issues]
    shown = tree.display("theme.yaml")

    def error(message: str, at: Location | None = None) -> None:
        issues.append(Issue(at or Location(shown), "error", message))

    if node is None and not issues:
        error("theme.yaml is empty; it must be a mapping")
    raw = _plain(node) if node is not None else None
    if node is not None and not isinstance(raw, dict):
        error("theme.yaml must be a mapping", node.loc)
    raw = raw if isinstance(raw, dict) else {}
    css = raw.get("css", [])
    if not isinstance(css, list) or not all(isinstance(c, str) and _safe_rel(c) for c in css):
        error("'css' must be a list of relative paths under static/")
        css = []
    for c in css:
        if not _regular(root / "static" / c):
            error(f"css file static/{c} does not exist")
    strings = raw.get("strings", {}) or {}
    if not isinstance(strings, dict) or not all(
        isinstance(v, dict) and all(isinstance(x, str) for x in v.values()) for v in strings.values()
    ):
        error("'strings' must map a language to {key: text}")
        strings = {}
    if not _regular(root / "templates" / "index.html.j2"):
        error("templates/index.html.j2 is missing", Location(str(root)))
    issues += _template_issues(root / "templates")
    issues += _static_issues(root / "static", set(css))
    if any(i.level == "error" for i in issues):
        return None, issues
    theme = Theme(name=name, root=root, css=tuple(css), strings={str(k): dict(v) for k, v in strings.items()})
    return theme, issues


def _files(folder: Path) -> list[Path]:
    """Return the files under folder without following links out of it (links are judged by the caller)."""
    found = []
    for top, dirs, files in os.walk(folder):  # followlinks=False: a link loop cannot trap the walk
        dirs.sort()
        found += [Path(top) / f for f in sorted(files)]
        found += [Path(top) / d for d in dirs if (Path(top) / d).is_symlink()]
    return found


def _template_issues(folder: Path) -> list[Issue]:
    """Compile every template: a Jinja2 syntax error is reported at its line, not raised mid-build."""
    import jinja2

    env = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    issues = []
    for path in _files(folder):
        if not path.name.endswith(".j2"):
            continue
        where = Location(str(path))
        if not _regular(path):
            issues.append(Issue(where, "error", "template is not a regular file"))
            continue
        if path.stat().st_size > MAX_TEMPLATE_BYTES:
            issues.append(Issue(where, "error", f"template is larger than {MAX_TEMPLATE_BYTES:,} bytes"))
            continue
        try:
            env.parse(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError as exc:
            issues.append(Issue(where, "error", f"template is not UTF-8 (byte {exc.start})"))
        except jinja2.TemplateSyntaxError as exc:
            issues.append(
                Issue(
                    Location(str(path), exc.lineno or 0, 1), "error", f"template syntax error: {exc.message}"
                )
            )
        except OSError as exc:
            issues.append(Issue(where, "error", f"cannot read template: {exc.strerror or exc}"))
    return issues


def _static_issues(folder: Path, css: set[str]) -> list[Issue]:
    """Check the files a theme ships beside its stylesheets: plain names, regular files, no active SVG."""
    from ece_scorm.safe import SAFE_PATH, active_content

    issues = []
    real_root = os.path.realpath(folder)
    for path in _files(folder):
        rel = path.relative_to(folder).as_posix()
        where = Location(str(path))
        if not SAFE_PATH.match(rel):
            issues.append(Issue(where, "error", "theme file names may use only A-Za-z0-9._- and '/'"))
        elif not os.path.realpath(path).startswith(real_root + os.sep):
            issues.append(
                Issue(where, "error", "theme file is a link leading outside the theme's static/ folder")
            )
        elif not _regular(path):
            issues.append(Issue(where, "error", "theme file is not a regular file"))
        elif rel not in css:
            for line, message in active_content(rel, path):
                issues.append(Issue(Location(str(path), line), "error", message))
    return issues


def _safe_rel(path: str) -> bool:
    return not path.startswith("/") and ".." not in path.split("/") and "\\" not in path
