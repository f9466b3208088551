"""Small bilingual Course objects built directly from ece_scorm.model, for manifest and package tests."""

from __future__ import annotations

from dataclasses import replace
from types import ModuleType
from xml.parsers import expat

from lxml import etree

from ece_scorm import model as m


def t(en: str, fr: str) -> dict[str, str]:
    """Return a two-language text."""
    return {"en": en, "fr": fr}


def quiz(quiz_id: str, passing: int, questions: int = 1) -> m.Quiz:
    """Return a true/false quiz with this passing score."""
    qs = tuple(
        m.Question(
            id=f"q{i}",
            kind="true_false",
            prompt=t(f"Statement {i}", f"Énoncé {i}"),
            choices=(m.Choice("true", t("True", "Vrai")), m.Choice("false", t("False", "Faux"))),
            correct=frozenset({"true"}),
        )
        for i in range(1, questions + 1)
    )
    return m.Quiz(
        id=quiz_id,
        title=t("Knowledge check", "Vérification des connaissances"),
        passing_score=passing,
        attempts=3,
        questions=qs,
    )


def module(
    module_id: str,
    title: dict[str, str],
    blocks: tuple = (),
    *,
    completion: m.Completion | None = None,
    kind: str = "module",
) -> m.Module:
    """Return a one-page module holding these blocks."""
    blocks = blocks or (m.TextBlock(t("Hello", "Bonjour")),)
    page = m.Page(id="start", title=t("Start", "Début"), blocks=blocks)
    return m.Module(
        id=module_id,
        title=title,
        description=t("About it", "À propos"),
        estimated_minutes=(30, 45),
        audience=(),
        objectives=(),
        pages=(page,),
        completion=completion or m.Completion(),
        kind=kind,
    )


def self_assessment_module() -> m.Module:
    """Return the self-assessment package module (kind self_assessment, no quiz)."""
    prompt = m.Prompt(id="strength", text=t("One strength", "Une force"))
    sa = m.SelfAssessment(
        id="self-assessment",
        title=t("Self-assessment", "Autoévaluation"),
        description=t("d", "d"),
        intro=t("i", "i"),
        scale=(m.ScalePoint("yes", t("Yes", "Oui")), m.ScalePoint("no", t("No", "Non"))),
        pillars=(
            m.Pillar(
                id="leadership",
                title=t("Leadership", "Leadership"),
                description=t("d", "d"),
                items=(m.SelfAssessmentItem("l01", t("We listen", "Nous écoutons")),),
            ),
        ),
        reflections=(),
        strength=prompt,
        opportunity=replace(prompt, id="opportunity"),
        first_step=replace(prompt, id="first-step"),
        first_step_lead=replace(prompt, id="first-step-lead"),
    )
    return module(
        "self-assessment",
        t("ECE self-assessment", "Autoévaluation des milieux propices"),
        (m.SelfAssessmentBlock(sa),),
        completion=m.Completion(all_pages=True, quiz_passed=False, self_assessment_done=True),
        kind="self_assessment",
    )


def ece_course() -> m.Course:
    """Return a four-package bilingual course shaped like the ECE series."""
    intro_title = t("Introduction to ECE", "Introduction aux milieux propices à l’engagement")
    intro = module(
        "introduction",
        intro_title,
        (m.TextBlock(t("Text", "Texte")), m.QuizBlock(quiz("introduction-check", 80))),
    )
    partners = module(
        "patient-partners",
        t("Patient partners", "Patients partenaires"),
        (m.QuizBlock(quiz("partners-a", 70)), m.QuizBlock(quiz("partners-b", 70))),
    )
    leadership = module(
        "leadership",
        t("Leadership & culture", "Leadership et culture « engagée »"),
        (m.ReflectionBlock("lead-1", t("What will you try?", "Qu’allez-vous essayer?")),),
    )
    return m.Course(
        id="https://learn.hec-esc.ca/ece",
        title=t("Engagement-Capable Environments", "Environnements propices à l’engagement"),
        description=t("d", "d"),
        version="1.0.0",
        languages=("en", "fr"),
        default_language="en",
        mastery_score=80,
        modules=(intro, partners, leadership, self_assessment_module()),
    )


def files_for(mod: m.Module, series: bool) -> list[str]:
    """Return the package paths a renderer would produce for a module (prefixed in a series)."""
    prefix = f"{mod.id}/" if series else ""
    return [
        f"{prefix}{p}"
        for p in (
            "index.html",
            "ece-data.js",
            "player/ece-player.js",
            "player/ece-player.css",
            "media/pillars.svg",
        )
    ]


def build_manifest(
    fmt: ModuleType, course: m.Course, modules: list[m.Module], langs=("en", "fr"), series: bool = False
) -> bytes:
    """Return the manifest a format module writes for these modules, with the files render would list."""
    files = {mod.id: files_for(mod, series) for mod in modules}
    return fmt.manifest(course, modules, files, list(langs), series)


def canonical(xml: bytes) -> str:
    """Return canonical XML (C14N 2.0, whitespace-only text dropped) for golden comparisons."""
    return etree.canonicalize(etree.fromstring(xml), strip_text=True)


def moodle_names(xml: bytes) -> list[tuple[str, dict[str, str]]]:
    """Parse like Moodle's xml2Array: no namespace processing, names upper-cased (M-parse)."""
    seen: list[tuple[str, dict[str, str]]] = []
    parser = expat.ParserCreate("UTF-8")
    parser.StartElementHandler = lambda name, attrs: seen.append(
        (name.upper(), {k.upper(): v for k, v in attrs.items()})
    )
    parser.Parse(xml, True)
    return seen
