"""Shared helpers of the SCORM manifest emitters: identifiers, titles, file hrefs, UTF-8 serialisation."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from lxml import etree

from ece_scorm.model import Course, LangText, Module

XSI = "http://www.w3.org/2001/XMLSchema-instance"

# XML 1.0 forbids most C0 controls; a stray one in a title must not make the whole manifest unparsable.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_SPACE = re.compile(r"\s+")


# Identifiers (docs/ARCHITECTURE.md §3): derived only from the course slug and module ids, so they stay the
# same across rebuilds and content edits (MUST 13) and use only [A-Za-z0-9-] (MUST 9; also valid xsd:ID).
def manifest_id(course: Course, unit: str) -> str:
    """Return the manifest identifier for one module or for the series (unit = module id or "series")."""
    return f"MAN-{course.slug()}-{unit}"


def organization_id(course: Course) -> str:
    """Return the organization identifier."""
    return f"ORG-{course.slug()}"


def root_item_id(course: Course) -> str:
    """Return the series' non-launchable root item id (upper-case ROOT never clashes with ITEM-<id>)."""
    return f"ROOT-{course.slug()}"


def item_id(module: Module) -> str:
    """Return a module's item identifier."""
    return f"ITEM-{module.id}"


def resource_id(module: Module) -> str:
    """Return a module's resource identifier."""
    return f"RES-{module.id}"


def title_language(course: Course, langs: Sequence[str]) -> str:
    """Return the language of manifest titles: the single built language, else the course default."""
    if len(langs) == 1:
        return langs[0]
    if course.default_language in langs or not langs:
        return course.default_language
    return langs[0]


TITLE_MAX = 200  # IMS CP titleType maxLength (1.2) and smallest permitted maximum (2004)


def plain_title(text: LangText, lang: str) -> str:
    """Return a one-line title in one language (falling back to any language present), at most 200 chars."""
    value = text.get(lang) or next((v for v in text.values() if v), "")
    title = _SPACE.sub(" ", _CONTROL.sub("", value)).strip()
    return title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 1].rstrip() + "…"


VERSION_MAX = 20  # IMS CP 1.1.2 manifest@version maxLength


def manifest_version(course: Course) -> str | None:
    """Return the course version for manifest@version, or None when it does not fit the schema."""
    version = _CONTROL.sub("", course.version or "").strip()
    return version if 0 < len(version) <= VERSION_MAX else None


def file_href(path: str) -> str:
    """Return a package path as a relative URI reference, unchanged when it is already URL-safe (MUST 3)."""
    return quote(path, safe="/._-~")


def sub(parent: etree._Element, tag: str, text: str | None = None, **attrib: str) -> etree._Element:
    """Append a child element with optional text and attributes (attribute keys may be Clark names)."""
    child = etree.SubElement(parent, tag, attrib)
    if text is not None:
        child.text = text
    return child


def add_files(resource: etree._Element, ns: str, paths: Iterable[str]) -> None:
    """List every package file of a resource, sorted, one ``<file href>`` each."""
    for path in sorted(set(paths)):
        sub(resource, f"{{{ns}}}file", href=file_href(path))


def serialize(root: etree._Element) -> bytes:
    """Return the manifest as UTF-8 with literal non-ASCII text, no numeric references (MUST 5, 6)."""
    body = etree.tostring(root, encoding="UTF-8", xml_declaration=False, pretty_print=True)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body


@dataclass(frozen=True)
class ScormDialect:
    """What differs between the SCORM 1.2 and 2004 manifests; everything else is one shared shape."""

    ns_cp: str
    nsmap: dict
    schema_location: str
    schemaversion: str  # MUST 8: the exact text Moodle matches to pick the API
    scormtype_attr: str  # "{adlcp ns}scormtype" (1.2) or "{adlcp ns}scormType" (2004)
    decorate_item: Callable[[etree._Element, Module], None] | None = None
    # called with (root item, organization) for a series package
    decorate_series: Callable[[etree._Element, etree._Element], None] | None = None

    def cp(self, tag: str) -> str:
        return f"{{{self.ns_cp}}}{tag}"


def scorm_manifest(
    dialect: ScormDialect,
    course: Course,
    modules: Sequence[Module],
    files_by_module: Mapping[str, Sequence[str]],
    langs: Sequence[str],
    series: bool,
) -> bytes:
    """Return imsmanifest.xml for one module (series=False) or a multi-SCO series package."""
    if not modules:
        raise ValueError("a manifest needs at least one module")
    cp = dialect.cp
    lang = title_language(course, langs)
    root = etree.Element(cp("manifest"), nsmap=dialect.nsmap)
    root.set("identifier", manifest_id(course, "series" if series else modules[0].id))
    version = manifest_version(course)
    if version:
        root.set("version", version)
    root.set(f"{{{XSI}}}schemaLocation", dialect.schema_location)

    # MUST 8: exactly these strings, no whitespace inside, directly under <manifest>.
    metadata = sub(root, cp("metadata"))
    sub(metadata, cp("schema"), "ADL SCORM")
    sub(metadata, cp("schemaversion"), dialect.schemaversion)

    org_id = organization_id(course)
    organizations = sub(root, cp("organizations"), default=org_id)  # MUST 10
    organization = sub(organizations, cp("organization"), identifier=org_id)
    sub(organization, cp("title"), plain_title(course.title, lang))
    parent = organization
    if series:
        # MUST 14: one non-launchable root item, so Moodle treats the modules as siblings for its navigation.
        parent = sub(organization, cp("item"), identifier=root_item_id(course))
        sub(parent, cp("title"), plain_title(course.title, lang))
    for module in modules:
        item = sub(parent, cp("item"), identifier=item_id(module), identifierref=resource_id(module))
        sub(item, cp("title"), plain_title(module.title, lang))
        if dialect.decorate_item:
            dialect.decorate_item(item, module)
    if series and dialect.decorate_series:
        dialect.decorate_series(parent, organization)

    resources = sub(root, cp("resources"))
    for module in modules:
        prefix = f"{module.id}/" if series else ""
        # MUST 11: a launchable SCO resource with a relative href; MUST 12: no xml:base, no query tricks.
        resource = sub(
            resources,
            cp("resource"),
            identifier=resource_id(module),
            type="webcontent",
            href=file_href(f"{prefix}index.html"),
        )
        resource.set(dialect.scormtype_attr, "sco")
        add_files(resource, dialect.ns_cp, files_by_module.get(module.id, ()))
    return serialize(root)
