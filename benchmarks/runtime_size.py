"""Print the player's size per format (ece-player.js + ece-player.css, no course content), raw and gzipped.

Usage: python benchmarks/runtime_size.py   — budget: 25 KB gzipped per format (DESIGN.md, issue #3).
"""

from __future__ import annotations

import gzip
import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ece_scorm import themes
from ece_scorm.pipeline import render

FORMATS = ("standalone", "scorm12", "scorm2004", "xapi", "cmi5")
BUDGET_GZIP = 25 * 1024


def sizes(fmt: str) -> tuple[int, int]:
    """Return (raw, gzipped) bytes of the player JS + CSS for a format with the default theme."""
    theme = themes.resolve("default")
    js = render.runtime_js(fmt).encode("utf-8")
    css = render.runtime_css(theme).encode("utf-8")
    # Gzip each file on its own, as a web server or an LMS would serve them; mtime=0 for stable numbers.
    gz = len(gzip.compress(js, 9, mtime=0)) + len(gzip.compress(css, 9, mtime=0))
    return len(js) + len(css), gz


def main() -> int:
    where = f"Python {platform.python_version()}, {platform.machine()}"
    print(f"# ece-player size (JS + CSS, no content) — {where}")
    print(f"{'format':<11} {'raw bytes':>10} {'gzip bytes':>11} {'budget':>8}")
    worst = 0
    for fmt in FORMATS:
        raw, gz = sizes(fmt)
        worst = max(worst, gz)
        print(f"{fmt:<11} {raw:>10,} {gz:>11,} {'ok' if gz <= BUDGET_GZIP else 'OVER':>8}")
    return 0 if worst <= BUDGET_GZIP else 1


if __name__ == "__main__":
    raise SystemExit(main())
