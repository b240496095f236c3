"""WordPress sites: list, look up, create, reset, delete; and a site's environments."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from kinsta_mcp.api import sites as ep
from kinsta_mcp.api.endpoint import Endpoint
from kinsta_mcp.api.facade import Api
from kinsta_mcp.errors import InvalidInput, KinstaError
from kinsta_mcp.gate import Change, Risk
from kinsta_mcp.jobs import ChangeOutcome, Job, follow, start
from kinsta_mcp.models.base import Output
from kinsta_mcp.models.sites import Environment, Site
from kinsta_mcp.planner import Planner
from kinsta_mcp.registry import tool
from kinsta_mcp.tools.args import SiteRef
from kinsta_mcp.tools.wordpress import SITE_EXTRAS, Kind, source_env, whole_site, wordpress_install


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
    one: bool = Field(False, exclude=True)  # asked for one site: its details in the text

    def summary(self) -> str:
        if self.one:
            return _detail(self.sites[0])
        lines = [f"{self.total} sites:"]
        for s in self.sites:
            envs = "; ".join(_env_line(e) for e in s.environments)
            lines.append(f"- {s.label} [{s.status}]: {envs}")
        return "\n".join(lines)


def _detail(s: Site) -> str:
    lines = [f"{s.label}, status {s.status or 'unknown'}, id {s.id}"]
    if s.labels:
        lines.append("Labels: " + ", ".join(s.labels))
    for env in s.environments:
        lines.append(f"- {_env_line(env)} (id {env.id}); domains: {', '.join(env.domains) or 'none'}")
    return "\n".join(lines)


@tool("sites", Risk.READ, "List sites")
async def list_sites(plan: Planner, site: SiteRef = "") -> SiteList:
    """The company's WordPress sites, or one (site), with environments, domains, PHP and WordPress versions."""
    if site.strip():  # its environments read fresh (the listing may predate a new staging environment)
        found = await plan.site(site)
        envs = await plan.api.get(ep.ENVIRONMENTS, site_id=found.id)
        return SiteList(
            company_id=plan.company_id, total=1, sites=[found.model_copy(update={"environments": envs})], one=True
        )
    sites = await plan.deps.directory.sites(fresh=True)
    return SiteList(company_id=plan.company_id, total=len(sites), sites=sites)


@tool("sites", Risk.DESTRUCTIVE, "Delete or reset a site")
async def delete_site(
    plan: Planner,
    site: SiteRef,
    reset: Annotated[bool, Field(description="Wipe it to a fresh WordPress install instead")] = False,
    admin_password: str = "",
) -> Change:
    """Delete a site with all environments, files, databases and backups, or reset it (needs admin_password)."""
    if reset and not admin_password:
        raise InvalidInput("reset needs admin_password: the fresh install's administrator password.")
    if admin_password and not reset:
        raise InvalidInput("admin_password is for reset=true only: deleting a site takes no password.")
    found = await plan.site(site)
    envs = ", ".join(f"{e.name} ({e.primary_domain or 'no domain'})" for e in found.environments) or "none"
    if reset:
        action = f"Reset site {found.label}"
        preview = (
            f"Reset site {found.label} (id {found.id}; {envs}): every file and the whole database are "
            "deleted and replaced by a fresh WordPress install. This cannot be undone."
        )
        return plan.change(
            action,
            lambda api: start(
                api, ep.RESET_SITE, action=action, site_id=found.id, body={"admin_password": admin_password}
            ),
            preview=preview,
            targets=[whole_site(found)],
        )
    action = f"Delete site {found.label}"
    preview = (
        f"Delete site {found.label} (id {found.id}) and all its environments: {envs}. "
        "Files, databases and backups go with it. This cannot be undone."
    )
    return plan.change(
        action,
        lambda api: start(api, ep.DELETE_SITE, action=action, site_id=found.id),
        preview=preview,
        targets=[whole_site(found)],
    )


