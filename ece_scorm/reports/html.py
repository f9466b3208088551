"""Render the administrator reports: one self-contained HTML page (autoescaped Jinja2) and CSV rows."""

from __future__ import annotations

from datetime import UTC, date, datetime

import jinja2

from ece_scorm.reports.i18n import STRINGS, heading, percent, pick
from ece_scorm.reports.quiz import FunnelRow, QuestionStat
from ece_scorm.reports.self_assessment import (
    DEFAULT_SCALE_LABELS,
    GENERAL,
    ItemStat,
    Movement,
    SaResult,
    SaSpec,
)
from ece_scorm.themes import DEFAULT, themes_root

# Segment colours: each has at least 4.5:1 contrast on white (WCAG 1.4.11 needs 3:1 for graphics).
SCALE_COLORS = {"yes": "#1b6b3a", "somewhat": "#4f6f00", "no": "#a1001c", "unknown": "#595959"}
OTHER_COLORS = ("#00497a", "#6b3fa0", "#8a4b00")


def environment() -> jinja2.Environment:
    """Return the Jinja2 environment for report templates (autoescape on, undefined is an error)."""
    loader = jinja2.FileSystemLoader(str(themes_root() / DEFAULT / "templates"))
    return jinja2.Environment(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
    )


def period_label(period: tuple[date, date] | None, t: dict) -> str:
    return f"{period[0].isoformat()} – {period[1].isoformat()}" if period else t["all_time"]


def _base(lang: str, title_key: str, course_title: str, source: str, period, team: str | None) -> dict:
    t = STRINGS[lang]
    now = datetime.now(UTC).replace(microsecond=0)
    return {
        "lang": lang,
        "t": t,
        "title": t[title_key],
        "course_title": course_title,
        "source_label": {"moodle": t["source_moodle"], "file": t["source_file"]}.get(source, t["source_lrs"]),
        "generated": now.strftime("%Y-%m-%d %H:%M UTC"),
        "generated_iso": now.isoformat(),
        "period_label": period_label(period, t),
        "team_label": team or t["all_teams"],
    }


# Bars are legible without colour: each answer has its own pattern, and every bar is followed by its counts.
PATTERNS = {"yes": "solid", "somewhat": "hatch", "no": "open", "unknown": "dots"}
OTHER_PATTERNS = ("cross", "solid", "hatch")


def _segments(spec: SaSpec, lang: str) -> list[dict]:
    extra = iter(OTHER_COLORS * 4)
    patterns = iter(OTHER_PATTERNS * 4)
    return [
        {
            "key": sid,
            "label": pick(label, lang),
            "color": SCALE_COLORS.get(sid) or next(extra),
            "pattern": PATTERNS.get(sid) or next(patterns),
        }
        for sid, label in spec.scale
    ]


def unknown_label(spec: SaSpec, lang: str) -> str:
    """Return the scale's own label for Unknown (one term throughout the report)."""
    for sid, label in spec.scale:
        if sid == "unknown":
            return pick(label, lang)
    return pick(DEFAULT_SCALE_LABELS["unknown"], lang)


def _item(stat: ItemStat, spec: SaSpec, titles: dict, lang: str) -> dict:
    t = STRINGS[lang]
    parts = []
    x = 0.0
    for seg in _segments(spec, lang):
        count = stat.counts.get(seg["key"], 0)
        width = 100.0 * count / stat.n if stat.n else 0.0
        parts.append({**seg, "count": count, "x": f"{x:.2f}", "w": f"{width:.2f}"})
        x += width
    counts = " · ".join(f"{p['label']} {p['count']}" for p in parts)
    return {
        "pillar": stat.pillar,
        "pillar_title": titles.get(stat.pillar, stat.pillar),
        "number": stat.number,
        "id": stat.item,
        "text": pick(stat.text, lang) or f"{stat.item} {t['no_text']}",
        "n": stat.n,
        "withheld": stat.withheld,
        "parts": parts,
        "counts": counts,
        "answers": t["answers_n"].format(n=stat.n),
        "agreement": t["agreement_n"].format(p=percent(stat.net, lang)),
    }


