"""Zip hygiene: where the manifest is, clutter, path spelling, and references resolved with exact case."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote

from lxml import etree
from lxml import html as lxml_html

from ece_scorm.checks.reader import Package, is_text_name, line_col
from ece_scorm.safe import split_url, svg_hazards

MANIFESTS = {"imsmanifest.xml": "scorm", "cmi5.xml": "cmi5", "tincan.xml": "xapi"}
_CLUTTER_FILES = {
    ".ds_store": "macOS Finder metadata",
    "thumbs.db": "Windows thumbnail cache",
    "desktop.ini": "Windows folder settings",
}
_PORTABLE = re.compile(r"^[A-Za-z0-9._/-]+$")
# MUST 4: root-relative URLs break under Moodle's pluginfile.php/<ctx>/mod_scorm/content/<rev>/ prefix.
_ROOT_RELATIVE = re.compile(
    rb"""(?:\b(?:src|href|action|poster|data)\s*=\s*["']|url\(\s*["']?)/(?![/*])""", re.IGNORECASE
)


@dataclass(frozen=True)
class Ref:
    """A file reference found in a manifest: the path as written and where it was written."""

    href: str
    where: str
    line: int = 0
    what: str = "file"


def find_manifest(pkg: Package) -> tuple[str | None, str | None]:
    """Return (entry name, standard) of the root manifest, recording MUST 1 problems when there is none."""
    names = [e.name for e in pkg.files()]
    for name, kind in MANIFESTS.items():
        if name in pkg.entries:
            return name, kind
    where = pkg.path.name
    for name in names:
        base = name.rsplit("/", 1)[-1]
        if base.lower() in MANIFESTS and "/" not in name:
            pkg.error(
                name,
                f"the manifest must be named exactly '{base.lower()}' (lower-case); LMSs "
                "look the "
                "name up with its exact case",
                "MUST 1",
            )
            return None, None
    nested = sorted(
        (n for n in names if n.rsplit("/", 1)[-1].lower() in MANIFESTS and not n.startswith("__MACOSX/")),
        key=lambda n: n.count("/"),
    )
    if nested:
        folder = nested[0].rsplit("/", 1)[0]
        pkg.error(
            nested[0],
            f"the manifest is inside the folder '{folder}/', not at the root of the zip "
            "(wrapper folder); zip the folder's contents, not the folder",
            "MUST 1",
        )
        return None, None
    pkg.error(
        where,
        "no imsmanifest.xml, cmi5.xml or tincan.xml at the root of the zip; this is not a "
        "SCORM, cmi5 or xAPI package",
        "MUST 1",
    )
    return None, None


def check_names(pkg: Package) -> None:
    """Flag clutter, backslashes, case clashes and non-portable names."""
    seen: dict[str, str] = {}
    clutter_reported = False
    for entry in pkg.entries.values():
        name = entry.name
        parts = name.rstrip("/").split("/")
        if parts[0] == "__MACOSX":
            if not clutter_reported:
                pkg.warning(name, "macOS resource-fork folder __MACOSX/ is clutter; remove it from the zip")
                clutter_reported = True
            continue
        if parts[-1].lower() in _CLUTTER_FILES:
            pkg.warning(name, f"{_CLUTTER_FILES[parts[-1].lower()]} ({parts[-1]}) is clutter; remove it")
        if "\\" in name:
            pkg.error(name, "entry name uses backslashes; zip entries need forward slashes", "MUST 2")
            continue
        if entry.is_dir:
            continue
        key = name.casefold()
        if key in seen:
            pkg.error(
                name,
                f"entry differs from '{seen[key]}' only in case; they collide on Windows and macOS",
                "MUST 3",
            )
        seen[key] = name
        if not _PORTABLE.match(name):
            pkg.warning(
                name,
                "file name has characters outside A-Z a-z 0-9 . _ / - (spaces, accents); some "
                "LMSs serve such names badly",
            )


def _package_path(pkg: Package, ref: Ref, rule: str) -> str | None:
    """Return the entry a manifest reference names, or None (external, empty, or refused and recorded)."""
    parts = split_url(ref.href)
    if parts is None:
        pkg.error(ref.where, f"{ref.what} '{ref.href[:80]}' is not a valid URL", rule, ref.line)
        return None
    if parts.scheme or ref.href.startswith("//"):
        return None  # external URL: other rules judge whether it is allowed
    path = unquote(parts.path)
    if path.startswith("/"):
        pkg.error(
            ref.where,
            f"{ref.what} '{ref.href}' is an absolute path; use a path relative to the package root",
            "MUST 4",
            ref.line,
        )
        return None
    path = path.removeprefix("./")
    if ".." in path.split("/"):
        pkg.error(
            ref.where, f"{ref.what} '{ref.href}' climbs out of the package with '..'", "MUST 4", ref.line
        )
        return None
    return path or None


def resolve(pkg: Package, refs: list[Ref], rule: str = "MUST 3") -> set[str]:
    """Check that every reference names an entry with identical case; return the entries referenced."""
    by_fold: dict[str, str] = {}
    for e in pkg.files():
        by_fold.setdefault(e.name.casefold(), e.name)
    used: set[str] = set()
    for ref in refs:
        path = _package_path(pkg, ref, rule)
        if path is None:
            continue
        if path in pkg.entries:
            used.add(path)
        elif path.casefold() in by_fold:
            actual = by_fold[path.casefold()]
            used.add(actual)
            pkg.error(
                ref.where,
                f"{ref.what} '{path}' is '{actual}' in the zip: the case differs, and LMSs "
                "look files up with exact case (404)",
                rule,
                ref.line,
            )
        else:
            pkg.error(ref.where, f"{ref.what} '{path}' is not in the zip", rule, ref.line)
    return used


def check_root_relative(pkg: Package) -> None:
    """Flag root-relative URLs in HTML and CSS: they leave the package folder on the LMS (MUST 4)."""
    for e in pkg.files():
        if e.data is None or not e.name.lower().endswith((".html", ".htm", ".css", ".xhtml")):
            continue
        for m in _ROOT_RELATIVE.finditer(e.data):
            line, col = line_col(e.data, m.end() - 1)
            pkg.error(
                e.name,
                "root-relative URL (starts with '/'); LMSs serve the package from a sub-path, "
                "use a relative URL",
                "MUST 4",
                line,
                col,
            )


def unreferenced(pkg: Package, used: set[str], manifest: str) -> None:
    """Warn about files the manifest does not list (they may be forgotten or stray)."""
    for e in pkg.files():
        name = e.name
        if name in used or name == manifest or name.startswith("__MACOSX/") or "\\" in name:
            continue
        if "/" not in name and name.lower().endswith((".xsd", ".dtd")):
            continue  # schema files conventionally ship at the root
        if name.rsplit("/", 1)[-1].lower() in _CLUTTER_FILES:
            continue
        pkg.warning(name, "file is not listed in the manifest (unreferenced)")


def text_entries(pkg: Package):
    """Yield (entry, bytes) for every readable entry that holds text by name or content."""
    from ece_scorm.checks.reader import looks_binary

    for e in pkg.files():
        if e.data is None:
            continue
        if is_text_name(e.name) or not looks_binary(e.data):
            yield e, e.data


MAX_HTML_BYTES = 4 * 1024 * 1024  # a page this size is generated or hostile; its links are not checked
_LINK_ATTRS = ("src", "href", "poster")


def html_links(data: bytes) -> list[tuple[int, str]] | None:
    """Return (line, url) of the src/href/poster attributes of an HTML page, or None when it cannot be read.

    libxml2's HTML parser is linear in its input and treats script bodies as text; Python's HTMLParser
    goes quadratic on crafted markup (e.g. thousands of unclosed '<!' or '</' openings).
    """
    if not data.strip():
        return []
    parser = lxml_html.HTMLParser(encoding="utf-8", no_network=True, huge_tree=False, recover=True)
    try:
        root = lxml_html.document_fromstring(data, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    found: list[tuple[int, str]] = []
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in ("a", "base"):
            continue  # links may point anywhere; <base> changes resolution and is rare in packages
        for name in _LINK_ATTRS:
            value = el.get(name)
            if value and value.strip():
                found.append((el.sourceline or 0, value.strip()))
    return found


def _page_links(pkg: Package, e) -> list[tuple[int, str]]:
    """Return the links of one HTML entry worth resolving, or none when the page is too large to parse."""
    if len(e.data) > MAX_HTML_BYTES or e.partial:
        pkg.warning(e.name, f"page is larger than {MAX_HTML_BYTES:,} bytes; its links were not checked")
        return []
    return html_links(e.data) or []


def _check_link(pkg: Package, page: str, line: int, url: str, by_fold: dict[str, str]) -> None:
    """Resolve one src/href of a page against the zip (MUST 3) and keep it inside the package (MUST 4)."""
    parts = split_url(url)
    if parts is None:
        pkg.error(page, f"'{url[:80]}' is not a valid URL", "MUST 3", line)
        return
    if parts.scheme or url.startswith(("//", "#", "/")) or not parts.path or "{" in url:
        return  # external, in-page, root-relative (check_root_relative) or a template placeholder
    folder = page.rsplit("/", 1)[0] + "/" if "/" in page else ""
    target = posixpath.normpath(folder + unquote(parts.path))
    if target.startswith("../") or target == "..":
        pkg.error(page, f"'{url}' points outside the package", "MUST 4", line)
    elif target in pkg.entries:
        return
    elif target.casefold() in by_fold:
        actual = by_fold[target.casefold()]
        pkg.error(
            page,
            f"'{url}' is '{actual}' in the zip: the case differs, and LMSs look files up with exact "
            "case (404)",
            "MUST 3",
            line,
        )
    else:
        pkg.warning(page, f"'{url}' is not in the zip (the page will get a 404)", "MUST 3", line)


def check_html_links(pkg: Package) -> None:
    """Resolve the files each HTML page loads (scripts, styles, media) with exact case (MUST 3)."""
    by_fold = {e.name.casefold(): e.name for e in pkg.files()}
    for e in pkg.files():
        if e.data is None or not e.name.lower().endswith((".html", ".htm", ".xhtml")):
            continue
        for line, url in _page_links(pkg, e):
            _check_link(pkg, e.name, line, url, by_fold)


def check_active_svg(pkg: Package) -> None:
    """Flag SVG images that run scripts or load from elsewhere: LMSs serve them from their own origin."""
    for e in pkg.files():
        if e.data is None or not e.name.lower().endswith(".svg"):
            continue
        for line, why in svg_hazards(e.data):
            pkg.error(e.name, f"{why}; an SVG opened from the LMS runs with the learner's session", "", line)
