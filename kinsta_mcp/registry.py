"""Tools are declared once — toolset, risk, title — and registered here, filtered in one place.

    @tool("cache", Risk.WRITE, "Clear cache")
    async def clear_cache(plan: Planner, site: SiteRef = "", ...) -> Change:
        "docstring = description"

From that declaration follow: the MCP annotations (readOnlyHint, destructiveHint, ...), the
`confirm` argument, whether read-only mode or a toolset selection hides the tool, the output
schema (from the return model, or the job outcome for a Change), and the call itself: plan, gate,
run, follow (`_planned`), rendered as a short summary for the model and the data as
structuredContent, never the same JSON twice.
"""

from __future__ import annotations

import copy
import functools
import inspect
import typing
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, cast

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.mcpserver.tools.base import Tool
from mcp.types import CallToolResult, InputRequiredResult, TextContent, ToolAnnotations
from pydantic import BaseModel

from kinsta_mcp.arguments import StrictTool
from kinsta_mcp.config import Settings
from kinsta_mcp.errors import InvalidInput, KinstaError
from kinsta_mcp.gate import Change, NeedsInput, NotConfirmed, Risk
from kinsta_mcp.jobs import ChangeOutcome, Following
from kinsta_mcp.models.base import Output
from kinsta_mcp.planner import Deps, Planner
from kinsta_mcp.schemas import compact, inline_refs
from kinsta_mcp.text import fence
from kinsta_mcp.toolsets import CHECK_WITH, MODULES, TOOLSETS, chosen_toolsets

ToolFn = Callable[..., Awaitable[Output | Change]]

WAIT_PARAM = "max_wait_seconds"
# The server instructions say what it takes; any other value than the preview's code is refused by the gate.
ConfirmCode = str


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
    actions: dict[str, Risk] = field(default_factory=dict)  # per action, where it differs from `risk`
    sensitive: bool = False  # may plan a SENSITIVE change for some arguments: takes `confirm`
    needs: dict[str, tuple[str, ...]] = field(default_factory=dict)  # action → arguments it cannot do without
    reads_in_read_only: bool = False  # offered in read-only mode: its reads run, the gate refuses its changes

    def missing(self, arguments: dict[str, Any]) -> list[str]:
        """The arguments the chosen action needs that were left empty, all of them at once."""
        return [name for name in self.needs.get(str(arguments.get("action", "")), ()) if _empty(arguments.get(name))]

    def action_risk(self, action: Any) -> Risk:
        return self.actions.get(str(action), self.risk)

    def takes_confirm(self, settings: Settings) -> bool:
        return (
            self.risk is Risk.DESTRUCTIVE
            or self.secret
            or self.sensitive
            or Risk.SENSITIVE in self.actions.values()
            or (self.risk is Risk.WRITE and settings.protect_live)
        )

    @property
    def annotations(self) -> ToolAnnotations:
        """Only hints that differ from the spec's defaults (not read-only, destructive, not idempotent,
        open world) are sent; the title is the tool's own `title`. Every hint is true for every action."""
        if self.risk is Risk.READ:
            return ToolAnnotations(read_only_hint=True)
        return ToolAnnotations(
            destructive_hint=self.risk is Risk.DESTRUCTIVE, idempotent_hint=True if self.idempotent else None
        )


TOOLS: dict[str, ToolDef] = {}


def tool(
    toolset: str,
    risk: Risk,
    title: str,
    *,
    idempotent: bool = False,
    secret: bool = False,
    actions: dict[str, Risk] | None = None,
    outcome: type[Output] = ChangeOutcome,
    sensitive: bool = False,
    needs: dict[str, tuple[str, ...]] | None = None,
    reads_in_read_only: bool = False,
) -> Callable[[ToolFn], ToolFn]:
    """Declare a tool. Its risk class is `risk` (READ, WRITE or DESTRUCTIVE: what the annotations say);
    `actions` marks single actions SENSITIVE (a write that weakens security: the gate asks),
    `sensitive=True` says the plan may mark a change so for some arguments (the tool takes `confirm`), and
    `needs` names the arguments each action cannot do without (all missing ones are reported at once)."""
    if toolset not in TOOLSETS:
        raise ValueError(f"unknown toolset {toolset!r}")
    if risk is Risk.SENSITIVE:
        raise ValueError("SENSITIVE is an action's risk inside a write tool, not a tool's")

    def declare(fn: ToolFn) -> ToolFn:
        hints = typing.get_type_hints(fn)
        output = hints["return"]
        if next(iter(inspect.signature(fn).parameters)) != "plan":
            raise ValueError(f"{fn.__name__}: a tool function takes `plan: Planner` first")
        if output is Change:
            output = outcome
        _check_actions(fn.__name__, risk, actions or {}, hints.get("action"))
        params = set(inspect.signature(fn).parameters)
        for action, names in (needs or {}).items():
            if action not in typing.get_args(hints.get("action")) or not set(names) <= params:
                raise ValueError(f"{fn.__name__}: needs for {action!r} name an unknown action or argument")
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
            actions=dict(actions or {}),
            sensitive=sensitive,
            needs=dict(needs or {}),
            reads_in_read_only=reads_in_read_only,
        )
        return fn

    return declare


