"""Reports from Moodle's SCORM Interactions report downloads (no LRS): the Moodle-only organization."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from ece_scorm.cli import cli
from ece_scorm.reports.moodle import parse_moodle_date, read_moodle_export
from tests.reports import handout

FIXTURES = Path(__file__).parents[1] / "fixtures" / "moodle"
SA_TXT = FIXTURES / "ece-self-assessment-interactions.txt"
SA_XLSX = FIXTURES / "ece-self-assessment-interactions.xlsx"
QUIZ_TXT = FIXTURES / "ece-introduction-interactions.txt"

# Hand-counted from the fixture (latest answer per learner; Dev Patel's attempt 2 replaces attempt 1).
EXPECTED_ALL = {
    "l01": {"yes": 3, "somewhat": 1, "no": 0, "unknown": 0},
    "l02": {"yes": 0, "somewhat": 2, "no": 1, "unknown": 1},
    "s01": {"yes": 2, "somewhat": 0, "no": 1, "unknown": 1},
}
EXPECTED_NORTH = {
    "l01": {"yes": 2, "somewhat": 0, "no": 0, "unknown": 0},
    "l02": {"yes": 0, "somewhat": 1, "no": 1, "unknown": 0},
    "s01": {"yes": 0, "somewhat": 0, "no": 1, "unknown": 1},
}
SCALE_EN = {"yes": "Yes", "somewhat": "Somewhat", "no": "No", "unknown": "Unknown"}  # the course's own labels


def _run(tmp_path: Path, *args: str) -> tuple[str, list[dict]]:
    out, table = tmp_path / "team.html", tmp_path / "team.csv"
    args = ("report", "self-assessment", *args, "-o", str(out), "--csv", str(table))
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    with open(table, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return out.read_text(encoding="utf-8"), rows


def _csv_counts(rows: list[dict]) -> dict[str, dict[str, int]]:
    return {r["item"]: {k: int(r[k]) for k in ("yes", "somewhat", "no", "unknown")} for r in rows}


@pytest.mark.parametrize("export", [SA_TXT, SA_XLSX], ids=["csv", "xlsx"])
def test_team_view_from_moodle_download(tmp_path, export):
    html, rows = _run(tmp_path, "--moodle-export", str(export))
    assert _csv_counts(rows) == EXPECTED_ALL
    doc = handout.parse(html)
    assert doc.get("lang") == "en"
    shown = {}
    for pillar in ("leadership", "staff"):
        for entry in handout.pillar_items(doc, pillar):
            shown[entry["text"].split()[0]] = entry["counts"]  # no --source: the text is the item id
    for item, counts in EXPECTED_ALL.items():
        assert {k: shown[item][SCALE_EN[k]] for k in counts} == counts
    assert "4</dd>" in html  # respondents: four learners with an attempt (Émile Roy has none)
    # Agreement = (yes + ½ somewhat) / every answer, Unknown included: l01 = 3.5/4, l02 = 1/4, s01 = 2/4.
    agreement = {r["item"]: float(r["agreement"]) for r in rows}
    assert agreement == pytest.approx({"l01": 3.5 / 4, "l02": 1 / 4, "s01": 2 / 4}, abs=1e-4)


def test_team_filter_and_anonymous_plans(tmp_path):
    html, rows = _run(tmp_path, "--moodle-export", str(SA_TXT), "--team", "north", "--min-respondents", "2")
    assert _csv_counts(rows) == EXPECTED_NORTH
    plans = handout.plans(handout.parse(html))
    assert [who for who, _ in plans["Key strength"]] == ["#1", "#2"]
    assert "Ana" not in html.split("<main")[1].replace("Ana, with", "")  # only inside her own words
    assert "Tremblay" not in html and "example.org" not in html and "O'Connor" not in html
    # Learner text is escaped, never markup: Moodle's &lt;b&gt; comes back as literal "<b>".
    assert "&lt;b&gt;Training&lt;/b&gt;" in html and "<b>Training" not in html
    with open(tmp_path / "team-plans.csv", encoding="utf-8-sig", newline="") as fh:
        plan_rows = list(csv.DictReader(fh))
    strengths = {r["strength"] for r in plan_rows}
    assert strengths == {"Strong “leadership” & trust", "'=SUM(A1:A9)"}  # formula neutralized for Excel


def test_show_names_and_french(tmp_path):
    html, _ = _run(tmp_path, "--moodle-export", str(SA_TXT), "--show-names", "--lang", "fr")
    doc = handout.parse(html)
    assert doc.get("lang") == "fr"
    names = [who for who, _ in handout.plans(doc)["Force principale"]]
    assert names == ["Ana Tremblay", "Ben O'Connor", "Chloé Gagnon"]
    assert "Pilier\u00a0: leadership" in html and "Répondants" in html


def test_period_excludes_other_dates(tmp_path):
    # Only 10 February: Ana and Ben (Chloé and both of Dev's attempts are on 11-12 February).
    _, rows = _run(
        tmp_path,
        "--moodle-export",
        str(SA_TXT),
        "--period",
        "2026-02-10..2026-02-10",
        "--min-respondents",
        "1",
    )
    assert _csv_counts(rows)["l01"] == {"yes": 2, "somewhat": 0, "no": 0, "unknown": 0}
    # 11 February only: Chloé (somewhat) and Dev's first attempt (no).
    _, rows = _run(
        tmp_path,
        "--moodle-export",
        str(SA_TXT),
        "--period",
        "2026-02-11..2026-02-11",
        "--min-respondents",
        "1",
    )
    assert _csv_counts(rows)["l01"] == {"yes": 0, "somewhat": 1, "no": 1, "unknown": 0}


def test_quiz_item_analysis_from_moodle(tmp_path):
    out = tmp_path / "quiz.csv"
    result = CliRunner().invoke(
        cli,
        [
            "report",
            "quiz",
            "--moodle-export",
            str(QUIZ_TXT),
            "--csv",
            str(out),
            "-o",
            str(tmp_path / "quiz.html"),
        ],
    )
    assert result.exit_code == 0, result.output
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = {r["question"]: r for r in csv.DictReader(fh)}
    # q1: Ana b (right), Ben a then c (both wrong), Chloé b (right): 4 responses, 2 correct, 3 learners,
    # right at first attempt 2/3, attempts per learner 1, 2, 1.
    assert (rows["q1"]["responses"], rows["q1"]["correct"], rows["q1"]["learners"]) == ("4", "2", "3")
    assert float(rows["q1"]["share_correct_first_attempt"]) == pytest.approx(2 / 3, abs=1e-4)
    assert float(rows["q1"]["mean_attempts"]) == pytest.approx(4 / 3, abs=0.01)
    assert rows["q1"]["choices"] == "b=2; a=1; c=1"
    # q2: Ana a (wrong) then a,c (right), Ben a,c, Chloé a,c: choice a chosen 4 times, c 3 times.
    assert (rows["q2"]["responses"], rows["q2"]["correct"]) == ("4", "3")
    assert rows["q2"]["choices"] == "a=4; c=3"


def test_moodle_dates_in_both_languages():
    assert parse_moodle_date("Tuesday, 10 February 2026, 2:05 PM").isoformat() == "2026-02-10T14:05:00+00:00"
    assert parse_moodle_date("12 February 2026, 12:10 AM").isoformat() == "2026-02-12T00:10:00+00:00"
    assert parse_moodle_date("mardi 10 février 2026, 14:05").isoformat() == "2026-02-10T14:05:00+00:00"
    assert parse_moodle_date("-") is None and parse_moodle_date("sometime") is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file"),
        (b"Foo\tBar\n1\t2\n", "no 'Name' column"),
        (b"Name\tAttempt\tResponse 0\nAna\t1\tyes\n", "tick 'Summary of question'"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "Excel 97"),
        (b"Name\tQuestion 0\n\xff\xfe\n", "not UTF-8"),
        (b"PK\x03\x04 broken zip", "not a readable .xlsx"),
    ],
)
def test_bad_downloads_fail_clearly(tmp_path, content, message):
    bad = tmp_path / "export.txt"
    bad.write_bytes(content)
    result = CliRunner().invoke(
        cli, ["report", "self-assessment", "--moodle-export", str(bad), "--csv", str(tmp_path / "x.csv")]
    )
    assert result.exit_code == 1
    assert message in result.output and str(bad) in result.output
    assert "Traceback" not in result.output


def test_xlsx_and_csv_parse_to_the_same_answers():
    def key(answers):
        return sorted((a.learner, a.interaction, a.response, a.when) for a in answers)

    assert key(read_moodle_export(SA_TXT)) == key(read_moodle_export(SA_XLSX))
    wb = openpyxl.load_workbook(SA_XLSX, read_only=True)
    assert wb.sheetnames == ["Report"]
    wb.close()


def test_no_matching_answers_says_so(tmp_path):
    html, rows = _run(tmp_path, "--moodle-export", str(SA_TXT), "--team", "NOBODY")
    assert all(int(r["answers"]) == 0 for r in rows)
    assert "No answers match these filters." in html and 'role="status"' in html


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--compare-period", "2026-01-01..2026-01-31"], "--compare-period needs --period"),
        (["--period", "2026-02-01"], "expected YYYY-MM-DD..YYYY-MM-DD"),
        (["--period", "2026-03-01..2026-02-01"], "ends before it starts"),
    ],
)
def test_bad_report_options(tmp_path, args, message):
    argv = ["report", "self-assessment", "--moodle-export", str(SA_TXT), "--csv", str(tmp_path / "x.csv")]
    argv += args
    result = CliRunner().invoke(cli, argv)
    assert result.exit_code == 1 and message in result.output


def test_report_needs_an_output(tmp_path):
    result = CliRunner().invoke(cli, ["report", "quiz", "--moodle-export", str(QUIZ_TXT)])
    assert result.exit_code == 1 and "nothing to write" in result.output
