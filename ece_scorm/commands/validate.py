"""`ece-scorm validate`: check a course source folder or any package zip before it reaches an LMS."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import click

from ece_scorm.checks import Report, check_package
from ece_scorm.errors import EceError, Issue, Location, SourceInvalid, as_errors, sort_issues
from ece_scorm.pipeline.formats import NAMES


class ValidationFailed(EceError):
    """The target has errors (already printed)."""

    def show(self, file=None) -> None:  # the findings are printed; only the summary remains
        if self.message:
            click.echo(self.message, err=True)


def _as_json(report: Report, kind: str) -> str:
    return json.dumps(
        {
            "target": str(report.target),
            "kind": kind,
            "standard": report.standard,
            "ours": report.ours,
            "errors": report.errors,
            "warnings": report.warnings,
            "issues": [
                {
                    "file": i.location.file,
                    "line": i.location.line,
                    "col": i.location.col,
                    "level": i.level,
                    "message": i.message,
                    "rule": i.rule,
                }
                for i in report.issues
            ],
        },
        ensure_ascii=False,
        indent=2,
    )


def _source_report(target: Path, strict: bool, formats: Sequence[str]) -> Report:
    """Check a source exactly as `build` would: the course, its theme, then each module's state budget."""
    from ece_scorm.pipeline import duration
    from ece_scorm.pipeline.refusals import budget_issues
    from ece_scorm.source.course import load_course

    try:
        course, warnings = load_course(target, strict=strict)
        issues = duration.add_warnings(course, list(warnings), strict=strict)
    except SourceInvalid as exc:
        return Report(target, "course source", sort_issues(exc.issues))
    pairs = [(fmt, module) for fmt in formats for module in course.modules]
    issues += budget_issues(pairs, len(course.languages))
    return Report(target, "course source", sort_issues(issues))


def _check_target(target: Path, schemas: Path | None) -> None:
    """Refuse a target or schema folder that cannot be validated, with what to give instead."""
    if not target.exists():
        raise EceError(f"{target}: no such file or folder")
    if schemas is not None and not schemas.is_dir():
        raise EceError(f"--schemas {schemas}: not a folder")
    if target.is_file() and target.suffix.lower() in (".yaml", ".yml"):
        raise EceError(
            f"{target}: give the course source folder (e.g. {target.parent or '.'}), "
            "or a package .zip, not a single YAML file"
        )


def _package_report(target: Path, schemas: Path | None, strict: bool) -> Report:
    report = check_package(target, schemas=schemas)
    if strict:
        report.issues = as_errors(report.issues)
    if not report.issues and report.standard is None:
        report.issues = [Issue(Location(str(target)), "error", "not a package")]  # cannot happen; never pass
    return report


def _print_findings(report: Report, target: Path, kind: str) -> None:
    """Print every finding, then the summary line when there is no error (the exception says it otherwise)."""
    for issue in report.issues:
        click.echo(str(issue))
    standard = ""
    if report.standard and kind == "package":
        standard = f" ({report.standard}{', built by ece-scorm' if report.ours else ''})"
    summary = f"{target}{standard}: {report.errors} error(s), {report.warnings} warning(s)"
    if not report.errors:
        click.echo(summary + ("; ready to upload." if kind == "package" else "; ready to build."))


def run_validate(
    target: Path,
    *,
    schemas: Path | None = None,
    as_json: bool = False,
    strict: bool = False,
    formats: Sequence[str] = NAMES,
) -> Report:
    """Check TARGET, print every finding, and raise ValidationFailed when there are errors."""
    _check_target(target, schemas)
    kind = "source" if target.is_dir() else "package"
    report = (
        _source_report(target, strict, formats)
        if kind == "source"
        else _package_report(target, schemas, strict)
    )
    if as_json:
        click.echo(_as_json(report, kind))
    else:
        _print_findings(report, target, kind)
    if report.errors:
        raise ValidationFailed(
            f"{target}: {report.errors} error(s), {report.warnings} warning(s)" if not as_json else ""
        )
    return report
