"""xAPI packages launched like mod_tincanlaunch does, in Chromium, against Learning Locker (MUST 26–29)."""

from __future__ import annotations

import time
import uuid
from urllib.parse import urlsplit

import pytest
from lxml import etree

from tests.support.browser import start_module
from tests.support.xapi_session import (
    COURSE_ID,
    VERBS,
    answer_quiz,
    build,
    launchers,
    leave,
    new_page,
    next_,
    reflect,
    statements,
    validation_problems,
    verb,
    wait_for_statements,
    wait_status,
)

pytestmark = [pytest.mark.browser, pytest.mark.lrs]
MODULE = f"{COURSE_ID}/welcome"
# A tincanlaunch actor: name with a space and an account (TC tincanlaunch_getactor).
ACTOR = {
    "objectType": "Agent",
    "name": "Ana Lopez",
    "account": {"homePage": "https://lms.example.org", "name": "alopez"},
}


@pytest.fixture(scope="module")
def packages(tmp_path_factory):
    return build(tmp_path_factory.mktemp("xapi"), "xapi")


@pytest.fixture()
def launcher_for(fresh_lrs):
    yield from launchers(fresh_lrs)


def test_tincan_xml_launch_points_at_a_packaged_file(packages):
    """MUST 26 + MUST 3: the first activity's <launch> exists in the zip; its id is the module IRI."""
    root = etree.parse(str(packages["ece-mini-welcome-xapi"] / "tincan.xml")).getroot()
    first = root[0][0]
    launch = first.find("{http://projecttincan.com/tincan.xsd}launch").text
    assert (packages["ece-mini-welcome-xapi"] / launch).is_file()
    assert first.get("id") == MODULE


def test_learner_completes_a_module_and_every_statement_reaches_the_lrs(
    browser, packages, launcher_for, fresh_lrs
):
    la = launcher_for(packages["ece-mini-welcome-xapi"])
    reg = str(uuid.uuid4())
    url = la.launch_xapi("index.html", ACTOR, MODULE, reg)
    assert urlsplit(url).netloc != urlsplit(la.endpoint).netloc  # the LRS is cross-origin (MUST 29)
    errors: list[str] = []
    context, page = new_page(browser, errors)
    try:
        page.goto(url)
        start_module(page)
        assert wait_status(page, "All your progress is saved") == "All your progress is saved."
        assert not page.locator("#ece-notice").is_visible()  # not the standalone fallback
        next_(page)
        reflect(page, "Relationships first, then structures.")
        next_(page)
        answer_quiz(page, all_correct=False)  # 2 of 3 = 67 %, the fixture's pass mark
        wait_status(page, "All your progress is saved")
        leave(page)
    finally:
        context.close()
    assert errors == []

    expected = [
        "initialized",
        "experienced",
        "experienced",
        "answered",
        "experienced",
        "answered",
        "answered",
        "answered",
        "passed",
        "completed",
        "terminated",
    ]
    got = wait_for_statements(fresh_lrs, reg, lambda s: len(s) >= len(expected))
    assert [verb(s) for s in got] == expected
    assert validation_problems(got) == []
    assert len({s["id"] for s in got}) == len(got)

    for s in got:
        assert s["actor"] == ACTOR  # MUST 27: the launch actor unchanged
        assert s["context"]["registration"] == reg
        assert s["context"]["contextActivities"]["grouping"][0]["id"] == COURSE_ID
        assert s["verb"]["display"]["en"] and s["verb"]["display"]["fr"]
    pages = [s["object"]["id"] for s in got if verb(s) == "experienced"]
    assert pages == [f"{MODULE}/page/why-it-matters", f"{MODULE}/page/watch", f"{MODULE}/page/check"]
    assert got[1]["object"]["definition"]["name"] == {
        "en": "Why it matters",
        "fr": "Pourquoi c’est important",
    }
    assert got[1]["context"]["contextActivities"]["parent"] == [{"objectType": "Activity", "id": MODULE}]

    text = got[3]
    assert text["object"]["id"] == f"{COURSE_ID}/reflection/stood-out"
    assert text["object"]["definition"]["interactionType"] == "long-fill-in"
    assert text["object"]["definition"]["name"] == {
        "en": "What stood out for you?",
        "fr": "Qu’est-ce qui vous a marqué?",
    }
    assert text["result"] == {"response": "Relationships first, then structures."}

    q1, q2, q3 = got[5:8]
    assert q1["object"]["id"] == f"{COURSE_ID}/quiz/welcome-check/pillar-count"
    d1 = q1["object"]["definition"]
    assert d1["type"] == "http://adlnet.gov/expapi/activities/cmi.interaction"
    assert d1["interactionType"] == "choice"
    assert d1["correctResponsesPattern"] == ["b"]
    assert d1["choices"] == [
        {"id": "a", "description": {"en": "Two", "fr": "Deux"}},
        {"id": "b", "description": {"en": "Three", "fr": "Trois"}},
        {"id": "c", "description": {"en": "Five", "fr": "Cinq"}},
    ]
    assert (q1["result"]["response"], q1["result"]["success"]) == ("b", True)
    assert q1["result"]["extensions"] == {f"{COURSE_ID}/xapi/extensions/attempt": 1}
    assert q2["object"]["definition"]["correctResponsesPattern"] == ["partners[,]leadership"]
    assert (q2["result"]["response"], q2["result"]["success"]) == ("partners", False)
    d3 = q3["object"]["definition"]
    assert d3["interactionType"] == "true-false" and "choices" not in d3
    assert d3["correctResponsesPattern"] == ["true"]
    assert (q3["result"]["response"], q3["result"]["success"]) == ("true", True)

    passed, completed, terminated = got[8:]
    for s in (passed, completed):
        assert s["object"]["id"] == MODULE  # MUST 28: exactly the launch activity_id
        assert s["object"]["definition"]["type"] == "http://adlnet.gov/expapi/activities/module"
    assert passed["result"]["score"] == {"scaled": 0.67, "raw": 67, "min": 0, "max": 100}
    assert passed["result"]["success"] is True and passed["result"]["completion"] is True
    assert completed["result"]["completion"] is True and completed["result"]["duration"].startswith("PT")
    assert terminated["result"]["duration"].startswith("PT")

    # Every call carried the xAPI version header (the launcher answers 400 without it) and was accepted.
    assert [entry for entry in la.log if entry[2] >= 400 and entry[1] == "/lrs/statements"] == []


