"""The player in Chromium from file:// (standalone adapter): navigation, quiz, resume, language, a11y."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ece_scorm.pipeline.render import render_module
from ece_scorm.source.course import load_course
from tests.support.browser import assert_axe_clean, pick_language, start_module

pytestmark = pytest.mark.browser
MINIMAL = Path(__file__).resolve().parents[1] / "fixtures" / "courses" / "minimal"
COURSE_ID = "https://example.org/courses/ece-mini"  # tests/fixtures/courses/minimal/course.yaml


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """Render the minimal course's modules as standalone packages on disk; return index.html per module."""
    course, _ = load_course(MINIMAL)
    out = {}
    for module in course.modules:
        root = tmp_path_factory.mktemp(module.id)
        for f in render_module(course, module, "standalone", course.languages):
            target = root / f.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(f.data)
        out[module.id] = root / "index.html"
    return out


@pytest.fixture()
def page(browser):
    """Give each test a fresh context (own localStorage) and one reusable page."""
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    context.set_default_timeout(5000)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    context.close()
    assert errors == [], f"JavaScript errors: {errors}"


def h1(page) -> str:
    return page.locator(".ece-page:not([hidden]) h1").inner_text()


def booted(page) -> None:
    start_module(page)


def next_(page, lang="en"):
    page.get_by_role("button", name="Next" if lang == "en" else "Suivant", exact=True).click()


