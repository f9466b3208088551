"""`ece-scorm lrs query`: stream statements from the LRS to a table, CSV, JSON Lines or JSON."""

from __future__ import annotations

import itertools
import logging
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from ece_scorm import console
from ece_scorm.lrs.client import LrsClient, LrsError, StatementQuery, parse_agent
from ece_scorm.lrs.config import load_config
from ece_scorm.lrs.export import write_statements

log = logging.getLogger(__name__)


def iso_datetime(value: str | None, option: str) -> str | None:
    """Check an ISO 8601 date or date-time option and return it as the LRS expects (UTC 'Z' allowed)."""
    if value is None:
        return None
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise LrsError(f"{option}: not an ISO 8601 date or date-time: {value!r}") from None
    if len(text) == 10:  # a bare date means midnight UTC
        return text + "T00:00:00Z"
    return text if parsed.tzinfo else text + "Z"


def primed(stream: Iterator[dict]) -> Iterator[dict]:
    """Fetch the first item before anything is written, so an LRS error leaves no partial header."""
    try:
        first = next(stream)
    except StopIteration:
        return iter(())
    return itertools.chain((first,), stream)


def run_query(
    *,
    endpoint: str | None,
    config_path: Path | None,
    activity: str | None,
    verb: str | None,
    agent: str | None,
    registration: str | None,
    since: str | None,
    until: str | None,
    related_activities: bool,
    ascending: bool,
    fmt: str,
    limit: int | None,
    output: Path | None,
    timeout: float,
    retries: int,
    progress: bool | None,
    follow_more: bool = False,
) -> int:
    """Run one query and write the statements; return how many were written."""
    config = load_config(endpoint, config_path, timeout=timeout, retries=retries)
    query = StatementQuery(
        activity=activity,
        verb=verb,
        agent=parse_agent(agent) if agent else None,
        registration=registration,
        since=iso_datetime(since, "--since"),
        until=iso_datetime(until, "--until"),
        related_activities=related_activities,
        ascending=ascending,
    )
    if limit is not None and limit < 1:
        raise LrsError("--limit must be at least 1")
    show = progress if progress is not None else (output is not None or not sys.stdout.isatty())
    progress_line = console.progress(log, "… {count:,} statements") if show else None
    client = LrsClient(config, progress=progress_line, follow_more=follow_more)
    if output is None:
        return write_statements(primed(client.statements(query, limit)), sys.stdout, fmt)
    stream = primed(client.statements(query, limit))
    tmp = output.with_name(output.name + ".part")
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as out:
            n = write_statements(stream, out, fmt)
        tmp.replace(output)
    except OSError as exc:
        raise LrsError(f"{output}: cannot write ({exc.strerror or exc})") from None
    finally:
        tmp.unlink(missing_ok=True)
    if show:
        log.info("%s statements written to %s", f"{n:,}", output, extra=console.STDERR)
    return n
