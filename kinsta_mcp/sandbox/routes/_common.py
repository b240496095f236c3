"""Helpers shared by the route modules: Kinsta-shaped errors, the 202
"accepted" body, body parsing, id lookups and the response views.

Views build every response from an explicit field list so internal
bookkeeping on the state dicts (``last_cache_clear``, ``region`` …) can never
leak into what the API returns.
"""

from __future__ import annotations

import ipaddress
import json
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, overload

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

if TYPE_CHECKING:
    from ..state import Operation, SandboxState


# ----- errors ----------------------------------------------------------------


class ApiError(Exception):
    """Raise from a handler to answer with the spec's StatusResponseSchema body."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers


def error_body(status: int, message: str) -> dict[str, Any]:
    return {"status": status, "message": message, "data": None}


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(status, message), status_code=status, headers=headers)


async def api_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.message, exc.headers)


def not_found_message(kind: str, ident: str) -> str:
    # Kinsta reports "not yours" and "does not exist" the same way.
    return f"Could not find {kind} with id {ident} or the user does not have permissions"


# ----- request helpers ---------------------------------------------------------


def get_state(request: Request) -> SandboxState:
    return request.app.state.sandbox


async def read_json(request: Request) -> dict[str, Any]:
    """The JSON object body; an empty body counts as ``{}`` so the caller
    reports the specific missing field rather than a generic parse error."""
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except ValueError:
        raise ApiError(400, "Request body must be valid JSON") from None
    if not isinstance(body, dict):
        raise ApiError(400, "Request body must be a JSON object")
    return body


def require_str(body: dict[str, Any], name: str) -> str:
    value = body.get(name)
    if value is None or value == "":
        raise ApiError(400, f"{name} is required")
    if not isinstance(value, str):
        raise ApiError(400, f"{name} must be a string")
    return value


def require_query(request: Request, name: str) -> str:
    value = request.query_params.get(name)
    if not value:
        raise ApiError(400, f"{name} is required")
    return value


def query_bool(request: Request, name: str, default: bool = False) -> bool:
    """Kinsta takes query booleans as the strings "true"/"false"."""
    value = request.query_params.get(name)
    if value is None or value in ("", "null"):
        return default
    lowered = value.lower()
    if lowered in ("true", "1"):
        return True
    if lowered in ("false", "0"):
        return False
    raise ApiError(400, f"{name} must be a boolean")


def now_ms() -> int:
    """Wall-clock time in milliseconds, the APIs' timestamp unit."""
    return int(time.time() * 1000)


def paas_page(request: Request, items: list[Any]) -> list[Any]:
    """limit/offset (default 10/0) of a PaaS list call, after checking its required `company`."""
    company_or_404(get_state(request), require_query(request, "company"))
    try:
        limit = int(float(request.query_params.get("limit", 10)))
        offset = int(float(request.query_params.get("offset", 0)))
    except ValueError:
        raise ApiError(400, "limit and offset must be numbers") from None
    return items[offset : offset + limit]


# ----- lookups (404 when missing) ----------------------------------------------


def company_or_404(state: SandboxState, company_id: str) -> None:
    if company_id != state.company_id:
        raise ApiError(404, not_found_message("company", company_id))


def site_or_404(state: SandboxState, site_id: str) -> dict[str, Any]:
    site = state.find_site(site_id)
    if site is None:
        raise ApiError(404, not_found_message("site", site_id))
    return site


