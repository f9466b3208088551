"""The ECE course's xAPI packages in Moodle 4.5 through mod_tincanlaunch and its LRS.

Each module's package goes through the plugin's add-activity validation (tincan_import.php), is launched
with the plugin's own launch (view.php -> "Start New Registration" -> a new window with endpoint, auth,
actor, registration and activity_id) and played by a learner by role and accessible name; the window is then
closed. Moodle must hold what the plugin derives from the LRS: completion by the `completed` verb and,
since the grade comes only from result.score.scaled of that statement (MUST 28), a gradebook grade equal to
the learner's score. Expected scores are hand counts from the course YAML (the learner's answer plan).
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from ece_scorm.source.course import load_course
from tests.support.lms import ROOT, Moodle
from tests.support.scorm_learner import ScriptedLearner
from tests.support.tincan_learner import (
    FailingLearner,
    close_content,
    expected_score,
    lrs_statements,
    moodle_login,
    start_registration,
    switch_language,
)

pytestmark = [pytest.mark.lms, pytest.mark.browser]

COURSE, _ = load_course(ROOT / "course_source")
MODULES = list(COURSE.modules)
VERBS = "http://adlnet.gov/expapi/verbs/"
FAIL_MODULE = "patient-partners"  # the shortest module with a knowledge check


@pytest.fixture(scope="module")
def imported(moodle: Moodle, moodle_lrs: dict, xapi_cmi5_packages: dict[str, Path]) -> dict[str, dict]:
    """Import every module's xAPI package (a new Moodle course each) with a 100-point grade."""
    return {
        m.id: moodle.import_tincan(xapi_cmi5_packages[f"ece-{m.id}-xapi"], {"grade": 100}) for m in MODULES
    }


@pytest.fixture(scope="module")
def learner_page(browser, imported):
    """A browser of the Moodle learner, logged in once through Moodle's own form."""
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    context.errors = []
    page = context.new_page()
    first = next(iter(imported.values()))
    moodle_login(page, first["login_url"], first["learner"]["username"], first["learner"]["password"])
    yield page
    context.close()


def play(page, info: dict, learner_class=ScriptedLearner, lang: str = "en", **kw):
    """Launch an activity as the learner, play the whole module, close the window; return (learner, query)."""
    module = COURSE.module(next(m for m in MODULES if info["activity_id"] == COURSE.activity_id(m)).id)
    content, query = start_registration(page, info["view_url"])
    content.on("pageerror", lambda e: page.context.errors.append(str(e)))
    if lang != "en":
        switch_language(content, lang)
    learner = learner_class(content, module, lang, **kw)
    learner.run()
    content.wait_for_function(
        "() => /All your progress is saved|Toute votre progression/.test("
        "document.getElementById('ece-status').textContent)",
        timeout=20_000,
    )
    close_content(page, content)  # then the Moodle page asks the plugin to check completion
    return learner, query


def test_every_module_package_passes_the_plugins_validation(imported):
    for m in MODULES:
        info = imported[m.id]
        assert info["ok"] is True and info["validation_errors"] == {} and info["warnings"] == [], m.id
        assert info["activity_id"] == COURSE.activity_id(m)  # the first <activity> of tincan.xml
        assert info["launch_url"].endswith("/mod_tincanlaunch/content/index.html")
        assert info["grade_item"]["grademax"] == 100


def test_passing_every_module_completes_it_and_grades_it_with_the_learners_score(
    moodle, moodle_lrs, imported, learner_page
):
    played = {}
    for m in MODULES:
        if m.id == FAIL_MODULE:
            continue
        learner, query = play(learner_page, imported[m.id])
        # MUST 27: the plugin's own launch parameters
        assert query["endpoint"] == moodle_lrs["endpoint"]
        assert query["activity_id"] == COURSE.activity_id(m)
        # Unlike our stand-in launcher (fresh credentials per launch), the plugin hands the content the
        # site's own LRS key and secret, and an mbox actor (its "use email" setting).
        site = base64.b64encode(f"{moodle_lrs['username']}:{moodle_lrs['password']}".encode()).decode()
        assert query["auth"] == f"Basic {site}"
        assert json.loads(query["actor"])["mbox"].startswith("mailto:")
        played[m.id] = (learner, query)
    assert learner_page.context.errors == []
    for n, (mid, (learner, query)) in enumerate(played.items()):
        module = COURSE.module(mid)
        score = expected_score(module, learner)
        if module.quizzes():
            assert learner.outcome.passed is True
            # ScriptedLearner: every question right except the second -> round(100 * (n - 1) / n)
            q = len(module.quizzes()[0].questions)
            assert score == round(100 * (q - 1) / q)
        got = lrs_statements(moodle_lrs, query["registration"])
        completed = [s for s in got if s["verb"]["id"] == VERBS + "completed"]
        assert len(completed) == 1 and completed[0]["object"]["id"] == COURSE.activity_id(module)
        if score is not None:
            want = {"scaled": score / 100, "raw": score, "min": 0, "max": 100}
            assert completed[0]["result"]["score"] == want
        else:
            assert "score" not in completed[0]["result"]  # the self-assessment has no score to give
        report = moodle.tincan_report(imported[mid]["cmid"], sync=n == 0)  # one task run reads them all
        if n == 0:
            assert report["sync"]["ok"] is True
        assert report["completion"]["state_name"] == "complete", mid
        assert report["completion"]["rules"]["tincancompletionverb"]["status"] == 1, mid
        events = [e["eventname"] for e in report["events"]]
        assert "\\mod_tincanlaunch\\event\\activity_launched" in events
        assert "\\mod_tincanlaunch\\event\\activity_completed" in events
        grade = report["gradebook"]["finalgrade"]
        assert (None if grade is None else round(grade, 2)) == score, mid


def test_a_failed_module_is_complete_with_its_low_score_as_grade(moodle, moodle_lrs, imported, learner_page):
    module = COURSE.module(FAIL_MODULE)
    quiz = module.quizzes()[0]
    right = len(quiz.questions) // 2  # below the 80 % pass mark in every attempt
    learner, query = play(learner_page, imported[FAIL_MODULE], FailingLearner, lang="fr", right=right)
    assert learner.outcome.passed is False
    score = expected_score(module, learner)
    assert score == round(100 * right / len(quiz.questions))
    got = lrs_statements(moodle_lrs, query["registration"])
    verbs = [s["verb"]["id"].rsplit("/", 1)[-1] for s in got]
    assert "failed" in verbs and "passed" not in verbs
    completed = next(s for s in got if s["verb"]["id"] == VERBS + "completed")
    assert completed["result"]["score"]["scaled"] == score / 100
    report = moodle.tincan_report(imported[FAIL_MODULE]["cmid"], sync=True)
    assert report["completion"]["state_name"] == "complete"
    assert round(report["gradebook"]["finalgrade"], 2) == score
    assert learner_page.context.errors == []
