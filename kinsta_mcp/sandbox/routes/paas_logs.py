"""Sevalla v3 logs of applications and static sites: runtime, access and deployment (build) logs.

Every entry is a pure function of the object's id and its time slot, so any window works and two
requests for the same window agree:

* runtime: a line every 15 s from one of the app's processes; about half the minutes are quiet, a run
  of identical health checks (or, for a worker-only app, heartbeats); now and then a slow query (WARN)
  or a refused database connection (ERROR);
* access: an nginx "combined" line every 10 s (static sites: their pages and assets); quiet minutes
  are a monitor's probes; an app without a web process answers no HTTP, so it has no access log;
* deployment: the build script of the deployment, its steps spread from its creation to its end (while
  it runs, a step every 2 s, as far as it got); a deployment whose status is "failed" ends in a
  compile error, npm's ERR! lines and "Build failed".

The spec says nothing of order or of which entries `limit` keeps: the newest `limit` of the window
are sent, newest first. `filters` supports EQUALS on an entry field or tag; other operators are 400.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from ._common import ApiError, not_found_message, paas_object, v3

RUNTIME_SLOT, ACCESS_SLOT, STEP = 15, 10, 2  # seconds
DEFAULT_WINDOW = 3600  # the spec: `from` defaults to an hour ago
MAX_LIMIT, DEFAULT_LIMIT = 5000, 1000
ZULU = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z")

# (weight, severity, container kind, message) of a busy minute's runtime lines.
RUNTIME = (
    (30, "INFO", "web", "GET /api/orders 200 {ms} ms"), (20, "INFO", "web", "GET /api/users/me 200 {ms} ms"),
    (10, "INFO", "web", "POST /api/orders 201 {ms} ms"), (8, "INFO", "web", "Cache miss for /api/products"),
    (15, "INFO", "background", "Processed job send-invoice #{n} in {ms} ms"),
    (6, "WARN", "web", "Slow query on orders: {slow} ms"),
    (2, "ERROR", "web", "Error: connect ECONNREFUSED 10.0.4.12:5432"),
)  # fmt: skip
APP_PAGES = (("/", 200), ("/api/orders", 200), ("/api/users/me", 200), ("/static/app.js", 304), ("/login", 200),
             ("/api/search?q=shoes", 200), ("/wp-login.php", 404), ("/api/reports/export", 500))  # fmt: skip
SITE_PAGES = (("/", 200), ("/docs/getting-started/", 200), ("/assets/main.css", 304), ("/favicon.ico", 200),
              ("/docs/api/", 200), ("/old-page", 404))  # fmt: skip
AGENTS = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/605.1.15",
          "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/126.0 Safari/537.36", "curl/8.6.0")  # fmt: skip


def _unit(*parts: Any) -> float:
    """A deterministic number in [0, 1) for these parts."""
    digest = hashlib.sha256("/".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def _entry(owner: str, service: str, at: float, severity: str, message: str, tags: dict[str, Any]) -> dict[str, Any]:
    moment = datetime.fromtimestamp(at, UTC)
    return {
        "id": hashlib.sha256(f"{owner}/{service}/{at:.3f}".encode()).hexdigest()[:20],
        "message": message,
        "service": service,
        "severity": severity,
        "timestamp": moment.strftime("%Y-%m-%d %H:%M:%S.") + f"{moment.microsecond // 1000:03d}",
        "tags": tags,
        "attributes": {},
        "unix_timestamp": round(at * 1000) * 1000,  # microseconds
    }


def _slots(start: float, end: float, step: int) -> Iterator[float]:
    """Slot starts from the newest down, covering [start, end)."""
    at = (end // step) * step
    while at + step > start:
        yield at
        at -= step


def _quiet(owner: str, at: float) -> bool:
    return _unit(owner, "quiet", at // 60) < 0.5


def _weighted(options: list[tuple[int, str, str, str]], u: float) -> tuple[int, str, str, str]:
    pick = u * sum(option[0] for option in options)
    for option in options:
        pick -= option[0]
        if pick < 0:
            return option
    return options[-1]


def _runtime(app: dict[str, Any], at: float) -> dict[str, Any]:
    owner, kinds = app["id"], {p["type"]: p["key"] for p in app["processes"]}
    if _quiet(owner, at):
        if "web" in kinds:
            line = ("INFO", kinds["web"], f"GET /healthz 200 {1 + int(3 * _unit(owner, at, 'ms'))} ms")
        else:
            line = ("INFO", next(iter(kinds.values())), "Heartbeat: 0 jobs waiting")
    else:
        _, severity, kind, text = _weighted([r for r in RUNTIME if r[2] in kinds], _unit(owner, at, "line"))
        values = {"ms": 20 + int(400 * _unit(owner, at, "ms")), "n": int(at) % 100_000,
                  "slow": 1200 + int(3000 * _unit(owner, at, "slow"))}  # fmt: skip
        line = (severity, kinds[kind], text.format(**values))
    severity, container, message = line
    return _entry(owner, "APP_RUNTIME", at, severity, message, {"idApp": owner, "container": container})


def _access(owner: str, service: str, tags: dict[str, Any], pages: tuple, at: float) -> dict[str, Any]:
    stamp = datetime.fromtimestamp(at, UTC).strftime("%d/%b/%Y:%H:%M:%S +0000")
    if _quiet(owner, at):
        probe = "/healthz" if service == "APP_ACCESS" else "/"
        message = f'10.0.0.1 - - [{stamp}] "GET {probe} HTTP/1.1" 200 2 "-" "kube-probe/1.29"'
        return _entry(owner, service, at, "INFO", message, tags)
    path, status = pages[int(_unit(owner, at, "page") * len(pages))]
    ip = f"203.0.113.{1 + int(200 * _unit(owner, at, 'ip'))}"
    size = 0 if status == 304 else 512 + int(40_000 * _unit(owner, at, "size"))
    agent = AGENTS[int(_unit(owner, at, "agent") * len(AGENTS))]
    message = f'{ip} - - [{stamp}] "GET {path} HTTP/1.1" {status} {size} "-" "{agent}"'
    return _entry(owner, service, at, "ERROR" if status >= 500 else "INFO", message, tags)


def _build_steps(obj: dict[str, Any], dep: dict[str, Any], static: bool) -> list[tuple[str, str]]:
    """(severity, message) of a deployment's build, as far as its status goes."""
    steps = [
        ("INFO", f"Cloning {obj['repo_url']} (branch {dep['branch']})"),
        ("INFO", f"Checked out {dep['commit_sha'][:7]}: {dep['commit_message']}"),
        ("INFO", "Detected a Node.js project: using Node.js 20.11.1"),
        ("INFO", "Restoring build cache"),
        ("INFO", "Running npm ci"),
    ]
    steps += [("WARN", f"npm WARN deprecated {pkg}: this package is no longer supported")
              for pkg in ("inflight@1.0.6", "glob@7.2.3", "rimraf@3.0.2")]  # fmt: skip
    steps += [("INFO", "added 812 packages, and audited 813 packages in 14s"), ("INFO", "Running npm run build")]
    steps += [("INFO", f"Compiling {part}") for part in ("src/server.ts", "src/routes", "src/jobs", "src/db")]
    if dep["status"] == "failed":
        steps += [
            ("ERROR", "src/db/pool.ts(42,7): error TS2322: Type 'string' is not assignable to type 'number'."),
            ("ERROR", "npm ERR! code 2"),
            ("ERROR", "npm ERR! A complete log of this run can be found in /root/.npm/_logs/debug-0.log"),
            ("ERROR", "Build failed: npm run build exited with code 2"),
            ("INFO", "Cleaning up the build environment"),
            ("INFO", "Deployment failed"),
        ]
        return steps
    steps += [("INFO", "Build finished in 41s")]
    if static:
        steps += [("INFO", f"Publishing {obj.get('published_directory') or 'dist'}/ (128 files)"),
                  ("INFO", "Purging the CDN cache")]  # fmt: skip
    else:
        steps += [("INFO", f"Pushing image registry.sevalla.internal/{obj['name']}:{dep['commit_sha'][:7]}")]
        steps += [("INFO", "Waiting for the new processes to become healthy")] * 4
        steps += [("INFO", f"Rolled out {p['key']} ({p['instance_count']} instance(s))") for p in obj["processes"]]
    steps += [("INFO", "Deployment successful")]
    return steps


