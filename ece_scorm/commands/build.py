"""`ece-scorm build`: validate the course, render every package in memory, then write them all at once.

An unchanged rebuild stops after hashing its inputs (fingerprint.py), before the renderer, the validator
and their libraries (Jinja2, lxml, markdown-it, nh3, PyYAML) are even imported: those imports are local.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ece_scorm.errors import BuildFailed
from ece_scorm.pipeline import fingerprint
from ece_scorm.pipeline import formats as format_registry
from ece_scorm.pipeline.package import OutputFile, epoch_from_env, write_all, zip_bytes

if TYPE_CHECKING:  # the model's many dataclasses cost an import the fast path does not need
    from types import ModuleType

    from ece_scorm.model import Course, Module


@dataclass(frozen=True)
class PackagePlan:
    """One zip to build: a format, the modules it holds, and where it goes."""

    fmt: str
    modules: tuple[Module, ...]
    series: bool
    path: Path


@dataclass(frozen=True)
class BuiltPackage:
    """One package of a finished build."""

    path: Path
    size: int
    written: bool  # False: the file already held exactly these bytes and was left alone


def package_name(course: Course, unit: str, fmt: str, lang_suffix: str) -> str:
    """Return the zip name <course-slug>-<module|series>-<fmt>[-<lang>].zip (docs/ARCHITECTURE.md §3)."""
    from ece_scorm.pipeline.render import course_slug

    return f"{course_slug(course)}-{unit}-{fmt}{lang_suffix}.zip"


def _select_languages(course: Course, langs: Sequence[str] | None) -> tuple[tuple[str, ...], str]:
    if not langs:
        return tuple(course.languages), ""
    unknown = [lang for lang in langs if lang not in course.languages]
    if unknown:
        raise click.BadParameter(
            f"language {', '.join(unknown)} is not declared by the course "
            f"(it declares {', '.join(course.languages)})",
            param_hint="--lang",
        )
    chosen = tuple(lang for lang in course.languages if lang in langs)  # course order, no duplicates
    suffix = "" if set(chosen) == set(course.languages) else "-" + "-".join(chosen)
    return chosen, suffix


def _select_modules(course: Course, modules: Sequence[str] | None) -> tuple[Module, ...]:
    if not modules:
        return tuple(course.modules)
    known = {m.id for m in course.modules}
    unknown = [m for m in modules if m not in known]
    if unknown:
        available = ", ".join(m.id for m in course.modules)
        raise click.BadParameter(
            f"no module {', '.join(repr(m) for m in unknown)} in the course (modules: {available})",
            param_hint="--module",
        )
    return tuple(m for m in course.modules if m.id in modules)


def plan_packages(
    course: Course,
    fmts: Sequence[str],
    selected: Sequence[Module],
    bundle: str | None,
    out_dir: Path,
    lang_suffix: str,
) -> list[PackagePlan]:
    """Return every package of this build, in format then course order."""
    plans = []
    for name in fmts:
        fmt = format_registry.get(name)
        mode = bundle or fmt.DEFAULT_BUNDLE
        if mode == "series":
            path = out_dir / package_name(course, "series", name, lang_suffix)
            plans.append(PackagePlan(name, tuple(selected), True, path))
        else:
            for module in selected:
                path = out_dir / package_name(course, module.id, name, lang_suffix)
                plans.append(PackagePlan(name, (module,), False, path))
    return plans


def state_budget_problems(plans: Sequence[PackagePlan], languages: int) -> list[str]:
    """Return one message per module whose worst-case resume state exceeds its format's limit (MUST 20)."""
    from ece_scorm.pipeline import budget as state_budget

    problems = []
    checked: set[tuple[str, str]] = set()
    for plan in plans:
        fmt = format_registry.get(plan.fmt)
        limit = fmt.STATE_LIMIT
        for module in plan.modules:
            if limit is None or (plan.fmt, module.id) in checked:
                continue
            checked.add((plan.fmt, module.id))
            budget = state_budget.measure(module, plan.fmt, languages)
            worst, cap = budget.worst_case, budget.text_max
            if worst > limit:
                # Optional LABEL / STATE_ELEMENT of a format module name the standard and its runtime field.
                label = getattr(fmt, "LABEL", plan.fmt)
                element = getattr(fmt, "STATE_ELEMENT", "resume state")
                problems.append(
                    f"module '{module.id}': worst-case resume state {worst:,} characters exceeds {label}'s "
                    f"{limit:,} ({element}), even with free texts capped at {cap:,} characters; split the "
                    "module or reduce its questions, self-assessment items and reflections [MUST 20]"
                )
    return problems


