"""The build pipeline: plan the packages, check the state budget, render, add the manifest, package.

`build` writes the zips of `make_packages` (commands/build.py); `preview` serves the files of one series
package straight from memory (preview/server.py). Both go through `make_packages`, so what the preview shows
is what a build ships.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ece_scorm.errors import BuildFailed, Issue, OptionInvalid, SourceInvalid
from ece_scorm.pipeline import formats
from ece_scorm.pipeline.package import OutputFile, zip_bytes

if TYPE_CHECKING:  # the model's many dataclasses cost an import the CLI's fast path does not need
    from ece_scorm.model import Course, Module


@dataclass(frozen=True)
class PackagePlan:
    """One zip to build: a format, the modules it holds, and where it goes."""

    fmt: str
    modules: tuple[Module, ...]
    series: bool
    path: Path


@dataclass(frozen=True)
class Package:
    """The files of one planned package, its manifest included, before they are zipped."""

    plan: PackagePlan
    files: tuple[OutputFile, ...]

    def zip(self, epoch: int) -> bytes:
        """Return the package as reproducible zip bytes."""
        return zip_bytes(self.files, epoch=epoch)


def package_name(course: Course, unit: str, fmt: str, lang_suffix: str) -> str:
    """Return the zip name <course-slug>-<module|series>-<fmt>[-<lang>].zip (docs/ARCHITECTURE.md §3)."""
    return f"{course.slug()}-{unit}-{fmt}{lang_suffix}.zip"


def select_languages(course: Course, langs: Sequence[str] | None) -> tuple[tuple[str, ...], str]:
    """Return the chosen languages in course order and the file-name suffix they give (none for all)."""
    if not langs:
        return tuple(course.languages), ""
    unknown = [lang for lang in langs if lang not in course.languages]
    if unknown:
        raise OptionInvalid(
            "--lang",
            f"language {', '.join(unknown)} is not declared by the course "
            f"(it declares {', '.join(course.languages)})",
        )
    chosen = tuple(lang for lang in course.languages if lang in langs)  # course order, no duplicates
    suffix = "" if set(chosen) == set(course.languages) else "-" + "-".join(chosen)
    return chosen, suffix


def select_modules(course: Course, modules: Sequence[str] | None) -> tuple[Module, ...]:
    """Return the chosen modules in course order (all when none is named)."""
    if not modules:
        return tuple(course.modules)
    known = {m.id for m in course.modules}
    unknown = [m for m in modules if m not in known]
    if unknown:
        available = ", ".join(m.id for m in course.modules)
        raise OptionInvalid(
            "--module",
            f"no module {', '.join(repr(m) for m in unknown)} in the course (modules: {available})",
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
        mode = bundle or formats.get(name).DEFAULT_BUNDLE
        if mode == "series":
            path = out_dir / package_name(course, "series", name, lang_suffix)
            plans.append(PackagePlan(name, tuple(selected), True, path))
        else:
            for module in selected:
                path = out_dir / package_name(course, module.id, name, lang_suffix)
                plans.append(PackagePlan(name, (module,), False, path))
    return plans


def state_budget_problems(plans: Sequence[PackagePlan], languages: int) -> list[Issue]:
    """Return the budget errors of the modules these packages hold (the words `validate SOURCE` uses)."""
    from ece_scorm.pipeline.refusals import budget_issues

    return budget_issues(((plan.fmt, m) for plan in plans for m in plan.modules), languages)


def history_notes(plan: PackagePlan, languages: int) -> list[str]:
    """Return the notes of a plan's modules that keep fewer earlier self-assessment administrations."""
    from ece_scorm.pipeline import budget as state_budget  # lazily, as for the budget check

    notes = (state_budget.history_note(m, plan.fmt, languages) for m in plan.modules)
    return [n for n in notes if n]


def render_package(course: Course, plan: PackagePlan, langs: Sequence[str]) -> Package:
    """Render the modules of one plan and add the format's manifest at the package root."""
    from ece_scorm.pipeline.refusals import render_located

    fmt = formats.get(plan.fmt)
    files: list[OutputFile] = []
    files_by_module: dict[str, list[str]] = {}
    for module in plan.modules:
        prefix = f"{module.id}/" if plan.series else ""
        bundle = [m.id for m in plan.modules] if plan.series else []  # the series' modules link each other
        rendered = render_located(course, module, plan.fmt, langs, prefix, bundle)
        paths = [f.path for f in rendered]
        if f"{prefix}index.html" not in paths:  # MUST 3: the launch file must be in the zip
            raise BuildFailed(f"{module.loc}: error: the renderer produced no {prefix}index.html to launch")
        files_by_module[module.id] = paths
        files.extend(rendered)
    manifest = fmt.manifest(course, plan.modules, files_by_module, langs, plan.series)
    files.append(OutputFile(fmt.MANIFEST_NAME, manifest))  # MUST 1: at the zip root
    return Package(plan, tuple(files))


def make_packages(course: Course, plans: Sequence[PackagePlan], langs: Sequence[str]) -> Iterator[Package]:
    """Check every plan's state budget (nothing is rendered when one fails), then render each package."""
    problems = state_budget_problems(plans, len(langs))
    if problems:
        raise SourceInvalid(problems)
    for plan in plans:
        yield render_package(course, plan, langs)
