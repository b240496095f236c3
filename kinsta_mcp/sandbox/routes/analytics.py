"""Environment analytics and site usage this month.

The env analytics endpoints answer **HTTP 202 with the data inline** (no operation id), as the
spec documents and kinsta-cli's recorded mocks do. Numbers inside datasets and top lists are
strings; `total` is a number.

The figures are invented but deterministic and coherent: each seeded site has a traffic profile
(scale, audience countries, referrers, device mix, page weight, disk use); staging gets a sliver of
live's traffic and no CDN; days follow a weekly rhythm and hours a daily one; each site had a
traffic spike a few days ago (with a burst of 5xx answers that day) and smaller ones every 19
days; hash noise keyed by (site, environment, metric, bucket) keeps neighbouring values apart.
Bandwidth follows visits, response codes follow requests, top lists follow the window's visits,
and "this month" usage is the sum of the same daily series over the site's environments.

Tests may pin the clock with ``state.analytics["now"] = datetime(..., tzinfo=UTC)``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ._common import ApiError, company_or_404, env_or_404, get_state, require_query, site_or_404

ANALYTICS = "/sites/environments/{env_id}/analytics"

# Not in spec v1.87.0; documented later (docs/api-notes.md#analytics-top-lists).
ADDITIONS_2026 = {
    ("GET", f"{ANALYTICS}/response-codes"),
    ("GET", f"{ANALYTICS}/top-asns"),
    ("GET", f"{ANALYTICS}/top-browsers"),
    ("GET", f"{ANALYTICS}/top-cities"),
    ("GET", f"{ANALYTICS}/top-client-ips"),
    ("GET", f"{ANALYTICS}/top-countries"),
    ("GET", f"{ANALYTICS}/top-hosts"),
    ("GET", f"{ANALYTICS}/top-referrers"),
    ("GET", f"{ANALYTICS}/top-uas"),
    ("GET", f"{ANALYTICS}/visits-dispersion"),
}

SPANS = {"24_hours": 1, "7_days": 7, "30_days": 30, "60_days": 60}
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TIME_ZONE = re.compile(r"^-?(0[0-9]|1[0-4]):00$")
ANCHOR = date(2025, 1, 1)  # growth trends count days from here
REQUESTS_PER_VISIT = 7.5
STAGING_SHARE = 0.015  # staging sees the team, not the public

WEEKDAY = (1.0, 1.04, 1.02, 1.0, 0.94, 0.72, 0.68)  # Monday first
# Share of a day's visits per UTC hour (sums to 1): quiet at night, busy afternoon and evening.
_HOURLY_RAW = [0.5, 0.4, 0.3, 0.25, 0.25, 0.3, 0.5, 0.8, 1.1, 1.3, 1.4, 1.5,
               1.55, 1.6, 1.6, 1.55, 1.5, 1.5, 1.55, 1.6, 1.5, 1.2, 0.9, 0.7]  # fmt: skip
HOURLY = [h / sum(_HOURLY_RAW) for h in _HOURLY_RAW]


@dataclass(frozen=True)
class Profile:
    visits: int  # unique visitors on a weekday, live environment
    page_bytes: int  # server bytes per visit
    cdn_ratio: float  # CDN bytes per server byte
    disk_gb: float
    devices: tuple[float, float, float]  # desktop, mobile, tablet (%)
    countries: tuple[tuple[str, float], ...]
    referrers: tuple[tuple[str, float], ...]


PROFILES: dict[str, Profile] = {
    "acmeshop": Profile(
        3800, 2_600_000, 1.8, 6.2, (46, 48, 6),
        (("United States", 52), ("Canada", 12), ("United Kingdom", 9), ("Germany", 6), ("Australia", 5),
         ("France", 4), ("Netherlands", 3), ("Japan", 3), ("Brazil", 3), ("India", 3)),
        (("google.com", 55), ("facebook.com", 12), ("instagram.com", 9), ("newsletter.acmeshop.com", 6),
         ("bing.com", 6), ("pinterest.com", 5), ("duckduckgo.com", 4), ("t.co", 3)),
    ),
    "blog-acme": Profile(
        1500, 1_400_000, 1.2, 2.1, (63, 33, 4),
        (("United States", 38), ("United Kingdom", 14), ("India", 11), ("Germany", 8), ("Canada", 7),
         ("Australia", 5), ("Netherlands", 4), ("France", 4), ("Spain", 3), ("Japan", 3)),
        (("google.com", 62), ("news.ycombinator.com", 9), ("reddit.com", 8), ("t.co", 7), ("linkedin.com", 6),
         ("bing.com", 5), ("duckduckgo.com", 3)),
    ),
    "client-bakery": Profile(
        600, 3_400_000, 2.2, 1.4, (31, 63, 6),
        (("United Kingdom", 81), ("Ireland", 6), ("United States", 4), ("France", 3), ("Spain", 2),
         ("Germany", 2), ("Netherlands", 2)),
        (("google.co.uk", 58), ("instagram.com", 16), ("facebook.com", 12), ("tripadvisor.co.uk", 6),
         ("bing.com", 4), ("maps.google.com", 4)),
    ),
    "client-dentist": Profile(
        250, 1_800_000, 1.5, 0.9, (38, 58, 4),
        (("Germany", 88), ("Austria", 5), ("Switzerland", 4), ("Netherlands", 1), ("United States", 1),
         ("Poland", 1)),
        (("google.de", 64), ("jameda.de", 14), ("bing.com", 7), ("facebook.com", 5), ("ecosia.org", 5),
         ("duckduckgo.com", 5)),
    ),
    "portfolio": Profile(
        40, 4_200_000, 2.5, 0.35, (71, 25, 4),
        (("United States", 40), ("United Kingdom", 12), ("Germany", 9), ("France", 8), ("Canada", 7),
         ("Netherlands", 6), ("Sweden", 6), ("Japan", 6), ("Brazil", 6)),
        (("google.com", 40), ("linkedin.com", 25), ("github.com", 15), ("dribbble.com", 12), ("t.co", 8)),
    ),
}  # fmt: skip
DEFAULT_PROFILE = Profile(
    300, 2_000_000, 1.5, 1.0, (55, 40, 5),
    (("United States", 45), ("United Kingdom", 15), ("Germany", 10), ("Canada", 10), ("France", 10),
     ("Australia", 10)),
    (("google.com", 70), ("bing.com", 10), ("facebook.com", 10), ("duckduckgo.com", 10)),
)  # fmt: skip

CITIES: dict[str, tuple[str, ...]] = {
    "United States": ("New York", "Los Angeles", "Chicago", "Dallas", "Seattle"),
    "Canada": ("Toronto", "Vancouver", "Montréal"),
    "United Kingdom": ("London", "Manchester", "Bristol", "Birmingham"),
    "Germany": ("Berlin", "Munich", "Hamburg", "Frankfurt am Main"),
    "Australia": ("Sydney", "Melbourne"),
    "France": ("Paris", "Lyon"),
    "Netherlands": ("Amsterdam", "Rotterdam"),
    "Japan": ("Tokyo", "Osaka"),
    "Brazil": ("São Paulo", "Rio de Janeiro"),
    "India": ("Bengaluru", "Mumbai"),
    "Ireland": ("Dublin", "Cork"),
    "Spain": ("Madrid", "Barcelona"),
    "Austria": ("Vienna", "Graz"),
    "Switzerland": ("Zurich", "Basel"),
    "Poland": ("Warsaw",),
    "Sweden": ("Stockholm",),
}
BROWSERS = (("Chrome", 56), ("Safari", 25), ("Edge", 7), ("Firefox", 5), ("Samsung Internet", 4), ("Opera", 2),
            ("Other", 1))  # fmt: skip
USER_AGENTS = (
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 "
     "Safari/537.36", 31),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Version/17.5 Mobile/15E148 Safari/604.1", 22),
    ("Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 "
     "Mobile Safari/537.36", 15),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 "
     "Safari/605.1.15", 11),
    ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", 6),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0", 4),
    ("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", 3),
    ("Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)", 2),
    ("curl/8.7.1", 1),
)  # fmt: skip
# Documentation ASNs (RFC 5398) so nothing names a real network.
ASNS = (("AS64496 Example Broadband", 30), ("AS64497 Example Mobile", 24), ("AS64500 Example Telecom", 15),
        ("AS64501 Example Cloud", 9), ("AS64502 Example ISP", 8), ("AS64503 Example Cable", 6),
        ("AS64504 Example Fibre", 5), ("AS64505 Example Satellite", 3))  # fmt: skip
CLIENT_IPS = 30  # length of the top client IP list (documentation ranges, RFC 5737)


# ----- time windows ----------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    buckets: list[datetime]  # start of each bucket, UTC
    hourly: bool
    today: date
    now: datetime


def _now(state: Any) -> datetime:
    fixed = state.__dict__.setdefault("analytics", {}).get("now")
    return fixed or datetime.now(UTC)


def _param(request: Request, name: str) -> str:
    value = request.query_params.get(name) or ""
    return "" if value == "null" else value


def _date(value: str, name: str) -> date:
    try:
        if not DAY.match(value):
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise ApiError(400, f"{name} must be a date like 2025-10-20") from None


def _window(request: Request, *, disk: bool = False) -> Window:
    """Check the query as Kinsta does and turn it into time buckets."""
    state = get_state(request)
    company_or_404(state, require_query(request, "company_id"))
    if disk:
        zone = require_query(request, "time_zone")
        if not TIME_ZONE.match(zone):
            raise ApiError(400, "time_zone must look like 02:00 or -05:00")
    now = _now(state)
    today = now.date()
    start, end = _param(request, "from"), _param(request, "to")
    if start or end:
        if not (start and end):
            raise ApiError(400, "from and to must be given together")
        first, last = _date(start, "from"), _date(end, "to")
        if first > last:
            raise ApiError(400, "from must not be after to")
        days = (last - first).days + 1
        return Window([_midnight(first + timedelta(days=i)) for i in range(days)], False, today, now)
    span = _param(request, "time_span") or "7_days"
    allowed = [s for s in SPANS if not (disk and s == "24_hours")]
    if span not in allowed:
        raise ApiError(400, f"time_span must be one of {', '.join(allowed)}")
    if span == "24_hours":
        hour = now.replace(minute=0, second=0, microsecond=0)
        return Window([hour - timedelta(hours=23 - i) for i in range(24)], True, today, now)
    days = SPANS[span]
    return Window([_midnight(today - timedelta(days=days - 1 - i)) for i in range(days)], False, today, now)


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _key(moment: datetime, *, zulu: bool) -> str:
    """Spec examples carry no zone (2025-10-28T00:00:00); kinsta-cli recordings end in .000Z."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + (".000Z" if zulu else "")


