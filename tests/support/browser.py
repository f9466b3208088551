"""Shared Playwright fixture: one headless Debian Chromium per test session, plus an axe-core helper."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("ECE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Launch the system Chromium once per session (never `playwright install`); fail loudly if absent."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; run scripts/test to install it", pytrace=False)
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


def run_axe(page, *, tags: tuple[str, ...] = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")) -> list[dict]:
    """Inject axe-core into the page and return its WCAG 2.1 A/AA violations (empty list = clean)."""
    if not AXE_JS.exists():
        pytest.fail(f"axe-core missing at {AXE_JS}; run `npm ci`", pytrace=False)
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations",
        list(tags),
    )
    return result


def describe_violations(violations: list[dict]) -> str:
    """Format axe violations for an assertion message."""
    lines = []
    for v in violations:
        targets = [n.get("target") for n in v.get("nodes", [])][:5]
        lines.append(f"{v['id']} ({v.get('impact')}): {v.get('help')} -> {targets}")
    return "\n".join(lines)


def assert_axe_clean(target, where: str) -> None:
    """Fail with a readable list when axe-core finds a WCAG 2.1 A/AA violation in a page or frame."""
    violations = run_axe(target)
    assert violations == [], f"axe violations on {where}:\n{describe_violations(violations)}"


def axe_every_screen_kind(frame, where: str):
    """Return an on_screen callback running axe once per kind of screen (text, quiz, each SA step…)."""
    seen: set[str] = set()

    def check(kind: str) -> None:
        if kind not in seen:
            seen.add(kind)
            assert_axe_clean(frame, f"{kind} screen {where}")

    check.seen = seen
    return check


def start_module(frame, timeout_ms: float = 15_000):
    """Wait for the player, then leave its landing screen as a learner: Start, or Continue on a return."""
    frame.wait_for_function("() => window.ECE && ECE.player && !!ECE.player.state()", timeout=timeout_ms)
    if frame.evaluate("ECE.player.view()") == "start":
        strings = frame.evaluate("ECE_DATA.strings[document.documentElement.lang]")
        landing = frame.locator(".ece-start:not([hidden])")
        resume = landing.get_by_role("button", name=strings["resume"], exact=True)
        (resume if resume.is_visible() else landing.get_by_role("button", name=strings["start"])).click()
    frame.wait_for_function("() => ECE.player.view() === 'page'", timeout=timeout_ms)
    return frame


def pick_language(frame, lang: str, timeout_ms: float = 15_000):
    """Choose a language in the player's picker; its pages arrive on demand, so wait until one is shown."""
    frame.select_option("#ece-lang", lang)
    frame.wait_for_function(
        "(l) => document.documentElement.lang === l && "
        "!!document.querySelector('.ece-page[lang=\"' + l + '\"]:not([hidden]), .ece-screen:not([hidden])')",
        arg=lang,
        timeout=timeout_ms,
    )
    return frame
