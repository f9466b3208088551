"""Command-line interface: Click options and help only; each command calls one function in commands/."""

from __future__ import annotations

from pathlib import Path

import click

from ece_scorm import __version__, console
from ece_scorm.errors import OptionInvalid
from ece_scorm.pipeline.formats import NAMES as FORMATS


def _split_csv(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    return tuple(v.strip() for v in value.split(",") if v.strip())


def _set_verbosity(ctx: click.Context, param: click.Parameter, value: int | bool) -> None:
    # -v / -q may stand before the command or after it: both places add up, and either -q wins.
    key = "ece_scorm.verbosity"
    verbose, quiet = ctx.meta.get(key, (0, False))
    if param.name == "verbose":
        verbose = max(verbose, int(value))
    elif value:
        quiet = True
    ctx.meta[key] = (verbose, quiet)
    console.setup(verbose, quiet)


def verbosity(f):
    """Add -v / -q, which every command and group takes (logging: DEBUG, INFO by default, or errors only)."""
    f = click.option(
        "-q",
        "--quiet",
        is_flag=True,
        expose_value=False,
        callback=_set_verbosity,
        help="Print only errors.",
    )(f)
    return click.option(
        "-v",
        "--verbose",
        count=True,
        expose_value=False,
        callback=_set_verbosity,
        help="Also print debugging details.",
    )(f)


class _Group(click.Group):
    """A group whose commands and subgroups all take -v / -q."""

    def command(self, *args, **kwargs):
        decorator = super().command(*args, **kwargs)
        return lambda f: decorator(verbosity(f))

    def group(self, *args, **kwargs):
        kwargs.setdefault("cls", _Group)
        decorator = super().group(*args, **kwargs)
        return lambda f: decorator(verbosity(f))


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ece-scorm")
@verbosity
def cli() -> None:
    """Build SCORM 1.2 / 2004, xAPI and cmi5 packages from a YAML course, and report on what learners did."""


# --- build (owner: commands/build.py) -------------------------------------------------------------
@cli.command()
@click.argument("source", default="course_source", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--format",
    "formats",
    default="scorm12",
    show_default=True,
    help="Comma-separated formats: scorm12, scorm2004, xapi, cmi5, or 'all'.",
)
@click.option(
    "--out",
    "out_dir",
    default="build",
    show_default=True,
    type=click.Path(path_type=Path),
    help="Output folder.",
)
@click.option(
    "--lang", "langs", default=None, help="Languages to include, e.g. en,fr (default: all declared)."
)
@click.option(
    "--bundle",
    type=click.Choice(["module", "series"]),
    default=None,
    help="One package per module, or one package for the whole series "
    "(default: module; cmi5: series, one AU per module).",
)
@click.option("--module", "modules", default=None, help="Only these module ids (comma-separated).")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option(
    "--force",
    is_flag=True,
    help="Render every package even when no input changed since the last build into --out.",
)
def build(
    source: Path,
    formats: str,
    out_dir: Path,
    langs: str | None,
    bundle: str | None,
    modules: str | None,
    strict: bool,
    force: bool,
) -> None:
    """Build packages from a course SOURCE folder into --out."""
    from ece_scorm.commands.build import run_build

    fmts = FORMATS if formats.strip() == "all" else (_split_csv(formats) or ())
    bad = [f for f in fmts if f not in FORMATS]
    if bad:
        raise OptionInvalid(
            "--format", f"unknown format {', '.join(bad)} (choose from {', '.join(FORMATS)}, all)"
        )
    run_build(
        source,
        formats=fmts,
        out_dir=out_dir,
        langs=_split_csv(langs),
        bundle=bundle,
        modules=_split_csv(modules),
        strict=strict,
        force=force,
    )


# --- validate / preview / new (owner: commands/validate.py, preview.py, new.py) --------------------
# (defined by their owners below this line)


@cli.command()
@click.argument("target", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--schemas",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of official XSDs (scorm12/, scorm2004_4ed/, cmi5/) to validate manifests against.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option(
    "--format",
    "formats",
    default="all",
    show_default=True,
    help="For a SOURCE: the formats you will build (their resume-state limits are checked).",
)
def validate(target: Path, schemas: Path | None, as_json: bool, strict: bool, formats: str) -> None:
    """Check a course SOURCE folder or a package zip (SCORM 1.2/2004, xAPI, cmi5) before upload."""
    from ece_scorm.commands.validate import run_validate

    fmts = FORMATS if formats.strip() == "all" else _split_csv(formats)
    bad = [f for f in fmts or () if f not in FORMATS]
    if bad or not fmts:
        raise click.BadParameter(
            f"unknown format {', '.join(bad)} (choose from {', '.join(FORMATS)}, all)", param_hint="--format"
        )
    run_validate(target, schemas=schemas, as_json=as_json, strict=strict, formats=fmts)


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def new(directory: Path) -> None:
    """Create a minimal, valid course (English and French) in a new or empty DIRECTORY."""
    from ece_scorm.commands.new import run_new

    run_new(directory)


@cli.command()
@click.argument("source", default="course_source", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="scorm12",
    show_default=True,
    help="Which LMS to imitate: a SCORM API in the page, or an in-memory xAPI / cmi5 endpoint.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port on 127.0.0.1 (0: any free port).",
)
@click.option("--no-open", is_flag=True, help="Do not open a browser.")
def preview(source: Path, fmt: str, port: int, no_open: bool) -> None:
    """Serve the course on 127.0.0.1 beside a live panel of what an LMS would record; rebuild on change."""
    from ece_scorm.commands.preview import run_preview

    run_preview(source, fmt=fmt, port=port, open_browser=not no_open)


# --- lrs / report (owner: commands/lrs.py, report.py) ----------------------------------------------
# (defined by their owners below this line)


@cli.group()
def lrs() -> None:
    """Query a Learning Record Store (credentials: ECE_LRS_* variables or ~/.config/ece-scorm/lrs.toml)."""


@lrs.command("query")
@click.option("--endpoint", default=None, help="xAPI endpoint URL (else ECE_LRS_ENDPOINT or config).")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="LRS config file (TOML; default ~/.config/ece-scorm/lrs.toml).",
)
@click.option("--activity", default=None, help="Activity IRI (course or module).")
@click.option("--verb", default=None, help="Verb IRI, e.g. http://adlnet.gov/expapi/verbs/completed.")
@click.option("--agent", default=None, help="mailto:address, e-mail, or Agent JSON (mbox or account).")
@click.option("--registration", default=None, help="Registration UUID.")
@click.option("--since", default=None, help="Stored after this ISO 8601 date/time.")
@click.option("--until", default=None, help="Stored at or before this ISO 8601 date/time.")
@click.option("--related-activities", is_flag=True, help="Also match context activities (a whole course).")
@click.option("--ascending", is_flag=True, help="Oldest first.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "jsonl", "json"]),
    default="table",
    show_default=True,
)
@click.option("--limit", type=int, default=None, help="Stop after this many statements.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file instead of standard output.",
)
@click.option("--timeout", type=float, default=30.0, show_default=True, help="Seconds per HTTP request.")
@click.option("--retries", type=int, default=3, show_default=True, help="Retries for 5xx/connection errors.")
@click.option("--progress/--no-progress", default=None, help="Progress on stderr (default: when exporting).")
@click.option(
    "--paging",
    type=click.Choice(["stored", "more"]),
    default="stored",
    show_default=True,
    help="Page by stored time (robust) or by following the LRS's `more` links.",
)
def lrs_query(
    endpoint,
    config_path,
    activity,
    verb,
    agent,
    registration,
    since,
    until,
    related_activities,
    ascending,
    fmt,
    limit,
    output,
    timeout,
    retries,
    progress,
    paging,
) -> None:
    """Stream statements matching the filters; follows `more` links."""
    from ece_scorm.commands.lrs import run_query

    run_query(
        endpoint=endpoint,
        config_path=config_path,
        activity=activity,
        verb=verb,
        agent=agent,
        registration=registration,
        since=since,
        until=until,
        related_activities=related_activities,
        ascending=ascending,
        fmt=fmt,
        limit=limit,
        output=output,
        timeout=timeout,
        retries=retries,
        progress=progress,
        follow_more=paging == "more",
    )


