"""Stream statements from an LRS with the `tincan` client, working around Learning Locker quirks."""

from __future__ import annotations

import contextlib
import gc
import http.client
import json
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit

from tincan import Agent, RemoteLRS
from tincan.http_request import HTTPRequest

from ece_scorm.errors import EceError
from ece_scorm.lrs.config import LrsConfig

XAPI_VERSION = "1.0.3"
PAGE_SIZE = 1000  # fewer requests: Learning Locker re-filters and re-sorts every statement per page
MAX_WIDEN = 64  # how far a page may grow to get past statements sharing one `stored` time
RETRY_STATUSES = frozenset({500, 502, 503, 504})
# Filters we send; a `more` link that carries one of them with another value is broken (see _next_url).
FILTER_KEYS = ("agent", "verb", "activity", "registration", "since", "until", "related_activities")


class LrsError(EceError):
    """The LRS could not be reached or answered something unusable."""


@dataclass(frozen=True)
class StatementQuery:
    """Statement filters (xAPI 1.0.3 GET /statements parameters)."""

    activity: str | None = None
    verb: str | None = None
    agent: dict | None = None  # an xAPI Agent object (mbox / account / mbox_sha1sum / openid)
    registration: str | None = None
    since: str | None = None  # ISO 8601, on `stored`
    until: str | None = None
    related_activities: bool = False
    ascending: bool = False

    def params(self) -> dict[str, str]:
        """Return the query string parameters."""
        out: dict[str, str] = {}
        if self.agent is not None:
            out["agent"] = json.dumps(self.agent, separators=(",", ":"), sort_keys=True)
        for key in ("verb", "activity", "registration", "since", "until"):
            value = getattr(self, key)
            if value:
                out[key] = value
        if self.related_activities:
            out["related_activities"] = "true"
        if self.ascending:
            out["ascending"] = "true"
        return out


def parse_agent(text: str) -> dict:
    """Turn --agent (mailto:, an e-mail address, or Agent JSON) into a normalized Agent object."""
    text = text.strip()
    if text.startswith("{"):
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            raise LrsError(f"--agent: invalid JSON at column {exc.colno}: {exc.msg}") from None
        if not isinstance(raw, dict):
            raise LrsError('--agent: JSON must be an object such as {"mbox": "mailto:a@example.org"}')
    elif text.startswith("mailto:") or "@" in text:
        raw = {"mbox": text if text.startswith("mailto:") else f"mailto:{text}"}
    else:
        raise LrsError(
            "--agent: give mailto:address, an e-mail address, or Agent JSON "
            '(e.g. {"account": {"homePage": "https://lms.example.org", "name": "42"}})'
        )
    ifis = [k for k in ("mbox", "mbox_sha1sum", "openid", "account") if k in raw]
    if len(ifis) != 1:
        raise LrsError("--agent: an Agent needs exactly one of mbox, mbox_sha1sum, openid, account")
    try:
        # The tincan model validates the identifier and normalizes it (e.g. adds mailto:).
        agent = json.loads(Agent.from_json(json.dumps(raw)).to_json(XAPI_VERSION))
    except (ValueError, TypeError, AttributeError) as exc:
        raise LrsError(f"--agent: not a valid xAPI Agent ({exc})") from None
    agent.pop("name", None)  # the LRS matches on the identifier only
    return agent


def actor_key(actor: dict | None) -> str:
    """Return a stable identifier string for an actor (its inverse functional identifier)."""
    if not isinstance(actor, dict):
        return ""
    if actor.get("mbox"):
        return str(actor["mbox"])
    if actor.get("mbox_sha1sum"):
        return "sha1:" + str(actor["mbox_sha1sum"])
    if actor.get("openid"):
        return str(actor["openid"])
    account = actor.get("account")
    if isinstance(account, dict):
        return f"{account.get('homePage', '')}#{account.get('name', '')}"
    return ""


