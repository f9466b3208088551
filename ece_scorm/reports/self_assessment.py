"""Team view of the self-assessment, folded while the answers stream past (memory per learner, not record).

Rankings follow the reflect-and-align session's needs: agreement counts "Unknown" among the answers, lists are
ordered by a Wilson lower bound so that one person's 100 % never outranks four people's 88 %, and each item
lands in at most one list (unknown, split, strength, opportunity).
"""

from __future__ import annotations

import math
from array import array
from dataclasses import dataclass, field
from datetime import date

from ece_scorm.reports.records import PLAN_PROMPTS, Answer, ReportError, in_period

DEFAULT_SCALE = ("yes", "somewhat", "no", "unknown")
DEFAULT_SCALE_LABELS = {
    "yes": {"en": "Yes", "fr": "Oui"},
    "somewhat": {"en": "Somewhat", "fr": "En partie"},
    "no": {"en": "No", "fr": "Non"},
    "unknown": {"en": "Unknown", "fr": "Je ne sais pas"},
}
SCORES = {"yes": 1.0, "somewhat": 0.5, "no": 0.0}  # "unknown" has no score: it is not agreement
STRENGTH_MIN = 0.5  # agreement at or above this is a strength, below it an opportunity
UNKNOWN_SHARE = 0.25  # an item is one the team does not know when at least this share answered Unknown
SPLIT_SHARE = 0.25  # a split: at least this share of the known answers on each side (Yes vs No)
Z = 1.96  # 95 % Wilson interval
DEFAULT_MIN_RESPONDENTS = 3
# Free texts kept for the handout (a team of twelve writes about a hundred); beyond this many, texts are
# only counted and the handout says so (filter with --team): memory stays flat however large the LRS.
TEXT_BUDGET = 5_000
GENERAL = ""  # prompt group of the general reflections (pillar reflections are grouped by pillar id)
PLAN = "plan"


@dataclass
class ItemSpec:
    id: str
    text: dict


@dataclass
class PromptSpec:
    id: str
    text: dict
    group: str  # a pillar id, GENERAL or PLAN


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
    prompts: list[PromptSpec] = field(default_factory=list)  # reflections, in source order
    from_source: bool = True

    def prompt(self, prompt_id: str) -> PromptSpec | None:
        return next((p for p in self.prompts if p.id == prompt_id), None)


def _plain(text) -> dict:
    from ece_scorm.markdown import to_text  # course texts are inline Markdown; the report shows plain text

    return {lang: to_text(value) for lang, value in dict(text).items()}


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
            texts = [PromptSpec(r.id, _plain(r.text), GENERAL) for r in sa.reflections]
            texts += [PromptSpec(r.id, _plain(r.text), p.id) for p in sa.pillars for r in p.reflections]
            plan = (sa.strength, sa.opportunity, sa.first_step, sa.first_step_lead)
            texts += [PromptSpec(r.id, _plain(r.text), PLAN) for r in plan]
            return SaSpec([(s.id, dict(s.label)) for s in sa.scale], pillars, prompts, texts)
    raise ReportError(f"{course.source_dir}: the course has no self-assessment")


class SpecCollector:
    """Learn items, scale labels and prompts from the answers themselves (no --source)."""

    def __init__(self) -> None:
        self.scale: dict[str, dict] = {}
        self.pillars: dict[str, PillarSpec] = {}
        self.prompts: dict[str, PromptSpec] = {}

    def add(self, ans: Answer) -> None:
        parts = ans.interaction.split(".")
        if parts[0] != "sa":
            return
        if len(parts) == 3:
            pillar = self.pillars.setdefault(parts[1], PillarSpec(parts[1], {}))
            if all(item.id != parts[2] for item in pillar.items):
                pillar.items.append(ItemSpec(parts[2], dict(ans.label or {})))
            for sid, label in (ans.choices or {}).items():
                self.scale.setdefault(sid, dict(label))
        elif len(parts) == 2 and parts[1] not in self.prompts:
            group = PLAN if parts[1] in PLAN_PROMPTS else GENERAL
            self.prompts[parts[1]] = PromptSpec(parts[1], dict(ans.label or {}), group)

    def spec(self) -> SaSpec:
        for pillar in self.pillars.values():
            pillar.items.sort(key=lambda i: i.id)
        ordered = [(sid, self.scale.get(sid) or DEFAULT_SCALE_LABELS[sid]) for sid in DEFAULT_SCALE]
        ordered += [(sid, lab) for sid, lab in self.scale.items() if sid not in DEFAULT_SCALE]
        prompts = sorted(self.prompts.values(), key=lambda p: (p.group == PLAN, p.id))
        return SaSpec(
            ordered, sorted(self.pillars.values(), key=lambda p: p.id), dict(PLAN_PROMPTS), prompts, False
        )


