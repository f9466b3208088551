"""The course domain: plain immutable data, no I/O.

Text fields are `LangText`: a mapping language code -> string (Markdown for rich fields).
validation.py guarantees that every LangText holds every language the course declares,
that ids are ASCII `[a-z0-9][a-z0-9-]*`, and that references are resolved.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ece_scorm.errors import Location

LangText = Mapping[str, str]

NOWHERE = Location("<generated>")


@dataclass(frozen=True)
class TextBlock:
    body: LangText  # Markdown
    loc: Location = field(default=NOWHERE, compare=False)
    type: Literal["text"] = "text"


@dataclass(frozen=True)
class CalloutBlock:
    style: Literal["info", "tip", "note", "warning", "quote"]
    title: LangText | None
    body: LangText  # Markdown
    loc: Location = field(default=NOWHERE, compare=False)
    type: Literal["callout"] = "callout"


@dataclass(frozen=True)
class ListBlock:
    ordered: bool
    items: tuple[LangText, ...]  # Markdown (inline)
    title: LangText | None = None
    loc: Location = field(default=NOWHERE, compare=False)
    type: Literal["list"] = "list"


@dataclass(frozen=True)
class ImageBlock:
    src: str  # path relative to the course source folder, e.g. "media/pillars.svg"
    alt: LangText  # empty string only when decorative is True
    caption: LangText | None = None
    decorative: bool = False
    loc: Location = field(default=NOWHERE, compare=False)
    type: Literal["image"] = "image"
    # One file per language when a diagram's words are drawn in it (`src: {en: …, fr: …}`); src is then
    # the default language's file.
    sources: Mapping[str, str] = field(default_factory=dict)

    def src_for(self, lang: str) -> str:
        """Return the file shown in this language."""
        return self.sources.get(lang, self.src)

    def paths(self) -> tuple[str, ...]:
        """Return every file this image packages."""
        return tuple(sorted({self.src, *self.sources.values()}))


@dataclass(frozen=True)
class VideoBlock:
    id: str
    title: LangText
    src: str | None  # packaged file relative to the source folder, or None when `url` is used
    url: str | None  # an https URL of a hosted video (not packaged)
    captions: Mapping[str, str]  # language -> WebVTT path relative to the source folder
    transcript: LangText  # Markdown; always present so the activity works without the video
    duration_minutes: int | None = None
    loc: Location = field(default=NOWHERE, compare=False)
    type: Literal["video"] = "video"


@dataclass(frozen=True)
class ReflectionBlock:
    id: str  # unique within the course
    prompt: LangText
    hint: LangText | None = None
    loc: Location = field(default=NOWHERE, compare=False)
    type: Literal["reflection"] = "reflection"


# --- interactive blocks (#13.4). `key` names the block's DOM ids: "<page id>-<position>", set by the reader.


@dataclass(frozen=True)
class Panel:
    """A titled piece of Markdown: an accordion section, a tab, a process step."""

    title: LangText  # plain text
    body: LangText  # Markdown
    loc: Location = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class AccordionBlock:
    items: tuple[Panel, ...]
    title: LangText | None = None
    key: str = ""
    loc: Location = field(default=NOWHERE, compare=False)
    type: Literal["accordion"] = "accordion"


@dataclass(frozen=True)
class TabsBlock:
    tabs: tuple[Panel, ...]
    title: LangText | None = None
    key: str = ""
    loc: Location = field(default=NOWHERE, compare=False)
    type: Literal["tabs"] = "tabs"


@dataclass(frozen=True)
class FlipCard:
    front: LangText  # plain text: it names the card's button
    back: LangText  # Markdown
    loc: Location = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class FlipCardsBlock:
    cards: tuple[FlipCard, ...]
    title: LangText | None = None
    key: str = ""
    loc: Location = field(default=NOWHERE, compare=False)
    type: Literal["flip_cards"] = "flip_cards"


@dataclass(frozen=True)
class Hotspot:
    x: float  # percent of the image's width, from the left
    y: float  # percent of the image's height, from the top
    title: LangText  # plain text
    body: LangText  # Markdown
    loc: Location = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class HotspotsBlock:
    image: ImageBlock
    spots: tuple[Hotspot, ...]
    title: LangText | None = None
    key: str = ""
    loc: Location = field(default=NOWHERE, compare=False)
    type: Literal["hotspots"] = "hotspots"


@dataclass(frozen=True)
class StepsBlock:
    steps: tuple[Panel, ...]
    title: LangText | None = None
    key: str = ""
    loc: Location = field(default=NOWHERE, compare=False)
    type: Literal["steps"] = "steps"


@dataclass(frozen=True)
class ScenarioChoice:
    id: str
    text: LangText  # Markdown (inline)
    feedback: LangText  # Markdown: what happens next
    best: bool = False
    loc: Location = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class ScenarioBlock:
    """A dilemma, a choice among options and the consequence of each: recorded, never scored."""

    id: str  # unique within the course
    title: LangText
    situation: LangText  # Markdown
    question: LangText  # plain text: the radio group's name
    choices: tuple[ScenarioChoice, ...]
    key: str = ""
    loc: Location = field(default=NOWHERE, compare=False)
    type: Literal["scenario"] = "scenario"


@dataclass(frozen=True)
class Resource:
    title: LangText
    url: LangText  # https:// or mailto:, per language (the same address in every language when one is given)
    description: LangText | None = None  # Markdown (inline)
    loc: Location = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class ResourcesBlock:
    links: tuple[Resource, ...]
    title: LangText | None = None
    key: str = ""
    loc: Location = field(default=NOWHERE, compare=False)
    type: Literal["resources"] = "resources"


@dataclass(frozen=True)
class Choice:
    id: str
    text: LangText  # Markdown (inline)
    feedback: LangText | None = None
    loc: Location = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class Question:
    id: str
    kind: Literal["single", "multiple", "true_false"]
    prompt: LangText  # Markdown (inline)
    choices: tuple[Choice, ...]  # true_false: exactly ids "true" and "false" (generated if absent)
    correct: frozenset[str]  # ids of the correct choices (one for single/true_false)
    feedback_correct: LangText | None = None
    feedback_incorrect: LangText | None = None
    loc: Location = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class Quiz:
    id: str
    title: LangText
    passing_score: int  # percent, 0..100
    attempts: int  # 0 = unlimited
    questions: tuple[Question, ...]
    intro: LangText | None = None
    loc: Location = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class QuizBlock:
    quiz: Quiz
    loc: Location = field(default=NOWHERE, compare=False)
    type: Literal["quiz"] = "quiz"


@dataclass(frozen=True)
class ScalePoint:
    id: str  # "yes" | "somewhat" | "no" | "unknown" in the ECE tool
    label: LangText


@dataclass(frozen=True)
class Prompt:
    id: str
    text: LangText
    hint: LangText | None = None


@dataclass(frozen=True)
class SelfAssessmentItem:
    id: str
    text: LangText
    loc: Location = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class Pillar:
    id: str
    title: LangText
    description: LangText  # Markdown
    items: tuple[SelfAssessmentItem, ...]
    reflections: tuple[Prompt, ...] = ()
    loc: Location = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class FacilitatorGuide:
    """How to run the team's "reflect and align" session, in three moments (all Markdown)."""

    title: LangText
    intro: LangText
    before: LangText  # e.g. share the team code, ask everyone to take the assessment alone first
    during: LangText  # followed on screen by the self-assessment's align_prompts
    after: LangText  # e.g. the printed plans, who leads the first step, when to take it again


