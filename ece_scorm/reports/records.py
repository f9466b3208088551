"""Normalized learner records built from xAPI statements (ARCHITECTURE §3, §6) or Moodle rows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from ece_scorm.errors import EceError
from ece_scorm.lrs.client import actor_key

VERBS = "http://adlnet.gov/expapi/verbs/"
COURSE_TYPE = "http://adlnet.gov/expapi/activities/course"
TEAM_EXT = "/xapi/extensions/team-code"
ATTEMPT_EXT = "/xapi/extensions/attempt"
# The self-assessment's administration number (ARCHITECTURE §3 "Self-assessment administrations"): the xAPI
# context extension `<course.id>/xapi/extensions/administration` (any key ending in /extensions/administration
# is accepted), and on SCORM interaction ids a last part `.a<n>` (`sa.leadership.l01.a2`, `sa.strength.a3`;
# `-a<n>` is read too). Absent = administration 1.
ADMINISTRATION_EXT = "/extensions/administration"
_ADMIN_SUFFIX = re.compile(r"^(sa\.[^.]+(?:\.[^.]+)?)[.-]a([1-9][0-9]{0,5})$")
# The self-assessment's closing prompts (ARCHITECTURE §2 ids) and the plan fields they fill.
PLAN_PROMPTS = {
    "strength": "strength",
    "opportunity": "opportunity",
    "first-step": "first_step",
    "first-step-lead": "first_step_lead",
}


class ReportError(EceError):
    """A report cannot be produced from the given input."""


USED_VERBS = frozenset(
    VERBS + v
    for v in (
        "answered",
        "initialized",
        "completed",
        "passed",
        "failed",
        "terminated",
        "suspended",
        "resumed",
    )
)


@dataclass(slots=True)  # not frozen: a frozen dataclass costs a setattr per field, a million times over
class Answer:
    """One answer, keyed by its ARCHITECTURE §3 interaction id (sa.<pillar>.<item>, q.<quiz>.<q>, …)."""

    learner: str
    name: str
    when: datetime | None
    interaction: str
    response: str
    success: bool | None = None
    attempt: int | None = None
    module: str | None = None
    team: str | None = None
    administration: int = 1
    label: dict | None = field(default=None, compare=False)  # definition.name language map
    choices: dict | None = field(default=None, compare=False)  # choice/scale id -> language map


@dataclass(slots=True)
class Event:
    """A module-level verb: initialized, completed, passed, failed (and terminated/suspended/resumed)."""

    learner: str
    name: str
    when: datetime | None
    verb: str
    module: str
    team: str | None = None
    registration: str | None = None
    score: float | None = None


def answer_record(
    learner: str,
    name: str,
    when: datetime | None,
    interaction: str,
    result: dict,
    attempt: object,
    module: str | None,
    team: str | None,
    administration: int | None,
    shared: tuple,
) -> Answer:
    """Return the Answer of one `answered` statement (both statement readers build it here)."""
    success = result.get("success")
    return Answer(
        learner=learner,
        name=name,
        when=when,
        interaction=interaction,
        response=str(result.get("response", "")),
        success=success if isinstance(success, bool) else None,
        attempt=attempt if isinstance(attempt, int) and not isinstance(attempt, bool) else None,
        module=module,
        team=team,
        administration=administration or 1,
        label=shared[0],
        choices=shared[1],
    )


def split_administration(interaction: str) -> tuple[str, int]:
    """Split a SCORM interaction id's administration suffix ('sa.x.y.a2' -> ('sa.x.y', 2))."""
    if "-a" not in interaction and ".a" not in interaction:  # the common case, without the expression
        return interaction, 1
    match = _ADMIN_SUFFIX.match(interaction)
    return (match.group(1), int(match.group(2))) if match else (interaction, 1)


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 1 else None


def parse_when(value: object) -> datetime | None:
    """Parse an xAPI timestamp to an aware UTC datetime (None when absent or invalid)."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)  # Python 3.11 reads "Z" and any ISO 8601 offset
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed if parsed.tzinfo is UTC else parsed.astimezone(UTC)


def parse_period(text: str | None, option: str) -> tuple[date, date] | None:
    """Parse 'YYYY-MM-DD..YYYY-MM-DD' (both ends inclusive)."""
    if not text:
        return None
    start, sep, end = text.partition("..")
    try:
        if not sep:
            raise ValueError
        first, last = date.fromisoformat(start.strip()), date.fromisoformat(end.strip())
    except ValueError:
        raise ReportError(f"{option}: expected YYYY-MM-DD..YYYY-MM-DD, got {text!r}") from None
    if last < first:
        raise ReportError(f"{option}: the period ends before it starts ({text})")
    return first, last


def in_period(when: datetime | None, period: tuple[date, date] | None) -> bool:
    """Return whether a time falls in the period (records without a time only match no period)."""
    if period is None:
        return True
    return when is not None and period[0] <= when.date() <= period[1]


def _dict(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def course_of(stmt: dict) -> str | None:
    """Return the course IRI from the statement's grouping context activity, if present."""
    grouping = _dict(_dict(stmt.get("context")).get("contextActivities")).get("grouping")
    for act in grouping if isinstance(grouping, list) else []:
        if isinstance(act, dict) and _dict(act.get("definition")).get("type") == COURSE_TYPE:
            return str(act.get("id", "")).rstrip("/") or None
    return None


