"""Applications and pipelines (the Kinsta-era PaaS API, served on Kinsta /v2 and Sevalla /sevalla/v2).

Deployments run on the sandbox clock: a new one goes through its phases ("building" → "deploying",
or only "deploying" for a restart, a rollback or a promoted build) over ``state.operation_seconds``
and ends "success", or "failed" when the branch is called ``broken`` (how tests make one fail).
The app's status follows (deploymentInProgress → deploymentSuccess / deploymentFailed).

Also here: Sevalla v2's own ``GET /validate`` (``sevalla_v2_routes``) and Sevalla v3's rollback
(``v3_routes``), which v2 lacks.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ..paas_seed import paas
from ..seed import stable_id
from ._common import ApiError, get_state, iso, not_found_message, now_ms, paas_page, read_json, require_str

FAILING_BRANCH = "broken"
FINAL = ("success", "failed", "cancelled")
BUILD_TYPES = ("dockerfile", "pack", "nixpacks")
# Sevalla v2's spec names the process GET's parameter {process_id} (its PUT: {id}, Kinsta's: {id} for both);
# one route, so the shared declaration's template is listed here (docs/api-notes.md#sevalla-v2-additions).
SEVALLA_V2_ADDITIONS = {("GET", "/applications/processes/{id}")}
# PUT /applications/{id}: field → accepted Python type(s)
APP_SETTINGS: dict[str, tuple[type, ...]] = {
    "build_path": (str,),
    "build_type": (str,),
    "docker_file_path": (str,),
    "docker_context": (str,),
    "display_name": (str,),
    "auto_deploy": (bool,),
    "default_branch": (str,),
    "hibernation_enabled": (bool,),
    "hibernate_after_seconds": (int, float),
}
APP_DEFAULTS = {"build_path": "", "build_type": "nixpacks", "docker_file_path": "Dockerfile", "docker_context": "."}


def _number(value: Any, name: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise ApiError(400, f"{name} must be a number from {low:g} to {high:g}")
    return value


# ----- lookups and the deployment clock ------------------------------------------------------


def _tick(state: Any) -> None:
    """Move every running deployment along the sandbox clock; finished ones settle their app."""
    now = state.clock()
    for app in paas(state)["apps"]:
        for dep in app["deployments"]:
            if "_started" not in dep or dep["status"] in FINAL:
                continue
            age = now - dep["_started"]
            phases = dep["_phases"]
            if age < state.operation_seconds:
                dep["status"] = phases[min(len(phases) - 1, int(age / state.operation_seconds * len(phases)))]
                continue
            failed = dep["branch"] == FAILING_BRANCH
            dep["status"] = "failed" if failed else "success"
            dep["finished_at"] = now_ms()
            app["status"] = "deploymentFailed" if failed else "deploymentSuccess"
            app["updated_at"] = dep["finished_at"]


def _apps(request: Request) -> list[dict[str, Any]]:
    state = get_state(request)
    _tick(state)
    return paas(state)["apps"]


def _app_or_404(request: Request, ref: str | None = None) -> dict[str, Any]:
    """The app a path names, by id (or by unique name: GET /applications/{name} shares the template)."""
    ref = ref if ref is not None else request.path_params["id"]
    app = next((a for a in _apps(request) if ref in (a["id"], a["name"])), None)
    if app is None:
        raise ApiError(404, not_found_message("application", ref))
    return app


def _process_or_404(request: Request) -> tuple[dict[str, Any], dict[str, Any]]:
    pid = request.path_params["id"]
    for app in _apps(request):
        for process in app["processes"]:
            if process["id"] == pid:
                return app, process
    raise ApiError(404, not_found_message("application process", pid))


def _running(app: dict[str, Any]) -> bool:
    return any(d["status"] not in FINAL for d in app["deployments"])


def _start_deployment(
    state: Any, app: dict[str, Any], *, branch: str, phases: tuple[str, ...], like: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A new deployment of `app` (reusing `like`'s build for restarts, rollbacks and promotions)."""
    now = now_ms()
    dep = {
        "id": str(uuid.uuid4()),
        "status": phases[0],
        "branch": branch,
        "repo_url": app["repo_url"],
        "commit_sha": (like or {}).get("commit_sha") or uuid.uuid4().hex[:40],
        "commit_message": (like or {}).get("commit_message") or f"Deploy {branch}",
        "created_at": now,
        "started_at": now,
        "finished_at": None,
        "_started": state.clock(),
        "_phases": phases,
    }
    app["deployments"].append(dep)
    app["status"] = "deploymentInProgress"
    app["updated_at"] = now
    return dep


