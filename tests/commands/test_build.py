"""`ece-scorm build` end to end on the minimal fixture course: packages, options, errors, reproducibility."""

from __future__ import annotations

import os
import re
import shutil
import zipfile
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml
from click.testing import CliRunner
from lxml import etree

from ece_scorm.cli import cli
from ece_scorm.pipeline import package
from tests.support.schemas import assert_valid

FIXTURE = Path(__file__).parents[1] / "fixtures" / "courses" / "minimal"
SLUG = "ece-mini"  # last path segment of https://example.org/courses/ece-mini
MODULES = ("welcome", "practice", "self-check")  # course.yaml order, the self-assessment package last
CP12 = {"cp": "http://www.imsproject.org/xsd/imscp_rootv1p1p2"}
CP2004 = {"cp": "http://www.imsglobal.org/xsd/imscp_v1p1"}


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """Return a private copy of the minimal course, so a test may edit it."""
    return Path(shutil.copytree(FIXTURE, tmp_path / "course"))


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, ["build", *args], catch_exceptions=False, env=env)


def zips(folder: Path) -> list[str]:
    """Return the package names in an output folder (beside them sits the build record, .ece-build.json)."""
    assert (folder / ".ece-build.json").is_file()
    return sorted(p.name for p in folder.iterdir() if p.name != ".ece-build.json")


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def read_zip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None
        return {name: zf.read(name) for name in zf.namelist()}


def check_scorm_package(path: Path, kind: str, ns: dict[str, str]) -> etree._Element:
    """Assert MUST 1 and 3 and XSD validity for one SCORM zip; return the parsed manifest."""
    entries = read_zip(path)
    assert "imsmanifest.xml" in entries  # MUST 1: at the root, exact name
    # Moodle's scorm_validate_package refuses a zip holding another imsmanifest.xml below the root.
    assert [n for n in entries if "imsmanifest.xml" in n] == ["imsmanifest.xml"]
    assert not any(n.endswith("/") or n.startswith(("__MACOSX", "/")) for n in entries)
    assert_valid(kind, entries["imsmanifest.xml"])
    root = etree.fromstring(entries["imsmanifest.xml"])
    listed = {unquote(h) for h in root.xpath("//cp:file/@href", namespaces=ns)}
    assert listed == set(entries) - {"imsmanifest.xml"}  # every file listed, and every listed file present
    for href in root.xpath("//cp:resource/@href", namespaces=ns):
        assert unquote(href) in entries  # MUST 3: the launch file exists with identical case
    return root


def test_default_build_writes_one_scorm12_package_per_module(course, tmp_path):
    out = tmp_path / "build"
    result = run(str(course), "--out", str(out))
    assert result.exit_code == 0, result.output
    names = [f"{SLUG}-{m}-scorm12.zip" for m in MODULES]
    assert zips(out) == sorted(names)
    for i, name in enumerate(names, start=1):
        assert re.search(
            rf"^\[{i}/3\] scorm12 {MODULES[i - 1]} → {re.escape(str(out / name))} \(\d+ KB\)$",
            result.stdout,
            re.M,
        ), result.stdout
        root = check_scorm_package(out / name, "scorm12", CP12)
        assert root.get("identifier") == f"MAN-{SLUG}-{MODULES[i - 1]}"
    assert "Built 3 package(s)" in result.stdout and "3 written, 0 unchanged" in result.stdout


def test_all_formats_use_each_default_bundle_and_validate(course, tmp_path):
    out = tmp_path / "build"
    result = run(str(course), "--out", str(out), "--format", "all", "-q")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    expected = {f"{SLUG}-{m}-{f}.zip" for m in MODULES for f in ("scorm12", "scorm2004", "xapi")}
    expected.add(f"{SLUG}-series-cmi5.zip")  # cmi5 defaults to one course with one AU per module
    assert set(zips(out)) == expected
    for m in MODULES:
        check_scorm_package(out / f"{SLUG}-{m}-scorm2004.zip", "scorm2004", CP2004)
        assert "tincan.xml" in read_zip(out / f"{SLUG}-{m}-xapi.zip")
    cmi5 = read_zip(out / f"{SLUG}-series-cmi5.zip")
    assert_valid("cmi5", cmi5["cmi5.xml"])
    assert {f"{m}/index.html" for m in MODULES} <= set(cmi5)


def test_series_bundle_wraps_every_module_under_one_root_item(course, tmp_path):
    out = tmp_path / "build"
    result = run(str(course), "--out", str(out), "--bundle", "series")
    assert result.exit_code == 0, result.output
    assert zips(out) == [f"{SLUG}-series-scorm12.zip"]
    root = check_scorm_package(out / f"{SLUG}-series-scorm12.zip", "scorm12", CP12)
    (top,) = root.xpath("//cp:organization/cp:item", namespaces=CP12)  # MUST 14
    assert top.get("identifierref") is None
    assert top.xpath("cp:item/@identifier", namespaces=CP12) == [f"ITEM-{m}" for m in MODULES]
    assert root.xpath("//cp:resource/@href", namespaces=CP12) == [f"{m}/index.html" for m in MODULES]


