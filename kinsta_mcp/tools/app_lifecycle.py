"""Plans of the Sevalla v3 application actions (no tools here: they are actions of the application tools):
suspend and activate, clone, cancel a running deployment (apps and static sites), the deploy hook and the
IP restriction, and what a detail listing shows of them.

The tools check for the v3 API (`plan.api.need_v3`) before calling these, so that nothing is sent without it.

The deploy hook URL deploys the app for anyone who has it: it is never put in a preview, outcome or error;
only `list_applications` shows it, with `reveal` and after the user agreed. Turning the hook on or opening
the IP restriction grants access (sensitive); turning the hook off or regenerating it breaks its callers
(destructive): each preview says so.
"""

from __future__ import annotations

import ipaddress
from typing import Any, Literal

from pydantic import Field

from kinsta_mcp.api import app_v3 as v3
from kinsta_mcp.api.endpoint import Endpoint, JobKind
from kinsta_mcp.api.facade import Api
from kinsta_mcp.errors import InvalidInput
from kinsta_mcp.gate import Change
from kinsta_mcp.jobs import ChangeOutcome, Job, Started, done
from kinsta_mcp.models.app_v3 import IpRestriction, V3App
from kinsta_mcp.models.applications import App
from kinsta_mcp.paas_refs import APPLICATION, label
from kinsta_mcp.planner import Planner
from kinsta_mcp.tools.app_common import app_ref, nothing_to_do
from kinsta_mcp.tools.values import Values, parsed

UNFINISHED = ("waiting", "inProgress")
MAX_IPS, MAX_IP_LENGTH = 500, 45  # the spec's limits


def reveal_hint(app: App) -> str:
    return f'list_applications with application="{app.name or app.id}" and reveal=true shows it, once the user agrees'


async def v3_app(plan: Planner, ref: str) -> V3App:
    found = await app_ref(plan, ref)
    return await plan.api.get(v3.APPLICATION, id=found.id)


async def suspend(plan: Planner, application: str) -> Change:
    app = await v3_app(plan, application)
    what = f"Suspend {app.label}"
    if app.is_suspended:
        return nothing_to_do(plan, what, "it is already suspended")
    page = await plan.api.get(v3.PROCESSES, query={"limit": v3.LIMIT}, id=app.id)
    running = "; ".join(p.line for p in page.data) or "none"
    return plan.change(
        what,
        _post(v3.SUSPEND, what, app.id),
        preview=(
            f"Suspend application {app.label}: every process stops ({running}) and it stops serving requests until "
            "activated again (manage_application action=activate). Settings, environment variables and deployments "
            "are kept."
        ),
    )


async def activate(plan: Planner, application: str) -> Change:
    app = await v3_app(plan, application)
    what = f"Activate {app.label}"
    if not app.is_suspended:
        return nothing_to_do(plan, what, "it is not suspended")
    return plan.change(what, _post(v3.ACTIVATE, what, app.id))


def _post(endpoint: Endpoint, what: str, app_id: str) -> Any:
    async def run(api: Api) -> ChangeOutcome:
        return done(what, (await api.call(endpoint, id=app_id)).value.message)

    return run


class CloneValues(Values):
    """POST /applications/{id}/clone."""

    what = "a clone setting"
    display_name: str = Field(min_length=2, max_length=64, description="2-64 characters, unique in the company")
    cluster_id: str | None = Field(None, min_length=1, description="a cluster id (default: the app's)")


