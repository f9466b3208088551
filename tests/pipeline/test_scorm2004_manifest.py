"""SCORM 2004 4th ed. manifest: golden files, MUST 5-14 and 23-25, and the official XSDs."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree

from ece_scorm import model as m
from ece_scorm.pipeline.formats import get, scorm2004
from tests.support.courses import ece_series, t
from tests.support.manifests import build_manifest, canonical, files_for, moodle_names
from tests.support.schemas import assert_valid, xsd_errors

GOLDEN = Path(__file__).parents[1] / "golden"
NS = {
    "cp": "http://www.imsglobal.org/xsd/imscp_v1p1",
    "adlcp": "http://www.adlnet.org/xsd/adlcp_v1p3",
    "imsss": "http://www.imsglobal.org/xsd/imsss",
}
ID_RE = re.compile(r"^[A-Za-z0-9_.-]+$")


def build(course: m.Course, modules: list[m.Module], langs=("en", "fr"), series: bool = False) -> bytes:
    return build_manifest(scorm2004, course, modules, langs, series)


@pytest.fixture(scope="module")
def course() -> m.Course:
    return ece_series()


def test_registry_exposes_scorm2004_interface():
    fmt = get("scorm2004")
    assert (fmt.NAME, fmt.MANIFEST_NAME, fmt.DEFAULT_BUNDLE, fmt.STATE_LIMIT) == (
        "scorm2004",
        "imsmanifest.xml",
        "module",
        64000,
    )


def test_single_module_matches_hand_written_golden(course):
    xml = build(course, [course.module("introduction")])
    assert canonical(xml) == canonical((GOLDEN / "scorm2004-introduction.xml").read_bytes())


def test_series_matches_hand_written_golden(course):
    xml = build(course, [course.module("introduction"), course.module("leadership")], series=True)
    assert canonical(xml) == canonical((GOLDEN / "scorm2004-series.xml").read_bytes())


def test_every_manifest_validates_against_official_xsd(course):
    for mod in course.modules:
        assert_valid("scorm2004", build(course, [mod]))
        assert_valid("scorm2004", build(course, [mod], langs=("fr",)))
    assert_valid("scorm2004", build(course, list(course.modules), series=True))


def test_xsd_check_catches_a_broken_manifest(course):
    xml = build(course, list(course.modules), series=True).replace(b'flow="true"', b'flow="sometimes"')
    assert any("flow" in e for e in xsd_errors("scorm2004", xml))


def test_must5_must6_utf8_and_literal_non_ascii(course):
    xml = build(course, list(course.modules), langs=("fr",), series=True)
    assert xml.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    text = xml.decode("utf-8")
    assert "Leadership et culture « engagée »" in text and "&#" not in text


def test_must7_prefixes_as_moodle_matches_them(course):
    xml = build(course, list(course.modules), series=True)
    root = etree.fromstring(xml)
    assert all(el.prefix is None for el in root.iter(f"{{{NS['cp']}}}*"))
    assert root.nsmap["adlcp"] == NS["adlcp"] and root.nsmap["imsss"] == NS["imsss"]
    assert root.nsmap["adlseq"] == "http://www.adlnet.org/xsd/adlseq_v1p3"
    assert root.nsmap["adlnav"] == "http://www.adlnet.org/xsd/adlnav_v1p3"
    names = moodle_names(xml)
    assert "IMSSS:SEQUENCING" in {n for n, _ in names}
    assert all(a["ADLCP:SCORMTYPE"] == "sco" for n, a in names if n == "RESOURCE")


def test_must8_schemaversion_selects_the_2004_api(course):
    root = etree.fromstring(build(course, [course.module("leadership")]))
    assert root[0].tag == f"{{{NS['cp']}}}metadata"
    assert root[0].findtext("cp:schema", namespaces=NS) == "ADL SCORM"
    # Moodle: '^2004 (3rd|4th) Edition$' -> SCORM_1.3, anything else falls back to the 1.2 API.
    assert re.fullmatch(r"2004 (3rd|4th) Edition", root[0].findtext("cp:schemaversion", namespaces=NS))


def test_must9_to_must11_identifiers_titles_and_sco_resources(course):
    mods = list(course.modules)
    root = etree.fromstring(build(course, mods, series=True))
    ids = root.xpath("//@identifier")
    assert len(ids) == len(set(ids)) and all(ID_RE.match(i) for i in ids)
    assert root.xpath("string(//cp:organizations/@default)", namespaces=NS) == "ORG-ece"
    for el in root.xpath("//cp:organization | //cp:item", namespaces=NS):
        assert el.findtext("cp:title", namespaces=NS).strip()
    for mod in mods:
        (res,) = root.xpath(f"//cp:resource[@identifier='RES-{mod.id}']", namespaces=NS)
        assert res.get(f"{{{NS['adlcp']}}}scormType") == "sco"
        assert res.get("href") == f"{mod.id}/index.html"
        assert sorted(res.xpath("cp:file/@href", namespaces=NS)) == sorted(files_for(mod, True))
    assert not root.xpath("//@xml:base | //@parameters")


def test_must13_identifiers_survive_edits(course):
    before = etree.fromstring(build(course, list(course.modules), series=True))
    edited = replace(
        course,
        title=t("Other", "Autre"),
        version="9.9.9",
        modules=tuple(replace(mod, title=t("X", "Y")) for mod in course.modules),
    )
    after = etree.fromstring(build(edited, list(edited.modules), series=True))
    assert before.xpath("//@identifier | //@identifierref") == after.xpath("//@identifier | //@identifierref")


def test_series_wraps_scos_in_one_root_item_with_flow_only(course):
    root = etree.fromstring(build(course, list(course.modules), series=True))
    # MUST 14: one non-launchable root item inside the organization, the SCOs as its children.
    (wrapper,) = root.xpath("//cp:organization/cp:item", namespaces=NS)
    assert wrapper.get("identifierref") is None and wrapper.get("identifier") == "ROOT-ece"
    items = wrapper.xpath("cp:item", namespaces=NS)
    assert [i.get("identifierref") for i in items] == [f"RES-{mod.id}" for mod in course.modules]
    assert not root.xpath("//cp:item/cp:item/cp:item", namespaces=NS)  # MUST 23: no deeper tree
    seqs = root.xpath("//imsss:sequencing", namespaces=NS)
    assert {s.getparent().get("identifier") for s in seqs} == {"ROOT-ece", "ORG-ece"}
    for seq in seqs:
        assert [(c.tag, dict(c.attrib)) for c in seq] == [
            (f"{{{NS['imsss']}}}controlMode", {"choice": "true", "flow": "true"})
        ]


def test_must23_to_must25_no_rules_objectives_thresholds_or_launch_data(course):
    manifests = [build(course, [mod]) for mod in course.modules]
    manifests.append(build(course, list(course.modules), series=True))
    for xml in manifests:
        root = etree.fromstring(xml)
        for forbidden in (
            "imsss:sequencingRules",
            "imsss:rollupRules",
            "imsss:objectives",
            "adlcp:completionThreshold",
            "adlcp:dataFromLMS",
            "imsss:limitConditions",
        ):
            assert not root.xpath(f"//{forbidden}", namespaces=NS), forbidden
        assert not root.xpath("//*[namespace-uri()='http://www.adlnet.org/xsd/adlseq_v1p3']")


def test_single_module_has_no_sequencing(course):
    root = etree.fromstring(build(course, [course.module("introduction")]))
    assert not root.xpath("//imsss:*", namespaces=NS)
