"""Command line: serve over stdio (default) or HTTP, run one tool (`call`), list tools (`tools`).

stdout belongs to JSON-RPC while serving over stdio, so everything human goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from typing import Any

import anyio

from kinsta_mcp import __version__
from kinsta_mcp.config import OPTIONS, Settings, load_settings
from kinsta_mcp.errors import ConfigError, KinstaError

EXIT_USAGE = 2

DESCRIPTION = """\
MCP server for Kinsta hosting. With no command it serves MCP over stdio, which is what desktop
clients (Claude Desktop, Claude Code, Cursor, VS Code) start.

commands:
  (none)                 serve MCP (stdio, or --transport http)
  call TOOL [k=v ...]    run one tool and print its result (for scripts and cron jobs)
  tools                  list the tools this configuration offers

Every option can also be set by the environment variable shown; a flag wins over its variable."""


def _add_settings(parser: argparse.ArgumentParser, *, on_subcommand: bool) -> None:
    """The shared options; on a subcommand their default is SUPPRESS so they never clobber the main ones."""
    default: dict[str, Any] = {"default": argparse.SUPPRESS} if on_subcommand else {}
    parser.add_argument("--sandbox", action="store_true", **default,
                        help="Run against the built-in sandbox (a demo company; no account or key needed).")
    group = parser.add_argument_group("settings (flag / environment variable)")
    for option in OPTIONS:
        help_text = f"{option.help} [{option.env}]"
        if option.kind is bool:
            group.add_argument(option.flag, dest=option.name, action="store_const", const=True, help=help_text,
                               **default)
        else:
            group.add_argument(option.flag, dest=option.name, metavar=option.name.upper(), help=help_text,
                               **default)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kinsta-mcp", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"kinsta-mcp {__version__}")
    parser.add_argument("--transport", choices=("stdio", "http"), default="stdio",
                        help="stdio (default) or http (Streamable HTTP at /mcp).")
    parser.add_argument("--host", default="127.0.0.1", help="Address for --transport http (default 127.0.0.1).")
    parser.add_argument("--port", type=int, default=8000, help="Port for --transport http (default 8000).")
    _add_settings(parser, on_subcommand=False)
    sub = parser.add_subparsers(dest="command")
    call = sub.add_parser("call", help="Run one tool and print its result.")
    call.add_argument("tool")
    call.add_argument("arguments", nargs="*", metavar="key=value",
                      help="Tool arguments; values are JSON where the tool expects a number/boolean/list.")
    call.add_argument("--json", action="store_true", help="Print the structured result as JSON.")
    _add_settings(call, on_subcommand=True)
    tools = sub.add_parser("tools", help="List the tools this configuration offers.")
    _add_settings(tools, on_subcommand=True)
    return parser


def _settings(args: argparse.Namespace) -> tuple[Settings, Any]:
    """Settings, plus the HTTP transport to the in-process sandbox when --sandbox is given."""
    flags = {o.name: getattr(args, o.name) for o in OPTIONS}
    settings = load_settings(flags)
    if not args.sandbox:
        return settings, None
    import httpx2

    from kinsta_mcp.sandbox import DEMO_API_KEY, DEMO_COMPANY_ID, DEMO_SEVALLA_KEY, SandboxState, create_app
    from kinsta_mcp.secret import Secret

    transport = httpx2.ASGITransport(app=create_app(SandboxState(), api_key=DEMO_API_KEY))
    # Both APIs, so the demo offers every tool: WordPress on Kinsta, apps and databases on Sevalla.
    settings = settings.with_(
        api_key=Secret(DEMO_API_KEY), company_id=DEMO_COMPANY_ID, base_url="http://sandbox.invalid/v2",
        sevalla_api_key=Secret(DEMO_SEVALLA_KEY), sevalla_base_url="http://sandbox.invalid/sevalla/v2",
    )
    return settings, transport


async def _preflight(settings: Settings, transport: Any) -> Settings:
    """Check the key once (exit 2 if Kinsta rejects it) and learn the company when it was not given."""
    from kinsta_mcp.client import KinstaClient
    from kinsta_mcp.server import validate_key

    async with KinstaClient(settings.with_(retry_budget=min(settings.retry_budget, 10)), transport=transport) as api:
        try:
            info = await validate_key(api)
        except ConfigError:
            raise
        except KinstaError as failure:
            if settings.company_id:
                print(f"kinsta-mcp: could not check the API key ({failure.message}); going on.", file=sys.stderr)
                return settings
            raise ConfigError(f"Could not learn the company ID from GET /validate: {failure.message} "
                              "Set KINSTA_COMPANY_ID, or fix the cause and start again.") from None
    if not settings.company_id:
        print(f"kinsta-mcp: KINSTA_COMPANY_ID not set; using company {info.company} of key {info.name!r}.",
              file=sys.stderr)
        return settings.with_(company_id=info.company)
    return settings


def _coerce(raw: str, schema: dict[str, Any]) -> Any:
    if schema.get("type") == "string":
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def _arguments(tools: dict[str, Any], tool: str, pairs: list[str]) -> tuple[dict[str, Any], str]:
    """key=value pairs typed by the tool's schema, or the reason they cannot be."""
    if tool not in tools:
        return {}, f"No tool {tool!r}. Tools: {', '.join(sorted(tools))}."
    properties = tools[tool].input_schema.get("properties", {})
    arguments: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or key not in properties:
            return {}, f"Arguments are key=value with keys from: {', '.join(properties) or 'none'}; got {pair!r}."
        arguments[key] = _coerce(value, properties[key])
    return arguments, ""


