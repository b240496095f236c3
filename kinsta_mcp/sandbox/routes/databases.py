"""Databases (the Kinsta-era PaaS API, served on Kinsta /v2 and Sevalla /sevalla/v2).

A created database is listed at once with status "creating" and turns "ready" after
``state.operation_seconds`` (on the sandbox clock); a resize shows "updating" for as long. A delete
removes the database and the application links to it. ``POST /databases`` counts against the
resource-creation limit.

The get answer holds the passwords and connection strings (a secret, as on the real API). Sevalla v2
adds ``internal_connection_string`` (docs/api-notes.md#sevalla-v2-additions), which Kinsta's spec lacks: only the
Sevalla base sends it. What only Sevalla v3 has (backups, connections, the IP restriction, suspension)
is in db_v3.py and db_backups.py, on these same databases.
"""

from __future__ import annotations

import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ..paas_seed import paas
from ..state import CREATION_ROUTES
from ._common import (
    ApiError,
    company_or_404,
    get_state,
    not_found_message,
    now_ms,
    paas_page,
    query_bool,
    read_json,
    require_query,
    require_str,
)

CREATION_ROUTES.add(("POST", "/databases"))

TYPES = ("postgresql", "redis", "mariadb", "mysql")
SIZES = tuple(f"db{i}" for i in range(1, 10))
PORTS = {"postgresql": "5432", "redis": "6379", "mariadb": "3306", "mysql": "3306"}
# size → (cpu millicores, memory MB, storage MB)
LIMITS = {f"db{i}": (250 * i, 256 * 2 ** min(i, 6), 1_024 * 5 * i) for i in range(1, 10)}


def settle(state: Any) -> list[dict[str, Any]]:
    """The databases, with pending creations and resizes finished on the sandbox clock."""
    now = state.clock()
    databases = paas(state)["databases"]
    for db in databases:
        if "_busy_until" in db and now >= db["_busy_until"]:
            del db["_busy_until"]
            db["status"] = "ready"
            db["updated_at"] = now_ms()
    return databases


def _db_or_404(request: Request, ref: str | None = None) -> dict[str, Any]:
    """By id, or by unique name (GET /databases/{name} shares the template)."""
    ref = ref if ref is not None else request.path_params["id"]
    db = next((d for d in settle(get_state(request)) if ref in (d["id"], d["name"])), None)
    if db is None:
        raise ApiError(404, not_found_message("database", ref))
    return db


def _connected(state: Any, db: dict[str, Any]) -> list[dict[str, Any]]:
    """Applications linked to this database (links are kept on the apps)."""
    return [
        {"id": app["id"], "type": "appResource"}
        for app in paas(state)["apps"]
        if any(link["id"] == db["id"] for link in app["internal_connections"])
    ]


def _list_item(db: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "name", "display_name", "status", "updated_at", "type", "version", "resource_type_name")
    return {key: db[key] for key in keys}


def _url(db: dict[str, Any], host: str, port: str) -> str:
    scheme = "redis" if db["type"] == "redis" else db["type"]
    user = db["db_user"] or "default"
    return f"{scheme}://{user}:{db['db_password']}@{host}:{port}/{db['db_name']}"


def _detail(request: Request, db: dict[str, Any]) -> dict[str, Any]:
    state = get_state(request)
    view: dict[str, Any] = {
        "id": db["id"],
        "name": db["name"],
        "display_name": db["display_name"],
        "status": db["status"],
        "created_at": db["created_at"],
        "memory_limit": db["memory_limit"],
        "cpu_limit": db["cpu_limit"],
        "storage_size": db["storage_size"],
        "type": db["type"],
        "version": db["version"],
        "cluster": dict(db["cluster"]),
        "resource_type_name": db["resource_type_name"],
        "data": {
            "db_name": db["db_name"],
            "db_password": db["db_password"],
            "db_root_password": db["db_root_password"] or None,
            "db_user": db["db_user"] or None,
        },
    }
    if query_bool(request, "internal", True):
        view |= {
            "internal_hostname": db["internal_hostname"],
            "internal_port": db["internal_port"],
            "internal_connections": _connected(state, db),
        }
        if request.scope.get("root_path", "").startswith("/sevalla"):
            view["internal_connection_string"] = _url(db, db["internal_hostname"], db["internal_port"])
    if query_bool(request, "external", True):
        host, port = db["external_hostname"] or None, db["external_port"] or None
        view |= {"external_hostname": host, "external_port": port}
        if host and port:
            view["external_connection_string"] = _url(db, host, port)
    return view