def _last_success(app: dict[str, Any], skip: int = 0) -> dict[str, Any] | None:
    done = [d for d in app["deployments"] if d["status"] == "success"]
    done.sort(key=lambda d: d["created_at"], reverse=True)
    return done[skip] if len(done) > skip else None


# ----- views (explicit fields: internal keys never leak) -------------------------------------


def _list_item(app: dict[str, Any]) -> dict[str, Any]:
    return _pick(app, "id", "name", "display_name", "status")


def _connection_view(state: Any, app: dict[str, Any], link: dict[str, Any]) -> dict[str, Any]:
    data = paas(state)
    db = next((d for d in data["databases"] if d["id"] == link["id"]), None)
    other = next((a for a in data["apps"] if a["id"] == link["id"]), None)
    return {
        "id": stable_id("connection", app["id"], link["id"]),
        "app": {"id": other["id"], "name": other["name"]} if other else None,
        "database": {"id": db["id"], "name": db["name"]} if db else None,
    }


def _app_view(state: Any, app: dict[str, Any]) -> dict[str, Any]:
    return {
        **_list_item(app),
        "hibernation_enabled": app["hibernation_enabled"],
        "hibernate_after_seconds": app["hibernate_after_seconds"],
        "deployments": [
            {
                "id": d["id"],
                "branch": d["branch"],
                "repo_url": d["repo_url"],
                "commit_message": d["commit_message"],
                "created_at": d["created_at"],
            }
            for d in sorted(app["deployments"], key=lambda d: d["created_at"], reverse=True)
        ],
        "processes": [{"id": p["id"], "key": p["key"]} for p in app["processes"]],
        "internal_connections": [_connection_view(state, app, link) for link in app["internal_connections"]],
    }


def _settings_view(app: dict[str, Any]) -> dict[str, Any]:
    view = {"id": app["id"], "name": app["name"], "status": app["status"], "updated_at": app["updated_at"]}
    view.update({key: app.get(key, APP_DEFAULTS.get(key)) for key in APP_SETTINGS})
    return view


def _scaling(process: dict[str, Any]) -> dict[str, Any]:
    return process.get("scaling_strategy") or {"type": "manual", "config": {"instanceCount": process["instance_count"]}}


