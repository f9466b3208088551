"""`ece-scorm validate` on a corpus of broken and hostile packages: each gets its hand-written finding."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from ece_scorm.cli import cli
from tests.support.bad_packages import CASES, good_scorm12, xxe_manifest, zip_of

# case -> (file of the finding, level, rule, words the message must hold). "{zip}" is the package's own name.
EXPECTED: dict[str, tuple[str, str, str, str]] = {
    "wrapper-folder": ("course/imsmanifest.xml", "error", "MUST 1", "wrapper folder"),
    "missing-manifest": (
        "{zip}",
        "error",
        "MUST 1",
        "no imsmanifest.xml, cmi5.xml or tincan.xml at the root",
    ),
    "manifest-upper-case": ("IMSManifest.xml", "error", "MUST 1", "named exactly 'imsmanifest.xml'"),
    "wrong-schemaversion": ("imsmanifest.xml", "error", "MUST 8", "<schemaversion> is '1.3'"),
    "schemaversion-whitespace": ("imsmanifest.xml", "error", "MUST 8", "whitespace around '1.2'"),
    "numeric-character-reference": (
        "imsmanifest.xml",
        "error",
        "MUST 6",
        "numeric character reference &#169;",
    ),
    "missing-resource": ("imsmanifest.xml", "error", "MUST 11", "resource 'RES-GONE', which does not exist"),
    "asset-typed-sco": ("imsmanifest.xml", "error", "MUST 11", "adlcp:scormtype='asset'"),
    "scormtype-missing": ("imsmanifest.xml", "error", "MUST 11", "has no adlcp:scormtype"),
    "default-org-missing": (
        "imsmanifest.xml",
        "error",
        "MUST 10",
        "default='ORG-NOPE'> names no <organization>",
    ),
    "duplicate-identifiers": ("imsmanifest.xml", "error", "MUST 9", "identifier 'ITEM-1' is used twice"),
    "identifier-with-quote": ("imsmanifest.xml", "error", "MUST 9", "identifier 'ITEM\"1' has characters"),
    "item-without-title": ("imsmanifest.xml", "error", "MUST 10", "item 'ITEM-1' has no <title>"),
    "prefixed-cp-element": ("imsmanifest.xml", "error", "MUST 7", "<cp:organizations> carries a prefix"),
    "masteryscore-out-of-range": ("imsmanifest.xml", "error", "MUST 11", "masteryscore '150'"),
    "namespace-version-mismatch": ("imsmanifest.xml", "error", "MUST 8", "does not match schemaversion 2004"),
    "backslash-path": ("media\\logo.png", "error", "MUST 2", "backslashes"),
    "absolute-path": ("/etc/cron.d/evil", "error", "MUST 2", "absolute path"),
    "zip-slip": ("../../home/user/.bashrc", "error", "MUST 2", "zip-slip"),
    "bomb-high-ratio": ("media/huge.txt", "error", "", "zip bomb"),
    "too-many-entries": ("{zip}", "error", "MUST 2", "10,004 entries"),
    "billion-laughs": ("imsmanifest.xml", "error", "MUST 5", "declares entities"),
    "external-entity-xxe": ("imsmanifest.xml", "error", "MUST 5", "external entity"),
    "credentials-basic-auth": ("lrs.js", "error", "MUST 27", "HTTP Basic authorization"),
    "credentials-aws-key": ("config.json", "error", "MUST 27", "AWS access key"),
    "credentials-private-key": ("key.pem", "error", "MUST 27", "private key"),
    "credentials-password": ("settings.ini", "error", "MUST 27", "password assignment"),
    "credentials-bearer": ("player2.js", "error", "MUST 27", "bearer token"),
    "macosx-folder": ("__MACOSX/._index.html", "warning", "", "__MACOSX/"),
    "ds-store": (".DS_Store", "warning", "", "macOS Finder metadata"),
    "thumbs-db": ("media/Thumbs.db", "warning", "", "Windows thumbnail cache"),
    "wrong-case-href": ("imsmanifest.xml", "error", "MUST 3", "'Index.html' is 'index.html' in the zip"),
    "referenced-file-absent": ("imsmanifest.xml", "error", "MUST 3", "file 'player.js' is not in the zip"),
    "unreferenced-file": ("notes/draft.txt", "warning", "", "not listed in the manifest"),
    "root-relative-url": ("index.html", "error", "MUST 4", "root-relative URL"),
    "html-link-wrong-case": ("index.html", "error", "MUST 3", "'Player.js' is 'player.js' in the zip"),
    "html-link-missing": ("index.html", "warning", "MUST 3", "'css/theme.css' is not in the zip"),
    "not-a-zip": ("{zip}", "error", "MUST 2", "not a readable ZIP archive"),
    "truncated-zip": ("{zip}", "error", "MUST 2", "not a readable ZIP archive"),
    "corrupt-deflate": ("index.html", "error", "MUST 2", "cannot be decompressed"),
    "duplicate-entry": ("index.html", "error", "MUST 2", "entry name twice"),
    "binary-garbage-manifest": ("imsmanifest.xml", "error", "MUST 5", "binary data"),
    "utf16-manifest": ("imsmanifest.xml", "error", "MUST 5", "UTF-16"),
    "malformed-xml": ("imsmanifest.xml", "error", "MUST 5", "not well-formed"),
    "scorm2004-data-from-lms": ("imsmanifest.xml", "error", "MUST 24", "dataFromLMS"),
    "tincan-launch-not-first": ("tincan.xml", "error", "MUST 26", "first <activity> must be the launchable"),
    "tincan-activities-not-first": ("tincan.xml", "error", "MUST 26", "<activities> must be the first child"),
    "tincan-relative-activity-id": (
        "tincan.xml",
        "error",
        "MUST 26",
        "activity id 'm1' is not an absolute IRI",
    ),
    "cmi5-relative-id": ("cmi5.xml", "error", "MUST 30", "au id 'module-one' is not an absolute IRI"),
    "cmi5-mastery-above-one": (
        "cmi5.xml",
        "error",
        "MUST 30",
        "masteryScore '80' must be a decimal from 0 to 1",
    ),
    "cmi5-reserved-launch-parameter": (
        "cmi5.xml",
        "error",
        "MUST 30",
        "reserved launch parameter(s) endpoint",
    ),
    "cmi5-entity-declaration": ("cmi5.xml", "error", "MUST 30", "declares entities"),
    "symlink-entry": ("media/passwd", "error", "MUST 2", "symbolic link"),
    "credentials-password-in-js": (
        "app.js",
        "error",
        "MUST 27",
        "password assignment ('password = \"Tr0ub4dor",
    ),
    "ours-state-over-budget": ("ece-data.js", "error", "MUST 20", "5,000 characters, above SCORM 1.2"),
}
WARNING_ONLY = {name for name, exp in EXPECTED.items() if exp[1] == "warning"}


def validate(*args: str):
    """Run the CLI as a user would; an unexpected exception fails the test with its traceback."""
    return CliRunner().invoke(cli, ["validate", *args], catch_exceptions=False)


def test_corpus_is_large_and_every_case_has_an_expectation():
    assert len(CASES) >= 30
    assert set(CASES) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_package_reports_its_finding(name, tmp_path):
    path = tmp_path / f"{name}.zip"
    path.write_bytes(CASES[name]())
    started = time.perf_counter()
    result = validate("--json", str(path))
    elapsed = time.perf_counter() - started
    assert elapsed < 10, f"validate took {elapsed:.1f} s on {name}: a hostile package must not hang it"
    report = json.loads(result.output)
    where, level, rule, words = EXPECTED[name]
    where = where.replace("{zip}", path.name)
    found = [
        i
        for i in report["issues"]
        if i["file"] == where and i["level"] == level and i["rule"] == rule and words in i["message"]
    ]
    assert found, f"{name}: expected {level} at {where} [{rule}] with {words!r}; got:\n" + "\n".join(
        f"{i['file']}: {i['level']}: {i['message']} [{i['rule']}]" for i in report["issues"]
    )
    if name in WARNING_ONLY:
        assert result.exit_code == 0 and report["errors"] == 0
    else:
        assert result.exit_code == 1 and report["errors"] >= 1


def test_human_output_is_path_level_message_rule(tmp_path):
    path = tmp_path / "p.zip"
    path.write_bytes(CASES["wrong-schemaversion"]())
    result = validate(str(path))
    assert result.exit_code == 1
    # Line 6 of the hand-written template holds <schemaversion>.
    assert (
        "imsmanifest.xml:6:1: error: <schemaversion> is '1.3'; write exactly '1.2', '2004 4th "
        "Edition' or "
        "'2004 3rd Edition' [MUST 8]"
    ) in result.output
    assert "Traceback" not in result.output


def test_strict_turns_warnings_into_errors(tmp_path):
    path = tmp_path / "p.zip"
    path.write_bytes(CASES["unreferenced-file"]())
    assert validate(str(path)).exit_code == 0
    strict = validate("--strict", str(path))
    assert strict.exit_code == 1
    assert "notes/draft.txt: error: file is not listed in the manifest" in strict.output


def test_clean_baseline_has_no_findings(tmp_path):
    path = tmp_path / "good.zip"
    path.write_bytes(good_scorm12())
    result = validate("--json", str(path))
    report = json.loads(result.output)
    assert result.exit_code == 0
    assert report["issues"] == [] and report["standard"] == "SCORM 1.2" and report["ours"] is False


def test_external_entity_is_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CANARY-7731")
    path = tmp_path / "xxe.zip"
    path.write_bytes(zip_of({"imsmanifest.xml": xxe_manifest(str(secret)), "index.html": b"<p>x</p>"}))
    result = validate("--json", str(path))
    assert result.exit_code == 1
    assert "TOP-SECRET-CANARY-7731" not in result.output


def test_missing_target_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(cli, ["validate", str(tmp_path / "nope.zip")])
    assert result.exit_code == 2 and "does not exist" in result.output


def test_json_lists_counts_and_standard(tmp_path):
    path = tmp_path / "tc.zip"
    path.write_bytes(CASES["tincan-launch-not-first"]())
    report = json.loads(validate("--json", str(path)).output)
    assert report["standard"] == "xAPI (tincan.xml)" and report["kind"] == "package"
    assert report["errors"] == sum(1 for i in report["issues"] if i["level"] == "error") >= 1
    assert Path(report["target"]).name == "tc.zip"


def test_code_that_names_a_password_variable_is_not_a_finding(tmp_path):
    """`password: e.value` in JavaScript reads a form field; only the quoted literal is a secret."""
    path = tmp_path / "js.zip"
    path.write_bytes(CASES["credentials-password-in-js"]())
    issues = json.loads(validate("--json", str(path)).output)["issues"]
    found = [(i["file"], i["line"], i["col"]) for i in issues if i["rule"] == "MUST 27"]
    assert found == [("app.js", 1, 47)]  # "var password" starts at column 47
