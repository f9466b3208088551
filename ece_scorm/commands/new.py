"""`ece-scorm new`: write a minimal, valid, bilingual course to start from."""

from __future__ import annotations

import logging
import re
import shlex
import unicodedata
from pathlib import Path

from ece_scorm.errors import EceError

log = logging.getLogger(__name__)
TEMPLATE = Path(__file__).resolve().parent.parent / "starter"


def slug(name: str) -> str:
    """Return an ASCII course slug for the last segment of the course id (docs/ARCHITECTURE.md §3)."""
    # Drop accents (é -> e) but keep every other character as a word break ("d’essai" -> "d-essai").
    bare = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    out = re.sub(r"[^a-z0-9]+", "-", bare.lower()).strip("-")[:40].strip("-")
    return out or "my-course"


def run_new(target: Path) -> list[Path]:
    """Create TARGET holding the starter course; refuse a folder that already holds anything."""
    if target.exists() and not target.is_dir():
        raise EceError(f"{target} exists and is not a folder")
    if target.is_dir() and any(target.iterdir()):
        raise EceError(f"{target} is not empty; choose a new or empty folder (nothing was written)")
    sources = sorted(p for p in TEMPLATE.rglob("*.yaml") if p.is_file())
    if not sources:
        raise EceError(f"the starter course is missing from the installation ({TEMPLATE})")
    # Read everything first so that a broken installation writes nothing.
    texts = {p.relative_to(TEMPLATE): p.read_text(encoding="utf-8") for p in sources}
    course_slug = slug(target.resolve().name)
    written = []
    for rel, text in texts.items():
        dest = target / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(text.replace("__SLUG__", course_slug), encoding="utf-8")
        written.append(dest)
    (target / "media").mkdir(exist_ok=True)
    log.info(
        "Created a bilingual starter course in %s (%d files, course id https://example.org/courses/%s).",
        target,
        len(written),
        course_slug,
    )
    shown = shlex.quote(str(target))
    log.info(
        "Next: ece-scorm preview %s   ·   ece-scorm validate %s   ·   ece-scorm build %s --format all",
        shown,
        shown,
        shown,
    )
    return written
