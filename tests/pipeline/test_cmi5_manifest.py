"""cmi5.xml valid against the official CourseStructure.xsd (MUST 30), moveOn / masteryScore from the YAML."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from lxml import etree

from ece_scorm.errors import BuildFailed
from ece_scorm.pipeline import formats
from ece_scorm.pipeline.formats import cmi5
from tests.support import courses as C

ROOT = Path(__file__).resolve().parents[2]
XSD = ROOT.parent / "shared" / "schemas" / "cmi5" / "CourseStructure.xsd"
NS = {"c": "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"}
BASE = "https://learn.example.org/courses/ece"


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    if not XSD.is_file():
        pytest.fail(f"official cmi5 schema missing at {XSD}", pytrace=False)
    return etree.XMLSchema(etree.parse(str(XSD)))


def _series(course=None, langs=("en", "fr")) -> bytes:
    course = course or C.xapi_course()
    files = {m.id: [f"{m.id}/index.html", f"{m.id}/ece-data.js"] for m in course.modules}
    return cmi5.manifest(course, list(course.modules), files, list(langs), series=True)


def test_registry_exposes_cmi5_interface():
    mod = formats.get("cmi5")
    assert (mod.NAME, mod.MANIFEST_NAME, mod.DEFAULT_BUNDLE) == ("cmi5", "cmi5.xml", "series")


def test_series_validates_against_official_xsd(schema):
    """MUST 30: CATAPULT rejects any cmi5.xml that does not validate."""
    doc = etree.fromstring(_series())
    assert schema.validate(doc), schema.error_log


def test_single_module_bundle_validates(schema):
    course = C.xapi_course(C.two_page_module())
    data = cmi5.manifest(course, list(course.modules), {"introduction": ["index.html"]}, ["en", "fr"], False)
    doc = etree.fromstring(data)
    assert schema.validate(doc), schema.error_log
    assert doc.findtext("c:au/c:url", namespaces=NS) == "index.html"


def test_one_au_per_module_in_course_order_with_unique_absolute_iris():
    doc = etree.fromstring(_series())
    assert doc.find("c:course", NS).get("id") == BASE
    aus = doc.findall("c:au", NS)
    assert [a.get("id") for a in aus] == [
        f"{BASE}/introduction",
        f"{BASE}/leadership",
        f"{BASE}/self-assessment",
    ]
    assert [a.findtext("c:url", namespaces=NS) for a in aus] == [
        "introduction/index.html",
        "leadership/index.html",
        "self-assessment/index.html",
    ]
    ids = [doc.find("c:course", NS).get("id")] + [a.get("id") for a in aus]
    assert len(set(ids)) == len(ids)


def test_move_on_and_mastery_score_from_the_course():
    """Quiz modules: CompletedAndPassed with the pass mark as 0..1; others and the SA: Completed, no score."""
    doc = etree.fromstring(_series())
    intro, reading, sa = doc.findall("c:au", NS)
    assert (intro.get("moveOn"), intro.get("masteryScore")) == ("CompletedAndPassed", "0.8")
    assert (reading.get("moveOn"), reading.get("masteryScore")) == ("Completed", None)
    assert (sa.get("moveOn"), sa.get("masteryScore")) == ("Completed", None)
    assert sa.get("activityType") == "http://adlnet.gov/expapi/activities/assessment"
    assert intro.get("activityType") == "http://adlnet.gov/expapi/activities/module"


@pytest.mark.parametrize(("percent", "expected"), [(100, "1"), (0, "0"), (75, "0.75"), (67, "0.67")])
def test_mastery_score_written_exactly(percent, expected, schema):
    course = C.xapi_course(C.two_page_module(passing=percent))
    data = cmi5.manifest(course, list(course.modules), {"introduction": ["index.html"]}, ["en"], False)
    doc = etree.fromstring(data)
    assert doc.find("c:au", NS).get("masteryScore") == expected
    assert schema.validate(doc), schema.error_log


def test_langstrings_for_every_language_and_plain_text():
    doc = etree.fromstring(_series())
    for el in doc.iter(f"{{{NS['c']}}}title", f"{{{NS['c']}}}description"):
        langs = [ls.get("lang") for ls in el.findall("c:langstring", NS)]
        assert langs == ["en", "fr"]
    course_desc = doc.find("c:course/c:description", NS)
    assert course_desc.find("c:langstring", NS).text == "About ECE."


def test_no_reserved_launch_parameters_and_relative_urls():
    """MUST 30 / 8.1.0.0-6: url carries no endpoint/fetch/actor/activityId/registration."""
    doc = etree.fromstring(_series())
    for url in doc.findall("c:au/c:url", NS):
        assert "?" not in url.text and "://" not in url.text and not url.text.startswith("/")


def test_no_entity_declarations():
    assert b"<!ENTITY" not in _series()


def test_missing_launch_file_refused():
    course = C.xapi_course(C.two_page_module())
    with pytest.raises(BuildFailed, match="introduction/index.html was not rendered"):
        cmi5.manifest(course, list(course.modules), {"introduction": ["index.html"]}, ["en"], True)


def test_empty_selection_refused():
    with pytest.raises(BuildFailed, match="at least one AU"):
        cmi5.manifest(C.xapi_course(), [], {}, ["en"], True)


def test_module_without_description_is_described_by_its_title(schema):
    mod = dataclasses.replace(C.two_page_module(), description={"en": "", "fr": ""})
    course = C.xapi_course(mod)
    data = cmi5.manifest(course, [mod], {"introduction": ["index.html"]}, ["en", "fr"], False)
    doc = etree.fromstring(data)
    texts = {ls.get("lang"): ls.text for ls in doc.findall("c:au/c:description/c:langstring", NS)}
    assert texts == {"en": "Module introduction & more", "fr": "Module introduction et plus"}
    assert schema.validate(doc), schema.error_log


def test_shipped_ece_course_cmi5_validates_with_one_au_per_module(schema):
    """The real course: four modules with knowledge checks, then the self-assessment AU."""
    from ece_scorm.source.course import load_course

    course, _ = load_course(ROOT / "course_source")
    files = {m.id: [f"{m.id}/index.html"] for m in course.modules}
    doc = etree.fromstring(cmi5.manifest(course, list(course.modules), files, list(course.languages), True))
    assert schema.validate(doc), schema.error_log
    aus = doc.findall("c:au", NS)
    assert [a.get("id") for a in aus] == [course.activity_id(m) for m in course.modules]
    assert len(aus) >= 2 and course.modules[-1].kind == "self_assessment"
    for au, module in zip(aus, course.modules, strict=True):
        if module.kind == "self_assessment":
            assert (au.get("moveOn"), au.get("masteryScore")) == ("Completed", None)
        elif module.quizzes():
            expected = max(q.passing_score for q in module.quizzes()) / 100
            assert au.get("moveOn") == "CompletedAndPassed"
            assert float(au.get("masteryScore")) == expected
        for el in au.iter(f"{{{NS['c']}}}langstring"):
            assert el.get("lang") in ("en", "fr") and el.text.strip()
