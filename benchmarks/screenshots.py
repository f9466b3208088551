"""Write screenshots of every page type at 320, 768 and 1280 px in both languages (scripts/screenshots).

The ECE introduction holds every page type (landing, content, video, knowledge check, self-assessment,
closing); the files go to build/screenshots/<kind>-<width>-<lang>.png for review.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ece_scorm.pipeline.render import render_module
from ece_scorm.source.course import load_course

from .browser_bench import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[1]
WIDTHS = {320: 640, 768: 1024, 1280: 800}  # width -> viewport height (a phone, a tablet, a laptop)


def screens(module) -> dict[str, str]:
    """Return the link of each page type: the first page of each kind, then the landing and the end."""
    out = {"landing": "start"}
    for page in module.pages:
        types = {b.type for b in page.blocks}
        kind = next(
            (
                k
                for k, t in (("self-assessment", "self_assessment"), ("quiz", "quiz"), ("video", "video"))
                if t in types
            ),
            "content",
        )
        out.setdefault(kind, f"p-{page.id}")
    out["closing"] = "end"
    return out


def main(argv: list[str] | None = None) -> int:
    """Render the module, open each screen in Chromium at each width and language, save a PNG of the view."""
    from playwright.sync_api import sync_playwright

    p = argparse.ArgumentParser(prog="scripts/screenshots", description=__doc__)
    p.add_argument("--source", type=Path, default=ROOT / "course_source")
    p.add_argument("--module", default="introduction")
    p.add_argument("--out", type=Path, default=ROOT / "build" / "screenshots")
    p.add_argument("--full-page", action="store_true", help="capture whole pages, not the first screen")
    args = p.parse_args(argv)
    course, _ = load_course(args.source)
    module = course.module(args.module)
    site = args.out / "_site"
    for f in render_module(course, module, "standalone", course.languages):
        (site / f.path).parent.mkdir(parents=True, exist_ok=True)
        (site / f.path).write_bytes(f.data)
    written = 0
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            for width, height in WIDTHS.items():
                context = browser.new_context(viewport={"width": width, "height": height})
                page = context.new_page()
                for lang in course.languages:
                    for kind, frag in [*screens(module).items(), ("resume", "")]:
                        # Each screen as on a first visit (no saved state); "resume" is a return visit.
                        url = (site / "index.html").as_uri()
                        page.goto(f"{url}#{lang}-{frag or screens(module)['quiz']}")
                        page.evaluate("localStorage.clear()")
                        page.reload()  # a new hash alone is not a new load
                        if kind == "resume":  # the quiz page was seen: come back to the landing
                            page.wait_for_function("() => window.ECE && ECE.player && ECE.player.view()")
                            page.goto(f"{url}#{lang}-start")
                            page.reload()
                        page.wait_for_function("() => window.ECE && ECE.player && ECE.player.view()")
                        page.wait_for_function("(v) => ECE.player.view() === v", arg=kind_view(kind))
                        page.evaluate("document.fonts.ready")
                        target = args.out / f"{kind}-{width}-{lang}.png"
                        page.screenshot(path=str(target), full_page=args.full_page)
                        written += 1
                context.close()
        finally:
            browser.close()
    print(f"Wrote {written} screenshots to {args.out}")
    return 0


def kind_view(kind: str) -> str:
    return {"landing": "start", "resume": "start", "closing": "end"}.get(kind, "page")


if __name__ == "__main__":
    sys.exit(main())
