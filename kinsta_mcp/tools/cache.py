"""Caches (server, edge, CDN), PHP, CDN image optimisation and the blocked-IP list of an environment."""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import Field

from kinsta_mcp.addresses import Network, parse_networks
from kinsta_mcp.api import cache as ep
from kinsta_mcp.api.endpoint import Endpoint
from kinsta_mcp.api.facade import Api
from kinsta_mcp.errors import InvalidInput
from kinsta_mcp.gate import Change, Risk
from kinsta_mcp.jobs import Job, done, start
from kinsta_mcp.planner import Planner
from kinsta_mcp.refs import Target
from kinsta_mcp.registry import tool
from kinsta_mcp.tools.args import EnvironmentRef, MaxWait, SiteRef

IMAGE_MODES = ("off", "lossy", "lossless")
PHP_VERSION = re.compile(r"^\d+\.\d+$")

Clear = tuple[str, Endpoint, dict[str, Any]]  # (what, endpoint, body)


def _edge_body(target: Target, url: str) -> dict[str, Any]:
    """Body of an edge-cache purge: the whole environment, one URL, or (`…*`) a URL and everything below it."""
    body: dict[str, Any] = {"environment_id": target.env.id}
    text = url.strip()
    if not text:
        return body
    if text.startswith("/"):
        text = f"https://{target.env.primary_domain}{text}"
    below = text.endswith("*")
    text = text.rstrip("*")
    parts = urlsplit(text)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        raise InvalidInput(f"url={url!r} is not a URL such as https://example.com/blog/ (or a path like /blog/).")
    domains = {d.lower() for d in target.env.domains} | {target.env.primary_domain.lower()}
    if host not in domains:
        known = ", ".join(sorted(domains - {""}))
        raise InvalidInput(f"{host} is not a domain of {target.label}; its domains: {known}.")
    body["url"] = text
    if below:
        body["clear_subdirectories"] = True
    return body


def _clear_jobs(target: Target, cache: str, url: str) -> list[Clear]:
    env, label = target.env, target.label
    if url.strip() and cache != "edge":
        raise InvalidInput("url is only for cache=edge (the other caches are cleared whole).")
    if cache == "cdn" and not env.cdn_cache_id:
        raise InvalidInput(f"{label} has no Kinsta CDN (no cdn_cache_id), so there is no CDN cache to clear.")
    jobs: list[Clear] = []
    if cache in ("server", "all"):
        jobs.append((f"Clear cache on {label}", ep.CLEAR_CACHE, {"environment_id": env.id}))
    # "all" clears the edge cache and CDN only where the environment has them (the listing carries their ids).
    if cache == "edge" or (cache == "all" and env.id_edge_cache):
        jobs.append((f"Clear edge cache on {label}", ep.CLEAR_EDGE_CACHE, _edge_body(target, url)))
    if cache in ("cdn", "all") and env.cdn_cache_id:
        body = {"environment_id": env.id, "cdn_cache_id": env.cdn_cache_id}
        jobs.append((f"Clear CDN cache on {label}", ep.CLEAR_CDN_CACHE, body))
    return jobs


def _start_all(clears: list[Clear]) -> Any:
    """Start every clear; the gate's follow-up waits for all of them within one bound."""

    async def run(api: Api) -> list[Job]:
        started = [await start(api, endpoint, action=what, body=body) for what, endpoint, body in clears]
        return [job for job in started if isinstance(job, Job)]

    return run


@tool("cache", Risk.WRITE, "Clear cache", idempotent=True)
async def clear_cache(
    plan: Planner,
    site: SiteRef = "",
    environment: EnvironmentRef = "",
    cache: Literal["server", "edge", "cdn", "all"] = "server",
    url: Annotated[str, Field(description="edge: one URL; end with * for all below it")] = "",
    max_wait_seconds: MaxWait = 50,
) -> Change:
    """Clear an environment's server (page), edge or CDN cache, or all, and wait until done."""
    target = await plan.target(site, environment)
    clears = _clear_jobs(target, cache, url)
    action = clears[0][0] if len(clears) == 1 else "; ".join(what for what, _, _ in clears)
    return plan.change(action, _start_all(clears), targets=[target], max_wait=max_wait_seconds)


@tool("cache", Risk.WRITE, "Restart PHP", idempotent=True)
async def restart_php(
    plan: Planner, site: SiteRef = "", environment: EnvironmentRef = "", max_wait_seconds: MaxWait = 50
) -> Change:
    """Restart PHP on an environment (also flushes OPcache). The site may answer 503 for a few seconds."""
    target = await plan.target(site, environment)
    action = f"Restart PHP on {target.label}"
    return plan.change(
        action,
        lambda api: start(api, ep.RESTART_PHP, action=action, body={"environment_id": target.env.id}),
        targets=[target],
        max_wait=max_wait_seconds,
    )


# -- blocked (denied) IPs -------------------------------------------------------------------


