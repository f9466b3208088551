"""Read the first sheet of an OpenDocument spreadsheet (.ods, Moodle's first download format) defensively."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from ece_scorm.reports.records import ReportError

ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
MAX_CONTENT = 200 * 1024 * 1024  # content.xml expanded; a cohort's report is far smaller
MAX_REPEAT = 1024  # columns/rows a repeat attribute may stand for (empty filler beyond is dropped)
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


def is_ods(data: bytes) -> bool:
    """Return whether zip bytes are an OpenDocument spreadsheet (its `mimetype` entry says so)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "mimetype" in archive.namelist() and archive.read("mimetype").strip() == ODS_MIME
    except (zipfile.BadZipFile, KeyError, OSError):
        return False


def _cell_text(cell) -> str:
    """Return a cell's text: its paragraphs joined by newlines, <text:s/> spaces, tabs and breaks kept."""
    paragraphs = []
    for para in cell.iterchildren(f"{{{_TEXT}}}p", f"{{{_TEXT}}}h"):
        parts = [para.text or ""]
        for node in para.iterdescendants():
            tag = etree.QName(node).localname if isinstance(node.tag, str) else ""
            if tag == "s":
                parts.append(" " * min(int(node.get(f"{{{_TEXT}}}c", "1") or 1), 1000))
            elif tag == "tab":
                parts.append("\t")
            elif tag == "line-break":
                parts.append("\n")
            elif node.text and tag not in ("s", "tab", "line-break"):
                parts.append(node.text)
            if node.tail:
                parts.append(node.tail)
        paragraphs.append("".join(parts))
    if paragraphs:
        return "\n".join(paragraphs)
    # Moodle's ODS writer turns a learner's text starting with "=" into a formula cell with no text: the
    # learner's words are the formula ("of:=SUM(A1:A9)"), never evaluated here.
    formula = cell.get(f"{{{_TABLE}}}formula")
    if formula is not None:
        return formula[3:] if formula.startswith("of:") else formula
    # A number or date without a paragraph: the office value is the text.
    for attr in ("value", "date-value", "time-value", "boolean-value", "string-value"):
        value = cell.get(f"{{{_OFFICE}}}{attr}")
        if value is not None:
            return value
    return ""


def _repeat(element, name: str) -> int:
    try:
        return max(1, int(element.get(f"{{{_TABLE}}}{name}", "1")))
    except ValueError:
        return 1


def ods_rows(path: Path, data: bytes) -> Iterator[list[str]]:
    """Yield the rows of the first table of an .ods file as lists of strings (trailing blanks trimmed)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("content.xml")
            if info.file_size > MAX_CONTENT:
                raise ReportError(f"{path}: the sheet expands beyond {MAX_CONTENT:,} bytes; refusing it")
            content = archive.read(info)
    except ReportError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, NotImplementedError) as exc:
        raise ReportError(f"{path}: not a readable .ods spreadsheet ({exc.__class__.__name__})") from None
    # No entities, no network, no huge trees: the file comes from outside.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as exc:
        raise ReportError(f"{path}: content.xml is not well-formed XML ({exc.msg})") from None
    table = next(root.iter(f"{{{_TABLE}}}table"), None)
    if table is None:
        raise ReportError(f"{path}: the spreadsheet holds no table")
    for row in table.iter(f"{{{_TABLE}}}table-row"):
        cells: list[str] = []
        for cell in row:
            tag = etree.QName(cell).localname
            if tag not in ("table-cell", "covered-table-cell"):
                continue
            text = _cell_text(cell)
            count = _repeat(cell, "number-columns-repeated")
            cells.extend([text] * (count if text or count <= MAX_REPEAT else 0))
        while cells and not cells[-1]:
            cells.pop()
        times = _repeat(row, "number-rows-repeated")
        if not cells:
            continue  # blank filler rows (often repeated thousands of times) carry nothing
        for _ in range(min(times, MAX_REPEAT)):
            yield list(cells)
