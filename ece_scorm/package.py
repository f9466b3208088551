"""The only writer: reproducible zips, written atomically."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OutputFile:
    """One file of a package: its path inside the zip (forward slashes, relative) and its bytes."""

    path: str
    data: bytes
