"""For packages built by ece-scorm: the worst-case resume state of each SCO against its standard's limit."""

from __future__ import annotations

from ece_scorm.checks.reader import Package
from ece_scorm.safe import JsonRefused, load_json

# MUST 20: cmi.suspend_data limits as a strict LMS (or Moodle in standards mode) enforces them.
LIMITS = {
    "scorm12": (4096, "SCORM 1.2 cmi.suspend_data"),
    "scorm2004": (64000, "SCORM 2004 cmi.suspend_data"),
}
PREFIX = b"window.ECE_DATA = "


def ours(pkg: Package) -> list[str]:
    """Return the ece-data.js entries (one per SCO/AU) when this package was built by ece-scorm."""
    return sorted(e.name for e in pkg.files() if e.name.rsplit("/", 1)[-1] == "ece-data.js")


def check_budget(pkg: Package, fmt: str) -> None:
    """Record an error per SCO whose worst-case encoded state exceeds the standard's limit."""
    for name in ours(pkg):
        data = pkg.data(name)
        if data is None:
            continue
        body = data.strip()
        if not body.startswith(PREFIX) or not body.endswith(b";"):
            pkg.error(name, "ece-data.js is not of the form 'window.ECE_DATA = {…};'")
            continue
        try:
            ece = load_json(body[len(PREFIX) : -1])
        except JsonRefused as exc:
            pkg.error(name, f"ece-data.js is not readable data: {exc}")
            continue
        if not isinstance(ece, dict):
            ece = {}
        budget = ece.get("stateBudget")
        worst = budget.get("worstCase") if isinstance(budget, dict) else None
        if not isinstance(worst, int) or isinstance(worst, bool):
            pkg.error(name, "ece-data.js has no readable stateBudget (worstCase must be a whole number)")
            continue
        declared = ece.get("format")
        if declared != fmt:
            pkg.error(
                name,
                f"ece-data.js is built for '{declared}' but the package is {fmt}; the "
                "player would "
                "talk to the wrong LMS API",
            )
        limit = LIMITS.get(fmt)
        roomy = budget.get("roomy") if isinstance(budget, dict) else None
        if limit and isinstance(roomy, dict) and int(roomy.get("worstCase", 0)) > int(roomy.get("limit", 0)):
            # The roomy budget (pipeline/budget.py) is used only where the LMS kept a state that long.
            pkg.error(
                name,
                f"worst-case resume state in an LMS that keeps {int(roomy.get('limit', 0)):,} characters is "
                f"{int(roomy['worstCase']):,}; a learner's progress could fail to save there",
                "MUST 20",
            )
        if limit and worst > limit[0]:
            pkg.error(
                name,
                f"worst-case resume state is {worst:,} characters, above {limit[1]}'s "
                f"{limit[0]:,}; "
                "a learner's progress could fail to save",
                "MUST 20",
            )
