"""Validate one module file (modules/<id>.yaml): pages, blocks, media and references."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath

from ece_scorm.errors import Location
from ece_scorm.model import (
    AccordionBlock,
    Block,
    CalloutBlock,
    Completion,
    FlipCard,
    FlipCardsBlock,
    Hotspot,
    HotspotsBlock,
    ImageBlock,
    ListBlock,
    Module,
    Page,
    Panel,
    Quiz,
    QuizBlock,
    ReflectionBlock,
    Resource,
    ResourcesBlock,
    ScenarioBlock,
    ScenarioChoice,
    SelfAssessment,
    SelfAssessmentBlock,
    StepsBlock,
    TabsBlock,
    TextBlock,
    VideoBlock,
)
from ece_scorm.safe import SAFE_PATH, active_content, split_url
from ece_scorm.source.fields import Fields
from ece_scorm.source.yaml_reader import Map, Node, Scalar, SourceTree, not_a_file

MODULE_KEYS = (
    "id",
    "title",
    "description",
    "estimated_minutes",
    "audience",
    "objectives",
    "completion",
    "pages",
)
PAGE_KEYS = ("id", "title", "blocks")
COMPLETION_KEYS = ("all_pages", "quiz_passed", "self_assessment_done")
BLOCK_KEYS = {
    "text": ("type", "body"),
    "callout": ("type", "style", "title", "body"),
    "list": ("type", "ordered", "title", "items"),
    "image": ("type", "src", "alt", "caption", "decorative"),
    "video": ("type", "id", "title", "src", "url", "captions", "transcript", "duration_minutes"),
    "reflection": ("type", "id", "prompt", "hint"),
    "quiz": ("type", "ref"),
    "self_assessment": ("type",),
    "accordion": ("type", "title", "items"),
    "tabs": ("type", "title", "tabs"),
    "flip_cards": ("type", "title", "cards"),
    "hotspots": ("type", "title", "src", "alt", "caption", "spots"),
    "steps": ("type", "title", "steps"),
    "scenario": ("type", "id", "title", "situation", "question", "choices"),
    "resources": ("type", "title", "links"),
}
BLOCK_REQUIRED = {
    "text": ("body",),
    "callout": ("body",),
    "list": ("items",),
    "image": ("src",),
    "video": ("id", "title", "captions", "transcript"),
    "reflection": ("id", "prompt"),
    "quiz": ("ref",),
    "self_assessment": (),
    "accordion": ("items",),
    "tabs": ("tabs",),
    "flip_cards": ("cards",),
    "hotspots": ("src", "alt", "spots"),
    "steps": ("steps",),
    "scenario": ("id", "title", "situation", "question", "choices"),
    "resources": ("links",),
}
PANEL_KEYS = ("title", "body")
CARD_KEYS = ("front", "back")
SPOT_KEYS = ("x", "y", "title", "body")
SCENARIO_CHOICE_KEYS = ("id", "text", "feedback", "best")
RESOURCE_KEYS = ("title", "url", "description")
# At least two of everything that offers a choice or a sequence: one tab or one step is not a tab or a step.
MIN_ITEMS = {"accordion": 1, "tabs": 2, "flip_cards": 1, "hotspots": 1, "steps": 2, "resources": 1}
MAX_SCENARIO_CHOICES = 30  # state.js / budget.py store the choice as one number; quiz masks share the cap
URL_SCHEMES = ("https", "mailto")
STYLES = ("info", "tip", "note", "warning", "quote")
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass
class Refs:
    """What modules share: resolved quizzes, the self-assessment, and ids that must be unique course-wide."""

    tree: SourceTree
    quizzes: dict[str, Quiz | None]  # quiz id -> Quiz, or None when its file has errors
    self_assessment: SelfAssessment | None
    self_assessment_declared: bool
    reflections: dict[str, Location] = field(default_factory=dict)
    scenarios: dict[str, Location] = field(default_factory=dict)  # ids name interactions course-wide
    videos: dict[str, Location] = field(default_factory=dict)  # ids name the player's video regions
    sa_blocks: set[str] = field(default_factory=set)  # modules with a self_assessment block written
    quiz_uses: dict[str, list[tuple[str, Location]]] = field(default_factory=dict)  # quiz -> [(module, loc)]


def read_module(f: Fields, refs: Refs, node: Node | None, module_id: str) -> Module | None:
    """Return the module in a parsed module file (its id must match the listed id), or None."""
    m = f.mapping(node, "module", "module", MODULE_KEYS, ("title", "estimated_minutes", "pages"))
    if m is None:
        return None
    mid = f.ident(m, "id", "module id")
    if mid is not None and mid != module_id:
        f.error(m.get("id") or m, f"module id '{mid}' does not match its file name '{module_id}.yaml'")
    pages: list[Page] = []
    seen: dict[str, Location] = {}
    for pnode in f.items(m, "pages", required=True, min_items=1, too_few="module has no pages"):
        page = _page(f, refs, pnode, module_id)
        if page is None:
            continue
        where = pnode.get("id") if isinstance(pnode, Map) else None
        if page.id in seen and where is not None:
            f.error(where, f"duplicate page id '{page.id}' (first defined at {seen[page.id]})")
            continue
        seen[page.id] = where.loc if where is not None else page.loc
        pages.append(page)
    c = f.mapping(m.get("completion"), "completion", "completion", COMPLETION_KEYS)
    completion = Completion(
        all_pages=f.boolean(c, "all_pages", True) if c else True,
        quiz_passed=f.boolean(c, "quiz_passed", True) if c else True,
        self_assessment_done=f.boolean(c, "self_assessment_done", False) if c else False,
    )
    module = Module(
        id=module_id,
        title=f.text(m, "title") or f.blank(),
        description=f.text(m, "description") or f.blank(),
        estimated_minutes=f.minutes(m, "estimated_minutes", (1, 1)) or (1, 1),
        audience=f.text_list(m, "audience"),
        objectives=f.text_list(m, "objectives"),
        pages=tuple(pages),
        completion=completion,
        loc=m.loc,
    )
    if completion.self_assessment_done and module_id not in refs.sa_blocks and c is not None:
        f.error(
            c.get("self_assessment_done") or c,
            "completion requires self_assessment_done but the module has no self_assessment block",
        )
    return module


def _page(f: Fields, refs: Refs, node: Node, module_id: str) -> Page | None:
    """Return one page with its blocks."""
    m = f.mapping(node, "pages", "page", PAGE_KEYS, ("id", "title", "blocks"))
    if m is None:
        return None
    pid = f.ident(m, "id", "page id")
    title = f.text(m, "title") or f.blank()
    nodes = f.items(m, "blocks", required=True, min_items=1, too_few=f"page '{pid or ''}' has no blocks")
    blocks = [b for b in (_block(f, refs, n, module_id) for n in nodes) if b is not None]
    # Interactive blocks name their DOM ids after their place, which is unique within a module.
    blocks = [replace(b, key=f"{pid}-{i}") if hasattr(b, "key") else b for i, b in enumerate(blocks, 1)]  # type: ignore[arg-type]
    if pid is None:
        return None
    return Page(id=pid, title=title, blocks=tuple(blocks), loc=m.loc)


def _block(f: Fields, refs: Refs, node: Node, module_id: str) -> Block | None:
    """Return one block; `- text: …` is shorthand for a text block."""
    if isinstance(node, Map) and "type" not in node.entries and "text" in node.entries:
        m = f.mapping(node, "blocks", "text block", ("text",))
        return TextBlock(body=f.text(m, "text") or f.blank(), loc=node.loc) if m else None
    if not isinstance(node, Map):
        f.wrong_type(node, "blocks", "a block (a mapping with 'type', or 'text: …')")
        return None
    kind = f.string(node, "type")
    if kind is None:
        if "type" not in node.entries:
            f.error(node, "missing required key 'type' in block (or use the shorthand 'text: …')")
        return None
    if kind not in BLOCK_KEYS:
        f.one_of(node.get("type") or node, "block type", kind, tuple(BLOCK_KEYS))
        return None
    m = f.mapping(node, "blocks", f"{kind} block", BLOCK_KEYS[kind], BLOCK_REQUIRED[kind])
    assert m is not None
    return _READERS[kind](f, refs, m, module_id)


def _text(f: Fields, refs: Refs, m: Map, module_id: str) -> Block:
    return TextBlock(body=f.text(m, "body") or f.blank(), loc=m.loc)


def _callout(f: Fields, refs: Refs, m: Map, module_id: str) -> Block:
    style = f.string(m, "style", "info") or "info"
    if style not in STYLES:
        f.one_of(m.get("style") or m, "callout style", style, STYLES)
        style = "info"
    return CalloutBlock(
        style=style,  # type: ignore[arg-type]  # one of STYLES, checked above
        title=f.text(m, "title"),
        body=f.text(m, "body") or f.blank(),
        loc=m.loc,
    )


def _list(f: Fields, refs: Refs, m: Map, module_id: str) -> Block:
    nodes = f.items(m, "items", required=True, min_items=1, too_few="list block has no items")
    items = tuple(f.text_node(n, "items") for n in nodes)
    return ListBlock(ordered=f.boolean(m, "ordered", False), items=items, title=f.text(m, "title"), loc=m.loc)


def _image(f: Fields, refs: Refs, m: Map, module_id: str) -> Block:
    decorative = f.boolean(m, "decorative", False)
    alt = f.text(m, "alt", allow_empty=decorative)
    if alt is None and not decorative:
        f.error(m, "image needs 'alt' text describing it (or 'decorative: true')")
    src, sources = _image_src(f, refs, m)
    alt = f.blank() if decorative else alt or f.blank()  # decorative images get alt="" in HTML
    return ImageBlock(
        src=src, alt=alt, caption=f.text(m, "caption"), decorative=decorative, loc=m.loc, sources=sources
    )


def _image_src(f: Fields, refs: Refs, m: Map) -> tuple[str, dict[str, str]]:
    """Return an image's file, or one file per language when `src` is a language map."""
    node = m.get("src")
    if not isinstance(node, Map):
        return media(f, refs.tree, m, "src") or "", {}
    langs = f.mapping(node, "src", "src", f.languages) or node
    sources: dict[str, str] = {}
    for lang in f.languages:
        if lang not in langs.entries:
            f.error(node, f"missing '{lang}' file in 'src'")
            continue
        path = media(f, refs.tree, node, lang)
        if path is not None:
            sources[lang] = path
    return (next(iter(sources.values())) if sources else ""), sources


