"""Allow `python -m ece_scorm`."""

from __future__ import annotations

from ece_scorm.cli import cli

if __name__ == "__main__":
    cli(prog_name="ece-scorm")