# ----- handlers --------------------------------------------------------------------------------


async def list_databases(request: Request) -> JSONResponse:
    items = [_list_item(d) for d in paas_page(request, settle(get_state(request)))]
    return JSONResponse({"databases": {"items": items}})


async def get_database(request: Request) -> JSONResponse:
    require_query(request, "internal")
    require_query(request, "external")
    return JSONResponse({"database": _detail(request, _db_or_404(request))})


def _choice(body: dict[str, Any], name: str, allowed: tuple[str, ...]) -> str:
    value = require_str(body, name)
    if value not in allowed:
        raise ApiError(400, f"{name} must be one of {', '.join(allowed)}")
    return value


async def create_database(request: Request) -> JSONResponse:
    state = get_state(request)
    body = await read_json(request)
    company_or_404(state, require_str(body, "company_id"))
    dbtype = _choice(body, "type", TYPES)
    size = _choice(body, "resource_type", SIZES)
    location, display, db_name, password, version = (
        require_str(body, k) for k in ("location", "display_name", "db_name", "db_password", "version")
    )
    user = body.get("db_user") or ""
    if not isinstance(user, str) or (not user and dbtype != "redis"):
        raise ApiError(400, "db_user is required (optional only for Redis)")
    databases = settle(state)
    name = f"{db_name.lower().replace('_', '-')}-{uuid.uuid4().hex[:6]}"
    cpu, memory, storage = LIMITS[size]
    now = now_ms()
    db = {
        "id": str(uuid.uuid4()),
        "name": name,
        "display_name": display,
        "company_id": state.company_id,
        "type": dbtype,
        "version": version,
        "status": "creating",
        "resource_type_name": size,
        "cpu_limit": cpu,
        "memory_limit": memory,
        "storage_size": storage,
        "cluster": {
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, location)),
            "location": location,
            "display_name": location,
        },
        "db_name": db_name,
        "db_user": user,
        "db_password": password,
        "db_root_password": "",
        "internal_hostname": f"{name}.internal.svc.cluster.local",
        "internal_port": PORTS[dbtype],
        "external_hostname": "",
        "external_port": "",
        "created_at": now,
        "updated_at": now,
        "_busy_until": state.clock() + state.operation_seconds,
    }
    databases.append(db)
    return JSONResponse({"database": {"id": db["id"]}})


async def update_database(request: Request) -> JSONResponse:
    state = get_state(request)
    db = _db_or_404(request)
    body = await read_json(request)
    unknown = set(body) - {"resource_type", "display_name"}
    if unknown:
        raise ApiError(400, f"Unknown fields: {', '.join(sorted(unknown))}")
    if "display_name" in body:
        db["display_name"] = require_str(body, "display_name")
    if "resource_type" in body and body["resource_type"] != db["resource_type_name"]:
        size = _choice(body, "resource_type", SIZES)
        db["resource_type_name"] = size
        db["cpu_limit"], db["memory_limit"], db["storage_size"] = LIMITS[size]
        db["status"] = "updating"
        db["_busy_until"] = state.clock() + state.operation_seconds
    db["updated_at"] = now_ms()
    return JSONResponse({"database": {"id": db["id"], "display_name": db["display_name"], "status": db["status"]}})


async def delete_database(request: Request) -> JSONResponse:
    state = get_state(request)
    db = _db_or_404(request)
    data = paas(state)
    data["databases"].remove(db)
    for app in data["apps"]:
        app["internal_connections"] = [link for link in app["internal_connections"] if link["id"] != db["id"]]
    return JSONResponse({"message": f'Database "{db["id"]}" is being deleted'})


paas_routes = [
    Route("/databases", list_databases, methods=["GET"]),
    Route("/databases", create_database, methods=["POST"]),
    Route("/databases/{id}", get_database, methods=["GET"]),
    Route("/databases/{id}", update_database, methods=["PUT"]),
    Route("/databases/{id}", delete_database, methods=["DELETE"]),
]
