"""The LMS side of xAPI and cmi5 launches for tests, in front of the real LRS (Learning Locker).

Learning Locker's statements service has no State or Agent Profile API, so this launcher plays what a cmi5
player or mod_tincanlaunch does: it writes the launch parameters, answers the cmi5 fetch URL once, serves
State and Agent Profile documents, and forwards statements to the LRS with its own credentials. It runs on
two 127.0.0.1 ports — content and LMS — so every LRS call from the package is cross-origin (MUST 29).
It can also fail on purpose (`mode`: offline, 503, 401, lost-reply) and, for cmi5, rejects a whole batch at
its first violation of the launch contract (MUST 31–32), as a strict cmi5 LMS does; `violations` lists them.
Like CATAPULT, a new cmi5 launch abandons the open sessions of the same registration and AU (their tokens
get 403), and a statement of another session (its sessionid) takes its whole batch down with a 403
(10.2.1.0-6), so an AU that carries queued statements into the next session fails here as it does there.
"""

from __future__ import annotations

import base64
import http.server
import json
import secrets
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.cmi5_rules import check_statement
from tests.support.lrs_server import LrsServer

XAPI_VERSION = "1.0.3"
CMI5_CTX = "https://w3id.org/xapi/cmi5/context/"
MAX_BODY = 8 * 1024 * 1024


@dataclass
class Session:
    """One launch: what the AU was given and what the LMS saw of it."""

    kind: str  # "xapi" | "cmi5"
    actor: dict
    registration: str
    activity_id: str
    auth: str  # the Authorization value the package must send back
    token: str = ""
    launch_mode: str = "Normal"
    mastery_score: float | None = None
    move_on: str = "NotApplicable"
    session_id: str = ""
    fetch_calls: int = 0
    statements: list[dict] = field(default_factory=list)  # accepted ones, in arrival order
    prefs_read: bool = False
    terminated: bool = False
    abandoned: bool = False  # a later launch of the same registration and AU replaced it


