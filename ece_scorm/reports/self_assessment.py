"""Team view of the self-assessment: per-item response shares, strengths, gaps, plans, and what moved."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from ece_scorm.reports.records import PLAN_PROMPTS, Answer, ReportError, in_period

DEFAULT_SCALE = ("yes", "somewhat", "no", "unknown")
DEFAULT_SCALE_LABELS = {
    "yes": {"en": "Yes", "fr": "Oui"},
    "somewhat": {"en": "Somewhat", "fr": "En partie"},
    "no": {"en": "No", "fr": "Non"},
    "unknown": {"en": "Don't know", "fr": "Je ne sais pas"},
}
STRENGTH_MIN = 0.5  # agreement at or above this is a strength, below it a gap
UNCERTAIN_SHARE = 0.25  # an item is "uncertain" when at least this share answered Unknown


@dataclass
class ItemSpec:
    id: str
    text: dict


@dataclass
class PillarSpec:
    id: str
    title: dict
    items: list[ItemSpec] = field(default_factory=list)


@dataclass
class SaSpec:
    """What the report needs from the self-assessment definition."""

    scale: list[tuple[str, dict]]
    pillars: list[PillarSpec]
    plan_prompts: dict[str, str]  # prompt id -> Plan field name


def _plain(text) -> dict:
    from ece_scorm.markdown import plain_map  # course texts are inline Markdown; the report shows plain text

    return plain_map(text)


def spec_from_course(course) -> SaSpec:
    """Build the spec from a validated model.Course (the module of kind self_assessment)."""
    for module in course.modules:
        sa = module.self_assessment()
        if sa is not None:
            pillars = [
                PillarSpec(p.id, _plain(p.title), [ItemSpec(i.id, _plain(i.text)) for i in p.items])
                for p in sa.pillars
            ]
            prompts = {
                sa.strength.id: "strength",
                sa.opportunity.id: "opportunity",
                sa.first_step.id: "first_step",
                sa.first_step_lead.id: "first_step_lead",
            }
            return SaSpec([(s.id, dict(s.label)) for s in sa.scale], pillars, prompts)
    raise ReportError(f"{course.source_dir}: the course has no self-assessment")


def spec_from_answers(answers: list[Answer]) -> SaSpec:
    """Build the spec from what the statements (or Moodle rows) carry, when no course source is given."""
    scale: dict[str, dict] = {}
    pillars: dict[str, PillarSpec] = {}
    for ans in answers:
        parts = ans.interaction.split(".")
        if len(parts) != 3 or parts[0] != "sa":
            continue
        pillar = pillars.setdefault(parts[1], PillarSpec(parts[1], {}))
        if all(item.id != parts[2] for item in pillar.items):
            pillar.items.append(ItemSpec(parts[2], dict(ans.label or {})))
        for sid, label in (ans.choices or {}).items():
            scale.setdefault(sid, dict(label))
    for pillar in pillars.values():
        pillar.items.sort(key=lambda i: i.id)
    ordered = [(sid, scale.get(sid) or DEFAULT_SCALE_LABELS[sid]) for sid in DEFAULT_SCALE]
    ordered += [(sid, lab) for sid, lab in scale.items() if sid not in DEFAULT_SCALE]
    return SaSpec(ordered, sorted(pillars.values(), key=lambda p: p.id), dict(PLAN_PROMPTS))


@dataclass
class ItemStat:
    pillar: str
    item: str
    text: dict
    counts: dict[str, int]
    n: int

    def share(self, scale_id: str) -> float:
        return self.counts.get(scale_id, 0) / self.n if self.n else 0.0

    @property
    def net(self) -> float | None:
        """(yes + ½ somewhat) / (yes + somewhat + no): agreement among those who could answer."""
        known = self.counts.get("yes", 0) + self.counts.get("somewhat", 0) + self.counts.get("no", 0)
        if not known:
            return None
        return (self.counts.get("yes", 0) + 0.5 * self.counts.get("somewhat", 0)) / known


@dataclass
class Plan:
    learner: str  # display label: a name with --show-names, else "Respondent N"
    strength: str = ""
    opportunity: str = ""
    first_step: str = ""
    first_step_lead: str = ""


@dataclass
class SaResult:
    period: tuple[date, date] | None
    team: str | None
    respondents: int
    pillars: list[tuple[PillarSpec, list[ItemStat]]]  # items ordered by net, strongest first
    strengths: list[ItemStat]
    gaps: list[ItemStat]
    uncertain: list[ItemStat]
    plans: list[Plan]

    def items(self) -> list[ItemStat]:
        return [stat for _, stats in self.pillars for stat in stats]


def _sort_key(stat: ItemStat) -> tuple:
    net = stat.net
    return (net is None, -(net or 0.0), -stat.share("yes"), stat.item)


def every_item(pillars: list[tuple[PillarSpec, list[ItemStat]]]) -> list[ItemStat]:
    """Flatten the per-pillar item statistics."""
    return [stat for _, stats in pillars for stat in stats]


def teams_by_learner(answers: Iterable[Answer]) -> dict[str, str]:
    """Return each learner's latest team code (the code is only on statements after it was entered)."""
    latest: dict[str, tuple] = {}
    for ans in answers:
        if ans.team:
            key = (ans.when is not None, ans.when)
            if ans.learner not in latest or key >= latest[ans.learner][0]:
                latest[ans.learner] = (key, ans.team)
    return {learner: team for learner, (_, team) in latest.items()}


