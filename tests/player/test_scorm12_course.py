"""The real ECE course as SCORM 1.2 packages in scorm-again's LMS runtime, clicked through by a learner.

Packages come from `ece-scorm build course_source --format scorm12`; what the LMS must hold is predicted
from the course YAML (ece_scorm.source.course.load_course) by tests/support/scorm_learner.py.
Rules: docs/LMS-RULES.md MUST 15–22.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ece_scorm.markdown import to_text
from ece_scorm.source.course import load_course
from tests.support.browser import assert_axe_clean, axe_every_screen_kind
from tests.support.moodle_rules import violations as moodle_violations
from tests.support.scorm_host import (
    build_packages,
    close_course,
    host_log,
    launch,
    runtime_cmi,
    uncommitted_changes,
)
from tests.support.scorm_learner import ScriptedLearner, lms_answers, wait_for_player

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
COURSE, _ = load_course(ROOT / "course_source")
MODULES = [m.id for m in COURSE.modules]
FRENCH = {"patient-partners", "self-assessment"}  # learners whose LMS preference is French
AXE_MODULES = {"introduction", "self-assessment"}


@pytest.fixture(scope="module")
def lms(lms_server, tmp_path_factory):
    for module_id, folder in build_packages("scorm12", MODULES, tmp_path_factory.mktemp("scorm12")).items():
        lms_server.add_package(f"s12-{module_id}", folder)
    return lms_server


def status_text(frame) -> str:
    """Return what the player's status line (role=status, #ece-status) tells the learner."""
    return frame.locator("#ece-status").inner_text()


@pytest.mark.parametrize("module_id", MODULES)
def test_learner_completes_module_and_lms_holds_everything(lms, lms_page, learner_key, module_id):
    module = COURSE.module(module_id)
    lang = "fr" if module_id in FRENCH else "en"
    lms.learner(learner_key, language="fr-CA" if lang == "fr" else "")
    errors: list[str] = []
    lms_page.on("pageerror", lambda e: errors.append(str(e)))
    # The introduction runs against Moodle's cmi.comments behaviour (append), the others scorm-again's.
    comments = "append" if module_id == "introduction" else "replace"
    frame = launch(lms_page, lms, "12", f"s12-{module_id}", learner_key, comments=comments)
    wait_for_player(frame)
    assert frame.evaluate("document.documentElement.lang") == lang  # LMS learner preference -> UI language
    # WCAG 2.1 AA under the LMS on every kind of screen the course has (the introduction has them all).
    axe = axe_every_screen_kind(frame, f"({lang}, SCORM 1.2)") if module_id in AXE_MODULES else None
    learner = ScriptedLearner(frame, module, lang, on_screen=axe)
    outcome = learner.run()
    if axe:
        assert "sa:summary" in axe.seen
        assert any("quiz" in k for k in axe.seen) == bool(module.quizzes())
    assert status_text(frame) == ""  # nothing went wrong, so nothing is shown
    close_course(lms_page, lms, learner_key)
    assert errors == []

    cmi = lms.stored(learner_key)
    core = cmi["core"]
    quizzes = module.quizzes()
    if quizzes:
        (quiz,) = quizzes
        expected_score = outcome.scores[quiz.id]
        assert core["lesson_status"] == ("passed" if expected_score >= quiz.passing_score else "failed")
        assert core["score"] == {"raw": str(expected_score), "min": "0", "max": "100"}  # MUST 17
    else:
        assert core["lesson_status"] == "completed"  # MUST 18
        assert core["score"]["raw"] == ""
    assert core["exit"] == ""  # MUST 19: finished
    assert core["lesson_location"] == module.pages[-1].id
    assert re.fullmatch(r"\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?", core["session_time"])
    assert 0 < len(cmi["suspend_data"]) <= 4096  # MUST 20
    held = [
        (i["id"], i["type"], i["student_response"], i["result"])
        for _, i in sorted(cmi["interactions"].items(), key=lambda kv: int(kv[0]))
    ]
    assert held == [a.scorm12() for a in lms_answers(outcome)]
    for iid, body in outcome.texts.items():  # full reflections, each exactly once
        assert cmi["comments"].count(f"[{iid}] {body}") == 1, iid
    assert len(cmi["comments"]) <= 4096
    log = host_log(lms_page)
    calls = [c[0] for c in log]
    assert calls.count("initialize") == 1 and calls.count("finish") == 1  # MUST 22
    assert uncommitted_changes(log, "cmi.core.lesson_location") == []  # MUST 21: commit after each change
    assert moodle_violations(log, "12") == []  # MUST 16: every value passes Moodle's validators


