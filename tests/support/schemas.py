"""Offline XSD validation of SCORM 1.2, SCORM 2004 4th ed. and cmi5 manifests against the official schemas.

The schemas stay in ../shared/schemas (never copied into the project); see that folder's README.md for the
libxml2 quirks handled here. Nothing is fetched from the network: every schemaLocation is resolved to a local
file, and the two SCORM 1.2 files libxml2 cannot compile as published are patched in memory only.
"""

from __future__ import annotations

import functools
from pathlib import Path

from lxml import etree

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = (PROJECT_ROOT.parent / "shared" / "schemas").resolve()

NS_CP12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
NS_ADLCP12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
NS_MD12 = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
NS_CP2004 = "http://www.imsglobal.org/xsd/imscp_v1p1"
NS_ADLCP2004 = "http://www.adlnet.org/xsd/adlcp_v1p3"
NS_ADLSEQ = "http://www.adlnet.org/xsd/adlseq_v1p3"
NS_ADLNAV = "http://www.adlnet.org/xsd/adlnav_v1p3"
NS_IMSSS = "http://www.imsglobal.org/xsd/imsss"
NS_CMI5 = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"

W3C_XML_XSD = "http://www.w3.org/2001/xml.xsd"


def _folder(name: str) -> Path:
    folder = SCHEMAS / name
    if not folder.is_dir():
        # A missing schema folder must fail the test, never skip it: conformance is the point.
        raise FileNotFoundError(f"official schemas not found at {folder} (expected ../shared/schemas/{name})")
    return folder


class _LocalResolver(etree.Resolver):
    """Serve schema imports from local files or in-memory patched text; refuse anything else."""

    def __init__(self, folder: Path, patched: dict[str, bytes], aliases: dict[str, Path]):
        super().__init__()
        self.folder = folder
        self.patched = patched
        self.aliases = aliases

    def resolve(self, system_url, public_id, context):
        if system_url in self.aliases:
            return self.resolve_filename(str(self.aliases[system_url]), context)
        name = system_url.rsplit("/", 1)[-1]
        if name in self.patched and system_url.startswith(("file:", "/")):
            return self.resolve_string(self.patched[name], context, base_url=system_url)
        if system_url.startswith(("http:", "https:", "ftp:")):
            raise OSError(f"schema import tried the network: {system_url}")
        return None  # a local relative file: libxml2 loads it itself


def _compile(
    folder: Path,
    imports: dict[str, str],
    patched: dict[str, bytes] | None = None,
    aliases: dict[str, Path] | None = None,
) -> etree.XMLSchema:
    """Compile a driver schema that imports each namespace from its local XSD."""
    lines = ['<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">']
    for ns, filename in imports.items():
        loc = (folder / filename).as_uri()
        lines.append(f'  <xs:import namespace="{ns}" schemaLocation="{loc}"/>')
    lines.append("</xs:schema>")
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(_LocalResolver(folder, patched or {}, aliases or {}))
    driver = etree.fromstring("\n".join(lines).encode(), parser, base_url=(folder / "driver.xsd").as_uri())
    return etree.XMLSchema(driver)


@functools.cache
def scorm12_schema() -> etree.XMLSchema:
    """Return the SCORM 1.2 CP schema set (IMS CP 1.1.2 + ADL CP 1.2 + IMS MD 1.2.1)."""
    folder = _folder("scorm12")
    # libxml2 refuses the XML namespace as a default namespace: drop that one declaration in memory.
    ims_xml = (
        (folder / "ims_xml.xsd").read_bytes().replace(b'xmlns="http://www.w3.org/XML/1998/namespace"', b"", 1)
    )
    # "##any" + strict makes the content model non-deterministic for libxml2; "##other" is what it meant.
    imsmd = (
        (folder / "imsmd_rootv1p2p1.xsd")
        .read_bytes()
        .replace(
            b'namespace="##any" processContents="strict"', b'namespace="##other" processContents="strict"'
        )
    )
    return _compile(
        folder,
        {NS_CP12: "imscp_rootv1p1p2.xsd", NS_ADLCP12: "adlcp_rootv1p2.xsd", NS_MD12: "imsmd_rootv1p2p1.xsd"},
        patched={"ims_xml.xsd": ims_xml, "imsmd_rootv1p2p1.xsd": imsmd},
    )


@functools.cache
def scorm2004_schema() -> etree.XMLSchema:
    """Return the SCORM 2004 4th edition CAM schema set (IMS CP 1.1.4, ADL CP/SEQ/NAV v1p3, IMS SS)."""
    folder = _folder("scorm2004_4ed")
    return _compile(
        folder,
        {
            NS_CP2004: "imscp_v1p1.xsd",
            NS_ADLCP2004: "adlcp_v1p3.xsd",
            NS_ADLSEQ: "adlseq_v1p3.xsd",
            NS_ADLNAV: "adlnav_v1p3.xsd",
            NS_IMSSS: "imsss_v1p0.xsd",
        },
        aliases={W3C_XML_XSD: folder / "xml.xsd"},
    )


@functools.cache
def cmi5_schema() -> etree.XMLSchema:
    """Return the cmi5 course structure schema."""
    folder = _folder("cmi5")
    return _compile(folder, {NS_CMI5: "CourseStructure.xsd"})


SCHEMA_SETS = {"scorm12": scorm12_schema, "scorm2004": scorm2004_schema, "cmi5": cmi5_schema}


def xsd_errors(kind: str, xml: bytes) -> list[str]:
    """Return every schema violation of a manifest ("scorm12", "scorm2004" or "cmi5"); empty when valid."""
    schema = SCHEMA_SETS[kind]()
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    doc = etree.fromstring(xml, parser)
    if schema.validate(doc):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def assert_valid(kind: str, xml: bytes) -> None:
    """Fail with every violation listed when the manifest does not validate."""
    errors = xsd_errors(kind, xml)
    assert not errors, f"{kind} manifest is not schema-valid:\n" + "\n".join(errors)
