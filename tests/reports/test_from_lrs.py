"""Reports over a generated cohort stored in the real LRS; every figure recomputed here from the truth."""

from __future__ import annotations

import csv
import math
import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from ece_scorm.cli import cli
from tests.reports import handout
from tests.support.lrs_cohort import COURSE, PILLARS, QUIZ, SA, cohort

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
    """(Yes + ½ Somewhat) ÷ every answer, Unknown included (issue #14: 2 Yes + 2 Unknown is not 100 %)."""
    n = sum(c[s] for s in SCALE)
    return (c["yes"] + 0.5 * c["somewhat"]) / n if n else None


def _wilson_lower(p: float, n: int, z: float = 1.96) -> float:
    """Lower end of the Wilson score interval (Wilson 1927), written out here independently of the code."""
    return (p + z * z / (2 * n) - z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))) / (1 + z * z / n)


def _lists(counts: dict[str, Counter]) -> dict[str, list[str]]:
    """Classify every item as the handout promises: unknown, split, strength or opportunity, once each."""
    out: dict[str, list[tuple]] = {"uncertain": [], "split": [], "strengths": [], "gaps": []}
    for key, c in counts.items():
        n = sum(c[s] for s in SCALE)
        known = c["yes"] + c["somewhat"] + c["no"]
        if c["unknown"] / n >= 0.25:
            out["uncertain"].append((-_wilson_lower(c["unknown"] / n, n), key))
        elif known >= 2 and min(c["yes"], c["no"]) / known >= 0.25:
            out["split"].append((0, key))  # order checked separately
        elif _agreement(c) >= 0.5:
            out["strengths"].append((-_wilson_lower(_agreement(c), n), key))
        else:
            out["gaps"].append((-_wilson_lower((c["no"] + 0.5 * c["somewhat"]) / n, n), key))
    return {name: [key for _, key in sorted(entries)] for name, entries in out.items()}


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
    doc = handout.parse(html)
    labels = ("Yes", "Somewhat", "No", "I don't know")  # the statements' own scale labels
    for pillar, items in PILLARS.items():
        shown = handout.pillar_items(doc, pillar)
        assert [e["label"] for e in shown] == [f"{i}." for i in range(1, len(items) + 1)]  # source order
        for entry, item in zip(shown, items, strict=True):
            expected = spring[f"{pillar}.{item}"]
            assert [entry["counts"][h] for h in labels] == [expected[s] for s in SCALE], item
            assert entry["text"] == f"Statement {pillar} {item}"
    # One decorative bar per answered item, each followed by its counts as text.
    for pillar, items in PILLARS.items():
        assert len(doc.get_element_by_id(f"pillar-{pillar}").getnext().find_class("bar")) == len(items)
    respondents = sum(1 for (name, _) in truth.sa_final if name == "spring")
    assert f"<dd>{respondents}</dd>" in html
    # The change: every item whose agreement moved by a whole point, in source order, with its sign.
    moved = []
    for heading in doc.get_element_by_id("change").itersiblings():
        if heading.tag == "h2":
            break
        if heading.tag == "ol":
            moved += [e["line"].split("(")[1].rstrip(")") for e in handout._entries(heading)]
    expected_moves = []
    for pillar, items in PILLARS.items():
        for item in items:
            delta = round(
                (_agreement(autumn[f"{pillar}.{item}"]) - _agreement(spring[f"{pillar}.{item}"])) * 100
            )
            if delta:
                expected_moves.append(f"{delta:+d}\u00a0pts")
    assert moved == expected_moves


def test_rankings_weigh_answers_and_count_unknown(seeded, tmp_path):
    lrs, truth = seeded
    out = tmp_path / "sa.html"
    _invoke(
        lrs, "report", "self-assessment", "--course", COURSE, "--period", SPRING, "--top", "3", "-o", str(out)
    )
    expected = _lists(_expected(truth, "spring"))
    doc = handout.parse(out.read_text(encoding="utf-8"))
    seen = []
    for name in ("uncertain", "strengths", "gaps"):
        shown = handout.glance(doc, name)
        keys = (
            []
            if isinstance(shown, str)
            else [e["text"].replace("Statement ", "").replace(" ", ".") for e in shown]
        )
        assert keys == expected[name][:3], name
        if not keys:  # an empty list says so in words, never a bare heading
            assert "No item" in shown
        seen += keys
    split = handout.glance(doc, "split")
    split_keys = (
        []
        if isinstance(split, str)
        else [e["text"].replace("Statement ", "").replace(" ", ".") for e in split]
    )
    assert set(split_keys) <= set(expected["split"]) and len(split_keys) == min(3, len(expected["split"]))
    seen += split_keys
    assert len(seen) == len(set(seen))  # no item in two lists


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
    assert any("Names are hidden" in n for n in handout.notes(handout.parse(html)))

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
    doc = handout.parse(named.read_text(encoding="utf-8"))
    assert doc.get("lang") == "fr"
    names = sorted(who for who, _ in handout.plans(doc)["Force principale"])
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


def test_one_export_serves_every_report(seeded, tmp_path):
    """`lrs query --format jsonl` once, then each report from the file: the same figures as from the LRS."""
    lrs, _ = seeded
    export = tmp_path / "all.jsonl"
    _invoke(lrs, "lrs", "query", "--format", "jsonl", "-o", str(export), "--no-progress")
    for command, extra in (
        ("self-assessment", ["--period", SPRING, "--compare-period", AUTUMN]),
        ("quiz", []),
        ("completion", ["--by", "team"]),
    ):
        from_lrs, from_file = tmp_path / f"{command}-lrs.csv", tmp_path / f"{command}-file.csv"
        _invoke(lrs, "report", command, "--course", COURSE, *extra, "--csv", str(from_lrs))
        _invoke(
            lrs,
            "report",
            command,
            "--course",
            COURSE,
            *extra,
            "--statements",
            str(export),
            "--csv",
            str(from_file),
        )
        assert _read_csv(from_file) == _read_csv(from_lrs), command
        assert len(_read_csv(from_file)) > 0
