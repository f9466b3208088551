"""Moodle's LMSSetValue / SetValue validators, as docs/LMS-RULES.md states them (MUST 16).

scorm-again, the runtime the tests run, is more lenient than Moodle (e.g. 64,000-character suspend_data and
unlimited student_response in SCORM 1.2, whitespace in 1.2 identifiers). These checks replay every value a
package wrote (the host's call log) against Moodle's rules with "SCORM standards mode" on, the strict case.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

Rule = Callable[[str], bool]
PROBE = "ece-probe:"  # adapters/scorm12.js: the value it writes once at launch to learn what the LMS keeps


def _rx(pattern: str) -> Rule:
    return lambda v: re.fullmatch(pattern, v) is not None  # like Moodle's JS regexes: `.` stops at newlines


def _max(n: int) -> Rule:
    return lambda v: len(v) <= n


def _decimal_in(pattern: str, lo: float, hi: float) -> Rule:
    return lambda v: re.fullmatch(pattern, v) is not None and lo <= float(v) <= hi


def _one_of(*words: str) -> Rule:
    return lambda v: v in words


TIMESPAN_12 = r"([0-9]{2,4}):([0-9]{2}):([0-9]{2})(\.[0-9]{1,2})?"
DECIMAL_12 = r"-?([0-9]{0,3})(\.[0-9]*)?"
RULES_12: list[tuple[str, Rule]] = [
    (r"cmi\.core\.lesson_status", _one_of("passed", "completed", "failed", "incomplete", "browsed")),
    (r"cmi\.core\.score\.(raw|min|max)", _decimal_in(DECIMAL_12, 0, 100)),
    (r"cmi\.core\.exit", _one_of("time-out", "suspend", "logout", "")),
    (r"cmi\.core\.session_time", _rx(TIMESPAN_12)),
    (r"cmi\.core\.lesson_location", _max(255)),
    (r"cmi\.(suspend_data|comments)", _max(4096)),
    (r"cmi\.interactions\.\d+\.id", _rx(r"[\u0021-\u007E]{0,255}")),
    (r"cmi\.interactions\.\d+\.time", _rx(r"([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]{1,2})?")),
    (
        r"cmi\.interactions\.\d+\.type",
        _one_of(
            "true-false", "choice", "fill-in", "matching", "performance", "sequencing", "likert", "numeric"
        ),
    ),
    (r"cmi\.interactions\.\d+\.result", _rx(r"correct|wrong|unanticipated|neutral|-?[0-9]+(\.[0-9]+)?")),
    (r"cmi\.interactions\.\d+\.latency", _rx(TIMESPAN_12)),
    (r"cmi\.interactions\.\d+\.weighting", _decimal_in(r"-?[0-9]+(\.[0-9]+)?", -100, 100)),
    (r"cmi\.interactions\.\d+\.(student_response|correct_responses\.\d+\.pattern)", _max(255)),
]

LANGSTRING = r"(\{lang=([a-zA-Z]{2,3}|i|x)(-[a-zA-Z0-9-]{2,8})?\})?((?!\{).{0,%d})?"
SHORT_ID = r"[A-Za-z0-9_.]{1,250}"  # Moodle's CMIShortIdentifier: JavaScript [\w.]{1,250}
DECIMAL_2004 = r"-?([0-9]{1,5})(\.[0-9]{1,18})?"
TIME_2004 = (
    r"(19[7-9][0-9]|20[0-2][0-9]|203[0-8])-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
    r"(\.[0-9]{1,2}(Z|[+-][0-9]{2}(:[0-9]{2})?)?)?"
)  # Moodle: years 1970–2038 only
DURATION_2004 = r"P(\d+Y)?(\d+M)?(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?)?"
RULES_2004: list[tuple[str, Rule]] = [
    (r"cmi\.completion_status", _one_of("completed", "incomplete", "not attempted", "unknown")),
    (r"cmi\.success_status", _one_of("passed", "failed", "unknown")),
    (r"cmi\.score\.(raw|min|max)", _rx(DECIMAL_2004)),
    (r"cmi\.score\.scaled", _decimal_in(DECIMAL_2004, -1, 1)),
    (r"cmi\.exit", _one_of("time-out", "suspend", "logout", "normal", "")),
    (r"cmi\.session_time", _rx(DURATION_2004)),
    (r"cmi\.location", _max(1000)),
    (r"cmi\.suspend_data", _max(64000)),
    (r"cmi\.comments_from_learner\.\d+\.comment", _rx(LANGSTRING % 4000)),
    (r"cmi\.comments_from_learner\.\d+\.location", _max(250)),
    (r"cmi\.(comments_from_learner|interactions)\.\d+\.timestamp", _rx(TIME_2004)),
    (r"cmi\.interactions\.\d+\.id", _rx(r"\S{1,4000}")),
    (r"cmi\.interactions\.\d+\.description", _rx(LANGSTRING % 250)),
    (
        r"cmi\.interactions\.\d+\.type",
        _one_of(
            "true-false",
            "choice",
            "fill-in",
            "long-fill-in",
            "matching",
            "performance",
            "sequencing",
            "likert",
            "numeric",
            "other",
        ),
    ),
    (r"cmi\.interactions\.\d+\.result", _rx(r"correct|incorrect|unanticipated|neutral|" + DECIMAL_2004)),
    (r"cmi\.interactions\.\d+\.latency", _rx(DURATION_2004)),
    (r"cmi\.interactions\.\d+\.weighting", _rx(DECIMAL_2004)),
]

# 2004 learner_response / correct_responses.n.pattern depend on the interaction type (RTE 4.1.6).
RESPONSE_2004 = {
    "choice": _rx(rf"({SHORT_ID}(\[,\]{SHORT_ID})*)?"),
    "true-false": _one_of("true", "false"),
    "likert": _rx(SHORT_ID),
    "long-fill-in": _rx(LANGSTRING % 4000),
}


def violations(calls: Iterable[list[Any]], version: str) -> list[str]:
    """Return every SetValue in a host call log that Moodle (standards mode on) would refuse with 405."""
    rules = RULES_12 if version == "12" else RULES_2004
    types: dict[str, str] = {}
    out = []
    for call in calls:
        if call[0] != "set":
            continue
        el, value = str(call[1]), str(call[2])
        if el == "cmi.suspend_data" and value.startswith(PROBE):
            continue  # the launch probe (scorm12.js): a strict LMS refuses it (405) by design; never stored
        m = re.fullmatch(r"cmi\.interactions\.(\d+)\.type", el)
        if m:
            types[m.group(1)] = value
        checks = [rule for pattern, rule in rules if re.fullmatch(pattern, el)]
        m = re.fullmatch(r"cmi\.interactions\.(\d+)\.(learner_response|correct_responses\.\d+\.pattern)", el)
        if version == "2004" and m:
            checks.append(RESPONSE_2004.get(types.get(m.group(1), ""), lambda v: False))
        out += [f"{el}={value[:80]!r}" for rule in checks if not rule(value)]
    return out
