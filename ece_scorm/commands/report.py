"""`ece-scorm report self-assessment | quiz | completion`: team and cohort reports as HTML and CSV."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ece_scorm import console
from ece_scorm.lrs.client import LrsClient, StatementQuery
from ece_scorm.lrs.config import load_config
from ece_scorm.lrs.export import write_csv
from ece_scorm.reports.html import (
    FUNNEL_COLUMNS,
    PLAN_COLUMNS,
    QUIZ_COLUMNS,
    funnel_rows,
    plan_rows,
    quiz_rows,
    render_completion,
    render_quiz,
    render_self_assessment,
    self_assessment_rows,
)
from ece_scorm.reports.i18n import pick
from ece_scorm.reports.moodle import read_moodle_export
from ece_scorm.reports.quiz import funnel, quiz_items
from ece_scorm.reports.records import Answer, Event, ReportError, from_statement, parse_period
from ece_scorm.reports.self_assessment import SaSpec, aggregate, compare, spec_from_answers, spec_from_course

if TYPE_CHECKING:  # the model is only needed for labels, loaded when --source is given
    from ece_scorm.model import Course

log = logging.getLogger(__name__)


@dataclass
class Inputs:
    """Where records come from and what the course source tells about labels."""

    endpoint: str | None = None
    config_path: Path | None = None
    timeout: float = 30.0
    retries: int = 3
    moodle_export: Path | None = None
    source: Path | None = None
    course_iri: str | None = None
    progress: bool = False


@dataclass
class Loaded:
    answers: list[Answer] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    origin: str = "lrs"
    course: Course | None = None  # when --source was given
    course_id: str | None = None

    @property
    def course_title(self) -> dict:
        return dict(self.course.title) if self.course is not None else {"en": self.course_id or ""}


def _load_course(source: Path) -> Course:
    from ece_scorm.source.course import load_course  # the course loader is only needed for labels

    course, _warnings = load_course(source)
    return course


def load(inputs: Inputs) -> Loaded:
    """Read records from the Moodle download or stream them from the LRS (keeping only what reports use)."""
    loaded = Loaded()
    if inputs.source is not None:
        loaded.course = _load_course(inputs.source)
        loaded.course_id = loaded.course.id.rstrip("/")
    if inputs.course_iri:
        loaded.course_id = inputs.course_iri.rstrip("/")
    if inputs.moodle_export is not None:
        loaded.origin = "moodle"
        loaded.answers = read_moodle_export(inputs.moodle_export)
        return loaded
    config = load_config(inputs.endpoint, inputs.config_path, timeout=inputs.timeout, retries=inputs.retries)

    progress = console.progress(log, "… {count:,} statements read") if inputs.progress else None
    client = LrsClient(config, progress=progress)
    query = StatementQuery(activity=loaded.course_id, related_activities=bool(loaded.course_id))
    definitions: dict = {}
    for stmt in client.statements(query):
        record = from_statement(stmt, loaded.course_id, definitions)
        if isinstance(record, Answer):
            loaded.answers.append(record)
        elif isinstance(record, Event):
            loaded.events.append(record)
    return loaded


def _write(path: Path, text: str) -> None:
    try:
        tmp = path.with_name(path.name + ".part")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        raise ReportError(f"{path}: cannot write ({exc.strerror or exc})") from None


def _write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    try:
        with open(path, "w", encoding="utf-8-sig", newline="") as out:  # BOM: Excel then reads UTF-8
            write_csv(rows, out, tuple(columns))
    except OSError as exc:
        raise ReportError(f"{path}: cannot write ({exc.strerror or exc})") from None


def _sa_spec(loaded: Loaded) -> SaSpec:
    if loaded.course is not None:
        return spec_from_course(loaded.course)
    return spec_from_answers(loaded.answers)


def run_self_assessment(
    inputs: Inputs,
    *,
    period: str | None,
    compare_period: str | None,
    team: str | None,
    show_names: bool,
    lang: str,
    output: Path | None,
    csv_path: Path | None,
    top: int = 5,
) -> None:
    """Write the team view (HTML and/or CSV) of the self-assessment."""
    first = parse_period(period, "--period")
    second = parse_period(compare_period, "--compare-period")
    if second is not None and first is None:
        raise ReportError("--compare-period needs --period (the first administration)")
    if output is None and csv_path is None:
        raise ReportError("nothing to write: give --output FILE.html and/or --csv FILE.csv")
    loaded = load(inputs)
    spec = _sa_spec(loaded)
    result = aggregate(loaded.answers, spec, first, team, show_names, top)
    later = aggregate(loaded.answers, spec, second, team, show_names, top) if second else None
    moves = compare(result, later) if later is not None else None
    if output is not None:
        _write(
            output,
            render_self_assessment(
                result, spec, lang, pick(loaded.course_title, lang), loaded.origin, moves, later
            ),
        )
    if csv_path is not None:
        columns, rows = self_assessment_rows(result, spec, lang, moves)
        _write_csv(csv_path, columns, rows)
        _write_csv(csv_path.with_name(csv_path.stem + "-plans.csv"), PLAN_COLUMNS, plan_rows(result))
    log.info("%d respondent(s); %d plan(s)", result.respondents, len(result.plans), extra=console.STDERR)


def _quiz_labels(course) -> tuple[dict, dict]:
    from ece_scorm.markdown import plain_map  # course texts are inline Markdown; reports show no markup

    labels: dict = {}
    titles: dict = {}
    if course is None:
        return labels, titles
    for module in course.modules:
        titles[module.id] = dict(module.title)
        for quiz in module.quizzes():
            for q in quiz.questions:
                labels[f"q.{quiz.id}.{q.id}"] = {
                    "module": module.id,
                    "prompt": plain_map(q.prompt),
                    "correct": set(q.correct),
                    "choices": {c.id: plain_map(c.text) for c in q.choices},
                }
    return labels, titles


def run_quiz(
    inputs: Inputs,
    *,
    period: str | None,
    team: str | None,
    lang: str,
    output: Path | None,
    csv_path: Path | None,
    module: str | None,
) -> None:
    """Write the per-question item analysis."""
    window = parse_period(period, "--period")
    if output is None and csv_path is None:
        raise ReportError("nothing to write: give --output FILE.html and/or --csv FILE.csv")
    loaded = load(inputs)
    labels, titles = _quiz_labels(loaded.course)
    stats = quiz_items(loaded.answers, window, team, labels)
    if module:
        stats = [s for s in stats if s.module == module]
    if output is not None:
        _write(
            output,
            render_quiz(stats, titles, lang, pick(loaded.course_title, lang), loaded.origin, window, team),
        )
    if csv_path is not None:
        _write_csv(csv_path, QUIZ_COLUMNS, quiz_rows(stats))
    log.info("%d question(s)", len(stats), extra=console.STDERR)


def run_completion(
    inputs: Inputs,
    *,
    period: str | None,
    team: str | None,
    by: str,
    lang: str,
    output: Path | None,
    csv_path: Path | None,
) -> None:
    """Write the launched → completed → passed funnel per module and cohort."""
    window = parse_period(period, "--period")
    if inputs.moodle_export is not None:
        raise ReportError(
            "report completion reads the LRS; Moodle's own activity completion report covers SCORM packages"
        )
    if output is None and csv_path is None:
        raise ReportError("nothing to write: give --output FILE.html and/or --csv FILE.csv")
    loaded = load(inputs)
    _, titles = _quiz_labels(loaded.course)
    order = [m.id for m in loaded.course.modules] if loaded.course is not None else None
    rows = funnel(loaded.events, loaded.answers, window, by, team, order)
    if output is not None:
        _write(
            output,
            render_completion(
                rows, titles, lang, pick(loaded.course_title, lang), loaded.origin, window, team, by
            ),
        )
    if csv_path is not None:
        _write_csv(csv_path, FUNNEL_COLUMNS, funnel_rows(rows))
    log.info("%d module/cohort row(s)", len(rows), extra=console.STDERR)
