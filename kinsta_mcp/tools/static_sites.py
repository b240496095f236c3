"""Static sites (on Sevalla since 2026-01-31; the Kinsta-era v2 API, through `call.paas`) and the
company's Sevalla usage and costs (Sevalla v2 `GET /company/{id}/paas-usage`, docs/api-notes.md#sevalla-v2-additions).

Deployments are not operations: the v2 API answers 200 with a deployment id, followed here at
GET /static-sites/deployments/{id} with progress reports and the pacing of `kinsta_mcp.waiting.paced`
(after settings.max_wait the id comes back with state "running", and action="wait" picks it up again).

Context budget: the toolset has 1,800 bytes for both tools, so the rare inputs (branch to deploy,
build settings) go in `values`, the wait bound is the server's KINSTA_MAX_WAIT, and the rows of the
read tool are plain objects rather than typed models.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Annotated, Any, Literal

from pydantic import Field, PrivateAttr

from kinsta_mcp.call import Call
from kinsta_mcp.client import segment
from kinsta_mcp.errors import InvalidInput, OperationFailed
from kinsta_mcp.models.base import Output
from kinsta_mcp.paas_refs import APPLICATION, DATABASE, STATIC_SITE, label, labels, list_all, resolve, service
from kinsta_mcp.registry import tool
from kinsta_mcp.safety import Risk
from kinsta_mcp.text import iso_from_ms, number
from kinsta_mcp.tools.args import Allowed, checked
from kinsta_mcp.waiting import paced

SiteRef = Annotated[str, Field(description="ID, name or display name")]

FAILED = frozenset({"failed", "cancelled"})
RECENT = 5  # deployments shown in a detail
TOP_COSTS = 5  # usage rows named in the text
SETTINGS: Allowed = {
    "display_name": ((str,), "text"),
    "default_branch": ((str,), "a branch name"),
    "auto_deploy": ((bool,), "true or false"),
    "build_command": ((str, type(None)), "a command or null"),
    "published_directory": ((str, type(None)), "a path or null"),
    "node_version": ((str, type(None)), "16.20.0, 18.16.0, 20.2.0 or null"),
}
NODE_VERSIONS = ("16.20.0", "18.16.0", "20.2.0")


class StaticSites(Output):
    # Rows as plain objects: the typed models would not fit the toolset's context budget.
    static_sites: list[dict[str, str]] = Field(default_factory=list)  # {id, name, display_name, status}
    usage: list[dict[str, Any]] = Field(default_factory=list)  # {category, id_resource, usage, cost}
    _lines: list[str] = PrivateAttr(default_factory=list)

    def summary(self) -> str:
        return "\n".join(self._lines)


class SiteChange(Output):
    action: str
    state: Literal["done", "running"] = "done"
    deployment_id: str = ""
    _status: str = PrivateAttr("")
    _elapsed: float = PrivateAttr(0.0)

    def summary(self) -> str:
        head = "Done" if self.state == "done" else f"Still running after {self._elapsed:.0f} s"
        return f"{head}: {self.action}" + (f" ({self._status})" if self._status else "") + "."

    def next_step(self) -> str:
        if self.state != "running":
            return ""
        return f"To keep waiting, call manage_static_site with action='wait' and deployment_id={self.deployment_id!r}."


def _change(action: str, status: str = "", **fields: Any) -> SiteChange:
    out = SiteChange(action=action, **fields)
    out._status = status
    return out


def _site_row(item: dict[str, Any]) -> dict[str, str]:
    return {key: str(item.get(key) or "") for key in ("id", "name", "display_name", "status")}


async def _follow(call: Call, action: str, deployment_id: str, *, max_wait: float, grace: float) -> SiteChange:
    """Poll one deployment until it succeeded (done), failed (raises) or `max_wait` passed (running)."""
    began, status = time.monotonic(), "waiting"

    async def check() -> bool:
        nonlocal status
        response = await call.paas.get(f"/static-sites/deployments/{segment(deployment_id)}", accept=frozenset({404}))
        elapsed = time.monotonic() - began
        if response.status == 404 and elapsed >= grace:
            raise InvalidInput(f"{service(call)} knows no static-site deployment {deployment_id!r}.")
        found = {} if response.status == 404 else (response.data or {}).get("deployment") or {}
        status = str(found.get("status") or "registering")
        if status in FAILED:
            raise OperationFailed(f"Failed: {action}. Deployment {deployment_id} ended {status!r} "
                                  f"(branch {found.get('branch') or '?'}).", deployment_id)
        await call.progress(round(elapsed, 1), f"{action}: {status} ({elapsed:.0f} s)")
        return status == "success"

    await call.progress(0.0, f"{action}: started")
    done = await paced(call.settings, max_wait, check, what=action, where=service(call))
    out = _change(action, status, state="done" if done else "running", deployment_id=deployment_id)
    out._elapsed = time.monotonic() - began
    return out


async def _usage(call: Call, period_offset: int) -> StaticSites:
    """Costs of one billing period: per category in the text, per resource and category in the data."""
    if not call.deps.on_sevalla:
        raise InvalidInput("Usage and costs come from the Sevalla API only: set SEVALLA_API_KEY (a key from the "
                           "Sevalla dashboard > Company settings > API Keys).")
    company = await call.paas_company()
    response = await call.paas.get(f"/company/{segment(company)}/paas-usage", params={"period_offset": period_offset})
    rows = ((response.data or {}).get("company") or {}).get("paas_usage") or []
    per: dict[tuple[str, str], dict[str, Any]] = {}
    rows_per_category: Counter[str] = Counter()
    for row in (r for r in rows if isinstance(r, dict)):
        category, resource = str(row.get("category") or "other"), str(row.get("id_resource") or "")
        summed = per.setdefault((category, resource), {"category": category, "id_resource": resource,
                                                       "usage": 0.0, "cost": 0.0})
        for key in ("usage", "cost"):
            summed[key] = round(summed[key] + (number(row.get(key)) or 0.0), 6)
        rows_per_category[category] += 1
    period = "this billing period" if period_offset == 0 else f"{-period_offset} billing period(s) ago"
    out = StaticSites(usage=sorted(per.values(), key=lambda u: (-u["cost"], u["category"], u["id_resource"])))
    out._lines = [f"Sevalla usage, {period}: total cost {sum(u['cost'] for u in out.usage):.2f}"]
    for category, count in sorted(rows_per_category.items()):
        mine = [u for u in out.usage if u["category"] == category]
        out._lines.append(f"- {category}: usage {sum(u['usage'] for u in mine):g}, "
                          f"cost {sum(u['cost'] for u in mine):.2f} ({count} rows)")
    if per:
        names = await labels(call, APPLICATION, DATABASE, STATIC_SITE)
        out._lines.append(f"Costliest of {len(per)} (resource, category) rows:")
        out._lines += [f"- {names.get(u['id_resource'], u['id_resource'] or '?')}: {u['category']} "
                       f"usage {u['usage']:g}, cost {u['cost']:.2f}" for u in out.usage[:TOP_COSTS]]
    return out


@tool("static_sites", Risk.READ, "Static sites")
async def list_static_sites(
    call: Call,
    static_site: SiteRef = "",
    usage: Annotated[int, Field(ge=0, le=6, description="1-6: company costs, current (1) or earlier period")] = 0,
) -> StaticSites:
    """Static sites, one with its deployments, or the company's Sevalla usage costs."""
    if usage:
        if static_site.strip():
            raise InvalidInput("usage is for the whole company: leave static_site empty.")
        return await _usage(call, 1 - usage)
    if not static_site.strip():
        out = StaticSites(static_sites=[_site_row(i) for i in await list_all(call, STATIC_SITE)])
        out._lines = [f"{len(out.static_sites)} static sites:"] + [
            f"- {label(s)} [{s['status']}] id {s['id']}" for s in out.static_sites]
        return out
    item = await resolve(call, STATIC_SITE, static_site)
    site = ((await call.paas.get(f"/static-sites/{segment(item['id'])}")).data or {}).get("static_site") or {}
    recent = sorted(site.get("deployments") or [], key=lambda d: d.get("created_at") or 0, reverse=True)
    out = StaticSites(static_sites=[_site_row(item | site)])
    out._lines = [
        f"{label(site or item)} [{site.get('status')}] id {item['id']}, host {site.get('hostname')}",
        f"Repository {site.get('repo_url')} ({site.get('git_type')}), branch {site.get('default_branch')}, "
        f"auto-deploy {'on' if site.get('auto_deploy') else 'off'}, build `{site.get('build_command') or 'none'}`",
        f"Deployments ({len(recent)}, newest first):",
    ] + [f"- {iso_from_ms(d.get('created_at') or 0)} {d.get('branch')} [{d.get('status')}] "
         f"{d.get('commit_message') or ''} (id {d.get('id')})" for d in recent[:RECENT]]
    return out


