"""SCORM 1.2 and 2004 manifest rules (MUST 5–14 and 23–25 of docs/LMS-RULES.md)."""

from __future__ import annotations

import re

from lxml import etree

from ece_scorm.checks._common import in_range
from ece_scorm.checks._common import local_name as _local
from ece_scorm.checks.hygiene import Ref
from ece_scorm.checks.reader import Package, numeric_references, parse_xml

MANIFEST = "imsmanifest.xml"
NS_CP12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
NS_CP2004 = "http://www.imsglobal.org/xsd/imscp_v1p1"
NS_XML = "http://www.w3.org/XML/1998/namespace"
# MUST 7: Moodle's parser matches these literal qualified names, whatever the namespace declarations say.
PREFIXES = {
    "http://www.adlnet.org/xsd/adlcp_rootv1p2": "adlcp",
    "http://www.adlnet.org/xsd/adlcp_v1p3": "adlcp",
    "http://www.imsglobal.org/xsd/imsss": "imsss",
    "http://www.adlnet.org/xsd/adlseq_v1p3": "adlseq",
    "http://www.adlnet.org/xsd/adlnav_v1p3": "adlnav",
}
VERSIONS = {
    "1.2": "SCORM 1.2",
    "2004 3rd Edition": "SCORM 2004 3rd Edition",
    "2004 4th Edition": "SCORM 2004 4th Edition",
}
_ID = re.compile(r"^[A-Za-z0-9_.-]+$")


def _children(el: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in el if _local(c) == name]


def _descendants(el: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in el.iter() if _local(c) == name]


def _attr(el: etree._Element, local: str) -> str | None:
    """Return an attribute by local name, whatever its namespace (as Moodle reads it)."""
    for key, value in el.attrib.items():
        if etree.QName(key).localname == local:
            return value
    return None


def _text(el: etree._Element | None) -> str:
    return "".join(el.itertext()) if el is not None else ""


def _check_prefixes(pkg: Package, root: etree._Element) -> None:
    """MUST 7: IMS CP in the default namespace, ADL/IMS SS extensions with their conventional prefixes."""
    cp_ns = etree.QName(root).namespace
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        ns = etree.QName(el).namespace
        if ns == cp_ns and el.prefix is not None:
            pkg.error(
                MANIFEST,
                f"element <{el.prefix}:{_local(el)}> carries a prefix; IMS CP elements "
                "must be "
                "in the default namespace (Moodle matches literal names)",
                "MUST 7",
                el.sourceline,
            )
        elif ns in PREFIXES and el.prefix != PREFIXES[ns]:
            pkg.error(
                MANIFEST,
                f"element <{el.prefix or ''}{':' if el.prefix else ''}{_local(el)}> must use "
                f"the prefix '{PREFIXES[ns]}:'",
                "MUST 7",
                el.sourceline,
            )
        for key in el.attrib:
            q = etree.QName(key)
            if q.namespace in PREFIXES:
                prefixes = [p for p, u in (el.nsmap or {}).items() if u == q.namespace]
                if PREFIXES[q.namespace] not in prefixes:
                    pkg.error(
                        MANIFEST,
                        f"attribute {q.localname} must use the prefix '{PREFIXES[q.namespace]}:'",
                        "MUST 7",
                        el.sourceline,
                    )


def _check_metadata(pkg: Package, root: etree._Element) -> str | None:
    """MUST 8: <metadata><schema>ADL SCORM</schema><schemaversion>exact</schemaversion> under <manifest>."""
    metadata = _children(root, "metadata")
    if not metadata:
        pkg.error(
            MANIFEST,
            "no <metadata> with <schemaversion> directly under <manifest>; Moodle then "
            "runs the "
            "package with the SCORM 1.2 API",
            "MUST 8",
            root.sourceline,
        )
        return None
    versions = _children(metadata[0], "schemaversion")
    if not versions:
        pkg.error(MANIFEST, "<metadata> has no <schemaversion>", "MUST 8", metadata[0].sourceline)
        return None
    raw = _text(versions[0])
    schema = _children(metadata[0], "schema")
    if not schema or _text(schema[0]) != "ADL SCORM":
        pkg.error(
            MANIFEST,
            "<metadata> must hold <schema>ADL SCORM</schema> (exact text)",
            "MUST 8",
            (schema[0] if schema else metadata[0]).sourceline,
        )
    if raw in VERSIONS:
        return raw
    if raw.strip() in VERSIONS:
        pkg.error(
            MANIFEST,
            f"<schemaversion> has whitespace around '{raw.strip()}'; Moodle compares "
            "the exact "
            "text and falls back to SCORM 1.2",
            "MUST 8",
            versions[0].sourceline,
        )
        return raw.strip()
    pkg.error(
        MANIFEST,
        f"<schemaversion> is '{raw}'; write exactly '1.2', '2004 4th Edition' or '2004 3rd Edition'",
        "MUST 8",
        versions[0].sourceline,
    )
    return None


