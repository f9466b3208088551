"""SCORM 1.2 manifest (imsmanifest.xml), written to what Moodle's parser actually reads.

Mastery score decision (docs/LMS-RULES.md SHOULD 3: adlcp:masteryscore only when it equals the
content's own pass mark): Moodle's default "mastery score overrides status" recomputes lesson_status as
raw >= mastery at LMSFinish. The player reports one cmi.core.score.raw per module; it equals a quiz score only
when the module holds exactly one quiz. So an item carries adlcp:masteryscore only when its module has exactly
one quiz AND its completion requires passing it; the value is that quiz's passing_score, the very mark the
player applies. Modules with no quiz, several quizzes, or a quiz that does not gate completion carry none
(the player's own status then stands).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from lxml import etree

from ece_scorm.model import Course, Module
from ece_scorm.pipeline.formats import _xml

NAME = "scorm12"
MANIFEST_NAME = "imsmanifest.xml"
DEFAULT_BUNDLE = "module"
STATE_LIMIT: int | None = (
    4096  # CMIString4096: cmi.suspend_data in strict LMSs / Moodle standards mode (MUST 20)
)
LABEL = "SCORM 1.2"
STATE_ELEMENT = "cmi.suspend_data"

NS_CP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
NS_ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
NS_MD = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
# MUST 7: IMS CP in the default namespace and the literal "adlcp" prefix: Moodle matches qualified names.
NSMAP = {None: NS_CP, "adlcp": NS_ADLCP, "xsi": _xml.XSI}
SCHEMA_LOCATION = f"{NS_CP} imscp_rootv1p1p2.xsd {NS_MD} imsmd_rootv1p2p1.xsd {NS_ADLCP} adlcp_rootv1p2.xsd"


def mastery_score(module: Module) -> int | None:
    """Return the module's pass mark when it is safe to declare as adlcp:masteryscore (see above)."""
    quizzes = module.quizzes()
    if module.completion.quiz_passed and len(quizzes) == 1:
        return quizzes[0].passing_score
    return None


def _decorate_item(item: etree._Element, module: Module) -> None:
    mastery = mastery_score(module)
    if mastery is not None:
        _xml.sub(item, f"{{{NS_ADLCP}}}masteryscore", str(mastery))


DIALECT = _xml.ScormDialect(
    ns_cp=NS_CP,
    nsmap=NSMAP,
    schema_location=SCHEMA_LOCATION,
    schemaversion="1.2",
    scormtype_attr=f"{{{NS_ADLCP}}}scormtype",
    decorate_item=_decorate_item,
)


def manifest(
    course: Course,
    modules: Sequence[Module],
    files_by_module: Mapping[str, Sequence[str]],
    langs: Sequence[str],
    series: bool,
) -> bytes:
    """Return imsmanifest.xml for one module (series=False) or for a multi-SCO series package."""
    return _xml.scorm_manifest(DIALECT, course, modules, files_by_module, langs, series)
