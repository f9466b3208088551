"""Statements become report records by their activity IRIs (ARCHITECTURE §3); junk is ignored, never fatal."""

from __future__ import annotations

import pytest

from ece_scorm.reports.records import Answer, Event, from_statement, parse_period
from ece_scorm.reports.records import ReportError as RecordsError

C = "https://learn.example.org/ece"
V = "http://adlnet.gov/expapi/verbs/"


def _stmt(obj_id: str, verb: str = "answered", **extra) -> dict:
    return {
        "actor": {"mbox": "mailto:a@example.org", "name": "A"},
        "verb": {"id": V + verb},
        "object": {"id": obj_id},
        "timestamp": "2026-02-10T14:00:00Z",
        **extra,
    }


@pytest.mark.parametrize(
    ("obj_id", "interaction"),
    [
        (f"{C}/self-assessment/leadership/l01", "sa.leadership.l01"),
        (f"{C}/self-assessment/prompt/first-step", "sa.first-step"),
        (f"{C}/quiz/intro-check/q1", "q.intro-check.q1"),
        (f"{C}/reflection/why", "r.why"),
    ],
)
def test_interaction_ids_from_iris(obj_id, interaction):
    record = from_statement(_stmt(obj_id, result={"response": "x"}), C)
    assert isinstance(record, Answer) and record.interaction == interaction and record.response == "x"


def test_module_verbs_become_events_and_pages_are_ignored():
    event = from_statement(_stmt(f"{C}/introduction", "passed", result={"score": {"raw": 90}}), C)
    assert isinstance(event, Event)
    assert (event.module, event.verb, event.score) == ("introduction", "passed", 90)
    assert from_statement(_stmt(f"{C}/introduction/page/p1", "experienced"), C) is None
    assert from_statement(_stmt(f"{C}/introduction/page/p1"), C) is None  # an answer must name an interaction
    assert from_statement(_stmt("https://elsewhere.example.org/x/y/z"), C) is None


def test_course_found_from_grouping_when_not_given():
    stmt = _stmt(
        f"{C}/quiz/q/x",
        context={
            "contextActivities": {
                "grouping": [{"id": C, "definition": {"type": "http://adlnet.gov/expapi/activities/course"}}]
            }
        },
    )
    assert from_statement(stmt, None).interaction == "q.q.x"


@pytest.mark.parametrize(
    "junk",
    [
        {},
        {"actor": "x"},
        {"actor": {}, "verb": {}, "object": {}},
        _stmt(f"{C}/quiz/q/x", result="yes"),
        _stmt(f"{C}/quiz/q/x", context=[1, 2]),
        _stmt(
            f"{C}/quiz/q/x", result={"extensions": {f"{C}/xapi/extensions/attempt": "2"}, "success": "yes"}
        ),
        {**_stmt(f"{C}/quiz/q/x"), "timestamp": "not a date"},
        {**_stmt(f"{C}/quiz/q/x"), "verb": {"id": 5}},
    ],
)
def test_malformed_statements_do_not_crash(junk):
    record = from_statement(junk, C)
    assert record is None or isinstance(record, Answer | Event)
    if isinstance(record, Answer):
        assert record.attempt is None
        assert record.success in (None, True, False)


@pytest.mark.parametrize("text", ["2026-01-01", "2026-02-30..2026-03-01", "2026-03-01..2026-01-01", "a..b"])
def test_bad_periods(text):
    with pytest.raises(RecordsError):
        parse_period(text, "--period")
