"""The real ECE course as SCORM 2004 4th ed. packages in scorm-again's LMS runtime, clicked through.

Packages come from `ece-scorm build course_source --format scorm2004`; what the LMS must hold is predicted
from the course YAML by tests/support/scorm_learner.py. Rules: docs/LMS-RULES.md MUST 15–25.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ece_scorm.markdown import to_text
from ece_scorm.source.course import load_course
from tests.support.browser import axe_every_screen_kind
from tests.support.moodle_rules import violations as moodle_violations
from tests.support.scorm_host import build_packages, close_course, host_log, launch, uncommitted_changes
from tests.support.scorm_learner import ScriptedLearner, lms_answers, wait_for_player

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
COURSE, _ = load_course(ROOT / "course_source")
MODULES = [m.id for m in COURSE.modules]
FRENCH = {"introduction", "leadership"}  # learners whose LMS preference is French
ISO_DURATION = r"PT(\d+H)?(\d+M)?\d+(\.\d{1,2})?S"  # MUST 16


@pytest.fixture(scope="module")
def lms(lms_server, tmp_path_factory):
    for module_id, folder in build_packages("scorm2004", MODULES, tmp_path_factory.mktemp("s2004")).items():
        lms_server.add_package(f"s2004-{module_id}", folder)
    return lms_server


def status_text(frame) -> str:
    """Return what the player's status line (role=status, #ece-status) tells the learner."""
    return frame.locator("#ece-status").inner_text()


def held(cmi: dict) -> list[tuple[str, str, str, str]]:
    rows = sorted(cmi.get("interactions", {}).items(), key=lambda kv: int(kv[0]))
    return [(i["id"], i["type"], i["learner_response"], i["result"]) for _, i in rows]


def open_module(lms, page, module_id: str, learner_key: str, **opts):
    frame = launch(page, lms, "2004", f"s2004-{module_id}", learner_key, **opts)
    wait_for_player(frame)
    return frame


@pytest.mark.parametrize("module_id", MODULES)
def test_learner_completes_module_and_lms_holds_everything(lms, lms_page, learner_key, module_id):
    module = COURSE.module(module_id)
    lang = "fr" if module_id in FRENCH else "en"
    lms.learner(learner_key, language="fr" if lang == "fr" else "en-CA")
    errors: list[str] = []
    lms_page.on("pageerror", lambda e: errors.append(str(e)))
    frame = open_module(lms, lms_page, module_id, learner_key)
    assert frame.evaluate("document.documentElement.lang") == lang  # learner_preference.language
    axe = axe_every_screen_kind(frame, f"({lang}, SCORM 2004)") if module_id == "introduction" else None
    learner = ScriptedLearner(frame, module, lang, on_screen=axe)
    outcome = learner.run()
    if axe:
        assert {"sa:start", "sa:pillar", "sa:plan", "sa:summary"} <= axe.seen
        assert {"quiz", "reflection", "video"} <= {t for k in axe.seen for t in k.split("+")}
    assert status_text(frame) == ""
    close_course(lms_page, lms, learner_key)
    assert errors == []

    cmi = lms.stored(learner_key)
    quizzes = module.quizzes()
    if quizzes:
        (quiz,) = quizzes
        score = outcome.scores[quiz.id]
        assert (cmi["completion_status"], cmi["success_status"]) == (
            "completed",
            "passed" if score >= quiz.passing_score else "failed",
        )  # MUST 18
        assert cmi["score"]["raw"] == str(score)  # MUST 17: Moodle grades raw
        assert float(cmi["score"]["scaled"]) == score / 100
        assert (cmi["score"]["min"], cmi["score"]["max"]) == ("0", "100")
        descriptions = {i["id"]: i["description"] for i in cmi["interactions"].values()}
        for q in quiz.questions:
            want = "{lang=" + lang + "}" + to_text(q.prompt[lang])[:250]
            assert descriptions[f"q.{quiz.id}.{q.id}"] == want
    else:
        assert (cmi["completion_status"], cmi["success_status"]) == ("completed", "unknown")
        assert cmi["score"]["raw"] == ""
    assert cmi["exit"] == "normal"  # MUST 19: finished
    assert cmi["location"] == module.pages[-1].id
    assert re.fullmatch(ISO_DURATION, cmi["session_time"])
    assert 0 < len(cmi["suspend_data"]) <= 64000  # MUST 20
    assert held(cmi) == [a.scorm2004(lang) for a in lms_answers(outcome)]
    comments = [(c["location"], c["comment"]) for c in cmi["comments_from_learner"].values()]
    flat = [(iid, f"{{lang={lang}}}" + " ¶ ".join(body.splitlines())) for iid, body in outcome.texts.items()]
    assert comments == flat  # each reflection once, in full
    log = host_log(lms_page)
    calls = [c[0] for c in log]
    assert calls.count("initialize") == 1 and calls.count("finish") == 1  # MUST 22
    assert uncommitted_changes(log, "cmi.location") == []  # MUST 21: commit after each change
    assert moodle_violations(log, "2004") == []  # MUST 16: every value passes Moodle's validators


