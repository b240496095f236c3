"""WordPress plugins and themes: per environment (list, update) and across the company (inventory)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from kinsta_mcp.call import Call
from kinsta_mcp.client import segment
from kinsta_mcp.errors import InvalidInput
from kinsta_mcp.models.base import ApiModel
from kinsta_mcp.paging import Limit, Offset, Page, cut
from kinsta_mcp.refs import Target
from kinsta_mcp.registry import tool
from kinsta_mcp.safety import Risk
from kinsta_mcp.tools.args import EnvironmentRef, SiteRef
from kinsta_mcp.waiting import OperationOutcome

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


def _env_item(raw: dict[str, Any]) -> WpItem:
    """One row of GET /sites/environments/{env_id}/plugins|themes (`update` is "available" or "none")."""
    item = WpItem.model_validate(raw)
    if raw.get("update") != "available":
        item.update_version = ""
    return item


async def _installed(call: Call, target: Target, kind: Kind) -> list[WpItem]:
    response = await call.api.get(f"/sites/environments/{segment(target.env.id)}/{kind}")
    env = (response.data or {}).get("environment") or {}
    rows = ((env.get("container_info") or {}).get(f"wp_{kind}") or {}).get("data") or []
    return [_env_item(r) for r in rows if isinstance(r, dict) and r.get("name")]


def _company_item(raw: dict[str, Any]) -> WpItem:
    """One row of the company inventory (themes assumed to mirror plugins; docs/api-notes.md#company-inventories)."""
    updates = int(raw.get("update_count") or 0)
    return WpItem(
        name=str(raw.get("name") or ""),
        title=str(raw.get("title") or ""),
        status="latest version vulnerable" if raw.get("is_latest_version_vulnerable") else "",
        version=str(raw.get("latest_version") or ""),
        environments=int(raw.get("environment_count") or 0),
        updates=updates,
    )


async def _company(call: Call, kind: Kind, updates_only: bool, limit: int, offset: int) -> WpList:
    params: dict[str, Any] = {"limit": limit, "offset": offset}
    if updates_only:
        params["column"] = "updatesAvailable"
    response = await call.api.get(f"/company/{segment(call.company_id)}/wp-{kind}", params=params)
    body = ((response.data or {}).get("company") or {}).get(kind) or {}
    items = [_company_item(r) for r in body.get("items") or [] if isinstance(r, dict)]
    if updates_only:  # in case the filter was not applied by Kinsta
        items = [i for i in items if i.updates]
    if len(items) > limit:  # Kinsta sent everything: page here
        items, page = cut(items, limit, offset)
    else:
        total = max(int(body.get("total") or 0), offset + len(items))
        nxt = offset + len(items)
        page = {"total": total, "offset": offset, "returned": len(items), "next_offset": nxt if nxt < total else -1}
    return WpList(scope=f"{kind.capitalize()} across the company", items=items, **page)


@tool("plugins", Risk.READ, "List plugins or themes")
async def list_plugins(
    call: Call,
    kind: Kind = "plugins",
    site: SiteRef = "",
    environment: EnvironmentRef = "",
    updates_only: bool = False,
    limit: Limit = 50,
    offset: Offset = 0,
) -> WpList:
    """List an environment's plugins or themes and their updates; with no site/environment: company-wide."""
    if not site.strip() and not environment.strip():
        return await _company(call, kind, updates_only, limit, offset)
    target = await call.target(site, environment)
    items = [i for i in await _installed(call, target, kind) if i.update_version or not updates_only]
    chunk, page = cut(sorted(items, key=lambda i: i.name), limit, offset)
    return WpList(scope=f"{kind.capitalize()} of {target.label}", items=chunk, **page)


@tool("plugins", Risk.WRITE, "Update plugins or themes")
async def update_plugins(
    call: Call,
    names: Annotated[list[str], Field(min_length=1, description='Slugs; ["*"]: all with updates')],
    kind: Kind = "plugins",
    site: SiteRef = "",
    environment: EnvironmentRef = "",
) -> OperationOutcome:
    """Update plugins or themes of an environment to their available versions and wait until done."""
    wanted = list(dict.fromkeys(n.strip() for n in names if n.strip()))
    if not wanted:
        raise InvalidInput(f'names needs the slugs of the {kind} to update, or ["*"] for all with an update.')
    target = await call.target(site, environment)
    installed = {i.name: i for i in await _installed(call, target, kind)}
    if wanted == [ALL]:
        wanted = sorted(n for n, i in installed.items() if i.update_version)
        if not wanted:
            raise InvalidInput(f"All {kind} of {target.label} are up to date; nothing to update.")
    unknown = [n for n in wanted if n not in installed]
    if unknown:
        raise InvalidInput(
            f"Not installed on {target.label}: {', '.join(unknown)}. Installed {kind}: {', '.join(sorted(installed))}."
        )
    path = f"/sites/environments/{segment(target.env.id)}/{kind}"
    if len(wanted) == 1:
        item = installed[wanted[0]]
        to = item.update_version
        if not to:
            raise InvalidInput(f"{item.name} is at {item.version} on {target.label} and has no update available.")
        response = await call.api.put(path, json={"name": item.name, "update_version": to})
        what = f"Update {item.name} {item.version} → {to} on {target.label}"
    else:
        current = [n for n in wanted if not installed[n].update_version]
        if current:
            raise InvalidInput(f"No update available for {', '.join(current)}; leave them out.")
        response = await call.api.put(f"{path}/bulk-update", json={kind: [{"name": n} for n in wanted]})
        what = f"Update {len(wanted)} {kind} on {target.label}: {', '.join(wanted)}"
    return await call.operation(response, action=what, max_wait=call.settings.max_wait)