def test_single_language_and_module_selection(course, tmp_path):
    out = tmp_path / "build"
    result = run(
        str(course), "--out", str(out), "--lang", "fr", "--module", "welcome", "--format", "scorm2004"
    )
    assert result.exit_code == 0, result.output
    assert zips(out) == [f"{SLUG}-welcome-scorm2004-fr.zip"]
    root = check_scorm_package(out / f"{SLUG}-welcome-scorm2004-fr.zip", "scorm2004", CP2004)
    assert root.xpath("string(//cp:item/cp:title)", namespaces=CP2004) == (
        "Bienvenue dans les milieux propices à l’engagement"
    )
    both = run(str(course), "--out", str(out), "--lang", "en,fr", "--module", "welcome", "-q")
    assert both.exit_code == 0
    assert (out / f"{SLUG}-welcome-scorm12.zip").exists()  # all declared languages: no suffix


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--format", "scorm3"), "unknown format scorm3"),
        (("--lang", "de"), "language de is not declared by the course (it declares en, fr)"),
        (("--module", "nope"), "no module 'nope' in the course (modules: welcome, practice, self-check)"),
        (("--bundle", "course"), "'course' is not one of 'module', 'series'"),
    ],
)
def test_usage_errors_exit_2_and_write_nothing(course, tmp_path, args, message):
    out = tmp_path / "build"
    result = run(str(course), "--out", str(out), *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert not out.exists()


def test_empty_or_repeated_format_list(course, tmp_path):
    out = tmp_path / "build"
    empty = run(str(course), "--out", str(out), "--format", ",")
    assert empty.exit_code == 2 and "no format given" in empty.stderr
    twice = run(str(course), "--out", str(out), "--format", "scorm12,scorm12", "--module", "welcome")
    assert twice.exit_code == 0 and "[1/1] scorm12 welcome" in twice.stdout


def test_output_path_that_is_a_file_is_refused(course, tmp_path):
    out = tmp_path / "build"
    out.write_text("not a folder")
    result = run(str(course), "--out", str(out))
    assert result.exit_code == 1 and "exists and is not a folder" in result.stderr
    assert out.read_text() == "not a folder"


def test_missing_source_folder_is_a_usage_error(tmp_path):
    result = run(str(tmp_path / "nowhere"), "--out", str(tmp_path / "build"))
    assert result.exit_code == 2 and "does not exist" in result.stderr
    assert not (tmp_path / "build").exists()


def test_invalid_course_lists_located_errors_and_keeps_previous_build(course, tmp_path):
    out = tmp_path / "build"
    assert run(str(course), "--out", str(out), "-q").exit_code == 0
    before = snapshot(out)
    text = (course / "course.yaml").read_text(encoding="utf-8")
    broken = text.replace("mastery_score: 80", "mastery_score: 180")
    (course / "course.yaml").write_text(broken, encoding="utf-8")
    line = text.splitlines().index("mastery_score: 80") + 1
    result = run(str(course), "--out", str(out))
    assert result.exit_code == 1
    assert re.search(rf"course\.yaml:{line}:\d+: error: ", result.stderr), result.stderr
    assert "nothing was written" in result.stderr and "Traceback" not in result.output
    assert result.stdout == ""
    assert snapshot(out) == before


def test_strict_turns_warnings_into_errors(course, tmp_path):
    practice = course / "modules" / "practice.yaml"
    practice.write_text(
        practice.read_text(encoding="utf-8").replace(
            "title: {en: Putting it into practice, fr: Passer à la pratique}",
            "title: Putting it into practice",
        ),
        encoding="utf-8",
    )
    lenient = run(str(course), "--out", str(tmp_path / "a"), "-q")
    assert lenient.exit_code == 0
    warned = run(str(course), "--out", str(tmp_path / "b"))
    assert "practice.yaml:2:" in warned.stderr and "warning" in warned.stderr
    strict = run(str(course), "--out", str(tmp_path / "c"), "--strict")
    assert strict.exit_code == 1 and "practice.yaml:2:" in strict.stderr and "error" in strict.stderr
    assert not (tmp_path / "c").exists()


def test_state_budget_overflow_names_module_and_figures(course, tmp_path):
    practice = course / "modules" / "practice.yaml"
    extra = "".join(
        f"      - type: reflection\n        id: extra-{i}\n"
        f"        prompt: {{en: Question {i}?, fr: Question {i}?}}\n"
        for i in range(45)
    )
    practice.write_text(practice.read_text(encoding="utf-8") + extra, encoding="utf-8")
    out = tmp_path / "build"
    result = run(str(course), "--out", str(out), "--format", "scorm12,scorm2004")
    assert result.exit_code == 1
    match = re.search(
        r"module 'practice': worst-case resume state ([\d,]+) characters exceeds "
        r"SCORM 1\.2's 4,096 \(cmi\.suspend_data\)",
        result.stderr,
    )
    assert match, result.stderr
    assert int(match.group(1).replace(",", "")) > 4096  # 47 texts of >= 100 characters cannot fit
    assert "welcome" not in result.stderr.split("nothing was written")[0]
    assert not out.exists()
    ok = run(str(course), "--out", str(out), "--format", "scorm2004", "-q")  # 64,000 leaves room
    assert ok.exit_code == 0, ok.output


def test_builds_are_byte_reproducible_and_honour_source_date_epoch(course, tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    assert run(str(course), "--out", str(a), "-q", "--format", "scorm12,cmi5").exit_code == 0
    assert run(str(course), "--out", str(b), "-q", "--format", "scorm12,cmi5").exit_code == 0
    assert {p.name: p.read_bytes() for p in a.iterdir()} == {p.name: p.read_bytes() for p in b.iterdir()}
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    assert run(str(course), "--out", str(c), "-q", "--format", "scorm12,cmi5", env=env).exit_code == 0
    zc = c / f"{SLUG}-welcome-scorm12.zip"
    assert zc.read_bytes() != (a / zc.name).read_bytes()
    with zipfile.ZipFile(zc) as zf:
        assert {i.date_time for i in zf.infolist()} == {(2023, 11, 14, 22, 13, 20)}
    bad = run(str(course), "--out", str(tmp_path / "d"), env={"SOURCE_DATE_EPOCH": "soon"})
    assert bad.exit_code == 1 and "SOURCE_DATE_EPOCH" in bad.stderr


def test_unchanged_rebuild_keeps_files_and_mtimes(course, tmp_path):
    out = tmp_path / "build"
    assert run(str(course), "--out", str(out), "-q").exit_code == 0
    before = snapshot(out)
    again = run(str(course), "--out", str(out))
    assert again.exit_code == 0
    assert "Up to date: 3 package(s)" in again.stdout
    assert snapshot(out) == before
    forced = run(str(course), "--out", str(out), "--force")  # renders everything, still writes nothing
    assert forced.exit_code == 0
    assert "0 written, 3 unchanged" in forced.stdout
    assert snapshot(out) == before


def test_failure_while_writing_leaves_previous_build_untouched(course, tmp_path, monkeypatch):
    out = tmp_path / "build"
    assert run(str(course), "--out", str(out), "-q").exit_code == 0
    before = snapshot(out)
    course_yaml = course / "course.yaml"
    edited = course_yaml.read_text(encoding="utf-8").replace("(mini)", "(mini, v2)")
    course_yaml.write_text(edited, encoding="utf-8")
    real_replace = os.replace
    calls = []

    def third_rename_fails(src, dst):
        calls.append(dst)
        if len(calls) == 3:
            raise OSError(5, "Input/output error")
        return real_replace(src, dst)

    monkeypatch.setattr(package.os, "replace", third_rename_fails)
    result = run(str(course), "--out", str(out))
    assert result.exit_code == 1
    assert "Input/output error" in result.stderr and "previous output was left unchanged" in result.stderr
    assert snapshot(out) == before  # same names, bytes and mtimes; no temporaries left behind


def test_xapi_series_is_refused_before_anything_is_written(course, tmp_path):
    out = tmp_path / "build"
    result = run(str(course), "--out", str(out), "--format", "scorm12,xapi", "--bundle", "series")
    assert result.exit_code == 1 and "xapi" in result.stderr
    assert not out.exists()


def test_shipped_ece_course_builds_schema_valid_scorm_series(tmp_path):
    source = Path(__file__).resolve().parents[2] / "course_source"
    listed = yaml.safe_load((source / "course.yaml").read_text(encoding="utf-8"))
    sa_id = yaml.safe_load((source / listed["self_assessment"]).read_text(encoding="utf-8"))["id"]
    expected = [*listed["modules"], sa_id]
    out = tmp_path / "build"
    result = run(str(source), "--out", str(out), "--format", "scorm12,scorm2004", "--bundle", "series", "-q")
    assert result.exit_code == 0, result.output
    for fmt, kind, ns in (("scorm12", "scorm12", CP12), ("scorm2004", "scorm2004", CP2004)):
        root = check_scorm_package(out / f"ece-series-{fmt}.zip", kind, ns)
        assert root.xpath("//cp:item[@identifierref]/@identifier", namespaces=ns) == [
            f"ITEM-{m}" for m in expected
        ]
        assert root.xpath("string(//cp:organization/cp:title)", namespaces=ns) == listed["title"]["en"]
