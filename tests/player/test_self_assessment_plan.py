"""The self-assessment as the facilitator's tool (issue 14): the printed plan read back from Chromium's PDF,
re-administration kept, compared and recorded (SCORM 1.2 under scorm-again, xAPI in the LRS), and the
facilitator guide in both packages. Expected texts come from course_source/self_assessment.yaml."""

from __future__ import annotations

import io
import re
import unicodedata
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from playwright.sync_api import expect
from pypdf import PdfReader

from ece_scorm.cli import cli
from ece_scorm.markdown import to_text
from ece_scorm.pipeline.render import render_module
from ece_scorm.source.course import load_course
from tests.support.browser import assert_axe_clean, pick_language, start_module
from tests.support.scorm_host import build_packages, close_course, launch
from tests.support.scorm_learner import wait_for_player
from tests.support.xapi_session import build as build_xapi
from tests.support.xapi_session import launchers, validation_problems, verb, wait_for_statements, wait_status

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
COURSE, _ = load_course(ROOT / "course_source")
SA_MODULE = COURSE.module("self-assessment")
SA = SA_MODULE.self_assessment()
ADMIN_EXT = f"{COURSE.id}/xapi/extensions/administration"
# The interface's words, written here by hand so the test does not read them from the player's table.
UI = {
    "en": {
        "next": "Next",
        "primary": "Which pillar best fits your role?",
        "others": "Other pillars you want to assess (optional)",
        "name": "Your name on the printout (optional, never saved or sent)",
        "plan": "Your plan",
        "notes": "Notes",
        "new": "Start a new assessment",
        "yes": "Yes, start assessment 2",
        "align": "Reflect and align: questions for the team discussion",
        "before": "Before the session",
        "during": "During the session",
        "after": "After the session",
    },
    "fr": {
        "next": "Suivant",
        "primary": "Quel pilier correspond le mieux à votre rôle\u00a0?",
        "others": "Autres piliers à évaluer (facultatif)",
        "name": "Votre nom sur l’imprimé (facultatif, jamais enregistré ni transmis)",
        "plan": "Votre plan",
        "notes": "Notes",
        "new": "Commencer une nouvelle autoévaluation",
        "yes": "Oui, commencer l’autoévaluation 2",
        "align": "Réfléchir et s’harmoniser\u00a0: questions pour la discussion d’équipe",
        "before": "Avant la séance",
        "during": "Pendant la séance",
        "after": "Après la séance",
    },
}
MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October"]
    + ["November", "December"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre"]
    + ["novembre", "décembre"],
}
PAPER = {"A4": 210 - 30, "Letter": 215.9 - 30}  # printable width in mm (player.css @page margin 15 mm)


def long_date(lang: str, y: int, m: int, d: int) -> str:
    return f"{MONTHS['en'][m - 1]} {d}, {y}" if lang == "en" else f"{d} {MONTHS['fr'][m - 1]} {y}"


def today(lang: str) -> str:
    now = datetime.now(UTC)
    return long_date(lang, now.year, now.month, now.day)


def flat(text: str) -> str:
    """Normalise PDF text: ligatures (NFKC), non-breaking spaces and line breaks become single spaces."""
    text = re.sub(r"-\n", "-", unicodedata.normalize("NFKC", text))  # a line broken after "voulez-" …
    return re.sub(r"\s+", " ", text).strip()


def plain(lang_text, lang: str) -> str:
    return flat(to_text(lang_text[lang]))


def item_number(pillar_index: int, item_index: int) -> int:
    return sum(len(p.items) for p in SA.pillars[:pillar_index]) + item_index + 1


@pytest.fixture(scope="module")
def standalone(tmp_path_factory) -> dict[str, Path]:
    """Render the self-assessment and introduction packages (standalone: this browser's storage)."""
    out = {}
    for module_id in ("self-assessment", "introduction"):
        root = tmp_path_factory.mktemp(module_id)
        for f in render_module(COURSE, COURSE.module(module_id), "standalone", COURSE.languages):
            target = root / f.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(f.data)
        out[module_id] = root / "index.html"
    return out


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    context.set_default_timeout(10000)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    context.close()
    assert errors == [], f"JavaScript errors: {errors}"