def _with_choices(d: ToolDef, names: list[str]) -> list[str]:
    hints = typing.get_type_hints(d.fn)
    out = []
    for name in names:
        choices = [c for c in typing.get_args(hints.get(name)) if c]
        out.append(f"{name} ({' | '.join(map(str, choices))})" if choices else name)
    return out


def _empty(value: Any) -> bool:
    return (
        value is None
        or (isinstance(value, (str, list, dict)) and not (value.strip() if isinstance(value, str) else value))
        or value == 0
    )


def _check_actions(name: str, risk: Risk, actions: dict[str, Risk], action_type: Any) -> None:
    """Every action a tool offers fits its class: annotations must be true for each one."""
    offered = set(typing.get_args(action_type)) if action_type is not None else set()
    unknown = set(actions) - offered
    if unknown:
        raise ValueError(f"{name}: risk declared for actions it does not offer: {sorted(unknown)}")
    for action, level in actions.items():
        fits = level is risk or (risk is Risk.WRITE and level is Risk.SENSITIVE)
        if not fits:
            raise ValueError(
                f"{name}: action {action} is {level.word} in a {risk.word} tool; move it to a {level.word} tool"
            )


def load(toolsets: set[str]) -> dict[str, ToolDef]:
    """Import the modules of these toolsets (each declares its tools on import); start-up pays only for them."""
    import importlib

    for module in sorted({m for name in toolsets for m in MODULES[name]}):
        importlib.import_module(f"kinsta_mcp.tools.{module}")
    # The same order whatever was imported before: toolsets as listed, then as declared in their modules.
    order = list(TOOLSETS)
    return dict(
        sorted(
            TOOLS.items(),
            key=lambda item: (order.index(item[1].toolset), item[1].fn.__module__, item[1].fn.__code__.co_firstlineno),
        )
    )


def load_all() -> dict[str, ToolDef]:
    return load(set(TOOLSETS))


def selected(settings: Settings) -> list[ToolDef]:
    """The tools this configuration offers: read-only mode and toolset choice, decided here only."""
    toolsets = chosen_toolsets(settings)
    defs = load(toolsets)
    return [
        d
        for d in defs.values()
        if d.toolset in toolsets and not (settings.read_only and d.risk is not Risk.READ and not d.reads_in_read_only)
    ]


def register(server: MCPServer, settings: Settings) -> list[ToolDef]:
    chosen = selected(settings)
    for d in chosen:
        # The SDK exposes no hook for schema generation or argument checking; its ToolManager keeps Tool
        # objects by name, so each gets one built here once per process (building costs most of start-up).
        server._tool_manager._tools[d.name] = built(d, settings)
    return chosen


_BUILT: dict[tuple[str, bool, float, bool], StrictTool] = {}


def built(d: ToolDef, settings: Settings) -> StrictTool:
    """The MCP tool for a declaration: compact schemas, strict arguments. Only `confirm`, the default wait and
    (for a tool offered in read-only mode) its annotations depend on the settings: a built tool is kept by those."""
    reads_only = settings.read_only and d.reads_in_read_only  # the gate refuses its changes: it only reads
    key = (d.name, d.takes_confirm(settings), settings.max_wait, reads_only)
    if key not in _BUILT:
        annotations = ToolAnnotations(read_only_hint=True) if reads_only else d.annotations
        tool = Tool.from_function(
            handler(d, settings), name=d.name, title=d.title, description=d.description, annotations=annotations
        )
        compact(tool.parameters)
        inline_refs(tool.parameters)
        if tool.output_schema is not None:
            # As results are sent (fields marked exclude=True are not in them); a copy, as the SDK may share one.
            output = d.output.model_json_schema(mode="serialization") if _hides_fields(d.output) else tool.output_schema
            tool.fn_metadata.output_schema = inline_refs(compact(copy.deepcopy(output), output=True))
        _BUILT[key] = StrictTool(**{k: getattr(tool, k) for k in Tool.model_fields})
    return _BUILT[key]


