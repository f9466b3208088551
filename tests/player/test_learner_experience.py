"""Learner-experience fixes in Chromium (file://, standalone), by role and name, axe clean.

Completion feedback, a self-assessment on its own, one transcript control, legible checked answers,
reduced motion and 200 % zoom.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ece_scorm.pipeline.render import render_module
from ece_scorm.source.course import load_course
from tests.support.browser import assert_axe_clean, start_module

pytestmark = pytest.mark.browser
MINIMAL = Path(__file__).resolve().parents[1] / "fixtures" / "courses" / "minimal"
# tests/fixtures/courses/minimal/quizzes/welcome-check.yaml: pass mark 67 %, 2 attempts, 3 questions.
WRONG = {
    "How many pillars are there?": ("radio", "Two"),
    "Which are pillars?": ("checkbox", "Budget"),
    "built on relationships": ("radio", "False"),
}
RIGHT = {
    "How many pillars are there?": ("radio", "Three"),
    "Which are pillars?": ("checkbox", "Leadership"),
    "built on relationships": ("radio", "True"),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """Render the minimal course's modules as standalone packages; return index.html per module."""
    course, _ = load_course(MINIMAL)
    out = {}
    for module in course.modules:
        root = tmp_path_factory.mktemp(module.id)
        for f in render_module(course, module, "standalone", course.languages):
            (root / f.path).parent.mkdir(parents=True, exist_ok=True)
            (root / f.path).write_bytes(f.data)
        out[module.id] = root / "index.html"
    return out


@pytest.fixture()
def context(browser):
    """Give each test its own context (own localStorage); fail on any JavaScript error."""
    ctx = browser.new_context(viewport={"width": 1100, "height": 900})
    ctx.set_default_timeout(5000)
    errors: list[str] = []
    ctx.on("weberror", lambda e: errors.append(str(e.error)))
    yield ctx
    ctx.close()
    assert errors == [], f"JavaScript errors: {errors}"


def h1(page) -> str:
    return page.locator(".ece-page:not([hidden]) h1").inner_text()


def answer_all(page, answers: dict[str, tuple[str, str]]) -> None:
    for question, (role, choice) in answers.items():
        group = page.get_by_role("group", name=re.compile(re.escape(question)))
        group.get_by_role(role, name=choice, exact=True).check()
        if choice == "Leadership":  # the right answer to "Which are pillars?" is two boxes
            group.get_by_role("checkbox", name="Patient partners").check()
        group.get_by_role("button", name="Check").click()


def live_text(page, expected: str) -> None:
    page.wait_for_function("t => document.getElementById('ece-live').textContent.includes(t)", arg=expected)


@pytest.mark.xfail(
    reason="intermittent since the lazy-pages merge: after a language switch on the closing screen, the "
    "verdict line is not shown on the French page reached with Previous (player/completion.js repaint); "
    "every other assertion of this test holds",
    strict=False,
)
def test_closing_screen_says_what_remains_then_that_the_module_failed(context, built):
    page = context.new_page()
    page.goto(built["welcome"].as_uri())
    start_module(page)
    toc = page.get_by_role("navigation", name="Contents")
    toc.get_by_role("link", name="Check your understanding").click()
    page.get_by_role("button", name="Next", exact=True).click()  # past the last page: the closing screen
    end = page.get_by_role("region", name="End of the module")
    panel = end.locator("#ece-completion")
    lines = [x for x in panel.inner_text().split("\n") if x.strip()]
    assert lines == [
        "To complete this module:",
        "Visit the pages you have not seen yet:",
        "Watch and reflect",
        "Finish the knowledge check “Welcome check”.",
    ]
    # What was recorded, and what comes next: the following module of tests/fixtures/courses/minimal.
    assert end.locator("[data-recorded]").inner_text().startswith("What was recorded: nothing was sent")
    assert (
        end.locator("[data-next] p").first.inner_text()
        == "Next in the series: “Putting it into practice”, about 10 min."
    )
    assert end.get_by_role("button", name="Next", exact=True).count() == 0  # no dead control
    assert_axe_clean(page, "closing screen, incomplete (en)")
    panel.get_by_role("link", name="Watch and reflect").click()
    assert h1(page) == "Watch and reflect"
    assert end.is_hidden()
    page.get_by_role("button", name="Next", exact=True).click()
    first = page.get_by_role("group", name="How many pillars are there?")
    first.get_by_role("button", name="Check").click()  # nothing chosen yet: shown, not only announced
    assert first.locator("[data-fb]").inner_text() == "Choose an answer first."
    first.get_by_role("radio", name="Two").check()
    assert first.locator("[data-fb]").is_hidden()
    answer_all(page, WRONG)  # 0 % < 67 %: one attempt left, the quiz is still to finish
    page.get_by_role("button", name="Try again").click()
    answer_all(page, WRONG)  # no attempts left: the module is finished, not passed
    verdict = (
        "You have finished this module but did not pass: your score is 0%, the pass mark is 67% "
        "and no attempts are left."
    )
    line = page.locator("[data-verdict-line]")  # once finished, every page says so
    assert line.inner_text() == verdict
    live_text(page, verdict)  # said once with the question's feedback, not instead of it
    assert page.locator("#ece-live").inner_text().startswith("Incorrect.")
    page.get_by_role("button", name="Next", exact=True).click()
    assert panel.locator("p").all_inner_texts() == [verdict]
    assert_axe_clean(page, "closing screen, failed (en)")
    page.get_by_label("Language / Langue").select_option("fr")
    fend = page.get_by_role("region", name="Fin du module")
    assert fend.locator("#ece-completion p").all_inner_texts() == [
        "Vous avez terminé ce module sans le réussir\u00a0: votre résultat est de 0\u00a0%, le seuil de "
        "réussite est de 67\u00a0% et il ne reste aucune tentative."
    ]
    assert_axe_clean(page, "closing screen, failed (fr)")
    page.get_by_role("button", name="Précédent", exact=True).click()
    assert line.is_visible() and line.inner_text().startswith("Vous avez terminé ce module")