def test_resume_after_leaving_in_the_middle_of_the_quiz(lms, lms_page, learner_key):
    module = COURSE.module("staff-teams")
    (quiz,) = module.quizzes()
    frame = launch(lms_page, lms, "12", "s12-staff-teams", learner_key)
    wait_for_player(frame)
    learner = ScriptedLearner(frame, module, "en")
    learner.run(stop_before="knowledge-check")
    for i in range(3):
        learner.quiz(quiz, only=i)
    close_course(lms_page, lms, learner_key)
    mid = lms.stored(learner_key)
    assert (mid["core"]["exit"], mid["core"]["lesson_status"]) == ("suspend", "incomplete")  # MUST 19
    assert mid["core"]["lesson_location"] == "knowledge-check"
    assert len(mid["interactions"]) == len(learner.outcome.answers)

    frame = launch(lms_page, lms, "12", "s12-staff-teams", learner_key)
    wait_for_player(frame)
    again = ScriptedLearner(frame, module, "en")
    assert again.h1() == to_text(module.pages[-1].title["en"])  # back on the quiz page
    assert status_text(frame) == ""  # the last session was saved: nothing to replay, nothing to report
    # The three answers given before leaving come back checked and locked.
    first = quiz.questions[0]
    group = again.visible.get_by_role("group", name=to_text(first.prompt["en"]), exact=True)
    assert group.get_by_role("button", name="Check", exact=True).is_disabled()
    for i in range(3, len(quiz.questions)):
        again.quiz(quiz, only=i)
    close_course(lms_page, lms, learner_key)
    cmi = lms.stored(learner_key)
    everything = learner.outcome.answers + again.outcome.answers
    held = [
        (i["id"], i["type"], i["student_response"], i["result"])
        for _, i in sorted(cmi["interactions"].items(), key=lambda kv: int(kv[0]))
    ]
    assert held == [a.scorm12() for a in lms_answers(learner.outcome) + again.outcome.answers]
    assert len(held) == len(everything)  # nothing recorded twice on resume
    assert cmi["core"]["lesson_status"] == "passed" and cmi["core"]["exit"] == ""
    assert cmi["core"]["score"]["raw"] == str(again.outcome.scores[quiz.id])
    for iid, body in learner.outcome.texts.items():
        assert cmi["comments"].count(f"[{iid}] {body}") == 1

    # Coming back after finishing: Moodle 1.2 still hands suspend_data back, so the score is on screen,
    # and nothing in the LMS is reset or recorded again.
    frame = launch(lms_page, lms, "12", "s12-staff-teams", learner_key)
    wait_for_player(frame)
    result = frame.locator(".ece-page:not([hidden]) [data-result]")
    score = again.outcome.scores[quiz.id]
    assert result.inner_text() == f"Your score: {score}%. The pass mark is {quiz.passing_score}%: passed."
    close_course(lms_page, lms, learner_key)
    after = lms.stored(learner_key)
    assert after["core"]["lesson_status"] == "passed" and after["core"]["score"]["raw"] == str(score)
    assert after["interactions"] == cmi["interactions"] and after["comments"] == cmi["comments"]


def test_retried_quiz_appends_interactions_and_grades_only_the_final_attempt(lms, lms_page, learner_key):
    module = COURSE.module("leadership")
    (quiz,) = module.quizzes()
    frame = launch(lms_page, lms, "12", "s12-leadership", learner_key)
    wait_for_player(frame)
    learner = ScriptedLearner(frame, module, "en")
    learner.run(stop_before="knowledge-check")
    learner.quiz(quiz, all_wrong=True)
    assert learner.outcome.scores[quiz.id] == 0
    core = runtime_cmi(lms_page)["cmi"]["core"]
    assert (core["score"]["raw"], core["lesson_status"]) == ("", "incomplete")  # attempts left: no grade yet
    close_course(lms_page, lms, learner_key)  # leave between attempts
    # The LMS applies the manifest's mastery score at LMSFinish (Moodle's default); with no raw score
    # stored the learner is not marked failed while attempts are left.
    left = lms.stored(learner_key)
    assert left["student_data"]["mastery_score"] == str(quiz.passing_score)
    assert (left["core"]["lesson_status"], left["core"]["score"]["raw"]) == ("incomplete", "")

    frame = launch(lms_page, lms, "12", "s12-leadership", learner_key)
    wait_for_player(frame)
    learner.frame = frame
    learner.visible.get_by_role("button", name="Try again", exact=True).click()
    learner.quiz(quiz)
    close_course(lms_page, lms, learner_key)
    cmi = lms.stored(learner_key)
    rows = [
        (i["id"], i["type"], i["student_response"], i["result"])
        for _, i in sorted(cmi["interactions"].items(), key=lambda kv: int(kv[0]))
    ]
    assert rows == [a.scorm12() for a in lms_answers(learner.outcome)]
    ids = [r[0] for r in rows]
    assert all(ids.count(f"q.{quiz.id}.{q.id}") == 2 for q in quiz.questions)  # ARCHITECTURE §3: same id
    assert cmi["core"]["lesson_status"] == "passed"
    assert cmi["core"]["score"]["raw"] == str(learner.outcome.scores[quiz.id])


