"""Helpers shared by the manifest rule checks."""

from __future__ import annotations

from lxml import etree


def local_name(el: etree._Element) -> str:
    """Return an element's name without namespace ('' for comments and processing instructions)."""
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def in_range(value: str, low: float, high: float) -> bool:
    """Return whether value is a decimal number from low to high inclusive."""
    try:
        return low <= float(value) <= high
    except ValueError:
        return False