def test_passing_the_last_requirement_says_passed_in_both_languages(context, built):
    page = context.new_page()
    page.goto(built["welcome"].as_uri())
    start_module(page)
    page.get_by_label("Language / Langue").select_option("fr")
    for _ in range(2):
        page.get_by_role("button", name="Suivant", exact=True).click()
    page.get_by_label("Language / Langue").select_option("en")
    answer_all(page, RIGHT)
    line = page.locator("[data-verdict-line]")
    assert line.inner_text() == "You have completed this module and passed, with a score of 100%."
    live_text(page, "You have completed this module and passed, with a score of 100%.")
    page.get_by_label("Language / Langue").select_option("fr")
    assert (
        line.inner_text() == "Vous avez terminé ce module et l’avez réussi, avec un résultat de 100\u00a0%."
    )
    # After Check the inputs are disabled (greyed by Chromium): the learner's own choice stays legible.
    group = page.get_by_role("group", name="Combien y a-t-il de piliers?")
    weight = "el => getComputedStyle(el.labels[0]).fontWeight"
    assert group.get_by_role("radio", name="Trois").evaluate(weight) == "700"
    assert group.get_by_role("radio", name="Deux").evaluate(weight) == "400"


def test_self_assessment_alone_has_no_contents_and_counts_its_steps(context, built):
    page = context.new_page()
    page.goto(built["self-check"].as_uri())
    assert page.get_by_role("navigation", name="Contents").count() == 0  # one page: nothing to navigate
    landing = page.get_by_role("region", name="Self-assessment")
    assert "Go through the self-assessment to its summary." in landing.inner_text()
    assert_axe_clean(page, "self-assessment module landing (en)")
    start_module(page)
    assert page.get_by_role("heading", name="Self-assessment", exact=True).count() == 1  # not h1 + h2
    assert page.locator("#ece-progress-text").inner_text() == "Step 1 of 7"  # no pillar chosen: all 3
    assert_axe_clean(page, "self-assessment module start (en)")
    start = page.get_by_role("group", name="Which pillar best fits your role?")
    others = page.get_by_role("group", name="Other pillars you want to assess (optional)")
    assert others.get_by_role("checkbox").count() == 3
    start.get_by_role("radio", name="Leadership").check()
    # The chosen pillar is not offered again among the others.
    assert [c.get_attribute("value") for c in others.get_by_role("checkbox").all()] == ["partners", "teams"]
    assert page.locator("#ece-progress-text").inner_text() == "Step 1 of 5"
    for step in range(2, 6):
        page.get_by_role("button", name="Next", exact=True).click()
        assert page.locator("#ece-progress-text").inner_text() == f"Step {step} of 5"
    assert page.get_by_role("progressbar").evaluate("el => el.value") == 100
    assert page.locator("[data-verdict-line]").inner_text() == "You have completed this module."
    # Reaching for the language picker fetches the other language, so the switch below is instant.
    page.get_by_label("Language / Langue").focus()
    page.wait_for_function("() => !!(window.ECE_PAGES && ECE_PAGES.fr)")
    # A page just shown is rendered at once (no content-visibility skipping after start): its text reads
    # in the same task as the switch, as scripts and assistive tools read it.
    said = page.evaluate("""() => { const sel = document.getElementById('ece-lang'); sel.value = 'fr';
        sel.dispatchEvent(new Event('change', {bubbles: true}));
        return document.querySelector('.ece-page:not([hidden]) [data-summary]').innerText; }""")
    assert "Leadership" in said and "5.\nLes leaders défendent l’engagement.\nSans réponse" in said
    assert page.locator("#ece-progress-text").inner_text() == "Étape 5 sur 5"
    assert_axe_clean(page, "self-assessment module summary (fr)")


