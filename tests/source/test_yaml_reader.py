"""Unit tests for the YAML reader: located nodes, YAML 1.2 scalars, refused YAML features, file limits."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from ece_scorm.errors import Location
from ece_scorm.source import yaml_reader as source
from ece_scorm.source.yaml_reader import Map, Scalar, Seq, SourceTree, decode, parse_yaml


@pytest.fixture(params=["libyaml", "pure-python"])
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with libyaml and again with PyYAML's pure-Python parser (used when libyaml is absent)."""
    if request.param == "pure-python":
        monkeypatch.setitem(sys.modules, "yaml._yaml", None)  # makes `from yaml._yaml import …` fail
    else:
        pytest.importorskip("yaml._yaml", reason="libyaml is part of the PyYAML wheel on this platform")
    return request.param


def parse_ok(text: str) -> Map:
    root, issues = parse_yaml(text, "f.yaml")
    assert issues == []
    assert isinstance(root, Map)
    return root


def only_issue(text: str) -> str:
    root, issues = parse_yaml(text, "f.yaml")
    assert root is None
    assert len(issues) == 1 and issues[0].level == "error"
    return str(issues[0])


def test_marks_are_one_based_file_line_col(backend: str) -> None:
    root = parse_ok("title: x\npages:\n  - id: é1\n    tags: [a, bb]\n")
    assert root.loc == Location("f.yaml", 1, 1)
    pages = root.get("pages")
    assert isinstance(pages, Seq) and pages.loc == Location("f.yaml", 3, 3)
    page = pages.items[0]
    assert isinstance(page, Map)
    key, value = page.entries["id"]
    assert (key.loc.line, key.loc.col, value.loc.col) == (3, 5, 9)
    tags = page.get("tags")
    assert isinstance(tags, Seq)
    assert [(t.loc.line, t.loc.col) for t in tags.items] == [(4, 12), (4, 15)]  # columns count characters


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yes", "yes"),
        ("no", "no"),
        ("on", "on"),
        ("off", "off"),
        ("Yes", "Yes"),
        ("y", "y"),
        ("true", True),
        ("false", False),
        ("True", True),
        ("FALSE", False),
        ("null", None),
        ("~", None),
        ("", None),
        ("42", 42),
        ("-7", -7),
        ("010", 10),
        ("0o17", 15),
        ("0x1F", 31),
        ("1_000", "1_000"),
        ("1.5", 1.5),
        ("1e3", 1000.0),
        ("1.0.0", "1.0.0"),
        ("2026-11-23", "2026-11-23"),
        ('"true"', "true"),
        ("'42'", "42"),
        ("!!str 5", "5"),
        ("!!float 3", 3.0),
        ("!!bool true", True),
    ],
)
def test_scalars_follow_the_yaml_1_2_core_schema(backend: str, text: str, expected: object) -> None:
    value = parse_ok(f"v: {text}\n").get("v")
    assert isinstance(value, Scalar)
    assert value.value == expected and type(value.value) is type(expected)


def test_raw_text_is_kept_for_ids(backend: str) -> None:
    value = parse_ok("id: 01\n").get("id")
    assert isinstance(value, Scalar) and value.value == 1 and value.raw == "01"


def test_anchor_is_refused_at_its_place(backend: str) -> None:
    assert (
        only_issue("a: 1\nb: &x [1, 2]\nc: *x\n")
        == "f.yaml:2:4: error: YAML anchors (&x) are not allowed; write the value out in full"
    )


def test_alias_bomb_is_refused_quickly(backend: str) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        refs = ",".join([f"*{prev}"] * 9)
        lines.append(f"{name}: &{name} [{refs}]")
    started = time.perf_counter()
    message = only_issue("\n".join(lines) + "\n")
    assert time.perf_counter() - started < 1.0
    assert message.startswith("f.yaml:1:4: error: YAML anchors (&a) are not allowed")


def test_merge_key_is_refused(backend: str) -> None:
    assert (
        only_issue("base:\n  x: 1\nother:\n  <<: {x: 2}\n")
        == "f.yaml:4:3: error: YAML merge keys (<<) are not allowed; write the keys out in full"
    )


def test_quoted_merge_key_is_an_ordinary_key(backend: str) -> None:
    assert "<<" in parse_ok('"<<": 1\n').entries


def test_syntax_error_is_located_not_raised(backend: str) -> None:
    message = only_issue("title: x\npages: [a, b\nnext: 1\n")
    assert message.startswith("f.yaml:3:")
    assert "invalid YAML" in message and "while parsing a flow sequence at line 2" in message


def test_bad_indentation_is_located(backend: str) -> None:
    message = only_issue("a:\n  b: 1\n c: 2\n")
    assert message.startswith("f.yaml:3:2: error: invalid YAML:")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "x: !!python/object/apply:os.system [echo]\n",
            "f.yaml:1:4: error: YAML tag '!!python/object/apply:os.system' is not allowed",
        ),
        (
            "x: !!python/name:os.system ''\n",
            "f.yaml:1:4: error: YAML tag '!!python/name:os.system' is not allowed",
        ),
        ("x: !custom 1\n", "f.yaml:1:4: error: YAML tag '!custom' is not allowed"),
        ("x: !!binary aGk=\n", "f.yaml:1:4: error: YAML tag '!!binary' is not allowed"),
        ("x: !!int nope\n", "f.yaml:1:4: error: 'nope' is not a valid !!int value"),
    ],
)
def test_tags_outside_the_core_schema_are_refused(backend: str, text: str, expected: str) -> None:
    assert only_issue(text) == expected


