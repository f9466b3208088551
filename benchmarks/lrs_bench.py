"""Benchmark the streaming reports over 100,000 and 1,000,000 statements (file) and a real LRS.

Run: python benchmarks/lrs_bench.py [--results-md benchmarks/RESULTS.md]  (not in the test suite; minutes)
Writes benchmarks/results/lrs.json and, with --results-md, replaces only its own section of RESULTS.md.
Statements are generated in the real packages' shapes; each measurement runs in a fresh Python process so
that its peak memory (VmHWM) is its own; the LRS baseline is plain urllib paging through the same LRS.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ece_scorm.lrs.client import PAGE_SIZE  # noqa: E402  (needs ROOT on sys.path)
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
import os
start, cpu = time.perf_counter(), os.times()
try:
    cli.main(sys.argv[1:], standalone_mode=False)
finally:
    elapsed = time.perf_counter() - start
    end = os.times()
    used = (end.user - cpu.user) + (end.system - cpu.system)
    hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM"))
    print(json.dumps({"seconds": elapsed, "cpu_seconds": used, "max_rss_kib": hwm}))
"""


# --- Statements in the shapes the real packages send --------------------------------------------------------
# Built from the bundled course (course_source/) the way player/xapi-statements.js builds them: course-based
# IRIs (ARCHITECTURE §3), definitions with name + description language maps, the Likert scale and choices,
# verbs with their en/fr display, the course grouping with its title, the launch module as parent, the team
# code and the administration number as context extensions, a page `experienced` per page, the lifecycle.

ADL = "http://adlnet.gov/expapi/verbs/"
ACT = "http://adlnet.gov/expapi/activities/"
VERB_NAMES = {
    "experienced": {"en": "experienced", "fr": "a vécu"},
    "answered": {"en": "answered", "fr": "a répondu"},
    "completed": {"en": "completed", "fr": "a terminé"},
    "passed": {"en": "passed", "fr": "a réussi"},
    "failed": {"en": "failed", "fr": "a échoué"},
    "initialized": {"en": "initialized", "fr": "a commencé"},
    "terminated": {"en": "terminated", "fr": "a quitté"},
}


