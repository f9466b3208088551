"""`ece-scorm lrs query` against the real LRS: filters, paging through `more`, every output format."""

from __future__ import annotations

import csv
import io
import json
import uuid

import pytest
from click.testing import CliRunner

from ece_scorm.cli import cli
from ece_scorm.lrs.client import LrsClient, StatementQuery, parse_agent
from ece_scorm.lrs.config import load_config
from tests.support.lrs_cohort import COURSE, QUIZ, SA, VERB, cohort

pytestmark = pytest.mark.lrs


@pytest.fixture(scope="module")
def stored(lrs):
    """The session LRS holding one cohort plus statements by an account-identified agent."""
    lrs.clear()
    statements, _ = cohort(seed=11, learners=30)
    account = {
        "objectType": "Agent",
        "name": "Moodle user 42",
        "account": {"homePage": "https://moodle.example.org", "name": "42"},
    }
    for i in range(30):
        statements.append(
            {
                "id": str(uuid.uuid4()),
                "actor": account,
                "verb": {"id": VERB + "experienced"},
                "object": {"id": f"{COURSE}/{QUIZ['module']}/page/p{i}"},
                "timestamp": f"2026-03-01T10:{i:02d}:00Z",
            }
        )
    lrs.post(statements)
    return lrs, statements


def _query(lrs, *args: str):
    result = CliRunner().invoke(cli, ["lrs", "query", *args], env=lrs.env())
    assert result.exit_code == 0, result.output
    return result


def _ids(statements) -> set[str]:
    return {s["id"] for s in statements}


def _jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_verb_filter_streams_every_page(stored):
    lrs, statements = stored
    expected = [s for s in statements if s["verb"]["id"] == VERB + "answered"]
    assert len(expected) > 500  # more than one page: `more` must be followed
    got = _jsonl(_query(lrs, "--verb", VERB + "answered", "--format", "jsonl").stdout)
    assert len(got) == len(expected) and _ids(got) == _ids(expected)


@pytest.mark.parametrize("paging", ["stored", "more"])
def test_both_orders_and_both_paging_modes_return_everything_once(stored, paging):
    lrs, statements = stored
    newest = _jsonl(_query(lrs, "--format", "jsonl", "--paging", paging).stdout)
    oldest = _jsonl(_query(lrs, "--format", "jsonl", "--ascending", "--paging", paging).stdout)
    assert len(newest) == len(statements) and _ids(newest) == _ids(statements)
    assert [s["id"] for s in oldest] == [s["id"] for s in reversed(newest)]
    assert [s["stored"] for s in newest] == sorted((s["stored"] for s in newest), reverse=True)


def test_activity_and_related_activities(stored):
    lrs, statements = stored
    module = f"{COURSE}/{QUIZ['module']}"
    direct = [s for s in statements if s["object"]["id"] == module]
    got = _jsonl(_query(lrs, "--activity", module, "--format", "jsonl").stdout)
    assert _ids(got) == _ids(direct)
    related = [
        s
        for s in statements
        if s["object"]["id"] == module
        or any(p["id"] == module for p in s.get("context", {}).get("contextActivities", {}).get("parent", []))
    ]
    got = _jsonl(_query(lrs, "--activity", module, "--related-activities", "--format", "jsonl").stdout)
    assert _ids(got) == _ids(related)


@pytest.mark.parametrize(
    "agent",
    ["learner03@example.org", "mailto:learner03@example.org", '{"mbox": "mailto:learner03@example.org"}'],
)
def test_agent_filter_in_every_spelling(stored, agent):
    lrs, statements = stored
    expected = [s for s in statements if s["actor"].get("mbox") == "mailto:learner03@example.org"]
    got = _jsonl(_query(lrs, "--agent", agent, "--format", "jsonl").stdout)
    assert _ids(got) == _ids(expected)


def test_agent_filter_survives_learning_locker_more_links(stored):
    """xapi-statements writes `agent=[object Object]` into `more`; small pages force many of them."""
    lrs, statements = stored
    config = load_config(lrs.endpoint)
    agent = parse_agent('{"account": {"homePage": "https://moodle.example.org", "name": "42"}}')
    got = list(LrsClient(config, page_size=7).statements(StatementQuery(agent=agent)))
    expected = [s for s in statements if "account" in s["actor"]]
    assert len(got) == 30 and _ids(got) == _ids(expected)


def test_registration_since_until_and_limit(stored):
    lrs, statements = stored
    reg = next(s["context"]["registration"] for s in statements if s["object"]["id"] == f"{COURSE}/{SA}")
    expected = [s for s in statements if s.get("context", {}).get("registration") == reg]
    got = _jsonl(_query(lrs, "--registration", reg, "--format", "jsonl").stdout)
    assert _ids(got) == _ids(expected)
    # `since`/`until` apply to `stored` (the time the LRS received them: today).
    assert _query(lrs, "--until", "2000-01-01", "--format", "jsonl").stdout == ""
    assert len(_jsonl(_query(lrs, "--since", "2000-01-01", "--format", "jsonl").stdout)) == len(statements)
    assert len(_jsonl(_query(lrs, "--limit", "5", "--format", "jsonl").stdout)) == 5


def test_csv_json_and_table_formats(stored, tmp_path):
    lrs, statements = stored
    passed = [s for s in statements if s["verb"]["id"] == VERB + "passed"]
    out = tmp_path / "passed.csv"
    result = CliRunner().invoke(
        cli,
        ["lrs", "query", "--verb", VERB + "passed", "--format", "csv", "-o", str(out), "--progress"],
        env=lrs.env(),
    )
    assert result.exit_code == 0, result.output
    assert f"{len(passed)} statements written" in result.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    by_id = {r["id"]: r for r in rows}
    assert set(by_id) == _ids(passed)
    for stmt in passed:
        row = by_id[stmt["id"]]
        assert row["actor"] == stmt["actor"]["mbox"] and row["actor_name"] == stmt["actor"]["name"]
        assert row["score_raw"] == str(stmt["result"]["score"]["raw"]) and row["success"] == "true"
        assert row["registration"] == stmt["context"]["registration"]
        assert row["team_code"] == stmt["context"].get("extensions", {}).get(
            f"{COURSE}/xapi/extensions/team-code", ""
        )

    array = json.loads(_query(lrs, "--verb", VERB + "passed", "--format", "json").stdout)
    assert _ids(array) == _ids(passed)
    assert json.loads(_query(lrs, "--until", "2000-01-01", "--format", "json").stdout) == []

    table = _query(lrs, "--verb", VERB + "passed", "--format", "table").stdout.splitlines()
    assert table[0].split() == ["timestamp", "actor", "verb", "object", "response"]
    assert len(table) == 2 + len(passed) and all(" passed " in line for line in table[2:])


def test_about_works_around_tincan(stored):
    lrs, _ = stored
    about = LrsClient(load_config(lrs.endpoint)).about()
    assert "1.0.3" in about["version"]


def test_credentials_never_needed_on_the_command_line(stored, tmp_path):
    lrs, _ = stored
    config = tmp_path / "lrs.toml"
    config.write_text(f'[lrs]\nendpoint = "{lrs.endpoint}"\nusername = "ece-test"\npassword = "s3cret"\n')
    result = CliRunner().invoke(
        cli,
        ["lrs", "query", "--config", str(config), "--limit", "1", "--format", "jsonl"],
        env={"ECE_LRS_ENDPOINT": None},
    )
    assert result.exit_code == 0, result.output
    assert len(_jsonl(result.stdout)) == 1
