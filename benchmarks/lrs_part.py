"""Run the reports engineer's benchmarks/lrs_bench.py (100,000 statements) and read its JSON result."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .report import Section
from .stats import Figure

LRS_BENCH = Path(__file__).resolve().parent / "lrs_bench.py"
STATEMENTS = 100_000
TIMEOUT_S = 3600


def _figures(result: dict) -> list[Figure]:
    """Turn lrs_bench.py's JSON (one fresh process per measurement, peak = VmHWM) into figures."""
    figures = []
    load = result.get("load", {})
    if "statements_per_s" in load:
        figures.append(
            Figure("Seeding the LRS (POST batches), throughput", "stmt/s", [load["statements_per_s"]])
        )
    rows = [
        ("baseline_urllib_paging", "Baseline: plain urllib paging of every statement"),
        ("lrs_query_csv", "`ece-scorm lrs query --format csv` of every statement"),
        ("lrs_query_csv_tenth", "`lrs query` of a tenth of them (`--limit`)"),
        ("report_self_assessment", "`ece-scorm report self-assessment` over the cohort"),
    ]
    for key, label in rows:
        part = result.get(key)
        if not isinstance(part, dict):
            continue
        if "statements_per_s" in part:
            figures.append(Figure(f"{label}, throughput", "stmt/s", [part["statements_per_s"]]))
        if "seconds" in part:
            figures.append(Figure(f"{label}, wall time", "s", [part["seconds"]]))
        if "max_rss_kib" in part:
            figures.append(Figure(f"{label}, peak memory (VmHWM)", "MB", [part["max_rss_kib"] / 1024]))
    return figures


def lrs_section(statements: int = STATEMENTS) -> Section:
    """Run lrs_bench.py when it exists and report its measurements; say so when it cannot run."""
    section = Section("LRS export at 100,000 statements")
    if not LRS_BENCH.is_file():
        section.notes.append(
            "benchmarks/lrs_bench.py (owned by the reports engineer) does not exist in this "
            "checkout, so LRS export throughput and peak memory were not measured."
        )
        return section
    with tempfile.TemporaryDirectory(prefix="ece-lrs-bench-") as tmp:
        out = Path(tmp) / "lrs.json"
        cmd = [sys.executable, str(LRS_BENCH), "--statements", str(statements), "--out", str(out)]
        started = time.perf_counter()
        try:
            done = subprocess.run(
                cmd, capture_output=True, text=True, timeout=TIMEOUT_S, check=False, cwd=LRS_BENCH.parents[1]
            )
        except subprocess.TimeoutExpired:
            section.notes.append(f"`benchmarks/lrs_bench.py` did not finish within {TIMEOUT_S} s.")
            return section
        wall = time.perf_counter() - started
        if done.returncode != 0 or not out.is_file():
            tail = (done.stderr or done.stdout).strip()[-800:]
            section.notes.append(f"`benchmarks/lrs_bench.py` exited {done.returncode}: {tail}")
            return section
        result = json.loads(out.read_text(encoding="utf-8"))
    section.intro = (
        f"`python benchmarks/lrs_bench.py --statements {statements}` (the reports engineer's "
        "script, run once): seeds Learning Locker's statements service (npm xapi-statements "
        f"5.0.1, in-memory) with {result.get('statements', statements):,} generated statements, "
        "then runs each measurement in a fresh Python process whose peak memory (VmHWM) "
        "is its own."
    )
    section.figures = _figures(result)
    section.figures.append(Figure("Whole lrs_bench.py run, seeding included", "s", [wall]))
    ratios = result.get("ratios", {})
    if ratios:
        section.table(
            "Ratios computed by lrs_bench.py:",
            ["Ratio", "Value"],
            [[k, f"{v:.3f}"] for k, v in ratios.items()],
        )
    return section