def env_or_404(state: SandboxState, env_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    found = state.find_environment(env_id)
    if found is None:
        raise ApiError(404, not_found_message("environment", env_id))
    return found


# ----- async operations --------------------------------------------------------


def accepted(op: Operation, message: str) -> JSONResponse:
    """The 202 body every long-running Kinsta call answers with."""
    return JSONResponse({"operation_id": op.id, "message": message, "status": 202}, status_code=202)


# ----- views -------------------------------------------------------------------


def domain_view(domain: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": domain["id"],
        "name": domain["name"],
        "site_id": domain["site_id"],
        "is_active": domain["is_active"],
        "type": domain["type"],
    }


def primary_domain_view(env: dict[str, Any]) -> dict[str, Any]:
    primary = next((d for d in env["domains"] if d["id"] == env["primary_domain_id"]), env["domains"][0])
    return domain_view(primary)


def environment_slim_view(env: dict[str, Any]) -> dict[str, Any]:
    """Environment as embedded in GET /sites/{site_id}."""
    return {
        "id": env["id"],
        "name": env["name"],
        "display_name": env["display_name"],
        "is_premium": env["is_premium"],
        "is_blocked": env["is_blocked"],
        "domains": [domain_view(d) for d in env["domains"]],
        "primaryDomain": primary_domain_view(env),
    }


def environment_full_view(env: dict[str, Any]) -> dict[str, Any]:
    """Environment as in GET /sites/{site_id}/environments and GET /sites?include_environments=true."""
    return {
        "id": env["id"],
        "name": env["name"],
        "display_name": env["display_name"],
        "is_blocked": env["is_blocked"],
        "id_edge_cache": env["id_edge_cache"],
        "cdn_cache_id": env["cdn_cache_id"],
        "is_opt_out_from_automatic_php_update": env["is_opt_out_from_automatic_php_update"],
        "web_root": env["web_root"],
        "image_optimization_type": env["image_optimization_type"],
        "is_additional_sftp_accounts_enabled": env["is_additional_sftp_accounts_enabled"],
        "is_premium": env["is_premium"],
        "wordpress_version": env["wordpress_version"],
        "domains": [domain_view(d) for d in env["domains"]],
        "primaryDomain": primary_domain_view(env),
        "ssh_connection": {"ssh_port": env["ssh_port"], "ssh_ip": {"external_ip": env["ssh_ip"]}},
        "container_info": {"id": env["container_id"], "php_engine_version": "php" + env["php_version"]},
    }


def require_ip_list(body: dict[str, Any], name: str) -> list[str]:
    """An array of IP addresses or CIDR ranges from a request body, or 400 as Kinsta answers."""
    ips = body.get(name)
    if not isinstance(ips, list) or not all(isinstance(ip, str) for ip in ips):
        raise ApiError(400, f"{name} is required and must be an array of strings")
    for ip in ips:
        try:
            ipaddress.ip_network(ip, strict=False)
        except ValueError:
            raise ApiError(400, f"{ip} is not a valid IP address or range") from None
    return list(ips)


def paas_object(request: Request, kind: str, noun: str) -> dict[str, Any]:
    """The seeded PaaS object the path's {id} names (kind: "apps", "databases", "static_sites"), or 404."""
    from ..paas_seed import paas

    wanted = request.path_params["id"]
    found = next((o for o in paas(get_state(request))[kind] if o["id"] == wanted), None)
    if found is None:
        raise ApiError(404, not_found_message(noun, wanted))
    return found


def v3(handler: Callable[[Request], Awaitable[Any]]) -> Callable[[Request], Awaitable[Response]]:
    """A Sevalla v3 route: a handler's dict or list is the bare JSON answer (a Response passes as it is), and an
    ApiError becomes v3's error shape, {message, status, data: {code, message}}."""

    async def wrapped(request: Request) -> Response:
        try:
            answer = await handler(request)
        except ApiError as failure:
            data = {"code": f"err-sandbox-{failure.status}", "message": "Contact support with this error code."}
            body = {"message": failure.message, "status": failure.status, "data": data}
            return JSONResponse(body, status_code=failure.status)
        return answer if isinstance(answer, Response) else JSONResponse(answer)

    return wrapped


def query_int(request: Request, name: str, default: int, low: int, high: int) -> int:
    """An integer query parameter within [low, high]; a 400 otherwise, as the APIs answer."""
    raw = request.query_params.get(name)
    try:
        value = default if raw is None else int(raw)
    except ValueError:
        raise ApiError(400, f"{name} must be an integer") from None
    if not low <= value <= high:
        raise ApiError(400, f"{name} must be from {low} to {high}")
    return value


@overload
def iso(ms: float) -> str: ...
@overload
def iso(ms: None) -> None: ...
def iso(ms: float | None) -> str | None:
    """Epoch milliseconds as v3 writes times: ISO 8601 UTC with milliseconds and a Z (None stays None)."""
    if ms is None:
        return None
    return datetime.fromtimestamp(ms / 1000, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{int(ms) % 1000:03d}Z"


def v3_page(request: Request, items: list[Any]) -> dict[str, Any]:
    """A v3 list answer: `limit` 1-100 (default 25) and `offset` 0-10000, a 400 otherwise."""
    limit, offset = query_int(request, "limit", 25, 1, 100), query_int(request, "offset", 0, 0, 10_000)
    return {"data": items[offset : offset + limit], "total": len(items), "offset": offset, "limit": limit}
