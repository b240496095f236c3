"""WordPress sites and environments."""

from __future__ import annotations

from pydantic import Field

from kinsta_mcp.call import Call
from kinsta_mcp.client import segment
from kinsta_mcp.models.base import Output
from kinsta_mcp.models.sites import Environment, Site, environments_from
from kinsta_mcp.registry import tool
from kinsta_mcp.safety import Risk
from kinsta_mcp.tools.args import MaxWait, SiteRef
from kinsta_mcp.waiting import OperationOutcome


def _env_line(env: Environment) -> str:
    bits = [env.name + (" (premium)" if env.is_premium else "")]
    if env.primary_domain:
        bits.append(env.primary_domain)
    if env.php_version:
        bits.append(f"PHP {env.php_version}")
    if env.wordpress_version:
        bits.append(f"WP {env.wordpress_version}")
    if env.is_blocked:
        bits.append("BLOCKED")
    return " ".join(bits)


class SiteList(Output):
    company_id: str
    total: int
    sites: list[Site]

    def summary(self) -> str:
        lines = [f"{self.total} sites:"]
        for s in self.sites:
            envs = "; ".join(_env_line(e) for e in s.environments)
            lines.append(f"- {s.label} [{s.status}]: {envs}")
        return "\n".join(lines)


class SiteDetail(Output):
    site: Site

    def summary(self) -> str:
        s = self.site
        lines = [f"{s.label}, status {s.status or 'unknown'}, id {s.id}"]
        if s.labels:
            lines.append("Labels: " + ", ".join(s.labels))
        for env in s.environments:
            lines.append(f"- {_env_line(env)} (id {env.id}); domains: {', '.join(env.domains) or 'none'}")
        return "\n".join(lines)


class EnvironmentList(Output):
    site_id: str
    site_name: str
    environments: list[Environment] = Field(default_factory=list)

    def summary(self) -> str:
        lines = [f"{len(self.environments)} environments of {self.site_name}:"]
        lines += [f"- {_env_line(e)} (id {e.id})" for e in self.environments]
        return "\n".join(lines)


@tool("sites", Risk.READ, "List sites")
async def list_sites(call: Call) -> SiteList:
    """List the company's WordPress sites with their environments, primary domains and PHP versions."""
    sites = await call.deps.directory.sites(fresh=True)
    return SiteList(company_id=call.company_id, total=len(sites), sites=sites)


@tool("sites", Risk.READ, "Get a site")
async def get_site(call: Call, site: SiteRef) -> SiteDetail:
    """Show one site: status, labels, and each environment with its ID, domains and versions."""
    return SiteDetail(site=await call.site(site))


@tool("sites", Risk.READ, "List environments")
async def list_environments(call: Call, site: SiteRef) -> EnvironmentList:
    """List a site's environments (live, staging, premium staging) with IDs, domains, PHP and WordPress versions."""
    found = await call.site(site)
    response = await call.api.get(f"/sites/{segment(found.id)}/environments")
    return EnvironmentList(site_id=found.id, site_name=found.label, environments=environments_from(response.data))


@tool("sites", Risk.DESTRUCTIVE, "Delete a site")
async def delete_site(call: Call, site: SiteRef, max_wait_seconds: MaxWait = 50) -> OperationOutcome:
    """Delete a whole WordPress site with all its environments, files, databases and backups. Irreversible.

    Asks the user to confirm first (or needs confirm=true after showing the preview)."""
    found = await call.site(site)
    envs = ", ".join(f"{e.name} ({e.primary_domain or 'no domain'})" for e in found.environments) or "none"
    await call.confirm(
        f"Delete site {found.label} (id {found.id}) and all its environments: {envs}. "
        "Files, databases and backups go with it. This cannot be undone."
    )
    response = await call.api.delete(f"/sites/{segment(found.id)}")
    return await call.operation(response, action=f"Delete site {found.label}", max_wait=max_wait_seconds)
