"""Time full builds (CLI subprocess and in-process) against `zip -r -X` of the same trees, and rebuilds."""

from __future__ import annotations

import contextlib
import cProfile
import io
import pstats
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .report import Section
from .stats import Figure

BUILD_TARGET_RATIO = 3.0  # issue #7: full build <= 3x the zip baseline
REBUILD_TARGET_S = 0.3  # issue #7: no-change rebuild <= 0.3 s


class BenchError(RuntimeError):
    """A benchmark step failed (the build or zip exited non-zero)."""


@dataclass
class Timed:
    """Wall and CPU (user + system) seconds of one measured step."""

    wall: float
    cpu: float


def _shown(path: Path) -> str:
    """Return path relative to the project when it lies inside it, so results name no machine paths."""
    root = Path(__file__).resolve().parents[1]
    try:
        return str(Path(path).resolve().relative_to(root))
    except ValueError:
        return str(path)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _self_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_timed(cmd: list[str], cwd: Path | None = None) -> Timed:
    """Run a command to completion; return its wall and CPU time; raise BenchError when it fails."""
    cpu0, t0 = _children_cpu(), time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    wall, cpu = time.perf_counter() - t0, _children_cpu() - cpu0
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip()[-800:]
        raise BenchError(f"{' '.join(cmd)} exited {done.returncode}: {tail}")
    return Timed(wall, cpu)


def cli_build(source: Path, out: Path) -> Timed:
    """Build every format of the course with the CLI in a fresh Python process (what a user runs)."""
    return run_timed(
        [sys.executable, "-m", "ece_scorm", "build", str(source), "--format", "all", "--out", str(out), "-q"]
    )


def inprocess_build(source: Path, out: Path) -> tuple[Timed, int]:
    """Build every format by calling commands.build.run_build; return the time and packages written."""
    from ece_scorm.cli import FORMATS
    from ece_scorm.commands.build import run_build

    cpu0, t0 = _self_cpu(), time.perf_counter()
    built = run_build(
        source, formats=FORMATS, out_dir=out, langs=None, bundle=None, modules=None, strict=False, quiet=True
    )
    return Timed(time.perf_counter() - t0, _self_cpu() - cpu0), sum(1 for b in built if b.written)


def extract_trees(build_dir: Path, trees: Path) -> list[Path]:
    """Extract every built zip into its own folder (the output trees the zip baseline packs)."""
    out = []
    for zpath in sorted(build_dir.glob("*.zip")):
        target = trees / zpath.stem
        with zipfile.ZipFile(zpath) as zf:
            zf.extractall(target)  # our own build output, not untrusted input
        out.append(target)
    return out


def zip_trees(trees: list[Path], dest: Path) -> Timed:
    """Zip each tree with Info-ZIP `zip -r -X` (default level 6, like the build's deflate), one by one."""
    wall = cpu = 0.0
    dest.mkdir(parents=True, exist_ok=True)
    for tree in trees:
        target = dest / f"{tree.name}.zip"
        target.unlink(missing_ok=True)  # zip -r updates an existing archive: always start from nothing
        t = run_timed(["zip", "-r", "-X", "-q", str(target), "."], cwd=tree)
        wall, cpu = wall + t.wall, cpu + t.cpu
    return Timed(wall, cpu)


def profile_build(source: Path, out: Path, top: int = 18) -> str:
    """Return the cProfile of one in-process build, the functions with the largest cumulative time."""
    profiler = cProfile.Profile()
    profiler.enable()
    inprocess_build(source, out)
    profiler.disable()
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    stats.sort_stats("cumulative").print_stats(r"ece_scorm|jinja2|zipfile|zlib|markdown_it|nh3|yaml", top)
    text = stream.getvalue()
    # Keep the table only and shorten site-packages paths, so the block reads the same on every machine.
    text = text[text.find("   ncalls") :] if "   ncalls" in text else text
    text = re.sub(r"\S*/(site-packages|ece_scorm)/", r"\1/", text)
    return re.sub(r"\S*/lib/python3\.\d+/", "", text)  # the standard library: module names suffice


