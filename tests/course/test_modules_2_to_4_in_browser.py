"""Play ECE modules 2-4 in Chromium, in English and French: every page axe-clean, every quiz passable.

The answer key and feedback come from the YAML (read with PyYAML's BaseLoader), not from the renderer,
so a wrong key, a missing translation or a choice id the player cannot match makes this fail.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from ece_scorm.pipeline.render import render_module
from ece_scorm.source.course import load_course
from tests.course.test_modules_2_to_4 import VERDICT_OPENER
from tests.support.browser import describe_violations, run_axe, start_module

pytestmark = pytest.mark.browser
SOURCE = Path(__file__).resolve().parents[2] / "course_source"
MODULES = {
    "patient-partners": "patient-partners-check",
    "staff-teams": "staff-teams-check",
    "leadership": "leadership-check",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """Render modules 2-4 of the bundled course as standalone packages; return index.html per module."""
    course, _ = load_course(SOURCE)
    out = {}
    for module_id in MODULES:
        root = tmp_path_factory.mktemp(module_id)
        for f in render_module(course, course.module(module_id), "standalone", course.languages):
            target = root / f.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(f.data)
        out[module_id] = root / "index.html"
    return out


@pytest.fixture(scope="module")
def context(browser):
    """One context for the module's six runs; each run clears localStorage so it starts fresh."""
    ctx = browser.new_context(viewport={"width": 1100, "height": 900})
    ctx.set_default_timeout(5000)
    yield ctx
    ctx.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("module_id", sorted(MODULES))
def test_module_plays_through_accessibly_and_quiz_passes(context, built, module_id, lang):
    quiz_id = MODULES[module_id]
    source = yaml.load(
        (SOURCE / "modules" / f"{module_id}.yaml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader
    )
    quiz = yaml.load(
        (SOURCE / "quizzes" / f"{quiz_id}.yaml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    # Cleared before the player boots: clearing after, then reloading, races the player's save on pagehide.
    page.add_init_script("localStorage.clear()")
    page.goto(built[module_id].as_uri())
    start_module(page)
    page.select_option("#ece-lang", lang)

    pages = source["pages"]
    for i, src_page in enumerate(pages):
        visible = page.locator(f'.ece-page[lang="{lang}"]:not([hidden])')
        assert visible.locator("h1").inner_text() == src_page["title"][lang]
        violations = run_axe(page)
        assert violations == [], f"{module_id}/{src_page['id']} ({lang}):\n{describe_violations(violations)}"
        if i < len(pages) - 1:
            page.locator("#ece-next").click()
    assert re.search(r"100\s?%", page.locator("#ece-progress-text").inner_text())

    for k, q in enumerate(quiz["questions"]):
        fieldset = page.locator(f'.ece-page[lang="{lang}"] fieldset[data-quiz="{quiz_id}"][data-q="{k}"]')
        answer = q["answer"] if isinstance(q["answer"], list) else [q["answer"]]
        for choice_id in answer:
            fieldset.locator(f'input[value="{choice_id}"]').check()
        fieldset.locator('button[data-action="check"]').click()
        shown = [t.strip() for t in fieldset.locator("[data-fb-choice]:visible").all_inner_texts()]
        if q["type"] == "true_false":
            expected = [q["feedback"][answer[0]][lang]]
        else:
            expected = [c["feedback"][lang] for c in q["choices"] if c["id"] in answer]
        assert shown == expected, f"{quiz_id}/{q['id']} ({lang})"
        # What the learner reads: the player's verdict, then feedback that does not say it again (learner QA).
        verdict = fieldset.locator("[data-verdict]").inner_text().strip()
        said = [
            verdict,
            *(
                t.strip()
                for t in fieldset.locator("[data-fb] > :not([data-verdict]):visible").all_inner_texts()
            ),
        ]
        assert verdict and all(not VERDICT_OPENER[lang].match(t) for t in said[1:]), said
        assert not any(t.startswith(verdict.rstrip(".")) for t in said[1:]), said

    result = page.locator(f'.ece-page[lang="{lang}"] .ece-quiz[data-quiz="{quiz_id}"]').inner_text()
    assert re.search(r"100\s?%", result), result
    page.close()
    assert errors == [], f"JavaScript errors: {errors}"