@functools.cache
def _hides_fields(model: Any) -> bool:
    """Whether a model, or one it holds, marks a field exclude=True (then its schema is built as results are sent;
    building it twice for every tool would cost start-up time)."""
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return False
    for info in model.model_fields.values():
        if info.exclude:
            return True
        if any(_hides_fields(arg) for arg in (info.annotation, *typing.get_args(info.annotation))):
            return True
    return False


def handler(d: ToolDef, settings: Settings) -> Callable[..., Awaitable[Any]]:
    """An MCP tool function around `d.fn`: its arguments minus `plan`, plus `ctx` (and `confirm`)."""
    hints = typing.get_type_hints(d.fn, include_extras=True)
    params = [
        inspect.Parameter("ctx", inspect.Parameter.KEYWORD_ONLY, annotation=Context),
    ]
    for p in list(inspect.signature(d.fn).parameters.values())[1:]:
        default = settings.max_wait if p.name == WAIT_PARAM else p.default
        params.append(p.replace(kind=inspect.Parameter.KEYWORD_ONLY, annotation=hints[p.name], default=default))
    if d.takes_confirm(settings):
        params.append(inspect.Parameter("confirm", inspect.Parameter.KEYWORD_ONLY, annotation=ConfirmCode, default=""))
    returns = Annotated[CallToolResult, d.output] | InputRequiredResult

    async def run(ctx: Context, **arguments: Any) -> CallToolResult | InputRequiredResult:
        deps = cast(Deps, ctx.request_context.lifespan_context)
        confirm = str(arguments.pop("confirm", "") or "")
        try:
            out = await _planned(d, ctx, deps, confirm, arguments)
        except NeedsInput as asked:
            return asked.result
        except NotConfirmed as stopped:
            return CallToolResult(content=[TextContent(type="text", text=stopped.text)], is_error=True)
        except KinstaError as failure:
            text = failure.message
            if failure.maybe_applied and (check := CHECK_WITH.get(d.toolset)):
                text += f" Check with {check} (or wait_for_job for a job key) before repeating it."
            raise ToolError(deps.settings.api_key.redact(text)) from None
        text = fence(out.summary())
        if step := out.next_step():
            text += "\n" + step
        return CallToolResult(
            content=[TextContent(type="text", text=text)], structured_content=out.model_dump(mode="json")
        )

    run.__name__ = d.name
    run.__doc__ = d.description
    run.__signature__ = inspect.Signature(params, return_annotation=returns)  # type: ignore[attr-defined]
    run.__annotations__ = {p.name: p.annotation for p in params} | {"return": returns}
    return run


async def _planned(d: ToolDef, ctx: Context, deps: Any, confirm: str, arguments: dict[str, Any]) -> Output:
    """Plan (reads only), then let the gate decide, then run and follow what the change started."""
    if missing := d.missing(arguments):
        raise InvalidInput(f"{arguments['action']} needs {', '.join(_with_choices(d, missing))}. Nothing was sent.")
    planner = Planner(ctx, deps, tool=d.name, confirm=confirm, arguments=arguments)
    planned = await d.fn(planner, **arguments)
    if not isinstance(planned, Change):
        return planned
    await deps.gate.admit(
        ctx,
        tool=d.name,
        declared=d.action_risk(arguments.get("action", "")),
        change=planned,
        confirm=confirm,
        arguments=arguments,
    )
    started = await planned.run(deps.api)
    following = Following(
        deps.api.read_only(),
        deps.settings,
        planner.progress,
        deps.clock,
        on_relist=deps.directory.invalidate,
        budget=deps.api.kinsta.limiter.free_share,
    )
    wait = planned.max_wait if planned.max_wait is not None else arguments.get(WAIT_PARAM, deps.settings.max_wait)
    outcome = await following.outcome(planned.action, started, wait)
    if d.output is not ChangeOutcome or planned.extra:
        typed = d.output.model_validate(outcome.model_dump() | planned.extra)
        return typed.after(outcome.seconds) if isinstance(typed, ChangeOutcome) else typed
    return outcome
