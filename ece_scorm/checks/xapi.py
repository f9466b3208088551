"""tincan.xml (MUST 26) and cmi5.xml (MUST 30) structure rules."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl

from lxml import etree

from ece_scorm.checks._common import in_range
from ece_scorm.checks._common import local_name as _local
from ece_scorm.checks.hygiene import Ref
from ece_scorm.checks.reader import Package, parse_xml
from ece_scorm.safe import split_url

NS_TINCAN = "http://projecttincan.com/tincan.xsd"
NS_CMI5 = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
# cmi5 §8.1: the LMS appends these; an AU url that carries them is rejected by a strict LMS.
CMI5_RESERVED = {"endpoint", "fetch", "actor", "registration", "activityId"}
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")


def _elements(el) -> list:
    return [c for c in el if isinstance(c.tag, str)]


def check_tincan(pkg: Package) -> list[Ref]:
    """Check tincan.xml's positional structure as mod_tincanlaunch reads it; return the launch reference."""
    name = "tincan.xml"
    root = parse_xml(pkg, name, "MUST 26")
    if root is None:
        return []
    if _local(root) != "tincan" or etree.QName(root).namespace != NS_TINCAN:
        pkg.error(name, f'root element must be <tincan xmlns="{NS_TINCAN}">', "MUST 26", root.sourceline)
        return []
    for el in root.iter():
        if isinstance(el.tag, str) and el.prefix:
            pkg.error(
                name,
                f"element <{el.prefix}:{_local(el)}> carries a prefix; tincanlaunch reads unprefixed names",
                "MUST 26",
                el.sourceline,
            )
    kids = _elements(root)
    if not kids or _local(kids[0]) != "activities":
        pkg.error(
            name,
            "<activities> must be the first child of <tincan> (tincanlaunch reads it by position)",
            "MUST 26",
            root.sourceline,
        )
        return []
    activities = [a for a in _elements(kids[0]) if _local(a) == "activity"]
    if not activities:
        pkg.error(name, "<activities> holds no <activity>", "MUST 26", kids[0].sourceline)
        return []
    refs: list[Ref] = []
    launching = [a for a in activities if any(_local(c) == "launch" for c in a)]
    if not any(_local(c) == "launch" for c in activities[0]):
        pkg.error(
            name,
            "the first <activity> must be the launchable one (with <launch>)",
            "MUST 26",
            activities[0].sourceline,
        )
    if len(launching) > 1:
        pkg.error(
            name,
            f"{len(launching)} activities have <launch>; only one may",
            "MUST 26",
            launching[1].sourceline,
        )
    seen: set[str] = set()
    for act in activities:
        ident = act.get("id") or ""
        if not _IRI.match(ident):
            pkg.error(name, f"activity id '{ident}' is not an absolute IRI", "MUST 26", act.sourceline)
        elif ident in seen:
            pkg.error(name, f"activity id '{ident}' is used twice", "MUST 26", act.sourceline)
        seen.add(ident)
        if not any(_local(c) == "name" and "".join(c.itertext()).strip() for c in act):
            pkg.error(name, f"activity '{ident}' has no <name>", "MUST 26", act.sourceline)
    for act in launching[:1]:
        for launch in (c for c in act if _local(c) == "launch"):
            href = "".join(launch.itertext()).strip()
            if not href:
                pkg.error(name, "<launch> is empty", "MUST 26", launch.sourceline)
            elif split_url(href) is None:
                pkg.error(name, f"<launch> '{href[:80]}' is not a valid URL", "MUST 26", launch.sourceline)
            elif split_url(href).scheme:  # type: ignore[union-attr]
                pkg.error(
                    name,
                    f"<launch> '{href}' must be a path relative to the package",
                    "MUST 26",
                    launch.sourceline,
                )
            else:
                refs.append(Ref(href, name, launch.sourceline or 0, "launch file"))
    return refs


def _langstrings(pkg: Package, el, what: str) -> None:
    for part in ("title", "description"):
        found = [c for c in el if _local(c) == part]
        strings = [s for f in found for s in f if _local(s) == "langstring" and "".join(s.itertext()).strip()]
        if not strings:
            pkg.error("cmi5.xml", f"{what} has no <{part}> with a <langstring>", "MUST 30", el.sourceline)


def check_cmi5(pkg: Package) -> list[Ref]:
    """Check cmi5.xml: namespace, absolute unique ids, langstrings, relative AU urls, masteryScore 0..1."""
    name = "cmi5.xml"
    root = parse_xml(pkg, name, "MUST 30")
    if root is None:
        return []
    if _local(root) != "courseStructure" or etree.QName(root).namespace != NS_CMI5:
        pkg.error(
            name, f'root element must be <courseStructure xmlns="{NS_CMI5}">', "MUST 30", root.sourceline
        )
        return []
    courses = [c for c in root if _local(c) == "course"]
    if not courses:
        pkg.error(name, "<courseStructure> has no <course>", "MUST 30", root.sourceline)
    refs: list[Ref] = []
    seen: dict[str, int] = {}
    aus = 0
    for el in root.iter():
        kind = _local(el)
        if kind not in ("course", "block", "au"):
            continue
        ident = el.get("id") or ""
        label = f"{kind} '{ident}'"
        if not _IRI.match(ident):
            pkg.error(name, f"{kind} id '{ident}' is not an absolute IRI", "MUST 30", el.sourceline)
        elif ident in seen:
            pkg.error(
                name,
                f"{kind} id '{ident}' is used twice (first on line {seen[ident]})",
                "MUST 30",
                el.sourceline,
            )
        else:
            seen[ident] = el.sourceline or 0
        _langstrings(pkg, el, label)
        if kind != "au":
            continue
        aus += 1
        mastery = el.get("masteryScore")
        if mastery is not None and not in_range(mastery, 0, 1):
            pkg.error(
                name,
                f"{label}: masteryScore '{mastery}' must be a decimal from 0 to 1",
                "MUST 30",
                el.sourceline,
            )
        urls = [c for c in el if _local(c) == "url"]
        if not urls or not "".join(urls[0].itertext()).strip():
            pkg.error(name, f"{label} has no <url>", "MUST 30", el.sourceline)
            continue
        url = "".join(urls[0].itertext()).strip()
        parts = split_url(url)
        if parts is None:
            pkg.error(name, f"{label}: url '{url[:80]}' is not a valid URL", "MUST 30", urls[0].sourceline)
            continue
        reserved = sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)} & CMI5_RESERVED)
        if reserved:
            pkg.error(
                name,
                f"{label}: url carries reserved launch parameter(s) {', '.join(reserved)}; the LMS adds them",
                "MUST 30",
                urls[0].sourceline,
            )
        if parts.scheme or url.startswith("//"):
            pkg.error(
                name, f"{label}: url '{url}' must be relative to the package", "MUST 30", urls[0].sourceline
            )
        else:
            refs.append(Ref(url, name, urls[0].sourceline or 0, "AU url"))
    if courses and not aus:
        pkg.error(name, "the course has no <au> to launch", "MUST 30")
    return refs