@dataclass(frozen=True)
class Attribution:
    """Where the checklist comes from: a sentence (Markdown) and the official tool's address."""

    text: LangText
    url: str


@dataclass(frozen=True)
class SelfAssessment:
    id: str
    title: LangText
    description: LangText  # Markdown
    intro: LangText  # Markdown, shown before the pillar choice
    scale: tuple[ScalePoint, ...]
    pillars: tuple[Pillar, ...]
    reflections: tuple[Prompt, ...]  # general reflection questions after the checklist
    strength: Prompt  # "one key strength"
    opportunity: Prompt  # "one opportunity"
    first_step: Prompt  # a first step toward the opportunity
    first_step_lead: Prompt  # who will lead it / what support is needed
    team_code: bool = True  # ask for an optional team code from the facilitator
    estimated_minutes: tuple[int, int] = (20, 30)
    first_step_when: Prompt | None = None  # "by when?": a date, asked with the plan
    align_prompts: tuple[Prompt, ...] = ()  # the team's reflect-and-align prompts (printed with the plan)
    facilitator: FacilitatorGuide | None = None
    attribution: Attribution | None = None
    loc: Location = field(default=NOWHERE, compare=False)

    def plan_prompts(self) -> tuple[Prompt, ...]:
        """Return the plan's prompts in the order they are asked and printed."""
        when = (self.first_step_when,) if self.first_step_when else ()
        return (self.strength, self.opportunity, self.first_step, self.first_step_lead, *when)


