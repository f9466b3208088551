"""The SCORM 1.2 adapter on its own, against scorm-again's real SCORM 1.2 runtime (no player core).

A hand-written SCO (tests/support/scorm_host/probe) loads the adapter; each test drives it with the learner
events of docs/ARCHITECTURE.md §5 and checks what the LMS holds. Rules: docs/LMS-RULES.md.
"""

from __future__ import annotations

import re

import pytest

from tests.support.moodle_rules import violations
from tests.support.scorm_events import choice, likert, page, text
from tests.support.scorm_host import HOST_DIR, close_course, host_log, launch

pytestmark = pytest.mark.browser

DATA = {
    "format": "scorm12",
    "course": {"id": "https://learn.example.org/ece", "slug": "ece"},
    "module": {"id": "introduction", "activityId": "https://learn.example.org/ece/introduction"},
    "languages": ["en", "fr"],
    "defaultLanguage": "en",
}


@pytest.fixture
def probe(lms_server):
    lms_server.add_package("probe", HOST_DIR / "probe")
    return lms_server


def start(frame, *, timeout_ms: int | None = None):
    frame.wait_for_function("() => typeof window.probeAdapter === 'function'")
    opts = {} if timeout_ms is None else {"findTimeoutMs": timeout_ms}
    frame.evaluate("([d, o]) => probeAdapter('scorm12', d, o)", [DATA, opts])
    return frame.evaluate("() => adapter.start()")


def call(frame, method: str, arg=None):
    return frame.evaluate(f"(a) => adapter.{method}(a)", arg)


def statuses(frame) -> list[dict]:
    return frame.evaluate("() => window.probeStatuses")


def test_every_event_reaches_the_lms_in_moodle_formats(probe, lms_page, learner_key):
    probe.learner(learner_key, language="fr-CA", name="Tremblay, Alex")
    frame = launch(lms_page, probe, "12", "probe", learner_key)
    info = start(frame)
    assert info == {
        "state": None,
        "language": "fr",
        "learnerName": "Tremblay, Alex",
        "mode": "normal",
        "resumed": False,
        "location": None,
    }
    call(frame, "record", choice("pillars", ["gamma", "alpha"], ["alpha", "gamma"]))
    call(frame, "record", choice("myth", ["false"], ["true"], kind="true-false"))
    call(frame, "record", likert("leadership", "l01", "somewhat"))
    long_text = "Première ligne.\nSecond line, " + "x" * 300
    call(frame, "record", text("why", long_text))
    call(frame, "record", {"type": "team-code", "code": "TEAM-42"})
    call(frame, "record", page("welcome", 1))
    call(frame, "saveState", "v1|p1|q0")
    call(frame, "complete", {"completed": True, "passed": False, "scoreRaw": 66.6666, "durationMs": 1})
    assert statuses(frame) == []  # nothing went wrong, so the learner was not bothered
    close_course(lms_page, probe, learner_key)

    cmi = probe.stored(learner_key)
    core = cmi["core"]
    assert core["lesson_status"] == "failed"  # MUST 18
    assert core["score"] == {"raw": "66.67", "min": "0", "max": "100"}  # MUST 17
    assert core["exit"] == ""  # MUST 19: done
    assert re.fullmatch(r"\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?", core["session_time"])  # MUST 16
    assert core["lesson_location"] == "welcome"
    assert cmi["suspend_data"] == "v1|p1|q0"
    it = cmi["interactions"]
    assert [it[str(i)]["id"] for i in range(len(it))] == [
        "q.check.pillars",
        "q.check.myth",
        "sa.leadership.l01",
        "r.why",
        "sa.team-code",
    ]
    q0 = it["0"]
    assert (q0["type"], q0["student_response"], q0["result"]) == ("choice", "a,c", "correct")
    assert q0["weighting"] == "1"
    assert q0["correct_responses"]["0"]["pattern"] == "a,c"
    assert q0["latency"] == "00:01:23.46"
    assert re.fullmatch(r"\d{2}:\d{2}:\d{2}", q0["time"])
    q1 = it["1"]
    assert (q1["type"], q1["student_response"], q1["result"]) == ("true-false", "f", "wrong")
    assert q1["correct_responses"]["0"]["pattern"] == "t"
    sa = it["2"]
    assert (sa["type"], sa["student_response"], sa["result"]) == ("likert", "somewhat", "neutral")
    assert sa["weighting"] == "0"  # never scored
    fill = it["3"]
    assert fill["type"] == "fill-in" and len(fill["student_response"]) == 255
    assert fill["student_response"].startswith("Première ligne. ¶ Second line, xxx")
    assert it["4"]["student_response"] == "TEAM-42"
    assert cmi["comments"] == "[r.why] " + long_text  # full text, newline kept
    calls = host_log(lms_page)
    # MUST 21/22: initialise once, a commit after every event, finish once and nothing after it.
    assert [c[0] for c in calls].count("initialize") == 1
    assert [c[0] for c in calls].count("finish") == 1 and calls[-1] == ["finish"]
    assert [c[0] for c in calls].count("commit") >= 5
    assert violations(calls, "12") == []  # MUST 16


