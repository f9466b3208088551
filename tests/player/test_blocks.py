"""The interactive blocks in Chromium, as a learner uses them: by keyboard, found by role and name, in both
languages, axe-clean at 1280 and 320 px; the scenario's choice recorded and restored (standalone, SCORM 1.2).

The course is tests/fixtures/courses/blocks (one module, every block once); expected texts come from its YAML.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ece_scorm.pipeline.render import render_module
from ece_scorm.source.course import load_course
from tests.support.browser import assert_axe_clean, start_module
from tests.support.scorm_host import close_course, extract_package, launch
from tests.support.scorm_learner import wait_for_player

pytestmark = pytest.mark.browser
BLOCKS = Path(__file__).resolve().parents[1] / "fixtures" / "courses" / "blocks"
PAGES = {
    "en": ["Reveal and compare", "Cards and steps", "Explore and read more", "Decide"],
    "fr": ["Révéler et comparer", "Cartes et étapes", "Explorer et en savoir plus", "Décider"],
}


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> Path:
    """Render the blocks course as a standalone package on disk; return its index.html."""
    course, _ = load_course(BLOCKS)
    root = tmp_path_factory.mktemp("blocks")
    for f in render_module(course, course.modules[0], "standalone", course.languages):
        target = root / f.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(f.data)
    return root / "index.html"


@pytest.fixture()
def page(browser):
    """A fresh context (own localStorage) per test; JavaScript errors fail the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(5000)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    context.close()
    assert errors == [], f"JavaScript errors: {errors}"


def open_module(page, index: Path, lang: str = "en") -> None:
    page.goto(index.as_uri())
    start_module(page)  # past the landing screen, as a learner
    if lang != "en":
        switch_lang(page, lang)


def switch_lang(page, lang: str) -> None:
    """Pick a language as a learner does; its pages arrive on demand, so wait for the shown page in it."""
    page.get_by_label("Language / Langue").select_option(lang)
    page.wait_for_function(f"document.documentElement.lang === '{lang}'")
    expect(page.locator(f'.ece-page[lang="{lang}"]:not([hidden])')).to_be_visible()


def go_to(page, n: int, lang: str = "en") -> None:
    """Open page n (0-based) from the contents, as a learner does."""
    page.get_by_role("navigation", name="Contents" if lang == "en" else "Table des matières").get_by_role(
        "link", name=PAGES[lang][n], exact=True
    ).click()
    expect(page.locator(".ece-page:not([hidden]) h1")).to_have_text(PAGES[lang][n])


def shown(page):
    return page.locator(".ece-page:not([hidden])")


def focused_text(page) -> str:
    return page.evaluate("document.activeElement.textContent.trim()")


