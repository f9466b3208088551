"""Build small model.Course objects directly (no YAML), for render and state-budget unit tests."""

from __future__ import annotations

from pathlib import Path

from ece_scorm.model import (
    Choice,
    Completion,
    Course,
    Module,
    Page,
    Pillar,
    Prompt,
    Question,
    Quiz,
    QuizBlock,
    ReflectionBlock,
    ScalePoint,
    SelfAssessment,
    SelfAssessmentBlock,
    SelfAssessmentItem,
    TextBlock,
)


def t(en: str, fr: str | None = None) -> dict[str, str]:
    """Return a bilingual text (French defaults to a marked copy of the English)."""
    return {"en": en, "fr": fr if fr is not None else f"FR {en}"}


def quiz(qid: str = "q1", questions: int = 2, choices: int = 3, attempts: int = 2) -> Quiz:
    """Return a quiz of single-choice questions whose first choice is correct."""
    qs = tuple(
        Question(
            id=f"x{i}",
            kind="single",
            prompt=t(f"Question {i}?"),
            choices=tuple(Choice(id=f"c{j}", text=t(f"Choice {j}")) for j in range(choices)),
            correct=frozenset({"c0"}),
        )
        for i in range(questions)
    )
    return Quiz(id=qid, title=t("Check"), passing_score=80, attempts=attempts, questions=qs)


def self_assessment(
    pillars: int = 3, items: int = 8, pillar_reflections: int = 1, reflections: int = 2, when: bool = False
):
    """Return a self-assessment shaped like the ECE tool (4-point scale)."""
    scale = tuple(ScalePoint(id=s, label=t(s.title())) for s in ("yes", "somewhat", "no", "unknown"))
    ps = tuple(
        Pillar(
            id=f"p{i}",
            title=t(f"Pillar {i}"),
            description=t("About this pillar."),
            items=tuple(SelfAssessmentItem(id=f"p{i}-i{j}", text=t(f"Item {j}")) for j in range(items)),
            reflections=tuple(Prompt(id=f"p{i}-r{k}", text=t("Why?")) for k in range(pillar_reflections)),
        )
        for i in range(pillars)
    )
    return SelfAssessment(
        id="self-assessment",
        title=t("Self-assessment"),
        description=t("Describe."),
        intro=t("Start here."),
        scale=scale,
        pillars=ps,
        reflections=tuple(Prompt(id=f"r{k}", text=t(f"Reflection {k}")) for k in range(reflections)),
        strength=Prompt(id="strength", text=t("Strength")),
        opportunity=Prompt(id="opportunity", text=t("Opportunity")),
        first_step=Prompt(id="first-step", text=t("First step")),
        first_step_lead=Prompt(id="first-step-lead", text=t("Who leads it")),
        first_step_when=Prompt(id="first-step-when", text=t("By when")) if when else None,
    )


def module(
    mid: str = "m1",
    pages: int = 2,
    quizzes: tuple[Quiz, ...] = (),
    reflections: int = 0,
    sa: SelfAssessment | None = None,
    title: dict[str, str] | None = None,
) -> Module:
    """Return a module: `pages` text pages, then one page per quiz, reflections on page 1, the SA last."""
    ps = [
        Page(id=f"page{i}", title=t(f"Page {i}"), blocks=(TextBlock(body=t(f"Body **{i}**")),))
        for i in range(pages)
    ]
    if reflections:
        extra = tuple(ReflectionBlock(id=f"{mid}-r{k}", prompt=t(f"Think {k}")) for k in range(reflections))
        ps[0] = Page(id=ps[0].id, title=ps[0].title, blocks=ps[0].blocks + extra)
    ps += [Page(id=f"quiz-{q.id}", title=t("Quiz"), blocks=(QuizBlock(quiz=q),)) for q in quizzes]
    if sa is not None:
        ps.append(Page(id="assess", title=t("Assess"), blocks=(SelfAssessmentBlock(self_assessment=sa),)))
    return Module(
        id=mid,
        title=title or t("Module"),
        description=t("A module."),
        estimated_minutes=(5, 10),
        audience=(),
        objectives=(),
        pages=tuple(ps),
        completion=Completion(self_assessment_done=sa is not None),
    )


def course(*modules: Module, source_dir: Path | None = None, title: dict[str, str] | None = None) -> Course:
    """Return a bilingual course holding these modules."""
    return Course(
        id="https://example.org/courses/unit",
        title=title or t("Course"),
        description=t("About."),
        version="1.0.0",
        languages=("en", "fr"),
        default_language="en",
        mastery_score=80,
        modules=tuple(modules) or (module(),),
        source_dir=source_dir or Path("."),
    )