def _report_inputs(f):
    """Add the options every report shares (where the records come from)."""
    options = [
        click.option(
            "--source",
            type=click.Path(file_okay=False, path_type=Path),
            default=None,
            help="Course source folder: item labels, order, course id.",
        ),
        click.option("--course", "course_iri", default=None, help="Course IRI (when --source is not given)."),
        click.option(
            "--moodle-export",
            type=click.Path(dir_okay=False, path_type=Path),
            default=None,
            help="Moodle SCORM Interactions report download (.ods/.xlsx/.txt/.csv) instead of the LRS.",
        ),
        click.option(
            "--statements",
            "statements_file",
            type=click.Path(dir_okay=False, path_type=Path),
            default=None,
            help="Exported statements (JSON Lines, as `lrs query --format jsonl` writes) instead of the LRS.",
        ),
        click.option("--endpoint", default=None, help="xAPI endpoint URL (else ECE_LRS_ENDPOINT or config)."),
        click.option(
            "--config",
            "config_path",
            type=click.Path(dir_okay=False, path_type=Path),
            default=None,
            help="LRS config file (TOML).",
        ),
        click.option("--timeout", type=float, default=30.0, show_default=True, help="Seconds per request."),
        click.option("--retries", type=int, default=3, show_default=True, help="Retries (5xx, network)."),
        click.option("--period", default=None, help="YYYY-MM-DD..YYYY-MM-DD (statement timestamps)."),
        click.option("--team", default=None, help="Only learners who entered this team code."),
        click.option("--lang", type=click.Choice(["en", "fr"]), default="en", show_default=True),
        click.option(
            "-o",
            "--output",
            type=click.Path(dir_okay=False, path_type=Path),
            default=None,
            help="HTML report file.",
        ),
        click.option(
            "--csv",
            "csv_path",
            type=click.Path(dir_okay=False, path_type=Path),
            default=None,
            help="CSV file.",
        ),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _inputs(kw: dict):
    from ece_scorm.commands.report import Inputs

    return Inputs(
        endpoint=kw.pop("endpoint"),
        config_path=kw.pop("config_path"),
        timeout=kw.pop("timeout"),
        retries=kw.pop("retries"),
        moodle_export=kw.pop("moodle_export"),
        statements_file=kw.pop("statements_file"),
        source=kw.pop("source"),
        course_iri=kw.pop("course_iri"),
        progress=True,
    )


@cli.group()
def report() -> None:
    """Team and cohort reports from the LRS, a statements file or a Moodle download (HTML and CSV)."""


@report.command("self-assessment")
@_report_inputs
@click.option("--compare-period", default=None, help="A second administration to compare with --period.")
@click.option("--show-names", is_flag=True, help="Show learners' names (anonymous by default).")
@click.option(
    "--min-respondents",
    type=click.IntRange(1, 1000),
    default=3,
    show_default=True,
    help="Withhold per-item breakdowns answered by fewer people (privacy).",
)
@click.option("--top", type=click.IntRange(1, 50), default=5, show_default=True, help="Items per summary.")
def report_self_assessment(**kw) -> None:
    """The reflect-and-align handout: per-item answers, strengths, splits, unknowns, plans, what moved."""
    from ece_scorm.commands.report import run_self_assessment

    run_self_assessment(_inputs(kw), **kw)


@report.command("quiz")
@_report_inputs
@click.option("--module", default=None, help="Only this module id.")
def report_quiz(**kw) -> None:
    """Item analysis per question: share correct, choice distribution, attempts."""
    from ece_scorm.commands.report import run_quiz

    run_quiz(_inputs(kw), **kw)


@report.command("completion")
@_report_inputs
@click.option(
    "--by",
    type=click.Choice(["none", "team", "month"]),
    default="none",
    show_default=True,
    help="Cohorts: everyone, per team code, or per month.",
)
def report_completion(**kw) -> None:
    """Funnel launched → completed → passed per module and cohort."""
    from ece_scorm.commands.report import run_completion

    run_completion(_inputs(kw), **kw)
