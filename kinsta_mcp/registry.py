"""Tools are declared once — toolset, risk, title — and registered here, filtered in one place.

    @tool("cache", Risk.WRITE, "Clear cache")
    async def clear_cache(call: Call, site: SiteRef = "", ...) -> OperationOutcome:
        "docstring = description"

From that declaration follow: the MCP annotations (readOnlyHint, destructiveHint, ...), the
`confirm` argument of destructive tools, whether read-only mode or a toolset selection hides the
tool, the output schema (from the return model), and the result shape: a short summary as text
and the model's data as structuredContent, never the same JSON twice.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult, InputRequiredResult, TextContent, ToolAnnotations
from pydantic import Field

from kinsta_mcp.call import Call, Deps
from kinsta_mcp.config import Settings
from kinsta_mcp.errors import ConfigError, KinstaError
from kinsta_mcp.models.base import Output
from kinsta_mcp.safety import NeedsInput, NotConfirmed, Risk
from kinsta_mcp.schemas import compact
from kinsta_mcp.text import fence

ToolFn = Callable[..., Awaitable[Output]]

TOOLSETS: dict[str, str] = {
    "sites": "WordPress sites: list, create, clone, reset, delete",
    "environments": "Environments: create, clone, push, PHP allocation, redirects, WP-CLI, phpMyAdmin",
    "cache": "Cache, PHP, edge cache, CDN and blocked IPs",
    "plugins": "WordPress plugins and themes",
    "domains": "Site domains",
    "backups": "Backups: list, create, restore, delete",
    "logs": "Error, access and cache logs",
    "ssh": "SSH/SFTP access and additional SFTP users",
    "analytics": "Traffic analytics and usage",
    "bot_protection": "Bot protection",
    "dns": "Kinsta DNS zones and records",
    "company": "Company users, regions, API keys and activity log",
    "operations": "Following long-running operations",
    "applications": "Applications (Sevalla): deployments, processes, pipelines, cache",
    "app_metrics": "Application and database metrics (Sevalla)",
    "databases": "Databases (Sevalla)",
    "static_sites": "Static sites and company PaaS usage (Sevalla)",
}

# Hosting that moved to Sevalla in January 2026. Offered when a Sevalla key is set, or when asked for
# by name: a WordPress-only agency should not pay context for tools it cannot use.
SEVALLA_TOOLSETS = ("applications", "app_metrics", "databases", "static_sites")

WAIT_PARAM = "max_wait_seconds"
CONFIRM_DESCRIPTION = "true only after the user approved the preview"


@dataclass(frozen=True)
class ToolDef:
    fn: ToolFn
    name: str
    title: str
    toolset: str
    risk: Risk
    idempotent: bool
    description: str
    output: type[Output]
    secret: bool = False  # can reveal a credential: gets `confirm` like a destructive tool

    def takes_confirm(self, settings: Settings) -> bool:
        return self.risk is Risk.DESTRUCTIVE or self.secret or (self.risk is Risk.WRITE and settings.protect_live)

    @property
    def annotations(self) -> ToolAnnotations:
        return ToolAnnotations(
            title=self.title,
            read_only_hint=self.risk is Risk.READ,
            destructive_hint=self.risk is Risk.DESTRUCTIVE,
            idempotent_hint=self.idempotent or self.risk is Risk.READ,
            open_world_hint=True,
        )


TOOLS: dict[str, ToolDef] = {}


def tool(
    toolset: str, risk: Risk, title: str, *, idempotent: bool = False, secret: bool = False
) -> Callable[[ToolFn], ToolFn]:
    if toolset not in TOOLSETS:
        raise ValueError(f"unknown toolset {toolset!r}")

    def declare(fn: ToolFn) -> ToolFn:
        output = typing.get_type_hints(fn)["return"]
        if fn.__name__ in TOOLS:
            raise ValueError(f"tool {fn.__name__} declared twice")
        TOOLS[fn.__name__] = ToolDef(
            fn=fn,
            name=fn.__name__,
            title=title,
            toolset=toolset,
            risk=risk,
            idempotent=idempotent,
            description=inspect.cleandoc(fn.__doc__ or ""),
            output=output,
            secret=secret,
        )
        return fn

    return declare


def load_all() -> dict[str, ToolDef]:
    """Import every tool module (each declares its tools on import)."""
    from kinsta_mcp import tools  # noqa: F401

    return TOOLS


def default_toolsets(settings: Settings) -> set[str]:
    if settings.sevalla_api_key:
        return set(TOOLSETS)
    return set(TOOLSETS) - set(SEVALLA_TOOLSETS)


def chosen_toolsets(settings: Settings) -> set[str]:
    """`--toolsets` names toolsets, plus `default` (what is offered without the flag) and `all`."""
    if not settings.toolsets:
        return default_toolsets(settings)
    wanted: set[str] = set()
    for name in settings.toolsets:
        if name == "all":
            wanted |= set(TOOLSETS)
        elif name == "default":
            wanted |= default_toolsets(settings)
        elif name in TOOLSETS:
            wanted.add(name)
        else:
            raise ConfigError(
                f"Unknown toolset {name!r}. Choose from: {', '.join(TOOLSETS)}, or default / all."
            )
    return wanted


def selected(settings: Settings) -> list[ToolDef]:
    """The tools this configuration offers: read-only mode and toolset choice, decided here only."""
    defs = load_all()
    toolsets = chosen_toolsets(settings)
    return [
        d
        for d in defs.values()
        if d.toolset in toolsets and not (settings.read_only and d.risk is not Risk.READ)
    ]


def register(server: MCPServer, settings: Settings) -> list[ToolDef]:
    chosen = selected(settings)
    for d in chosen:
        server.add_tool(
            handler(d, settings),
            name=d.name,
            title=d.title,
            description=d.description,
            annotations=d.annotations,
        )
        # The SDK exposes no hook for schema generation; its Tool keeps both schemas as plain dicts.
        registered = server._tool_manager.get_tool(d.name)
        compact(registered.parameters)
        compact(registered.output_schema, output=True)
    return chosen


def handler(d: ToolDef, settings: Settings) -> Callable[..., Awaitable[Any]]:
    """An MCP tool function around `d.fn`: its arguments minus `call`, plus `ctx` (and `confirm`)."""
    hints = typing.get_type_hints(d.fn, include_extras=True)
    params = [
        inspect.Parameter("ctx", inspect.Parameter.KEYWORD_ONLY, annotation=Context),
    ]
    for p in list(inspect.signature(d.fn).parameters.values())[1:]:
        default = settings.max_wait if p.name == WAIT_PARAM else p.default
        params.append(p.replace(kind=inspect.Parameter.KEYWORD_ONLY, annotation=hints[p.name], default=default))
    if d.takes_confirm(settings):
        params.append(
            inspect.Parameter(
                "confirm",
                inspect.Parameter.KEYWORD_ONLY,
                annotation=Annotated[bool, Field(description=CONFIRM_DESCRIPTION)],
                default=False,
            )
        )
    returns = Annotated[CallToolResult, d.output] | InputRequiredResult

    async def run(ctx: Context, **arguments: Any) -> CallToolResult | InputRequiredResult:
        deps: Deps = ctx.request_context.lifespan_context
        call = Call(ctx, deps, tool_name=d.name, title=d.title, risk=d.risk,
                    confirm=bool(arguments.pop("confirm", False)))
        try:
            out = await d.fn(call, **arguments)
        except NeedsInput as asked:
            return asked.result
        except NotConfirmed as stopped:
            return CallToolResult(content=[TextContent(type="text", text=stopped.text)], is_error=True)
        except KinstaError as failure:
            raise ToolError(deps.settings.api_key.redact(failure.message)) from None
        text = fence(out.summary())
        if step := out.next_step():
            text += "\n" + step
        return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=out.model_dump(mode="json"))

    run.__name__ = d.name
    run.__doc__ = d.description
    run.__signature__ = inspect.Signature(params, return_annotation=returns)  # type: ignore[attr-defined]
    run.__annotations__ = {p.name: p.annotation for p in params} | {"return": returns}
    return run