def _relative(iri: str, course_id: str) -> list[str] | None:
    prefix = course_id.rstrip("/") + "/"
    if not iri.startswith(prefix):
        return None
    return [seg for seg in iri[len(prefix) :].split("/") if seg]


def _extension(extensions: object, course_id: str, suffix: str) -> object:
    ext = _dict(extensions)
    if course_id.rstrip("/") + suffix in ext:
        return ext[course_id.rstrip("/") + suffix]
    for key, value in ext.items():  # tolerate a course id spelled with/without trailing slash
        if isinstance(key, str) and key.endswith(suffix):
            return value
    return None


def _choices(definition: dict) -> dict | None:
    entries = definition.get("choices") or definition.get("scale")
    if not isinstance(entries, list):
        return None
    out = {}
    for entry in entries:
        if isinstance(entry, dict) and isinstance(entry.get("id"), str):
            out[entry["id"]] = _dict(entry.get("description"))
    return out


def interaction_of(parts: list[str]) -> str | None:
    """Map an activity IRI's path below the course id to its interaction id (ARCHITECTURE §3)."""
    if len(parts) == 3 and parts[0] == "quiz":
        return f"q.{parts[1]}.{parts[2]}"
    if len(parts) == 2 and parts[0] == "reflection":
        return f"r.{parts[1]}"
    if len(parts) == 3 and parts[1] == "prompt":
        return f"sa.{parts[2]}"
    if len(parts) == 3 and parts[1] != "page":
        return f"sa.{parts[1]}.{parts[2]}"
    return None


def from_statement(
    stmt: dict, course_id: str | None, definitions: dict | None = None
) -> Answer | Event | None:
    """Turn one statement into a record, or None when it is not one the reports use.

    `definitions` (interaction id -> (name, choices)) lets every answer to one interaction share one copy.
    The object's definition may be a function returning it, so that a reader parses it once per interaction.
    """
    verb = _dict(stmt.get("verb")).get("id", "")
    if verb not in USED_VERBS:  # page views and other verbs: decided before any other work
        return None
    course = course_id or course_of(stmt)
    if not course:
        return None
    actor = _dict(stmt.get("actor"))
    learner = actor_key(actor)
    obj = _dict(stmt.get("object"))
    parts = _relative(str(obj.get("id", "")), course)
    if not learner or parts is None:
        return None
    verb = verb[len(VERBS) :]
    context = _dict(stmt.get("context"))
    result = _dict(stmt.get("result"))
    team = _extension(context.get("extensions"), course, TEAM_EXT)
    team = str(team).strip() or None if team is not None else None
    name = str(actor.get("name") or "")
    when = parse_when(stmt.get("timestamp"))
    if verb == "answered":
        interaction = interaction_of(parts)
        if interaction is None:
            return None
        parents = _dict(context.get("contextActivities")).get("parent")
        module = None
        for parent in parents if isinstance(parents, list) else []:
            rel = _relative(str(_dict(parent).get("id", "")), course)
            if rel and len(rel) == 1:
                module = rel[0]
        attempt = _extension(result.get("extensions"), course, ATTEMPT_EXT)
        administration = _count(_extension(context.get("extensions"), course, ADMINISTRATION_EXT))
        if interaction.startswith("sa."):
            interaction, numbered = split_administration(interaction)
            administration = administration or numbered
        shared = definitions.get(interaction) if definitions is not None else None
        if shared is None:
            definition = obj.get("definition")
            definition = _dict(definition() if callable(definition) else definition)
            shared = (_dict(definition.get("name")) or None, _choices(definition))
            if definitions is not None:
                definitions[interaction] = shared
        return answer_record(
            learner, name, when, interaction, result, attempt, module, team, administration, shared
        )
    if len(parts) == 1 and verb in (
        "initialized",
        "completed",
        "passed",
        "failed",
        "terminated",
        "suspended",
        "resumed",
    ):
        raw = _dict(result.get("score")).get("raw")
        score = float(raw) if isinstance(raw, int | float) and not isinstance(raw, bool) else None
        registration = context.get("registration")
        return Event(
            learner=learner,
            name=name,
            when=when,
            verb=verb,
            module=parts[0],
            team=team,
            registration=str(registration) if registration else None,
            score=score,
        )
    return None
