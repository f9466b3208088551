"""Reports over a generated cohort stored in the real LRS; every figure recomputed here from the truth."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from ece_scorm.cli import cli
from tests.support.lrs_cohort import COURSE, PILLARS, QUIZ, SA, cohort
from tests.support.report_parse import parse as parse_html
from tests.support.report_parse import pillar_counts, table_after_heading

pytestmark = pytest.mark.lrs

SPRING = "2026-02-01..2026-03-31"
AUTUMN = "2026-10-01..2026-10-31"
SCALE = ("yes", "somewhat", "no", "unknown")


@pytest.fixture(scope="module")
def seeded(lrs):
    """The session LRS holding one generated cohort (module-scoped: these tests only read)."""
    lrs.clear()
    statements, truth = cohort()
    assert len(lrs.post(statements)) == len(statements)
    yield lrs, truth
    lrs.clear()


def _invoke(lrs, *args: str):
    result = CliRunner().invoke(cli, list(args), env=lrs.env())
    assert result.exit_code == 0, result.output
    return result


def _read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _expected(truth, period: str, team: str | None = None) -> dict[str, Counter]:
    counts: dict[str, Counter] = {f"{p}.{i}": Counter() for p, items in PILLARS.items() for i in items}
    for (name, who), final in truth.sa_final.items():
        if name == period and (team is None or truth.team[who] == team):
            for key, answer in final.items():
                counts[key][answer] += 1
    return counts


def _agreement(c: Counter) -> float | None:
    known = c["yes"] + c["somewhat"] + c["no"]
    return (c["yes"] + 0.5 * c["somewhat"]) / known if known else None


def test_team_view_counts_and_comparison(seeded, tmp_path):
    lrs, truth = seeded
    out, table = tmp_path / "sa.html", tmp_path / "sa.csv"
    _invoke(
        lrs,
        "report",
        "self-assessment",
        "--course",
        COURSE,
        "--period",
        SPRING,
        "--compare-period",
        AUTUMN,
        "-o",
        str(out),
        "--csv",
        str(table),
    )
    spring, autumn = _expected(truth, "spring"), _expected(truth, "autumn")
    rows = {f"{r['pillar']}.{r['item']}": r for r in _read_csv(table)}
    assert set(rows) == set(spring)
    for key, counts in spring.items():
        assert {s: int(rows[key][s]) for s in SCALE} == {s: counts[s] for s in SCALE}, key
        assert float(rows[key]["agreement"]) == pytest.approx(_agreement(counts), abs=1e-4)
        change = (_agreement(autumn[key]) - _agreement(counts)) * 100
        assert float(rows[key]["change_points"]) == pytest.approx(change, abs=0.051), key

    html = out.read_text(encoding="utf-8")
    doc = parse_html(html)
    for pillar in PILLARS:
        shown = pillar_counts(doc, f"pillar {pillar}")
        for item, cells in shown.items():
            expected = spring[f"{pillar}.{item}"]
            labels = ("Yes", "Somewhat", "No", "I don't know")
            assert [cells[h] for h in labels] == [expected[s] for s in SCALE]
    # One inline SVG chart per pillar, each labelled, each followed by its data table.
    svgs = doc.findall(".//svg")
    assert len(svgs) == len(PILLARS) and all(svg.get("role") == "img" for svg in svgs)
    respondents = sum(1 for (name, _) in truth.sa_final if name == "spring")
    assert f"<dd>{respondents}</dd>" in html
    # "What moved": rows sorted by the size of the change, computed from the truth.
    moved = table_after_heading(doc, "What moved")
    changes = sorted((abs(_agreement(autumn[k]) - _agreement(spring[k])) for k in spring), reverse=True)
    shown_changes = [abs(int(r[4].split()[0].replace("+", ""))) for r in moved]
    assert shown_changes == [round(c * 100) for c in changes]


def test_strengths_and_gaps_surface_extremes(seeded, tmp_path):
    lrs, truth = seeded
    out = tmp_path / "sa.html"
    _invoke(
        lrs, "report", "self-assessment", "--course", COURSE, "--period", SPRING, "--top", "3", "-o", str(out)
    )
    spring = _expected(truth, "spring")
    values = sorted((_agreement(c) for c in spring.values()), reverse=True)
    doc = parse_html(out.read_text(encoding="utf-8"))
    strengths = [r[2] for r in table_after_heading(doc, "Shared strengths")]
    gaps = [r[2] for r in table_after_heading(doc, "Shared gaps")]
    assert strengths == [f"{round(v * 100)}%" for v in values if v >= 0.5][:3]
    assert gaps == [f"{round(v * 100)}%" for v in sorted(values) if v < 0.5][:3]
    assert strengths and gaps


def test_team_filter_names_and_escaping(seeded, tmp_path):
    lrs, truth = seeded
    out, table = tmp_path / "north.html", tmp_path / "north.csv"
    _invoke(
        lrs,
        "report",
        "self-assessment",
        "--course",
        COURSE,
        "--period",
        SPRING,
        "--team",
        "NORTH-1",
        "-o",
        str(out),
        "--csv",
        str(table),
    )
    north = _expected(truth, "spring", "NORTH-1")
    rows = {f"{r['pillar']}.{r['item']}": r for r in _read_csv(table)}
    for key, counts in north.items():
        assert {s: int(rows[key][s]) for s in SCALE} == {s: counts[s] for s in SCALE}
    html = out.read_text(encoding="utf-8")
    plans = _read_csv(tmp_path / "north-plans.csv")
    expected_plans = [
        p for (name, who), p in truth.plans.items() if name == "spring" and truth.team[who] == "NORTH-1"
    ]
    assert sorted(r["strength"] for r in plans) == sorted(p["strength"] for p in expected_plans)
    assert {r["respondent"] for r in plans} == {f"#{i}" for i in range(1, len(expected_plans) + 1)}
    assert not re.search(r"Learner \d", html) and "@example.org" not in html  # anonymous by default
    assert "with &lt;tags&gt; &amp; commas" in html and "<tags>" not in html

    named = tmp_path / "named.html"
    _invoke(
        lrs,
        "report",
        "self-assessment",
        "--course",
        COURSE,
        "--period",
        SPRING,
        "--team",
        "NORTH-1",
        "--show-names",
        "--lang",
        "fr",
        "-o",
        str(named),
    )
    doc = parse_html(named.read_text(encoding="utf-8"))
    assert doc.get("lang") == "fr"
    names = sorted(r[0] for r in table_after_heading(doc, "Forces, possibilités"))
    assert names == sorted(
        truth.names[who] for (name, who) in truth.plans if name == "spring" and truth.team[who] == "NORTH-1"
    )


def test_quiz_item_analysis(seeded, tmp_path):
    lrs, truth = seeded
    table = tmp_path / "quiz.csv"
    _invoke(lrs, "report", "quiz", "--course", COURSE, "--csv", str(table), "-o", str(tmp_path / "q.html"))
    rows = {r["question"]: r for r in _read_csv(table)}
    for question in QUIZ["questions"]:
        answers = [a for a in truth.quiz if a[1] == question]
        learners = {a[0] for a in answers}
        first_right = sum(1 for a in answers if a[2] == 1 and a[4])
        attempts = {who: max(a[2] for a in answers if a[0] == who) for who in learners}
        chosen = Counter(c for a in answers for c in a[3])
        row = rows[question]
        assert row["module"] == QUIZ["module"]
        assert int(row["responses"]) == len(answers)
        assert int(row["correct"]) == sum(1 for a in answers if a[4])
        assert int(row["learners"]) == len(learners)
        first_share = float(row["share_correct_first_attempt"])
        assert first_share == pytest.approx(first_right / len(learners), abs=1e-4)
        assert float(row["mean_attempts"]) == pytest.approx(sum(attempts.values()) / len(learners), abs=0.005)
        shown = dict(part.split("=") for part in row["choices"].split("; "))
        assert {k: int(v) for k, v in shown.items() if int(v)} == dict(chosen)


@pytest.mark.parametrize("by", ["none", "team"])
def test_completion_funnel(seeded, tmp_path, by):
    lrs, truth = seeded
    table = tmp_path / "funnel.csv"
    _invoke(
        lrs,
        "report",
        "completion",
        "--course",
        COURSE,
        "--by",
        by,
        "--period",
        SPRING,
        "--csv",
        str(table),
        "-o",
        str(tmp_path / "f.html"),
    )
    rows = _read_csv(table)
    module = QUIZ["module"]
    stages = truth.funnel[module]
    if by == "none":
        got = {r["module"]: r for r in rows}
        assert int(got[module]["launched"]) == len(stages["initialized"])
        assert int(got[module]["completed"]) == len(stages["completed"])
        assert int(got[module]["passed"]) == len(stages.get("passed", ()))
        assert int(got[module]["failed"]) == len(stages.get("failed", ()))
        sa_launched = {who for (name, who) in truth.sa_final if name == "spring"}
        assert int(got[SA]["launched"]) == len(sa_launched)
    else:
        got = {(r["module"], r["cohort"]): r for r in rows if r["module"] == module}
        for team in ("NORTH-1", "SOUTH-2"):
            members = {who for who, t in truth.team.items() if t == team}
            assert int(got[(module, team)]["launched"]) == len(stages["initialized"] & members)
            assert int(got[(module, team)]["passed"]) == len(stages.get("passed", set()) & members)