def spec_from_answers(answers) -> SaSpec:
    """Build the spec from what the statements (or Moodle rows) carry, when no course source is given."""
    collector = SpecCollector()
    for ans in answers:
        collector.add(ans)
    return collector.spec()


def wilson_lower(share: float, n: int) -> float:
    """Return the lower bound of the 95 % Wilson interval of a share observed over n answers."""
    if n <= 0:
        return 0.0
    z2 = Z * Z
    centre = share + z2 / (2 * n)
    margin = Z * math.sqrt(max(share * (1 - share), 0.0) / n + z2 / (4 * n * n))
    return (centre - margin) / (1 + z2 / n)


@dataclass
class ItemStat:
    pillar: str
    item: str
    text: dict
    counts: dict[str, int]
    n: int
    number: int = 0  # position in its pillar, 1-based, source order
    withheld: bool = False  # fewer answers than the privacy minimum

    def share(self, scale_id: str) -> float:
        return self.counts.get(scale_id, 0) / self.n if self.n else 0.0

    @property
    def known(self) -> int:
        return sum(self.counts.get(sid, 0) for sid in SCORES)

    @property
    def net(self) -> float | None:
        """(Yes + ½ Somewhat) ÷ every answer, Unknown included: 2 Yes + 2 Unknown is 50 %, not 100 %."""
        if not self.n:
            return None
        return (self.counts.get("yes", 0) + 0.5 * self.counts.get("somewhat", 0)) / self.n

    @property
    def shortfall(self) -> float | None:
        """(No + ½ Somewhat) ÷ every answer."""
        if not self.n:
            return None
        return (self.counts.get("no", 0) + 0.5 * self.counts.get("somewhat", 0)) / self.n

    @property
    def spread(self) -> float:
        """Standard deviation of the known answers (Yes 1, Somewhat ½, No 0): how far the team is apart."""
        known = self.known
        if known < 2:
            return 0.0
        mean = sum(SCORES[s] * self.counts.get(s, 0) for s in SCORES) / known
        var = sum(self.counts.get(s, 0) * (SCORES[s] - mean) ** 2 for s in SCORES) / (known - 1)
        return math.sqrt(var)


@dataclass
class Plan:
    learner: str  # display label: a name with --show-names, else "#N"
    strength: str = ""
    opportunity: str = ""
    first_step: str = ""
    first_step_lead: str = ""


@dataclass
class Text:
    learner: str
    prompt: str
    text: str


@dataclass
class SaResult:
    period: tuple[date, date] | None
    team: str | None
    respondents: int
    pillars: list[tuple[PillarSpec, list[ItemStat]]]  # items in source order
    strengths: list[ItemStat]
    gaps: list[ItemStat]
    uncertain: list[ItemStat]
    plans: list[Plan]
    split: list[ItemStat] = field(default_factory=list)
    texts: dict[str, list[tuple[PromptSpec, list[Text]]]] = field(default_factory=dict)  # group -> prompts
    roles: list[tuple[tuple[str, ...], int]] = field(default_factory=list)  # pillar ids -> members
    min_respondents: int = DEFAULT_MIN_RESPONDENTS
    withheld: bool = False  # fewer respondents than the minimum: no per-item breakdown at all
    withheld_items: int = 0
    texts_dropped: int = 0  # texts not kept (beyond TEXT_BUDGET)
    administration: int | None = None  # the administration number shown (None: each member's latest)
    names_shown: bool = False

    def items(self) -> list[ItemStat]:
        return [stat for _, stats in self.pillars for stat in stats]


def every_item(pillars: list[tuple[PillarSpec, list[ItemStat]]]) -> list[ItemStat]:
    """Flatten the per-pillar item statistics."""
    return [stat for _, stats in pillars for stat in stats]


