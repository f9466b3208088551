"""`ece-scorm preview` in Chromium: the page loads, the panel shows what the course sends, edits reload it."""

from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path

import pytest

from ece_scorm.commands.new import run_new
from ece_scorm.preview.server import PreviewServer
from tests.support.browser import describe_violations

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
MODULE = Path("modules") / "getting-started.yaml"


@pytest.fixture
def course(tmp_path) -> Path:
    """A fresh starter course (the one `ece-scorm new` writes) that the test may edit."""
    target = tmp_path / "course"
    run_new(target)
    return target


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def serve(course: Path, fmt: str) -> PreviewServer:
    server = PreviewServer(course, fmt, 0)
    server.start()
    return server


def model(page) -> dict[str, str]:
    """Return the data model table of the panel as {element: value}."""
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('#model tbody tr')]
        .map(tr => [tr.cells[0].textContent, tr.cells[1].textContent]))""")


def axe_violations(page) -> list[dict]:
    """Run axe-core (WCAG 2.1 A/AA) on the preview page; the course in the iframe is tested elsewhere."""
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    return page.evaluate("""async () => (await axe.run({exclude: [['iframe']]},
        {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})).violations""")


def test_scorm12_preview_records_edits_reload_and_errors_show(course, page):
    server = serve(course, "scorm12")
    try:
        page.goto(server.url)
        frame = page.frame_locator("#course")
        frame.get_by_role("button", name="Start").click(timeout=15000)  # past the landing screen
        frame.locator("#ece-next").wait_for(state="visible", timeout=15000)
        # The player found the page's SCORM 1.2 API through window.parent (MUST 15) and initialised.
        page.wait_for_function("document.querySelector('#calls').textContent.includes('LMSInitialize')")
        assert model(page)["cmi.core.student_name"] == "Learner, Preview"

        frame.locator("#ece-next").click()  # a click in the course
        page.wait_for_function("""() => [...document.querySelectorAll('#model tbody tr')].some(tr =>
            tr.cells[0].textContent === 'cmi.suspend_data' && tr.cells[1].textContent !== '')""")
        data = model(page)
        assert data["cmi.core.lesson_status"] == "incomplete"
        assert page.locator("#calls li", has_text="LMSCommit").count() >= 1
        assert page.locator("#calls li.bad").count() == 0, page.locator("#calls").inner_text()

        # Edit the YAML: the preview rebuilds, reloads the course, and the new text is there.
        path = course / MODULE
        path.write_text(
            path.read_text(encoding="utf-8").replace("en: Welcome\n", "en: Welcome aboard\n", 1),
            encoding="utf-8",
        )
        # The page title shows in the contents (pages themselves arrive when shown, after the landing).
        frame.locator("#ece-toc a", has_text="Welcome aboard").first.wait_for(state="attached", timeout=15000)
        page.wait_for_function(
            "document.querySelector('#status').textContent.includes('rebuilt and reloaded')"
        )

        # Break the YAML: the error is shown in the page with its location, the last good build stays.
        path.write_text(path.read_text(encoding="utf-8").replace("pages:", "pagez:", 1), encoding="utf-8")
        page.locator("#errors").wait_for(state="visible", timeout=15000)
        text = page.locator("#error-list").inner_text()
        assert re.search(r"getting-started\.yaml:\d+:\d+: error: .*pagez", text), text
        assert frame.locator("#ece-toc a", has_text="Welcome aboard").count() >= 1

        path.write_text(path.read_text(encoding="utf-8").replace("pagez:", "pages:", 1), encoding="utf-8")
        page.locator("#errors").wait_for(state="hidden", timeout=15000)

        violations = axe_violations(page)
        assert violations == [], describe_violations(violations)
        page.click("#lang")
        assert page.locator("h1").inner_text() == "Aperçu du cours"
        assert page.evaluate("document.documentElement.lang") == "fr"
        assert page.locator("#panel-h").inner_text() == "Ce que la plateforme enregistre"
    finally:
        server.stop()


@pytest.mark.parametrize("fmt", ["xapi", "cmi5"])
def test_xapi_and_cmi5_preview_list_statements_from_the_in_memory_endpoint(course, page, fmt):
    server = serve(course, fmt)
    try:
        page.goto(server.url)
        frame = page.frame_locator("#course")
        frame.get_by_role("button", name="Start").click(timeout=15000)  # past the landing screen
        frame.locator("#ece-next").wait_for(state="visible", timeout=15000)
        frame.locator("#ece-next").click()
        page.wait_for_function("document.querySelectorAll('#statements li').length >= 2", timeout=15000)
        verbs = page.evaluate("[...document.querySelectorAll('#statements li')].map(li => li.dataset.verb)")
        assert "initialized" in verbs and "experienced" in verbs
        with urllib.request.urlopen(server.url + "api/statements") as res:
            stored = json.loads(res.read())
        assert {s["verb"]["id"].rsplit("/", 1)[-1] for s in stored} >= {"initialized", "experienced"}
        actor = stored[0]["actor"]
        assert actor["mbox"] == "mailto:learner@preview.invalid"
        assert all(s["context"]["registration"] == stored[0]["context"]["registration"] for s in stored)
        if fmt == "cmi5":  # the AU read LMS.LaunchData and merged its contextTemplate (MUST 31)
            session = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
            assert all(s["context"]["extensions"].get(session) for s in stored)
        page.wait_for_function("document.querySelector('#outbox').textContent.includes('0 waiting')")
    finally:
        server.stop()


def test_scorm2004_preview_uses_the_2004_api(course, page):
    server = serve(course, "scorm2004")
    try:
        page.goto(server.url)
        frame = page.frame_locator("#course")
        frame.get_by_role("button", name="Start").click(timeout=15000)  # past the landing screen
        frame.locator("#ece-next").wait_for(state="visible", timeout=15000)
        frame.locator("#ece-next").click()
        page.wait_for_function("document.querySelector('#calls').textContent.includes('Commit(')")
        data = model(page)
        assert data["cmi.learner_name"] == "Learner, Preview"
        assert data["cmi.completion_status"] == "incomplete" and data["cmi.suspend_data"]
        assert page.locator("#calls li.bad").count() == 0, page.locator("#calls").inner_text()
    finally:
        server.stop()