# ----- the numbers -------------------------------------------------------------------


def _noise(*parts: object) -> float:
    """A stable pseudo-random number in [0, 1) for these parts."""
    digest = hashlib.sha256("/".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def _seed(site: dict[str, Any]) -> int:
    return int(hashlib.sha256(site["id"].encode()).hexdigest()[:8], 16)


def _profile(site: dict[str, Any]) -> Profile:
    return PROFILES.get(site["name"], DEFAULT_PROFILE)


def _spike_day(site: dict[str, Any], today: date) -> date:
    return today - timedelta(days=2 + _seed(site) % 4)


def _is_spike(site: dict[str, Any], moment: datetime, window: Window) -> bool:
    if window.hourly:
        return moment == window.buckets[-1] - timedelta(hours=5 + _seed(site) % 3)
    day = moment.date()
    return day == _spike_day(site, window.today) or (day.toordinal() + _seed(site)) % 19 == 0


def _day_visits(site: dict[str, Any], env: dict[str, Any], day: date, today: date) -> float:
    profile = _profile(site)
    value = profile.visits * (1.0 if env["name"] == "live" else STAGING_SHARE)
    value *= WEEKDAY[day.weekday()] * (1 + 0.0006 * (day - ANCHOR).days)
    if day == _spike_day(site, today):
        value *= 3.1
    elif (day.toordinal() + _seed(site)) % 19 == 0:
        value *= 1.9
    return round(value * (0.9 + 0.2 * _noise(site["id"], env["id"], "visits", day)))


def _visits(site: dict[str, Any], env: dict[str, Any], moment: datetime, window: Window) -> float:
    day_total = _day_visits(site, env, moment.date(), window.today)
    if not window.hourly:
        return day_total
    value = day_total * HOURLY[moment.hour] * (0.85 + 0.3 * _noise(site["id"], env["id"], "hour", moment))
    return round(value * (2.6 if _is_spike(site, moment, window) else 1.0))


def _bandwidth(site: dict[str, Any], env: dict[str, Any], visits: float, moment: datetime) -> float:
    per_visit = _profile(site).page_bytes * (0.85 + 0.3 * _noise(site["id"], env["id"], "bw", moment))
    return round(visits * per_visit)


def _cdn(site: dict[str, Any], env: dict[str, Any], bandwidth: float, moment: datetime) -> float:
    if not env.get("cdn_cache_id"):
        return 0
    return round(bandwidth * _profile(site).cdn_ratio * (0.9 + 0.2 * _noise(site["id"], env["id"], "cdn", moment)))


def _disk(site: dict[str, Any], env: dict[str, Any], day: date) -> float:
    base = _profile(site).disk_gb * 1e9 * (1.0 if env["name"] == "live" else 0.82)
    growth = 1 + 0.0009 * (day - ANCHOR).days
    return round(base * growth * (0.995 + 0.01 * _noise(site["id"], env["id"], "disk", day)))


def _series(request: Request, metric: str) -> dict[str, Any]:
    """visits, bandwidth, cdn-bandwidth: one series of buckets with its total."""
    site, env = env_or_404(get_state(request), request.path_params["env_id"])
    window = _window(request)
    points = []
    for moment in window.buckets:
        value = _visits(site, env, moment, window)
        if metric != "uniqueip":
            value = _bandwidth(site, env, value, moment)
        if metric == "cdn-bandwidth":
            value = _cdn(site, env, value, moment)
        points.append((moment, value))
    return _analytics(metric, [_dataset(metric, points)])


def _dataset(name: str, points: list[tuple[datetime, float]], total: float | None = None) -> dict[str, Any]:
    return {
        "name": name,
        "total": sum(v for _, v in points) if total is None else total,
        "dataset": [{"key": _key(m, zulu=False), "value": str(int(v))} for m, v in points],
    }


def _analytics(key: str, data: list[dict[str, Any]]) -> dict[str, Any]:
    return {"analytics": {"analytics_response": {"key": key, "data": data}}}


def _answer(body: dict[str, Any]) -> JSONResponse:
    # Documented success code of every analytics endpoint: 202, with the data.
    return JSONResponse(body, status_code=202)


# ----- the spec endpoints -------------------------------------------------------------


Endpoint = Callable[[Request], Awaitable[JSONResponse]]


def _series_endpoint(metric: str) -> Endpoint:
    async def endpoint(request: Request) -> JSONResponse:
        return _answer(_series(request, metric))

    return endpoint


async def diskspace(request: Request) -> JSONResponse:
    site, env = env_or_404(get_state(request), request.path_params["env_id"])
    window = _window(request, disk=True)
    points = [(m, _disk(site, env, m.date())) for m in window.buckets]
    # Disk use is a level, not a flow: the total is the latest reading.
    return _answer(_analytics("diskSpaceUsage", [_dataset("diskSpaceUsage", points, total=points[-1][1])]))


# ----- 2026 additions -------------------------------------------------------------------

CODES = {"200": 0.86, "301": 0.035, "302": 0.01, "304": 0.06, "403": 0.004, "404": 0.028, "500": 0.0015}


async def response_codes(request: Request) -> JSONResponse:
    site, env = env_or_404(get_state(request), request.path_params["env_id"])
    window = _window(request)
    rows: dict[str, list[dict[str, str]]] = {code: [] for code in (*CODES, "503")}
    for moment in window.buckets:
        requests = _visits(site, env, moment, window) * REQUESTS_PER_VISIT
        spike = _is_spike(site, moment, window)
        for code in rows:
            share = CODES.get(code, 0.0)
            if spike and code in ("500", "503"):
                share = share * 6 + (0.012 if code == "503" else 0)
            value = round(requests * share * (0.9 + 0.2 * _noise(site["id"], env["id"], code, moment)))
            rows[code].append({"key": _key(moment, zulu=True), "value": str(value)})
    data = [{"response_code": code, "data": points} for code, points in rows.items()
            if any(p["value"] != "0" for p in points)]  # fmt: skip
    return _answer(_analytics("responseCode", data))


async def visits_dispersion(request: Request) -> JSONResponse:
    site, env = env_or_404(get_state(request), request.path_params["env_id"])
    window = _window(request)
    names = ("desktop", "mobile", "tablet")
    rows: dict[str, list[dict[str, str]]] = {name: [] for name in names}
    for moment in window.buckets:
        raw = [max(0.5, base + 4 * (_noise(site["id"], env["id"], name, moment) - 0.5))
               for base, name in zip(_profile(site).devices, names)]  # fmt: skip
        desktop, mobile = (round(100 * r / sum(raw), 2) for r in raw[:2])
        for name, value in zip(names, (desktop, mobile, round(100 - desktop - mobile, 2))):
            rows[name].append({"date": _key(moment, zulu=True), "percent": f"{value:.2f}"})
    return _answer(_analytics("dispersion", [{"name": name, "dataset": rows[name]} for name in names]))


def _window_visits(request: Request) -> tuple[dict[str, Any], dict[str, Any], float]:
    site, env = env_or_404(get_state(request), request.path_params["env_id"])
    window = _window(request)
    return site, env, sum(_visits(site, env, m, window) for m in window.buckets)


def _ranked(site: dict[str, Any], env: dict[str, Any], what: str, total: float,
            shares: list[tuple[str, float]]) -> list[tuple[str, int]]:  # fmt: skip
    weight = sum(s for _, s in shares) or 1
    counted = [
        (name, round(total * share / weight * (0.9 + 0.2 * _noise(site["id"], env["id"], what, name))))
        for name, share in shares
    ]
    return sorted((c for c in counted if c[1] > 0), key=lambda c: -c[1])


def _named(key: str, ranked: list[tuple[str, int]]) -> JSONResponse:
    return _answer(_analytics(key, [{"name": name, "views": str(views)} for name, views in ranked]))


async def top_countries(request: Request) -> JSONResponse:
    site, env, total = _window_visits(request)
    return _named("countries", _ranked(site, env, "country", total, list(_profile(site).countries)))


async def top_cities(request: Request) -> JSONResponse:
    site, env, total = _window_visits(request)
    shares = []
    for country, share in _profile(site).countries:
        cities = CITIES.get(country, ())
        weights = [0.5**i for i in range(len(cities))]
        # Some visitors cannot be placed in a city, so cities add up to ~80% of the country.
        shares += [(city, 0.8 * share * w / sum(weights)) for city, w in zip(cities, weights)]
    return _named("cities", _ranked(site, env, "city", total * 0.8, shares)[:15])


async def top_referrers(request: Request) -> JSONResponse:
    site, env, total = _window_visits(request)
    return _named("referrers", _ranked(site, env, "referrer", total * 0.45, list(_profile(site).referrers)))


async def top_browsers(request: Request) -> JSONResponse:
    site, env, total = _window_visits(request)
    mobile = _profile(site).devices[1]
    shares = [(name, share + (mobile - 45) * 0.3 if name == "Safari" else share) for name, share in BROWSERS]
    return _named("browsers", _ranked(site, env, "browser", total, shares))


async def top_user_agents(request: Request) -> JSONResponse:
    site, env, total = _window_visits(request)
    wordpress = f"WordPress/{env['wordpress_version']}; https://{_primary(env)}"
    return _named("user_agents", _ranked(site, env, "ua", total, [*USER_AGENTS, (wordpress, 2)]))


async def top_hosts(request: Request) -> JSONResponse:
    site, env, total = _window_visits(request)
    primary = _primary(env)
    others = [d["name"] for d in env["domains"] if d["name"] != primary]
    shares = [(primary, 80.0)] + [(name, 20.0 * 0.5**i) for i, name in enumerate(others)]
    return _named("hosts", _ranked(site, env, "host", total * REQUESTS_PER_VISIT, shares))


async def top_asns(request: Request) -> JSONResponse:
    site, env, total = _window_visits(request)
    return _named("asns", _ranked(site, env, "asn", total, list(ASNS)))


async def top_client_ips(request: Request) -> JSONResponse:
    site, env, total = _window_visits(request)
    requests = total * REQUESTS_PER_VISIT
    seed = _seed(site)
    ranges = ("203.0.113", "198.51.100", "192.0.2")
    shares = [(f"{ranges[(seed + i) % 3]}.{(seed // 7 + 37 * i) % 250 + 2}", 3.0 * 0.8**i) for i in range(CLIENT_IPS)]
    ranked = _ranked(site, env, "ip", requests * 0.12, shares)  # the top 30 make ~12% of requests
    return _answer(_analytics("topClientIPs", [{"ip": ip, "value": str(n)} for ip, n in ranked]))


def _primary(env: dict[str, Any]) -> str:
    return next((d["name"] for d in env["domains"] if d["id"] == env["primary_domain_id"]), env["domains"][0]["name"])


# ----- this month (site level) --------------------------------------------------------


def _this_month(request: Request) -> tuple[dict[str, Any], dict[str, float]]:
    state = get_state(request)
    site = site_or_404(state, request.path_params["site_id"])
    today = _now(state).date()
    sums = {"visits": 0.0, "bandwidth": 0.0, "cdn": 0.0}
    for env in site["environments"]:
        for n in range(today.day):
            moment = _midnight(today.replace(day=1) + timedelta(days=n))
            day_visits = _day_visits(site, env, moment.date(), today)
            day_bandwidth = _bandwidth(site, env, day_visits, moment)
            sums["visits"] += day_visits
            sums["bandwidth"] += day_bandwidth
            sums["cdn"] += _cdn(site, env, day_bandwidth, moment)
    return site, sums


def _usage_endpoint(key: str, field: str, total: str) -> Endpoint:
    async def endpoint(request: Request) -> JSONResponse:
        site, sums = _this_month(request)
        return JSONResponse({"site": {"id": site["id"], key: {field: int(sums[total])}}})

    return endpoint


ENDPOINTS = {
    "visits": _series_endpoint("uniqueip"),
    "bandwidth": _series_endpoint("bandwidth"),
    "cdn-bandwidth": _series_endpoint("cdn-bandwidth"),
    "diskspace": diskspace,
    "response-codes": response_codes,
    "visits-dispersion": visits_dispersion,
    "top-countries": top_countries,
    "top-cities": top_cities,
    "top-client-ips": top_client_ips,
    "top-uas": top_user_agents,
    "top-browsers": top_browsers,
    "top-referrers": top_referrers,
    "top-hosts": top_hosts,
    "top-asns": top_asns,
}
USAGE = {
    "visits": _usage_endpoint("this_month_usage", "visits", "visits"),
    "bandwidth": _usage_endpoint("this_month_usage", "bandwidth", "bandwidth"),
    "cdn-bandwidth": _usage_endpoint("this_month_cdn_usage", "bandwidth", "cdn"),
}

routes = [Route(f"{ANALYTICS}/{name}", endpoint, methods=["GET"]) for name, endpoint in ENDPOINTS.items()] + [
    Route(f"/sites/{{site_id}}/usage/{name}/this-month", endpoint, methods=["GET"]) for name, endpoint in USAGE.items()
]
