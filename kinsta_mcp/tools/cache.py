"""Cache clearing and PHP restarts on one environment."""

from __future__ import annotations

from kinsta_mcp.call import Call
from kinsta_mcp.registry import tool
from kinsta_mcp.safety import Risk
from kinsta_mcp.tools.args import EnvironmentRef, MaxWait, SiteRef
from kinsta_mcp.waiting import OperationOutcome


@tool("cache", Risk.WRITE, "Clear cache", idempotent=True)
async def clear_cache(
    call: Call, site: SiteRef = "", environment: EnvironmentRef = "", max_wait_seconds: MaxWait = 50
) -> OperationOutcome:
    """Clear the server (page) cache of an environment and wait until Kinsta has finished."""
    target = await call.target(site, environment)
    response = await call.api.post("/sites/tools/clear-cache", json={"environment_id": target.env.id})
    return await call.operation(response, action=f"Clear cache on {target.label}", max_wait=max_wait_seconds)


@tool("cache", Risk.WRITE, "Restart PHP", idempotent=True)
async def restart_php(
    call: Call, site: SiteRef = "", environment: EnvironmentRef = "", max_wait_seconds: MaxWait = 50
) -> OperationOutcome:
    """Restart PHP on an environment (also flushes OPcache). The site may answer 503 for a few seconds."""
    target = await call.target(site, environment)
    response = await call.api.post("/sites/tools/restart-php", json={"environment_id": target.env.id})
    return await call.operation(response, action=f"Restart PHP on {target.label}", max_wait=max_wait_seconds)
