"""Read the course source: YAML files into located nodes, and media paths checked against the disk.

This is the only module that reads the course folder. YAML is parsed event by event (libyaml when
available, PyYAML's pure-Python parser otherwise) into our own node tree, so that:

- every value keeps its file:line:col (1-based) for error messages;
- scalars follow the YAML 1.2 core schema: only true/false are booleans, so `yes`, `no`, `on`, `off`
  stay strings (a self-assessment scale point may be called `yes`);
- anchors, aliases and merge keys are refused before anything is expanded (no alias bombs);
- nothing is ever constructed as a Python object from a tag (no `!!python/...`).
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml

from ece_scorm.errors import Issue, Location

MAX_FILE_BYTES = 2 * 1024 * 1024  # a course file is text written by hand; anything bigger is a mistake
MAX_DEPTH = 64  # course YAML nests about 8 levels; deep nesting only serves to exhaust the parser

_CORE = "tag:yaml.org,2002:"
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT10 = re.compile(r"^[-+]?[0-9]+$")
_INT8 = re.compile(r"^0o[0-7]+$")
_INT16 = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")
_FIRST = frozenset("~nNtTfF0123456789-+.")  # a null, boolean or number can only start with one of these


@dataclass(eq=False)
class Node:
    """A YAML value with the place it was written."""

    loc: Location


@dataclass(eq=False)
class Scalar(Node):
    value: str | int | float | bool | None
    raw: str  # the text as written (without quotes), for ids such as `01` or `true`
    plain: bool = False  # written without quotes or tag (only then is `<<` a merge key)


@dataclass(eq=False)
class Seq(Node):
    items: list[Node] = field(default_factory=list)


@dataclass(eq=False)
class Map(Node):
    entries: dict[str, tuple[Scalar, Node]] = field(default_factory=dict)  # key -> (key node, value node)

    def get(self, key: str) -> Node | None:
        """Return the value node for key, or None."""
        entry = self.entries.get(key)
        return entry[1] if entry else None


def kind_of(node: Node | None) -> str:
    """Describe a node's type for messages ("a string", "a list" …)."""
    if node is None:
        return "nothing"
    if isinstance(node, Map):
        return "a mapping"
    if isinstance(node, Seq):
        return "a list"
    assert isinstance(node, Scalar)
    v = node.value
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "a boolean"
    if isinstance(v, (int, float)):
        return "a number"
    return "a string"


class _Abort(Exception):
    """Stop reading one file at its first unrecoverable problem."""

    def __init__(self, line: int, col: int, message: str):
        super().__init__(message)
        self.line, self.col, self.message = line, col, message


def _parser(text: str):
    """Return an event parser for text (libyaml when present: about ten times faster)."""
    try:
        from yaml._yaml import CParser

        return CParser(text)
    except ImportError:  # pure-Python PyYAML: the same safe reader/scanner/parser the SafeLoader uses
        from yaml.parser import Parser
        from yaml.reader import Reader
        from yaml.scanner import Scanner

        class _PyParser(Reader, Scanner, Parser):
            def __init__(self, stream: str):
                Reader.__init__(self, stream)
                Scanner.__init__(self)
                Parser.__init__(self)

        return _PyParser(text)


def _resolve_plain(text: str) -> str | int | float | bool | None:
    """Resolve an untagged plain scalar with the YAML 1.2 core schema."""
    if text and text[0] not in _FIRST:  # prose: skip the regexes (most course values)
        return text
    if _NULL.match(text):
        return None
    if _BOOL.match(text):
        return text.lower() == "true"
    if _INT10.match(text):
        return int(text, 10)
    if _INT8.match(text):
        return int(text[2:], 8)
    if _INT16.match(text):
        return int(text[2:], 16)
    if _FLOAT.match(text) or _INF.match(text) or _NAN.match(text):
        return float(
            text.replace(".inf", "inf")
            .replace(".Inf", "inf")
            .replace(".INF", "inf")
            .replace(".nan", "nan")
            .replace(".NaN", "nan")
            .replace(".NAN", "nan")
        )
    return text


def _scalar(event, loc: Location) -> Scalar:
    """Build a Scalar from a ScalarEvent, honouring only the core schema's explicit tags."""
    text: str = event.value
    plain_implicit, _quoted = event.implicit
    tag = event.tag
    if tag in (None, "!") or plain_implicit:
        plain = bool(plain_implicit) and event.style in (None, "")
        return Scalar(loc, _resolve_plain(text) if plain else text, text, plain)
    if tag == _CORE + "str":
        return Scalar(loc, text, text)
    checks = {
        "int": (_INT10, _INT8, _INT16),
        "float": (_FLOAT, _INF, _NAN, _INT10),
        "bool": (_BOOL,),
        "null": (_NULL,),
    }
    name = tag[len(_CORE) :] if tag.startswith(_CORE) else None
    if name in checks:
        if any(rx.match(text) for rx in checks[name]):
            value = _resolve_plain(text)
            return Scalar(loc, float(value) if name == "float" else value, text)  # type: ignore[arg-type]
        raise _Abort(loc.line, loc.col, f"'{text}' is not a valid !!{name} value")
    raise _Abort(loc.line, loc.col, f"YAML tag '{_short(tag)}' is not allowed")


