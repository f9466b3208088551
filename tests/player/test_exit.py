"""The Exit button ends the session once, in Chromium: SCORM 1.2 under scorm-again, cmi5 with the launcher.

Rules: docs/LMS-RULES.md MUST 19 (exit=suspend while unfinished, '' once done) and MUST 22 (no API
call after LMSFinish); cmi5 returnURL (MUST 30–32). The fixture course is tests/fixtures/courses/minimal.
"""

from __future__ import annotations

import time
import uuid

import pytest
from lxml import etree

from tests.support.browser import assert_axe_clean
from tests.support.scorm_host import launch
from tests.support.scorm_learner import wait_for_player
from tests.support.xapi_session import (
    COURSE_ID,
    answer_quiz,
    build,
    launchers,
    new_page,
    next_,
    reflect,
    statements,
    verb,
    wait_for_statements,
)

pytestmark = pytest.mark.browser
CLOSED_EN = "You have left this module. You can now close this window."
CLOSED_FR = "Vous avez quitté ce module. Vous pouvez maintenant fermer cette fenêtre."
SPY = """() => {
  // Count every call the package makes on the LMS API, and keep those made after LMSFinish (MUST 22) except
  // the error functions, which read LMSFinish's own outcome and are allowed after it (SCORM 1.2 RTE 3.4.3).
  const api = window.API, spy = window.exitSpy = {finishes: 0, after: [], exits: []};
  ["LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSCommit", "LMSGetLastError",
   "LMSGetErrorString", "LMSGetDiagnostic"].forEach((name) => {
    const real = api[name].bind(api);
    api[name] = (...args) => {
      const errorFn = /^LMSGet(LastError|ErrorString|Diagnostic)$/.test(name);
      if (spy.finishes && !errorFn) spy.after.push([name, ...args]);
      if (name === "LMSSetValue" && args[0] === "cmi.core.exit") spy.exits.push(args[1]);
      if (name === "LMSFinish") spy.finishes += 1;
      return real(...args);
    };
  });
}"""


@pytest.fixture(scope="module")
def scorm12(lms_server, tmp_path_factory):
    folders = build(tmp_path_factory.mktemp("exit12"), "scorm12")
    lms_server.add_package("exit-welcome", folders["ece-mini-welcome-scorm12"])
    return lms_server


def exit_scorm(lms_page, frame) -> dict:
    """Click Exit, wait for the closing message, then make the learner act and leave; return the spy."""
    exit_button = frame.get_by_role("button", name="Exit", exact=True)
    assert exit_button.is_visible()
    exit_button.click()
    notice = frame.get_by_text(CLOSED_EN)
    notice.wait_for()
    assert frame.evaluate("document.activeElement.id") == "ece-notice"  # focus follows the removed button
    assert frame.get_by_role("button", name="Exit").count() == 0
    assert_axe_clean(frame, "after Exit (en)")
    frame.get_by_label("Language / Langue").select_option("fr")
    frame.get_by_text(CLOSED_FR).wait_for()
    assert frame.get_by_role("button", name="Quitter").count() == 0
    assert_axe_clean(frame, "after Exit (fr)")
    # Moving on and closing the window must not reach the LMS any more.
    frame.get_by_role("navigation", name="Navigation entre les pages").locator("button:enabled").first.click()
    lms_page.evaluate("() => document.getElementById('sco').remove()")  # pagehide in the package
    return lms_page.evaluate("() => window.exitSpy")


def test_scorm12_exit_while_unfinished_suspends_and_finishes_once(scorm12, lms_page, learner_key):
    frame = launch(lms_page, scorm12, "12", "exit-welcome", learner_key)
    wait_for_player(frame)
    lms_page.evaluate(SPY)
    assert frame.get_by_role("button", name="Exit", exact=True).is_visible()
    assert_axe_clean(frame, "with the Exit button")
    spy = exit_scorm(lms_page, frame)
    assert spy["finishes"] == 1
    assert spy["exits"] == ["suspend"]  # MUST 19: the LMS keeps the state for the next attempt
    assert spy["after"] == []  # MUST 22
    scorm12.wait_for(lambda: scorm12.stored(learner_key).get("core", {}).get("exit") == "suspend")


