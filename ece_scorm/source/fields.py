"""Typed, located reading of YAML nodes: each accessor records every problem and returns a usable value."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ece_scorm.errors import Issue, Location
from ece_scorm.model import LangText
from ece_scorm.source.yaml_reader import Map, Node, Scalar, Seq, kind_of

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
ID_MAX = 40
_YAML11_BOOLS = {"yes", "no", "on", "off", "y", "n", "Yes", "No", "On", "Off", "YES", "NO", "ON", "OFF"}


@dataclass
class Fields:
    """Collects issues while reading nodes for a course with the given languages."""

    languages: tuple[str, ...] = ("en",)
    issues: list[Issue] = field(default_factory=list)

    def error(self, where: Node | Location, message: str, rule: str = "") -> None:
        """Record an error at a node or location."""
        self.issues.append(Issue(where.loc if isinstance(where, Node) else where, "error", message, rule))

    def warn(self, where: Node | Location, message: str, rule: str = "") -> None:
        """Record a warning at a node or location."""
        self.issues.append(Issue(where.loc if isinstance(where, Node) else where, "warning", message, rule))

    def wrong_type(self, node: Node, key: str, expected: str) -> None:
        """Record "wrong type for 'key' (expected X, got Y)"."""
        got = kind_of(node)
        hint = ""
        if expected == "true or false" and isinstance(node, Scalar) and node.raw in _YAML11_BOOLS:
            hint = "; only true and false are booleans in YAML 1.2"
        elif expected == "a string" and got in ("a number", "a boolean"):
            hint = "; put it in quotes"  # e.g. version: 1.10 would otherwise be read as 1.1
        self.error(node, f"wrong type for '{key}' (expected {expected}, got {got}{hint})")

    # --- containers ---------------------------------------------------------------------------------

    def mapping(
        self, node: Node | None, key: str, what: str, allowed: Sequence[str], required: Sequence[str] = ()
    ) -> Map | None:
        """Check node is a mapping with only allowed keys and every required key; return it or None."""
        if not isinstance(node, Map):
            if node is not None:
                self.wrong_type(node, key, "a mapping")
            return None
        for name, (knode, _) in node.entries.items():
            if name not in allowed:
                close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
                hint = (
                    f" (did you mean '{close[0]}'?)" if close else f" (expected one of: {', '.join(allowed)})"
                )
                self.error(knode, f"unknown key '{name}' in {what}{hint}")
        for name in required:
            if name not in node.entries:
                self.error(node, f"missing required key '{name}' in {what}")
        return node

    def items(
        self, m: Map, key: str, *, required: bool = False, min_items: int = 0, too_few: str = ""
    ) -> list[Node]:
        """Return the list under key (empty when absent or wrong); too_few ({n} = count) if it is short."""
        node = m.get(key)
        if node is None:
            return []
        if not isinstance(node, Seq):
            if isinstance(node, Scalar) and node.value is None and not required:
                return []
            self.wrong_type(node, key, "a list")
            return []
        if len(node.items) < min_items:
            self.error(node, too_few.format(n=len(node.items)))
        return node.items

    def one_of(self, node: Node, what: str, value: str, options: Sequence[str]) -> None:
        """Report a value outside a fixed vocabulary, suggesting the closest option."""
        close = difflib.get_close_matches(value, options, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else f"expected one of: {', '.join(options)}"
        self.error(node, f"unknown {what} '{value}' ({hint})")

    # --- scalars ------------------------------------------------------------------------------------

    def string(self, m: Map, key: str, default: str | None = None) -> str | None:
        """Return a plain (not per-language) string under key, or default when absent."""
        node = m.get(key)
        if node is None:
            return default
        value = self.string_node(node, key)
        return default if value is None else value

    def string_node(self, node: Node, key: str) -> str | None:
        """Return a node's plain string value, or None after reporting its wrong type."""
        if isinstance(node, Scalar) and isinstance(node.value, str):
            return node.value
        self.wrong_type(node, key, "a string")
        return None

    def ident(self, m: Map, key: str = "id", what: str = "id") -> str | None:
        """Return a valid id under key (digits-only ids are read as written, e.g. `01`), or None."""
        node = m.get(key)
        if node is None:
            return None
        return self.ident_node(node, key, what)

    def ident_node(self, node: Node, key: str = "id", what: str = "id") -> str | None:
        """Check one id node; return the id or None."""
        if not isinstance(node, Scalar) or isinstance(node.value, (bool, float)) or node.value is None:
            self.wrong_type(node, key, "an id")
            return None
        text = node.raw
        if not text.isascii():
            self.error(node, f"{what} '{text}' contains non-ASCII characters (use a-z, 0-9 and '-')")
            return None
        if not ID_RE.match(text) or len(text) > ID_MAX:
            self.error(
                node,
                f"malformed {what} '{text}' (use a-z, 0-9 and '-', starting with a letter or "
                f"digit, at most {ID_MAX} characters)",
            )
            return None
        return text

    def integer(self, m: Map, key: str, default: int | None = None) -> int | None:
        """Return a whole number under key, or default when absent or wrong."""
        node = m.get(key)
        if node is None:
            return default
        if isinstance(node, Scalar) and isinstance(node.value, int) and not isinstance(node.value, bool):
            return node.value
        self.wrong_type(node, key, "a whole number")
        return default

    def percent(self, m: Map, key: str, default: int) -> int:
        """Return a 0..100 percentage under key."""
        value = self.integer(m, key, default)
        if value is not None and not 0 <= value <= 100:
            self.error(m.get(key) or m, f"'{key}' must be between 0 and 100 (got {value})")
            return default
        return default if value is None else value

    def boolean(self, m: Map, key: str, default: bool) -> bool:
        """Return true/false under key, or default."""
        node = m.get(key)
        if node is None:
            return default
        if isinstance(node, Scalar) and isinstance(node.value, bool):
            return node.value
        self.wrong_type(node, key, "true or false")
        return default

    def minutes(self, m: Map, key: str, default: tuple[int, int] | None) -> tuple[int, int] | None:
        """Return estimated minutes: a positive whole number or [min, max] with 0 < min <= max."""
        node = m.get(key)
        if node is None:
            return default
        values: list[object] = []
        if isinstance(node, Scalar):
            values = [node.value]
        elif isinstance(node, Seq) and len(node.items) == 2:
            values = [i.value if isinstance(i, Scalar) else None for i in node.items]
        if (
            values
            and all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in values)
            and values[0] <= values[-1]  # type: ignore[operator]
        ):
            return (values[0], values[-1])  # type: ignore[return-value]
        self.error(node, f"'{key}' must be a positive whole number or [min, max] with 0 < min <= max")
        return default

    # --- text ---------------------------------------------------------------------------------------

    def text(self, m: Map, key: str, *, allow_empty: bool = False) -> LangText | None:
        """Return the text under key as {lang: str} for exactly the course languages, or None if absent."""
        node = m.get(key)
        if node is None:
            return None  # a missing required key was reported by mapping()
        return self.text_node(node, key, allow_empty=allow_empty)

    def blank(self) -> LangText:
        """Return an empty text in every language."""
        return {lang: "" for lang in self.languages}

    def text_node(self, node: Node, key: str, *, allow_empty: bool = False) -> LangText:
        """Normalise a string or language map into a dict with exactly the course languages."""
        if (
            isinstance(node, Scalar)
            and isinstance(node.value, (str, int, float))
            and not isinstance(node.value, bool)
        ):
            value = node.value if isinstance(node.value, str) else node.raw
            if not allow_empty and not value.strip():
                self.error(node, f"'{key}' must not be empty")
            if len(self.languages) > 1:
                langs = ", ".join(self.languages)
                self.warn(
                    node,
                    f"'{key}' is a single string but the course declares {len(self.languages)} "
                    f"languages; give a map {{{langs}}} with one text per language",
                )
            return {lang: value for lang in self.languages}
        if not isinstance(node, Map):
            self.wrong_type(node, key, "text or a language map")
            return self.blank()
        out: dict[str, str] = {}
        for lang, (knode, vnode) in node.entries.items():
            if lang not in self.languages:
                self.error(
                    knode,
                    f"'{lang}' in '{key}' is not a language of this course ({', '.join(self.languages)})",
                )
                continue
            if (
                isinstance(vnode, Scalar)
                and isinstance(vnode.value, (str, int, float))
                and not isinstance(vnode.value, bool)
            ):
                out[lang] = vnode.value if isinstance(vnode.value, str) else vnode.raw
                if not allow_empty and not out[lang].strip():
                    self.error(vnode, f"'{key}' must not be empty in '{lang}'")
            else:
                self.wrong_type(vnode, f"{key}.{lang}", "a string")
        for lang in self.languages:
            if lang not in out and lang not in node.entries:
                self.error(node, f"missing '{lang}' translation of '{key}'")
        return {lang: out.get(lang, "") for lang in self.languages}

    def text_list(self, m: Map, key: str) -> tuple[LangText, ...]:
        """Return a list of texts under key."""
        return tuple(self.text_node(n, key) for n in self.items(m, key))