def _short(tag: str) -> str:
    """Write a tag the way the author typed it (`!!int`, not its full URI)."""
    return "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag


def parse_yaml(text: str, file: str) -> tuple[Node | None, list[Issue]]:
    """Parse one YAML document into located nodes; return (root or None, issues)."""
    issues: list[Issue] = []
    try:
        parser = _parser(text)  # the pure-Python reader checks characters here, so inside the try
        root = _build(parser, file, issues)
    except _Abort as e:
        issues.append(Issue(Location(file, e.line, e.col), "error", e.message))
        return None, issues
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = Location(file, mark.line + 1, mark.column + 1) if mark else Location(file)
        problem = (e.problem or str(e)).strip()
        context = ""
        if e.context and e.context_mark:
            context = f" ({e.context.strip()} at line {e.context_mark.line + 1})"
        issues.append(Issue(where, "error", f"invalid YAML: {problem}{context}"))
        return None, issues
    except yaml.YAMLError as e:  # ReaderError: a character YAML does not allow
        pos = getattr(e, "position", 0) or 0
        line = text.count("\n", 0, pos) + 1
        col = pos - (text.rfind("\n", 0, pos) + 1) + 1
        char = getattr(e, "character", None)
        code = ord(char) if isinstance(char, str) and char else char if isinstance(char, int) else None
        what = f"character U+{code:04X}" if code is not None else "a control character"
        issues.append(Issue(Location(file, line, col), "error", f"invalid YAML: {what} is not allowed"))
        return None, issues
    return root, issues


def _build(parser, file: str, issues: list[Issue]) -> Node | None:
    """Turn parser events into nodes (dispatching on the event class: this loop is the hot path)."""
    scalar_event, map_start, seq_start = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    skipped = (yaml.StreamStartEvent, yaml.DocumentEndEvent)
    stack: list[tuple[Node, Scalar | None]] = []  # open containers, each with its pending key (maps)
    root: Node | None = None
    documents = 0
    while True:
        event = parser.get_event()
        cls = event.__class__
        if cls in ends:
            stack.pop()
            continue
        if cls in skipped:
            continue
        mark = event.start_mark
        loc = Location(file, mark.line + 1, mark.column + 1)
        if cls is yaml.StreamEndEvent:
            return root
        if cls is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _Abort(
                    loc.line, loc.col, "only one YAML document per file is allowed (remove the '---')"
                )
            continue
        if cls is yaml.AliasEvent:
            raise _Abort(
                loc.line,
                loc.col,
                f"YAML aliases (*{event.anchor}) are not allowed; write the value out in full",
            )
        if event.anchor is not None:
            raise _Abort(
                loc.line,
                loc.col,
                f"YAML anchors (&{event.anchor}) are not allowed; write the value out in full",
            )
        if cls is scalar_event:
            node: Node = _scalar(event, loc)
        else:
            if event.tag not in (None, "!", _CORE + "seq", _CORE + "map"):
                raise _Abort(loc.line, loc.col, f"YAML tag '{_short(event.tag)}' is not allowed")
            if len(stack) >= MAX_DEPTH:
                raise _Abort(loc.line, loc.col, f"values are nested more than {MAX_DEPTH} levels deep")
            node = Seq(loc) if cls is seq_start else Map(loc)
        if stack:
            _attach(stack, node, issues)
        else:
            root = node
        if cls is map_start or cls is seq_start:
            stack.append((node, None))


def _attach(stack: list[tuple[Node, Scalar | None]], node: Node, issues: list[Issue]) -> None:
    """Attach node to the innermost open container (as a list item, a key, or the pending key's value)."""
    parent, pending = stack[-1]
    if isinstance(parent, Seq):
        parent.items.append(node)
        return
    assert isinstance(parent, Map)
    if pending is None:  # node is a key
        if not isinstance(node, Scalar):
            raise _Abort(node.loc.line, node.loc.col, "mapping keys must be text, not lists or mappings")
        if node.plain and node.raw == "<<":
            raise _Abort(
                node.loc.line,
                node.loc.col,
                "YAML merge keys (<<) are not allowed; write the keys out in full",
            )
        stack[-1] = (parent, node)
        return
    key = pending.raw
    if key in parent.entries:
        first = parent.entries[key][0].loc
        issues.append(Issue(pending.loc, "error", f"duplicate key '{key}' (first defined at {first})"))
    else:
        parent.entries[key] = (pending, node)
    stack[-1] = (parent, None)


