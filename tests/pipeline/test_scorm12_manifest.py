"""SCORM 1.2 manifest: golden files, MUST 5-14 of docs/LMS-RULES.md, and the official XSDs."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree

from ece_scorm import model as m
from ece_scorm.pipeline.formats import get, scorm12
from tests.support.courses import ece_series, one_page_module, t, true_false_quiz
from tests.support.manifests import build_manifest, canonical, files_for, moodle_names
from tests.support.schemas import assert_valid, xsd_errors

GOLDEN = Path(__file__).parents[1] / "golden"
NS = {
    "cp": "http://www.imsproject.org/xsd/imscp_rootv1p1p2",
    "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2",
}
ID_RE = re.compile(r"^[A-Za-z0-9_.-]+$")


def build(course: m.Course, modules: list[m.Module], langs=("en", "fr"), series: bool = False) -> bytes:
    return build_manifest(scorm12, course, modules, langs, series)


@pytest.fixture(scope="module")
def course() -> m.Course:
    return ece_series()


def test_registry_exposes_scorm12_interface():
    fmt = get("scorm12")
    assert (fmt.NAME, fmt.MANIFEST_NAME, fmt.DEFAULT_BUNDLE, fmt.STATE_LIMIT) == (
        "scorm12",
        "imsmanifest.xml",
        "module",
        4096,
    )


def test_single_module_matches_hand_written_golden(course):
    xml = build(course, [course.module("introduction")])
    assert canonical(xml) == canonical((GOLDEN / "scorm12-introduction.xml").read_bytes())


def test_french_series_matches_hand_written_golden(course):
    xml = build(course, list(course.modules), langs=("fr",), series=True)
    assert canonical(xml) == canonical((GOLDEN / "scorm12-series-fr.xml").read_bytes())


@pytest.mark.parametrize("series", [False, True])
def test_every_manifest_validates_against_official_xsd(course, series):
    if series:
        assert_valid("scorm12", build(course, list(course.modules), series=True))
    else:
        for mod in course.modules:
            assert_valid("scorm12", build(course, [mod]))


def test_xsd_check_catches_a_broken_manifest(course):
    xml = build(course, [course.module("introduction")]).replace(b'scormtype="sco"', b'scormtype="lesson"')
    assert any("scormtype" in e for e in xsd_errors("scorm12", xml))


def test_must5_must6_utf8_declaration_and_literal_non_ascii(course):
    xml = build(course, list(course.modules), langs=("fr",), series=True)
    assert xml.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    text = xml.decode("utf-8")
    assert "Environnements propices à l’engagement" in text
    assert "« engagée »" in text
    assert "&#" not in text  # Moodle's '&(?!\w{2,6};)' rewrite would show numeric references verbatim


def test_must7_default_namespace_and_literal_adlcp_prefix(course):
    xml = build(course, [course.module("introduction")])
    root = etree.fromstring(xml)
    for el in root.iter(f"{{{NS['cp']}}}*"):
        assert el.prefix is None, el.tag
    names = {name for name, _ in moodle_names(xml)}
    assert {
        "MANIFEST",
        "ORGANIZATIONS",
        "ORGANIZATION",
        "ITEM",
        "TITLE",
        "RESOURCE",
        "METADATA",
        "SCHEMAVERSION",
        "ADLCP:MASTERYSCORE",
    } <= names
    resources = [attrs for name, attrs in moodle_names(xml) if name == "RESOURCE"]
    assert resources and all(a["ADLCP:SCORMTYPE"] == "sco" for a in resources)


def test_must8_metadata_first_with_exact_schema_strings(course):
    root = etree.fromstring(build(course, [course.module("leadership")]))
    first = root[0]
    assert first.tag == f"{{{NS['cp']}}}metadata"
    assert first.findtext("cp:schema", namespaces=NS) == "ADL SCORM"
    assert first.findtext("cp:schemaversion", namespaces=NS) == "1.2"


@pytest.mark.parametrize("series", [False, True])
def test_must9_identifiers_present_unique_and_safe(course, series):
    mods = list(course.modules) if series else [course.module("patient-partners")]
    root = etree.fromstring(build(course, mods, series=series))
    ids = root.xpath("//@identifier")
    assert len(ids) == len(set(ids))
    assert all(ID_RE.match(i) for i in ids)
    assert root.get("identifier") == ("MAN-ece-series" if series else "MAN-ece-patient-partners")


def test_must10_default_organization_exists_and_everything_has_a_title(course):
    root = etree.fromstring(build(course, list(course.modules), series=True))
    default = root.xpath("/cp:manifest/cp:organizations/@default", namespaces=NS)[0]
    assert root.xpath("//cp:organization/@identifier", namespaces=NS) == [default]
    for el in root.xpath("//cp:organization | //cp:item", namespaces=NS):
        assert el.findtext("cp:title", namespaces=NS).strip(), el.get("identifier")


@pytest.mark.parametrize("series", [False, True])
def test_must11_must12_launchable_items_point_to_relative_sco_resources(course, series):
    mods = list(course.modules) if series else [course.module("self-assessment")]
    root = etree.fromstring(build(course, mods, series=series))
    resources = {r.get("identifier"): r for r in root.xpath("//cp:resource", namespaces=NS)}
    launchable = root.xpath("//cp:item[@identifierref]", namespaces=NS)
    assert len(launchable) == len(mods)
    for item, mod in zip(launchable, mods, strict=True):
        res = resources[item.get("identifierref")]
        assert res.get(f"{{{NS['adlcp']}}}scormtype") == "sco"
        assert res.get("href") == (f"{mod.id}/index.html" if series else "index.html")
        assert "?" not in res.get("href") and not res.get("href").startswith(("/", "http"))
    assert not root.xpath("//@xml:base | //@parameters")


def test_every_rendered_file_is_listed_in_its_resource(course):
    mods = list(course.modules)
    root = etree.fromstring(build(course, mods, series=True))
    for mod in mods:
        listed = root.xpath(f"//cp:resource[@identifier='RES-{mod.id}']/cp:file/@href", namespaces=NS)
        assert sorted(listed) == sorted(files_for(mod, True))


def test_must13_identifiers_stable_across_content_edits(course):
    before = etree.fromstring(build(course, list(course.modules), series=True))
    edited_intro = replace(
        course.module("introduction"),
        title=t("New title", "Nouveau titre"),
        pages=course.module("introduction").pages * 2,
    )
    edited = replace(
        course, title=t("Renamed", "Renommé"), version="2.0.0", modules=(edited_intro, *course.modules[1:])
    )
    after = etree.fromstring(build(edited, list(edited.modules), series=True))
    assert before.xpath("//@identifier | //@identifierref") == after.xpath("//@identifier | //@identifierref")


def test_must14_series_has_one_non_launchable_root_item(course):
    root = etree.fromstring(build(course, list(course.modules), series=True))
    top = root.xpath("//cp:organization/cp:item", namespaces=NS)
    assert len(top) == 1 and top[0].get("identifierref") is None
    children = top[0].xpath("cp:item/@identifierref", namespaces=NS)
    assert children == [f"RES-{mod.id}" for mod in course.modules]


def test_single_module_package_has_no_root_wrapper(course):
    root = etree.fromstring(build(course, [course.module("introduction")]))
    assert root.xpath("//cp:organization/cp:item/@identifierref", namespaces=NS) == ["RES-introduction"]


def test_titles_use_default_language_or_the_single_built_language(course):
    en = etree.fromstring(build(course, [course.module("introduction")], langs=("en", "fr")))
    fr = etree.fromstring(build(course, [course.module("introduction")], langs=("fr",)))
    assert en.xpath("string(//cp:item/cp:title)", namespaces=NS) == "Introduction to ECE"
    assert fr.xpath("string(//cp:item/cp:title)", namespaces=NS) == (
        "Introduction aux milieux propices à l’engagement"
    )


def test_mastery_score_only_where_it_equals_the_single_gating_quiz_pass_mark(course):
    def mastery(mod: m.Module) -> list[str]:
        root = etree.fromstring(build(course, [mod]))
        return root.xpath("//adlcp:masteryscore/text()", namespaces=NS)

    assert mastery(course.module("introduction")) == ["80"]
    assert mastery(course.module("patient-partners")) == []  # two quizzes: no single raw score matches
    assert mastery(course.module("leadership")) == []  # no quiz
    assert mastery(course.module("self-assessment")) == []
    ungated = one_page_module(
        "optional-check",
        t("Optional", "Facultatif"),
        (m.QuizBlock(true_false_quiz("opt", 65)),),
        completion=m.Completion(all_pages=True, quiz_passed=False),
    )
    assert mastery(ungated) == []
    gated = one_page_module(
        "strict-check", t("Strict", "Strict"), (m.QuizBlock(true_false_quiz("strict", 65)),)
    )
    assert mastery(gated) == ["65"]


def test_hostile_titles_stay_well_formed_and_schema_valid(course):
    long_title = "A" * 250
    odd = one_page_module("odd", {"en": 'Tab\tand\x07bell <b>&amp;</b> "quotes"', "fr": long_title})
    xml_en = build(course, [odd], langs=("en",))
    assert_valid("scorm12", xml_en)
    assert etree.fromstring(xml_en).xpath("string(//cp:item/cp:title)", namespaces=NS) == (
        'Tab andbell <b>&amp;</b> "quotes"'
    )
    xml_fr = build(course, [odd], langs=("fr",))
    assert_valid("scorm12", xml_fr)
    assert len(etree.fromstring(xml_fr).xpath("string(//cp:item/cp:title)", namespaces=NS)) == 200


def test_file_names_outside_the_safe_set_are_percent_encoded(course):
    mod = course.module("leadership")
    xml = scorm12.manifest(course, [mod], {mod.id: ["index.html", "media/été 1.png"]}, ["en"], False)
    assert_valid("scorm12", xml)
    assert etree.fromstring(xml).xpath("//cp:file/@href", namespaces=NS) == [
        "index.html",
        "media/%C3%A9t%C3%A9%201.png",
    ]
