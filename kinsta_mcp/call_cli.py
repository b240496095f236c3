"""`kinsta-mcp call TOOL key=value …`: one tool, run in-process through a real MCP client, for people and cron.

Everything the command line can get wrong (an unknown or hidden tool, a bad argument, a --confirm that
names another call) is found before any request and reported one line each, exit 2.

Confirmation stays the gate's decision: the client declares form elicitation, so when the gate wants a
person's OK it asks this process, and the answer is yes only when --confirm names this very call (tool,
and action where the tool has several). Otherwise the answer is no: nothing changes and the preview the
gate asked about is printed with exit 3. A flag copied from another cron line therefore cannot confirm
a different tool or action; it is refused with exit 2 before anything is sent.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kinsta_mcp.call_output import Report

DESCRIPTION = """\
Run one tool and print its result: for scripts and cron jobs. Arguments are key=value, typed by the
tool: lists as a,b or JSON, objects as JSON, a true/false argument alone means true.
`kinsta-mcp call TOOL --help` shows a tool's arguments, their types, defaults and choices, and examples.
`kinsta-mcp tools` lists the tools this configuration offers."""

EPILOG = """\
output:
  The summary goes to stdout; errors, previews and progress (on a terminal only) go to stderr.
  --json prints one JSON object on stdout for every outcome of the call:
    {"ok": true|false, "exit_code": 0-3, "tool": "…", "result": {…} or null, "text": "…",
     "error": null or {"kind": "tool_error"|"usage"|"confirmation_needed", "message": "…",
                       "problems": […], "preview": "…", "confirm_flag": "--confirm=…"}}
  "result" is the tool's structured result (its output schema); "problems" (usage) has one line per
  argument; "preview" and "confirm_flag" come with confirmation_needed. Options and settings that
  cannot be used (exit 2 before the call) print one line on stderr and no JSON.

exit codes:
  0  done
  1  the tool reported an error (API error, no such site, operation failed, …)
  2  usage error: unknown or hidden tool, bad arguments, bad options or settings, rejected key
  3  confirmation needed: the call would delete, overwrite or grant access; nothing was changed

confirmation:
  A destructive or access-granting change (and, with --protect-live, any change to a live
  environment; and reveal=true) needs --confirm naming the call: --confirm=TOOL, or
  --confirm=TOOL:ACTION for tools with an `action` argument. Without it the preview is printed and
  the exit code is 3. A --confirm naming another tool or action is a usage error (exit 2).

--sandbox:
  Runs against the built-in demo company, which starts fresh for each call: a change made by one
  `call` is gone in the next."""


def add_call_parser(sub: Any) -> argparse.ArgumentParser:
    """The `call` subcommand; its own -h, so that `call TOOL --help` can describe the tool. (Built on every
    start, so this module imports nothing heavy at the top.)"""
    call: argparse.ArgumentParser = sub.add_parser(
        "call",
        help="Run one tool and print its result.",
        description=DESCRIPTION,
        epilog=EPILOG,
        add_help=False,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    call.add_argument("-h", "--help", dest="call_help", action="store_true", help="This help; after TOOL: the tool's.")
    call.add_argument("tool", nargs="?", default="", help="The tool to run (see `kinsta-mcp tools`).")
    call.add_argument(
        "arguments", nargs="*", default=[], metavar="key=value", help="Tool arguments (see `call TOOL --help`)."
    )
    call.add_argument("--json", action="store_true", help="Print the outcome as one JSON object (shape below).")
    call.add_argument(
        "--confirm",
        default="",
        metavar="TOOL[:ACTION]",
        help="Confirm this destructive or sensitive call; must name the tool (and its action).",
    )
    call.set_defaults(call_parser=call)
    return call


def run_call(args: argparse.Namespace, settings: Any, transport: Any) -> int:
    """The whole `call` command after the options were read: an exit code (0-3, see EPILOG)."""
    from kinsta_mcp.call_args import parse
    from kinsta_mcp.call_help import HIDDEN_ARGUMENTS, confirm_problem, confirm_value, tool_help, why_hidden
    from kinsta_mcp.call_output import EXIT_OK, Report
    from kinsta_mcp.config import require_key
    from kinsta_mcp.errors import ConfigError
    from kinsta_mcp.registry import built, load_all, selected

    report = Report(args.tool, args.json)
    if not args.tool:
        if args.call_help:
            print(args.call_parser.format_help())
            return EXIT_OK
        return report.usage(["name a tool: kinsta-mcp call TOOL key=value … (`kinsta-mcp tools` lists them)"])
    offered = {d.name: d for d in selected(settings)}
    d = offered.get(args.tool)
    if args.call_help:
        hidden = "" if d else why_hidden(args.tool, settings)
        d = d or load_all().get(args.tool)
        if d is None:
            return report.usage([hidden])
        print(tool_help(d, built(d, settings).parameters, settings, hidden))
        return EXIT_OK
    if d is None:
        return report.usage([why_hidden(args.tool, settings)])
    schema = built(d, settings).parameters
    arguments, problems = parse(args.arguments, schema, hidden=HIDDEN_ARGUMENTS)
    if not problems:
        problems = [f"{name}: required for action={arguments['action']}" for name in d.missing(arguments)]
    flag = confirm_value(d, schema, arguments)
    if wrong := confirm_problem(args.confirm, flag):
        problems.append(wrong)
    if problems:
        return report.usage(problems)
    try:
        require_key(settings)
        import anyio

        confirmed = bool(args.confirm)  # checked above to name this very call
        return anyio.run(_call, settings, transport, d.name, arguments, (confirmed, flag), report, not args.sandbox)
    except ConfigError as failure:  # no key, or a key or company problem found at the first request
        return report.usage([failure.message])


async def _call(
    settings: Any,
    transport: Any,
    tool: str,
    arguments: dict[str, Any],
    confirmation: tuple[bool, str],
    report: Report,
    check: bool,
) -> int:
    from mcp import Client
    from mcp.types import ElicitResult

    from kinsta_mcp.client import KinstaClient
    from kinsta_mcp.errors import ConfigError
    from kinsta_mcp.preflight import key_problem, learn_company, resume_gc
    from kinsta_mcp.server import build_server

    confirmed, flag = confirmation
    declined: list[str] = []

    async def answer(context: Any, params: Any) -> ElicitResult:
        """The gate asks; --confirm (already checked to name this call) is the person's yes."""
        if confirmed:
            return ElicitResult(action="accept", content={"confirm": True})
        declined.append(getattr(params, "message", ""))
        return ElicitResult(action="decline")

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        print(f"… {message or progress}", file=sys.stderr)

    # Progress is for someone watching: in a cron job it would turn every run into a mail.
    progress = on_progress if sys.stderr.isatty() else None
    async with KinstaClient(settings, transport=transport) as api:  # the pre-flight's client serves the call
        if not settings.company_id:
            settings = await learn_company(settings, api)
        elif check and (problem := await key_problem(api)):
            raise ConfigError(problem)  # a script gets exit 2 for a bad key, as at start-up
        server = build_server(settings, transport=transport, client=api)
        resume_gc()
        async with Client(server, elicitation_callback=answer) as client:
            result = await client.call_tool(tool, arguments, progress_callback=progress)
    return report.result(result, declined=declined, flag=f"--confirm={flag}")