def aggregate(
    answers: list[Answer],
    spec: SaSpec,
    period: tuple[date, date] | None = None,
    team: str | None = None,
    show_names: bool = False,
    top: int = 5,
) -> SaResult:
    """Aggregate the latest answer of each learner per item within the period (and team)."""
    scoped = [a for a in answers if a.interaction.startswith("sa.") and in_period(a.when, period)]
    if team is not None:
        teams = teams_by_learner(scoped)
        scoped = [a for a in scoped if teams.get(a.learner, "").casefold() == team.casefold()]
    latest: dict[tuple[str, str], Answer] = {}
    order: list[str] = []
    names: dict[str, str] = {}
    for ans in scoped:  # later answers replace earlier ones (a learner may revise an answer)
        key = (ans.learner, ans.interaction)
        prev = latest.get(key)
        if prev is None or ans.when is None or prev.when is None or ans.when >= prev.when:
            latest[key] = ans
        if ans.learner not in names:
            order.append(ans.learner)
        names[ans.learner] = ans.name or names.get(ans.learner, "")
    scale_ids = [sid for sid, _ in spec.scale]
    tallies: dict[str, dict[str, int]] = {}
    for (_, interaction), ans in latest.items():
        tally = tallies.setdefault(interaction, dict.fromkeys(scale_ids, 0))
        if ans.response in tally:
            tally[ans.response] += 1
    pillars = []
    for pillar in spec.pillars:
        stats = []
        for item in pillar.items:
            counts = tallies.get(f"sa.{pillar.id}.{item.id}") or dict.fromkeys(scale_ids, 0)
            stats.append(ItemStat(pillar.id, item.id, item.text, counts, sum(counts.values())))
        pillars.append((pillar, sorted(stats, key=_sort_key)))
    every = [s for s in every_item(pillars) if s.net is not None]
    # An item is a strength or a gap, never both: split at 50 % agreement, then rank each side.
    strengths = sorted((s for s in every if (s.net or 0) >= STRENGTH_MIN), key=_sort_key)[:top]
    weakest_first = sorted(every, key=lambda s: (s.net, -s.share("no"), s.item))
    gaps = [s for s in weakest_first if (s.net or 0) < STRENGTH_MIN][:top]
    unsure = [s for s in every_item(pillars) if s.n and s.share("unknown") >= UNCERTAIN_SHARE]
    uncertain = sorted(unsure, key=lambda s: (-s.share("unknown"), s.item))[:top]
    respondents = {learner for learner, interaction in latest if interaction.count(".") == 2}
    plans = []
    for index, learner in enumerate(
        sorted(order, key=lambda k: (names.get(k, ""), k)) if show_names else order, start=1
    ):
        fields = {}
        for prompt_id, field_name in spec.plan_prompts.items():
            answer = latest.get((learner, f"sa.{prompt_id}"))
            if answer and answer.response.strip():
                fields[field_name] = answer.response.strip()
        if fields:
            label = (names.get(learner) or learner) if show_names else ""
            plans.append(Plan(learner=label or f"#{index}", **fields))
    if not show_names:  # numbering must not reveal who answered first
        plans.sort(key=lambda p: (p.strength, p.opportunity, p.first_step, p.first_step_lead))
        for index, plan in enumerate(plans, start=1):
            plan.learner = f"#{index}"
    return SaResult(period, team, len(respondents), pillars, strengths, gaps, uncertain, plans)


@dataclass
class Movement:
    stat_a: ItemStat
    stat_b: ItemStat

    @property
    def delta(self) -> float | None:
        if self.stat_a.net is None or self.stat_b.net is None:
            return None
        return self.stat_b.net - self.stat_a.net


def compare(first: SaResult, second: SaResult) -> list[Movement]:
    """Pair items of two administrations; biggest absolute change in net agreement first."""
    by_key = {(s.pillar, s.item): s for s in first.items()}
    moves = [Movement(by_key[(s.pillar, s.item)], s) for s in second.items() if (s.pillar, s.item) in by_key]
    return sorted(moves, key=lambda m: (m.delta is None, -abs(m.delta or 0.0), m.stat_b.item))