def test_reflections_in_comments_are_right_whether_the_lms_appends_or_replaces(probe, browser, learner_key):
    for how in ("append", "replace"):  # Moodle appends, scorm-again replaces (DESIGN "Facts measured")
        key = f"{learner_key}-{how}"
        context = browser.new_context()
        page = context.new_page()
        frame = launch(page, probe, "12", "probe", key, comments=how)
        start(frame)
        call(frame, "record", text("one", "First thought."))
        call(frame, "record", text("two", "Second thought."))
        assert page.evaluate("() => window.eceHost.api.cmi.comments") == (
            "[r.one] First thought.\n\n[r.two] Second thought."
        )
        close_course(page, probe, key)
        # Resume: the player records the same reflection again; nothing may be duplicated.
        frame = launch(page, probe, "12", "probe", key, comments=how)
        start(frame)
        call(frame, "record", text("two", "Second thought."))
        call(frame, "record", text("three", "Third."))
        close_course(page, probe, key)
        assert probe.stored(key)["comments"] == (
            "[r.one] First thought.\n\n[r.two] Second thought.\n\n[r.three] Third."
        ), how
        context.close()


def test_refused_commits_are_shown_kept_and_sent_at_the_next_launch(probe, lms_page, learner_key):
    probe.learner(learner_key, commit_ok=False)
    frame = launch(lms_page, probe, "12", "probe", learner_key)
    start(frame)
    call(frame, "record", choice("pillars", ["beta-2"], ["alpha"]))
    errors = [s for s in statuses(frame) if s["level"] == "error"]
    assert errors and errors[-1]["code"] == "commit-failed" and errors[-1]["pending"] >= 1
    assert "could not be saved" in errors[-1]["message"]["en"]
    assert "n’a pas pu être enregistrée" in errors[-1]["message"]["fr"]
    # The learner sees it in the page, not only in a console.
    assert "could not be saved" in frame.locator("#status").inner_text()
    close_course(lms_page, probe, learner_key)
    assert probe.stored(learner_key) == {}
    assert probe.learner(learner_key).refused >= 2

    probe.learner(learner_key, commit_ok=True)  # the LMS is back
    frame = launch(lms_page, probe, "12", "probe", learner_key)
    start(frame)
    assert [s["code"] for s in statuses(frame)] == ["replayed"]
    stored = probe.stored(learner_key)
    assert stored["interactions"]["0"]["id"] == "q.check.pillars"
    assert stored["interactions"]["0"]["student_response"] == "b"
    assert stored["interactions"]["0"]["result"] == "wrong"
    assert stored["core"]["lesson_status"] == "incomplete"
    assert frame.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('ece-scorm:'))") == []


def test_refused_values_are_shown_and_not_lost(probe, lms_page, learner_key):
    frame = launch(lms_page, probe, "12", "probe", learner_key, fail_set="cmi.interactions")
    start(frame)
    call(frame, "record", likert("leadership", "l02", "no"))
    err = [s for s in statuses(frame) if s["level"] == "error"][-1]
    assert err["code"] == "set-failed" and "cmi.interactions" in err["message"]["en"] and err["pending"] == 1
    close_course(lms_page, probe, learner_key)
    assert "interactions" not in probe.stored(learner_key) or not probe.stored(learner_key)["interactions"]

    frame = launch(lms_page, probe, "12", "probe", learner_key)
    start(frame)
    stored = probe.stored(learner_key)
    assert stored["interactions"]["0"]["id"] == "sa.leadership.l02"
    assert stored["interactions"]["0"]["student_response"] == "no"


def test_oversized_state_is_reported_to_the_learner(probe, lms_page, learner_key):
    frame = launch(lms_page, probe, "12", "probe", learner_key)
    start(frame)
    # MUST 20: strict LMSs refuse more than 4,096 characters; scorm-again (like Moodle with "standards mode"
    # off) keeps up to 64,000, so the value is stored but the learner is warned all the same.
    call(frame, "saveState", "x" * 4097)
    (status,) = statuses(frame)
    assert (status["code"], status["level"]) == ("state-too-long", "warn")
    assert "4097 > 4096" in status["message"]["en"]
    close_course(lms_page, probe, learner_key)
    assert len(probe.stored(learner_key)["suspend_data"]) == 4097