def decode(data: bytes, file: str) -> tuple[str | None, list[Issue]]:
    """Decode UTF-8 (a BOM is allowed); a bad byte becomes an Issue at its line and column."""
    if len(data) > MAX_FILE_BYTES:
        return None, [
            Issue(
                Location(file),
                "error",
                f"file is too large ({len(data):,} bytes; the limit is {MAX_FILE_BYTES:,})",
            )
        ]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        good = data[: e.start].decode("utf-8")
        line = good.count("\n") + 1
        col = len(good) - (good.rfind("\n") + 1) + 1
        return None, [
            Issue(
                Location(file, line, col),
                "error",
                f"file is not UTF-8 (byte 0x{data[e.start]:02X}); save it as UTF-8",
            )
        ]
    return text.removeprefix("\ufeff"), []


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a link loop: not a folder anyone can enter
        return False


def not_a_file(kind: str) -> str:
    """Return why a path that should name a file cannot be read as one."""
    return {
        "loop": "is a symbolic link loop",
        "folder": "is a folder, not a file",
        "missing": "cannot be read (a dangling link?)",
        "special": "is not a regular file (a device, FIFO or socket); it is never read",
    }[kind]


class SourceTree:
    """The course folder: loads each file once and checks media paths exactly as they are on disk."""

    def __init__(self, root: Path):
        self.root = root
        self._yaml: dict[str, tuple[Node | None, list[Issue]]] = {}
        self._listing: dict[str, dict[str, bool] | None] = {}  # folder -> {name: is_dir}, None if missing
        self._real_root: Path | None = None

    def display(self, rel: str) -> str:
        """Return rel as the user would see it: under the source path they typed."""
        return os.path.normpath(self.root / rel) if str(self.root) not in ("", ".") else rel

    def list_dir(self, rel: str) -> dict[str, bool] | None:
        """Return {name: is_dir} of a folder inside the source (cached), or None if it is not a folder."""
        if rel not in self._listing:
            try:
                with os.scandir(self.root / rel if rel else self.root) as it:
                    self._listing[rel] = {e.name: _is_dir(e) for e in it}
            except OSError:  # missing, not a folder, unreadable, or a link loop
                self._listing[rel] = None
        return self._listing[rel]

    def find(self, rel: str) -> tuple[str, str | None]:
        """Look rel up segment by segment: ("ok"|"missing"|"case"|"dir", the path as it is on disk)."""
        parts = PurePosixPath(rel).parts
        if not parts:  # "", "." : the course folder itself
            return "dir", rel
        found: list[str] = []
        for i, part in enumerate(parts):
            listing = self.list_dir("/".join(found))
            if listing is None:
                return "missing", None
            if part in listing:
                found.append(part)
                continue
            folded = [name for name in listing if name.casefold() == part.casefold()]
            if folded:
                on_disk = "/".join([*found, folded[0], *parts[i + 1 :]])
                return "case", on_disk
            return "missing", None
        if self.list_dir("/".join(found[:-1]))[found[-1]]:  # type: ignore[index]
            return "dir", rel
        return "ok", rel

    def inside(self, rel: str) -> bool:
        """Return True if rel, after following symbolic links, stays inside the course folder."""
        try:
            if self._real_root is None:
                self._real_root = Path(os.path.realpath(self.root))
            return Path(os.path.realpath(self.root / rel, strict=True)).is_relative_to(self._real_root)
        except (OSError, RuntimeError):  # a dangling link or a link loop leads nowhere inside
            return False

    def kind(self, rel: str) -> str:
        """Return what rel is once links are followed: "file", "folder", "loop", "missing" or "special"."""
        try:
            mode = os.stat(self.root / rel).st_mode
        except OSError as exc:
            return "loop" if exc.errno == errno.ELOOP else "missing"
        if stat.S_ISREG(mode):
            return "file"
        return "folder" if stat.S_ISDIR(mode) else "special"  # a device, FIFO or socket: never read

    def load_yaml(self, rel: str) -> tuple[Node | None, list[Issue]]:
        """Read and parse rel (posix, relative to the root) once; return (root node or None, issues)."""
        if rel not in self._yaml:
            file = self.display(rel)
            path = self.root / rel
            result: tuple[Node | None, list[Issue]]
            try:
                size = path.stat().st_size
                kind = self.kind(rel)
                if kind != "file":
                    result = (None, [Issue(Location(file), "error", not_a_file(kind))])
                elif not self.inside(rel):
                    result = (
                        None,
                        [Issue(Location(file), "error", "file is a link leading outside the course folder")],
                    )
                elif size > MAX_FILE_BYTES:
                    result = (
                        None,
                        [
                            Issue(
                                Location(file),
                                "error",
                                f"file is too large ({size:,} bytes; the limit is {MAX_FILE_BYTES:,})",
                            )
                        ],
                    )
                else:
                    text, issues = decode(path.read_bytes(), file)
                    result = parse_yaml(text, file) if text is not None else (None, issues)
            except OSError as e:
                result = (None, [Issue(Location(file), "error", f"cannot read file: {e.strerror or e}")])
            self._yaml[rel] = result
        return self._yaml[rel]
