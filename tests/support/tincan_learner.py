"""A learner in Moodle 4.5 with mod_tincanlaunch: log in, start a registration with the plugin's own launch
(view.php -> "Start New Registration" opens a new window with endpoint/auth/actor/registration/activity_id),
play the xAPI package there by role and accessible name, and close the window as a learner does.

The playing itself is tests/support/scorm_learner.py's ScriptedLearner (the same player in every format);
`FailingLearner` answers every attempt of a knowledge check with a fixed number of right answers, so the
score it predicts (from the course YAML) is below the pass mark after the last attempt.
"""

from __future__ import annotations

import base64
import json
import urllib.parse
import urllib.request
from typing import Any

from ece_scorm.markdown import to_text
from ece_scorm.model import Module, Quiz
from tests.support.scorm_learner import Answer, ScriptedLearner, wait_for_player


def moodle_login(page: Any, login_url: str, username: str, password: str) -> None:
    """Log in through Moodle's own form (its password field is re-rendered after load: type once settled)."""
    page.goto(login_url)
    page.wait_for_load_state("networkidle")
    page.locator("#username").fill(username)
    pw = page.locator("#password")
    pw.fill(password)
    if pw.input_value() != password:  # core/togglesensitive replaced the field under us: type again
        pw.fill(password)
    assert pw.input_value() == password
    page.locator("#loginbtn").click()
    page.wait_for_load_state("load")
    assert "/login/" not in page.url, f"Moodle refused the login of {username}"


def start_registration(page: Any, view_url: str) -> tuple[Any, dict[str, str]]:
    """Open the activity, click "Start New Registration"; return the content window and its launch query."""
    page.goto(view_url)
    # The plugin's AMD module binds the click and then sets tabindex: a click before that opens nothing.
    link = page.locator("a[id^=tincanlaunch_newattemptlink-][tabindex='0']")
    link.wait_for(timeout=30_000)
    with page.context.expect_page() as opened:
        link.click()
    content = opened.value
    content.wait_for_url("**/mod_tincanlaunch/content/**", timeout=30_000)
    query = {k: v[0] for k, v in urllib.parse.parse_qs(urllib.parse.urlsplit(content.url).query).items()}
    wait_for_player(content)
    return content, query


def switch_language(page: Any, lang: str) -> None:
    """Choose the player's language with its own selector (a learner reading in French)."""
    from tests.support.browser import pick_language

    pick_language(page, lang)  # its pages arrive on demand: wait until one is shown


class FailingLearner(ScriptedLearner):
    """Answer each knowledge check `right` questions right in every attempt, pressing Try again between."""

    def __init__(self, *args: Any, right: int = 4, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.right = right

    def quiz(self, quiz: Quiz, *, only: int | None = None, all_wrong: bool = False) -> None:
        total, attempts = len(quiz.questions), quiz.attempts or 1
        for attempt in range(attempts):
            if attempt:
                self.visible.get_by_role("button", name=self.t("tryAgain"), exact=True).click()
            for i, q in enumerate(quiz.questions):
                ids = [c.id for c in q.choices]
                wrong = next(c for c in ids if c not in q.correct)
                pick = sorted(q.correct, key=ids.index) if i < self.right else [wrong]
                group = self.visible.get_by_role("group", name=to_text(q.prompt[self.lang]), exact=True)
                role = "checkbox" if q.kind == "multiple" else "radio"
                for c in q.choices:
                    if c.id in pick:
                        group.get_by_role(role, name=to_text(c.text[self.lang]), exact=True).check()
                group.get_by_role("button", name=self.t("check"), exact=True).click()
                if attempt == attempts - 1:
                    kind = "true-false" if q.kind == "true_false" else "choice"
                    correct = sorted(q.correct, key=ids.index)
                    self.outcome.answers.append(
                        Answer(f"q.{quiz.id}.{q.id}", kind, pick, correct, ids, pick == correct)
                    )
        self.outcome.scores[quiz.id] = round(100 * min(self.right, total) / total)
        self.outcome.passed = self.outcome.scores[quiz.id] >= quiz.passing_score


def expected_score(module: Module, learner: ScriptedLearner) -> int | None:
    """Return the module score the player reports: the mean of its quiz scores (None without a quiz)."""
    scores = [learner.outcome.scores[q.id] for q in module.quizzes()]
    return round(sum(scores) / len(scores)) if scores else None


def lrs_statements(lrs: dict[str, str], registration: str) -> list[dict]:
    """Return the statements the Moodle LRS holds for a registration, oldest first."""

    auth = base64.b64encode(f"{lrs['username']}:{lrs['password']}".encode()).decode()
    query = urllib.parse.urlencode({"registration": registration, "ascending": "true", "limit": 500})
    req = urllib.request.Request(
        f"{lrs['endpoint']}statements?{query}",
        headers={"Authorization": f"Basic {auth}", "X-Experience-API-Version": "1.0.3"},
    )
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read())["statements"]


def close_content(page: Any, content: Any) -> None:
    """Close the content window as a learner does; wait for the Moodle page's completion check and reload."""
    checked = page.expect_request("**/completion_check.php*", timeout=20_000)
    back = page.expect_navigation(url="**/mod/tincanlaunch/view.php*", timeout=30_000)
    with checked, back:
        content.close()
