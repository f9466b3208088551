"""The handout rules: privacy minimum, administrations, newlines kept, one export, clear bad input."""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from ece_scorm.cli import cli
from ece_scorm.reports.moodle import read_moodle_export
from ece_scorm.reports.records import split_administration
from tests.reports import handout
from tests.reports.test_labels_from_source import _moodle_file

FIXTURES = Path(__file__).parents[1] / "fixtures" / "moodle"
SA_TXT = FIXTURES / "ece-self-assessment-interactions.txt"
SA_ODS = FIXTURES / "ece-self-assessment-interactions.ods"
COURSE = "https://learn.example.org/ece"
VERBS = "http://adlnet.gov/expapi/verbs/"


def _run(*args: str) -> object:
    result = CliRunner().invoke(cli, ["report", "self-assessment", *args])
    return result


def _csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_fewer_respondents_than_the_minimum_withholds_and_says_so(tmp_path):
    out, table = tmp_path / "north.html", tmp_path / "north.csv"
    # Team "north" is two people (Ana, Ben): below the default minimum of 3.
    result = _run("--moodle-export", str(SA_TXT), "--team", "north", "-o", str(out), "--csv", str(table))
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    doc = handout.parse(html)
    assert (
        "2 respondent(s), fewer than 3: the per-item answers, lists and texts are withheld."
        in handout.notes(doc)
    )
    assert all(r["withheld"] == "yes" and r["yes"] == "" for r in _csv(table) if int(r["answers"]))
    assert _csv(tmp_path / "north-plans.csv") == []  # their words too: two people would be recognized
    assert "Strong “leadership”" not in html and "Yes 2" not in html
    assert "withheld" in result.output
    # Asked for: the same team with a minimum of 2 shows everything.
    _run("--moodle-export", str(SA_TXT), "--team", "north", "--min-respondents", "2", "-o", str(out))
    doc = handout.parse(out.read_text(encoding="utf-8"))
    assert handout.pillar_items(doc, "leadership")[0]["counts"]["Yes"] == 2


def test_items_answered_by_too_few_show_no_breakdown(tmp_path):
    rows = [
        (name, "10 February 2026, 2:05 PM", [("sa.leadership.l01", "yes", ""), ("sa.staff.s01", answer, "")])
        for name, answer in (("Ana Roy", "no"), ("Ben Roy", "no"), ("Chloé Roy", ""))
    ]
    export = _moodle_file(tmp_path / "x.txt", [(n, w, [i for i in its if i[1]]) for n, w, its in rows])
    out = tmp_path / "x.html"
    assert _run("--moodle-export", str(export), "-o", str(out)).exit_code == 0
    doc = handout.parse(out.read_text(encoding="utf-8"))
    assert handout.pillar_items(doc, "leadership")[0]["counts"]["Yes"] == 3  # three answers: shown
    assert handout.pillar_items(doc, "staff")[0]["counts"] == {}  # two answers: no counts at all
    assert (
        "Fewer than 3 answers: not shown." in doc.get_element_by_id("pillar-staff").getnext().text_content()
    )
    assert "1 item(s) answered by fewer than 3 people show no breakdown." in handout.notes(doc)
    # A withheld item is in no list either.
    for name in ("strengths", "gaps", "split", "uncertain"):
        shown = handout.glance(doc, name)
        assert isinstance(shown, str) or all("s01" not in e["text"] for e in shown)


def test_names_hidden_unless_asked(tmp_path):
    out = tmp_path / "x.html"
    assert _run("--moodle-export", str(SA_TXT), "-o", str(out)).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "Ana Tremblay" not in html and "Names are hidden" in html
    assert _run("--moodle-export", str(SA_TXT), "--show-names", "-o", str(out)).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "Ana Tremblay" in html and "Names are shown because they were asked for." in html


def test_scorm_newlines_come_back_as_line_breaks(tmp_path):
    text = "Invite two partners ¶ to the quality council ¶ by June"  # player/scorm-api.js encoding
    rows = [
        (n, "10 February 2026, 2:05 PM", [("sa.leadership.l01", "yes", ""), ("sa.first-step", text, "")])
        for n in ("Ana Roy", "Ben Roy", "Chloé Roy")
    ]
    out = tmp_path / "x.html"
    assert _run("--moodle-export", str(_moodle_file(tmp_path / "x.txt", rows)), "-o", str(out)).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "¶" not in html
    steps = handout.plans(handout.parse(html))["First step"]
    assert [t for _, t in steps] == ["Invite two partners\nto the quality council\nby June"] * 3


