"""Static sites (the Kinsta-era PaaS API, on Kinsta /v2 and Sevalla /sevalla/v2) and Sevalla v2's
company PaaS usage.

A deployment goes "waiting" → "inProgress" over ``state.operation_seconds`` (sandbox clock) and ends
"success", or "failed" when its branch is called ``broken`` (how tests make one fail); the site's
status follows (deploymentInProgress → deploymentSuccess / deploymentFailed).

``GET /company/{id}/paas-usage`` is not in Sevalla's v2 spec v1.80.0: it is on the later v2 reference
page company/get-usage (docs/api-notes.md#sevalla-v2-additions; fixture
sevalla_v2_GET_company_id_paas-usage__docs.json).
Its rows are made up from the seeded applications, one per app, category and day, per billing period.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ..paas_seed import SEED_NOW_MS, paas
from ..seed import stable_id
from ._common import ApiError, company_or_404, get_state, not_found_message, now_ms, paas_page, read_json, require_str

# Documented on the Sevalla v2 reference after spec v1.80.0 (docs/api-notes.md#sevalla-v2-additions).
SEVALLA_V2_ADDITIONS = {("GET", "/company/{id}/paas-usage")}

FAILING_BRANCH = "broken"
FINAL = ("success", "failed", "cancelled")
NODE_VERSIONS = ("16.20.0", "18.16.0", "20.2.0")
NULLABLE = ("build_command", "node_version", "published_directory")
USAGE_DAYS = (1, 8, 15, 22)  # days of a billing period with usage rows
USAGE_CATEGORIES = ("appRuntimeCosts", "appBandwidth")


def _tick(state: Any) -> list[dict[str, Any]]:
    """The static sites, with running deployments moved along the sandbox clock."""
    now = state.clock()
    sites = paas(state)["static_sites"]
    for site in sites:
        for dep in site["deployments"]:
            if "_started" not in dep or dep["status"] in FINAL:
                continue
            if now - dep["_started"] < state.operation_seconds:
                dep["status"] = "waiting" if now - dep["_started"] < state.operation_seconds / 3 else "inProgress"
                continue
            failed = dep["branch"] == FAILING_BRANCH
            dep["status"] = "failed" if failed else "success"
            dep["finished_at"] = site["updated_at"] = now_ms()
            site["status"] = "deploymentFailed" if failed else "deploymentSuccess"
    return sites


def _site_or_404(request: Request, ref: str | None = None) -> dict[str, Any]:
    ref = ref if ref is not None else request.path_params["id"]
    site = next((s for s in _tick(get_state(request)) if s["id"] == ref), None)
    if site is None:
        raise ApiError(404, not_found_message("static site", ref))
    return site


def _list_item(site: dict[str, Any]) -> dict[str, Any]:
    return {key: site[key] for key in ("id", "name", "display_name", "status")}


def _detail(site: dict[str, Any]) -> dict[str, Any]:
    deployments = sorted(site["deployments"], key=lambda d: d["created_at"], reverse=True)
    return {
        **_list_item(site),
        "repo_url": site["repo_url"],
        "default_branch": site["default_branch"],
        "auto_deploy": site["auto_deploy"],
        "remote_repository_id": str(int(stable_id("repo", site["name"])[:8], 16)),
        "git_repository_id": str(int(stable_id("git", site["name"])[:8], 16)),
        "git_type": site["git_type"],
        "hostname": site["hostname"],
        "build_command": site["build_command"] or None,
        "created_at": site["created_at"],
        "updated_at": site["updated_at"],
        "deployments": [
            {
                "id": d["id"],
                "status": d["status"],
                "repo_url": d["repo_url"],
                "branch": d["branch"],
                "commit_message": d["commit_message"],
                "created_at": d["created_at"],
            }
            for d in deployments
        ],
    }


def _deployment_view(site: dict[str, Any], dep: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": dep["id"],
        "static_site_id": site["id"],
        "status": dep["status"],
        "repo_url": dep["repo_url"],
        "branch": dep["branch"],
        "author_login": None,
        "author_img": None,
        "commit_sha": dep["commit_sha"],
        "commit_message": dep["commit_message"],
        "cloud_build_id": stable_id("build", dep["id"]),
        "created_at": dep["created_at"],
        "updated_at": dep["finished_at"] or dep["created_at"],
        "finished_at": dep["finished_at"],
        "started_at": dep["started_at"],
    }


def _start(state: Any, site: dict[str, Any], branch: str, like: dict[str, Any] | None = None) -> JSONResponse:
    now = now_ms()
    dep = {
        "id": str(uuid.uuid4()),
        "status": "waiting",
        "branch": branch,
        "repo_url": site["repo_url"],
        "commit_sha": (like or {}).get("commit_sha") or uuid.uuid4().hex[:40],
        "commit_message": (like or {}).get("commit_message") or f"Deploy {branch}",
        "created_at": now,
        "started_at": now,
        "finished_at": None,
        "_started": state.clock(),
    }
    site["deployments"].append(dep)
    site["status"], site["updated_at"] = "deploymentInProgress", now
    return JSONResponse({"deployment": {"id": dep["id"], "status": dep["status"]}})


# ----- handlers --------------------------------------------------------------------------------


async def list_sites(request: Request) -> JSONResponse:
    items = [_list_item(s) for s in paas_page(request, _tick(get_state(request)))]
    return JSONResponse({"company": {"static_sites": {"items": items}}})


async def get_site(request: Request) -> JSONResponse:
    return JSONResponse({"static_site": _detail(_site_or_404(request))})


async def update_site(request: Request) -> JSONResponse:
    site = _site_or_404(request)
    body = await read_json(request)
    kinds: dict[str, tuple[type, ...]] = {
        "display_name": (str,),
        "auto_deploy": (bool,),
        "default_branch": (str,),
        **{key: (str, type(None)) for key in NULLABLE},
    }
    for key, value in body.items():
        if key not in kinds or not isinstance(value, kinds[key]):
            raise ApiError(400, f"{key} is not a static-site setting of that type")
    if body.get("node_version") not in (None, *NODE_VERSIONS):
        raise ApiError(400, f"node_version must be one of {', '.join(NODE_VERSIONS)}")
    if any(body.get(key) == "" for key in ("display_name", "default_branch")):
        raise ApiError(400, "display_name and default_branch must not be empty")
    site.update(body)
    site["updated_at"] = now_ms()
    view = {
        key: site.get(key)
        for key in ("id", "display_name", "auto_deploy", "default_branch", *NULLABLE, "updated_at", "status")
    }
    return JSONResponse({"static_site": view})


async def delete_site(request: Request) -> JSONResponse:
    site = _site_or_404(request)
    paas(get_state(request))["static_sites"].remove(site)
    return JSONResponse({"transaction_id": str(int(uuid.uuid4().hex[:13], 16))})


async def deploy(request: Request) -> JSONResponse:
    body = await read_json(request)
    site = _site_or_404(request, require_str(body, "static_site_id"))
    branch = body.get("branch") or site["default_branch"]
    if not isinstance(branch, str):
        raise ApiError(400, "branch must be a string")
    return _start(get_state(request), site, branch)


async def redeploy(request: Request) -> JSONResponse:
    body = await read_json(request)
    site = _site_or_404(request, require_str(body, "static_site_id"))
    wanted = body.get("deployment_id")
    done = sorted(site["deployments"], key=lambda d: d["created_at"], reverse=True)
    like = next((d for d in done if d["id"] == wanted), None) if wanted else (done[0] if done else None)
    if like is None:
        raise ApiError(404, not_found_message("static site deployment", str(wanted or "(latest)")))
    return _start(get_state(request), site, like["branch"], like)


async def get_deployment(request: Request) -> JSONResponse:
    wanted = request.path_params["deployment_id"]
    for site in _tick(get_state(request)):
        for dep in site["deployments"]:
            if dep["id"] == wanted:
                return JSONResponse({"deployment": _deployment_view(site, dep)})
    raise ApiError(404, not_found_message("static site deployment", wanted))


def _period_start(offset: int) -> datetime:
    seed = datetime.fromtimestamp(SEED_NOW_MS / 1000, tz=UTC)
    months = seed.year * 12 + seed.month - 1 + offset
    return datetime(months // 12, months % 12 + 1, 1, tzinfo=UTC)


async def paas_usage(request: Request) -> JSONResponse:
    state = get_state(request)
    company_or_404(state, request.path_params["id"])
    try:
        offset = int(request.query_params.get("period_offset", "0"))
    except ValueError:
        raise ApiError(400, "period_offset must be a whole number from -5 to 0") from None
    if not -5 <= offset <= 0:
        raise ApiError(400, "period_offset must be a whole number from -5 to 0")
    start = int(_period_start(offset).timestamp() * 1000)
    rows = []
    for n, app in enumerate(paas(state)["apps"]):
        for day in USAGE_DAYS:
            for category in USAGE_CATEGORIES:
                seed = int(stable_id("usage", app["id"], category, str(offset), str(day))[:4], 16)
                usage = round(1 + seed % 400 / 10, 1) if category == "appRuntimeCosts" else round(seed % 90 / 10, 2)
                rate = 0.52 if category == "appRuntimeCosts" else 0.1
                rows.append(
                    {
                        "id": f"usage_{seed}{n}{day}",
                        "date": start + (day - 1) * 86_400_000,
                        "category": category,
                        "id_resource": app["id"],
                        "usage": usage,
                        "cost": round(usage * rate, 2),
                    }
                )
    return JSONResponse({"company": {"paas_usage": rows}})


paas_routes = [
    Route("/static-sites", list_sites, methods=["GET"]),
    Route("/static-sites/{id}", get_site, methods=["GET"]),
    Route("/static-sites/{id}", update_site, methods=["PUT"]),
    Route("/static-sites/{id}", delete_site, methods=["DELETE"]),
    Route("/static-sites/deployments", deploy, methods=["POST"]),
    Route("/static-sites/deployments/redeploy", redeploy, methods=["POST"]),
    Route("/static-sites/deployments/{deployment_id}", get_deployment, methods=["GET"]),
]

sevalla_v2_routes = [Route("/company/{id}/paas-usage", paas_usage, methods=["GET"])]
