"""Sevalla v3 processes of an application: list, create, get, PATCH, delete, and running a cron process now.

The processes are the application's own list in the shared PaaS demo data, so the v2 detail and process
routes see new ones at once. The seed's v2 type ``background`` reads as v3 ``worker``. Simplifications: a
deleted process is gone at once (the API queues it until the next deployment), and a cron run is only
recorded (``_runs``: epoch ms of each run).
"""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from ..seed import stable_id
from ._common import ApiError, iso, not_found_message, now_ms, read_json, v3, v3_page
from .applications import _app_or_404, _scaling, _scaling_body

TYPES = ("web", "worker", "cron", "job")
V3_TYPE = {"background": "worker"}
POLICIES = ("beforeDeployment", "afterSuccessDeployment", "afterFailedDeployment")
# field → (accepted types, max length or range); what POST and PATCH both take besides scaling and probes
FIELDS: dict[str, tuple[tuple[type, ...], tuple[int, int]]] = {
    "display_name": ((str,), (1, 255)),
    "entrypoint": ((str,), (0, 1024)),
    "resource_type_id": ((str,), (1, 64)),
    "port": ((int,), (1, 65535)),
    "schedule": ((str,), (1, 100)),
    "time_zone": ((str,), (1, 100)),
}
PATCH_ONLY = ("is_ingress_enabled", "ingress_protocol")
PROBES = ("liveness_probe", "readiness_probe")


def _type(process: dict[str, Any]) -> str:
    return V3_TYPE.get(process["type"], process["type"])


def _resource_type_id(process: dict[str, Any]) -> str:
    return process.get("resource_type_id") or stable_id("resource-type", process["resource_type_name"])


def view(app: dict[str, Any], process: dict[str, Any]) -> dict[str, Any]:
    kind = _type(process)
    return {
        "id": process["id"],
        "app_id": app["id"],
        "key": process["key"],
        "type": kind,
        "display_name": process["display_name"],
        "entrypoint": process["entrypoint"],
        "port": process["port"] or None,
        "is_ingress_enabled": process.get("is_ingress_enabled", kind == "web"),
        "ingress_protocol": process.get("ingress_protocol", "http") if kind == "web" else None,
        "scaling_strategy": _scaling(process),
        "resource_type_id": _resource_type_id(process),
        "resource_type_name": process["resource_type_name"],
        "cpu_limit": process["cpu_limit"],
        "memory_limit": process["memory_limit"],
        "schedule": process.get("schedule"),
        "time_zone": process.get("time_zone"),
        "job_start_policy": process.get("job_start_policy"),
        "liveness_probe": None,
        "readiness_probe": None,
        "internal_hostname": f"{app['name']}-{process['key']}.{app['name']}.svc.cluster.local",
        "created_at": iso(process.get("created_at", app["created_at"])),
        "updated_at": iso(process.get("updated_at", app["updated_at"])),
    }


def _found(request: Request) -> tuple[dict[str, Any], dict[str, Any]]:
    app = _app_or_404(request)
    wanted = request.path_params["process_id"]
    process = next((p for p in app["processes"] if p["id"] == wanted), None)
    if process is None:
        raise ApiError(404, not_found_message("application process", wanted))
    return app, process


