"""SCORM 2004 4th Edition manifest (imsmanifest.xml): a flat activity tree Moodle and strict LMSs both run.

Sequencing is kept to what MUST 23-25 allow: no rules, rollups, objectives or completion thresholds, no
adlcp:dataFromLMS. A single-module package needs no sequencing at all. A series package wraps one item per
module in a single non-launchable root item (MUST 14, as in SCORM 1.2) and declares only
`<imsss:controlMode choice="true" flow="true"/>` on that cluster and on the organization: flow defaults to
false, which would forbid the continue/previous requests that move a learner from one module to the next.
No primary
objective is declared, so no scaled_passing_score reaches the SCO (MUST 25): the player sets
cmi.success_status itself (MUST 18).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from lxml import etree

from ece_scorm.model import Course, Module
from ece_scorm.pipeline.formats import _xml

NAME = "scorm2004"
MANIFEST_NAME = "imsmanifest.xml"
DEFAULT_BUNDLE = "module"
STATE_LIMIT: int | None = 64000  # cmi.suspend_data SPM in SCORM 2004 4th ed. (MUST 20)
LABEL = "SCORM 2004"
STATE_ELEMENT = "cmi.suspend_data"

NS_CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
NS_ADLCP = "http://www.adlnet.org/xsd/adlcp_v1p3"
NS_ADLSEQ = "http://www.adlnet.org/xsd/adlseq_v1p3"
NS_ADLNAV = "http://www.adlnet.org/xsd/adlnav_v1p3"
NS_IMSSS = "http://www.imsglobal.org/xsd/imsss"
# MUST 7: IMS CP in the default namespace, the conventional literal prefixes for ADL and IMS SS extensions.
NSMAP = {
    None: NS_CP,
    "adlcp": NS_ADLCP,
    "adlseq": NS_ADLSEQ,
    "adlnav": NS_ADLNAV,
    "imsss": NS_IMSSS,
    "xsi": _xml.XSI,
}
SCHEMA_LOCATION = (
    f"{NS_CP} imscp_v1p1.xsd {NS_ADLCP} adlcp_v1p3.xsd {NS_ADLSEQ} adlseq_v1p3.xsd "
    f"{NS_ADLNAV} adlnav_v1p3.xsd {NS_IMSSS} imsss_v1p0.xsd"
)


def _decorate_series(root_item: etree._Element, organization: etree._Element) -> None:
    # flow defaults to false, forbidding continue/previous between modules (MUST 23: nothing more).
    for cluster in (root_item, organization):
        sequencing = _xml.sub(cluster, f"{{{NS_IMSSS}}}sequencing")
        _xml.sub(sequencing, f"{{{NS_IMSSS}}}controlMode", choice="true", flow="true")


# MUST 8: Moodle selects the 2004 API (API_1484_11) only on this exact schemaversion string.
DIALECT = _xml.ScormDialect(
    ns_cp=NS_CP,
    nsmap=NSMAP,
    schema_location=SCHEMA_LOCATION,
    schemaversion="2004 4th Edition",
    scormtype_attr=f"{{{NS_ADLCP}}}scormType",
    decorate_series=_decorate_series,
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