def _check_identifiers(pkg: Package, root: etree._Element) -> None:
    """MUST 9: manifest, organization, item and resource identifiers present, unique, [A-Za-z0-9_.-]."""
    seen: dict[str, int] = {}
    for el in root.iter():
        name = _local(el)
        if name not in ("manifest", "organization", "item", "resource"):
            continue
        ident = el.get("identifier")
        if ident is None or not ident:
            pkg.error(MANIFEST, f"<{name}> has no identifier", "MUST 9", el.sourceline)
            continue
        if not _ID.match(ident):
            pkg.error(
                MANIFEST,
                f"<{name}> identifier {ident!r} has characters outside A-Z a-z 0-9 _ . - "
                "(quotes and backslashes break Moodle's player)",
                "MUST 9",
                el.sourceline,
            )
        if ident in seen:
            pkg.error(
                MANIFEST,
                f"identifier '{ident}' is used twice (first on line {seen[ident]})",
                "MUST 9",
                el.sourceline,
            )
        else:
            seen[ident] = el.sourceline or 0


def _check_organizations(pkg: Package, root: etree._Element, version: str | None) -> list[etree._Element]:
    """MUST 10, 14: the default organization exists, titles everywhere, one root item for several SCOs."""
    orgs_el = _children(root, "organizations")
    if not orgs_el:
        pkg.error(MANIFEST, "no <organizations> under <manifest>", "MUST 10", root.sourceline)
        return []
    orgs = _children(orgs_el[0], "organization")
    if not orgs:
        pkg.error(MANIFEST, "<organizations> holds no <organization>", "MUST 10", orgs_el[0].sourceline)
        return []
    default = orgs_el[0].get("default")
    ids = {o.get("identifier") for o in orgs}
    if default is None:
        pkg.error(MANIFEST, "<organizations> has no default attribute", "MUST 10", orgs_el[0].sourceline)
    elif default not in ids:
        pkg.error(
            MANIFEST,
            f"<organizations default='{default}'> names no <organization> (have: "
            f"{', '.join(sorted(i for i in ids if i))})",
            "MUST 10",
            orgs_el[0].sourceline,
        )
    for org in orgs:
        if not _text(next(iter(_children(org, "title")), None)).strip():
            pkg.error(
                MANIFEST, f"organization '{org.get('identifier')}' has no <title>", "MUST 10", org.sourceline
            )
        launchable_top = [i for i in _children(org, "item") if i.get("identifierref")]
        if len(launchable_top) > 1:
            pkg.warning(
                MANIFEST,
                f"organization '{org.get('identifier')}' has {len(launchable_top)} "
                "launchable "
                "items at top level; wrap them in one non-launchable root item for Moodle's "
                "navigation",
                "MUST 14",
                org.sourceline,
            )
    items = [i for org in orgs for i in _descendants(org, "item")]
    for item in items:
        if not _text(next(iter(_children(item, "title")), None)).strip():
            pkg.error(
                MANIFEST,
                f"item '{item.get('identifier')}' has no <title> (Moodle shows the identifier)",
                "MUST 10",
                item.sourceline,
            )
        mastery = [c for c in item if _local(c) == "masteryscore"]
        if mastery and version == "1.2":
            value = _text(mastery[0]).strip()
            if not in_range(value, 0, 100):
                pkg.error(
                    MANIFEST,
                    f"adlcp:masteryscore '{value}' must be a number from 0 to 100",
                    "MUST 11",
                    mastery[0].sourceline,
                )
        elif mastery:
            pkg.error(
                MANIFEST,
                "adlcp:masteryscore is SCORM 1.2 only; SCORM 2004 uses imsss:minNormalizedMeasure",
                "MUST 25",
                mastery[0].sourceline,
            )
        if _attr(item, "base") is not None:
            pkg.error(
                MANIFEST,
                "xml:base on <item> is ignored by Moodle; use it only on <resource>, or not at all",
                "MUST 12",
                item.sourceline,
            )
    return items


