"""What a tool function gets: the API client, reference resolution, confirmation and waiting.

Tools are written as `async def tool(call: Call, ...) -> SomeOutput`; `registry` turns them into
MCP tools and hands each invocation a fresh `Call`.
"""

from __future__ import annotations

from dataclasses import dataclass

from mcp.server.mcpserver import Context

from kinsta_mcp.client import ApiResponse, KinstaClient
from kinsta_mcp.config import Settings
from kinsta_mcp.errors import UnexpectedResponse
from kinsta_mcp.models.operations import Accepted
from kinsta_mcp.models.sites import Site
from kinsta_mcp.refs import Directory, Target
from kinsta_mcp.safety import Confirmer, Risk
from kinsta_mcp.waiting import OperationOutcome, wait_for


@dataclass
class Deps:
    """Process-wide state, created once in the server lifespan.

    `paas` serves applications, databases and static sites: the Sevalla v2 client when a Sevalla key
    is set, otherwise the Kinsta client itself (accounts not yet moved are still served there).
    `paas_v3` is Sevalla v3, for the metrics only v3 has; None without a Sevalla key.
    """

    settings: Settings
    api: KinstaClient
    directory: Directory
    paas: KinstaClient | None = None
    paas_v3: KinstaClient | None = None
    paas_company: str = ""
    v3_window: tuple[str, str] = ("from", "to")  # the pair that worked: docs/api-notes.md#sevalla-v3-metric-window

    def __post_init__(self) -> None:
        if self.paas is None:
            self.paas = self.api
        if not self.paas_company and self.paas is self.api:
            self.paas_company = self.directory.company_id

    @property
    def on_sevalla(self) -> bool:
        return self.paas is not self.api


class Call:
    def __init__(
        self, ctx: Context, deps: Deps, *, tool_name: str, title: str = "", risk: Risk = Risk.READ, confirm: bool = False
    ) -> None:
        self.ctx = ctx
        self.title = title or tool_name
        self.risk = risk
        self.deps = deps
        self.api = deps.api
        self.settings = deps.settings
        self.company_id = deps.directory.company_id
        self.tool_name = tool_name
        self._confirmer = Confirmer(ctx, confirm_arg=confirm, tool_name=tool_name)

    @property
    def paas(self) -> KinstaClient:
        """The API for applications, databases and static sites (Sevalla v2, or Kinsta without a Sevalla key)."""
        assert self.deps.paas is not None  # set in Deps.__post_init__
        return self.deps.paas

    @property
    def paas_v3(self) -> KinstaClient | None:
        """Sevalla v3, for what only v3 offers; None without a Sevalla key (say so to the user)."""
        return self.deps.paas_v3

    async def paas_company(self) -> str:
        """The company id the PaaS list calls take (`company=`): Sevalla's own, learnt once from its /validate."""
        if not self.deps.paas_company:
            response = await self.paas.get("/validate")
            self.deps.paas_company = str((response.data or {}).get("company") or "")
        return self.deps.paas_company

    async def site(self, ref: str) -> Site:
        return await self.deps.directory.site(ref)

    async def target(self, site: str, environment: str) -> Target:
        """The environment a tool acts on; with protect-live on, a change to live is confirmed here."""
        found = await self.deps.directory.target(site, environment)
        if self.risk is Risk.WRITE and self.settings.protect_live and found.env.is_live:
            await self.confirm(
                f"{self.title} on the LIVE environment of {found.site.label} "
                f"({found.env.primary_domain or found.env.id}). Live-site protection is on, so this needs your OK."
            )
        return found

    async def confirm(self, preview: str) -> None:
        await self._confirmer.confirm(preview)

    async def reveal(self, wanted: bool, what: str) -> bool:
        """Whether to show a secret in clear: only when asked for and confirmed by the user."""
        if not wanted:
            return False
        await self.confirm(
            f"Show {what} in clear? It becomes part of this conversation (and of the model's context and logs)."
        )
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
        self.deps.directory.invalidate()  # whatever changed, the next lookup should see it
        await self.progress(0.0, f"{action}: accepted by Kinsta")
        outcome = await self.wait(accepted.operation_id, action=action, max_wait=max_wait)
        self.deps.directory.invalidate()
        return outcome

    async def wait(self, operation_id: str, *, action: str, max_wait: float) -> OperationOutcome:
        return await wait_for(
            self.api, operation_id, action=action, max_wait=max_wait, progress=self.progress, settings=self.settings
        )