def test_no_lms_is_reported_after_searching(probe, lms_page, learner_key):
    frame = launch(lms_page, probe, "12", "probe", learner_key, mode="noapi")
    assert start(frame, timeout_ms=1200) is None  # the core then falls back to standalone
    # The core's notice tells the learner; a status from the adapter too would show the news twice.
    assert statuses(frame) == []


def test_popup_finds_the_api_on_its_opener_and_resumes(probe, lms_page, learner_key):
    frame = launch(lms_page, probe, "12", "probe", learner_key, mode="popup")
    assert start(frame)["mode"] == "normal"
    call(frame, "record", page("p3", 2))
    call(frame, "saveState", "state-after-p3")
    close_course(lms_page, probe, learner_key)
    stored = probe.stored(learner_key)
    assert stored["core"]["exit"] == "suspend"  # MUST 19: left unfinished
    assert stored["core"]["lesson_status"] == "incomplete"

    frame = launch(lms_page, probe, "12", "probe", learner_key, mode="popup")
    info = start(frame)
    assert (info["state"], info["resumed"], info["location"]) == ("state-after-p3", True, "p3")


def test_hidden_page_commits_and_a_state_saved_while_hiding_reaches_the_lms(probe, lms_page, learner_key):
    frame = launch(lms_page, probe, "12", "probe", learner_key)
    frame.wait_for_function("() => typeof window.probeAdapter === 'function'")
    frame.evaluate("(d) => probeAdapter('scorm12', d)", DATA)
    # Like the core: its pagehide handler, added as soon as start() resolves, saves the state one last time.
    frame.evaluate("""() => adapter.start().then((info) => {
        addEventListener('pagehide', () => adapter.saveState('saved-while-hiding'));
        return info;
    })""")
    before = [c[0] for c in host_log(lms_page)].count("commit")
    frame.evaluate("""() => {
        Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true});
        document.dispatchEvent(new Event('visibilitychange', {bubbles: true}));
    }""")
    calls = host_log(lms_page)
    assert [c[0] for c in calls].count("commit") == before + 1  # MUST 21: commit when hidden
    assert calls[-2][:2] == ["set", "cmi.core.session_time"]
    assert statuses(frame) == []
    close_course(lms_page, probe, learner_key)
    stored = probe.stored(learner_key)
    assert stored["suspend_data"] == "saved-while-hiding"
    assert stored["core"]["exit"] == "suspend"
    frame = launch(lms_page, probe, "12", "probe", learner_key)
    info = start(frame)
    assert info["state"] == "saved-while-hiding"
    assert statuses(frame) == []  # it went with LMSFinish: nothing was left to send again


def test_a_failed_attempt_with_attempts_left_is_not_a_grade(probe, lms_page, learner_key):
    data = dict(DATA, quizzes=[{"id": "check", "attempts": 3, "passingScore": 80, "questions": []}])
    frame = launch(lms_page, probe, "12", "probe", learner_key)
    frame.wait_for_function("() => typeof window.probeAdapter === 'function'")
    frame.evaluate("(d) => probeAdapter('scorm12', d)", data)
    frame.evaluate("() => adapter.start()")

    def result(score: int, passed: bool, attempt: int) -> str:
        call(
            frame,
            "record",
            {
                "type": "quiz-result",
                "quizId": "check",
                "scoreRaw": score,
                "passed": passed,
                "attempt": attempt,
            },
        )
        return frame.evaluate("() => window.parent.eceHost.api.cmi.core.score.raw")

    # Moodle would turn a stored raw below the manifest's masteryscore into "failed" at LMSFinish.
    assert result(57, False, 1) == ""
    assert result(71, False, 3) == "71"  # attempts used up: final
    assert result(86, True, 3) == "86"
    assert frame.evaluate("() => window.parent.eceHost.api.cmi.core.lesson_status") == "incomplete"


def test_a_corrupt_local_copy_is_ignored(probe, lms_page, learner_key):
    key = f"ece-scorm:scorm12:{DATA['module']['activityId']}:{learner_key}"
    frame = launch(lms_page, probe, "12", "probe", learner_key)
    frame.evaluate("(k) => localStorage.setItem(k, '{not json')", key)
    assert start(frame)["state"] is None
    assert statuses(frame) == []
    frame = launch(lms_page, probe, "12", "probe", learner_key)
    frame.evaluate(
        """(k) => localStorage.setItem(k, JSON.stringify([
        {slot: "state", state: "ok-state", ops: [["cmi.suspend_data", "ok-state"]]},
        {ops: "not a list"}, {kind: "comment", id: 5}, null, 42,
        {indexed: "cmi.interactions", ops: [["id", {}]]}]))""",
        key,
    )
    info = start(frame)
    assert info["state"] == "ok-state"  # the one well-formed item is kept and sent
    assert [s["code"] for s in statuses(frame)] == ["replayed"]
    close_course(lms_page, probe, learner_key)
    assert probe.stored(learner_key)["suspend_data"] == "ok-state"
    assert "interactions" not in probe.stored(learner_key) or probe.stored(learner_key)["interactions"] == {}