def _texts(entries: list, lang: str) -> list[dict]:
    return [
        {"prompt": pick(prompt.text, lang) or prompt.id, "answers": [(x.learner, x.text) for x in texts]}
        for prompt, texts in entries
    ]


def _roles(result: SaResult, titles: dict, lang: str) -> list[dict]:
    t = STRINGS[lang]
    rows = []
    for pillars, count in result.roles:
        if len(pillars) == 1:
            label = titles.get(pillars[0], pillars[0])
        else:
            label = f"{t['several']} ({' + '.join(titles.get(p, p) for p in pillars)})"
        rows.append({"label": label, "count": count})
    return rows


def _change(moves: list[Movement], titles: dict, lang: str) -> tuple[list[dict], int]:
    t = STRINGS[lang]
    pillars: dict[str, dict] = {}
    unchanged = 0
    for move in moves:
        delta = move.delta
        if delta is None or round(delta * 100) == 0:
            unchanged += 1
            continue
        stat = move.stat_b
        group = pillars.setdefault(
            stat.pillar, {"title": titles.get(stat.pillar, stat.pillar), "entries": []}
        )
        group["entries"].append(
            {
                "number": stat.number,
                "text": pick(stat.text, lang) or stat.item,
                "before": percent(move.stat_a.net, lang),
                "after": percent(stat.net, lang),
                "delta": f"{round(delta * 100):+d}\u00a0{t['pp']}",
                "cls": "up" if delta > 0 else "down",
            }
        )
    return list(pillars.values()), unchanged


def render_self_assessment(
    result: SaResult,
    spec: SaSpec,
    lang: str,
    course_title: str,
    source: str,
    moves: list[Movement] | None = None,
    earlier: SaResult | None = None,
    later: SaResult | None = None,
    administrations: tuple[int, int] | None = None,
) -> str:
    """Return the reflect-and-align handout: printable on its own, anonymous unless names were asked for."""
    t = STRINGS[lang]
    titles = {p.id: pick(p.title, lang) or p.id for p in spec.pillars}
    ctx = _base(lang, "sa_title", course_title, source, result.period, result.team)
    unknown = unknown_label(spec, lang)
    fmt = {"unknown": unknown, "min": result.min_respondents}
    pillars = []
    for pillar, stats in result.pillars:
        pillars.append(
            {
                "id": pillar.id,
                "title": titles[pillar.id],
                "heading": heading(t["pillar"], titles[pillar.id], lang),
                "entries": [_item(s, spec, titles, lang) for s in stats],
                "answered": any(s.n for s in stats),
                "texts": _texts(result.texts.get(pillar.id, []), lang),
            }
        )
    change = None
    if moves is not None and earlier is not None and later is not None:
        groups, unchanged = _change(moves, titles, lang)
        if administrations is not None:
            intro = t["change_admins"].format(a=administrations[0], b=administrations[1])
        else:
            intro = t["change_periods"].format(
                a=period_label(earlier.period, t), b=period_label(later.period, t)
            )
        change = {"intro": intro, "pillars": groups, "unchanged": t["unchanged"].format(n=unchanged)}
    notes = [t["names_shown"] if result.names_shown else t["names_hidden"]]
    if result.withheld:
        notes.append(t["withheld_all"].format(n=result.respondents, min=result.min_respondents))
    elif result.withheld_items:
        notes.append(t["withheld_items"].format(n=result.withheld_items, min=result.min_respondents))
    if result.texts_dropped:
        notes.append(t["texts_dropped"].format(n=result.texts_dropped))
    glance = [
        ("strengths", result.strengths, "strengths_none"),
        ("gaps", result.gaps, "gaps_none"),
        ("split", result.split, "split_none"),
        ("uncertain", result.uncertain, "uncertain_none"),
    ]
    ctx.update(
        {
            "respondents": result.respondents,
            "administration": result.administration or t["latest_each"],
            "empty": result.respondents == 0 and not result.plans,
            "withheld": result.withheld,
            "notes": notes,
            "segments": _segments(spec, lang),
            "roles": _roles(result, titles, lang),
            "glance_help": t["glance_help"].format(**fmt),
            "glance": [
                {
                    "id": key,
                    "title": t[key].format(**fmt),
                    "entries": [_item(s, spec, titles, lang) for s in items],
                    "none": t[none].format(**fmt),
                }
                for key, items, none in glance
            ],
            "pillars": pillars,
            "general": _texts(result.texts.get(GENERAL, []), lang),
            "change": change,
            "plans": result.plans,
            "plan_fields": [
                {
                    "key": key,
                    "label": t[key],
                    "answers": [
                        (plan.learner, getattr(plan, key)) for plan in result.plans if getattr(plan, key)
                    ],
                }
                for key in ("strength", "opportunity", "first_step", "first_step_lead")
            ],
            "item_withheld": t["item_withheld"].format(**fmt),
        }
    )
    return environment().get_template("report/self_assessment.html.j2").render(ctx)


