"""Application and database metrics (Sevalla, formerly Kinsta application hosting): one read tool.

Routing (docs/api-notes.md#paas-metrics). The eight Kinsta-era series (bandwidth, build time, run time,
HTTP requests per minute, response time with P50/P95, slowest requests, CPU and memory per process)
go to `call.paas`, the v2 API: Sevalla v2 with a Sevalla key, otherwise Kinsta (same paths, params
and bodies). v2 is used even with a Sevalla key because three of them (bandwidth, build and run
time) have no v3 counterpart and one call returns every process, where v3 needs two per
process. What only v3 has goes to `call.paas_v3` (window `from`/`to` in UTC with a trailing `Z`; some v3
reference pages name them `start`/`end` (docs/api-notes.md#sevalla-v3-metric-window), so a 400 is
retried once with those and the pair that worked is kept for the process):
status codes, top pages, top countries, the window's average response time,
and every database metric (CPU, memory, storage, each with its limit series). Without a
Sevalla key those are refused before any request, naming SEVALLA_API_KEY.

Values. v2 sends strings ("12345", ms-epoch times as strings; the docs even show "value"): they are
parsed with float(); an unreadable point is dropped, not turned into 0. Units: bytes for bandwidth,
memory and storage; CPU in cores (v3 documents cores; a series whose values or limit look like
millicores, above 64, is divided by 1000); a memory limit below 1,000,000 is taken as MB (the v2
process objects' `memory_limit: 512`). Times become ISO 8601 UTC.

Text. The summary gives totals, averages and peaks, then at most SHOWN lines per series: every point
when they fit, else one line per UTC day (sums for bytes and seconds, mean and peak otherwise), else
the latest points with a count of those left out. structuredContent keeps every point.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, PrivateAttr

from kinsta_mcp.call import Call
from kinsta_mcp.client import ApiResponse, segment
from kinsta_mcp.errors import BadRequest, HTTPError, InvalidInput
from kinsta_mcp.models.base import ApiModel, Output
from kinsta_mcp.paas_refs import APPLICATION, DATABASE, resolve
from kinsta_mcp.registry import tool
from kinsta_mcp.safety import Risk
from kinsta_mcp.text import human_bytes, number
from kinsta_mcp.timerange import DAY, TimeRange, iso, name_of, parse_range

Metric = Literal[
    "bandwidth", "build_time", "run_time", "http_requests", "response_time", "slowest_requests", "cpu_usage",
    "memory_usage", "storage_usage", "status_codes", "top_pages", "top_countries", "response_time_avg",
]  # fmt: skip

# metric → v2 path segment under /applications/{id}/metrics/ and the key of the series in the body
V2: dict[str, tuple[str, str]] = {
    "bandwidth": ("bandwidth", "bandwidth"),
    "build_time": ("build-time", "build_time"),
    "run_time": ("run-time", "runtime"),
    "http_requests": ("http-requests", "http_requests"),
    "response_time": ("response-time", "response_time"),
    "slowest_requests": ("slowest-requests", "slowest_requests"),
    "cpu_usage": ("cpu-usage", "cpu_usage"),
    "memory_usage": ("memory-usage", "memory_usage"),
}
V3_APP = {"status_codes": "status-codes", "top_pages": "top-pages", "top_countries": "top-countries",
          "response_time_avg": "response-time-avg"}  # fmt: skip
V3_DB = {"cpu_usage": "cpu", "memory_usage": "memory", "storage_usage": "storage"}
LIMITED = {"slowest_requests", "top_pages", "top_countries"}
UNITS = {
    "bandwidth": "bytes", "build_time": "seconds", "run_time": "seconds", "http_requests": "requests/min",
    "response_time": "ms", "slowest_requests": "ms", "cpu_usage": "cores", "memory_usage": "bytes",
    "storage_usage": "bytes", "status_codes": "requests", "top_pages": "requests", "top_countries": "ms",
    "response_time_avg": "ms",
}  # fmt: skip
SUMMED = {"bandwidth", "build_time", "run_time"}  # the window's value is the sum of its points
ONE_NUMBER = {"response_time_avg"}  # one value for the whole window
TITLES = {"http_requests": "HTTP requests per minute", "response_time_avg": "Average response time",
          "cpu_usage": "CPU usage", "slowest_requests": "Slowest requests"}  # fmt: skip
SHOWN = 31  # lines of one series in the summary
TOP = 10  # rows of slowest_requests / top_* (the APIs' default; no input, for the tools/list budget)
MILLICORES = 64  # a CPU number above this is millicores
MB_LIMIT = 1_000_000  # a memory/storage limit below this is MB


class Point(ApiModel):
    time: str = ""
    value: float = 0


class Series(ApiModel):
    name: str = ""
    limit: float = 0  # cores or bytes; 0 when not given
    points: list[Point] = Field(default_factory=list)


class Row(ApiModel):
    name: str = ""
    value: float = 0  # in `unit` (requests for top_pages)
    count: float = 0  # requests


class Metrics(Output):
    """The raw data and the window; totals, means and peaks are in the text (derived from the series).

    Every field has a default, so the output schema needs no `required` list (tools/list budget).
    """

    label: str = ""
    id: str = ""
    metric: str = ""
    unit: str = ""
    start: str = ""  # the API's timeframe when it sends one, else the window asked for
    end: str = ""
    interval_seconds: int = 0
    series: list[Series] = Field(default_factory=list)
    rows: list[Row] = Field(default_factory=list)
    _percent: int = PrivateAttr(0)  # response_time P50/P95, as asked
    _api: str = PrivateAttr("")  # which API answered: Kinsta, Sevalla v2, Sevalla v3

    # ----- text -----

    def fmt(self, value: float) -> str:
        if self.unit == "bytes":
            return human_bytes(value)
        if self.unit in ("seconds", "ms"):
            return duration(value / 1000 if self.unit == "ms" else value)
        if self.unit == "cores":
            return f"{value:.3f} cores"
        if self.unit == "requests/min":
            return f"{value:,.1f} req/min"
        return f"{value:,.0f}"

    def summary(self) -> str:
        title = TITLES.get(self.metric) or self.metric.replace("_", " ").capitalize()
        if self._percent:
            title = f"P{self._percent} response time"
        every = f", every {name_of(self.interval_seconds)}" if self.metric not in ONE_NUMBER | LIMITED else ""
        head = f"{title} of {self.label}, {self.start} to {self.end} UTC{every} ({self._api})"
        if self.metric in LIMITED:
            return "\n".join([head + ":", *self._rows_text()])
        if not any(s.points for s in self.series):
            return f"{head}: no data for this window."
        if self.metric in ONE_NUMBER:
            return f"{head}: {self.fmt(self.series[0].points[0].value)} over the whole window."
        if self.metric == "status_codes":
            return "\n".join([head + ":", *self._codes_text()])
        if self.metric == "run_time":
            return "\n".join([head + ":", *self._runtime_text()])
        lines = [head + ":"]
        if len(self.series) == 1 or self.metric in SUMMED:  # per-process gauges get their own line each
            lines.append(self._stats_text())
        per_series = max(8, SHOWN // len(self.series))
        for s in self.series:
            if len(self.series) > 1 or s.limit:
                lines.append(self._series_head(s))
            lines += self._points_text(s, per_series)
        return "\n".join(lines)

    def _stats_text(self) -> str:
        every = [p for s in self.series for p in s.points]
        top = max(every, key=lambda p: p.value)
        mean = sum(p.value for p in every) / len(every)
        peak = f"peak {self.fmt(top.value)} at {self.when(top.time)}"
        if self.metric in SUMMED:
            return f"Total {self.fmt(sum(p.value for p in every))}; mean {self.fmt(mean)} per point; {peak}"
        if self.metric == "storage_usage":
            return f"Latest {self.fmt(self.series[0].points[-1].value)}; {peak}"
        return f"Mean {self.fmt(mean)}; {peak}"

    def _runtime_text(self) -> list[str]:
        totals = [(s.name, sum(p.value for p in s.points)) for s in self.series]
        lines = [f"Total {self.fmt(sum(t for _, t in totals))} of process time (instances × hours)"]
        return lines + [f"{name}: {self.fmt(total)}" for name, total in totals]

    def _series_head(self, s: Series) -> str:
        values = [p.value for p in s.points] or [0.0]
        top = max(values)
        text = f"{s.name or self.label}: mean {self.fmt(sum(values) / len(values))}, peak {self.fmt(top)}"
        if s.limit:
            text += f", limit {self.fmt(s.limit)} (peak {top / s.limit:.0%} of it)"
        return text

    def when(self, time: str) -> str:
        return time[:10] if self.interval_seconds % DAY == 0 else time

    def _points_text(self, s: Series, shown: int) -> list[str]:
        points = s.points
        if len(points) <= shown:
            return [f"{self.when(p.time)} {self.fmt(p.value)}" for p in points]
        days: dict[str, list[float]] = defaultdict(list)
        for p in points:
            days[p.time[:10]].append(p.value)
        if self.interval_seconds < DAY and len(days) <= shown:
            summed = self.metric in SUMMED
            note = f"({len(points)} points, one line per UTC day: " + ("total)" if summed else "mean / peak)")
            return [note] + [
                f"{day} {self.fmt(sum(v))}" if summed else f"{day} {self.fmt(sum(v) / len(v))} / {self.fmt(max(v))}"
                for day, v in days.items()
            ]
        kept = points[-shown:]
        return [f"({len(points) - len(kept)} earlier points left out; all are in the data)"] + [
            f"{self.when(p.time)} {self.fmt(p.value)}" for p in kept
        ]

    def _rows_text(self) -> list[str]:
        if not self.rows:
            return ["no data for this window."]
        lines = []
        for rank, r in enumerate(self.rows, 1):
            name = r.name[:120]
            if self.metric == "top_pages":
                lines.append(f"{rank}. {name}: {self.fmt(r.value)} requests")
            else:
                lines.append(f"{rank}. {name}: {self.fmt(r.value)} average, {r.count:,.0f} requests")
        return lines

    def _codes_text(self) -> list[str]:
        totals = {s.name: sum(p.value for p in s.points) for s in self.series}
        total = sum(totals.values()) or 1
        errors = {c: sum(v for k, v in totals.items() if k.startswith(c)) for c in ("4", "5")}
        lines = [f"{total:,.0f} requests; 4xx {errors['4'] / total:.1%}, 5xx {errors['5'] / total:.1%}"]
        lines += [f"{code}: {n:,.0f} ({n / total:.1%})" for code, n in totals.items()]
        failed: dict[str, float] = defaultdict(float)
        for p in (p for s in self.series if s.name.startswith("5") for p in s.points):
            failed[p.time] += p.value
        if failed:
            time, count = max(failed.items(), key=lambda item: item[1])
            lines.append(f"Most 5xx: {count:,.0f} at {self.when(time)}")
        return lines

    def next_step(self) -> str:
        near = [s for s in self.series if s.limit and any(p.value >= 0.9 * s.limit for p in s.points)]
        if near and self.metric in ("cpu_usage", "memory_usage", "storage_usage"):
            names = ", ".join(s.name or self.label for s in near)
            return f"{names} reached 90% or more of the limit: a larger size (resource type) would give headroom."
        return ""


def duration(seconds: float) -> str:
    """0.0421 → '42 ms', 95 → '95.0 s', 750 → '12.5 min', 30000 → '8.3 h'."""
    if seconds == 0:
        return "0 s"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 120:
        return f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.1f} s"
    if seconds < 7200:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"


# ----- parsing what the APIs send ----------------------------------------------------------------


def when(value: Any) -> str:
    """ms-epoch (number or string; seconds if small) or ISO → ISO 8601 UTC 'YYYY-MM-DDTHH:MM:SSZ'."""
    stamp = number(value)
    if stamp is not None:
        seconds = stamp / 1000 if abs(stamp) >= 1e11 else stamp
        return iso(datetime.fromtimestamp(seconds, UTC))
    text = str(value or "")
    try:
        moment = datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        return text
    return iso(moment if moment.tzinfo else moment.replace(tzinfo=UTC))


def points(raw: Any, time_key: str = "time", value_key: str = "value") -> list[Point]:
    found = []
    for item in raw if isinstance(raw, list) else []:
        value = number(item.get(value_key)) if isinstance(item, dict) else None
        if value is not None:
            found.append(Point(time=when(item.get(time_key)), value=value))
    return sorted(found, key=lambda p: p.time)


def _dig(body: Any, *keys: str) -> Any:
    for key in keys:
        body = body.get(key) if isinstance(body, dict) else None
    return body


def normalize(metric: str, series: Series) -> Series:
    """CPU to cores, memory and storage to bytes, whatever unit the API picked (see module docstring)."""
    values = [p.value for p in series.points]
    if metric == "cpu_usage":
        if values and max(values) > MILLICORES:
            series.points = [Point(time=p.time, value=p.value / 1000) for p in series.points]
        if series.limit > MILLICORES:
            series.limit /= 1000
    elif metric in ("memory_usage", "storage_usage"):
        if 0 < series.limit < MB_LIMIT:
            series.limit *= 1_000_000
            if values and max(values) < MB_LIMIT / 10:  # usage in MB like its limit
                series.points = [Point(time=p.time, value=p.value * 1_000_000) for p in series.points]
    return series


def _v2_parse(metric: str, body: Any, out: Metrics, process_names: dict[str, str] | None = None) -> None:
    app = _dig(body, "app") or {}
    key = V2[metric][1]
    if metric in ("cpu_usage", "memory_usage"):
        limit_key = "cpu_limit" if metric == "cpu_usage" else "memory_limit"
        for proc in app.get("processes") or []:
            if isinstance(proc, dict):
                series = Series(name=str(proc.get("process_name") or proc.get("id") or ""),
                                limit=number(proc.get(limit_key)) or 0, points=points(_dig(proc, "metrics", key)))
                out.series.append(normalize(metric, series))
        timeframe = _dig((app.get("processes") or [{}])[0], "metrics", "timeframe")
    else:
        metrics = app.get("metrics") or {}
        timeframe = metrics.get("timeframe")
        raw = metrics.get(key)
        if metric == "build_time":
            out.series = [Series(name=str(r.get("resource_type") or ""), points=points(r.get("data")))
                          for r in raw or [] if isinstance(r, dict)]
        elif metric == "run_time":
            by_process: dict[str, list[Point]] = defaultdict(list)
            for r in raw or []:
                if isinstance(r, dict) and number(r.get("seconds")) is not None:
                    process = str(r.get("process_id", ""))
                    name = f"{(process_names or {}).get(process, process)} ({r.get('plan', '')})"
                    by_process[name].append(Point(time=when(r.get("start_time")), value=number(r["seconds"]) or 0))
            out.series = [Series(name=name, points=found) for name, found in by_process.items()]
        elif metric == "slowest_requests":
            out.rows = [Row(name=str(r.get("client_request_path", "")),
                            value=number(r.get("avg_response_time_ms")) or 0, count=number(r.get("request_count")) or 0)
                        for r in raw or [] if isinstance(r, dict)]
        else:
            out.series = [Series(points=points(raw))]
    if isinstance(timeframe, dict) and timeframe.get("start") and timeframe.get("end"):
        out.start, out.end = when(timeframe["start"]), when(timeframe["end"])


def _v3_parse(metric: str, body: Any, out: Metrics) -> None:
    rows = body if isinstance(body, list) else []
    if metric == "response_time_avg":
        value = number(_dig(body, "average_response_time_ms"))
        out.series = [Series(name="average", points=[Point(time=out.start, value=value)])] if value is not None else []
    elif metric == "status_codes":
        codes: dict[str, list[Point]] = defaultdict(list)
        for item in rows:
            for code, count in (_dig(item, "value") or {}).items():
                if number(count) is not None:
                    codes[str(code)].append(Point(time=when(item.get("time")), value=number(count) or 0))
        out.series = [Series(name=code, points=sorted(found, key=lambda p: p.time))
                      for code, found in sorted(codes.items())]
    elif metric == "top_pages":
        out.rows = [Row(name=str(r.get("page", "")), value=number(r.get("total")) or 0,
                        count=number(r.get("total")) or 0) for r in rows if isinstance(r, dict)]
    else:  # top_countries
        out.rows = [Row(name=str(r.get("country", "")), value=number(r.get("response_time")) or 0,
                        count=number(r.get("total")) or 0) for r in rows if isinstance(r, dict)]


# ----- the tool ----------------------------------------------------------------------------------


def _route(metric: str, application: str, database: str, percent: int, call: Call) -> str:
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
    if version == "v3" and call.paas_v3 is None:
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
    call: Call,
    application: Annotated[str, Field(description="App ID, name or display name")] = "",
    metric: Metric = "bandwidth",
    database: Annotated[str, Field(description="Instead of application")] = "",
    start: Annotated[str, Field(description="ISO 8601 (no offset = UTC) or last_24h, last_7d, last_30d")] = "last_7d",
    end: Annotated[str, Field(description="Default now")] = "",
    interval: Annotated[str, BeforeValidator(_text_int), Field(description="Seconds or 15m, hour, day")] = "",
    percent: Literal[0, 50, 95] = 0,
) -> Metrics:
    """App or database metrics over a time window."""
    version = _route(metric, application, database, percent, call)
    window = _window(start, end, interval)
    item = await resolve(call, DATABASE if database.strip() else APPLICATION, database or application)
    label = str(item.get("display_name") or item.get("name") or item["id"])
    out = Metrics(label=label, id=str(item["id"]), metric=metric, unit=UNITS[metric],
                  start=iso(window.start), end=iso(window.end), interval_seconds=window.interval)
    out._api = "Sevalla v3"
    if version == "v2":
        out._api = "Sevalla v2" if call.deps.on_sevalla else "Kinsta"
        names = await _process_names(call, out.id) if metric == "run_time" else {}
        _v2_parse(metric, (await _v2_get(call, metric, out.id, window, percent)).data, out, names)
    elif database.strip():
        base = f"/databases/{segment(out.id)}/metrics/{V3_DB[metric]}"
        usage = await _v3_get(call, f"{base}-usage", window)
        ceiling = await _v3_get(call, f"{base}-limit", window)
        limits = points(ceiling.data)
        out.series = [normalize(metric, Series(name=label, limit=limits[-1].value if limits else 0,
                                               points=points(usage.data)))]
    else:
        extra = {"limit": TOP} if metric in LIMITED else {}
        _v3_parse(metric, (await _v3_get(call, f"/applications/{segment(out.id)}/metrics/{V3_APP[metric]}", window,
                                         extra)).data, out)
    out._percent = percent
    return out


def _window(start: str, end: str, interval: str) -> TimeRange:
    """`start` is ISO 8601 or a relative window (last_24h, last_7d, last_30d), which ends now."""
    if not start.strip() or start.strip().lower().startswith("last"):
        if end.strip() and start.strip():
            raise InvalidInput(f"start={start!r} is a window that ends now: leave end empty, or give an ISO start.")
        return parse_range(end=end, period=start.strip() or "last_7d", interval=interval)
    return parse_range(start, end, interval=interval)


async def _process_names(call: Call, app_id: str) -> dict[str, str]:
    """Process id → key ("web"), for run time, whose rows carry only the id; ids stay if the app cannot be read."""
    try:
        response = await call.paas.get(f"/applications/{segment(app_id)}")
    except HTTPError:
        return {}
    processes = _dig(response.data, "app", "processes")
    return {str(p["id"]): str(p.get("key") or p["id"]) for p in processes or [] if isinstance(p, dict) and p.get("id")}


V3_WINDOW_NAMES = (("from", "to"), ("start", "end"))  # spec's, then some pages' (docs/api-notes.md#sevalla-v3-metric-window)


async def _v3_get(call: Call, path: str, window: TimeRange, extra: dict[str, Any] | None = None) -> ApiResponse:
    """A v3 metric read. A 400 may mean the window's names are the other pair: one more try with those,
    and the pair that worked is kept for later calls; if both fail, the first answer's error stands."""
    v3 = call.paas_v3
    assert v3 is not None  # _route checked
    first = call.deps.v3_window
    pairs = [first] + [pair for pair in V3_WINDOW_NAMES if pair != first]
    failure: BadRequest | None = None
    for names in pairs:
        params = {names[0]: iso(window.start, millis=True), names[1]: iso(window.end, millis=True),
                  "interval_in_seconds": window.interval, **(extra or {})}
        try:
            response = await v3.get(path, params=params)
        except BadRequest as error:
            failure = failure or error
            continue
        call.deps.v3_window = names
        return response
    assert failure is not None
    raise failure


async def _v2_get(call: Call, metric: str, app_id: str, window: TimeRange, percent: int) -> ApiResponse:
    params: dict[str, Any] = {
        "interval_in_seconds": window.interval,
        "timeframe_start": iso(window.start, millis=True),
        "timeframe_end": iso(window.end, millis=True),
    }
    if metric == "response_time" and percent:
        params["percent"] = percent
    if metric == "slowest_requests":
        params["limit"] = TOP
    return await call.paas.get(f"/applications/{segment(app_id)}/metrics/{V2[metric][0]}", params=params)
