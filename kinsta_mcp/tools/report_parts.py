"""The fan-out behind company_report, and the reports that ask one thing per environment.

Every per-environment request goes through `fan_out`: a few at a time (the client paces them against
the company's rate limit), MCP progress after each, and one bound for all of them. What did not arrive
in time, or failed, is named in `missing`; a report is never silently short.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import anyio

from kinsta_mcp.api import analytics as analytics_ep
from kinsta_mcp.api import backups as backups_ep
from kinsta_mcp.api import domains as domains_ep
from kinsta_mcp.errors import InvalidInput, KinstaError
from kinsta_mcp.models.reports import Row
from kinsta_mcp.models.sites import Environment, Site
from kinsta_mcp.planner import Planner
from kinsta_mcp.text import iso_from_ms, number
from kinsta_mcp.timerange import period_window

CONCURRENCY = 4  # requests in flight at once: the client's limiter paces them, this keeps the queue short
FALLBACK_BOUND = 60.0  # seconds, when KINSTA_MAX_WAIT=0 (return at once) would leave no time at all
DAY_MS = 86_400_000

SERIES = {
    "visits": analytics_ep.VISITS,
    "bandwidth": analytics_ep.BANDWIDTH,
    "cdn": analytics_ep.CDN_BANDWIDTH,
    "disk": analytics_ep.DISK_SPACE,
}
TITLES = {
    "visits": "Visits (unique IPs)",
    "bandwidth": "Bandwidth",
    "cdn": "CDN bandwidth",
    "disk": "Disk space (latest in the window)",
}
# Kinsta's own rolling windows; calendar periods are sent as from/to days (as site_analytics does).
TIME_SPANS = {f"last_{span}": span for span in ("24_hours", "7_days", "30_days", "60_days")}


@dataclass(frozen=True)
class Work:
    name: str  # what `missing` and progress call it
    fetch: Callable[[], Awaitable[Any]]


def bound(plan: Planner) -> float:
    return plan.settings.max_wait or FALLBACK_BOUND


async def fan_out(plan: Planner, work: Sequence[Work]) -> tuple[list[Any], list[str]]:
    """Each item's result (None where missing), and what is missing with the reason. If every item failed,
    the first failure is raised: a report of nothing but errors is an error."""
    results: list[Any] = [None] * len(work)
    done: set[int] = set()
    failed: dict[int, KinstaError] = {}
    gate = anyio.Semaphore(CONCURRENCY)
    finished = 0
    seconds = bound(plan)

    async def one(index: int, item: Work) -> None:
        nonlocal finished
        async with gate:
            try:
                results[index] = await item.fetch()
                done.add(index)
            except KinstaError as failure:
                failed[index] = failure
        finished += 1
        await plan.ctx.report_progress(finished, len(work), f"{item.name} ({finished}/{len(work)})")

    with anyio.move_on_after(seconds):
        async with anyio.create_task_group() as group:
            for index, item in enumerate(work):
                group.start_soon(one, index, item)
    if work and not done and len(failed) == len(work):
        raise next(iter(failed.values()))
    redact = plan.settings.api_key.redact
    missing = [
        f"{item.name}: "
        + (redact(failed[i].message) if i in failed else f"not answered within the {seconds:g} s bound")
        for i, item in enumerate(work)
        if i not in done
    ]
    return results, missing


def where(site: Site, env: Environment) -> str:
    return f"{site.name} › {env.name}"


def row(site: Site, env: Environment | None, value: float = 0, note: str = "") -> Row:
    return Row(site=site.label, environment=env.name if env else "", value=value, note=note, labels=site.labels)


def lives(sites: Sequence[Site]) -> tuple[list[tuple[Site, Environment]], list[str]]:
    """Each site's live environment; sites without one are named as missing."""
    found, missing = [], []
    for site in sites:
        env = site.environment_named("live")
        if env is None:
            missing.append(f"{site.name}: no live environment")
        else:
            found.append((site, env))
    return found, missing