class SiteCreated(ChangeOutcome):
    """A creation's outcome and, once the new site is listed, what it is."""

    site_id: str = ""
    environments: dict[str, str] = Field(default_factory=dict)  # name → environment ID
    domains: list[str] = Field(default_factory=list)

    def summary(self) -> str:
        text = super().summary()
        if self.site_id:
            envs = ", ".join(f"{name} (id {ident})" for name, ident in self.environments.items()) or "none"
            text += f"\nNew site id {self.site_id}; environments: {envs}; domains: {', '.join(self.domains) or 'none'}."
        elif self.state == "running":
            text += "\nThe new site does not exist yet."
        return text

    def next_step(self) -> str:
        find = "list_sites with site=<the new display name> gives its ID, environments and domains."
        if self.site_id:
            return super().next_step()
        if self.state == "running":
            return f"{super().next_step()} Once it is done, {find}"
        return f"The new site could not be read back yet: in a minute, {find}"


async def _created(plan: Planner, api: Api, endpoint: Endpoint, action: str, body: dict[str, Any]) -> SiteCreated:
    """Start the creation and follow it within the server's bound; once it is done, the new site from one fresh
    listing (its operation's answer does not name it): the one of that name that was not there before."""
    before = {s.id for s in await plan.deps.directory.everywhere()}
    started = await start(api, endpoint, action=action, body=body)
    if not isinstance(started, ChangeOutcome):
        started = await follow(
            api.read_only(), [started] if isinstance(started, Job) else started, action=action,
            max_wait=plan.settings.max_wait, progress=plan.progress, settings=plan.settings, clock=plan.deps.clock,
            on_relist=plan.deps.directory.invalidate,
        )  # fmt: skip
    created = SiteCreated.model_validate(started.model_dump())
    created.after(started.seconds)
    if created.state == "running":
        return created
    plan.deps.directory.invalidate()
    try:
        listed = await plan.deps.directory.everywhere()
    except KinstaError:  # the site was made: a failed read afterwards must not report the creation as failed
        return created
    new = [s for s in listed if s.id not in before and s.display_name == body["display_name"]]
    if len(new) == 1:
        envs = new[0].environments
        created.site_id = new[0].id
        created.environments = {e.name: e.id for e in envs}
        created.domains = list(dict.fromkeys(d for e in envs for d in (e.primary_domain, *e.domains) if d))
    return created


@tool("sites", Risk.WRITE, "Create a site", outcome=SiteCreated)
async def create_site(
    plan: Planner,
    display_name: str,
    kind: Kind = "wordpress",
    region: Annotated[str, Field(description="From company_info(what=regions)")] = "",
    source: Annotated[str, Field(description="clone: environment ID or site")] = "",
    admin_email: str = "",
    admin_user: str = "",
    admin_password: str = "",
    site_title: str = "",
    wp_language: str = "en_US",
    extras: list[Literal["woocommerce", "wordpressseo", "multisite", "subdomain_multisite"]] = [],  # noqa: B006
) -> Change:
    """New site: WordPress (needs admin_*), empty (plain) or a clone of an environment."""
    name = display_name.strip()
    if not name:
        raise InvalidInput("display_name is empty: name the new site.")
    if kind != "clone" and not region.strip():
        raise InvalidInput(f"kind={kind} needs region: a code from company_info(what=regions) such as us-central1.")
    if (kind == "clone") != bool(source.strip()) or (kind == "clone" and region.strip()):
        raise InvalidInput("source is for kind=clone only, and a clone lives in its source's region (no region).")
    if kind != "wordpress" and (site_title.strip() or wp_language != "en_US"):
        raise InvalidInput(
            f"kind={kind}: site_title and wp_language are for a fresh WordPress install; leave them out."
        )
    install = wordpress_install(
        kind,
        admin_email,
        admin_user,
        admin_password,
        site_title or name,
        wp_language,
        list(extras),
        allowed=SITE_EXTRAS,
    )
    body: dict[str, Any] = {"company": plan.company_id, "display_name": name}
    targets = []
    if kind == "clone":
        origin = await source_env(plan, "", source)
        endpoint, body = ep.CLONE_SITE, body | {"source_env_id": origin.env.id}
        action, targets = f"Clone {origin.label} into new site {name!r}", [whole_site(origin.site)]
    elif kind == "plain":
        endpoint, body = ep.CREATE_PLAIN_SITE, body | {"region": region.strip()}
        action = f"Create empty site {name!r} in {region.strip()}"
    else:
        endpoint, body = ep.CREATE_SITE, body | {"region": region.strip(), "install_mode": "new"} | install
        action = f"Create WordPress site {name!r} in {region.strip()}"
    return plan.change(action, lambda api: _created(plan, api, endpoint, action, body), targets=targets)
