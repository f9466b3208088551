"""A small bilingual course built directly from the model, for manifest tests that must not wait on YAML."""

from __future__ import annotations

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
    ScalePoint,
    SelfAssessment,
    SelfAssessmentBlock,
    SelfAssessmentItem,
    TextBlock,
)

COURSE_ID = "https://learn.example.org/courses/ece"


def _t(en: str, fr: str) -> dict[str, str]:
    return {"en": en, "fr": fr}


def quiz(passing: int = 80) -> Quiz:
    """Return a quiz with one question of each kind."""
    return Quiz(
        id="intro-check",
        title=_t("Check", "Vérification"),
        passing_score=passing,
        attempts=3,
        questions=(
            Question(
                id="pillars",
                kind="single",
                prompt=_t("How many **pillars**?", "Combien de *piliers* ?"),
                choices=(Choice("a", _t("Three", "Trois")), Choice("b", _t("Four", "Quatre"))),
                correct=frozenset({"b"}),
            ),
            Question(
                id="who",
                kind="multiple",
                prompt=_t("Who engages?", "Qui s’engage ?"),
                choices=(
                    Choice("a", _t("Patients", "Patients")),
                    Choice("b", _t("Staff", "Personnel")),
                    Choice("c", _t("Nobody", "Personne")),
                ),
                correct=frozenset({"c", "a"}),
            ),
            Question(
                id="lead",
                kind="true_false",
                prompt=_t("Leaders matter.", "Les leaders comptent."),
                choices=(Choice("true", _t("True", "Vrai")), Choice("false", _t("False", "Faux"))),
                correct=frozenset({"true"}),
            ),
        ),
    )


def module(mid: str = "introduction", with_quiz: bool = True, passing: int = 80) -> Module:
    """Return a two-page module, the second page holding a quiz when asked."""
    blocks = (QuizBlock(quiz(passing)),) if with_quiz else (TextBlock(_t("Done.", "Terminé.")),)
    return Module(
        id=mid,
        title=_t(f"Module {mid} & more", f"Module {mid} et plus"),
        description=_t("Learn *why* engagement matters: 5 < 6.", "Apprendre *pourquoi* l’engagement compte."),
        estimated_minutes=(30, 45),
        audience=(),
        objectives=(),
        pages=(
            Page("welcome", _t("Welcome", "Bienvenue"), (TextBlock(_t("Hi", "Salut")),)),
            Page("check", _t("Check", "Vérification"), blocks),
        ),
        completion=Completion(all_pages=True, quiz_passed=with_quiz),
    )


def self_assessment_module() -> Module:
    """Return the self-assessment package module (kind self_assessment)."""
    sa = SelfAssessment(
        id="self-assessment",
        title=_t("Self-assessment", "Autoévaluation"),
        description=_t("Rate.", "Évaluez."),
        intro=_t("Intro", "Intro"),
        scale=tuple(ScalePoint(i, _t(i.title(), i)) for i in ("yes", "somewhat", "no", "unknown")),
        pillars=(
            Pillar(
                "leadership",
                _t("Leadership", "Leadership"),
                _t("d", "d"),
                (SelfAssessmentItem("l01", _t("We lead.", "Nous menons.")),),
            ),
        ),
        reflections=(Prompt("r1", _t("Why?", "Pourquoi ?")),),
        strength=Prompt("strength", _t("Strength", "Force")),
        opportunity=Prompt("opportunity", _t("Opportunity", "Occasion")),
        first_step=Prompt("first-step", _t("First step", "Premier pas")),
        first_step_lead=Prompt("first-step-lead", _t("Lead", "Responsable")),
    )
    return Module(
        id="self-assessment",
        title=sa.title,
        description=sa.description,
        estimated_minutes=(20, 30),
        audience=(),
        objectives=(),
        pages=(Page("assessment", sa.title, (SelfAssessmentBlock(sa),)),),
        completion=Completion(all_pages=True, quiz_passed=False, self_assessment_done=True),
        kind="self_assessment",
    )


def course(*modules: Module) -> Course:
    """Return a course holding the given modules (default: one quiz module, one reading, the SA)."""
    mods = modules or (
        module("introduction"),
        module("leadership", with_quiz=False),
        self_assessment_module(),
    )
    return Course(
        id=COURSE_ID,
        title=_t("ECE series", "Série ECE"),
        description=_t("About **ECE**.", "À propos."),
        version="1.0.0",
        languages=("en", "fr"),
        default_language="en",
        mastery_score=80,
        modules=tuple(mods),
    )