def test_navigate_answer_resume_and_switch_language(page, built):
    page.goto(built["welcome"].as_uri())
    # MUST-style honesty: without an LMS the learner is told where progress lives.
    notice = page.locator("#ece-notice")
    assert notice.is_visible()
    assert notice.inner_text() == "No learning system found — your progress is saved in this browser only."
    booted(page)
    assert h1(page) == "Why it matters"
    # No dead control: Previous on the first page leads back to the landing screen.
    assert page.get_by_role("button", name="Previous", exact=True).is_enabled()
    toc = page.get_by_role("navigation", name="Contents")
    assert toc.locator("[aria-current=page]").inner_text() == "Why it matters"
    assert page.locator("#ece-progress-text").inner_text() == "Page 1 of 3 · 33% of pages seen"
    assert_axe_clean(page, "text page (en)")

    next_(page)
    assert h1(page) == "Watch and reflect"
    assert page.evaluate("document.activeElement.tagName") == "H1"
    assert page.title() == "Watch and reflect – Welcome to engagement-capable environments"
    # The hosted video cannot load here (no network): the player says so and opens the transcript.
    visible = page.locator(".ece-page:not([hidden])")
    expect(visible.locator("[data-video-error]")).to_be_visible()
    transcript = visible.locator("details.ece-transcript")
    expect(transcript).to_have_attribute("open", "")
    assert "three connected pillars" in transcript.inner_text()
    toggle = visible.locator("[data-action=transcript]")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    page.get_by_role("button", name="Hide transcript").click()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    assert transcript.get_attribute("open") is None
    page.get_by_role("button", name="Show transcript").click()
    expect(transcript).to_have_attribute("open", "")
    box = page.get_by_role("textbox", name="What stood out for you?")
    box.fill("Relationships first.")
    box.blur()
    assert page.locator(".ece-page:not([hidden]) .ece-counter").inner_text().startswith("20 of ")
    assert_axe_clean(page, "video + reflection page (en)")

    next_(page)
    assert h1(page) == "Check your understanding"
    assert page.locator(".ece-page:not([hidden]) [data-attempt]").inner_text() == "Attempt 1 of 2"
    check = page.get_by_role("button", name="Check", exact=True)
    check.first.click()  # nothing chosen yet
    page.wait_for_function("document.getElementById('ece-live').textContent === 'Choose an answer first.'")
    page.get_by_role("radio", name="Three").check()
    check.first.click()
    q1 = page.get_by_role("group", name="How many pillars are there?")
    shown = [line for line in q1.locator("[data-fb]").inner_text().split("\n") if line.strip()]
    assert shown == ["Correct.", "Yes, three pillars.", "Well done."]
    assert q1.get_by_role("radio", name="Two").is_disabled()
    # WCAG 2.4.3: focus stays on the (now inert) Check button rather than falling back to <body>.
    assert page.evaluate("document.activeElement.getAttribute('aria-disabled')") == "true"
    assert page.evaluate("document.activeElement.textContent") == "Check"
    page.wait_for_function("document.getElementById('ece-live').textContent.startsWith('Correct.')")
    q2 = page.get_by_role("group", name="Which are pillars?")
    q2.get_by_role("checkbox", name="Patient partners").check()  # incomplete: leadership missing
    q2.get_by_role("button", name="Check").click()
    assert q2.locator("[data-verdict]").inner_text() == "Incorrect."
    assert_axe_clean(page, "quiz page with feedback (en)")

    # Reload before finishing: everything so far comes back from localStorage.
    page.reload()
    booted(page)
    assert h1(page) == "Check your understanding"
    q1 = page.get_by_role("group", name="How many pillars are there?")
    assert q1.get_by_role("radio", name="Three").is_checked()
    assert q1.locator("[data-verdict]").inner_text() == "Correct."
    q2 = page.get_by_role("group", name="Which are pillars?")
    assert q2.get_by_role("checkbox", name="Patient partners").is_checked()
    assert not q2.get_by_role("checkbox", name="Leadership").is_checked()
    assert page.locator("#ece-progress-text").inner_text() == "Page 3 of 3 · 100% of pages seen"

    q3 = page.get_by_role("group", name=re.compile("built on relationships"))
    q3.get_by_role("radio", name="True").check()
    q3.get_by_role("button", name="Check").click()
    # 2 of 3 right = 67%, pass mark 67% (fixture) -> passed.
    result = page.locator(".ece-page:not([hidden]) [data-result]")
    assert result.inner_text() == "Your score: 67%. The pass mark is 67%: passed."
    stored = page.evaluate(f"localStorage.getItem('ece:{COURSE_ID}:welcome:result')")
    assert json.loads(stored)["completed"] is True
    assert json.loads(stored)["passed"] is True
    assert json.loads(stored)["scoreRaw"] == 67

    # Switch language: same page, same answers, French interface.
    page.get_by_label("Language / Langue").select_option("fr")
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert h1(page) == "Vérifiez votre compréhension"
    assert page.get_by_role("button", name="Précédent", exact=True).is_enabled()
    assert page.get_by_role("button", name="Suivant", exact=True).is_enabled()  # to the closing screen
    fq1 = page.get_by_role("group", name="Combien y a-t-il de piliers?")
    assert fq1.get_by_role("radio", name="Trois").is_checked()
    assert fq1.locator("[data-verdict]").inner_text() == "Bonne réponse."
    fresult = page.locator(".ece-page:not([hidden]) [data-result]").inner_text()
    # French typography: no-break spaces before ":" and "%".
    assert fresult == "Votre résultat\u00a0: 67\u00a0%. Le seuil de réussite est de 67\u00a0%\u00a0: réussi."
    assert_axe_clean(page, "quiz page (fr)")
    page.get_by_role("button", name="Précédent", exact=True).click()
    fbox = page.get_by_role("textbox", name="Qu’est-ce qui vous a marqué?")
    assert fbox.input_value() == "Relationships first."
    assert_axe_clean(page, "video + reflection page (fr)")
    ftoc = page.get_by_role("navigation", name="Table des matières")
    ftoc.get_by_role("link", name="Pourquoi c’est important").click()
    assert h1(page) == "Pourquoi c’est important"
    assert_axe_clean(page, "text page (fr)")

    # The language choice is part of the resume state.
    page.reload()
    booted(page)
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert h1(page) == "Pourquoi c’est important"