def traffic_window(metric: str, period: str) -> tuple[dict[str, str], str]:
    """The analytics query of a period, checked before anything is sent, and the window in words."""
    if period in TIME_SPANS:
        if metric == "disk" and period == "last_24_hours":
            raise InvalidInput("disk has no 24-hour window: use last_7_days or longer, or a calendar period.")
        return {"time_span": TIME_SPANS[period]}, f"Kinsta's rolling {period.removeprefix('last_').replace('_', ' ')}"
    first, after = period_window(period, datetime.now(UTC))
    start, end = first.date().isoformat(), (after - timedelta(microseconds=1)).date().isoformat()
    return {"from": start, "to": end}, f"{start} to {end}, whole UTC days"


def _total(metric: str, data: list[dict[str, Any]]) -> float:
    """A series' total as Kinsta states it (or the sum of its points); disk space: its latest point."""
    if metric == "disk":
        timed = sorted(
            (str(p.get("key", "")), number(p.get("value")) or 0.0)
            for d in data
            for p in d.get("dataset") or []
            if isinstance(p, dict)
        )
        return timed[-1][1] if timed else 0.0
    total = 0.0
    for d in data:
        values = [number(p.get("value")) or 0.0 for p in d.get("dataset") or [] if isinstance(p, dict)]
        total += number(d.get("total")) or sum(values)
    return total


async def traffic(plan: Planner, sites: Sequence[Site], metric: str, period: str) -> tuple[list[Row], list[str], str]:
    query, window = traffic_window(metric, period)
    query["company_id"] = plan.company_id
    if metric == "disk":
        query["time_zone"] = "00:00"  # Kinsta requires an offset; UTC like every other window here
    targets, missing = lives(sites)

    def fetch(site: Site, env: Environment) -> Work:
        async def run() -> Row:
            answer = await plan.api.get(SERIES[metric], query=query, env_id=env.id)
            return row(site, env, _total(metric, answer.data))

        return Work(where(site, env), run)

    results, lost = await fan_out(plan, [fetch(s, e) for s, e in targets])
    rows = sorted((r for r in results if r is not None), key=lambda r: -r.value)
    return rows, missing + lost, f"{TITLES[metric]} of each site's live environment, {window}"


async def backups(plan: Planner, sites: Sequence[Site]) -> tuple[list[Row], list[str], str]:
    targets, missing = lives(sites)
    now_ms = datetime.now(UTC).timestamp() * 1000

    def fetch(site: Site, env: Environment) -> Work:
        async def run() -> Row:
            found = await plan.api.get(backups_ep.BACKUPS, env_id=env.id)
            newest = max(found, key=lambda b: b.created_at, default=None)
            if newest is None or not newest.created_at:
                return row(site, env, -1, "no backup listed")
            age = round(max(0.0, now_ms - newest.created_at) / DAY_MS, 1)
            return row(site, env, age, f"{newest.type or 'backup'} at {iso_from_ms(newest.created_at)}")

        return Work(where(site, env), run)

    results, lost = await fan_out(plan, [fetch(s, e) for s, e in targets])
    # No backup at all first, then the oldest newest backup.
    rows = sorted((r for r in results if r is not None), key=lambda r: (r.value >= 0, -r.value))
    measure = "Newest backup of each live environment; value = its age in days (-1: none listed), oldest first"
    return rows, missing + lost, measure


async def domains(plan: Planner, sites: Sequence[Site]) -> tuple[list[Row], list[str], str]:
    def fetch(site: Site, env: Environment) -> Work:
        async def run() -> Row:
            reply = await plan.api.call(domains_ep.DOMAINS, env_id=env.id)
            raw = ((reply.body or {}).get("environment") or {}).get("site_domains") or []
            on_cloudflare = {str(d.get("id")) for d in raw if isinstance(d, dict) and d.get("uses_cloudflare_dns")}
            names = [
                d.name
                + (" (primary)" if d.name == env.primary_domain else "")
                + (" [Cloudflare DNS]" if d.id in on_cloudflare else "")
                for d in reply.value
            ]
            return row(site, env, len(names), ", ".join(names) or "no domains")

        return Work(where(site, env), run)

    results, missing = await fan_out(plan, [fetch(s, e) for s in sites for e in s.environments])
    measure = (
        "Domains of each environment; value = how many. Kinsta's API reports no certificate (SSL) status for "
        "WordPress domains: list_domains with records_for=<domain> shows the DNS records a domain still needs"
    )
    return [r for r in results if r is not None], missing, measure
