"""The unchanged-rebuild fast path: one digest of every input; any changed byte or damaged zip rebuilds."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ece_scorm import themes
from ece_scorm.cli import cli
from ece_scorm.pipeline import fingerprint

FIXTURE = Path(__file__).parents[1] / "fixtures" / "courses" / "minimal"
ROOT = Path(__file__).resolve().parents[2]
RECORD = ".ece-build.json"
HEAVY = ("jinja2", "lxml", "markdown_it", "nh3", "yaml")


@pytest.fixture
def course(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURE, tmp_path / "course"))


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, ["build", *args], catch_exceptions=False, env=env)


def state(folder: Path) -> dict[str, tuple[str, int]]:
    """Return name -> (sha256, mtime_ns) of every file in the output folder, record included."""
    return {
        p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(folder.iterdir())
    }


def rebuilt(before: dict, after: dict) -> set[str]:
    return {n for n in after if n != RECORD and before.get(n) != after[n]}


def flip_byte(path: Path, offset: int = -1) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.fixture
def built(course, tmp_path):
    """Build the minimal course (scorm12, one zip per module) once; return (course, out, state)."""
    out = tmp_path / "build"
    first = run(str(course), "--out", str(out), "-q")
    assert first.exit_code == 0, first.output
    return course, out, state(out)


def test_unchanged_rebuild_is_up_to_date_and_touches_nothing(built):
    course, out, before = built
    result = run(str(course), "--out", str(out))
    assert result.exit_code == 0
    assert "Up to date: 3 package(s)" in result.stdout and "[1/3]" not in result.stdout
    assert state(out) == before  # same bytes and mtimes, the record included
    record = json.loads((out / RECORD).read_text(encoding="utf-8"))
    listed = {p["name"]: p["sha256"] for p in record["builds"][0]["packages"]}
    assert listed == {n: h for n, (h, _) in before.items() if n != RECORD}


def test_fast_path_imports_no_renderer_library(built):
    course, out, _ = built
    probe = (
        "import sys\nfrom ece_scorm.cli import cli\n"
        f"cli(['build', {str(course)!r}, '--out', {str(out)!r}], standalone_mode=False)\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True)
    assert "Up to date" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize("edit", ["yaml", "media", "theme"])
def test_one_changed_byte_rebuilds(built, edit):
    course, out, before = built
    if edit == "yaml":  # a visible text of one module
        target = course / "modules" / "welcome.yaml"
        text = target.read_text(encoding="utf-8")
        target.write_text(text.replace("Welcome", "Welcomé", 1), encoding="utf-8")
    elif edit == "media":
        media = sorted(p for p in (course / "media").rglob("*") if p.is_file())
        flip_byte(media[0])
    else:  # a course-local theme overrides the default one; then one byte of its template changes
        theme = course / "themes" / "default"
        shutil.copytree(ROOT / "themes" / "default", theme)
        assert run(str(course), "--out", str(out), "-q").exit_code == 0
        before = state(out)
        index = theme / "templates" / "index.html.j2"
        index.write_text(
            index.read_text(encoding="utf-8").replace("</body>", "<!-- x --></body>"), encoding="utf-8"
        )
    result = run(str(course), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "Up to date" not in result.stdout and "Built 3 package(s)" in result.stdout
    changed = rebuilt(before, state(out))
    assert changed, f"{edit}: nothing was rewritten"
    again = run(str(course), "--out", str(out))
    assert "Up to date" in again.stdout  # the new inputs are recorded in turn


def test_deleted_or_tampered_zip_is_rebuilt_to_the_same_bytes(built):
    course, out, before = built
    gone, damaged = sorted(n for n in before if n != RECORD)[:2]
    original = (out / damaged).read_bytes()
    (out / gone).unlink()
    flip_byte(out / damaged, offset=len(original) // 2)  # same size, one bit different
    result = run(str(course), "--out", str(out))
    assert result.exit_code == 0 and "2 written, 1 unchanged" in result.stdout
    after = state(out)
    assert after[gone][0] == before[gone][0] and after[damaged][0] == before[damaged][0]
    assert (out / damaged).read_bytes() == original


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (("--format", "scorm2004"), None),
        (("--lang", "fr"), None),
        (("--module", "welcome"), None),
        (("--strict",), None),
        ((), {"SOURCE_DATE_EPOCH": "1700000000"}),
        (("--force",), None),
    ],
)
def test_different_options_rebuild(built, args, env):
    course, out, before = built
    result = run(str(course), "--out", str(out), *args, env=env)
    assert result.exit_code == 0, result.output
    assert "Up to date" not in result.stdout and "Built " in result.stdout
    # The first option set is still remembered: going back to it is a no-op while its zips are intact.
    if "--format" not in args and "--lang" not in args and not env:
        back = run(str(course), "--out", str(out))
        assert "Up to date" in back.stdout


def test_alternating_option_sets_stay_up_to_date(built):
    course, out, _ = built
    assert run(str(course), "--out", str(out), "--format", "xapi", "-q").exit_code == 0
    both = state(out)
    assert "Up to date" in run(str(course), "--out", str(out)).stdout
    assert "Up to date" in run(str(course), "--out", str(out), "--format", "xapi").stdout
    assert state(out) == both


def test_source_error_is_reported_despite_a_record(built):
    course, out, before = built
    welcome = course / "modules" / "welcome.yaml"
    welcome.write_text(welcome.read_text(encoding="utf-8") + "surprise: 1\n", encoding="utf-8")
    result = run(str(course), "--out", str(out))
    assert result.exit_code == 1
    assert "welcome.yaml:" in result.stderr and "error" in result.stderr and "surprise" in result.stderr
    assert state(out) == before


def test_warnings_are_repeated_on_the_fast_path(course, tmp_path):
    practice = course / "modules" / "practice.yaml"
    practice.write_text(
        practice.read_text(encoding="utf-8").replace(
            "title: {en: Putting it into practice, fr: Passer à la pratique}",
            "title: Putting it into practice",
        ),
        encoding="utf-8",
    )
    out = tmp_path / "build"
    first = run(str(course), "--out", str(out))
    second = run(str(course), "--out", str(out))
    assert "Up to date" in second.stdout
    warning = [line for line in first.stderr.splitlines() if "practice.yaml:2:" in line]
    assert warning and warning == [line for line in second.stderr.splitlines() if "practice.yaml:2:" in line]


def test_output_folder_inside_the_source_is_not_an_input(course):
    out = course / "build"
    assert run(str(course), "--out", str(out), "-q").exit_code == 0
    assert "Up to date" in run(str(course), "--out", str(out)).stdout


def test_output_folder_that_is_the_source_still_sees_every_edit(course):
    assert run(str(course), "--out", str(course), "-q").exit_code == 0
    run(str(course), "--out", str(course), "-q")  # the zips are inputs now: they settle after one more build
    assert "Up to date" in run(str(course), "--out", str(course)).stdout
    welcome = course / "modules" / "welcome.yaml"
    welcome.write_text(welcome.read_text(encoding="utf-8").replace("Welcome", "Hello", 1), encoding="utf-8")
    result = run(str(course), "--out", str(course))
    assert "Up to date" not in result.stdout and "1 written" in result.stdout


@pytest.mark.parametrize(
    "record",
    [
        "not json",
        json.dumps({"version": 1, "builds": "x"}),
        json.dumps({"version": 99, "builds": []}),
    ],
)
def test_malformed_record_means_a_full_build(built, record):
    course, out, before = built
    (out / RECORD).write_text(record, encoding="utf-8")
    result = run(str(course), "--out", str(out))
    assert result.exit_code == 0 and "0 written, 3 unchanged" in result.stdout
    assert json.loads((out / RECORD).read_text(encoding="utf-8"))["version"] == fingerprint.RECORD_VERSION


def test_record_naming_a_file_outside_the_folder_is_ignored(built, tmp_path):
    course, out, _ = built
    record = json.loads((out / RECORD).read_text(encoding="utf-8"))
    outside = tmp_path / "elsewhere.zip"
    outside.write_bytes(b"x")
    record["builds"][0]["packages"] = [
        {"name": "../elsewhere.zip", "size": 1, "sha256": hashlib.sha256(b"x").hexdigest()}
    ]
    (out / RECORD).write_text(json.dumps(record), encoding="utf-8")
    result = run(str(course), "--out", str(out))
    assert "Up to date" not in result.stdout and "Built 3 package(s)" in result.stdout


def test_digest_covers_the_shared_themes_and_the_package(course, tmp_path, monkeypatch):
    themes_copy = Path(shutil.copytree(ROOT / "themes", tmp_path / "themes"))
    package_copy = Path(
        shutil.copytree(ROOT / "ece_scorm", tmp_path / "pkg", ignore=shutil.ignore_patterns("__pycache__"))
    )
    monkeypatch.setattr(themes, "REPO_THEMES", themes_copy)
    monkeypatch.setattr(fingerprint, "PACKAGE_DIR", package_copy)
    options = {"formats": ["scorm12"]}
    base = fingerprint.input_digest(course, tmp_path / "out", options)
    assert base == fingerprint.input_digest(course, tmp_path / "out", options)
    digests = {base}
    for path in (
        themes_copy / "default" / "templates" / "blocks.html.j2",
        package_copy / "player" / "core.js",
        package_copy / "pipeline" / "render.py",
    ):
        flip_byte(path)
        digests.add(fingerprint.input_digest(course, tmp_path / "out", options))
    digests.add(fingerprint.input_digest(course, tmp_path / "out", {"formats": ["xapi"]}))
    assert len(digests) == 5  # each change gave a digest of its own