def test_only_one_document(backend: str) -> None:
    assert (
        only_issue("a: 1\n---\nb: 2\n")
        == "f.yaml:2:1: error: only one YAML document per file is allowed (remove the '---')"
    )


def test_duplicate_keys_are_reported_and_the_first_is_kept(backend: str) -> None:
    root, issues = parse_yaml("a: 1\nb: 2\na: 3\n", "f.yaml")
    assert [str(i) for i in issues] == ["f.yaml:3:1: error: duplicate key 'a' (first defined at f.yaml:1:1)"]
    assert isinstance(root, Map) and root.get("a").value == 1  # type: ignore[union-attr]


def test_complex_keys_are_refused(backend: str) -> None:
    assert (
        only_issue("? [a, b]\n: 1\n") == "f.yaml:1:3: error: mapping keys must be text, not lists or mappings"
    )


def test_deep_nesting_is_refused(backend: str) -> None:
    message = only_issue("[" * 200 + "]" * 200 + "\n")
    depth = source.MAX_DEPTH
    assert message == f"f.yaml:1:{depth + 1}: error: values are nested more than {depth} levels deep"


def test_control_character_is_located(backend: str) -> None:
    assert (
        only_issue("a: ok\nb: x\x07y\n") == "f.yaml:2:5: error: invalid YAML: character U+0007 is not allowed"
    )


def test_empty_document_is_no_node() -> None:
    assert parse_yaml("# only a comment\n", "f.yaml") == (None, [])


def test_decode_reports_the_first_bad_byte() -> None:
    text, issues = decode("a: 1\nbé: Caf".encode() + b"\xe9\n", "f.yaml")
    assert text is None
    assert [str(i) for i in issues] == ["f.yaml:2:8: error: file is not UTF-8 (byte 0xE9); save it as UTF-8"]


def test_decode_strips_a_byte_order_mark() -> None:
    assert decode("\ufeffa: 1\n".encode(), "f.yaml") == ("a: 1\n", [])


def test_file_size_is_capped(tmp_path: Path) -> None:
    (tmp_path / "big.yaml").write_bytes(b"a: " + b"x" * source.MAX_FILE_BYTES + b"\n")
    root, issues = SourceTree(tmp_path).load_yaml("big.yaml")
    assert root is None
    assert len(issues) == 1 and "file is too large" in issues[0].message and issues[0].level == "error"


def test_tree_reads_each_file_once(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("x: 1\n", encoding="utf-8")
    tree = SourceTree(tmp_path)
    first = tree.load_yaml("a.yaml")
    (tmp_path / "a.yaml").write_text("x: 2\n", encoding="utf-8")
    assert tree.load_yaml("a.yaml") is first


def test_tree_display_keeps_the_path_as_typed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "course_source" / "modules").mkdir(parents=True)
    (tmp_path / "course_source" / "modules" / "02.yaml").write_text("a: [\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    tree = SourceTree(Path("course_source"))
    assert tree.display("modules/02.yaml") == "course_source/modules/02.yaml"
    _, issues = tree.load_yaml("modules/02.yaml")
    assert str(issues[0]).startswith("course_source/modules/02.yaml:2:1: error: invalid YAML")
    assert SourceTree(Path(".")).display("course.yaml") == "course.yaml"


def test_tree_find_is_exact_about_case(tmp_path: Path) -> None:
    (tmp_path / "media" / "Sub").mkdir(parents=True)
    (tmp_path / "media" / "Sub" / "Photo.svg").write_text("<svg/>", encoding="utf-8")
    tree = SourceTree(tmp_path)
    assert tree.find("media/Sub/Photo.svg") == ("ok", "media/Sub/Photo.svg")
    assert tree.find("media/sub/Photo.svg") == ("case", "media/Sub/Photo.svg")
    assert tree.find("Media/Sub/photo.svg") == ("case", "media/Sub/photo.svg")  # first mismatch is reported
    assert tree.find("media/Sub/Other.svg") == ("missing", None)
    assert tree.find("media/Sub") == ("dir", "media/Sub")
    assert tree.find("media/Sub/Photo.svg/x") == ("missing", None)
    assert tree.find(".") == ("dir", ".")


def test_tree_detects_links_leaving_the_folder(tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("secret", encoding="utf-8")
    course = tmp_path / "course"
    (course / "media").mkdir(parents=True)
    (course / "media" / "link.svg").symlink_to(outside)
    (course / "media" / "ok.svg").write_text("<svg/>", encoding="utf-8")
    tree = SourceTree(course)
    assert tree.find("media/link.svg")[0] == "ok"
    assert not tree.inside("media/link.svg")
    assert tree.inside("media/ok.svg")
    (course / "course.yaml").symlink_to(outside)
    root, issues = tree.load_yaml("course.yaml")
    assert root is None
    message = "error: file is a link leading outside the course folder"
    assert [str(i) for i in issues] == [f"{course / 'course.yaml'}: {message}"]
