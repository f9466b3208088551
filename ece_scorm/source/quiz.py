"""Validate one quiz file (quizzes/<id>.yaml) into a model.Quiz."""

from __future__ import annotations

from ece_scorm.model import Choice, LangText, Question, Quiz
from ece_scorm.source.fields import Fields
from ece_scorm.source.yaml_reader import Map, Node, Scalar, Seq, kind_of

QUIZ_KEYS = ("id", "title", "intro", "passing_score", "attempts", "questions")
QUESTION_KEYS = ("id", "type", "prompt", "choices", "answer", "feedback")
CHOICE_KEYS = ("id", "text", "feedback")
KINDS = ("single", "multiple", "true_false")

# Labels of the generated true/false choices, by primary language subtag (English for the others).
_TRUE_FALSE = {"true": {"en": "True", "fr": "Vrai"}, "false": {"en": "False", "fr": "Faux"}}


def read_quiz(f: Fields, node: Node | None, stem: str, mastery: int) -> Quiz | None:
    """Return the quiz in a parsed quiz file (its id must match the file name), or None."""
    m = f.mapping(node, "quiz", "quiz", QUIZ_KEYS, ("title", "questions"))
    if m is None:
        return None
    qid = f.ident(m, "id", "quiz id")
    if qid is not None and qid != stem:
        f.error(m.get("id") or m, f"quiz id '{qid}' does not match its file name '{stem}.yaml'")
    attempts = f.integer(m, "attempts", 0)
    if attempts is not None and attempts < 0:
        f.error(m.get("attempts") or m, f"'attempts' must be 0 (unlimited) or more (got {attempts})")
        attempts = 0
    questions: list[Question] = []
    seen: dict[str, Node] = {}  # question id -> its id node
    for qnode in f.items(m, "questions", required=True, min_items=1, too_few="quiz has no questions"):
        q = _question(f, qnode)
        if q is None:
            continue
        where = qnode.get("id") if isinstance(qnode, Map) else None
        if where is None:
            continue
        if q.id in seen:
            f.error(where, f"duplicate question id '{q.id}' (first defined at {seen[q.id].loc})")
            continue
        seen[q.id] = where
        questions.append(q)
    return Quiz(
        id=stem,
        title=f.text(m, "title") or f.blank(),
        passing_score=f.percent(m, "passing_score", mastery),
        attempts=attempts or 0,
        questions=tuple(questions),
        intro=f.text(m, "intro"),
        loc=m.loc,
    )


def _question(f: Fields, node: Node) -> Question | None:
    """Return one question, checking its answer against its choices."""
    m = f.mapping(node, "questions", "question", QUESTION_KEYS, ("id", "type", "prompt", "answer"))
    if m is None:
        return None
    qid = f.ident(m, "id", "question id")
    kind = f.string(m, "type")
    if kind is not None and kind not in KINDS:
        f.one_of(m.get("type") or m, "question type", kind, KINDS)
        kind = None
    prompt = f.text(m, "prompt") or f.blank()
    if kind is None or qid is None:
        return None
    generated = kind == "true_false" and "choices" not in m.entries
    fb_keys = ("correct", "incorrect", "true", "false") if generated else ("correct", "incorrect")
    fb = f.mapping(m.get("feedback"), "feedback", "question feedback", fb_keys)
    feedback: dict[str, LangText | None] = {k: f.text(fb, k) if fb else None for k in fb_keys}

    if generated:
        choices = [
            Choice(id=cid, text=_true_false_label(f.languages, cid), feedback=feedback[cid])
            for cid in ("true", "false")
        ]
    else:
        listed = _choices(f, m)
        if listed is None:
            return None
        choices = listed
        if kind == "true_false" and sorted(c.id for c in choices) != ["false", "true"]:
            f.error(m.get("choices") or m, "true_false choices must have exactly the ids true and false")
            return None
    correct = _answer(f, m, kind, [c.id for c in choices])
    if correct is None:
        return None
    return Question(
        id=qid,
        kind=kind,  # type: ignore[arg-type]  # one of KINDS, checked above
        prompt=prompt,
        choices=tuple(choices),
        correct=frozenset(correct),
        feedback_correct=feedback["correct"],
        feedback_incorrect=feedback["incorrect"],
        loc=m.loc,
    )


def _true_false_label(languages: tuple[str, ...], cid: str) -> LangText:
    """Return the generated label of a true/false choice in every course language."""
    labels = _TRUE_FALSE[cid]
    return {lang: labels.get(lang.split("-")[0].lower(), labels["en"]) for lang in languages}


def _choices(f: Fields, m: Map) -> list[Choice] | None:
    """Return the choices of a question (at least two, unique ids), or None when they are unusable."""
    node = m.get("choices")
    if node is None:
        f.error(m, "missing required key 'choices' in question")
        return None
    out: list[Choice] = []
    seen: dict[str, Choice] = {}
    ok = True
    for cnode in f.items(
        m, "choices", required=True, min_items=2, too_few="question needs at least 2 choices (got {n})"
    ):
        c = f.mapping(cnode, "choices", "choice", CHOICE_KEYS, ("id", "text"))
        if c is None:
            ok = False
            continue
        cid = f.ident(c, "id", "choice id")
        text = f.text(c, "text") or f.blank()
        if cid is None:
            ok = False
            continue
        if cid in seen:
            f.error(c.get("id") or c, f"duplicate choice id '{cid}' (first defined at {seen[cid].loc})")
            continue
        choice = Choice(id=cid, text=text, feedback=f.text(c, "feedback"), loc=(c.get("id") or c).loc)
        seen[cid] = choice
        out.append(choice)
    return out if ok and isinstance(node, Seq) and len(out) >= 2 else None


def _answer(f: Fields, m: Map, kind: str, choice_ids: list[str]) -> list[str] | None:
    """Return the correct choice ids, checking them against the question type and the choices."""
    node = m.get("answer")
    if node is None:
        return None
    if kind == "true_false":
        if isinstance(node, Scalar) and isinstance(node.value, bool):
            return ["true" if node.value else "false"]
        f.error(node, f"true_false answer must be true or false (got {_show(node)})")
        return None
    nodes = node.items if isinstance(node, Seq) else [node]
    ids: list[str] = []
    for n in nodes:
        if not isinstance(n, Scalar) or n.value is None or isinstance(n.value, float):
            f.wrong_type(n, "answer", "a choice id")
            return None
        if n.raw not in choice_ids:
            f.error(n, f"answer '{n.raw}' is not one of the choices ({', '.join(choice_ids)})")
            return None
        if n.raw in ids:
            f.error(n, f"answer '{n.raw}' is listed twice")
            return None
        ids.append(n.raw)
    if kind == "single" and len(ids) != 1:
        f.error(node, f"single-choice question must have exactly one answer (got {len(ids)})")
        return None
    if kind == "multiple" and not ids:
        f.error(node, "multiple-choice question needs at least one answer")
        return None
    return ids


def _show(node: Node) -> str:
    """Describe a value for a message: the scalar as written, or its kind."""
    if isinstance(node, Scalar) and node.value is not None:
        return f"'{node.raw}'" if isinstance(node.value, str) else node.raw
    return kind_of(node)