def _video(f: Fields, refs: Refs, m: Map, module_id: str) -> Block:
    vid = f.ident(m, "id", "video id") or ""
    if vid:
        where = m.get("id") or m
        if vid in refs.videos:
            f.error(where, f"duplicate video id '{vid}' (first defined at {refs.videos[vid]})")
        else:
            refs.videos[vid] = where.loc
    has_src, has_url = "src" in m.entries, "url" in m.entries
    if has_src == has_url:
        f.error(
            m,
            "video needs either 'src' (a file in the course) or 'url' (https), "
            + ("not both" if has_src else "and has neither"),
        )
    src = media(f, refs.tree, m, "src") if has_src else None
    url = f.string(m, "url") if has_url else None
    if url is not None:
        parts = split_url(url)
        if parts is None or parts.scheme != "https" or not parts.netloc or any(ch.isspace() for ch in url):
            f.error(m.get("url") or m, f"video url must be an absolute https URL (got '{url}')")
    captions: dict[str, str] = {}
    cap = f.mapping(m.get("captions"), "captions", "captions", f.languages)
    if cap is not None:
        for lang in f.languages:
            if lang not in cap.entries:
                f.error(cap, f"missing '{lang}' captions (a WebVTT file) for video '{vid}'")
            else:
                path = media(f, refs.tree, cap, lang)
                if path is not None:
                    if not path.lower().endswith(".vtt"):
                        f.error(cap.get(lang) or cap, f"captions must be a WebVTT file (.vtt), got '{path}'")
                    captions[lang] = path
    duration = f.integer(m, "duration_minutes")
    if duration is not None and duration <= 0:
        f.error(m.get("duration_minutes") or m, f"'duration_minutes' must be positive (got {duration})")
        duration = None
    return VideoBlock(
        id=vid,
        title=f.text(m, "title") or f.blank(),
        src=src,
        url=url,
        captions=captions,
        transcript=f.text(m, "transcript") or f.blank(),
        duration_minutes=duration,
        loc=m.loc,
    )


