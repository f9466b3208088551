"""Quiz item analysis and the completion funnel, from normalized records."""

from __future__ import annotations

import math
from array import array
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
    attempt_sum: int = 0  # sum over learners of the highest attempt each reached
    correct_ids: set[str] = field(default_factory=set)  # from the source, else from answers marked correct

    @property
    def share_correct(self) -> float | None:
        return self.correct / self.responses if self.responses else None

    @property
    def share_first_correct(self) -> float | None:
        return self.first_correct / self.learners if self.learners else None

    @property
    def mean_attempts(self) -> float | None:
        return self.attempt_sum / self.learners if self.learners else None


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


class QuizCollector:
    """Fold quiz answers one at a time: per question counts, per learner only first/max attempt."""

    def __init__(
        self, period: tuple[date, date] | None = None, team: str | None = None, labels: dict | None = None
    ) -> None:
        self.period = period
        self.team = team.casefold() if team else None
        self.labels = labels or {}
        self.stats: dict[str, QuestionStat] = {}
        self.columns: dict[str, int] = {}
        # learner -> per question column: first attempt's (attempt, time), its success, highest attempt
        self.learners: dict[str, tuple[array, array, bytearray, bytearray]] = {}

    def add(self, ans: Answer) -> None:
        """Take one answer into account (answers other than quiz answers are ignored)."""
        if not ans.interaction.startswith("q.") or not in_period(ans.when, self.period):
            return
        if self.team is not None and (ans.team or "").casefold() != self.team:
            return
        stat = self.stats.get(ans.interaction)
        if stat is None:
            _, quiz, question = ans.interaction.split(".", 2)
            info = self.labels.get(ans.interaction, {})
            stat = self.stats[ans.interaction] = QuestionStat(
                module=ans.module or info.get("module", ""),
                quiz=quiz,
                question=question,
                prompt=info.get("prompt") or dict(ans.label or {}),
                choice_labels=dict(info.get("choices") or ans.choices or {}),
                correct_ids=set(info.get("correct") or ()),
            )
            for cid in stat.choice_labels:
                stat.choices[cid] = 0
            self.columns[ans.interaction] = len(self.columns)
        stat.responses += 1
        stat.correct += ans.success is True
        chosen = decode_choices(_split(ans.response), list(stat.choice_labels))
        for cid in chosen:
            stat.choices[cid] = stat.choices.get(cid, 0) + 1
        if ans.success is True and not self.labels.get(ans.interaction, {}).get("correct"):
            stat.correct_ids = set(chosen)
        col = self.columns[ans.interaction]
        row = self.learners.get(ans.learner)
        if row is None:
            row = self.learners[ans.learner] = (array("H"), array("d"), bytearray(), bytearray())
        if col >= len(row[0]):
            grow = len(self.columns) - len(row[0])
            row[0].extend([0] * grow)
            row[1].extend([0.0] * grow)
            row[2].extend(bytes(grow))
            row[3].extend(bytes(grow))
        attempt = min(ans.attempt or 1, 65535)
        when = ans.when.timestamp() if ans.when is not None else math.inf
        if not row[0][col] or (attempt, when) < (row[0][col], row[1][col]):
            row[0][col], row[1][col], row[2][col] = attempt, when, ans.success is True
        row[3][col] = max(row[3][col], min(attempt, 255))

    def result(self) -> list[QuestionStat]:
        """Return per-question statistics, in module/quiz/question order of first appearance or of labels."""
        by_col = {col: self.stats[iid] for iid, col in self.columns.items()}
        for stat in by_col.values():
            stat.learners = stat.first_correct = stat.attempt_sum = 0
        for firsts, _, ok, highest in self.learners.values():
            for col, first in enumerate(firsts):
                if first:
                    stat = by_col[col]
                    stat.learners += 1
                    stat.first_correct += ok[col]
                    stat.attempt_sum += highest[col]
        rank = {key: i for i, key in enumerate(self.labels)}
        return sorted(
            self.stats.values(),
            key=lambda s: (rank.get(f"q.{s.quiz}.{s.question}", len(rank)), s.module, s.quiz, s.question),
        )


def quiz_items(
    answers: Iterable[Answer],
    period: tuple[date, date] | None = None,
    team: str | None = None,
    labels: dict | None = None,
) -> list[QuestionStat]:
    """Return per-question statistics, in module/quiz/question order of first appearance or of `labels`."""
    collector = QuizCollector(period, team, labels)
    for ans in answers:
        collector.add(ans)
    return collector.result()


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


STAGES = ("launched", "completed", "passed", "failed")
_BIT = {"initialized": 1, "completed": 2, "passed": 4, "failed": 8}


class FunnelCollector:
    """Fold module events one at a time: per learner a few bits per module (and month)."""

    def __init__(
        self,
        period: tuple[date, date] | None = None,
        by: str = "none",
        team: str | None = None,
        modules: list[str] | None = None,
    ) -> None:
        self.period = period
        self.by = by
        self.team = team.casefold() if team else None
        self.modules = modules
        # learner -> [latest team time, team, {(module, month) -> verb bits}]
        self.learners: dict[str, list] = {}

    def _learner(self, key: str) -> list:
        row = self.learners.get(key)
        if row is None:
            row = self.learners[key] = [-math.inf, None, {}]
        return row

    def add(self, record: Answer | Event) -> None:
        """Take one record into account (answers only tell the learner's team)."""
        if not in_period(record.when, self.period):
            return
        row = None
        if record.team:
            row = self._learner(record.learner)
            when = record.when.timestamp() if record.when is not None else math.inf
            if when >= row[0]:
                row[0], row[1] = when, record.team
        if isinstance(record, Event) and record.verb in _BIT:
            row = row or self._learner(record.learner)
            month = record.when.strftime("%Y-%m") if (self.by == "month" and record.when) else ""
            key = (record.module, month)
            row[2][key] = row[2].get(key, 0) | _BIT[record.verb]

    def result(self) -> list[FunnelRow]:
        """Count distinct learners launched (initialized) → completed → passed per module and cohort."""
        counts: dict[tuple[str, str], list[int]] = {}
        for _, team, cells in self.learners.values():
            if self.team is not None and (team or "").casefold() != self.team:
                continue
            for (module, month), bits in cells.items():
                cohort = (team or "") if self.by == "team" else month
                row = counts.setdefault((module, cohort), [0, 0, 0, 0])
                # A learner with a later verb was necessarily launched, even if that statement was lost.
                row[0] += 1
                row[1] += bool(bits & 6)
                row[2] += bool(bits & 4)
                row[3] += bool(bits & 8) and not bits & 4
        rank = {m: i for i, m in enumerate(self.modules or [])}
        ordered = sorted(counts.items(), key=lambda kv: (rank.get(kv[0][0], len(rank)), kv[0]))
        return [FunnelRow(module, cohort, *values) for (module, cohort), values in ordered]


def funnel(
    events: Iterable[Event],
    answers: Iterable[Answer] = (),
    period: tuple[date, date] | None = None,
    by: str = "none",
    team: str | None = None,
    modules: list[str] | None = None,
) -> list[FunnelRow]:
    """Count distinct learners launched (initialized) → completed → passed per module and cohort."""
    collector = FunnelCollector(period, by, team, modules)
    records: list[Answer | Event] = [*answers, *events]
    for record in records:
        collector.add(record)
    return collector.result()