def _checked(body: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    allowed = {*FIELDS, "scaling_strategy", *PROBES, *(("type", "job_start_policy") if creating else PATCH_ONLY)}
    if not creating:
        allowed.add("job_start_policy")
    if unknown := sorted(set(body) - allowed):
        raise ApiError(400, f"Unknown field(s): {', '.join(unknown)}")
    for key, (kinds, (low, high)) in FIELDS.items():
        if key not in body:
            continue
        value = body[key]
        size = len(value) if isinstance(value, str) else value
        if not isinstance(value, kinds) or isinstance(value, bool) or not low <= size <= high:
            raise ApiError(400, f"{key} is invalid")
    if "type" in body and body["type"] not in TYPES:
        raise ApiError(400, f"type must be one of {', '.join(TYPES)}")
    if "job_start_policy" in body and body["job_start_policy"] not in POLICIES:
        raise ApiError(400, f"job_start_policy must be one of {', '.join(POLICIES)}")
    if "is_ingress_enabled" in body and not isinstance(body["is_ingress_enabled"], bool):
        raise ApiError(400, "is_ingress_enabled must be a boolean")
    if "ingress_protocol" in body and body["ingress_protocol"] not in ("http", "grpc"):
        raise ApiError(400, "ingress_protocol must be http or grpc")
    out = {k: v for k, v in body.items() if k not in PROBES}
    if "scaling_strategy" in body:
        out["scaling_strategy"] = _scaling_body(body["scaling_strategy"])
        config = out["scaling_strategy"]["config"]
        out["instance_count"] = int(config.get("instanceCount", config.get("minInstanceCount", 0)))
    return out


async def list_processes(request: Request) -> Any:
    app = _app_or_404(request)
    return v3_page(request, [view(app, p) for p in app["processes"]])


async def create_process(request: Request) -> Any:
    app = _app_or_404(request)
    body = _checked(await read_json(request), creating=True)
    missing = [k for k in ("display_name", "type", "resource_type_id", "scaling_strategy") if k not in body]
    if body.get("type") == "cron" and "schedule" not in body:
        missing.append("schedule")
    if missing:
        raise ApiError(400, f"{', '.join(missing)} required")
    if body["type"] == "web" and any(_type(p) == "web" for p in app["processes"]):
        raise ApiError(400, "An application can have at most one web process")
    base = re.sub(r"[^a-z0-9]+", "-", body["display_name"].lower()).strip("-")[:60] or "process"
    key, n = base, 2
    while any(p["key"] == key for p in app["processes"]):
        key, n = f"{base}-{n}", n + 1
    size = next((p for p in app["processes"] if _resource_type_id(p) == body["resource_type_id"]), None)
    now = now_ms()
    process = {"id": stable_id("process", app["id"], key, str(now)), "key": key, "entrypoint": "", "port": 0}
    process |= {"resource_type_name": size["resource_type_name"] if size else "custom", "cpu_limit": 500}
    process |= {"memory_limit": 512, "created_at": now, "updated_at": now} | body
    app["processes"].append(process)
    return view(app, process)


async def get_process(request: Request) -> Any:
    return view(*_found(request))


async def update_process(request: Request) -> Any:
    app, process = _found(request)
    body = _checked(await read_json(request), creating=False)
    if "resource_type_id" in body:
        size = next((p for p in app["processes"] if _resource_type_id(p) == body["resource_type_id"]), None)
        body["resource_type_name"] = size["resource_type_name"] if size else "custom"
    process |= body | {"updated_at": now_ms()}
    return view(app, process)


async def delete_process(request: Request) -> Any:
    app, process = _found(request)
    if _type(process) == "web":
        raise ApiError(400, "The web process cannot be deleted")
    app["processes"].remove(process)
    return {"message": "Process is queued for deletion"}


async def trigger(request: Request) -> Any:
    _, process = _found(request)
    if _type(process) != "cron":
        raise ApiError(400, "Only a cron process can be triggered")
    process.setdefault("_runs", []).append(now_ms())
    return {"message": "Cron job triggered"}


ITEM = "/applications/{id}/processes/{process_id}"
v3_routes = [
    Route("/applications/{id}/processes", v3(list_processes), methods=["GET"]),
    Route("/applications/{id}/processes", v3(create_process), methods=["POST"]),
    Route(ITEM, v3(get_process), methods=["GET"]),
    Route(ITEM, v3(update_process), methods=["PATCH"]),
    Route(ITEM, v3(delete_process), methods=["DELETE"]),
    Route(f"{ITEM}/trigger", v3(trigger), methods=["POST"]),
]
