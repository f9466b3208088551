"""Check the bundled ECE modules 2-4 and their knowledge checks against the brief and docs/ARCHITECTURE.md §2.

The YAML is read with PyYAML's BaseLoader (every scalar a string) so that these checks do not depend on the
project's own loader; the validator's verdict is checked separately by loading the whole course.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from lxml import etree

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "course_source"
MODULES = {
    "patient-partners": "patient-partners-check",
    "staff-teams": "staff-teams-check",
    "leadership": "leadership-check",
}
LANGS = {"en", "fr"}
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
NBSP = "\u00a0"
# Fields whose values are language maps (ids, paths and flags are not).
TEXT_KEYS = {"title", "description", "body", "text", "alt", "caption", "prompt", "hint", "intro"}
TEXT_KEYS |= {"situation", "question", "front", "back"}  # interactive blocks (scenario, flip cards)
LIST_KEYS = {"audience", "objectives", "items"}
SVG_NS = "http://www.w3.org/2000/svg"


def _load(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def _texts(node, where=""):
    """Yield (where, value) for every value that docs/ARCHITECTURE.md §2 defines as text."""
    if isinstance(node, list):
        for i, v in enumerate(node):
            yield from _texts(v, f"{where}[{i}]")
        return
    if not isinstance(node, dict):
        return
    for k, v in node.items():
        here = f"{where}.{k}"
        if k in TEXT_KEYS:
            yield here, v
        elif k in LIST_KEYS and isinstance(v, list) and not any("title" in x for x in v):
            yield from ((f"{here}[{i}]", item) for i, item in enumerate(v))
        elif k == "feedback" and isinstance(v, dict) and not set(v) <= LANGS:
            yield from ((f"{here}.{side}", text) for side, text in v.items())
        elif k == "feedback":
            yield here, v
        else:
            yield from _texts(v, here)


def _blocks(module):
    for page in module["pages"]:
        for block in page["blocks"]:
            yield page, block


@pytest.fixture(scope="module", params=sorted(MODULES))
def module(request):
    return _load(SOURCE / "modules" / f"{request.param}.yaml")


@pytest.fixture(scope="module", params=sorted(MODULES.values()))
def quiz(request):
    return _load(SOURCE / "quizzes" / f"{request.param}.yaml")


DOCS = [f"modules/{m}.yaml" for m in sorted(MODULES)]
DOCS += [f"quizzes/{q}.yaml" for q in sorted(MODULES.values())]


@pytest.fixture(scope="module", params=DOCS)
def doc(request):
    return _load(SOURCE / request.param)


def test_every_text_is_bilingual(doc):
    found = list(_texts(doc))
    assert len(found) > 20
    for where, value in found:
        assert isinstance(value, dict) and set(value) == LANGS, f"{where} is not an {{en, fr}} map: {value!r}"
        assert all(v.strip() for v in value.values()), f"{where} has an empty translation"
        assert value["en"] != value["fr"], f"{where} is not translated"


def test_module_shape_matches_brief(module):
    assert ID_RE.match(module["id"]) and len(module["id"]) <= 40
    assert module["estimated_minutes"] == ["20", "30"]
    assert 3 <= len(module["objectives"]) <= 4
    assert len(module["audience"]) >= 3
    assert 7 <= len(module["pages"]) <= 9
    assert module["completion"] == {"all_pages": "true", "quiz_passed": "true"}
    page_ids = [p["id"] for p in module["pages"]]
    assert len(set(page_ids)) == len(page_ids)
    assert all(ID_RE.match(i) and len(i) <= 40 for i in page_ids)


def test_knowledge_check_is_on_last_page_only(module):
    refs = [(p["id"], b["ref"]) for p, b in _blocks(module) if b.get("type") == "quiz"]
    assert refs == [(module["pages"][-1]["id"], MODULES[module["id"]])]
    assert (SOURCE / "quizzes" / f"{refs[0][1]}.yaml").is_file()


def test_reflections_and_callouts(module):
    blocks = [b for _, b in _blocks(module) if isinstance(b, dict)]
    reflections = [b for b in blocks if b.get("type") == "reflection"]
    assert 2 <= len(reflections) <= 3
    assert sum(b.get("type") == "callout" for b in blocks) >= 3
    assert sum(b.get("type") == "list" for b in blocks) >= 2
    for b in blocks:
        if b.get("type") == "callout":
            assert b["style"] in {"info", "tip", "note", "warning", "quote"}


def test_reflection_ids_unique_across_modules():
    ids = []
    for name in MODULES:
        mod = _load(SOURCE / "modules" / f"{name}.yaml")
        ids += [b["id"] for _, b in _blocks(mod) if isinstance(b, dict) and b.get("type") == "reflection"]
    assert len(ids) == len(set(ids)) and all(ID_RE.match(i) and len(i) <= 40 for i in ids)


def test_enough_substance_for_twenty_minutes(module):
    # About 1,500 words read at ~150 words a minute, plus reflections and the quiz, fills 20-30 minutes.
    words = sum(len(v["en"].split()) for _, v in _texts(module) if isinstance(v, dict))
    assert words >= 1500, words


def test_images_are_small_svgs_per_language_with_alt(module):
    images = [b for _, b in _blocks(module) if isinstance(b, dict) and b.get("type") == "image"]
    assert images
    # The ways-of-engaging circle is the introduction's, shared: one circle across the series.
    prefix = {
        "patient-partners": "media/ece-ways-circle.",
        "staff-teams": "media/m3-",
        "leadership": "media/m4-",
    }
    for img in images:
        assert set(img["src"]) == {"en", "fr"}
        for lang, src in img["src"].items():
            assert src.startswith(prefix[module["id"]]) and src.endswith(f".{lang}.svg")
            path = SOURCE / src
            # MUST 3: the packaged file name must match the reference exactly, case included.
            assert path.name in {p.name for p in path.parent.iterdir()}
            assert path.stat().st_size < 10 * 1024
            root = etree.fromstring(
                path.read_bytes(), etree.XMLParser(resolve_entities=False, no_network=True)
            )
            assert root.tag == f"{{{SVG_NS}}}svg" and root.get("viewBox")
            # Each language has its own file, so the drawing carries its words (#13.3).
            assert root.findall(f".//{{{SVG_NS}}}text")
            assert not root.findall(f".//{{{SVG_NS}}}script")
            assert "http" not in path.read_text(encoding="utf-8").replace(SVG_NS, "")
        assert len(img["alt"]["en"]) > 40 and len(img["alt"]["fr"]) > 40


def test_french_typography(doc):
    for where, value in _texts(doc):
        fr = value["fr"] if isinstance(value, dict) else ""
        assert "« " not in fr and " »" not in fr, f"{where}: guillemets need non-breaking spaces"
        assert not re.search(r"\S :", fr), f"{where}: a colon needs a non-breaking space before it"
        assert not re.search(r"\d (\$|%)", fr), f"{where}: use a non-breaking space before $ and %"
        assert "'" not in fr, f"{where}: use the typographic apostrophe ’"
        assert "email" not in fr.lower(), f"{where}: Canadian French says « courriel »"
        en = value["en"] if isinstance(value, dict) else ""
        assert NBSP + ":" not in en, f"{where}: French spacing in English text"


def test_quiz_shape(quiz):
    assert ID_RE.match(quiz["id"])
    assert quiz["passing_score"] == "80" and quiz["attempts"] == "3"
    questions = quiz["questions"]
    assert len(questions) >= 6
    assert {q["type"] for q in questions} == {"single", "multiple", "true_false"}
    assert len({q["id"] for q in questions}) == len(questions)


def test_every_choice_has_bilingual_feedback_and_answers_resolve(quiz):
    for q in quiz["questions"]:
        assert set(q["prompt"]) == LANGS
        if q["type"] == "true_false":
            assert q["answer"] in {"true", "false"}
            assert "choices" not in q
            for side in ("true", "false"):
                assert set(q["feedback"][side]) == LANGS, f"{q['id']}: feedback for {side}"
            continue
        ids = [c["id"] for c in q["choices"]]
        assert len(ids) == len(set(ids)) and len(ids) >= 3
        for c in q["choices"]:
            assert set(c["text"]) == LANGS and set(c["feedback"]) == LANGS, f"{q['id']}.{c['id']}"
        if q["type"] == "single":
            assert q["answer"] in ids
        else:
            assert isinstance(q["answer"], list) and 2 <= len(q["answer"]) < len(ids)
            assert set(q["answer"]) <= set(ids)


def test_course_validator_accepts_modules():
    """The project validator loads the whole course, including these modules, without errors."""
    from ece_scorm.source.course import load_course

    course, warnings = load_course(SOURCE)
    mine = [str(w) for w in warnings if any(n in w.location.file for n in [*MODULES, *MODULES.values()])]
    assert mine == []
    for name, quiz_id in MODULES.items():
        mod = course.module(name)
        assert [q.id for q in mod.quizzes()] == [quiz_id]
        assert mod.quizzes()[0].passing_score == 80
        assert set(mod.title) == LANGS


# The player shows its own verdict ("Correct." / "Incorrect.", « Bonne réponse. » / « Mauvaise réponse. »)
# before the feedback, so feedback that opens with a verdict reads "Correct. Correct.": explain, do not judge.
VERDICT_OPENER = {
    "en": re.compile(
        r"^(correct|incorrect|right|wrong|yes|no|not quite|well done|exactly|great)"
        r"\s*[.!,:;—–]",
        re.I,
    ),
    "fr": re.compile(
        r"^(exact|inexact|correct|incorrect|bonne réponse|mauvaise réponse|oui|non"
        r"|pas tout à fait|bravo|exactement|en effet)\s*[.!,:;—–]",
        re.I,
    ),
}


def _feedback_texts(q):
    """Yield (where, language map) for every feedback text: choices, true/false sides, result."""
    for c in q.get("choices", []):
        yield c["id"], c["feedback"]
    yield from q.get("feedback", {}).items()


def test_feedback_does_not_repeat_the_verdict(quiz):
    """No feedback opens with a verdict in either language: the player has already given one."""
    for q in quiz["questions"]:
        for where, text in _feedback_texts(q):
            for lang in sorted(LANGS):
                assert not VERDICT_OPENER[lang].match(text[lang]), f"{q['id']}.{where} ({lang}): {text[lang]}"
                assert len(text[lang].split()) >= 4, f"{q['id']}.{where} ({lang}) explains nothing"
