"""Company-wide questions in one call: "which sites had the most visits last month?", "which are on PHP
8.1?", "what needs plugin updates?", "everything of client X".

One read tool over every site this server may touch (KINSTA_ALLOWED_SITES applies before anything is
asked), optionally only those with one site label (how agencies mark clients). Each report asks only
what it needs (versions: nothing beyond the cached site listing); the per-environment ones fan out
through report_parts.fan_out, bounded, with progress, and name what is missing when the bound is hit.
"""

from __future__ import annotations

from typing import Literal

from kinsta_mcp.errors import InvalidInput
from kinsta_mcp.gate import Risk
from kinsta_mcp.models.reports import Report
from kinsta_mcp.models.sites import Site
from kinsta_mcp.planner import Planner
from kinsta_mcp.registry import tool
from kinsta_mcp.timerange import ALIASES, PERIODS, is_period
from kinsta_mcp.tools import report_parts as parts
from kinsta_mcp.tools import report_sets as sets

Kind = Literal[
    "visits", "bandwidth", "cdn", "disk", "versions", "updates", "backups", "domains", "client"
]  # fmt: skip
MAX_LIMIT = 500


def _labelled(sites: list[Site], label: str) -> list[Site]:
    wanted = label.strip().lower()
    return [s for s in sites if wanted in {name.strip().lower() for name in s.labels}]


def _labels_in_use(sites: list[Site]) -> str:
    return ", ".join(sorted({name for s in sites for name in s.labels})) or "none"


@tool("reports", Risk.READ, "Company report")
async def company_report(
    plan: Planner, report: Kind, period: str = "last_30_days", label: str = "", limit: int = 10
) -> Report:
    """All sites: live traffic in period (e.g. last_month), ranked; versions; updates; backup age; domains;
    client: all with site label. label filters any."""
    if not is_period(period):
        raise InvalidInput(f"period={period!r}: use one of {', '.join(PERIODS)} (or last_<n>d). Nothing was sent.")
    period = ALIASES.get(period.strip().lower(), period.strip().lower())
    limit = min(max(limit, 1), MAX_LIMIT)
    if report in parts.SERIES:
        parts.traffic_window(report, period)  # a window Kinsta would refuse is refused before anything is sent
    if report == "client" and not label.strip():
        raise InvalidInput("report=client needs label= (a site label, e.g. the client's name). Nothing was sent.")
    everything = await plan.sites()
    sites = _labelled(everything, label) if label.strip() else everything
    if label.strip() and not sites and (report != "client" or not plan.api.on_sevalla):
        raise InvalidInput(f"No site has the label {label!r}. Labels in use: {_labels_in_use(everything)}.")
    scope = f"{len(sites)} site(s)" + (f" labelled {label!r}" if label.strip() else "")
    if plan.settings.allowed_sites:
        scope += " (only those this server may touch)"
    groups: list[str] = []
    if report == "versions":
        rows, groups = sets.versions(sites, limit)
        missing: list[str] = []
        measure = "PHP and WordPress versions of each environment, from the site listing, oldest PHP first"
    elif report == "updates":
        rows, missing, measure = await sets.updates(plan, sites)
    elif report == "backups":
        rows, missing, measure = await parts.backups(plan, sites)
    elif report == "domains":
        rows, missing, measure = await parts.domains(plan, sites)
    elif report == "client":
        rows, missing, measure = await sets.client(plan, sites, label)
    else:
        rows, missing, measure = await parts.traffic(plan, sites, report, period)
    return Report(report=report, measure=f"{measure}; {scope}", rows=rows, missing=missing, limit=limit, groups=groups)
