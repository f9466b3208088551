"""cmi5 course structure: cmi5.xml valid against CourseStructure.xsd (MUST 30), one AU per module."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from lxml import etree

from ece_scorm.errors import BuildFailed
from ece_scorm.model import Course, Module
from ece_scorm.pipeline.formats.xapi import lang_map, launch_path, module_activity_type

NAME = "cmi5"
MANIFEST_NAME = "cmi5.xml"
DEFAULT_BUNDLE = "series"
STATE_LIMIT: int | None = None  # resume state goes to the State API
LABEL = "cmi5"
STATE_ELEMENT = "the xAPI State API"

CMI5_NS = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"


def move_on(module: Module) -> str:
    """Return the AU's moveOn: quizzes that must be passed make it CompletedAndPassed, else Completed."""
    if module.completion.quiz_passed and module.quizzes():
        return "CompletedAndPassed"
    return "Completed"


def mastery_score(module: Module) -> str | None:
    """Return the AU masteryScore (0..1, as written in cmi5.xml) or None when nothing is scored."""
    if move_on(module) != "CompletedAndPassed":
        return None
    # The module passes when its score reaches the strictest pass mark of its quizzes; the runtime
    # compares against the launched masteryScore, so both sides agree.
    percent = max(q.passing_score for q in module.quizzes())
    if not 0 <= percent <= 100:
        raise BuildFailed(f"module {module.id}: passing score {percent} is outside 0..100")
    value = (Decimal(percent) / Decimal(100)).normalize()
    return format(value, "f")


def _langstrings(parent: etree._Element, tag: str, values: Mapping[str, str], fallback: str) -> None:
    el = etree.SubElement(parent, f"{{{CMI5_NS}}}{tag}")
    if not values:
        # The XSD needs at least one langstring; an empty description still names the thing.
        values = {"und": fallback}
    for lang, text in values.items():
        ls = etree.SubElement(el, f"{{{CMI5_NS}}}langstring", lang=lang)
        ls.text = text or fallback


def manifest(
    course: Course,
    modules: Sequence[Module],
    files_by_module: Mapping[str, Sequence[str]],
    langs: Sequence[str],
    series: bool,
) -> bytes:
    """Return cmi5.xml: the course, then one AU per module in course order (the self-assessment included)."""
    if not modules:
        raise BuildFailed("a cmi5 package needs at least one AU; no module was selected")
    course_id = course.id.rstrip("/")
    root = etree.Element(f"{{{CMI5_NS}}}courseStructure", nsmap={None: CMI5_NS})
    c = etree.SubElement(root, f"{{{CMI5_NS}}}course", id=course.id)
    _langstrings(c, "title", lang_map(course.title, langs), course_id)
    _langstrings(c, "description", lang_map(course.description, langs), course_id)
    seen = {course.id}
    for module in modules:
        au_id = course.activity_id(module)
        if au_id in seen:  # 13.1.4.0-1: ids must be unique within the course structure
            raise BuildFailed(f"module {module.id}: AU id {au_id} is not unique in cmi5.xml")
        seen.add(au_id)
        attrs = {
            "id": au_id,
            "moveOn": move_on(module),
            "launchMethod": "AnyWindow",
            "activityType": module_activity_type(module),
        }
        score = mastery_score(module)
        if score is not None:
            attrs["masteryScore"] = score
        au = etree.SubElement(root, f"{{{CMI5_NS}}}au", attrs)
        _langstrings(au, "title", lang_map(module.title, langs), module.id)
        # A module without a description is described by its title rather than left blank.
        description = lang_map(module.description, langs) or lang_map(module.title, langs)
        _langstrings(au, "description", description, module.id)
        url = etree.SubElement(au, f"{{{CMI5_NS}}}url")
        # Relative, present in the zip, and free of reserved launch parameters (MUST 30, 8.1.0.0-6).
        url.text = launch_path(module, files_by_module, series)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
