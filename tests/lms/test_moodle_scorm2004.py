"""The course's SCORM 2004 4th edition packages in the real Moodle 4.5: imported through its own validation,
played in its player (the SCO in iframe#scorm_object) by a learner, and read back from what Moodle stored.

What Moodle must hold is predicted from the course YAML by tests/support/scorm_learner.py. One module (the
introduction) is played deeply. Rules: moodle-requirements.md §5.1 MUST 15–22.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ece_scorm.markdown import to_text
from ece_scorm.pipeline import budget as state_budget
from ece_scorm.source.course import load_course
from tests.support.moodle_learner import (
    MoodleLearner,
    api_log,
    enter,
    interactions,
    leave,
    new_learner_page,
    sco_tracks,
    wait_stored,
)
from tests.support.scorm_learner import lms_answers

pytestmark = [pytest.mark.browser, pytest.mark.lms]
ROOT = Path(__file__).resolve().parents[2]
COURSE, _ = load_course(ROOT / "course_source")
INTRO = COURSE.module("introduction")
(QUIZ,) = INTRO.quizzes()
HEALTH_ORG = {"completion": 2, "completionstatusrequired": 2, "completionscorerequired": QUIZ.passing_score}
LONG_ID = "r.intro-principle-practice"
LONG_LEN = 1500  # over SCORM 1.2's strict cap; 2004 keeps it whole in every LMS
# 22 texts in 2004's 64,000-character suspend_data, as the build writes it (tests/pipeline/test_budget.py)
ROOMY_CAP = state_budget.measure(INTRO, "scorm2004", len(COURSE.languages)).text_max


def prompt_of(reflection_id: str) -> str:
    """Return the accessible name (the English prompt) of a page reflection's text box."""
    rid = reflection_id.removeprefix("r.")
    return to_text(next(r for r in INTRO.reflections() if r.id == rid).prompt["en"])


def answers2004(outcome) -> list[tuple[str, ...]]:
    return [a.scorm2004("en") for a in lms_answers(outcome)]


def test_every_package_and_the_series_import_through_moodles_validation(moodle, scorm_packages):
    for name, zip_path in scorm_packages["scorm2004"].items():
        info = moodle.import_scorm(zip_path)
        assert (info["ok"], info["validation_errors"], info["warnings"]) == (True, {}, []), name
        assert info["scorm_version"] == "SCORM_1.3"
        launches = [s["launch"] for s in info["scoes"] if s["scormtype"] == "sco"]
        if name == "series":
            assert launches == [f"{m.id}/index.html" for m in COURSE.modules]
        else:
            assert launches == ["index.html"], name


def test_first_launch_of_the_series_reads_no_resume_data(moodle, scorm_packages, browser):
    info = moodle.import_scorm(scorm_packages["scorm2004"]["series"])
    page = new_learner_page(browser, info)
    try:
        frame = enter(page, info)
        assert frame.get_by_role("heading", level=1).first.inner_text() == to_text(INTRO.pages[0].title["en"])
        calls = api_log(page)
        assert ["GetValue", "cmi.entry", "ab-initio", "0", None] in calls
        # Nothing to resume on a first launch: cmi.suspend_data is not read, and Moodle logs no error.
        assert [c for c in calls if c[1] == "cmi.suspend_data" and c[0] == "GetValue"] == []
        assert [c for c in calls if c[3] != "0"] == []
        leave(page, info)
        report = wait_stored(
            lambda: moodle.scorm_report(info["cmid"]),
            lambda r: bool(r["attempts"]) and sco_tracks(r).get("cmi.exit") == "suspend",
        )
        assert sco_tracks(report)["cmi.completion_status"] == "incomplete"  # MUST 18
    finally:
        page.context.close()


