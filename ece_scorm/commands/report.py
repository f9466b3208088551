"""`ece-scorm report self-assessment | quiz | completion`: team and cohort reports as HTML and CSV."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
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
from ece_scorm.reports.quiz import FunnelCollector, QuizCollector
from ece_scorm.reports.records import Answer, Event, ReportError, from_statement, parse_period
from ece_scorm.reports.self_assessment import DEFAULT_MIN_RESPONDENTS, SaCollector, compare, spec_from_course
from ece_scorm.reports.statements_file import read_records

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
    statements_file: Path | None = None
    source: Path | None = None
    course_iri: str | None = None
    progress: bool = False


@dataclass
class Loaded:
    """What the course source (if any) tells, and where the records come from."""

    origin: str = "lrs"
    course: Course | None = None  # when --source was given
    course_id: str | None = None
    statements: int = 0  # statements read (LRS or file)

    @property
    def course_title(self) -> dict:
        return dict(self.course.title) if self.course is not None else {"en": self.course_id or ""}


def _load_course(source: Path) -> Course:
    from ece_scorm.source.course import load_course  # the course loader is only needed for labels

    course, _warnings = load_course(source)
    return course


def prepare(inputs: Inputs) -> Loaded:
    """Load the course source (if given) and check that exactly one record source was named."""
    if inputs.moodle_export is not None and inputs.statements_file is not None:
        raise ReportError("give --moodle-export or --statements, not both")
    loaded = Loaded()
    if inputs.source is not None:
        loaded.course = _load_course(inputs.source)
        loaded.course_id = loaded.course.id.rstrip("/")
    if inputs.course_iri:
        loaded.course_id = inputs.course_iri.rstrip("/")
    if inputs.moodle_export is not None:
        loaded.origin = "moodle"
    elif inputs.statements_file is not None:
        loaded.origin = "file"
    return loaded


def records(inputs: Inputs, loaded: Loaded) -> Iterator[Answer | Event]:
    """Yield the records one at a time from the Moodle download, the statements file or the LRS."""
    if inputs.moodle_export is not None:
        yield from read_moodle_export(inputs.moodle_export)
        return

    progress = console.progress(log, "… {count:,} statements read") if inputs.progress else None
    if inputs.statements_file is not None:
        yield from read_records(inputs.statements_file, loaded.course_id)
        return
    else:
        config = load_config(
            inputs.endpoint, inputs.config_path, timeout=inputs.timeout, retries=inputs.retries
        )
        client = LrsClient(config, progress=progress)
        query = StatementQuery(activity=loaded.course_id, related_activities=bool(loaded.course_id))
        stream = client.statements(query)
    definitions: dict = {}  # one copy of each interaction's name and choices, shared by every answer
    course_id = loaded.course_id
    count = 0
    for stmt in stream:
        count += 1
        record = from_statement(stmt, course_id, definitions)
        if record is not None:
            yield record
    loaded.statements = count


def _warn_untexted(items: list, what: str) -> None:
    missing = [i for i in items if not any(i.text.values()) if isinstance(i.text, dict)]
    if missing:
        log.warning(
            f"warning: {len(missing)} {what} have no text in these records (Moodle's downloads carry ids "
            "only); the report shows their ids. Give --source COURSE_FOLDER for the texts and order."
        )


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


def run_self_assessment(
    inputs: Inputs,
    *,
    period: str | None,
    compare_period: str | None,
    team: str | None,
    show_names: bool,
    min_respondents: int = DEFAULT_MIN_RESPONDENTS,
    lang: str,
    output: Path | None,
    csv_path: Path | None,
    top: int = 5,
) -> None:
    """Write the reflect-and-align handout (HTML and/or CSV) of the self-assessment."""
    first = parse_period(period, "--period")
    second = parse_period(compare_period, "--compare-period")
    if second is not None and first is None:
        raise ReportError("--compare-period needs --period (the first administration)")
    if output is None and csv_path is None:
        raise ReportError("nothing to write: give --output FILE.html and/or --csv FILE.csv")
    loaded = prepare(inputs)
    spec = spec_from_course(loaded.course) if loaded.course is not None else None
    periods = [first, second] if second is not None else [first]
    collector = SaCollector(spec, periods, team, show_names)
    for record in records(inputs, loaded):
        if isinstance(record, Answer):
            collector.add(record)
    spec = collector.spec()
    earlier = later = None
    numbers: tuple[int, int] | None = None
    result = collector.result(0, None, min_respondents, top)  # each member's latest administration
    if second is not None:  # the change from --period to --compare-period
        earlier, later = result, collector.result(1, None, min_respondents, top)
    else:  # the change between the last two administration numbers
        present = collector.administrations(0)
        if len(present) >= 2:
            numbers = (present[-2], present[-1])
            earlier = collector.result(0, numbers[0], min_respondents, top)
            later = collector.result(0, numbers[1], min_respondents, top)
    moves = compare(earlier, later) if earlier is not None and later is not None else None
    if loaded.course is None:
        _warn_untexted([i for p in spec.pillars for i in p.items], "item(s)")
    if output is not None:
        _write(
            output,
            render_self_assessment(
                result,
                spec,
                lang,
                pick(loaded.course_title, lang),
                loaded.origin,
                moves,
                earlier,
                later,
                administrations=numbers,
            ),
        )
    if csv_path is not None:
        columns, rows = self_assessment_rows(result, spec, lang, moves)
        _write_csv(csv_path, columns, rows)
        _write_csv(csv_path.with_name(csv_path.stem + "-plans.csv"), PLAN_COLUMNS, plan_rows(result))
    withheld = " (per-item breakdown withheld: fewer than the minimum)" if result.withheld else ""
    log.info(
        "%d respondent(s); %d plan(s)%s",
        result.respondents,
        len(result.plans),
        withheld,
        extra=console.STDERR,
    )


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
    loaded = prepare(inputs)
    labels, titles = _quiz_labels(loaded.course)
    collector = QuizCollector(window, team, labels)
    for record in records(inputs, loaded):
        if isinstance(record, Answer):
            collector.add(record)
    stats = collector.result()
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
    loaded = prepare(inputs)
    _, titles = _quiz_labels(loaded.course)
    order = [m.id for m in loaded.course.modules] if loaded.course is not None else None
    collector = FunnelCollector(window, by, team, order)
    for record in records(inputs, loaded):
        collector.add(record)
    rows = collector.result()
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
