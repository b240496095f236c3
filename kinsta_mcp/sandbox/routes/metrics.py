"""Application and database metrics: the eight Kinsta-era series (Kinsta /v2 and Sevalla v2) and the
Sevalla v3 ones the `app_metrics` tool reads (status codes, top pages, top countries, average
response time; database CPU, memory and storage with their limits).

Every value is a pure function of the object's id and the timestamps asked for, so any window works
(April 2024 as well as last week) and two requests for the same window agree:

* traffic follows a daily curve (quiet nights, busy afternoons UTC) and a weekly one (quiet
  weekends), with ±10 % hash noise per hour;
* each object has a weekly two-hour spike (weekday from its id, 14:00–16:00 UTC, ×4 traffic): slower
  answers, CPU near its limit, a burst of 5xx;
* scale follows the application: web instances serve traffic, a worker-only app sees health checks.

Buckets are aligned on multiples of `interval_in_seconds` since the epoch (days start 00:00 UTC); the
first and last cover only the part of the window inside them (a partial day carries partial
bandwidth). Units: bandwidth and memory/storage in bytes, CPU in cores (v3 documents cores and bytes;
the v2 metrics carry the same numbers as strings), time in ms, requests per minute; v2 `cpu_limit` in
millicores and `memory_limit` in MB, as on the process objects (docs/api-notes.md#metric-values-and-units).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ._common import ApiError, get_state, paas_object, v3

APP = "/applications/{id}/metrics"
DB = "/databases/{id}/metrics"
HOUR = 3600
MAX_BUCKETS = 10_000
SPIKE = 4.0
SPIKE_HOURS = (14, 15)
V3_DEFAULT_INTERVAL = HOUR  # v3 makes interval_in_seconds optional for HTTP metrics

_HOURLY_RAW = [0.5, 0.4, 0.3, 0.25, 0.25, 0.3, 0.5, 0.8, 1.1, 1.3, 1.4, 1.5,
               1.55, 1.6, 1.6, 1.55, 1.5, 1.5, 1.55, 1.6, 1.5, 1.2, 0.9, 0.7]  # fmt: skip
HOURLY = [24 * h / sum(_HOURLY_RAW) for h in _HOURLY_RAW]  # mean 1
WEEKDAY = (1.0, 1.04, 1.02, 1.0, 0.94, 0.72, 0.68)  # Monday first

# path, share of requests, typical ms (scaled by the app's base latency)
PATHS = (
    ("/api/reports/export", 0.004, 2400.0), ("/api/search", 0.06, 610.0), ("/checkout", 0.02, 480.0),
    ("/api/orders", 0.09, 300.0), ("/login", 0.03, 260.0), ("/api/users/me", 0.2, 140.0),
    ("/", 0.3, 95.0), ("/static/app.js", 0.19, 22.0), ("/healthz", 0.106, 4.0),
)  # fmt: skip
HEALTH_ONLY = (("/healthz", 1.0, 4.0),)
COUNTRIES = (("US", 0.34, 1.6), ("DE", 0.14, 0.5), ("GB", 0.11, 0.7), ("FR", 0.07, 0.6), ("NL", 0.06, 0.5),
             ("CA", 0.05, 1.7), ("IN", 0.05, 2.4), ("BR", 0.04, 2.6), ("JP", 0.03, 2.8), ("AU", 0.03, 3.1),
             ("ES", 0.03, 0.8), ("SE", 0.02, 0.7))  # fmt: skip
STATUS_SHARES = (("200", 0.86), ("301", 0.02), ("304", 0.06), ("404", 0.05))
ERROR_SHARE, SPIKE_ERROR_SHARE = 0.002, 0.06  # 5xx
PERCENTILE = {"": 1.0, "50": 0.72, "95": 2.45}


def _unit(*parts: Any) -> float:
    """A deterministic number in [0, 1) for these parts."""
    digest = hashlib.sha256("/".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


# ----- profiles ----------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    key: str
    traffic: float  # requests per hour at load 1
    request_bytes: float  # egress bytes per request
    base_ms: float  # typical latency of a cheap page
    spike_day: int  # weekday of the weekly spike


def _app_profile(app: dict[str, Any]) -> Profile:
    web = sum(p.get("instance_count", 1) for p in app.get("processes", []) if p.get("type") == "web")
    u = _unit(app["id"], "profile")
    return Profile(
        key=app["id"],
        traffic=(300 + 1800 * u) * web if web else 60.0,  # a worker-only app answers its health checks
        request_bytes=(18_000 + 60_000 * _unit(app["id"], "bytes")) if web else 300.0,
        base_ms=(80 + 90 * _unit(app["id"], "latency")) if web else 5.0,
        spike_day=int(7 * _unit(app["id"], "spike")),
    )


def _db_profile(db: dict[str, Any]) -> Profile:
    return Profile(key=db["id"], traffic=0, request_bytes=0, base_ms=0, spike_day=int(7 * _unit(db["id"], "spike")))


def _moment(hour: int) -> datetime:
    return datetime.fromtimestamp(hour * HOUR, UTC)


def _spiking(profile: Profile, hour: int) -> bool:
    moment = _moment(hour)
    return moment.weekday() == profile.spike_day and moment.hour in SPIKE_HOURS


def _load(profile: Profile, hour: int) -> float:
    """Relative traffic in an epoch hour: mean about 1, nights ~0.3, the spike ×4."""
    moment = _moment(hour)
    value = HOURLY[moment.hour] * WEEKDAY[moment.weekday()] * (0.9 + 0.2 * _unit(profile.key, "load", hour))
    return value * SPIKE if _spiking(profile, hour) else value


def _hours(a: float, b: float) -> list[tuple[int, float]]:
    """(epoch hour, seconds of [a, b) inside it)."""
    out = []
    for hour in range(math.floor(a / HOUR), math.ceil(b / HOUR)):
        overlap = min(b, (hour + 1) * HOUR) - max(a, hour * HOUR)
        if overlap > 0:
            out.append((hour, overlap))
    return out


def _mean(segment: tuple[float, float], value: Callable[[int], float], weight: Callable[[int], float]) -> float:
    """Weighted mean of an hourly value over a segment (weight × seconds covered)."""
    num = den = 0.0
    for hour, seconds in _hours(*segment):
        w = weight(hour) * seconds
        num, den = num + value(hour) * w, den + w
    return num / den if den else 0.0


def _load_hours(profile: Profile, segment: tuple[float, float], *, spiking: bool | None = None) -> float:
    """∫ load dt over the segment, in load-hours (optionally only the spike hours, or only the others)."""
    return sum(
        _load(profile, hour) * seconds / HOUR
        for hour, seconds in _hours(*segment)
        if spiking is None or _spiking(profile, hour) == spiking
    )


# ----- the series ----------------------------------------------------------------


def bandwidth(p: Profile, seg: tuple[float, float], interval: int) -> float:
    return round(p.traffic * p.request_bytes * _load_hours(p, seg))


def requests(p: Profile, seg: tuple[float, float]) -> float:
    return p.traffic * _load_hours(p, seg)


def requests_per_minute(p: Profile, seg: tuple[float, float], interval: int) -> float:
    minutes = (seg[1] - seg[0]) / 60
    return round(requests(p, seg) / minutes, 2) if minutes else 0.0


def _latency(p: Profile, hour: int) -> float:
    return p.base_ms * (0.8 + 0.25 * _load(p, hour)) * (2.2 if _spiking(p, hour) else 1.0)


def response_time(p: Profile, seg: tuple[float, float], interval: float, percent: str = "") -> float:
    wobble = 0.95 + 0.1 * _unit(p.key, "rt", seg[0], interval)
    return round(_mean(seg, lambda h: _latency(p, h), lambda h: _load(p, h)) * PERCENTILE[percent] * wobble, 1)


def _builds(p: Profile, seg: tuple[float, float]) -> float:
    """Seconds of build started in the segment: most weekdays one deploy, between 09:00 and 17:00 UTC."""
    total = 0.0
    for day in range(math.floor(seg[0] / 86_400), math.ceil(seg[1] / 86_400)):
        if datetime.fromtimestamp(day * 86_400, UTC).weekday() >= 5 or _unit(p.key, "deploy", day) > 0.6:
            continue
        at = day * 86_400 + (9 + int(8 * _unit(p.key, "deploy-hour", day))) * HOUR
        if seg[0] <= at < seg[1]:
            total += round(70 + 110 * _unit(p.key, "build", day))
    return total


def cpu_cores(p: Profile, limit: float, busy: float, seg: tuple[float, float], interval: int) -> float:
    wobble = 0.96 + 0.08 * _unit(p.key, "cpu", busy, seg[0], interval)
    used = _mean(seg, lambda h: min(0.97, 0.05 + busy * _load(p, h)), lambda h: 1.0)
    return round(limit * min(0.97, used * wobble), 4)


def memory_bytes(p: Profile, limit: float, base: float, seg: tuple[float, float], interval: int) -> float:
    """Grows through the day (caches), drops at the nightly restart at 04:00 UTC; the spike adds more."""

    def share(hour: int) -> float:
        since_restart = (_moment(hour).hour - 4) % 24
        return min(0.95, base + 0.06 * _load(p, hour) + 0.2 * since_restart / 24)

    wobble = 0.98 + 0.04 * _unit(p.key, "mem", base, seg[0], interval)
    return round(limit * min(0.95, _mean(seg, share, lambda h: 1.0) * wobble))


def storage_bytes(p: Profile, limit: float, seg: tuple[float, float], interval: int) -> float:
    """Data grows through a two-year cycle (then an archive clean-up), 20–60 % of the disk."""
    days = seg[0] / 86_400
    cycle = (days % 730) / 730
    return round(limit * (0.2 + 0.4 * cycle + 0.005 * _unit(p.key, "storage", math.floor(days))))


# ----- request handling ----------------------------------------------------------------


def _time(text: str, name: str, *, zulu: bool) -> float:
    """An ISO date-time query value → epoch seconds; v3 requires the trailing Z
    (docs/api-notes.md#sevalla-v3-metric-window)."""
    if zulu and not re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z", text):
        raise ApiError(400, f"{name} must be an ISO 8601 UTC date-time ending in Z")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ApiError(400, f"{name} must be an ISO 8601 date-time") from None
    if moment.tzinfo is None:
        raise ApiError(400, f"{name} must carry a time zone")
    return moment.timestamp()


def _int(request: Request, name: str, *, default: int | None = None, low: int = 1, high: int = 2**53) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        if default is None:
            raise ApiError(400, f"{name} is required")
        return default
    if not re.fullmatch(r"\d+", raw) or not low <= int(raw) <= high:
        raise ApiError(400, f"{name} must be an integer from {low} to {high}")
    return int(raw)


@dataclass(frozen=True)
class Window:
    start: float  # epoch seconds
    end: float
    interval: int

    def buckets(self) -> list[tuple[float, tuple[float, float]]]:
        """(bucket start, covered segment) for each interval-aligned bucket the window touches."""
        first = math.floor(self.start / self.interval) * self.interval
        out: list[tuple[float, tuple[float, float]]] = []
        at: float = first
        while at < self.end:
            out.append((at, (max(at, self.start), min(at + self.interval, self.end))))
            at += self.interval
        return out


def _window(request: Request, *, v3: bool, interval_required: bool = True) -> Window:
    names = get_state(request).v3_window_names if v3 else ("timeframe_start", "timeframe_end")
    raw = [request.query_params.get(n) or "" for n in names]
    for name, value in zip(names, raw):
        if not value:
            raise ApiError(400, f"{name} is required")
    interval = _int(request, "interval_in_seconds", default=None if interval_required else V3_DEFAULT_INTERVAL)
    start, end = (_time(value, name, zulu=v3) for name, value in zip(names, raw))
    if start >= end:
        raise ApiError(400, f"{names[0]} must be before {names[1]}")
    window = Window(start, end, interval)
    first = math.floor(start / interval)
    if math.ceil(end / interval) - first > MAX_BUCKETS:
        raise ApiError(400, f"Too many data points: raise interval_in_seconds (at most {MAX_BUCKETS} points)")
    return window


def _ms(seconds: float) -> str:
    return str(round(seconds * 1000))


def _iso(seconds: float) -> str:
    moment = datetime.fromtimestamp(seconds, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _num(value: float) -> str:
    """v2 sends metric values as strings: "12345", "0.2134"."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _find(request: Request, kind: str, noun: str) -> dict[str, Any]:
    return paas_object(request, kind, noun)


def _app(request: Request) -> dict[str, Any]:
    return _find(request, "apps", "application")


def _db(request: Request) -> dict[str, Any]:
    return _find(request, "databases", "database")


# ----- v2 (Kinsta /v2 and Sevalla /v2): docs/api-notes.md#paas-metrics -------------------------


def _v2_app_body(app: dict[str, Any], window: Window, key: str, series: Any, **extra: Any) -> JSONResponse:
    metrics = {"timeframe": {"start": _ms(window.start), "end": _ms(window.end)}, key: series, **extra}
    return JSONResponse({"app": {"id": app["id"], "display_name": app["display_name"], "metrics": metrics}})


def _v2_series(name: str, compute: Callable[[Profile, tuple[float, float], int], float]):
    async def handler(request: Request) -> JSONResponse:
        app, window = _app(request), _window(request, v3=False)
        p = _app_profile(app)
        points = [{"time": _ms(at), "value": _num(compute(p, seg, window.interval))} for at, seg in window.buckets()]
        return _v2_app_body(app, window, name, points)

    return handler


async def v2_response_time(request: Request) -> JSONResponse:
    app, window = _app(request), _window(request, v3=False)
    percent = request.query_params.get("percent") or ""
    if percent not in ("50", "95", ""):
        raise ApiError(400, "percent must be 50 or 95")
    p = _app_profile(app)
    points = [
        {"time": _ms(at), "value": _num(response_time(p, seg, window.interval, percent))}
        for at, seg in window.buckets()
    ]
    return _v2_app_body(app, window, "response_time", points)


async def v2_build_time(request: Request) -> JSONResponse:
    app, window = _app(request), _window(request, v3=False)
    p = _app_profile(app)
    data = [{"time": _ms(at), "value": _builds(p, seg)} for at, seg in window.buckets()]
    return _v2_app_body(app, window, "build_time", [{"data": data, "resource_type": "standard"}])


async def v2_run_time(request: Request) -> JSONResponse:
    app, window = _app(request), _window(request, v3=False)
    runtime = [
        {
            "process_id": proc["id"],
            "seconds": _num(round((window.end - window.start) * proc.get("instance_count", 1))),
            "plan": proc.get("resource_type_name", "s1"),
            "start_time": _ms(window.start),
            "end_time": _ms(window.end),
        }
        for proc in app.get("processes", [])
    ]
    return _v2_app_body(app, window, "runtime", runtime)


def slowest(p: Profile, window: Window, limit: int) -> list[tuple[str, float, int]]:
    """(path, average ms, requests) of the window, slowest first."""
    total = requests(p, (window.start, window.end))
    paths = PATHS if p.traffic > 100 else HEALTH_ONLY
    scale = p.base_ms / 120
    rows = []
    for path, share, ms in paths:
        count = round(total * share)
        if count >= 1:
            wobble = 0.9 + 0.2 * _unit(p.key, path, math.floor(window.start / 86_400))
            rows.append((path, round(ms * scale * wobble, 1), count))
    return sorted(rows, key=lambda r: -r[1])[:limit]


async def v2_slowest_requests(request: Request) -> JSONResponse:
    app, window = _app(request), _window(request, v3=False)
    limit = _int(request, "limit", default=10, high=1000)
    rows = [
        {"avg_response_time_ms": ms, "client_request_path": path, "request_count": count}
        for path, ms, count in slowest(_app_profile(app), window, limit)
    ]
    # The spec's schema for this answer is allOf(response-time, slowest-requests) by mistake
    # (docs/api-notes.md#slowest-requests-schema), which makes `response_time` required: send it empty
    # so the body fits the spec.
    return _v2_app_body(app, window, "slowest_requests", rows, response_time=[])


def _busy(proc: dict[str, Any]) -> float:
    return 0.3 if proc.get("type") == "web" else 0.18


def _v2_process_metric(key: str, limit_key: str):
    async def handler(request: Request) -> JSONResponse:
        app, window = _app(request), _window(request, v3=False)
        p = _app_profile(app)
        processes = []
        for proc in app.get("processes", []):
            if key == "cpu_usage":
                limit, cores = proc.get("cpu_limit", 500), proc.get("cpu_limit", 500) / 1000
                series = [cpu_cores(p, cores, _busy(proc), seg, window.interval) for _, seg in window.buckets()]
            else:
                limit = proc.get("memory_limit", 512)
                base = 0.3 if proc.get("type") == "web" else 0.45
                series = [memory_bytes(p, limit * 1_000_000, base, seg, window.interval) for _, seg in window.buckets()]
            processes.append(
                {
                    "id": proc["id"],
                    "process_name": proc.get("key", "web"),
                    limit_key: int(limit),
                    "metrics": {
                        "timeframe": {"start": _ms(window.start), "end": _ms(window.end)},
                        key: [{"time": _ms(at), "value": _num(v)} for (at, _), v in zip(window.buckets(), series)],
                    },
                }
            )
        return JSONResponse({"app": {"id": app["id"], "app_name": app["name"], "processes": processes}})

    return handler


paas_routes = [
    Route(f"{APP}/bandwidth", _v2_series("bandwidth", bandwidth), methods=["GET"]),
    Route(f"{APP}/build-time", v2_build_time, methods=["GET"]),
    Route(f"{APP}/run-time", v2_run_time, methods=["GET"]),
    Route(f"{APP}/http-requests", _v2_series("http_requests", requests_per_minute), methods=["GET"]),
    Route(f"{APP}/response-time", v2_response_time, methods=["GET"]),
    Route(f"{APP}/slowest-requests", v2_slowest_requests, methods=["GET"]),
    Route(f"{APP}/cpu-usage", _v2_process_metric("cpu_usage", "cpu_limit"), methods=["GET"]),
    Route(f"{APP}/memory-usage", _v2_process_metric("memory_usage", "memory_limit"), methods=["GET"]),
]


# ----- v3 (Sevalla /v3): docs/api-notes.md#paas-metrics ------------------------------------------


async def v3_status_codes(request: Request) -> list[dict[str, Any]]:
    p, window = _app_profile(_app(request)), _window(request, v3=True, interval_required=False)
    out = []
    for at, seg in window.buckets():
        normal, spike = p.traffic * _load_hours(p, seg, spiking=False), p.traffic * _load_hours(p, seg, spiking=True)
        value = {code: round((normal + spike) * share) for code, share in STATUS_SHARES}
        value["500"] = round(normal * ERROR_SHARE + spike * SPIKE_ERROR_SHARE * 0.4)
        value["502"] = round(spike * SPIKE_ERROR_SHARE * 0.6)
        out.append({"time": _iso(at), "value": {k: v for k, v in value.items() if v or k == "200"}})
    return out


async def v3_top_pages(request: Request) -> list[dict[str, Any]]:
    p, window = _app_profile(_app(request)), _window(request, v3=True, interval_required=False)
    limit = _int(request, "limit", default=10, high=100)
    total = requests(p, (window.start, window.end))
    rows = [(path, round(total * share)) for path, share, _ in (PATHS if p.traffic > 100 else HEALTH_ONLY)]
    return [{"page": path, "total": n} for path, n in sorted(rows, key=lambda r: -r[1]) if n][:limit]


async def v3_top_countries(request: Request) -> list[dict[str, Any]]:
    p, window = _app_profile(_app(request)), _window(request, v3=True, interval_required=False)
    limit = _int(request, "limit", default=10, high=100)
    total = requests(p, (window.start, window.end))
    average = response_time(p, (window.start, window.end), window.end - window.start)
    rows = [
        {"country": c, "response_time": round(average * (0.85 + 0.15 * far), 1), "total": round(total * share)}
        for c, share, far in COUNTRIES
    ]
    return [r for r in rows if r["total"]][:limit]


async def v3_response_time_avg(request: Request) -> dict[str, Any]:
    p, window = _app_profile(_app(request)), _window(request, v3=True, interval_required=False)
    return {"average_response_time_ms": response_time(p, (window.start, window.end), int(window.end - window.start))}


def _v3_db_series(kind: str):
    """A database series; `kind` is cpu-usage, cpu-limit, memory-usage, memory-limit, storage-usage, storage-limit."""

    async def handler(request: Request) -> list[dict[str, Any]]:
        db, window = _db(request), _window(request, v3=True)
        p = _db_profile(db)
        cores = db.get("cpu_limit", 500) / 1000
        memory, storage = db.get("memory_limit", 1024) * 1_000_000, db.get("storage_size", 10_240) * 1_000_000
        compute: Callable[[tuple[float, float], int], float] = {
            "cpu-usage": lambda seg, i: cpu_cores(p, cores, 0.22, seg, i),
            "cpu-limit": lambda seg, i: cores,
            "memory-usage": lambda seg, i: memory_bytes(p, memory, 0.5, seg, i),
            "memory-limit": lambda seg, i: memory,
            "storage-usage": lambda seg, i: storage_bytes(p, storage, seg, i),
            "storage-limit": lambda seg, i: storage,
        }[kind]
        return [{"time": _iso(at), "value": compute(seg, window.interval)} for at, seg in window.buckets()]

    return handler


DB_SERIES = ("cpu-usage", "cpu-limit", "memory-usage", "memory-limit", "storage-usage", "storage-limit")

v3_routes = [
    Route(f"{APP}/status-codes", v3(v3_status_codes), methods=["GET"]),
    Route(f"{APP}/top-pages", v3(v3_top_pages), methods=["GET"]),
    Route(f"{APP}/top-countries", v3(v3_top_countries), methods=["GET"]),
    Route(f"{APP}/response-time-avg", v3(v3_response_time_avg), methods=["GET"]),
] + [Route(f"{DB}/{kind}", v3(_v3_db_series(kind)), methods=["GET"]) for kind in DB_SERIES]

# v3 reference pages for top countries, database CPU and static-site status codes name the window
# start/end where the spec says from/to; either pair is a documented request
# (docs/api-notes.md#sevalla-v3-metric-window).
QUERY_ALIASES = {("GET", route.path): {"from": "start", "to": "end"} for route in v3_routes}
