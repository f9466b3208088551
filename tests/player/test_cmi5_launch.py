"""cmi5 AUs launched by a strict LMS (the test launcher) in Chromium, statements in the LRS (MUST 30–32)."""

from __future__ import annotations

import uuid

import pytest
from lxml import etree

from tests.support.browser import assert_axe_clean, start_module
from tests.support.xapi_session import (
    COURSE_ID,
    answer_quiz,
    build,
    launchers,
    leave,
    new_page,
    next_,
    reflect,
    validation_problems,
    verb,
    wait_for_statements,
    wait_status,
)

pytestmark = [pytest.mark.browser, pytest.mark.lrs]
CMI5 = "https://w3id.org/xapi/cmi5/context/"
# The LMS's own AU id (CATAPULT style), not the cmi5.xml id: the AU must use the launch value (MUST 31).
AU_ID = "https://lms.example.org/player/course/7/au/0"
# A name with spaces: the launcher writes '+' for them (form encoding), as some cmi5 LMSs do.
ACTOR = {
    "objectType": "Agent",
    "name": "Marie Claire Dubé",
    "account": {"homePage": "https://lms.example.org", "name": "mdube"},
}


@pytest.fixture(scope="module")
def series(tmp_path_factory):
    return build(tmp_path_factory.mktemp("cmi5"), "cmi5")["ece-mini-series-cmi5"]


@pytest.fixture()
def launcher_for(fresh_lrs):
    yield from launchers(fresh_lrs)


def au_url_and_mastery(series) -> tuple[str, float]:
    """Read the welcome AU's url and masteryScore from the built cmi5.xml, as an LMS import would."""
    ns = {"c": "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"}
    root = etree.parse(str(series / "cmi5.xml")).getroot()
    au = root.find(f"c:au[@id='{COURSE_ID}/welcome']", ns)
    return au.findtext("c:url", namespaces=ns), float(au.get("masteryScore"))


def run_learner(
    browser, url: str, *, all_correct: bool = True, reload_midway: bool = False, lang: str = "en"
) -> list[str]:
    errors: list[str] = []
    context, page = new_page(browser, errors)
    try:
        page.goto(url)
        start_module(page)
        wait_status(page, "All your progress is saved|Toute votre progression est enregistrée")
        if lang != "en":
            assert page.evaluate("document.documentElement.lang") == lang
            page.get_by_label("Language / Langue").select_option("en")
        next_(page)
        reflect(page, "Trust comes first.")
        if reload_midway:
            page.reload()
            start_module(page)
            wait_status(page, "This session has ended")
            return errors + [page.locator("#ece-status").inner_text()]
        next_(page)
        answer_quiz(page, all_correct=all_correct)
        wait_status(page, "All your progress is saved")
        leave(page)
    finally:
        context.close()
    return errors


