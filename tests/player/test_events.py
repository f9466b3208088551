"""The core's side of the adapter contract (ARCHITECTURE §5), observed through a recording adapter.

The adapter here is a probe, not the thing under test: it records what the real core sends, so the events,
completion results, state saves and exit calls that the SCORM/xAPI adapters rely on are checked exactly.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ece_scorm.pipeline.render import render_module
from ece_scorm.source.course import load_course
from tests.support.browser import start_module

pytestmark = pytest.mark.browser
MINIMAL = Path(__file__).resolve().parents[1] / "fixtures" / "courses" / "minimal"
COURSE_ID = "https://example.org/courses/ece-mini"

PROBE = """
window.ECE = window.ECE || {}; ECE.adapters = ECE.adapters || {};
window.__probe = {events: [], states: [], completes: []};
ECE.adapters.probe = function (data) {
  var mode = sessionStorage.getItem("probe-mode") || "lms";
  return {
    name: "probe",
    start: function () {
      if (mode === "none") return null;
      return Promise.resolve({state: sessionStorage.getItem("probe-state"),
                              language: mode === "fr" ? "de-DE, fr-CA;q=0.8, en" : null,
                              learnerName: "Ada", resumed: false,
                              mode: mode === "review" ? "review" : "normal"});
    },
    record: function (e) {
      __probe.events.push(JSON.parse(JSON.stringify(e)));
      var log = JSON.parse(sessionStorage.getItem("probe-log") || "[]");
      sessionStorage.setItem("probe-log", JSON.stringify(log.concat([e])));
    },
    saveState: function (s) { __probe.states.push(s); sessionStorage.setItem("probe-state", s); },
    complete: function (r) { __probe.completes.push(r); },
    exit: function (f) { localStorage.setItem("probe-exit", JSON.stringify(f)); },
    onStatus: function (fn) {
      __probe.status = fn;
      setTimeout(function () { fn({level: "warn", message: {en: "Saving later", fr: "Enregistrement différé"},
                                   pending: 2}); }, 10);
    }
  };
};
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """Render the minimal course with format "probe" (no adapter file: the test page supplies one)."""
    course, _ = load_course(MINIMAL)
    out = {}
    for module in course.modules:
        root = tmp_path_factory.mktemp("probe-" + module.id)
        for f in render_module(course, module, "probe", course.languages):
            (root / f.path).parent.mkdir(parents=True, exist_ok=True)
            (root / f.path).write_bytes(f.data)
        out[module.id] = root / "index.html"
    return out


@pytest.fixture()
def page(browser):
    context = browser.new_context()
    context.set_default_timeout(5000)
    context.add_init_script(PROBE)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    context.close()
    assert errors == [], errors


def events(page, kind: str | None = None) -> list[dict]:
    evs = page.evaluate("__probe.events")
    return [e for e in evs if kind is None or e["type"] == kind]


def strip(ev: dict) -> dict:
    return {
        k: v
        for k, v in ev.items()
        if k not in ("timestamp", "latencyMs", "prompt", "choices", "title", "scale")
    }


