"""Read an exported statements file (JSON Lines, as `lrs query --format jsonl` writes) line by line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec

from ece_scorm.lrs.client import actor_key
from ece_scorm.reports.records import (
    ADMINISTRATION_EXT,
    ATTEMPT_EXT,
    COURSE_TYPE,
    TEAM_EXT,
    USED_VERBS,
    VERBS,
    Answer,
    Event,
    ReportError,
    _choices,
    _count,
    _extension,
    _relative,
    answer_record,
    from_statement,
    interaction_of,
    parse_when,
    split_administration,
)

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


_DECODER = msgspec.json.Decoder(_Statement)
_DECODE = _DECODER.decode
CHUNK = 1024 * 1024  # bytes decoded per call: whole lines, a few hundred statements (flat memory)


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
        "verb": {"id": st.verb.id if st.verb is not None else None},
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


def _record(st: _Statement, course_id: str | None, definitions: dict) -> Answer | Event | None:
    """Return the record of one decoded statement: `records.from_statement` on the typed fields."""
    verb = st.verb.id if st.verb is not None else ""
    if verb not in USED_VERBS:
        return None
    ctx = st.context
    acts = ctx.contextActivities if ctx is not None else None
    course = course_id
    if not course:
        for act in (acts.grouping if acts is not None else None) or ():
            if act.definition is not None and act.definition.type == COURSE_TYPE:
                course = str(act.id).rstrip("/") or None
                break
        if not course:
            return None
    actor = st.actor if isinstance(st.actor, dict) else {}
    learner = actor_key(actor)
    obj = st.object
    parts = _relative(str(obj.id if obj is not None else ""), course)
    if not learner or parts is None:
        return None
    verb = verb[len(VERBS) :]
    extensions = ctx.extensions if ctx is not None else None
    result = st.result if isinstance(st.result, dict) else {}
    team = _extension(extensions, course, TEAM_EXT)
    team = str(team).strip() or None if team is not None else None
    name = str(actor.get("name") or "")
    when = parse_when(st.timestamp)
    if verb == "answered":
        interaction = interaction_of(parts)
        if interaction is None:
            return None
        module = None
        for parent in (acts.parent if acts is not None else None) or ():
            rel = _relative(str(parent.id), course)
            if rel and len(rel) == 1:
                module = rel[0]
        attempt = _extension(result.get("extensions"), course, ATTEMPT_EXT)
        administration = _count(_extension(extensions, course, ADMINISTRATION_EXT))
        if interaction.startswith("sa."):
            interaction, numbered = split_administration(interaction)
            administration = administration or numbered
        shared = definitions.get(interaction)
        if shared is None:
            raw = bytes(obj.definition)  # type: ignore[union-attr]  # callers pass interaction objects
            try:
                definition = msgspec.json.decode(raw) if raw != b"null" else {}
            except msgspec.DecodeError:
                definition = {}
            definition = definition if isinstance(definition, dict) else {}
            name_map = definition.get("name")
            shared = definitions[interaction] = (
                name_map if isinstance(name_map, dict) and name_map else None,
                _choices(definition),
            )
        return answer_record(
            learner, name, when, interaction, result, attempt, module, team, administration, shared
        )
    if len(parts) == 1:
        score = result.get("score")
        raw_score = score.get("raw") if isinstance(score, dict) else None
        value = (
            float(raw_score)
            if isinstance(raw_score, int | float) and not isinstance(raw_score, bool)
            else None
        )
        registration = ctx.registration if ctx is not None else None
        return Event(
            learner=learner,
            name=name,
            when=when,
            verb=verb,
            module=parts[0],
            team=team,
            registration=str(registration) if registration else None,
            score=value,
        )
    return None


def read_records(path: Path, course_id: str | None) -> Iterator[Answer | Event]:
    """Yield the report records of a JSON Lines statements file, decoding thousands of lines per call.

    A chunk that does not decode as typed statements (a bad line, an unusual shape) is read again line by
    line through `read_statements`' exact path, so every problem is still reported with its line.
    """
    definitions: dict = {}
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed in finally; the generator may be abandoned
    except OSError as exc:
        raise ReportError(f"{path}: cannot read ({exc.strerror or exc})") from None
    problems: list[str] = []
    first_line = 1
    rest = b""
    try:
        while True:
            block = handle.read(CHUNK)
            data = rest + block
            if not data:
                break
            cut = data.rfind(b"\n") + 1 if block else len(data)
            if cut == 0 and len(data) <= MAX_LINE:
                rest = data
                continue
            cut = cut or len(data)
            chunk, rest = data[:cut], data[cut:]
            lines = chunk.count(b"\n") + (0 if chunk.endswith(b"\n") else 1)
            try:
                if first_line == 1 and chunk.startswith(b"\xef\xbb\xbf"):
                    raise msgspec.DecodeError("byte order mark")
                decoded = _DECODER.decode_lines(chunk)
            except (msgspec.DecodeError, msgspec.ValidationError):
                decoded = None
            if decoded is not None and all(st.verb is not None for st in decoded):
                for st in decoded:
                    record = _record(st, course_id, definitions)
                    if record is not None:
                        yield record
            else:
                for _number, stmt in _slow_lines(path, chunk, first_line, problems):
                    record = from_statement(stmt, course_id, definitions)
                    if record is not None:
                        yield record
                if len(problems) >= MAX_PROBLEMS:
                    problems.append(f"{path}: stopped after {MAX_PROBLEMS} bad lines")
                    break
            first_line += lines
            if not block:
                break
    except OSError as exc:
        raise ReportError(f"{path}: cannot read ({exc.strerror or exc})") from None
    finally:
        handle.close()
    if problems:
        hint = "expected one xAPI statement per line, as `ece-scorm lrs query --format jsonl` writes"
        raise StatementsFileError("\n".join([*problems, f"{len(problems)} problem(s); {hint}"]))


def _slow_lines(path: Path, chunk: bytes, first: int, problems: list[str]) -> Iterator[tuple[int, dict]]:
    """Decode a chunk line by line with the standard library, noting each bad line."""
    for number, raw in enumerate(chunk.split(b"\n"), start=first):
        if len(problems) >= MAX_PROBLEMS:
            return
        if len(raw) > MAX_LINE:
            problems.append(f"{path}:{number}:1: error: line of {len(raw):,} bytes is not one statement")
            continue
        line = raw.strip()
        if not line:
            continue
        try:
            stmt = json.loads(line.decode("utf-8-sig" if number == 1 else "utf-8"))
        except UnicodeDecodeError as exc:
            problems.append(f"{path}:{number}:{exc.start + 1}: error: not UTF-8 text")
            continue
        except json.JSONDecodeError as exc:
            problems.append(f"{path}:{number}:{exc.colno}: error: not JSON ({exc.msg})")
            continue
        if isinstance(stmt, dict):
            yield number, stmt
        else:
            problems.append(f"{path}:{number}:1: error: a JSON {type(stmt).__name__}, not a statement")