def test_pass_after_leaving_halfway_with_standards_mode_on(standards_on, scorm_packages, browser):
    moodle = standards_on
    info = moodle.import_scorm(scorm_packages["scorm2004"]["introduction"], HEALTH_ORG)
    report = lambda: moodle.scorm_report(info["cmid"])  # noqa: E731

    page = new_learner_page(browser, info)
    frame = enter(page, info)
    learner = MoodleLearner(frame, INTRO, "en", long={LONG_ID: LONG_LEN})
    learner.run(stop_before="knowledge-check")
    for i in range(3):
        learner.quiz(QUIZ, only=i)
    leave(page, info)
    page.context.close()
    mid = wait_stored(report, lambda r: sco_tracks(r).get("cmi.exit") == "suspend")
    tracks = sco_tracks(mid)
    assert (tracks["cmi.completion_status"], tracks.get("cmi.success_status", "unknown")) == (
        "incomplete",
        "unknown",
    )
    assert tracks["cmi.location"] == "knowledge-check"
    assert interactions(tracks, "learner_response") == answers2004(learner.outcome)
    long_body = learner.outcome.texts[LONG_ID]
    # 2004 is not bound by 1.2's caps: kept whole; Moodle hands every LF back as CRLF (undone at resume).
    assert long_body.replace("\n", "\r\n") in tracks["cmi.suspend_data"]
    assert mid["gradebook"]["grade"] is None and mid["completion"]["state_name"] == "incomplete"

    page = new_learner_page(browser, info)
    frame = enter(page, info)
    calls = api_log(page)
    assert ["GetValue", "cmi.entry", "resume", "0", None] in calls
    read = [c for c in calls if c[:2] == ["GetValue", "cmi.suspend_data"]]
    assert len(read) == 1 and read[0][2] == tracks["cmi.suspend_data"]  # resume data read when resuming
    again = MoodleLearner(frame, INTRO, "en")
    assert again.h1() == to_text(INTRO.pages[-1].title["en"])
    first = QUIZ.questions[0]
    group = again.visible.get_by_role("group", name=to_text(first.prompt["en"]), exact=True)
    assert group.get_by_role("button", name="Check", exact=True).is_disabled()
    assert again.text_on("guiding-principles", prompt_of(LONG_ID)) == long_body
    assert again.counter(prompt_of(LONG_ID)) == f"{LONG_LEN} of {ROOMY_CAP} characters"
    again.goto("knowledge-check")
    for i in range(3, len(QUIZ.questions)):
        again.quiz(QUIZ, only=i)
    score = again.outcome.scores[QUIZ.id]
    assert score >= QUIZ.passing_score
    assert [c for c in api_log(page) if c[3] != "0"] == []
    leave(page, info)
    page.context.close()
    done = wait_stored(report, lambda r: sco_tracks(r).get("cmi.success_status") == "passed")
    tracks = sco_tracks(done)
    assert tracks["cmi.completion_status"] == "completed"  # MUST 18: both statuses, set explicitly
    assert tracks["cmi.score.raw"] == str(score) and tracks["cmi.score.scaled"] == str(score / 100)
    expected = lms_answers(learner.outcome) + again.outcome.answers
    assert interactions(tracks, "learner_response") == [a.scorm2004("en") for a in expected]
    assert done["gradebook"]["grade"] == float(score)
    assert done["completion"]["state_name"] in ("complete", "complete_pass")


def test_fail_after_the_last_attempt_with_standards_mode_off(standards_off, scorm_packages, browser):
    moodle = standards_off
    info = moodle.import_scorm(scorm_packages["scorm2004"]["introduction"], HEALTH_ORG)
    page = new_learner_page(browser, info)
    frame = enter(page, info)
    learner = MoodleLearner(frame, INTRO, "en")
    for p in INTRO.pages:  # a learner who looks at every page and answers only the quiz
        learner.goto(p.id)
    for attempt in range(QUIZ.attempts):
        if attempt:
            learner.visible.get_by_role("button", name="Try again", exact=True).click()
        learner.quiz(QUIZ, all_wrong=True)
    assert learner.outcome.scores[QUIZ.id] == 0
    leave(page, info)
    page.context.close()
    report = wait_stored(
        lambda: moodle.scorm_report(info["cmid"]),
        lambda r: sco_tracks(r).get("cmi.success_status") == "failed",
    )
    tracks = sco_tracks(report)
    # Every page seen and the quiz done (course_source/modules/introduction.yaml): completed, but failed.
    assert tracks["cmi.completion_status"] == "completed"
    assert tracks["cmi.score.raw"] == "0"
    assert interactions(tracks, "learner_response") == answers2004(learner.outcome)
    assert report["gradebook"]["grade"] == 0.0
    assert report["completion"]["state_name"] in ("incomplete", "complete_fail")