def _build(obj: dict[str, Any], dep: dict[str, Any], service: str, tags: dict[str, Any]) -> list[dict[str, Any]]:
    """The steps spread over the deployment's run (a running one: a step every STEP seconds, so far)."""
    steps = _build_steps(obj, dep, service == "SS_DEPLOYMENT")
    created, now = dep["created_at"] / 1000, time.time()
    finished = dep.get("finished_at")
    step = (finished / 1000 - created) / len(steps) if finished and finished / 1000 > created else STEP
    out = []
    for i, (severity, message) in enumerate(steps):
        at = created + step * (i + 0.45 * _unit(dep["id"], i))
        if at > now:
            break
        out.append(_entry(dep["id"], service, at, severity, message, tags | {"idDeployment": dep["id"]}))
    return out


# ----- request handling ----------------------------------------------------------------


def _time(request: Request, name: str, default: float) -> float:
    raw = request.query_params.get(name)
    if not raw:
        return default
    if not ZULU.fullmatch(raw):
        raise ApiError(400, f"{name} must be an ISO 8601 UTC date-time ending in Z")
    try:
        return datetime.fromisoformat(raw).timestamp()
    except ValueError:
        raise ApiError(400, f"{name} is not a valid date-time") from None


def _query(request: Request) -> tuple[float, float, int, list[dict[str, Any]]]:
    """(from, to, limit, filters) of a logs request, checked as the spec describes them."""
    end = _time(request, "to", time.time())
    start = _time(request, "from", end - DEFAULT_WINDOW)
    if start >= end:
        raise ApiError(400, "from must be before to")
    raw = request.query_params.get("limit") or str(DEFAULT_LIMIT)
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise ApiError(400, f"limit must be an integer from 1 to {MAX_LIMIT}")
    try:
        filters = json.loads(request.query_params.get("filters") or "[]")
    except ValueError:
        raise ApiError(400, "filters must be a JSON array") from None
    if not isinstance(filters, list) or not all(isinstance(f, dict) and f.get("key") for f in filters):
        raise ApiError(400, "filters must be a JSON array of {key, operator, value} objects")
    if any(f.get("operator") != "EQUALS" for f in filters):
        raise ApiError(400, "the sandbox supports only the EQUALS filter operator")
    return start, end, int(raw), filters


