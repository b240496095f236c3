"""Command line: serve over stdio (default) or HTTP, run one tool (`call`), list tools (`tools`).

stdout belongs to JSON-RPC while serving over stdio, so everything human goes to stderr.

Start-up is on every desktop client's critical path, so this module imports little at the top and
each command imports what it needs. Serving does not wait for `GET /validate` when the company is
known (the key is checked in the background); `--sandbox` loads the emulator on its first request.
As a program, the stdio server ends the process as soon as stdin closes or on Ctrl-C.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from typing import TYPE_CHECKING, Any, NoReturn

from kinsta_mcp import __version__
from kinsta_mcp.config import OPTIONS, Settings, load_settings
from kinsta_mcp.errors import ConfigError
from kinsta_mcp.preflight import learn_company, pause_gc, resume_gc, warn_if_key_rejected

if TYPE_CHECKING:
    from kinsta_mcp.http_serve import Http

EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
LOG_LEVELS = ("debug", "info", "warning", "error", "critical")
# The sandbox's demo identity, repeated here so `--sandbox` does not import the emulator before it
# serves (it loads on the first API request). tests/test_startup.py checks them against kinsta_mcp.sandbox.
SANDBOX_COMPANY_ID = "b616ec2e-ca4f-5fa3-8056-8b2f41fcd4b6"
SANDBOX_API_KEY = "sandbox-demo-key"
SANDBOX_SEVALLA_KEY = "sandbox-sevalla-demo-key"

DESCRIPTION = """\
MCP server for Kinsta hosting. With no command it serves MCP over stdio, which is what desktop
clients (Claude Desktop, Claude Code, Cursor, VS Code) start.

commands:
  (none)                 serve MCP (stdio, or Streamable HTTP with --http)
  call TOOL [k=v ...]    run one tool and print its result (for scripts and cron jobs)
  tools                  list the tools this configuration offers

Every option can also be set by the environment variable shown; a flag wins over its variable."""


class Parser(argparse.ArgumentParser):
    """argparse, except that a bad option is one line on stderr and exit 2, not a usage block."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _add_settings(parser: argparse.ArgumentParser, *, on_subcommand: bool) -> None:
    """The shared options; on a subcommand their default is SUPPRESS so they never clobber the main ones."""
    default: dict[str, Any] = {"default": argparse.SUPPRESS} if on_subcommand else {}
    parser.add_argument(
        "--sandbox",
        action="store_true",
        **default,
        help="Run against the built-in sandbox (a demo company; no account or key needed).",
    )
    group = parser.add_argument_group("settings (flag / environment variable)")
    for option in OPTIONS:
        help_text = f"{option.help} [{option.env}]"
        if option.kind is bool:
            group.add_argument(
                option.flag, dest=option.name, action="store_const", const=True, help=help_text, **default
            )
        else:
            group.add_argument(option.flag, dest=option.name, metavar=option.name.upper(), help=help_text, **default)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="kinsta-mcp", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--version", action="version", version=f"kinsta-mcp {__version__}", help="Print the version and exit."
    )
    from kinsta_mcp.http_serve import add_options

    add_options(parser)  # --transport/--http and the HTTP serving options
    _add_settings(parser, on_subcommand=False)
    sub = parser.add_subparsers(dest="command")  # sub-parsers are `Parser`s too: one-line errors
    from kinsta_mcp.call_cli import add_call_parser

    call = add_call_parser(sub)
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
    from kinsta_mcp.secret import Secret

    # Both APIs, so the demo offers every tool: WordPress on Kinsta, apps and databases on Sevalla.
    settings = settings.with_(
        api_key=Secret(SANDBOX_API_KEY),
        company_id=SANDBOX_COMPANY_ID,
        base_url="http://sandbox.invalid/v2",
        sevalla_api_key=Secret(SANDBOX_SEVALLA_KEY),
        sevalla_base_url="http://sandbox.invalid/sevalla/v2",
    )
    return settings, _sandbox_transport()


def _sandbox_transport() -> Any:
    """An httpx2 transport into the in-process sandbox, which is imported and built on the first request.

    The emulator's import (~20-30 ms once the SDK is loaded) stays off the start-up path: `initialize`
    and `tools/list` never reach the API.
    """
    import httpx2

    class LazySandbox(httpx2.AsyncBaseTransport):
        def __init__(self) -> None:
            self._asgi: httpx2.ASGITransport | None = None

        async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
            if self._asgi is None:
                from kinsta_mcp.sandbox import SandboxState, create_app

                app = create_app(SandboxState(), api_key=SANDBOX_API_KEY, sevalla_api_key=SANDBOX_SEVALLA_KEY)
                self._asgi = httpx2.ASGITransport(app=app)
            return await self._asgi.handle_async_request(request)

        async def aclose(self) -> None:
            if self._asgi is not None:
                await self._asgi.aclose()

    return LazySandbox()


