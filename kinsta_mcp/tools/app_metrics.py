"""Application and database metrics (Sevalla, formerly Kinsta application hosting): one read tool.

Routing (docs/api-notes.md#paas-metrics). The eight Kinsta-era series (bandwidth, build time, run time,
HTTP requests per minute, response time with P50/P95, slowest requests, CPU and memory per process)
go to the PaaS base, the v2 API: Sevalla v2 with a Sevalla key, otherwise Kinsta (same paths, params
and bodies). v2 is used even with a Sevalla key because three of them (bandwidth, build and run
time) have no v3 counterpart and one call returns every process, where v3 needs two per
process. What only v3 has goes to Sevalla v3 (window `from`/`to` in UTC with a trailing `Z`; some v3
reference pages name them `start`/`end` (docs/api-notes.md#sevalla-v3-metric-window), so a 400 is
retried once with those and the pair that worked is kept on the Api, `plan.api.v3_window`):
status codes, top pages, top countries, the window's average response time,
and every database metric (CPU, memory, storage, each with its limit series). Without a
Sevalla key those are refused before any request, naming SEVALLA_API_KEY.

Values, units and the text: kinsta_mcp/tools/metric_series.py.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field

from kinsta_mcp.api import applications as apps
from kinsta_mcp.api import metrics as ep
from kinsta_mcp.api.endpoint import Base, Endpoint
from kinsta_mcp.errors import BadRequest, HTTPError, InvalidInput, UnexpectedResponse
from kinsta_mcp.gate import Risk
from kinsta_mcp.models.metrics import V2App
from kinsta_mcp.paas_refs import APPLICATION, DATABASE
from kinsta_mcp.planner import Planner
from kinsta_mcp.registry import tool
from kinsta_mcp.text import number
from kinsta_mcp.timerange import TimeRange, is_period, iso, parse_range
from kinsta_mcp.tools.metric_series import (  # noqa: F401  (re-exported: tests and callers read them here)
    LIMITED,
    Metrics,
    Point,
    Row,
    Series,
    duration,
    normalize,
    points,
    when,
)

Metric = Literal[
    "bandwidth", "build_time", "run_time", "http_requests", "response_time", "slowest_requests", "cpu_usage",
    "memory_usage", "storage_usage", "status_codes", "top_pages", "top_countries", "response_time_avg",
]  # fmt: skip

# metric → v2 endpoint and the key of the series in its `app`
V2: dict[str, tuple[Endpoint, str]] = {
    "bandwidth": (ep.APP_BANDWIDTH, "bandwidth"),
    "build_time": (ep.APP_BUILD_TIME, "build_time"),
    "run_time": (ep.APP_RUN_TIME, "runtime"),
    "http_requests": (ep.APP_HTTP_REQUESTS, "http_requests"),
    "response_time": (ep.APP_RESPONSE_TIME, "response_time"),
    "slowest_requests": (ep.APP_SLOWEST_REQUESTS, "slowest_requests"),
    "cpu_usage": (ep.APP_CPU_USAGE, "cpu_usage"),
    "memory_usage": (ep.APP_MEMORY_USAGE, "memory_usage"),
}
V3_APP = {"status_codes": ep.APP_STATUS_CODES, "top_pages": ep.APP_TOP_PAGES, "top_countries": ep.APP_TOP_COUNTRIES,
          "response_time_avg": ep.APP_RESPONSE_TIME_AVG}  # fmt: skip
V3_DB = {"cpu_usage": (ep.DB_CPU_USAGE, ep.DB_CPU_LIMIT), "memory_usage": (ep.DB_MEMORY_USAGE, ep.DB_MEMORY_LIMIT),
         "storage_usage": (ep.DB_STORAGE_USAGE, ep.DB_STORAGE_LIMIT)}  # fmt: skip
UNITS = {
    "bandwidth": "bytes", "build_time": "seconds", "run_time": "seconds", "http_requests": "requests/min",
    "response_time": "ms", "slowest_requests": "ms", "cpu_usage": "cores", "memory_usage": "bytes",
    "storage_usage": "bytes", "status_codes": "requests", "top_pages": "requests", "top_countries": "ms",
    "response_time_avg": "ms",
}  # fmt: skip
TOP = 10  # rows of slowest_requests / top_* (the APIs' default; no input, for the tools/list budget)


def _v2_parse(metric: str, app: V2App, out: Metrics, process_names: dict[str, str] | None = None) -> None:
    key = V2[metric][1]
    if metric in ("cpu_usage", "memory_usage"):
        for proc in app.processes:
            limit = proc.cpu_limit if metric == "cpu_usage" else proc.memory_limit
            series = Series(
                name=proc.process_name or proc.id, limit=number(limit) or 0, points=points(proc.metrics.get(key))
            )
            out.series.append(normalize(metric, series))
        timeframe = app.processes[0].metrics.get("timeframe") if app.processes else None
    else:
        timeframe = app.metrics.get("timeframe")
        raw = [r for r in app.metrics.get(key) or [] if isinstance(r, dict)]
        if metric == "build_time":
            out.series = [Series(name=str(r.get("resource_type") or ""), points=points(r.get("data"))) for r in raw]
        elif metric == "run_time":
            by_process: dict[str, list[Point]] = defaultdict(list)
            for r in raw:
                if number(r.get("seconds")) is not None:
                    process = str(r.get("process_id", ""))
                    name = f"{(process_names or {}).get(process, process)} ({r.get('plan', '')})"
                    by_process[name].append(Point(time=when(r.get("start_time")), value=number(r["seconds"]) or 0))
            out.series = [Series(name=name, points=found) for name, found in by_process.items()]
        elif metric == "slowest_requests":
            out.rows = [
                Row(
                    name=str(r.get("client_request_path", "")),
                    value=number(r.get("avg_response_time_ms")) or 0,
                    count=number(r.get("request_count")) or 0,
                )
                for r in raw
            ]
        else:
            out.series = [Series(points=points(app.metrics.get(key)))]
    if isinstance(timeframe, dict) and timeframe.get("start") and timeframe.get("end"):
        out.start, out.end = when(timeframe["start"]), when(timeframe["end"])


def _v3_parse(metric: str, body: Any, out: Metrics) -> None:
    """`body` is a list of rows, or (response_time_avg) a V3Average."""
    if metric == "response_time_avg":
        value = number(body.average_response_time_ms)
        out.series = [Series(name="average", points=[Point(time=out.start, value=value)])] if value is not None else []
        return
    rows = [r for r in body if isinstance(r, dict)]
    if metric == "status_codes":
        codes: dict[str, list[Point]] = defaultdict(list)
        for item in rows:
            counts = item.get("value")
            for code, count in (counts if isinstance(counts, dict) else {}).items():
                if number(count) is not None:
                    codes[str(code)].append(Point(time=when(item.get("time")), value=number(count) or 0))
        out.series = [
            Series(name=code, points=sorted(found, key=lambda p: p.time)) for code, found in sorted(codes.items())
        ]
    elif metric == "top_pages":
        out.rows = [
            Row(name=str(r.get("page", "")), value=number(r.get("total")) or 0, count=number(r.get("total")) or 0)
            for r in rows
        ]
    else:  # top_countries
        out.rows = [
            Row(
                name=str(r.get("country", "")),
                value=number(r.get("response_time")) or 0,
                count=number(r.get("total")) or 0,
            )
            for r in rows
        ]


# ----- the tool ----------------------------------------------------------------------------------


def _route(metric: str, application: str, database: str, percent: int, plan: Planner) -> str:
    """Which API serves the request ("v2", "v3"); refuses impossible combinations before any request."""
    if application.strip() and database.strip():
        raise InvalidInput("Give either application or database, not both.")
    if database.strip():
        if metric not in V3_DB:
            raise InvalidInput(f"{metric} is an application metric; a database has {', '.join(V3_DB)}.")
    elif metric == "storage_usage":
        raise InvalidInput("storage_usage is a database metric: give database (ID, name or display name).")
    elif not application.strip():
        raise InvalidInput("Say which application (ID, name or display name), or give database for its metrics.")
    if percent and metric != "response_time":
        raise InvalidInput("percent (50 or 95) applies only to metric=response_time.")
    version = "v3" if database.strip() or metric in V3_APP else "v2"
    if version == "v3" and not plan.api.has(Base.V3):
        raise InvalidInput(
            f"{metric}{' of a database' if database.strip() else ''} comes from the Sevalla API v3, which needs a "
            "Sevalla API key: set SEVALLA_API_KEY (Sevalla dashboard > Company settings > API Keys). Without it "
            f"these application metrics work: {', '.join(V2)}."
        )
    return version


def _text_int(value: Any) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


@tool("app_metrics", Risk.READ, "App metrics")
async def app_metrics(
    plan: Planner,
    application: str = "",
    metric: Metric = "bandwidth",
    database: Annotated[str, Field(description="Instead of application")] = "",
    start: Annotated[
        str, Field(description="ISO 8601 (no offset = UTC) or a period: last_7_days, today, last_month…")
    ] = "last_7_days",
    end: Annotated[str, Field(description="Default now; a date includes its day")] = "",
    interval: Annotated[str, BeforeValidator(_text_int), Field(description="Seconds or 15m, hour, day")] = "",
    percent: Literal[0, 50, 95] = 0,
) -> Metrics:
    """App or database metrics over a time window."""
    version = _route(metric, application, database, percent, plan)
    window = _window(start, end, interval)
    item = await plan.resource(DATABASE if database.strip() else APPLICATION, database or application)
    label = str(item.get("display_name") or item.get("name") or item["id"])
    out = Metrics(
        label=label,
        id=str(item["id"]),
        metric=metric,
        unit=UNITS[metric],
        start=iso(window.start),
        end=iso(window.end),
        interval_seconds=window.interval,
        percent=percent,
        api="Sevalla v3",
    )
    if version == "v2":
        out.api = "Sevalla v2" if plan.api.on_sevalla else "Kinsta"
        names = await _process_names(plan, out.id) if metric == "run_time" else {}
        _v2_parse(metric, await _v2_get(plan, metric, out.id, window, percent), out, names)
    elif database.strip():
        usage_ep, limit_ep = V3_DB[metric]
        usage = await _v3_get(plan, usage_ep, out.id, window)
        limits = points(await _v3_get(plan, limit_ep, out.id, window))
        out.series = [
            normalize(metric, Series(name=label, limit=limits[-1].value if limits else 0, points=points(usage)))
        ]
    else:
        extra = {"limit": TOP} if metric in LIMITED else {}
        _v3_parse(metric, await _v3_get(plan, V3_APP[metric], out.id, window, extra), out)
    return out


def _window(start: str, end: str, interval: str) -> TimeRange:
    """`start` is ISO 8601 or a named period (timerange.PERIODS), which brings its own end."""
    if not start.strip() or is_period(start):
        if end.strip() and start.strip():
            raise InvalidInput(f"start={start!r} is a period with its own end: leave end empty, or give an ISO start.")
        return parse_range(end=end, period=start.strip() or "last_7_days", interval=interval)
    return parse_range(start, end, interval=interval)


async def _process_names(plan: Planner, app_id: str) -> dict[str, str]:
    """Process id → key ("web"), for run time, whose rows carry only the id; ids stay if the app cannot be read."""
    try:
        app = await plan.api.get(apps.APPLICATION, id=app_id)
    except (HTTPError, UnexpectedResponse):
        return {}
    return {p.id: p.key or p.id for p in app.processes}


# The spec's names, then some reference pages' (docs/api-notes.md#sevalla-v3-metric-window).
V3_WINDOW_NAMES = (("from", "to"), ("start", "end"))


async def _v3_get(
    plan: Planner, endpoint: Endpoint, ident: str, window: TimeRange, extra: dict[str, Any] | None = None
) -> Any:
    """A v3 metric read. A 400 may mean the window's names are the other pair: one more try with those,
    and the pair that worked is kept for later calls; if both fail, the first answer's error stands."""
    first = plan.api.v3_window
    pairs = [first] + [pair for pair in V3_WINDOW_NAMES if pair != first]
    failure: BadRequest | None = None
    for names in pairs:
        query = {
            names[0]: iso(window.start, millis=True),
            names[1]: iso(window.end, millis=True),
            "interval_in_seconds": window.interval,
            **(extra or {}),
        }
        try:
            value = await plan.api.get(endpoint, query=query, id=ident)
        except BadRequest as error:
            failure = failure or error
            continue
        plan.api.v3_window = names
        return value
    assert failure is not None
    raise failure


async def _v2_get(plan: Planner, metric: str, app_id: str, window: TimeRange, percent: int) -> V2App:
    query: dict[str, Any] = {
        "interval_in_seconds": window.interval,
        "timeframe_start": iso(window.start, millis=True),
        "timeframe_end": iso(window.end, millis=True),
    }
    if metric == "response_time" and percent:
        query["percent"] = percent
    if metric == "slowest_requests":
        query["limit"] = TOP
    return await plan.api.get(V2[metric][0], query=query, id=app_id)