def test_failing_lms_is_shown_and_nothing_answered_is_lost(lms, lms_page, learner_key):
    module = COURSE.module("leadership")
    (quiz,) = module.quizzes()
    lms.learner(learner_key, commit_ok=False)
    frame = launch(lms_page, lms, "12", "s12-leadership", learner_key)
    wait_for_player(frame)
    status = frame.locator("#ece-status")
    assert status.get_attribute("role") == "status"
    assert "could not be saved" in status.inner_text()  # even the first commit failed: the learner sees it
    learner = ScriptedLearner(frame, module, "en")
    learner.run(stop_before="knowledge-check")
    learner.quiz(quiz, only=0)
    assert "could not be saved to your learning platform" in status.inner_text()
    assert_axe_clean(frame, "LMS error shown to the learner")
    frame.get_by_label("Language / Langue").select_option("fr")
    assert "n’a pas pu être enregistrée" in status.inner_text()  # the message follows the language
    close_course(lms_page, lms, learner_key)
    assert lms.stored(learner_key) == {}

    lms.learner(learner_key, commit_ok=True)  # the LMS works again: the next launch sends everything
    frame = launch(lms_page, lms, "12", "s12-leadership", learner_key)
    wait_for_player(frame)
    assert "envoyées à votre plateforme" in status_text(frame)
    cmi = lms.stored(learner_key)
    held = [
        (i["id"], i["type"], i["student_response"], i["result"])
        for _, i in sorted(cmi["interactions"].items(), key=lambda kv: int(kv[0]))
    ]
    assert held == [a.scorm12() for a in lms_answers(learner.outcome)]
    assert cmi["core"]["lesson_location"] == "knowledge-check"
    assert cmi["suspend_data"]


def test_refused_values_are_shown_and_sent_later(lms, lms_page, learner_key):
    module = COURSE.module("patient-partners")
    frame = launch(lms_page, lms, "12", "s12-patient-partners", learner_key, fail_set="cmi.interactions")
    wait_for_player(frame)
    learner = ScriptedLearner(frame, module, "en")
    learner.run(stop_before="recognition")
    status = status_text(frame)
    assert "refused to record cmi.interactions.0.id" in status and "error 101" in status
    close_course(lms_page, lms, learner_key)
    assert not lms.stored(learner_key).get("interactions")
    assert lms.stored(learner_key)["comments"]  # the full reflection text still reached the LMS

    frame = launch(lms_page, lms, "12", "s12-patient-partners", learner_key)
    wait_for_player(frame)
    cmi = lms.stored(learner_key)
    expected = [a.interaction_id for a in learner.outcome.answers]
    assert [i["id"] for i in cmi["interactions"].values()] == expected


def test_popup_window_finds_the_api_on_its_opener(lms, lms_page, learner_key):
    module = COURSE.module("leadership")
    frame = launch(lms_page, lms, "12", "s12-leadership", learner_key, mode="popup")
    wait_for_player(frame)
    learner = ScriptedLearner(frame, module, "en")
    learner.run(stop_before="co-leadership")
    close_course(lms_page, lms, learner_key)
    core = lms.stored(learner_key)["core"]
    assert (core["lesson_status"], core["lesson_location"], core["exit"]) == (
        "incomplete",
        "co-leadership",
        "suspend",
    )


def test_without_an_lms_the_player_falls_back_to_this_browser_and_says_so(lms, lms_page, learner_key):
    frame = launch(lms_page, lms, "12", "s12-leadership", learner_key, mode="noapi")
    notice = frame.locator("#ece-notice")
    notice.wait_for(state="visible", timeout=10_000)  # after the API search gives up (a few seconds)
    assert "this browser only" in notice.inner_text()
    # One notice, not two saying the same thing (the adapter's own "no LMS" status is gone).
    assert status_text(frame) == ""
    assert frame.locator(".ece-notices > :is(.ece-notice, .ece-status):visible").count() == 1
    assert_axe_clean(frame, "standalone fallback notice")
