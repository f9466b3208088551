"""The report pages pass axe (WCAG 2.1 A/AA) in Chromium, in English and French, on screen and in print."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from ece_scorm.cli import cli
from ece_scorm.reports.html import render_completion
from ece_scorm.reports.quiz import FunnelRow
from tests.support.browser import describe_violations, run_axe

pytestmark = pytest.mark.browser

MOODLE = Path(__file__).parents[1] / "fixtures" / "moodle"


def _render(tmp_path: Path, command: str, export: str, lang: str) -> Path:
    out = tmp_path / f"{command}-{lang}.html"
    extra = (
        ["--compare-period", "2026-02-11..2026-02-12", "--period", "2026-02-10..2026-02-10"]
        if command == "self-assessment"
        else []
    )
    if command == "self-assessment":
        extra += ["--show-names", "--min-respondents", "1"]
    argv = [
        "report",
        command,
        "--moodle-export",
        str(MOODLE / export),
        "--lang",
        lang,
        *extra,
        "-o",
        str(out),
    ]
    result = CliRunner().invoke(cli, argv)
    assert result.exit_code == 0, result.output
    return out


def _completion(tmp_path: Path, lang: str) -> Path:
    rows = [
        FunnelRow("introduction", "NORTH-1", 12, 9, 7, 2),
        FunnelRow("introduction", "", 5, 1, 0, 1),
        FunnelRow("leadership", "NORTH-1", 0, 0, 0, 0),
    ]
    out = tmp_path / f"completion-{lang}.html"
    out.write_text(
        render_completion(
            rows,
            {"introduction": {"en": "Introduction", "fr": "Introduction"}},
            lang,
            "ECE",
            "lrs",
            None,
            None,
            "team",
        ),
        encoding="utf-8",
    )
    return out


def test_reports_are_accessible(browser, tmp_path):
    page = browser.new_page()
    try:
        for command, export in (
            ("self-assessment", "ece-self-assessment-interactions.txt"),
            ("quiz", "ece-introduction-interactions.txt"),
            ("completion", None),
        ):
            for lang in ("en", "fr"):
                if export is None:
                    path = _completion(tmp_path, lang)
                else:
                    path = _render(tmp_path, command, export, lang)
                page.goto(path.as_uri())
                assert page.evaluate("document.documentElement.lang") == lang
                violations = run_axe(page)
                assert not violations, f"{command} {lang}:\n" + describe_violations(violations)
                if command == "self-assessment":
                    # The handout's bars are decorative: each is hidden from assistive technology and
                    # followed by its counts as text ("Yes 2 · Somewhat 1 …").
                    bars = page.locator("svg.bar")
                    assert bars.count() >= 1
                    for i in range(bars.count()):
                        assert bars.nth(i).get_attribute("aria-hidden") == "true"
                        counts = bars.nth(i).locator(
                            "xpath=following-sibling::*[contains(@class, 'counts')][1]"
                        )
                        assert re.search(r"\d", counts.text_content())
                    continue_checks = False
                else:
                    continue_checks = True
                if continue_checks:
                    # Every chart is an image with a name, and a data table follows it.
                    charts = page.locator("svg[role=img]")
                    assert charts.count() >= 1
                    for i in range(charts.count()):
                        assert charts.nth(i).locator("title").text_content().strip()
                    page.emulate_media(media="print")
                    assert page.locator("table").first.is_visible()
                    page.emulate_media(media="screen")
                # No external resource: the page is self-contained.
                assert page.evaluate("[...document.querySelectorAll('[src],link[href]')].length") == 0
    finally:
        page.close()
