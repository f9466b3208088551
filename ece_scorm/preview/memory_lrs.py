"""The preview's in-memory xAPI endpoint: statements, State and Agent Profile documents, cmi5 launch data.

It exists so that an author sees, while writing, what an LRS would record. It keeps everything in memory for
one preview session and accepts any well-formed statement; conformance is tested against a real LRS elsewhere.
"""

from __future__ import annotations

import json
import secrets
import threading
import uuid
from datetime import UTC, datetime
from urllib.parse import parse_qs

from ece_scorm.lrs.client import actor_key

MAX_BODY = 5 * 1024 * 1024  # far above a batch of statements; refuses a runaway client


def agent_key(agent: str) -> str:
    """Return one spelling of an agent, whatever the JSON key order or spacing a client used."""
    try:
        value = json.loads(agent)
    except ValueError:
        return agent
    return actor_key(value) or agent  # the identifier the LRS client and the reports key learners by


class MemoryLRS:
    """Statements and documents for one preview session, safe to use from several request threads."""

    def __init__(self, on_statement=None):
        self.lock = threading.Lock()
        self.statements: list[dict] = []
        self.documents: dict[tuple, tuple[str, bytes]] = {}
        self.tokens: set[str] = set()
        self.offline = False  # the page can simulate an unreachable LRS to show the outbox at work
        self.on_statement = on_statement

    def issue_token(self) -> str:
        """Return a fresh launch token (what a cmi5 LMS answers on the fetch URL)."""
        token = "Basic " + secrets.token_urlsafe(18)
        with self.lock:
            self.tokens.add(token)
        return token

    def launch_data(self, key: tuple, data: dict) -> None:
        """Store a cmi5 LMS.LaunchData document for an AU launch."""
        with self.lock:
            self.documents[key] = ("application/json", json.dumps(data).encode())

    def handle(self, method: str, path: str, query: str, body: bytes) -> tuple[int, str, bytes]:
        """Answer one xAPI request below the endpoint; return (status, content type, body)."""
        if self.offline and path != "about":
            return 503, "application/json", b'{"error": "the preview LRS is switched off"}'
        params = {k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}
        if path == "about":
            return 200, "application/json", b'{"version": ["1.0.3"]}'
        if path == "statements":
            return self._statements(method, params, body)
        if path in ("activities/state", "agents/profile", "activities/profile"):
            return self._document(method, path, params, body)
        return 404, "application/json", b'{"error": "unknown xAPI resource"}'

    def _statements(self, method: str, params: dict, body: bytes) -> tuple[int, str, bytes]:
        if method == "GET":
            return self._get_statements(params)
        if method not in ("POST", "PUT"):
            return 405, "application/json", b"{}"
        try:
            payload = json.loads(body or b"null")
        except ValueError:
            return 400, "application/json", b'{"error": "body is not JSON"}'
        batch = payload if isinstance(payload, list) else [payload]
        if not batch or not all(
            isinstance(s, dict) and "actor" in s and "verb" in s and "object" in s for s in batch
        ):
            return 400, "application/json", b'{"error": "a statement needs actor, verb and object"}'
        stored = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        ids = []
        with self.lock:
            known = {s.get("id") for s in self.statements}
            for st in batch:
                st = dict(st)
                st.setdefault("id", params.get("statementId") or str(uuid.uuid4()))
                ids.append(st["id"])
                if st["id"] in known:
                    continue  # idempotent: the outbox may resend a batch the LRS already stored
                st["stored"] = stored
                self.statements.append(st)
                known.add(st["id"])
                if self.on_statement:
                    self.on_statement(st)
        if method == "PUT":
            return 204, "application/json", b""
        return 200, "application/json", json.dumps(ids).encode()

    def _get_statements(self, params: dict) -> tuple[int, str, bytes]:
        with self.lock:
            found = list(reversed(self.statements))
        if "statementId" in params:
            match = [s for s in found if s.get("id") == params["statementId"]]
            if not match:
                return 404, "application/json", b"{}"
            return 200, "application/json", json.dumps(match[0]).encode()
        return 200, "application/json", json.dumps({"statements": found, "more": ""}).encode()

    def _document(self, method: str, path: str, params: dict, body: bytes) -> tuple[int, str, bytes]:
        ident = params.get("stateId") or params.get("profileId") or ""
        key = (
            path,
            params.get("activityId", ""),
            agent_key(params.get("agent", "")),
            params.get("registration", ""),
            ident,
        )
        with self.lock:
            if method == "GET":
                doc = self.documents.get(key)
                if doc is None:
                    return 404, "application/json", b""
                return 200, doc[0], doc[1]
            if method in ("PUT", "POST"):
                self.documents[key] = ("application/octet-stream", body)
                return 204, "application/json", b""
            if method == "DELETE":
                self.documents.pop(key, None)
                return 204, "application/json", b""
        return 405, "application/json", b"{}"

    def snapshot(self) -> list[dict]:
        """Return the stored statements, oldest first."""
        with self.lock:
            return list(self.statements)
