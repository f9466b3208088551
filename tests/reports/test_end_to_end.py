"""End to end: learners take the built xAPI self-assessment in Chromium; the team report reads the LRS."""

from __future__ import annotations

import csv
import uuid

import pytest
from click.testing import CliRunner

from ece_scorm.cli import cli
from tests.support.browser import start_module
from tests.support.xapi_session import (
    COURSE_ID,
    MINIMAL,
    build,
    launchers,
    leave,
    new_page,
    next_,
    verb,
    wait_for_statements,
    wait_status,
)

pytestmark = [pytest.mark.browser, pytest.mark.lrs]
SA = "self-check"  # tests/fixtures/courses/minimal/self_assessment.yaml
MODULE = f"{COURSE_ID}/{SA}"
ITEMS = ("Leaders champion engagement.", "Engagement has a budget.")
LEARNERS = [  # (name, team code, answers to ITEMS, key strength)
    ("Sam Roy", "BLUE-7", ("Yes", "Unknown"), "Leaders who listen."),
    ("Alex Chen", "BLUE-7", ("Somewhat", "No"), "Time for <huddles> & debriefs."),
    ("Kim Dubé", "GREEN-2", ("No", "No"), ""),
]


@pytest.fixture()
def launcher_for(fresh_lrs):
    yield from launchers(fresh_lrs)


def _take(browser, la, name: str, team: str, answers: tuple[str, str], strength: str) -> str:
    actor = {"objectType": "Agent", "name": name, "mbox": f"mailto:{name.split()[0].lower()}@example.org"}
    reg = str(uuid.uuid4())
    errors: list[str] = []
    context, page = new_page(browser, errors)
    try:
        page.goto(la.launch_xapi("index.html", actor, MODULE, reg))
        wait_status(page, "All your progress is saved")
        start_module(page)  # past the landing screen
        page.get_by_role("textbox", name="Team code (optional, given by your facilitator)").fill(team)
        page.get_by_role("group", name="Which pillar best fits your role?").get_by_role(
            "radio", name="Leadership"
        ).check()
        next_(page)
        for item, point in zip(ITEMS, answers, strict=True):
            page.get_by_role("group", name=item).get_by_role("radio", name=point, exact=True).check()
        next_(page)
        next_(page)
        if strength:
            page.get_by_role("textbox", name="One key strength").fill(strength)
            page.keyboard.press("Tab")
        next_(page)
        page.locator(".ece-page:not([hidden]) [data-summary]").wait_for()
        wait_status(page, "All your progress is saved")
        leave(page)
    finally:
        context.close()
    assert errors == []
    return reg


def test_team_report_from_statements_the_player_sent(browser, fresh_lrs, launcher_for, tmp_path):
    packages = build(tmp_path, "xapi")
    la = launcher_for(packages[f"ece-mini-{SA}-xapi"])
    for learner in LEARNERS:
        reg = _take(browser, la, *learner)
        wait_for_statements(fresh_lrs, reg, lambda s: any(verb(x) == "terminated" for x in s))

    out, table = tmp_path / "blue.html", tmp_path / "blue.csv"
    argv = [
        "report",
        "self-assessment",
        "--source",
        str(MINIMAL),
        "--team",
        "BLUE-7",
        "-o",
        str(out),
        "--csv",
        str(table),
    ]
    # Privacy by default: two people are fewer than the minimum of three, so nothing per item is shown.
    result = CliRunner().invoke(cli, argv, env=fresh_lrs.env())
    assert result.exit_code == 0, result.output
    with open(table, encoding="utf-8-sig", newline="") as fh:
        rows = {(r["pillar"], r["item"]): r for r in csv.DictReader(fh)}
    assert rows[("leadership", "l01")]["withheld"] == "yes" and rows[("leadership", "l01")]["yes"] == ""
    html = out.read_text(encoding="utf-8")
    assert "2 respondent(s), fewer than 3" in html and "Leaders who listen." not in html

    result = CliRunner().invoke(cli, [*argv, "--min-respondents", "2"], env=fresh_lrs.env())
    assert result.exit_code == 0, result.output
    with open(table, encoding="utf-8-sig", newline="") as fh:
        rows = {(r["pillar"], r["item"]): r for r in csv.DictReader(fh)}
    scale = ("yes", "somewhat", "no", "unknown")
    # Hand count of the two BLUE-7 learners: l01 = Yes + Somewhat, l02 = Unknown + No; other pillars empty.
    got = {k: [int(r[s]) for s in scale] for k, r in rows.items() if int(r["answers"])}
    assert got == {("leadership", "l01"): [1, 1, 0, 0], ("leadership", "l02"): [0, 0, 1, 1]}, result.output
    assert all(int(r["answers"]) == 0 for key, r in rows.items() if key[0] != "leadership")
    assert rows[("leadership", "l01")]["text"] == ITEMS[0]
    html = out.read_text(encoding="utf-8")
    assert "<dd>2</dd>" in html  # two respondents in the team
    assert "Leaders who listen." in html and "Time for &lt;huddles&gt; &amp; debriefs." in html
    assert "Sam Roy" not in html and "example.org" not in html

    everyone = tmp_path / "all.csv"
    result = CliRunner().invoke(
        cli,
        ["report", "self-assessment", "--source", str(MINIMAL), "--csv", str(everyone)],
        env=fresh_lrs.env(),
    )
    assert result.exit_code == 0, result.output
    with open(everyone, encoding="utf-8-sig", newline="") as fh:
        rows = {(r["pillar"], r["item"]): r for r in csv.DictReader(fh)}
    assert [int(rows[("leadership", "l01")][s]) for s in scale] == [1, 1, 1, 0]
    assert [int(rows[("leadership", "l02")][s]) for s in scale] == [0, 0, 2, 1]

    funnel = tmp_path / "funnel.csv"
    result = CliRunner().invoke(
        cli,
        ["report", "completion", "--source", str(MINIMAL), "--by", "team", "--csv", str(funnel)],
        env=fresh_lrs.env(),
    )
    assert result.exit_code == 0, result.output
    with open(funnel, encoding="utf-8-sig", newline="") as fh:
        got = {(r["module"], r["cohort"]): (r["launched"], r["completed"]) for r in csv.DictReader(fh)}
    assert got == {(SA, "BLUE-7"): ("2", "2"), (SA, "GREEN-2"): ("1", "1")}