def test_scorm12_exit_once_complete_sends_an_empty_exit(scorm12, lms_page, learner_key):
    frame = launch(lms_page, scorm12, "12", "exit-welcome", learner_key)
    wait_for_player(frame)
    lms_page.evaluate(SPY)
    next_(frame)
    reflect(frame, "Trust comes first.")
    next_(frame)
    answer_quiz(frame)
    frame.get_by_text("You have completed this module and passed").first.wait_for()
    spy = exit_scorm(lms_page, frame)
    assert (spy["finishes"], spy["exits"], spy["after"]) == (1, [""], [])
    scorm12.wait_for(lambda: scorm12.stored(learner_key).get("core", {}).get("lesson_status") == "passed")


def test_exit_button_is_not_offered_without_javascript(browser, tmp_path_factory):
    folder = build(tmp_path_factory.mktemp("exitnojs"), "scorm12")["ece-mini-welcome-scorm12"]
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto((folder / "index.html").as_uri())
        assert page.get_by_role("button", name="Exit").count() == 0
        # Without the player every page stays readable: the boot-time hiding needs JavaScript.
        assert page.locator("section.ece-page:visible").count() == page.locator("section.ece-page").count()
    finally:
        context.close()


# ---------- cmi5: Exit sends terminated, then the LMS's returnURL takes over ----------

AU_ID = "https://lms.example.org/player/course/9/au/0"
ACTOR = {
    "objectType": "Agent",
    "name": "Exit Tester",
    "account": {"homePage": "https://lms.example.org", "name": "exit"},
}


@pytest.fixture(scope="module")
def cmi5_series(tmp_path_factory):
    return build(tmp_path_factory.mktemp("exitcmi5"), "cmi5")["ece-mini-series-cmi5"]


@pytest.fixture()
def launcher_for(fresh_lrs):
    yield from launchers(fresh_lrs)


@pytest.mark.lrs
def test_cmi5_exit_terminates_then_follows_the_return_url(browser, cmi5_series, launcher_for, fresh_lrs):
    ns = {"c": "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"}
    au = etree.parse(str(cmi5_series / "cmi5.xml")).getroot().find(f"c:au[@id='{COURSE_ID}/welcome']", ns)
    la = launcher_for(cmi5_series)
    reg = str(uuid.uuid4())
    back = la.lms_url + "returned?course=9"
    url = la.launch_cmi5(
        au.findtext("c:url", namespaces=ns),
        ACTOR,
        AU_ID,
        registration=reg,
        mastery_score=float(au.get("masteryScore")),
        return_url=back,
    )
    errors: list[str] = []
    context, page = new_page(browser, errors)
    try:
        page.goto(url)
        wait_for_player(page.main_frame)
        next_(page)
        assert_axe_clean(page, "cmi5 with the Exit button")
        with page.expect_navigation(url=back, timeout=15_000):
            page.get_by_role("button", name="Exit", exact=True).click()
    finally:
        context.close()
    assert errors == []
    got = wait_for_statements(fresh_lrs, reg, lambda s: any(verb(x) == "terminated" for x in s))
    verbs = [verb(s) for s in got]
    assert verbs == ["launched", "initialized", "experienced", "experienced", "terminated"]
    assert got[-1]["result"]["duration"].startswith("PT")
    assert la.violations == []


@pytest.mark.lrs
def test_xapi_exit_suspends_and_terminates_once_then_says_the_window_can_close(
    browser, tmp_path_factory, launcher_for, fresh_lrs
):
    folder = build(tmp_path_factory.mktemp("exitxapi"), "xapi")["ece-mini-welcome-xapi"]
    la = launcher_for(folder)
    reg = str(uuid.uuid4())
    errors: list[str] = []
    context, page = new_page(browser, errors)
    try:
        page.goto(la.launch_xapi("index.html", ACTOR, f"{COURSE_ID}/welcome", reg))
        wait_for_player(page.main_frame)
        page.get_by_role("button", name="Exit", exact=True).click()
        page.get_by_text(CLOSED_EN).wait_for()
        wait_for_statements(fresh_lrs, reg, lambda s: any(verb(x) == "terminated" for x in s))
        # Reading on and leaving the page sends nothing more: the session has ended.
        page.get_by_role("button", name="Next", exact=True).click()
        page.goto("about:blank")  # pagehide
    finally:
        context.close()
    assert errors == []
    wait_for_statements(fresh_lrs, reg, lambda s: len(s) >= 4)
    time.sleep(1)  # a statement sent after Exit (it must not be) would have arrived by now
    got = [verb(s) for s in statements(fresh_lrs, reg)]
    assert got == ["initialized", "experienced", "suspended", "terminated"]
