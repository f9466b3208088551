"""Markdown in course text fields -> sanitized HTML (markdown-it-py, then an nh3 allow-list)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

# Block bodies sit under the page's <h1> and a block's <h2>, so author headings start at <h3>.
HEADING_SHIFT = 2

TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a", "abbr",
    "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td", "sup", "sub", "span",
}  # fmt: skip
INLINE_TAGS = {"strong", "em", "code", "a", "br", "abbr", "sup", "sub", "span"}
ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "span": {"lang"},
    "ol": {"start"},
    "th": {"scope"},
    "*": {"lang"},
}
# Only web and mail links: javascript:, data:, vbscript: URLs are dropped by nh3.
URL_SCHEMES = {"http", "https", "mailto"}
# A build renders each module once per format (4x) with the same texts: results are cached per text.
CACHE_SIZE = 8192


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # Raw HTML in the source is not trusted: markdown-it escapes it (html=False) and nh3 cleans the rest.
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    return md


def _shift_headings(tokens) -> None:
    for tok in tokens:
        if tok.type in ("heading_open", "heading_close"):
            level = min(6, int(tok.tag[1]) + HEADING_SHIFT)
            tok.tag = f"h{level}"


def _clean(html: str, tags: set[str]) -> str:
    return nh3.clean(
        html,
        tags=tags,
        clean_content_tags={"script", "style"},
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        # Links leave the course in a new window so an LMS frame keeps the learner's session.
        set_tag_attribute_values={"a": {"target": "_blank"}},
    ).strip()


@lru_cache(maxsize=CACHE_SIZE)
def to_html(text: str) -> Markup:
    """Render block Markdown to sanitized HTML."""
    md = _parser()
    tokens = md.parse(text or "")
    _shift_headings(tokens)
    return Markup(_clean(md.renderer.render(tokens, md.options, {}), TAGS))


@lru_cache(maxsize=CACHE_SIZE)
def to_inline_html(text: str) -> Markup:
    """Render one line of Markdown (a choice, a prompt, a list item) to sanitized inline HTML."""
    return Markup(_clean(_parser().renderInline(text or ""), INLINE_TAGS))


@lru_cache(maxsize=CACHE_SIZE)
def to_text(text: str, *, block: bool = False) -> str:
    """Return the visible text of Markdown: the one Markdown -> plain text conversion of the tool.

    Inline (the default: ECE_DATA prompts and titles, report labels) reads one line as written, so "1. Yes"
    stays "1. Yes". Block (manifest names and descriptions) reads paragraphs, lists and headings, keeps
    image alt text, and folds all white space into single spaces.
    """
    md = _parser()
    tokens = [t for t in md.parse(text or "") if t.type == "inline"] if block else md.parseInline(text or "")
    out: list[str] = []
    for tok in tokens:
        for child in tok.children or ():
            if child.type in ("text", "code_inline") or (block and child.type == "image"):
                out.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                out.append(" ")
        out.append(" ")
    return " ".join("".join(out).split()) if block else "".join(out).strip()


def plain_map(text: Mapping[str, str] | None) -> dict[str, str]:
    """Return a language map of inline Markdown as plain text (reports show no markup)."""
    return {lang: to_text(value) for lang, value in dict(text or {}).items()}