def test_self_assessment_flow_and_summary(page, built):
    page.goto(built["practice"].as_uri())
    booted(page)
    assert h1(page) == "Your setting"
    page.get_by_role("textbox", name="Team code (optional, given by your facilitator)").fill("BLUE-7")
    choice = page.get_by_role("group", name="Which pillar best fits your role?")
    choice.get_by_role("radio", name="Leadership").check()
    intro = page.get_by_text("Take stock of how engagement shows up in your own work.")
    assert intro.is_visible()
    assert page.locator("#ece-progress-text").inner_text().endswith("Step 1 of 5")  # 7 steps, 2 not chosen
    assert_axe_clean(page, "self-assessment start (en)")
    next_(page)
    # Only the chosen pillar is assessed, and steps count only the learner's own (intro, pillar,
    # reflections, plan, summary): no jump from "Step 1" to "Step 4".
    assert page.locator(".ece-page:not([hidden]) .ece-sa-step:not([hidden]) h2").inner_text() == "Leadership"
    assert page.locator("#ece-progress-text").inner_text().endswith("Step 2 of 5")
    # The page's introduction is not repeated above every step; the page title stays.
    assert intro.is_hidden() and h1(page) == "Your setting"
    assert page.evaluate("document.activeElement.textContent") == "Leadership"
    page.get_by_role("group", name="Leaders champion engagement.").get_by_role("radio", name="Yes").check()
    page.get_by_role("group", name="Engagement has a budget.").get_by_role("radio", name="Unknown").check()
    assert_axe_clean(page, "self-assessment items (en)")
    next_(page)
    page.get_by_role("textbox", name="What surprised you?").fill("How much we already do.")
    assert_axe_clean(page, "self-assessment reflections (en)")
    next_(page)
    page.get_by_role("textbox", name="One key strength").fill("Leaders who listen.")
    page.get_by_role("textbox", name="Who will lead it?").fill("Our manager")
    page.keyboard.press("Tab")
    assert_axe_clean(page, "self-assessment plan (en)")
    next_(page)
    assert page.locator("#ece-progress-text").inner_text().endswith("Step 5 of 5")
    summary = page.locator(".ece-page:not([hidden]) [data-summary]")
    text = summary.inner_text()
    assert "Team code\nBLUE-7" in text
    # Every item numbered in source order across the tool (partners 1-2, teams 3-4, leadership 5-6).
    assert "5.\nLeaders champion engagement.\nYes" in text
    assert "6.\nEngagement has a budget.\nUnknown" in text
    assert "Patient partners" not in text  # pillar not chosen
    assert "Leaders who listen." in text and "Our manager" in text
    assert page.get_by_role("button", name="Print or save as PDF").is_visible()
    assert_axe_clean(page, "self-assessment summary (en)")
    page.emulate_media(media="print")  # the printout is the summary, without the player's chrome
    # One title on paper: the tool's, not the header's course and module titles nor the page's <h1>.
    assert summary.is_visible() and page.locator(".ece-page:not([hidden]) .ece-print-title").is_visible()
    assert (
        page.locator(".ece-module-title").is_hidden()
        and page.locator(".ece-page:not([hidden]) h1").is_hidden()
    )
    for chrome in ("#ece-toc", ".ece-pager", ".ece-progress", "#ece-notice", "#ece-lang"):
        assert page.locator(chrome).is_hidden(), chrome
    assert page.get_by_role("button").count() == 0
    assert intro.is_hidden()  # the printout starts with the summary, not the page's introduction
    page.emulate_media(media="screen")

    page.reload()
    booted(page)  # a language chosen before the player starts would be reset by the saved state
    pick_language(page, "fr")  # the French pages arrive on demand
    ftext = page.locator(".ece-page:not([hidden]) [data-summary]").inner_text()
    assert "Code d’équipe\nBLUE-7" in ftext
    assert "5.\nLes leaders défendent l’engagement.\nOui" in ftext
    assert_axe_clean(page, "self-assessment summary (fr)")
    page.get_by_role("button", name="Précédent", exact=True).click()
    page.get_by_role("button", name="Précédent", exact=True).click()
    page.get_by_role("button", name="Précédent", exact=True).click()
    group = page.get_by_role("group", name="L’engagement a un budget.")
    assert group.get_by_role("radio", name="Je ne sais pas").is_checked()
    assert_axe_clean(page, "self-assessment items (fr)")
    page.get_by_role("button", name="Précédent", exact=True).click()
    start = page.get_by_role("group", name="Quel pilier correspond le mieux à votre rôle\u00a0?")
    assert start.get_by_role("radio", name="Leadership").is_checked()
    assert page.get_by_role("textbox", name=re.compile("^Code d’équipe")).input_value() == "BLUE-7"
    assert_axe_clean(page, "self-assessment start (fr)")


