"""Lighthouse 12.2.3 scores accessibility 100 and best practices 100 on every page type, in both languages.

One Lighthouse run per page type per language (desktop preset: these categories do not depend on throttling)
on the ECE introduction, which holds every page type: the landing, a content page, the knowledge check, the
self-assessment and the closing screen. Each screen is opened by its link (#<lang>-p-<page>, #<lang>-end).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.browser_bench import serve
from benchmarks.lighthouse_bench import LighthouseError, run_lighthouse
from ece_scorm.pipeline.render import render_module
from ece_scorm.source.course import load_course

pytestmark = pytest.mark.browser
ECE = Path(__file__).resolve().parents[2] / "course_source"


@pytest.fixture(scope="module")
def scored(tmp_path_factory) -> dict[tuple[str, str], dict]:
    """Serve the introduction (SCORM 1.2 package, no LMS) and score each page type in each language."""
    course, _ = load_course(ECE)
    module = course.module("introduction")
    root = tmp_path_factory.mktemp("lighthouse")
    for f in render_module(course, module, "scorm12", course.languages):
        (root / f.path).parent.mkdir(parents=True, exist_ok=True)
        (root / f.path).write_bytes(f.data)
    kinds = {"text": None, "quiz": None, "self-assessment": None}
    for page in module.pages:
        types = {b.type for b in page.blocks}
        key = "quiz" if "quiz" in types else "self-assessment" if "self_assessment" in types else "text"
        kinds[key] = kinds[key] or page.id
    screens = {"landing": "start", "closing": "end", **{k: f"p-{v}" for k, v in kinds.items()}}
    with serve(root) as base:
        targets = {
            (kind, lang): f"{base}/index.html#{lang}-{frag}"
            for kind, frag in screens.items()
            for lang in course.languages
        }
        try:
            results = run_lighthouse("desktop", "accessibility,best-practices", list(targets.values()))
        except LighthouseError as exc:
            pytest.fail(str(exc), pytrace=False)
    by_url = {r["url"]: r for r in results}
    return {key: by_url[url] for key, url in targets.items()}


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("kind", ["landing", "text", "quiz", "self-assessment", "closing"])
def test_accessibility_and_best_practices_score_100(scored, kind, lang):
    result = scored[(kind, lang)]
    failing = [f"{a['id']}: {a['title']} {a['items'][:2]}" for a in result["failing"]]
    assert result["scores"] == {"accessibility": 1, "best-practices": 1}, "\n".join(failing)
