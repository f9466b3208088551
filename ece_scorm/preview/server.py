"""`ece-scorm preview`: build in memory, serve on 127.0.0.1 beside a live panel of what an LMS would record.

SCORM packages talk to a small LMS API written in the preview page (assets/preview.js); xAPI and cmi5
packages post to the in-memory endpoint of memory_lrs.py. A watchdog observer rebuilds on every source change
and Server-Sent Events reload the page; source errors are shown in the page and in the terminal.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import mimetypes
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlencode, urlsplit

from ece_scorm.errors import EceError, SourceInvalid
from ece_scorm.pipeline.formats import NAMES as FORMATS
from ece_scorm.preview.memory_lrs import MAX_BODY, MemoryLRS

if TYPE_CHECKING:  # watchdog is imported when the server starts watching
    from watchdog.observers.api import BaseObserver

ASSETS = Path(__file__).resolve().parent / "assets"
LEARNER = {"objectType": "Agent", "name": "Preview Learner", "mbox": "mailto:learner@preview.invalid"}
DEBOUNCE_S = 0.3
SESSION_EXT = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"

log = logging.getLogger(__name__)


class Build:
    """One in-memory build: files per module, or the errors that stopped it."""

    def __init__(
        self,
        version: int,
        files: dict[str, bytes],
        modules: list[dict],
        errors: list[str],
        warnings: list[str],
        course_id: str | None,
    ):
        self.version = version
        self.files = files
        self.modules = modules
        self.errors = errors
        self.warnings = warnings
        self.course_id = course_id


def build_in_memory(source: Path, fmt: str, version: int) -> Build:
    """Run the build pipeline for one format, one package per module, keeping the files in memory."""
    from ece_scorm.pipeline.plan import make_packages, plan_packages
    from ece_scorm.source.course import load_course

    try:
        course, warnings = load_course(source)
        plans = plan_packages(course, [fmt], course.modules, "module", Path("preview"), "")
        files: dict[str, bytes] = {}
        for package in make_packages(course, plans, course.languages):
            module_id = package.plan.modules[0].id  # served under /course/<module>/, as a series lays it out
            files.update((f"{module_id}/{f.path}", f.data) for f in package.files)
        modules = [
            {
                "id": module.id,
                "title": dict(module.title),
                "activityId": course.activity_id(module),
                "kind": module.kind,
            }
            for module in course.modules
        ]
        return Build(version, files, modules, [], [str(w) for w in warnings], course.id)
    except SourceInvalid as exc:
        return Build(version, {}, [], [str(i) for i in exc.issues], [], None)
    except EceError as exc:  # e.g. the state budget (MUST 20) or a missing media file
        return Build(version, {}, [], [exc.format_message()], [], None)


class Preview:
    """The preview state shared by request threads: the current build, the LRS, the event subscribers."""

    def __init__(self, source: Path, fmt: str):
        self.source = source
        self.fmt = fmt
        self.changed = threading.Condition()
        self.lrs = MemoryLRS(on_statement=lambda st: self.notify("statement", st))
        self.events: list[tuple[int, str, str]] = []  # (sequence, event, JSON data)
        self.sequence = 0
        self.registrations: dict[str, str] = {}
        self.good: Build | None = None
        self.current = self.rebuild()

    def rebuild(self) -> Build:
        """Build again; keep serving the last good build while the source has errors."""
        version = (self.current.version + 1) if getattr(self, "current", None) else 1
        started = time.perf_counter()
        build = build_in_memory(self.source, self.fmt, version)
        self.current = build
        if not build.errors:
            self.good = build
            log.info("[preview] build %d ready (%.1f s)", version, time.perf_counter() - started)
        else:
            log.error("[preview] build %d failed:", version)
            for line in build.errors:
                log.error("  %s", line)
        for line in build.warnings:
            log.warning("  %s", line)
        self.notify("build", self.state())
        return build

    def notify(self, event: str, data) -> None:
        """Queue one Server-Sent Event for every connected page."""
        with self.changed:
            self.sequence += 1
            self.events.append((self.sequence, event, json.dumps(data, ensure_ascii=False)))
            del self.events[:-500]  # a page that reconnects gets at most the recent history
            self.changed.notify_all()

    def state(self) -> dict:
        """Return what the page needs: format, modules, errors and the build it is showing."""
        shown = self.good or self.current
        return {
            "format": self.fmt,
            "version": self.current.version,
            "shown": shown.version,
            "errors": self.current.errors,
            "warnings": self.current.warnings,
            "modules": shown.modules,
        }

    def launch(self, module_id: str, origin: str) -> str:
        """Return the URL that opens a module as an LMS would launch it in this format."""
        build = self.good
        mod = next((m for m in (build.modules if build else []) if m["id"] == module_id), None)
        if mod is None:
            raise KeyError(module_id)
        path = f"/course/{module_id}/index.html"
        if self.fmt in ("scorm12", "scorm2004"):
            return path  # the player finds the page's API / API_1484_11 in window.parent (MUST 15)
        registration = self.registrations.setdefault(module_id, str(uuid.uuid4()))
        actor = json.dumps(LEARNER, separators=(",", ":"))
        if self.fmt == "xapi":
            # A throwaway token minted per preview session; it never enters a package (MUST 27).
            query = {
                "endpoint": f"{origin}/lrs/",
                "auth": self.lrs.issue_token(),
                "actor": actor,
                "registration": registration,
                "activity_id": mod["activityId"],
            }
            return f"{path}?{urlencode(query)}"
        session = str(uuid.uuid4())
        move_on = "CompletedAndPassed" if mod["kind"] == "module" else "Completed"
        self.lrs.launch_data(
            ("activities/state", mod["activityId"], LEARNER["mbox"], registration, "LMS.LaunchData"),
            {
                "contextTemplate": {"extensions": {SESSION_EXT: session}},
                "launchMode": "Normal",
                "moveOn": move_on,
            },
        )
        query = {
            "endpoint": f"{origin}/lrs/",
            "fetch": f"{origin}/lrs/fetch?session={session}",
            "actor": actor,
            "registration": registration,
            "activityId": mod["activityId"],
        }
        return f"{path}?{urlencode(query)}"


class _Server(ThreadingHTTPServer):
    """The HTTP server, with the flag that tells open event streams to end."""

    daemon_threads = True
    stopping = False


class Handler(BaseHTTPRequestHandler):
    """Serve the preview page, the built course, the event stream and the in-memory LRS."""

    server_version = "ece-scorm-preview"
    preview: Preview  # set on the subclass made by PreviewServer
    server: _Server

    def log_message(self, format, *args) -> None:  # quiet: the terminal shows builds, not every request
        pass

    def _send(self, status: int, ctype: str, body: bytes, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Access-Control-Allow-Origin", "*")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            # The page may go away (a reload while a statement is in flight): nobody is left to answer.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

    def _json(self, data, status: int = 200) -> None:
        self._send(status, "application/json; charset=utf-8", json.dumps(data, ensure_ascii=False).encode())

    def _body(self) -> bytes | None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._send(413, "text/plain", b"request too large")
            return None
        return self.rfile.read(length) if length else b""

    def do_OPTIONS(self) -> None:
        self._send(
            204,
            "text/plain",
            b"",
            {
                "Access-Control-Allow-Methods": "GET, POST, PUT, DELETE, OPTIONS",
                "Access-Control-Allow-Headers": "Authorization, Content-Type, X-Experience-API-Version, "
                "If-Match, If-None-Match",
            },
        )

    def do_GET(self) -> None:
        self._route("GET")

    def do_HEAD(self) -> None:
        self._route("GET")

    def do_POST(self) -> None:
        self._route("POST")

    def do_PUT(self) -> None:
        self._route("PUT")

    def do_DELETE(self) -> None:
        self._route("DELETE")

    def _route(self, method: str) -> None:
        url = urlsplit(self.path)
        path = url.path
        p = self.preview
        if path.startswith("/lrs/"):
            return self._lrs(method, path, url.query)
        if method != "GET":
            return self._send(405, "text/plain", b"method not allowed")
        if path.startswith("/api/"):
            return self._api(path, url.query)
        if path == "/events":
            return self._events()
        if path in ("/", "/index.html"):
            return self._asset("preview.html")
        if path in ("/preview.js", "/preview.css"):
            return self._asset(path[1:])
        if path.startswith("/course/"):
            return self._course_file(p.good, path)
        self._send(404, "text/plain", b"not found")

    def _lrs(self, method: str, path: str, query: str) -> None:
        """Answer the in-memory LRS (and the cmi5 fetch URL) under /lrs/."""
        p = self.preview
        body = self._body() if method in ("POST", "PUT") else b""
        if body is None:
            return
        if path == "/lrs/fetch":  # the cmi5 fetch URL answers a token once per launch
            return self._json({"auth-token": p.lrs.issue_token()})
        status, ctype, data = p.lrs.handle(method, path[len("/lrs/") :], query, body)
        return self._send(status, ctype, data, {"X-Experience-API-Version": "1.0.3"})

    def _api(self, path: str, query: str) -> None:
        """Answer the preview page's own requests under /api/."""
        p = self.preview
        if path == "/api/state":
            return self._json(p.state())
        if path == "/api/statements":
            return self._json(p.lrs.snapshot())
        if path == "/api/launch":
            module = parse_qs(query).get("module", [""])[0]
            try:
                return self._json({"url": p.launch(module, f"http://{self.headers.get('Host')}")})
            except KeyError:
                return self._json({"error": f"no module {module!r}"}, 404)
        if path == "/api/lrs-offline":
            p.lrs.offline = query == "on"
            return self._json({"offline": p.lrs.offline})
        return self._send(404, "text/plain", b"not found")

    def _course_file(self, build: Build | None, path: str) -> None:
        """Serve one file of the last good build under /course/."""
        served = build.files.get(path[len("/course/") :]) if build else None
        if served is None:
            return self._send(404, "text/plain; charset=utf-8", b"not in the built course")
        ctype = mimetypes.guess_type(path)[0] or "application/octet-stream"
        if ctype.startswith("text/") or ctype.endswith(("javascript", "json", "svg+xml")):
            ctype += "; charset=utf-8"
        return self._send(200, ctype, served)

    def _asset(self, name: str) -> None:
        data = (ASSETS / name).read_bytes()
        ctype = {"html": "text/html", "js": "text/javascript", "css": "text/css"}[name.rsplit(".", 1)[1]]
        self._send(200, ctype + "; charset=utf-8", data)

    def _news(self, seen: int) -> bool:
        """Return True when there are events after `seen`, or the server stops (called under the lock)."""
        return self.preview.sequence > seen or self.server.stopping

    def _events(self) -> None:
        """Stream build and statement events until the page goes away."""
        p = self.preview
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        with p.changed:
            seen = p.sequence
        try:
            self.wfile.write(b"retry: 1000\n\n")
            self.wfile.flush()
            while not self.server.stopping:
                with p.changed:
                    p.changed.wait_for(functools.partial(self._news, seen), timeout=15)
                    fresh = [e for e in p.events if e[0] > seen]
                    seen = p.sequence
                chunk = "".join(f"id: {n}\nevent: {name}\ndata: {data}\n\n" for n, name, data in fresh)
                self.wfile.write((chunk or ": keep-alive\n\n").encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            return


class _Debounced:
    """Run `action` once, DEBOUNCE_S after the last of a burst of calls (an editor saves in several steps)."""

    def __init__(self, action):
        self.action = action
        self.timer: threading.Timer | None = None
        self.lock = threading.Lock()

    def __call__(self, *_args) -> None:
        with self.lock:
            if self.timer:
                self.timer.cancel()
            self.timer = threading.Timer(DEBOUNCE_S, self.action)
            self.timer.daemon = True
            self.timer.start()

    def cancel(self) -> None:
        """Drop a pending run."""
        with self.lock:
            if self.timer:
                self.timer.cancel()


class PreviewServer:
    """The preview HTTP server on 127.0.0.1 plus the source watcher; start() returns the page URL."""

    def __init__(self, source: Path, fmt: str = "scorm12", port: int = 0):
        if fmt not in FORMATS:
            raise EceError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
        if not source.is_dir():
            raise EceError(f"course source folder {source} does not exist")
        self.source = source
        self.preview = Preview(source, fmt)
        handler = type("BoundHandler", (Handler,), {"preview": self.preview})
        try:
            self.httpd = _Server(("127.0.0.1", port), handler)
        except OSError as exc:
            raise EceError(
                f"cannot listen on 127.0.0.1:{port} ({exc.strerror or exc}); try --port 0"
            ) from None
        self.thread: threading.Thread | None = None
        self.observer: BaseObserver | None = None
        self.rebuild = _Debounced(self.preview.rebuild)

    @property
    def url(self) -> str:
        """Return the page address."""
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def start(self) -> str:
        """Serve in a background thread and watch the source; return the page URL."""
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer

        rebuild = self.rebuild

        class OnChange(FileSystemEventHandler):
            def on_any_event(self, event) -> None:
                if event.event_type in ("opened", "closed_no_write"):
                    return  # reading a file is not a change
                rebuild()

        observer = self.observer = Observer()
        observer.schedule(OnChange(), str(self.source), recursive=True)
        observer.daemon = True
        observer.start()
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="ece-preview", daemon=True)
        self.thread.start()
        return self.url

    def stop(self) -> None:
        """Stop watching and serving; close every event stream."""
        self.rebuild.cancel()
        if self.observer:
            self.observer.stop()
            self.observer.join(timeout=5)
        self.httpd.stopping = True
        with self.preview.changed:
            self.preview.changed.notify_all()
        if self.thread:  # shutdown() waits for serve_forever(), which never ran without start()
            self.httpd.shutdown()
        self.httpd.server_close()