def _reflection(f: Fields, refs: Refs, m: Map, module_id: str) -> Block | None:
    rid = f.ident(m, "id", "reflection id")
    prompt = f.text(m, "prompt") or f.blank()
    if rid is None:
        return None
    node = m.get("id") or m
    if rid in refs.reflections:
        f.error(node, f"duplicate reflection id '{rid}' (first defined at {refs.reflections[rid]})")
        return None
    refs.reflections[rid] = node.loc
    return ReflectionBlock(id=rid, prompt=prompt, hint=f.text(m, "hint"), loc=m.loc)


def _quiz(f: Fields, refs: Refs, m: Map, module_id: str) -> Block | None:
    ref = f.ident(m, "ref", "quiz ref")
    if ref is None:
        return None
    node = m.get("ref") or m
    if ref not in refs.quizzes:
        f.error(node, f"unknown quiz '{ref}' (no file quizzes/{ref}.yaml)")
        return None
    uses = refs.quiz_uses.setdefault(ref, [])
    for other, where in uses:
        if other == module_id:
            f.error(node, f"quiz '{ref}' is already used in this module (at {where})")
            return None
    if uses:
        f.warn(
            node,
            f"quiz '{ref}' is also used in module '{uses[0][0]}'; learners' answers are "
            "recorded separately in each module",
        )
    uses.append((module_id, node.loc))
    quiz = refs.quizzes[ref]
    return QuizBlock(quiz=quiz, loc=m.loc) if quiz is not None else None