def _stored(stmt: dict) -> datetime:
    value = stmt.get("stored")
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise LrsError(f"LRS returned a statement with an invalid 'stored' time: {value!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _edge_text(stmt: dict, stored: datetime, ascending: bool) -> str:
    """Return the `until` (inclusive) or `since` (exclusive, so 1 ms earlier) value for a boundary."""
    if not ascending:
        return str(stmt["stored"])  # the LRS's own spelling of the time
    earlier = stored - timedelta(milliseconds=1)
    return earlier.strftime("%Y-%m-%dT%H:%M:%S.") + f"{earlier.microsecond // 1000:03d}Z"


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    # Decoding a page allocates thousands of containers; with a large live heap (a report's records) the
    # collector would rescan it again and again during the parse (measured: 2-3x slower decoding).
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextlib.contextmanager
def _socket_timeout(seconds: float) -> Iterator[None]:
    # tincan opens http.client connections without a timeout; they take the socket default.
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(seconds)
    try:
        yield
    finally:
        socket.setdefaulttimeout(previous)


class LrsClient:
    """Read-only xAPI client: about() and a paging statements() generator."""

    def __init__(
        self,
        config: LrsConfig,
        progress: Callable[[int], None] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        page_size: int = PAGE_SIZE,
        follow_more: bool = False,
    ):
        self.config = config
        self.remote = RemoteLRS(endpoint=config.endpoint, auth=config.auth, version=XAPI_VERSION)
        self.progress = progress
        self.sleep = sleep
        self.page_size = page_size
        self.follow_more = follow_more

    # --- transport ------------------------------------------------------------------------------
    def _get(self, resource: str, params: dict[str, str] | None = None) -> dict:
        """GET resource (relative to the endpoint, or absolute); retry transient failures; return JSON."""
        request = HTTPRequest(method="GET", resource=resource)
        request.query_params = params or {}
        shown = resource if resource.startswith("http") else self.config.endpoint + resource
        attempt = 0
        while True:
            try:
                with _socket_timeout(self.config.timeout):
                    response = self.remote._send_request(request)  # tincan's transport, no object model
            except TimeoutError:
                problem = f"timed out after {self.config.timeout:g}s"
            except (ConnectionError, http.client.HTTPException, OSError) as exc:
                problem = f"connection failed ({exc.__class__.__name__}: {exc})"
            else:
                status = response.response.status
                if response.success:
                    return self._decode(response, shown)
                if status not in RETRY_STATUSES:
                    raise LrsError(self._status_message(status, response.data, shown))
                problem = f"HTTP {status}"
            if attempt >= self.config.retries:
                raise LrsError(f"LRS {shown}: {problem}; gave up after {attempt + 1} attempt(s)")
            self.sleep(min(0.5 * 2**attempt, 8.0))
            attempt += 1

    @staticmethod
    def _decode(response, shown: str) -> dict:
        ctype = response.response.getheader("Content-Type", "") or ""
        try:
            with _gc_paused():
                data = json.loads(response.data)
        except (ValueError, UnicodeDecodeError):
            kind = ctype.split(";")[0] or "unknown type"
            raise LrsError(
                f"LRS {shown}: expected JSON, got {kind} "
                f"(starts {response.data[:60]!r}); is the endpoint the xAPI root?"
            ) from None
        if not isinstance(data, dict):
            raise LrsError(f"LRS {shown}: expected a JSON object, got {type(data).__name__}")
        return data

    @staticmethod
    def _status_message(status: int, body: bytes, shown: str) -> str:
        detail = ""
        try:
            parsed = json.loads(body)
            if isinstance(parsed, dict) and isinstance(parsed.get("message"), str):
                detail = f": {parsed['message'][:200]}"
        except (ValueError, UnicodeDecodeError):
            pass
        hints = {
            401: "check ECE_LRS_USERNAME/ECE_LRS_PASSWORD or ECE_LRS_AUTH",
            403: "these credentials may not read statements",
            404: "check the endpoint (it should end with the xAPI root, e.g. .../xAPI/)",
            400: "the LRS refused the query",
        }
        hint = f" ({hints[status]})" if status in hints else ""
        return f"LRS {shown}: HTTP {status}{detail}{hint}"

    # --- API ------------------------------------------------------------------------------------
    def about(self) -> dict:
        """Return the LRS /about document (tincan's About model rejects Learning Locker's extra keys)."""
        data = self._get("about")
        versions = data.get("version")
        if not isinstance(versions, list) or not any(str(v).startswith("1.0") for v in versions):
            raise LrsError(f"LRS {self.config.endpoint}about: no xAPI 1.0.x version ({versions!r})")
        return data

    def statements(self, query: StatementQuery, limit: int | None = None) -> Iterator[dict]:
        """Yield matching statements (newest first, or oldest first when ascending) until done or `limit`."""
        size = self.page_size if limit is None else max(1, min(self.page_size, limit))
        pages = self._pages_by_more(query, size) if self.follow_more else self._pages_by_stored(query, size)
        count = 0
        for batch in pages:
            for stmt in batch:
                if query.agent is not None and actor_key(stmt.get("actor")) != actor_key(query.agent):
                    continue  # defends against a `more` link that lost the agent filter
                yield stmt
                count += 1
                if limit is not None and count >= limit:
                    return
            if self.progress:
                self.progress(count)

    @staticmethod
    def _page(page: dict) -> list[dict]:
        statements = page.get("statements")
        if not isinstance(statements, list):
            raise LrsError("LRS answered a statements query without a 'statements' list")
        return [s for s in statements if isinstance(s, dict)]

    def _pages_by_stored(self, query: StatementQuery, size: int) -> Iterator[list[dict]]:
        """Page by `stored` time: re-query from the last `stored` time seen (`until`, or `since` ascending).

        Learning Locker's cursor compares version-1 UUID strings, which do not sort by time: once the stored
        statements cross a wrap of the UUID clock (every ~7 minutes) its `more` chain skips statements or
        ends early. `until` is inclusive and `since` is asked 1 ms early, so statements at the boundary
        time come back: they are skipped by id, and the next page leaves room for them.
        """
        params = query.params()
        key = "since" if query.ascending else "until"
        edge = params.pop(key, None)
        boundary: datetime | None = None
        at_boundary: set[str] = set()
        request = size
        while True:
            window = {"limit": str(request), **({key: edge} if edge else {})}
            page = self._get("statements", {**params, **window})
            statements = self._page(page)
            fresh = []
            for stmt in statements:
                stored = _stored(stmt)
                if boundary is not None and ((stored < boundary) if query.ascending else (stored > boundary)):
                    continue  # beyond the boundary on the side already yielded
                if stored == boundary and str(stmt.get("id")) in at_boundary:
                    continue
                if stored != boundary:
                    boundary, at_boundary = stored, set()
                    edge = _edge_text(stmt, stored, query.ascending)
                at_boundary.add(str(stmt.get("id")))
                fresh.append(stmt)
            if fresh:
                yield fresh
            if not statements or (len(statements) < request and not page.get("more")):
                return  # the LRS has nothing further
            if fresh:
                request = size + len(at_boundary)
            elif len(statements) >= request and request < size * MAX_WIDEN:
                request *= 2  # more statements share one `stored` time than fit a page: widen the page
            else:
                return  # nothing new past the boundary

    def _pages_by_more(self, query: StatementQuery, size: int) -> Iterator[list[dict]]:
        """Page by following the LRS's `more` links (for LRSs whose `since`/`until` cannot be relied on)."""
        params = {**query.params(), "limit": str(size)}
        page = self._get("statements", params)
        seen_more: set[str] = set()
        while True:
            statements = self._page(page)
            if statements:
                yield statements
            more = page.get("more") or ""
            if not more or not statements:
                return
            if not isinstance(more, str):
                raise LrsError(f"LRS answered a 'more' link that is not a string: {more!r}")
            if more in seen_more:
                raise LrsError(f"LRS returned the same 'more' link twice ({more}); stopping to avoid a loop")
            seen_more.add(more)
            page = self._get(self._next_url(more, params))

    def _next_url(self, more: str, params: dict[str, str]) -> str:
        """Return the absolute URL for a `more` link, repairing Learning Locker's broken ones."""
        parts = urlsplit(more)
        if parts.scheme in ("http", "https"):
            base = f"{parts.scheme}://{parts.netloc}"
        else:
            root = urlsplit(self.config.endpoint)
            base = f"{root.scheme}://{root.netloc}"
        given = dict(parse_qsl(parts.query, keep_blank_values=True))
        # xapi-statements 5.0.1 serializes the agent filter as "[object Object]" in `more`: when a filter we
        # sent comes back changed, re-send our own filters with the LRS's cursor and other paging keys.
        broken = any(k in given and given[k] != params[k] for k in FILTER_KEYS if k in params)
        if not broken:
            return base + more if not parts.scheme else more
        repaired = {k: v for k, v in given.items() if k not in FILTER_KEYS}
        repaired.update({k: v for k, v in params.items() if k in FILTER_KEYS})
        return f"{base}{parts.path}?{urlencode(repaired)}"