def test_reflows_at_320px_and_reads_without_javascript(browser, built):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    pg = context.new_page()
    try:
        pg.goto(built["welcome"].as_uri())
        start_module(pg)
        # Small screens: the contents start collapsed so the page comes first; a link closes them again.
        toc = pg.get_by_role("navigation", name="Contents")
        assert not toc.get_by_role("link", name="Check your understanding").is_visible()
        toc.locator("summary").click()
        toc.get_by_role("link", name="Check your understanding").click()
        assert h1(pg) == "Check your understanding"
        assert not toc.get_by_role("link", name="Why it matters").is_visible()
        pg.get_by_role("button", name="Previous", exact=True).click()
        pg.get_by_role("button", name="Previous", exact=True).click()
        assert h1(pg) == "Why it matters"
        # WCAG 2.4.7: keyboard focus is visible (outline drawn by the theme).
        pg.get_by_role("button", name="Next", exact=True).focus()
        pg.keyboard.press("Shift+Tab")
        pg.keyboard.press("Tab")
        style = pg.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert pg.evaluate("document.activeElement.textContent") == "Next" and style == "solid"
        for _ in range(4):  # WCAG 1.4.10: no horizontal scrolling at 320 CSS px, closing screen included
            assert pg.evaluate("document.documentElement.scrollWidth") <= 320, pg.title()
            if pg.get_by_role("button", name="Next", exact=True).is_visible():
                next_(pg)
        assert pg.evaluate("ECE.player.view()") == "end"
    finally:
        context.close()
    context = browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    try:
        pg.goto(built["welcome"].as_uri())
        # Without JS the page links to the whole module, every page of every language as one document.
        pg.get_by_role("link", name="Open the whole module as one page.").click()
        assert pg.locator("h1").count() == 8  # the landing and 3 pages, in 2 languages
        assert pg.locator("h1:visible").count() == 8
    finally:
        context.close()


def test_scorm_package_without_an_lms_falls_back_to_this_browser(browser, tmp_path):
    course, _ = load_course(MINIMAL)
    for f in render_module(course, course.module("welcome"), "scorm12", course.languages):
        (tmp_path / f.path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / f.path).write_bytes(f.data)
    context = browser.new_context()
    pg = context.new_page()
    try:
        pg.goto((tmp_path / "index.html").as_uri())
        # While the SCORM adapter looks for an API (MUST 15: a few seconds) the learner sees the landing only.
        assert pg.locator("h1:visible").all_inner_texts() == ["Welcome to engagement-capable environments"]
        expect(pg.locator("#ece-notice")).to_have_text(
            "No learning system found — your progress is saved in this browser only.", timeout=10000
        )
        start_module(pg)
        next_(pg)
        assert h1(pg) == "Watch and reflect"
    finally:
        context.close()


def test_blocked_storage_is_told_to_the_learner(browser, built):
    context = browser.new_context()
    context.add_init_script(
        "Object.defineProperty(window, 'localStorage',"
        " {get() { throw new DOMException('denied', 'SecurityError'); }});"
    )
    pg = context.new_page()
    try:
        pg.goto(built["welcome"].as_uri())
        expect(pg.locator("#ece-status")).to_have_text(
            "This browser does not allow saving: your progress will be lost when you close the page."
        )
        pg.get_by_label("Language / Langue").select_option("fr")
        expect(pg.locator("#ece-status")).to_have_text(
            "Ce navigateur ne permet pas l’enregistrement\u00a0: votre progression sera perdue "
            "à la fermeture de la page."
        )
        start_module(pg)  # the course still works
        pg.get_by_role("button", name="Suivant", exact=True).click()
        assert h1(pg) == "Regarder et réfléchir"
    finally:
        context.close()


def test_quiz_works_with_the_keyboard_alone(page, built):
    page.goto(built["welcome"].as_uri())
    booted(page)
    toc = page.get_by_role("navigation", name="Contents")
    toc.get_by_role("link", name="Check your understanding").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.tagName") == "H1"
    for _ in range(4):  # intro paragraph has no link: h1 -> first radio group
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "radio":
            break
    page.keyboard.press("ArrowDown")  # Two -> Three
    assert page.get_by_role("radio", name="Three").is_checked()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_function("document.getElementById('ece-live').textContent.startsWith('Correct.')")
    page.keyboard.press("Tab")  # next question's first checkbox
    page.keyboard.press("Space")
    assert page.get_by_role("checkbox", name="Patient partners").is_checked()
