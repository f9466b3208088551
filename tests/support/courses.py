"""The one builder of model courses for tests (no YAML): render, state-budget and manifest tests use it.

Generic pieces (`t`, `quiz`, `self_assessment`, `module`, `course`) make courses of any size; `ece_series` is
a four-package course shaped like the ECE series (the SCORM golden manifests are written from it), and
`xapi_course` a small course whose questions cover every kind (the tincan.xml and cmi5.xml tests).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

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


def course(
    *modules: Module,
    source_dir: Path | None = None,
    title: dict[str, str] | None = None,
    iri: str = "https://example.org/courses/unit",
    description: dict[str, str] | None = None,
) -> Course:
    """Return a bilingual course holding these modules (one default module when none is given)."""
    return Course(
        id=iri,
        title=title or t("Course"),
        description=description or t("About."),
        version="1.0.0",
        languages=("en", "fr"),
        default_language="en",
        mastery_score=80,
        modules=tuple(modules) or (module(),),
        source_dir=source_dir or Path("."),
    )


# --- one-page modules and the ECE-shaped series (SCORM manifest tests, golden files) ------------------------


def true_false_quiz(quiz_id: str, passing: int, questions: int = 1) -> Quiz:
    """Return a true/false quiz with this passing score."""
    qs = tuple(
        Question(
            id=f"q{i}",
            kind="true_false",
            prompt=t(f"Statement {i}", f"Énoncé {i}"),
            choices=(Choice("true", t("True", "Vrai")), Choice("false", t("False", "Faux"))),
            correct=frozenset({"true"}),
        )
        for i in range(1, questions + 1)
    )
    return Quiz(
        id=quiz_id,
        title=t("Knowledge check", "Vérification des connaissances"),
        passing_score=passing,
        attempts=3,
        questions=qs,
    )


def one_page_module(
    module_id: str,
    title: dict[str, str],
    blocks: tuple = (),
    *,
    completion: Completion | None = None,
    kind: Literal["module", "self_assessment"] = "module",
) -> Module:
    """Return a one-page module holding these blocks (a greeting when none is given)."""
    blocks = blocks or (TextBlock(t("Hello", "Bonjour")),)
    page = Page(id="start", title=t("Start", "Début"), blocks=blocks)
    return Module(
        id=module_id,
        title=title,
        description=t("About it", "À propos"),
        estimated_minutes=(30, 45),
        audience=(),
        objectives=(),
        pages=(page,),
        completion=completion or Completion(),
        kind=kind,
    )


def self_assessment_module(title: dict[str, str] | None = None) -> Module:
    """Return the self-assessment package: one page with a one-pillar, one-item self-assessment."""
    sa = self_assessment(pillars=1, items=1, pillar_reflections=0, reflections=1)
    return Module(
        id=sa.id,
        title=title or t("Self-assessment", "Autoévaluation"),
        description=t("Rate.", "Évaluez."),
        estimated_minutes=(20, 30),
        audience=(),
        objectives=(),
        pages=(Page("assessment", sa.title, (SelfAssessmentBlock(sa),)),),
        completion=Completion(all_pages=True, quiz_passed=False, self_assessment_done=True),
        kind="self_assessment",
    )


def ece_series() -> Course:
    """Return a four-package bilingual course shaped like the ECE series."""
    intro = one_page_module(
        "introduction",
        t("Introduction to ECE", "Introduction aux milieux propices à l’engagement"),
        (TextBlock(t("Text", "Texte")), QuizBlock(true_false_quiz("introduction-check", 80))),
    )
    partners = one_page_module(
        "patient-partners",
        t("Patient partners", "Patients partenaires"),
        (QuizBlock(true_false_quiz("partners-a", 70)), QuizBlock(true_false_quiz("partners-b", 70))),
    )
    leadership = one_page_module(
        "leadership",
        t("Leadership & culture", "Leadership et culture « engagée »"),
        (ReflectionBlock("lead-1", t("What will you try?", "Qu’allez-vous essayer?")),),
    )
    assessment = self_assessment_module(t("ECE self-assessment", "Autoévaluation des milieux propices"))
    return course(
        intro,
        partners,
        leadership,
        assessment,
        iri="https://learn.hec-esc.ca/ece",
        title=t("Engagement-Capable Environments", "Environnements propices à l’engagement"),
        description=t("d", "d"),
    )


# --- every question kind (tincan.xml and cmi5.xml tests) ---------------------------------------------------

XAPI_COURSE_ID = "https://learn.example.org/courses/ece"


def quiz_of_every_kind(passing: int = 80) -> Quiz:
    """Return a quiz with one question of each kind, Markdown in the prompts."""
    return Quiz(
        id="intro-check",
        title=t("Check", "Vérification"),
        passing_score=passing,
        attempts=3,
        questions=(
            Question(
                id="pillars",
                kind="single",
                prompt=t("How many **pillars**?", "Combien de *piliers* ?"),
                choices=(Choice("a", t("Three", "Trois")), Choice("b", t("Four", "Quatre"))),
                correct=frozenset({"b"}),
            ),
            Question(
                id="who",
                kind="multiple",
                prompt=t("Who engages?", "Qui s’engage ?"),
                choices=(
                    Choice("a", t("Patients", "Patients")),
                    Choice("b", t("Staff", "Personnel")),
                    Choice("c", t("Nobody", "Personne")),
                ),
                correct=frozenset({"c", "a"}),
            ),
            Question(
                id="lead",
                kind="true_false",
                prompt=t("Leaders matter.", "Les leaders comptent."),
                choices=(Choice("true", t("True", "Vrai")), Choice("false", t("False", "Faux"))),
                correct=frozenset({"true"}),
            ),
        ),
    )


def two_page_module(mid: str = "introduction", with_quiz: bool = True, passing: int = 80) -> Module:
    """Return a two-page module, the second page holding a quiz of every kind when asked."""
    blocks = (QuizBlock(quiz_of_every_kind(passing)),) if with_quiz else (TextBlock(t("Done.", "Terminé.")),)
    return Module(
        id=mid,
        title=t(f"Module {mid} & more", f"Module {mid} et plus"),
        description=t("Learn *why* engagement matters: 5 < 6.", "Apprendre *pourquoi* l’engagement compte."),
        estimated_minutes=(30, 45),
        audience=(),
        objectives=(),
        pages=(
            Page("welcome", t("Welcome", "Bienvenue"), (TextBlock(t("Hi", "Salut")),)),
            Page("check", t("Check", "Vérification"), blocks),
        ),
        completion=Completion(all_pages=True, quiz_passed=with_quiz),
    )


def xapi_course(*modules: Module) -> Course:
    """Return a course holding the given modules (default: one quiz module, one reading, the SA)."""
    mods = modules or (
        two_page_module("introduction"),
        two_page_module("leadership", with_quiz=False),
        self_assessment_module(),
    )
    return course(
        *mods,
        iri=XAPI_COURSE_ID,
        title=t("ECE series", "Série ECE"),
        description=t("About **ECE**.", "À propos."),
    )
