"""Read the figures back out of a rendered report page (the data tables next to the charts)."""

from __future__ import annotations

import re

import lxml.html


def parse(html_text: str):
    """Parse the report page."""
    return lxml.html.fromstring(html_text)


def pillar_counts(doc, caption_contains: str) -> dict[str, dict[str, int]]:
    """Return {item id: {column header: count}} from the data table whose caption mentions the pillar."""
    for table in doc.iter("table"):
        caption = table.find("caption")
        if caption is None or caption_contains not in caption.text_content():
            continue
        headers = [th.text_content().strip() for th in table.find("thead").iter("th")]
        out = {}
        for tr in table.find("tbody").iter("tr"):
            cells = [c.text_content().strip() for c in tr]
            row = {}
            for header, cell in zip(headers[2:], cells[2:], strict=False):
                match = re.match(r"^(\d+)", cell)
                if match:
                    row[header] = int(match.group(1))
            out[cells[0]] = row
        return out
    raise AssertionError(f"no data table with caption containing {caption_contains!r}")


def table_after_heading(doc, heading_text: str):
    """Return the rows (lists of cell texts) of the first table after the heading with this text."""
    for h in doc.iter("h2", "h3"):
        if heading_text in h.text_content():
            node = h.getnext()
            while node is not None and node.tag != "table" and not node.findall(".//table"):
                node = node.getnext()
            if node is None:
                break
            table = node if node.tag == "table" else node.find(".//table")
            return [[c.text_content().strip() for c in tr] for tr in table.find("tbody").iter("tr")]
    raise AssertionError(f"no table after heading {heading_text!r}")
