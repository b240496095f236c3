"""WordPress plugins and themes: per environment (list, update) and across the company (inventory).

The company inventory covers every site of the company; a server limited to some sites
(KINSTA_ALLOWED_SITES) builds it from the environments of those sites instead, so nothing about
the other sites is shown.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from kinsta_mcp.api import plugins as ep
from kinsta_mcp.errors import InvalidInput
from kinsta_mcp.gate import Change, Risk
from kinsta_mcp.jobs import start
from kinsta_mcp.models.base import ApiModel
from kinsta_mcp.models.plugins import InventoryItem, WpRow
from kinsta_mcp.paging import Limit, Offset, Page, cut
from kinsta_mcp.planner import Planner
from kinsta_mcp.refs import Target
from kinsta_mcp.registry import tool
from kinsta_mcp.tools.args import EnvironmentRef, SiteRef

Kind = Literal["plugins", "themes"]
ALL = "*"


class WpItem(ApiModel):
    name: str = Field(description="Slug")
    title: str = ""
    status: str = ""
    version: str = Field("", description="Installed; company-wide: latest")
    update_version: str = ""
    environments: int = Field(0, description="Company-wide: environments with it")
    updates: int = Field(0, description="Company-wide: of them with an update")

    def line(self) -> str:
        text = f"- {self.name} {self.version}"
        if self.title and self.title != self.name:
            text += f" ({self.title})"
        if self.status:
            text += f" [{self.status}]"
        if self.update_version:
            text += f" → {self.update_version} available"
        if self.environments:
            text += f"; on {self.environments} environments, {self.updates} need an update"
        return text


class WpList(Page):
    scope: str
    items: list[WpItem] = Field(default_factory=list)

    def summary(self) -> str:
        return "\n".join([f"{self.scope}: {self.page_note()}"] + [i.line() for i in self.items])


def _env_item(row: WpRow) -> WpItem:
    """An environment's row; an `update_version` counts only when `update` says "available"."""
    return WpItem(
        name=row.name,
        title=row.title,
        status=row.status,
        version=row.version,
        update_version=row.update_version if row.update == "available" else "",
    )


async def _installed(plan: Planner, target: Target, kind: Kind) -> list[WpItem]:
    rows = await plan.api.get(ep.LISTS[kind], env_id=target.env.id)
    return [_env_item(r) for r in rows if r.name]


def _company_item(raw: InventoryItem) -> WpItem:
    """One item of the company inventory (themes assumed to mirror plugins; docs/api-notes.md#company-inventories)."""
    return WpItem(
        name=raw.name,
        title=raw.title,
        status="latest version vulnerable" if raw.is_latest_version_vulnerable else "",
        version=raw.latest_version,
        environments=raw.environment_count,
        updates=raw.update_count,
    )


async def _company(plan: Planner, kind: Kind, updates_only: bool, limit: int, offset: int) -> WpList:
    if plan.settings.allowed_sites:
        return await _in_scope(plan, kind, updates_only, limit, offset)
    query: dict[str, Any] = {"limit": limit, "offset": offset}
    if updates_only:
        query["column"] = "updatesAvailable"
    inventory = await plan.api.get(ep.INVENTORIES[kind], query=query, company_id=plan.company_id)
    items = [_company_item(r) for r in inventory.items]
    if updates_only:  # in case the filter was not applied by Kinsta
        items = [i for i in items if i.updates]
    if len(items) > limit:  # Kinsta sent everything: page here
        items, page = cut(items, limit, offset)
    else:
        total = max(inventory.total, offset + len(items))
        nxt = offset + len(items)
        page = {"total": total, "offset": offset, "returned": len(items), "next_offset": nxt if nxt < total else -1}
    return WpList(scope=f"{kind.capitalize()} across the company", items=items, **page)


async def _in_scope(plan: Planner, kind: Kind, updates_only: bool, limit: int, offset: int) -> WpList:
    """The inventory of the sites this server may touch, from each of their environments."""
    sites = await plan.sites()
    found: dict[str, WpItem] = {}
    for site in sites:
        for env in site.environments:
            for row in await plan.api.get(ep.LISTS[kind], env_id=env.id):
                if not row.name:
                    continue
                item = found.setdefault(row.name, WpItem(name=row.name, title=row.title))
                item.environments += 1
                if row.update == "available" and row.update_version:
                    item.updates += 1
                    item.version = row.update_version
                elif not item.version:
                    item.version = row.version
    items = [i for i in sorted(found.values(), key=lambda i: i.name) if i.updates or not updates_only]
    chunk, page = cut(items, limit, offset)
    where = ", ".join(s.label for s in sites) or "none"
    return WpList(scope=f"{kind.capitalize()} across the sites this server may touch ({where})", items=chunk, **page)


@tool("plugins", Risk.READ, "List plugins or themes")
async def list_plugins(
    plan: Planner,
    kind: Kind = "plugins",
    site: SiteRef = "",
    environment: EnvironmentRef = "",
    updates_only: bool = False,
    limit: Limit = 50,
    offset: Offset = 0,
) -> WpList:
    """List an environment's plugins or themes and their updates; with no site/environment: company-wide."""
    if not site.strip() and not environment.strip():
        return await _company(plan, kind, updates_only, limit, offset)
    target = await plan.target(site, environment)
    items = [i for i in await _installed(plan, target, kind) if i.update_version or not updates_only]
    chunk, page = cut(sorted(items, key=lambda i: i.name), limit, offset)
    return WpList(scope=f"{kind.capitalize()} of {target.label}", items=chunk, **page)


@tool("plugins", Risk.WRITE, "Update plugins or themes")
async def update_plugins(
    plan: Planner,
    names: Annotated[list[str], Field(min_length=1, description='Slugs; ["*"]: all with updates')],
    kind: Kind = "plugins",
    site: SiteRef = "",
    environment: EnvironmentRef = "",
) -> Change:
    """Update plugins or themes of an environment to their available versions and wait until done."""
    wanted = list(dict.fromkeys(n.strip() for n in names if n.strip()))
    if not wanted:
        raise InvalidInput(f'names needs the slugs of the {kind} to update, or ["*"] for all with an update.')
    target = await plan.target(site, environment)
    installed = {i.name: i for i in await _installed(plan, target, kind)}
    if wanted == [ALL]:
        wanted = sorted(n for n, i in installed.items() if i.update_version)
        if not wanted:
            raise InvalidInput(f"All {kind} of {target.label} are up to date; nothing to update.")
    unknown = [n for n in wanted if n not in installed]
    if unknown:
        raise InvalidInput(
            f"Not installed on {target.label}: {', '.join(unknown)}. Installed {kind}: {', '.join(sorted(installed))}."
        )
    env_id = target.env.id
    if len(wanted) == 1:
        item = installed[wanted[0]]
        to = item.update_version
        if not to:
            raise InvalidInput(f"{item.name} is at {item.version} on {target.label} and has no update available.")
        body: dict[str, Any]
        endpoint, body = ep.UPDATES[kind], {"name": item.name, "update_version": to}
        what = f"Update {item.name} {item.version} → {to} on {target.label}"
    else:
        current = [n for n in wanted if not installed[n].update_version]
        if current:
            raise InvalidInput(f"No update available for {', '.join(current)}; leave them out.")
        endpoint, body = ep.BULK_UPDATES[kind], {str(kind): [{"name": n} for n in wanted]}
        what = f"Update {len(wanted)} {kind} on {target.label}: {', '.join(wanted)}"
    return plan.change(
        what,
        lambda api: start(api, endpoint, action=what, body=body, env_id=env_id),
        targets=[target],
        max_wait=plan.settings.max_wait,
    )
