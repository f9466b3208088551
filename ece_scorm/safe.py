"""Defensive parsing of foreign text every reader shares: URLs and JSON that may be hostile.

Each function turns what the standard library would raise (ValueError from urllib on a broken IPv6
literal, RecursionError from json on deep nesting, OverflowError from a non-finite number) into a plain
answer or one exception with a message a user can act on.
"""

from __future__ import annotations

import json
import re
from urllib.parse import SplitResult, urlsplit

SAFE_PATH = re.compile(r"^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$")  # MUST 3/4: plain relative names in a package
MAX_JSON_DEPTH = 100  # xAPI statements nest about 8 levels; ece-data.js about 7
MAX_JSON_BYTES = 64 * 1024 * 1024
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)  # brackets inside strings do not nest
_NOT_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")


def split_url(text: str) -> SplitResult | None:
    """Return urlsplit(text), or None when urllib cannot split it (e.g. '[HOST]' or a broken IPv6 literal)."""
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018  # raises ValueError on a port that is not a number in range
    except ValueError:
        return None
    return parts


class JsonRefused(ValueError):
    """JSON that is malformed, too deep, too large or holds a non-finite number."""


def _refuse_constant(name: str) -> float:
    raise JsonRefused(f"non-finite number {name} is not JSON")


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise JsonRefused(f"number {text[:40]} is too large for a double")
    return value


def _too_deep(data: bytes, limit: int) -> bool:
    """Return True when JSON bytes nest brackets more than limit deep (or leave that many unmatched).

    Strings are dropped and innermost [] / {} pairs peeled one level per pass, all in C: a Python loop
    over every bracket of a 10 MB LRS page would cost more than parsing it.
    """
    brackets = _JSON_STRING.sub(b"", data).translate(None, _NOT_BRACKET)
    passes = 0
    while brackets and passes <= limit:
        peeled = brackets.replace(b"[]", b"").replace(b"{}", b"")
        if peeled == brackets:
            break  # unmatched brackets: what is left bounds the depth
        brackets, passes = peeled, passes + 1
    return passes + len(brackets) > limit


def load_json(
    data: bytes | str, *, max_depth: int = MAX_JSON_DEPTH, max_bytes: int = MAX_JSON_BYTES
) -> object:
    """Parse JSON from a foreign source, or raise JsonRefused saying why it is refused."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    if len(raw) > max_bytes:
        raise JsonRefused(f"{len(raw):,} bytes of JSON is more than the {max_bytes:,}-byte limit")
    if _too_deep(raw, max_depth):
        raise JsonRefused(f"JSON nests more than {max_depth} levels deep")
    try:
        return json.loads(raw, parse_constant=_refuse_constant, parse_float=_finite_float)
    except JsonRefused:
        raise
    except RecursionError:  # cannot happen after the depth scan; never let it escape all the same
        raise JsonRefused(f"JSON nests more than {max_depth} levels deep") from None
    except json.JSONDecodeError as exc:
        raise JsonRefused(f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise JsonRefused(f"invalid JSON ({exc})") from None


# Media that would run code in the learner's browser when an LMS serves it from the package's origin.
ACTIVE_SUFFIXES = (
    ".html",
    ".htm",
    ".xhtml",
    ".xht",
    ".shtml",
    ".js",
    ".mjs",
    ".swf",
    ".svgz",
    ".xsl",
    ".xslt",
)
MAX_SVG_BYTES = 8 * 1024 * 1024
_SVG_ACTIVE_ELEMENTS = frozenset(
    {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener"}
)
_CSS_EXTERNAL = re.compile(r"@import|url\(\s*['\"]?\s*(?!#)", re.I)
_SAFE_DATA_IMAGE = re.compile(r"^data:image/(?:png|jpeg|gif|webp);base64,", re.I)


def svg_hazards(data: bytes) -> list[tuple[int, str]]:
    """Return (line, why) for everything in an SVG that runs code or loads something from elsewhere."""
    from lxml import etree

    if len(data) > MAX_SVG_BYTES:
        return [(0, f"SVG is larger than {MAX_SVG_BYTES:,} bytes")]
    if re.search(rb"<!(?:DOCTYPE|ENTITY)", data, re.I):
        return [(0, "SVG declares a DOCTYPE or entities (entity expansion / external entities)")]
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        return [(exc.position[0] if exc.position else 0, f"SVG is not well-formed XML ({exc.msg})")]
    found: list[tuple[int, str]] = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        name = etree.QName(el).localname.lower()
        line = el.sourceline or 0
        if name in _SVG_ACTIVE_ELEMENTS:
            found.append(
                (line, f"SVG holds a <{etree.QName(el).localname}> element, which runs code or embeds a page")
            )
        if name == "style" and _CSS_EXTERNAL.search("".join(el.itertext())):
            found.append((line, "SVG stylesheet loads an external resource (@import or url())"))
        for key, value in el.attrib.items():
            why = _svg_attribute_hazard(name, etree.QName(key).localname.lower(), value.strip())
            if why:
                found.append((line, why))
    return found


def _svg_attribute_hazard(element: str, attr: str, text: str) -> str | None:
    """Return why one attribute of an SVG element is active or external, else None."""
    if attr.startswith("on"):
        return f"SVG has an event handler attribute '{attr}'"
    if attr == "href" and text and not text.startswith("#") and not _SAFE_DATA_IMAGE.match(text):
        return f"SVG references an external resource ('{text[:60]}')"
    if attr == "style" and _CSS_EXTERNAL.search(text):
        return "SVG style attribute loads an external resource (url())"
    rewritten = text.lower()
    if (
        element in ("set", "animate")
        and attr == "attributename"
        and (rewritten.startswith("on") or rewritten.endswith("href"))
    ):
        return f"SVG animation rewrites '{text}', which can run code"
    return None


def active_content(rel: str, path) -> list[tuple[int, str]]:
    """Return (line, why) when a media file would run code in the learner's browser (refused, not cleaned)."""
    lower = rel.lower()
    if lower.endswith(ACTIVE_SUFFIXES):
        return [
            (
                0,
                f"'{rel}' is active content (pages, scripts, plug-ins); media may be images, audio, video "
                "or captions",
            )
        ]
    if not lower.endswith(".svg"):
        return []
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_SVG_BYTES + 1)
    except OSError as exc:
        return [(0, f"cannot read '{rel}' ({exc.strerror or exc})")]
    return [
        (line, f"{why}; remove it from '{rel}' (SVG media must be static images)")
        for line, why in svg_hazards(data)
    ]
