"""Static sites (on Sevalla since 2026-01-31; the Kinsta-era v2 API on the PaaS base) and the company's
Sevalla usage and costs (Sevalla v2 `GET /company/{id}/paas-usage`, docs/api-notes.md#sevalla-v2-additions).

Deployments are not operations: the API answers with a deployment id, followed as a
`static-deploy:<id>` job (wait_for_job picks it up again after the wait bound). Cancelling one that runs
or waits is Sevalla v3's (`app_lifecycle.cancel`, shared with applications).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from kinsta_mcp.api import static_sites as ep
from kinsta_mcp.api.facade import Api
from kinsta_mcp.errors import InvalidInput
from kinsta_mcp.gate import Change, Risk
from kinsta_mcp.jobs import ChangeOutcome, done, start
from kinsta_mcp.models.base import Output
from kinsta_mcp.models.static_sites import SiteRow, StaticSiteDetail, UsageRow
from kinsta_mcp.paas_refs import APPLICATION, DATABASE, STATIC_SITE, label
from kinsta_mcp.planner import Planner
from kinsta_mcp.registry import tool
from kinsta_mcp.text import iso_from_ms
from kinsta_mcp.tools.app_lifecycle import cancel
from kinsta_mcp.tools.values import Text, Values, parsed

StaticSiteRef = str  # ID, name or display name (the server instructions say so once)

RECENT = 5  # deployments shown in a detail
TOP_COSTS = 5  # usage rows named in the text


class SiteSettings(Values):
    """PUT /static-sites/{id}; null clears a build setting."""

    what = "a static-site setting"
    nullable = ("build_command", "published_directory", "node_version")
    display_name: Text | None = None
    default_branch: Text | None = Field(None, description="a branch name")
    auto_deploy: bool | None = None
    build_command: Text | None = Field(None, description="a command or null")
    published_directory: Text | None = Field(None, description="a path or null")
    node_version: Literal["16.20.0", "18.16.0", "20.2.0"] | None = None


class StaticSites(Output):
    static_sites: list[SiteRow] = Field(default_factory=list)
    site: StaticSiteDetail = Field(default_factory=StaticSiteDetail)  # one site: settings, newest deployments
    period: str = ""  # usage: which billing period
    usage: list[UsageRow] = Field(default_factory=list)  # usage: per (category, resource), costliest first
    names: dict[str, str] = Field(default_factory=dict)  # usage: id_resource → name, for the costliest rows

    def summary(self) -> str:
        if self.site.id:
            return _detail(self.site)
        if self.period:
            return _usage_text(self)
        return "\n".join(
            [f"{len(self.static_sites)} static sites:"]
            + [f"- {label(s.model_dump())} [{s.status}] id {s.id}" for s in self.static_sites]
        )


def _detail(site: StaticSiteDetail) -> str:
    return "\n".join(
        [
            f"{label(site.model_dump())} [{site.status}] id {site.id}, host {site.hostname}",
            f"Repository {site.repo_url} ({site.git_type}), branch {site.default_branch}, "
            f"auto-deploy {'on' if site.auto_deploy else 'off'}, build `{site.build_command or 'none'}`",
            f"Deployments ({len(site.deployments)}, newest first):",
        ]
        + [
            f"- {iso_from_ms(d.created_at)} {d.branch} [{d.status}] {d.commit_message} (id {d.id})"
            for d in site.deployments[:RECENT]
        ]
    )


def _usage_text(out: StaticSites) -> str:
    lines = [f"Sevalla usage, {out.period}: total cost {sum(u.cost for u in out.usage):.2f}"]
    for category in sorted({u.category for u in out.usage}):
        mine = [u for u in out.usage if u.category == category]
        lines.append(f"- {category}: usage {sum(u.usage for u in mine):g}, cost {sum(u.cost for u in mine):.2f}")
    if out.usage:
        lines.append(f"Costliest of {len(out.usage)} (resource, category) rows:")
    lines += [
        f"- {out.names.get(u.id_resource, u.id_resource or '?')}: {u.category} usage {u.usage:g}, cost {u.cost:.2f}"
        for u in out.usage[:TOP_COSTS]
    ]
    return "\n".join(lines)


async def _usage(plan: Planner, period_offset: int) -> StaticSites:
    """Costs of one billing period, summed per (category, resource)."""
    company = await plan.api.paas_company()
    rows: list[UsageRow] = await plan.api.get(ep.PAAS_USAGE, query={"period_offset": period_offset}, id=company)
    per: dict[tuple[str, str], UsageRow] = {}
    for row in rows:
        summed = per.setdefault(
            (row.category, row.id_resource), UsageRow(category=row.category, id_resource=row.id_resource)
        )
        summed.usage, summed.cost = round(summed.usage + row.usage, 6), round(summed.cost + row.cost, 6)
    usage = sorted(per.values(), key=lambda u: (-u.cost, u.category, u.id_resource))
    names: dict[str, str] = {}
    if usage:
        known = await plan.deps.catalog.labels(plan.api, APPLICATION, DATABASE, STATIC_SITE)
        names = {u.id_resource: known[u.id_resource] for u in usage[:TOP_COSTS] if u.id_resource in known}
    period = "this billing period" if period_offset == 0 else f"{-period_offset} billing period(s) ago"
    return StaticSites(usage=usage, period=period, names=names)


@tool("static_sites", Risk.READ, "Static sites")
async def list_static_sites(
    plan: Planner,
    static_site: StaticSiteRef = "",
    usage: Annotated[int, Field(ge=0, le=6, description="1-6: company costs, current (1) or earlier period")] = 0,
) -> StaticSites:
    """Static sites, one with its deployments, or the company's Sevalla usage costs."""
    if usage:
        if static_site.strip():
            raise InvalidInput("usage is for the whole company: leave static_site empty.")
        return await _usage(plan, 1 - usage)
    if not static_site.strip():
        items = await plan.deps.catalog.items(plan.api, STATIC_SITE, fresh=True)
        return StaticSites(static_sites=[SiteRow.model_validate(i) for i in items])
    item = await plan.resource(STATIC_SITE, static_site)
    site: StaticSiteDetail = await plan.api.get(ep.STATIC_SITE, id=item["id"])
    site.deployments = sorted(site.deployments, key=lambda d: d.created_at, reverse=True)
    return StaticSites(static_sites=[SiteRow.model_validate(site.model_dump())], site=site)