async def _call(settings: Settings, transport: Any, tool: str, pairs: list[str], as_json: bool) -> int:
    from mcp import Client

    from kinsta_mcp.server import build_server

    server = build_server(settings, transport=transport)

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        print(f"… {message or progress}", file=sys.stderr)

    # An exception inside `async with Client` would surface as an ExceptionGroup: decide first, raise after.
    problem = ""
    async with Client(server) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
        arguments, problem = _arguments(tools, tool, pairs)
        if not problem:
            result = await client.call_tool(tool, arguments, progress_callback=on_progress)
    if problem:
        raise ConfigError(problem)
    if as_json and result.structured_content is not None and not result.is_error:
        print(json.dumps(result.structured_content, indent=2))
    else:
        print("\n".join(getattr(block, "text", "") for block in result.content))
    return 1 if result.is_error else 0


def _list_tools(settings: Settings) -> int:
    from kinsta_mcp.registry import TOOLSETS, selected

    chosen = selected(settings)
    for toolset, about in TOOLSETS.items():
        members = [d for d in chosen if d.toolset == toolset]
        if not members:
            continue
        print(f"{toolset}: {about}")
        for d in members:
            first = d.description.splitlines()[0] if d.description else ""
            print(f"  {d.name:<22} {d.risk.value:<11} {first}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings, transport = _settings(args)
        logging.basicConfig(stream=sys.stderr, level=settings.log_level.upper(),
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        if args.command == "tools":
            return _list_tools(settings)
        from kinsta_mcp.config import require_key

        require_key(settings)
        settings = anyio.run(_preflight, settings, transport)
        if args.command == "call":
            return anyio.run(_call, settings, transport, args.tool, args.arguments, args.json)
        from kinsta_mcp.server import build_server

        public_url = ""
        if args.transport == "http":
            from kinsta_mcp.http_auth import LOOPBACK

            if args.host not in LOOPBACK and not settings.http_token:
                raise ConfigError(f"Serving on {args.host} would let anyone who reaches it act with your Kinsta key: "
                                  "set KINSTA_MCP_HTTP_TOKEN (clients send it as a bearer token), or use 127.0.0.1.")
            public_url = f"http://{args.host}:{args.port}/mcp"
        server = build_server(settings, transport=transport, public_url=public_url)
        if args.sandbox:
            print("kinsta-mcp: serving MCP against the built-in sandbox (a demo company; nothing real is "
                  "touched). Connect an MCP client; Ctrl-C to stop.", file=sys.stderr)
        if args.transport == "http":
            server.run("streamable-http", host=args.host, port=args.port, streamable_http_path="/mcp")
        else:
            server.run()
        return 0
    except ConfigError as failure:
        print(f"kinsta-mcp: {failure.message}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
