"""Write a stream of statements as a terminal table, CSV, JSON Lines or a JSON array, one at a time."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import TextIO

from ece_scorm.lrs.client import actor_key

FORMATS = ("table", "csv", "jsonl", "json")
CSV_COLUMNS = (
    "id",
    "timestamp",
    "stored",
    "actor",
    "actor_name",
    "verb",
    "object",
    "object_name",
    "registration",
    "parent",
    "response",
    "success",
    "completion",
    "score_raw",
    "score_scaled",
    "duration",
    "language",
    "team_code",
)
TABLE_COLUMNS = (("timestamp", 24), ("actor", 28), ("verb", 12), ("object", 52), ("response", 16))


def _lang_value(value: object, lang: str = "en") -> str:
    if isinstance(value, dict) and value:
        return str(value.get(lang) or value.get("en-US") or next(iter(value.values())))
    return ""


def _extension(extensions: object, suffix: str) -> str:
    if not isinstance(extensions, dict):
        return ""
    for key, value in extensions.items():
        if isinstance(key, str) and key.endswith(suffix):
            return str(value)
    return ""


def _part(parent: dict, key: str) -> dict:
    """Return parent[key] when it is an object, else an empty one (a malformed part reads as missing)."""
    value = parent.get(key)
    return value if isinstance(value, dict) else {}


def flatten(stmt: dict) -> dict[str, str]:
    """Return the CSV row of one statement (missing parts become empty strings)."""
    actor, verb, obj = _part(stmt, "actor"), _part(stmt, "verb"), _part(stmt, "object")
    definition = _part(obj, "definition")
    result = _part(stmt, "result")
    score = _part(result, "score")
    context = _part(stmt, "context")
    ctx_acts = _part(context, "contextActivities")
    parent = ctx_acts.get("parent")
    parents: list = parent if isinstance(parent, list) else []

    def text(value: object) -> str:
        return "" if value is None else (str(value).lower() if isinstance(value, bool) else str(value))

    return {
        "id": text(stmt.get("id")),
        "timestamp": text(stmt.get("timestamp")),
        "stored": text(stmt.get("stored")),
        "actor": actor_key(actor),
        "actor_name": text(actor.get("name")),
        "verb": text(verb.get("id")),
        "object": text(obj.get("id")),
        "object_name": _lang_value(definition.get("name")),
        "registration": text(context.get("registration")),
        "parent": " ".join(str(p.get("id")) for p in parents if isinstance(p, dict) and p.get("id")),
        "response": text(result.get("response")),
        "success": text(result.get("success")),
        "completion": text(result.get("completion")),
        "score_raw": text(score.get("raw")),
        "score_scaled": text(score.get("scaled")),
        "duration": text(result.get("duration")),
        "language": text(context.get("language")),
        "team_code": _extension(context.get("extensions"), "/xapi/extensions/team-code"),
    }


def _safe_cell(value: str) -> str:
    # Spreadsheet apps execute cells starting with = + - @ (CSV injection); learner text is untrusted.
    if value and value[0] in "=+-@\t\r":
        try:
            float(value)
            return value  # a signed number is data, not a formula
        except ValueError:
            return "'" + value
    return value


def write_csv(rows: Iterable[dict[str, str]], out: TextIO, columns: tuple[str, ...]) -> int:
    """Write dict rows as CSV with a header; return the row count."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    n = 0
    for row in rows:
        writer.writerow([_safe_cell(row.get(c, "")) for c in columns])
        n += 1
    return n


def _short_verb(verb: str) -> str:
    return verb.rstrip("/").rsplit("/", 1)[-1]


def _clip(value: str, width: int) -> str:
    value = value.replace("\n", " ").replace("\r", " ")
    return value if len(value) <= width else value[: width - 1] + "…"


def write_statements(statements: Iterable[dict], out: TextIO, fmt: str) -> int:
    """Write statements in fmt; return how many were written. Nothing is buffered beyond one row."""
    n = 0
    if fmt == "csv":
        return write_csv((flatten(s) for s in statements), out, CSV_COLUMNS)
    if fmt == "jsonl":
        for stmt in statements:
            out.write(json.dumps(stmt, ensure_ascii=False, separators=(",", ":")) + "\n")
            n += 1
        return n
    if fmt == "json":
        out.write("[")
        for stmt in statements:
            out.write(("\n" if n == 0 else ",\n") + json.dumps(stmt, ensure_ascii=False))
            n += 1
        out.write("\n]\n" if n else "]\n")
        return n
    header = "  ".join(name.ljust(width) for name, width in TABLE_COLUMNS)
    out.write(header.rstrip() + "\n" + "  ".join("-" * w for _, w in TABLE_COLUMNS) + "\n")
    for stmt in statements:
        row = flatten(stmt)
        row["verb"] = _short_verb(row["verb"])
        row["actor"] = row["actor_name"] or row["actor"]
        cells = [_clip(row[name], width).ljust(width) for name, width in TABLE_COLUMNS]
        out.write("  ".join(cells).rstrip() + "\n")
        n += 1
    return n