class Learner:
    """Take the self-assessment in `lang` through its screens, as a learner does."""

    def __init__(self, frame, lang: str):
        self.frame, self.lang, self.ui = frame, lang, UI[lang]

    @property
    def visible(self):
        return self.frame.locator(".ece-page:not([hidden])")

    @property
    def step(self):
        return self.visible.locator(".ece-sa-step:not([hidden])")

    def next(self) -> None:
        self.frame.get_by_role("button", name=self.ui["next"], exact=True).click()

    def choose(self, primary: int, others: tuple[int, ...] = ()) -> None:
        group = self.visible.get_by_role("group", name=self.ui["primary"], exact=True)
        group.get_by_role("radio", name=plain(SA.pillars[primary].title, self.lang), exact=True).check()
        for o in others:
            group = self.visible.get_by_role("group", name=self.ui["others"], exact=True)
            group.get_by_role("checkbox", name=plain(SA.pillars[o].title, self.lang), exact=True).check()

    def rate(self, pillar: int, answers: dict[int, int]) -> None:
        """Answer items of the pillar on screen: {item index: scale index}."""
        for ii, si in answers.items():
            item = SA.pillars[pillar].items[ii]
            g = self.step.get_by_role("group", name=plain(item.text, self.lang), exact=True)
            g.get_by_role("radio", name=plain(SA.scale[si].label, self.lang), exact=True).check()

    def write(self, prompt, text: str) -> None:
        box = self.step.get_by_role("textbox", name=plain(prompt.text, self.lang), exact=True)
        box.fill(text)
        box.blur()

    def to_summary(self) -> None:
        while not self.visible.locator(".ece-sa-summary:not([hidden])").count():
            self.next()


def answer(pillar: int, item: int) -> int:
    """The scale point a test learner gives: varied, in a pattern the test can recompute."""
    return (pillar + item) % len(SA.scale)


def take_first_assessment(lr: Learner, texts: bool = True) -> None:
    """Leadership (role) plus Patient partners; every item of both; texts with line breaks."""
    lr.choose(0, others=(2,))
    lr.next()
    lr.rate(0, {i: answer(0, i) for i in range(len(SA.pillars[0].items))})
    if texts:
        lr.write(SA.pillars[0].reflections[0], "Leaders speak of it often.\nThey fund little of it.")
    lr.next()
    lr.rate(2, {i: answer(2, i) for i in range(len(SA.pillars[2].items))})
    lr.next()
    if texts:
        for r in SA.reflections:
            lr.write(r, f"Reflection on {r.id}: " + "we keep listening. " * 6)
    lr.next()
    if texts:
        for r in (SA.strength, SA.opportunity, SA.first_step, SA.first_step_lead):
            lr.write(r, f"Plan {r.id}: " + "a fairly long sentence that wraps. " * 5)
        when = lr.step.get_by_label(plain(SA.first_step_when.text, lr.lang), exact=True)
        when.fill("2027-03-31")
        when.blur()
    lr.next()


