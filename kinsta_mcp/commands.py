"""`kinsta-mcp call TOOL key=value …` and `kinsta-mcp tools`: one tool run in-process, and the tool list."""

from __future__ import annotations

import json
import sys
from typing import Any

from kinsta_mcp.config import Settings
from kinsta_mcp.errors import ConfigError
from kinsta_mcp.preflight import key_problem, learn_company, resume_gc


def coerce(raw: str, schema: dict[str, Any]) -> Any:
    if schema.get("type") == "string":
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def arguments_of(tools: dict[str, Any], tool: str, pairs: list[str]) -> tuple[dict[str, Any], str]:
    """key=value pairs typed by the tool's schema, or the reason they cannot be."""
    if tool not in tools:
        return {}, f"No tool {tool!r}. Tools: {', '.join(sorted(tools))}."
    properties = tools[tool].input_schema.get("properties", {})
    arguments: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or key not in properties:
            return {}, f"Arguments are key=value with keys from: {', '.join(properties) or 'none'}; got {pair!r}."
        arguments[key] = coerce(value, properties[key])
    return arguments, ""


def list_tools(settings: Settings) -> int:
    from kinsta_mcp.registry import selected
    from kinsta_mcp.toolsets import TOOLSETS

    chosen = selected(settings)
    for toolset, about in TOOLSETS.items():
        members = [d for d in chosen if d.toolset == toolset]
        if not members:
            continue
        print(f"{toolset}: {about}")
        for d in members:
            first = d.description.splitlines()[0] if d.description else ""
            print(f"  {d.name:<22} {d.risk.word:<11} {first}")
    return 0


async def call_tool(
    settings: Settings, transport: Any, tool: str, pairs: list[str], as_json: bool, check_key: bool
) -> int:
    from mcp import Client

    from kinsta_mcp.client import KinstaClient
    from kinsta_mcp.server import build_server

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        print(f"… {message or progress}", file=sys.stderr)

    async with KinstaClient(settings, transport=transport) as api:  # the pre-flight's client serves the call
        if not settings.company_id:
            settings = await learn_company(settings, api)
        elif check_key and (problem := await key_problem(api)):
            raise ConfigError(problem)  # a script gets exit 2 for a bad key, as at start-up
        server = build_server(settings, transport=transport, client=api)
        resume_gc()
        # An exception inside `async with Client` would surface as an ExceptionGroup: decide first, raise after.
        problem = ""
        async with Client(server) as client:
            tools = {t.name: t for t in (await client.list_tools()).tools}
            arguments, problem = arguments_of(tools, tool, pairs)
            if not problem:
                result = await client.call_tool(tool, arguments, progress_callback=on_progress)
    if problem:
        raise ConfigError(problem)
    if as_json and result.structured_content is not None and not result.is_error:
        print(json.dumps(result.structured_content, indent=2))
    else:
        print("\n".join(getattr(block, "text", "") for block in result.content))
    return 1 if result.is_error else 0
