"""Sevalla v3 network reads: load balancers (with their destinations and domains), an application's TCP
proxies and private ports, and the per-process metric series (CPU and memory usage and limits, instance count).

Demo data is made on first use in ``paas(state)["network_v3"]`` with stable ids, pointing at the seeded
applications, static sites and projects. Process metrics reuse the deterministic load model of
routes/metrics.py, so a process's CPU agrees with its application's traffic; CPU is in cores and memory in
bytes as the v3 database series are. Only reads are emulated.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from ..paas_seed import SEED_NOW_MS, paas
from ..seed import stable_id
from ._common import ApiError, get_state, iso, query_int, v3, v3_page
from .applications import _app_or_404
from .metrics import MAX_BUCKETS, Window, _app_profile, _busy, _iso, _time, cpu_cores, memory_bytes

DAY_MS = 86_400_000
APP = "/applications/{id}"


def _at(days_ago: float) -> str:
    return iso(SEED_NOW_MS - days_ago * DAY_MS) or ""


def _seed(state: Any) -> dict[str, Any]:
    data: dict[str, Any] = paas(state)
    company = state.company_id
    by_name = {o["name"]: o for kind in ("apps", "static_sites") for o in data[kind]}
    balancers, destinations, domains = [], [], []
    # name, display name, type, project, [(service name, service type, weight, url, lat, long)], [domain names]
    for n, (name, display, kind, project, targets, hosts) in enumerate((
        ("acme-web-lb", "Acme Web", "DEFAULT", "acme-web",
         (("portfolio-app", "APP", 80, None, None, None), ("docs-site", "STATIC_SITE", 20, None, None, None)),
         ("www.acme.example", "acme.example")),
        ("acme-api-geo", "Acme API (geo)", "GEO", "acme-platform",
         (("api-service", "APP", None, None, 41.26, -95.86),
          (None, "EXTERNAL", None, "https://eu.api.acme.example", 50.11, 8.68)),
         ("api.acme.example",)),
    )):  # fmt: skip
        lb_id = stable_id("load-balancer", name)
        balancers.append({"id": lb_id, "company_id": company, "project_id": stable_id("project", project),
                          "display_name": display, "name": name, "type": kind, "created_at": _at(50 - n),
                          "updated_at": _at(6 - n)})  # fmt: skip
        for i, (service, stype, weight, url, lat, lng) in enumerate(targets):
            target = by_name.get(service or "")
            destinations.append({"lb": lb_id, "id": stable_id("lb-destination", name, str(i)),
                                 "service_id": target["id"] if target else None, "service_type": stype,
                                 "is_enabled": True, "weight": weight, "url": url, "latitude": lat, "longitude": lng,
                                 "created_at": _at(50 - n), "updated_at": _at(6 - n)})  # fmt: skip
        for i, host in enumerate(hosts):
            records = [{"type": "CNAME", "name": host, "value": f"{name}.sevalla.app"}]
            domains.append({"lb": lb_id, "id": stable_id("lb-domain", name, host), "name": host, "status": "ACTIVE",
                            "type": "CUSTOM", "is_enabled": True, "is_wildcard": False, "is_primary": i == 0,
                            "dns_records": records, "errors": None, "created_at": _at(49 - n),
                            "updated_at": _at(5 - n)})  # fmt: skip
    proxies, ports = [], []
    for app in data["apps"]:
        for proc in app["processes"]:
            if app["name"] == "api-service" and proc["type"] == "web":
                proxies.append({"id": stable_id("tcp-proxy", app["id"], proc["id"]), "app_id": app["id"],
                                "process_id": proc["id"], "port": proc["port"] or 8080, "external_port": 30_417,
                                "hostname": "us-central1.proxy.sevalla.app", "status": "ready",
                                "created_at": _at(20), "updated_at": _at(20)})  # fmt: skip
            if proc["type"] == "web":
                ports.append({"id": stable_id("private-port", app["id"], proc["id"]), "app_id": app["id"],
                              "process_id": proc["id"], "port": proc["port"] or 3000, "status": "ready",
                              "created_at": _at(30), "updated_at": _at(30)})  # fmt: skip
    return {"balancers": balancers, "destinations": destinations, "domains": domains, "tcp_proxies": proxies,
            "private_ports": ports}  # fmt: skip


def rows(request: Request, key: str) -> list[dict[str, Any]]:
    """The demo rows of one kind, seeded on first use."""
    data: dict[str, Any] = paas(get_state(request))
    if "network_v3" not in data:
        data["network_v3"] = _seed(get_state(request))
    found: list[dict[str, Any]] = data["network_v3"][key]
    return found


def _public(row: dict[str, Any]) -> dict[str, Any]:
    """A row without its bookkeeping link to the load balancer."""
    return {k: v for k, v in row.items() if k != "lb"}


def _balancer(request: Request) -> dict[str, Any]:
    wanted = request.path_params["id"]
    found = next((b for b in rows(request, "balancers") if b["id"] == wanted), None)
    if found is None:
        raise ApiError(404, f"Load balancer {wanted} not found")
    return found


async def list_balancers(request: Request) -> Any:
    return v3_page(request, rows(request, "balancers"))


async def get_balancer(request: Request) -> Any:
    return _balancer(request)


async def list_destinations(request: Request) -> Any:
    lb = _balancer(request)
    return v3_page(request, [_public(d) for d in rows(request, "destinations") if d["lb"] == lb["id"]])


async def list_domains(request: Request) -> Any:
    lb = _balancer(request)
    return v3_page(request, [_public(d) for d in rows(request, "domains") if d["lb"] == lb["id"]])


async def get_domain(request: Request) -> Any:
    lb, wanted = _balancer(request), request.path_params["domain_id"]
    found = next((d for d in rows(request, "domains") if d["lb"] == lb["id"] and d["id"] == wanted), None)
    if found is None:
        raise ApiError(404, f"Domain {wanted} not found")
    return _public(found)


def _app(request: Request) -> dict[str, Any]:
    app = _app_or_404(request)
    if app["id"] != request.path_params["id"]:  # v3 paths take the id only, not the name
        raise ApiError(404, f"Application {request.path_params['id']} not found")
    return app


def _of_app(key: str) -> Callable[[Request], Awaitable[Any]]:
    async def handler(request: Request) -> Any:
        app = _app(request)
        return v3_page(request, [r for r in rows(request, key) if r["app_id"] == app["id"]])

    return handler


def _window(request: Request) -> Window:
    """from, to (ISO, ending in Z) and interval_in_seconds: all three required for process series."""
    raw = {n: request.query_params.get(n) or "" for n in ("from", "to", "interval_in_seconds")}
    for name, value in raw.items():
        if not value:
            raise ApiError(400, f"{name} is required")
    start, end = _time(raw["from"], "from", zulu=True), _time(raw["to"], "to", zulu=True)
    interval = query_int(request, "interval_in_seconds", 60, 1, 2**53)
    if start >= end:
        raise ApiError(400, "from must be before to")
    if (end - start) / interval > MAX_BUCKETS:
        raise ApiError(400, f"Too many data points: raise interval_in_seconds (at most {MAX_BUCKETS} points)")
    return Window(start, end, interval)


def _process_series(kind: str) -> Callable[[Request], Awaitable[Any]]:
    async def handler(request: Request) -> Any:
        app, wanted = _app(request), request.path_params["process_id"]
        proc = next((p for p in app["processes"] if p["id"] == wanted), None)
        if proc is None:
            raise ApiError(404, f"Process {wanted} not found")
        window, profile = _window(request), _app_profile(app)
        cores, memory = proc.get("cpu_limit", 500) / 1000, proc.get("memory_limit", 512) * 1_000_000
        base = 0.3 if proc.get("type") == "web" else 0.45
        compute: Callable[[tuple[float, float], int], float] = {
            "cpu-usage": lambda seg, i: cpu_cores(profile, cores, _busy(proc), seg, i),
            "cpu-limit": lambda seg, i: cores,
            "memory-usage": lambda seg, i: memory_bytes(profile, memory, base, seg, i),
            "memory-limit": lambda seg, i: memory,
            "instance-count": lambda seg, i: proc.get("instance_count", 1),
        }[kind]
        return [{"time": _iso(at), "value": compute(seg, window.interval)} for at, seg in window.buckets()]

    return handler


PROCESS_SERIES = ("cpu-usage", "cpu-limit", "memory-usage", "memory-limit", "instance-count")

v3_routes = [
    Route("/load-balancers", v3(list_balancers), methods=["GET"]),
    Route("/load-balancers/{id}", v3(get_balancer), methods=["GET"]),
    Route("/load-balancers/{id}/destinations", v3(list_destinations), methods=["GET"]),
    Route("/load-balancers/{id}/domains", v3(list_domains), methods=["GET"]),
    Route("/load-balancers/{id}/domains/{domain_id}", v3(get_domain), methods=["GET"]),
    Route(f"{APP}/tcp-proxies", v3(_of_app("tcp_proxies")), methods=["GET"]),
    Route(f"{APP}/private-ports", v3(_of_app("private_ports")), methods=["GET"]),
] + [
    Route(f"{APP}/processes/{{process_id}}/metrics/{kind}", v3(_process_series(kind)), methods=["GET"])
    for kind in PROCESS_SERIES
]
