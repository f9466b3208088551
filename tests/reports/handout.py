"""Read the reflect-and-align handout back: its item lists, plans and notes, as a reader sees them."""

from __future__ import annotations

import re

import lxml.html

_COUNT = re.compile(r"([^\d·—]+?)\s(\d+)(?=\s+[·—])")


def parse(html_text: str):
    """Parse the handout page."""
    return lxml.html.fromstring(html_text)


def counts_of(text: str) -> dict[str, int]:
    """Parse 'Yes 3 · Somewhat 1 · No 0 · Unknown 0 — 4 answer(s), agreement 88%' into label -> count."""
    head = text.split("—")[0] + " —"
    return {label.strip(" ·"): int(n) for label, n in _COUNT.findall(head)}


def _entries(ol) -> list[dict]:
    out = []
    for li in ol.iterchildren("li"):
        number = li.find("span[@class='num']")
        counts = li.find(".//span[@class='counts']")
        label = number.text_content().strip() if number is not None else ""
        text = (number.tail or "").strip() if number is not None else li.text_content().strip()
        line = counts.text_content().strip() if counts is not None else ""
        out.append(
            {"label": label, "text": text, "line": line, "counts": counts_of(line) if "—" in line else {}}
        )
    return out


def pillar_items(doc, pillar_id: str) -> list[dict]:
    """Return the numbered items under the pillar's heading, in order."""
    heading = doc.get_element_by_id(f"pillar-{pillar_id}")
    ol = heading.getnext()
    assert ol is not None and ol.tag == "ol", f"no item list after pillar {pillar_id}"
    return _entries(ol)


def glance(doc, list_id: str) -> list[dict] | str:
    """Return the entries of an "at a glance" list (strengths, gaps, split, uncertain), or its empty text."""
    heading = doc.get_element_by_id(f"g-{list_id}")
    after = heading.getnext()
    if after.tag == "ol":
        return _entries(after)
    return after.text_content().strip()


def plans(doc) -> dict[str, list[tuple[str, str]]]:
    """Return {plan question heading: [(member label, text)]} from the plans section."""
    out = {}
    for section in doc.find_class("plans")[0].iterchildren("section"):
        title = section.find("h3").text_content().strip()
        rows = []
        for li in section.iter("li"):
            who = li.find("span[@class='who']").text_content().strip()
            rows.append((who, li.text_content().strip()[len(who) :].strip()))
        out[title] = rows
    return out


def notes(doc) -> list[str]:
    """Return the privacy notes at the top of the handout."""
    return [p.text_content().strip() for p in doc.find_class("notes")[0].iter("p")]