def _self_assessment(f: Fields, refs: Refs, m: Map, module_id: str) -> Block | None:
    refs.sa_blocks.add(module_id)
    if not refs.self_assessment_declared:
        f.error(m, "self_assessment block, but course.yaml declares no 'self_assessment'")
        return None
    sa = refs.self_assessment
    return SelfAssessmentBlock(self_assessment=sa, loc=m.loc) if sa is not None else None


def _panels(f: Fields, m: Map, key: str, kind: str, what: str) -> tuple[Panel, ...]:
    n = MIN_ITEMS[kind]
    need = f"at least {n} {what}" if n > 1 else f"at least one {what[:-1]}"
    nodes = f.items(m, key, required=True, min_items=n, too_few=f"{kind} block needs {need}")
    out = []
    for node in nodes:
        p = f.mapping(node, key, what.rstrip("s"), PANEL_KEYS, PANEL_KEYS)
        if p is not None:
            title, body = f.text(p, "title") or f.blank(), f.text(p, "body") or f.blank()
            out.append(Panel(title=title, body=body, loc=p.loc))
    return tuple(out)


def _accordion(f: Fields, refs: Refs, m: Map, module_id: str) -> Block:
    return AccordionBlock(
        items=_panels(f, m, "items", "accordion", "items"), title=f.text(m, "title"), loc=m.loc
    )


def _tabs(f: Fields, refs: Refs, m: Map, module_id: str) -> Block:
    return TabsBlock(tabs=_panels(f, m, "tabs", "tabs", "tabs"), title=f.text(m, "title"), loc=m.loc)


def _steps(f: Fields, refs: Refs, m: Map, module_id: str) -> Block:
    return StepsBlock(steps=_panels(f, m, "steps", "steps", "steps"), title=f.text(m, "title"), loc=m.loc)


