"""Manifest test helpers: the files render would list, one manifest call, canonical XML, Moodle's view."""

from __future__ import annotations

from xml.parsers import expat

from lxml import etree

from ece_scorm import model as m
from ece_scorm.pipeline.formats import Format


def files_for(mod: m.Module, series: bool) -> list[str]:
    """Return the package paths a renderer would produce for a module (prefixed in a series)."""
    prefix = f"{mod.id}/" if series else ""
    return [
        f"{prefix}{p}"
        for p in (
            "index.html",
            "ece-data.js",
            "player/ece-player.js",
            "player/ece-player.css",
            "media/pillars.svg",
        )
    ]


def build_manifest(
    fmt: Format, course: m.Course, modules: list[m.Module], langs=("en", "fr"), series: bool = False
) -> bytes:
    """Return the manifest a format module writes for these modules, with the files render would list."""
    files = {mod.id: files_for(mod, series) for mod in modules}
    return fmt.manifest(course, modules, files, list(langs), series)


def canonical(xml: bytes) -> str:
    """Return canonical XML (C14N 2.0, whitespace-only text dropped) for golden comparisons."""
    return etree.canonicalize(etree.fromstring(xml), strip_text=True)


def moodle_names(xml: bytes) -> list[tuple[str, dict[str, str]]]:
    """Parse like Moodle's xml2Array: no namespace processing, names upper-cased."""
    seen: list[tuple[str, dict[str, str]]] = []
    parser = expat.ParserCreate("UTF-8")
    parser.StartElementHandler = lambda name, attrs: seen.append(
        (name.upper(), {k.upper(): v for k, v in attrs.items()})
    )
    parser.Parse(xml, True)
    return seen
