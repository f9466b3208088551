"""Worst-case length of a module's resume state, mirroring the encoding of runtime/state.js.

Free texts (reflections, self-assessment prompts) live in the resume state because, in SCORM 1.2, it is
the only field read back on resume besides `cmi.comments`, which Moodle appends to (DESIGN.md "Facts").
Compression cannot make an honest worst case smaller (adversarial text does not compress), so each text
gets a character cap instead: the player's textarea `maxlength` is `text_max(module, fmt)`, chosen as the
largest cap that keeps the worst case within the format's limit (MUST 20: 4,096 for SCORM 1.2,
64,000 for 2004), never more than `FORMAT_TEXT_MAX[fmt]`.

SCORM 1.2's 4,096 is what a strict LMS keeps (Moodle with "SCORM standards mode" on); Moodle's default keeps
64,000 characters in every 1.2 string. So a 1.2 module also gets a `roomy` budget fitted to that: the player
writes a state of that worst-case length at launch and reads it back; where the LMS keeps it, reflections
may be as long as the roomy cap, and where it refuses (error 405) the strict cap holds.
"""

from __future__ import annotations

from dataclasses import dataclass

from ece_scorm.errors import BuildFailed
from ece_scorm.model import Module

TEAM_CODE_MAX = 32  # state.js TEAM_MAX
ATTEMPT_CAP = 999  # state.js ATTEMPT_CAP: an unlimited quiz stops counting attempts here
FINGERPRINT_LEN = 4
MAX_FLAGS = 15  # state.js flag bits: summary reached, completion/passed/failed reported
LIMITS = {"scorm12": 4096, "scorm2004": 64000}  # MUST 20
# Per-text cap before fitting: SCORM 1.2 stores a reflection as a 255-char `fill-in` response, so a longer
# text could not be reported anyway; 2004 `long-fill-in` and xAPI take 4,000 (DESIGN.md mapping table).
FORMAT_TEXT_MAX = {"scorm12": 255}
DEFAULT_TEXT_MAX = 4000
# What a permissive 1.2 LMS keeps (Moodle's default, standards mode off: CMIString64000 for suspend_data,
# comments and student_response); the player uses it only after reading a state that long back.
ROOMY_LIMITS = {"scorm12": 64000}
MIN_TEXT_MAX = 100  # below this a reflection is no longer useful: fail the build instead
# Self-assessment re-administration (state.js): the current administration's number and start day, then the
# earlier administrations (day, pillar choice, one character per item; their texts are not kept).
SA_HISTORY_MAX = 10  # earlier administrations kept where the limit allows (state.js caps at ECE_DATA's value)
SA_HISTORY_MIN = 1  # the summary compares with the previous administration: always keep that one
# Room set aside before the text cap is chosen: in SCORM 1.2 the learner's texts come first and earlier
# administrations take what is left; elsewhere the whole history costs little next to 64,000 or no limit.
SA_HISTORY_RESERVED = {"scorm12": SA_HISTORY_MIN}
ADMIN_CAP = 999  # state.js ADMIN_CAP
DAY_MAX = 99999  # state.js DAY_MAX: days since 1970-01-01 (year 2243)
WHEN_MAX = 10  # the "by when" answer is an <input type=date> value, YYYY-MM-DD


def _b36_len(n: int) -> int:
    """Return how many base-36 digits n takes (JS Number.prototype.toString(36))."""
    digits = 1
    while n >= 36:
        n //= 36
        digits += 1
    return digits


def _num(max_value: int) -> int:
    return _b36_len(max_value) + 1  # digits + "."


def _str(max_len: int) -> int:
    return _b36_len(max_len) + 1 + max_len  # length + ":" + text


def sa_steps(module: Module) -> int:
    """Return the number of self-assessment screens (state.js saSteps)."""
    sa = module.self_assessment()
    if sa is None:
        return 0
    return 1 + len(sa.pillars) + (1 if sa.reflections else 0) + 2


def text_count(module: Module) -> int:
    """Return how many capped free texts the state holds (page reflections + self-assessment prompts)."""
    n = len(module.reflections())
    sa = module.self_assessment()
    if sa is not None:
        n += sum(len(p.reflections) for p in sa.pillars) + len(sa.reflections) + 4
    return n


def sa_history_entry(module: Module) -> int:
    """Return the worst-case length of one earlier administration in the state (0 without one)."""
    sa = module.self_assessment()
    if sa is None:
        return 0
    items = sum(len(p.items) for p in sa.pillars)
    return _num(DAY_MAX) + _num(len(sa.pillars)) + _num(2 ** len(sa.pillars) - 1) + items