def test_events_completion_state_and_exit(page, built):
    page.goto(built["welcome"].as_uri())
    start_module(page)
    expect(page.locator("#ece-status")).to_have_text("Saving later (2)")
    assert page.locator("#ece-notice").is_hidden()  # an LMS answered: no standalone notice
    first = events(page, "page")
    assert first == [
        {
            "type": "page",
            "pageId": "why-it-matters",
            "index": 0,
            "total": 3,
            "title": {"en": "Why it matters", "fr": "Pourquoi c’est important"},
        }
    ]

    page.get_by_role("button", name="Next", exact=True).click()
    box = page.get_by_role("textbox", name="What stood out for you?")
    box.fill("Relationships first.")
    box.blur()
    (text,) = events(page, "answer")
    assert strip(text) == {
        "type": "answer",
        "kind": "text",
        "promptId": "stood-out",
        "interactionId": "r.stood-out",
        "activityId": f"{COURSE_ID}/reflection/stood-out",
        "response": "Relationships first.",
    }
    assert text["prompt"] == {"en": "What stood out for you?", "fr": "Qu’est-ce qui vous a marqué?"}

    page.get_by_role("button", name="Next", exact=True).click()
    answer_quiz(
        page,
        {
            "How many pillars are there?": ["Two"],
            "Which are pillars?": ["Patient partners", "Leadership"],
            "Engagement-capable environments are built on relationships.": ["False"],
        },
    )
    answers = [strip(e) for e in events(page, "answer")[1:]]
    base = {"type": "answer", "quizId": "welcome-check", "attempt": 1}
    assert answers == [
        base
        | {
            "kind": "choice",
            "questionId": "pillar-count",
            "interactionId": "q.welcome-check.pillar-count",
            "activityId": f"{COURSE_ID}/quiz/welcome-check/pillar-count",
            "response": ["a"],
            "correct": ["b"],
            "success": False,
        },
        base
        | {
            "kind": "choice",
            "questionId": "pillars",
            "interactionId": "q.welcome-check.pillars",
            "activityId": f"{COURSE_ID}/quiz/welcome-check/pillars",
            "response": ["partners", "leadership"],
            "correct": ["partners", "leadership"],
            "success": True,
        },
        base
        | {
            "kind": "true-false",
            "questionId": "relationships",
            "interactionId": "q.welcome-check.relationships",
            "activityId": f"{COURSE_ID}/quiz/welcome-check/relationships",
            "response": ["false"],
            "correct": ["true"],
            "success": False,
        },
    ]
    choice_event = events(page, "answer")[1]
    assert [c["id"] for c in choice_event["choices"]] == ["a", "b", "c"]
    assert choice_event["choices"][1]["text"] == {"en": "Three", "fr": "Trois"}
    assert isinstance(choice_event["latencyMs"], int) and choice_event["timestamp"].endswith("Z")
    # 1 of 3 right: 33% < 67%, one attempt left -> not finished, nothing completed yet.
    assert events(page, "quiz-result") == [
        {"type": "quiz-result", "quizId": "welcome-check", "scoreRaw": 33, "passed": False, "attempt": 1}
    ]
    assert page.evaluate("__probe.completes") == []

    page.get_by_role("button", name="Try again").click()
    expect(page.locator(".ece-page:not([hidden]) [data-attempt]")).to_have_text("Attempt 2 of 2")
    answer_quiz(
        page,
        {
            "How many pillars are there?": ["Three"],
            "Which are pillars?": ["Patient partners", "Leadership"],
            "Engagement-capable environments are built on relationships.": ["True"],
        },
    )
    assert events(page, "quiz-result")[-1] == {
        "type": "quiz-result",
        "quizId": "welcome-check",
        "scoreRaw": 100,
        "passed": True,
        "attempt": 2,
    }
    assert [e["attempt"] for e in events(page, "answer")[4:]] == [2, 2, 2]
    (done,) = page.evaluate("__probe.completes")
    assert {k: done[k] for k in ("completed", "passed", "scoreRaw")} == {
        "completed": True,
        "passed": True,
        "scoreRaw": 100,
    }
    assert done["durationMs"] >= 0
    saved = page.evaluate("__probe.states")
    assert saved and all(saved[i] != saved[i + 1] for i in range(len(saved) - 1))  # never twice in a row

    page.reload()  # pagehide of the finished module: exit(true); then resume from the saved state
    start_module(page)
    assert page.evaluate("localStorage.getItem('probe-exit')") == "true"
    assert page.locator(".ece-page:not([hidden]) h1").inner_text() == "Check your understanding"
    expect(page.locator(".ece-page:not([hidden]) [data-result]")).to_have_text(
        "Your score: 100%. The pass mark is 67%: passed."
    )
    assert page.evaluate("__probe.events") == [] and page.evaluate("__probe.completes") == []


def answer_quiz(page, picks: dict[str, list[str]]) -> None:
    """Tick the labelled choices of each question (by its prompt) and press its Check button."""
    for question, labels in picks.items():
        group = page.get_by_role("group", name=question, exact=True)
        for label in labels:
            group.get_by_label(label, exact=True).check()
        group.get_by_role("button", name="Check").click()


def test_self_assessment_events_and_completion(page, built):
    page.goto(built["practice"].as_uri())
    start_module(page)
    page.get_by_role("textbox", name="Team code (optional, given by your facilitator)").fill(" BLUE-7 ")
    page.get_by_role("radio", name="Leadership").check()
    assert events(page, "team-code") == [{"type": "team-code", "code": "BLUE-7"}]
    page.get_by_role("button", name="Next", exact=True).click()
    page.get_by_role("group", name="Leaders champion engagement.").get_by_role(
        "radio", name="Somewhat"
    ).check()
    (likert,) = events(page, "answer")
    assert strip(likert) == {
        "type": "answer",
        "kind": "likert",
        "pillarId": "leadership",
        "itemId": "l01",
        "interactionId": "sa.leadership.l01",
        "administration": 1,  # the learner's first self-assessment (ARCHITECTURE §3)
        "activityId": f"{COURSE_ID}/self-check/leadership/l01",
        "response": "somewhat",
    }
    assert [s["id"] for s in likert["scale"]] == ["yes", "somewhat", "no", "unknown"]
    for _ in range(2):
        page.get_by_role("button", name="Next", exact=True).click()
    page.get_by_role("textbox", name="One key strength").fill("Listening")
    page.get_by_role("textbox", name="One opportunity").focus()
    assert strip(events(page, "answer")[-1]) == {
        "type": "answer",
        "kind": "text",
        "promptId": "strength",
        "interactionId": "sa.strength",
        "administration": 1,
        "activityId": f"{COURSE_ID}/self-check/prompt/strength",
        "response": "Listening",
    }
    page.get_by_role("button", name="Next", exact=True).click()  # summary reached
    assert page.evaluate("__probe.completes") == []  # "next-steps" page not seen yet
    page.get_by_role("button", name="Next", exact=True).click()
    (done,) = page.evaluate("__probe.completes")
    assert (done["completed"], done["passed"], done["scoreRaw"]) == (True, None, None)


