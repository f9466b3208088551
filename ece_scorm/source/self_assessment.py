"""Validate the self-assessment file and build its own package module."""

from __future__ import annotations

from ece_scorm.errors import Location
from ece_scorm.model import (
    Attribution,
    Completion,
    FacilitatorGuide,
    Module,
    Page,
    Pillar,
    Prompt,
    ScalePoint,
    SelfAssessment,
    SelfAssessmentBlock,
    SelfAssessmentItem,
)
from ece_scorm.source.fields import Fields
from ece_scorm.source.yaml_reader import Map, Node, Scalar, Seq

SA_KEYS = (
    "id",
    "title",
    "description",
    "intro",
    "estimated_minutes",
    "team_code",
    "scale",
    "pillars",
    "reflections",
    "strength",
    "opportunity",
    "first_step",
    "first_step_lead",
    "first_step_when",
    "align_prompts",
    "facilitator",
    "attribution",
)
SA_REQUIRED = ("id", "title", "scale", "pillars", "strength", "opportunity", "first_step", "first_step_lead")
PILLAR_KEYS = ("id", "title", "description", "items", "reflections")
PROMPT_KEYS = ("id", "text", "hint")
_SINGLE_PROMPTS = ("strength", "opportunity", "first_step", "first_step_lead")
GUIDE_KEYS = ("title", "intro", "before", "during", "after")
GUIDE_REQUIRED = ("title", "before", "during", "after")


class _Ids:
    """Ids that must be unique within one scope, remembering where each was first defined."""

    def __init__(self, f: Fields, what: str):
        self.f, self.what = f, what
        self.seen: dict[str, Location] = {}

    def add(self, ident: str, node: Node) -> bool:
        """Record ident; report a duplicate and return False if it was already defined."""
        if ident in self.seen:
            self.f.error(node, f"duplicate {self.what} id '{ident}' (first defined at {self.seen[ident]})")
            return False
        self.seen[ident] = node.loc
        return True


def read_self_assessment(f: Fields, node: Node | None) -> SelfAssessment | None:
    """Return the self-assessment in a parsed self_assessment.yaml, or None."""
    m = f.mapping(node, "self_assessment", "self-assessment", SA_KEYS, SA_REQUIRED)
    if m is None:
        return None
    sid = f.ident(m, "id", "self-assessment id")
    scale_ids = _Ids(f, "scale point")
    scale: list[ScalePoint] = []
    too_few = "a self-assessment scale needs at least 2 points (got {n})"
    for pnode in f.items(m, "scale", required=True, min_items=2, too_few=too_few):
        p = f.mapping(pnode, "scale", "scale point", ("id", "label"), ("id", "label"))
        if p is None:
            continue
        pid = f.ident(p, "id", "scale point id")
        label = f.text(p, "label") or f.blank()
        if pid is not None and scale_ids.add(pid, p.get("id") or p):
            scale.append(ScalePoint(id=pid, label=label))

    prompt_ids = _Ids(f, "self-assessment prompt")
    pillar_ids = _Ids(f, "pillar")
    item_ids = _Ids(f, "item")
    pillars: list[Pillar] = []
    for pnode in f.items(m, "pillars", required=True, min_items=1, too_few="self-assessment has no pillars"):
        pillar = _pillar(f, pnode, pillar_ids, item_ids, prompt_ids)
        if pillar is not None:
            pillars.append(pillar)
    reflections = _prompts(f, m, prompt_ids)
    singles = {key: _prompt(f, m.get(key), key, prompt_ids) for key in _SINGLE_PROMPTS}
    when = None
    if "first_step_when" in m.entries:
        when = _prompt(f, m.get("first_step_when"), "first_step_when", prompt_ids)
    # Discussion prompts are never answered in the package, so their ids only need to differ from each other.
    align_ids = _Ids(f, "reflect-and-align prompt")
    align = tuple(
        p for p in (_prompt(f, n, "align_prompts", align_ids) for n in f.items(m, "align_prompts")) if p
    )
    guide = _guide(f, m.get("facilitator"))
    attribution = _attribution(f, m.get("attribution"))
    if sid is None or any(p is None for p in singles.values()):
        return None
    return SelfAssessment(
        id=sid,
        title=f.text(m, "title") or f.blank(),
        description=f.text(m, "description") or f.blank(),
        intro=f.text(m, "intro") or f.blank(),
        scale=tuple(scale),
        pillars=tuple(pillars),
        reflections=reflections,
        strength=singles["strength"],  # type: ignore[arg-type]
        opportunity=singles["opportunity"],  # type: ignore[arg-type]
        first_step=singles["first_step"],  # type: ignore[arg-type]
        first_step_lead=singles["first_step_lead"],  # type: ignore[arg-type]
        team_code=f.boolean(m, "team_code", True),
        estimated_minutes=f.minutes(m, "estimated_minutes", (20, 30)) or (20, 30),
        first_step_when=when,
        align_prompts=align,
        facilitator=guide,
        attribution=attribution,
        loc=m.loc,
    )


