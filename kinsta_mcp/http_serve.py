"""Serving MCP over Streamable HTTP: the options, the URL clients use, the app, uvicorn.

The parser options are added for every command, so this module imports little at the top; the SDK,
Starlette and uvicorn are imported when serving starts.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kinsta_mcp.errors import ConfigError
from kinsta_mcp.secret import Secret

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer
    from mcp.server.transport_security import TransportSecuritySettings
    from starlette.types import ASGIApp

    from kinsta_mcp.config import Settings

MCP_PATH = "/mcp"
LOOPBACK = ("127.0.0.1", "localhost", "::1")
WILDCARD = ("0.0.0.0", "::", "")
DEFAULT_IDLE = 600.0  # seconds; a client that pauses longer opens a new session (the SDK's default is 30 min)
DEFAULT_MAX_SESSIONS = 200  # ~80 MB at ~400 KB per session that listed the tools (bench/http_sessions.py)
SHUTDOWN_GRACE = 2  # seconds uvicorn lets answers in flight finish after Ctrl-C; open event streams never do


@dataclass(frozen=True)
class Http:
    host: str
    port: int
    url: str  # what clients connect to (the banner, 404 answers, the accepted Host)
    idle: float
    max_sessions: int
    token: Secret


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = 0
    if not 0 < port < 65536:
        raise argparse.ArgumentTypeError(f"must be a port number from 1 to 65535, not {text!r}")
    return port


def add_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--transport",
        choices=("stdio", "http"),
        default="stdio",
        help="stdio (default) or http (Streamable HTTP at /mcp).",
    )
    parser.add_argument(
        "--http", dest="transport", action="store_const", const="http", help="Same as --transport http."
    )
    group = parser.add_argument_group("HTTP serving (with --http; flag / environment variable)")
    group.add_argument("--host", default="127.0.0.1", help="Address to listen on (default 127.0.0.1).")
    group.add_argument("--port", type=_port, default=8000, help="Port to listen on (default 8000).")
    group.add_argument(
        "--public-url",
        metavar="URL",
        help="The URL clients use when it is not http://HOST:PORT/mcp (behind a TLS proxy: https://mcp.example.com"
        "/mcp); shown at start-up and accepted as the Host of requests. [KINSTA_MCP_PUBLIC_URL]",
    )
    group.add_argument(
        "--http-session-idle",
        metavar="SECONDS",
        help=f"End a session after this long without a request (default {DEFAULT_IDLE:g}). "
        "[KINSTA_MCP_HTTP_SESSION_IDLE]",
    )
    group.add_argument(
        "--http-max-sessions",
        metavar="N",
        help=f"Sessions kept at most; a new one past that ends the one idle the longest (default "
        f"{DEFAULT_MAX_SESSIONS}). [KINSTA_MCP_HTTP_MAX_SESSIONS]",
    )


def _value(args: argparse.Namespace, environ: Mapping[str, str], name: str, env: str) -> tuple[str | None, str]:
    """The flag, else the variable (blank = unset); and how to name it in an error."""
    flag = "--" + name.replace("_", "-")
    raw = getattr(args, name, None)
    if raw is None:
        raw = environ.get(env, "").strip() or None
    return raw, f"{env} / {flag}"


def _number(args: argparse.Namespace, environ: Mapping[str, str], name: str, env: str, kind: type) -> Any:
    raw, named = _value(args, environ, name, env)
    if raw is None:
        return None
    try:
        value = kind(raw)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        what = "a whole number" if kind is int else "a number of seconds"
        raise ConfigError(f"{named} must be {what} greater than 0, not {raw!r}.")
    return value


def _public_url(raw: str, named: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(raw.strip())
    # The value is not repeated in the error: a URL given by mistake may carry a password or a token.
    if parts.username or parts.password or parts.query or parts.fragment:
        raise ConfigError(f"{named} must be a plain URL, without a user, password, query or fragment.")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{named} must be an http:// or https:// URL such as https://mcp.example.com/mcp.")
    path = parts.path.rstrip("/") or MCP_PATH
    return f"{parts.scheme}://{parts.netloc}{path}"


def default_url(host: str, port: int) -> str:
    """http://HOST:PORT/mcp as a client writes it: IPv6 in brackets, and never the wildcard address (nobody
    can connect to 0.0.0.0 from elsewhere): this machine's name instead."""
    import socket

    name = (socket.gethostname() or "127.0.0.1") if host in WILDCARD else host
    return f"http://[{name}]:{port}{MCP_PATH}" if ":" in name else f"http://{name}:{port}{MCP_PATH}"


