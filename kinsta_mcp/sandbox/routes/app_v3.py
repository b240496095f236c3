"""Sevalla v3 application life and static-site deployments: the flat application (GET, and the clone's 201),
suspend and activate, clone, the deployment lists and their cancel, the deploy hook and the IP restriction.

Everything lives on the shared PaaS demo data (``paas(state)``), so the v2 routes see what these change: a
clone is a new application with its first deployment running (and copies of the source's processes and
environment variables); a cancelled deployment ends "cancelled" and its application "deploymentCancelled".
State these add to an application: ``is_suspended``, ``hook_secret`` (None: no hook) and ``ip_restriction``.
"""

from __future__ import annotations

import copy
import re
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..paas_seed import paas
from ..seed import stable_id
from ._common import ApiError, get_state, iso, not_found_message, now_ms, read_json, require_ip_list, v3, v3_page
from .applications import FINAL, _app_or_404, _deployment_v3_view, _start_deployment
from .env_vars import rows_of
from .static_sites import _site_or_404

UNSET_IP = {"type": "deny", "is_enabled": False, "ip_list": []}  # the spec's answer when never configured
MAX_IPS, MAX_IP_LENGTH = 500, 45


# ----- the application ---------------------------------------------------------------------------


def app_view(app: dict[str, Any], *, full: bool = True) -> dict[str, Any]:
    """The flat v3 application; `full=False` is the clone's 201, which lacks three fields of the GET."""
    view = {
        "id": app["id"],
        "company_id": app["company_id"],
        "project_id": None,
        "name": app["name"],
        "namespace": f"app-{app['name']}",
        "display_name": app["display_name"],
        "source": "privateGit",
        "type": "app",
        "status": app["status"],
        "build_cache_enabled": True,
        "hibernation_enabled": app["hibernation_enabled"],
        "hibernate_after_seconds": int(app["hibernate_after_seconds"]) or None,
        "auto_deploy": app["auto_deploy"],
        "is_suspended": app.get("is_suspended", False),
        "git_type": "github",
        "repo_url": app["repo_url"],
        "default_branch": app["default_branch"],
        "docker_image": None,
        "build_type": app.get("build_type", "nixpacks"),
        "build_path": app.get("build_path") or None,
        "pack_builder": None,
        "nixpacks_version": None,
        "dockerfile_path": app.get("docker_file_path", "Dockerfile"),
        "docker_context": app.get("docker_context", "."),
        "allow_deploy_paths": [],
        "ignore_deploy_paths": [],
        "created_by": None,
        "created_at": iso(app["created_at"]),
        "updated_at": iso(app["updated_at"]),
    }
    if full:
        view |= {
            "buildpacks": [],
            "cluster_id": stable_id("cluster", "europe-west3"),
            "docker_registry_credential_id": None,
        }
    return view


async def get_app(request: Request) -> Any:
    return app_view(_app_or_404(request))


def _suspension(suspend: bool) -> Callable[[Request], Awaitable[Any]]:
    async def handler(request: Request) -> Any:
        app = _app_or_404(request)
        if app.get("is_suspended", False) == suspend:
            raise ApiError(400, f"The application is {'already' if suspend else 'not'} suspended")
        app["is_suspended"], app["updated_at"] = suspend, now_ms()
        return {"message": f"Application is being {'suspended' if suspend else 'activated'}"}

    return handler


def _slug(text: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:56] or "app"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    return name


async def clone(request: Request) -> Any:
    source = _app_or_404(request)
    body = await read_json(request)
    if unknown := sorted(set(body) - {"display_name", "cluster_id"}):
        raise ApiError(400, f"Unknown field(s): {', '.join(unknown)}")
    name = body.get("display_name")
    if not isinstance(name, str) or not 2 <= len(name) <= 64:
        raise ApiError(400, "display_name is required: 2 to 64 characters")
    if not isinstance(body.get("cluster_id", ""), str):
        raise ApiError(400, "cluster_id must be a uuid")
    state = get_state(request)
    apps = paas(state)["apps"]
    if any(a["display_name"].lower() == name.lower() for a in apps):
        raise ApiError(400, f"An application named {name} already exists")
    now = now_ms()
    new = copy.deepcopy({k: v for k, v in source.items() if k not in ("deployments", "internal_connections")})
    new |= {"id": str(uuid.uuid4()), "name": _slug(name, {a["name"] for a in apps}), "display_name": name}
    new |= {"created_at": now, "updated_at": now, "deployments": [], "internal_connections": [], "hook_secret": None}
    new |= {"is_suspended": False, "ip_restriction": dict(UNSET_IP)}
    for process in new["processes"]:
        process["id"] = str(uuid.uuid4())
    rows = rows_of(state)
    rows += [r | {"id": str(uuid.uuid4()), "owner": new["id"]} for r in list(rows) if r["owner"] == source["id"]]
    apps.append(new)
    _start_deployment(state, new, branch=new["default_branch"], phases=("building", "deploying"))
    return JSONResponse(app_view(new, full=False), status_code=201)


# ----- deployments -----------------------------------------------------------------------------


