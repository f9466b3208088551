"""Learner events of docs/ARCHITECTURE.md §5, built by hand for the SCORM adapter tests."""

from __future__ import annotations

CHOICES = [{"id": i, "text": {"en": i, "fr": i}} for i in ("alpha", "beta-2", "gamma", "delta")]
TRUE_FALSE = [
    {"id": "true", "text": {"en": "True", "fr": "Vrai"}},
    {"id": "false", "text": {"en": "False", "fr": "Faux"}},
]
TS = "2026-11-23T14:05:09.000Z"


def choice(qid: str, response: list[str], correct: list[str], *, kind: str = "choice") -> dict:
    """Return an answer event for quiz `check`, question `qid` (latency 83.456 s)."""
    return {
        "type": "answer",
        "kind": kind,
        "quizId": "check",
        "questionId": qid,
        "interactionId": f"q.check.{qid}",
        "prompt": {"en": "Q?", "fr": "Q ?"},
        "choices": CHOICES if kind == "choice" else TRUE_FALSE,
        "response": response,
        "correct": correct,
        "success": sorted(response) == sorted(correct),
        "attempt": 1,
        "latencyMs": 83_456,
        "timestamp": TS,
    }


def text(rid: str, body: str) -> dict:
    """Return a reflection answer event."""
    return {
        "type": "answer",
        "kind": "text",
        "promptId": rid,
        "interactionId": f"r.{rid}",
        "prompt": {"en": "Reflect", "fr": "Réfléchir"},
        "response": body,
        "timestamp": TS,
    }


def likert(pillar: str, item: str, value: str) -> dict:
    """Return a self-assessment answer event."""
    return {
        "type": "answer",
        "kind": "likert",
        "pillarId": pillar,
        "itemId": item,
        "interactionId": f"sa.{pillar}.{item}",
        "prompt": {"en": "Item", "fr": "Énoncé"},
        "scale": [],
        "response": value,
        "timestamp": TS,
    }


def page(page_id: str, index: int, total: int = 4) -> dict:
    """Return a page event."""
    return {"type": "page", "pageId": page_id, "index": index, "total": total, "title": {}}
