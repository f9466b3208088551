"""The ECE modules use the interactive blocks where they teach, and every diagram speaks the page's language.

Expected values are editorial: the seeds' references (../shared/seeds/: the article's DOI and HEC's address),
the five ways' names (HEC's framework), the words each diagram must show, read from the SVG files themselves.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from ece_scorm.source.course import load_course

SOURCE = Path(__file__).resolve().parents[2] / "course_source"
COURSE, _ = load_course(SOURCE)
SVG = "{http://www.w3.org/2000/svg}"
# What each diagram must say, in each language (its labels; the five ways as the glossary names them).
WORDS = {
    "ece-pillars": {"en": ["Patient partners", "Staff and teams", "Leadership"],
                    "fr": ["Patients partenaires", "Personnel et équipes", "Leadership"]},
    "ece-support-levels": {"en": ["Individuals", "Organization", "System"],
                           "fr": ["Personnes", "Organisme", "Système"]},
    "ece-ways-circle": {"en": ["Inform", "Consult", "Involve", "Collaborate", "Lead"],
                        "fr": ["Informer", "Consulter", "Faire participer", "Collaborer", "Diriger"]},  # HEC
    "m3-planning-cycle": {"en": ["Purpose", "Timing", "Way of engaging", "Engaging", "Closing the loop"],
                          "fr": ["Objectif", "Moment", "Façon de s’engager", "Suivi et évaluation"]},
    "m4-engagement-hubs": {"en": ["Hub", "Organization"], "fr": ["Carrefour", "Organisme"]},
}  # fmt: skip


WAYS = {
    "en": ["Inform", "Consult", "Involve", "Collaborate", "Lead"],
    "fr": ["Informer", "Consulter", "Faire participer", "Collaborer", "Diriger"],
}


def blocks(module_id: str, kind: str) -> list:
    return [b for p in COURSE.module(module_id).pages for b in p.blocks if b.type == kind]


def svg_words(path: Path) -> list[str]:
    """Return each <text> of an SVG as one string (its tspans joined by spaces)."""
    root = etree.parse(str(path)).getroot()
    return [" ".join(" ".join(t.itertext()).split()) for t in root.iter(f"{SVG}text")]


def test_every_diagram_shows_its_words_in_both_languages():
    images = [b for m in COURSE.modules for p in m.pages for b in p.blocks if b.type == "image"]
    stems = set()
    for img in images:
        assert set(img.sources) == {"en", "fr"}, img.src
        stem = img.sources["en"].removeprefix("media/").removesuffix(".en.svg")
        assert img.sources["fr"] == f"media/{stem}.fr.svg"
        stems.add(stem)
        for lang in ("en", "fr"):
            root = etree.parse(str(SOURCE / img.sources[lang])).getroot()
            assert root.get("lang", "").startswith(lang)
            words = svg_words(SOURCE / img.sources[lang])
            for w in WORDS[stem][lang]:
                assert w in words, f"{img.sources[lang]}: '{w}' not drawn (has {words})"
        assert svg_words(SOURCE / img.sources["en"]) != svg_words(SOURCE / img.sources["fr"])
    assert stems == set(WORDS), "every diagram of the course is checked"


def test_one_ways_of_engaging_circle_across_the_series():
    circles = sorted(p.name for p in (SOURCE / "media").glob("*ways*"))
    assert circles == ["ece-ways-circle.en.svg", "ece-ways-circle.fr.svg"]
    users = [m.id for m in COURSE.modules for p in m.pages for b in p.blocks
             if b.type == "image" and "ways-circle" in b.src]  # fmt: skip
    assert users == ["introduction", "patient-partners"]
    # The Lead segment is a flag in the drawing, and the alt texts say so (not a star).
    for m in ("introduction", "patient-partners"):
        for p in COURSE.module(m).pages:
            for b in p.blocks:
                if b.type == "image" and "ways-circle" in b.src:
                    assert "star" not in b.alt["en"] and "étoile" not in b.alt["fr"]


def test_modules_use_the_blocks_that_teach():
    (scenario,) = blocks("leadership", "scenario")
    assert len(scenario.choices) == 3 and [c.id for c in scenario.choices if c.best] == ["rescope-together"]
    (steps,) = blocks("staff-teams", "steps")
    assert [s.title["en"] for s in steps.steps] == [
        "Purpose", "Timing", "Way of engaging", "Preparation", "Engaging", "Closing the loop"]  # fmt: skip
    (cards,) = blocks("introduction", "flip_cards")
    # One card per way, in the framework's order, named as the glossary names them.
    for lang, ways in WAYS.items():
        assert [c.back[lang].split("**")[1].rstrip(".") for c in cards.cards] == ways
    (levels,) = blocks("introduction", "tabs")  # the article's support elements, one tab per level
    assert [t.title["en"] for t in levels.tabs] == [
        "Individual level",
        "Organizational level",
        "Systemic level",
    ]
    assert [t.title["fr"] for t in levels.tabs] == [
        "Niveau individuel",
        "Niveau organisationnel",
        "Niveau systémique",
    ]
    (questions,) = blocks("patient-partners", "accordion")
    assert len(questions.items) == 4 and questions.title["en"].startswith("Questions a partner can ask")
    # The video's slides lead with English: the page says in each language what every slide shows.
    legend = [b for b in blocks("introduction", "accordion") if "slides" in b.title["en"]]
    assert len(legend) == 1 and len(legend[0].items) == 8
    assert all(i.title["fr"].startswith("Diapositive") for i in legend[0].items)


def test_resources_link_the_seeds_references():
    (res,) = blocks("introduction", "resources")
    urls = [link.url for link in res.links]
    assert {
        "en": "https://doi.org/10.12927/hcq.2018.25634",
        "fr": "https://doi.org/10.12927/hcq.2018.25634",
    } in urls
    assert any(u["en"] == "mailto:patientpartnership-partenariat@hec-esc.ca" for u in urls)
    named = " ".join(link.description["en"] for link in res.links if link.description)
    for doc in (
        "Patient Engagement Framework",
        "Guiding Principles of Engagement",
        "Patient Partner Recognition Guide",
    ):
        assert doc in named