def test_ods_download_reads_like_the_text_download(tmp_path):
    def key(answers):
        return sorted((a.learner, a.interaction, a.response, a.when, a.team) for a in answers)

    assert key(read_moodle_export(SA_ODS)) == key(read_moodle_export(SA_TXT))
    with zipfile.ZipFile(SA_ODS) as ods:  # written by Moodle's own MoodleODSWriter
        assert ods.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
    out = tmp_path / "x.csv"
    result = _run("--moodle-export", str(SA_ODS), "--csv", str(out))
    assert result.exit_code == 0, result.output
    assert "warning: 3 item(s) have no text" in result.output  # no --source: said, not silently empty
    broken = tmp_path / "broken.ods"
    with zipfile.ZipFile(broken, "w") as ods:
        ods.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        ods.writestr("content.xml", "<office:document-content")
    result = _run("--moodle-export", str(broken), "--csv", str(out))
    assert result.exit_code == 1 and "content.xml is not well-formed XML" in result.output
    assert "Traceback" not in result.output


def test_administration_numbers(tmp_path):
    assert split_administration("sa.leadership.l01.a2") == ("sa.leadership.l01", 2)  # ARCHITECTURE §3
    assert split_administration("sa.strength.a3") == ("sa.strength", 3)
    assert split_administration("sa.leadership.l01") == ("sa.leadership.l01", 1)
    assert split_administration("sa.leadership.l01-a2") == ("sa.leadership.l01", 2)
    assert split_administration("sa.first-step-lead") == ("sa.first-step-lead", 1)
    # Three people answer twice; administration 2 moves l01 from No to Yes for all of them.
    lines = []
    for who in (1, 2, 3):
        for admin, answer in ((1, "no"), (2, "yes")):
            lines.append(
                {
                    "actor": {"mbox": f"mailto:p{who}@example.org", "name": f"P {who}"},
                    "verb": {"id": VERBS + "answered"},
                    "object": {"id": f"{COURSE}/self-assessment/leadership/l01"},
                    "result": {"response": answer},
                    "timestamp": f"2026-0{admin + 1}-1{who}T10:00:00Z",
                    "context": {"extensions": {f"{COURSE}/xapi/extensions/administration": admin}},
                }
            )
    export = tmp_path / "statements.jsonl"
    export.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    out, table = tmp_path / "x.html", tmp_path / "x.csv"
    result = _run("--statements", str(export), "--course", COURSE, "-o", str(out), "--csv", str(table))
    assert result.exit_code == 0, result.output
    row = _csv(table)[0]
    assert (row["yes"], row["no"], row["agreement_before"], row["change_points"]) == (
        "3",
        "0",
        "0.0000",
        "100.0",
    )
    text = (
        handout.parse(out.read_text(encoding="utf-8")).get_element_by_id("change").getparent().text_content()
    )
    assert "Administration 1 → administration 2" in text and "0% → 100% (+100\u00a0pts)" in text
    # The same from Moodle: SCORM interaction ids carry ".a<n>" from administration 2 on.
    rows = [
        (n, "10 March 2026, 2:05 PM", [("sa.leadership.l01", "no", ""), ("sa.leadership.l01.a2", "yes", "")])
        for n in ("Ana Roy", "Ben Roy", "Chloé Roy")
    ]
    answers = read_moodle_export(_moodle_file(tmp_path / "m.txt", rows))
    assert sorted((a.interaction, a.administration, a.response) for a in answers)[::3] == [
        ("sa.leadership.l01", 1, "no"),
        ("sa.leadership.l01", 2, "yes"),
    ]


def test_bad_statements_file_lists_every_bad_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b'{"verb": {"id": "x"}}\nnot json\n[1, 2]\n\n{"truncated": \n')
    result = _run("--statements", str(bad), "--csv", str(tmp_path / "x.csv"))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{bad}:2:1: error: not JSON" in result.output
    assert f"{bad}:3:1: error: a JSON list, not a statement" in result.output
    assert f"{bad}:5:" in result.output and "3 problem(s)" in result.output
    both = _run("--statements", str(bad), "--moodle-export", str(SA_TXT), "--csv", str(tmp_path / "x.csv"))
    assert both.exit_code == 1 and "not both" in both.output


@pytest.mark.parametrize("command", ["quiz", "completion"])
def test_every_report_reads_a_statements_file(tmp_path, command):
    lines = [
        {
            "actor": {"mbox": "mailto:a@example.org"},
            "verb": {"id": VERBS + "initialized"},
            "object": {"id": f"{COURSE}/introduction"},
            "timestamp": "2026-02-10T10:00:00Z",
        },
        {
            "actor": {"mbox": "mailto:a@example.org"},
            "verb": {"id": VERBS + "answered"},
            "object": {"id": f"{COURSE}/quiz/intro-check/q1"},
            "result": {"response": "b", "success": True},
            "timestamp": "2026-02-10T10:01:00Z",
        },
    ]
    export = tmp_path / "s.jsonl"
    export.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    out = tmp_path / "x.csv"
    result = CliRunner().invoke(
        cli, ["report", command, "--statements", str(export), "--course", COURSE, "--csv", str(out)]
    )
    assert result.exit_code == 0, result.output
    row = _csv(out)[0]
    if command == "quiz":
        assert (row["question"], row["responses"], row["correct"]) == ("q1", "1", "1")
    else:
        assert (row["module"], row["launched"]) == ("introduction", "1")