def test_a_transcript_has_one_control_with_or_without_javascript(browser, context, built):
    page = context.new_page()
    page.goto(built["welcome"].as_uri())
    start_module(page)
    page.get_by_role("button", name="Next", exact=True).click()
    box = page.locator(".ece-page:not([hidden]) [data-video]")
    # The hosted video cannot load here, so the player opened the transcript: one button names the action.
    expect(box.get_by_role("button", name="Hide transcript")).to_be_visible()  # after the load error
    assert box.get_by_role("button").all_inner_texts() == ["Hide transcript"]
    assert box.locator("summary").is_hidden()
    box.get_by_role("button", name="Hide transcript").click()
    assert box.get_by_text("three connected pillars").is_hidden()
    assert box.locator("details").is_hidden()  # no empty framed box left behind
    box.get_by_role("button", name="Show transcript").click()
    assert box.get_by_text("three connected pillars").is_visible()
    nojs = browser.new_context(java_script_enabled=False)
    try:
        pg = nojs.new_page()
        pg.goto(built["welcome"].with_name("module.html").as_uri())
        video = pg.locator("section[lang=en] [data-video]")
        assert pg.get_by_role("button").count() == 0  # without the player no button would do anything
        assert pg.get_by_role("combobox").count() == 0  # nor a language picker: both languages are shown
        video.locator("summary").click()
        assert video.get_by_text("three connected pillars").is_visible()
    finally:
        nojs.close()


def test_reduced_motion_and_200_percent_zoom(browser, built):
    # WCAG 1.4.4 / 1.4.10: 200 % zoom of a 1280 px window is a 640 CSS px viewport at twice the pixels.
    ctx = browser.new_context(
        viewport={"width": 640, "height": 450}, device_scale_factor=2, reduced_motion="reduce"
    )
    try:
        page = ctx.new_page()
        page.goto(built["practice"].as_uri())
        start_module(page)
        # The contents stack above the page (collapsed) instead of squeezing it into half the width.
        toc = page.get_by_role("navigation", name="Contents").bounding_box()
        main = page.get_by_role("main").bounding_box()
        assert toc["y"] + toc["height"] <= main["y"] and main["width"] > 560, (toc, main)
        assert not page.get_by_role("link", name="Next steps").is_visible()
        assert page.evaluate("getComputedStyle(document.documentElement).scrollBehavior") == "auto"
        seen = []
        for _ in range(12):
            assert page.evaluate("document.documentElement.scrollWidth") <= 640, page.title()
            nxt = page.get_by_role("button", name="Next", exact=True)
            if not nxt.is_visible():
                break
            seen.append(page.locator("main h1:visible").inner_text())
            nxt.click()
        assert (
            seen[-1] == "Next steps" and page.locator("main h1:visible").inner_text() == "End of the module"
        )
        assert_axe_clean(page, "200 % zoom, closing screen")
    finally:
        ctx.close()


def test_a_language_picked_while_the_player_looks_for_an_lms_is_kept(context, tmp_path):
    course, _ = load_course(MINIMAL)
    for f in render_module(course, course.module("welcome"), "scorm12", course.languages):
        (tmp_path / f.path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / f.path).write_bytes(f.data)
    # Framed like in an LMS that has no API: the SCORM adapter searches for a few seconds (MUST 15).
    (tmp_path / "lms.html").write_text(
        '<!DOCTYPE html><html lang="en"><title>LMS</title>'
        '<iframe src="index.html" title="Course" width="1000" height="800"></iframe></html>'
    )
    page = context.new_page()
    page.goto((tmp_path / "lms.html").as_uri())
    frame = page.frame_locator("iframe")
    frame.get_by_label("Language / Langue").select_option("fr")  # the picker works meanwhile
    course_frame = page.frames[1]
    assert course_frame.evaluate("!ECE.player.state()"), "the player started before the language was picked"
    expect(frame.locator("#ece-notice")).to_be_visible(timeout=10000)
    assert frame.get_by_role("button", name="Commencer", exact=True).is_visible()  # the landing, in French
    start_module(course_frame)
    assert frame.locator(".ece-page:not([hidden]) h1").inner_text() == "Pourquoi c’est important"
    assert frame.get_by_role("button", name="Suivant", exact=True).is_enabled()
    # Saved like a choice made after the start: the next launch opens in French.
    page.reload()
    expect(frame.locator("#ece-notice")).to_be_visible(timeout=10000)
    start_module(page.frames[1])
    assert frame.locator(".ece-page:not([hidden]) h1").inner_text() == "Pourquoi c’est important"
