"""Read an exported statements file (JSON Lines, as `lrs query --format jsonl` writes) line by line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec

from ece_scorm.reports.records import USED_VERBS, ReportError

MAX_LINE = 1024 * 1024  # one xAPI statement; a longer line is not a statement export
MAX_PROBLEMS = 20  # report this many bad lines at once, then stop reading


# Typed decoding reads only the fields the reports use and skips the rest without building it (a statement's
# definition — names and choices in every language — is kept as raw bytes and parsed once per interaction):
# about six times faster than json.loads on the real packages' statements (benchmarks/RESULTS.md).
class _Definition(msgspec.Struct, frozen=True):
    type: Any = None


class _Activity(msgspec.Struct, frozen=True):
    id: Any = ""
    definition: _Definition | None = None


class _Activities(msgspec.Struct, frozen=True):
    parent: list[_Activity] | None = None
    grouping: list[_Activity] | None = None


class _Context(msgspec.Struct, frozen=True):
    registration: Any = None
    extensions: dict[str, Any] | None = None
    contextActivities: _Activities | None = None


class _Object(msgspec.Struct, frozen=True):
    id: Any = ""
    definition: msgspec.Raw = msgspec.Raw(b"null")


class _Verb(msgspec.Struct, frozen=True):
    id: Any = ""


class _Statement(msgspec.Struct, frozen=True):
    actor: dict[str, Any] | None = None
    verb: _Verb | None = None
    object: _Object | None = None
    context: _Context | None = None
    result: dict[str, Any] | None = None
    timestamp: Any = None


_DECODE = msgspec.json.Decoder(_Statement).decode


def _activities(acts: list[_Activity] | None) -> list[dict]:
    return [
        {"id": a.id, "definition": {"type": a.definition.type} if a.definition is not None else {}}
        for a in acts or ()
    ]


def _as_dict(st: _Statement) -> dict:
    """Return the statement as the dict `records.from_statement` reads (definition parsed on demand)."""
    obj = st.object
    raw = obj.definition if obj is not None and bytes(obj.definition) != b"null" else None
    context: dict = {}
    if st.context is not None:
        ctx = st.context
        acts = ctx.contextActivities
        context = {
            "registration": ctx.registration,
            "extensions": ctx.extensions,
            "contextActivities": {"parent": _activities(acts.parent), "grouping": _activities(acts.grouping)}
            if acts is not None
            else {},
        }
    return {
        "actor": st.actor,
        "verb": {"id": st.verb.id},
        "object": {
            "id": obj.id if obj is not None else "",
            "definition": (lambda: msgspec.json.decode(raw)) if raw is not None else None,
        },
        "context": context,
        "result": st.result,
        "timestamp": st.timestamp,
    }


class StatementsFileError(ReportError):
    """Lines of a statements file that are not statements (every one, located)."""

    def format_message(self) -> str:
        return self.message

    def show(self, file=None) -> None:  # each line already says "error:"
        import click

        click.echo(self.format_message(), err=True)


def read_statements(path: Path, relevant_only: bool = False) -> Iterator[dict]:
    """Yield each statement of a JSON Lines file; raise once at the end listing every bad line.

    With `relevant_only`, statements whose verb no report uses (page views…) are skipped unbuilt.
    """
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
                    fast = _DECODE(line)
                except (msgspec.DecodeError, msgspec.ValidationError):
                    fast = None  # unusual shapes and errors take the slow, exact path below
                if fast is not None and fast.verb is not None:
                    if not relevant_only or fast.verb.id in USED_VERBS:
                        yield _as_dict(fast)
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