def _flip_cards(f: Fields, refs: Refs, m: Map, module_id: str) -> Block:
    need = "flip_cards block needs at least one card"
    nodes = f.items(m, "cards", required=True, min_items=1, too_few=need)
    cards = []
    for node in nodes:
        c = f.mapping(node, "cards", "card", CARD_KEYS, CARD_KEYS)
        if c is not None:
            cards.append(
                FlipCard(
                    front=f.text(c, "front") or f.blank(), back=f.text(c, "back") or f.blank(), loc=c.loc
                )
            )
    return FlipCardsBlock(cards=tuple(cards), title=f.text(m, "title"), loc=m.loc)


def _percent_at(f: Fields, m: Map, key: str) -> float:
    node = m.get(key)
    if node is None:
        return 0.0
    value = node.value if isinstance(node, Scalar) else None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        f.wrong_type(node, key, "a number (percent)")
        return 0.0
    if not 0 <= value <= 100:
        f.error(node, f"'{key}' must be between 0 and 100 (percent of the image, got {value})")
        return 0.0
    return float(value)


def _hotspots(f: Fields, refs: Refs, m: Map, module_id: str) -> Block:
    alt = f.text(m, "alt") or f.blank()
    src, sources = _image_src(f, refs, m)
    image = ImageBlock(src=src, alt=alt, caption=f.text(m, "caption"), loc=m.loc, sources=sources)
    need = "hotspots block needs at least one spot"
    nodes = f.items(m, "spots", required=True, min_items=1, too_few=need)
    spots = []
    for node in nodes:
        h = f.mapping(node, "spots", "spot", SPOT_KEYS, SPOT_KEYS)
        if h is not None:
            spots.append(
                Hotspot(
                    x=_percent_at(f, h, "x"),
                    y=_percent_at(f, h, "y"),
                    title=f.text(h, "title") or f.blank(),
                    body=f.text(h, "body") or f.blank(),
                    loc=h.loc,
                )
            )
    return HotspotsBlock(image=image, spots=tuple(spots), title=f.text(m, "title"), loc=m.loc)


def _scenario(f: Fields, refs: Refs, m: Map, module_id: str) -> Block | None:
    sid = f.ident(m, "id", "scenario id")
    nodes = f.items(m, "choices", required=True, min_items=2, too_few="scenario needs at least 2 choices")
    if len(nodes) > MAX_SCENARIO_CHOICES:
        f.error(m.get("choices") or m, f"scenario has {len(nodes)} choices (at most {MAX_SCENARIO_CHOICES})")
    choices: list[ScenarioChoice] = []
    seen: dict[str, Location] = {}
    for node in nodes:
        c = f.mapping(node, "choices", "scenario choice", SCENARIO_CHOICE_KEYS, ("id", "text", "feedback"))
        if c is None:
            continue
        cid = f.ident(c, "id", "choice id")
        text, feedback = f.text(c, "text") or f.blank(), f.text(c, "feedback") or f.blank()
        if cid is None:
            continue
        where = c.get("id") or c
        if cid in seen:
            f.error(where, f"duplicate choice id '{cid}' (first defined at {seen[cid]})")
            continue
        seen[cid] = where.loc
        choices.append(ScenarioChoice(cid, text, feedback, f.boolean(c, "best", False), loc=c.loc))
    title, situation = f.text(m, "title") or f.blank(), f.text(m, "situation") or f.blank()
    question = f.text(m, "question") or f.blank()
    if sid is None:
        return None
    node = m.get("id") or m
    if sid in refs.scenarios:
        f.error(node, f"duplicate scenario id '{sid}' (first defined at {refs.scenarios[sid]})")
        return None
    refs.scenarios[sid] = node.loc
    return ScenarioBlock(sid, title, situation, question, tuple(choices), loc=m.loc)


