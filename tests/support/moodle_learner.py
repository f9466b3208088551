"""A learner in the real Moodle 4.5 SCORM player: logs in, enters an activity, plays the SCO in its iframe.

The SCO runs in Moodle's `iframe#scorm_object` (loadSCO.php, then the package's index.html); the API objects
(`window.API`, `window.API_1484_11`) live in the player page around it. `record_api_calls` wraps them as
Moodle creates them, so a test can read every call the SCO made and the error code Moodle answered.
Quirks are in ../shared/lms/README.md "Driving a learner in Moodle".
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

from ece_scorm.markdown import to_text
from ece_scorm.model import Module
from tests.support.scorm_learner import Answer, Outcome, ScriptedLearner, wait_for_player

PASSWORD = "Learner-Pass-1!"

# Installed in every page of the context before Moodle's own scripts: the API objects are created with
# `window.API = new SCORMapi1_2(...)` / `window.API_1484_11 = ...`, so an accessor on window sees them born.
RECORD_API_CALLS = """
(() => {
  if (window.top !== window) return;
  const log = (window.__eceApiLog = []);
  const wrap = (api) => {
    const errFn = api.LMSGetLastError ? "LMSGetLastError" : "GetLastError";
    const err = api[errFn].bind(api);
    for (const name of Object.keys(api)) {
      if (typeof api[name] !== "function" || /Error|Diagnostic/.test(name)) continue;
      const fn = api[name].bind(api);
      api[name] = (...args) => {
        const result = fn(...args);
        log.push([name, args[0] === undefined ? "" : String(args[0]), String(result), String(err()),
          args.length > 1 ? String(args[1]).length : null]);
        return result;
      };
    }
    return api;
  };
  for (const prop of ["API", "API_1484_11"]) {
    let value;
    Object.defineProperty(window, prop, {
      configurable: true,
      get: () => value,
      set: (v) => { value = v && typeof v === "object" ? wrap(v) : v; },
    });
  }
})();
"""


def login(page: Any, info: dict, *, username: str = "learner", password: str = PASSWORD) -> None:
    """Log in on Moodle's login page (the password field is re-rendered after load: type once it settled)."""
    page.goto(info["login_url"])
    page.wait_for_load_state("networkidle")
    page.locator("#username").fill(username)
    field = page.locator("#password")
    for _ in range(3):
        field.fill(password)
        if field.input_value() == password:
            break
        page.wait_for_load_state("networkidle")
    page.locator("#loginbtn").click()
    page.wait_for_load_state("domcontentloaded")
    if "/login/" in page.url:
        raise AssertionError(f"Moodle refused the login of {username}: still on {page.url}")


def new_learner_page(browser: Any, info: dict, *, locale: str = "en-CA") -> Any:
    """Open a fresh browser context (no cookies, no localStorage), log the learner in, return its page."""
    context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
    context.add_init_script(RECORD_API_CALLS)
    page = context.new_page()
    login(page, info)
    return page


def enter(page: Any, info: dict, *, new_attempt: bool = False, mode: str = "normal") -> Any:
    """Open the activity, press Enter (or Preview), and return the SCO's frame once the player runs."""
    page.goto(info["view_url"])
    form = page.locator("#scormviewform")
    if new_attempt:
        form.get_by_role("checkbox", name="Start a new attempt").check()
    form.get_by_role("button", name="Preview" if mode == "browse" else "Enter").click()
    frame = page.wait_for_selector("iframe#scorm_object", timeout=30_000).content_frame()
    return wait_for_player(frame, timeout_ms=30_000)


def api_log(page: Any) -> list[list]:
    """Return [function, element, result, error code, value length] for every API call of this player page."""
    return page.evaluate("() => window.__eceApiLog || []")


def leave(page: Any, info: dict) -> list[list]:
    """Leave the player as a learner does (back to the course page) and return the API calls it made."""
    calls = api_log(page)
    page.goto(f"{info['wwwroot']}/course/view.php?id={info['courseid']}")
    return calls


def wait_stored(read: Callable[[], dict], done: Callable[[dict], bool], timeout_s: float = 20) -> dict:
    """Poll Moodle's stored report until `done` holds (the last commit travels as a beacon)."""
    deadline = time.monotonic() + timeout_s
    report = read()
    while not done(report):
        if time.monotonic() > deadline:
            raise AssertionError(f"Moodle never stored what was expected; last report: {report}")
        time.sleep(0.5)
        report = read()
    return report


