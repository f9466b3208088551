"""Stream statements from an LRS with the `tincan` client, working around Learning Locker quirks."""

from __future__ import annotations

import json
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode

import urllib3
from tincan import Agent
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    MaxRetryError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
)
from urllib3.util import Retry, Timeout

from ece_scorm.errors import EceError
from ece_scorm.lrs.config import LrsConfig
from ece_scorm.safe import JsonRefused, load_json, split_url

XAPI_VERSION = "1.0.3"
PAGE_SIZE = 1000  # fewer requests: Learning Locker re-filters and re-sorts every statement per page
MAX_WIDEN = 64  # how far a page may grow to get past statements sharing one `stored` time
RETRY_STATUSES = frozenset({500, 502, 503, 504})
MAX_ANSWER_BYTES = 64 * 1024 * 1024  # a page of 1,000 statements is a few MB
CHUNK = 64 * 1024
RECENT_PAGES = 8  # pages whose statement ids a `more` chain must not serve again
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


def _problem(exc: BaseException | None, timeout: float) -> str:
    """Describe a transport failure the way the CLI reports it."""
    if isinstance(exc, NewConnectionError):  # before timeouts: urllib3 derives it from ConnectTimeoutError
        return f"connection failed ({exc.__class__.__name__}: {exc})"
    if isinstance(exc, (TimeoutError, ReadTimeoutError, ConnectTimeoutError)):
        return f"timed out after {timeout:g}s"
    if isinstance(exc, ProtocolError) and exc.args and isinstance(exc.args[-1], TimeoutError):
        return f"timed out after {timeout:g}s"
    if exc is not None and "too many redirects" in str(exc).lower():
        return "too many redirects"
    name = exc.__class__.__name__ if exc is not None else "error"
    return f"connection failed ({name}: {exc})"


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