class Launcher:
    """Serve a package folder and an LMS endpoint; see the module docstring."""

    def __init__(self, lrs: LrsServer, content_dir: Path):
        self.lrs = lrs
        self.content_dir = Path(content_dir)
        self.mode = "ok"  # "ok" | "offline" | "503" | "401" | "lost-reply" (statements stored, no answer)
        self.sessions: list[Session] = []
        self.violations: list[str] = []
        self.log: list[tuple[str, str, int]] = []  # (method, path, status) of LMS requests
        self.posted_ids: list[str] = []  # every statement id received, repeats included
        self.states: dict[tuple, tuple[bytes, str]] = {}
        self.profiles: dict[tuple, tuple[bytes, str]] = {}
        self.lock = threading.Lock()
        self._servers: list[http.server.ThreadingHTTPServer] = []

    # --- lifecycle -------------------------------------------------------------------------------
    def start(self) -> Launcher:
        """Start both servers on free 127.0.0.1 ports."""
        launcher = self

        class Content(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *a, **kw):
                super().__init__(*a, directory=str(launcher.content_dir), **kw)

            def log_message(self, *args):
                pass

        class Lms(_LmsHandler):
            owner = launcher

        for handler in (Content, Lms):
            srv = _Server(("127.0.0.1", 0), handler)
            srv.daemon_threads = True
            threading.Thread(target=srv.serve_forever, daemon=True).start()
            self._servers.append(srv)
        return self

    def stop(self) -> None:
        """Stop both servers."""
        for srv in self._servers:
            srv.shutdown()
            srv.server_close()
        self._servers.clear()

    @property
    def content_url(self) -> str:
        return f"http://127.0.0.1:{self._servers[0].server_port}/"

    @property
    def lms_url(self) -> str:
        return f"http://127.0.0.1:{self._servers[1].server_port}/"

    @property
    def endpoint(self) -> str:
        return self.lms_url + "lrs/"

    # --- launches --------------------------------------------------------------------------------
    def launch_xapi(
        self,
        path: str,
        actor: dict,
        activity_id: str,
        registration: str | None = None,
        language: str | None = None,
    ) -> str:
        """Return a Rustici / mod_tincanlaunch launch URL (MUST 27) with fresh per-launch credentials."""
        if language:  # mod_tincanlaunch writes the Moodle user's language here before the redirect
            self.profiles[(_agent_key(actor), "CMI5LearnerPreferences")] = (
                json.dumps({"languagePreference": language}).encode(),
                "application/json",
            )
        key_secret = f"launch-{secrets.token_hex(4)}:{secrets.token_hex(8)}"
        auth = "Basic " + base64.b64encode(key_secret.encode()).decode()
        sess = Session("xapi", actor, registration or str(uuid.uuid4()), activity_id, auth)
        self.sessions.append(sess)
        query = urllib.parse.urlencode(
            {
                "endpoint": self.endpoint,
                "auth": auth,
                "actor": json.dumps(actor),
                "registration": sess.registration,
                "activity_id": activity_id,
            },
            quote_via=urllib.parse.quote,
        )
        return f"{self.content_url}{path}?{query}"

    def launch_cmi5(
        self,
        path: str,
        actor: dict,
        activity_id: str,
        *,
        registration: str | None = None,
        launch_mode: str = "Normal",
        mastery_score: float | None = None,
        move_on: str = "CompletedAndPassed",
        return_url: str | None = None,
        language: str | None = None,
    ) -> str:
        """Create a cmi5 session like an LMS: LaunchData state, preferences, launched; return the AU URL."""
        token = base64.b64encode(secrets.token_bytes(18)).decode()
        sess = Session(
            "cmi5",
            actor,
            registration or str(uuid.uuid4()),
            activity_id,
            "Basic " + token,
            token=token,
            launch_mode=launch_mode,
            mastery_score=mastery_score,
            move_on=move_on,
            session_id=str(uuid.uuid4()),
        )
        for old in self.sessions:
            if (old.kind, old.registration, old.activity_id) == ("cmi5", sess.registration, activity_id):
                old.abandoned = old.abandoned or not old.terminated
        self.sessions.append(sess)
        launch_data = {
            "contextTemplate": {
                "contextActivities": {"grouping": [{"objectType": "Activity", "id": activity_id}]},
                "extensions": {CMI5_CTX + "extensions/sessionid": sess.session_id},
            },
            "launchMode": launch_mode,
            "moveOn": move_on,
            "returnURL": return_url or (self.lms_url + "returned"),
        }
        if mastery_score is not None:
            launch_data["masteryScore"] = mastery_score
        self.put_state(activity_id, actor, sess.registration, "LMS.LaunchData", launch_data)
        if language:
            key = (_agent_key(actor), "cmi5LearnerPreferences")
            self.profiles[key] = (json.dumps({"languagePreference": language}).encode(), "application/json")
        self._post_to_lrs(
            [
                {
                    "id": str(uuid.uuid4()),
                    "actor": actor,
                    "verb": {"id": "http://adlnet.gov/expapi/verbs/launched"},
                    "object": {"objectType": "Activity", "id": activity_id},
                    "context": {"registration": sess.registration, **launch_data["contextTemplate"]},
                    "timestamp": _now(),
                }
            ]
        )
        # Form encoding ('+' for spaces), as some cmi5 LMSs write it (DESIGN "Facts measured").
        query = urllib.parse.urlencode(
            {
                "endpoint": self.endpoint,
                "fetch": f"{self.lms_url}fetch/{token}",
                "actor": json.dumps(actor),
                "registration": sess.registration,
                "activityId": activity_id,
            }
        )
        return f"{self.content_url}{path}?{query}"

    # --- documents -------------------------------------------------------------------------------
    def put_state(self, activity_id: str, actor: dict, registration: str, state_id: str, value) -> None:
        """Store a State API document as the LMS would (JSON)."""
        key = (activity_id, _agent_key(actor), registration or "", state_id)
        self.states[key] = (json.dumps(value).encode(), "application/json")

    def get_state(self, activity_id: str, actor: dict, registration: str, state_id: str) -> bytes | None:
        """Return a stored State API document's bytes, or None."""
        doc = self.states.get((activity_id, _agent_key(actor), registration or "", state_id))
        return doc[0] if doc else None

    # --- LRS forwarding --------------------------------------------------------------------------
    def _post_to_lrs(self, statements: list[dict]) -> tuple[int, bytes]:
        req = urllib.request.Request(
            self.lrs.endpoint + "statements",
            data=json.dumps(statements).encode(),
            method="POST",
            headers={**self.lrs.headers, "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as err:
            return err.code, err.read()

    def session_for(self, authorization: str | None) -> Session | None:
        """Return the launch whose credentials these are."""
        return next((s for s in self.sessions if authorization and s.auth == authorization), None)


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A browser closing a connection mid-answer (page left, context closed) is normal here.
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def _now() -> str:
    import datetime as _dt

    return _dt.datetime.now(_dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _agent_key(agent: dict | str) -> str:
    """Return an agent's identity (IFI) as a stable string: mbox, mbox_sha1sum, openid or account."""
    if isinstance(agent, str):
        try:
            agent = json.loads(agent)
        except ValueError:
            return ""
    if not isinstance(agent, dict):
        return ""
    for ifi in ("mbox", "mbox_sha1sum", "openid"):
        if agent.get(ifi):
            return f"{ifi}:{agent[ifi]}"
    acc = agent.get("account")
    if isinstance(acc, dict):
        return f"account:{acc.get('homePage')}|{acc.get('name')}"
    return ""


class _LmsHandler(http.server.BaseHTTPRequestHandler):
    owner: Launcher
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    # CORS: the package is served from another origin (MUST 29).
    def _cors(self) -> None:
        self.send_header("Access-Control-Allow-Origin", self.headers.get("Origin") or "*")
        self.send_header(
            "Access-Control-Allow-Headers",
            "Authorization, Content-Type, X-Experience-API-Version, If-Match, If-None-Match",
        )
        self.send_header("Access-Control-Allow-Methods", "GET, PUT, POST, DELETE, OPTIONS")
        self.send_header("Access-Control-Expose-Headers", "ETag, X-Experience-API-Version")
        self.send_header("Vary", "Origin")

    def _reply(self, status: int, body: bytes = b"", ctype: str = "application/json") -> None:
        self.owner.log.append((self.command, self.path.split("?")[0], status))
        self.send_response(status)
        self._cors()
        self.send_header("X-Experience-API-Version", XAPI_VERSION)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, value) -> None:
        self._reply(status, json.dumps(value).encode())

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            raise ValueError("body too large")
        return self.rfile.read(length) if length else b""

    def _dispatch(self) -> None:
        owner, url = self.owner, urllib.parse.urlsplit(self.path)
        body = self._body()
        if owner.mode == "offline":
            # Drop the connection without an answer: the browser sees a network error.
            self.owner.log.append((self.command, url.path, 0))
            self.close_connection = True
            self.connection.shutdown(2)
            return
        if self.command == "OPTIONS":
            self._reply(204, b"", "text/plain")
            return
        if url.path.startswith("/fetch/"):
            self._fetch(url.path[len("/fetch/") :])
            return
        if url.path == "/returned":
            self._reply(200, b"<!doctype html><title>LMS</title><h1>Back in the LMS</h1>", "text/html")
            return
        if not url.path.startswith("/lrs/"):
            self._json(404, {"error": "not found"})
            return
        if owner.mode == "503":
            self._json(503, {"error": "LRS unavailable (simulated)"})
            return
        sess = owner.session_for(self.headers.get("Authorization"))
        if owner.mode == "401" or sess is None:
            self._json(401, {"error": "unknown credentials"})
            return
        if self.headers.get("X-Experience-API-Version", "")[:4] != "1.0.":
            self._json(400, {"error": "missing X-Experience-API-Version"})
            return
        route = url.path[len("/lrs/") :].rstrip("/")
        params = {k: v[0] for k, v in urllib.parse.parse_qs(url.query).items()}
        if route == "statements":
            self._statements(sess, body, url.query)
        elif route == "activities/state":
            self._document(
                owner.states,
                (
                    params.get("activityId"),
                    _agent_key(params.get("agent", "")),
                    params.get("registration", ""),
                    params.get("stateId"),
                ),
                body,
            )
        elif route == "agents/profile":
            if params.get("profileId") == "cmi5LearnerPreferences":
                sess.prefs_read = True
            key = (_agent_key(params.get("agent", "")), params.get("profileId"))
            self._document(owner.profiles, key, body)
        else:
            self._json(404, {"error": f"no route {route}"})

    def _fetch(self, token: str) -> None:
        sess = next((s for s in self.owner.sessions if s.token and s.token == token), None)
        if self.command != "POST" or sess is None:
            self._json(400, {"error-code": "2", "error-text": "unknown session"})
            return
        sess.fetch_calls += 1
        if sess.fetch_calls > 1:  # cmi5: the fetch URL answers once
            self._json(200, {"error-code": "1", "error-text": "Already in Use"})
            return
        self._json(200, {"auth-token": sess.token})

    def _document(self, store: dict, key: tuple, body: bytes) -> None:
        if any(part is None for part in key) or not any(
            k.startswith(("mbox", "openid", "account")) for k in key if isinstance(k, str)
        ):
            self._json(400, {"error": "missing activityId, agent or document id"})
            return
        with self.owner.lock:
            if self.command == "GET":
                doc = store.get(key)
                if doc is None:
                    self._json(404, {"error": "no such document"})
                else:
                    self._reply(200, doc[0], doc[1])
                return
            if self.command in ("PUT", "POST"):
                store[key] = (body, self.headers.get("Content-Type") or "application/octet-stream")
            elif self.command == "DELETE":
                store.pop(key, None)
        self._reply(204, b"", "text/plain")

    def _statements(self, sess: Session, body: bytes, query: str) -> None:
        owner = self.owner
        if self.command == "GET":
            req = urllib.request.Request(
                owner.lrs.endpoint + "statements?" + query, headers=owner.lrs.headers
            )
            try:  # the LRS's answer as it is: 404 says "not held" to an AU asking by statementId
                with urllib.request.urlopen(req, timeout=30) as resp:
                    self._reply(resp.status, resp.read())
            except urllib.error.HTTPError as err:
                self._reply(err.code, err.read())
            return
        try:
            data = json.loads(body or b"null")
        except ValueError:
            self._json(400, {"error": "body is not JSON"})
            return
        batch = data if isinstance(data, list) else [data]
        if not batch or not all(isinstance(s, dict) for s in batch):
            self._json(400, {"error": "expected a statement or a list of statements"})
            return
        with owner.lock:
            owner.posted_ids.extend(str(s.get("id")) for s in batch)
            if sess.kind == "cmi5":
                if sess.abandoned:  # CATAPULT: 403, not a violation (the AU could not know)
                    self._json(403, {"error": "8.1.2.0-2 - session abandoned by a later launch"})
                    return
                foreign = _other_session(owner, sess, batch)
                if foreign:
                    owner.violations.append(foreign)
                    self._json(403, {"error": foreign})
                    return
                known = {s.get("id") for s in sess.statements}
                fresh = [s for s in batch if s.get("id") not in known]  # replays were checked already
                problem = _first_violation(sess, fresh)
                if problem:
                    owner.violations.append(problem)
                    self._json(400, {"error": problem})
                    return
            status, answer = owner._post_to_lrs(batch)
            if owner.mode == "lost-reply":
                # Stored, but the answer never reaches the browser: it must send the same ids again.
                self.owner.log.append((self.command, "/lrs/statements", 0))
                self.close_connection = True
                self.connection.shutdown(2)
                return
            if 200 <= status < 300:
                known = {s.get("id") for s in sess.statements}
                for s in batch:
                    if s.get("id") not in known:
                        sess.statements.append(s)
                        known.add(s.get("id"))
                        sess.terminated = sess.terminated or s["verb"]["id"].endswith("/terminated")
        self._reply(status, answer)

    do_GET = do_PUT = do_POST = do_DELETE = do_OPTIONS = _dispatch


def _other_session(owner: Launcher, sess: Session, batch: list[dict]) -> str | None:
    """Return a 10.2.1.0-6 violation for a statement made in another session than the one sending it."""
    for stmt in batch:
        sid = ((stmt.get("context") or {}).get("extensions") or {}).get(CMI5_CTX + "extensions/sessionid")
        if sid and sid != sess.session_id and any(o.session_id == sid for o in owner.sessions):
            verb = str(stmt.get("verb", {}).get("id", "")).rsplit("/", 1)[-1]
            return f"10.2.1.0-6: {verb} {stmt.get('id')} of session {sid} sent in session {sess.session_id}"
    return None


def _first_violation(sess: Session, batch: list[dict]) -> str | None:
    seen = list(sess.statements)
    for stmt in batch:
        problem = check_statement(sess, seen, stmt)
        if problem:
            return problem
        seen.append(stmt)
    return None
