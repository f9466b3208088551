"""Turn a course source folder into a model.Course, or report every problem at once.

Shape is checked file by file as each is read (types, keys, ids, texts, media); cross-references
(module files, quiz refs, the self-assessment) are resolved as modules are read, and course-wide
checks (unused quizzes, id clashes) run last. All issues are returned sorted by file and line.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from ece_scorm import themes
from ece_scorm.errors import Issue, Location, SourceInvalid, as_errors, sort_issues
from ece_scorm.model import Course, Module, Quiz, SelfAssessment
from ece_scorm.safe import split_url
from ece_scorm.source.fields import ID_MAX, ID_RE, Fields
from ece_scorm.source.module import Refs, read_module
from ece_scorm.source.quiz import read_quiz
from ece_scorm.source.self_assessment import read_self_assessment, self_assessment_module
from ece_scorm.source.yaml_reader import Map, Node, SourceTree

COURSE_KEYS = (
    "id",
    "title",
    "description",
    "version",
    "languages",
    "default_language",
    "mastery_score",
    "publisher",
    "contact",
    "modules",
    "self_assessment",
)
COURSE_REQUIRED = ("id", "title", "languages", "modules")
# BCP 47-ish: a 2-3 letter language, an optional script (Latn), an optional region (CA, 419).
LANG_RE = re.compile(r"^[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|[0-9]{3}))?$")
DEFAULT_MASTERY = 80


def load_course(source_dir: Path, *, strict: bool = False) -> tuple[Course, list[Issue]]:
    """Return (course, warnings) for a source folder, or raise SourceInvalid listing every issue."""
    tree = SourceTree(source_dir)
    f = Fields()
    course = _read_course(f, tree)
    issues = f.issues
    if course is not None:
        issues += themes.course_theme_issues(source_dir)  # the theme the build would render with
    if strict:
        issues = as_errors(issues)
    if course is None or any(i.level == "error" for i in issues):
        if not any(i.level == "error" for i in issues):  # cannot happen, but never return a half course
            issues.append(Issue(Location(str(source_dir)), "error", "the course could not be read"))
        raise SourceInvalid(issues)
    return course, sort_issues(issues)


def _load(f: Fields, tree: SourceTree, rel: str) -> Node | None:
    """Parse one file of the source, recording its YAML issues; an empty file is an error."""
    node, issues = tree.load_yaml(rel)
    f.issues.extend(issues)
    if node is None and not issues:
        f.error(Location(tree.display(rel), 1, 1), "file is empty")
    return node


def _read_course(f: Fields, tree: SourceTree) -> Course | None:
    """Read course.yaml, then the self-assessment, the quizzes and the modules it lists."""
    if tree.list_dir("") is None:
        f.error(Location(str(tree.root)), "course source folder not found")
        return None
    status, on_disk = tree.find("course.yaml")
    if status != "ok":
        extra = f" (found '{on_disk}'; letter case must match)" if status == "case" else ""
        f.error(Location(tree.display("course.yaml")), f"course.yaml not found in the source folder{extra}")
        return None
    m = f.mapping(_load(f, tree, "course.yaml"), "course.yaml", "course", COURSE_KEYS, COURSE_REQUIRED)
    if m is None:
        return None
    f.languages = _languages(f, m)
    default_language = f.string(m, "default_language", f.languages[0]) or f.languages[0]
    if default_language not in f.languages:
        f.error(
            m.get("default_language") or m,
            f"default_language '{default_language}' is not one of the "
            f"course languages ({', '.join(f.languages)})",
        )
        default_language = f.languages[0]
    course_id = _course_id(f, m)
    mastery = f.percent(m, "mastery_score", DEFAULT_MASTERY)

    sa = None
    sa_rel = _course_file(f, tree, m, "self_assessment", "self-assessment file")
    if sa_rel is not None:
        sa = read_self_assessment(f, _load(f, tree, sa_rel))
    refs = Refs(
        tree=tree,
        quizzes=_read_quizzes(f, tree, mastery),
        self_assessment=sa,
        self_assessment_declared="self_assessment" in m.entries,
    )
    modules = _read_modules(f, tree, m, refs)
    _course_wide_checks(f, refs, modules, sa)
    if sa is not None:
        modules.append(self_assessment_module(sa))
    return Course(
        id=course_id,
        title=f.text(m, "title") or f.blank(),
        description=f.text(m, "description") or f.blank(),
        version=_version(f, m),
        languages=f.languages,
        default_language=default_language,
        mastery_score=mastery,
        modules=tuple(modules),
        publisher=f.text(m, "publisher"),
        contact=f.string(m, "contact"),
        source_dir=tree.root,
        loc=m.loc,
    )


def _languages(f: Fields, m: Map) -> tuple[str, ...]:
    """Return the declared language codes (the valid ones; English when none is usable)."""
    langs: list[str] = []
    for node in f.items(m, "languages", required=True, min_items=1, too_few="course declares no languages"):
        code = f.string_node(node, "languages")
        if code is None:
            continue
        if not LANG_RE.match(code):
            f.error(node, f"unknown language code '{code}' (use a BCP 47 tag such as en, fr or fr-CA)")
        elif code in langs:
            f.error(node, f"language '{code}' is listed twice")
        else:
            langs.append(code)
    return tuple(langs) or ("en",)


def _course_id(f: Fields, m: Map) -> str:
    """Return the course IRI: absolute http(s), no query or fragment (activity ids derive from it)."""
    value = f.string(m, "id") or ""
    parts = split_url(value)
    if "id" in m.entries and (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.netloc
        or parts.query
        or parts.fragment
        or any(ch.isspace() for ch in value)
    ):
        f.error(
            m.get("id") or m,
            f"course id must be an absolute http(s) IRI without query or fragment (got '{value}')",
        )
    return value


def _version(f: Fields, m: Map) -> str:
    """Return the course version as text ("1.0.0"); a bare number would lose digits, so it is refused."""
    return f.string(m, "version", "1.0.0") or "1.0.0"


def _course_file(f: Fields, tree: SourceTree, m: Map, key: str, what: str) -> str | None:
    """Return the relative path under key if it names an existing file inside the course folder."""
    node = m.get(key)
    raw = f.string(m, key)
    if raw is None or node is None:
        return None
    path = PurePosixPath(raw)
    if raw.startswith("/") or "\\" in raw or ".." in path.parts or not raw.strip():
        f.error(node, f"{what} '{raw}' must be a relative path inside the course folder")
        return None
    status, on_disk = tree.find(str(path))
    if status == "case":
        f.error(node, f"{what} '{raw}' not found (found '{on_disk}'; letter case must match)", "MUST 3")
    elif status != "ok":
        f.error(node, f"{what} '{raw}' not found")
    else:
        return str(path)
    return None


def _read_quizzes(f: Fields, tree: SourceTree, mastery: int) -> dict[str, Quiz | None]:
    """Read every quizzes/<id>.yaml (unused ones are reported later)."""
    quizzes: dict[str, Quiz | None] = {}
    for name, is_dir in sorted((tree.list_dir("quizzes") or {}).items()):
        rel = f"quizzes/{name}"
        if is_dir or name.startswith("."):
            continue
        if not name.endswith(".yaml"):
            f.warn(Location(tree.display(rel)), "ignored: quiz files must be named <quiz-id>.yaml")
            continue
        stem = name[: -len(".yaml")]
        if not ID_RE.match(stem) or len(stem) > ID_MAX:
            f.error(
                Location(tree.display(rel)),
                f"quiz file name '{name}' is not a valid id "
                f"(use a-z, 0-9 and '-', at most {ID_MAX} characters)",
            )
            continue
        quizzes[stem] = read_quiz(f, _load(f, tree, rel), stem, mastery)
    return quizzes


def _read_modules(f: Fields, tree: SourceTree, m: Map, refs: Refs) -> list[Module]:
    """Read each module file listed in course.yaml, in order."""
    modules: list[Module] = []
    seen: dict[str, Location] = {}
    for node in f.items(m, "modules", required=True, min_items=1, too_few="course lists no modules"):
        mid = f.ident_node(node, "modules", "module id")
        if mid is None:
            continue
        if mid in seen:
            f.error(node, f"duplicate module id '{mid}' (first listed at {seen[mid]})")
            continue
        seen[mid] = node.loc
        rel = f"modules/{mid}.yaml"
        status, on_disk = tree.find(rel)
        if status == "case":
            f.error(
                node, f"module file '{rel}' not found (found '{on_disk}'; letter case must match)", "MUST 3"
            )
        elif status != "ok":
            f.error(node, f"module file '{rel}' not found")
        else:
            module = read_module(f, refs, _load(f, tree, rel), mid)
            if module is not None:
                modules.append(module)
    return modules


def _course_wide_checks(f: Fields, refs: Refs, modules: list[Module], sa: SelfAssessment | None) -> None:
    """Report quizzes no module uses and a self-assessment id that clashes with a module id."""
    for qid, quiz in refs.quizzes.items():
        if quiz is not None and qid not in refs.quiz_uses:
            f.warn(quiz.loc, f"quiz '{qid}' is not used by any module")
    if sa is not None:
        for module in modules:
            if module.id == sa.id:
                f.error(sa.loc, f"self-assessment id '{module.id}' is also a module id")
