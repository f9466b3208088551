"""Where the LRS is and how to authenticate: options, environment variables, or a config file."""

from __future__ import annotations

import base64
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

import click

from ece_scorm.errors import EceError
from ece_scorm.safe import split_url

ENV_ENDPOINT = "ECE_LRS_ENDPOINT"
ENV_USERNAME = "ECE_LRS_USERNAME"
ENV_PASSWORD = "ECE_LRS_PASSWORD"
ENV_AUTH = "ECE_LRS_AUTH"


class LrsConfigError(EceError):
    """The LRS connection settings are missing or invalid."""


@dataclass(frozen=True)
class LrsConfig:
    """Endpoint (ending with '/') and the Authorization header value (or None)."""

    endpoint: str
    auth: str | None
    timeout: float = 30.0
    retries: int = 3

    def __repr__(self) -> str:  # never print credentials in tracebacks or logs
        return f"LrsConfig(endpoint={self.endpoint!r}, auth={'***' if self.auth else None})"


def default_config_path() -> Path:
    """Return ~/.config/ece-scorm/lrs.toml (honouring XDG_CONFIG_HOME)."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "ece-scorm" / "lrs.toml"


def _basic(username: str, password: str) -> str:
    token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
    return f"Basic {token}"


def _read_file(path: Path, explicit: bool) -> dict:
    if not path.is_file():
        if explicit:
            raise LrsConfigError(f"{path}: LRS config file not found")
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise LrsConfigError(f"{path}: cannot read LRS config file ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        # tomllib messages end with "(at line L, column C)"; keep them next to the path.
        raise LrsConfigError(f"{path}: invalid TOML: {exc}") from None
    # The file may hold the keys at top level or under [lrs].
    table = data.get("lrs", data)
    if not isinstance(table, dict):
        raise LrsConfigError(f"{path}: [lrs] must be a table")
    for key, value in table.items():
        if key in ("endpoint", "username", "password", "auth") and not isinstance(value, str):
            raise LrsConfigError(f"{path}: '{key}' must be a string")
    if ("password" in table or "auth" in table) and path.stat().st_mode & 0o077:
        click.echo(
            f"warning: {path} holds LRS credentials and other users can read it; run chmod 600 {path}",
            err=True,
        )
    return table


def _check_endpoint(endpoint: str, origin: str) -> str:
    parts = split_url(endpoint)
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise LrsConfigError(f"{origin}: LRS endpoint must be an http(s) URL, got {endpoint!r}")
    if parts.query or parts.fragment:
        raise LrsConfigError(f"{origin}: LRS endpoint must not have a query or fragment")
    return endpoint if endpoint.endswith("/") else endpoint + "/"


def load_config(
    endpoint: str | None = None, config_path: Path | None = None, timeout: float = 30.0, retries: int = 3
) -> LrsConfig:
    """Resolve settings: --endpoint, then environment variables, then the config file."""
    path = config_path or default_config_path()
    table = _read_file(path, explicit=config_path is not None)
    env = os.environ
    origin = "--endpoint"
    if not endpoint:
        endpoint, origin = env.get(ENV_ENDPOINT), ENV_ENDPOINT
    if not endpoint:
        endpoint, origin = table.get("endpoint"), str(path)
    if not endpoint:
        raise LrsConfigError(
            f"no LRS endpoint: pass --endpoint, set {ENV_ENDPOINT}, or write 'endpoint' in {path}"
        )
    endpoint = _check_endpoint(endpoint, origin)
    if timeout <= 0:
        raise LrsConfigError("--timeout must be positive")
    auth = env.get(ENV_AUTH)
    if not auth and env.get(ENV_USERNAME) is not None:
        if env.get(ENV_PASSWORD) is None:
            raise LrsConfigError(f"{ENV_USERNAME} is set but {ENV_PASSWORD} is not")
        auth = _basic(env[ENV_USERNAME], env[ENV_PASSWORD])
    if not auth:
        auth = table.get("auth")
    if not auth and table.get("username") is not None:
        if table.get("password") is None:
            raise LrsConfigError(f"{path}: 'username' is set but 'password' is not")
        auth = _basic(table["username"], table["password"])
    return LrsConfig(endpoint=endpoint, auth=auth or None, timeout=timeout, retries=max(0, retries))
