"""The self-assessment as an xAPI package: likert items with their scale, prompts, and the team code."""

from __future__ import annotations

import uuid

import pytest

from ece_scorm.source.course import load_course
from tests.support.browser import start_module
from tests.support.scorm_learner import ScriptedLearner
from tests.support.xapi_session import (
    COURSE_ID,
    MINIMAL,
    build,
    launchers,
    leave,
    new_page,
    next_,
    validation_problems,
    verb,
    wait_for_statements,
    wait_status,
)

pytestmark = [pytest.mark.browser, pytest.mark.lrs]
SA = "self-check"  # tests/fixtures/courses/minimal/self_assessment.yaml
MODULE = f"{COURSE_ID}/{SA}"
TEAM_EXT = f"{COURSE_ID}/xapi/extensions/team-code"
ACTOR = {"objectType": "Agent", "name": "Sam Roy", "mbox": "mailto:sam@example.org"}
SCALE = [
    {"id": "yes", "description": {"en": "Yes", "fr": "Oui"}},
    {"id": "somewhat", "description": {"en": "Somewhat", "fr": "En partie"}},
    {"id": "no", "description": {"en": "No", "fr": "Non"}},
    {"id": "unknown", "description": {"en": "Unknown", "fr": "Je ne sais pas"}},
]


@pytest.fixture(scope="module")
def packages(tmp_path_factory):
    return build(tmp_path_factory.mktemp("xapi-sa"), "xapi")


@pytest.fixture()
def launcher_for(fresh_lrs):
    yield from launchers(fresh_lrs)


def test_self_assessment_statements_carry_scale_prompts_and_team_code(
    browser, packages, launcher_for, fresh_lrs
):
    la = launcher_for(packages[f"ece-mini-{SA}-xapi"])
    reg = str(uuid.uuid4())
    errors: list[str] = []
    context, page = new_page(browser, errors)
    try:
        page.goto(la.launch_xapi("index.html", ACTOR, MODULE, reg))
        start_module(page)
        wait_status(page, "All your progress is saved")
        page.get_by_role("textbox", name="Team code (optional, given by your facilitator)").fill("BLUE-7")
        page.get_by_role("group", name="Which pillar best fits your role?").get_by_role(
            "radio", name="Leadership"
        ).check()
        next_(page)
        rate = {"Leaders champion engagement.": "Yes", "Engagement has a budget.": "Unknown"}
        for item, point in rate.items():
            page.get_by_role("group", name=item).get_by_role("radio", name=point).check()
        next_(page)
        page.get_by_role("textbox", name="What surprised you?").fill("How much we already do.")
        next_(page)
        page.get_by_role("textbox", name="One key strength").fill("Leaders who listen.")
        page.get_by_role("textbox", name="Who will lead it?").fill("Our manager")
        page.keyboard.press("Tab")
        next_(page)
        page.locator(".ece-page:not([hidden]) [data-summary]").wait_for()
        wait_status(page, "All your progress is saved")
        leave(page)
    finally:
        context.close()
    assert errors == []

    got = wait_for_statements(fresh_lrs, reg, lambda s: any(verb(x) == "terminated" for x in s))
    assert validation_problems(got) == []
    likert = [s for s in got if s["object"]["definition"].get("interactionType") == "likert"]
    assert [s["object"]["id"] for s in likert] == [f"{MODULE}/leadership/l01", f"{MODULE}/leadership/l02"]
    assert [s["result"]["response"] for s in likert] == ["yes", "unknown"]
    for s in likert:
        assert s["object"]["definition"]["scale"] == SCALE
        assert "success" not in s["result"] and "correctResponsesPattern" not in s["object"]["definition"]
    assert likert[0]["object"]["definition"]["name"] == {
        "en": "Leaders champion engagement.",
        "fr": "Les leaders défendent l’engagement.",
    }

    texts = {
        s["object"]["id"]: s
        for s in got
        if s["object"]["definition"].get("interactionType") == "long-fill-in"
    }
    assert texts[f"{MODULE}/prompt/surprised"]["result"]["response"] == "How much we already do."
    assert texts[f"{MODULE}/prompt/strength"]["result"]["response"] == "Leaders who listen."
    assert texts[f"{MODULE}/prompt/first-step-lead"]["result"]["response"] == "Our manager"
    assert texts[f"{MODULE}/prompt/strength"]["object"]["definition"]["name"] == {
        "en": "One key strength",
        "fr": "Une force principale",
    }

    # The team code rides on every statement once entered (ARCHITECTURE §6), so a team's results gather.
    first_answer = next(i for i, s in enumerate(got) if verb(s) == "answered")
    assert got[0]["context"].get("extensions", {}).get(TEAM_EXT) is None  # initialized: not entered yet
    for s in got[first_answer:]:
        assert s["context"]["extensions"][TEAM_EXT] == "BLUE-7", verb(s)
    completed = [s for s in got if verb(s) == "completed"]
    assert len(completed) == 1 and completed[0]["object"]["id"] == MODULE
    assert completed[0]["object"]["definition"]["type"] == "http://adlnet.gov/expapi/activities/assessment"
    assert not [s for s in got if verb(s) in ("passed", "failed")]  # nothing scored in a self-assessment


def test_extra_pillar_answers_reach_the_lrs_for_both_pillars(browser, packages, launcher_for, fresh_lrs):
    course, _ = load_course(MINIMAL)  # expected values from the YAML, not from the package
    module = next(m for m in course.modules if m.id == SA)
    sa = module.self_assessment()
    la = launcher_for(packages[f"ece-mini-{SA}-xapi"])
    reg = str(uuid.uuid4())
    errors: list[str] = []
    context, page = new_page(browser, errors)
    try:
        page.goto(la.launch_xapi("index.html", ACTOR, MODULE, reg))
        start_module(page)
        wait_status(page, "All your progress is saved")
        learner = ScriptedLearner(page.main_frame, module, "en")
        # Primary: the last pillar; extra: the first one (with its reflection).
        learner.self_assessment(sa, others=(0,))
        wait_status(page, "All your progress is saved")
        leave(page)
    finally:
        context.close()
    assert errors == []

    got = wait_for_statements(fresh_lrs, reg, lambda s: any(verb(x) == "terminated" for x in s))
    assert validation_problems(got) == []
    answered = [
        s
        for s in got
        if verb(s) == "answered" and s["object"]["definition"].get("interactionType") == "likert"
    ]
    chosen = [sa.pillars[0], sa.pillars[-1]]
    expected = [
        (f"{MODULE}/{p.id}/{it.id}", sa.scale[k % len(sa.scale)].id)
        for p in chosen
        for k, it in enumerate(p.items)
    ]
    assert [(s["object"]["id"], s["result"]["response"]) for s in answered] == expected
    assert not [s for s in answered if s["object"]["id"].startswith(f"{MODULE}/{sa.pillars[1].id}/")]
    prompts = {
        s["object"]["id"]: s["result"]["response"]
        for s in got
        if verb(s) == "answered" and s["object"]["definition"].get("interactionType") == "long-fill-in"
    }
    for r in sa.pillars[0].reflections:  # the extra pillar's own reflection too
        assert prompts[f"{MODULE}/prompt/{r.id}"] == f"en answer to sa.{r.id}\nsecond line"
