"""The reflect-and-align handout printed from Chromium (A4, Letter, normal margins) and read back as text."""

from __future__ import annotations

import io
import json
import re
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from ece_scorm.cli import cli
from ece_scorm.markdown import to_text
from ece_scorm.source.course import load_course
from tests.reports import handout
from tests.support.browser import describe_violations, run_axe

pytestmark = pytest.mark.browser

SOURCE = Path(__file__).parents[2] / "course_source"
VERBS = "http://adlnet.gov/expapi/verbs/"
# "A few pages": every item of the three pillars and every member's words (9 texts each, 2-3 lines) included.
# Before the handout, four people printed on 14 pages (English) and 17 (French).
MAX_PAGES = {4: 6, 12: 10}
MARGINS = {"top": "2cm", "bottom": "2cm", "left": "2cm", "right": "2cm"}  # Chromium's "Default" is ~1 cm


@pytest.fixture(scope="module")
def course():
    loaded, _ = load_course(SOURCE)
    return loaded


def _statement(course_id, who, verb, obj_id, when, team, result=None, name=None):
    stmt = {
        "actor": {"objectType": "Agent", "name": f"Member {who}", "mbox": f"mailto:m{who}@example.org"},
        "verb": {"id": VERBS + verb},
        "object": {"objectType": "Activity", "id": obj_id, "definition": {"name": name or {}}},
        "timestamp": f"2026-03-{10 + who:02d}T10:{when // 60:02d}:{when % 60:02d}Z",
        "context": {"extensions": {f"{course_id}/xapi/extensions/team-code": team}},
    }
    if result is not None:
        stmt["result"] = result
    return stmt


def _team(course, members: int, tmp_path: Path) -> tuple[Path, dict]:
    """Write a team's statements: a third leaders, half staff, the rest patient partners; return truth."""
    sa = next(m.self_assessment() for m in course.modules if m.self_assessment() is not None)
    base = f"{course.id.rstrip('/')}/{sa.id}"
    scale = [s.id for s in sa.scale]
    lines, roles = [], {}
    for who in range(1, members + 1):
        pillar = (
            sa.pillars[0]
            if who <= members // 3
            else sa.pillars[1]
            if who <= members * 5 // 6
            else sa.pillars[2]
        )
        roles[who] = pillar.id
        t = 0
        # Everyone also answers the leadership statements (the player offers other pillars too).
        answered = [(pillar, item) for item in pillar.items]
        if pillar is not sa.pillars[0]:
            answered += [(sa.pillars[0], item) for item in sa.pillars[0].items]
        for index, (where, item) in enumerate(answered):
            t += 7
            answer = scale[(index * 3 + who) % len(scale)]
            lines.append(
                _statement(
                    course.id,
                    who,
                    "answered",
                    f"{base}/{where.id}/{item.id}",
                    t,
                    "CARE-5",
                    {"response": answer},
                )
            )
        for prompt in (*pillar.reflections, *sa.reflections):
            t += 7
            text = f"Member {who} on {prompt.id}: what we saw\nand what we will try next."
            lines.append(
                _statement(
                    course.id, who, "answered", f"{base}/prompt/{prompt.id}", t, "CARE-5", {"response": text}
                )
            )
        for prompt in (sa.strength, sa.opportunity, sa.first_step, sa.first_step_lead):
            t += 7
            text = f"{prompt.id} of member {who}:\nfirst line\nsecond line"
            lines.append(
                _statement(
                    course.id, who, "answered", f"{base}/prompt/{prompt.id}", t, "CARE-5", {"response": text}
                )
            )
    path = tmp_path / f"team-{members}.jsonl"
    path.write_text("".join(json.dumps(s) + "\n" for s in lines), encoding="utf-8")
    return path, {"roles": roles, "sa": sa}


def _render(tmp_path: Path, statements: Path, lang: str) -> Path:
    out = tmp_path / f"handout-{lang}.html"
    argv = ["report", "self-assessment", "--source", str(SOURCE), "--statements", str(statements)]
    result = CliRunner().invoke(cli, [*argv, "--lang", lang, "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _pdf_text(page, fmt: str) -> list[str]:
    data = page.pdf(format=fmt, margin=MARGINS, print_background=True)
    return [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]


def _flat(text: str) -> str:
    # NFKC: Chromium's PDF text uses ligature glyphs (ﬁ, ﬀ), and French puts no-break spaces before ":".
    # A line may break after a hyphen ("equity-⏎promoting"): the hyphen stays, the break is not a space.
    return re.sub(r"-\s+", "-", re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)))


