"""SCORM 1.2 manifest (imsmanifest.xml), written to what Moodle's parser actually reads.

Mastery score decision (moodle-requirements.md §5.2: "Don't ship adlcp:masteryscore unless it equals the
content's own pass mark"): Moodle's default "mastery score overrides status" recomputes lesson_status as
raw >= mastery at LMSFinish. The player reports one cmi.core.score.raw per module; it equals a quiz score only
when the module holds exactly one quiz. So an item carries adlcp:masteryscore only when its module has exactly
one quiz AND its completion requires passing it; the value is that quiz's passing_score, the very mark the
player applies. Modules with no quiz, several quizzes, or a quiz that does not gate completion carry none
(the player's own status then stands).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from lxml import etree

from ..model import Course, Module
from . import _xml

NAME = "scorm12"
MANIFEST_NAME = "imsmanifest.xml"
DEFAULT_BUNDLE = "module"
STATE_LIMIT = 4096  # CMIString4096: cmi.suspend_data in strict LMSs / Moodle standards mode (MUST 20)
LABEL = "SCORM 1.2"
STATE_ELEMENT = "cmi.suspend_data"

NS_CP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
NS_ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
NS_MD = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
# MUST 7: IMS CP in the default namespace and the literal "adlcp" prefix: Moodle matches qualified names.
NSMAP = {None: NS_CP, "adlcp": NS_ADLCP, "xsi": _xml.XSI}
SCHEMA_LOCATION = (
    f"{NS_CP} imscp_rootv1p1p2.xsd {NS_MD} imsmd_rootv1p2p1.xsd {NS_ADLCP} adlcp_rootv1p2.xsd"
)


def _cp(tag: str) -> str:
    return f"{{{NS_CP}}}{tag}"


def mastery_score(module: Module) -> int | None:
    """Return the module's pass mark when it is safe to declare as adlcp:masteryscore (see above)."""
    quizzes = module.quizzes()
    if module.completion.quiz_passed and len(quizzes) == 1:
        return quizzes[0].passing_score
    return None


def manifest(course: Course, modules: Sequence[Module], files_by_module: Mapping[str, Sequence[str]],
             langs: Sequence[str], series: bool) -> bytes:
    """Return imsmanifest.xml for one module (series=False) or for a multi-SCO series package."""
    if not modules:
        raise ValueError("a manifest needs at least one module")
    lang = _xml.title_language(course, langs)
    unit = "series" if series else modules[0].id
    root = etree.Element(_cp("manifest"), nsmap=NSMAP)
    root.set("identifier", _xml.manifest_id(course, unit))
    version = _xml.manifest_version(course)
    if version:
        root.set("version", version)
    root.set(f"{{{_xml.XSI}}}schemaLocation", SCHEMA_LOCATION)

    # MUST 8: exactly these strings, no whitespace inside, directly under <manifest>.
    metadata = _xml.sub(root, _cp("metadata"))
    _xml.sub(metadata, _cp("schema"), "ADL SCORM")
    _xml.sub(metadata, _cp("schemaversion"), "1.2")

    org_id = _xml.organization_id(course)
    organizations = _xml.sub(root, _cp("organizations"), default=org_id)  # MUST 10
    organization = _xml.sub(organizations, _cp("organization"), identifier=org_id)
    _xml.sub(organization, _cp("title"), _xml.plain_title(course.title, lang))
    parent = organization
    if series:
        # MUST 14: one non-launchable root item, so Moodle treats the modules as siblings for its navigation.
        parent = _xml.sub(organization, _cp("item"), identifier=_xml.root_item_id(course))
        _xml.sub(parent, _cp("title"), _xml.plain_title(course.title, lang))
    for module in modules:
        item = _xml.sub(parent, _cp("item"), identifier=_xml.item_id(module),
                        identifierref=_xml.resource_id(module))
        _xml.sub(item, _cp("title"), _xml.plain_title(module.title, lang))
        mastery = mastery_score(module)
        if mastery is not None:
            _xml.sub(item, f"{{{NS_ADLCP}}}masteryscore", str(mastery))

    resources = _xml.sub(root, _cp("resources"))
    for module in modules:
        prefix = f"{module.id}/" if series else ""
        # MUST 11: a launchable SCO resource with a relative href; MUST 12: no xml:base, no query tricks.
        resource = _xml.sub(resources, _cp("resource"), identifier=_xml.resource_id(module),
                            type="webcontent", href=_xml.file_href(f"{prefix}index.html"))
        resource.set(f"{{{NS_ADLCP}}}scormtype", "sco")
        _xml.add_files(resource, NS_CP, files_by_module.get(module.id, ()))
    return _xml.serialize(root)