def test_accordion_opens_and_closes_by_keyboard(page, index):
    open_module(page, index)
    btn = shown(page).get_by_role("button", name="Will I be paid?")
    panel = shown(page).get_by_text("Recognition follows the way of engaging.")
    expect(btn).to_have_attribute("aria-expanded", "false")
    expect(panel).to_be_hidden()
    btn.focus()
    page.keyboard.press("Enter")
    expect(btn).to_have_attribute("aria-expanded", "true")
    expect(panel).to_be_visible()
    page.keyboard.press("Space")
    expect(btn).to_have_attribute("aria-expanded", "false")
    expect(panel).to_be_hidden()
    # The other section is independent.
    expect(shown(page).get_by_text("The team says so at the start.")).to_be_hidden()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_tabs_follow_arrow_keys_home_and_end(page, index, lang):
    names = {"en": ["Inform", "Consult", "Lead"], "fr": ["Informer", "Consulter", "Diriger"]}[lang]
    bodies = {
        "en": [
            "Partners receive clear information.",
            "Partners give feedback on a draft.",
            "Partners set the direction.",
        ],
        "fr": [
            "Les partenaires reçoivent une information claire.",
            "Les partenaires commentent une ébauche.",
            "Les partenaires fixent l’orientation.",
        ],
    }[lang]
    open_module(page, index, lang)
    tablist = shown(page).get_by_role("tablist", name="Two ways" if lang == "en" else "Deux façons")
    tabs = [tablist.get_by_role("tab", name=n, exact=True) for n in names]
    expect(tabs[0]).to_have_attribute("aria-selected", "true")
    expect(shown(page).get_by_role("tabpanel", name=names[0])).to_contain_text(bodies[0])
    tabs[0].focus()
    for key, at in (
        ("ArrowRight", 1),
        ("ArrowRight", 2),
        ("ArrowRight", 0),
        ("ArrowLeft", 2),
        ("Home", 0),
        ("End", 2),
    ):
        page.keyboard.press(key)
        expect(tabs[at]).to_be_focused()
        expect(tabs[at]).to_have_attribute("aria-selected", "true")
        for i, tab in enumerate(tabs):
            expect(shown(page).locator(f"#{tab.get_attribute('aria-controls')}")).to_be_visible(
                visible=i == at
            )
        expect(shown(page).get_by_role("tabpanel", name=names[at])).to_contain_text(bodies[at])
    # Only the selected tab is in the Tab order (APG): Tab leaves the tablist for the panel.
    assert [t.get_attribute("tabindex") for t in tabs] == ["-1", "-1", "0"]
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('role')") == "tabpanel"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_flip_cards_and_steps_by_keyboard(page, index, lang):
    fr = lang == "fr"
    open_module(page, index, lang)
    go_to(page, 1, lang)
    card = shown(page).get_by_role("button", name="Une façon est la meilleure" if fr else "One way is best")
    back = shown(page).get_by_text("Chaque façon a sa valeur." if fr else "Every way has value.")
    expect(back).to_be_hidden()
    card.focus()
    page.keyboard.press("Space")
    expect(card).to_have_attribute("aria-expanded", "true")
    expect(back).to_be_visible()
    assert "ece-flipped" in card.locator("xpath=..").get_attribute("class")

    steps = shown(page).locator("[data-steps]")
    at = steps.locator("[data-steps-at]")
    expect(at).to_have_text("Étape 1 sur 3" if fr else "Step 1 of 3")
    prev = steps.get_by_role("button", name="Étape précédente" if fr else "Previous step")
    nxt = steps.get_by_role("button", name="Étape suivante" if fr else "Next step")
    expect(prev).to_be_hidden()  # no control that cannot act
    nxt.focus()
    page.keyboard.press("Enter")
    expect(at).to_have_text("Étape 2 sur 3" if fr else "Step 2 of 3")
    assert focused_text(page) == ("Moment" if fr else "Timing")  # focus moves to the new step's heading
    # The shown step keeps its number in the ordered list (a hidden item would not be counted).
    assert steps.locator("ol > li:not([hidden])").get_attribute("value") == "2"
    expect(steps.get_by_text("Faites-le tôt." if fr else "Engage early.")).to_be_visible()
    expect(steps.get_by_text("Dites pourquoi" if fr else "Say why you engage.")).to_be_hidden()
    nxt.click()
    expect(at).to_have_text("Étape 3 sur 3" if fr else "Step 3 of 3")
    expect(nxt).to_be_hidden()
    prev.focus()
    page.keyboard.press("Enter")
    expect(at).to_have_text("Étape 2 sur 3" if fr else "Step 2 of 3")
    expect(nxt).to_be_visible()
    # Steps are an ordered list: the learner hears "1 of 3"-style list semantics too.
    assert steps.locator("ol > li").count() == 3


def test_hotspots_with_their_list_and_the_figure_in_each_language(page, index):
    open_module(page, index)
    go_to(page, 2)
    figure = shown(page).locator(".ece-hotspots")
    assert figure.get_by_role("img").get_attribute("src") == "media/compass.en.svg"
    markers = figure.get_by_role("group", name="Points to explore in the figure")
    north = markers.get_by_role("button", name="1. North")
    listed = figure.get_by_role("listitem").filter(has_text="North").get_by_role("button", name="North")
    body = figure.get_by_text("Where we are going.")
    expect(body).to_be_hidden()
    north.focus()
    page.keyboard.press("Enter")
    expect(body).to_be_visible()
    # The marker and its entry in the equivalent list are one disclosure.
    expect(north).to_have_attribute("aria-expanded", "true")
    expect(listed).to_have_attribute("aria-expanded", "true")
    listed.focus()
    page.keyboard.press("Enter")
    expect(body).to_be_hidden()
    expect(north).to_have_attribute("aria-expanded", "false")
    # Resource links: the DOI opens in a new window and says so; the address is a mail link.
    doi = shown(page).get_by_role("link", name="The article (opens in a new window)")
    assert doi.get_attribute("href") == "https://doi.org/10.12927/hcq.2018.25634"
    assert doi.get_attribute("target") == "_blank"
    assert (
        shown(page).get_by_role("link", name="Write to the team").get_attribute("href")
        == "mailto:team@example.org"
    )

    switch_lang(page, "fr")
    figure = shown(page).locator(".ece-hotspots")
    assert figure.get_by_role("img").get_attribute("src") == "media/compass.fr.svg"
    expect(
        figure.get_by_role("group", name="Points à explorer dans la figure").get_by_role(
            "button", name="1. Nord"
        )
    ).to_be_visible()
    expect(
        shown(page).get_by_role("link", name="L’article (s’ouvre dans une nouvelle fenêtre)")
    ).to_be_visible()