def _newest(deployments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(deployments, key=lambda d: d["created_at"], reverse=True)


async def list_deployments(request: Request) -> Any:
    app = _app_or_404(request)
    return v3_page(request, [_deployment_v3_view(app, d, "MANUAL_DEPLOY") for d in _newest(app["deployments"])])


def _cancelled(owner: dict[str, Any], request: Request, noun: str) -> dict[str, Any]:
    wanted = request.path_params["deployment_id"]
    dep = next((d for d in owner["deployments"] if d["id"] == wanted), None)
    if dep is None:
        raise ApiError(404, not_found_message(noun, wanted))
    if dep["status"] in FINAL:
        raise ApiError(400, f"The deployment is {dep['status']}: only a waiting or running one can be cancelled")
    dep["status"], dep["finished_at"] = "cancelled", now_ms()
    if dep is _newest(owner["deployments"])[0]:
        owner["status"], owner["updated_at"] = "deploymentCancelled", dep["finished_at"]
    return {"message": "Deployment cancelled"}


async def cancel_deployment(request: Request) -> Any:
    return _cancelled(_app_or_404(request), request, "deployment")


def _static_view(site: dict[str, Any], dep: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": dep["id"],
        "static_site_id": site["id"],
        "status": dep["status"],
        "type": "manual",
        "repo_url": dep["repo_url"],
        "branch": dep["branch"],
        "is_preview": False,
        "author_login": None,
        "author_img": None,
        "commit_sha": dep["commit_sha"],
        "commit_message": dep["commit_message"],
        "cloud_build_id": stable_id("build", dep["id"]),
        "build_error": "Build failed" if dep["status"] == "failed" else None,
        "created_at": iso(dep["created_at"]),
        "updated_at": iso(dep["finished_at"] or dep["created_at"]),
        "finished_at": iso(dep["finished_at"]),
        "started_at": iso(dep["started_at"]),
    }


async def list_static_deployments(request: Request) -> Any:
    site = _site_or_404(request)
    return v3_page(request, [_static_view(site, d) for d in _newest(site["deployments"])])


async def cancel_static_deployment(request: Request) -> Any:
    return _cancelled(_site_or_404(request), request, "static site deployment")


# ----- deploy hook and IP restriction ----------------------------------------------------------


def _hook(app: dict[str, Any]) -> dict[str, str]:
    return {"url": f"https://deploy-hooks.sevalla.example/{app['id']}/{app['hook_secret']}"}


async def hook(request: Request) -> Any:
    app = _app_or_404(request)
    method = request.method
    if method == "POST":  # the spec: an enabled hook answers its existing URL
        app["hook_secret"] = app.get("hook_secret") or uuid.uuid4().hex
        return JSONResponse(_hook(app), status_code=201)
    if not app.get("hook_secret"):
        raise ApiError(404, "No deployment hook is enabled for this application")
    if method == "GET":
        return _hook(app)
    if method == "PUT":
        app["hook_secret"] = uuid.uuid4().hex
        return _hook(app)
    app["hook_secret"] = None
    return Response(status_code=204)


async def ip_restriction(request: Request) -> Any:
    app = _app_or_404(request)
    if request.method == "PUT":
        body = await read_json(request)
        if unknown := sorted(set(body) - set(UNSET_IP)):
            raise ApiError(400, f"Unknown field(s): {', '.join(unknown)}")
        if body.get("type") not in ("allow", "deny") or not isinstance(body.get("is_enabled"), bool):
            raise ApiError(400, "type (allow or deny), is_enabled (boolean) and ip_list are required")
        ips = require_ip_list(body, "ip_list")
        if len(ips) > MAX_IPS or any(len(ip) > MAX_IP_LENGTH for ip in ips):
            raise ApiError(400, f"ip_list takes at most {MAX_IPS} entries of at most {MAX_IP_LENGTH} characters")
        app["ip_restriction"] = {"type": body["type"], "is_enabled": body["is_enabled"], "ip_list": ips}
        app["updated_at"] = now_ms()
    return dict(app.get("ip_restriction") or UNSET_IP)


APP = "/applications/{id}"
v3_routes = [
    Route(APP, v3(get_app), methods=["GET"]),
    Route(f"{APP}/suspend", v3(_suspension(True)), methods=["POST"]),
    Route(f"{APP}/activate", v3(_suspension(False)), methods=["POST"]),
    Route(f"{APP}/clone", v3(clone), methods=["POST"]),
    Route(f"{APP}/deployments", v3(list_deployments), methods=["GET"]),
    Route(f"{APP}/deployments/{{deployment_id}}/cancel", v3(cancel_deployment), methods=["POST"]),
    Route(f"{APP}/deployment-hook", v3(hook), methods=["GET", "POST", "PUT", "DELETE"]),
    Route(f"{APP}/ip-restriction", v3(ip_restriction), methods=["GET", "PUT"]),
    Route("/static-sites/{id}/deployments", v3(list_static_deployments), methods=["GET"]),
    Route("/static-sites/{id}/deployments/{deployment_id}/cancel", v3(cancel_static_deployment), methods=["POST"]),
]
