"""Per-choice right/wrong marks after Check, in Chromium (file://, standalone), by role and accessible name.

What a learner sees (icon and border, not colour alone — WCAG 1.4.1) and what a screen reader gets (the
checkbox's accessible description as Chromium computes it, and the live region), in English and French.
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
# tests/fixtures/courses/minimal/quizzes/welcome-check.yaml: pass mark 67 %, 2 attempts, 3 questions;
# "Which are pillars?" is multiple response: Patient partners and Leadership are right, Budget is wrong.
NBSP = "\u00a0"
EN = {"ok": "— correct", "ko": "— incorrect", "missed": "— correct answer you missed"}
FR = {
    "ok": f"—{NBSP}bonne réponse",
    "ko": f"—{NBSP}mauvaise réponse",
    "missed": f"—{NBSP}bonne réponse non cochée",
}
# What the learner sees beside a marked choice: icon and border style (colour aside).
SEEN = {"ok": ("✓", "solid"), "ko": ("✗", "solid"), "missed": ("✓", "dashed"), None: ("", "none")}


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> Path:
    """Render the minimal course's first module as a standalone package; return its index.html."""
    course, _ = load_course(MINIMAL)
    module = course.modules[0]
    assert module.id == "welcome"
    root = tmp_path_factory.mktemp(module.id)
    for f in render_module(course, module, "standalone", course.languages):
        (root / f.path).parent.mkdir(parents=True, exist_ok=True)
        (root / f.path).write_bytes(f.data)
    return root / "index.html"


@pytest.fixture()
def page(browser, index):
    """Open the module's knowledge check in a fresh context (own localStorage); fail on any JS error."""
    ctx = browser.new_context(viewport={"width": 1100, "height": 900})
    ctx.set_default_timeout(5000)
    errors: list[str] = []
    ctx.on("weberror", lambda e: errors.append(str(e.error)))
    pg = ctx.new_page()
    pg.goto(index.as_uri())
    start_module(pg)
    pg.get_by_role("navigation", name="Contents").get_by_role("link", name="Check your understanding").click()
    yield pg
    ctx.close()
    assert errors == [], f"JavaScript errors: {errors}"


def chromium_description(page, box) -> str:
    """Return the accessible description Chromium itself gives a control (what a screen reader is told)."""
    cdp = page.context.new_cdp_session(page)
    try:
        box.evaluate("el => el.setAttribute('data-probe', '1')")
        root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "[data-probe]"})["nodeId"]
        ax = cdp.send("Accessibility.getPartialAXTree", {"nodeId": node, "fetchRelatives": False})["nodes"][0]
        return ax.get("description", {}).get("value", "")
    finally:
        box.evaluate("el => el.removeAttribute('data-probe')")
        cdp.detach()


def seen(box) -> tuple[str, str]:
    """Return the visible icon next to a choice and the border style of its row."""
    return box.evaluate(
        """el => {
          const row = el.parentNode, m = row.querySelector('.ece-mark');
          const icon = m && m.checkVisibility() ? m.querySelector('[aria-hidden=true]').textContent : '';
          return [icon, getComputedStyle(row).borderTopStyle];
        }"""
    )


def assert_marks(page, question: str, role: str, marks: dict[str, str | None], words: dict[str, str]) -> None:
    """Check each choice's visible mark and accessible description (None = unmarked)."""
    group = page.get_by_role("group", name=re.compile(re.escape(question)))
    for choice, kind in marks.items():
        box = group.get_by_role(role, name=choice, exact=True)  # the name stays the choice text
        expected = words[kind] if kind else ""
        # Playwright's accessible-name engine folds the no-break space like any white space.
        expect(box).to_have_accessible_description(expected.replace(NBSP, " "))
        assert chromium_description(page, box).replace(NBSP, " ") == expected.replace(NBSP, " "), choice
        assert seen(box) == list(SEEN[kind]), choice
        if kind:
            mark_text = box.evaluate("el => el.parentNode.querySelector('.ece-sr').textContent")
            assert mark_text == expected, choice  # the exact typography, no-break spaces included


def live(page) -> str:
    page.wait_for_function("() => document.getElementById('ece-live').textContent !== ''")
    return page.locator("#ece-live").text_content()


def answer(page, question: str, role: str, choices: list[str], check: str = "Check") -> None:
    group = page.get_by_role("group", name=re.compile(re.escape(question)))
    for choice in choices:
        group.get_by_role(role, name=choice, exact=True).check()
    page.evaluate("() => { document.getElementById('ece-live').textContent = ''; }")
    group.get_by_role("button", name=check).click()


