"""Server logs of an environment (Kinsta); the logs endpoint has its own, lower rate limit."""

from __future__ import annotations

from kinsta_mcp.api.endpoint import Endpoint, RateClass, declare

# Query: file_name, lines; since 2026 also from, to, search (docs/api-notes.md#log-window).
LOGS = Endpoint(
    "GET",
    "/sites/environments/{env_id}/logs",
    unwrap=("environment", "container_info", "logs"),
    model=str,
    rate=RateClass.LOGS,
)

ENDPOINTS = declare(globals())
