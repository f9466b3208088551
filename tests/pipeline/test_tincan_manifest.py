"""tincan.xml as mod_tincanlaunch reads it (MUST 26) and as Rustici's launch rules require."""

from __future__ import annotations

import pytest
from lxml import etree

from ece_scorm.errors import BuildFailed, EceError
from ece_scorm.pipeline import formats
from ece_scorm.pipeline.formats import xapi
from tests.support import courses as C

NS = {"t": "http://projecttincan.com/tincan.xsd"}


def _build(module=None, langs=("en", "fr")):
    mod = module or C.two_page_module()
    course = C.xapi_course(mod)
    return course, etree.fromstring(
        xapi.manifest(course, [mod], {mod.id: ["index.html", "ece-data.js"]}, list(langs), series=False)
    )


def test_registry_exposes_xapi_interface():
    mod = formats.get("xapi")
    assert (mod.NAME, mod.MANIFEST_NAME, mod.DEFAULT_BUNDLE, mod.STATE_LIMIT) == (
        "xapi",
        "tincan.xml",
        "module",
        None,
    )


def test_activities_is_first_child_and_launchable_activity_first():
    """MUST 26: tincanlaunch reads root -> first child -> first activity positionally."""
    _, root = _build()
    assert root.tag == "{http://projecttincan.com/tincan.xsd}tincan"
    first = root[0]
    assert etree.QName(first).localname == "activities"
    act = first[0]
    assert act.get("id") == "https://learn.example.org/courses/ece/introduction"
    assert act.get("type") == "http://adlnet.gov/expapi/activities/course"
    assert [el.text for el in act.findall("t:launch", NS)] == ["index.html"]
    assert act.find("t:launch", NS).get("lang") == "en"


def test_exactly_one_launch_and_no_prefixes():
    """MUST 26: only one activity may carry <launch>; Moodle's parser matches qualified names."""
    _, root = _build()
    assert len(root.findall(".//t:launch", NS)) == 1
    text = etree.tostring(root).decode()
    assert "<tincan xmlns=" in text
    assert all(":" not in el.tag.split("}")[1] for el in root.iter())
    assert root.nsmap == {None: "http://projecttincan.com/tincan.xsd"}


def test_names_and_descriptions_per_language_as_plain_text():
    _, root = _build()
    act = root[0][0]
    names = {n.get("lang"): n.text for n in act.findall("t:name", NS)}
    descs = {d.get("lang"): d.text for d in act.findall("t:description", NS)}
    assert names == {"en": "Module introduction & more", "fr": "Module introduction et plus"}
    # Markdown emphasis is dropped; the literal "<" is text, escaped by the serializer.
    assert descs["en"] == "Learn why engagement matters: 5 < 6."
    assert descs["fr"] == "Apprendre pourquoi l’engagement compte."


def test_language_subset_only_lists_requested_languages():
    _, root = _build(langs=("fr",))
    act = root[0][0]
    assert [n.get("lang") for n in act.findall("t:name", NS)] == ["fr"]
    assert act.find("t:launch", NS).get("lang") == "fr"


def test_pages_and_questions_listed_with_architecture_iris():
    """ARCHITECTURE §3 IRIs; interaction definitions match what the runtime sends."""
    _, root = _build()
    ids = [a.get("id") for a in root.findall("t:activities/t:activity", NS)]
    base = "https://learn.example.org/courses/ece"
    assert ids == [
        f"{base}/introduction",
        f"{base}/introduction/page/welcome",
        f"{base}/introduction/page/check",
        f"{base}/quiz/intro-check/pillars",
        f"{base}/quiz/intro-check/who",
        f"{base}/quiz/intro-check/lead",
    ]
    who = root.find(f"t:activities/t:activity[@id='{base}/quiz/intro-check/who']", NS)
    assert who.findtext("t:interactionType", namespaces=NS) == "choice"
    # choices in authored order: a, c are correct -> "a[,]c"
    assert who.findtext("t:correctResponsePatterns/t:correctResponsePattern", namespaces=NS) == "a[,]c"
    comps = who.findall("t:choices/t:component", NS)
    assert [c.findtext("t:id", namespaces=NS) for c in comps] == ["a", "b", "c"]
    assert {d.get("lang"): d.text for d in comps[1].findall("t:description", NS)} == {
        "en": "Staff",
        "fr": "Personnel",
    }
    lead = root.find(f"t:activities/t:activity[@id='{base}/quiz/intro-check/lead']", NS)
    assert lead.findtext("t:interactionType", namespaces=NS) == "true-false"
    assert lead.findtext("t:correctResponsePatterns/t:correctResponsePattern", namespaces=NS) == "true"


def test_every_activity_id_is_absolute_and_typed():
    _, root = _build(C.self_assessment_module())
    for act in root.iter("{http://projecttincan.com/tincan.xsd}activity"):
        assert act.get("id").startswith("https://")
        assert act.get("type").startswith("http://adlnet.gov/expapi/activities/")
        assert act.find("t:name", NS) is not None


def test_utf8_declaration_and_literal_non_ascii():
    course = C.xapi_course(C.two_page_module())
    data = xapi.manifest(course, [course.modules[0]], {"introduction": ["index.html"]}, ["en", "fr"], False)
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert "l’engagement".encode() in data and b"&#" not in data


def test_series_bundle_is_refused_with_a_clear_message():
    course = C.xapi_course()
    with pytest.raises(BuildFailed) as err:
        xapi.manifest(
            course,
            course.modules,
            {m.id: [f"{m.id}/index.html"] for m in course.modules},
            ["en", "fr"],
            series=True,
        )
    assert isinstance(err.value, EceError)
    assert "--bundle module" in err.value.message


def test_missing_launch_file_is_refused():
    """MUST 3: never point <launch> at a file that is not in the zip."""
    course = C.xapi_course(C.two_page_module())
    with pytest.raises(BuildFailed, match="index.html was not rendered"):
        xapi.manifest(course, list(course.modules), {"introduction": ["ece-data.js"]}, ["en"], False)


@pytest.mark.parametrize(
    ("md", "text"),
    [
        ("**Bold** and _it_", "Bold and it"),
        ("Line one\nline two", "Line one line two"),
        ("- a\n- b", "a b"),
        ("[link](https://x.org) `code`", "link code"),
        ("", ""),
    ],
)
def test_plain_text_of_markdown(md, text):
    assert xapi.plain_text(md) == text