async def clone(plan: Planner, application: str, values: dict[str, Any]) -> Change:
    body = parsed(CloneValues, values, "clone").body()
    source = await app_ref(plan, application)
    name = body["display_name"].strip()
    listed = await plan.deps.catalog.items(plan.api, APPLICATION)
    if taken := next((a for a in listed if str(a.get("display_name", "")).lower() == name.lower()), None):
        raise InvalidInput(f"{label(taken)} already has the display name {name!r}; pick another. Nothing was sent.")
    body["display_name"] = name
    what = f"Clone {source.label} as {name!r}"

    async def run(api: Api) -> Started:
        new = (await api.call(v3.CLONE, body=body, id=source.id)).value
        # The outcome is made from the change's action after this ran: it names the new app, known only now.
        change.action = f"{what}: new application {new.label}, id {new.id}"
        first = (await api.call(v3.DEPLOYMENTS, query={"limit": 1}, id=new.id)).value.data
        if not first:
            return done(change.action, "its first deployment has not started yet; list_applications shows it")
        return Job(JobKind.APP_DEPLOYMENT, first[0].id, f"First deployment of {new.label}", relists=True)

    change = plan.change(what, run, max_wait=plan.settings.max_wait)
    return change


async def cancel(plan: Planner, kind: Literal["app", "static"], owner: dict[str, Any], deployment_id: str) -> Change:
    """Cancel a deployment that waits or runs: the one named, else the newest such."""
    listing, endpoint = (v3.DEPLOYMENTS, v3.CANCEL) if kind == "app" else (v3.STATIC_DEPLOYMENTS, v3.STATIC_CANCEL)
    page = await plan.api.get(listing, query={"limit": 25}, id=owner["id"])
    wanted = deployment_id.strip()
    found = next((d for d in page.data if d.id == wanted or (not wanted and d.status in UNFINISHED)), None)
    if found is None or found.status not in UNFINISHED:
        latest = f"; newest: {page.data[0].line}" if page.data else ""
        which = f"deployment {wanted} is not running or waiting" if wanted else "no deployment is running or waiting"
        raise InvalidInput(f"Nothing to cancel on {label(owner)}: {which}{latest}. Nothing was sent.")
    what = f"Cancel deployment {found.line} of {label(owner)}"

    async def run(api: Api) -> ChangeOutcome:
        return done(what, (await api.call(endpoint, id=owner["id"], deployment_id=found.id)).value.message)

    return plan.change(what, run)


async def hook_on(plan: Planner, application: str) -> Change:
    app = await app_ref(plan, application)
    what = f"Turn on the deploy hook of {app.label}"
    if await _hook_is_on(plan, app.id):
        return nothing_to_do(plan, what, f"it is already on ({reveal_hint(app)})")
    return plan.change(
        what,
        _hook_run(v3.HOOK_ON, what, app),
        preview=(
            f"{what}: a secret URL that starts a deployment when POSTed to, with no API key; anyone who has the URL "
            "can deploy this app. The URL is not shown here."
        ),
    )


async def hook_off_or_regenerate(plan: Planner, application: str, action: str) -> Change:
    app = await app_ref(plan, application)
    is_on = await _hook_is_on(plan, app.id)
    breaks = "every caller of the current URL (CI deploy steps, Git provider webhooks, scripts) fails from then on"
    if action == "hook_off":
        what = f"Turn off the deploy hook of {app.label}"
        if not is_on:
            return nothing_to_do(plan, what, "it is already off")
        preview = f"{what}: its URL stops working at once; {breaks}. Turning it on again makes a new URL."
        return plan.change(what, _hook_run(v3.HOOK_OFF, what, app), preview=preview)
    what = f"Regenerate the deploy hook of {app.label}"
    if not is_on:
        raise InvalidInput(f"{app.label} has no deploy hook: manage_application action=hook_on makes one.")
    preview = f"{what}: the current URL stops working at once and {breaks}, until each is given the new URL."
    return plan.change(what, _hook_run(v3.HOOK_REGENERATE, what, app), preview=preview)


async def _hook_is_on(plan: Planner, app_id: str) -> bool:
    return (await plan.api.call(v3.HOOK, accept=frozenset({404}), id=app_id)).status != 404


def _hook_run(endpoint: Endpoint, what: str, app: App) -> Any:
    async def run(api: Api) -> ChangeOutcome:
        await api.call(endpoint, id=app.id)  # the answer holds the URL: never put in the outcome
        if endpoint is v3.HOOK_OFF:
            return done(what, "off: its URL no longer deploys")
        return done(what, f"on; the URL is a secret and is not shown here: {reveal_hint(app)}")

    return run


