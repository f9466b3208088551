"""Damaged and hostile Moodle downloads: each gets its hand-written message, exit 1, no traceback, quickly."""

from __future__ import annotations

import time

import pytest
from click.testing import CliRunner

from ece_scorm.cli import cli
from ece_scorm.reports.moodle import read_moodle_export
from tests.support.hostile import MOODLE_CASES, utf16_download, write_moodle, xlsx_download


@pytest.mark.parametrize("case", sorted(MOODLE_CASES))
def test_damaged_download_fails_with_its_message(case, tmp_path):
    build, suffix, words = MOODLE_CASES[case]
    path = write_moodle(tmp_path / f"export{suffix}", build())
    started = time.perf_counter()
    result = CliRunner().invoke(
        cli, ["report", "quiz", "--moodle-export", str(path), "--csv", str(tmp_path / "out.csv")]
    )
    assert time.perf_counter() - started < 20
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and not isinstance(result.exception, RecursionError)
    line = next((ln for ln in result.output.splitlines() if words in ln), None)
    assert line is not None, result.output
    assert str(path) in line  # every message names the download it is about
    assert not (tmp_path / "out.csv").exists()


def test_the_moodle_corpus_is_large_enough():
    assert len(MOODLE_CASES) >= 12


def test_legal_workbook_and_utf16_text_read_to_the_same_answers(tmp_path):
    xlsx = read_moodle_export(write_moodle(tmp_path / "a.xlsx", xlsx_download()))
    assert [(a.name, a.interaction, a.response) for a in xlsx] == [("Ada", "m1.q1", "c0")]
    for bom in (True, False):
        text = read_moodle_export(write_moodle(tmp_path / "b.txt", utf16_download(bom)))
        assert [(a.name, a.interaction, a.response, a.success) for a in text] == [
            ("Ada", "m1.q1", "c0", True)
        ]
