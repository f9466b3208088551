"""The resume-state budget (MUST 20) against hand counts and the real JS encoder (runtime/state.js)."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from ece_scorm.errors import BuildFailed
from ece_scorm.model import ScenarioBlock, ScenarioChoice
from ece_scorm.pipeline import budget as state_budget
from ece_scorm.pipeline.render import render_module
from tests.support import courses as C

STATE_JS = Path(__file__).resolve().parents[2] / "ece_scorm" / "player" / "state.js"

# Builds, in node, the longest state the player can hold (every field at its maximum, texts full of the
# encoder's own delimiters), encodes it, decodes it back, and also encodes 300 random states.
NODE_DRIVER = r"""
require(process.argv[1]);
const E = globalThis.ECE.state, D = JSON.parse(require("fs").readFileSync(0, "utf8"));
const steps = E.saSteps(D), max = D.stateBudget.textMax;
let seed = 7; const rnd = (n) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
function fill(s, pick) {
  s.lang = pick(D.languages.length + 1) - 1; s.page = pick(D.pages.length);
  s.step = pick(Math.max(1, steps.length));
  s.flags = pick(16); s.visited = s.visited.map(() => pick(2) === 1);
  s.quizzes.forEach((q, i) => {
    const quiz = D.quizzes[i];
    q.attempt = 1 + pick(quiz.attempts || E.ATTEMPT_CAP); q.status = pick(3); q.score = pick(102) - 1;
    q.q = quiz.questions.map((x) => ({ mask: pick(2 ** x.choices.length), checked: pick(2) === 1 }));
  });
  const sa = D.selfAssessment, when = sa && sa.firstStepWhen ? "sa." + sa.firstStepWhen.id : "";
  for (const k of Object.keys(s.texts)) {
    const cap = k === when ? E.WHEN_MAX : max;
    s.texts[k] = ":.|é😀".repeat(cap).slice(0, pick(cap + 1));
  }
  if (s.sa) {
    const P = D.selfAssessment.pillars.length, points = D.selfAssessment.scale.length + 1;
    s.sa.team = "Z9:".repeat(E.TEAM_MAX).slice(0, pick(E.TEAM_MAX + 1)); s.sa.primary = pick(P + 1) - 1;
    s.sa.others = pick(2 ** P); s.sa.items = s.sa.items.map(() => pick(points));
    s.sa.admin = 1 + pick(E.ADMIN_CAP); s.sa.date = pick(E.DAY_MAX + 1);
    s.sa.history = Array.from({ length: pick(D.stateBudget.saHistory + 1) }, () => ({
      date: pick(E.DAY_MAX + 1), primary: pick(P + 1) - 1, others: pick(2 ** P),
      items: s.sa.items.map(() => pick(points)) }));
  }
  s.scenarios = D.scenarios.map((x) => pick(x.choices.length + 1) - 1);
  return s;
}
const worst = fill(E.fresh(D), (n) => n - 1);
const enc = E.encode(worst, D), back = E.decode(enc, D);
delete back.resumed;
let longestRandom = 0, roundTrips = true;
for (let i = 0; i < 300; i++) {
  const s = fill(E.fresh(D), rnd), e = E.encode(s, D), d = E.decode(e, D);
  delete d.resumed;
  longestRandom = Math.max(longestRandom, e.length);
  roundTrips = roundTrips && JSON.stringify(d) === JSON.stringify(s);
}
const fresh = E.decode("1zzzz" + enc.slice(5), D);
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
process.stdout.write(JSON.stringify({ worst: enc.length, worstRoundTrips: same(back, worst), longestRandom,
  roundTrips, wrongFingerprintIsFresh: same(fresh, E.fresh(D)),
  garbageIsFresh: same(E.decode("1" + enc.slice(1, 9) + "!!", D), E.fresh(D)) }));
