"""Benchmark `lrs query` export and the self-assessment report over 100,000 statements in a real LRS.

Run: python benchmarks/lrs_bench.py [--statements 100000]  (not part of the test suite; takes minutes)
Writes benchmarks/results/lrs.json. Each measurement runs in a fresh Python process so that its peak
resident memory (ru_maxrss) is its own; the baseline is plain urllib paging through the same LRS.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ece_scorm.lrs.client import PAGE_SIZE  # noqa: E402  (needs ROOT on sys.path)
from tests.support.lrs_cohort import COURSE, cohort  # noqa: E402
from tests.support.lrs_server import start_lrs  # noqa: E402

# The baseline keeps a set of ids (simplest correct dedup), so its memory grows; ours keeps only the ids
# at the current `stored` boundary. Child programs print one JSON line of measurements on their last
# stdout line. Peak memory is VmHWM (reset by exec), not ru_maxrss (Linux carries it over from the parent).
BASELINE = r"""
import json, sys, time, urllib.parse, urllib.request
endpoint, auth, mode, size = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
headers = {"Authorization": auth, "X-Experience-API-Version": "1.0.3"}
root = urllib.parse.urlsplit(endpoint)

def get(url):
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=300) as resp:
        return json.loads(resp.read())

start, n, ids = time.perf_counter(), 0, set()
if mode == "more":  # follow the LRS's `more` links as they come
    url = endpoint + f"statements?limit={size}"
    while url:
        page = get(url)
        n += len(page["statements"])
        ids.update(s["id"] for s in page["statements"])
        url = f"{root.scheme}://{root.netloc}{page['more']}" if page.get("more") else None
else:  # page newest-first with `until` = oldest stored seen, skipping ids already counted at that time
    until, limit = None, size
    while True:
        query = {"limit": str(limit), **({"until": until} if until else {})}
        page = get(endpoint + "statements?" + urllib.parse.urlencode(query))["statements"]
        fresh = [s for s in page if s["id"] not in ids]
        n += len(fresh)
        ids.update(s["id"] for s in fresh)
        if len(page) < limit:
            break
        if fresh:
            until, limit = page[-1]["stored"], size
        else:
            limit *= 2
elapsed = time.perf_counter() - start
hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM"))
print(json.dumps({"statements": n, "distinct": len(ids), "seconds": elapsed, "max_rss_kib": hwm}))
"""

CLI = r"""
import json, sys, time
from ece_scorm.cli import cli
start = time.perf_counter()
try:
    cli.main(sys.argv[1:], standalone_mode=False)
finally:
    elapsed = time.perf_counter() - start
    hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM"))
    print(json.dumps({"seconds": elapsed, "max_rss_kib": hwm}))
"""


def _child(code: str, args: list[str], env: dict) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=3600
    )
    if proc.returncode != 0:
        raise SystemExit(f"benchmark step failed ({args[:3]}):\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def machine() -> dict:
    """Describe the machine the numbers come from."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem_kib = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    except (OSError, StopIteration, ValueError):
        mem_kib = 0
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    return {
        "platform": platform.platform(),
        "cpu": model,
        "cpus": os.cpu_count(),
        "memory_gib": round(mem_kib / 1024 / 1024, 1),
        "python": platform.python_version(),
        "node": node,
        "lrs": "xapi-statements 5.0.1 (in-memory repositories)",
        "note": "shared 2-core machine; other jobs may have been running",
    }


def generate(target: int) -> list[dict]:
    """Return at least `target` statements from successive generated cohorts (distinct learners)."""
    statements: list[dict] = []
    seed = 0
    while len(statements) < target:
        batch, _ = cohort(seed=seed, learners=100)
        offset = seed * 100
        for stmt in batch:  # make learners of each cohort distinct
            mbox = stmt["actor"]["mbox"]
            number = int(mbox.split("learner")[1].split("@")[0]) + offset
            stmt["actor"] = {
                **stmt["actor"],
                "mbox": f"mailto:learner{number:05d}@example.org",
                "name": f"Learner {number:05d}",
            }
        statements.extend(batch)
        seed += 1
    return statements[:target]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "lrs.json")
    args = parser.parse_args()

    statements = generate(args.statements)
    server = start_lrs()
    results: dict = {"machine": machine(), "statements": len(statements)}
    try:
        start = time.perf_counter()
        stored = server.post(statements)
        load = time.perf_counter() - start
        assert len(set(stored)) == len(statements), "the LRS did not store every statement"
        del statements
        results["load"] = {"seconds": round(load, 2), "statements_per_s": round(results["statements"] / load)}
        print(f"loaded {results['statements']:,} statements in {load:.1f}s", file=sys.stderr)
        env = {**os.environ, **server.env(), "PYTHONPATH": str(ROOT)}

        size = str(PAGE_SIZE)  # the same page size as ece-scorm's client, so the ratio is client overhead
        chain = _child(BASELINE, [server.endpoint, server.auth, "more", size], env)
        results["urllib_following_more_links"] = chain  # Learning Locker's cursor loses statements here
        print(f"more-link chain: {chain}", file=sys.stderr)
        base = _child(BASELINE, [server.endpoint, server.auth, "until", size], env)
        assert base["statements"] == results["statements"], base
        base["statements_per_s"] = round(base["statements"] / base["seconds"])
        results["baseline_urllib_paging"] = base
        print(f"baseline: {base}", file=sys.stderr)

        with tempfile.TemporaryDirectory() as tmp:
            export = Path(tmp) / "all.csv"
            run = _child(CLI, ["lrs", "query", "--format", "csv", "-o", str(export), "--no-progress"], env)
            rows = sum(1 for _ in export.open(encoding="utf-8")) - 1
            assert rows == results["statements"], rows
            run["statements_per_s"] = round(rows / run["seconds"])
            run["csv_bytes"] = export.stat().st_size
            results["lrs_query_csv"] = run
            small = _child(
                CLI,
                [
                    "lrs",
                    "query",
                    "--format",
                    "csv",
                    "-o",
                    str(export),
                    "--no-progress",
                    "--limit",
                    str(results["statements"] // 10),
                ],
                env,
            )
            results["lrs_query_csv_tenth"] = small
            print(f"export: {run}; tenth: {small}", file=sys.stderr)

            report = _child(
                CLI,
                [
                    "report",
                    "self-assessment",
                    "--course",
                    COURSE,
                    "--period",
                    "2026-02-01..2026-03-31",
                    "--compare-period",
                    "2026-10-01..2026-10-31",
                    "-o",
                    str(Path(tmp) / "sa.html"),
                    "--csv",
                    str(Path(tmp) / "sa.csv"),
                ],
                env,
            )
            results["report_self_assessment"] = report
            print(f"report: {report}", file=sys.stderr)
        results["ratios"] = {
            "export_throughput_vs_baseline": round(run["statements_per_s"] / base["statements_per_s"], 3),
            "export_peak_rss_vs_baseline": round(run["max_rss_kib"] / base["max_rss_kib"], 3),
            "export_peak_rss_full_vs_tenth": round(run["max_rss_kib"] / small["max_rss_kib"], 3),
            "report_seconds_vs_baseline_fetch": round(report["seconds"] / base["seconds"], 3),
        }
    finally:
        server.stop()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results["ratios"], indent=2))


if __name__ == "__main__":
    main()
