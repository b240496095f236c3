"""Resources a client can attach as context, and completions for the references they take.

Static resources take no parameters in the SDK, so they reach the process state through `holder`,
which the lifespan fills; templates get it from their Context.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any, cast

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ResourceNotFoundError
from mcp.types import Completion, CompletionArgument

from kinsta_mcp.api.backups import BACKUPS
from kinsta_mcp.api.dns import RECORDS, ZONES
from kinsta_mcp.errors import InvalidInput, KinstaError
from kinsta_mcp.planner import Deps
from kinsta_mcp.text import iso_from_ms

JSON = "application/json"


async def _read(produce: Callable[[], Awaitable[Any]]) -> str:
    """Run a resource body; bad references are 'not found' (-32602), API failures resource errors."""
    try:
        return json.dumps(await produce(), indent=1)
    except InvalidInput as failure:
        raise ResourceNotFoundError(failure.message) from None
    except KinstaError as failure:
        raise ResourceError(failure.message) from None


async def dns_zone(deps: Deps, domain: str) -> dict[str, Any]:
    """A Kinsta DNS zone by domain name, with its records."""
    api = deps.api.read_only()
    wanted = domain.strip().lower().rstrip(".")
    for zone in await _zones(deps):
        if zone.name.lower() == wanted:
            records = await api.get(RECORDS, domain_id=zone.id)
            return {"zone": zone.name, "id": zone.id, "records": [r.model_dump(mode="json") for r in records]}
    raise InvalidInput(f"No Kinsta DNS zone {domain!r} in this company.")


async def _zones(deps: Deps) -> list[Any]:
    return list(await deps.api.read_only().get(ZONES, query={"company": deps.directory.company_id}))


def register_resources(server: MCPServer, holder: dict[str, Deps]) -> None:
    @server.resource(
        "kinsta://sites",
        name="sites",
        title="Sites",
        mime_type=JSON,
        description="Every WordPress site of the company with its environments and domains",
    )
    async def sites() -> str:
        return await _read(lambda: _dump_sites(holder["deps"]))

    @server.resource(
        "kinsta://sites/{site}",
        name="site",
        title="Site",
        mime_type=JSON,
        description="One site (by ID, name, display name or domain) with its environments",
    )
    async def site(site: str, ctx: Context) -> str:
        deps = cast(Deps, ctx.request_context.lifespan_context)
        return await _read(lambda: _dump(deps.directory.site(site)))

    @server.resource(
        "kinsta://sites/{site}/environments",
        name="environments",
        title="Environments",
        mime_type=JSON,
        description="A site's environments with IDs, domains and versions",
    )
    async def environments(site: str, ctx: Context) -> str:
        deps = cast(Deps, ctx.request_context.lifespan_context)

        async def produce() -> Any:
            found = await deps.directory.site(site)
            return [e.model_dump(mode="json") for e in found.environments]

        return await _read(produce)

    @server.resource(
        "kinsta://sites/{site}/environments/{environment}/backups",
        name="backups",
        title="Backups",
        mime_type=JSON,
        description="An environment's backups, newest first, with ISO dates",
    )
    async def backups(site: str, environment: str, ctx: Context) -> str:
        deps = cast(Deps, ctx.request_context.lifespan_context)

        async def produce() -> Any:
            target = await deps.directory.target(site, environment)
            backups = await deps.api.read_only().get(BACKUPS, env_id=target.env.id)
            items = [
                b.model_dump(mode="json") | ({"created": iso_from_ms(b.created_at)} if b.created_at else {})
                for b in backups
            ]
            return sorted(items, key=lambda b: b["created_at"], reverse=True)

        return await _read(produce)

    @server.resource(
        "kinsta://dns/{domain}",
        name="dns_zone",
        title="DNS zone",
        mime_type=JSON,
        description="A Kinsta DNS zone (by domain name) with all its records",
    )
    async def dns(domain: str, ctx: Context) -> str:
        return await _read(lambda: dns_zone(cast(Deps, ctx.request_context.lifespan_context), domain))

    @server.completion()
    async def complete(ref: Any, argument: CompletionArgument, context: Any) -> Completion | None:
        deps = holder.get("deps")
        if deps is None:
            return None
        typed = argument.value.strip().lower()
        try:
            values = await _candidates(deps, argument.name, (context.arguments if context else None) or {})
        except KinstaError:
            return None
        if values is None:
            return None
        hits = [v for v in values if v.lower().startswith(typed)]
        return Completion(values=hits[:100], total=len(hits), has_more=len(hits) > 100)


async def _candidates(deps: Deps, name: str, known: dict[str, str]) -> list[str] | None:
    """Values for a `site`, `environment` or `domain` argument (environment uses the site already given)."""
    if name in ("site", "source_site", "target_site"):
        return [s.name for s in await deps.directory.sites()]
    if name == "environment":
        site = known.get("site", "")
        if not site:
            return ["live", "staging"]
        try:
            return [e.name for e in (await deps.directory.site(site)).environments]
        except InvalidInput:
            return []
    if name == "domain":
        return [z.name for z in await _zones(deps)]
    return None


async def _dump_sites(deps: Deps) -> Any:
    return [s.model_dump(mode="json") for s in await deps.directory.sites()]


async def _dump(pending: Awaitable[Any]) -> Any:
    return (await pending).model_dump(mode="json")
