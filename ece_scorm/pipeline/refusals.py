"""What the pipeline refuses, as located issues: the state budget before rendering, a template at render time.

`build` and `validate SOURCE` both call budget_issues, so validate reports first, in the same words, what
the build would refuse.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ece_scorm.errors import BuildFailed, Issue
from ece_scorm.model import Course, Module
from ece_scorm.pipeline import formats as format_registry
from ece_scorm.pipeline.package import OutputFile


def budget_issues(pairs: Iterable[tuple[str, Module]], languages: int) -> list[Issue]:
    """Return one error per (format, module) whose resume state cannot fit or be encoded (MUST 20).

    `validate SOURCE` calls this too, so it refuses exactly what the build would, in the same words.
    """
    from ece_scorm.pipeline import budget as state_budget

    issues = []
    checked: set[tuple[str, str]] = set()
    for name, module in pairs:
        if (name, module.id) in checked:
            continue
        checked.add((name, module.id))
        fmt = format_registry.get(name)
        limit = fmt.STATE_LIMIT
        budget = state_budget.measure(module, name, languages)
        worst, cap = budget.worst_case, budget.text_max
        if limit is not None and worst > limit:
            # Optional LABEL / STATE_ELEMENT of a format module name the standard and its runtime field.
            label = getattr(fmt, "LABEL", name)
            element = getattr(fmt, "STATE_ELEMENT", "resume state")
            message = (
                f"module '{module.id}': worst-case resume state {worst:,} characters exceeds {label}'s "
                f"{limit:,} ({element}), even with free texts capped at {cap:,} characters; split the "
                "module or reduce its questions, self-assessment items and reflections"
            )
            issues.append(Issue(module.loc, "error", message, "MUST 20"))
            continue
        try:
            state_budget.check(module, name, languages)  # the shape limits of the player's state encoding
        except BuildFailed as exc:
            issues.append(Issue(module.loc, "error", exc.message, "MUST 20"))
    return issues


def _template_location(exc: BaseException) -> str | None:
    """Return 'template:line' of the innermost template frame of a Jinja2 error, if any."""
    where = None
    tb = exc.__traceback__
    while tb is not None:  # Jinja2 rewrites tracebacks so that template frames carry the template's path
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(".j2"):
            where = f"{name}:{tb.tb_lineno}:1"
        tb = tb.tb_next
    return where


def render_located(
    course: Course, module: Module, fmt: str, langs: Sequence[str], prefix: str, bundle: Sequence[str] = ()
) -> list[OutputFile]:
    """Render one module; a theme template failing at render time becomes a located error."""
    import jinja2

    from ece_scorm.pipeline.render import render_module

    try:
        return render_module(course, module, fmt, langs, prefix=prefix, bundle=bundle)
    except jinja2.TemplateError as exc:
        where = _template_location(exc) or str(module.loc)
        raise BuildFailed(f"{where}: error: template failed for module '{module.id}': {exc}") from None