def full_build(
    source: Path, runs: int, work: Path, reference: Path
) -> tuple[Section, dict[str, Figure], Path]:
    """Measure the full build (CLI and in-process) and the zip baseline; leave one build in `reference`."""
    cli_wall = Figure("Full build, CLI (`ece-scorm build --format all`)", "s")
    cli_cpu = Figure("Full build, CLI, CPU time", "s")
    inp_wall = Figure("Full build, in-process (warm `run_build`)", "s")
    inp_cpu = Figure("Full build, in-process, CPU time", "s")
    zip_wall = Figure("Zip baseline (`zip -r -X` of the same trees)", "s")
    zip_cpu = Figure("Zip baseline, CPU time", "s")
    ratio_cli = Figure("Full build ÷ zip baseline, CLI, wall", "x", target=BUILD_TARGET_RATIO)
    ratio_cpu = Figure("Full build ÷ zip baseline, CLI, CPU", "x", target=BUILD_TARGET_RATIO)
    ratio_inp = Figure("Full build ÷ zip baseline, in-process, wall", "x", target=BUILD_TARGET_RATIO)

    # Untimed: warms the disk cache, keeps imports and first-call costs out of "warm", gives the trees to zip.
    inprocess_build(source, reference)
    trees = extract_trees(reference, work / "trees")
    for i in range(runs):
        t_cli = cli_build(source, work / f"cli-{i}")
        t_inp, _ = inprocess_build(source, work / f"inproc-{i}")
        t_zip = zip_trees(trees, work / f"zip-{i}")
        cli_wall.samples.append(t_cli.wall)
        cli_cpu.samples.append(t_cli.cpu)
        inp_wall.samples.append(t_inp.wall)
        inp_cpu.samples.append(t_inp.cpu)
        zip_wall.samples.append(t_zip.wall)
        zip_cpu.samples.append(t_zip.cpu)
        ratio_cli.samples.append(t_cli.wall / t_zip.wall)
        ratio_cpu.samples.append(t_cli.cpu / t_zip.cpu if t_zip.cpu > 0 else float("inf"))
        ratio_inp.samples.append(t_inp.wall / t_zip.wall)
        for d in (work / f"cli-{i}", work / f"inproc-{i}", work / f"zip-{i}"):
            shutil.rmtree(d, ignore_errors=True)

    zips = sorted(reference.glob("*.zip"))
    files = sum(len(zipfile.ZipFile(z).namelist()) for z in zips)
    section = Section(
        "Full build of the ECE series",
        f"`{_shown(source)}`: every module and the self-assessment × every format "
        f"(scorm12, scorm2004, xapi, cmi5) × both languages in each package = {len(zips)} zips, "
        f"{files} files. Each run builds into a fresh folder. The zip baseline packs the trees extracted "
        "from the same build, one `zip -r -X -q` per package, measured in the same run right after the "
        "build (ratios are per run, then the median).",
        [cli_wall, cli_cpu, inp_wall, inp_cpu, zip_wall, zip_cpu, ratio_cli, ratio_cpu, ratio_inp],
    )
    return section, {"ratio_cli": ratio_cli, "ratio_cpu": ratio_cpu}, reference


def _edit_module(path: Path, n: int) -> str:
    """Change one visible text of a module file (the first English line) so its packages really change."""
    text = path.read_text(encoding="utf-8")
    edited, count = re.subn(r"(?m)^(\s+en: )(\S.*?)( \(edit \d+\))?$", rf"\1\2 (edit {n})", text, count=1)
    if count:
        path.write_text(edited, encoding="utf-8")
        return "first English text line changed"
    path.write_text(text + f"\n# edit {n}\n", encoding="utf-8")
    return "comment appended"