class IpValues(Values):
    """PUT /applications/{id}/ip-restriction, as one of: allow, deny, or enabled=false."""

    what = "an IP restriction key"
    allow: list[str] | None = Field(None, description="IP addresses or CIDR ranges")
    deny: list[str] | None = Field(None, description="IP addresses or CIDR ranges")
    enabled: bool | None = None


def _ips(given: list[str]) -> list[str]:
    ips = list(dict.fromkeys(ip.strip() for ip in given if ip.strip()))
    if len(ips) > MAX_IPS:
        raise InvalidInput(f"At most {MAX_IPS} addresses or ranges. Nothing was sent.")
    for ip in ips:
        try:
            ipaddress.ip_network(ip, strict=False)
        except ValueError:
            raise InvalidInput(
                f"{ip[:MAX_IP_LENGTH]!r} is not an IP address or CIDR range; nothing was sent."
            ) from None
    return ips


def _wanted(values: dict[str, Any], now: IpRestriction) -> IpRestriction:
    parsed_values = parsed(IpValues, values, "ip_allow")
    given = {k for k in ("allow", "deny") if getattr(parsed_values, k) is not None}
    if parsed_values.enabled is False and not given:
        return IpRestriction(type=now.type, is_enabled=False, ip_list=now.ip_list)
    if len(given) != 1:
        raise InvalidInput(
            'ip_allow takes one of: {"allow": [IPs or CIDRs]} (only these may connect), {"deny": [...]} '
            '(these are blocked), or {"enabled": false} (no restriction). Nothing was sent.'
        )
    kind = given.pop()
    ips = _ips(getattr(parsed_values, kind))
    enabled = parsed_values.enabled is not False
    if enabled and not ips:
        raise InvalidInput(
            f'An empty {kind} list: to lift the restriction pass {{"enabled": false}}; nothing was sent.'
        )
    return IpRestriction(type=kind, is_enabled=enabled, ip_list=ips)


async def ip_allow(plan: Planner, application: str, values: dict[str, Any]) -> Change:
    app = await app_ref(plan, application)
    now: IpRestriction = await plan.api.get(v3.IP_RESTRICTION, id=app.id)
    new = _wanted(values, now)
    what = f"IP restriction of {app.label}: {new.line}"
    if new == now or (not new.is_enabled and not now.is_enabled):
        return nothing_to_do(plan, what, "it already is so")
    if not new.is_enabled:
        effect = "the restriction is lifted: every address may connect again"
    elif new.type == "allow":
        effect = (
            f"only {', '.join(new.ip_list)} may connect; every other address is refused, including yours unless it "
            "is listed, uptime monitors, webhooks and other services. A missing address locks that traffic out"
        )
    else:
        effect = f"{', '.join(new.ip_list)} are blocked; every other address may connect"
    body = new.model_dump()

    async def run(api: Api) -> ChangeOutcome:
        after = (await api.call(v3.SET_IP_RESTRICTION, body=body, id=app.id)).value
        return done(what, f"now {after.line}")

    return plan.change(what, run, preview=f"Set the IP restriction of {app.label}: {effect}. Now: {now.line}.")


async def detail_facts(plan: Planner, app_id: str, revealed: bool) -> dict[str, str]:
    """Suspension, deploy hook (URL only when revealed) and IP restriction of one app, for its listing."""
    app: V3App = await plan.api.get(v3.APPLICATION, id=app_id)
    reply = await plan.api.call(v3.HOOK, accept=frozenset({404}), id=app_id)
    hidden = "on (URL hidden: reveal=true shows it)"
    hook = "off" if reply.status == 404 else reply.value.url if revealed else hidden
    ip: IpRestriction = await plan.api.get(v3.IP_RESTRICTION, id=app_id)
    return {"hook": hook, "ip_restriction": ip.line, "suspended": "suspended" if app.is_suspended else ""}
