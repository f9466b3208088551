"""The one build pipeline (pipeline/plan.py): build zips what preview serves; formats, bundle order."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from ece_scorm.pipeline import formats, plan, render
from ece_scorm.preview.server import build_in_memory
from ece_scorm.source.course import load_course

FIXTURE = Path(__file__).parents[1] / "fixtures" / "courses" / "minimal"
MODULES = ("welcome", "practice", "self-check")  # course.yaml order


@pytest.mark.parametrize("fmt", formats.NAMES)
def test_preview_serves_the_files_a_module_build_zips(fmt):
    course, _ = load_course(FIXTURE)
    plans = plan.plan_packages(course, [fmt], course.modules, "module", Path("out"), "")
    zipped: dict[str, bytes] = {}
    for package in plan.make_packages(course, plans, course.languages):
        with zipfile.ZipFile(io.BytesIO(package.zip(epoch=0))) as zf:
            zipped.update((f"{package.plan.modules[0].id}/{n}", zf.read(n)) for n in zf.namelist())
    served = build_in_memory(FIXTURE, fmt, 1)
    assert served.errors == []
    assert served.files == zipped
    assert sorted({p.split("/", 1)[0] for p in served.files}) == sorted(MODULES)


def test_preview_activity_ids_drop_a_trailing_slash_of_the_course_iri(tmp_path):
    source = Path(shutil.copytree(FIXTURE, tmp_path / "course"))
    yaml = source / "course.yaml"
    text = yaml.read_text(encoding="utf-8")
    assert "https://example.org/courses/ece-mini\n" in text
    yaml.write_text(
        text.replace("https://example.org/courses/ece-mini\n", "https://example.org/courses/ece-mini/\n")
    )
    served = build_in_memory(source, "xapi", 1)
    assert served.errors == []
    assert [m["activityId"] for m in served.modules] == [
        f"https://example.org/courses/ece-mini/{m}" for m in MODULES
    ]
    data = served.files["welcome/ece-data.js"].decode()
    assert '"activityId":"https://example.org/courses/ece-mini/welcome"' in data


def test_series_and_module_plans_follow_format_then_course_order():
    course, _ = load_course(FIXTURE)
    plans = plan.plan_packages(course, ["scorm12", "cmi5"], course.modules, None, Path("out"), "-fr")
    assert [(p.fmt, p.series, p.path.name) for p in plans] == [
        ("scorm12", False, "ece-mini-welcome-scorm12-fr.zip"),
        ("scorm12", False, "ece-mini-practice-scorm12-fr.zip"),
        ("scorm12", False, "ece-mini-self-check-scorm12-fr.zip"),
        ("cmi5", True, "ece-mini-series-cmi5-fr.zip"),  # cmi5 defaults to one course, one AU per module
    ]


def test_every_format_module_provides_what_the_format_protocol_names():
    names = {*formats.Format.__annotations__, "manifest"}
    assert names == {
        "NAME",
        "MANIFEST_NAME",
        "DEFAULT_BUNDLE",
        "STATE_LIMIT",
        "LABEL",
        "STATE_ELEMENT",
        "manifest",
    }
    for name in formats.NAMES:
        module = formats.get(name)
        assert name == module.NAME
        assert all(hasattr(module, attr) for attr in names), name
        assert callable(module.manifest), name
    with pytest.raises(KeyError):
        formats.get("scorm3")


def _player_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    player = Path(shutil.copytree(render.RUNTIME, tmp_path / "player"))
    monkeypatch.setattr(render, "RUNTIME", player)
    monkeypatch.setattr(render, "BUNDLE_ORDER", player / "bundle.json")
    return player


def test_bundle_order_is_the_data_beside_the_player(tmp_path, monkeypatch):
    player = _player_copy(tmp_path, monkeypatch)
    order = json.loads((player / "bundle.json").read_text(encoding="utf-8"))
    assert set(order["formats"]) == {"standalone", *formats.NAMES}
    order["formats"]["scorm12"] = ["adapters/scorm12.js"]  # an edit of the data changes the bundle
    (player / "bundle.json").write_text(json.dumps(order), encoding="utf-8")
    header = render.runtime_js("scorm12").split("\n", 1)[0]
    assert header == (
        "/* ece-player (scorm12): i18n.js, state.js, quiz.js, selfassessment.js, completion.js, "
        "blocks.js, adapters/standalone.js, adapters/scorm12.js, core.js */"
    )


def test_a_missing_player_part_fails_the_render(tmp_path, monkeypatch):
    player = _player_copy(tmp_path, monkeypatch)
    (player / "outbox.js").unlink()
    with pytest.raises(render.RenderError, match=r"player part\(s\) outbox.js missing"):
        render.runtime_js("xapi")
    assert render.runtime_js("scorm12")  # a format that does not use the part still builds
