"""A scripted learner for the real-package SCORM tests: clicks through a built ECE module by role and
accessible name, and predicts — from the course YAML model, not from the package — what the LMS must hold.

Answer plan (deterministic): every knowledge-check question is answered correctly except the second one,
unless that would fail the quiz; likert items cycle through the scale; every text prompt gets a short,
unique two-line answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ece_scorm.markdown import to_text
from ece_scorm.model import Module, Question, QuizBlock, ReflectionBlock, SelfAssessment, SelfAssessmentBlock
from tests.support.browser import start_module

LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789"  # SCORM 1.2 choice responses: one character per choice


@dataclass
class Answer:
    """One thing the learner answered, as the LMS must record it."""

    interaction_id: str
    kind: str  # "choice" | "true-false" | "likert" | "text"
    response: list[str] | str  # choice ids in choice order; scale id; text
    correct: list[str] = field(default_factory=list)
    choices: list[str] = field(default_factory=list)  # choice ids in the question's order
    success: bool | None = None

    def scorm12(self) -> tuple[str, str, str, str]:
        """Return (id, type, student_response, result) as SCORM 1.2 must hold it."""
        if self.kind in ("choice", "true-false"):
            if self.kind == "true-false":
                resp = "t" if self.response == ["true"] else "f"
            else:
                resp = ",".join(LETTERS[self.choices.index(c)] for c in self.response)
            return (self.interaction_id, self.kind, resp, "correct" if self.success else "wrong")
        if self.kind == "likert":
            return (self.interaction_id, "likert", str(self.response), "neutral")
        flat = " ¶ ".join(line.strip() for line in str(self.response).splitlines() if line.strip())
        return (self.interaction_id, "fill-in", flat[:255], "neutral")

    def scorm2004(self, lang: str) -> tuple[str, str, str, str]:
        """Return (id, type, learner_response, result) as SCORM 2004 must hold it."""
        # Moodle's 2004 short identifiers are [A-Za-z0-9_.]: ids like "staff-teams" travel as "staff_teams".
        if self.kind in ("choice", "true-false"):
            resp = self.response[0]
            if self.kind == "choice":
                resp = "[,]".join(c.replace("-", "_") for c in self.response)
            return (self.interaction_id, self.kind, resp, "correct" if self.success else "incorrect")
        if self.kind == "likert":
            return (self.interaction_id, "likert", str(self.response).replace("-", "_"), "neutral")
        flat = " ¶ ".join(line.strip() for line in str(self.response).splitlines() if line.strip())
        return (self.interaction_id, "long-fill-in", "{lang=" + lang + "}" + flat[:4000], "neutral")


@dataclass
class Outcome:
    """What the learner did in one module."""

    answers: list[Answer] = field(default_factory=list)
    scores: dict[str, int] = field(default_factory=dict)  # quiz id -> percent
    passed: bool | None = None

    @property
    def texts(self) -> dict[str, str]:
        """Return interaction id -> full text of every text answer."""
        return {a.interaction_id: str(a.response) for a in self.answers if a.kind == "text"}


def plan_question(q: Question, index: int, total: int, passing: int) -> list[str]:
    """Return the choice ids the learner picks: right, except question 2 when the quiz still passes."""
    ids = [c.id for c in q.choices]
    right = [c for c in ids if c in q.correct]
    wrong_ok = round(100 * (total - 1) / total) >= passing
    if index == 1 and wrong_ok:
        if q.kind == "multiple":
            return right[:1] if len(right) > 1 else [next(c for c in ids if c not in q.correct)]
        return [next(c for c in ids if c not in q.correct)]
    return right


def wait_for_player(frame: Any, timeout_ms: float = 15_000) -> Any:
    """Wait until the player has started its adapter, then open the module as a learner would."""
    started = (
        "() => { const p = document.querySelector('.ece-progress');"
        " return !!(window.ECE_DATA && p && !p.hidden); }"
    )
    frame.wait_for_function(started, timeout=timeout_ms)
    return start_module(frame, timeout_ms)  # past the landing screen: Start, or Continue on a return


class ScriptedLearner:
    """Drive the player in `frame` through `module` in `lang`, recording the expected LMS data."""

    def __init__(
        self, frame: Any, module: Module, lang: str, *, team_code: str = "TEAM-7", on_screen: Any = None
    ) -> None:
        self.frame = frame
        self.on_screen = on_screen  # called with a screen kind ("quiz+text", "sa:plan"…) once it is filled in
        self.module = module
        self.lang = lang
        self.team_code = team_code
        self.strings = frame.evaluate("(l) => window.ECE_DATA.strings[l]", lang)
        self.outcome = Outcome()

    # -- helpers ------------------------------------------------------------------------------------

    def t(self, key: str) -> str:
        return self.strings[key]

    @property
    def visible(self) -> Any:
        return self.frame.locator(".ece-page:not([hidden])")

    def screen(self, kind: str) -> None:
        if self.on_screen:
            self.on_screen(kind)

    def h1(self) -> str:
        return self.visible.locator("h1").inner_text()

    def next(self) -> None:
        self.frame.get_by_role("button", name=self.t("next"), exact=True).click()

    def write(self, name: str, interaction_id: str) -> None:
        body = f"{self.lang} answer to {interaction_id}\nsecond line"
        box = self.visible.get_by_role("textbox", name=name, exact=True)
        box.fill(body)
        box.press("Tab")  # the player records a text when it changes (blur)
        self.outcome.answers.append(Answer(interaction_id, "text", body))

    # -- flows ------------------------------------------------------------------------------------

    def run(self, *, stop_before: str | None = None) -> Outcome:
        """Go through every page in order (stopping on page `stop_before`), answering everything."""
        pages = self.module.pages
        for i, page in enumerate(pages):
            assert self.h1() == to_text(page.title[self.lang]), f"expected page {page.id}"
            if page.id == stop_before:
                return self.outcome
            self.page(page)
            self.screen("+".join(sorted({b.type for b in page.blocks})))
            if i < len(pages) - 1:
                self.next()
        return self.outcome

    def page(self, page: Any) -> None:
        """Answer every block of the visible page."""
        for block in page.blocks:
            if isinstance(block, ReflectionBlock):
                self.write(to_text(block.prompt[self.lang]), f"r.{block.id}")
            elif isinstance(block, QuizBlock):
                self.quiz(block.quiz)
            elif isinstance(block, SelfAssessmentBlock):
                self.self_assessment(block.self_assessment)

    def quiz(self, quiz: Any, *, only: int | None = None, all_wrong: bool = False) -> None:
        """Answer the questions of a knowledge check (or just question `only`) and press Check on each."""
        total = len(quiz.questions)
        right = 0
        for i, q in enumerate(quiz.questions):
            pick = plan_question(q, i, total, quiz.passing_score)
            if all_wrong:
                pick = [next(c.id for c in q.choices if c.id not in q.correct)]
            right += sorted(pick) == sorted(q.correct)
            if only is not None and i != only:
                continue
            group = self.visible.get_by_role("group", name=to_text(q.prompt[self.lang]), exact=True)
            role = "checkbox" if q.kind == "multiple" else "radio"
            for c in q.choices:
                if c.id in pick:
                    group.get_by_role(role, name=to_text(c.text[self.lang]), exact=True).check()
            group.get_by_role("button", name=self.t("check"), exact=True).click()
            kind = "true-false" if q.kind == "true_false" else "choice"
            ids = [c.id for c in q.choices]
            self.outcome.answers.append(
                Answer(
                    f"q.{quiz.id}.{q.id}",
                    kind,
                    [c for c in ids if c in pick],
                    sorted(q.correct, key=ids.index),
                    ids,
                    sorted(pick) == sorted(q.correct),
                )
            )
        if only is None or only == total - 1:
            score = round(100 * right / total)
            self.outcome.scores[quiz.id] = score
            self.outcome.passed = score >= quiz.passing_score

    def self_assessment(self, sa: SelfAssessment, *, others: tuple[int, ...] = ()) -> None:
        """Go through the self-assessment steps: team code, pillar choice, items, texts, summary."""
        primary = len(sa.pillars) - 1  # the last pillar, so that skipping the others is exercised
        if sa.team_code:
            box = self.visible.get_by_role("textbox", name=self.t("teamCode"), exact=True)
            box.fill(self.team_code)
            box.press("Tab")
            self.outcome.answers.append(Answer("sa.team-code", "team", self.team_code))
        group = self.visible.get_by_role("group", name=self.t("primaryPillar"), exact=True)
        group.get_by_role("radio", name=to_text(sa.pillars[primary].title[self.lang]), exact=True).check()
        for o in others:
            group = self.visible.get_by_role("group", name=self.t("otherPillars"), exact=True)
            group.get_by_role("checkbox", name=to_text(sa.pillars[o].title[self.lang]), exact=True).check()
        self.screen("sa:start")
        self.next()
        for pi, pillar in enumerate(sa.pillars):
            if pi != primary and pi not in others:
                continue
            step = self.visible.locator(".ece-sa-step:not([hidden])")
            assert step.locator("h2").inner_text() == to_text(pillar.title[self.lang])
            for k, item in enumerate(pillar.items):
                point = sa.scale[k % len(sa.scale)]
                g = step.get_by_role("group", name=to_text(item.text[self.lang]), exact=True)
                g.get_by_role("radio", name=to_text(point.label[self.lang]), exact=True).check()
                self.outcome.answers.append(Answer(f"sa.{pillar.id}.{item.id}", "likert", point.id))
            for r in pillar.reflections:
                self.write(to_text(r.text[self.lang]), f"sa.{r.id}")
            self.screen("sa:pillar")
            self.next()
        if sa.reflections:
            for r in sa.reflections:
                self.write(to_text(r.text[self.lang]), f"sa.{r.id}")
            self.screen("sa:reflect")
            self.next()
        for r in (sa.strength, sa.opportunity, sa.first_step, sa.first_step_lead):
            self.write(to_text(r.text[self.lang]), f"sa.{r.id}")
        self.screen("sa:plan")
        self.next()
        summary = self.visible.locator("[data-summary]")
        assert self.team_code in summary.inner_text()
        self.screen("sa:summary")


def lms_answers(outcome: Outcome) -> list[Answer]:
    """Return the answers that become interactions (the team code is one too, as fill-in text)."""
    out = []
    for a in outcome.answers:
        out.append(Answer(a.interaction_id, "text", a.response) if a.kind == "team" else a)
    return out


def status_text(frame: Any) -> str:
    """Return what the player's status region (role=status) tells the learner."""
    status = frame.locator("#ece-status")
    assert status.get_attribute("role") == "status"
    return status.inner_text()


def wait_status(frame: Any, words: str) -> None:
    """Wait until the status region says `words`."""
    frame.wait_for_function("(w) => document.getElementById('ece-status').textContent.includes(w)", arg=words)


def api_calls(host_page: Any) -> list[list]:
    """Return every API call the package made through the host facade: [method, element, result, error]."""
    return host_page.evaluate("() => window.eceHost.apiCalls")