@pytest.mark.parametrize("members", [4, 12])
def test_handout_prints_in_a_few_pages_with_everything_in_order(browser, course, tmp_path, members):
    statements, truth = _team(course, members, tmp_path)
    sa = truth["sa"]
    page = browser.new_page()
    try:
        for lang in ("en", "fr"):
            page.goto(_render(tmp_path, statements, lang).as_uri())
            violations = run_axe(page)
            assert not violations, describe_violations(violations)
            # Nothing wider than the printable width: A4 less 2 cm margins is 170 mm (643 CSS px).
            page.emulate_media(media="print")
            page.set_viewport_size({"width": 643, "height": 900})
            assert page.evaluate("document.documentElement.scrollWidth") <= 643
            for fmt in ("A4", "Letter"):  # page.pdf() follows the emulated media: print
                pages = _pdf_text(page, fmt)
                assert 1 <= len(pages) <= MAX_PAGES[members], (lang, fmt, len(pages))
                text = "\n".join(pages)
                first = _flat(pages[0])
                # Page 1 is useful on its own: who answered and the glance lists, not just a title.
                glance = "At a glance" if lang == "en" else "En un coup d’œil"
                assert glance in first, first[:400]
                strengths = "The team's strengths" if lang == "en" else "Les forces de l’équipe"
                assert strengths in first
                unknown = next(s.label[lang] for s in sa.scale if s.id == "unknown")
                assert unknown in text and "Don't know" not in text and "¶" not in text
                # Every item of each answered pillar, numbered in source order, full text (nothing clipped).
                flat = _flat(text)
                for pillar in sa.pillars:
                    if pillar.id not in truth["roles"].values():
                        continue
                    heading = ("Pillar: " if lang == "en" else "Pilier : ") + pillar.title[lang]
                    cursor = flat.index(_flat(heading), flat.index("Items" if lang == "en" else "Énoncés"))
                    for number, item in enumerate(pillar.items, start=1):
                        wanted = _flat(f"{number}.{to_text(item.text[lang])}")
                        found = flat.find(wanted.replace(".", ". ", 1), cursor)
                        if found < 0:
                            found = flat.find(wanted, cursor)
                        assert found >= 0, (lang, fmt, wanted[:60])
                        cursor = found
                # Newlines kept: each line of a member's first step is its own line in the PDF.
                plain = unicodedata.normalize("NFKC", text)
                assert re.search(r"first-step of member 1:\s*\n\s*first line\s*\n\s*second line", plain)
            # 390 px wide (a phone): no horizontal scroll.
            page.emulate_media(media="screen")
            page.set_viewport_size({"width": 390, "height": 800})
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
            page.set_viewport_size({"width": 1280, "height": 800})
    finally:
        page.close()


def test_role_mix_and_reflections_grouped_by_pillar(course, tmp_path):
    statements, truth = _team(course, 12, tmp_path)
    sa = truth["sa"]
    html = _render(tmp_path, statements, "en").read_text(encoding="utf-8")
    doc = handout.parse(html)
    roles = [li.text_content() for li in doc.find_class("roles")[0].iter("li")]
    counts = {p.id: sum(1 for r in truth["roles"].values() if r == p.id) for p in sa.pillars}
    lead = sa.pillars[0]
    labels = {lead.id: lead.title["en"]}
    labels.update({p.id: f"Several pillars ({lead.title['en']} + {p.title['en']})" for p in sa.pillars[1:]})
    expected = sorted(((counts[p.id], labels[p.id]) for p in sa.pillars), key=lambda x: -x[0])
    assert sorted(roles) == sorted(f"{label}: {n} member(s)" for n, label in expected)
    # Each pillar's reflection prompts sit under that pillar, with one text per member of that role.
    for pillar in sa.pillars:
        section = doc.get_element_by_id(f"pillar-{pillar.id}")
        texts = []
        for el in section.itersiblings():
            if el.tag == "h2":
                break
            if el.tag == "ul":
                texts += [li.text_content() for li in el.iter("li")]
        assert len(texts) == counts[pillar.id] * len(pillar.reflections), pillar.id
    general = doc.get_element_by_id("reflections")
    prompts = [el.text_content() for el in general.itersiblings() if el.tag == "h3"][: len(sa.reflections)]
    assert prompts == [to_text(r.text["en"]) for r in sa.reflections]