PILLARS = "Which are pillars?"


def test_partly_wrong_selection_is_marked_cleared_on_retry_and_revealed_on_the_last_attempt(page):
    first = {"Patient partners": "ok", "Budget": "ko", "Leadership": None}
    answer(page, PILLARS, "checkbox", ["Patient partners", "Budget"])
    # Attempt 1 of 2: only what was ticked is marked; Leadership (right, not ticked) must not be given away.
    assert_marks(page, PILLARS, "checkbox", first, EN)
    said = live(page)
    assert said.startswith("Incorrect. Patient partners — correct. Budget — incorrect.")
    assert "Leadership" not in said
    assert_axe_clean(page, "marks after a partly wrong check (en)")

    answer(page, "How many pillars are there?", "radio", ["Two"])
    answer(page, "built on relationships", "radio", ["False"])
    assert "You can try again." in page.locator("[data-result]:visible").inner_text()
    # Graded at 0 % with an attempt left: still nothing revealed, in any question.
    assert_marks(page, PILLARS, "checkbox", first, EN)
    assert_marks(page, "How many pillars are there?", "radio", {"Two": "ko", "Three": None, "Five": None}, EN)

    page.get_by_role("button", name="Try again").click()
    unmarked = {"Patient partners": None, "Budget": None, "Leadership": None}
    assert_marks(page, PILLARS, "checkbox", unmarked, EN)
    assert_marks(page, "How many pillars are there?", "radio", {"Two": None, "Three": None, "Five": None}, EN)

    # Attempt 2 of 2 is the last: the right answers the learner left unticked are shown at once.
    answer(page, PILLARS, "checkbox", ["Budget"])
    final = {"Patient partners": "missed", "Budget": "ko", "Leadership": "missed"}
    assert_marks(page, PILLARS, "checkbox", final, EN)
    assert live(page).startswith(
        "Incorrect. Patient partners — correct answer you missed. Budget — incorrect. "
        "Leadership — correct answer you missed."
    )
    assert_axe_clean(page, "marks on the last attempt (en)")

    page.reload()
    start_module(page)
    assert_marks(page, PILLARS, "checkbox", final, EN)  # restored from the resume state
    assert_marks(page, "How many pillars are there?", "radio", {"Two": None, "Three": None, "Five": None}, EN)

    page.get_by_label("Language / Langue").select_option("fr")
    assert_marks(
        page,
        "Lesquels sont des piliers?",
        "checkbox",
        {"Patients partenaires": "missed", "Budget": "ko", "Leadership": "missed"},
        FR,
    )
    assert_axe_clean(page, "marks on the last attempt (fr)")


def test_french_marks_are_announced_and_a_passed_quiz_reveals_what_was_missed(page):
    page.get_by_label("Language / Langue").select_option("fr")
    question = "Lesquels sont des piliers?"
    answer(page, question, "checkbox", ["Patients partenaires"], check="Vérifier")
    marks = {"Patients partenaires": "ok", "Budget": None, "Leadership": None}
    assert_marks(page, question, "checkbox", marks, FR)
    assert live(page).startswith(f"Mauvaise réponse. Patients partenaires —{NBSP}bonne réponse.")

    answer(page, "Combien y a-t-il de piliers?", "radio", ["Trois"], check="Vérifier")
    count = {"Deux": None, "Trois": "ok", "Cinq": None}
    assert_marks(page, "Combien y a-t-il de piliers?", "radio", count, FR)
    assert live(page).startswith(f"Bonne réponse. Trois —{NBSP}bonne réponse.")
    answer(page, "reposent sur les relations", "radio", ["Vrai"], check="Vérifier")

    # 2 of 3 right = 67 %: passed, so no attempt follows and the missed right answer is shown.
    assert "réussi" in page.locator("[data-result]:visible").inner_text()
    marks["Leadership"] = "missed"
    assert_marks(page, question, "checkbox", marks, FR)
    assert_axe_clean(page, "marks after passing (fr)")

    page.get_by_label("Language / Langue").select_option("en")
    english = {"Patient partners": "ok", "Budget": None, "Leadership": "missed"}
    assert_marks(page, PILLARS, "checkbox", english, EN)
    expect(page.get_by_role("button", name="Try again")).to_be_hidden()