def _guide(f: Fields, node: Node | None) -> FacilitatorGuide | None:
    """Return the facilitator's guide to the reflect-and-align session, or None when absent."""
    g = f.mapping(node, "facilitator", "facilitator guide", GUIDE_KEYS, GUIDE_REQUIRED)
    if g is None:
        return None
    texts = {key: f.text(g, key) or f.blank() for key in GUIDE_KEYS}
    return FacilitatorGuide(**texts)


def _attribution(f: Fields, node: Node | None) -> Attribution | None:
    """Return the attribution {text, url}; the url must be an absolute http(s) address."""
    a = f.mapping(node, "attribution", "attribution", ("text", "url"), ("text", "url"))
    if a is None:
        return None
    url = f.string(a, "url") or ""
    if not url.startswith(("https://", "http://")) or any(c.isspace() for c in url):
        f.error(a.get("url") or a, f"attribution url must be an absolute http(s) address (got '{url}')")
    return Attribution(text=f.text(a, "text") or f.blank(), url=url)


def _pillar(f: Fields, node: Node, pillar_ids: _Ids, item_ids: _Ids, prompt_ids: _Ids) -> Pillar | None:
    """Return one pillar with its checklist items (at least one)."""
    m = f.mapping(node, "pillars", "pillar", PILLAR_KEYS, ("id", "title", "items"))
    if m is None:
        return None
    pid = f.ident(m, "id", "pillar id")
    title = f.text(m, "title") or f.blank()
    items: list[SelfAssessmentItem] = []
    raw_items = m.get("items")
    if (isinstance(raw_items, Seq) and not raw_items.items) or (
        isinstance(raw_items, Scalar) and raw_items.value is None
    ):
        f.error(raw_items, f"pillar '{pid}' has no items")
        item_nodes: list[Node] = []
    else:
        item_nodes = f.items(m, "items", required=True)
    for inode in item_nodes:
        i = f.mapping(inode, "items", "item", ("id", "text"), ("id", "text"))
        if i is None:
            continue
        iid = f.ident(i, "id", "item id")
        text = f.text(i, "text") or f.blank()
        if iid is not None and item_ids.add(iid, i.get("id") or i):
            items.append(SelfAssessmentItem(id=iid, text=text, loc=i.loc))
    reflections = _prompts(f, m, prompt_ids)
    if pid is None or not pillar_ids.add(pid, m.get("id") or m):
        return None
    return Pillar(
        id=pid,
        title=title,
        description=f.text(m, "description") or f.blank(),
        items=tuple(items),
        reflections=reflections,
        loc=m.loc,
    )


def _prompts(f: Fields, m: Map, ids: _Ids) -> tuple[Prompt, ...]:
    """Return the valid prompts listed under 'reflections'."""
    found = (_prompt(f, n, "reflections", ids) for n in f.items(m, "reflections"))
    return tuple(p for p in found if p is not None)


def _prompt(f: Fields, node: Node | None, key: str, ids: _Ids) -> Prompt | None:
    """Return one prompt {id, text, hint?} whose id is unique among the self-assessment's prompts."""
    m = f.mapping(node, key, "prompt", PROMPT_KEYS, ("id", "text"))
    if not isinstance(m, Map):
        return None
    pid = f.ident(m, "id", "prompt id")
    text = f.text(m, "text") or f.blank()
    if pid is None or not ids.add(pid, m.get("id") or m):
        return None
    return Prompt(id=pid, text=text, hint=f.text(m, "hint"))


def self_assessment_module(sa: SelfAssessment) -> Module:
    """Return the self-assessment's own package: one page holding the whole flow (ARCHITECTURE §2)."""
    page = Page(
        id=sa.id, title=sa.title, blocks=(SelfAssessmentBlock(self_assessment=sa, loc=sa.loc),), loc=sa.loc
    )
    return Module(
        id=sa.id,
        title=sa.title,
        description=sa.description,
        estimated_minutes=sa.estimated_minutes,
        audience=(),
        objectives=(),
        pages=(page,),
        completion=Completion(all_pages=True, quiz_passed=False, self_assessment_done=True),
        kind="self_assessment",
        loc=sa.loc,
    )
