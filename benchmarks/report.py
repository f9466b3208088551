"""Write benchmarks/RESULTS.md: machine, date, then one section per benchmark with medians, min and max."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .stats import Figure, fmt_value


@dataclass
class Section:
    """One part of RESULTS.md: figures with targets, extra tables, notes and profiles."""

    title: str
    intro: str = ""
    figures: list[Figure] = field(default_factory=list)
    tables: list[tuple[str, list[str], list[list[str]]]] = field(default_factory=list)  # caption, head, rows
    notes: list[str] = field(default_factory=list)
    blocks: list[tuple[str, str]] = field(default_factory=list)  # caption, preformatted text (profiles)

    def table(self, caption: str, head: list[str], rows: list[list[str]]) -> None:
        """Add a Markdown table."""
        self.tables.append((caption, head, rows))


FIGURE_HEAD = ["Figure", "Median", "Min", "Max", "Runs", "Target", ""]


def _escape(cell: str) -> str:
    return str(cell).replace("|", "\\|").replace("\n", " ")


def markdown_table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Return the lines of a GitHub-flavoured Markdown table."""
    lines = ["| " + " | ".join(_escape(h) for h in head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(_escape(c) for c in row) + " |" for row in rows]
    return lines


def figure_row(f: Figure) -> list[str]:
    """Return a figure's table row: median, min, max, number of samples, target and verdict."""
    target = f.target_label or (f"≤ {fmt_value(f.target, f.unit)}" if f.target is not None else "")
    name = f"{f.name} ({f.note})" if f.note else f.name
    return [
        name,
        fmt_value(f.median, f.unit),
        fmt_value(f.low, f.unit),
        fmt_value(f.high, f.unit),
        str(len(f.samples)),
        target,
        f.verdict(),
    ]


def render(
    machine: dict[str, str], date: str, command: str, sections: Sequence[Section], summary: Sequence[Figure]
) -> str:
    """Return the whole RESULTS.md text."""
    out = [
        "# ece-scorm benchmarks",
        "",
        f"Generated {date} by `{command}` (rerun it to reproduce; nothing here is edited by hand).",
        "",
        "## Machine",
        "",
    ]
    out += markdown_table(["", ""], [[k, v] for k, v in machine.items()])
    out += [
        "",
        "Wall times on a shared machine move with its load; CPU times (user + system of the measured "
        "process) move less and are shown beside them where they matter.",
        "",
    ]
    if summary:
        out += ["## Targets (issue #7)", ""]
        out += markdown_table(FIGURE_HEAD, [figure_row(f) for f in summary])
        out.append("")
    for section in sections:
        out += [f"## {section.title}", ""]
        if section.intro:
            out += [section.intro, ""]
        if section.figures:
            out += markdown_table(FIGURE_HEAD, [figure_row(f) for f in section.figures])
            out.append("")
        for caption, head, rows in section.tables:
            if caption:
                out += [caption, ""]
            out += markdown_table(head, rows)
            out.append("")
        for note in section.notes:
            out += [f"- {note}"]
        if section.notes:
            out.append("")
        for caption, text in section.blocks:
            out += [caption, "", "```", text.rstrip("\n"), "```", ""]
    return "\n".join(out).rstrip("\n") + "\n"