def _url(f: Fields, node: Node, key: str) -> str:
    raw = f.string_node(node, key) or ""
    parts = split_url(raw)  # None for what urllib cannot split ('[HOST]', a broken IPv6 literal)
    ok = parts is not None and parts.scheme in URL_SCHEMES
    ok = ok and parts is not None and bool(parts.netloc if parts.scheme == "https" else "@" in parts.path)
    if raw and (not ok or any(ch.isspace() for ch in raw)):
        f.error(node, f"link url must be an absolute https:// URL or a mailto: address (got '{raw}')")
    return raw


def _resources(f: Fields, refs: Refs, m: Map, module_id: str) -> Block:
    need = "resources block needs at least one link"
    nodes = f.items(m, "links", required=True, min_items=1, too_few=need)
    links = []
    for node in nodes:
        r = f.mapping(node, "links", "link", RESOURCE_KEYS, ("title", "url"))
        if r is None:
            continue
        title = f.text(r, "title") or f.blank()
        unode = r.get("url")
        url: dict[str, str] = dict(f.blank())
        if isinstance(unode, Map):  # one address per language (a French page of the same document)
            per = f.mapping(unode, "url", "url", f.languages) or unode
            for lang in f.languages:
                if lang in per.entries:
                    url[lang] = _url(f, per.entries[lang][1], f"url.{lang}")
                else:
                    f.error(unode, f"missing '{lang}' address in 'url'")
        elif unode is not None:
            url = dict.fromkeys(f.languages, _url(f, unode, "url"))
        links.append(Resource(title=title, url=url, description=f.text(r, "description"), loc=r.loc))
    return ResourcesBlock(links=tuple(links), title=f.text(m, "title"), loc=m.loc)


_READERS = {
    "text": _text,
    "callout": _callout,
    "list": _list,
    "image": _image,
    "video": _video,
    "reflection": _reflection,
    "quiz": _quiz,
    "self_assessment": _self_assessment,
    "accordion": _accordion,
    "tabs": _tabs,
    "flip_cards": _flip_cards,
    "hotspots": _hotspots,
    "steps": _steps,
    "scenario": _scenario,
    "resources": _resources,
}


def media(f: Fields, tree: SourceTree, m: Map, key: str) -> str | None:
    """Return a media path under key if it names a file inside the course folder with the exact case."""
    node = m.get(key)
    raw = f.string(m, key)
    if raw is None or node is None:
        return None
    if not raw.strip():
        f.error(node, f"'{key}' must not be empty")
        return None
    if "://" in raw or raw.startswith("data:"):
        f.error(node, f"'{raw}' must be a file in the course folder, not a URL")
        return None
    if "\\" in raw:
        f.error(node, f"media path '{raw}' must use forward slashes (/)")
        return None
    path = PurePosixPath(raw)
    if raw.startswith("/") or _DRIVE.match(raw) or ".." in path.parts:
        f.error(node, f"media path '{raw}' points outside the course folder")
        return None
    rel = str(path)
    status, on_disk = tree.find(rel)
    if status == "missing":
        f.error(node, f"media file '{rel}' not found", "MUST 3")
    elif status == "case":
        f.error(
            node,
            f"media path '{rel}' does not match the file on disk '{on_disk}' "
            "(letter case must match exactly)",
            "MUST 3",
        )
    elif status == "dir":
        f.error(node, f"media path '{rel}' is a folder, not a file")
    elif tree.kind(rel) in ("loop", "missing"):
        f.error(node, f"media file '{rel}' {not_a_file(tree.kind(rel))}")
    elif not tree.inside(rel):
        f.error(node, f"media path '{raw}' points outside the course folder (through a link)")
    elif tree.kind(rel) != "file":
        f.error(node, f"media file '{rel}' {not_a_file(tree.kind(rel))}")
    elif not SAFE_PATH.match(rel):
        # The same words the renderer would stop on: validate says it first.
        f.error(node, f"media path '{rel}' must be relative, with only A-Za-z0-9._-/", "MUST 3")
    else:
        hazards = active_content(rel, tree.root / rel)
        for line, why in hazards:
            f.error(node, why + (f" (line {line} of the file)" if line else ""))
        return None if hazards else rel
    return None
