"""Generate learner cohorts as xAPI statements (docs/ARCHITECTURE.md §3, §6) together with the ground truth.

Independent of ece_scorm: the tests compare report figures with counts taken from `Truth`, never with
anything the code under test computed.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

COURSE = "https://learn.example.org/ece"
SA = "self-assessment"
VERB = "http://adlnet.gov/expapi/verbs/"
SCALE = ("yes", "somewhat", "no", "unknown")
SCALE_TEXT = {
    "yes": {"en": "Yes", "fr": "Oui"},
    "somewhat": {"en": "Somewhat", "fr": "En partie"},
    "no": {"en": "No", "fr": "Non"},
    "unknown": {"en": "I don't know", "fr": "Je ne sais pas"},
}
PILLARS = {"leadership": ["l01", "l02", "l03", "l04"], "staff": ["s01", "s02", "s03"]}
PROMPTS = ("strength", "opportunity", "first-step", "first-step-lead")
QUIZ = {
    "id": "intro-check",
    "module": "introduction",
    "questions": {
        "q1": {"choices": ["a", "b", "c"], "correct": ["b"]},
        "q2": {"choices": ["a", "b", "c", "d"], "correct": ["a", "c"]},
    },
}


@dataclass
class Truth:
    """What the cohort did, as plain data."""

    # (period name, learner) -> {"leadership.l01": "yes", ...} final answers
    sa_final: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    plans: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    team: dict[str, str | None] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    # quiz: list of (learner, question, attempt, chosen ids, correct bool)
    quiz: list[tuple[str, str, int, list[str], bool]] = field(default_factory=list)
    # module -> verb -> set of learners
    funnel: dict[str, dict[str, set[str]]] = field(default_factory=dict)


def _agent(i: int) -> dict:
    return {"objectType": "Agent", "name": f"Learner {i:02d}", "mbox": f"mailto:learner{i:02d}@example.org"}


def _ts(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _context(module: str, registration: str, team: str | None, lang: str = "en") -> dict:
    ctx = {
        "registration": registration,
        "language": lang,
        "contextActivities": {
            "parent": [{"id": f"{COURSE}/{module}", "objectType": "Activity"}],
            "grouping": [
                {
                    "id": COURSE,
                    "objectType": "Activity",
                    "definition": {"type": "http://adlnet.gov/expapi/activities/course"},
                }
            ],
        },
    }
    if team:
        ctx["extensions"] = {f"{COURSE}/xapi/extensions/team-code": team}
    return ctx


def _stmt(actor: dict, verb: str, obj: dict, when: datetime, ctx: dict, result: dict | None = None) -> dict:
    stmt = {
        "id": str(uuid.uuid4()),
        "actor": actor,
        "verb": {"id": VERB + verb, "display": {"en": verb}},
        "object": obj,
        "timestamp": _ts(when),
        "context": ctx,
    }
    if result is not None:
        stmt["result"] = result
    return stmt


def likert(
    actor: dict, pillar: str, item: str, response: str, when: datetime, reg: str, team: str | None
) -> dict:
    """Return an `answered` statement for one self-assessment item."""
    obj = {
        "id": f"{COURSE}/{SA}/{pillar}/{item}",
        "objectType": "Activity",
        "definition": {
            "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
            "name": {"en": f"Statement {pillar} {item}", "fr": f"Énoncé {pillar} {item}"},
            "interactionType": "likert",
            "scale": [{"id": s, "description": SCALE_TEXT[s]} for s in SCALE],
        },
    }
    return _stmt(actor, "answered", obj, when, _context(SA, reg, team), {"response": response})


def text_answer(actor: dict, prompt: str, text: str, when: datetime, reg: str, team: str | None) -> dict:
    obj = {
        "id": f"{COURSE}/{SA}/prompt/{prompt}",
        "objectType": "Activity",
        "definition": {
            "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
            "name": {"en": prompt, "fr": prompt},
            "interactionType": "long-fill-in",
        },
    }
    return _stmt(actor, "answered", obj, when, _context(SA, reg, team), {"response": text})


def module_verb(
    actor: dict, module: str, verb: str, when: datetime, reg: str, team: str | None, score: int | None = None
) -> dict:
    obj = {
        "id": f"{COURSE}/{module}",
        "objectType": "Activity",
        "definition": {"type": "http://adlnet.gov/expapi/activities/module"},
    }
    ctx = _context(module, reg, team)
    ctx["contextActivities"].pop("parent")
    result = None
    if verb in ("passed", "failed"):
        result = {
            "score": {"raw": score, "scaled": score / 100, "min": 0, "max": 100},
            "success": verb == "passed",
            "completion": True,
        }
    elif verb == "completed":
        result = {"completion": True, "duration": "PT12M30S"}
    return _stmt(actor, verb, obj, when, ctx, result)


def quiz_answer(
    actor: dict, question: str, chosen: list[str], attempt: int, when: datetime, reg: str
) -> dict:
    spec = QUIZ["questions"][question]
    obj = {
        "id": f"{COURSE}/quiz/{QUIZ['id']}/{question}",
        "objectType": "Activity",
        "definition": {
            "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
            "name": {"en": f"Question {question}", "fr": f"Question {question}"},
            "interactionType": "choice",
            "choices": [
                {"id": c, "description": {"en": f"Choice {c}", "fr": f"Choix {c}"}} for c in spec["choices"]
            ],
            "correctResponsesPattern": ["[,]".join(spec["correct"])],
        },
    }
    success = sorted(chosen) == sorted(spec["correct"])
    result = {
        "response": "[,]".join(chosen),
        "success": success,
        "extensions": {f"{COURSE}/xapi/extensions/attempt": attempt},
    }
    return _stmt(actor, "answered", obj, when, _context(QUIZ["module"], reg, None), result)


PERIODS = {
    "spring": datetime(2026, 2, 10, 14, 0, tzinfo=UTC),
    "autumn": datetime(2026, 10, 5, 9, 30, tzinfo=UTC),
}


def cohort(seed: int = 7, learners: int = 14) -> tuple[list[dict], Truth]:
    """Return statements of a cohort (self-assessment twice, a module with a quiz) and the truth."""
    rng = random.Random(seed)
    truth = Truth()
    statements: list[dict] = []
    teams = ["NORTH-1", "SOUTH-2", None]
    for i in range(1, learners + 1):
        actor = _agent(i)
        who = actor["mbox"]
        team = teams[i % 3]
        truth.team[who] = team
        truth.names[who] = actor["name"]
        for period, start in PERIODS.items():
            if period == "autumn" and i % 4 == 0:
                continue  # some learners did not retake it
            reg = str(uuid.uuid4())
            when = start + timedelta(days=i % 9, minutes=i)
            # The team code arrives only after the learner types it: the launch statement lacks it.
            statements.append(module_verb(actor, SA, "initialized", when, reg, None))
            final: dict[str, str] = {}
            for pillar, items in PILLARS.items():
                for item in items:
                    bias = 0 if period == "spring" else 1  # autumn shifts answers toward "yes"
                    weights = [1 + 2 * bias, 2, 2 - bias, 1] if pillar == "leadership" else [1, 1, 2, 2]
                    answer = rng.choices(SCALE, weights=weights)[0]
                    when += timedelta(seconds=20)
                    if rng.random() < 0.2:  # answered, then changed their mind: the later answer counts
                        first = rng.choice([s for s in SCALE if s != answer])
                        statements.append(likert(actor, pillar, item, first, when, reg, team))
                        when += timedelta(seconds=5)
                    statements.append(likert(actor, pillar, item, answer, when, reg, team))
                    final[f"{pillar}.{item}"] = answer
            truth.sa_final[(period, who)] = final
            if i % 5 != 0:  # some skip the closing prompts
                plan = {p: f'{period} {p} by learner {i} with <tags> & commas, "quoted"' for p in PROMPTS}
                for prompt, text in plan.items():
                    when += timedelta(seconds=30)
                    statements.append(text_answer(actor, prompt, text, when, reg, team))
                truth.plans[(period, who)] = plan
            statements.append(module_verb(actor, SA, "completed", when + timedelta(minutes=1), reg, team))
            truth.funnel.setdefault(SA, {}).setdefault("initialized", set()).add(who)
            truth.funnel[SA].setdefault("completed", set()).add(who)
        # Introduction module with its quiz (spring only).
        reg = str(uuid.uuid4())
        when = PERIODS["spring"] + timedelta(days=1 + i % 5, hours=i)
        module = QUIZ["module"]
        statements.append(module_verb(actor, module, "initialized", when, reg, team))
        truth.funnel.setdefault(module, {}).setdefault("initialized", set()).add(who)
        if i % 7 == 0:
            continue  # launched, then left
        passed_all = True
        for question, spec in QUIZ["questions"].items():
            for attempt in (1, 2):
                if rng.random() < 0.55:
                    chosen = list(spec["correct"])
                else:
                    chosen = [rng.choice([c for c in spec["choices"] if c not in spec["correct"]])]
                when += timedelta(seconds=40)
                statements.append(quiz_answer(actor, question, chosen, attempt, when, reg))
                correct = sorted(chosen) == sorted(spec["correct"])
                truth.quiz.append((who, question, attempt, chosen, correct))
                if correct:
                    break
            passed_all = passed_all and correct
        verb = "passed" if passed_all else "failed"
        statements.append(module_verb(actor, module, "completed", when + timedelta(seconds=5), reg, team))
        statements.append(
            module_verb(
                actor, module, verb, when + timedelta(seconds=6), reg, team, 100 if passed_all else 50
            )
        )
        truth.funnel[module].setdefault("completed", set()).add(who)
        truth.funnel[module].setdefault(verb, set()).add(who)
    rng.shuffle(statements)  # the LRS must not depend on arrival order; timestamps carry the order
    return statements, truth
