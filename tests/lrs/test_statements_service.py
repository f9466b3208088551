"""The shared LRS fixture: a real xapi-statements service on 127.0.0.1 with a clearable store."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.lrs


def _stmt(i: int, who: str) -> dict:
    return {
        "actor": {"mbox": f"mailto:{who}@example.org"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
        "object": {"id": f"https://example.org/course/page/{i}"},
    }


def test_binds_localhost_and_pages_through_agent_filter(fresh_lrs):
    statements = [_stmt(i, "ana" if i % 3 else "ben") for i in range(1203)]
    ids = fresh_lrs.post(statements)
    assert len(ids) == 1203
    ben = fresh_lrs.get_all(agent=json.dumps({"mbox": "mailto:ben@example.org"}), limit="100")
    assert len(ben) == sum(1 for i in range(1203) if i % 3 == 0)
    assert {s["actor"]["mbox"] for s in ben} == {"mailto:ben@example.org"}
    assert fresh_lrs.endpoint.startswith("http://127.0.0.1:")


def test_clear_empties_store(fresh_lrs):
    fresh_lrs.post([_stmt(1, "ana")])
    fresh_lrs.clear()
    assert fresh_lrs.get_all() == []


def test_a_crashed_lrs_is_restarted_for_the_next_test(lrs, request):
    lrs.process.kill()
    lrs.process.wait(timeout=10)
    with pytest.warns(UserWarning, match="restarted it"):
        fresh = request.getfixturevalue("fresh_lrs")
    assert fresh.process.poll() is None
    fresh.post([_stmt(1, "ana")])
    assert len(fresh.get_all()) == 1