def interactions(tracks: dict[str, str], response: str = "student_response") -> list[tuple[str, ...]]:
    """Return (id, type, response, result) of every stored interaction in index order (Moodle keeps
    SCORM 1.2 and 2004 interactions as `cmi.interactions_N.*` elements)."""
    found = (re.match(r"cmi\.interactions[._](\d+)\.id$", k) for k in tracks)
    idx = sorted({int(m.group(1)) for m in found if m})
    out = []
    for i in idx:
        sep = "_" if f"cmi.interactions_{i}.id" in tracks else "."
        base = f"cmi.interactions{sep}{i}."
        out.append(tuple(tracks.get(base + f, "") for f in ("id", "type", response, "result")))
    return out


def sco_tracks(report: dict, attempt: int = 1) -> dict[str, str]:
    """Return the one SCO's stored elements of an attempt (`cmi.core.lesson_status`: value)."""
    for att in report["attempts"]:
        if att["attempt"] == attempt:
            scoes = [s for s in att["scoes"].values() if s["tracks"]]
            assert len(scoes) == 1, f"expected one SCO with tracks, got {list(att['scoes'])}"
            return scoes[0]["tracks"]
    return {}


def long_text(interaction_id: str, length: int) -> str:
    """Return a two-paragraph reflection of exactly `length` characters, unique to this prompt."""
    head = f"Long reflection for {interaction_id}: "
    words = "what we heard from patient partners changed how our team plans its work "
    body = head + (words * (length // len(words) + 2))
    return body[: length // 2].rstrip() + "\n" + body[length // 2 :][: length - length // 2 - 1]


class MoodleLearner(ScriptedLearner):
    """The scripted learner of the SCORM tests, writing long reflections where a test asks for them."""

    def __init__(self, frame: Any, module: Module, lang: str, *, long: dict[str, int] | None = None) -> None:
        super().__init__(frame, module, lang)
        self.long = long or {}

    def write(self, name: str, interaction_id: str) -> None:
        if interaction_id not in self.long:
            return super().write(name, interaction_id)
        body = long_text(interaction_id, self.long[interaction_id])
        box = self.visible.get_by_role("textbox", name=name, exact=True)
        if len(body) <= int(box.get_attribute("maxlength") or len(body)):
            box.fill(body)
        else:
            # Pasted, as a learner brings a text written elsewhere: fill() would stop at maxlength the way
            # typing does, and a synthetic paste event has no default action, so the player's own paste
            # handling (core.js onPaste) is what puts it in.
            box.evaluate(
                "(el, text) => { el.focus(); el.select(); const dt = new DataTransfer();"
                " dt.setData('text/plain', text); el.dispatchEvent(new ClipboardEvent('paste',"
                " {clipboardData: dt, bubbles: true, cancelable: true})); }",
                body,
            )
        assert box.input_value() == body
        box.press("Tab")
        self.outcome.answers.append(Answer(interaction_id, "text", body))

    def goto(self, page_id: str) -> None:
        """Jump to a page through the table of contents, as a learner does."""
        page = next(p for p in self.module.pages if p.id == page_id)
        title = to_text(page.title[self.lang])
        nav = self.frame.get_by_role("navigation", name=self.t("contents"), exact=True)
        link = nav.get_by_role("link", name=title, exact=True)
        if not link.is_visible():  # a narrow frame (Moodle's player beside its own TOC) folds the contents
            nav.get_by_role("heading", name=self.t("contents"), exact=True).click()
        link.click()
        self.frame.wait_for_function(
            "(t) => { const h = document.querySelector('.ece-page:not([hidden]) h1');"
            " return !!h && h.textContent.trim() === t; }",
            arg=title,
        )

    def finish_from(self, page_id: str) -> Outcome:
        """Answer every page from `page_id` to the last one, in order."""
        pages = self.module.pages
        start = next(i for i, p in enumerate(pages) if p.id == page_id)
        for i in range(start, len(pages)):
            assert self.h1() == to_text(pages[i].title[self.lang]), f"expected page {pages[i].id}"
            self.page(pages[i])
            if i < len(pages) - 1:
                self.next()
        return self.outcome

    def counter(self, name: str) -> str:
        """Return what the character counter of text box `name` (its description) says."""
        box = self.visible.get_by_role("textbox", name=name, exact=True)
        ids = (box.get_attribute("aria-describedby") or "").split()
        return " ".join(self.frame.locator(f"[id='{i}']").inner_text() for i in ids if i.endswith("-count"))

    def text_on(self, page_id: str, name: str) -> str:
        """Go to a page and return what its text box `name` holds."""
        self.goto(page_id)
        return self.visible.get_by_role("textbox", name=name, exact=True).input_value()
