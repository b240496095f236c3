"""Sevalla v3 database routes the v2 API lacks: the flat detail, reset-password, the external-connection
toggle, internal connections, the IP restriction, suspend and activate (backups: db_backups.py).

They work on the same databases as the v2 routes (``paas(state)["databases"]``), so a change made here
shows there: a new password in v2's detail, an external host once the toggle is on, an app linked
through an internal connection among v2's ``internal_connections`` (links are kept on the apps, as the
v2 routes keep them; one the database made is marked ``from_db``: it is the source). Asynchronous
changes (toggle, reset-password) set a status ("updatingExternalConnection", "passwordChange") that
turns "ready" after ``state.operation_seconds``, like a v2 resize.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ..paas_seed import paas
from ..seed import stable_id
from ._common import ApiError, get_state, iso, not_found_message, now_ms, read_json, v3
from ._db3 import busy, database, idle, pending

PASSWORD = re.compile(r"[A-Za-z0-9_?<>#@\-=+]{4,100}")
# What the sandbox refuses as not public (it lets documentation ranges through: the spec's examples use them).
NOT_PUBLIC = [
    ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7")
]


async def get_database(request: Request) -> Any:
    db = database(request)
    cluster = db["cluster"]
    return {
        **{k: db[k] for k in ("id", "company_id", "name", "display_name", "type", "version", "status")},
        "project_id": None,
        "is_suspended": bool(db.get("is_suspended")),
        "cluster_id": cluster["id"],
        "cluster_display_name": cluster["display_name"],
        "cluster_location": cluster["location"],
        "resource_type_id": stable_id("db-resource-type", db["resource_type_name"]),
        "resource_type_name": db["resource_type_name"],
        **{k: db[k] for k in ("cpu_limit", "memory_limit", "storage_size", "db_name", "internal_hostname")},
        "internal_port": str(db["internal_port"]),
        "external_hostname": db["external_hostname"] or None,
        "external_port": str(db["external_port"]) if db["external_port"] else None,
        "created_at": iso(db["created_at"]),
        "updated_at": iso(db["updated_at"]),
    }


async def reset_password(request: Request) -> Any:
    db = database(request)
    body = await read_json(request)
    if set(body) - {"new_password"}:
        raise ApiError(400, "Only new_password may be sent")
    new = body.get("new_password")
    if not isinstance(new, str) or not PASSWORD.fullmatch(new):
        # Never quoted back: it is a password.
        raise ApiError(400, "new_password must be 4 to 100 letters, digits or _?<>#@-=+")
    idle(db, "reset the password")
    busy(request, db, "passwordChange")
    db["db_password"] = new
    return {"message": "Password is being reset"}


async def toggle_external(request: Request) -> Any:
    db = database(request)
    idle(db, "toggle the external connection")
    if db["external_hostname"]:
        db["external_hostname"], db["external_port"] = "", ""
    else:
        db["external_hostname"] = f"{db['name']}.db.sevalla.app"
        db["external_port"] = str(30_000 + int(db["id"][:4], 16) % 2_000)
    busy(request, db, "updatingExternalConnection")
    return JSONResponse({"message": "External connection is being updated"}, status_code=202)


def _suspension(to: bool) -> Callable[[Request], Awaitable[Any]]:
    async def handler(request: Request) -> Any:
        db = database(request)
        if to:
            idle(db, "suspend")
            if pending(request, db):
                raise ApiError(400, "Cannot suspend while a backup is in progress")
        db["is_suspended"], db["updated_at"] = to, now_ms()
        return {"message": "Database is being suspended" if to else "Database is being activated"}

    return handler


# ----- internal connections ----------------------------------------------------------------------


def _connections(state: Any, db: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any], list[Any], Any]]:
    """(view, the other object, the list holding the link, the link) for each connection of `db`."""
    data = paas(state)
    out = []
    for app in data["apps"]:
        for link in app["internal_connections"]:
            if link["id"] == db["id"]:
                ends = [(db, "dbResource"), (app, "appResource")]
                source, target = ends if link.get("from_db") else ends[::-1]
                out.append((_view(stable_id("connection", app["id"], db["id"]), source, target), app,
                            app["internal_connections"], link))  # fmt: skip
    for other in data["databases"]:
        for target_id in other.get("db_links", []):
            if db["id"] in (other["id"], target_id) and other["id"] != target_id:
                linked = next((d for d in data["databases"] if d["id"] == target_id), None)
                if linked is not None:
                    view = _view(stable_id("connection", other["id"], target_id), (other, "dbResource"),
                                 (linked, "dbResource"))  # fmt: skip
                    out.append((view, linked if other is db else other, other["db_links"], target_id))
    return out


def _view(ident: str, source: tuple[dict[str, Any], str], target: tuple[dict[str, Any], str]) -> dict[str, Any]:
    out: dict[str, Any] = {"id": ident}
    for end, (item, kind) in (("source", source), ("target", target)):
        out |= {f"{end}_id": item["id"], f"{end}_type": kind, f"{end}_name": item["name"],
                f"{end}_display_name": item["display_name"]}  # fmt: skip
    return out


async def list_connections(request: Request) -> Any:
    return [view for view, *_ in _connections(get_state(request), database(request))]


async def connect(request: Request) -> Any:
    db = database(request)
    body = await read_json(request)
    target_id, kind = body.get("target_id"), body.get("target_type")
    if kind not in ("app", "database") or not isinstance(target_id, str):
        raise ApiError(400, "target_id and target_type (app or database) are required")
    data = paas(get_state(request))
    target = next((o for o in data["apps" if kind == "app" else "databases"] if o["id"] == target_id), None)
    if target is None:
        raise ApiError(404, not_found_message("application" if kind == "app" else "database", target_id))
    if target is db or any(other is target for _, other, *_ in _connections(get_state(request), db)):
        raise ApiError(400, f"{db['display_name']} is already connected to {target['display_name']}")
    if kind == "app":
        target["internal_connections"].append({"id": db["id"], "type": "appResource", "from_db": True})
        ident = stable_id("connection", target["id"], db["id"])
    else:
        db.setdefault("db_links", []).append(target["id"])
        ident = stable_id("connection", db["id"], target["id"])
    return JSONResponse({"id": ident}, status_code=201)


async def disconnect(request: Request) -> Any:
    db = database(request)
    wanted = request.path_params["connection_id"]
    found = next((c for c in _connections(get_state(request), db) if c[0]["id"] == wanted), None)
    if found is None:
        raise ApiError(404, f"Internal connection {wanted} not found")
    _, _, holder, link = found
    holder.remove(link)
    return {"message": "Internal connection deleted"}


# ----- IP restriction ----------------------------------------------------------------------------


def _restriction(db: dict[str, Any]) -> dict[str, Any]:
    return dict(db.get("ip_restriction") or {"type": "deny", "is_enabled": False, "ip_list": []})


async def get_restriction(request: Request) -> Any:
    return _restriction(database(request))


async def put_restriction(request: Request) -> Any:
    db = database(request)
    body = await read_json(request)
    kind, enabled, ips = body.get("type"), body.get("is_enabled"), body.get("ip_list")
    if kind not in ("allow", "deny") or not isinstance(enabled, bool) or not isinstance(ips, list):
        raise ApiError(400, "type (allow or deny), is_enabled and ip_list are required")
    if len(ips) > 500:
        raise ApiError(400, "ip_list takes at most 500 entries")
    for ip in ips:
        if not isinstance(ip, str) or len(ip) > 45:
            raise ApiError(400, "Each ip_list entry must be an IP address or CIDR range of at most 45 characters")
        try:
            network = ipaddress.ip_network(ip, strict=False)
        except ValueError:
            raise ApiError(400, f"{ip} is not a valid IP address or CIDR range") from None
        if (
            network.is_loopback
            or network.is_link_local
            or network.is_multicast
            or network.is_unspecified
            or any(network.overlaps(n) for n in NOT_PUBLIC if n.version == network.version)
        ):
            raise ApiError(400, f"{ip} is not a public unicast address or range")
    db["ip_restriction"] = {"type": kind, "is_enabled": enabled, "ip_list": list(ips)}
    return _restriction(db)


DB = "/databases/{id}"
v3_routes = [
    Route(DB, v3(get_database), methods=["GET"]),
    Route(f"{DB}/reset-password", v3(reset_password), methods=["POST"]),
    Route(f"{DB}/external-connection/toggle", v3(toggle_external), methods=["POST"]),
    Route(f"{DB}/suspend", v3(_suspension(True)), methods=["POST"]),
    Route(f"{DB}/activate", v3(_suspension(False)), methods=["POST"]),
    Route(f"{DB}/internal-connections", v3(list_connections), methods=["GET"]),
    Route(f"{DB}/internal-connections", v3(connect), methods=["POST"]),
    Route(f"{DB}/internal-connections/{{connection_id}}", v3(disconnect), methods=["DELETE"]),
    Route(f"{DB}/ip-restriction", v3(get_restriction), methods=["GET"]),
    Route(f"{DB}/ip-restriction", v3(put_restriction), methods=["PUT"]),
]
