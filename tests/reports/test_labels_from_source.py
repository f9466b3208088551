"""Reports labelled from the real ECE course source: item texts, pillar order, quiz prompts, answers."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from ece_scorm.cli import cli
from ece_scorm.source.course import load_course
from tests.reports import handout

SOURCE = Path(__file__).resolve().parents[2] / "course_source"


@pytest.fixture(scope="module")
def course():
    loaded, _ = load_course(SOURCE)
    return loaded


def _moodle_file(path: Path, rows: list[tuple[str, str, list[tuple[str, str, str]]]]) -> Path:
    width = max(len(r[2]) for r in rows)
    header = ["Name", "Email address", "Attempt", "Started on", "Last accessed on", "Score", "SCO"]
    for i in range(width):
        header += [f"Question {i}", f"Response {i}", f"Right answer {i}", f"Result {i}"]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t")
        writer.writerow(header)
        for name, started, interactions in rows:
            row = [name, f"{name.split()[0].lower()}@example.org", "1", started, started, "", "Completed"]
            for iid, response, result in interactions:
                row += [iid, response, "", result]
            writer.writerow(row + [""] * (len(header) - len(row)))
    return path


def test_self_assessment_labels_and_order_from_source(course, tmp_path):
    sa = next(m.self_assessment() for m in course.modules if m.kind == "self_assessment")
    first, second = sa.pillars[0], sa.pillars[1]
    rows = [
        (
            "Ana Tremblay",
            "10 February 2026, 2:05 PM",
            [
                (f"sa.{first.id}.{first.items[0].id}", "yes", "neutral"),
                (f"sa.{second.id}.{second.items[2].id}", "no", "neutral"),
                (f"sa.{sa.strength.id}", "Our patient partners", ""),
            ],
        ),
        (
            "Ben Roy",
            "11 February 2026, 9:00 AM",
            [(f"sa.{first.id}.{first.items[0].id}", "somewhat", "neutral")],
        ),
    ]
    export = _moodle_file(tmp_path / "sa.txt", rows)
    for lang in ("en", "fr"):
        out, table = tmp_path / f"sa-{lang}.html", tmp_path / f"sa-{lang}.csv"
        argv = [
            "report",
            "self-assessment",
            "--source",
            str(SOURCE),
            "--moodle-export",
            str(export),
            "--lang",
            lang,
            "--min-respondents",
            "1",
            "-o",
            str(out),
            "--csv",
            str(table),
        ]
        result = CliRunner().invoke(cli, argv)
        assert result.exit_code == 0, result.output
        assert "warning" not in result.output  # the source gives every item its text
        with open(table, encoding="utf-8-sig", newline="") as fh:
            csv_rows = list(csv.DictReader(fh))
        # Every item of the source is listed (unanswered ones with zero answers), pillars in source order.
        assert len(csv_rows) == sum(len(p.items) for p in sa.pillars)
        assert [r["pillar"] for r in csv_rows][:: len(first.items)][0] == first.id
        by_item = {(r["pillar"], r["item"]): r for r in csv_rows}
        top = by_item[(first.id, first.items[0].id)]
        assert (top["yes"], top["somewhat"], top["text"]) == ("1", "1", first.items[0].text[lang])
        html = out.read_text(encoding="utf-8")
        assert course.title[lang] in html and first.title[lang] in html
        entry = handout.pillar_items(handout.parse(html), first.id)[0]
        assert (entry["label"], entry["text"]) == ("1.", first.items[0].text[lang])
        assert entry["counts"][sa.scale[0].label[lang]] == 1
        assert "Our patient partners" in html


def test_quiz_labels_and_right_answers_from_source(course, tmp_path):
    module = course.modules[0]
    quiz = module.quizzes()[0]
    question = quiz.questions[0]
    right = ",".join(sorted(question.correct))
    wrong = next(c.id for c in question.choices if c.id not in question.correct)
    # A SCORM 1.2 package reports choices as one letter per position (a = first choice): Moodle shows codes.
    codes = ",".join("abcdefghij"[i] for i, c in enumerate(question.choices) if c.id in question.correct)
    rows = [
        ("Ana Tremblay", "9 February 2026, 10:00 AM", [(f"q.{quiz.id}.{question.id}", codes, "correct")]),
        (
            "Ben Roy",
            "9 February 2026, 11:00 AM",
            [
                (f"q.{quiz.id}.{question.id}", wrong, "wrong"),
                (f"q.{quiz.id}.{question.id}", right, "correct"),
            ],
        ),
    ]
    export = _moodle_file(tmp_path / "quiz.txt", rows)
    out, table = tmp_path / "quiz.html", tmp_path / "quiz.csv"
    argv = [
        "report",
        "quiz",
        "--source",
        str(SOURCE),
        "--moodle-export",
        str(export),
        "--lang",
        "fr",
        "-o",
        str(out),
        "--csv",
        str(table),
    ]
    result = CliRunner().invoke(cli, argv)
    assert result.exit_code == 0, result.output
    with open(table, encoding="utf-8-sig", newline="") as fh:
        row = next(csv.DictReader(fh))
    assert (row["module"], row["responses"], row["correct"], row["learners"]) == (module.id, "3", "2", "2")
    assert float(row["share_correct_first_attempt"]) == pytest.approx(0.5)
    expected = {c.id: 2 for c in question.choices if c.id in question.correct}
    expected[wrong] = 1
    assert dict(part.split("=") for part in row["choices"].split("; ")) == {
        c.id: str(expected.get(c.id, 0)) for c in question.choices
    }
    html = out.read_text(encoding="utf-8")
    assert module.title["fr"] in html
    marked = [c for c in question.choices if c.id in question.correct]
    assert html.count("✔") == len(marked)
