"""Model + theme -> the files of one module: index.html, ece-data.js, the player and the media."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path

import jinja2

from ece_scorm import markdown, themes
from ece_scorm.errors import EceError
from ece_scorm.model import Course, LangText, Module, Prompt, SelfAssessment, VideoBlock
from ece_scorm.pipeline import budget as state_budget
from ece_scorm.pipeline import duration, templating
from ece_scorm.pipeline.package import OutputFile
from ece_scorm.safe import SAFE_PATH  # MUST 3/4: the names source validation admits

RUNTIME = Path(__file__).resolve().parent.parent / "player"
STRINGS_RE = re.compile(r"/\*ECE-STRINGS\*/(.*?)/\*END-STRINGS\*/", re.S)
VIDEO_FILE = re.compile(r"\.(mp4|webm|ogv|ogg|m4v)(\?.*)?$", re.I)
BUNDLE_ORDER = RUNTIME / "bundle.json"  # the player parts per format, in bundle order


class RenderError(EceError):
    """A module cannot be rendered (missing media, unsafe path, bad theme)."""


def ui_strings(langs: Sequence[str], theme: themes.Theme | None = None) -> dict[str, dict[str, str]]:
    """Return the player's interface strings for these languages (i18n.js built-ins + theme overrides)."""
    match = STRINGS_RE.search((RUNTIME / "i18n.js").read_text(encoding="utf-8"))
    if match is None:
        raise RenderError("runtime/i18n.js has no /*ECE-STRINGS*/ table")
    builtin = json.loads(match.group(1))
    out = {}
    for lang in langs:
        table = dict(builtin.get(lang.split("-")[0], builtin["en"]))
        if theme is not None:
            table.update(theme.strings.get(lang, {}))
        out[lang] = table
    return out


def bundle_parts(fmt: str) -> tuple[str, ...]:
    """Return the player parts of a format's ece-player.js, in order, from player/bundle.json.

    A format bundle.json does not list gets the standalone player; a listed part that is missing is an error.
    """
    order = _bundle_order(BUNDLE_ORDER.stat().st_mtime_ns)
    parts = (*order["first"], *order["formats"].get(fmt, ()), *order["last"])
    missing = [p for p in parts if not (RUNTIME / p).is_file()]
    if missing:
        listed = ", ".join(missing)
        raise RenderError(f"{BUNDLE_ORDER}: error: player part(s) {listed} missing from {RUNTIME}")
    return parts


