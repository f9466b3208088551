"""The SCORM 2004 adapter on its own, against scorm-again's real SCORM 2004 runtime (no player core).

The hand-written SCO in tests/support/scorm_host/probe drives the adapter with ARCHITECTURE §5 events.
Rules: docs/LMS-RULES.md (MUST 16–25).
"""

from __future__ import annotations

import re

import pytest

from tests.support.moodle_rules import violations
from tests.support.scorm_events import choice, likert, page, text
from tests.support.scorm_host import HOST_DIR, close_course, host_log, launch

pytestmark = pytest.mark.browser

DATA = {
    "format": "scorm2004",
    "course": {"id": "https://learn.example.org/ece", "slug": "ece"},
    "module": {"id": "staff-teams", "activityId": "https://learn.example.org/ece/staff-teams"},
    "languages": ["en", "fr"],
    "defaultLanguage": "en",
}
ISO_DURATION = r"PT(\d+H)?(\d+M)?\d+(\.\d{1,2})?S"  # MUST 16: at most 2 decimals
CMI_TIME = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{2}Z"


@pytest.fixture
def probe(lms_server):
    lms_server.add_package("probe", HOST_DIR / "probe")
    return lms_server


def start(frame, *, timeout_ms: int | None = None):
    frame.wait_for_function("() => typeof window.probeAdapter === 'function'")
    opts = {} if timeout_ms is None else {"findTimeoutMs": timeout_ms}
    frame.evaluate("([d, o]) => probeAdapter('scorm2004', d, o)", [DATA, opts])
    return frame.evaluate("() => adapter.start()")


def call(frame, method: str, arg=None):
    return frame.evaluate(f"(a) => adapter.{method}(a)", arg)


def statuses(frame) -> list[dict]:
    return frame.evaluate("() => window.probeStatuses")


def test_every_event_reaches_the_lms_in_2004_formats(probe, lms_page, learner_key):
    probe.learner(learner_key, language="fr", name="Tremblay, Alex")
    frame = launch(lms_page, probe, "2004", "probe", learner_key)
    frame.evaluate("() => document.documentElement.setAttribute('lang', 'fr')")  # the core shows French
    info = start(frame)
    assert (info["language"], info["learnerName"], info["resumed"]) == ("fr", "Tremblay, Alex", False)
    call(frame, "record", choice("pillars", ["delta", "beta-2"], ["beta-2", "delta"]))
    call(frame, "record", choice("myth", ["true"], ["true"], kind="true-false"))
    call(frame, "record", likert("patients", "p03", "unknown"))
    reflection = "Ligne un.\nLigne deux : " + "é" * 4100
    call(frame, "record", text("why", reflection))
    call(frame, "record", page("summary", 3))
    call(frame, "saveState", "s" * 5000)  # well within 64,000 (MUST 20)
    call(frame, "complete", {"completed": True, "passed": True, "scoreRaw": 85.714, "durationMs": 1})
    assert statuses(frame) == []
    close_course(lms_page, probe, learner_key)

    cmi = probe.stored(learner_key)
    # MUST 17/18: both statuses, raw 0–100 plus scaled.
    assert (cmi["completion_status"], cmi["success_status"]) == ("completed", "passed")
    assert cmi["score"] == {"raw": "85.71", "min": "0", "max": "100", "scaled": "0.8571"}
    assert cmi["exit"] == "normal"  # MUST 19: done
    assert re.fullmatch(ISO_DURATION, cmi["session_time"])
    assert cmi["location"] == "summary"
    assert cmi["suspend_data"] == "s" * 5000
    it = cmi["interactions"]
    q0 = it["0"]
    assert (q0["id"], q0["type"], q0["learner_response"], q0["result"]) == (
        "q.check.pillars",
        "choice",
        "beta_2[,]delta",
        "correct",
    )  # Moodle's short ids have no "-"
    assert q0["correct_responses"]["0"]["pattern"] == "beta_2[,]delta"
    assert q0["description"] == "{lang=fr}Q ?" and q0["latency"] == "PT1M23.46S"
    assert re.fullmatch(CMI_TIME, q0["timestamp"])
    q1 = it["1"]
    assert (q1["type"], q1["learner_response"], q1["result"]) == ("true-false", "true", "correct")
    sa = it["2"]
    assert (sa["id"], sa["type"], sa["learner_response"], sa["result"]) == (
        "sa.patients.p03",
        "likert",
        "unknown",
        "neutral",
    )
    fill = it["3"]
    assert fill["type"] == "long-fill-in"
    expected = "{lang=fr}" + ("Ligne un. ¶ Ligne deux : " + "é" * 4100)[:4000]
    assert fill["learner_response"] == expected
    assert cmi["comments_from_learner"]["0"]["comment"] == expected
    assert cmi["comments_from_learner"]["0"]["location"] == "r.why"
    calls = host_log(lms_page)
    assert [c[0] for c in calls].count("initialize") == 1
    assert [c[0] for c in calls].count("finish") == 1 and calls[-1] == ["finish"]  # MUST 22
    assert violations(calls, "2004") == []  # MUST 16