class _Sheet:
    """One learner's answers in one administration and period: a byte per item, a time per item."""

    __slots__ = ("codes", "times", "texts")

    def __init__(self, size: int) -> None:
        self.codes = bytearray(size)  # scale index + 1; 0 = not answered
        self.times = array("d", bytes(8 * size))
        self.texts: dict[str, tuple[float, str]] | None = None


class _Learner:
    __slots__ = ("name", "team", "team_time", "sheets")

    def __init__(self) -> None:
        self.name = ""
        self.team: str | None = None
        self.team_time = -math.inf
        self.sheets: dict[tuple[int, int], _Sheet] = {}  # (period index, administration) -> answers


def _stamp(ans: Answer) -> float:
    # Answers without a time replace earlier ones (they are newer than anything we can date).
    return ans.when.timestamp() if ans.when is not None else math.inf


def _clean(text: str) -> str:
    # SCORM responses carry newlines as " ¶ " (player/scorm-api.js); the handout shows them as line breaks.
    lines = text.replace(" ¶ ", "\n").replace("¶", "\n").splitlines()
    return "\n".join(line.strip() for line in lines).strip()


class SaCollector:
    """Fold self-assessment answers one at a time; `result()` then builds the team view."""

    def __init__(
        self,
        spec: SaSpec | None,
        periods: list[tuple[date, date] | None],
        team: str | None = None,
        show_names: bool = False,
    ) -> None:
        self.fixed = spec
        self.discover = SpecCollector() if spec is None else None
        self.periods = periods
        self.team = team.casefold() if team else None
        self.show_names = show_names
        self.index: dict[str, int] = {}  # "sa.<pillar>.<item>" -> column
        if spec is not None:
            for pillar in spec.pillars:
                for item in pillar.items:
                    self.index[f"sa.{pillar.id}.{item.id}"] = len(self.index)
        self.scale_ids = [sid for sid, _ in spec.scale] if spec is not None else list(DEFAULT_SCALE)
        self.learners: dict[str, _Learner] = {}
        self.text_count = 0
        self.texts_dropped = 0

    def _column(self, interaction: str) -> int | None:
        col = self.index.get(interaction)
        if col is None and self.fixed is None:
            col = self.index[interaction] = len(self.index)
        return col

    def add(self, ans: Answer) -> None:
        """Take one answer into account (answers of other kinds are ignored)."""
        interaction = ans.interaction
        if not interaction.startswith("sa."):
            return
        if self.discover is not None:
            self.discover.add(ans)
        learner = self.learners.get(ans.learner)
        if learner is None:
            learner = self.learners[ans.learner] = _Learner()
        stamp = _stamp(ans)
        if ans.team and stamp >= learner.team_time:  # the latest team code entered is the learner's team
            learner.team, learner.team_time = ans.team, stamp
        if self.show_names and ans.name:
            learner.name = ans.name
        for index, period in enumerate(self.periods):
            if in_period(ans.when, period):
                self._put(learner, (index, ans.administration), interaction, ans, stamp)

    def _put(self, learner: _Learner, key: tuple, interaction: str, ans: Answer, stamp: float) -> None:
        if interaction.count(".") == 2:
            col = self._column(interaction)
            if col is None:
                return  # not an item of this course's self-assessment
            try:
                code = self.scale_ids.index(ans.response) + 1
            except ValueError:
                if self.fixed is not None or not ans.response:
                    return
                self.scale_ids.append(ans.response)
                code = len(self.scale_ids)
            sheet = learner.sheets.get(key)
            if sheet is None:
                sheet = learner.sheets[key] = _Sheet(len(self.index))
            if col >= len(sheet.codes):  # an item discovered after this sheet was made
                grow = len(self.index) - len(sheet.codes)
                sheet.codes.extend(bytes(grow))
                sheet.times.extend(array("d", bytes(8 * grow)))
            if not sheet.codes[col] or stamp >= sheet.times[col]:  # a later answer replaces an earlier one
                sheet.codes[col] = code
                sheet.times[col] = stamp
            return
        text = _clean(ans.response)
        prompt = interaction[3:]
        if self.team is not None and ans.team and ans.team.casefold() != self.team:
            return  # another team's text: never shown, so never kept
        sheet = learner.sheets.get(key)
        if sheet is None:
            sheet = learner.sheets[key] = _Sheet(len(self.index))
        if sheet.texts is None:
            sheet.texts = {}
        prev = sheet.texts.get(prompt)
        if prev is not None and stamp < prev[0]:
            return
        if prev is None and self.text_count >= TEXT_BUDGET:
            self.texts_dropped += 1
            return
        self.text_count += prev is None
        sheet.texts[prompt] = (stamp, text)

    def spec(self) -> SaSpec:
        if self.fixed is not None:
            return self.fixed
        assert self.discover is not None  # no fixed spec: one is discovered from the records
        spec = self.discover.spec()
        known = {sid for sid, _ in spec.scale}
        spec.scale += [(sid, {"en": sid}) for sid in self.scale_ids if sid not in known]
        return spec

    def _members(self) -> list[tuple[str, _Learner]]:
        if self.team is None:
            return list(self.learners.items())
        return [(k, v) for k, v in self.learners.items() if (v.team or "").casefold() == self.team]

    def administrations(self, period_index: int = 0) -> list[int]:
        """Return the administration numbers present in the period, in order."""
        seen = {adm for _, learner in self._members() for (p, adm) in learner.sheets if p == period_index}
        return sorted(seen)

    def result(
        self,
        period_index: int = 0,
        administration: int | None = None,
        min_respondents: int = DEFAULT_MIN_RESPONDENTS,
        top: int = 5,
    ) -> SaResult:
        """Build the team view of one period: each member's latest administration, or the one given."""
        spec = self.spec()
        scale = [sid for sid, _ in spec.scale]
        code_to_scale = {i + 1: sid for i, sid in enumerate(self.scale_ids)}
        columns = {}
        for pillar in spec.pillars:
            for item in pillar.items:
                col = self.index.get(f"sa.{pillar.id}.{item.id}")
                if col is not None:
                    columns[(pillar.id, item.id)] = col
        tallies = [dict.fromkeys(scale, 0) for _ in range(len(self.index))]
        pillar_of_col = {col: pid for (pid, _), col in columns.items()}
        members: list[tuple[str, _Learner, _Sheet]] = []
        for key, learner in self._members():
            adms = [adm for (p, adm) in learner.sheets if p == period_index]
            if administration is not None:
                adms = [adm for adm in adms if adm == administration]
            if not adms:
                continue
            members.append((key, learner, learner.sheets[(period_index, max(adms))]))
        respondents = 0
        roles: dict[tuple[str, ...], int] = {}
        for _, _, sheet in members:
            answered = False
            pillars_answered: set[str] = set()
            for col, code in enumerate(sheet.codes):
                if code:
                    answered = True
                    tallies[col][code_to_scale[code]] += 1
                    if col in pillar_of_col:
                        pillars_answered.add(pillar_of_col[col])
            if answered:
                respondents += 1
                order = [p.id for p in spec.pillars if p.id in pillars_answered]
                roles[tuple(order)] = roles.get(tuple(order), 0) + 1
        withheld = respondents < min_respondents
        pillars = []
        withheld_items = 0
        for pillar in spec.pillars:
            stats = []
            for number, item in enumerate(pillar.items, start=1):
                col = columns.get((pillar.id, item.id))
                counts = dict(tallies[col]) if col is not None else dict.fromkeys(scale, 0)
                n = sum(counts.values())
                stat = ItemStat(pillar.id, item.id, item.text, counts, n, number)
                if n and (withheld or n < min_respondents):
                    stat.withheld = True
                    withheld_items += 1
                stats.append(stat)
            pillars.append((pillar, stats))
        eligible = [s for s in every_item(pillars) if s.n and not s.withheld]
        uncertain = sorted(
            (s for s in eligible if s.share("unknown") >= UNKNOWN_SHARE),
            key=lambda s: (-wilson_lower(s.share("unknown"), s.n), -s.n, s.pillar, s.number),
        )
        taken = {id(s) for s in uncertain}

        def is_split(s: ItemStat) -> bool:
            known = s.known
            low = min(s.counts.get("yes", 0), s.counts.get("no", 0))
            return known >= 2 and low / known >= SPLIT_SHARE

        split = sorted(
            (s for s in eligible if id(s) not in taken and is_split(s)),
            key=lambda s: (-s.spread * s.known / (s.known + 1), -s.n, s.pillar, s.number),
        )
        taken |= {id(s) for s in split}
        rest = [s for s in eligible if id(s) not in taken]
        strengths = sorted(
            (s for s in rest if (s.net or 0.0) >= STRENGTH_MIN),
            key=lambda s: (-wilson_lower(s.net or 0.0, s.n), -s.n, s.pillar, s.number),
        )
        gaps = sorted(
            (s for s in rest if (s.net or 0.0) < STRENGTH_MIN),
            key=lambda s: (-wilson_lower(s.shortfall or 0.0, s.n), -s.n, s.pillar, s.number),
        )
        plans, texts = self._texts(spec, members, withheld)
        return SaResult(
            period=self.periods[period_index],
            team=self.team and next((v.team for _, v, _ in members if v.team), None),
            respondents=respondents,
            pillars=pillars,
            strengths=strengths[:top],
            gaps=gaps[:top],
            uncertain=uncertain[:top],
            plans=plans,
            split=split[:top],
            texts=texts,
            roles=sorted(roles.items(), key=lambda kv: (-kv[1], kv[0])),
            min_respondents=min_respondents,
            withheld=withheld,
            withheld_items=withheld_items,
            texts_dropped=self.texts_dropped,
            administration=administration,
            names_shown=self.show_names,
        )

    def _texts(self, spec: SaSpec, members, withheld: bool):
        """Return the plans and the reflections (group -> [(prompt, texts)]); anonymous unless asked."""
        if withheld:
            return [], {}
        entries = []
        for key, learner, sheet in members:
            if sheet.texts:
                entries.append((learner.name or key, {p: t for p, (_, t) in sheet.texts.items() if t}))
        if self.show_names:
            entries.sort(key=lambda e: e[0].casefold())
        else:  # numbering must not reveal who answered first: order by what was written
            entries.sort(key=lambda e: sorted(e[1].items()))
        plans = []
        grouped: dict[str, dict[str, list[Text]]] = {}
        known = {p.id: p for p in spec.prompts}
        for number, (label, answers) in enumerate(entries, start=1):
            who = label if self.show_names else f"#{number}"
            fields = {spec.plan_prompts[p]: t for p, t in answers.items() if p in spec.plan_prompts}
            if fields:
                plans.append(Plan(learner=who, **fields))
            for prompt_id, text in answers.items():
                if prompt_id in spec.plan_prompts:
                    continue
                prompt = known.get(prompt_id) or PromptSpec(prompt_id, {}, GENERAL)
                group = grouped.setdefault(prompt.group, {})
                group.setdefault(prompt_id, []).append(Text(who, prompt_id, text))
        texts: dict[str, list[tuple[PromptSpec, list[Text]]]] = {}
        order = [p.id for p in spec.prompts]
        for name, by_prompt in grouped.items():
            ids = sorted(by_prompt, key=lambda p: (order.index(p) if p in order else len(order), p))
            texts[name] = [(known.get(p) or PromptSpec(p, {}, name), by_prompt[p]) for p in ids]
        return plans, texts


def aggregate(
    answers,
    spec: SaSpec,
    period: tuple[date, date] | None = None,
    team: str | None = None,
    show_names: bool = False,
    top: int = 5,
    min_respondents: int = DEFAULT_MIN_RESPONDENTS,
) -> SaResult:
    """Aggregate the latest answer of each learner per item within the period (and team)."""
    collector = SaCollector(spec, [period], team, show_names)
    for ans in answers:
        collector.add(ans)
    return collector.result(0, None, min_respondents, top)


@dataclass
class Movement:
    stat_a: ItemStat
    stat_b: ItemStat

    @property
    def delta(self) -> float | None:
        if self.stat_a.withheld or self.stat_b.withheld or self.stat_a.net is None or self.stat_b.net is None:
            return None
        return self.stat_b.net - self.stat_a.net


def compare(first: SaResult, second: SaResult) -> list[Movement]:
    """Pair the items of two administrations, in source order (per pillar)."""
    by_key = {(s.pillar, s.item): s for s in first.items()}
    return [Movement(by_key[(s.pillar, s.item)], s) for s in second.items() if (s.pillar, s.item) in by_key]