def self_assessment_rows(
    result: SaResult, spec: SaSpec, lang: str, moves: list[Movement] | None = None
) -> tuple[list[str], list[dict]]:
    """Return CSV columns and rows: one row per item in source order (counts blank when withheld)."""
    scale = [sid for sid, _ in spec.scale]
    columns = [
        "period",
        "team",
        "pillar",
        "number",
        "item",
        "text",
        "answers",
        *scale,
        *(f"share_{sid}" for sid in scale),
        "agreement",
        "withheld",
    ]
    delta = {}
    if moves is not None:
        columns += ["agreement_before", "change_points"]
        delta = {(m.stat_b.pillar, m.stat_b.item): m for m in moves}
    rows = []
    for stat in result.items():
        row = {
            "period": period_label(result.period, STRINGS[lang]).replace("\u00a0", " "),
            "team": result.team or "",
            "pillar": stat.pillar,
            "number": str(stat.number),
            "item": stat.item,
            "text": pick(stat.text, lang),
            "answers": str(stat.n),
            "agreement": "" if stat.net is None or stat.withheld else f"{stat.net:.4f}",
            "withheld": "yes" if stat.withheld else "",
        }
        for sid in scale:
            row[sid] = "" if stat.withheld else str(stat.counts.get(sid, 0))
            row[f"share_{sid}"] = "" if stat.withheld else f"{stat.share(sid):.4f}"
        move = delta.get((stat.pillar, stat.item))
        if move is not None:
            before = move.stat_a
            row["agreement_before"] = "" if before.net is None or before.withheld else f"{before.net:.4f}"
            row["change_points"] = "" if move.delta is None else f"{move.delta * 100:.1f}"
        rows.append(row)
    return columns, rows


PLAN_COLUMNS = ["respondent", "strength", "opportunity", "first_step", "first_step_lead"]


def plan_rows(result: SaResult) -> list[dict]:
    """Return one CSV row per respondent's plan."""
    return [
        {
            "respondent": p.learner,
            "strength": p.strength,
            "opportunity": p.opportunity,
            "first_step": p.first_step,
            "first_step_lead": p.first_step_lead,
        }
        for p in result.plans
    ]


def render_quiz(
    stats: list[QuestionStat],
    module_titles: dict,
    lang: str,
    course_title: str,
    source: str,
    period,
    team: str | None,
) -> str:
    """Return the quiz item analysis page."""
    t = STRINGS[lang]
    ctx = _base(lang, "quiz_title", course_title, source, period, team)
    modules: dict[str, dict] = {}
    for index, stat in enumerate(stats, start=1):
        title = pick(module_titles.get(stat.module), lang) or stat.module or "—"
        module = modules.setdefault(
            stat.module,
            {"title": title, "questions": [], "chart_rows": [], "heading": heading(t["module"], title, lang)},
        )
        label = f"{stat.quiz} · {stat.question}"
        total = stat.responses
        module["questions"].append(
            {
                "label": label,
                "anchor": f"{index}",
                "prompt": pick(stat.prompt, lang) or stat.question,
                "learners": stat.learners,
                "responses": stat.responses,
                "share_correct": percent(stat.share_correct, lang),
                "share_first": percent(stat.share_first_correct, lang),
                "mean_attempts": "–" if stat.mean_attempts is None else f"{stat.mean_attempts:.2f}",
                "choices": [
                    {
                        "text": pick(stat.choice_labels.get(cid), lang) or cid,
                        "count": count,
                        "share": percent(count / total if total else None, lang),
                        "correct": cid in getattr(stat, "correct_ids", ()),
                    }
                    for cid, count in stat.choices.items()
                ],
            }
        )
        module["chart_rows"].append(
            {"label": stat.question, "value": stat.share_correct, "text": percent(stat.share_correct, lang)}
        )
    ctx["modules"] = list(modules.values())
    return environment().get_template("report/quiz.html.j2").render(ctx)


