"""Quiz item analysis and the completion funnel, from normalized records."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from ece_scorm.reports.records import Answer, Event, in_period

RESPONSE_SEPARATOR = "[,]"  # xAPI choice responses (ARCHITECTURE §6)
SCORM12_CODES = "abcdefghijklmnopqrstuvwxyz0123456789"  # runtime/adapters/scorm12.js: choice index -> code


@dataclass
class QuestionStat:
    module: str
    quiz: str
    question: str
    prompt: dict
    responses: int = 0  # every answer, all attempts
    correct: int = 0
    learners: int = 0
    first_correct: int = 0  # learners right at their first attempt
    choices: dict[str, int] = field(default_factory=dict)  # choice id -> responses that selected it
    choice_labels: dict[str, dict] = field(default_factory=dict)
    max_attempts: dict[str, int] = field(default_factory=dict)  # learner -> highest attempt seen
    correct_ids: set[str] = field(default_factory=set)  # from the source, else from answers marked correct

    @property
    def share_correct(self) -> float | None:
        return self.correct / self.responses if self.responses else None

    @property
    def share_first_correct(self) -> float | None:
        return self.first_correct / self.learners if self.learners else None

    @property
    def mean_attempts(self) -> float | None:
        values = list(self.max_attempts.values())
        return sum(values) / len(values) if values else None


def _split(response: str) -> list[str]:
    # SCORM 1.2/2004 joins with "," ; xAPI with "[,]"
    sep = RESPONSE_SEPARATOR if RESPONSE_SEPARATOR in response else ","
    return [part.strip() for part in response.split(sep) if part.strip()]


def decode_choices(tokens: list[str], order: list[str]) -> list[str]:
    """Map SCORM 1.2 response codes (a, b, … by choice position; t/f) back to choice ids."""
    if not order or all(t in order for t in tokens):
        return tokens
    out = []
    for token in tokens:
        if token in order:
            out.append(token)
        elif order == ["true", "false"] and token in ("t", "f"):
            out.append("true" if token == "t" else "false")
        elif len(token) == 1 and token in SCORM12_CODES and SCORM12_CODES.index(token) < len(order):
            out.append(order[SCORM12_CODES.index(token)])
        else:
            out.append(token)
    return out


def quiz_items(
    answers: Iterable[Answer],
    period: tuple[date, date] | None = None,
    team: str | None = None,
    labels: dict | None = None,
) -> list[QuestionStat]:
    """Return per-question statistics, in module/quiz/question order of first appearance or of `labels`."""
    stats: dict[str, QuestionStat] = {}
    firsts: dict[tuple[str, str], tuple] = {}  # (interaction, learner) -> (attempt, when, success)
    for ans in answers:
        if not ans.interaction.startswith("q.") or not in_period(ans.when, period):
            continue
        if team is not None and (ans.team or "").casefold() != team.casefold():
            continue
        _, quiz, question = ans.interaction.split(".", 2)
        stat = stats.get(ans.interaction)
        if stat is None:
            info = (labels or {}).get(ans.interaction, {})
            stat = stats[ans.interaction] = QuestionStat(
                module=ans.module or info.get("module", ""),
                quiz=quiz,
                question=question,
                prompt=info.get("prompt") or dict(ans.label or {}),
                choice_labels=dict(info.get("choices") or ans.choices or {}),
                correct_ids=set(info.get("correct") or ()),
            )
            for cid in stat.choice_labels:
                stat.choices[cid] = 0
        stat.responses += 1
        stat.correct += ans.success is True
        chosen = decode_choices(_split(ans.response), list(stat.choice_labels))
        for cid in chosen:
            stat.choices[cid] = stat.choices.get(cid, 0) + 1
        if ans.success is True and not (labels or {}).get(ans.interaction, {}).get("correct"):
            stat.correct_ids = set(chosen)
        attempt = ans.attempt or 1
        stat.max_attempts[ans.learner] = max(stat.max_attempts.get(ans.learner, 0), attempt)
        key = (ans.interaction, ans.learner)
        order = (attempt, ans.when is None, ans.when)
        if key not in firsts or order < firsts[key][0]:
            firsts[key] = (order, ans.success is True)
    for (interaction, _), (_, success) in firsts.items():
        stats[interaction].learners += 1
        stats[interaction].first_correct += success
    rank = {key: i for i, key in enumerate(labels or {})}
    return sorted(
        stats.values(),
        key=lambda s: (rank.get(f"q.{s.quiz}.{s.question}", len(rank)), s.module, s.quiz, s.question),
    )


@dataclass
class FunnelRow:
    module: str
    cohort: str  # team code, month (YYYY-MM) or "" for everyone
    launched: int
    completed: int
    passed: int
    failed: int

    def share(self, value: int) -> float | None:
        return value / self.launched if self.launched else None


def funnel(
    events: Iterable[Event],
    answers: Iterable[Answer] = (),
    period: tuple[date, date] | None = None,
    by: str = "none",
    team: str | None = None,
    modules: list[str] | None = None,
) -> list[FunnelRow]:
    """Count distinct learners launched (initialized) → completed → passed per module and cohort."""
    stages: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    teams: dict[str, str] = {}
    scoped = [e for e in events if in_period(e.when, period)]
    records: list[Event | Answer] = [*scoped, *(a for a in answers if in_period(a.when, period))]
    for record in records:
        if record.team:
            teams[record.learner] = record.team
    for event in scoped:
        if by == "team":
            cohort = teams.get(event.learner, "")
        elif by == "month":
            cohort = event.when.strftime("%Y-%m") if event.when else ""
        else:
            cohort = ""
        if team is not None and teams.get(event.learner, "").casefold() != team.casefold():
            continue
        verb = "launched" if event.verb == "initialized" else event.verb
        stages[(event.module, cohort)][verb].add(event.learner)
    rows = []
    rank = {m: i for i, m in enumerate(modules or [])}
    ordered = sorted(stages.items(), key=lambda kv: (rank.get(kv[0][0], len(rank)), kv[0]))
    for (module, cohort), seen in ordered:
        # A learner with a later verb was necessarily launched, even if that statement was lost.
        launched = seen["launched"] | seen["completed"] | seen["passed"] | seen["failed"]
        passed = seen["passed"]
        rows.append(
            FunnelRow(
                module,
                cohort,
                len(launched),
                len(seen["completed"] | passed),
                len(passed),
                len(seen["failed"] - passed),
            )
        )
    return rows
