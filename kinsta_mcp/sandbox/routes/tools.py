"""Site tools that take ``environment_id`` in the JSON body (cache, PHP)."""

from __future__ import annotations

import time

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ._common import accepted, env_or_404, get_state, read_json, require_str


async def clear_cache(request: Request) -> JSONResponse:
    state = get_state(request)
    env_id = require_str(await read_json(request), "environment_id")
    _, env = env_or_404(state, env_id)

    def done() -> None:
        # Wall-clock time: it is a fact about the environment, not sandbox timing.
        env["last_cache_clear"] = time.time()

    return accepted(state.start_operation("cache:clear", done), "Clearing site cache in progress")


async def restart_php(request: Request) -> JSONResponse:
    state = get_state(request)
    env_id = require_str(await read_json(request), "environment_id")
    _, env = env_or_404(state, env_id)

    def done() -> None:
        env["last_php_restart"] = time.time()

    return accepted(state.start_operation("php:restart", done), "Restarting PHP in progress")


routes = [
    Route("/sites/tools/clear-cache", clear_cache, methods=["POST"]),
    Route("/sites/tools/restart-php", restart_php, methods=["POST"]),
]