class LrsClient:
    """Read-only xAPI client: about() and a paging statements() generator.

    Transport is urllib3 (a pool per client; a timeout, a retry policy and a size limit per request; no
    process-wide state); tincan supplies the xAPI model (Agent). Answers are parsed by safe.load_json.
    """

    def __init__(
        self,
        config: LrsConfig,
        progress: Callable[[int], None] | None = None,
        page_size: int = PAGE_SIZE,
        follow_more: bool = False,
        max_answer_bytes: int = MAX_ANSWER_BYTES,
    ):
        self.config = config
        self.progress = progress
        self.page_size = page_size
        self.follow_more = follow_more
        self.max_answer_bytes = max_answer_bytes
        self.pool = urllib3.PoolManager(num_pools=4, maxsize=1)
        self.headers = {"X-Experience-API-Version": XAPI_VERSION, "Accept": "application/json"}
        if config.auth:
            self.headers["Authorization"] = config.auth

    def close(self) -> None:
        """Close the connections of this client."""
        self.pool.clear()

    # --- transport ------------------------------------------------------------------------------
    def _retry(self) -> Retry:
        # 5xx and network failures are retried with backoff (0, 1, 2, 4, 8 s); a Retry-After header is
        # not obeyed, so a hostile or confused server cannot park the client for hours.
        return Retry(
            total=self.config.retries,
            redirect=3,
            status_forcelist=RETRY_STATUSES,
            allowed_methods=frozenset({"GET"}),
            backoff_factor=0.5,
            backoff_max=8.0,
            respect_retry_after_header=False,
            raise_on_status=False,
            raise_on_redirect=True,
        )

    def _url(self, resource: str, params: dict[str, str] | None) -> str:
        url = resource if resource.startswith(("http://", "https://")) else self.config.endpoint + resource
        if params:
            url += ("&" if "?" in url else "?") + urlencode(params)
        parts = split_url(url)
        if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
            raise LrsError(f"LRS {url[:120]}: not a valid http(s) URL")
        return url

    def _get(self, resource: str, params: dict[str, str] | None = None) -> dict:
        """GET resource (relative to the endpoint, or absolute); retry transient failures; return JSON."""
        url = self._url(resource, params)
        shown = resource if resource.startswith("http") else self.config.endpoint + resource
        timeout = self.config.timeout
        attempts = self.config.retries + 1
        try:
            response = self.pool.request(
                "GET",
                url,
                headers=self.headers,
                timeout=Timeout(connect=timeout, read=timeout),
                retries=self._retry(),
                preload_content=False,
            )
        except MaxRetryError as exc:
            raise LrsError(
                f"LRS {shown}: {_problem(exc.reason, timeout)}; gave up after {attempts} attempt(s)"
            ) from None
        except (TimeoutError, ReadTimeoutError, ConnectTimeoutError):
            raise LrsError(
                f"LRS {shown}: timed out after {timeout:g}s; gave up after {attempts} attempt(s)"
            ) from None
        except (HTTPError, OSError) as exc:
            raise LrsError(f"LRS {shown}: {_problem(exc, timeout)}") from None
        try:
            body = self._body(response, shown, timeout)
        finally:
            response.release_conn()
        status = response.status
        if 200 <= status < 300:
            return self._decode(body, response.headers.get("Content-Type", "") or "", shown)
        if status in RETRY_STATUSES:
            raise LrsError(f"LRS {shown}: HTTP {status}; gave up after {attempts} attempt(s)")
        raise LrsError(self._status_message(status, body, shown))

    def _body(self, response, shown: str, timeout: float) -> bytes:
        """Read an answer within max_answer_bytes and `timeout` seconds in all (a trickle cannot hang us)."""
        deadline = time.monotonic() + timeout
        out = bytearray()
        try:
            while chunk := response.read1(CHUNK, decode_content=True):  # what has arrived, not CHUNK
                out += chunk
                if len(out) > self.max_answer_bytes:
                    raise LrsError(
                        f"LRS {shown}: the answer is larger than {self.max_answer_bytes:,} bytes; "
                        "ask for smaller pages"
                    )
                if time.monotonic() > deadline:
                    raise LrsError(f"LRS {shown}: the answer took more than {timeout:g}s to arrive; gave up")
        except (HTTPError, OSError) as exc:
            raise LrsError(f"LRS {shown}: {_problem(exc, timeout)} while reading the answer") from None
        return bytes(out)

    @staticmethod
    def _decode(body: bytes, ctype: str, shown: str) -> dict:
        try:
            data = load_json(body)
        except JsonRefused as exc:
            kind = ctype.split(";")[0] or "unknown type"
            if kind.endswith("json"):
                raise LrsError(f"LRS {shown}: unusable JSON answer ({exc})") from None
            raise LrsError(
                f"LRS {shown}: expected JSON, got {kind} "
                f"(starts {body[:60]!r}); is the endpoint the xAPI root?"
            ) from None
        if not isinstance(data, dict):
            raise LrsError(f"LRS {shown}: expected a JSON object, got {type(data).__name__}")
        return data

    @staticmethod
    def _status_message(status: int, body: bytes, shown: str) -> str:
        detail = ""
        try:
            parsed = load_json(body[:65536])
            if isinstance(parsed, dict) and isinstance(parsed.get("message"), str):
                detail = f": {parsed['message'][:200]}"
        except JsonRefused:
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
        """Page by following the LRS's `more` links (for LRSs whose `since`/`until` cannot be relied on).

        A cursor that repeats a link, or serves again statements of the last pages, would never end: it
        stops with an error instead (a chain that is endless but always new is cut by --limit).
        """
        params = {**query.params(), "limit": str(size)}
        page = self._get("statements", params)
        seen_more: set[str] = set()
        recent: deque[set[str]] = deque(maxlen=RECENT_PAGES)
        while True:
            statements = self._page(page)
            more = page.get("more") or ""
            if not isinstance(more, str):
                raise LrsError(f"LRS answered a 'more' link that is not a string: {str(more)[:80]!r}")
            if more and more in seen_more:
                raise LrsError(f"LRS returned the same 'more' link twice ({more}); stopping to avoid a loop")
            ids = {str(s.get("id")) for s in statements if s.get("id") is not None}
            if any(ids & earlier for earlier in recent):
                raise LrsError(
                    "LRS's 'more' link served statements it had already sent (a cursor that never ends); "
                    "stopping — use --paging stored"
                )
            recent.append(ids)
            if statements:
                yield statements
            if not more or not statements:
                return
            seen_more.add(more)
            page = self._get(self._next_url(more, params))

    def _next_url(self, more: str, params: dict[str, str]) -> str:
        """Return the absolute URL for a `more` link, repairing Learning Locker's broken ones."""
        parts = split_url(more)
        root = split_url(self.config.endpoint)
        if parts is None or root is None:
            raise LrsError(f"LRS answered a 'more' link that is not a valid URL: {more[:120]!r}")
        if parts.scheme in ("http", "https"):
            if (parts.scheme, parts.netloc) != (root.scheme, root.netloc):
                # The credentials go with every request: never to a host the answer names.
                raise LrsError(f"LRS answered a 'more' link on another host ({parts.netloc}); refusing it")
            base = f"{parts.scheme}://{parts.netloc}"
        elif parts.scheme or parts.netloc:
            raise LrsError(f"LRS answered a 'more' link that is not an http(s) path: {more[:120]!r}")
        else:
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
