"""ADL's CATAPULT cmi5 player through its REST API (../shared/lms/README.md, "CATAPULT (cmi5): REST API").

A `Catapult` is one tenant (tenants see nothing of each other, so each test module gets a clean player):
import a cmi5 zip, create a registration for an actor, ask for a launch URL per AU and launch mode, and read
back what the player decided: the registration's moveOn/satisfied tree, each session's flags, and the
statements its LRS holds for a registration.
"""

from __future__ import annotations

import base64
import json
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any


class CatapultError(RuntimeError):
    """A REST call CATAPULT answered with an error status (its message names the violated requirement)."""

    def __init__(self, status: int, body: Any) -> None:
        super().__init__(f"CATAPULT answered {status}: {body}")
        self.status = status
        self.body = body


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def _call(method: str, url: str, auth: str, body: Any = None, ctype: str = "application/json") -> Any:
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    headers = {"Authorization": auth}
    if data is not None:
        headers["Content-Type"] = ctype
    if "/xAPI/" in url:
        headers["X-Experience-API-Version"] = "1.0.3"
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            raw = resp.read()
    except urllib.error.HTTPError as err:
        raw = err.read()
        try:
            detail: Any = json.loads(raw)
        except ValueError:
            detail = raw.decode("utf-8", "replace")
        raise CatapultError(err.code, detail) from None
    return json.loads(raw) if raw else None


class Catapult:
    """One CATAPULT tenant: courses, registrations, launches, and what the player and its LRS recorded."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.base = env["player_url"].rstrip("/")
        key = _basic(env["api_key"], env["api_secret"])
        tenant = _call("POST", f"{self.base}/api/v1/tenant", key, {"code": f"ece-{secrets.token_hex(6)}"})
        token = _call("POST", f"{self.base}/api/v1/auth", key, {"tenantId": tenant["id"], "audience": "ece"})
        self.auth = f"Bearer {token['token']}"
        self.lrs_auth = _basic(env["lrs_user"], env["lrs_password"])

    def api(self, method: str, path: str, body: Any = None, ctype: str = "application/json") -> Any:
        """Call the player's REST API (v1) as this tenant."""
        return _call(method, f"{self.base}/api/v1/{path.lstrip('/')}", self.auth, body, ctype)

    def import_course(self, zip_path: Path) -> dict:
        """Import a cmi5 package (CATAPULT validates it: XSD, ids, AU URLs); return {id, metadata:{aus}}."""
        return self.api("POST", "course", Path(zip_path).read_bytes(), "application/zip")

    def register(self, course_id: int, actor: dict) -> dict:
        """Create a registration of `actor` in the course; return {id, code, ...}."""
        return self.api("POST", "registration", {"courseId": course_id, "actor": actor})

    def launch_url(
        self, course_id: int, au_index: int, actor: dict, reg_code: str, mode: str = "Normal", **extra: Any
    ) -> dict:
        """Start a session of AU `au_index` in `mode` (Normal | Browse | Review); return {id, url, ...}."""
        body = {"actor": actor, "reg": reg_code, "launchMode": mode, **extra}
        out = self.api("POST", f"course/{course_id}/launch-url/{au_index}", body)
        if out["url"].startswith("/"):
            out["url"] = self.base + out["url"]
        return out

    def registration(self, reg_id: int) -> dict:
        """Return the registration as the player judges it (moveOn and `satisfied` per AU, block, course)."""
        return self.api("GET", f"registration/{reg_id}")

    def session(self, session_id: int) -> dict:
        """Return a session's flags (isInitialized, isTerminated, isAbandoned, ...)."""
        return self.api("GET", f"session/{session_id}")

    def wait_session(self, session_id: int, until: Callable[[dict], bool], timeout: float = 15.0) -> dict:
        """Poll a session until `until(flags)` holds: CATAPULT sets its flags after storing the statement."""
        deadline = time.monotonic() + timeout
        flags = self.session(session_id)
        while not until(flags) and time.monotonic() < deadline:
            time.sleep(0.25)
            flags = self.session(session_id)
        return flags

    def statements(self, reg_code: str) -> list[dict]:
        """Return every statement the player's LRS holds for a registration, oldest first."""
        q = urllib.parse.urlencode({"registration": reg_code, "ascending": "true", "limit": 500})
        url: str | None = f"{self.env['lrs_endpoint'].rstrip('/')}/statements?{q}"
        out: list[dict] = []
        while url:
            page = _call("GET", url, self.lrs_auth)
            out.extend(page.get("statements", []))
            more = page.get("more")
            url = urllib.parse.urljoin(self.env["lrs_endpoint"], more) if more else None
        return out

    def wait_statements(
        self, reg_code: str, until: Callable[[list[dict]], bool], timeout: float = 20.0
    ) -> list[dict]:
        """Poll the LRS until `until(statements)` holds; fail with the verbs that did arrive."""
        deadline = time.monotonic() + timeout
        got: list[dict] = []
        while time.monotonic() < deadline:
            got = self.statements(reg_code)
            if until(got):
                return got
            time.sleep(0.25)
        raise AssertionError(f"CATAPULT's LRS never got there: {[verb(s) for s in got]}")


def verb(stmt: dict) -> str:
    """Return the last segment of a statement's verb IRI (abandoned, launched, initialized...)."""
    return stmt["verb"]["id"].rsplit("/", 1)[-1]


def session_id(stmt: dict) -> str | None:
    """Return the cmi5 session id a statement carries."""
    ext = (stmt.get("context") or {}).get("extensions") or {}
    return ext.get("https://w3id.org/xapi/cmi5/context/extensions/sessionid")


def satisfied_aus(registration: dict) -> dict[str, bool]:
    """Return {AU lmsId: satisfied} from a registration's moveOn tree (blocks nest AUs)."""
    out: dict[str, bool] = {}

    def walk(node: dict) -> None:
        for child in node.get("children", []):
            if child.get("type") == "au":
                out[child["lmsId"]] = bool(child.get("satisfied"))
            walk(child)

    walk(registration["metadata"]["moveOn"])
    return out


class Verdicts:
    """What CATAPULT answered to every statement POST an AU made in a browser context.

    `posted` holds the ids of each batch that got an answer, with its status; `refused` the batches it
    rejected (a cmi5 LMS refuses a whole batch at its first violation). Batches the browser could not
    deliver (offline, page gone) get no answer and are in neither list.
    """

    def __init__(self, context: Any) -> None:
        self.answered: list[tuple[int, list[str], str]] = []  # (status, statement ids, url)
        context.on("requestfinished", self._finished)

    def _finished(self, request: Any) -> None:
        if request.method != "POST" or "/lrs/statements" not in request.url:
            return
        response = request.response()
        try:
            body = json.loads(request.post_data or "[]")
        except ValueError:
            body = []
        batch = body if isinstance(body, list) else [body]
        self.answered.append((response.status if response else 0, [s.get("id") for s in batch], request.url))

    @property
    def refused(self) -> list[tuple[int, list[str], str]]:
        return [a for a in self.answered if not 200 <= a[0] < 300]

    @property
    def accepted_ids(self) -> set[str]:
        return {i for status, ids, _ in self.answered if 200 <= status < 300 for i in ids}