"""


def run_encoder(course, module, fmt: str, *, roomy: bool = False) -> dict:
    """Render the module's ECE_DATA and measure the JS encoder on it in node (at the roomy cap if asked)."""
    if shutil.which("node") is None:
        pytest.fail("node is required (scripts/test installs it)", pytrace=False)
    files = {f.path: f.data for f in render_module(course, module, fmt, course.languages)}
    payload = files["ece-data.js"].decode("utf-8").removeprefix("window.ECE_DATA = ").rstrip().rstrip(";")
    if roomy:  # what the player uses once its LMS kept a state that long (adapters/scorm12.js probe)
        data = json.loads(payload)
        data["stateBudget"] = data["stateBudget"]["roomy"]
        payload = json.dumps(data)
    proc = subprocess.run(
        ["node", "-e", NODE_DRIVER, str(STATE_JS)],
        input=payload,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout) | {"data": json.loads(payload)}


def test_worst_case_by_hand_for_one_reflection():
    module = C.module(pages=1, reflections=1)
    # "1" + fingerprint(4) | lang "2." | page "0." | step "0." | flags "f." | visited 1 char | "a:" + 10 chars
    assert state_budget.worst_case_length(module, text_max=10) == 5 + 2 + 2 + 2 + 2 + 1 + 12


def test_worst_case_by_hand_for_a_quiz():
    module = C.module(pages=1, quizzes=(C.quiz(questions=2, choices=3, attempts=0),))
    # 2 pages: page "1." ; quiz: attempts up to 999 = "rr." (3), status "2." (2), score+1 = 101 = "2t." (3);
    # each question: 3 choices ticked + checked = 15 = "f." (2)
    assert state_budget.worst_case_length(module) == 5 + 2 + 2 + 2 + 2 + 1 + (3 + 2 + 3) + 2 * 2


@pytest.mark.parametrize("fmt", ["scorm12", "scorm2004", "xapi"])
def test_python_worst_case_matches_the_js_encoder(fmt):
    sa = C.self_assessment(pillars=4, items=10, pillar_reflections=2, reflections=3, when=True)
    module = C.module(
        pages=11, quizzes=(C.quiz(questions=5, choices=6, attempts=0), C.quiz("q2")), reflections=2, sa=sa
    )
    course = C.course(module)
    got = run_encoder(course, module, fmt)
    text_max, kept = got["data"]["stateBudget"]["textMax"], got["data"]["stateBudget"]["saHistory"]
    # Every format keeps at least the previous administration; only SCORM 1.2's 4,096 can hold fewer than 10.
    assert kept == 10 if fmt != "scorm12" else 1 <= kept <= 10
    assert got["worst"] == state_budget.worst_case_length(module, text_max, 2, kept)
    assert got["data"]["stateBudget"]["worstCase"] == got["worst"]
    assert got["worstRoundTrips"] and got["roundTrips"]
    assert got["longestRandom"] <= got["worst"]
    assert got["wrongFingerprintIsFresh"] and got["garbageIsFresh"]
    if fmt == "scorm12":  # MUST 20: cmi.suspend_data <= 4096, and a reflection fits a 255-char fill-in
        assert got["worst"] <= 4096 and 100 <= text_max <= 255
    elif fmt == "scorm2004":  # 17 texts x 4,003 > 64,000: the cap shrinks to the largest that fits
        assert got["worst"] <= 64000 < state_budget.worst_case_length(module, text_max + 1, 2, kept)
    else:  # xAPI keeps its state in the State API: no limit, the 4,000-character long-fill-in cap
        assert text_max == 4000


def scenario(sid: str, choices: int) -> ScenarioBlock:
    return ScenarioBlock(
        id=sid,
        title=C.t("Dilemma"),
        situation=C.t("The plan is final."),
        question=C.t("What now?"),
        choices=tuple(
            ScenarioChoice(id=f"c{i}", text=C.t(f"Do {i}"), feedback=C.t("Then.")) for i in range(choices)
        ),
    )


def with_scenarios(module, *blocks: ScenarioBlock):
    page = module.pages[0]
    return dataclasses.replace(
        module, pages=(dataclasses.replace(page, blocks=page.blocks + blocks),) + module.pages[1:]
    )