def test_a_top_level_window_nobody_opened_does_not_wait_for_an_lms(probe, lms_page):
    lms_page.goto(f"{probe.base}/pkg/probe/index.html")
    started = lms_page.evaluate("() => Date.now()")
    assert start(lms_page.main_frame) is None
    assert lms_page.evaluate("() => Date.now()") - started < 1000  # no 3-second search when alone
    assert statuses(lms_page.main_frame) == []  # the core's notice says it, once


def test_an_lms_without_the_optional_comments_element_is_not_an_error(probe, lms_page, learner_key):
    frame = launch(lms_page, probe, "12", "probe", learner_key, fail_set="cmi.comments", fail_code="401")
    start(frame)
    call(frame, "record", text("one", "First."))
    call(frame, "record", text("two", "Second."))
    (status,) = statuses(frame)  # told once, not at every commit
    assert (status["code"], status["level"]) == ("not-kept", "warn")
    assert frame.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('ece-scorm:'))") == []
    assert "does not keep cmi.comments" in status["message"]["en"]
    close_course(lms_page, probe, learner_key)
    stored = probe.stored(learner_key)
    assert [i["id"] for i in stored["interactions"].values()] == ["r.one", "r.two"]
    assert stored["comments"] == ""


def test_the_moodle_rule_check_refuses_what_moodle_refuses():
    def sets(*pairs):
        return [["set", el, v] for el, v in pairs]

    bad = sets(
        ("cmi.core.lesson_status", "not attempted"),
        ("cmi.core.score.raw", "101"),
        ("cmi.core.session_time", "0:00:01"),
        ("cmi.suspend_data", "x" * 4097),
        ("cmi.interactions.0.id", "has space"),
        ("cmi.interactions.0.student_response", "y" * 256),
    )
    good = sets(
        ("cmi.core.lesson_status", "incomplete"),
        ("cmi.core.score.raw", "85.5"),
        ("cmi.core.session_time", "0012:00:01.5"),
        ("cmi.interactions.0.id", "q.a.b"),
    )
    assert len(violations(bad, "12")) == len(bad)
    assert violations(good, "12") == []
    bad04 = sets(
        ("cmi.interactions.0.learner_response", "two\nlines"),
        ("cmi.session_time", "PT1.234S"),
        ("cmi.interactions.0.timestamp", "2040-01-01T00:00:00"),
        ("cmi.score.scaled", ".5"),
        ("cmi.interactions.0.description", "{lang=en}" + "d" * 251),
    )
    typed = sets(("cmi.interactions.0.type", "long-fill-in")) + bad04
    assert len(violations(typed, "2004")) == len(bad04)


def test_time_formats_at_their_edges(probe, lms_page, learner_key):
    frame = launch(lms_page, probe, "12", "probe", learner_key, mode="noapi")
    frame.wait_for_function("() => !!(window.ECE && window.ECE.scorm)")
    got = frame.evaluate("""() => { const S = window.ECE.scorm; return {
        t12: [0, 5, 59995, 3600000, 36000000 * 100, 3.6e9 * 10].map(S.timespan12),
        iso: [0, 1234, 59995, 3723450, 90061000].map(S.duration2004),
        when: S.time2004('2026-11-23T14:05:09.876Z'), clamp: S.time2004('2100-01-01T00:00:00Z').slice(0, 4),
        dec: [83.333333, 100, 0.1 + 0.2].map((x) => S.decimal(x)),
        cut: S.cut('ab\\ud83d\\ude00', 3), line: S.oneLine(' a\\r\\n\\n b '),
        lang: ['fr-CA', 'FRA', 'French', 'en_GB', 'de', ''].map((l) => S.language(l, ['en', 'fr'])),
    }; }""")
    # MUST 16: 1.2 timespans HH:MM:SS.SS with 2–4 hour digits; 2004 ISO 8601 with at most 2 decimals.
    assert got["t12"] == [
        "00:00:00.00",
        "00:00:00.01",
        "00:01:00.00",
        "01:00:00.00",
        "1000:00:00.00",
        "9999:59:59.99",
    ]
    assert got["iso"] == ["PT0S", "PT1.23S", "PT1M0S", "PT1H2M3.45S", "PT25H1M1S"]
    assert got["when"] == "2026-11-23T14:05:09.87Z" and got["clamp"] == "2038"
    assert got["dec"] == ["83.33", "100", "0.3"]
    assert got["cut"] == "ab" and got["line"] == "a ¶ b"
    assert got["lang"] == ["fr", "fr", "fr", "en", None, None]