def worst_case_length(
    module: Module, text_max: int = DEFAULT_TEXT_MAX, languages: int = 2, history: int = SA_HISTORY_MIN
) -> int:
    """Return the longest resume state the player can write for this module (UTF-16 code units)."""
    pages = len(module.pages)
    total = 1 + FINGERPRINT_LEN
    total += _num(languages) + _num(max(0, pages - 1)) + _num(max(0, sa_steps(module) - 1)) + _num(MAX_FLAGS)
    total += -(-pages // 5)  # visited bits, 5 per character
    for quiz in module.quizzes():
        attempts = quiz.attempts if quiz.attempts else ATTEMPT_CAP
        total += _num(attempts) + _num(2) + _num(101)
        for q in quiz.questions:
            total += _num(2 ** (len(q.choices) + 1) - 1)  # every choice ticked + "checked" bit
    sa = module.self_assessment()
    if sa is not None:
        total += _str(TEAM_CODE_MAX) + _num(len(sa.pillars)) + _num(2 ** len(sa.pillars) - 1)
        total += sum(len(p.items) for p in sa.pillars)  # one character per item
        if sa.first_step_when is not None:
            total += _str(WHEN_MAX)
        total += _num(ADMIN_CAP) + _num(DAY_MAX) + _num(SA_HISTORY_MAX)
        total += history * sa_history_entry(module)
    total += text_count(module) * _str(text_max)
    total += block_state_length(module)
    return total


def sa_history(module: Module, fmt: str, text_cap: int, languages: int = 2) -> int:
    """Return how many earlier administrations the state keeps in this format (0 without any)."""
    if module.self_assessment() is None:
        return 0
    limit = LIMITS.get(fmt)
    if limit is None:
        return SA_HISTORY_MAX
    spare = limit - worst_case_length(module, text_cap, languages, history=0)
    return max(SA_HISTORY_MIN, min(SA_HISTORY_MAX, spare // sa_history_entry(module)))


def history_note(module: Module, fmt: str, languages: int = 2) -> str | None:
    """Return the build's note when a format keeps fewer earlier administrations than the others."""
    kept = measure(module, fmt, languages).sa_history
    if module.self_assessment() is None or kept >= SA_HISTORY_MAX:
        return None
    kept_text = (
        "only the previous administration" if kept == 1 else f"the last {kept} earlier administrations"
    )
    return (
        f"note: {fmt} {module.id}: the self-assessment keeps {kept_text} for comparison (the "
        f"{LIMITS[fmt]:,}-character resume state has no room for more; other formats keep {SA_HISTORY_MAX}); "
        "every administration is still recorded in the LMS"
    )


def block_state_length(module: Module) -> int:
    """Return the worst case of the interactive blocks' state: each scenario's chosen choice (+1)."""
    return sum(_num(len(s.choices)) for s in module.scenarios())


def text_max(module: Module, fmt: str, languages: int = 2, *, roomy: bool = False) -> int:
    """Return the per-text character cap for this module in this format (largest that fits the limit)."""
    cap = DEFAULT_TEXT_MAX if roomy else FORMAT_TEXT_MAX.get(fmt, DEFAULT_TEXT_MAX)
    limit = ROOMY_LIMITS.get(fmt) if roomy else LIMITS.get(fmt)
    if limit is None or text_count(module) == 0:
        return cap
    history = SA_HISTORY_RESERVED.get(fmt, SA_HISTORY_MAX) if module.self_assessment() else 0
    lo, hi = 0, cap  # worst_case_length grows with text_max: binary search the largest that fits
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if worst_case_length(module, mid, languages, history) <= limit:
            lo = mid
        else:
            hi = mid - 1
    return lo


@dataclass(frozen=True)
class Budget:
    """The resume-state budget of one module in one format, as written to ECE_DATA.stateBudget."""

    worst_case: int
    limit: int | None
    text_max: int
    sa_history: int = 0  # earlier self-assessment administrations kept (ECE_DATA.stateBudget.saHistory)
    roomy: Budget | None = None  # SCORM 1.2 in an LMS that keeps 64,000 characters (see the module doc)


MAX_BITS = 30  # quiz.js / selfassessment.js keep choices and pillars in 32-bit masks
MAX_SCALE = 35  # state.js writes one base-36 character per self-assessment item


def _shape_problems(module: Module) -> list[str]:
    problems = [
        f"question '{q.id}' of quiz '{quiz.id}' has {len(q.choices)} choices (at most {MAX_BITS})"
        for quiz in module.quizzes()
        for q in quiz.questions
        if len(q.choices) > MAX_BITS
    ]
    sa = module.self_assessment()
    if sa is not None and len(sa.pillars) > MAX_BITS:
        problems.append(f"self-assessment '{sa.id}' has {len(sa.pillars)} pillars (at most {MAX_BITS})")
    if sa is not None and len(sa.scale) > MAX_SCALE:
        problems.append(f"self-assessment '{sa.id}' has {len(sa.scale)} scale points (at most {MAX_SCALE})")
    return problems


def measure(module: Module, fmt: str, languages: int = 2) -> Budget:
    """Return the module's text cap and worst-case state length in this format (limit not enforced)."""
    cap = text_max(module, fmt, languages)
    if text_count(module) and cap < MIN_TEXT_MAX:
        cap = MIN_TEXT_MAX  # report an overflow at the smallest useful cap rather than shrink further
    kept = sa_history(module, fmt, cap, languages)
    roomy = None
    if fmt in ROOMY_LIMITS:
        big = max(cap, text_max(module, fmt, languages, roomy=True))
        roomy = Budget(worst_case_length(module, big, languages, kept), ROOMY_LIMITS[fmt], big, kept)
    worst = worst_case_length(module, cap, languages, kept)
    return Budget(worst, LIMITS.get(fmt), cap, sa_history=kept, roomy=roomy)


def check(module: Module, fmt: str, languages: int = 2) -> Budget:
    """Return the module's budget, or raise BuildFailed when its state could exceed the format's limit."""
    problems = _shape_problems(module)
    if problems:
        raise BuildFailed(
            f"module '{module.id}': the player's resume state cannot hold this module: " + "; ".join(problems)
        )
    budget = measure(module, fmt, languages)
    worst, limit, cap = budget.worst_case, budget.limit, budget.text_max
    if limit is not None and worst > limit:
        raise BuildFailed(
            f"module '{module.id}': the resume state could reach {worst} characters in {fmt} "
            f"(limit {limit}, MUST 20) even with free texts capped at {cap} characters; "
            "split the module or reduce its questions, items and reflections"
        )
    return budget
