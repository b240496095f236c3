"""The older way a tool function was written (`async def tool(call: Call, ...)`), kept while tools
move to `kinsta_mcp.planner`: the same Deps underneath, and confirmation through the one gate."""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import Context

from kinsta_mcp.api.endpoint import Base
from kinsta_mcp.client import ApiResponse, KinstaClient
from kinsta_mcp.errors import UnexpectedResponse
from kinsta_mcp.gate import Risk
from kinsta_mcp.models.operations import Accepted
from kinsta_mcp.models.sites import Site
from kinsta_mcp.planner import Deps
from kinsta_mcp.refs import Target
from kinsta_mcp.waiting import OperationOutcome, wait_for

__all__ = ["Call", "Deps"]


class _DepsView:
    """What old tool code reads as `call.deps`."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps
        self.settings = deps.settings
        self.directory = deps.directory

    @property
    def on_sevalla(self) -> bool:
        return self._deps.api.on_sevalla

    @property
    def v3_window(self) -> tuple[str, str]:
        return self._deps.api.v3_window

    @v3_window.setter
    def v3_window(self, names: tuple[str, str]) -> None:
        self._deps.api.v3_window = names


class Call:
    def __init__(
        self, ctx: Context, deps: Deps, *, tool_name: str, title: str = "", risk: Risk = Risk.READ,
        confirm: str = "", arguments: dict[str, Any] | None = None,
    ) -> None:
        self.ctx = ctx
        self.title = title or tool_name
        self.risk = risk
        self.deps = _DepsView(deps)
        self._deps = deps
        self.api: KinstaClient = deps.api.kinsta
        self.settings = deps.settings
        self.company_id = deps.directory.company_id
        self.tool_name = tool_name
        self._confirm = confirm
        self._arguments = arguments or {}

    @property
    def paas(self) -> KinstaClient:
        found = self._deps.api.clients[Base.PAAS]
        assert found is not None
        return found

    @property
    def paas_v3(self) -> KinstaClient | None:
        return self._deps.api.clients[Base.V3]

    async def paas_company(self) -> str:
        return await self._deps.api.paas_company()

    async def site(self, ref: str) -> Site:
        return await self._deps.directory.site(ref)

    async def target(self, site: str, environment: str) -> Target:
        """The environment a tool acts on; with protect-live on, a change to live is confirmed here."""
        found = await self._deps.directory.target(site, environment)
        if self.risk is Risk.WRITE and self.settings.protect_live and found.env.is_live:
            await self.confirm(
                f"{self.title} on the LIVE environment of {found.site.label} "
                f"({found.env.primary_domain or found.env.id}). Live-site protection is on, so this needs your OK."
            )
        return found

    async def confirm(self, preview: str) -> None:
        await self._deps.gate.ask(self.ctx, tool=self.tool_name, preview=preview, confirm=self._confirm,
                                  arguments=self._arguments)

    async def reveal(self, wanted: bool, what: str) -> bool:
        if not wanted:
            return False
        await self._deps.gate.reveal(self.ctx, tool=self.tool_name, what=what, confirm=self._confirm,
                                     arguments=self._arguments)
        return True

    async def progress(self, elapsed: float, message: str) -> None:
        await self.ctx.report_progress(elapsed, None, message)

    async def operation(self, response: ApiResponse, *, action: str, max_wait: float) -> OperationOutcome:
        """Wait for the operation a 202 answer started."""
        data = response.data if isinstance(response.data, dict) else {}
        if not data.get("operation_id"):
            raise UnexpectedResponse(
                f"Kinsta accepted '{action}' but sent no operation id to follow it ({response.status}).",
                status=response.status,
                body=response.data,
            )
        accepted = Accepted.model_validate(data)
        self._deps.directory.invalidate()
        await self.progress(0.0, f"{action}: accepted by Kinsta")
        outcome = await self.wait(accepted.operation_id, action=action, max_wait=max_wait)
        self._deps.directory.invalidate()
        return outcome

    async def wait(self, operation_id: str, *, action: str, max_wait: float) -> OperationOutcome:
        return await wait_for(
            self.api, operation_id, action=action, max_wait=max_wait, progress=self.progress, settings=self.settings
        )
