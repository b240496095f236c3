"""Bot protection level of an environment (not in spec v1.87.0; Kinsta API changelog November 2026).

The level is kept on the environment dict (``env["bot_protection_level"]``), created on first use
with Kinsta's baseline. Shapes as in docs/api-notes.md#bot-protection and the changelog fixture.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from .. import seed
from ._common import ApiError, accepted, env_or_404, get_state, read_json

ADDITIONS_2026 = {
    ("GET", "/sites/environments/{env_id}/bot-protection/level"),  # docs/api-notes.md#bot-protection
    ("PUT", "/sites/environments/{env_id}/bot-protection/level"),  # docs/api-notes.md#bot-protection
}

LEVELS = ("block-malicious-traffic", "block-automations", "challenge-bots", "challenge-everyone")
BASELINE = "block-malicious-traffic"


def _level(env: dict[str, Any]) -> str:
    return env.setdefault("bot_protection_level", BASELINE)


async def get_level(request: Request) -> JSONResponse:
    _, env = env_or_404(get_state(request), request.path_params["env_id"])
    # Whether Kinsta's `id` is the environment id is not stated; a stable id of its own here.
    return JSONResponse({"bot_protection": {"id": seed.stable_id("bot-protection", env["id"]), "level": _level(env)}})


async def set_level(request: Request) -> JSONResponse:
    state = get_state(request)
    _, env = env_or_404(state, request.path_params["env_id"])
    level = (await read_json(request)).get("level")
    if level not in LEVELS:
        raise ApiError(400, f"level must be one of: {', '.join(LEVELS)}")

    def done() -> None:
        env["bot_protection_level"] = level

    op = state.start_operation("sites:set-bot-protection-level", done)
    return accepted(op, "Setting a bot protection level in progress. Use the operation_id to check the status.")


routes = [
    Route("/sites/environments/{env_id}/bot-protection/level", get_level, methods=["GET"]),
    Route("/sites/environments/{env_id}/bot-protection/level", set_level, methods=["PUT"]),
]