def _render_package(
    course: Course, plan: PackagePlan, fmt: ModuleType, langs: tuple[str, ...], epoch: int
) -> bytes:
    from ece_scorm.pipeline.render import render_module

    files: list[OutputFile] = []
    files_by_module: dict[str, list[str]] = {}
    for module in plan.modules:
        prefix = f"{module.id}/" if plan.series else ""
        bundle = [m.id for m in plan.modules] if plan.series else []
        rendered = render_module(course, module, plan.fmt, langs, prefix=prefix, bundle=bundle)
        paths = [f.path for f in rendered]
        if f"{prefix}index.html" not in paths:  # MUST 3: the launch file must be in the zip
            raise BuildFailed(f"module '{module.id}': the renderer produced no {prefix}index.html to launch")
        files_by_module[module.id] = paths
        files.extend(rendered)
    manifest = fmt.manifest(course, plan.modules, files_by_module, langs, plan.series)
    files.append(OutputFile(fmt.MANIFEST_NAME, manifest))  # MUST 1: at the zip root
    return zip_bytes(files, epoch=epoch)


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
        return None
    built = [BuiltPackage(out_dir / p["name"], p["size"], False) for p in entry["packages"]]
    if not quiet:
        for warning in entry["warnings"]:  # the same warnings as the build that made these packages
            click.echo(str(warning), err=True)
        click.echo(
            f"Up to date: {len(built)} package(s) in {out_dir}; no input changed since the last "
            f"build ({time.perf_counter() - started:.1f} s). Use --force to rebuild anyway."
        )
    return built


def run_build(
    source: Path,
    *,
    formats: Sequence[str],
    out_dir: Path,
    langs: Sequence[str] | None,
    bundle: str | None,
    modules: Sequence[str] | None,
    strict: bool,
    quiet: bool,
    force: bool = False,
) -> list[BuiltPackage]:
    """Build the requested packages into out_dir; on any error raise before writing anything."""
    started = time.perf_counter()
    formats = tuple(dict.fromkeys(formats))  # "scorm12,scorm12" builds each package once
    if not formats:
        raise click.BadParameter("no format given", param_hint="--format")
    epoch = epoch_from_env()
    if out_dir.exists() and not out_dir.is_dir():
        raise BuildFailed(f"output folder {out_dir} exists and is not a folder")
    if not source.is_dir():
        raise click.BadParameter(f"course source folder {source} does not exist", param_hint="SOURCE")
    options = _options(formats, langs, bundle, modules, strict, epoch)
    digest = fingerprint.input_digest(source, out_dir, options)
    if not force:
        previous = _fast_path(out_dir, digest, quiet, started)
        if previous is not None:
            return previous

    from ece_scorm.pipeline import duration
    from ece_scorm.source.course import (
        load_course,  # imported here: the fast path above needs none of it
    )

    course, warnings = load_course(source, strict=strict)
    warnings = duration.add_warnings(course, warnings, strict=strict)
    if not quiet:
        for issue in warnings:
            click.echo(str(issue), err=True)
    chosen_langs, lang_suffix = _select_languages(course, langs)
    selected = _select_modules(course, modules)
    plans = plan_packages(course, formats, selected, bundle, out_dir, lang_suffix)

    problems = state_budget_problems(plans, len(chosen_langs))
    if problems:
        summary = f"{len(problems)} module(s) over budget; nothing was written."
        raise BuildFailed("\n".join([*problems, summary]))

    # Gather every package in memory first: a failure in any of them leaves the output folder untouched.
    outputs: dict[Path, bytes] = {}
    for index, plan in enumerate(plans, start=1):
        data = _render_package(course, plan, format_registry.get(plan.fmt), chosen_langs, epoch)
        outputs[plan.path] = data
        if not quiet:
            unit = "series" if plan.series else plan.modules[0].id
            click.echo(f"[{index}/{len(plans)}] {plan.fmt} {unit} → {plan.path} ({human_size(len(data))})")

    to_write = dict(outputs)
    # Record the build only if no input changed while it ran: else the record would vouch for the wrong bytes.
    if digest is not None and digest == fingerprint.input_digest(source, out_dir, options):
        record = fingerprint.record_bytes(out_dir, digest, outputs, [str(i) for i in warnings])
        to_write[out_dir / fingerprint.RECORD_NAME] = record  # written with the zips, all or nothing
    status = write_all(to_write)
    built = [BuiltPackage(path, len(data), status[path]) for path, data in outputs.items()]
    if not quiet:
        written = sum(1 for b in built if b.written)
        click.echo(
            f"Built {len(built)} package(s) in {out_dir}: {written} written, "
            f"{len(built) - written} unchanged ({time.perf_counter() - started:.1f} s)."
        )
    return built