def _branch(values: dict[str, Any]) -> str:
    branch = values.get("branch", "")
    if set(values) - {"branch"} or not isinstance(branch, str):
        raise InvalidInput("deploy takes only values.branch: a git branch name (default: the site's branch).")
    return branch.strip()


def _settings_body(values: dict[str, Any]) -> dict[str, Any]:
    if not values:
        raise InvalidInput(f"update needs values, e.g. {{\"build_command\": \"npm run build\"}}; keys: {', '.join(SETTINGS)}.")
    body = checked(values, SETTINGS, "a static-site setting")
    if body.get("node_version") not in (None, *NODE_VERSIONS):
        raise InvalidInput(f"node_version must be one of {', '.join(NODE_VERSIONS)} (got {body['node_version']!r}).")
    return body


@tool("static_sites", Risk.DESTRUCTIVE, "Change static site")
async def manage_static_site(
    call: Call,
    action: Literal["deploy", "redeploy", "wait", "update", "delete"],
    static_site: SiteRef = "",
    deployment_id: Annotated[str, Field(description="redeploy (default latest) or wait")] = "",
    values: Annotated[dict[str, Any], Field(description=(
        "deploy: branch; update: display_name, default_branch, auto_deploy, build_command, published_directory, "
        "node_version"))] = {},  # noqa: B006
) -> SiteChange:
    """Deploy, redeploy (and wait for), reconfigure or delete a static site."""
    deployment_id, max_wait = deployment_id.strip(), call.settings.max_wait
    if (deployment_id and action not in ("redeploy", "wait")) or (values and action not in ("deploy", "update")):
        raise InvalidInput("deployment_id is for action=redeploy and wait, values for deploy and update.")
    if action == "wait":
        if not deployment_id:
            raise InvalidInput("action='wait' needs deployment_id (from the result that started the deployment).")
        return await _follow(call, f"Deployment {deployment_id}", deployment_id, max_wait=max_wait, grace=0)
    branch = _branch(values) if action == "deploy" else ""
    body = _settings_body(values) if action == "update" else {}
    item = await resolve(call, STATIC_SITE, static_site)
    path, name = f"/static-sites/{segment(item['id'])}", label(item)
    if action == "update":
        now = ((await call.paas.put(path, json=body)).data or {}).get("static_site") or {}
        change = ", ".join(f"{k}={now.get(k, v)!r}" for k, v in body.items())
        return _change(f"Update {name}: {change}", str(now.get("status") or ""))
    if action == "delete":
        site = ((await call.paas.get(path)).data or {}).get("static_site") or {}
        await call.confirm(f"Delete static site {name} (id {item['id']}), served at {site.get('hostname') or '?'}, "
                           f"with its {len(site.get('deployments') or [])} deployments. This cannot be undone.")
        done = (await call.paas.delete(path)).data or {}
        return _change(f"Delete static site {name}", f"transaction {done.get('transaction_id', '?')}")
    if action == "redeploy":
        request = {"static_site_id": item["id"]} | ({"deployment_id": deployment_id} if deployment_id else {})
        response = await call.paas.post("/static-sites/deployments/redeploy", json=request)
        what = f"Redeploy {name}" + (f" from deployment {deployment_id}" if deployment_id else "")
    else:
        request = {"static_site_id": item["id"]} | ({"branch": branch} if branch else {})
        response = await call.paas.post("/static-sites/deployments", json=request)
        what = f"Deploy {branch or 'the default branch'} to {name}"
    new_id = str(((response.data or {}).get("deployment") or {}).get("id") or "")
    if not new_id:
        raise InvalidInput(f"{service(call)} accepted '{what}' but sent no deployment id; check list_static_sites.")
    return await _follow(call, what, new_id, max_wait=max_wait, grace=call.settings.operation_grace)