async def _blocked(plan: Planner, target: Target) -> list[str]:
    return list(await plan.api.get(ep.BLOCKED_IPS, query={"environment_id": target.env.id}) or [])


def _network(text: str) -> Network | None:
    try:
        return ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return None


def _new_ip_list(action: str, current: list[str], wanted: list[tuple[str, Network]]) -> list[str]:
    """The whole list to send for block/unblock/set, computed from the current one."""
    if action == "set_blocked_ips":
        return [text for text, _ in wanted]
    have = {_network(ip): ip for ip in current}
    if action == "block_ips":
        return current + [text for text, net in wanted if net not in have]
    missing = [text for text, net in wanted if net not in have]
    if missing:
        covered = [
            f"{text} is inside blocked range {ip}"
            for text, net in wanted
            for ip_net, ip in have.items()
            if net not in have and ip_net is not None and net.version == ip_net.version and net.subnet_of(ip_net)  # type: ignore[arg-type]
        ]
        raise InvalidInput(
            f"Not blocked, so nothing to unblock: {', '.join(missing)}. "
            + (f"{'; '.join(covered)}: unblock the range instead. " if covered else "")
            + f"Blocked now: {', '.join(current) or 'none'}."
        )
    drop = {net for _, net in wanted}
    return [ip for ip in current if _network(ip) not in drop]


async def _set_blocked(plan: Planner, target: Target, action: str, wanted: list[tuple[str, Network]]) -> Change:
    current = await _blocked(plan, target)
    new = _new_ip_list(action, current, wanted)
    what = f"Blocked IPs of {target.label}"
    was = f"before: {', '.join(current) or 'none'}"
    if new == current:
        return plan.change(what, lambda api: _done(done(what, f"unchanged, nothing sent ({was})")), targets=[target])

    async def run(api: Api) -> Any:
        await api.call(ep.SET_BLOCKED_IPS, body={"environment_id": target.env.id, "ip_list": new})
        return done(what, f"now: {', '.join(new) or 'none'}; {was}")

    return plan.change(what, run, targets=[target])


async def _done(outcome: Any) -> Any:
    return outcome


# -- settings -------------------------------------------------------------------------------


def _php_version(value: str) -> str:
    version = value.strip().lower().removeprefix("php").strip()
    if not PHP_VERSION.match(version):
        raise InvalidInput(f"php_version needs value as major.minor, e.g. 8.3 (got {value!r}).")
    return version


@tool(
    "cache",
    Risk.WRITE,
    "PHP, cache and IP settings",
    needs={"block_ips": ("ips",), "unblock_ips": ("ips",)},
)
async def cache_settings(
    plan: Planner,
    action: Literal[
        "php_version",
        "edge_cache_on",
        "edge_cache_off",
        "image_optimization",
        "block_ips",
        "unblock_ips",
        "set_blocked_ips",
    ],
    site: SiteRef = "",
    environment: EnvironmentRef = "",
    value: Annotated[str, Field(description="php_version: e.g. 8.3; image_optimization: off|lossy|lossless")] = "",
    ips: Annotated[list[str], Field(description="IPs or CIDRs")] = [],  # noqa: B006
) -> Change:
    """Switch PHP version, turn edge caching on/off, set CDN image optimisation, or change blocked IPs."""
    if action == "php_version":
        value = _php_version(value)
    if action == "image_optimization" and value not in IMAGE_MODES:
        raise InvalidInput(f"image_optimization needs value off, lossy or lossless (got {value!r}).")
    wanted = parse_networks(ips) if action.endswith("_ips") else []
    if action in ("block_ips", "unblock_ips") and not wanted:
        raise InvalidInput(f"{action} needs ips (one or more addresses or CIDR ranges).")
    target = await plan.target(site, environment)
    env_id, label = target.env.id, target.label
    if action.endswith("_ips"):
        return await _set_blocked(plan, target, action, wanted)
    if action == "php_version":
        what = f"Switch {label} to PHP {value}"
        if target.env.php_version == value:
            unchanged = done(f"PHP {value} on {label}", "already on this version, nothing sent")
            return plan.change(what, lambda api: _done(unchanged), targets=[target])
        body: dict[str, Any]
        endpoint, body = ep.PHP_VERSION, {"environment_id": env_id, "php_version": value}
    elif action == "image_optimization":
        endpoint, body = ep.IMAGE_OPTIMIZATION, {"environment_id": env_id, "image_optimization_type": value}
        what = f"CDN image optimisation {value} on {label}"
    else:
        on = action == "edge_cache_on"
        endpoint, body = ep.EDGE_CACHE_STATUS, {"environment_id": env_id, "enabled": on}
        what = f"Edge caching {'on' if on else 'off'} for {label}"
    return plan.change(
        what,
        lambda api: start(api, endpoint, action=what, body=body),
        targets=[target],
        max_wait=plan.settings.max_wait,
    )