def _dump(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class Shapes:
    """Statement factories for the bundled course's self-assessment and introduction modules."""

    def __init__(self) -> None:
        from ece_scorm.markdown import to_text
        from ece_scorm.source.course import load_course

        course, _ = load_course(ROOT / "course_source")
        self.course_id = course.id.rstrip("/")
        self.title = dict(course.title)
        self.modules = {}
        for module in course.modules:
            sa = module.self_assessment()
            info = {"title": dict(module.title), "pages": [p.id for p in module.pages], "kind": module.kind}
            info["pages_title"] = {p.id: dict(p.title) for p in module.pages}
            if sa is not None:
                info["sa"] = sa
                self.sa_module = module.id
            quizzes = module.quizzes()
            if quizzes and "quiz" not in getattr(self, "__dict__", {}):
                self.quiz_module, self.quiz = module.id, quizzes[0]
            self.modules[module.id] = info
        self.to_text = to_text
        self.sa = self.modules[self.sa_module]["sa"]
        self.cache: dict = {}

    def _acts(self, module: str, sub: bool) -> str:
        key = (module, sub)
        if key not in self.cache:
            acts = {
                "grouping": [
                    {
                        "objectType": "Activity",
                        "id": self.course_id,
                        "definition": {"type": ACT + "course", "name": self.title},
                    }
                ]
            }
            if sub:
                acts = {"parent": [{"objectType": "Activity", "id": f"{self.course_id}/{module}"}], **acts}
            self.cache[key] = _dump(acts)
        return self.cache[key]

    def statement(self, actor, verb, obj, when, module, reg, team, admin, sub, result=None) -> str:
        """Return one statement as a JSON line; the parts that repeat are serialized once (speed)."""
        ext = {}
        if team:
            ext[f"{self.course_id}/xapi/extensions/team-code"] = team
        if admin:
            ext[f"{self.course_id}/extensions/administration"] = admin
        context = f'{{"registration":"{reg}","language":"en","contextActivities":{self._acts(module, sub)}'
        context += f',"extensions":{_dump(ext)}}}' if ext else "}"
        if obj["id"] not in self.cache:
            self.cache[obj["id"]] = _dump(obj)
        if verb not in self.cache:
            self.cache[verb] = _dump({"id": ADL + verb, "display": VERB_NAMES[verb]})
        line = (
            f'{{"id":"{uuid.UUID(int=random.getrandbits(128), version=4)}","actor":{_dump(actor)},'
            f'"verb":{self.cache[verb]},"object":{self.cache[obj["id"]]},"context":{context},'
            f'"timestamp":"{when.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]}Z"'
        )
        return line + (f',"result":{_dump(result)}}}' if result is not None else "}")

    def module_object(self, module: str) -> dict:
        kind = "assessment" if self.modules[module]["kind"] == "self_assessment" else "module"
        return {
            "objectType": "Activity",
            "id": f"{self.course_id}/{module}",
            "definition": {"type": ACT + kind, "name": self.modules[module]["title"]},
        }

    def page(self, module: str, page: str) -> dict:
        return {
            "objectType": "Activity",
            "id": f"{self.course_id}/{module}/page/{page}",
            "definition": {"type": ACT + "lesson", "name": self.modules[module]["pages_title"][page]},
        }

    def interaction(self, iri: str, prompt: dict, **extra) -> dict:
        text = {k: self.to_text(v) for k, v in prompt.items()}
        return {
            "objectType": "Activity",
            "id": iri,
            "definition": {"type": ACT + "cmi.interaction", "name": text, "description": text, **extra},
        }


def _learner_statements(shapes: Shapes, number: int, rng: random.Random) -> Iterator[str]:
    """Yield what one learner's packages send: the self-assessment (once or twice) and the first module."""
    actor = {
        "objectType": "Agent",
        "name": f"Learner {number:06d}",
        "mbox": f"mailto:l{number:06d}@example.org",
    }
    team = f"TEAM-{number // 8:05d}"  # teams of eight
    sa, mod = shapes.sa, shapes.sa_module
    scale = [{"id": s.id, "description": dict(s.label)} for s in sa.scale]
    when = datetime(2026, 2, 2, 9, 0, tzinfo=UTC) + timedelta(minutes=number % 50_000)
    for admin in (1, 2) if number % 2 else (1,):
        reg = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        start = when + timedelta(days=180 * (admin - 1))
        t = start
        yield shapes.statement(
            actor, "initialized", shapes.module_object(mod), t, mod, reg, None, admin, False
        )
        for page in shapes.modules[mod]["pages"]:
            t += timedelta(seconds=30)
            yield shapes.statement(
                actor, "experienced", shapes.page(mod, page), t, mod, reg, team, admin, True
            )
        primary = sa.pillars[number % len(sa.pillars)]
        pillars = [primary] + ([sa.pillars[(number + 1) % len(sa.pillars)]] if number % 3 == 0 else [])
        for pillar in pillars:
            for item in pillar.items:
                iri = f"{shapes.course_id}/{sa.id}/{pillar.id}/{item.id}"
                obj = shapes.interaction(iri, item.text, interactionType="likert", scale=scale)
                for _ in range(2 if rng.random() < 0.15 else 1):  # some change their mind
                    t += timedelta(seconds=12)
                    answer = rng.choice(scale)["id"]
                    yield shapes.statement(
                        actor, "answered", obj, t, mod, reg, team, admin, True, {"response": answer}
                    )
            for prompt in pillar.reflections:
                t += timedelta(seconds=60)
                obj = shapes.interaction(
                    f"{shapes.course_id}/{sa.id}/prompt/{prompt.id}",
                    prompt.text,
                    interactionType="long-fill-in",
                )
                result = {"response": f"Reflection {prompt.id} of learner {number}, administration {admin}."}
                yield shapes.statement(actor, "answered", obj, t, mod, reg, team, admin, True, result)
        for prompt in (*sa.reflections, sa.strength, sa.opportunity, sa.first_step, sa.first_step_lead):
            t += timedelta(seconds=45)
            obj = shapes.interaction(
                f"{shapes.course_id}/{sa.id}/prompt/{prompt.id}", prompt.text, interactionType="long-fill-in"
            )
            result = {
                "response": f"{prompt.id}: words of learner {number}\nsecond line, administration {admin}."
            }
            yield shapes.statement(actor, "answered", obj, t, mod, reg, team, admin, True, result)
        t += timedelta(seconds=20)
        yield shapes.statement(
            actor,
            "completed",
            shapes.module_object(mod),
            t,
            mod,
            reg,
            team,
            admin,
            False,
            {"completion": True, "duration": "PT24M"},
        )
        yield shapes.statement(
            actor,
            "terminated",
            shapes.module_object(mod),
            t,
            mod,
            reg,
            team,
            admin,
            False,
            {"duration": "PT24M5S"},
        )
    # The first module with its knowledge check (attempts recorded per answer).
    mod, quiz = shapes.quiz_module, shapes.quiz
    reg = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    t = when - timedelta(days=7)
    yield shapes.statement(actor, "initialized", shapes.module_object(mod), t, mod, reg, team, None, False)
    for page in shapes.modules[mod]["pages"]:
        t += timedelta(seconds=40)
        yield shapes.statement(actor, "experienced", shapes.page(mod, page), t, mod, reg, team, None, True)
    right = 0
    for question in quiz.questions:
        order = [c.id for c in question.choices]
        correct = [c for c in order if c in question.correct]
        obj = shapes.interaction(
            f"{shapes.course_id}/quiz/{quiz.id}/{question.id}",
            question.prompt,
            interactionType="choice",
            choices=[{"id": c.id, "description": dict(c.text)} for c in question.choices],
            correctResponsesPattern=["[,]".join(correct)],
        )
        for attempt in (1, 2):
            ok = rng.random() < 0.7
            chosen = correct if ok else [rng.choice(order)]
            t += timedelta(seconds=25)
            result = {
                "response": "[,]".join(chosen),
                "success": chosen == correct,
                "extensions": {f"{shapes.course_id}/xapi/extensions/attempt": attempt},
                "duration": "PT21.5S",
            }
            yield shapes.statement(actor, "answered", obj, t, mod, reg, team, None, True, result)
            if chosen == correct:
                right += 1
                break
    score = round(100 * right / len(quiz.questions))
    passed = score >= 80
    yield shapes.statement(
        actor,
        "passed" if passed else "failed",
        shapes.module_object(mod),
        t,
        mod,
        reg,
        team,
        None,
        False,
        {
            "score": {"scaled": score / 100, "raw": score, "min": 0, "max": 100},
            "success": passed,
            "duration": "PT18M",
            "completion": True,
        },
    )
    yield shapes.statement(
        actor,
        "completed",
        shapes.module_object(mod),
        t,
        mod,
        reg,
        team,
        None,
        False,
        {"completion": True, "duration": "PT18M"},
    )
    yield shapes.statement(
        actor,
        "terminated",
        shapes.module_object(mod),
        t,
        mod,
        reg,
        team,
        None,
        False,
        {"duration": "PT18M2S"},
    )


def real_statements(target: int, seed: int = 15) -> Iterator[str]:
    """Yield `target` statements (JSON lines) from successive learners (same seed, same statements)."""
    shapes = Shapes()
    rng = random.Random(seed)
    random.seed(seed + 1)  # statement ids: another stream than the learners
    count, number = 0, 1
    while True:
        for stmt in _learner_statements(shapes, number, rng):
            yield stmt
            count += 1
            if count >= target:
                return
        number += 1


def write_statements_file(path: Path, target: int) -> int:
    """Write `target` real-shape statements as JSON Lines (what `lrs query --format jsonl` writes)."""
    with open(path, "w", encoding="utf-8") as out:
        for line in real_statements(target):
            out.write(line + "\n")
    return target


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


FILE_SIZES = (100_000, 1_000_000)
COURSE_ID = "https://learn.hec-esc.ca/ece"  # course_source/course.yaml `id`
TARGET_FILE_RATE = 50_000  # statements/s from a statements file (issue #15.4)
TARGET_PEAK_MB = 80.0
TARGET_FLAT = 1.25  # peak memory at 1,000,000 ÷ peak at 100,000: "flat" allows this much growth
TARGET_LRS_RATIO = 0.8  # report throughput from the LRS ÷ plain paging of the same LRS
REPORTS = ("self-assessment", "quiz", "completion")
SECTION = "## Reports over 100,000 and 1,000,000 statements"


def _report_args(kind: str, source: list[str], out: Path) -> list[str]:
    # The course IRI, not --source: xAPI statements carry every text, and loading the course source
    # (YAML, validation) is a fixed cost that has nothing to do with how the report scales.
    args = ["report", kind, *source, "--course", COURSE_ID, "--csv", str(out / f"{kind}.csv")]
    if kind == "self-assessment":
        args += ["-o", str(out / "sa.html")]
    return args


def file_runs(tmp: Path, sizes: tuple[int, ...], env: dict) -> dict:
    """Write each size of statements file and time every report over it in a fresh process."""
    results: dict = {}
    for size in sizes:
        path = tmp / f"statements-{size}.jsonl"
        started = time.perf_counter()
        write_statements_file(path, size)
        entry = {"generate_seconds": round(time.perf_counter() - started, 1), "bytes": path.stat().st_size}
        for kind in REPORTS:
            run = _child(CLI, _report_args(kind, ["--statements", str(path)], tmp), env)
            run["statements_per_s"] = round(size / run["seconds"])
            run["statements_per_cpu_s"] = round(size / max(run["cpu_seconds"], 1e-9))
            entry[kind] = run
            print(f"file {size:,} {kind}: {run}", file=sys.stderr)
        path.unlink()
        results[str(size)] = entry
    return results


def lrs_runs(size: int, env_base: dict, tmp: Path) -> dict:
    """Seed the LRS with `size` real-shape statements; time plain paging and the report from it."""
    statements = [json.loads(line) for line in real_statements(size)]
    server = start_lrs()
    out: dict = {"statements": size}
    try:
        started = time.perf_counter()
        stored = server.post(statements)
        load = time.perf_counter() - started
        assert len(set(stored)) == size, "the LRS did not store every statement"
        del statements
        out["load"] = {"seconds": round(load, 2), "statements_per_s": round(size / load)}
        env = {**env_base, **server.env()}
        page = str(PAGE_SIZE)  # the same page size as ece-scorm's client, so the ratio is client overhead
        base = _child(BASELINE, [server.endpoint, server.auth, "until", page], env)
        assert base["statements"] == size, base
        base["statements_per_s"] = round(size / base["seconds"])
        out["baseline_urllib_paging"] = base
        print(f"baseline: {base}", file=sys.stderr)
        run = _child(CLI, _report_args("self-assessment", [], tmp), env)
        run["statements_per_s"] = round(size / run["seconds"])
        out["report_self_assessment"] = run
        print(f"report from the LRS: {run}", file=sys.stderr)
    finally:
        server.stop()
    return out


def targets(results: dict) -> list[dict]:
    """Judge every issue #15 target on the measurements: name, value, target, met."""
    rows = []
    files = results.get("file", {})
    for size, entry in files.items():
        for kind in REPORTS:
            run = entry[kind]
            rows.append(
                {
                    "name": f"`report {kind} --statements` at {int(size):,}: throughput per CPU second",
                    "value": f"{run['statements_per_cpu_s']:,} stmt/s (wall {run['statements_per_s']:,})",
                    "target": f">= {TARGET_FILE_RATE:,} stmt/s",
                    "met": run["statements_per_cpu_s"] >= TARGET_FILE_RATE,
                }
            )
            mb = run["max_rss_kib"] / 1024
            rows.append(
                {
                    "name": f"`report {kind} --statements` at {int(size):,}: peak memory (VmHWM)",
                    "value": f"{mb:.1f} MB",
                    "target": f"<= {TARGET_PEAK_MB:.0f} MB",
                    "met": mb <= TARGET_PEAK_MB,
                }
            )
    sizes = sorted(files, key=int)
    if len(sizes) >= 2:
        small, large = files[sizes[0]], files[sizes[-1]]
        for kind in REPORTS:
            ratio = large[kind]["max_rss_kib"] / small[kind]["max_rss_kib"]
            rows.append(
                {
                    "name": f"`report {kind}`: peak memory at {int(sizes[-1]):,} ÷ at {int(sizes[0]):,}",
                    "value": f"{ratio:.2f}×",
                    "target": f"<= {TARGET_FLAT}× (flat)",
                    "met": ratio <= TARGET_FLAT,
                }
            )
    lrs = results.get("lrs")
    if lrs:
        ratio = (
            lrs["report_self_assessment"]["statements_per_s"]
            / lrs["baseline_urllib_paging"]["statements_per_s"]
        )
        rows.append(
            {
                "name": f"`report self-assessment` from the LRS ÷ plain paging ({lrs['statements']:,})",
                "value": f"{ratio:.2f}× ({lrs['report_self_assessment']['statements_per_s']:,} vs "
                f"{lrs['baseline_urllib_paging']['statements_per_s']:,} stmt/s)",
                "target": f">= {TARGET_LRS_RATIO}×",
                "met": ratio >= TARGET_LRS_RATIO,
            }
        )
    return rows


def markdown(results: dict) -> str:
    """Return this benchmark's RESULTS.md section (machine, measurements, every target met or not)."""
    m = results["machine"]
    lines = [
        SECTION,
        "",
        f"`python benchmarks/lrs_bench.py --results-md benchmarks/RESULTS.md` ({results['date']}): "
        "statements generated in the shapes the real packages send (the bundled course's self-assessment "
        "and first module, as player/xapi-statements.js builds them: page views, lifecycle, Likert answers, "
        "reflections, quiz answers with attempts, two administrations for half the learners, teams of "
        "eight), written as JSON Lines (`lrs query --format jsonl`), then each report runs in a fresh "
        "Python process whose peak memory (VmHWM) is its own. File throughput is judged per CPU second "
        "(user + system of the report process, start-up included) because this shared 2-core machine runs "
        "other engineers' jobs at the same time; the wall-clock figure is shown beside it. The LRS ratio is "
        "wall clock: the baseline and the report page the same LRS under the same load.",
        "",
        f"Machine: {m['cpu']} ({m['cpus']} CPUs), {m['memory_gib']} GiB, {m['platform']}, Python "
        f"{m['python']}; LRS {m['lrs']}; {m['note']} (load average at the start: {results['load_average']}).",
        "",
        "| Target | Measured | Target | Met |",
        "|---|---|---|---|",
    ]
    for row in results["targets"]:
        lines.append(f"| {row['name']} | {row['value']} | {row['target']} | {'✅' if row['met'] else '❌'} |")
    lines += ["", "| Run | Wall time | CPU time | Throughput (wall) | Peak memory |", "|---|---|---|---|---|"]
    for size, entry in results.get("file", {}).items():
        for kind in REPORTS:
            run = entry[kind]
            lines.append(
                f"| `report {kind} --statements` ({int(size):,}; file {entry['bytes'] / 1e6:,.0f} MB) | "
                f"{run['seconds']:.1f} s | {run['cpu_seconds']:.1f} s | {run['statements_per_s']:,} stmt/s | "
                f"{run['max_rss_kib'] / 1024:.1f} MB |"
            )
    lrs = results.get("lrs")
    if lrs:
        for key, label in (
            ("baseline_urllib_paging", "plain urllib paging of the LRS (baseline)"),
            ("report_self_assessment", "`report self-assessment` from the LRS"),
        ):
            run = lrs[key]
            cpu = f"{run['cpu_seconds']:.1f} s" if "cpu_seconds" in run else ""
            lines.append(
                f"| {label} ({lrs['statements']:,}) | {run['seconds']:.1f} s | {cpu} | "
                f"{run['statements_per_s']:,} stmt/s | {run['max_rss_kib'] / 1024:.1f} MB |"
            )
        lines.append(
            f"| seeding the LRS ({lrs['statements']:,}) | {lrs['load']['seconds']:.1f} s | | "
            f"{lrs['load']['statements_per_s']:,} stmt/s | |"
        )
    return "\n".join(lines) + "\n"


def write_section(path: Path, section: str) -> None:
    """Replace this benchmark's section of RESULTS.md (or append it), leaving every other section alone."""
    text = path.read_text(encoding="utf-8") if path.is_file() else "# ece-scorm benchmarks\n"
    start = text.find(SECTION)
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = text.find("\n## ", start + len(SECTION))
        text = text[:start] + section + (text[end + 1 :] if end >= 0 else "")
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=100_000, help="statements in the LRS")
    parser.add_argument("--file-sizes", default=",".join(str(s) for s in FILE_SIZES))
    parser.add_argument("--skip-lrs", action="store_true")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "lrs.json")
    parser.add_argument("--results-md", type=Path, default=None, help="update this section of RESULTS.md")
    args = parser.parse_args()
    sizes = tuple(int(s) for s in args.file_sizes.split(",") if s.strip())

    results: dict = {
        "machine": machine(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_average": " ".join(f"{x:.1f}" for x in os.getloadavg()),
    }
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory(prefix="ece-lrs-bench-") as tmp:
        results["file"] = file_runs(Path(tmp), sizes, env)
        if not args.skip_lrs:
            results["lrs"] = lrs_runs(args.statements, env, Path(tmp))
    results["targets"] = targets(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    section = markdown(results)
    if args.results_md is not None:
        write_section(args.results_md, section)
    print(section)


if __name__ == "__main__":
    main()
