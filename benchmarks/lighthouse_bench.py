"""Lighthouse (npm lighthouse 12.2.3, mobile preset) on every module beside a plain HTML page of its text."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
from pathlib import Path

from ece_scorm.model import Course

from .browser_bench import CHROMIUM, render_standalone, serve
from .report import Section
from .stats import Figure

ROOT = Path(__file__).resolve().parents[1]
RUNNER = Path(__file__).resolve().parent / "lighthouse.mjs"
LIGHTHOUSE = ROOT / "node_modules" / "lighthouse"
# Issue 15.3 targets (mobile preset, simulated throttling).
TARGETS = {"perf": 98, "lcp": 1200.0, "tti": 1500.0, "tbt": 50.0, "cls": 0.02, "first_view": 100 * 1024}
MEDIA = (".mp4", ".webm", ".ogv", ".ogg", ".m4v", ".vtt", ".png", ".jpg", ".jpeg", ".svg", ".gif", ".webp")
# What the first screen needs: the document, its data and the player; pages.<lang>.js and media come later.
FIRST_VIEW = ("index.html", "ece-data.js", "ece-player.js", "ece-player.css", "floor.html")


class LighthouseError(RuntimeError):
    """Lighthouse could not run or returned no result."""


def run_lighthouse(preset: str, categories: str, urls: list[str], timeout: float = 900) -> list[dict]:
    """Run benchmarks/lighthouse.mjs on the URLs with one Chromium; return its result per URL."""
    if not (LIGHTHOUSE / "package.json").is_file():
        raise LighthouseError(f"lighthouse is not installed at {LIGHTHOUSE}; run `npm ci`")
    node = shutil.which("node")
    if node is None:
        raise LighthouseError("node is not on PATH")
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    done = subprocess.run(
        [node, str(RUNNER), preset, categories, *urls],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0 or not done.stdout.strip():
        raise LighthouseError(f"lighthouse failed ({done.returncode}): {done.stderr.strip()[-1500:]}")
    results = json.loads(done.stdout)
    for r in results:
        if r.get("runtimeError"):
            raise LighthouseError(f"{r['url']}: {r['runtimeError']}")
    return results


def first_view_bytes(result: dict) -> int:
    """Return the bytes transferred for the first screen: the document, its data and the runtime."""
    return sum(r["bytes"] for r in result["requests"] if r["url"].split("?")[0].endswith(FIRST_VIEW))


def total_bytes_without_media(result: dict) -> int:
    """Return every byte the page transferred during the run except media files."""
    return sum(r["bytes"] for r in result["requests"] if not r["url"].split("?")[0].lower().endswith(MEDIA))


def write_floors(folders: dict[str, Path]) -> None:
    """Write floor.html beside each module: its landing text as plain static HTML (no CSS, no script)."""
    from lxml import html as lhtml

    for folder in folders.values():
        doc = lhtml.fromstring((folder / "index.html").read_bytes())
        start = doc.xpath("//section[@data-screen='start']")[0]
        for el in start.xpath(".//button | .//p[@data-kept] | .//p[@data-welcome]"):
            el.drop_tree()
        body = lhtml.tostring(start, encoding="unicode")
        lang = doc.get("lang", "en")
        title = doc.findtext(".//title") or ""
        (folder / "floor.html").write_text(
            f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{title}</title></head><body><main>{body}</main></body></html>\n",
            encoding="utf-8",
        )


def lighthouse_section(course: Course, runs: int, work: Path) -> tuple[Section, list[Figure]]:
    """Measure every module with Lighthouse's mobile preset beside its floor page; return section, figures."""
    folders = render_standalone(course, work / "lighthouse")
    write_floors(folders)
    runs = max(1, min(runs, 3))
    ids = [m.id for m in course.modules]
    with serve(work / "lighthouse") as base:
        urls = [f"{base}/{mid}/{name}" for mid in ids for name in ("index.html", "floor.html")] * runs
        results = run_lighthouse("mobile", "performance", urls, timeout=300 + 120 * len(urls))
    (work / "lighthouse" / "results.json").write_text(json.dumps(results), encoding="utf-8")  # for a look
    by_url: dict[str, list[dict]] = {}
    for r in results:
        by_url.setdefault(r["url"], []).append(r)

    def med(url: str, fn) -> float:
        return statistics.median(fn(r) for r in by_url[url])

    rows, judged = [], []
    for mid in ids:
        player, floor = f"{base}/{mid}/index.html", f"{base}/{mid}/floor.html"
        cells = [f"`{mid}`"]
        for key, fn, fmt in (
            ("perf", lambda r: 100 * r["scores"]["performance"], "{:.0f}"),
            ("lcp", lambda r: r["metrics"]["lcp"], "{:.0f} ms"),
            ("tti", lambda r: r["metrics"]["tti"], "{:.0f} ms"),
            ("tbt", lambda r: r["metrics"]["tbt"], "{:.0f} ms"),
            ("cls", lambda r: r["metrics"]["cls"], "{:.3f}"),
            ("first_view", first_view_bytes, "{:,.0f} B"),
        ):
            ours, base_value = med(player, fn), med(floor, fn)
            met = ours >= TARGETS[key] if key == "perf" else ours <= TARGETS[key]
            cells.append(f"{fmt.format(ours)} ({fmt.format(base_value)}) {'✅' if met else '❌'}")
            samples = [fn(r) for r in by_url[player]]
            if key == "perf":  # Figure judges "<= target": a score is judged as its distance to 100
                judged.append(
                    Figure(
                        f"Lighthouse mobile performance shortfall (100 − score), `{mid}`",
                        "points",
                        [100 - s for s in samples],
                        target=100 - TARGETS["perf"],
                        target_label=f"score ≥ {TARGETS['perf']}",
                    )
                )
            else:
                unit = {"cls": "", "first_view": "bytes"}.get(key, "ms")
                judged.append(
                    Figure(f"Lighthouse mobile {key.upper()}, `{mid}`", unit, samples, target=TARGETS[key])
                )
        cells.append(f"{med(player, total_bytes_without_media):,.0f} B")
        cells.append(f"{med(player, lambda r: r['metrics']['dom'] or 0):,.0f}")
        rows.append(cells)
    section = Section("Lighthouse 12.2.3, mobile preset (simulated throttling)")
    section.table(
        f"Median of {runs} run(s) per page; each figure is followed by the same run's plain static HTML page "
        "of the same first-screen text (floor.html: no CSS, no script) in brackets. First view = index.html "
        "+ ece-data.js + the player JS and CSS (pages and the other language come later, media on demand). "
        f"Targets: performance ≥ {TARGETS['perf']}, LCP ≤ 1.2 s, TTI ≤ 1.5 s, TBT ≤ 50 ms, CLS ≤ 0.02, "
        "first view ≤ 100 KiB.",
        [
            "Module",
            "Performance",
            "LCP",
            "TTI",
            "TBT",
            "CLS",
            "First view",
            "All bytes, no media",
            "DOM nodes",
        ],
        rows,
    )
    return section, judged
