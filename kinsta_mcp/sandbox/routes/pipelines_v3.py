"""Sevalla v3 pipelines: list, create, change, stages, apps in stages, preview apps and promotion.

The pipelines are the PaaS demo data's (``paas(state)["pipelines"]``, which the Kinsta-era v2 listing in
routes/applications.py reads too); the v3 fields they lack (type, timestamps, preview settings, the
connected repository) are added on first use here. A stage's order is its place in the list. Enabling
preview apps adds a stage of type ``preview`` first; disabling removes it and deletes its apps (the real
API queues them for deletion). A promotion starts deployments on the same clock as routes/applications.py.
"""

from __future__ import annotations

import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ..paas_seed import DAY_MS, SEED_NOW_MS, paas
from ._common import ApiError, get_state, iso, now_ms, read_json, v3
from .applications import _app_or_404, _last_success, _start_deployment
from .object_storage import UUID

TYPES = ("trunk", "branch")
PREVIEW_KEYS = ("auto_create_app", "delete_stale_apps", "stale_app_days")


def _stage_row(name: str, kind: str, *, branch: str | None = None, created: int | None = None) -> dict[str, Any]:
    """A new stage. The v2 listing (routes/applications.py) shows `type`, whose v2 enum has no `prod`: a
    production stage keeps `standard` there and its v3 type beside it."""
    at = created if created is not None else now_ms()
    return {"id": str(uuid.uuid4()), "display_name": name, "type": "standard" if kind == "prod" else kind,
            "v3_type": kind, "apps": [], "branch": branch,
            "auto_create_app": False, "delete_stale_apps": False, "stale_app_days": 5, "created_at": at,
            "updated_at": at}  # fmt: skip


def pipelines_of(state: Any) -> list[dict[str, Any]]:
    """The demo pipelines, each given the v3 fields it lacks (once)."""
    rows: list[dict[str, Any]] = paas(state)["pipelines"]
    seeded = SEED_NOW_MS - 30 * DAY_MS
    for row in rows:
        if "type" not in row:
            row.update(company_id=state.company_id, project_id=None, type="trunk", repo_url=None,
                       created_at=seeded, updated_at=seeded)  # fmt: skip
        for stage in row["stages"]:
            for key, value in _stage_row("", stage["type"], created=seeded).items():
                stage.setdefault(key, value)
    return rows


def _found(request: Request) -> dict[str, Any]:
    ref = request.path_params["id"]
    row = next((p for p in pipelines_of(get_state(request)) if p["id"] == ref), None)
    if row is None:
        raise ApiError(404, f"Pipeline {ref} not found")
    return row


def _stage(row: dict[str, Any], ref: str) -> dict[str, Any]:
    stage = next((s for s in row["stages"] if s["id"] == ref), None)
    if stage is None:
        raise ApiError(404, f"Stage {ref} not found")
    return stage


def _short(row: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"id": s["id"], "display_name": s["display_name"], "type": s["v3_type"], "order": n}
            for n, s in enumerate(row["stages"])]  # fmt: skip


def _full(row: dict[str, Any], n: int, s: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "display_name", "branch", *PREVIEW_KEYS)
    times = {"created_at": iso(s["created_at"]), "updated_at": iso(s["updated_at"])}
    return {k: s[k] for k in keys} | {"type": s["v3_type"], "pipeline_id": row["id"], "order": n} | times


def _view(row: dict[str, Any], *, full: bool = False, listed: bool = False) -> dict[str, Any]:
    head = {} if listed else {"company_id": row["company_id"], "project_id": row["project_id"]}
    stages = [_full(row, n, s) for n, s in enumerate(row["stages"])] if full else _short(row)
    times = {"created_at": iso(row["created_at"]), "updated_at": iso(row["updated_at"])}
    return {"id": row["id"], **head, "display_name": row["display_name"], "type": row["type"], "stages": stages} | times