def _check_resources(
    pkg: Package, root: etree._Element, items: list[etree._Element], version: str | None
) -> list[Ref]:
    """MUST 11, 12: launchable items point to SCO resources with a relative href; collect file references."""
    res_el = _children(root, "resources")
    resources = _children(res_el[0], "resource") if res_el else []
    by_id = {r.get("identifier"): r for r in resources}
    type_attr = "scormType" if version and version.startswith("2004") else "scormtype"
    refs: list[Ref] = []
    launchable = 0
    for item in items:
        ref = item.get("identifierref")
        if ref is None:
            continue
        launchable += 1
        res = by_id.get(ref)
        if res is None:
            pkg.error(
                MANIFEST,
                f"item '{item.get('identifier')}' points to resource '{ref}', which does not exist",
                "MUST 11",
                item.sourceline,
            )
            continue
        if not res.get("href"):
            pkg.error(
                MANIFEST,
                f"resource '{ref}' launched by item '{item.get('identifier')}' has no href",
                "MUST 11",
                res.sourceline,
            )
        kind = _attr(res, type_attr)
        if kind is None:
            other = _attr(res, "scormType" if type_attr == "scormtype" else "scormtype")
            hint = (
                f" (found '{'scormType' if type_attr == 'scormtype' else 'scormtype'}', wrong case for "
                f"this version)"
                if other is not None
                else ""
            )
            pkg.error(
                MANIFEST,
                f"resource '{ref}' has no adlcp:{type_attr}{hint}: Moodle treats it as "
                "an asset, "
                "marks it completed on open and never tracks it",
                "MUST 11",
                res.sourceline,
            )
        elif kind.lower() != "sco":
            pkg.error(
                MANIFEST,
                f"resource '{ref}' is launched but adlcp:{type_attr}='{kind}'; an asset is "
                "marked completed on open and never tracked",
                "MUST 11",
                res.sourceline,
            )
    if items is not None and launchable == 0 and items:
        pkg.error(
            MANIFEST, "no item launches a resource (identifierref); there is nothing to open", "MUST 11"
        )
    for res in resources:
        base = _attr(res, "base") or ""
        href = res.get("href")
        if href:
            if "?" in href:
                pkg.warning(
                    MANIFEST,
                    f"resource href '{href}' carries a query string; put parameters in item@parameters",
                    "MUST 12",
                    res.sourceline,
                )
            if re.match(r"^[a-z][a-z0-9+.-]*:", href, re.IGNORECASE) and not base:
                pkg.error(
                    MANIFEST,
                    f"resource href '{href}' is not a relative path in the package",
                    "MUST 11",
                    res.sourceline,
                )
            refs.append(Ref(base + href, MANIFEST, res.sourceline or 0, "resource href"))
        for f in _children(res, "file"):
            file_href = f.get("href")
            if file_href:
                refs.append(Ref(base + file_href, MANIFEST, f.sourceline or 0, "file"))
        for dep in _children(res, "dependency"):
            if dep.get("identifierref") not in by_id:
                pkg.error(
                    MANIFEST,
                    f"dependency '{dep.get('identifierref')}' names no resource",
                    "MUST 11",
                    dep.sourceline,
                )
    return refs


def _check_2004(pkg: Package, root: etree._Element) -> None:
    """MUST 23–25: flat activity tree, no dataFromLMS, explicit minNormalizedMeasure, no "
    "completionThreshold."""
    for el in root.iter():
        name = _local(el)
        if name in (
            "sequencingRules",
            "rollupRules",
            "sequencingCollection",
            "mapInfo",
            "randomizationControls",
            "rollupConsiderations",
        ):
            pkg.warning(
                MANIFEST,
                f"<{el.prefix + ':' if el.prefix else ''}{name}>: Moodle does not support "
                "sequencing beyond a flat activity tree",
                "MUST 23",
                el.sourceline,
            )
        elif name == "dataFromLMS":
            pkg.error(
                MANIFEST,
                "adlcp:dataFromLMS is not delivered by Moodle in SCORM 2004 (cmi.launch_data "
                "returns the cmi.exit default)",
                "MUST 24",
                el.sourceline,
            )
        elif name == "primaryObjective":
            if el.get("satisfiedByMeasure") == "true" and not _descendants(el, "minNormalizedMeasure"):
                pkg.error(
                    MANIFEST,
                    "primary objective satisfied by measure without "
                    "<imsss:minNormalizedMeasure>; "
                    "Moodle then requires a scaled score of 1.0",
                    "MUST 25",
                    el.sourceline,
                )
        elif name == "completionThreshold":
            pkg.warning(
                MANIFEST,
                "adlcp:completionThreshold makes Moodle overwrite completion_status from "
                "progress_measure; remove it unless that is intended",
                "MUST 25",
                el.sourceline,
            )


def check_scorm(pkg: Package) -> tuple[str, list[Ref]]:
    """Check imsmanifest.xml; return (standard label, file references) for the hygiene pass."""
    data = pkg.data(MANIFEST)
    root = parse_xml(pkg, MANIFEST, "MUST 5")
    if root is None:
        return "SCORM (unreadable manifest)", []
    for line, col, text in numeric_references(data or b""):
        pkg.error(
            MANIFEST,
            f"numeric character reference {text}; write the character as UTF-8 "
            "(Moodle's parser "
            "mangles references)",
            "MUST 6",
            line,
            col,
        )
    if _local(root) != "manifest":
        pkg.error(MANIFEST, f"root element is <{_local(root)}>, not <manifest>", "MUST 5", root.sourceline)
        return "SCORM (not a manifest)", []
    ns = etree.QName(root).namespace
    _check_prefixes(pkg, root)
    version = _check_metadata(pkg, root)
    if version is None:
        version = "1.2" if ns == NS_CP12 else None
    expected_ns = NS_CP12 if version == "1.2" else NS_CP2004 if version else None
    if expected_ns and ns != expected_ns:
        pkg.error(
            MANIFEST,
            f"manifest namespace '{ns}' does not match schemaversion {version} (expected '{expected_ns}')",
            "MUST 8",
            root.sourceline,
        )
    _check_identifiers(pkg, root)
    items = _check_organizations(pkg, root, version)
    refs = _check_resources(pkg, root, items, version)
    if version and version.startswith("2004"):
        _check_2004(pkg, root)
    label = VERSIONS.get(version or "", "SCORM (unknown version)")
    return label, refs
