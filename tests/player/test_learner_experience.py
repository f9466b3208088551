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
from tests.support.browser import assert_axe_clean

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


def test_last_page_says_what_remains_then_that_the_module_failed(context, built):
    page = context.new_page()
    page.goto(built["welcome"].as_uri())
    toc = page.get_by_role("navigation", name="Contents")
    toc.get_by_role("link", name="Check your understanding").click()
    panel = page.get_by_role("region", name="Your progress in this module")
    lines = [x for x in panel.inner_text().split("\n") if x.strip()]
    assert lines == [
        "Your progress in this module",
        "To complete this module:",
        "Visit the pages you have not seen yet:",
        "Watch and reflect",
        "Finish the knowledge check “Welcome check”.",
    ]
    assert_axe_clean(page, "completion panel, incomplete (en)")
    panel.get_by_role("link", name="Watch and reflect").click()
    assert h1(page) == "Watch and reflect"
    assert panel.is_hidden()  # neither the last page nor complete: nothing to say yet
    page.get_by_role("button", name="Next", exact=True).click()
    assert "Visit the pages" not in panel.inner_text()
    first = page.get_by_role("group", name="How many pillars are there?")
    first.get_by_role("button", name="Check").click()  # nothing chosen yet: shown, not only announced
    assert first.locator("[data-fb]").inner_text() == "Choose an answer first."
    first.get_by_role("radio", name="Two").check()
    assert first.locator("[data-fb]").is_hidden()
    answer_all(page, WRONG)  # 0 % < 67 %: one attempt left, the quiz is still to finish
    assert "Finish the knowledge check “Welcome check”." in panel.inner_text()
    page.get_by_role("button", name="Try again").click()
    answer_all(page, WRONG)  # no attempts left: the module is finished, not passed
    verdict = (
        "You have finished this module but did not pass: your score is 0%, the pass mark is 67% "
        "and no attempts are left."
    )
    assert panel.locator("p").all_inner_texts() == [verdict]
    live_text(page, verdict)  # said once with the question's feedback, not instead of it
    assert page.locator("#ece-live").inner_text().startswith("Incorrect.")
    assert_axe_clean(page, "completion panel, failed (en)")
    page.get_by_label("Language / Langue").select_option("fr")
    fpanel = page.get_by_role("region", name="Votre progression dans ce module")
    assert fpanel.locator("p").all_inner_texts() == [
        "Vous avez terminé ce module sans le réussir\u00a0: votre résultat est de 0\u00a0%, le seuil de "
        "réussite est de 67\u00a0% et il ne reste aucune tentative."
    ]
    assert_axe_clean(page, "completion panel, failed (fr)")
    page.get_by_role("button", name="Précédent", exact=True).click()
    assert fpanel.is_visible()  # once finished, every page says so


def test_passing_the_last_requirement_says_passed_in_both_languages(context, built):
    page = context.new_page()
    page.goto(built["welcome"].as_uri())
    page.get_by_label("Language / Langue").select_option("fr")
    for _ in range(2):
        page.get_by_role("button", name="Suivant", exact=True).click()
    page.get_by_label("Language / Langue").select_option("en")
    answer_all(page, RIGHT)
    panel = page.get_by_role("region", name="Your progress in this module")
    assert panel.locator("p").all_inner_texts() == [
        "You have completed this module and passed, with a score of 100%."
    ]
    live_text(page, "You have completed this module and passed, with a score of 100%.")
    page.get_by_label("Language / Langue").select_option("fr")
    fpanel = page.get_by_role("region", name="Votre progression dans ce module")
    assert fpanel.locator("p").all_inner_texts() == [
        "Vous avez terminé ce module et l’avez réussi, avec un résultat de 100\u00a0%."
    ]
    # After Check the inputs are disabled (greyed by Chromium): the learner's own choice stays legible.
    group = page.get_by_role("group", name="Combien y a-t-il de piliers?")
    weight = "el => getComputedStyle(el.labels[0]).fontWeight"
    assert group.get_by_role("radio", name="Trois").evaluate(weight) == "700"
    assert group.get_by_role("radio", name="Deux").evaluate(weight) == "400"


def test_self_assessment_alone_has_no_contents_and_counts_its_steps(context, built):
    page = context.new_page()
    page.goto(built["self-check"].as_uri())
    assert page.get_by_role("navigation", name="Contents").count() == 0  # one page: nothing to navigate
    assert page.get_by_role("heading", name="Self-assessment", exact=True).count() == 1  # not h1 + h2
    assert page.locator("#ece-progress-text").inner_text() == "Step 1 of 7"  # no pillar chosen: all 3
    panel = page.get_by_role("region", name="Your progress in this module")
    assert "Go through the self-assessment to its summary." in panel.inner_text()
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
    assert panel.locator("p").all_inner_texts() == ["You have completed this module."]
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
        pg.goto(built["welcome"].as_uri())
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
        # The contents stack above the page (collapsed) instead of squeezing it into half the width.
        toc = page.get_by_role("navigation", name="Contents").bounding_box()
        main = page.get_by_role("main").bounding_box()
        assert toc["y"] + toc["height"] <= main["y"] and main["width"] > 560, (toc, main)
        assert not page.get_by_role("link", name="Next steps").is_visible()
        assert page.evaluate("getComputedStyle(document.documentElement).scrollBehavior") == "auto"
        for _ in range(12):
            assert page.evaluate("document.documentElement.scrollWidth") <= 640, page.title()
            nxt = page.get_by_role("button", name="Next", exact=True)
            if not nxt.is_enabled():
                break
            nxt.click()
        assert h1(page) == "Next steps"
        assert_axe_clean(page, "200 % zoom, last page")
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
    assert frame.locator(".ece-page:not([hidden]) h1").inner_text() == "Pourquoi c’est important"
    assert frame.get_by_role("button", name="Suivant", exact=True).is_enabled()
    # Saved like a choice made after the start: the next launch opens in French.
    page.reload()
    expect(frame.locator("#ece-notice")).to_be_visible(timeout=10000)
    assert frame.locator(".ece-page:not([hidden]) h1").inner_text() == "Pourquoi c’est important"
