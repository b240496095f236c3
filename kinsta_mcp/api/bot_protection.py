"""Bot protection level of an environment (2026 addition: docs/api-notes.md#bot-protection)."""

from __future__ import annotations

from kinsta_mcp.api.endpoint import Endpoint, JobKind, declare
from kinsta_mcp.models.domains import BotProtectionLevel

LEVEL = Endpoint(
    "GET", "/sites/environments/{env_id}/bot-protection/level", unwrap=("bot_protection",), model=BotProtectionLevel
)
SET_LEVEL = Endpoint("PUT", "/sites/environments/{env_id}/bot-protection/level", job=JobKind.OPERATION)

ENDPOINTS = declare(globals())
