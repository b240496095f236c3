"""WordPress sites and environments."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from kinsta_mcp.call import Call
from kinsta_mcp.client import segment
from kinsta_mcp.errors import InvalidInput
from kinsta_mcp.models.base import Output
from kinsta_mcp.models.sites import Environment, Site, environments_from
from kinsta_mcp.registry import tool
from kinsta_mcp.safety import Risk
from kinsta_mcp.tools.args import SiteRef
from kinsta_mcp.tools.environments import Kind, source_env, wordpress_install
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
    """The company's WordPress sites with their environments, primary domains and PHP versions."""
    sites = await call.deps.directory.sites(fresh=True)
    return SiteList(company_id=call.company_id, total=len(sites), sites=sites)


@tool("sites", Risk.READ, "Get a site")
async def get_site(call: Call, site: SiteRef) -> SiteDetail:
    """One site: status, labels, and each environment with its ID, domains and versions."""
    return SiteDetail(site=await call.site(site))


@tool("environments", Risk.READ, "List environments")
async def list_environments(call: Call, site: SiteRef) -> EnvironmentList:
    """A site's environments (live, staging, premium staging) with IDs, domains, PHP and WordPress versions."""
    found = await call.site(site)
    response = await call.api.get(f"/sites/{segment(found.id)}/environments")
    return EnvironmentList(site_id=found.id, site_name=found.label, environments=environments_from(response.data))


@tool("sites", Risk.DESTRUCTIVE, "Delete or reset a site")
async def delete_site(
    call: Call,
    site: SiteRef,
    reset: Annotated[bool, Field(description="Wipe it to a fresh WordPress install instead")] = False,
    admin_password: str = "",
) -> OperationOutcome:
    """Delete a site with all environments, files, databases and backups, or reset it (needs admin_password)."""
    if reset and not admin_password:
        raise InvalidInput("reset needs admin_password: the fresh install's administrator password.")
    found = await call.site(site)
    envs = ", ".join(f"{e.name} ({e.primary_domain or 'no domain'})" for e in found.environments) or "none"
    if reset:
        await call.confirm(
            f"Reset site {found.label} (id {found.id}; {envs}): every file and the whole database are deleted "
            "and replaced by a fresh WordPress install. This cannot be undone."
        )
        body = {"admin_password": admin_password}
        response = await call.api.post(f"/sites/{segment(found.id)}/reset-site", json=body)
        return await call.operation(response, action=f"Reset site {found.label}", max_wait=call.settings.max_wait)
    await call.confirm(
        f"Delete site {found.label} (id {found.id}) and all its environments: {envs}. "
        "Files, databases and backups go with it. This cannot be undone."
    )
    response = await call.api.delete(f"/sites/{segment(found.id)}")
    return await call.operation(response, action=f"Delete site {found.label}", max_wait=call.settings.max_wait)


@tool("sites", Risk.WRITE, "Create a site")
async def create_site(
    call: Call,
    display_name: str,
    kind: Kind = "wordpress",
    region: Annotated[str, Field(description="Code from company_info(what=regions)")] = "",
    source: Annotated[str, Field(description="clone: environment ID or site")] = "",
    admin_email: str = "",
    admin_user: str = "",
    admin_password: str = "",
    site_title: str = "",
    wp_language: str = "en_US",
    extras: list[Literal["woocommerce", "wordpressseo", "multisite", "subdomain_multisite"]] = [],  # noqa: B006
) -> OperationOutcome:
    """New site: WordPress (needs admin_*), empty (plain) or a clone of an environment."""
    name = display_name.strip()
    if not name:
        raise InvalidInput("display_name is empty: name the new site.")
    if kind != "clone" and not region.strip():
        raise InvalidInput(f"kind={kind} needs region: a code from company_info(what=regions) such as us-central1.")
    if (kind == "clone") != bool(source.strip()) or (kind == "clone" and region.strip()):
        raise InvalidInput("source is for kind=clone only, and a clone lives in its source's region (no region).")
    install = wordpress_install(kind, admin_email, admin_user, admin_password, site_title or name, wp_language,
                                extras, allowed=("woocommerce", "wordpressseo", "multisite", "subdomain_multisite"))
    body: dict[str, Any] = {"company": call.company_id, "display_name": name}
    if kind == "clone":
        origin = await source_env(call, "", source)
        response = await call.api.post("/sites/clone", json=body | {"source_env_id": origin.env.id})
        what = f"Clone {origin.label} into new site {name!r}"
    elif kind == "plain":
        response = await call.api.post("/sites/plain", json=body | {"region": region.strip()})
        what = f"Create empty site {name!r} in {region.strip()}"
    else:
        body |= {"region": region.strip(), "install_mode": "new"} | install
        response = await call.api.post("/sites", json=body)
        what = f"Create WordPress site {name!r} in {region.strip()}"
    return await call.operation(response, action=what, max_wait=call.settings.max_wait)
