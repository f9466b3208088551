"""`ece-scorm build`: validate the course, render every package in memory, then write them all at once.

The pipeline itself (plan, state budget, render, manifest, zip) is pipeline/plan.py; this module adds the
command's side: options, the unchanged-rebuild fast path, progress lines and the one write.
An unchanged rebuild stops after hashing its inputs (fingerprint.py), before the renderer, the validator
and their libraries (Jinja2, lxml, markdown-it, nh3, PyYAML) are even imported: those imports are local.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ece_scorm.errors import BuildFailed, OptionInvalid
from ece_scorm.pipeline import fingerprint
from ece_scorm.pipeline.package import epoch_from_env, write_all
from ece_scorm.pipeline.plan import (
    history_notes,
    make_packages,
    plan_packages,
    select_languages,
    select_modules,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuiltPackage:
    """One package of a finished build."""

    path: Path
    size: int
    written: bool  # False: the file already held exactly these bytes and was left alone


def human_size(n: int) -> str:
    """Return a byte count as the build log shows it (KB below one megabyte, else MB)."""
    if n < 1024 * 1024:
        return f"{max(1, round(n / 1024)):,} KB"
    return f"{n / (1024 * 1024):,.1f} MB"


def _options(
    formats: Sequence[str],
    langs: Sequence[str] | None,
    bundle: str | None,
    modules: Sequence[str] | None,
    strict: bool,
    epoch: int,
) -> dict[str, object]:
    # Order does not change what is built (plans follow course order), so sorted lists name one option set.
    return {
        "formats": sorted(formats),
        "langs": sorted(langs) if langs else None,
        "bundle": bundle,
        "modules": sorted(modules) if modules else None,
        "strict": strict,
        "epoch": epoch,
    }


def _fast_path(out_dir: Path, digest: str | None, quiet: bool, started: float) -> list[BuiltPackage] | None:
    """Return the previous build when no input changed and its zips are intact, else None."""
    if digest is None or not out_dir.is_dir():
        return None
    entry = fingerprint.up_to_date(out_dir, digest)
    if entry is None:
        log.debug("fingerprint %s: no intact build of these inputs in %s; rendering", digest[:12], out_dir)
        return None
    built = [BuiltPackage(out_dir / p["name"], p["size"], False) for p in entry["packages"]]
    if not quiet:
        for warning in entry["warnings"]:  # the same warnings as the build that made these packages
            log.warning("%s", warning)
        log.info(
            "Up to date: %d package(s) in %s; no input changed since the last build (%.1f s). "
            "Use --force to rebuild anyway.",
            len(built),
            out_dir,
            time.perf_counter() - started,
        )
    return built


def _check_request(source: Path, formats: Sequence[str], out_dir: Path) -> tuple[str, ...]:
    """Return the formats once each, or raise when the request cannot be built."""
    unique = tuple(dict.fromkeys(formats))  # "scorm12,scorm12" builds each package once
    if not unique:
        raise OptionInvalid("--format", "no format given")
    if out_dir.exists() and not out_dir.is_dir():
        raise BuildFailed(f"{out_dir}: error: the output folder exists and is not a folder")
    if not source.is_dir():
        raise OptionInvalid("SOURCE", f"course source folder {source} does not exist")
    return unique


def run_build(
    source: Path,
    *,
    formats: Sequence[str],
    out_dir: Path,
    langs: Sequence[str] | None,
    bundle: str | None,
    modules: Sequence[str] | None,
    strict: bool,
    quiet: bool = False,
    force: bool = False,
) -> list[BuiltPackage]:
    """Build the requested packages into out_dir; on any error raise before writing anything."""
    started = time.perf_counter()
    formats = _check_request(source, formats, out_dir)
    epoch = epoch_from_env()
    options = _options(formats, langs, bundle, modules, strict, epoch)
    digest = fingerprint.input_digest(source, out_dir, options)
    if not force:
        previous = _fast_path(out_dir, digest, quiet, started)
        if previous is not None:
            return previous

    from ece_scorm.pipeline import duration
    from ece_scorm.source.course import load_course  # imported here: the fast path above needs none of it

    course, warnings = load_course(source, strict=strict)
    warnings = duration.add_warnings(course, warnings, strict=strict)
    if not quiet:
        for issue in warnings:
            log.warning("%s", issue)
    chosen_langs, lang_suffix = select_languages(course, langs)
    plans = plan_packages(course, formats, select_modules(course, modules), bundle, out_dir, lang_suffix)

    # Gather every package in memory first: a failure in any of them leaves the output folder untouched.
    outputs: dict[Path, bytes] = {}
    for index, package in enumerate(make_packages(course, plans, chosen_langs), start=1):
        plan = package.plan
        data = outputs[plan.path] = package.zip(epoch)
        if not quiet:
            unit = "series" if plan.series else plan.modules[0].id
            log.info(
                "[%d/%d] %s %s → %s (%s)", index, len(plans), plan.fmt, unit, plan.path, human_size(len(data))
            )
            for note in history_notes(plan, len(chosen_langs)):
                log.info("%s", note)

    to_write = dict(outputs)
    # Record the build only if no input changed while it ran: else the record would vouch for the wrong bytes.
    if digest is not None and digest == fingerprint.input_digest(source, out_dir, options):
        record = fingerprint.record_bytes(out_dir, digest, outputs, [str(i) for i in warnings])
        to_write[out_dir / fingerprint.RECORD_NAME] = record  # written with the zips, all or nothing
    status = write_all(to_write)
    built = [BuiltPackage(path, len(data), status[path]) for path, data in outputs.items()]
    if not quiet:
        written = sum(1 for b in built if b.written)
        log.info(
            "Built %d package(s) in %s: %d written, %d unchanged (%.1f s).",
            len(built),
            out_dir,
            written,
            len(built) - written,
            time.perf_counter() - started,
        )
    return built
