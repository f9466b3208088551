"""Check the bundled course.yaml, Introduction module, its knowledge check, the self-assessment and media.

The YAML is read with PyYAML's BaseLoader (every scalar a string) so that the shape checks do not depend on
the project's own loader; the validator's verdict on these files is checked on a copy of the course that
holds only them. Media are checked from their bytes (MP4 boxes, WebVTT cues, SVG XML), not with the tool
that made them.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import struct
import sys
from pathlib import Path

import pytest
import yaml
from lxml import etree

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "course_source"
MEDIA = SOURCE / "media"
LANGS = {"en", "fr"}
NBSP = "\u00a0"
TEXT_KEYS = {
    "title",
    "description",
    "body",
    "text",
    "alt",
    "caption",
    "prompt",
    "hint",
    "intro",
    "label",
    "transcript",
    "publisher",
    "situation",  # interactive blocks: scenario, flip cards
    "question",
    "front",
    "back",
}
LIST_KEYS = {"audience", "objectives", "items"}
FILES = [
    "course.yaml",
    "modules/introduction.yaml",
    "quizzes/introduction-check.yaml",
    "self_assessment.yaml",
]
FIVE_WAYS = ["Inform", "Consult", "Involve", "Collaborate", "Lead"]


def _load(rel: str):
    return yaml.load((SOURCE / rel).read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def _texts(node, where=""):
    """Yield (where, value) for every value that docs/ARCHITECTURE.md §2 defines as text."""
    if isinstance(node, list):
        for i, v in enumerate(node):
            yield from _texts(v, f"{where}[{i}]")
    elif isinstance(node, dict):
        for k, v in node.items():
            here = f"{where}.{k}"
            if k in TEXT_KEYS and not isinstance(v, list):
                yield here, v
            # Panels of an accordion (`items: [{title, body}]`) are read field by field below.
            elif k in LIST_KEYS and isinstance(v, list) and not any("id" in x or "title" in x for x in v):
                yield from ((f"{here}[{i}]", item) for i, item in enumerate(v))
            elif k == "feedback" and isinstance(v, dict) and not set(v) <= LANGS:
                yield from ((f"{here}.{side}", text) for side, text in v.items())
            elif k == "feedback":
                yield here, v
            else:
                yield from _texts(v, here)


def _blocks(module):
    for page in module["pages"]:
        for block in page["blocks"]:
            yield page, block


@pytest.fixture(scope="module")
def intro():
    return _load("modules/introduction.yaml")


@pytest.fixture(scope="module")
def quiz():
    return _load("quizzes/introduction-check.yaml")


@pytest.fixture(scope="module")
def sa():
    return _load("self_assessment.yaml")


@pytest.mark.parametrize("rel", FILES)
def test_every_text_is_bilingual_and_translated(rel):
    found = list(_texts(_load(rel)))
    assert len(found) >= 3
    for where, value in found:
        assert isinstance(value, dict) and set(value) == LANGS, f"{rel}{where}: not {{en, fr}}: {value!r}"
        en, fr = value["en"].strip(), value["fr"].strip()
        assert en and fr, f"{rel}{where}: empty text"
        # A French text identical to the English one is an untranslated copy (proper names excepted).
        if len(en) > 20:
            assert en != fr, f"{rel}{where}: French is a copy of the English"
        for bad in ("TODO", "TBD", "lorem", "FIXME"):
            assert bad.lower() not in (en + fr).lower(), f"{rel}{where}: placeholder {bad!r}"


@pytest.mark.parametrize("rel", FILES)
def test_french_typography(rel):
    for where, value in _texts(_load(rel)):
        fr = value["fr"]
        assert "« " not in fr and " »" not in fr, f"{rel}{where}: guillemets need non-breaking spaces"
        assert not re.search(r"\S :", fr), f"{rel}{where}: a colon needs a non-breaking space before it"
        assert not re.search(r"\d %", fr), f"{rel}{where}: '%' needs a non-breaking space"
        assert '"' not in fr and "'" not in fr, f"{rel}{where}: use typographic quotes and apostrophes"
        assert NBSP not in value["en"], f"{rel}{where}: English text carries a non-breaking space"


def test_course_yaml_matches_the_contract():
    c = _load("course.yaml")
    assert c["id"] == "https://learn.hec-esc.ca/ece"
    assert c["modules"] == ["introduction", "patient-partners", "staff-teams", "leadership"]
    assert c["languages"] == ["en", "fr"] and c["default_language"] == "en"
    assert c["mastery_score"] == "80"
    assert c["self_assessment"] == "self_assessment.yaml"
    assert "@" in c["contact"]


def test_introduction_shape(intro):
    assert intro["id"] == "introduction"
    assert intro["estimated_minutes"] == ["50", "70"]  # what pipeline/duration.py estimates
    assert 3 <= len(intro["objectives"]) <= 4
    assert len(intro["audience"]) >= 6  # the seed's "who should enroll" list has seven groups
    assert 9 <= len(intro["pages"]) <= 12
    assert intro["completion"] == {"all_pages": "true", "quiz_passed": "true"}
    ids = [p["id"] for p in intro["pages"]]
    assert len(set(ids)) == len(ids)
    kinds = {b.get("type", "text") for _, b in _blocks(intro)}
    assert {"text", "callout", "list", "image", "video", "reflection", "quiz", "self_assessment"} <= kinds


def test_enough_substance_for_thirty_to_forty_five_minutes(intro):
    words = sum(len(v["en"].split()) for _, v in _texts(intro))
    # ~180 words a minute for ~20 minutes of reading; video, reflections and self-assessment add the rest.
    assert words >= 2800, f"only {words} English words"


def test_quiz_is_alone_on_the_last_page(intro):
    quiz_pages = [p["id"] for p, b in _blocks(intro) if b.get("type") == "quiz"]
    assert quiz_pages == [intro["pages"][-1]["id"]]
    assert intro["pages"][-1]["blocks"][-1] == {"type": "quiz", "ref": "introduction-check"}


def test_watch_and_reflect_page_has_video_then_the_seed_questions(intro):
    page = next(p for p in intro["pages"] if any(b.get("type") == "video" for b in p["blocks"]))
    types = [b.get("type", "text") for b in page["blocks"]]
    v = types.index("video")
    after = page["blocks"][v + 1 :]
    if after and after[0].get("type") == "accordion":  # the slides' legend belongs to the video
        after = after[1:]
    assert len(after) >= 5 and all(b["type"] == "reflection" for b in after)
    prompts = " ".join(b["prompt"]["en"].lower() for b in after)
    for phrase in ("stood out", "compare", "three pillars", "collective strengths", "personal strengths"):
        assert phrase in prompts, phrase


def test_self_assessment_page_explains_team_activity_and_code(intro):
    page = next(p for p in intro["pages"] if any(b.get("type") == "self_assessment" for b in p["blocks"]))
    assert page["blocks"][-1] == {"type": "self_assessment"}
    text = " ".join(str(b) for b in page["blocks"][:-1]).lower()
    for phrase in (
        "team code",
        "reflect and align",
        "on your own",
        "code d’équipe",
        "réfléchir et s’harmoniser",
    ):
        assert phrase in text, phrase


def _words(text: str) -> list[str]:
    return re.findall(r"\w+(?:[’']\w+)*", re.sub(r"[*_]", "", text).lower())


def test_self_assessment_page_does_not_repeat_the_tools_own_introduction(intro, sa):
    """The embedded tool shows its description and intro; the page around it must not say them again."""
    page = next(p for p in intro["pages"] if any(b.get("type") == "self_assessment" for b in p["blocks"]))
    for lang in sorted(LANGS):
        tool = _words(sa["description"][lang] + " " + sa["intro"][lang])
        tool_runs = {tuple(tool[i : i + 6]) for i in range(len(tool) - 5)}
        page_words = []
        for block in page["blocks"][:-1]:
            for key in ("text", "body", "title"):
                if isinstance(block.get(key), dict):
                    page_words += _words(block[key][lang])
            page_words += [w for item in block.get("items", []) for w in _words(item[lang])]
        shared = [
            " ".join(page_words[i : i + 6])
            for i in range(len(page_words) - 5)
            if tuple(page_words[i : i + 6]) in tool_runs
        ]
        assert len(page_words) > 60 and shared == [], f"{lang}: {shared}"


def test_ways_of_engaging_page_presents_a_circle_adapted_from_iap2(intro):
    page = next(p for p in intro["pages"] if p["id"] == "ways-of-engaging")
    text = " ".join(str(b) for b in page["blocks"])
    positions = [text.index(f"**{w}**") for w in FIVE_WAYS]
    assert positions == sorted(positions), "the five ways should appear in the framework's order"
    assert "IAP2" in text and "circle" in text and "purpose" in text
    circle = {"en": "media/ece-ways-circle.en.svg", "fr": "media/ece-ways-circle.fr.svg"}
    assert any(b.get("type") == "image" and b["src"] == circle for b in page["blocks"])


def test_pages_cover_the_required_topics(intro):
    def page_text(pid):
        return " ".join(str(b) for b in next(p for p in intro["pages"] if p["id"] == pid)["blocks"]).lower()

    assert all(
        w in page_text("three-pillars")
        for w in ("patient partners", "staff and healthcare teams", "leadership", "interconnected")
    )
    assert all(w in page_text("relationships") for w in ("relationships", "authenticity", "tokenism"))
    principles = page_text("guiding-principles")
    for p in (
        "build and foster relationships",
        "champion meaningful partnerships",
        "safer and more inclusive",
        "purposefully and consistently",
        "learn and reflect",
        "celebrate and share",
    ):
        assert p in principles, p
    assert all(
        w in page_text("support-levels")
        for w in ("individual level", "organizational level", "systemic level", "hubs")
    )
    assert all(w in page_text("recognition") for w in ("compensation", "flexibility", "barriers"))
    assert all(w in page_text("equity-trauma-informed") for w in ("power", "trauma-informed", "underserved"))


def test_images_exist_have_alt_and_are_small_svgs_in_each_language(intro):
    images = [b for _, b in _blocks(intro) if b.get("type") == "image"]
    stems = ("ece-pillars", "ece-ways-circle", "ece-support-levels")
    assert [b["src"] for b in images] == [
        {"en": f"media/{s}.en.svg", "fr": f"media/{s}.fr.svg"} for s in stems
    ]
    for b in images:
        assert len(b["alt"]["en"]) > 40 and len(b["alt"]["fr"]) > 40
        for src in b["src"].values():
            path = SOURCE / src
            assert path.stat().st_size < 10_000, f"{path.name} is {path.stat().st_size} bytes"
            svg = etree.parse(str(path)).getroot()
            ns = {"s": "http://www.w3.org/2000/svg"}
            assert svg.get("role") == "img" and svg.find("s:title", ns) is not None
            # #13.3: each language's file draws its own words (read in tests/course/test_blocks_in_course.py).
            assert svg.findall(".//s:text", ns) and svg.findall(".//s:script", ns) == []
            assert svg.findall(".//s:image", ns) == [], "no external or embedded raster images"


def test_knowledge_check_shape(quiz):
    assert quiz["id"] == "introduction-check"
    assert quiz["passing_score"] == "80" and quiz["attempts"] == "3"
    qs = quiz["questions"]
    assert len(qs) >= 6
    assert {q["type"] for q in qs} == {"single", "multiple", "true_false"}
    assert len({q["id"] for q in qs}) == len(qs)


def test_every_choice_has_feedback_and_answers_resolve(quiz):
    for q in quiz["questions"]:
        if q["type"] == "true_false":
            assert q["answer"] in ("true", "false")
            assert "choices" not in q
            assert set(q["feedback"]) >= {"true", "false"}
            continue
        ids = [c["id"] for c in q["choices"]]
        assert len(set(ids)) == len(ids) >= 3
        for c in q["choices"]:
            assert set(c["feedback"]) == LANGS, f"{q['id']}.{c['id']} lacks feedback"
        answer = q["answer"] if isinstance(q["answer"], list) else [q["answer"]]
        assert set(answer) <= set(ids)
        assert (len(answer) == 1) == (q["type"] == "single"), q["id"]
        assert (len(answer) == 1) == (q["type"] == "single"), q["id"]


# The player prints its verdict ("Correct." / "Incorrect.", « Bonne réponse. » / « Mauvaise réponse. ») before
# the feedback; feedback opening "Correct." read "Correct. Correct." (learner QA). It explains instead.
VERDICT_OPENER = {
    "en": re.compile(
        r"^(correct|incorrect|right|wrong|yes|no|not quite|well done|exactly|great)"
        r"\s*[.!,:;—–]",
        re.I,
    ),
    "fr": re.compile(
        r"^(exact|inexact|correct|incorrect|bonne réponse|mauvaise réponse|oui|non"
        r"|pas tout à fait|bravo|exactement|en effet)\s*[.!,:;—–]",
        re.I,
    ),
}


def test_feedback_explains_without_repeating_the_verdict(quiz):
    for q in quiz["questions"]:
        texts = [(c["id"], c["feedback"]) for c in q.get("choices", [])] + list(q.get("feedback", {}).items())
        assert texts, q["id"]
        for where, text in texts:
            for lang in sorted(LANGS):
                assert not VERDICT_OPENER[lang].match(text[lang]), f"{q['id']}.{where} ({lang}): {text[lang]}"
                assert len(text[lang].split()) >= 4, f"{q['id']}.{where} ({lang}): {text[lang]}"


def test_self_assessment_scale_and_pillars(sa):
    assert sa["id"] == "self-assessment" and sa["team_code"] == "true"
    assert sa["estimated_minutes"] == ["20", "30"]
    assert [(p["id"], p["label"]["en"], p["label"]["fr"]) for p in sa["scale"]] == [
        ("yes", "Yes", "Oui"),
        ("somewhat", "Somewhat", "En partie"),
        ("no", "No", "Non"),
        ("unknown", "Unknown", "Je ne sais pas"),
    ]
    assert [p["id"] for p in sa["pillars"]] == ["leadership", "staff-teams", "patient-partners"]
    item_ids = [i["id"] for p in sa["pillars"] for i in p["items"]]
    assert len(set(item_ids)) == len(item_ids)
    for p in sa["pillars"]:
        assert len(p["items"]) >= 8, p["id"]
        assert len(p["reflections"]) == 2, p["id"]
    singles = ("strength", "opportunity", "first_step", "first_step_lead")
    prompt_ids = [r["id"] for r in sa["reflections"]] + [sa[k]["id"] for k in singles]
    assert prompt_ids[-4:] == ["strength", "opportunity", "first-step", "first-step-lead"]
    assert len(set(prompt_ids)) == len(prompt_ids) and len(sa["reflections"]) >= 2


def test_self_assessment_intro_explains_pillar_choice_repetition_and_team(sa):
    intro = sa["intro"]["en"].lower()
    for phrase in (
        "pillar that best matches your current role",
        "add other pillars",
        "repeated",
        "team code",
        "reflect and align",
        "unknown",
    ):
        assert phrase in intro, phrase


def test_validator_accepts_part_a_alone(tmp_path):
    """Load a copy of the course that holds only this part, in strict mode (warnings are errors)."""
    from ece_scorm.source.course import load_course

    dst = tmp_path / "course_source"
    for rel in FILES:
        (dst / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(SOURCE / rel, dst / rel)
    shutil.copytree(MEDIA, dst / "media")
    course_yaml = dst / "course.yaml"
    text = course_yaml.read_text(encoding="utf-8")
    course_yaml.write_text(re.sub(r"(?m)^modules: .*$", "modules: [introduction]", text), encoding="utf-8")
    course, issues = load_course(dst, strict=True)
    assert issues == []
    intro = course.module("introduction")
    assert [q.id for q in intro.quizzes()] == ["introduction-check"]
    assert intro.self_assessment() is not None and intro.self_assessment().id == "self-assessment"
    assert course.modules[-1].kind == "self_assessment"
    assert len(intro.quizzes()[0].questions) == 7


# ---- video: container, captions and transcript checked independently of tools/make_video.py's output ----


def _boxes(data: bytes, start: int = 0, end: int | None = None):
    """Yield (type, payload start, payload end) for the ISO BMFF boxes in data[start:end]."""
    end = len(data) if end is None else end
    while start + 8 <= end:
        size, kind = struct.unpack(">I4s", data[start : start + 8])
        header = 8
        if size == 1:
            size, header = struct.unpack(">Q", data[start + 8 : start + 16])[0], 16
        assert size >= header, "corrupt MP4 box"
        yield kind.decode("latin-1"), start + header, start + size
        start += size


def _mp4_facts(path: Path) -> dict:
    data = path.read_bytes()
    top = {k: (a, b) for k, a, b in _boxes(data)}
    assert "ftyp" in top and "moov" in top and "mdat" in top
    # faststart: the index comes before the media data so the video starts while it downloads.
    assert top["moov"][0] < top["mdat"][0]
    moov = {k: (a, b) for k, a, b in _boxes(data, *top["moov"])}
    a, _ = moov["mvhd"]
    version = data[a]
    if version == 1:
        timescale, duration = struct.unpack(">IQ", data[a + 20 : a + 32])
    else:
        timescale, duration = struct.unpack(">II", data[a + 12 : a + 20])
    moov_bytes = data[top["moov"][0] : top["moov"][1]]
    return {
        "size": len(data),
        "seconds": duration / timescale,
        "avc1": b"avc1" in moov_bytes,
        "mp4a": b"mp4a" in moov_bytes,
    }


def _vtt_cues(path: Path) -> list[tuple[float, float, str]]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("WEBVTT")
    cues = []
    stamp = re.compile(r"^(\d\d):(\d\d):(\d\d)\.(\d{3}) --> (\d\d):(\d\d):(\d\d)\.(\d{3})$")
    for block in text.split("\n\n")[1:]:
        lines = [ln for ln in block.strip().splitlines() if ln]
        if not lines:
            continue
        m = stamp.match(lines[1] if not stamp.match(lines[0]) else lines[0])
        assert m, f"bad cue in {path.name}: {block!r}"
        g = [int(x) for x in m.groups()]
        start = g[0] * 3600 + g[1] * 60 + g[2] + g[3] / 1000
        end = g[4] * 3600 + g[5] * 60 + g[6] + g[7] / 1000
        body = lines[2:] if not stamp.match(lines[0]) else lines[1:]
        assert 1 <= len(body) <= 2, f"{path.name}: cue of {len(body)} lines"
        assert all(len(b) <= 42 for b in body), f"{path.name}: caption line too long: {body}"
        cues.append((start, end, " ".join(body)))
    return cues


def _video_block(intro):
    return next(b for _, b in _blocks(intro) if b.get("type") == "video")


def test_video_is_a_short_h264_aac_mp4(intro):
    block = _video_block(intro)
    assert block["src"] == "media/ece-fundamentals.mp4"
    facts = _mp4_facts(SOURCE / block["src"])
    assert facts["avc1"] and facts["mp4a"]
    assert 120 <= facts["seconds"] <= 200, facts["seconds"]
    assert facts["size"] < 1_500_000
    assert int(block["duration_minutes"]) == round(facts["seconds"] / 60)


@pytest.mark.parametrize("lang", sorted(LANGS))
def test_captions_are_timed_within_the_video_and_match_the_transcript(intro, lang):
    block = _video_block(intro)
    cues = _vtt_cues(SOURCE / block["captions"][lang])
    seconds = _mp4_facts(SOURCE / block["src"])["seconds"]
    assert len(cues) >= 20
    for (s1, e1, _), (s2, _, _) in zip(cues, cues[1:], strict=False):
        assert s1 < e1 <= s2 + 0.001, "cues must not overlap and must move forward"
    assert cues[-1][1] <= seconds
    # Every caption word, in order, is the transcript minus its bold slide headings.
    transcript = re.sub(r"\*\*[^*]+\*\*", " ", block["transcript"][lang])
    assert " ".join(transcript.split()) == " ".join(" ".join(c[2] for c in cues).split())


def test_transcript_is_the_narration_script_of_the_video_tool(intro):
    spec = importlib.util.spec_from_file_location("make_video", ROOT / "tools" / "make_video.py")
    tool = importlib.util.module_from_spec(spec)
    sys.modules["make_video"] = tool
    try:
        spec.loader.exec_module(tool)
    finally:
        del sys.modules["make_video"]
    block = _video_block(intro)
    for lang in sorted(LANGS):
        assert block["transcript"][lang].strip() == tool.transcript(lang)


@pytest.mark.browser
def test_video_and_captions_play_in_chromium(browser, tmp_path):
    """Serve media/ over http on 127.0.0.1; Debian Chromium must decode the video and load both tracks."""
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            """Keep the test output clean."""

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(MEDIA)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    page = browser.new_page()
    try:
        page.goto(f"{base}/ece-fundamentals.en.vtt")  # same origin for the page below
        page.set_content(
            f'<video id="v" preload="auto" muted src="{base}/ece-fundamentals.mp4">'
            f'<track kind="captions" srclang="en" src="{base}/ece-fundamentals.en.vtt" default>'
            f'<track kind="captions" srclang="fr" src="{base}/ece-fundamentals.fr.vtt"></video>'
        )
        page.evaluate("document.getElementById('v').textTracks[1].mode = 'hidden'")
        page.wait_for_function("document.getElementById('v').readyState >= 2", timeout=20_000)
        page.wait_for_function(
            "[...document.getElementById('v').textTracks].every(t => t.cues && t.cues.length)", timeout=10_000
        )
        facts = page.evaluate("""async () => { const v = document.getElementById('v');
            await v.play(); await new Promise(r => setTimeout(r, 700)); v.pause();
            return {duration: v.duration, w: v.videoWidth, h: v.videoHeight, t: v.currentTime,
                    error: v.error && v.error.code, cues: [...v.textTracks].map(t => t.cues.length)}; }""")
    finally:
        page.close()
        server.shutdown()
    expected = _mp4_facts(MEDIA / "ece-fundamentals.mp4")["seconds"]
    assert facts["error"] is None
    assert abs(facts["duration"] - expected) < 1.0
    assert (facts["w"], facts["h"]) == (640, 360)
    assert facts["t"] > 0, "playback did not advance"
    assert facts["cues"] == [
        len(_vtt_cues(MEDIA / "ece-fundamentals.en.vtt")),
        len(_vtt_cues(MEDIA / "ece-fundamentals.fr.vtt")),
    ]
