"""SCORM 1.2 paths an acceptance audit found untested, with the real ECE packages under scorm-again:
an LMS refusing LMSInitialize or LMSFinish, cmi.comments filling up, and the self-assessment with an
extra pillar. Expected values come from the course YAML (ece_scorm.source.course.load_course).
Rules: docs/LMS-RULES.md MUST 20 (CMIString4096), MUST 21 (commit), MUST 22 (no call after finish).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ece_scorm.markdown import to_text
from ece_scorm.source.course import load_course
from tests.support.scorm_host import build_packages, close_course, launch
from tests.support.scorm_learner import (
    Answer,
    ScriptedLearner,
    api_calls,
    lms_answers,
    status_text,
    wait_for_player,
    wait_status,
)

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
COURSE, _ = load_course(ROOT / "course_source")
COMMENTS_LIMIT = 4096  # SCORM 1.2 CMIString4096 (MUST 20)


@pytest.fixture(scope="module")
def lms(lms_server, tmp_path_factory):
    folders = build_packages(
        "scorm12", ["introduction", "leadership", "self-assessment"], tmp_path_factory.mktemp("scorm12gaps")
    )
    for module_id, folder in folders.items():
        lms_server.add_package(f"g12-{module_id}", folder)
    return lms_server


def rows(cmi) -> list[tuple[str, str, str, str]]:
    return [
        (i["id"], i["type"], i["student_response"], i["result"])
        for _, i in sorted(cmi.get("interactions", {}).items(), key=lambda kv: int(kv[0]))
    ]


def outbox_keys(frame) -> list[str]:
    return frame.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('ece-scorm:'))")


def test_refused_initialize_is_shown_keeps_earlier_answers_and_calls_nothing(lms, lms_page, learner_key):
    module = COURSE.module("leadership")
    # First launch: the LMS refuses every commit, so the answers wait in this browser's outbox.
    lms.learner(learner_key, commit_ok=False)
    frame = launch(lms_page, lms, "12", "g12-leadership", learner_key)
    wait_for_player(frame)
    learner = ScriptedLearner(frame, module, "en")
    learner.run(stop_before="sustaining-culture")
    assert learner.outcome.texts  # at least one reflection is waiting
    close_course(lms_page, lms, learner_key)
    assert lms.stored(learner_key) == {}
    lms.learner(learner_key, commit_ok=True)

    # Second launch: LMSInitialize answers "false" with error 101.
    frame = launch(lms_page, lms, "12", "g12-leadership", learner_key, fail_init=True, fail_code="101")
    frame.locator("#ece-status").wait_for(state="visible", timeout=10_000)
    wait_status(frame, "refused to start")
    text = status_text(frame)
    assert "refused to start this session" in text and "101" in text
    assert outbox_keys(frame)  # the earlier answers are still kept in this browser
    frame.get_by_label("Language / Langue").select_option("fr")
    assert "a refusé d’ouvrir cette session" in status_text(frame)  # both languages
    calls = api_calls(lms_page)
    assert [c[0] for c in calls] == ["LMSInitialize"]  # nothing after a refused start (MUST 22)
    lms_page.evaluate("() => document.getElementById('sco').remove()")
    assert [c[0] for c in api_calls(lms_page)] == ["LMSInitialize"]  # not even LMSFinish at pagehide
    assert lms.stored(learner_key) == {}

    # Third launch: the LMS works; everything from the first launch is sent.
    frame = launch(lms_page, lms, "12", "g12-leadership", learner_key)
    wait_for_player(frame)
    wait_status(frame, "were sent")
    cmi = lms.stored(learner_key)
    assert rows(cmi) == [a.scorm12() for a in lms_answers(learner.outcome)]
    for iid, body in learner.outcome.texts.items():
        assert cmi["comments"].count(f"[{iid}] {body}") == 1
    assert cmi["core"]["lesson_location"] == "sustaining-culture"


def test_refused_finish_on_exit_is_shown_and_the_api_is_not_called_again(lms, lms_page, learner_key):
    module = COURSE.module("leadership")
    frame = launch(lms_page, lms, "12", "g12-leadership", learner_key, fail_finish=True, fail_code="101")
    wait_for_player(frame)
    learner = ScriptedLearner(frame, module, "en")
    learner.run(stop_before="sustaining-culture")
    # The last reflection is typed but not yet recorded (no blur): Exit records and commits it (MUST 21),
    # then LMSFinish answers "false".
    body = "Written just before leaving."
    last = learner.visible.get_by_role("textbox").first
    last.fill(body)
    frame.get_by_role("button", name="Exit", exact=True).click()
    wait_status(frame, "did not confirm the end")
    assert "101" in status_text(frame)
    frame.get_by_label("Language / Langue").select_option("fr")
    assert "n’a pas confirmé la fin de cette session" in status_text(frame)
    assert lms_page.evaluate("() => window.eceHost.finishRefused") is True
    finish_at = [c[0] for c in api_calls(lms_page)].index("LMSFinish")
    # After Exit the answers are locked, and leaving the page never calls the API again (MUST 22).
    assert last.is_disabled() and last.input_value() == body
    lms_page.evaluate("() => document.getElementById('sco').remove()")
    after = api_calls(lms_page)
    assert len(after) == finish_at + 1, after[finish_at:]
    cmi = lms.stored(learner_key)
    assert f"[r.ld-sustaining] {body}" in cmi["comments"]
    assert [r[0] for r in rows(cmi)].count("r.ld-sustaining") == 1


def test_refused_finish_at_pagehide_keeps_the_last_answer_for_next_launch(lms, lms_page, learner_key):
    module = COURSE.module("leadership")
    frame = launch(lms_page, lms, "12", "g12-leadership", learner_key, fail_finish=True, fail_code="101")
    wait_for_player(frame)
    learner = ScriptedLearner(frame, module, "en")
    learner.run(stop_before="sustaining-culture")
    body = "Typed as the learner closed the window."
    learner.visible.get_by_role("textbox").first.fill(body)
    # Closing the page: the last text rides on LMSFinish (no synchronous commit during pagehide), which fails.
    lms_page.evaluate("() => document.getElementById('sco').remove()")
    lms_page.wait_for_function("() => window.eceHost.finishRefused === true")
    calls = api_calls(lms_page)
    assert [c[0] for c in calls].count("LMSFinish") == 1 and calls[-1][0] == "LMSFinish"  # MUST 22
    assert "r.ld-sustaining" not in [r[0] for r in rows(lms.stored(learner_key))]
    kept = lms_page.evaluate(
        "() => Object.keys(localStorage).filter(k => k.startsWith('ece-scorm:'))"
        ".map(k => localStorage[k]).join()"
    )
    assert body in kept  # the localStorage copy

    frame = launch(lms_page, lms, "12", "g12-leadership", learner_key)
    wait_for_player(frame)
    wait_status(frame, "were sent")
    cmi = lms.stored(learner_key)
    assert [r[0] for r in rows(cmi)].count("r.ld-sustaining") == 1
    assert cmi["comments"].count(f"[r.ld-sustaining] {body}") == 1
    earlier = [r for r in rows(cmi) if r[0] != "r.ld-sustaining"]
    assert earlier == [a.scorm12() for a in lms_answers(learner.outcome)]
    assert frame.locator("#en-r-ld-sustaining").input_value() == body  # and it is on screen again


class LongWriter(ScriptedLearner):
    """A learner who fills every text box to its maxlength and takes every self-assessment pillar."""

    def write(self, name: str, interaction_id: str) -> None:
        box = self.visible.get_by_role("textbox", name=name, exact=True)
        limit = int(box.get_attribute("maxlength"))
        body = (f"{interaction_id} " + "full-length-reflection-" * 20)[:limit]
        box.fill(body)
        box.press("Tab")
        assert box.input_value() == body
        self.outcome.answers.append(Answer(interaction_id, "text", body))

    def self_assessment(self, sa, *, others=()) -> None:
        super().self_assessment(sa, others=tuple(range(len(sa.pillars) - 1)))


@pytest.mark.parametrize("comments", ["append", "replace"])  # Moodle 4.5 appends; scorm-again replaces
def test_full_comments_log_is_cut_told_and_nothing_is_lost(lms, lms_page, learner_key, comments):
    module = COURSE.module("introduction")
    (quiz,) = module.quizzes()
    frame = launch(
        lms_page, lms, "12", "g12-introduction", learner_key, comments=comments, spy=True, strict=True
    )
    wait_for_player(frame)
    learner = LongWriter(frame, module, "en")
    learner.run(stop_before="knowledge-check")
    texts = learner.outcome.texts
    log = "\n\n".join(f"[{iid}] {body}" for iid, body in texts.items())
    assert len(log) > COMMENTS_LIMIT  # the scenario really overflows cmi.comments
    assert "longer than your learning platform can keep in its comments" in status_text(frame)
    frame.get_by_label("Language / Langue").select_option("fr")
    assert "dépasse ce que votre plateforme" in status_text(frame)
    frame.get_by_label("Language / Langue").select_option("en")
    close_course(lms_page, lms, learner_key)
    refused = [c for c in api_calls(lms_page) if c[-1] not in ("0", None)]
    # Never an error for an over-long cmi.comments; only the launch probe (scorm12.js) is refused, so
    # this strict LMS (4,096, as Moodle's standards mode) keeps the strict cap.
    assert refused == [["LMSSetValue", "cmi.suspend_data", "false", "405"]]
    cmi = lms.stored(learner_key)
    assert cmi["comments"] == log[:COMMENTS_LIMIT]  # the oldest reflections kept whole, the log cut at 4,096
    by_id = {r[0]: r for r in rows(cmi)}
    for iid, body in texts.items():  # each reflection in full in its own fill-in interaction
        assert by_id[iid] == (iid, "fill-in", body, "neutral")
        assert body in cmi["suspend_data"]  # and in the resume state
    assert len(cmi["suspend_data"]) <= COMMENTS_LIMIT  # MUST 20

    frame = launch(
        lms_page, lms, "12", "g12-introduction", learner_key, comments=comments, spy=True, strict=True
    )
    wait_for_player(frame)
    again = ScriptedLearner(frame, module, "en")
    contents = frame.get_by_role("navigation", name="Contents")
    for page in module.pages[:-1]:  # every text is back on screen, in full
        if any(block.type == "reflection" for block in page.blocks):
            contents.get_by_role("link", name=to_text(page.title["en"]), exact=True).click()
        for block in page.blocks:
            if block.type == "reflection":
                iid = f"r.{block.id}"
                assert frame.locator(f"#en-r-{block.id}").input_value() == texts[iid]
    contents.get_by_role("link", name=to_text(module.pages[-1].title["en"]), exact=True).click()
    again.quiz(quiz)
    close_course(lms_page, lms, learner_key)
    assert [c for c in api_calls(lms_page) if c[-1] not in ("0", None)] == [
        ["LMSSetValue", "cmi.suspend_data", "false", "405"]
    ]
    final = lms.stored(learner_key)
    assert final["comments"] == log[:COMMENTS_LIMIT]  # resume neither duplicates nor loses an entry
    assert rows(final) == [a.scorm12() for a in lms_answers(learner.outcome)] + [
        a.scorm12() for a in again.outcome.answers
    ]
    assert final["core"]["lesson_status"] in ("passed", "failed")


def rate(learner, sa, pillar, items) -> None:
    """Answer `items` of `pillar` on the visible step, cycling through the scale by item position."""
    step = learner.visible.locator(".ece-sa-step:not([hidden])")
    assert step.locator("h2").inner_text() == to_text(pillar.title[learner.lang])
    for item in items:
        point = sa.scale[pillar.items.index(item) % len(sa.scale)]
        group = step.get_by_role("group", name=to_text(item.text[learner.lang]), exact=True)
        group.get_by_role("radio", name=to_text(point.label[learner.lang]), exact=True).check()
        learner.outcome.answers.append(Answer(f"sa.{pillar.id}.{item.id}", "likert", point.id))


def test_extra_pillar_is_recorded_and_restored_mid_way(lms, lms_page, learner_key):
    module = COURSE.module("self-assessment")
    sa = module.self_assessment()
    primary, extra = sa.pillars[1], sa.pillars[2]  # the extra pillar's step comes after the primary's
    frame = launch(lms_page, lms, "12", "g12-self-assessment", learner_key)
    wait_for_player(frame)
    learner = ScriptedLearner(frame, module, "en")
    learner.visible.get_by_role("group", name=learner.t("primaryPillar"), exact=True).get_by_role(
        "radio", name=to_text(primary.title["en"]), exact=True
    ).check()
    learner.visible.get_by_role("group", name=learner.t("otherPillars"), exact=True).get_by_role(
        "checkbox", name=to_text(extra.title["en"]), exact=True
    ).check()
    learner.next()
    rate(learner, sa, primary, primary.items)
    for r in primary.reflections:
        learner.write(to_text(r.text["en"]), f"sa.{r.id}")
    learner.next()
    half = len(extra.items) // 2
    rate(learner, sa, extra, extra.items[:half])
    close_course(lms_page, lms, learner_key)  # leave in the middle of the extra pillar
    assert lms.stored(learner_key)["core"]["exit"] == "suspend"

    frame = launch(lms_page, lms, "12", "g12-self-assessment", learner_key)
    wait_for_player(frame)
    learner.frame = frame
    step = learner.visible.locator(".ece-sa-step:not([hidden])")
    assert step.locator("h2").inner_text() == to_text(extra.title["en"])  # back on the extra pillar
    for k, item in enumerate(extra.items):  # its answers are restored, the rest still open
        group = step.get_by_role("group", name=to_text(item.text["en"]), exact=True)
        checked = [
            to_text(p.label["en"])
            for p in sa.scale
            if group.get_by_role("radio", name=to_text(p.label["en"]), exact=True).is_checked()
        ]
        assert checked == ([to_text(sa.scale[k % len(sa.scale)].label["en"])] if k < half else []), item.id
    rate(learner, sa, extra, extra.items[half:])
    for r in extra.reflections:
        learner.write(to_text(r.text["en"]), f"sa.{r.id}")
    learner.next()
    for r in sa.reflections:
        learner.write(to_text(r.text["en"]), f"sa.{r.id}")
    learner.next()
    for r in (sa.strength, sa.opportunity, sa.first_step, sa.first_step_lead):
        learner.write(to_text(r.text["en"]), f"sa.{r.id}")
    learner.next()
    summary = learner.visible.locator("[data-summary]").inner_text()
    assert to_text(primary.title["en"]) in summary and to_text(extra.title["en"]) in summary
    close_course(lms_page, lms, learner_key)

    cmi = lms.stored(learner_key)
    likert = [r for r in rows(cmi) if r[1] == "likert"]
    # Every item of both pillars exactly once, in the order answered (the YAML's order), nothing else.
    expected = [
        (f"sa.{p.id}.{it.id}", "likert", sa.scale[k % len(sa.scale)].id, "neutral")
        for p in (primary, extra)
        for k, it in enumerate(p.items)
    ]
    assert likert == expected
    assert not [r for r in likert if r[0].startswith(f"sa.{sa.pillars[0].id}.")]
    texts = {r[0]: r[2] for r in rows(cmi) if r[1] == "fill-in"}
    for a in learner.outcome.answers:
        if a.kind == "text":
            assert texts[a.interaction_id] == a.scorm12()[2]
    assert cmi["core"]["lesson_status"] == "completed" and cmi["core"]["exit"] == ""
