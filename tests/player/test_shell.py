"""The player's shell in Chromium: landing, welcome back, closing screen, contents, header, layout, captions.

Expected texts come from tests/fixtures/courses/minimal (welcome: 3 pages, 5-10 min, then "practice") and
from course_source/media for the captions.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ece_scorm.pipeline.render import render_module
from ece_scorm.source.course import load_course
from tests.support.browser import assert_axe_clean, start_module

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "fixtures" / "courses" / "minimal"
ECE = ROOT / "course_source"


def write(course, module, fmt: str, folder: Path, **opts) -> Path:
    for f in render_module(course, module, fmt, course.languages, **opts):
        (folder / f.path).parent.mkdir(parents=True, exist_ok=True)
        (folder / f.path).write_bytes(f.data)
    return folder / "index.html"


@pytest.fixture(scope="module")
def series(tmp_path_factory) -> dict[str, Path]:
    """The minimal course's modules side by side, as in a series bundle (<module>/index.html)."""
    course, _ = load_course(MINIMAL)
    root = tmp_path_factory.mktemp("series")
    ids = [m.id for m in course.modules]
    return {m.id: write(course, m, "standalone", root / m.id, bundle=ids) for m in course.modules}


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    context.set_default_timeout(5000)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    context.close()
    assert errors == [], f"JavaScript errors: {errors}"


def landing_lines(page) -> list[str]:
    return [x.strip() for x in page.locator(".ece-start:not([hidden])").inner_text().split("\n") if x.strip()]


def test_landing_screen_is_written_from_the_yaml_in_both_languages(page, series):
    page.goto(series["welcome"].as_uri())
    page.wait_for_function("() => window.ECE && ECE.player && !!ECE.player.state()")
    # Only the first screen is in the document: the pages arrive when shown (issue 15.2).
    assert page.locator(".ece-page").count() == 0
    lines = landing_lines(page)
    assert lines[:3] == [
        "Engagement-Capable Environments (mini)",
        "Welcome to engagement-capable environments",
        "Estimated time: 5–10 min · 3 pages",
    ]
    assert (
        "What you will learn" in lines
        and "Name the three pillars of an engagement-capable environment." in lines
    )
    assert lines[lines.index("Who it is for") + 1 : lines.index("Who it is for") + 3] == [
        "Patient partners",
        "Staff and healthcare teams",
    ]
    rules = lines[lines.index("To complete this module") + 1 :]
    assert rules == [
        "Visit every page.",
        "Pass the knowledge check “Welcome check” (67% to pass).",
        "No learning system found: this browser keeps your place and your answers, on this device only.",
    ]
    assert page.get_by_role("button", name="Start").is_visible()
    assert_axe_clean(page, "landing (en)")
    page.get_by_label("Language / Langue").select_option("fr")
    page.locator(".ece-start[lang=fr]:not([hidden])").wait_for()  # from pages.fr.js, fetched on demand
    flines = landing_lines(page)
    assert flines[1:3] == [
        "Bienvenue dans les milieux propices à l’engagement",
        "Durée estimée\u00a0: 5 à 10\u00a0min · 3 pages",
    ]
    rule = (
        "Réussir la vérification des connaissances «\u00a0Vérification de l’accueil\u00a0» "
        "(note de passage\u00a0: 67\u00a0%)."
    )
    assert rule in flines
    assert_axe_clean(page, "landing (fr)")
    page.get_by_role("button", name="Commencer").click()
    assert page.locator(".ece-page:not([hidden]) h1").inner_text() == "Pourquoi c’est important"
    assert page.evaluate("document.activeElement.textContent") == "Pourquoi c’est important"


def test_a_return_visit_offers_to_continue_or_start_again(page, series):
    page.goto(series["welcome"].as_uri())
    start_module(page)
    page.get_by_role("button", name="Next", exact=True).click()
    page.reload()
    page.wait_for_function("() => window.ECE && ECE.player && !!ECE.player.state()")
    landing = page.locator(".ece-start:not([hidden])")
    assert landing.locator("[data-welcome]").inner_text() == (
        "Welcome back. You stopped at “Watch and reflect” (page 2 of 3)."
    )
    # Honest about what is kept: no LMS here, so this browser only.
    assert landing.locator("[data-kept]").inner_text() == (
        "No learning system found: this browser keeps your place and your answers, on this device only."
    )
    assert page.get_by_role("button", name="Start", exact=True).is_hidden()
    assert_axe_clean(page, "welcome back (en)")
    page.get_by_role("button", name="Continue where you left off").click()
    assert page.locator(".ece-page:not([hidden]) h1").inner_text() == "Watch and reflect"
    page.reload()
    page.get_by_role("button", name="Start again").click()
    assert page.locator(".ece-page:not([hidden]) h1").inner_text() == "Why it matters"