def test_resume_state_lives_in_the_state_api(browser, packages, launcher_for, fresh_lrs):
    la = launcher_for(packages["ece-mini-welcome-xapi"])
    reg = str(uuid.uuid4())
    url = la.launch_xapi("index.html", ACTOR, MODULE, reg)
    errors: list[str] = []
    context, page = new_page(browser, errors)
    try:
        page.goto(url)
        start_module(page)
        wait_status(page, "All your progress is saved")
        next_(page)
        reflect(page, "Kept in the LRS.")
        wait_status(page, "All your progress is saved")
        leave(page)
    finally:
        context.close()
    state_id = f"{COURSE_ID}/xapi/state/resume"
    stored = None
    for _ in range(40):
        stored = la.get_state(MODULE, ACTOR, reg, state_id)
        if stored:
            break
        time.sleep(0.25)
    assert stored, "no resume state was written to the State API"

    # A new browser (no local copy) resumes from the State API alone.
    context, page = new_page(browser, errors)
    try:
        page.goto(la.launch_xapi("index.html", ACTOR, MODULE, reg))
        start_module(page)
        page.locator(".ece-page:not([hidden]) h1", has_text="Watch and reflect").wait_for()
        box = page.get_by_role("textbox", name="What stood out for you?")
        assert box.input_value() == "Kept in the LRS."
        wait_status(page, "All your progress is saved")
    finally:
        context.close()
    got = wait_for_statements(fresh_lrs, reg, lambda s: any(verb(x) == "resumed" for x in s))
    verbs = [verb(s) for s in got]
    assert verbs[0] == "initialized"
    assert "suspended" in verbs and verbs.index("suspended") < verbs.index("resumed")
    assert all(s["verb"]["id"].startswith(VERBS) for s in got)
    assert validation_problems(got) == []
    assert errors == []


def test_launch_without_parameters_falls_back_to_standalone(browser, packages, launcher_for, fresh_lrs):
    la = launcher_for(packages["ece-mini-welcome-xapi"])
    errors: list[str] = []
    context, page = new_page(browser, errors)
    try:
        page.goto(la.content_url + "index.html")
        start_module(page)
        assert page.locator("#ece-notice").is_visible()
    finally:
        context.close()
    assert errors == []
    assert statements(fresh_lrs, str(uuid.uuid4())) == []


def test_moodle_language_preference_opens_the_module_in_french(browser, packages, launcher_for, fresh_lrs):
    """mod_tincanlaunch stores the learner's language in the CMI5LearnerPreferences agent profile."""
    la = launcher_for(packages["ece-mini-welcome-xapi"])
    reg = str(uuid.uuid4())
    errors: list[str] = []
    context, page = new_page(browser, errors)
    try:
        page.goto(la.launch_xapi("index.html", ACTOR, MODULE, reg, language="fr-CA"))
        start_module(page)
        wait_status(page, "Toute votre progression est enregistrée")
        assert page.evaluate("document.documentElement.lang") == "fr"
        assert page.locator(".ece-page:not([hidden]) h1").inner_text() == "Pourquoi c’est important"
        next_(page, "fr")
        got = wait_for_statements(fresh_lrs, reg, lambda s: len(s) >= 3)
    finally:
        context.close()
    assert errors == []
    assert [s["context"]["language"] for s in got[1:3]] == ["fr", "fr"]