def test_normal_session_follows_the_cmi5_launch_contract(browser, series, launcher_for, fresh_lrs):
    path, mastery = au_url_and_mastery(series)
    la = launcher_for(series)
    reg = str(uuid.uuid4())
    url = la.launch_cmi5(path, ACTOR, AU_ID, registration=reg, mastery_score=mastery, language="fr-CA,en-US")
    assert "Marie+Claire" in url  # '+' really is on the wire
    assert run_learner(browser, url, lang="fr") == []
    got = wait_for_statements(fresh_lrs, reg, lambda s: any(verb(x) == "terminated" for x in s))
    assert la.violations == []
    sess = la.sessions[0]
    assert sess.fetch_calls == 1 and sess.prefs_read
    assert [verb(s) for s in got] == [
        "launched",
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
    assert validation_problems(got) == []
    mine = got[1:]  # everything after the LMS's own `launched`
    for s in mine:
        assert s["actor"] == ACTOR
        assert s["context"]["registration"] == reg
        assert s["context"]["extensions"][CMI5 + "extensions/sessionid"] == sess.session_id
        assert AU_ID in [g["id"] for g in s["context"]["contextActivities"]["grouping"]]
    passed, completed, terminated = mine[-3:]
    assert passed["object"]["id"] == completed["object"]["id"] == AU_ID
    assert passed["result"]["score"] == {"scaled": 1, "raw": 100, "min": 0, "max": 100}
    assert passed["result"]["success"] is True and passed["result"]["duration"].startswith("PT")
    assert passed["context"]["extensions"][CMI5 + "extensions/masteryscore"] == mastery  # echoed exactly
    cats = {c["id"] for c in passed["context"]["contextActivities"]["category"]}
    assert cats == {CMI5 + "categories/cmi5", CMI5 + "categories/moveon"}
    assert completed["result"]["completion"] is True and "score" not in completed["result"]
    assert terminated["result"]["duration"].startswith("PT")
    allowed = [s for s in mine if verb(s) in ("experienced", "answered")]
    assert all("category" not in s["context"]["contextActivities"] for s in allowed)
    # Page IRIs are the course's (ARCHITECTURE §3); the LMS's AU id is their parent.
    module = f"{COURSE_ID}/welcome"
    assert [s["object"]["id"] for s in allowed if verb(s) == "experienced"] == [
        f"{module}/page/why-it-matters",
        f"{module}/page/watch",
        f"{module}/page/check",
    ]
    assert all(
        s["context"]["contextActivities"]["parent"] == [{"objectType": "Activity", "id": AU_ID}]
        for s in allowed
    )


def test_reload_keeps_the_token_and_ends_the_session_cleanly(browser, series, launcher_for, fresh_lrs):
    path, mastery = au_url_and_mastery(series)
    la = launcher_for(series)
    reg = str(uuid.uuid4())
    url = la.launch_cmi5(path, ACTOR, AU_ID, registration=reg, mastery_score=mastery)
    out = run_learner(browser, url, reload_midway=True)
    assert out[-1].startswith("This session has ended.")
    assert out[:-1] == []
    got = wait_for_statements(fresh_lrs, reg, lambda s: any(verb(x) == "terminated" for x in s))
    assert la.sessions[0].fetch_calls == 1  # the reload reused the stored token
    assert la.violations == []
    assert [verb(s) for s in got] == [
        "launched",
        "initialized",
        "experienced",
        "experienced",
        "answered",
        "terminated",
    ]


def test_browse_mode_sends_no_completion(browser, series, launcher_for, fresh_lrs):
    path, mastery = au_url_and_mastery(series)
    la = launcher_for(series)
    reg = str(uuid.uuid4())
    url = la.launch_cmi5(path, ACTOR, AU_ID, registration=reg, mastery_score=mastery, launch_mode="Browse")
    assert run_learner(browser, url) == []
    got = wait_for_statements(fresh_lrs, reg, lambda s: any(verb(x) == "terminated" for x in s))
    assert la.violations == []
    verbs = [verb(s) for s in got]
    assert not {"completed", "passed", "failed"} & set(verbs)
    assert verbs[1] == "initialized" and verbs[-1] == "terminated"
    assert verbs.count("answered") == 4


def test_launched_mastery_score_decides_pass_or_fail(browser, series, launcher_for, fresh_lrs):
    """The course passes at 67 %; this LMS launched 0.9, so 67 % must be reported as failed."""
    path, _ = au_url_and_mastery(series)
    la = launcher_for(series)
    reg = str(uuid.uuid4())
    url = la.launch_cmi5(path, ACTOR, AU_ID, registration=reg, mastery_score=0.9)
    assert run_learner(browser, url, all_correct=False) == []
    got = wait_for_statements(fresh_lrs, reg, lambda s: any(verb(x) == "terminated" for x in s))
    assert la.violations == []
    failed = [s for s in got if verb(s) == "failed"]
    assert len(failed) == 1 and not [s for s in got if verb(s) == "passed"]
    assert failed[0]["result"]["score"] == {"scaled": 0.67, "raw": 67, "min": 0, "max": 100}
    assert failed[0]["result"]["success"] is False
    assert failed[0]["context"]["extensions"][CMI5 + "extensions/masteryscore"] == 0.9


def test_a_used_fetch_url_is_reported_and_nothing_is_sent(browser, series, launcher_for, fresh_lrs):
    path, mastery = au_url_and_mastery(series)
    la = launcher_for(series)
    reg = str(uuid.uuid4())
    url = la.launch_cmi5(path, ACTOR, AU_ID, registration=reg, mastery_score=mastery)
    errors: list[str] = []
    first, page = new_page(browser, errors)
    try:
        page.goto(url)
        start_module(page)
        wait_status(page, "All your progress is saved")
    finally:
        first.close()
    # Another window (no sessionStorage) opened with the same link: the fetch URL answers "Already in Use".
    second, page = new_page(browser, errors)
    try:
        page.goto(url)
        start_module(page)
        text = wait_status(page, "did not give this activity access")
        assert "Already in Use" in text
        assert page.locator("#ece-notice").is_visible()  # progress kept in the browser, and it says so
    finally:
        second.close()
    assert errors == []
    assert la.sessions[0].fetch_calls == 2
    assert la.violations == []


def test_every_au_of_the_shipped_ece_series_starts_and_ends_cleanly(
    browser, tmp_path_factory, launcher_for, fresh_lrs
):
    """The real course: each AU (four modules and the self-assessment) opens under a strict LMS."""
    from tests.support.xapi_session import ROOT

    built = build(tmp_path_factory.mktemp("ece-cmi5"), "cmi5", source=ROOT / "course_source")
    folder = built["ece-series-cmi5"]
    ns = {"c": "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"}
    aus = etree.parse(str(folder / "cmi5.xml")).getroot().findall("c:au", ns)
    assert len(aus) == 5
    la = launcher_for(folder)
    errors: list[str] = []
    context, page = new_page(browser, errors)
    regs = []
    try:
        for n, au in enumerate(aus):
            reg = str(uuid.uuid4())
            regs.append(reg)
            mastery = au.get("masteryScore")
            url = la.launch_cmi5(
                au.findtext("c:url", namespaces=ns),
                ACTOR,
                f"{AU_ID[:-1]}{n}",
                registration=reg,
                mastery_score=float(mastery) if mastery else None,
                move_on=au.get("moveOn"),
            )
            page.goto(url)
            start_module(page)
            wait_status(page, "All your progress is saved")
            assert page.locator(".ece-page:not([hidden]) h1").inner_text().strip()
            next_(page)
            leave(page)
            got = wait_for_statements(fresh_lrs, reg, lambda s: any(verb(x) == "terminated" for x in s))
            assert [verb(s) for s in got][:3] == ["launched", "initialized", "experienced"], au.get("id")
    finally:
        context.close()
    assert errors == []
    assert la.violations == []
    assert [s.fetch_calls for s in la.sessions] == [1] * 5


def test_review_mode_reports_nothing_but_still_terminates(browser, series, launcher_for, fresh_lrs):
    path, mastery = au_url_and_mastery(series)
    la = launcher_for(series)
    reg = str(uuid.uuid4())
    url = la.launch_cmi5(path, ACTOR, AU_ID, registration=reg, mastery_score=mastery, launch_mode="Review")
    errors: list[str] = []
    context, page = new_page(browser, errors)
    try:
        page.goto(url)
        start_module(page)
        wait_status(page, "All your progress is saved")
        next_(page)
        leave(page)
    finally:
        context.close()
    assert errors == []
    got = wait_for_statements(fresh_lrs, reg, lambda s: any(verb(x) == "terminated" for x in s))
    assert [verb(s) for s in got] == ["launched", "initialized", "terminated"]
    assert la.violations == []


def test_a_window_closed_offline_leaves_nothing_for_the_next_session_to_send(
    browser, series, launcher_for, fresh_lrs
):
    """Offline midway, closed without Exit, relaunched: the new session is clean and says what was lost."""
    path, mastery = au_url_and_mastery(series)
    la = launcher_for(series)
    reg = str(uuid.uuid4())
    errors: list[str] = []
    context, page = new_page(browser, errors)  # one browser profile: the same device both times
    try:
        page.goto(la.launch_cmi5(path, ACTOR, AU_ID, registration=reg, mastery_score=mastery))
        wait_status(page, "All your progress is saved")
        start_module(page)
        la.mode = "offline"
        next_(page)
        reflect(page, "Trust comes first.")
        next_(page)
        answer_quiz(page, all_correct=True)
        wait_status(page, "Connection problem")
        page.close()  # closed without Exit: terminated is queued and never arrives
        la.mode = "ok"
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(la.launch_cmi5(path, ACTOR, AU_ID, registration=reg, mastery_score=mastery))
        text = wait_status(page, "records of your previous session never reached your learning platform")
        assert "Your answers and reflections are kept in this activity." in text
        assert_axe_clean(page, "the notice of an earlier session's lost records (en)")
        page.get_by_label("Language / Langue").select_option("fr")
        wait_status(page, "enregistrements de votre session précédente ne sont jamais parvenus")
        assert_axe_clean(page, "the notice of an earlier session's lost records (fr)")
        page.get_by_label("Language / Langue").select_option("en")
        start_module(page)  # "Welcome back": continue
        page.get_by_role("link", name="Watch and reflect").first.click()
        kept = page.get_by_role("textbox", name="What stood out for you?").input_value()
        assert kept == "Trust comes first."
        leave(page)
    finally:
        context.close()
    assert errors == []
    assert la.violations == []  # no statement of the first session was sent in the second
    first, second = la.sessions
    assert [verb(s) for s in first.statements] == ["initialized", "experienced"]
    got = wait_for_statements(fresh_lrs, reg, lambda s: [verb(x) for x in s].count("terminated") == 1)
    mine = [s for s in got if s["context"]["extensions"][CMI5 + "extensions/sessionid"] == second.session_id]
    assert [verb(s) for s in mine][:2] == ["launched", "initialized"]  # the AU's first is initialized
    assert [verb(s) for s in mine if verb(s) in ("passed", "completed")] == ["passed", "completed"]
    assert next(s for s in mine if verb(s) == "passed")["result"]["score"]["raw"] == 100
