"""The broken-course corpus: every case must fail with exactly its hand-written, located messages, in order.

Each folder under tests/fixtures/courses/broken/ is a tiny course with one deliberate problem (or
several) and an `expected.txt` written by hand. Folders named `strict-…` hold warnings and are loaded
with strict=True, which turns warnings into errors.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ece_scorm.errors import SourceInvalid
from ece_scorm.source.course import load_course

BROKEN = Path(__file__).parents[1] / "fixtures" / "courses" / "broken"
CASES = sorted(p.name for p in BROKEN.iterdir() if p.is_dir())


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 30, CASES


@pytest.mark.parametrize("case", CASES)
def test_broken_case_reports_expected_lines_in_order(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = BROKEN / case
    expected = [line for line in (folder / "expected.txt").read_text(encoding="utf-8").splitlines() if line]
    assert expected, f"{case}/expected.txt is empty"
    # Paths in messages are relative to the current directory as typed: run from inside the case folder.
    monkeypatch.chdir(folder)
    with pytest.raises(SourceInvalid) as info:
        load_course(Path("."), strict=case.startswith("strict-"))
    output = info.value.format_message().splitlines()
    # Exactly the expected issues in this order (sorted by file, line, column): none missing, none extra.
    issues = [line for line in output if not line.endswith("nothing was written.")]
    wanted = [line for line in expected if not line.endswith("nothing was written.")]
    shown = "\n  ".join(output)
    assert issues == wanted, f"{case}: got:\n  {shown}"
    for line in expected[len(wanted) :]:  # a hand-written summary line, when the case has one
        assert line == output[-1]
    assert info.value.exit_code == 1


@pytest.mark.parametrize("case", [c for c in CASES if c.startswith("strict-")])
def test_strict_cases_pass_without_strict(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A strict-… case holds only warnings: without --strict the course loads and reports them."""
    monkeypatch.chdir(BROKEN / case)
    course, warnings = load_course(Path("."))
    assert warnings and all(w.level == "warning" for w in warnings)
    assert course.modules
