"""`ece-scorm validate` on packages our build makes, on official schemas, and on course source folders."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from ece_scorm.cli import cli
from ece_scorm.errors import SourceInvalid
from ece_scorm.source.course import load_course
from tests.support.bad_packages import CMI5, scorm12_files, zip_of

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "fixtures" / "courses" / "minimal"
BROKEN = ROOT / "tests" / "fixtures" / "courses" / "broken"
SCHEMAS = ROOT.parent / "shared" / "schemas"


def validate(*args: str):
    """Run `ece-scorm validate` as a user would."""
    return CliRunner().invoke(cli, ["validate", *args], catch_exceptions=False)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> list[Path]:
    """Build the fixture course in every format with the real build command."""
    out = tmp_path_factory.mktemp("build")
    result = CliRunner().invoke(
        cli, ["build", str(MINIMAL), "--format", "all", "--out", str(out)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    zips = sorted(out.glob("*.zip"))
    kinds = {p.name.rsplit("-", 1)[-1] for p in zips}
    assert kinds == {"scorm12.zip", "scorm2004.zip", "xapi.zip", "cmi5.zip"}
    return zips


def test_our_packages_validate_clean_against_rules_and_official_schemas(built):
    assert SCHEMAS.is_dir(), f"official schemas expected at {SCHEMAS}"
    expected = {
        "scorm12": "SCORM 1.2",
        "scorm2004": "SCORM 2004 4th Edition",
        "xapi": "xAPI (tincan.xml)",
        "cmi5": "cmi5",
    }
    for path in built:
        result = validate("--json", "--strict", "--schemas", str(SCHEMAS), str(path))
        report = json.loads(result.output)
        assert result.exit_code == 0 and report["issues"] == [], (path.name, report["issues"])
        assert report["standard"] == expected[path.stem.rsplit("-", 1)[-1]]
        assert report["ours"] is True


def test_schemas_folder_may_be_given_as_a_relative_path(built, monkeypatch):
    """README documents `--schemas ../shared/schemas`: a relative folder must work, not crash."""
    monkeypatch.chdir(ROOT)
    result = validate("--strict", "--schemas", "../shared/schemas", str(built[0]))
    assert result.exit_code == 0, result.output
    assert "0 error(s), 0 warning(s)" in result.output


def test_state_budget_is_checked_per_sco_in_our_packages(built, tmp_path):
    """Raise worstCase above the SCORM 1.2 limit in a real package: validate must catch it (MUST 20)."""
    source = next(p for p in built if p.name.endswith("-scorm12.zip"))
    with zipfile.ZipFile(source) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    data = files["ece-data.js"].decode()
    head, rest = data.rsplit('"worstCase":', 1)  # keys are sorted: the strict budget's comes last
    number = re.match(r"\d+", rest).group(0)  # the strict budget's figure (a roomy one may follow)
    files["ece-data.js"] = (head + '"worstCase":4097' + rest[len(number) :]).encode()
    bad = tmp_path / "over.zip"
    bad.write_bytes(zip_of(files))
    report = json.loads(validate("--json", str(bad)).output)
    assert [(i["file"], i["rule"]) for i in report["issues"]] == [("ece-data.js", "MUST 20")]
    assert "4,097 characters, above SCORM 1.2 cmi.suspend_data's 4,096" in report["issues"][0]["message"]


def test_schemas_catch_what_the_rules_do_not(tmp_path):
    # IMS CP requires resource@type; no Moodle rule needs it, so only the official schema reports it.
    files = scorm12_files()
    files["imsmanifest.xml"] = files["imsmanifest.xml"].replace(b' type="webcontent"', b"")
    path = tmp_path / "notype.zip"
    path.write_bytes(zip_of(files))
    assert validate(str(path)).exit_code == 0
    result = validate("--json", "--schemas", str(SCHEMAS), str(path))
    issues = json.loads(result.output)["issues"]
    assert result.exit_code == 1
    assert any(
        i["file"] == "imsmanifest.xml"
        and "official SCORM 1.2 schema" in i["message"]
        and "'type' is required" in i["message"]
        for i in issues
    ), issues


def test_cmi5_schema_violation_cites_must_30(tmp_path):
    xml = CMI5.format(
        au_id="https://example.org/c/m1", mastery='launchMethod="Sideways"', url="m1/index.html"
    )
    path = tmp_path / "c.zip"
    path.write_bytes(zip_of({"cmi5.xml": xml.encode(), "m1/index.html": b"<p>x</p>"}))
    issues = json.loads(validate("--json", "--schemas", str(SCHEMAS), str(path)).output)["issues"]
    assert any(
        i["rule"] == "MUST 30" and "official cmi5 schema" in i["message"] and "Sideways" in i["message"]
        for i in issues
    ), issues


def test_schemas_folder_without_the_set_is_a_clear_error(tmp_path):
    path = tmp_path / "good.zip"
    path.write_bytes(zip_of(scorm12_files()))
    empty = tmp_path / "schemas"
    empty.mkdir()
    result = CliRunner().invoke(cli, ["validate", "--schemas", str(empty), str(path)])
    assert result.exit_code == 1
    assert "scorm12/imscp_rootv1p1p2.xsd not found" in result.output and "Traceback" not in result.output


def test_source_folder_clean():
    result = validate(str(MINIMAL))
    assert result.exit_code == 0
    assert "0 error(s), 0 warning(s); ready to build." in result.output


@pytest.mark.parametrize("case", ["answer-not-in-choices", "course-id-not-iri", "course-without-modules"])
def test_source_folder_reports_the_source_validators_issues(case):
    folder = BROKEN / case
    with pytest.raises(SourceInvalid) as caught:
        load_course(folder)
    result = validate(str(folder))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    for issue in caught.value.issues:
        assert str(issue) in lines
    report = json.loads(validate("--json", str(folder)).output)
    assert report["kind"] == "source"
    assert report["errors"] == sum(i.level == "error" for i in caught.value.issues)


def test_a_single_yaml_file_points_to_the_course_folder():
    result = validate(str(MINIMAL / "course.yaml"))
    assert result.exit_code == 1
    assert "give the course source folder" in result.output and str(MINIMAL) in result.output
    assert "Traceback" not in result.output