@lru_cache(maxsize=4)
def _bundle_order(mtime: int) -> dict:
    try:
        order = json.loads(BUNDLE_ORDER.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RenderError(f"{BUNDLE_ORDER}: error: cannot read the player's bundle order ({exc})") from None
    return order


def runtime_js(fmt: str) -> str:
    """Return ece-player.js for a format: the parts player/bundle.json lists for it, in that order."""
    parts = bundle_parts(fmt)
    # Keyed by the files' modification times: a build reuses one bundle per format, an edit rebuilds it.
    return _bundle(fmt, parts, tuple((RUNTIME / p).stat().st_mtime_ns for p in parts))


@lru_cache(maxsize=32)
def _bundle(fmt: str, parts: tuple[str, ...], mtimes: tuple[int, ...]) -> str:
    body = "\n".join((RUNTIME / p).read_text(encoding="utf-8").rstrip("\n") + "\n" for p in parts)
    # ECE_DATA.strings carries the merged interface strings, so the built-in table would be sent twice.
    body = STRINGS_RE.sub('/*ECE-STRINGS*/{"en": {}}/*END-STRINGS*/', body)
    return f"/* ece-player ({fmt}): {', '.join(parts)} */\n" + compact_js(body)


def compact_js(source: str) -> str:
    """Drop whole-line comments, blank lines and indentation; line breaks stay, so ASI is unchanged.

    Safe for the runtime because it has no multi-line template literals or strings (checked in tests).
    """
    out: list[str] = []
    in_block = False
    for line in source.split("\n"):
        text = line.strip()
        if in_block:
            if "*/" not in text:
                continue
            in_block = False
            text = text.split("*/", 1)[1].strip()
        elif text.startswith("/*"):
            if "*/" not in text:
                in_block = True
                continue
            text = text.split("*/", 1)[1].strip()
        if text and not text.startswith("//"):
            out.append(text)
    return "\n".join(out) + "\n"


def runtime_css(theme: themes.Theme) -> str:
    """Return ece-player.css: the player's structural CSS, then the theme's stylesheets."""
    parts = [(RUNTIME / "player.css").read_text(encoding="utf-8")]
    parts += [(theme.root / "static" / c).read_text(encoding="utf-8") for c in theme.css]
    return compact_css("\n".join(p.rstrip("\n") + "\n" for p in parts))


_CSS_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|/\*.*?\*/', re.S)


def compact_css(source: str) -> str:
    """Drop comments (never inside a string), indentation and blank lines; the rules are unchanged."""
    body = _CSS_TOKEN.sub(lambda m: "" if m.group(0).startswith("/*") else m.group(0), source)
    return "\n".join(line.strip() for line in body.splitlines() if line.strip()) + "\n"


def _lang(text: LangText | None, langs: Sequence[str], conv=None) -> dict[str, str] | None:
    if text is None:
        return None
    return {lang: (conv(text.get(lang, "")) if conv else text.get(lang, "")) for lang in langs}


def _prompt(p: Prompt, langs: Sequence[str]) -> dict:
    return {"id": p.id, "text": _lang(p.text, langs, markdown.to_text)}


def _sa_data(sa: SelfAssessment, langs: Sequence[str]) -> dict:
    text = markdown.to_text
    return {
        "id": sa.id,
        "title": _lang(sa.title, langs, text),
        "teamCode": sa.team_code,
        "scale": [{"id": s.id, "label": _lang(s.label, langs, text)} for s in sa.scale],
        "pillars": [
            {
                "id": p.id,
                "title": _lang(p.title, langs, text),
                "items": [{"id": i.id, "text": _lang(i.text, langs, text)} for i in p.items],
                "reflections": [_prompt(r, langs) for r in p.reflections],
            }
            for p in sa.pillars
        ],
        "reflections": [_prompt(r, langs) for r in sa.reflections],
        "strength": _prompt(sa.strength, langs),
        "opportunity": _prompt(sa.opportunity, langs),
        "firstStep": _prompt(sa.first_step, langs),
        "firstStepLead": _prompt(sa.first_step_lead, langs),
        "firstStepWhen": _prompt(sa.first_step_when, langs) if sa.first_step_when else None,
        "alignPrompts": [_prompt(p, langs) for p in sa.align_prompts],
        "attribution": (
            {"text": _lang(sa.attribution.text, langs, text), "url": sa.attribution.url}
            if sa.attribution
            else None
        ),
    }


def _budget_data(budget: state_budget.Budget) -> dict:
    """Return ECE_DATA.stateBudget: the strict budget, plus the roomy one the player may probe for."""
    out: dict = {"worstCase": budget.worst_case, "limit": budget.limit, "textMax": budget.text_max}
    out["saHistory"] = budget.sa_history  # earlier self-assessment administrations the state keeps
    if budget.roomy is not None:
        out["roomy"] = _budget_data(budget.roomy)
    return out


def ece_data(
    course: Course,
    module: Module,
    fmt: str,
    langs: Sequence[str],
    budget: state_budget.Budget,
    strings: Mapping[str, Mapping[str, str]],
    bundle: Sequence[str] = (),
) -> dict:
    """Return the ECE_DATA object the player reads (docs/ARCHITECTURE.md §4)."""
    text = markdown.to_text
    sa = module.self_assessment()
    default = course.default_language if course.default_language in langs else langs[0]
    minutes = duration.page_minutes(module, langs, course.source_dir)
    quiz_ids = [q.id for q in module.quizzes()]
    return {
        "format": fmt,
        "course": {
            "id": course.id,
            "slug": course.slug(),
            "title": _lang(course.title, langs, text),
            "version": course.version,
        },
        "module": {
            "id": module.id,
            "activityId": course.activity_id(module),
            "title": _lang(module.title, langs, text),
            "kind": module.kind,
            "minutes": list(module.estimated_minutes),
            "completion": {
                "allPages": module.completion.all_pages,
                "quizPassed": module.completion.quiz_passed,
                "selfAssessmentDone": module.completion.self_assessment_done,
            },
        },
        "languages": list(langs),
        "defaultLanguage": default,
        "masteryScore": course.mastery_score,
        # Per page: its reading time, and what makes it "done" in the contents (its quizzes, texts, the SA).
        "pages": [
            {
                "id": p.id,
                "title": _lang(p.title, langs, text),
                "minutes": minutes[i],
                "quizzes": [quiz_ids.index(b.quiz.id) for b in p.blocks if b.type == "quiz"],
                "texts": ["r." + b.id for b in p.blocks if b.type == "reflection"],
                "sa": any(b.type == "self_assessment" for b in p.blocks),
            }
            for i, p in enumerate(module.pages)
        ],
        "next": _next_module(course, module, langs, bundle),
        "quizzes": [
            {
                "id": q.id,
                "title": _lang(q.title, langs, text),
                "passingScore": q.passing_score,
                "attempts": q.attempts,
                "questions": [
                    {
                        "id": x.id,
                        "kind": x.kind,
                        "prompt": _lang(x.prompt, langs, text),
                        "choices": [{"id": c.id, "text": _lang(c.text, langs, text)} for c in x.choices],
                        "correct": [c.id for c in x.choices if c.id in x.correct],
                    }
                    for x in q.questions
                ],
            }
            for q in module.quizzes()
        ],
        "reflections": [{"id": r.id, "prompt": _lang(r.prompt, langs, text)} for r in module.reflections()],
        "scenarios": [
            {
                "id": b.id,
                "question": _lang(b.question, langs, text),
                "choices": [{"id": c.id, "text": _lang(c.text, langs, text)} for c in b.choices],
                "best": [c.id for c in b.choices if c.best],
            }
            for b in module.scenarios()
        ],
        "selfAssessment": _sa_data(sa, langs) if sa else None,
        "stateBudget": _budget_data(budget),
        "strings": {lang: dict(strings[lang]) for lang in langs},
    }


def _next_module(course: Course, module: Module, langs: Sequence[str], bundle: Sequence[str]) -> dict | None:
    """Return the module that follows in the series (by name and time), with a link inside a series bundle."""
    series = [m for m in course.modules if m.kind == "module"]
    if module not in series or module is series[-1]:
        return None
    nxt = series[series.index(module) + 1]
    return {
        "id": nxt.id,
        "title": _lang(nxt.title, langs, markdown.to_text),
        "minutes": list(nxt.estimated_minutes),
        # Bundled modules sit side by side (<module>/index.html); a lone package has no path to the next one.
        "href": f"../{nxt.id}/index.html" if nxt.id in bundle else None,
    }


def theme_assets(theme: themes.Theme) -> list[tuple[str, bytes]]:
    """Return the theme's static files other than its stylesheets (fonts, images), as player/<path>.

    The stylesheets are concatenated into player/ece-player.css, so their relative url()s resolve there.
    """
    static = theme.root / "static"
    out = []
    for path in sorted(p for p in static.rglob("*") if p.is_file()):
        rel = path.relative_to(static).as_posix()
        if rel in theme.css:
            continue
        if not SAFE_PATH.match(rel):
            raise RenderError(f"{path}: error: theme file names may use only A-Za-z0-9._- and '/'")
        out.append(("player/" + rel, path.read_bytes()))
    return out


def _read_media(course: Course, path: str, loc) -> bytes:
    if not SAFE_PATH.match(path) or ".." in path.split("/"):
        raise RenderError(f"{loc}: error: media path '{path}' must be relative, with only A-Za-z0-9._-/")
    full = Path(course.source_dir) / path
    try:
        return full.read_bytes()
    except OSError as exc:
        raise RenderError(f"{loc}: error: cannot read media file '{path}' ({exc.strerror or exc})") from None


# One Environment per theme folder for the whole process: building one anew per module cost most of the
# render time. Templates still reload when edited (Jinja's auto_reload checks their mtime), as preview needs.
_ENVIRONMENTS: dict[tuple[str, str], jinja2.Environment] = {}


def environment(theme: themes.Theme) -> jinja2.Environment:
    """Return the cached Jinja2 Environment of a theme, with the Markdown filters installed."""
    key = (theme.name, str(theme.root))
    env = _ENVIRONMENTS.get(key)
    if env is None:
        env = templating.environment(theme)
        env.filters["md"] = markdown.to_html
        env.filters["md_inline"] = markdown.to_inline_html
        env.filters["plain"] = markdown.to_text
        env.globals["is_video_file"] = _is_video_file
        env = _ENVIRONMENTS.setdefault(key, env)
    return env


def _js(name: str, value: object) -> bytes:
    payload = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    if name.startswith("ECE_PAGES"):
        return f"window.ECE_PAGES = window.ECE_PAGES || {{}};\nwindow.{name} = {payload};\n".encode()
    return f"window.{name} = {payload};\n".encode()


def _is_video_file(url: str | None) -> bool:
    return bool(url and VIDEO_FILE.search(url))


def render_module(
    course: Course,
    module: Module,
    fmt: str,
    langs: Sequence[str],
    *,
    prefix: str = "",
    theme: themes.Theme | str | None = None,
    bundle: Sequence[str] = (),
) -> list[OutputFile]:
    """Render one module for one format into package files under `prefix` (sorted by path)."""
    if prefix and not (prefix.endswith("/") and SAFE_PATH.match(prefix.rstrip("/"))):
        raise RenderError(f"package prefix '{prefix}' must be a relative folder ending with '/'")
    langs = [lang for lang in langs if lang in course.languages] or list(course.languages)
    if not isinstance(theme, themes.Theme):
        theme = themes.resolve(theme, course.source_dir)
    budget = state_budget.check(module, fmt, len(langs))  # BuildFailed when over MUST 20's limit
    strings = ui_strings(langs, theme)
    data = ece_data(course, module, fmt, langs, budget, strings, bundle)

    def tf(lang: str, key: str, **values: object) -> str:
        return re.sub(r"\{(\w+)\}", lambda m: str(values.get(m.group(1), m.group(0))), strings[lang][key])

    def minutes(lang: str, pair: Sequence[int]) -> str:
        low, high = pair
        return tf(lang, "minutes", n=low) if low == high else tf(lang, "minutesRange", a=low, b=high)

    context = {
        "course": course,
        "module": module,
        "langs": langs,
        "lang": data["defaultLanguage"],
        "data": data,
        "text_max": budget.text_max,
        "team_max": state_budget.TEAM_CODE_MAX,
        "fmt": fmt,
        # Strings differ per render (languages, theme overrides): they travel with it, not in globals.
        "t": lambda lang, key: strings[lang][key],
        "tf": tf,
        "minutes": minutes,
        "fragments": False,
        "whole": False,
    }
    template = environment(theme).get_template("index.html.j2")
    html = template.render(**context)
    whole = template.render(**{**context, "whole": True})
    macros = template.make_module({**context, "fragments": True})
    files = [
        OutputFile(prefix + "index.html", html.encode("utf-8")),
        OutputFile(prefix + "module.html", whole.encode("utf-8")),
        OutputFile(prefix + "ece-data.js", _js("ECE_DATA", data)),
        OutputFile(prefix + "player/ece-player.js", runtime_js(fmt).encode("utf-8")),
        OutputFile(prefix + "player/ece-player.css", runtime_css(theme).encode("utf-8")),
    ]
    # Every page of every language, and the other languages' landing screens, as HTML the player instantiates
    # when first shown (a script, not fetch(), so it loads from file:// and inside an LMS frame alike).
    captions = {  # for file://, where Chromium loads no .vtt file (core.js makes them data: URLs)
        "vtt:" + path: _read_media(course, path, b.loc).decode("utf-8", "replace")
        for p in module.pages
        for b in p.blocks
        if isinstance(b, VideoBlock)
        for path in b.captions.values()
    }
    for lang in langs:
        pages = {p.id: str(macros.page_section(p, i, lang)).strip() for i, p in enumerate(module.pages)}  # type: ignore[attr-defined]
        pages["start"] = str(macros.landing(lang)).strip()  # type: ignore[attr-defined]
        pages.update(captions)
        files.append(OutputFile(f"{prefix}pages.{lang}.js", _js(f"ECE_PAGES[{json.dumps(lang)}]", pages)))
    files += [OutputFile(prefix + path, data) for path, data in theme_assets(theme)]
    for path, loc in module.media():
        files.append(OutputFile(prefix + path, _read_media(course, path, loc)))
    return sorted(files, key=lambda f: f.path)
