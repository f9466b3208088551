"""User-facing failures and located issues."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import click


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file (1-based line and column; 0 means unknown)."""

    file: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.col or 1}"
        return self.file


@dataclass(frozen=True, order=True)
class Issue:
    """One problem found in a course source or a package."""

    location: Location
    level: str = field(compare=False)  # "error" | "warning"
    message: str = field(compare=False)
    rule: str = field(default="", compare=False)  # e.g. "MUST 8" of docs/LMS-RULES.md

    def __str__(self) -> str:
        rule = f" [{self.rule}]" if self.rule else ""
        return f"{self.location}: {self.level}: {self.message}{rule}"


def sort_issues(issues: list[Issue]) -> list[Issue]:
    """Sort by file, line, column, then message, so output is stable."""
    return sorted(issues, key=lambda i: (i.location.file, i.location.line, i.location.col, i.message))


# "path:line:col: error: …" or "path: error: …": a message that already says where and what it is.
LOCATED = re.compile(r"^[^\n]+?: (?:error|warning): ")


class EceError(click.ClickException):
    """A failure the user can act on: message only, exit code 1, no traceback."""

    exit_code = 1

    def show(self, file=None) -> None:
        """Print the message; a located one as it is (it starts with its path), others after 'Error: '."""
        if LOCATED.match(self.format_message()):
            click.echo(self.format_message(), err=True)
        else:
            super().show(file)


class SourceInvalid(EceError):
    """The course source has errors (each already located)."""

    def __init__(self, issues: list[Issue]):
        self.issues = sort_issues(issues)
        errors = sum(1 for i in self.issues if i.level == "error")
        warnings = len(self.issues) - errors
        lines = [str(i) for i in self.issues]
        lines.append(f"{errors} error(s), {warnings} warning(s); nothing was written.")
        super().__init__("\n".join(lines))

    def format_message(self) -> str:
        return self.message

    def show(self, file=None) -> None:  # no "Error: " prefix: each line already says error/warning
        click.echo(self.format_message(), err=True)


class BuildFailed(EceError):
    """The build could not produce packages (e.g. state budget exceeded)."""


class OptionInvalid(click.BadParameter):
    """A command-line value the course or the machine refuses: exit 2 with the usage line, as Click does."""

    def __init__(self, option: str, message: str):
        super().__init__(message, param_hint=option)


def as_errors(issues: list[Issue]) -> list[Issue]:
    """Return the issues with every warning raised to an error (--strict)."""
    return [Issue(i.location, "error", i.message, i.rule) if i.level == "warning" else i for i in issues]
