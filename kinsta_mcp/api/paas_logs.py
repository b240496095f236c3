"""Logs of applications and static sites: only Sevalla v3 has them (no v2 or Kinsta counterpart).

Each answers a bare array of entries; the window is `from`/`to` (ISO 8601 UTC with a trailing Z,
default the last hour), `limit` 1-5000 (default 1000). The logs endpoints count against their own,
lower rate limit.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from kinsta_mcp.api.endpoint import Base, Endpoint, RateClass, declare
from kinsta_mcp.models.base import ApiModel

MAX_LIMIT = 5000  # the spec's maximum of `limit`
UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"


class LogEntry(ApiModel):
    """One entry; `unix_timestamp` is in microseconds, `timestamp` a formatted text of it."""

    id: str = ""
    message: str = ""
    service: str = ""
    severity: str = ""
    timestamp: str = ""
    unix_timestamp: float = 0
    tags: dict[str, Any] = Field(default_factory=dict)


def _logs(path: str) -> Endpoint:
    patterns = (("deployment_id", UUID),) if "{deployment_id}" in path else ()
    return Endpoint("GET", path, base=Base.V3, model=list[LogEntry], rate=RateClass.LOGS, patterns=patterns)


APP_RUNTIME_LOGS = _logs("/applications/{id}/runtime-logs")
APP_ACCESS_LOGS = _logs("/applications/{id}/access-logs")
APP_DEPLOYMENT_LOGS = _logs("/applications/{id}/deployments/{deployment_id}/logs")
STATIC_SITE_ACCESS_LOGS = _logs("/static-sites/{id}/access-logs")
STATIC_SITE_DEPLOYMENT_LOGS = _logs("/static-sites/{id}/deployments/{deployment_id}/logs")

ENDPOINTS = declare(globals())
