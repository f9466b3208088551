"""Read Moodle's SCORM "Interactions" report download (ODS, Excel .xlsx or CSV/TXT) into normalized answers.

Moodle (mod/scorm/report/interactions) writes one row per learner attempt: Name, optional identity fields
(e.g. Email address), Attempt, Started on, Last accessed on, Score, one column per SCO, then for each
interaction N (cmi.interactions_N.*) the optional columns "Question N" (the interaction id),
"Response N" (student_response), "Right answer N" and "Result N". Cells are HTML-escaped (Moodle's s()).
Which of these columns exist is the report's options: "Summary of question", "Summary of responses",
"Summary of right answer", "Summary of result" (scormreport_interactions strings; by default only responses).
"""

from __future__ import annotations

import csv
import html
import io
import re
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from ece_scorm.reports.ods import is_ods, ods_rows
from ece_scorm.reports.records import Answer, ReportError, split_administration

MAX_BYTES = 50 * 1024 * 1024  # a download this size is far beyond any real cohort; refuse rather than hang
MAX_UNZIPPED = 200 * 1024 * 1024
MAX_ROWS = 200_000
MAX_COLUMNS = 20_000  # Moodle writes 4 columns per interaction; the ECE modules have at most a few hundred
MAX_PARTS = 1_000  # parts of an .xlsx workbook
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
TEAM_INTERACTION = "sa.team-code"

_INTERACTION_HEADER = re.compile(
    r"^\s*(?:(question|response|right answer|result|réponse|bonne réponse|résultat)\s+([0-9]{1,6})"
    r"|cmi\.interactions_([0-9]{1,6})\.(id|student_response|learner_response|result|correct_responses_0\.pattern))\s*$",
    re.IGNORECASE,
)
_KIND = {
    "question": "id",
    "response": "response",
    "réponse": "response",
    "right answer": "right",
    "bonne réponse": "right",
    "result": "result",
    "résultat": "result",
    "id": "id",
    "student_response": "response",
    "learner_response": "response",
    "correct_responses_0.pattern": "right",
}
_NAME_HEADERS = ("name", "nom", "first name / last name", "prénom / nom", "full name", "nom complet")
_EMAIL_HEADERS = ("email address", "adresse de courriel", "adresse courriel", "email")
_ATTEMPT_HEADERS = ("attempt", "tentative")
_STARTED_HEADERS = ("started on", "commencé le", "started")
_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "janvier"),
            ("february", "février", "fevrier"),
            ("march", "mars"),
            ("april", "avril"),
            ("may", "mai"),
            ("june", "juin"),
            ("july", "juillet"),
            ("august", "août", "aout"),
            ("september", "septembre"),
            ("october", "octobre"),
            ("november", "novembre"),
            ("december", "décembre", "decembre"),
        ],
        start=1,
    )
    for m in names
}
_DATE = re.compile(r"(\d{1,2})\s+([^\W\d_]+)\s+(\d{4})(?:\D+(\d{1,2})[:h](\d{2})\s*([AaPp][Mm])?)?")


def parse_moodle_date(text: str) -> datetime | None:
    """Parse Moodle's userdate text ('Monday, 23 November 2026, 5:04 PM', 'lundi 23 novembre 2026, 17:04')."""
    text = text.strip()
    if not text or text == "-":
        return None
    try:
        parsed = datetime.fromisoformat(text)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    except ValueError:
        pass
    match = _DATE.search(text)
    if not match or match.group(2).lower() not in _MONTHS:
        return None
    day, month, year = int(match.group(1)), _MONTHS[match.group(2).lower()], int(match.group(3))
    hour, minute = int(match.group(4) or 0), int(match.group(5) or 0)
    ampm = (match.group(6) or "").lower()
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    try:  # Moodle prints the viewer's local time; the report treats it as UTC (a day boundary at most).
        return datetime(year, month, day, hour, minute, tzinfo=UTC)
    except ValueError:
        return None


def _decode(path: Path, data: bytes) -> str:
    """Return the text of a CSV/TXT download: UTF-8 (a BOM allowed) or UTF-16 with its BOM (Excel's)."""
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
        if len(data) >= 4 and data[1:4:2] == b"\x00\x00" and data[0:1] != b"\x00":
            return data.decode("utf-16-le")  # ASCII interleaved with NULs: UTF-16 that lost its BOM
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReportError(f"{path}: not UTF-8 text (byte {exc.start}); download the report as CSV") from None


def _read_rows(path: Path) -> Iterator[list[str]]:
    try:
        size = path.stat().st_size
        if not stat.S_ISREG(path.stat().st_mode):
            raise ReportError(f"{path}: not a regular file")
    except OSError as exc:
        raise ReportError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if size > MAX_BYTES:
        raise ReportError(f"{path}: {size:,} bytes is larger than the {MAX_BYTES:,}-byte limit")
    data = path.read_bytes()
    if data[:2] == b"PK":
        yield from (ods_rows(path, data) if is_ods(data) else _xlsx_rows(path, data))
        return
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ReportError(
            f"{path}: this is an old Excel 97 .xls file; download the report in ODS, Excel or text format"
        )
    text = _decode(path, data)
    first = text.split("\n", 1)[0]
    delimiter = max("\t,;", key=first.count)  # Moodle's CSV writer uses tabs; other exports commas
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error as exc:
        raise ReportError(f"{path}:{reader.line_num}: malformed CSV ({exc})") from None


