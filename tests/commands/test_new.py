"""`ece-scorm new`: a minimal bilingual course that validates, builds, and whose packages validate clean."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from ece_scorm.cli import cli
from ece_scorm.model import ReflectionBlock, TextBlock
from ece_scorm.source.course import load_course


def run(*args: str):
    """Run the CLI as a user would."""
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def texts(value) -> list[dict]:
    """Return every language map inside a model object (dataclasses, tuples, mappings)."""
    out = []
    if isinstance(value, dict) or (hasattr(value, "keys") and hasattr(value, "items")):
        if set(value.keys()) == {"en", "fr"} and all(isinstance(v, str) for v in value.values()):
            return [dict(value)]
        for v in value.values():
            out += texts(v)
    elif isinstance(value, (tuple, list, frozenset)):
        for v in value:
            out += texts(v)
    elif hasattr(value, "__dataclass_fields__"):
        for name in value.__dataclass_fields__:
            out += texts(getattr(value, name))
    return out


def test_new_course_is_minimal_bilingual_valid_and_builds(tmp_path):
    target = tmp_path / "Cours d’essai"
    result = run("new", str(target))
    assert result.exit_code == 0, result.output
    course, warnings = load_course(target, strict=True)
    assert warnings == []
    assert course.id == "https://example.org/courses/cours-d-essai"
    assert course.languages == ("en", "fr")
    [module] = course.modules
    blocks = [b for p in module.pages for b in p.blocks]
    assert any(isinstance(b, TextBlock) for b in blocks)
    [quiz] = module.quizzes()
    assert len(quiz.questions) == 2
    assert len([b for b in blocks if isinstance(b, ReflectionBlock)]) == 1
    # Both languages are really written: no French text is a copy of the English one.
    maps = [m for m in texts(course) if m["en"].strip()]
    assert len(maps) > 20
    copies = [m["en"] for m in maps if m["en"] == m["fr"]]
    assert copies == [], copies

    validate = run("validate", "--strict", str(target))
    assert validate.exit_code == 0 and "0 error(s), 0 warning(s)" in validate.output

    out = tmp_path / "build"
    built = run("build", str(target), "--format", "all", "--out", str(out))
    assert built.exit_code == 0, built.output
    zips = sorted(out.glob("*.zip"))
    assert len(zips) == 4
    for z in zips:
        report = json.loads(run("validate", "--json", "--strict", str(z)).output)
        assert report["issues"] == [], (z.name, report["issues"])


def test_new_refuses_a_non_empty_folder_and_writes_nothing(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    result = CliRunner().invoke(cli, ["new", str(tmp_path)])
    assert result.exit_code == 1
    assert "is not empty" in result.output and "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_new_accepts_an_existing_empty_folder_and_refuses_a_file(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run("new", str(empty)).exit_code == 0
    assert (empty / "course.yaml").is_file() and (empty / "modules" / "getting-started.yaml").is_file()
    afile = tmp_path / "file"
    afile.write_text("x")
    result = CliRunner().invoke(cli, ["new", str(afile)])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert Path(afile).read_text() == "x"
