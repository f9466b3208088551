"""The self-assessment's facilitation keys (issue 14): by-when prompt, align prompts, guide, attribution."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ece_scorm.errors import SourceInvalid
from ece_scorm.model import Attribution, FacilitatorGuide, Prompt
from ece_scorm.source.course import load_course

MINIMAL = Path(__file__).resolve().parents[1] / "fixtures" / "courses" / "minimal"
EXTRA = """first_step_when: {id: by-when, text: {en: "By when?", fr: "D’ici quand?"}}
align_prompts:
  - {id: insight, text: {en: One insight, fr: Une prise de conscience}}
  - {id: action, text: {en: One action, fr: Une action}}
facilitator:
  title: {en: Facilitator guide, fr: Guide d’animation}
  before: {en: Share the code., fr: Remettez le code.}
  during: {en: Go around once., fr: Faites un tour de table.}
  after: {en: Print the plans., fr: Imprimez les plans.}
attribution:
  text: {en: Adapted from the official tool., fr: Adapté de l’outil officiel.}
  url: https://example.org/tool
"""


def course_with(tmp_path: Path, extra: str) -> Path:
    target = tmp_path / "course"
    shutil.copytree(MINIMAL, target)
    sa = target / "self_assessment.yaml"
    sa.write_text(sa.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return target


def test_facilitation_keys_are_read_into_the_model(tmp_path: Path) -> None:
    course, warnings = load_course(course_with(tmp_path, EXTRA))
    assert warnings == []
    sa = course.module("self-check").self_assessment()
    assert sa.first_step_when == Prompt(id="by-when", text={"en": "By when?", "fr": "D’ici quand?"})
    assert [p.id for p in sa.plan_prompts()] == [
        "strength",
        "opportunity",
        "first-step",
        "first-step-lead",
        "by-when",
    ]
    assert [p.id for p in sa.align_prompts] == ["insight", "action"]
    assert sa.facilitator == FacilitatorGuide(
        title={"en": "Facilitator guide", "fr": "Guide d’animation"},
        intro={"en": "", "fr": ""},
        before={"en": "Share the code.", "fr": "Remettez le code."},
        during={"en": "Go around once.", "fr": "Faites un tour de table."},
        after={"en": "Print the plans.", "fr": "Imprimez les plans."},
    )
    assert sa.attribution == Attribution(
        text={"en": "Adapted from the official tool.", "fr": "Adapté de l’outil officiel."},
        url="https://example.org/tool",
    )


def test_the_keys_are_optional(tmp_path: Path) -> None:
    sa = load_course(MINIMAL)[0].module("self-check").self_assessment()
    assert (sa.first_step_when, sa.align_prompts, sa.facilitator, sa.attribution) == (None, (), None, None)


def test_bad_facilitation_keys_are_all_reported_with_their_place(tmp_path: Path) -> None:
    bad = (
        EXTRA.replace("by-when", "strength")  # clashes with the strength prompt
        .replace("id: action", "id: insight")  # two align prompts with one id
        .replace("  after: {en: Print the plans., fr: Imprimez les plans.}\n", "")
        .replace("https://example.org/tool", "example.org/tool")
    )
    course_dir = course_with(tmp_path, bad)
    with pytest.raises(SourceInvalid) as info:
        load_course(course_dir)
    sa = course_dir / "self_assessment.yaml"  # 36 lines: EXTRA starts on line 37
    lines = [str(i) for i in info.value.issues]
    assert len(lines) == 4, lines
    assert lines[0].startswith(f"{sa}:37:23: error: duplicate self-assessment prompt id 'strength'")
    assert lines[1].startswith(f"{sa}:40:10: error: duplicate reflect-and-align prompt id 'insight'")
    assert lines[2] == f"{sa}:42:3: error: missing required key 'after' in facilitator guide"
    assert lines[3] == (
        f"{sa}:47:8: error: attribution url must be an absolute http(s) address (got 'example.org/tool')"
    )