def _settings_body(values: dict[str, Any]) -> dict[str, Any]:
    if not values:
        keys = ", ".join(SiteSettings.model_fields)
        raise InvalidInput(f'settings needs values, e.g. {{"build_command": "npm run build"}}; keys: {keys}.')
    return parsed(SiteSettings, values, "settings").body()


def _deploy_body(action: str, site_id: str, values: dict[str, Any], deployment_id: str) -> tuple[str, dict[str, Any]]:
    """(what, body) of a deploy or redeploy."""
    if action == "redeploy":
        if values:
            raise InvalidInput("redeploy takes no values (it repeats a deployment: deployment_id, default the latest).")
        return (
            f" from deployment {deployment_id}" if deployment_id else "",
            {"static_site_id": site_id} | ({"deployment_id": deployment_id} if deployment_id else {}),
        )
    branch = values.get("branch", "")
    if set(values) - {"branch"} or not isinstance(branch, str):
        raise InvalidInput("deploy takes only values.branch: a git branch name (default: the site's branch).")
    branch = branch.strip()
    return branch, {"static_site_id": site_id} | ({"branch": branch} if branch else {})


@tool("static_sites", Risk.WRITE, "Change static site")
async def manage_static_site(
    plan: Planner,
    action: Literal["deploy", "redeploy", "cancel", "settings"],
    static_site: StaticSiteRef,
    deployment_id: Annotated[str, Field(description="redeploy, cancel: default the latest")] = "",
    values: Annotated[
        dict[str, Any],
        Field(
            description=(
                "deploy: branch; settings: display_name, default_branch, auto_deploy, build_command, "
                "published_directory, "
                "node_version"
            )
        ),
    ] = {},  # noqa: B006
) -> Change:
    """Deploy a branch or redeploy (and wait), cancel a deployment, or change a static site's settings."""
    deployment_id = deployment_id.strip()
    if deployment_id and action not in ("redeploy", "cancel"):
        raise InvalidInput("deployment_id is for action=redeploy or cancel.")
    if action == "cancel":
        if values:
            raise InvalidInput("cancel takes no values (deployment_id, default the newest running or waiting one).")
        plan.api.need_v3("Cancelling a deployment")
        return await cancel(plan, "static", await plan.resource(STATIC_SITE, static_site), deployment_id)
    body = _settings_body(values) if action == "settings" else {}
    item = await plan.resource(STATIC_SITE, static_site)
    name = label(item)
    if action == "settings":
        what = f"Update {name}: " + ", ".join(f"{k}={v!r}" for k, v in body.items())

        async def update(api: Api) -> ChangeOutcome:
            now = (await api.call(ep.UPDATE_STATIC_SITE, body=body, id=item["id"])).value
            return done(what, now.status)

        return plan.change(what, update)
    detail, request = _deploy_body(action, item["id"], values, deployment_id)
    what = f"Redeploy {name}{detail}" if action == "redeploy" else f"Deploy {detail or 'the default branch'} to {name}"
    endpoint = ep.REDEPLOY if action == "redeploy" else ep.DEPLOY
    return plan.change(what, lambda api: start(api, endpoint, action=what, body=request))


@tool("static_sites", Risk.DESTRUCTIVE, "Delete static site")
async def delete_static_site(plan: Planner, static_site: StaticSiteRef) -> Change:
    """Delete a static site and its deployments."""
    item = await plan.resource(STATIC_SITE, static_site)
    site: StaticSiteDetail = await plan.api.get(ep.STATIC_SITE, id=item["id"])
    what = f"Delete static site {label(item)}"
    preview = (
        f"{what} (id {item['id']}), served at {site.hostname or '?'}, with its {len(site.deployments)} "
        "deployments. This cannot be undone."
    )

    async def run(api: Api) -> ChangeOutcome:
        deleted = (await api.call(ep.DELETE_STATIC_SITE, id=item["id"])).value
        return done(what, f"transaction {deleted.transaction_id or '?'}")

    return plan.change(what, run, preview=preview)