QUIZ_COLUMNS = [
    "module",
    "quiz",
    "question",
    "learners",
    "responses",
    "correct",
    "share_correct",
    "share_correct_first_attempt",
    "mean_attempts",
    "choices",
]


def quiz_rows(stats: list[QuestionStat]) -> list[dict]:
    """Return one CSV row per question; choices as 'id=count' separated by '; '."""

    def num(value: float | None, digits: int = 4) -> str:
        return "" if value is None else f"{value:.{digits}f}"

    return [
        {
            "module": s.module,
            "quiz": s.quiz,
            "question": s.question,
            "learners": str(s.learners),
            "responses": str(s.responses),
            "correct": str(s.correct),
            "share_correct": num(s.share_correct),
            "share_correct_first_attempt": num(s.share_first_correct),
            "mean_attempts": num(s.mean_attempts, 2),
            "choices": "; ".join(f"{cid}={count}" for cid, count in s.choices.items()),
        }
        for s in stats
    ]


def render_completion(
    rows: list[FunnelRow],
    module_titles: dict,
    lang: str,
    course_title: str,
    source: str,
    period,
    team: str | None,
    by: str,
) -> str:
    """Return the completion funnel page."""
    t = STRINGS[lang]
    ctx = _base(lang, "completion_title", course_title, source, period, team)
    modules: dict[str, dict] = {}
    for row in rows:
        title = pick(module_titles.get(row.module), lang) or row.module
        module = modules.setdefault(
            row.module,
            {
                "title": title,
                "heading": heading(t["module"], title, lang),
                "cohorts": [],
                "index": len(modules) + 1,
            },
        )
        label = row.cohort or (t["everyone"] if by == "none" else t["no_team"] if by == "team" else "—")
        module["cohorts"].append(
            {
                "label": label,
                "heading": heading(t["cohort"], label, lang),
                "launched": row.launched,
                "completed": row.completed,
                "passed": row.passed,
                "failed": row.failed,
                "completed_share": percent(row.share(row.completed), lang),
                "passed_share": percent(row.share(row.passed), lang),
                "failed_share": percent(row.share(row.failed), lang),
                "chart_rows": [
                    {
                        "label": t[key],
                        "value": row.share(getattr(row, key))
                        if key != "launched"
                        else (1.0 if row.launched else 0.0),
                        "text": str(getattr(row, key)),
                    }
                    for key in ("launched", "completed", "passed")
                ],
            }
        )
    ctx["modules"] = list(modules.values())
    return environment().get_template("report/completion.html.j2").render(ctx)


FUNNEL_COLUMNS = [
    "module",
    "cohort",
    "launched",
    "completed",
    "passed",
    "failed",
    "share_completed",
    "share_passed",
]


def funnel_rows(rows: list[FunnelRow]) -> list[dict]:
    """Return one CSV row per module and cohort."""

    def num(value: float | None) -> str:
        return "" if value is None else f"{value:.4f}"

    return [
        {
            "module": r.module,
            "cohort": r.cohort,
            "launched": str(r.launched),
            "completed": str(r.completed),
            "passed": str(r.passed),
            "failed": str(r.failed),
            "share_completed": num(r.share(r.completed)),
            "share_passed": num(r.share(r.passed)),
        }
        for r in rows
    ]
