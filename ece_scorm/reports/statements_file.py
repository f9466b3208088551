"""Read an exported statements file (JSON Lines, as `lrs query --format jsonl` writes) line by line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from ece_scorm.reports.records import ReportError

MAX_LINE = 1024 * 1024  # one xAPI statement; a longer line is not a statement export
MAX_PROBLEMS = 20  # report this many bad lines at once, then stop reading


class StatementsFileError(ReportError):
    """Lines of a statements file that are not statements (every one, located)."""

    def format_message(self) -> str:
        return self.message

    def show(self, file=None) -> None:  # each line already says "error:"
        import click

        click.echo(self.format_message(), err=True)


def read_statements(path: Path) -> Iterator[dict]:
    """Yield each statement of a JSON Lines file; raise once at the end listing every bad line."""
    problems: list[str] = []
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed in finally; the generator may be abandoned
    except OSError as exc:
        raise ReportError(f"{path}: cannot read ({exc.strerror or exc})") from None
    decode = json.JSONDecoder().decode
    try:
        for number, raw in enumerate(handle, start=1):
            if len(raw) > MAX_LINE:
                problems.append(f"{path}:{number}:1: error: line of {len(raw):,} bytes is not one statement")
            else:
                line = raw.strip()
                if not line:
                    continue
                try:
                    stmt = decode(line.decode("utf-8-sig" if number == 1 else "utf-8"))
                except UnicodeDecodeError as exc:
                    problems.append(f"{path}:{number}:{exc.start + 1}: error: not UTF-8 text")
                    stmt = None
                except json.JSONDecodeError as exc:
                    problems.append(f"{path}:{number}:{exc.colno}: error: not JSON ({exc.msg})")
                    stmt = None
                if isinstance(stmt, dict):
                    yield stmt
                elif stmt is not None:
                    kind = type(stmt).__name__
                    problems.append(f"{path}:{number}:1: error: a JSON {kind}, not a statement")
            if len(problems) >= MAX_PROBLEMS:
                problems.append(f"{path}: stopped after {MAX_PROBLEMS} bad lines")
                break
    except OSError as exc:
        raise ReportError(f"{path}: cannot read ({exc.strerror or exc})") from None
    finally:
        handle.close()
    if problems:
        hint = "expected one xAPI statement per line, as `ece-scorm lrs query --format jsonl` writes"
        raise StatementsFileError("\n".join([*problems, f"{len(problems)} problem(s); {hint}"]))