@dataclass(frozen=True)
class SelfAssessmentBlock:
    self_assessment: SelfAssessment
    loc: Location = field(default=NOWHERE, compare=False)
    type: Literal["self_assessment"] = "self_assessment"


Block = (
    TextBlock
    | CalloutBlock
    | ListBlock
    | ImageBlock
    | VideoBlock
    | ReflectionBlock
    | QuizBlock
    | SelfAssessmentBlock
    | AccordionBlock
    | TabsBlock
    | FlipCardsBlock
    | HotspotsBlock
    | StepsBlock
    | ScenarioBlock
    | ResourcesBlock
)


@dataclass(frozen=True)
class Page:
    id: str
    title: LangText
    blocks: tuple[Block, ...]
    loc: Location = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class Completion:
    """What finishes a module. All set conditions must hold."""

    all_pages: bool = True  # every page seen
    quiz_passed: bool = True  # every quiz in the module passed (or attempts exhausted -> failed)
    self_assessment_done: bool = False  # the self-assessment summary reached


@dataclass(frozen=True)
class Module:
    """One launchable unit = one SCO / AU / xAPI activity. The self-assessment package is one too."""

    id: str
    title: LangText
    description: LangText  # Markdown
    estimated_minutes: tuple[int, int]
    audience: tuple[LangText, ...]
    objectives: tuple[LangText, ...]
    pages: tuple[Page, ...]
    completion: Completion
    kind: Literal["module", "self_assessment"] = "module"
    loc: Location = field(default=NOWHERE, compare=False)

    def quizzes(self) -> tuple[Quiz, ...]:
        """Return the quizzes placed on this module's pages, in page order."""
        return tuple(b.quiz for p in self.pages for b in p.blocks if isinstance(b, QuizBlock))

    def reflections(self) -> tuple[ReflectionBlock, ...]:
        """Return the reflection prompts on this module's pages, in page order."""
        return tuple(b for p in self.pages for b in p.blocks if isinstance(b, ReflectionBlock))

    def media(self) -> tuple[tuple[str, Location], ...]:
        """Return each packaged media path of this module once, sorted, with the block that names it first."""
        found: dict[str, Location] = {}
        for page in self.pages:
            for block in page.blocks:
                if isinstance(block, (ImageBlock, HotspotsBlock)):
                    image = block.image if isinstance(block, HotspotsBlock) else block
                    for path in image.paths():
                        found.setdefault(path, block.loc)
                elif isinstance(block, VideoBlock):
                    for path in ((block.src,) if block.src else ()) + tuple(block.captions.values()):
                        found.setdefault(path, block.loc)
        return tuple(sorted(found.items()))

    def scenarios(self) -> tuple[ScenarioBlock, ...]:
        """Return the branching scenarios on this module's pages, in page order."""
        return tuple(b for p in self.pages for b in p.blocks if isinstance(b, ScenarioBlock))

    def self_assessment(self) -> SelfAssessment | None:
        """Return the self-assessment embedded in this module, if any."""
        for p in self.pages:
            for b in p.blocks:
                if isinstance(b, SelfAssessmentBlock):
                    return b.self_assessment
        return None


@dataclass(frozen=True)
class Course:
    id: str  # absolute IRI; activity ids derive from it (see docs/ARCHITECTURE.md)
    title: LangText
    description: LangText  # Markdown
    version: str
    languages: tuple[str, ...]  # e.g. ("en", "fr")
    default_language: str
    mastery_score: int  # percent 0..100
    modules: tuple[Module, ...]  # in the order of course.yaml, the self-assessment package last
    publisher: LangText | None = None
    contact: str | None = None
    source_dir: Path = field(default=Path("."), compare=False)
    loc: Location = field(default=NOWHERE, compare=False)

    def module(self, module_id: str) -> Module:
        """Return the module with this id."""
        for m in self.modules:
            if m.id == module_id:
                return m
        raise KeyError(module_id)

    def slug(self) -> str:
        """Return the last path segment of the course IRI, ASCII-slugged (docs/ARCHITECTURE.md §3)."""
        last = self.id.rstrip("/").rsplit("/", 1)[-1]
        return re.sub(r"[^a-z0-9]+", "-", last.lower()).strip("-") or "course"

    def activity_id(self, module: Module) -> str:
        """Return the module's activity IRI: the course IRI without a trailing '/', then the module id."""
        return f"{self.id.rstrip('/')}/{module.id}"

    def media_files(self) -> tuple[str, ...]:
        """Return every packaged media path (relative to source_dir), sorted, without duplicates."""
        return tuple(sorted({path for m in self.modules for path, _ in m.media()}))
