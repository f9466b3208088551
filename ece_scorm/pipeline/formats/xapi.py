"""xAPI (Tin Can) package manifest: tincan.xml as Moodle's mod_tincanlaunch and Rustici launch read it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from lxml import etree

from ece_scorm import markdown
from ece_scorm.errors import BuildFailed
from ece_scorm.model import Course, LangText, Module, Question

NAME = "xapi"
MANIFEST_NAME = "tincan.xml"
DEFAULT_BUNDLE = "module"
STATE_LIMIT: int | None = None  # resume state goes to the State API, which has no practical size limit
LABEL = "xAPI"
STATE_ELEMENT = "the xAPI State API"

TINCAN_NS = "http://projecttincan.com/tincan.xsd"
ADL_ACTIVITIES = "http://adlnet.gov/expapi/activities/"
# MUST 26: the launchable activity is declared with the course type (what tincanlaunch and Rustici expect).
LAUNCH_TYPE = ADL_ACTIVITIES + "course"
INTERACTION_TYPE = ADL_ACTIVITIES + "cmi.interaction"
PAGE_TYPE = ADL_ACTIVITIES + "lesson"
INTERACTION_KINDS = {"single": "choice", "multiple": "choice", "true_false": "true-false"}


def plain_text(text: str) -> str:
    """Return the visible text of a Markdown string, whitespace collapsed (for names and descriptions)."""
    return markdown.to_text(text, block=True)


def lang_map(text: LangText | None, langs: Sequence[str]) -> dict[str, str]:
    """Return {lang: plain text} for the requested languages that the text holds (empty ones dropped)."""
    if not text:
        return {}
    out = {lang: plain_text(text[lang]) for lang in langs if lang in text}
    return {lang: value for lang, value in out.items() if value}


def module_activity_type(module: Module) -> str:
    """Return the ADL activity type of a module (ARCHITECTURE §6)."""
    return ADL_ACTIVITIES + ("assessment" if module.kind == "self_assessment" else "module")


def question_iri(course: Course, quiz_id: str, question: Question) -> str:
    """Return the activity IRI of a quiz question (ARCHITECTURE §3)."""
    return f"{course.id.rstrip('/')}/quiz/{quiz_id}/{question.id}"


def page_iri(course: Course, module: Module, page_id: str) -> str:
    """Return the activity IRI of a page (ARCHITECTURE §3)."""
    return f"{course.activity_id(module)}/page/{page_id}"


def _texts(parent: etree._Element, tag: str, values: Mapping[str, str]) -> None:
    # No element prefixes anywhere (MUST 26): every element inherits the default tincan namespace.
    for lang, value in values.items():
        el = etree.SubElement(parent, f"{{{TINCAN_NS}}}{tag}", lang=lang)
        el.text = value


def _activity(
    parent: etree._Element, iri: str, type_: str, name: Mapping[str, str], description: Mapping[str, str]
) -> etree._Element:
    act = etree.SubElement(parent, f"{{{TINCAN_NS}}}activity", id=iri, type=type_)
    _texts(act, "name", name)
    _texts(act, "description", description)
    return act


def _question(
    parent: etree._Element, course: Course, quiz_id: str, q: Question, langs: Sequence[str]
) -> None:
    prompt = lang_map(q.prompt, langs)
    act = _activity(parent, question_iri(course, quiz_id, q), INTERACTION_TYPE, prompt, prompt)
    kind = etree.SubElement(act, f"{{{TINCAN_NS}}}interactionType")
    kind.text = INTERACTION_KINDS[q.kind]
    patterns = etree.SubElement(act, f"{{{TINCAN_NS}}}correctResponsePatterns")
    pattern = etree.SubElement(patterns, f"{{{TINCAN_NS}}}correctResponsePattern")
    # Same ordering and separator as the runtime's result.response, so an LRS can compare them.
    ordered = [c.id for c in q.choices if c.id in q.correct]
    pattern.text = "[,]".join(ordered)
    if q.kind != "true_false":
        choices = etree.SubElement(act, f"{{{TINCAN_NS}}}choices")
        for c in q.choices:
            comp = etree.SubElement(choices, f"{{{TINCAN_NS}}}component")
            cid = etree.SubElement(comp, f"{{{TINCAN_NS}}}id")
            cid.text = c.id
            _texts(comp, "description", lang_map(c.text, langs))


def manifest(
    course: Course,
    modules: Sequence[Module],
    files_by_module: Mapping[str, Sequence[str]],
    langs: Sequence[str],
    series: bool,
) -> bytes:
    """Return tincan.xml for one module: the launchable module first, then its pages and questions."""
    if series or len(modules) != 1:
        # mod_tincanlaunch launches exactly one activity per package (MUST 26: only one <launch>).
        raise BuildFailed(
            "xapi packages hold one module each (an xAPI launcher starts one activity per "
            "package); build with --bundle module"
        )
    module = modules[0]
    launch = launch_path(module, files_by_module, series=False)
    root = etree.Element(f"{{{TINCAN_NS}}}tincan", nsmap={None: TINCAN_NS})
    activities = etree.SubElement(root, f"{{{TINCAN_NS}}}activities")  # MUST 26: first child
    main = _activity(
        activities,
        course.activity_id(module),
        LAUNCH_TYPE,
        lang_map(module.title, langs),
        lang_map(module.description, langs),
    )
    el = etree.SubElement(
        main,
        f"{{{TINCAN_NS}}}launch",
        lang=course.default_language if course.default_language in langs else langs[0],
    )
    el.text = launch
    # Non-launchable sub-activities give an LRS the names of what statements point at (Rustici launch).
    for page in module.pages:
        title = lang_map(page.title, langs)
        _activity(activities, page_iri(course, module, page.id), PAGE_TYPE, title, title)
    for quiz in module.quizzes():
        for q in quiz.questions:
            _question(activities, course, quiz.id, q, langs)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def launch_path(module: Module, files_by_module: Mapping[str, Sequence[str]], series: bool) -> str:
    """Return the package path of a module's launch file, refusing one that was not rendered."""
    expected = f"{module.id}/index.html" if series else "index.html"
    if expected not in files_by_module.get(module.id, ()):
        # MUST 3: the launch file must exist in the zip; refuse rather than write a dead link.
        raise BuildFailed(f"module {module.id}: {expected} was not rendered; cannot point the launch at it")
    return expected
