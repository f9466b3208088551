"""The build estimates a module's time from its content and warns when the declared time is far off."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ece_scorm.cli import cli
from ece_scorm.pipeline import duration
from ece_scorm.source.course import load_course

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "fixtures" / "courses" / "minimal"
ECE = ROOT / "course_source"


def test_words_skip_link_targets_and_markup():
    assert (
        duration.words("Read the **[framework](https://example.org/a-b/c)** — it’s short.") == 5
    )  # Read the framework it’s short
    assert duration.words("L’engagement repose sur les relations.") == 5


def test_reading_speed_differs_by_language(tmp_path):
    # 400 English words at 200 wpm = 2 min; 360 French words at 180 wpm = 2 min.
    course = _course(tmp_path, en=" ".join(["word"] * 400), fr=" ".join(["mot"] * 360), minutes="[2, 2]")
    c, _ = load_course(course)
    module = c.module("welcome")
    page = module.pages[0]
    assert duration.page_estimate(page, "en", c.source_dir).reading == pytest.approx(
        2 + 1 / 200
    )  # + the title "Read"
    assert duration.page_estimate(page, "fr", c.source_dir).reading == pytest.approx(2 + 1 / 180)  # + "Lire"


def test_video_length_comes_from_its_captions_when_not_declared():
    c, _ = load_course(ECE)
    video = next(b for p in c.module("introduction").pages for b in p.blocks if b.type == "video")
    cues = (ECE / video.captions["en"]).read_text(encoding="utf-8")
    last = [line for line in cues.splitlines() if "-->" in line][-1].split("-->")[1].strip()
    h, m, s = ([0] + [float(x) for x in last.split(":")])[-3:]
    undeclared = type(video)(**{**video.__dict__, "duration_minutes": None})
    assert duration.video_minutes(undeclared, c.source_dir) == pytest.approx(h * 60 + m + s / 60)


def test_far_off_declared_time_warns_at_the_module_in_build_and_validate(tmp_path):
    # 3,000 words: 15 min in English, 16.7 in French (3,000 / 180); 60 is off by far more than a third.
    course = _course(tmp_path, en=" ".join(["word"] * 3000), fr=" ".join(["mot"] * 3000), minutes="60")
    runner = CliRunner(catch_exceptions=False)
    validated = runner.invoke(cli, ["validate", str(course)])
    assert validated.exit_code == 0
    assert "welcome.yaml:1:1: warning: module 'welcome' declares estimated_minutes 60" in validated.output
    assert "about 17 min" in validated.output
    built = runner.invoke(cli, ["build", str(course), "--out", str(tmp_path / "out")])
    assert built.exit_code == 0 and "declares estimated_minutes 60" in built.stderr
    strict = runner.invoke(cli, ["build", str(course), "--out", str(tmp_path / "strict"), "--strict"])
    assert strict.exit_code == 1 and "welcome.yaml:1:1: error: module 'welcome'" in strict.stderr


def test_close_declared_time_is_quiet(tmp_path):
    course = _course(tmp_path, en=" ".join(["word"] * 3000), fr=" ".join(["mot"] * 3000), minutes="[15, 20]")
    c, _ = load_course(course)
    assert [i for i in duration.check(c) if "'welcome'" in i.message] == []


def test_the_ece_modules_declare_honest_times():
    c, _ = load_course(ECE)
    assert duration.check(c) == []
    # Module 1: ~2,700 words of reading, the video, 9 reflections, the self-assessment and 7 questions.
    intro = c.module("introduction")
    assert 50 <= duration.module_estimate(intro, "en", c.source_dir).minutes <= 70
    assert intro.estimated_minutes == (50, 70)


def _course(tmp_path: Path, *, en: str, fr: str, minutes: str) -> Path:
    dest = tmp_path / "course"
    shutil.copytree(MINIMAL, dest)
    (dest / "quizzes" / "welcome-check.yaml").unlink()  # its page is replaced below
    welcome = dest / "modules" / "welcome.yaml"
    welcome.write_text(
        "title: {en: Welcome, fr: Bienvenue}\n"
        f"estimated_minutes: {minutes}\n"
        "completion: {all_pages: true, quiz_passed: false}\n"
        "pages:\n"
        "  - id: read\n"
        "    title: {en: Read, fr: Lire}\n"
        "    blocks:\n"
        f"      - text: {{en: {en}, fr: {fr}}}\n",
        encoding="utf-8",
    )
    return dest
