"""The cmi5 launch contract as a strict LMS enforces it on each statement (MUST 31–32; CATAPULT lrs.js)."""

from __future__ import annotations

import re

CMI5_CTX = "https://w3id.org/xapi/cmi5/context/"
CAT_CMI5 = CMI5_CTX + "categories/cmi5"
CAT_MOVEON = CMI5_CTX + "categories/moveon"
VERBS = "http://adlnet.gov/expapi/verbs/"
UTC = re.compile(r"(Z|[+-]00:00)$")


def _verb(stmt: dict) -> str:
    return str(stmt.get("verb", {}).get("id", "")).removeprefix(VERBS)


def _categories(stmt: dict) -> set[str]:
    cats = stmt.get("context", {}).get("contextActivities", {}).get("category", [])
    return {c.get("id") for c in cats if isinstance(c, dict)}


def check_statement(sess, seen: list[dict], stmt: dict) -> str | None:
    """Return the first cmi5 rule this statement breaks given what the session already accepted, else None."""
    verb, cats = _verb(stmt), _categories(stmt)
    ctx = stmt.get("context") or {}
    ext = ctx.get("extensions") or {}
    result = stmt.get("result") or {}
    defined = CAT_CMI5 in cats
    if not sess.prefs_read:
        return "11.0.0.0-3: learner preferences agent profile not read before the first statement"
    if not stmt.get("id"):
        return "statement without id"
    if not UTC.search(str(stmt.get("timestamp", ""))):
        return f"{verb}: timestamp missing or not UTC"
    if stmt.get("actor") != sess.actor:
        return f"{verb}: actor differs from the launch actor"
    if ctx.get("registration") != sess.registration:
        return f"{verb}: context.registration differs from the launch registration"
    if ext.get(CMI5_CTX + "extensions/sessionid") != sess.session_id:
        return f"{verb}: sessionid extension missing (context template not merged)"
    if not seen and verb != "initialized":
        return f"{verb}: the first statement of a session must be initialized"
    if any(_verb(s) == "terminated" for s in seen):
        return f"{verb}: statement after terminated"
    if verb in ("initialized", "completed", "passed", "failed", "terminated"):
        if not defined:
            return f"{verb}: cmi5-defined statement without the cmi5 category"
        if stmt.get("object", {}).get("id") != sess.activity_id:
            return f"{verb}: object.id is not the launch activityId (8.1.5.0-6)"
    elif defined:
        return f"{verb}: cmi5 category on a statement cmi5 does not define"
    if CAT_MOVEON in cats and verb not in ("completed", "passed", "failed"):
        return f"{verb}: moveon category on a statement that is not completed/passed/failed"
    if "score" in result and verb not in ("passed", "failed") and defined:
        return f"{verb}: score only on passed/failed"
    if verb in ("completed", "passed", "failed"):
        if sess.launch_mode != "Normal":
            return f"{verb}: completion statement in {sess.launch_mode} mode"
        if CAT_MOVEON not in cats:
            return f"{verb}: moveon category missing"
        if not result.get("duration"):
            return f"{verb}: result.duration missing"
        if any(_verb(s) == verb for s in seen if verb != "failed"):
            return f"{verb}: sent twice in one session"
    if verb == "completed" and result.get("completion") is not True:
        return "completed: result.completion must be true"
    if verb in ("passed", "failed"):
        if result.get("success") is not (verb == "passed"):
            return f"{verb}: result.success must be {verb == 'passed'}"
        score = result.get("score") or {}
        if "raw" in score and ("min" not in score or "max" not in score):
            return f"{verb}: score.raw requires min and max"
        if sess.mastery_score is not None:
            scaled = score.get("scaled")
            if not isinstance(scaled, (int, float)):
                return f"{verb}: score.scaled missing while a masteryScore was launched"
            if (verb == "passed") != (scaled >= sess.mastery_score):
                return f"{verb}: score.scaled {scaled} on the wrong side of masteryScore {sess.mastery_score}"
            if ext.get(CMI5_CTX + "extensions/masteryscore") != sess.mastery_score:
                return f"{verb}: masteryscore extension must echo the launched {sess.mastery_score}"
    if verb == "terminated" and not result.get("duration"):
        return "terminated: result.duration missing"
    return None
