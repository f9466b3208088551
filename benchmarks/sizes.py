"""Package sizes per module and format, and the player runtime gzipped, set against published anchors."""

from __future__ import annotations

import gzip
import re
import zipfile
from pathlib import Path

from ece_scorm.pipeline.package import OutputFile, zip_bytes

from .report import Section
from .stats import Figure, fmt_value

RUNTIME_TARGET = 25 * 1024  # issue #7: runtime <= 25 KB gzipped
PACKAGE_TARGET = 100 * 1024  # issue #7: module package <= 100 KB zipped without media
ROOT = Path(__file__).resolve().parents[1]
SCORM_AGAIN = ROOT / "node_modules" / "scorm-again"
PLAYER = ("player/ece-player.js", "player/ece-player.css")
PARTS = ("html", "data", "player", "manifest", "media")
NAME = re.compile(r"^(?P<unit>.+)-(?P<fmt>scorm12|scorm2004|xapi|cmi5)(?P<lang>-[a-z-]+)?$")

# Published figures from ../shared/reference/anchors.md §2 ("Numbers"), quoted with the source it gives.
ANCHORS_RUNTIME = [
    (
        "Articulate Rise 360 player JS (main.bundle.js)",
        "1.00 MB gz (3.25–3.55 MB raw)",
        "anchors.md §2, measured jacksonp2008/scormtest, johntle/SampleELearningCourse, "
        "lukeplummeraa/rise-example2",
    ),
    ("Rise CSS + SCORM Driver", "101 KB gz + 103 KB gz", "anchors.md §2, same repositories"),
    (
        "Adapt v5 adapt.min.js",
        "84 KB gz (386–406 KB raw; all JS 2.19 MB raw)",
        "anchors.md §2, measured analysis-function-learning/analysis_101",
    ),
    (
        "H5P standalone player core",
        "74 KB gz + 66 KB gz (main + frame bundles)",
        "anchors.md §2, measured tunapanda/h5p-standalone @cbc39e0",
    ),
    (
        "scorm-again 3.3.1 scorm12.min.js / scorm2004.min.js",
        "33 KB gz / 102 KB gz",
        "anchors.md §2, measured jcputney/scorm-again @8e44c6c",
    ),
]
ANCHORS_PACKAGE = [
    (
        "Rise 360, near-empty course",
        "1.89 MB zip (runtime alone 1.84 MB zip)",
        "anchors.md §2, measured jacksonp2008/scormtest",
    ),
    (
        "Adapt v5 package",
        "1.26 MB zip; runtime without course content 634 KB zip",
        "anchors.md §2, measured analysis-function-learning/analysis_101",
    ),
    ("LiaScript SCORM package", "“at least 5 MB”", "anchors.md §2, LiaScript/LiaScript#247"),
    ("H5P quiz with formulas", "“11 libraries and 4 MB”", "anchors.md §2, Lumi#458"),
]


def gz(data: bytes) -> int:
    """Return the gzip -9 size of one file (mtime 0), as a server or LMS would send it."""
    return len(gzip.compress(data, 9, mtime=0))


def is_media(path: str) -> bool:
    """Tell whether a package entry is course media (images, video, captions) under a media/ folder."""
    return "media" in path.split("/")[:-1]


