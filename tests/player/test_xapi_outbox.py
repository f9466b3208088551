"""The durable outbox in Chromium: offline, reload while offline, lost replies, 5xx, 401 (issue #4 item 4)."""

from __future__ import annotations

import re
import time
import uuid
from collections import Counter

import pytest

from tests.support.browser import describe_violations, run_axe, start_module
from tests.support.xapi_session import (
    COURSE_ID,
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
ACTOR = {"objectType": "Agent", "name": "Léa Tremblay", "mbox": "mailto:lea@example.org"}
OUTBOX_KEY = "ece-xapi-outbox:{endpoint}|{reg}|" + MODULE


@pytest.fixture(scope="module")
def packages(tmp_path_factory):
    return build(tmp_path_factory.mktemp("xapi-outbox"), "xapi")


@pytest.fixture()
def launcher_for(fresh_lrs):
    yield from launchers(fresh_lrs)


def stored_outbox(page, la, reg) -> list[dict]:
    """Return the statements persisted in the browser's outbox."""
    key = OUTBOX_KEY.format(endpoint=la.endpoint, reg=reg)
    return page.evaluate("(k) => JSON.parse(localStorage.getItem(k) || '[]')", key)


def pending_shown(page) -> int:
    """Return the waiting count the learner sees in the status region."""
    match = re.search(r"(\d+) records? (?:is|are) waiting", page.locator("#ece-status").inner_text())
    return int(match.group(1)) if match else 0


def delivered(lrs, reg, n: int) -> None:
    """Wait until the LRS holds n statements of this registration (the connection is healthy up to here)."""
    wait_for_statements(lrs, reg, lambda s: len(s) >= n)


def wait_pending(page, la, reg, n: int, timeout: float = 30000) -> None:
    """Wait until the learner is shown `n` waiting records; fail with what is shown and kept otherwise."""
    try:
        page.wait_for_function(
            "(n) => new RegExp('\\\\b' + n + (n === 1 ? ' record is' : ' records are') + ' waiting').test("
            "document.getElementById('ece-status').textContent)",
            arg=n,
            timeout=timeout,
        )
    except Exception as err:  # Playwright's TimeoutError: report the state, not just the timeout
        kept = [(verb(s), s["object"]["id"].rsplit("/", 1)[-1]) for s in stored_outbox(page, la, reg)]
        raise AssertionError(f"status {page.locator('#ece-status').inner_text()!r}; kept {kept}") from err


def test_offline_then_reload_while_offline_then_back_every_statement_arrives_once(
    browser, packages, launcher_for, fresh_lrs
):
    la = launcher_for(packages["ece-mini-welcome-xapi"])
    reg = str(uuid.uuid4())
    url = la.launch_xapi("index.html", ACTOR, MODULE, reg)
    errors: list[str] = []
    context, page = new_page(browser, errors)
    try:
        page.goto(url)
        start_module(page)
        next_(page)
        delivered(fresh_lrs, reg, 3)  # initialized, two pages
        la.mode = "offline"  # the LRS connection drops mid-module
        reflect(page, "Written while offline.")
        wait_status(page, "records? (is|are) waiting")
        next_(page)
        wait_pending(page, la, reg, 2)
        # The learner sees exactly what the browser keeps, in an accessible status (WCAG 2.1 AA).
        assert pending_shown(page) == len(stored_outbox(page, la, reg)) == 2
        violations = run_axe(page)
        assert violations == [], describe_violations(violations)
        assert {verb(s) for s in stored_outbox(page, la, reg)} == {"answered", "experienced"}

        page.reload()  # reload while offline: pagehide adds suspended + terminated, nothing is lost
        start_module(page)
        page.locator(".ece-page:not([hidden]) h1", has_text="Check your understanding").wait_for()
        wait_status(page, "records? (is|are) waiting")
        answer_quiz(page)
        wait_pending(page, la, reg, 10)
        kept = stored_outbox(page, la, reg)
        assert pending_shown(page) == len(kept) == 10
        mark = len(la.log)
        la.mode = "ok"  # back online: the backoff retry delivers everything without any learner action
        wait_status(page, "All your progress is saved", timeout=45000)
        posts = [e for e in la.log[mark:] if e[:2] == ("POST", "/lrs/statements")]
        assert 1 <= len(posts) <= 2, posts  # the ten kept statements go out as a batch, not one by one
        assert stored_outbox(page, la, reg) == []
        leave(page)
    finally:
        context.close()
    assert errors == []

    want = Counter(
        {
            "initialized": 1,
            "experienced": 3,
            "answered": 4,
            "suspended": 1,
            "terminated": 2,
            "resumed": 1,
            "passed": 1,
            "completed": 1,
        }
    )
    got = wait_for_statements(fresh_lrs, reg, lambda s: Counter(verb(x) for x in s) == want)
    ids = [s["id"] for s in got]
    assert len(ids) == len(set(ids)) == sum(want.values())  # exactly once, by id
    assert set(ids) >= {s["id"] for s in kept}  # nothing the browser kept was lost
    assert validation_problems(got) == []
    by_time = sorted(got, key=lambda s: s["timestamp"])
    assert verb(by_time[0]) == "initialized" and verb(by_time[-1]) == "terminated"
    answered = [s for s in by_time if verb(s) == "answered"]
    assert answered[0]["result"]["response"] == "Written while offline."
    assert [s["object"]["id"].rsplit("/", 1)[-1] for s in answered[1:]] == [
        "pillar-count",
        "pillars",
        "relationships",
    ]


def test_lost_replies_are_resent_with_the_same_ids_and_stored_once(
    browser, packages, launcher_for, fresh_lrs
):
    """The LRS stores a batch but the answer is lost: the outbox resends; the LRS keeps each id once."""
    la = launcher_for(packages["ece-mini-welcome-xapi"])
    reg = str(uuid.uuid4())
    errors: list[str] = []
    context, page = new_page(browser, errors)
    try:
        page.goto(la.launch_xapi("index.html", ACTOR, MODULE, reg))
        start_module(page)
        delivered(fresh_lrs, reg, 2)  # initialized, first page
        la.mode = "lost-reply"
        next_(page)
        wait_status(page, "records? (is|are) waiting")
        la.mode = "ok"
        wait_status(page, "All your progress is saved", timeout=45000)
        leave(page)
    finally:
        context.close()
    assert errors == []
    got = wait_for_statements(fresh_lrs, reg, lambda s: any(verb(x) == "terminated" for x in s))
    resent = [i for i, n in Counter(la.posted_ids).items() if n > 1]
    assert resent, "the lost reply should have made the browser send a statement again"
    ids = [s["id"] for s in got]
    assert len(ids) == len(set(ids))
    assert set(resent) <= set(ids)
    assert Counter(verb(s) for s in got) == Counter(
        {"initialized": 1, "experienced": 2, "suspended": 1, "terminated": 1}
    )


def test_browser_offline_and_back_online_flushes_at_once(browser, packages, launcher_for, fresh_lrs):
    """Playwright's offline switch: the `online` event triggers the retry without waiting for the backoff."""
    la = launcher_for(packages["ece-mini-welcome-xapi"])
    reg = str(uuid.uuid4())
    errors: list[str] = []
    context, page = new_page(browser, errors)
    try:
        page.goto(la.launch_xapi("index.html", ACTOR, MODULE, reg))
        start_module(page)
        delivered(fresh_lrs, reg, 2)
        context.set_offline(True)
        next_(page)
        reflect(page, "No network here.")
        wait_pending(page, la, reg, 2)
        time.sleep(3)  # let the backoff grow past the time we allow for delivery below
        context.set_offline(False)
        started = time.monotonic()
        wait_status(page, "All your progress is saved", timeout=5000)
        assert time.monotonic() - started < 5
        leave(page)
    finally:
        context.close()
    assert errors == []
    got = wait_for_statements(fresh_lrs, reg, lambda s: any(verb(x) == "terminated" for x in s))
    assert [verb(s) for s in sorted(got, key=lambda s: s["timestamp"])][:4] == [
        "initialized",
        "experienced",
        "experienced",
        "answered",
    ]


def test_server_errors_are_retried_until_delivered(browser, packages, launcher_for, fresh_lrs):
    la = launcher_for(packages["ece-mini-welcome-xapi"])
    reg = str(uuid.uuid4())
    errors: list[str] = []
    context, page = new_page(browser, errors)
    try:
        page.goto(la.launch_xapi("index.html", ACTOR, MODULE, reg))
        start_module(page)
        delivered(fresh_lrs, reg, 2)
        la.mode = "503"
        next_(page)
        # One record, said in the singular, in both languages, French spacing before the colon (U+00A0).
        wait_status(page, "^Connection problem: 1 record is waiting to be sent. It is kept on this device")
        page.get_by_label("Language / Langue").select_option("fr")
        wait_status(page, "^Problème de connexion\u00a0: 1 enregistrement attend d’être envoyé. Il est")
        page.get_by_label("Language / Langue").select_option("en")
        assert ("POST", "/lrs/statements", 503) in la.log
        la.mode = "ok"
        wait_status(page, "All your progress is saved", timeout=45000)
    finally:
        context.close()
    assert errors == []
    assert [verb(s) for s in statements(fresh_lrs, reg)][:2] == ["initialized", "experienced"]


def test_refused_credentials_are_shown_and_not_retried_then_replayed_on_next_launch(
    browser, packages, launcher_for, fresh_lrs
):
    la = launcher_for(packages["ece-mini-welcome-xapi"])
    reg = str(uuid.uuid4())
    errors: list[str] = []
    context, page = new_page(browser, errors)
    try:
        page.goto(la.launch_xapi("index.html", ACTOR, MODULE, reg))
        start_module(page)
        delivered(fresh_lrs, reg, 2)
        la.mode = "401"
        next_(page)
        text = wait_status(page, "refused the credentials")
        assert "(401)" in text and "1 record is kept on this device" in text
        assert page.locator("#ece-status").get_attribute("class").endswith("ece-status-error")
        page.get_by_label("Language / Langue").select_option("fr")
        assert "a refusé l’authentification (401)" in page.locator("#ece-status").inner_text()
        violations = run_axe(page)
        assert violations == [], describe_violations(violations)
        posts = sum(1 for e in la.log if e[:2] == ("POST", "/lrs/statements"))
        time.sleep(4)  # several backoff periods: no retry with refused credentials
        assert sum(1 for e in la.log if e[:2] == ("POST", "/lrs/statements")) == posts
        la.mode = "ok"
        # The next launch (new credentials, same registration) replays what was kept.
        page.goto(la.launch_xapi("index.html", ACTOR, MODULE, reg))
        start_module(page)
        wait_status(page, "Toute votre progression est enregistrée|All your progress is saved")
        # The replay is in; leave only once this launch has started (its `resumed` is in the LRS too).
        wait_for_statements(fresh_lrs, reg, lambda s: any(verb(x) == "resumed" for x in s))
        leave(page)
    finally:
        context.close()
    assert errors == []
    got = wait_for_statements(fresh_lrs, reg, lambda s: sum(verb(x) == "terminated" for x in s) == 2)
    assert Counter(verb(s) for s in got)["experienced"] >= 1
    assert len({s["id"] for s in got}) == len(got)
