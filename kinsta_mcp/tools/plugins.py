"""WordPress plugins and themes: per environment (list, update) and across the company (inventory).

The company inventory covers every site of the company; a server limited to some sites
(KINSTA_ALLOWED_SITES) builds it from the environments of those sites instead, so nothing about
the other sites is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
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
SHOWN_PLACES = 8  # environments named per item in the text (all are in the data)


@dataclass(frozen=True)
class Only:
    """The list filters: items with an update, items Kinsta flags as vulnerable, or both."""

    updates: bool = False
    vulnerable: bool = False

    def keeps(self, item: WpItem) -> bool:
        has_update = bool(item.update_version or item.updates)
        return (has_update or not self.updates) and (item.vulnerable or not self.vulnerable)


class WpItem(ApiModel):
    name: str = Field(description="Slug")
    title: str = ""
    status: str = ""
    version: str = Field("", description="Installed; company-wide: latest")
    update_version: str = ""
    environments: int = Field(0, description="Company-wide: environments with it")
    updates: int = Field(0, description="Company-wide: of them with an update")
    vulnerable: bool = False
    update_on: list[str] = Field(default_factory=list, description="Company-wide: site › environment")

    def line(self) -> str:
        text = f"- {self.name} {self.version}"
        if self.title and self.title != self.name:
            text += f" ({self.title})"
        if self.status:
            text += f" [{self.status}]"
        if self.vulnerable:
            text += " VULNERABLE"
        if self.update_version:
            text += f" → {self.update_version} available"
        if self.environments:
            text += f"; on {self.environments} environments, {self.updates} need an update"
        if self.update_on:
            shown = ", ".join(self.update_on[:SHOWN_PLACES])
            more = len(self.update_on) - SHOWN_PLACES
            text += f": {shown}" + (f" and {more} more" if more > 0 else "")
        return text


class WpList(Page):
    scope: str
    items: list[WpItem] = Field(default_factory=list)

    def summary(self) -> str:
        return "\n".join([f"{self.scope}: {self.page_note()}"] + [i.line() for i in self.items])


def _env_item(row: WpRow, vulnerable: bool = False) -> WpItem:
    """An environment's row; an `update_version` counts only when `update` says "available"."""
    return WpItem(
        name=row.name or row.title,
        title=row.title,
        status=row.status,
        version=row.version,
        update_version=row.update_version if row.update == "available" else "",
        vulnerable=vulnerable,
    )


async def _rows(plan: Planner, env_id: str, kind: Kind, vulnerable_only: bool) -> list[WpRow]:
    """An environment's rows; the vulnerable ones come from the 2026 list that can filter by it."""
    if vulnerable_only:
        return await plan.api.get(ep.VULNERABLE[kind], query={"column": "vulnerable"}, env_id=env_id)
    return await plan.api.get(ep.LISTS[kind], env_id=env_id)


async def _installed(plan: Planner, target: Target, kind: Kind, vulnerable_only: bool = False) -> list[WpItem]:
    rows = await _rows(plan, target.env.id, kind, vulnerable_only)
    return [_env_item(r, vulnerable_only) for r in rows if r.name or r.title]


def _company_item(raw: InventoryItem) -> WpItem:
    """One item of the company inventory (themes assumed to mirror plugins; docs/api-notes.md#company-inventories)."""
    return WpItem(
        name=raw.name,
        title=raw.title,
        status="latest version vulnerable" if raw.is_latest_version_vulnerable else "",
        version=raw.latest_version,
        environments=raw.environment_count,
        updates=raw.update_count,
        vulnerable=raw.is_latest_version_vulnerable,
        update_on=[p.label for p in raw.environments if p.update == "available"],
    )


async def _company(plan: Planner, kind: Kind, only: Only, limit: int, offset: int) -> WpList:
    if plan.settings.allowed_sites:
        return await _in_scope(plan, kind, only, limit, offset)
    query: dict[str, Any] = {"limit": limit, "offset": offset}
    if only.updates or only.vulnerable:  # one column filter at a time: vulnerability wins, updates filtered here
        query["column"] = "vulnerable" if only.vulnerable else "updatesAvailable"
    inventory = await plan.api.get(ep.INVENTORIES[kind], query=query, company_id=plan.company_id)
    # Filtered here too, in case Kinsta did not apply the filter.
    items = [i for i in map(_company_item, inventory.items) if only.keeps(i)]
    if len(items) > limit:  # Kinsta sent everything: page here
        items, page = cut(items, limit, offset)
    else:
        total = max(inventory.total, offset + len(items))
        nxt = offset + len(items)
        page = {"total": total, "offset": offset, "returned": len(items), "next_offset": nxt if nxt < total else -1}
    scope = f"{kind.capitalize()} across the company" + (
        " whose latest version has a known vulnerability" if only.vulnerable else ""
    )
    return WpList(scope=scope, items=items, **page)


async def _in_scope(plan: Planner, kind: Kind, only: Only, limit: int, offset: int) -> WpList:
    """The inventory of the sites this server may touch, from each of their environments."""
    sites = await plan.sites()
    found: dict[str, WpItem] = {}
    for site in sites:
        for env in site.environments:
            for row in await _rows(plan, env.id, kind, only.vulnerable):
                name = row.name or row.title
                if not name:
                    continue
                item = found.setdefault(name, WpItem(name=name, title=row.title, vulnerable=only.vulnerable))
                item.environments += 1
                if row.update == "available" and row.update_version:
                    item.updates += 1
                    item.update_on.append(f"{site.display_name or site.name} › {env.display_name or env.name}")
                    item.version = row.update_version
                elif not item.version:
                    item.version = row.version
    items = [i for i in sorted(found.values(), key=lambda i: i.name) if i.updates or not only.updates]
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
    vulnerable_only: bool = False,
    limit: Limit = 50,
    offset: Offset = 0,
) -> WpList:
    """List an environment's plugins or themes and their updates; with no site/environment: company-wide."""
    only = Only(updates_only, vulnerable_only)
    if not site.strip() and not environment.strip():
        return await _company(plan, kind, only, limit, offset)
    target = await plan.target(site, environment)
    items = [i for i in await _installed(plan, target, kind, vulnerable_only) if only.keeps(i)]
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
