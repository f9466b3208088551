"""Tests for validation.load_course on real fixture courses (the broken corpus: test_validation_broken.py)."""

from __future__ import annotations

import dataclasses
import shutil
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import pytest

from ece_scorm.errors import SourceInvalid
from ece_scorm.model import (
    CalloutBlock,
    Completion,
    ImageBlock,
    ListBlock,
    QuizBlock,
    ReflectionBlock,
    SelfAssessmentBlock,
    TextBlock,
    VideoBlock,
)
from ece_scorm.source.course import load_course

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "fixtures" / "courses" / "minimal"
COURSE_SOURCE = ROOT / "course_source"


@pytest.fixture(scope="module")
def minimal():
    course, warnings = load_course(MINIMAL)
    return course, warnings


def lang_texts(value: object, path: str = "course"):
    """Yield (path, mapping) for every language map reachable from a model object."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            if f.name not in ("loc", "source_dir", "captions", "sources"):  # file maps, not texts
                yield from lang_texts(getattr(value, f.name), f"{path}.{f.name}")
    elif isinstance(value, Mapping):
        yield path, value
    elif isinstance(value, (tuple, list)):
        for i, v in enumerate(value):
            yield from lang_texts(v, f"{path}[{i}]")


def test_minimal_course_loads_without_warnings(minimal) -> None:
    course, warnings = minimal
    assert warnings == []
    assert course.id == "https://example.org/courses/ece-mini"
    assert course.languages == ("en", "fr") and course.default_language == "en"
    assert course.version == "1.0.0" and course.mastery_score == 80
    assert course.contact == "learning@example.org"
    assert course.publisher == {"en": "Example Health", "fr": "Santé Exemple"}


def test_every_text_has_exactly_the_course_languages(minimal) -> None:
    course, _ = minimal
    found = list(lang_texts(course))
    assert len(found) > 60
    for where, text in found:
        assert set(text) == {"en", "fr"}, where
        assert all(isinstance(v, str) for v in text.values()), where


def test_modules_in_order_with_the_self_assessment_package_last(minimal) -> None:
    course, _ = minimal
    assert [(m.id, m.kind) for m in course.modules] == [
        ("welcome", "module"),
        ("practice", "module"),
        ("self-check", "self_assessment"),
    ]
    welcome, practice, sa_module = course.modules
    assert welcome.estimated_minutes == (5, 10)
    assert practice.estimated_minutes == (10, 10)  # a single int means min == max
    assert welcome.completion == Completion(all_pages=True, quiz_passed=True, self_assessment_done=False)
    assert practice.completion == Completion(all_pages=True, quiz_passed=False, self_assessment_done=True)
    assert sa_module.completion == Completion(all_pages=True, quiz_passed=False, self_assessment_done=True)
    assert [p.id for p in welcome.pages] == ["why-it-matters", "watch", "check"]
    assert welcome.audience[1] == {"en": "Staff and healthcare teams", "fr": "Personnel et équipes de soins"}
    assert len(welcome.objectives) == 1
    assert practice.description == {"en": "", "fr": ""}  # optional text defaults to empty


def test_blocks_are_typed_and_complete(minimal) -> None:
    course, _ = minimal
    page1, page2, page3 = course.module("welcome").pages
    assert [type(b) for b in page1.blocks] == [TextBlock, CalloutBlock, ImageBlock, ListBlock]
    callout, image, lst = page1.blocks[1:]
    assert callout.style == "tip" and callout.title == {"en": "Remember", "fr": "À retenir"}
    assert image.src == "media/pillars.svg" and not image.decorative
    assert image.alt["fr"].startswith("Trois piliers")
    assert lst.ordered is False and len(lst.items) == 3
    video, reflection = page2.blocks
    assert isinstance(video, VideoBlock) and isinstance(reflection, ReflectionBlock)
    assert video.src is None and video.url == "https://video.example.org/ece/fundamentals.mp4"
    assert dict(video.captions) == {"en": "media/intro.en.vtt", "fr": "media/intro.fr.vtt"}
    assert video.duration_minutes == 1
    assert reflection.id == "stood-out" and reflection.hint == {
        "en": "One or two sentences are enough.",
        "fr": "Une ou deux phrases suffisent.",
    }
    assert isinstance(page3.blocks[0], QuizBlock)
    assert course.media_files() == ("media/intro.en.vtt", "media/intro.fr.vtt", "media/pillars.svg")


def test_quiz_questions_answers_and_generated_true_false(minimal) -> None:
    course, _ = minimal
    (quiz,) = course.module("welcome").quizzes()
    assert (quiz.id, quiz.passing_score, quiz.attempts) == ("welcome-check", 67, 2)
    single, multiple, tf = quiz.questions
    assert (single.kind, single.correct) == ("single", frozenset({"b"}))
    assert [c.id for c in single.choices] == ["a", "b", "c"]
    assert single.choices[1].feedback == {"en": "Yes, three pillars.", "fr": "Oui, trois piliers."}
    assert single.feedback_incorrect == {"en": "Look at the pillars again.", "fr": "Revoyez les piliers."}
    assert (multiple.kind, multiple.correct) == ("multiple", frozenset({"partners", "leadership"}))
    assert (tf.kind, tf.correct) == ("true_false", frozenset({"true"}))
    assert [(c.id, c.text["en"], c.text["fr"]) for c in tf.choices] == [
        ("true", "True", "Vrai"),
        ("false", "False", "Faux"),
    ]
    assert tf.choices[1].feedback == {
        "en": "They are built on relationships.",
        "fr": "Ils reposent sur les relations.",
    }


def test_self_assessment_keeps_yes_and_no_as_scale_ids(minimal) -> None:
    course, _ = minimal
    sa = course.module("self-check").self_assessment()
    assert sa is course.module("practice").self_assessment()  # the embedded flow is the same object
    assert [p.id for p in sa.scale] == ["yes", "somewhat", "no", "unknown"]
    assert sa.scale[0].label == {"en": "Yes", "fr": "Oui"}
    assert [(p.id, [i.id for i in p.items]) for p in sa.pillars] == [
        ("partners", ["p01", "p02"]),
        ("teams", ["t01", "t02"]),
        ("leadership", ["l01", "l02"]),
    ]
    assert sa.pillars[0].reflections[0].id == "partners-r1"
    assert sa.pillars[1].description == {"en": "", "fr": ""}
    assert [r.id for r in sa.reflections] == ["surprised"]
    assert (sa.strength.id, sa.opportunity.id, sa.first_step.id, sa.first_step_lead.id) == (
        "strength",
        "opportunity",
        "first-step",
        "first-step-lead",
    )
    assert sa.team_code is True and sa.estimated_minutes == (5, 10)
    page = course.module("self-check").pages[0]
    assert isinstance(page.blocks[0], SelfAssessmentBlock)


def test_locations_point_into_the_source_as_typed(minimal) -> None:
    course, _ = minimal
    q = course.module("welcome").quizzes()[0].questions[1]
    assert q.loc.file == str(MINIMAL / "quizzes" / "welcome-check.yaml")
    assert (q.loc.line, q.loc.col) == (20, 5)


def copy_minimal(tmp_path: Path) -> Path:
    target = tmp_path / "course"
    shutil.copytree(MINIMAL, target)
    return target


def test_plain_strings_in_a_bilingual_course_warn_and_fill_both_languages(tmp_path: Path) -> None:
    course_dir = copy_minimal(tmp_path)
    module = course_dir / "modules" / "practice.yaml"
    text = module.read_text(encoding="utf-8")
    module.write_text(
        text.replace("title: {en: Putting it into practice, fr: Passer à la pratique}", "title: Practice"),
        encoding="utf-8",
    )
    course, warnings = load_course(course_dir)
    assert course.module("practice").title == {"en": "Practice", "fr": "Practice"}
    assert [str(w) for w in warnings] == [
        f"{module}:2:8: warning: 'title' is a single string but the course declares 2 languages; "
        "give a map {en, fr} with one text per language"
    ]
    with pytest.raises(SourceInvalid) as info:
        load_course(course_dir, strict=True)
    assert [i.level for i in info.value.issues] == ["error"]


def test_single_language_course_accepts_plain_strings(tmp_path: Path) -> None:
    course_dir = tmp_path / "c"
    (course_dir / "modules").mkdir(parents=True)
    (course_dir / "course.yaml").write_text(
        "id: http://example.org/c/\ntitle: C\nlanguages: [fr-CA]\nmodules: [m]\n", encoding="utf-8"
    )
    (course_dir / "modules" / "m.yaml").write_text(
        "title: M\nestimated_minutes: [5, 5]\npages:\n  - {id: p, title: P, blocks: [{text: Bonjour}]}\n",
        encoding="utf-8",
    )
    course, warnings = load_course(course_dir)
    assert warnings == []
    assert course.languages == ("fr-CA",) and course.default_language == "fr-CA"
    assert course.module("m").pages[0].blocks[0] == TextBlock(body={"fr-CA": "Bonjour"})
    assert course.activity_id(course.module("m")) == "http://example.org/c/m"


def test_media_link_leaving_the_course_is_refused(tmp_path: Path) -> None:
    course_dir = copy_minimal(tmp_path)
    secret = tmp_path / "secret.svg"
    secret.write_text("<svg/>", encoding="utf-8")
    (course_dir / "media" / "pillars.svg").unlink()
    (course_dir / "media" / "pillars.svg").symlink_to(secret)
    with pytest.raises(SourceInvalid) as info:
        load_course(course_dir)
    assert [i.message for i in info.value.issues] == [
        "media path 'media/pillars.svg' points outside the course folder (through a link)"
    ]


def test_errors_from_several_files_are_sorted_by_file_then_line(tmp_path: Path) -> None:
    course_dir = copy_minimal(tmp_path)
    quiz = course_dir / "quizzes" / "welcome-check.yaml"
    quiz.write_text(
        quiz.read_text(encoding="utf-8")
        .replace("attempts: 2", "attempts: -2")
        .replace("answer: b", "answer: z"),
        encoding="utf-8",
    )
    sa = course_dir / "self_assessment.yaml"
    sa.write_text(sa.read_text(encoding="utf-8").replace("id: t02", "id: t01"), encoding="utf-8")
    course_yaml = course_dir / "course.yaml"
    text = course_yaml.read_text(encoding="utf-8")
    course_yaml.write_text(text.replace("mastery_score: 80", "mastery_score: 180"), encoding="utf-8")
    with pytest.raises(SourceInvalid) as info:
        load_course(course_dir)
    got = [
        (Path(i.location.file).relative_to(course_dir).as_posix(), i.location.line, i.location.col)
        for i in info.value.issues
    ]
    assert got == [
        ("course.yaml", 12, 16),
        ("quizzes/welcome-check.yaml", 5, 11),
        ("quizzes/welcome-check.yaml", 16, 13),
        ("self_assessment.yaml", 25, 14),
    ]
    assert info.value.format_message().splitlines()[-1] == "4 error(s), 0 warning(s); nothing was written."


def test_missing_folder_and_missing_course_yaml(tmp_path: Path) -> None:
    with pytest.raises(SourceInvalid) as info:
        load_course(tmp_path / "nope")
    assert [str(i) for i in info.value.issues] == [
        f"{tmp_path / 'nope'}: error: course source folder not found"
    ]
    with pytest.raises(SourceInvalid) as info:
        load_course(tmp_path)
    assert info.value.issues[0].message == "course.yaml not found in the source folder"


def test_validation_is_fast(minimal) -> None:
    started = time.process_time()  # CPU time: the test machine is shared
    for _ in range(10):
        load_course(MINIMAL)
    assert (time.process_time() - started) / 10 < 0.1


def test_pure_python_parser_builds_the_same_course(minimal, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "yaml._yaml", None)  # as on a platform without libyaml
    course, warnings = load_course(MINIMAL)
    assert course == minimal[0] and warnings == []


def test_the_ece_course_source_is_valid() -> None:
    """The shipped ECE course (course_source/, written by other engineers) validates without warnings."""
    started = time.process_time()
    course, warnings = load_course(COURSE_SOURCE)
    elapsed = time.process_time() - started
    assert [str(w) for w in warnings] == []
    assert course.languages == ("en", "fr")
    assert [m.kind for m in course.modules].count("self_assessment") == 1
    assert course.modules[-1].kind == "self_assessment"
    assert elapsed < 0.25  # CPU time; measured about 0.03 s for the whole series