def choose_reopen(page, lang: str = "en") -> None:
    fr = lang == "fr"
    group = shown(page).get_by_role("group", name="Que faites-vous?" if fr else "What do you do?")
    group.get_by_role(
        "radio", name="Dire ce qui peut encore changer" if fr else "Say what can still change"
    ).check()
    group.get_by_role("button", name="Voir ce qui se passe" if fr else "See what happens").click()


def test_scenario_gives_feedback_and_comes_back_after_reload(page, index):
    open_module(page, index)
    go_to(page, 3)
    group = shown(page).get_by_role("group", name="What do you do?")
    see = group.get_by_role("button", name="See what happens")
    see.click()  # nothing chosen: shown and said, nothing recorded
    expect(group.get_by_text("Choose an answer first.")).to_be_visible()
    page.wait_for_function("document.getElementById('ece-live').textContent === 'Choose an answer first.'")
    assert page.evaluate("ECE.player.state().scenarios") == [-1]
    group.get_by_role("radio", name="Say what can still change").focus()
    page.keyboard.press("Space")
    see.click()
    feedback = shown(page).locator("[data-sc-fb]")
    expect(feedback).to_be_focused()
    expect(feedback).to_contain_text("Your choice: Say what can still change and invite the partner to that.")
    expect(feedback).to_contain_text("Honest about influence; the partner knows what to expect.")
    expect(feedback.get_by_text("The partner can only agree")).to_be_hidden()
    page.wait_for_function(
        "document.getElementById('ece-live').textContent.includes('Honest about influence')"
    )
    assert page.evaluate("ECE.player.state().scenarios") == [1]
    assert_axe_clean(page, "scenario with feedback (en, 1280 px)")

    page.reload()
    start_module(page)  # "Continue where you left off"
    expect(page.locator(".ece-page:not([hidden]) h1")).to_have_text("Decide")
    group = shown(page).get_by_role("group", name="What do you do?")
    expect(group.get_by_role("radio", name="Say what can still change")).to_be_checked()
    expect(shown(page).locator("[data-sc-fb]")).to_contain_text("Honest about influence")
    # The French copy holds the same choice.
    switch_lang(page, "fr")
    expect(shown(page).get_by_role("radio", name="Dire ce qui peut encore changer")).to_be_checked()
    expect(shown(page).locator("[data-sc-fb]")).to_contain_text(
        "Votre choix\u00a0: Dire ce qui peut encore changer"
    )

    shown(page).get_by_role("button", name="Essayer un autre choix").click()
    radios = shown(page).get_by_role("radio")
    expect(radios.first).to_be_focused()
    assert [r.is_checked() or r.is_disabled() for r in radios.all()] == [False, False, False]
    expect(shown(page).locator("[data-sc-fb]")).to_be_hidden()
    shown(page).get_by_role("radio", name="Se passer des partenaires").check()
    shown(page).get_by_role("button", name="Voir ce qui se passe").click()
    expect(shown(page).locator("[data-sc-fb]")).to_contain_text("Rien n’est simulé")
    assert page.evaluate("ECE.player.state().scenarios") == [2]


def test_scenario_inserted_after_boot_is_painted_and_works(page, index):
    """A page whose DOM is made later than boot (lazy pages) gets the restored choice and its behaviour."""
    open_module(page, index)
    go_to(page, 3)
    choose_reopen(page)
    page.evaluate(
        "() => { const s = document.getElementById('en-p-decide'); window._html = s.outerHTML; s.remove(); }"
    )
    page.evaluate("() => document.querySelector('main').insertAdjacentHTML('afterbegin', window._html)")
    fresh = page.locator("#en-p-decide")
    expect(fresh.get_by_role("radio", name="Say what can still change")).to_be_checked()
    expect(fresh.locator("[data-sc-fb]")).to_contain_text("Honest about influence")
    fresh.get_by_role("button", name="Try another choice").click()
    fresh.get_by_role("radio", name="Invite the partner for tomorrow.").check()
    fresh.get_by_role("button", name="See what happens").click()
    expect(fresh.locator("[data-sc-fb]")).to_contain_text("The partner can only agree")


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("width", [1280, 320])
def test_every_block_page_is_axe_clean_and_fits(page, index, lang, width):
    page.set_viewport_size({"width": width, "height": 800})
    open_module(page, index, lang)
    for n in range(4):
        if n:
            page.get_by_role("button", name="Next" if lang == "en" else "Suivant", exact=True).click()
            expect(page.locator(".ece-page:not([hidden]) h1")).to_have_text(PAGES[lang][n])
        # Everything open: closed panels are not checked by axe (hidden content).
        for btn in shown(page).locator("button[data-toggle][aria-expanded=false]").all():
            if btn.is_visible() and btn.get_attribute("aria-expanded") == "false":
                btn.click()
        if n == 3:
            choose_reopen(page, lang)
        assert_axe_clean(page, f"blocks page {n + 1} ({lang}, {width} px)")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"page {n + 1} scrolls sideways at {width} px ({lang})"


