"""What the commands tell the user while they work: `logging` set up from -v / -q, and the progress printer.

Records go through click.echo, so they follow Click's streams (and CliRunner's in tests): INFO lines to
stdout (a command's progress and result lines), everything else to stderr. A command whose stdout carries
data (`lrs query`, the reports) logs its progress with `extra=STDERR`, so the data stays clean.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import click

STDERR = {"stderr": True}  # logging `extra=` for an INFO line that must not mix with data on stdout
PROGRESS_EVERY = 5000  # statements between progress lines


class _Echo(logging.Handler):
    """Write each record with click.echo: INFO to stdout, the rest (and `extra=STDERR`) to stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            err = record.levelno != logging.INFO or getattr(record, "stderr", False)
            click.echo(self.format(record), err=err)
        except Exception:  # logging must never break a command
            self.handleError(record)


def setup(verbose: int = 0, quiet: bool = False) -> None:
    """Route the `ece_scorm` loggers to the terminal: -q errors only, default INFO, -v DEBUG."""
    logger = logging.getLogger("ece_scorm")
    for handler in [h for h in logger.handlers if isinstance(h, _Echo)]:
        logger.removeHandler(handler)  # one handler per run, even when a test invokes the CLI again
    handler = _Echo()
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.ERROR if quiet else logging.DEBUG if verbose else logging.INFO)


def progress(log: logging.Logger, template: str, every: int = PROGRESS_EVERY) -> Callable[[int], None]:
    """Return a callback that logs `template` (with {count:,}) to stderr each time a count passes `every`."""
    next_at = every

    def report(count: int) -> None:
        nonlocal next_at
        if count >= next_at:
            log.info(template.format(count=count), extra=STDERR)
            next_at = (count // every + 1) * every

    return report