def test_worst_case_by_hand_for_scenarios():
    module = with_scenarios(C.module(pages=1), scenario("a", 3), scenario("b", 30))
    # one page without texts (5 + 2 + 2 + 2 + 2 + 1), then each chosen choice + 1: 3 = "3." and 30 = "u."
    assert state_budget.worst_case_length(module) == 14 + 2 + 2
    assert state_budget.block_state_length(C.module(pages=1)) == 0


@pytest.mark.parametrize("fmt", ["scorm12", "xapi"])
def test_scenario_state_matches_the_js_encoder(fmt):
    module = with_scenarios(C.module(pages=3, reflections=1), scenario("a", 3), scenario("b", 30))
    got = run_encoder(C.course(module), module, fmt)
    assert got["worst"] == state_budget.worst_case_length(module, got["data"]["stateBudget"]["textMax"], 2)
    assert got["worstRoundTrips"] and got["roundTrips"] and got["longestRandom"] <= got["worst"]
    assert got["wrongFingerprintIsFresh"] and got["garbageIsFresh"]


def test_scorm12_roomy_budget_matches_the_js_encoder_and_fits_what_moodle_keeps_by_default():
    sa = C.self_assessment(pillars=4, items=10, pillar_reflections=2, reflections=3)
    module = C.module(pages=11, quizzes=(C.quiz(questions=5, choices=6, attempts=0),), reflections=2, sa=sa)
    course = C.course(module)
    got = run_encoder(course, module, "scorm12", roomy=True)
    roomy = got["data"]["stateBudget"]
    assert roomy["limit"] == 64000  # Moodle's default (standards mode off) for every SCORM 1.2 string
    assert got["worst"] == roomy["worstCase"] == state_budget.worst_case_length(module, roomy["textMax"], 2)
    # 17 texts: the 4,000-character cap would pass 64,000, so it is the largest that fits
    assert got["worst"] <= 64000 < state_budget.worst_case_length(module, roomy["textMax"] + 1, 2)
    strict = run_encoder(course, module, "scorm12")["data"]["stateBudget"]
    assert strict["worstCase"] <= 4096 and strict["textMax"] < roomy["textMax"]  # the strict case still fits
    assert "roomy" not in run_encoder(course, module, "scorm2004")["data"]["stateBudget"]


def test_text_cap_is_the_largest_that_fits():
    sa = C.self_assessment(pillars=4, items=10, pillar_reflections=3, reflections=4)
    module = C.module(sa=sa, reflections=3)
    cap = state_budget.text_max(module, "scorm12")
    assert cap < 255  # 22 texts do not all fit at 255 characters
    assert state_budget.worst_case_length(module, cap) <= 4096
    assert state_budget.worst_case_length(module, cap + 1) > 4096


def test_check_fails_the_build_when_even_the_minimum_cap_overflows():
    module = C.module(reflections=45)  # 45 x (100 + 3) > 4096
    with pytest.raises(BuildFailed, match=r"module 'm1'.*scorm12.*limit 4096, MUST 20"):
        state_budget.check(module, "scorm12")
    assert state_budget.check(module, "scorm2004").worst_case <= 64000


def test_minimal_fixture_fits_scorm12():
    from ece_scorm.source.course import load_course

    course, _ = load_course(Path(__file__).parents[1] / "fixtures" / "courses" / "minimal")
    for module in course.modules:
        budget = state_budget.check(module, "scorm12")
        assert budget.worst_case <= 4096 and budget.text_max == 255


def test_shapes_the_state_encoding_cannot_hold_are_refused():
    module = C.module(quizzes=(C.quiz(choices=31),))
    with pytest.raises(BuildFailed, match="question 'x0' of quiz 'q1' has 31 choices \\(at most 30\\)"):
        state_budget.check(module, "xapi")
    assert state_budget.check(C.module(quizzes=(C.quiz(choices=30),)), "xapi").worst_case > 0