def _kind(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    if is_media(path):
        return "media"
    if path.endswith(PLAYER) or "/player/" in f"/{path}":
        return "player"
    if name == "ece-data.js":
        return "data"
    if name == "index.html":
        return "html"
    return "manifest"


def package_rows(build_dir: Path, slug: str) -> tuple[list[list[str]], list[Figure], dict[str, list[int]]]:
    """Return one row per built zip, the per-format 'without media' figures and the runtime gz per format."""
    rows = []
    no_media: dict[str, Figure] = {}
    runtime: dict[str, list[int]] = {}
    for zpath in sorted(build_dir.glob("*.zip")):
        m = NAME.match(zpath.stem.removeprefix(f"{slug}-"))  # <course-slug>-<unit>-<fmt>[-<lang>]
        unit, fmt = (m.group("unit"), m.group("fmt")) if m else (zpath.stem, "?")
        with zipfile.ZipFile(zpath) as zf:
            infos = zf.infolist()
            parts = dict.fromkeys(PARTS, 0)
            for info in infos:
                parts[_kind(info.filename)] += info.compress_size
            kept = [OutputFile(i.filename, zf.read(i)) for i in infos if not is_media(i.filename)]
            players = {i.filename: zf.read(i) for i in infos if i.filename.endswith(PLAYER)}
        # The build's own writer and compression: "without media" is what a text-only module would weigh.
        without = len(zip_bytes(kept))
        series = unit == "series"
        if not series:
            no_media.setdefault(
                fmt, Figure(f"Module package without media, largest, {fmt}", "bytes", target=PACKAGE_TARGET)
            ).samples.append(without)
        if players:
            # A series package holds one identical player per module: the first of each kind is the runtime.
            js = next(gz(d) for p, d in sorted(players.items()) if p.endswith(".js"))
            css = next(gz(d) for p, d in sorted(players.items()) if p.endswith(".css"))
            runtime.setdefault(fmt, [js, css])
        verdict = "n/a (series)" if series else "✅" if without <= PACKAGE_TARGET else "❌"
        rows.append(
            [
                zpath.name,
                unit,
                fmt,
                fmt_value(zpath.stat().st_size, "bytes"),
                fmt_value(without, "bytes"),
                verdict,
                *(fmt_value(parts[k], "bytes") for k in PARTS),
            ]
        )
    figures = []
    for fig in no_media.values():
        # The target applies to every module package: judge the largest one (a single-value figure).
        figures.append(
            Figure(
                fig.name,
                "bytes",
                [max(fig.samples)],
                target=PACKAGE_TARGET,
                note=f"{len(fig.samples)} packages",
            )
        )
    return rows, figures, runtime


def scorm_again_sizes() -> list[list[str]]:
    """Measure the installed scorm-again dist files (gzip -9) in this run, beside the published figures."""
    version = "?"
    pkg = SCORM_AGAIN / "package.json"
    if pkg.is_file():
        found = re.search(r'"version"\s*:\s*"([^"]+)"', pkg.read_text(encoding="utf-8"))
        version = found.group(1) if found else "?"
    rows = []
    for name in ("scorm12.min.js", "scorm2004.min.js", "scorm-again.min.js"):
        path = SCORM_AGAIN / "dist" / name
        if path.is_file():
            data = path.read_bytes()
            rows.append(
                [
                    f"scorm-again {version} `{name}` (node_modules, measured now)",
                    f"{fmt_value(gz(data), 'bytes')} gz ({fmt_value(len(data), 'bytes')} raw)",
                    "this run: gzip -9 of node_modules/scorm-again/dist/" + name,
                ]
            )
    return rows


def sizes(build_dir: Path, slug: str) -> tuple[Section, Section, list[Figure]]:
    """Return the package-size and runtime-size sections and the figures judged against targets."""
    from . import runtime_size  # the player engineer's measurement, per format with the default theme

    rows, pkg_figures, runtime = package_rows(build_dir, slug)
    packages = Section(
        "Package sizes per module and format",
        "Zip bytes of each package of the full build; “without media” re-zips the same entries minus "
        "`media/` with the build's own writer. The part columns are compressed bytes inside the zip. "
        "The cmi5 package is the whole series (one AU per module), so the per-module target does not apply.",
        pkg_figures,
    )
    packages.table(
        "",
        [
            "Package",
            "Module",
            "Format",
            "Zip",
            "Without media",
            "≤ 100 KB",
            "index.html",
            "ece-data.js",
            "player",
            "manifest",
            "media",
        ],
        rows,
    )
    packages.table(
        "Published package sizes of other tools (not measured here):",
        ["Tool", "Published size", "Source"],
        [list(r) for r in ANCHORS_PACKAGE],
    )

    run_rows, run_figures = [], []
    for fmt in ("standalone", "scorm12", "scorm2004", "xapi", "cmi5"):
        raw, total_gz = runtime_size.sizes(fmt)
        shipped = runtime.get(fmt)
        if shipped is None:
            check = ""
        elif sum(shipped) == total_gz:
            check = "same"
        else:
            check = f"differs: {sum(shipped):,} B (runtime edited since the build?)"
        run_rows.append(
            [
                fmt,
                fmt_value(raw, "bytes"),
                fmt_value(total_gz, "bytes"),
                "✅" if total_gz <= RUNTIME_TARGET else "❌",
                check or "not built (preview only)",
            ]
        )
        run_figures.append(
            Figure(f"Player runtime JS + CSS gzipped, {fmt}", "bytes", [total_gz], target=RUNTIME_TARGET)
        )
    runtime_sec = Section(
        "Player runtime (JS + CSS, gzipped)",
        "`player/ece-player.js` + `player/ece-player.css` with the default theme, each gzipped -9 "
        "(benchmarks/runtime_size.py), cross-checked against the files inside the built packages.",
        run_figures,
    )
    runtime_sec.table("", ["Format", "Raw", "Gzipped", "≤ 25 KB", "In the built package"], run_rows)
    runtime_sec.table(
        "Against other players (published figures from ../shared/reference/anchors.md §2, "
        "and scorm-again measured from node_modules in this run):",
        ["Player", "Size", "Source"],
        [list(r) for r in ANCHORS_RUNTIME] + scorm_again_sizes(),
    )
    worst_runtime = max(run_figures, key=lambda f: f.median)
    return packages, runtime_sec, [worst_runtime, *pkg_figures]