def test_contents_show_time_and_visited_or_done_pages(page, series):
    page.goto(series["welcome"].as_uri())
    start_module(page)
    toc = page.get_by_role("navigation", name="Contents")
    items = toc.locator("li")
    assert all(re.fullmatch(r"\d+ min", t) for t in items.locator("[data-min]").all_inner_texts())
    page.get_by_role("button", name="Next", exact=True).click()
    # Page 1 has nothing to do: seen is done. Page 2 has a reflection: seen, not yet done. Page 3: not seen.
    assert [li.get_attribute("class") for li in items.all()] == ["ece-done", "ece-seen", ""]
    assert items.nth(1).locator("[data-mark]").inner_text() == ", visited"
    box = page.get_by_role("textbox", name="What stood out for you?")
    box.fill("Trust.")
    box.blur()
    assert items.nth(1).get_attribute("class") == "ece-done"
    assert items.nth(1).locator("[data-mark]").inner_text() == ", done"
    assert_axe_clean(page, "contents with marks")


def test_closing_screen_links_the_next_module_of_a_series_bundle(page, series):
    page.goto(series["welcome"].as_uri() + "#en-end")
    page.wait_for_function("() => window.ECE && ECE.player && ECE.player.view() === 'end'")
    end = page.get_by_role("region", name="End of the module")
    assert "Next in the series: “Putting it into practice”, about 10 min." in end.inner_text()
    end.get_by_role("link", name="Open the next module").click()
    page.wait_for_function("() => window.ECE && ECE.player && !!ECE.player.state()")
    assert page.locator(".ece-start:not([hidden]) h1").inner_text() == "Putting it into practice"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_header_keeps_one_row_and_the_heading_is_in_the_first_screen(browser, series, lang):
    for width, height in ((320, 568), (375, 667), (768, 1024), (1024, 768), (1280, 800), (1920, 1080)):
        context = browser.new_context(viewport={"width": width, "height": height})
        try:
            pg = context.new_page()
            pg.goto(series["welcome"].as_uri() + f"#{lang}-p-why-it-matters")
            pg.wait_for_function("() => window.ECE && ECE.player && ECE.player.view() === 'page'")
            boxes = pg.evaluate(
                """() => Object.fromEntries(['.ece-header', '.ece-brand', '#ece-lang', '#ece-exit',
                   '.ece-page:not([hidden]) h1'].map(s => [s,
                   document.querySelector(s).getBoundingClientRect().toJSON()]))"""
            )
            lang_box, exit_box = boxes["#ece-lang"], boxes["#ece-exit"]
            assert abs(lang_box["y"] - exit_box["y"]) < 8, (width, "language and Exit on different rows")
            if width >= 480:  # titles and controls share one row
                assert boxes[".ece-brand"]["y"] < lang_box["y"] + lang_box["height"], (width, boxes)
            assert boxes[".ece-header"]["height"] <= (100 if width < 480 else 72), (
                width,
                boxes[".ece-header"],
            )
            h1 = boxes[".ece-page:not([hidden]) h1"]
            assert h1["y"] + min(h1["height"], 40) <= height, (width, "page heading below the first screen")
            assert pg.evaluate("document.documentElement.scrollWidth") <= width
        finally:
            context.close()


def test_first_paint_has_the_final_layout(browser, series):
    """Layout shift (issue 15.1): the landing and a deep-linked page move nothing once the player starts."""
    shift = """() => new Promise(done => {
      let sum = 0;
      new PerformanceObserver(list => list.getEntries()
        .forEach(e => { if (!e.hadRecentInput) sum += e.value; }))
        .observe({type: 'layout-shift', buffered: true});
      setTimeout(() => done(sum), 600);
    })"""
    context = browser.new_context(viewport={"width": 412, "height": 823})
    try:
        pg = context.new_page()
        for frag in ("", "#fr-start", "#en-p-check", "#fr-end"):
            pg.goto(series["welcome"].as_uri() + frag)
            pg.reload()
            pg.wait_for_function("() => window.ECE && ECE.player && !!ECE.player.state()")
            assert pg.evaluate(shift) <= 0.02, frag or "landing"
    finally:
        context.close()


def test_captions_play_from_the_file_system(page, tmp_path):
    """Chromium loads no .vtt from file://: the player gives the same cues as a data: URL (issue 13.7)."""
    course, _ = load_course(ECE)
    module = course.module("introduction")
    index = write(course, module, "standalone", tmp_path)
    video_page = next(p for p in module.pages if any(b.type == "video" for b in p.blocks))
    video = next(b for b in video_page.blocks if b.type == "video")
    cues = {
        lang: (ECE / path).read_text(encoding="utf-8").count("-->") for lang, path in video.captions.items()
    }
    for lang in ("en", "fr"):
        page.goto(f"{index.as_uri()}#{lang}-p-{video_page.id}", wait_until="commit")
        page.reload(wait_until="commit")
        page.wait_for_function(
            "(l) => { const v = document.querySelector('.ece-page:not([hidden]) video');"
            " const t = v && [...v.textTracks].find(t => t.language === l);"
            " return t && t.cues && t.cues.length > 0; }",
            arg=lang,
        )
        count = page.evaluate(
            "(l) => [...document.querySelector('.ece-page:not([hidden]) video').textTracks]"
            ".find(t => t.language === l).cues.length",
            lang,
        )
        assert count == cues[lang]
