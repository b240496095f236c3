"""Edge caching and the Kinsta CDN of a WordPress environment (``environment_id`` in the body).

The listing shows no on/off flag for edge caching; the sandbox takes ``id_edge_cache`` being set as
"on" (seeded live environments have one) and sets or clears it when the status changes.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from .. import seed
from ._common import ApiError, accepted, env_or_404, get_state, read_json, require_str

if TYPE_CHECKING:
    from ..state import SandboxState

IMAGE_OPTIMIZATION_TYPES = ("off", "lossy", "lossless")


async def _env(request: Request) -> tuple[SandboxState, dict[str, Any], dict[str, Any]]:
    """(state, request body, environment named by its ``environment_id``)."""
    state = get_state(request)
    body = await read_json(request)
    _, env = env_or_404(state, require_str(body, "environment_id"))
    return state, body, env


async def clear_edge_cache(request: Request) -> JSONResponse:
    state, body, env = await _env(request)
    if not env["id_edge_cache"]:
        raise ApiError(400, "Edge caching is not enabled for this environment")
    url = body.get("url")
    if url is not None and not isinstance(url, str):
        raise ApiError(400, "url must be a string")
    subdirectories = bool(body.get("clear_subdirectories", False))

    def done() -> None:
        env["last_edge_cache_clear"] = {"url": url or "", "clear_subdirectories": subdirectories, "at": time.time()}

    return accepted(state.start_operation("edgeCache:clear", done), "Clearing site edge cache in progress")


async def update_edge_cache_status(request: Request) -> JSONResponse:
    state, body, env = await _env(request)
    enabled = body.get("enabled")
    if not isinstance(enabled, bool):
        raise ApiError(400, "enabled is required and must be a boolean")

    def done() -> None:
        site = state.find_site(env["site_id"])
        site_name = site["name"] if site else env["site_id"]
        env["id_edge_cache"] = seed.stable_id("edge-cache", site_name, env["name"]) if enabled else None

    return accepted(
        state.start_operation("edge-cache:update-status", done), "Updating Site Edge Cache Status in progress"
    )


async def clear_cdn_cache(request: Request) -> JSONResponse:
    state, body, env = await _env(request)
    cdn_cache_id = require_str(body, "cdn_cache_id")
    if cdn_cache_id != env["cdn_cache_id"]:
        raise ApiError(400, f"cdn_cache_id {cdn_cache_id} does not belong to this environment")

    def done() -> None:
        env["last_cdn_cache_clear"] = time.time()

    return accepted(state.start_operation("cdn-cache:clear", done), "Clearing site CDN cache in progress")


async def update_image_optimization(request: Request) -> JSONResponse:
    state, body, env = await _env(request)
    mode = require_str(body, "image_optimization_type")
    if mode not in IMAGE_OPTIMIZATION_TYPES:
        raise ApiError(400, f"image_optimization_type must be one of {', '.join(IMAGE_OPTIMIZATION_TYPES)}")

    def done() -> None:
        env["image_optimization_type"] = mode

    return accepted(
        state.start_operation("cdn:update-image-optimization", done), "Updating Site Image Optimization in progress"
    )


routes = [
    Route("/sites/edge-caching/clear", clear_edge_cache, methods=["POST"]),
    Route("/sites/edge-caching/status", update_edge_cache_status, methods=["PUT"]),
    Route("/sites/cdn/clear-cache", clear_cdn_cache, methods=["POST"]),
    Route("/sites/cdn/image-optimization", update_image_optimization, methods=["PUT"]),
]