def pdf_pages(frame_page, fmt: str) -> list[str]:
    return [flat(p.extract_text()) for p in PdfReader(io.BytesIO(frame_page.pdf(format=fmt))).pages]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_printed_plan_reads_back_in_order_numbered_whole_and_unclipped(page, standalone, lang):
    page.goto(standalone["self-assessment"].as_uri())
    start_module(page)
    if lang == "fr":
        pick_language(page, "fr")
    lr = Learner(page, lang)
    take_first_assessment(lr)
    lr.step.get_by_role("textbox", name=lr.ui["name"], exact=True).fill("Sam Roy")
    assert_axe_clean(page, f"summary ({lang})")

    title = plain(SA.title, lang)
    pillars = [0, 2]
    for fmt, width_mm in PAPER.items():
        # Nothing wider than the paper: laid out for print at the printable width, no element overflows.
        page.emulate_media(media="print")
        page.set_viewport_size({"width": int(width_mm / 25.4 * 96), "height": 1000})
        overflow = page.evaluate(
            "() => [document.documentElement, ...document.querySelectorAll('.ece-sa-summary *')]"
            ".filter(e => e.getClientRects().length && e.scrollWidth > e.clientWidth + 1"
            " && getComputedStyle(e).overflowX !== 'visible' || e === document.documentElement"
            " && e.scrollWidth > innerWidth).map(e => e.className || e.tagName)"
        )
        assert overflow == [], (fmt, overflow)
        page.set_viewport_size({"width": 1100, "height": 900})
        pages = pdf_pages(page, fmt)  # emulated "screen" media would win over print: keep "print" on
        page.emulate_media(media="screen")
        assert 2 <= len(pages) <= 6, (fmt, len(pages))  # 23 items and 12 texts: a few pages, not 14
        text = " ".join(pages)
        # One title: the tool's name, once (the attribution names the official "… Tool", not this one).
        assert len(re.findall(re.escape(title) + r"(?! Tool)", text)) == 1, fmt
        assert flat(UI[lang]["next"]) not in text and UI[lang]["new"] not in text  # no screen controls

        order = [
            ("Date" if lang == "en" else "Date") + " " + today(lang),
            ("Name" if lang == "en" else "Nom") + " Sam Roy",
            ("Role (pillar) " if lang == "en" else "Rôle (pilier) ") + plain(SA.pillars[0].title, lang),
            plain(SA.pillars[2].title, lang),
            UI[lang]["plan"],
        ]
        order += [
            plain(r.text, lang) for r in (SA.strength, SA.opportunity, SA.first_step, SA.first_step_lead)
        ]
        order += [plain(SA.first_step_when.text, lang), long_date(lang, 2027, 3, 31)]
        for pi in pillars:
            p = SA.pillars[pi]
            order.append(plain(p.title, lang))
            for ii, item in enumerate(p.items):
                point = plain(SA.scale[answer(pi, ii)].label, lang)
                entry = f"{item_number(pi, ii)}. {plain(item.text, lang)} {point}"
                # Never cut by a page break: number, text and answer are on one page.
                assert any(entry in pg for pg in pages), (fmt, entry)
                order.append(entry)
            order += [plain(r.text, lang) for r in p.reflections]
            if pi == 0:  # the learner's reflection, whole, after its question
                order.insert(-1, "Leaders speak of it often. They fund little of it.")
        order += [plain(r.text, lang) for r in SA.reflections]
        order += [UI[lang]["notes"], flat(UI[lang]["align"])]
        order += [f"{k}. {plain(a.text, lang)}" for k, a in enumerate(SA.align_prompts, start=1)]
        order += [plain(SA.attribution.text, lang), SA.attribution.url]
        at = -1
        for piece in order:
            found = text.find(piece, at + 1)
            assert found > at, f"{fmt}: {piece!r} missing or out of order"
            at = found
        # The plan's texts are printed whole (five sentences each), not cut to a line.
        assert f"Plan strength: {'a fairly long sentence that wraps. ' * 5}".strip() in text
        assert plain(SA.pillars[1].title, lang) + " " not in text.split(UI[lang]["plan"])[1]  # not chosen


def test_new_assessment_keeps_the_earlier_one_and_shows_what_changed(page, standalone):
    page.goto(standalone["self-assessment"].as_uri())
    start_module(page)
    lr = Learner(page, "en")
    lr.choose(0)
    lr.next()
    lead = SA.pillars[0]
    lr.rate(0, {i: 0 for i in range(len(lead.items))})  # all "Yes"
    lr.to_summary()

    page.get_by_role("button", name=UI["en"]["new"], exact=True).click()
    yes = page.get_by_role("button", name=UI["en"]["yes"], exact=True)
    expect(yes).to_be_focused()
    confirm = page.locator(".ece-page:not([hidden]) [data-sa-confirm]")
    assert f"Your answers of {today('en')} are kept" in confirm.inner_text()
    assert_axe_clean(page, "new assessment confirmation")
    yes.click()
    page.wait_for_function(
        "(d) => document.getElementById('ece-live').textContent"
        ".startsWith('Assessment 2 has started. Your answers of ' + d)",
        arg=today("en"),
    )
    # Back on the first screen; the role is kept, the answers start empty.
    group = lr.visible.get_by_role("group", name=UI["en"]["primary"], exact=True)
    assert group.get_by_role("radio", name=plain(lead.title, "en"), exact=True).is_checked()
    lr.next()
    assert lr.step.locator("input[type=radio]:checked").count() == 0
    lr.rate(0, {0: 2, 1: 2, 2: 3})  # items 1-2 now "No", item 3 "Unknown"
    lr.rate(0, {i: 0 for i in range(3, len(lead.items))})
    lr.to_summary()

    def check(lang: str) -> None:
        summary = flat(lr.visible.locator("[data-summary]").inner_text())
        number = "Assessment number 2" if lang == "en" else "Numéro de l’autoévaluation 2"
        earlier = (
            f"Earlier assessments kept no. 1, {today('en')}"
            if lang == "en"
            else f"Autoévaluations précédentes conservées nº 1, {today('fr')}"
        )
        changed = (
            f"Changed since {today('en')}: 3 item(s)"
            if lang == "en"
            else f"Changements depuis le {today('fr')} : 3 énoncé(s)"
        )
        for expected in (number, earlier, changed):
            assert flat(expected) in summary, (expected, summary[:400])
        yes_, no_, unknown = (plain(SA.scale[k].label, lang) for k in (0, 2, 3))
        for ii, to in ((0, no_), (1, no_), (2, unknown)):
            assert f"{ii + 1}. {plain(lead.items[ii].text, lang)} — {yes_} → {to}" in summary
        assert f"4. {plain(lead.items[3].text, lang)} —" not in summary  # unchanged items are not listed

    check("en")
    pick_language(page, "fr")
    check("fr")
    page.reload()  # the earlier administration and the new one come back from the resume state
    start_module(page)
    lr = Learner(page, "fr")
    check("fr")