def test_resume_after_suspend_restores_page_answers_and_lms_data(lms, lms_page, learner_key):
    module = COURSE.module("patient-partners")
    (quiz,) = module.quizzes()
    frame = open_module(lms, lms_page, "patient-partners", learner_key)
    learner = ScriptedLearner(frame, module, "en")
    learner.run(stop_before="knowledge-check")
    learner.quiz(quiz, only=0)
    learner.quiz(quiz, only=1)
    close_course(lms_page, lms, learner_key)
    mid = lms.stored(learner_key)
    # MUST 19: Moodle hands 2004 data back only after cmi.exit = suspend.
    assert (mid["exit"], mid["completion_status"]) == ("suspend", "incomplete")
    assert mid["location"] == "knowledge-check"

    frame = open_module(lms, lms_page, "patient-partners", learner_key)
    again = ScriptedLearner(frame, module, "en")
    assert again.h1() == to_text(module.pages[-1].title["en"])
    second = quiz.questions[1]
    group = again.visible.get_by_role("group", name=to_text(second.prompt["en"]), exact=True)
    assert group.get_by_role("button", name="Check", exact=True).is_disabled()
    assert "Incorrect" in group.inner_text()  # the wrong answer and its feedback are back
    for i in range(2, len(quiz.questions)):
        again.quiz(quiz, only=i)
    close_course(lms_page, lms, learner_key)
    cmi = lms.stored(learner_key)
    assert held(cmi) == [a.scorm2004("en") for a in lms_answers(learner.outcome) + again.outcome.answers]
    assert (cmi["completion_status"], cmi["success_status"], cmi["exit"]) == ("completed", "passed", "normal")
    assert cmi["score"]["raw"] == str(again.outcome.scores[quiz.id])
    locations = [c["location"] for c in cmi["comments_from_learner"].values()]
    assert sorted(locations) == sorted(learner.outcome.texts) and len(set(locations)) == len(locations)


def test_failing_lms_is_shown_and_answers_are_sent_at_the_next_launch(lms, lms_page, learner_key):
    module = COURSE.module("staff-teams")
    lms.learner(learner_key, commit_ok=False)
    frame = open_module(lms, lms_page, "staff-teams", learner_key)
    learner = ScriptedLearner(frame, module, "en")
    learner.run(stop_before="trauma-informed-teams")
    assert "could not be saved to your learning platform" in status_text(frame)
    close_course(lms_page, lms, learner_key)
    assert lms.stored(learner_key) == {}

    lms.learner(learner_key, commit_ok=True)
    frame = open_module(lms, lms_page, "staff-teams", learner_key)
    where = next(p for p in module.pages if p.id == "trauma-informed-teams")
    assert ScriptedLearner(frame, module, "en").h1() == to_text(where.title["en"])  # state kept locally
    assert "were sent to your learning platform" in status_text(frame)
    cmi = lms.stored(learner_key)
    assert held(cmi) == [a.scorm2004("en") for a in lms_answers(learner.outcome)]
    assert cmi["location"] == "trauma-informed-teams"


def test_without_an_lms_the_player_falls_back_and_says_so(lms, lms_page, learner_key):
    frame = launch(lms_page, lms, "2004", "s2004-self-assessment", learner_key, mode="noapi")
    notice = frame.locator("#ece-notice")
    notice.wait_for(state="visible", timeout=10_000)
    assert "this browser only" in notice.inner_text()
    # One notice, not two saying the same thing (the adapter's own "no LMS" status is gone).
    assert status_text(frame) == ""
    assert frame.locator(".ece-notices > :is(.ece-notice, .ece-status):visible").count() == 1