def prepare(args: argparse.Namespace, settings: Settings, environ: Mapping[str, str] | None = None) -> Http | None:
    """The HTTP serving options, checked (one-line ConfigErrors), and the address bound once; None for stdio."""
    if args.transport != "http":
        return None
    environ = os.environ if environ is None else environ
    if args.host not in LOOPBACK and not settings.http_token:
        raise ConfigError(
            f"Serving on {args.host} would let anyone who reaches it act with your Kinsta key: "
            "set KINSTA_MCP_HTTP_TOKEN (clients send it as a bearer token), or use 127.0.0.1."
        )
    raw, named = _value(args, environ, "public_url", "KINSTA_MCP_PUBLIC_URL")
    url = _public_url(raw, named) if raw else default_url(args.host, args.port)
    idle = _number(args, environ, "http_session_idle", "KINSTA_MCP_HTTP_SESSION_IDLE", float)
    cap = _number(args, environ, "http_max_sessions", "KINSTA_MCP_HTTP_MAX_SESSIONS", int)
    _check_address(args.host, args.port)
    return Http(args.host, args.port, url, idle or DEFAULT_IDLE, cap or DEFAULT_MAX_SESSIONS, settings.http_token)


def _check_address(host: str, port: int) -> None:
    """Bind once before building anything, so a taken port or an unknown host is one line and exit 2
    (uvicorn would log a block and exit 3). The probe is closed at once; uvicorn binds for real."""
    import socket

    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
            probe.bind(address)
    except OSError as failure:
        reason = failure.strerror or str(failure)
        raise ConfigError(f"Cannot serve on {host}:{port}: {reason} (--host / --port).") from None


def security(http: Http) -> TransportSecuritySettings | None:
    """DNS-rebinding protection as the SDK sets it for loopback, plus the public URL's host and origin (a
    local TLS proxy forwards that Host). Beyond loopback the SDK leaves it off: the token is required
    there, and a page that rebinds a name to this server cannot know it."""
    from urllib.parse import urlsplit

    from mcp.server.transport_security import TransportSecuritySettings

    if http.host not in LOOPBACK:
        return None
    hosts = ["127.0.0.1:*", "localhost:*", "[::1]:*"]
    origins = ["http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*"]
    public = urlsplit(http.url)
    if public.hostname not in LOOPBACK:
        hosts.append(public.netloc)
        origins.append(f"{public.scheme}://{public.netloc}")
    return TransportSecuritySettings(enable_dns_rebinding_protection=True, allowed_hosts=hosts, allowed_origins=origins)


def build_app(server: MCPServer, http: Http) -> ASGIApp:
    """The ASGI app: the bearer gate in front of the SDK's Streamable HTTP app with bounded sessions."""
    from kinsta_mcp.http_auth import BearerGate
    from kinsta_mcp.http_sessions import bound_sessions

    app = server.streamable_http_app(
        streamable_http_path=MCP_PATH,
        session_idle_timeout=http.idle,
        max_sessions=http.max_sessions,
        transport_security=security(http),
        host=http.host,
    )
    bound_sessions(server.session_manager, http.max_sessions)
    return BearerGate(app, token=http.token, path=MCP_PATH, url=http.url)


def banner(http: Http, *, sandbox: bool) -> str:
    what = "against the built-in sandbox (a demo company; nothing real is touched) " if sandbox else ""
    auth = " with the header `Authorization: Bearer <KINSTA_MCP_HTTP_TOKEN>`" if http.token else ""
    where = f" (listening on every address, port {http.port})" if http.host in WILDCARD else ""
    return f"kinsta-mcp: serving MCP {what}at {http.url}{where}. Connect an MCP client{auth}; Ctrl-C to stop."


async def serve_http(server: MCPServer, http: Http, *, sandbox: bool) -> None:
    """Serve until Ctrl-C. uvicorn logs through the root logger (stderr, --log-level): at the default
    level only the banner shows, once the port is bound; requests are logged from `info` down."""
    import logging

    import anyio
    import uvicorn

    verbose = logging.getLogger().getEffectiveLevel() <= logging.INFO
    config = uvicorn.Config(
        build_app(server, http),
        host=http.host,
        port=http.port,
        log_config=None,
        access_log=verbose,
        timeout_graceful_shutdown=SHUTDOWN_GRACE,
    )
    web = uvicorn.Server(config)

    async def announce() -> None:
        while not web.started:
            await anyio.sleep(0.02)
        print(banner(http, sandbox=sandbox), file=sys.stderr, flush=True)

    async with anyio.create_task_group() as tg:
        tg.start_soon(announce)
        await web.serve()
        tg.cancel_scope.cancel()