@pytest.mark.parametrize("width", [320, 1280])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_facilitator_guide_in_the_self_assessment_package(page, standalone, lang, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(standalone["self-assessment"].as_uri())
    start_module(page)
    if lang == "fr":
        pick_language(page, "fr")
    open_guide(page, lang)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_axe_clean(page, f"facilitator guide ({lang}, {width} px)")


def open_guide(frame, lang: str) -> None:
    visible = frame.locator(".ece-page:not([hidden])")
    g = SA.facilitator
    guide = visible.locator("details.ece-sa-guide")
    guide.locator("summary", has_text=plain(g.title, lang)).click()
    expect(guide).to_have_attribute("open", "")
    for key in ("before", "during", "after"):
        expect(guide.get_by_role("heading", name=UI[lang][key], exact=True)).to_be_visible()
    body = flat(guide.inner_text())
    for key in ("before", "during", "after"):  # each moment's points, by their bold lead-ins in the YAML
        leads = re.findall(r"\*\*(.+?)\*\*", getattr(g, key)[lang])
        assert len(leads) >= 3 and all(flat(x) in body for x in leads), (key, leads)
    for a in SA.align_prompts:
        assert plain(a.text, lang) in body
    expect(guide.get_by_role("link", name=SA.attribution.url)).to_be_visible()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_facilitator_guide_is_reachable_from_the_introduction_module(page, standalone, lang):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(standalone["introduction"].as_uri())
    start_module(page)
    if lang == "fr":
        pick_language(page, "fr")
    intro = COURSE.module("introduction")
    holder = next(p for p in intro.pages if any(b.type == "self_assessment" for b in p.blocks))
    page.get_by_role("navigation", name="Contents" if lang == "en" else "Table des matières").get_by_role(
        "link", name=plain(holder.title, lang), exact=True
    ).click()
    open_guide(page, lang)
    assert_axe_clean(page, f"facilitator guide in the introduction ({lang})")


@pytest.fixture(scope="module")
def lms12(lms_server, tmp_path_factory):
    folder = build_packages("scorm12", ["self-assessment"], tmp_path_factory.mktemp("plan12"))
    lms_server.add_package("plan12-sa", folder["self-assessment"])
    return lms_server


def test_scorm12_records_each_administration_and_restores_them(lms12, lms_page, learner_key):
    frame = launch(lms_page, lms12, "12", "plan12-sa", learner_key)
    wait_for_player(frame)
    lr = Learner(frame, "en")
    lr.choose(0)
    lr.next()
    lr.rate(0, {0: 0})
    lr.to_summary()
    lr.visible.get_by_role("button", name=UI["en"]["new"], exact=True).click()
    lr.visible.get_by_role("button", name=UI["en"]["yes"], exact=True).click()
    lr.next()
    lr.rate(0, {0: 2})
    lr.next()
    lr.next()
    lr.write(SA.strength, "Second time round.")
    close_course(lms_page, lms12, learner_key)

    cmi = lms12.stored(learner_key)
    rows = [
        (i["id"], i["student_response"])
        for _, i in sorted(cmi["interactions"].items(), key=lambda kv: int(kv[0]))
    ]
    item = SA.pillars[0].items[0].id
    # ARCHITECTURE §3: administration 1 keeps the plain id, later ones add ".a<n>".
    assert (f"sa.leadership.{item}", "yes") in rows and (f"sa.leadership.{item}.a2", "no") in rows
    assert ("sa.strength.a2", "Second time round.") in rows
    assert len(cmi["suspend_data"]) <= 4096  # MUST 20

    frame = launch(lms_page, lms12, "12", "plan12-sa", learner_key)
    wait_for_player(frame)
    lr = Learner(frame, "en")
    lr.next()  # resumed on the plan step: on to the summary
    summary = flat(lr.visible.locator("[data-summary]").inner_text())
    assert "Assessment number 2" in summary
    yes_, no_ = plain(SA.scale[0].label, "en"), plain(SA.scale[2].label, "en")
    assert f"1. {plain(SA.pillars[0].items[0].text, 'en')} — {yes_} → {no_}" in summary
    assert "Second time round." in summary
    close_course(lms_page, lms12, learner_key)


def test_scorm12_build_says_how_many_administrations_it_keeps(tmp_path):
    result = CliRunner().invoke(
        cli,
        [
            "build",
            str(ROOT / "course_source"),
            "--format",
            "scorm12,xapi",
            "--module",
            "introduction",
            "--out",
            str(tmp_path),
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    notes = [line for line in result.output.splitlines() if line.startswith("note:")]
    # The introduction embeds the self-assessment and fills 4,096 with its texts: one earlier one fits.
    assert notes == [
        "note: scorm12 introduction: the self-assessment keeps only the previous administration for "
        "comparison (the 4,096-character resume state has no room for more; other formats keep 10); "
        "every administration is still recorded in the LMS"
    ]


@pytest.fixture(scope="module")
def xapi_packages(tmp_path_factory):
    return build_xapi(tmp_path_factory.mktemp("plan-xapi"), "xapi", ROOT / "course_source")


@pytest.fixture()
def launcher_for(fresh_lrs):
    yield from launchers(fresh_lrs)


@pytest.mark.lrs
def test_xapi_statements_carry_the_administration_number(browser, xapi_packages, launcher_for, fresh_lrs):
    la = launcher_for(xapi_packages["ece-self-assessment-xapi"])
    reg = str(uuid.uuid4())
    actor = {"objectType": "Agent", "name": "Ana Roy", "mbox": "mailto:ana@example.org"}
    module = COURSE.activity_id(SA_MODULE)
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    errors: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(la.launch_xapi("index.html", actor, module, reg))
        wait_status(page, "All your progress is saved")
        start_module(page)
        lr = Learner(page, "en")
        lr.choose(0)
        lr.next()
        lr.rate(0, {0: 0})
        lr.to_summary()
        lr.visible.get_by_role("button", name=UI["en"]["new"], exact=True).click()
        lr.visible.get_by_role("button", name=UI["en"]["yes"], exact=True).click()
        lr.next()
        lr.rate(0, {0: 1})
        lr.next()
        lr.next()
        lr.write(SA.strength, "Better now.")
        wait_status(page, "All your progress is saved")
        page.goto("about:blank")
    finally:
        context.close()
    assert errors == []
    got = wait_for_statements(fresh_lrs, reg, lambda s: any(verb(x) == "terminated" for x in s))
    assert validation_problems(got) == []
    item = f"{module}/leadership/{SA.pillars[0].items[0].id}"
    answers = [
        (s["result"]["response"], s["context"]["extensions"][ADMIN_EXT])
        for s in got
        if verb(s) == "answered" and s["object"]["id"] == item
    ]
    assert answers == [("yes", 1), ("somewhat", 2)]  # the same activity, told apart by administration
    strength = [s for s in got if s["object"]["id"] == f"{module}/prompt/strength"]
    assert [s["context"]["extensions"][ADMIN_EXT] for s in strength] == [2]
    assert all(ADMIN_EXT not in s["context"].get("extensions", {}) for s in got if verb(s) != "answered")
