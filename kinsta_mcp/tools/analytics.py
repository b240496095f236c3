"""Environment analytics (time series, top lists, response codes, device split) and this-month usage.

The env analytics endpoints answer HTTP 202 *with the data* (docs/api-notes.md#analytics-answer-202-with-data): the
client hands that back as a normal answer and it is read here like a 200, never followed as an
operation. Values arrive as strings ("1000"); they become numbers here.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import Field

from kinsta_mcp.api import analytics as ep
from kinsta_mcp.api.endpoint import Endpoint
from kinsta_mcp.errors import InvalidInput
from kinsta_mcp.gate import Risk
from kinsta_mcp.models.base import ApiModel, Output
from kinsta_mcp.planner import Planner
from kinsta_mcp.registry import tool
from kinsta_mcp.text import human_bytes, number
from kinsta_mcp.timerange import period_window
from kinsta_mcp.tools.args import EnvironmentRef, SiteRef

Metric = Literal[
    "visits", "bandwidth", "cdn_bandwidth", "disk_space", "response_codes", "device_dispersion",
    "top_countries", "top_cities", "top_client_ips", "top_user_agents", "top_browsers", "top_referrers",
    "top_hosts", "top_asns",
]  # fmt: skip
# The named windows every tool takes (timerange.PERIODS), plus the site's billing month.
Period = Literal[
    "last_24_hours", "last_7_days", "last_30_days", "last_60_days", "today", "yesterday", "this_month", "last_month",
    "billing_month",
]  # fmt: skip
# Kinsta's own rolling windows; the calendar periods are sent as from/to days.
TIME_SPANS = {f"last_{span}": span for span in ("24_hours", "7_days", "30_days", "60_days")}
BILLING = "billing month"

# metric → its endpoint under /sites/environments/{env_id}/analytics/
SERIES: dict[str, Endpoint] = {
    "visits": ep.VISITS,
    "bandwidth": ep.BANDWIDTH,
    "cdn_bandwidth": ep.CDN_BANDWIDTH,
    "disk_space": ep.DISK_SPACE,
    "response_codes": ep.RESPONSE_CODES,
    "device_dispersion": ep.DEVICE_DISPERSION,
    "top_countries": ep.TOP_COUNTRIES,
    "top_cities": ep.TOP_CITIES,
    "top_client_ips": ep.TOP_CLIENT_IPS,
    "top_user_agents": ep.TOP_USER_AGENTS,
    "top_browsers": ep.TOP_BROWSERS,
    "top_referrers": ep.TOP_REFERRERS,
    "top_hosts": ep.TOP_HOSTS,
    "top_asns": ep.TOP_ASNS,
}
PATHS = {metric: endpoint.path.rsplit("/", 1)[1] for metric, endpoint in SERIES.items()}
# metric → (site usage endpoint, the field holding the figure)
THIS_MONTH: dict[str, tuple[Endpoint, str]] = {
    "visits": (ep.VISITS_THIS_MONTH, "visits"),
    "bandwidth": (ep.BANDWIDTH_THIS_MONTH, "bandwidth"),
    "cdn_bandwidth": (ep.CDN_BANDWIDTH_THIS_MONTH, "bandwidth"),
}
TITLES = {"cdn_bandwidth": "CDN bandwidth", "device_dispersion": "Device split", "top_client_ips": "Top client IPs",
          "top_asns": "Top networks (ASNs)", "visits": "Visits (unique IPs)"}  # fmt: skip
BYTES = frozenset({"bandwidth", "cdn_bandwidth", "disk_space"})
# Kinsta requires an hour offset for disk space; UTC keeps every time we show in UTC.
DISK_TIME_ZONE = "00:00"

MAX_POINTS = 100  # per series in the data (the latest ones)
SHOWN_POINTS = 31  # lines of a single series in the summary
MAX_TOP = 25  # entries of a top list in the data
SHOWN_TOP = 10
MAX_NAME = 200  # user agents and referrers are visitor-controlled and can be long

DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Item(ApiModel):
    key: str = Field(description="Time (ISO 8601 UTC) of a point, or the name/IP of a top entry")
    value: float


class Series(ApiModel):
    name: str
    total: float
    points: list[Item] = Field(default_factory=list)


class Analytics(Output):
    label: str
    metric: str
    unit: Literal["bytes", "count", "percent"]
    window: str
    total: float = Field(0, description="Sum over the window; disk_space: latest; device_dispersion: 0")
    series: list[Series] = Field(default_factory=list)
    top: list[Item] = Field(default_factory=list)
    more: int = Field(0, description="Top entries left out")

    def summary(self) -> str:
        name = TITLES.get(self.metric) or self.metric.replace("_", " ").capitalize()
        title = f"{name} of {self.label}, {self.window}"
        if self.window.startswith(BILLING):
            return f"{title}: {self.fmt(self.total)}"
        if self.top or self.metric.startswith("top_"):
            return self._top_text(title)
        if not any(s.points for s in self.series):
            return f"{title}: no data for this window."
        if self.metric == "device_dispersion":
            shares = ", ".join(f"{s.name} {self.fmt(s.total)}" for s in self.series)
            return f"{title}: average share of visits: {shares}"
        if self.metric == "response_codes":
            return self._codes_text(title)
        return self._series_text(title, self.series[0])

    def fmt(self, value: float) -> str:
        if self.unit == "bytes":
            return human_bytes(value)
        if self.unit == "percent":
            return f"{value:.1f}%"
        return f"{value:,.0f}"

    def _top_text(self, title: str) -> str:
        if not self.top:
            return f"{title}: no data for this window."
        lines = [f"{title}: {len(self.top) + self.more} entries, {self.fmt(self.total)} in all"]
        for rank, item in enumerate(self.top[:SHOWN_TOP], 1):
            share = f" ({item.value / self.total:.1%})" if self.total else ""
            lines.append(f"{rank}. {item.key[:120]}: {self.fmt(item.value)}{share}")
        if len(self.top) + self.more > SHOWN_TOP:
            lines.append(f"… {len(self.top) + self.more - SHOWN_TOP} more ({len(self.top)} in the data)")
        return "\n".join(lines)

    def _codes_text(self, title: str) -> str:
        total = self.total or 1
        errors = {c: sum(s.total for s in self.series if s.name.startswith(c)) for c in ("4", "5")}
        lines = [
            f"{title}: {self.fmt(self.total)} requests; 4xx {errors['4'] / total:.1%}, 5xx {errors['5'] / total:.1%}"
        ]
        lines += [f"{s.name}: {self.fmt(s.total)} ({s.total / total:.1%})" for s in self.series]
        return "\n".join(lines)

    def _series_text(self, title: str, series: Series) -> str:
        points = series.points
        hourly = any(not p.key.endswith("T00:00:00Z") for p in points)
        when = (lambda key: key) if hourly else (lambda key: key[:10])
        peak = max(points, key=lambda p: p.value)
        low = min(points, key=lambda p: p.value)
        span = f"{when(points[0].key)} to {when(points[-1].key)}, " if self.window.startswith("Kinsta") else ""
        first = f"{title} ({span}UTC): "
        if self.metric == "disk_space":
            first += f"latest {self.fmt(points[-1].value)}"
        else:
            average = sum(p.value for p in points) / len(points)
            first += f"total {self.fmt(self.total)}; average {self.fmt(average)} per {'hour' if hourly else 'day'}"
        first += f"; peak {self.fmt(peak.value)} at {when(peak.key)}; low {self.fmt(low.value)} at {when(low.key)}"
        shown = points[-SHOWN_POINTS:]
        lines = [first]
        if len(shown) < len(points):
            lines.append(f"(latest {len(shown)} of {len(points)} points)")
        lines += [f"{when(p.key)} {self.fmt(p.value)}" for p in shown]
        return "\n".join(lines)


def _number(value: Any) -> float:
    """Kinsta sends "1000" (or 1000, or "62.50"); anything unreadable counts as 0."""
    return number(value) or 0.0


def _iso(key: Any) -> str:
    """'2025-10-28T00:00:00', '2025-08-19T00:00:00.000Z' or '2025-10-28' → '2025-10-28T00:00:00Z'."""
    text = str(key or "")
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _points(raw: Any, time_key: str, value_key: str) -> tuple[list[Item], float, int]:
    """The latest MAX_POINTS points in time order, with the sum and count of all of them."""
    items = sorted(
        (Item(key=_iso(p.get(time_key)), value=_number(p.get(value_key))) for p in raw or [] if isinstance(p, dict)),
        key=lambda p: p.key,
    )
    return items[-MAX_POINTS:], sum(p.value for p in items), len(items)


def _day(value: str, name: str) -> date | None:
    text = value.strip()
    if not text:
        return None
    try:
        if not DAY.match(text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{name}={value!r} is not a date like 2026-07-01 (YYYY-MM-DD).") from None


def _window(metric: str, period: str, from_date: str, to_date: str) -> dict[str, str]:
    """The query describing the time window, checked before anything is sent."""
    start, end = _day(from_date, "from_date"), _day(to_date, "to_date")
    if period == "billing_month":
        if metric not in THIS_MONTH:
            raise InvalidInput(
                f"period=billing_month covers only {', '.join(THIS_MONTH)}; for {metric} use another period or dates."
            )
        if start or end:
            raise InvalidInput("from_date/to_date do not combine with period=billing_month; leave them empty.")
        return {}
    if not (start or end) and period not in TIME_SPANS:  # a calendar period: its whole UTC days
        first, after = period_window(period, datetime.now(UTC))
        start, end = first.date(), (after - timedelta(microseconds=1)).date()
    if end and not start:
        raise InvalidInput("to_date needs a from_date too (from_date alone runs until today).")
    if start:
        # The latest date anywhere on earth (UTC+14): a later one is in the future everywhere.
        latest = (datetime.now(UTC) + timedelta(hours=14)).date()
        end = end or datetime.now(UTC).date()
        if start > end:
            raise InvalidInput(f"from_date {start} is after to_date {end}.")
        if end > latest:
            raise InvalidInput(f"to_date {end} is in the future; the latest possible date is today.")
        return {"from": start.isoformat(), "to": end.isoformat()}
    if metric == "disk_space" and period == "last_24_hours":
        raise InvalidInput("disk_space has no 24-hour window: use last_7_days, last_30_days, last_60_days or dates.")
    return {"time_span": TIME_SPANS[period]}


def _series_of(metric: str, data: list[dict[str, Any]]) -> list[Series]:
    found = []
    for d in data:
        if metric == "response_codes":
            points, total, _ = _points(d.get("data"), "key", "value")
            found.append(Series(name=str(d.get("response_code", "")), total=total, points=points))
        elif metric == "device_dispersion":  # total = average share over the window
            points, total, count = _points(d.get("dataset"), "date", "percent")
            found.append(Series(name=str(d.get("name", "")), total=round(total / max(count, 1), 2), points=points))
        else:
            points, total, _ = _points(d.get("dataset"), "key", "value")
            found.append(Series(name=str(d.get("name", "")), total=_number(d.get("total")) or total, points=points))
    return sorted(found, key=lambda s: s.name) if metric == "response_codes" else found


def _top_of(data: list[Any]) -> list[Item]:
    items = [
        Item(
            key=str(d.get("name") or d.get("ip") or "(unknown)")[:MAX_NAME],
            value=_number(d.get("views", d.get("value"))),
        )
        for d in data
    ]
    return sorted(items, key=lambda i: -i.value)


@tool("analytics", Risk.READ, "Site analytics")
async def site_analytics(
    plan: Planner,
    site: SiteRef = "",
    environment: EnvironmentRef = "",
    metric: Metric = "visits",
    period: Annotated[
        Period, Field(description="UTC; billing_month: whole site (visits, bandwidth, cdn_bandwidth)")
    ] = "last_7_days",
    from_date: Annotated[str, Field(description="YYYY-MM-DD UTC, replaces period")] = "",
    to_date: Annotated[str, Field(description="YYYY-MM-DD, default today")] = "",
) -> Analytics:
    """Visits, bandwidth, disk use, response codes, devices or top countries/IPs/referrers… of an environment."""
    query = _window(metric, period, from_date, to_date)
    target = await plan.target(site, environment)
    unit = "bytes" if metric in BYTES else "percent" if metric == "device_dispersion" else "count"
    if period == "billing_month":
        endpoint, field = THIS_MONTH[metric]
        usage = await plan.api.get(endpoint, site_id=target.site.id)
        # Kinsta counts usage per site: an environment's share is not in this figure, so it is never shown as one.
        named = f" (asked for {target.env.name}, but Kinsta counts usage per site)"
        window = f"{BILLING} so far, whole site, all environments" + (named if environment.strip() else "")
        return Analytics(
            label=target.site.label, metric=metric, unit=unit, window=window, total=_number(getattr(usage, field))
        )

    query["company_id"] = plan.company_id
    if metric == "disk_space":
        query["time_zone"] = DISK_TIME_ZONE
    answer = await plan.api.get(SERIES[metric], query=query, env_id=target.env.id)
    data = answer.data
    if "from" in query:
        window = f"{query['from']} to {query['to']}, whole UTC days"
    else:
        window = f"Kinsta's rolling {period.removeprefix('last_').replace('_', ' ')} ending now"
    out = Analytics(label=target.label, metric=metric, unit=unit, window=window)
    if metric.startswith("top_"):
        top = _top_of(data)
        out.total, out.top, out.more = sum(i.value for i in top), top[:MAX_TOP], max(0, len(top) - MAX_TOP)
    else:
        out.series = _series_of(metric, data)
        if metric == "disk_space":
            out.total = next((s.points[-1].value for s in out.series if s.points), 0)
        elif metric != "device_dispersion":
            out.total = sum(s.total for s in out.series)
    return out