def _check_workbook(path: Path) -> None:
    """Prove every part of a workbook sound before openpyxl reads it: sizes, CRCs, no DTD or entities."""
    from ece_scorm.checks.reader import read_package

    pkg = read_package(
        path,
        max_entries=MAX_PARTS,
        max_entry_bytes=MAX_UNZIPPED,
        max_total_bytes=MAX_UNZIPPED,
        max_ratio=1000,
    )
    problems = [i for i in pkg.issues if i.level == "error"]
    if problems:
        first = problems[0]
        where = "" if first.location.file == path.name else f" (part {first.location.file})"
        raise ReportError(f"{path}: not a readable .xlsx workbook{where}: {first.message}")
    for entry in pkg.files():
        if entry.name.lower().endswith((".xml", ".rels")) and entry.data and _DTD.search(entry.data):
            # Billion laughs and external entities need a DTD; a workbook never carries one.
            raise ReportError(f"{path}: not a readable .xlsx workbook (part {entry.name} declares a DTD)")


def _xlsx_rows(path: Path, data: bytes) -> Iterator[list[str]]:
    import openpyxl  # only needed for Excel downloads

    _check_workbook(path)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged workbooks
        raise ReportError(f"{path}: not a readable .xlsx workbook ({exc.__class__.__name__})") from None
    try:
        if not book.worksheets:
            raise ReportError(f"{path}: the workbook has no worksheet")
        sheet = book.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            if len(row) > MAX_COLUMNS:
                raise ReportError(f"{path}: a row has {len(row):,} columns, more than {MAX_COLUMNS:,}")
            yield ["" if v is None else (v.isoformat() if isinstance(v, datetime) else str(v)) for v in row]
    except ReportError:
        raise
    except Exception as exc:  # a sheet damaged past its first rows fails while it is read, not when opened
        raise ReportError(f"{path}: not a readable .xlsx workbook ({exc.__class__.__name__})") from None
    finally:
        book.close()


def _column(headers: list[str], names: tuple[str, ...]) -> int | None:
    for index, header in enumerate(headers):
        if header.strip().lower() in names:
            return index
    return None


def read_moodle_export(path: Path) -> list[Answer]:
    """Return the answers in a Moodle SCORM Interactions report download."""
    rows = _read_rows(path)
    headers = next(rows, None)
    if not headers:
        raise ReportError(f"{path}: empty file")
    if len(headers) > MAX_COLUMNS:
        raise ReportError(f"{path}:1: the header has {len(headers):,} columns, more than {MAX_COLUMNS:,}")
    name_col = _column(headers, _NAME_HEADERS)
    email_col = _column(headers, _EMAIL_HEADERS)
    attempt_col = _column(headers, _ATTEMPT_HEADERS)
    started_col = _column(headers, _STARTED_HEADERS)
    groups: dict[int, dict[str, int]] = {}
    for index, header in enumerate(headers):
        match = _INTERACTION_HEADER.match(header)
        if match:
            number = int(match.group(2) or match.group(3))
            kind = _KIND[(match.group(1) or match.group(4)).lower()]
            groups.setdefault(number, {})[kind] = index
    if name_col is None:
        raise ReportError(f"{path}:1: no 'Name' column; is this Moodle's SCORM Interactions report?")
    if not groups:
        raise ReportError(f"{path}:1: no 'Question N'/'Response N' columns; is this the Interactions report?")
    if any("id" not in cols for cols in groups.values()):
        raise ReportError(
            f"{path}:1: the download has responses but no 'Question N' columns; in the Interactions "
            "report's options tick 'Summary of question' (and 'Summary of result' for knowledge checks), "
            "press 'Save preferences', then download again"
        )
    answers: list[Answer] = []
    for line, row in enumerate(rows, start=2):
        if line > MAX_ROWS:
            raise ReportError(f"{path}: more than {MAX_ROWS:,} rows; filter the report in Moodle")

        def cell(index: int | None, row: list[str] = row) -> str:
            return html.unescape(row[index]).strip() if index is not None and index < len(row) else ""

        name = cell(name_col)
        attempt_text = cell(attempt_col)
        if not name or attempt_text in ("", "-"):
            continue  # learners without an attempt
        learner = cell(email_col) or name
        when = parse_moodle_date(cell(started_col))
        found: list[tuple[str, str, str]] = []
        for number in sorted(groups):
            cols = groups[number]
            interaction = cell(cols["id"])
            if interaction:
                found.append((interaction, cell(cols.get("response")), cell(cols.get("result")).lower()))
        team = next(
            (resp for iid, resp, _ in found if split_administration(iid)[0] == TEAM_INTERACTION and resp),
            None,
        )
        seen: dict[str, int] = {}
        for interaction, response, result in found:
            if split_administration(interaction)[0] == TEAM_INTERACTION or not re.fullmatch(
                r"[A-Za-z0-9._:-]{1,255}", interaction
            ):
                continue
            interaction, administration = split_administration(interaction)
            seen[interaction] = seen.get(interaction, 0) + 1  # a retried question is appended again
            success = True if result == "correct" else False if result in ("wrong", "incorrect") else None
            answers.append(
                Answer(
                    learner=learner,
                    name=name,
                    when=when,
                    interaction=interaction,
                    response=response,
                    success=success,
                    attempt=seen[interaction],
                    team=team,
                    administration=administration if interaction.startswith("sa.") else 1,
                )
            )
    return answers
