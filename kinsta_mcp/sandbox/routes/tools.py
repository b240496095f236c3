"""Site tools that take ``environment_id`` in the JSON body (or query): cache, PHP, denied IPs."""

from __future__ import annotations

import time
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ._common import ApiError, accepted, env_or_404, get_state, read_json, require_ip_list, require_query, require_str

# What Kinsta offers at the time of writing; anything else is refused like the dashboard does.
PHP_VERSIONS = ("8.1", "8.2", "8.3", "8.4")


async def _stamp_when_done(request: Request, kind: str, stamp: str, message: str) -> JSONResponse:
    """An operation on the body's environment that records when it finished under `stamp`."""
    state = get_state(request)
    _, env = env_or_404(state, require_str(await read_json(request), "environment_id"))

    def done() -> None:
        # Wall-clock time: it is a fact about the environment, not sandbox timing.
        env[stamp] = time.time()

    return accepted(state.start_operation(kind, done), message)


async def clear_cache(request: Request) -> JSONResponse:
    return await _stamp_when_done(request, "cache:clear", "last_cache_clear", "Clearing site cache in progress")


async def restart_php(request: Request) -> JSONResponse:
    return await _stamp_when_done(request, "php:restart", "last_php_restart", "Restarting PHP in progress")


async def modify_php_version(request: Request) -> JSONResponse:
    state = get_state(request)
    body = await read_json(request)
    _, env = env_or_404(state, require_str(body, "environment_id"))
    version = require_str(body, "php_version")
    if version not in PHP_VERSIONS:
        raise ApiError(400, f"PHP version {version} is not available; choose one of {', '.join(PHP_VERSIONS)}")
    opt_out = body.get("is_opt_out_from_automatic_php_update")
    if opt_out is not None and not isinstance(opt_out, bool):
        raise ApiError(400, "is_opt_out_from_automatic_php_update must be a boolean")

    def done() -> None:
        env["php_version"] = version  # shows in the listing as container_info.php_engine_version
        if opt_out is not None:
            env["is_opt_out_from_automatic_php_update"] = opt_out

    return accepted(state.start_operation("php:modify-version", done), "Modifying PHP version in progress")


def denied_ips(env: dict[str, Any]) -> list[str]:
    """The environment's deny list, seeded on first use: live environments block one documentation address."""
    if "denied_ips" not in env:
        env["denied_ips"] = ["198.51.100.23"] if env["name"] == "live" else []
    return env["denied_ips"]


async def get_denied_ips(request: Request) -> JSONResponse:
    _, env = env_or_404(get_state(request), require_query(request, "environment_id"))
    return JSONResponse({"environment": {"id": env["id"], "ip_list": list(denied_ips(env))}})


async def update_denied_ips(request: Request) -> JSONResponse:
    body = await read_json(request)
    _, env = env_or_404(get_state(request), require_str(body, "environment_id"))
    env["denied_ips"] = require_ip_list(body, "ip_list")  # a full replacement, applied at once
    return JSONResponse({"result": None})


routes = [
    Route("/sites/tools/clear-cache", clear_cache, methods=["POST"]),
    Route("/sites/tools/restart-php", restart_php, methods=["POST"]),
    Route("/sites/tools/modify-php-version", modify_php_version, methods=["PUT"]),
    Route("/sites/tools/denied-ips", get_denied_ips, methods=["GET"]),
    Route("/sites/tools/denied-ips", update_denied_ips, methods=["PUT"]),
]