def test_language_from_the_lms_and_standalone_fallback(page, built):
    page.goto(built["welcome"].as_uri())
    start_module(page)
    page.evaluate("sessionStorage.setItem('probe-mode', 'fr')")
    page.reload()
    start_module(page)
    assert page.evaluate("localStorage.getItem('probe-exit')") == "false"  # left unfinished: suspend
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert page.locator(".ece-page:not([hidden]) h1").inner_text() == "Pourquoi c’est important"
    expect(page.locator("#ece-status")).to_have_text("Enregistrement différé (2)")
    page.evaluate("sessionStorage.setItem('probe-mode', 'none'); sessionStorage.removeItem('probe-state')")
    page.reload()
    start_module(page)
    notice = page.locator("#ece-notice")
    expect(notice).to_be_visible()
    assert notice.inner_text() == "No learning system found — your progress is saved in this browser only."
    assert page.evaluate("__probe.events") == []  # the standalone adapter took over


def test_texts_typed_but_not_blurred_are_recorded_when_the_page_is_left(page, built):
    page.goto(built["practice"].as_uri())
    start_module(page)
    page.get_by_role("textbox", name="Team code (optional, given by your facilitator)").fill("RED-1")
    assert events(page, "team-code") == []  # no "change" yet: the field still has focus
    page.reload()  # pagehide
    start_module(page)
    log = json.loads(page.evaluate("sessionStorage.getItem('probe-log')"))
    assert [e for e in log if e["type"] == "team-code"] == [{"type": "team-code", "code": "RED-1"}]
    page.get_by_role("navigation", name="Contents").get_by_role("link", name="Next steps").click()
    page.get_by_role("textbox", name="What is one action you can take this month?").fill("Invite a partner")
    page.reload()
    start_module(page)
    log = json.loads(page.evaluate("sessionStorage.getItem('probe-log')"))
    texts = [(e["interactionId"], e["response"]) for e in log if e.get("kind") == "text"]
    assert texts == [("r.first-action", "Invite a partner")]
    assert page.get_by_role("textbox", name="What is one action you can take this month?").input_value() == (
        "Invite a partner"
    )
    assert len([e for e in log if e["type"] == "team-code"]) == 1  # not sent again after the resume


def test_review_mode_reports_nothing(page, built):
    page.goto(built["welcome"].as_uri())
    start_module(page)
    page.evaluate("sessionStorage.setItem('probe-mode', 'review')")
    page.reload()
    start_module(page)
    page.get_by_role("button", name="Next", exact=True).click()
    page.get_by_role("textbox", name="What stood out for you?").fill("Looking back")
    page.get_by_role("button", name="Next", exact=True).click()
    assert page.evaluate("[__probe.events, __probe.states, __probe.completes]") == [[], [], []]


def test_exhausted_attempts_fail_the_module(page, built):
    page.goto(built["welcome"].as_uri())
    start_module(page)
    toc = page.get_by_role("navigation", name="Contents")
    toc.get_by_role("link", name="Watch and reflect").click()
    toc.get_by_role("link", name="Check your understanding").click()
    wrong = {
        "How many pillars are there?": ["Five"],
        "Which are pillars?": ["Budget"],
        "Engagement-capable environments are built on relationships.": ["True"],
    }
    answer_quiz(page, wrong)
    page.get_by_role("button", name="Try again").click()
    answer_quiz(page, wrong)
    # 1 of 3 right on the last of 2 attempts: failed, no retry, the module is finished with passed=false.
    result = page.locator(".ece-page:not([hidden]) [data-result]")
    assert result.inner_text() == "Your score: 33%. The pass mark is 67%. No attempts left."
    assert page.get_by_role("button", name="Try again").count() == 0
    (done,) = page.evaluate("__probe.completes")
    assert (done["completed"], done["passed"], done["scoreRaw"]) == (True, False, 33)
    assert [e["passed"] for e in events(page, "quiz-result")] == [False, False]


def test_status_states_the_waiting_count_once(page, built):
    page.goto(built["welcome"].as_uri())
    start_module(page)
    status = page.locator("#ece-status")
    expect(status).to_have_text("Saving later (2)")
    for message, pending, shown in (
        # xAPI outbox messages state the count themselves: "(3)" after them would say it twice.
        (
            "Connection problem: 3 records are waiting to be sent.",
            3,
            "Connection problem: 3 records are waiting to be sent.",
        ),
        # SCORM messages end with a colon for the count to follow.
        (
            "Your progress could not be saved; items waiting:",
            4,
            "Your progress could not be saved; items waiting: 4",
        ),
        ("Retry 12 failed", 2, "Retry 12 failed (2)"),  # "12" is not the count 2
        ("Saved again.", 0, "Saved again."),
    ):
        page.evaluate(
            "([m, n]) => __probe.status({level: 'warn', message: {en: m, fr: m}, pending: n})",
            [message, pending],
        )
        expect(status).to_have_text(shown)
