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

from ..model import Course, Module
from . import _xml

NAME = "scorm2004"
MANIFEST_NAME = "imsmanifest.xml"
DEFAULT_BUNDLE = "module"
STATE_LIMIT = 64000  # cmi.suspend_data SPM in SCORM 2004 4th ed. (MUST 20)
LABEL = "SCORM 2004"
STATE_ELEMENT = "cmi.suspend_data"

NS_CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
NS_ADLCP = "http://www.adlnet.org/xsd/adlcp_v1p3"
NS_ADLSEQ = "http://www.adlnet.org/xsd/adlseq_v1p3"
NS_ADLNAV = "http://www.adlnet.org/xsd/adlnav_v1p3"
NS_IMSSS = "http://www.imsglobal.org/xsd/imsss"
# MUST 7: IMS CP in the default namespace, the conventional literal prefixes for ADL and IMS SS extensions.
NSMAP = {None: NS_CP, "adlcp": NS_ADLCP, "adlseq": NS_ADLSEQ, "adlnav": NS_ADLNAV, "imsss": NS_IMSSS,
         "xsi": _xml.XSI}
SCHEMA_LOCATION = (
    f"{NS_CP} imscp_v1p1.xsd {NS_ADLCP} adlcp_v1p3.xsd {NS_ADLSEQ} adlseq_v1p3.xsd "
    f"{NS_ADLNAV} adlnav_v1p3.xsd {NS_IMSSS} imsss_v1p0.xsd"
)


def _cp(tag: str) -> str:
    return f"{{{NS_CP}}}{tag}"


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

    # MUST 8: Moodle selects the 2004 API (API_1484_11) only on this exact schemaversion string.
    metadata = _xml.sub(root, _cp("metadata"))
    _xml.sub(metadata, _cp("schema"), "ADL SCORM")
    _xml.sub(metadata, _cp("schemaversion"), "2004 4th Edition")

    org_id = _xml.organization_id(course)
    organizations = _xml.sub(root, _cp("organizations"), default=org_id)  # MUST 10
    organization = _xml.sub(organizations, _cp("organization"), identifier=org_id)
    _xml.sub(organization, _cp("title"), _xml.plain_title(course.title, lang))
    parent = organization
    if series:
        # MUST 14: Moodle's previous/next/sibling navigation needs one non-launchable root item.
        parent = _xml.sub(organization, _cp("item"), identifier=_xml.root_item_id(course))
        _xml.sub(parent, _cp("title"), _xml.plain_title(course.title, lang))
    for module in modules:
        item = _xml.sub(parent, _cp("item"), identifier=_xml.item_id(module),
                        identifierref=_xml.resource_id(module))
        _xml.sub(item, _cp("title"), _xml.plain_title(module.title, lang))
    if series:
        # flow defaults to false, forbidding continue/previous between modules (MUST 23: nothing more).
        for cluster in (parent, organization):
            sequencing = _xml.sub(cluster, f"{{{NS_IMSSS}}}sequencing")
            _xml.sub(sequencing, f"{{{NS_IMSSS}}}controlMode", choice="true", flow="true")

    resources = _xml.sub(root, _cp("resources"))
    for module in modules:
        prefix = f"{module.id}/" if series else ""
        # MUST 11: adlcp:scormType="sco" (camel case in 2004) or the LMS treats the resource as an asset.
        resource = _xml.sub(resources, _cp("resource"), identifier=_xml.resource_id(module),
                            type="webcontent", href=_xml.file_href(f"{prefix}index.html"))
        resource.set(f"{{{NS_ADLCP}}}scormType", "sco")
        _xml.add_files(resource, NS_CP, files_by_module.get(module.id, ()))
    return _xml.serialize(root)
