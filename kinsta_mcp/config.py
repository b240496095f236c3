"""Settings from environment variables, overridden by command-line flags.

One table (`OPTIONS`) names every setting once: its flag, its variable, its help text, whether it is a
secret, and (through `Settings`) its default. The CLI builds its parser and --help from it, and
scripts/tools_table.py (README), scripts/server_json.py (server.json) and scripts/build_mcpb.py (the
MCP Bundle's install dialog) render it, so none of them can drift from the code.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from kinsta_mcp.errors import KEYS_PAGE, ConfigError
from kinsta_mcp.secret import Secret

DEFAULT_BASE_URL = "https://api.kinsta.com/v2"
DEFAULT_SEVALLA_URL = "https://api.sevalla.com/v2"


@dataclass(frozen=True)
class Option:
    name: str  # Settings field
    flag: str
    env: str
    text: str  # "{default}" in it is replaced by the default (see `help`)
    kind: type = str  # str, int, float, bool, list
    secret: bool = False  # kept in a Secret; installers store it as a password
    required: bool = False  # serving needs it (`--sandbox` aside), so installers must ask for it
    shown_default: str | None = None  # when the Settings default is not a value a user would type

    @property
    def default(self) -> str:
        """The default as a user would write it in the variable ('' when there is none)."""
        if self.shown_default is not None:
            return self.shown_default
        value = next(f.default for f in fields(Settings) if f.name == self.name)
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, float):
            return f"{value:g}"  # 30.0 is written 30
        if isinstance(value, (int, str)):
            return str(value)
        return ""  # MISSING: a factory (an empty Secret or tuple), so no default to show

    @property
    def help(self) -> str:
        return self.text.replace("{default}", self.default)


OPTIONS: tuple[Option, ...] = (
    Option(
        "api_key",
        "--api-key",
        "KINSTA_API_KEY",
        f"Kinsta API key (create one in {KEYS_PAGE}). Prefer the variable: flags show up in process lists.",
        secret=True,
        required=True,
    ),
    Option(
        "company_id",
        "--company-id",
        "KINSTA_COMPANY_ID",
        "Company ID. When missing it is read from GET /validate at start-up.",
    ),
    Option("base_url", "--base-url", "KINSTA_API_BASE_URL", "API base URL (default {default})."),
    Option(
        "sevalla_api_key",
        "--sevalla-api-key",
        "SEVALLA_API_KEY",
        "Sevalla API key for applications, databases and static sites (they moved from Kinsta to Sevalla in "
        "January 2026). Without it those tools use the Kinsta key and base.",
        secret=True,
    ),
    Option(
        "sevalla_base_url",
        "--sevalla-base-url",
        "SEVALLA_API_BASE_URL",
        "Sevalla API base URL (default {default}; metrics only v3 has use the same URL with /v3).",
    ),
    Option(
        "read_only",
        "--read-only",
        "KINSTA_READ_ONLY",
        "Register only read tools: nothing that changes or deletes anything is offered.",
        bool,
    ),
    Option(
        "allowed_sites",
        "--allowed-sites",
        "KINSTA_ALLOWED_SITES",
        "Comma-separated site IDs or names this server may touch; other sites are refused without a request.",
        list,
    ),
    Option(
        "protect_live",
        "--protect-live",
        "KINSTA_PROTECT_LIVE",
        "Any change to a live environment needs the user's confirmation, not only destructive ones.",
        bool,
    ),
    Option(
        "toolsets",
        "--toolsets",
        "KINSTA_TOOLSETS",
        "Comma-separated toolsets to offer (default `{default}`: the WordPress ones, plus the Sevalla ones when "
        "SEVALLA_API_KEY is set; `all`: every one). See `kinsta-mcp tools`.",
        list,
        shown_default="default",  # an empty tuple in Settings; toolsets.py reads it as `default`
    ),
    Option("timeout", "--timeout", "KINSTA_TIMEOUT", "Seconds to wait for one HTTP answer (default {default}).", float),
    Option(
        "connect_timeout",
        "--connect-timeout",
        "KINSTA_CONNECT_TIMEOUT",
        "Seconds to wait for a connection (default {default}).",
        float,
    ),
    Option(
        "retry_budget",
        "--retry-budget",
        "KINSTA_RETRY_BUDGET",
        "Seconds a call may spend failing and retrying after 5xx, timeouts and connection failures (default "
        "{default}); time queued for the rate limit, or waiting out a 429 of up to one rate window, does not count.",
        float,
    ),
    Option(
        "max_wait",
        "--max-wait",
        "KINSTA_MAX_WAIT",
        "Default seconds a tool waits for a long-running operation before returning its id (default {default}; "
        "0: return the id at once).",
        float,
    ),
    Option(
        "rate_limit",
        "--rate-limit",
        "KINSTA_RATE_LIMIT",
        "Requests per minute for the company (default {default}).",
        int,
    ),
    Option(
        "create_rate_limit",
        "--create-rate-limit",
        "KINSTA_CREATE_RATE_LIMIT",
        "Resource-creation requests per minute (default {default}).",
        int,
    ),
    Option(
        "http_token",
        "--http-token",
        "KINSTA_MCP_HTTP_TOKEN",
        "Bearer token every HTTP request must carry (--transport http); required beyond 127.0.0.1.",
        secret=True,
    ),
    Option("log_level", "--log-level", "KINSTA_LOG_LEVEL", "Log level on stderr (default {default}).", str),
)


@dataclass(frozen=True)
class Settings:
    api_key: Secret = field(default_factory=lambda: Secret(""))
    company_id: str = ""
    base_url: str = DEFAULT_BASE_URL
    sevalla_api_key: Secret = field(default_factory=lambda: Secret(""))
    sevalla_base_url: str = DEFAULT_SEVALLA_URL
    read_only: bool = False
    allowed_sites: tuple[str, ...] = ()
    protect_live: bool = False
    toolsets: tuple[str, ...] = ()
    timeout: float = 30.0
    connect_timeout: float = 10.0
    retry_budget: float = 30.0
    max_wait: float = 50.0
    rate_limit: int = 120
    create_rate_limit: int = 5
    http_token: Secret = field(default_factory=lambda: Secret(""))
    log_level: str = "WARNING"
    # Not user options: knobs for the sandbox and the tests.
    poll_initial: float = 1.0
    poll_max: float = 2.0  # a job that ended is reported within this; bench/jobs.py
    operation_grace: float = 20.0
    backoff_base: float = 0.5
    rate_window: float = 60.0

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)

    @property
    def sevalla_v3_url(self) -> str:
        """Sevalla's v3 base, next to the configured v2 one ('' when the base is not a …/v2 URL)."""
        return self.sevalla_base_url[: -len("/v2")] + "/v3" if self.sevalla_base_url.endswith("/v2") else ""