def _log_level(settings: Settings) -> str:
    level = settings.log_level.strip().lower()
    if level not in LOG_LEVELS:
        raise ConfigError(
            f"KINSTA_LOG_LEVEL / --log-level must be one of {', '.join(LOG_LEVELS)}, not {settings.log_level!r}."
        )
    return level.upper()


def _innermost(error: BaseException) -> BaseException:
    while isinstance(error, BaseExceptionGroup) and len(error.exceptions) == 1:
        error = error.exceptions[0]
    return error


async def _serve(settings: Settings, transport: Any, args: argparse.Namespace, http: Http | None) -> None:
    """Serve until the client goes away (stdio) or Ctrl-C (HTTP). Only an unknown company puts GET /validate
    before serving; otherwise the key is checked in the background with the same client the server then uses."""
    import anyio

    from kinsta_mcp.client import KinstaClient
    from kinsta_mcp.http_serve import serve_http
    from kinsta_mcp.server import build_server

    async with KinstaClient(settings, transport=transport) as api:
        check_later = bool(settings.company_id) and not args.sandbox
        if not settings.company_id:
            settings = await learn_company(settings, api)
        server = build_server(settings, transport=transport, client=api)
        resume_gc()
        if args.sandbox and not http:  # the HTTP banner says it, with the URL, once the port is bound
            print(
                "kinsta-mcp: serving MCP against the built-in sandbox (a demo company; nothing real is "
                "touched). Connect an MCP client; Ctrl-C to stop.",
                file=sys.stderr,
            )
        try:
            async with anyio.create_task_group() as tg:
                if check_later:
                    tg.start_soon(warn_if_key_rejected, api)
                if http:
                    await serve_http(server, http, sandbox=args.sandbox)
                else:
                    await server.run_stdio_async()
                tg.cancel_scope.cancel()
        except BaseExceptionGroup as group:  # the task group wraps whatever the server raised
            raise _innermost(group) from None


def _exit_now(code: int) -> NoReturn:
    """End the process at once. After stdio serving nothing is left to do, and a normal exit would spend
    ~0.2 s tearing down the interpreter's modules; after Ctrl-C it would wait for the worker thread still
    blocked reading stdin (until the next line or Enter)."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed or broken stream: nothing more to say
            stream.flush()
    os._exit(code)


def _on_interrupt(signum: int, frame: Any) -> None:
    _exit_now(EXIT_INTERRUPTED)


def main(argv: list[str] | None = None) -> int:
    """The `kinsta-mcp` program. Called with `argv` (tests, scripts) it always returns its exit code;
    as the program itself (argv None), a stdio server ends the process at once on EOF or Ctrl-C."""
    pause_gc(freeze=argv is None)
    try:
        return _main(argv)
    finally:
        resume_gc()


def _main(argv: list[str] | None) -> int:
    as_program = argv is None
    stdio = False
    args = build_parser().parse_args(argv)
    try:
        settings, transport = _settings(args)
        import logging

        logging.basicConfig(
            stream=sys.stderr, level=_log_level(settings), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
        if args.command == "tools":
            from kinsta_mcp.commands import list_tools

            return list_tools(settings)
        if args.command == "call":  # before the key check: `call TOOL --help` and argument errors need no key
            from kinsta_mcp.call_cli import run_call

            return run_call(args, settings, transport)
        from kinsta_mcp.config import require_key

        require_key(settings)
        import anyio

        from kinsta_mcp.http_serve import prepare

        http = prepare(args, settings)
        stdio = http is None
        if stdio and as_program:
            import signal

            signal.signal(signal.SIGINT, _on_interrupt)
        anyio.run(_serve, settings, transport, args, http)
    except ConfigError as failure:
        print(f"kinsta-mcp: {failure.message}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except Exception:
        if not (stdio and as_program):
            raise
        # A crash: show it, and do not then hang at exit on the thread still reading stdin.
        import traceback

        traceback.print_exc()
        _exit_now(1)
    if stdio and as_program:
        _exit_now(0)
    return 0