def rebuilds(source: Path, runs: int, work: Path) -> tuple[Section, dict[str, Figure]]:
    """Time a rebuild with no change and with one module file changed (a copy of the course)."""
    copy = work / "course"
    shutil.copytree(source, copy)
    out = work / "out"
    inprocess_build(copy, out)  # untimed: the previous build, and a warm process
    modules = sorted((copy / "modules").glob("*.yaml"))
    if not modules:
        raise BenchError(f"{source}/modules holds no module file to change")
    changed = modules[-1]

    same_cli = Figure("No-change rebuild, CLI", "s", target=REBUILD_TARGET_S)
    same_cpu = Figure("No-change rebuild, CLI, CPU time", "s")
    same_inp = Figure("No-change rebuild, in-process", "s", target=REBUILD_TARGET_S)
    same_inp_cpu = Figure("No-change rebuild, in-process, CPU time", "s")
    one_cli = Figure(f"One file changed (`modules/{changed.name}`), CLI", "s")
    one_inp = Figure(f"One file changed (`modules/{changed.name}`), in-process", "s")
    written_same: set[int] = set()
    written_one: set[int] = set()
    how = ""
    for i in range(runs):
        t = cli_build(copy, out)
        same_cli.samples.append(t.wall)
        same_cpu.samples.append(t.cpu)
        t2, n = inprocess_build(copy, out)
        same_inp.samples.append(t2.wall)
        same_inp_cpu.samples.append(t2.cpu)
        written_same.add(n)
        how = _edit_module(changed, 2 * i + 1)
        one_cli.samples.append(cli_build(copy, out).wall)
        _edit_module(changed, 2 * i + 2)
        t3, n = inprocess_build(copy, out)
        one_inp.samples.append(t3.wall)
        written_one.add(n)
    from ece_scorm.cli import FORMATS

    expected_one = len(FORMATS)  # one package per format holds the changed module
    section = Section(
        "Rebuilds",
        "A copy of the course is built once into one output folder, then rebuilt into the same folder: "
        f"unchanged, and after changing `modules/{changed.name}` ({how}) before each timed build.",
        [same_cli, same_cpu, same_inp, same_inp_cpu, one_cli, one_inp],
        notes=[
            f"Packages rewritten by a no-change rebuild: {sorted(written_same)} (expected [0]).",
            f"Packages rewritten after the one-file change: {sorted(written_one)} (expected "
            f"{expected_one}: that module in each per-module format and the series package; more means "
            "the runtime or theme changed during the run).",
        ],
    )
    return section, {"same_cli": same_cli, "same_inp": same_inp}


@contextlib.contextmanager
def workdir(prefix: str):
    """Yield a temporary folder removed afterwards."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


# Runs in a fresh interpreter (a cold CLI build): the time and CPU time of each step of a no-change rebuild.
_PHASES = r"""
import json, sys, time
from pathlib import Path
def now():
    return time.perf_counter(), time.process_time()
marks = [("start", *now())]
import ece_scorm.cli, ece_scorm.pipeline.plan as b
from ece_scorm.pipeline.formats import get
from ece_scorm.pipeline.package import epoch_from_env, write_all
from ece_scorm.source.course import load_course
for f in ece_scorm.cli.FORMATS:
    get(f)
marks.append(("imports", *now()))
course = load_course(Path(sys.argv[1]))[0]
marks.append(("load", *now()))
plans = b.plan_packages(course, ece_scorm.cli.FORMATS, course.modules, None, Path(sys.argv[2]), "")
langs, epoch = tuple(course.languages), epoch_from_env()
out = {k.plan.path: k.zip(epoch) for k in b.make_packages(course, plans, langs)}
marks.append(("render", *now()))
written = sum(write_all(out).values())
marks.append(("write", *now()))
steps = {n: [w - w0, c - c0] for (_, w0, c0), (n, w, c) in zip(marks, marks[1:])}
print(json.dumps({"steps": steps, "packages": len(plans), "written": written}))
"""


def rebuild_breakdown(source: Path, out: Path, runs: int) -> list[list[str]]:
    """Split a no-change CLI rebuild: interpreter start, imports, loading, rendering + zipping, writing."""
    import json
    import statistics

    starts = [run_timed([sys.executable, "-c", "pass"]) for _ in range(runs)]
    phases = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", _PHASES, str(source), str(out)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise BenchError(f"rebuild breakdown failed: {done.stderr.strip()[-800:]}")
        phases.append(json.loads(done.stdout.strip().splitlines()[-1]))

    def cell(values: list[float]) -> str:
        return f"{statistics.median(values):.3f} s"

    n = phases[0]["packages"]
    labels = {
        "imports": "Imports of the CLI, build and format modules",
        "load": "`load_course` (read YAML, validate)",
        "render": f"Render + zip {n} packages in memory (fresh process: cold caches)",
        "write": "`write_all` (compare with the files on disk; nothing written)",
    }
    rows = [
        [
            "Python interpreter start (`python -c pass`)",
            cell([t.wall for t in starts]),
            cell([t.cpu for t in starts]),
        ]
    ]
    for key, label in labels.items():
        steps = [p["steps"][key] for p in phases]
        rows.append([label, cell([w for w, _ in steps]), cell([c for _, c in steps])])
    return rows
