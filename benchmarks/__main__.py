"""Run every benchmark and write benchmarks/RESULTS.md: `python -m benchmarks [--quick] [--runs N]`."""

from __future__ import annotations

import argparse
import datetime
import subprocess
import sys
import time
from pathlib import Path

from ece_scorm.errors import EceError

from . import machine
from .build_bench import (
    BenchError,
    full_build,
    inprocess_build,
    profile_build,
    rebuild_breakdown,
    rebuilds,
    workdir,
)
from .report import Section, render
from .stats import Figure

ROOT = Path(__file__).resolve().parents[1]
PARTS = ("build", "rebuild", "sizes", "browser", "lighthouse", "lrs")


def parse(argv: list[str] | None) -> argparse.Namespace:
    """Read the command line."""
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    p.add_argument("--runs", type=int, default=5, help="timed runs per figure (default 5)")
    p.add_argument("--quick", action="store_true", help="1 run, no LRS benchmark, no profiles (smoke test)")
    p.add_argument("--source", type=Path, default=ROOT / "course_source", help="course folder to build")
    p.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "RESULTS.md", help="results file")
    p.add_argument("--skip", default="", help=f"comma-separated parts to leave out: {', '.join(PARTS)}")
    args = p.parse_args(argv)
    args.skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    unknown = args.skip - set(PARTS)
    if unknown:
        p.error(f"unknown part(s) in --skip: {', '.join(sorted(unknown))} (choose from {', '.join(PARTS)})")
    if args.quick:
        args.runs = 1
        args.skip.add("lrs")
    if args.runs < 1:
        p.error("--runs must be at least 1")
    return args


def _missed(figures: list[Figure]) -> bool:
    return any(f.verdict() == "❌" for f in figures)


# A part that fails (the tree can change under a long run: other people edit it) is reported in its
# section, and the others still run; the exit code is then 1.
PART_ERRORS = (BenchError, EceError, OSError, RuntimeError, ValueError, KeyError, subprocess.TimeoutExpired)


def _part(title: str, failures: list[str], sections: list[Section], fn):
    try:
        return fn()
    except PART_ERRORS as exc:
        message = f"{type(exc).__name__}: {str(exc).strip()[-1500:]}"
        failures.append(f"{title}: {message}")
        sections.append(Section(title, notes=[f"This part failed and was not measured: {message}"]))
        return None


def run(args: argparse.Namespace) -> tuple[list[Section], list[Figure], list[str]]:
    """Run the selected parts; return the sections of RESULTS.md, the judged figures and the failures."""
    from ece_scorm.source.course import load_course

    course, _ = load_course(args.source)
    sections: list[Section] = []
    judged: list[Figure] = []
    failures: list[str] = []
    with workdir("ece-bench-") as work:
        reference = work / "reference-build"

        def build_part() -> None:
            section, figs, _ = full_build(args.source, args.runs, work / "full", reference)
            judged.extend([figs["ratio_cli"], figs["ratio_cpu"]])
            if _missed([figs["ratio_cli"], figs["ratio_cpu"]]) and not args.quick:
                section.blocks.append(
                    (
                        "cProfile of one in-process full build (cumulative time; the target was missed):",
                        profile_build(args.source, work / "profile"),
                    )
                )
            sections.append(section)

        def rebuild_part() -> None:
            section, figs = rebuilds(args.source, args.runs, work / "rebuild")
            judged.extend([figs["same_cli"], figs["same_inp"]])
            if _missed([figs["same_cli"], figs["same_inp"]]) and not args.quick:
                section.table(
                    "Where a no-change CLI rebuild goes (medians; the target was missed):",
                    ["Step", "Wall", "CPU"],
                    rebuild_breakdown(args.source, reference, args.runs),
                )
            sections.append(section)

        def sizes_part() -> None:
            from .sizes import sizes

            packages, runtime, figs = sizes(reference, course.slug())
            sections.extend([runtime, packages])
            judged.extend(figs)

        def browser_part() -> None:
            from .browser_bench import browser_sections

            secs, figs = browser_sections(course, args.runs, work / "browser")
            sections.extend(secs)
            judged.extend(figs)

        def lighthouse_part() -> None:
            from .lighthouse_bench import lighthouse_section

            section, figs = lighthouse_section(course, args.runs, work / "lighthouse")
            sections.append(section)
            judged.extend(figs)

        def lrs_part() -> None:
            from .lrs_part import lrs_section

            sections.append(lrs_section())

        if "build" in args.skip:
            _part("Reference build", failures, sections, lambda: inprocess_build(args.source, reference))
        else:
            _part("Full build of the ECE series", failures, sections, build_part)
        parts = [
            ("rebuild", "Rebuilds", rebuild_part),
            ("sizes", "Package and runtime sizes", sizes_part),
            ("browser", "Player in headless Chromium", browser_part),
            ("lighthouse", "Lighthouse, mobile preset", lighthouse_part),
            ("lrs", "LRS export at 100,000 statements", lrs_part),
        ]
        for key, title, fn in parts:
            if key not in args.skip:
                _part(title, failures, sections, fn)
    return sections, judged, failures


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and write the results file; return the exit code."""
    args = parse(argv)
    started = time.perf_counter()
    info = machine.describe()
    date = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    try:
        sections, judged, failures = run(args)
    except (BenchError, EceError, OSError) as exc:
        print(f"benchmarks: error: {exc}", file=sys.stderr)
        return 1
    info["Load average at end (1/5/15 min)"] = machine.load_average()
    info["Runs per timed figure"] = str(args.runs)
    command = (
        "scripts/bench"
        + (" --quick" if args.quick else "")
        + (f" --runs {args.runs}" if args.runs != 5 and not args.quick else "")
    )
    text = render(info, date, command, sections, judged)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"Wrote {args.out} in {time.perf_counter() - started:.0f} s.")
    for f in judged:
        print(f"  {f.verdict() or '  '} {f.name}: median {f.median:.4g} {f.unit}")
    for failure in failures:
        print(f"benchmarks: error: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
