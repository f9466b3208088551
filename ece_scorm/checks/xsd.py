"""Validate manifests against a folder of official XSDs, offline (layout: DIR/scorm12, scorm2004_4ed, "
"cmi5)."""

from __future__ import annotations

import functools
from pathlib import Path

from lxml import etree

from ece_scorm.errors import EceError

NS_XML = "http://www.w3.org/2001/xml.xsd"
SETS: dict[str, tuple[str, dict[str, str]]] = {
    "scorm12": (
        "scorm12",
        {
            "http://www.imsproject.org/xsd/imscp_rootv1p1p2": "imscp_rootv1p1p2.xsd",
            "http://www.adlnet.org/xsd/adlcp_rootv1p2": "adlcp_rootv1p2.xsd",
            "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1": "imsmd_rootv1p2p1.xsd",
        },
    ),
    "scorm2004": (
        "scorm2004_4ed",
        {
            "http://www.imsglobal.org/xsd/imscp_v1p1": "imscp_v1p1.xsd",
            "http://www.adlnet.org/xsd/adlcp_v1p3": "adlcp_v1p3.xsd",
            "http://www.adlnet.org/xsd/adlseq_v1p3": "adlseq_v1p3.xsd",
            "http://www.adlnet.org/xsd/adlnav_v1p3": "adlnav_v1p3.xsd",
            "http://www.imsglobal.org/xsd/imsss": "imsss_v1p0.xsd",
        },
    ),
    "cmi5": ("cmi5", {"https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd": "CourseStructure.xsd"}),
}
# libxml2 cannot compile two SCORM 1.2 files as published (see shared/schemas/README.md); fix them in memory.
PATCHES = {
    "ims_xml.xsd": (b'xmlns="http://www.w3.org/XML/1998/namespace"', b""),
    "imsmd_rootv1p2p1.xsd": (
        b'namespace="##any" processContents="strict"',
        b'namespace="##other" processContents="strict"',
    ),
}


class SchemaMissing(EceError):
    """The --schemas folder lacks the schema set a package needs."""


class _Offline(etree.Resolver):
    """Resolve imports to local files (patched where needed); refuse every network URL."""

    def __init__(self, folder: Path):
        super().__init__()
        self.folder = folder

    def resolve(self, system_url, public_id, context):
        name = system_url.rsplit("/", 1)[-1]
        if system_url == NS_XML and (self.folder / "xml.xsd").is_file():
            return self.resolve_filename(str(self.folder / "xml.xsd"), context)
        if name in PATCHES and system_url.startswith(("file:", "/")):
            local = self.folder / name
            if local.is_file():
                old, new = PATCHES[name]
                patched = local.read_bytes().replace(old, new, 1)
                return self.resolve_string(patched, context, base_url=system_url)
        if system_url.startswith(("http:", "https:", "ftp:")):
            raise OSError(f"schema import would use the network: {system_url}")
        return None


@functools.lru_cache(maxsize=8)
def schema(root: str, kind: str) -> etree.XMLSchema:
    """Compile the schema set for kind ('scorm12', 'scorm2004', 'cmi5') found under the folder root."""
    sub, imports = SETS[kind]
    folder = Path(root) / sub
    missing = [f for f in imports.values() if not (folder / f).is_file()]
    if missing:
        raise SchemaMissing(
            f"--schemas {root}: {sub}/{missing[0]} not found (expected layout DIR/scorm12, "
            "DIR/scorm2004_4ed, DIR/cmi5)"
        )
    lines = ['<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">']
    lines += [
        f'<xs:import namespace="{ns}" schemaLocation="{(folder / f).resolve().as_uri()}"/>'
        for ns, f in imports.items()
    ]
    lines.append("</xs:schema>")
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(_Offline(folder.resolve()))
    driver = etree.fromstring(
        "\n".join(lines).encode(), parser, base_url=(folder.resolve() / "driver.xsd").as_uri()
    )
    try:
        return etree.XMLSchema(driver)
    except etree.XMLSchemaParseError as exc:
        raise SchemaMissing(f"--schemas {root}: the {sub} schemas do not compile ({exc})") from None


def violations(root: str | Path, kind: str, doc: etree._Element) -> list[tuple[int, int, str]]:
    """Return (line, col, message) for every schema violation of a parsed manifest."""
    xs = schema(str(root), kind)
    if xs.validate(doc):
        return []
    return [(e.line, e.column, e.message) for e in xs.error_log]
