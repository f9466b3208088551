"""Estimate how long a module takes from its content, and warn when its declared time is far from it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ece_scorm.errors import Issue, SourceInvalid, sort_issues
from ece_scorm.model import (
    CalloutBlock,
    Course,
    ImageBlock,
    LangText,
    ListBlock,
    Module,
    Page,
    QuizBlock,
    ReflectionBlock,
    SelfAssessment,
    SelfAssessmentBlock,
    TextBlock,
    VideoBlock,
)

# Silent reading of informational text by adults: about 200 words a minute in English; French needs
# about 10 % more time for the same content (its texts run longer).
WORDS_PER_MINUTE = {"en": 200, "fr": 180}
DEFAULT_WPM = 200
QUESTION_MINUTES = 0.5  # choosing, checking and reading the feedback, beyond reading the words
REFLECTION_MINUTES = 2.0  # writing a sentence or two about one's own setting
SHORT_TEXT_MINUTES = 1.0  # the self-assessment's strength / opportunity / first step fields
LIKERT_MINUTES = 0.2  # one Yes / Somewhat / No / Unknown item, beyond reading it
FIGURE_MINUTES = 0.25  # looking at a diagram
TOLERANCE = 1 / 3  # the declared time may differ from the estimate by up to a third
SLACK_MINUTES = 5  # ... or by one 5-minute step, whichever is more: a 5-10 min module is not "off" at 4

WORD = re.compile(r"[^\W_]+(?:[’'-][^\W_]+)*")
LINK_TARGET = re.compile(r"\]\([^)]*\)")
VTT_END = re.compile(r"-->\s*(?:(\d+):)?(\d{1,2}):(\d{2}(?:\.\d{1,3})?)")  # a cue's end time


@dataclass(frozen=True)
class Estimate:
    """Minutes a learner needs, split by what they spend it on."""

    reading: float = 0.0
    media: float = 0.0
    activities: float = 0.0

    @property
    def minutes(self) -> float:
        return self.reading + self.media + self.activities

    def __add__(self, other: Estimate) -> Estimate:
        return Estimate(
            self.reading + other.reading, self.media + other.media, self.activities + other.activities
        )


def words(text: str | None) -> int:
    """Return the number of words in a Markdown text (link targets and markup are not words)."""
    return len(WORD.findall(LINK_TARGET.sub("]", text or "")))


def _read(texts: Iterable[LangText | None], lang: str) -> float:
    count = sum(words(t.get(lang, "")) for t in texts if t is not None)
    return count / WORDS_PER_MINUTE.get(lang.split("-")[0], DEFAULT_WPM)


def video_minutes(block: VideoBlock, source_dir: Path) -> float:
    """Return a video's length: its declared duration_minutes, else the end of its last caption cue."""
    if block.duration_minutes:
        return float(block.duration_minutes)
    end = 0.0
    for path in block.captions.values():
        try:
            text = (Path(source_dir) / path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue  # a missing caption file is reported by render; the estimate just has no length
        for m in VTT_END.finditer(text):
            end = max(end, int(m.group(1) or 0) * 60 + int(m.group(2)) + float(m.group(3)) / 60)
    return end


def _self_assessment(sa: SelfAssessment, lang: str) -> Estimate:
    # A learner answers the pillar that fits their role; others are optional, so count an average pillar.
    n = max(1, len(sa.pillars))
    pillar_read = (
        sum(_read([p.title, p.description, *(i.text for i in p.items)], lang) for p in sa.pillars) / n
    )
    items = sum(len(p.items) for p in sa.pillars) / n
    pillar_reflections = sum(len(p.reflections) for p in sa.pillars) / n
    prompts = [sa.strength, sa.opportunity, sa.first_step, sa.first_step_lead]
    reading = (
        _read([sa.title, sa.description, sa.intro, *(r.text for r in sa.reflections)], lang) + pillar_read
    )
    activities = (
        items * LIKERT_MINUTES
        + (pillar_reflections + len(sa.reflections)) * REFLECTION_MINUTES
        + len(prompts) * SHORT_TEXT_MINUTES
    )
    return Estimate(reading=reading, activities=activities)


def page_estimate(page: Page, lang: str, source_dir: Path) -> Estimate:
    """Return the time one page takes in one language."""
    total = Estimate(reading=_read([page.title], lang))
    for b in page.blocks:
        if isinstance(b, TextBlock):
            total += Estimate(reading=_read([b.body], lang))
        elif isinstance(b, CalloutBlock):
            total += Estimate(reading=_read([b.title, b.body], lang))
        elif isinstance(b, ListBlock):
            total += Estimate(reading=_read([b.title, *b.items], lang))
        elif isinstance(b, ImageBlock):
            total += Estimate(
                reading=_read([b.caption], lang), activities=0 if b.decorative else FIGURE_MINUTES
            )
        elif isinstance(b, VideoBlock):
            total += Estimate(reading=_read([b.title], lang), media=video_minutes(b, source_dir))
        elif isinstance(b, ReflectionBlock):
            total += Estimate(reading=_read([b.prompt, b.hint], lang), activities=REFLECTION_MINUTES)
        elif isinstance(b, QuizBlock):
            q = b.quiz
            texts = [q.title, q.intro]
            for x in q.questions:
                texts += [x.prompt, *(c.text for c in x.choices)]
            total += Estimate(reading=_read(texts, lang), activities=len(q.questions) * QUESTION_MINUTES)
        elif isinstance(b, SelfAssessmentBlock):
            total += _self_assessment(b.self_assessment, lang)
    return total


def module_estimate(module: Module, lang: str, source_dir: Path) -> Estimate:
    """Return the time a whole module takes in one language."""
    total = Estimate()
    for page in module.pages:
        total += page_estimate(page, lang, source_dir)
    return total


def page_minutes(module: Module, langs: Iterable[str], source_dir: Path) -> list[dict[str, int]]:
    """Return each page's whole minutes per language (at least 1), as the contents list shows them."""
    langs = list(langs)
    return [
        {lang: max(1, round(page_estimate(p, lang, source_dir).minutes)) for lang in langs}
        for p in module.pages
    ]


def check(course: Course) -> list[Issue]:
    """Warn for every module whose declared estimated_minutes is off its estimate by over a third."""
    issues = []
    for module in course.modules:
        if module.kind != "module":
            continue  # the self-assessment package's time is its own field, checked with its module
        est = max(module_estimate(module, lang, course.source_dir).minutes for lang in course.languages)
        low, high = module.estimated_minutes
        declared = (low + high) / 2
        if est > 0 and abs(declared - est) > max(est * TOLERANCE, SLACK_MINUTES):
            shown = f"{low}" if low == high else f"{low}-{high}"
            lo, hi = suggested_range(est)
            issues.append(
                Issue(
                    module.loc,
                    "warning",
                    f"module '{module.id}' declares estimated_minutes {shown} but its content takes about "
                    f"{round(est)} min (reading, media, questions, reflections); declare about [{lo}, {hi}]",
                )
            )
    return issues


def suggested_range(minutes: float) -> tuple[int, int]:
    """Return a declared range around an estimate: from 10 % under to 25 % over, in 5-minute steps."""
    lo = max(5, int(5 * round(minutes * 0.9 / 5)))
    hi = max(lo + 5, int(5 * round(minutes * 1.25 / 5)))
    return lo, hi


def add_warnings(course: Course, warnings: list[Issue], *, strict: bool = False) -> list[Issue]:
    """Return the source warnings with the duration warnings; under --strict these fail the course."""
    found = check(course)
    if strict and found:
        raise SourceInvalid(sort_issues([Issue(i.location, "error", i.message, i.rule) for i in found]))
    return sort_issues([*warnings, *found])