def test_without_javascript_every_panel_is_readable(browser, index):
    context = browser.new_context(java_script_enabled=False)
    try:
        pg = context.new_page()
        pg.goto(index.with_name("module.html").as_uri())  # index.html links the whole module for no-JS
        for text in (
            "Recognition follows the way of engaging.",
            "Partners set the direction.",
            "Every way has value.",
            "Tell partners what changed.",
            "Where we come from.",
        ):
            expect(pg.locator("section[lang=en]").get_by_text(text)).to_be_visible()
        expect(pg.locator("section[lang=en] [role=tablist]")).to_be_hidden()
    finally:
        context.close()


# ---------- SCORM 1.2 in scorm-again: the choice is an interaction and comes back at the next launch


@pytest.fixture(scope="module")
def lms(lms_server, tmp_path_factory):
    """Build the blocks course with the real CLI for both SCORM versions and serve it from the test LMS."""
    out = tmp_path_factory.mktemp("blocks-scorm")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "ece_scorm",
            "build",
            str(BLOCKS),
            "--format",
            "scorm12,scorm2004",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    for fmt, name in (("scorm12", "s12-blocks"), ("scorm2004", "s2004-blocks")):
        lms_server.add_package(name, extract_package(out / f"blocks-tour-{fmt}.zip", out / fmt))
    return lms_server


def test_scorm12_records_the_choice_as_an_interaction_and_restores_it(lms, lms_page, learner_key):
    lms.learner(learner_key)
    frame = launch(lms_page, lms, "12", "s12-blocks", learner_key)
    wait_for_player(frame)
    frame.get_by_role("link", name="Decide", exact=True).click()
    choose_reopen(frame)
    close_course(lms_page, lms, learner_key)
    stored = lms.stored(learner_key)
    rows = [r for r in stored["interactions"].values() if r["id"] == "s.late-invite"]
    assert len(rows) == 1, stored["interactions"]
    row = rows[0]
    # Choices are coded a, b, c by position (scorm12.js); "reopen" is the second, marked best in the YAML.
    assert row["type"] == "choice"
    assert row["student_response"] == "b"
    assert row["correct_responses"]["0"]["pattern"] == "b"
    assert row["result"] == "correct"
    assert row["weighting"] == "0"  # recorded, never scored
    assert stored["core"]["lesson_location"] == "decide"

    frame = launch(lms_page, lms, "12", "s12-blocks", learner_key)
    wait_for_player(frame)
    expect(frame.locator(".ece-page:not([hidden]) h1")).to_have_text("Decide")
    expect(frame.get_by_role("radio", name="Say what can still change")).to_be_checked()
    expect(frame.locator(".ece-page:not([hidden]) [data-sc-fb]")).to_contain_text("Honest about influence")


def test_scorm2004_records_the_choice_by_id_unscored(lms, lms_page, learner_key):
    lms.learner(learner_key)
    frame = launch(lms_page, lms, "2004", "s2004-blocks", learner_key)
    wait_for_player(frame)
    frame.get_by_role("link", name="Decide", exact=True).click()
    choose_reopen(frame)
    close_course(lms_page, lms, learner_key)
    rows = [r for r in lms.stored(learner_key)["interactions"].values() if r["id"] == "s.late-invite"]
    assert len(rows) == 1
    row = rows[0]
    assert (row["type"], row["learner_response"], row["result"], row["weighting"]) == (
        "choice",
        "reopen",
        "correct",
        "0",
    )
    assert row["correct_responses"]["0"]["pattern"] == "reopen"
    assert row["description"] == "{lang=en}What do you do?"