def test_suspend_restores_state_and_never_duplicates_comments(probe, lms_page, learner_key):
    frame = launch(lms_page, probe, "2004", "probe", learner_key)
    start(frame)
    call(frame, "record", text("one", "First thought."))
    call(frame, "record", page("p2", 1))
    call(frame, "saveState", "after-p2")
    close_course(lms_page, probe, learner_key)
    stored = probe.stored(learner_key)
    # MUST 19: Moodle only gives suspend_data and location back after cmi.exit = suspend.
    assert (stored["exit"], stored["completion_status"], stored["success_status"]) == (
        "suspend",
        "incomplete",
        "unknown",
    )

    frame = launch(lms_page, probe, "2004", "probe", learner_key)
    info = start(frame)
    assert (info["state"], info["location"], info["resumed"]) == ("after-p2", "p2", True)
    call(frame, "record", text("one", "First thought."))  # recorded again after resume
    call(frame, "record", text("two", "Second."))
    close_course(lms_page, probe, learner_key)
    comments = probe.stored(learner_key)["comments_from_learner"]
    assert [(c["location"], c["comment"]) for c in comments.values()] == [
        ("r.one", "{lang=en}First thought."),
        ("r.two", "{lang=en}Second."),
    ]


def test_refused_commits_are_shown_kept_and_sent_at_the_next_launch(probe, lms_page, learner_key):
    probe.learner(learner_key, commit_ok=False)
    frame = launch(lms_page, probe, "2004", "probe", learner_key)
    start(frame)
    call(frame, "record", choice("pillars", ["alpha"], ["alpha"]))
    err = [s for s in statuses(frame) if s["level"] == "error"][-1]
    assert err["code"] == "commit-failed" and err["pending"] >= 1
    close_course(lms_page, probe, learner_key)
    assert probe.stored(learner_key) == {}

    probe.learner(learner_key, commit_ok=True)
    frame = launch(lms_page, probe, "2004", "probe", learner_key)
    start(frame)
    assert [s["code"] for s in statuses(frame)] == ["replayed"]
    q = probe.stored(learner_key)["interactions"]["0"]
    assert (q["id"], q["learner_response"], q["result"]) == ("q.check.pillars", "alpha", "correct")


def test_refused_values_are_shown(probe, lms_page, learner_key):
    frame = launch(lms_page, probe, "2004", "probe", learner_key, fail_set="cmi.comments_from_learner")
    start(frame)
    call(frame, "record", text("why", "Because."))
    err = [s for s in statuses(frame) if s["level"] == "error"][-1]
    assert err["code"] == "set-failed" and "cmi.comments_from_learner.0.comment" in err["message"]["en"]
    assert "error 351" in err["message"]["en"]


def test_no_lms_is_reported_after_searching(probe, lms_page, learner_key):
    frame = launch(lms_page, probe, "2004", "probe", learner_key, mode="noapi")
    assert start(frame, timeout_ms=1000) is None
    assert statuses(frame) == []  # the core's notice says it, once


def test_answers_after_terminate_are_kept_for_the_next_launch(probe, lms_page, learner_key):
    frame = launch(lms_page, probe, "2004", "probe", learner_key)
    start(frame)
    call(frame, "exit", False)
    assert call(frame, "exit", False) is True  # safe to call twice; Terminate was called once
    assert call(frame, "record", likert("leadership", "l05", "yes")) is False  # MUST 22: API closed
    (status,) = statuses(frame)
    assert (status["code"], status["level"]) == ("session-ended", "warn")
    assert [c[0] for c in host_log(lms_page)].count("finish") == 1
    probe.wait_for(lambda: probe.stored(learner_key).get("exit") == "suspend")

    frame = launch(lms_page, probe, "2004", "probe", learner_key)
    start(frame)
    q = probe.stored(learner_key)["interactions"]["0"]
    assert (q["id"], q["learner_response"]) == ("sa.leadership.l05", "yes")


@pytest.mark.parametrize("mode", ["nested", "popup"])
def test_the_api_is_found_on_a_grandparent_or_on_the_opener(probe, lms_page, learner_key, mode):
    frame = launch(lms_page, probe, "2004", "probe", learner_key, mode=mode)
    assert start(frame)["mode"] == "normal"  # MUST 15: parents first, then the opener
    call(frame, "record", page("p1", 0))
    close_course(lms_page, probe, learner_key)
    stored = probe.stored(learner_key)
    assert (stored["location"], stored["exit"]) == ("p1", "suspend")


def test_a_replayed_answer_the_lms_already_has_is_not_recorded_twice(probe, lms_page, learner_key):
    probe.learner(learner_key, commit_ok="final")  # commits fail, but LMSFinish's beacon gets through
    frame = launch(lms_page, probe, "2004", "probe", learner_key)
    start(frame)
    call(frame, "record", likert("staff-teams", "s01", "somewhat"))
    assert statuses(frame)[-1]["code"] == "commit-failed"
    close_course(lms_page, probe, learner_key)
    assert len(probe.stored(learner_key)["interactions"]) == 1  # it arrived with Terminate after all

    probe.learner(learner_key, commit_ok=True)
    frame = launch(lms_page, probe, "2004", "probe", learner_key)
    start(frame)
    assert [s["code"] for s in statuses(frame)] == ["replayed"]
    close_course(lms_page, probe, learner_key)
    interactions = probe.stored(learner_key)["interactions"]
    assert [i["id"] for i in interactions.values()] == ["sa.staff-teams.s01"]  # read back, not duplicated