def _kept(entry: dict[str, Any], filters: list[dict[str, Any]]) -> bool:
    return all(str(entry.get(f["key"], entry["tags"].get(f["key"]))) == str(f.get("value")) for f in filters)


def _answer(request: Request, produce: Callable[[float], dict[str, Any]], step: int) -> list[dict[str, Any]]:
    start, end, limit, filters = _query(request)
    out: list[dict[str, Any]] = []
    for slot in _slots(start, end, step):
        entry = produce(slot + 0.001 * int(step * 900 * _unit(slot, "jitter")))
        if start <= entry["unix_timestamp"] / 1e6 < end and _kept(entry, filters):
            out.append(entry)
            if len(out) >= limit:
                break
    return out


def _find(request: Request, kind: str, noun: str) -> dict[str, Any]:
    return paas_object(request, kind, noun)


async def app_runtime_logs(request: Request) -> list[dict[str, Any]]:
    app = _find(request, "apps", "application")
    return _answer(request, lambda at: _runtime(app, at), RUNTIME_SLOT)


async def app_access_logs(request: Request) -> list[dict[str, Any]]:
    app = _find(request, "apps", "application")
    if not any(p["type"] == "web" for p in app["processes"]):
        _query(request)
        return []
    tags = {"idApp": app["id"]}
    return _answer(request, lambda at: _access(app["id"], "APP_ACCESS", tags, APP_PAGES, at), ACCESS_SLOT)


async def site_access_logs(request: Request) -> list[dict[str, Any]]:
    site = _find(request, "static_sites", "static site")
    tags = {"idStaticSite": site["id"]}
    return _answer(request, lambda at: _access(site["id"], "SS_ACCESS", tags, SITE_PAGES, at), ACCESS_SLOT)


def _deployment_logs(
    kind: str, noun: str, service: str, tag: str
) -> Callable[[Request], Awaitable[list[dict[str, Any]]]]:
    async def handler(request: Request) -> list[dict[str, Any]]:
        obj = _find(request, kind, noun)
        wanted = request.path_params["deployment_id"]
        dep = next((d for d in obj["deployments"] if d["id"] == wanted), None)
        if dep is None:
            raise ApiError(404, not_found_message("deployment", wanted))
        start, end, limit, filters = _query(request)
        found = [e for e in _build(obj, dep, service, {tag: obj["id"]}) if start <= e["unix_timestamp"] / 1e6 < end]
        return [e for e in reversed(found) if _kept(e, filters)][:limit]

    return handler


v3_routes = [
    Route("/applications/{id}/runtime-logs", v3(app_runtime_logs), methods=["GET"]),
    Route("/applications/{id}/access-logs", v3(app_access_logs), methods=["GET"]),
    Route(
        "/applications/{id}/deployments/{deployment_id}/logs",
        v3(_deployment_logs("apps", "application", "APP_DEPLOYMENT", "idApp")),
        methods=["GET"],
    ),
    Route("/static-sites/{id}/access-logs", v3(site_access_logs), methods=["GET"]),
    Route(
        "/static-sites/{id}/deployments/{deployment_id}/logs",
        v3(_deployment_logs("static_sites", "static site", "SS_DEPLOYMENT", "idStaticSite")),
        methods=["GET"],
    ),
]
