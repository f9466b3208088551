"""`ece-scorm preview`: serve the course (preview/server.py) until Ctrl+C, optionally opening a browser."""

from __future__ import annotations

import logging
import time
import webbrowser
from pathlib import Path

from ece_scorm.preview.server import PreviewServer

log = logging.getLogger(__name__)


def run_preview(source: Path, *, fmt: str = "scorm12", port: int = 0, open_browser: bool = True) -> None:
    """Serve the preview until Ctrl+C."""
    server = PreviewServer(source, fmt, port)
    url = server.start()
    log.info("Previewing %s as %s at %s  (Ctrl+C to stop)", source, fmt, url)
    if open_browser:
        webbrowser.open(url)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        log.info("\nPreview stopped.")
    finally:
        server.stop()
