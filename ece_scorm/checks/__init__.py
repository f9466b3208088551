"""Rule checks for an existing package: hygiene, the detected standard, credentials, our state budget."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ece_scorm.checks import budget, credentials, hygiene
from ece_scorm.checks.reader import Package, parse_xml, read_package
from ece_scorm.checks.scorm import check_scorm
from ece_scorm.checks.xapi import check_cmi5, check_tincan
from ece_scorm.errors import Issue, sort_issues

STANDARD_FORMAT = {
    "SCORM 1.2": "scorm12",
    "SCORM 2004 3rd Edition": "scorm2004",
    "SCORM 2004 4th Edition": "scorm2004",
    "xAPI (tincan.xml)": "xapi",
    "cmi5": "cmi5",
}


@dataclass
class Report:
    """The outcome of checking one package."""

    target: Path
    standard: str | None
    issues: list[Issue] = field(default_factory=list)
    ours: bool = False

    @property
    def errors(self) -> int:
        """Return the number of errors."""
        return sum(1 for i in self.issues if i.level == "error")

    @property
    def warnings(self) -> int:
        """Return the number of warnings."""
        return sum(1 for i in self.issues if i.level == "warning")


def _schema_check(pkg: Package, manifest: str, fmt: str, schemas: Path) -> None:
    from ece_scorm.checks import xsd

    if fmt not in xsd.SETS:
        return  # tincan.xml has no official XSD: its rules are checked by check_tincan
    scratch = Package(pkg.path, pkg.entries)  # parse again without repeating the parse findings
    root = parse_xml(scratch, manifest, "")
    if root is None:
        return
    label = {"scorm12": "SCORM 1.2", "scorm2004": "SCORM 2004 4th Edition", "cmi5": "cmi5"}[fmt]
    rule = "MUST 30" if fmt == "cmi5" else ""
    for line, col, message in xsd.violations(schemas, fmt, root):
        pkg.error(manifest, f"not valid against the official {label} schema: {message}", rule, line, col)


def check_package(path: Path, *, schemas: Path | None = None) -> Report:
    """Read a zip safely and check it; every problem becomes an issue of the report."""
    pkg = read_package(path)
    report = Report(path, None)
    if not pkg.readable:
        report.issues = sort_issues(pkg.issues)
        return report
    hygiene.check_names(pkg)
    manifest, kind = hygiene.find_manifest(pkg)
    refs: list[hygiene.Ref] = []
    if kind == "scorm":
        report.standard, refs = check_scorm(pkg)
    elif kind == "cmi5":
        report.standard = "cmi5"
        refs = check_cmi5(pkg)
    elif kind == "xapi":
        report.standard = "xAPI (tincan.xml)"
        refs = check_tincan(pkg)
    used = hygiene.resolve(pkg, refs)
    if kind == "scorm" and report.standard in STANDARD_FORMAT and manifest is not None:  # it lists the files
        hygiene.unreferenced(pkg, used, manifest)
    hygiene.check_root_relative(pkg)
    hygiene.check_html_links(pkg)
    hygiene.check_active_svg(pkg)
    credentials.scan(pkg)
    fmt = STANDARD_FORMAT.get(report.standard or "")
    if fmt and budget.ours(pkg):
        report.ours = True
        budget.check_budget(pkg, fmt)
    if schemas is not None and manifest and fmt:
        _schema_check(pkg, manifest, fmt, schemas)
    # Issue compares by location only, so deduplicate on every field (a parse may be reported twice).
    unique = {(i.location, i.level, i.message, i.rule): i for i in pkg.issues}
    report.issues = sort_issues(list(unique.values()))
    return report