def _pick(item: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {key: item[key] for key in keys}


def _process_view(app: dict[str, Any], process: dict[str, Any]) -> dict[str, Any]:
    return {
        **_pick(process, "id", "type", "display_name", "instance_count", "resource_type_name", "entrypoint"),
        "scaling_strategy": _scaling(process),
        "internal_hostname": f"{app['name']}-{process['key']}.{app['name']}.svc.cluster.local",
        "internal_port": process["port"],
    }


def _deployment_view(app: dict[str, Any], dep: dict[str, Any]) -> dict[str, Any]:
    return {
        **_pick(dep, "id", "repo_url", "branch", "commit_sha", "commit_message", "status", "created_at"),
        "app_id": app["id"],
        "author_login": None,
        "author_img": None,
    }


def _deployment_v3_view(app: dict[str, Any], dep: dict[str, Any], trigger: str) -> dict[str, Any]:
    status = dep["status"] if dep["status"] in FINAL else "inProgress"
    return {
        "id": dep["id"],
        "app_id": app["id"],
        "status": status,
        "type": "manual",
        "trigger": trigger,
        "steps": ["rollout"],
        "docker_image_url": None,
        "git_type": "github",
        "repo_url": dep["repo_url"],
        "branch": dep["branch"],
        "commit_sha": dep["commit_sha"],
        "commit_message": dep["commit_message"],
        "author_login": None,
        "author_img": None,
        "started_at": iso(dep["started_at"]),
        "finished_at": iso(dep["finished_at"]),
        "created_at": iso(dep["created_at"]),
        "updated_at": iso(dep["finished_at"] or dep["created_at"]),
    }


# ----- handlers --------------------------------------------------------------------------------


async def list_apps(request: Request) -> JSONResponse:
    items = [_list_item(a) for a in paas_page(request, _apps(request))]
    return JSONResponse({"company": {"apps": {"items": items}}})


async def get_app(request: Request) -> JSONResponse:
    return JSONResponse({"app": _app_view(get_state(request), _app_or_404(request))})


async def update_app(request: Request) -> JSONResponse:
    app = _app_or_404(request)
    body = await read_json(request)
    for key, value in body.items():
        kinds = APP_SETTINGS.get(key)
        if kinds is None:
            raise ApiError(400, f"{key} is not an application setting")
        if not isinstance(value, kinds) or (bool not in kinds and isinstance(value, bool)):
            raise ApiError(400, f"{key} has the wrong type")
    if "build_type" in body and body["build_type"] not in BUILD_TYPES:
        raise ApiError(400, f"build_type must be one of {', '.join(BUILD_TYPES)}")
    if "hibernate_after_seconds" in body:
        _number(body["hibernate_after_seconds"], "hibernate_after_seconds", 60, 86_400)
    if "display_name" in body and not body["display_name"].strip():
        raise ApiError(400, "display_name must not be empty")
    app.update(body)
    app["updated_at"] = now_ms()
    return JSONResponse({"app": _settings_view(app)})


async def delete_app(request: Request) -> JSONResponse:
    app = _app_or_404(request)
    if _running(app):
        raise ApiError(400, "The application cannot be deleted while a deployment is in progress")
    data = paas(get_state(request))
    data["apps"].remove(app)
    for pipeline in data["pipelines"]:
        for stage in pipeline["stages"]:
            stage["apps"] = [a for a in stage["apps"] if a != app["id"]]
    return JSONResponse({"message": f'Application "{app["id"]}" is being deleted'})


async def deploy(request: Request) -> JSONResponse:
    body = await read_json(request)
    app = _app_or_404(request, require_str(body, "app_id"))
    branch, image, restart = body.get("branch"), body.get("docker_image"), body.get("is_restart", False)
    if not isinstance(restart, bool):
        raise ApiError(400, "is_restart must be a boolean")
    if branch and image:
        raise ApiError(400, "Give either branch or docker_image, not both")
    state = get_state(request)
    if restart:
        current = _last_success(app)
        if current is None:
            raise ApiError(400, "The application has no successful deployment to restart")
        dep = _start_deployment(state, app, branch=current["branch"], phases=("deploying",), like=current)
    else:
        name = image or branch or app["default_branch"]
        if not isinstance(name, str):
            raise ApiError(400, "branch and docker_image must be strings")
        dep = _start_deployment(state, app, branch=name, phases=("building", "deploying"))
    return JSONResponse({"deployment": {"id": dep["id"]}})


async def get_deployment(request: Request) -> JSONResponse:
    wanted = request.path_params["deployment_id"]
    for app in _apps(request):
        for dep in app["deployments"]:
            if dep["id"] == wanted:
                return JSONResponse({"deployment": _deployment_view(app, dep)})
    raise ApiError(404, not_found_message("deployment", wanted))


async def promote(request: Request) -> JSONResponse:
    state = get_state(request)
    body = await read_json(request)
    source = _app_or_404(request, require_str(body, "source_app_id"))
    target_ids = body.get("target_app_ids")
    if not isinstance(target_ids, list) or not target_ids or not all(isinstance(t, str) for t in target_ids):
        raise ApiError(400, "target_app_ids must be a non-empty array of application ids")
    targets = [_app_or_404(request, t) for t in target_ids]
    if source["id"] in target_ids:
        raise ApiError(400, "An application cannot be promoted to itself")
    shared = [
        p
        for p in paas(state)["pipelines"]
        if {source["id"], *target_ids} <= {a for s in p["stages"] for a in s["apps"]}
    ]
    if not shared:
        raise ApiError(400, "The source and target applications are not in the same pipeline")
    build = _last_success(source)
    if build is None:
        raise ApiError(400, "The source application has no successful deployment to promote")
    started = [_start_deployment(state, t, branch=build["branch"], phases=("deploying",), like=build) for t in targets]
    return JSONResponse(
        {"promote": [{"target_app_id": t["id"], "deployment_id": d["id"]} for t, d in zip(targets, started)]}
    )


async def get_process(request: Request) -> JSONResponse:
    app, process = _process_or_404(request)
    return JSONResponse({"process": _process_view(app, process)})


def _scaling_body(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict) or not isinstance(value.get("config"), dict):
        raise ApiError(400, "scaling_strategy must be {type, config}")
    config = value["config"]
    if value.get("type") == "manual":
        count = _number(config.get("instanceCount"), "instanceCount", 0, 50)
        return {"type": "manual", "config": {"instanceCount": int(count)}}
    if value.get("type") == "horizontal":
        low = _number(config.get("minInstanceCount"), "minInstanceCount", 1, 50)
        high = _number(config.get("maxInstanceCount"), "maxInstanceCount", 1, 50)
        if low > high:
            raise ApiError(400, "minInstanceCount must not exceed maxInstanceCount")
        for key in ("targetCpuPercent", "targetMemoryPercent"):
            if key in config:
                _number(config[key], key, 1, 100)
        return {"type": "horizontal", "config": dict(config)}
    raise ApiError(400, "scaling_strategy.type must be manual or horizontal")


async def update_process(request: Request) -> JSONResponse:
    app, process = _process_or_404(request)
    body = await read_json(request)
    unknown = set(body) - {"scaling_strategy", "entrypoint"}
    if unknown:
        raise ApiError(400, f"Unknown fields: {', '.join(sorted(unknown))}")
    if "entrypoint" in body and not isinstance(body["entrypoint"], str):
        raise ApiError(400, "entrypoint must be a string")
    if "scaling_strategy" in body:
        strategy = _scaling_body(body["scaling_strategy"])
        process["scaling_strategy"] = strategy
        config = strategy["config"]
        process["instance_count"] = config.get("instanceCount", config.get("minInstanceCount"))
    if "entrypoint" in body:
        process["entrypoint"] = body["entrypoint"]
    process["updated_at"] = now_ms()
    view = {
        "id": process["id"],
        "app_id": app["id"],
        "display_name": process["display_name"],
        "entrypoint": process["entrypoint"],
        "scaling_strategy": _scaling(process),
        "updated_at": process["updated_at"],
        "created_at": app["created_at"],
    }
    return JSONResponse({"process": view})


def _toggle(key: str):
    async def handler(request: Request) -> JSONResponse:
        app = _app_or_404(request)
        app[key] = not app[key]
        return JSONResponse({"isTurnedOn": app[key]})

    return handler


async def clear_cache(request: Request) -> JSONResponse:
    app = _app_or_404(request)
    app["last_cache_clear"] = time.time()
    return JSONResponse({"isSuccess": True})


async def list_pipelines(request: Request) -> JSONResponse:
    items = [
        {
            "id": p["id"],
            "display_name": p["display_name"],
            "stages": [{"id": s["id"], "display_name": s["display_name"], "type": s["type"]} for s in p["stages"]],
        }
        for p in paas_page(request, paas(get_state(request))["pipelines"])
    ]
    return JSONResponse({"company": {"pipelines": {"items": items}}})


async def validate_sevalla_key(request: Request) -> JSONResponse:
    state = get_state(request)
    return JSONResponse(
        {
            "name": f"{state.api_key_name} (Sevalla)",
            "expires_at": state.api_key_expires_at,
            "company": state.company_id,
            "status": "active",
        }
    )


async def rollback_v3(request: Request) -> JSONResponse:
    """v3: redeploy the build of the previous successful deployment (skipping the build)."""
    app = _app_or_404(request)
    previous = _last_success(app, skip=1)
    if previous is None:
        raise ApiError(400, "There is no earlier successful deployment to roll back to")
    dep = _start_deployment(get_state(request), app, branch=previous["branch"], phases=("deploying",), like=previous)
    return JSONResponse(_deployment_v3_view(app, dep, "ROLLBACK_DEPLOYMENT"))


paas_routes = [
    Route("/applications", list_apps, methods=["GET"]),
    Route("/applications/{id}", get_app, methods=["GET"]),
    Route("/applications/{id}", update_app, methods=["PUT"]),
    Route("/applications/{id}", delete_app, methods=["DELETE"]),
    Route("/applications/deployments", deploy, methods=["POST"]),
    Route("/applications/deployments/{deployment_id}", get_deployment, methods=["GET"]),
    Route("/applications/promote", promote, methods=["POST"]),
    Route("/applications/processes/{id}", get_process, methods=["GET"]),
    Route("/applications/processes/{id}", update_process, methods=["PUT"]),
    Route("/applications/{id}/cdn/toggle-status", _toggle("cdn_enabled"), methods=["POST"]),
    Route("/applications/{id}/edge-cache/toggle-status", _toggle("edge_cache_enabled"), methods=["POST"]),
    Route("/applications/{id}/clear-cache", clear_cache, methods=["POST"]),
    Route("/pipelines", list_pipelines, methods=["GET"]),
]

sevalla_v2_routes = [Route("/validate", validate_sevalla_key, methods=["GET"])]

v3_routes = [Route("/applications/{id}/deployments/rollback", rollback_v3, methods=["POST"])]