def _convert(option: Option, raw: Any) -> Any:
    if option.secret:
        return Secret(str(raw).strip())
    if option.kind is bool:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off", ""):
            return False
        raise ConfigError(f"{option.env} must be 1/0, true/false, yes/no or on/off, not {raw!r}.")
    if option.kind is list:
        items = raw if isinstance(raw, (list, tuple)) else str(raw).split(",")
        return tuple(s.strip() for s in items if s.strip())
    try:
        value = option.kind(raw)
    except (TypeError, ValueError):
        raise ConfigError(f"{option.env} / {option.flag} must be a number, not {raw!r}.") from None
    if option.name == "max_wait" and value < 0:  # 0 is fire-and-forget: the operation id at once
        raise ConfigError(f"{option.env} / {option.flag} must be 0 or more seconds, not {raw!r}.")
    if option.kind in (int, float) and value <= 0 and option.name != "max_wait":
        raise ConfigError(f"{option.env} / {option.flag} must be greater than 0, not {raw!r}.")
    if option.name in ("base_url", "sevalla_base_url"):
        value = value.rstrip("/")
    return value


def load_settings(flags: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Variables first, then flags on top (a flag given on the command line wins)."""
    environ = os.environ if environ is None else environ
    flags = flags or {}
    values: dict[str, Any] = {}
    for option in OPTIONS:
        raw = flags.get(option.name)
        if raw is None:
            raw = environ.get(option.env)
            if raw is None or (option.kind is not bool and str(raw).strip() == ""):
                continue
        values[option.name] = _convert(option, raw)
    known = {f.name for f in fields(Settings)}
    return Settings(**{k: v for k, v in values.items() if k in known})


def require_key(settings: Settings) -> None:
    if not settings.api_key:
        raise ConfigError(
            "No Kinsta API key: set KINSTA_API_KEY (create a key in "
            f"{KEYS_PAGE}), or run `kinsta-mcp --sandbox` to try the server without an account."
        )