def _int(value: Any, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ApiError(400, f"{name} must be an integer from {low} to {high}")
    return value


def _checked(body: dict[str, Any], allowed: set[str], required: tuple[str, ...] = ()) -> dict[str, Any]:
    if unknown := sorted(set(body) - allowed):
        raise ApiError(400, f"Unknown field(s): {', '.join(unknown)}")
    if missing := [k for k in required if k not in body]:
        raise ApiError(400, f"{', '.join(missing)} is required")
    name = body.get("display_name", "x")
    if not isinstance(name, str) or not 1 <= len(name) <= 255:
        raise ApiError(400, "display_name must be 1 to 255 characters")
    if body.get("type", "trunk") not in TYPES:
        raise ApiError(400, "type must be trunk or branch")
    project = body.get("project_id")
    if project is not None and not (isinstance(project, str) and UUID.match(project)):
        raise ApiError(400, "project_id must be a UUID")
    for key in ("auto_create_app", "delete_stale_apps"):
        if not isinstance(body.get(key, False), bool):
            raise ApiError(400, f"{key} must be a boolean")
    if "stale_app_days" in body:
        _int(body["stale_app_days"], "stale_app_days", 1, 365)
    if "repo_url" in body and not (isinstance(body["repo_url"], str) and body["repo_url"].startswith("https://")):
        raise ApiError(400, "repo_url must be a URL")
    return body


def _touch(row: dict[str, Any]) -> None:
    row["updated_at"] = now_ms()


async def list_pipelines(request: Request) -> Any:
    query = request.query_params
    try:
        limit, offset = int(query.get("limit", 25)), int(query.get("offset", 0))
    except ValueError:
        raise ApiError(400, "limit and offset must be integers") from None
    if not (1 <= limit <= 100 and 0 <= offset <= 10_000):
        raise ApiError(400, "limit must be 1 to 100, offset 0 to 10000")
    rows = pipelines_of(get_state(request))
    page = [_view(p, listed=True) for p in rows[offset : offset + limit]]
    return {"data": page, "total": len(rows), "offset": offset, "limit": limit}


async def create_pipeline(request: Request) -> Any:
    body = _checked(await read_json(request), {"display_name", "type", "project_id"}, ("display_name", "type"))
    state, now = get_state(request), now_ms()
    row = {"id": str(uuid.uuid4()), "company_id": state.company_id, "project_id": body.get("project_id"),
           "display_name": body["display_name"], "type": body["type"], "repo_url": None, "created_at": now,
           "updated_at": now, "stages": [_stage_row("Dev", "standard"), _stage_row("Production", "prod")]}  # fmt: skip
    pipelines_of(state).append(row)
    return JSONResponse(_view(row), status_code=201)


async def get_pipeline(request: Request) -> Any:
    return _view(_found(request), full=True)


async def update_pipeline(request: Request) -> Any:
    row = _found(request)
    body = _checked(await read_json(request), {"display_name", "type", "stage_order", "project_id"})
    order = body.pop("stage_order", None)
    if order is not None:
        pairs = isinstance(order, list) and all(isinstance(o, dict) and {"stage_id", "order"} <= set(o) for o in order)
        if not pairs:
            raise ApiError(400, "stage_order must be a list of {stage_id, order}")
        wanted = {_stage(row, o["stage_id"])["id"]: _int(o["order"], "order", 0, 50) for o in order}
        places = {s["id"]: (wanted.get(s["id"], n), n) for n, s in enumerate(row["stages"])}
        row["stages"].sort(key=lambda s: places[s["id"]])
    row.update(body)
    _touch(row)
    return _view(row)


def _unlink(row: dict[str, Any], stages: list[dict[str, Any]], state: Any) -> None:
    """Apps of these stages leave the pipeline; preview apps are deleted."""
    data = paas(state)
    gone = {a for s in stages if s["type"] == "preview" for a in s["apps"]}
    data["apps"][:] = [a for a in data["apps"] if a["id"] not in gone]
    for stage in stages:
        row["stages"].remove(stage)


async def delete_pipeline(request: Request) -> Any:
    row = _found(request)
    state = get_state(request)
    _unlink(row, list(row["stages"]), state)
    pipelines_of(state).remove(row)
    return {"message": "Pipeline deleted successfully"}


async def promote(request: Request) -> Any:
    row = _found(request)
    body = await read_json(request)
    source, targets = body.get("source_app_id"), body.get("target_app_ids")
    if not isinstance(source, str) or not isinstance(targets, list) or not targets:
        raise ApiError(400, "source_app_id and a non-empty target_app_ids are required")
    members = {a for s in row["stages"] for a in s["apps"]}
    if not {source, *targets} <= members:
        raise ApiError(400, "The source and target applications must be in this pipeline")
    if source in targets:
        raise ApiError(400, "An application cannot be promoted to itself")
    app = _app_or_404(request, source)
    build = _last_success(app)
    if build is None:
        raise ApiError(400, "The source application has no successful deployment to promote")
    state, out = get_state(request), []
    for target in [_app_or_404(request, t) for t in targets]:
        dep = _start_deployment(state, target, branch=build["branch"], phases=("deploying",), like=build)
        out.append({"target_app_id": target["id"], "deployment_id": dep["id"]})
    return out


async def add_stage(request: Request) -> Any:
    row = _found(request)
    body = await read_json(request)
    if unknown := sorted(set(body) - {"display_name", "insert_before", "branch"}):
        raise ApiError(400, f"Unknown field(s): {', '.join(unknown)}")
    name, branch = body.get("display_name"), body.get("branch")
    if not isinstance(name, str) or not 1 <= len(name) <= 255 or not isinstance(branch, str | None):
        raise ApiError(400, "display_name (1 to 255 characters) is required; branch must be a string or null")
    at = _int(body.get("insert_before"), "insert_before", 0, 50)
    stage = _stage_row(name, "standard", branch=branch)
    row["stages"].insert(min(at, len(row["stages"])), stage)
    _touch(row)
    return JSONResponse(_full(row, row["stages"].index(stage), stage), status_code=201)


async def delete_stage(request: Request) -> Any:
    row = _found(request)
    _unlink(row, [_stage(row, request.path_params["stage_id"])], get_state(request))
    _touch(row)
    return {"message": "Stage deleted successfully"}


async def add_app(request: Request) -> Any:
    row = _found(request)
    stage = _stage(row, request.path_params["stage_id"])
    body = await read_json(request)
    if set(body) != {"app_id"} or not isinstance(body["app_id"], str):
        raise ApiError(400, "app_id is required")
    app = _app_or_404(request, body["app_id"])
    if any(app["id"] in s["apps"] for p in pipelines_of(get_state(request)) for s in p["stages"]):
        raise ApiError(400, "The application is already in a pipeline stage")
    stage["apps"].append(app["id"])
    return {"message": "Application added to stage successfully"}


async def remove_app(request: Request) -> Any:
    row = _found(request)
    stage = _stage(row, request.path_params["stage_id"])
    app_id = request.path_params["app_id"]
    if app_id not in stage["apps"]:
        raise ApiError(404, f"Application {app_id} is not in this stage")
    stage["apps"].remove(app_id)
    return {"message": "Application removed from stage successfully"}


def _preview(row: dict[str, Any]) -> dict[str, Any] | None:
    return next((s for s in row["stages"] if s["type"] == "preview"), None)


def _apply(row: dict[str, Any], stage: dict[str, Any], body: dict[str, Any]) -> None:
    if "repo_url" in body:
        row["repo_url"] = body["repo_url"]
    stage.update({k: body[k] for k in PREVIEW_KEYS if k in body})
    stage["updated_at"] = now_ms()
    _touch(row)


async def preview_on(request: Request) -> Any:
    row = _found(request)
    body = _checked(await read_json(request), {"repo_url", *PREVIEW_KEYS})
    if _preview(row) is not None:
        raise ApiError(400, "Preview apps are already enabled for this pipeline")
    if not row["repo_url"] and "repo_url" not in body:
        raise ApiError(400, "The pipeline has no Git repository: repo_url is required")
    stage = _stage_row("Preview", "preview")
    row["stages"].insert(0, stage)
    _apply(row, stage, body)
    return {"message": "Pipeline preview enabled successfully"}


async def preview_off(request: Request) -> Any:
    row = _found(request)
    stage = _preview(row)
    if stage is None:
        raise ApiError(400, "Preview apps are not enabled for this pipeline")
    _unlink(row, [stage], get_state(request))
    _touch(row)
    return {"message": "Pipeline preview disabled successfully"}


async def preview_settings(request: Request) -> Any:
    row = _found(request)
    body = _checked(await read_json(request), {"repo_url", *PREVIEW_KEYS})
    stage = _preview(row)
    if stage is None:
        raise ApiError(400, "Preview apps are not enabled for this pipeline")
    _apply(row, stage, body)
    return {"message": "Pipeline preview settings updated successfully"}


_ROUTES = (
    ("/pipelines", "GET", list_pipelines),
    ("/pipelines", "POST", create_pipeline),
    ("/pipelines/{id}", "GET", get_pipeline),
    ("/pipelines/{id}", "PATCH", update_pipeline),
    ("/pipelines/{id}", "DELETE", delete_pipeline),
    ("/pipelines/{id}/promote", "POST", promote),
    ("/pipelines/{id}/stages", "POST", add_stage),
    ("/pipelines/{id}/stages/{stage_id}", "DELETE", delete_stage),
    ("/pipelines/{id}/stages/{stage_id}/apps", "POST", add_app),
    ("/pipelines/{id}/stages/{stage_id}/apps/{app_id}", "DELETE", remove_app),
    ("/pipelines/{id}/preview/enable", "POST", preview_on),
    ("/pipelines/{id}/preview/disable", "POST", preview_off),
    ("/pipelines/{id}/preview", "PUT", preview_settings),
)
v3_routes = [Route(path, v3(handler), methods=[method]) for path, method, handler in _ROUTES]
