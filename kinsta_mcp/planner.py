"""What a tool function gets: an API that can only read, the resolver, and a way to state a change.

    @tool("cache", Risk.WRITE, "Restart PHP")
    async def restart_php(plan: Planner, site: SiteRef = "", environment: EnvironmentRef = "") -> Change:
        target = await plan.target(site, environment)
        return plan.change(f"Restart PHP on {target.label}", targets=[target],
                           run=lambda api: start(api, RESTART_PHP, action=..., body={...}))

Reading tools return their output model directly; change tools return a `Change` and the gate
decides whether it runs. Nothing here can send a mutating request.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mcp.server.mcpserver import Context

from kinsta_mcp.api.facade import Api, ReadApi
from kinsta_mcp.config import Settings
from kinsta_mcp.gate import Change, Gate, Risk
from kinsta_mcp.jobs import Started
from kinsta_mcp.models.sites import Site
from kinsta_mcp.pacing import Clock
from kinsta_mcp.refs import Directory, Target

if TYPE_CHECKING:
    from kinsta_mcp.paas_refs import Catalog


@dataclass
class Deps:
    """Process-wide state, created once in the server lifespan."""

    settings: Settings
    api: Api
    directory: Directory
    gate: Gate
    catalog: Catalog
    clock: Clock = field(default_factory=Clock)


class Planner:
    def __init__(self, ctx: Context, deps: Deps, *, tool: str, confirm: str, arguments: dict[str, Any]) -> None:
        self.ctx = ctx
        self.deps = deps
        self.api: ReadApi = deps.api.read_only()
        self.settings = deps.settings
        self.company_id = deps.api.company_id
        self.tool = tool
        self._confirm = confirm
        self._arguments = arguments

    async def target(self, site: str, environment: str) -> Target:
        return await self.deps.directory.target(site, environment)

    async def site(self, ref: str) -> Site:
        return await self.deps.directory.site(ref)

    async def sites(self) -> list[Site]:
        """The sites this server may touch."""
        return await self.deps.directory.sites()

    async def resource(self, kind: Any, ref: str) -> dict[str, Any]:
        """An application, database or static site by ID, name, display name or a unique part of one."""
        return await self.deps.catalog.resolve(self.api, kind, ref)

    async def every(self, kind: Any) -> list[dict[str, Any]]:
        return await self.deps.catalog.items(self.api, kind)

    def change(
        self,
        action: str,
        run: Callable[[Api], Awaitable[Started]],
        *,
        preview: str = "",
        targets: Iterable[Target] = (),
        risk: Risk | None = None,
        max_wait: float | None = None,
        **extra: Any,
    ) -> Change:
        return Change(
            action=action, run=run, preview=preview, targets=tuple(targets), risk=risk, max_wait=max_wait, extra=extra
        )

    async def reveal(self, wanted: bool, what: str) -> bool:
        """Whether to show a secret in clear: only when asked for and confirmed by the user."""
        if not wanted:
            return False
        await self.deps.gate.reveal(
            self.ctx, tool=self.tool, what=what, confirm=self._confirm, arguments=self._arguments
        )
        return True

    async def progress(self, elapsed: float, message: str) -> None:
        await self.ctx.report_progress(elapsed, None, message)
